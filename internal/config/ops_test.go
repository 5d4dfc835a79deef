package config

import "testing"

func TestOpsAddr(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"OPS_ADDR": ":9464"}))
	if err != nil || c.OpsAddr != ":9464" {
		t.Fatalf("OpsAddr %q (%v), want :9464", c.OpsAddr, err)
	}
	if c, _ := FromEnv(env(nil)); c.OpsAddr != "" {
		t.Fatalf("OpsAddr %q by default, want unset", c.OpsAddr)
	}
}

// TestTracingConfigured checks which OTEL_* settings turn tracing on:
// nothing is exported unless an endpoint or an exporter is named.
func TestTracingConfigured(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		want bool
	}{
		{nil, false},
		{map[string]string{"OTEL_SERVICE_NAME": "x"}, false},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true},
		{map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, true},
		{map[string]string{"OTEL_TRACES_EXPORTER": "console"}, true},
		{map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, false},
		{map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, false},
	} {
		if c, err := FromEnv(env(tt.vars)); err != nil || c.Tracing != tt.want {
			t.Errorf("%v: Tracing %v (%v), want %v", tt.vars, c.Tracing, err, tt.want)
		}
	}
}
