package config

import (
	"errors"
	"net"
	"strings"
)

// opsAddr validates OPS_ADDR: empty (everything on HTTP_ADDR) or a listen
// address other than HTTP_ADDR.
func opsAddr(raw, httpAddr string) (string, error) {
	if raw == "" {
		return "", nil
	}
	if _, port, err := net.SplitHostPort(raw); err != nil || port == "" {
		return "", errors.New("OPS_ADDR: must be a listen address such as :9464 or 127.0.0.1:9464")
	}
	if raw == httpAddr {
		return "", errors.New("OPS_ADDR: must differ from HTTP_ADDR")
	}
	return raw, nil
}

// tracingConfigured reports whether the OpenTelemetry variables ask for
// traces to be exported: not with OTEL_SDK_DISABLED=true or
// OTEL_TRACES_EXPORTER=none; with an exporter named in OTEL_TRACES_EXPORTER;
// otherwise only when an OTLP endpoint is set. Unlike the SDK's own
// default, nothing is sent to a collector on localhost unless asked.
func tracingConfigured(getenv func(string) string) bool {
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return false
	}
	switch e := strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")); e {
	case "none":
		return false
	case "":
		return strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_ENDPOINT")) != "" ||
			strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) != ""
	default:
		return true
	}
}
