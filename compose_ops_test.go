package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// opsAddr is the operations listener of the compose topology's roles.
const opsAddr = ":9464"

// promConfig is the part of deploy/prometheus/prometheus.yml the tests read.
type promConfig struct {
	RuleFiles     []string `yaml:"rule_files"`
	ScrapeConfigs []struct {
		JobName       string `yaml:"job_name"`
		MetricsPath   string `yaml:"metrics_path"`
		StaticConfigs []struct {
			Targets []string
		} `yaml:"static_configs"`
	} `yaml:"scrape_configs"`
}

// TestComposePrometheus checks that the topology runs Prometheus with the
// repository's configuration and rules, scraping every role on its
// operations listener, which no role publishes on the host.
func TestComposePrometheus(t *testing.T) {
	f := readCompose(t)
	p, ok := f.Services["prometheus"]
	if !ok {
		t.Fatal("no prometheus service")
	}
	if !strings.HasPrefix(p.Image, "prom/prometheus:v") || !slices.Contains(p.Command, "--config.file=/etc/prometheus/prometheus.yml") ||
		!slices.Contains(p.Volumes, "./deploy/prometheus:/etc/prometheus:ro") || p.Healthcheck == nil {
		t.Errorf("prometheus must be a pinned image running deploy/prometheus/prometheus.yml, with a health check: %+v", p)
	}
	b, err := os.ReadFile("deploy/prometheus/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg promConfig
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("prometheus.yml: %v", err)
	}
	for _, rf := range cfg.RuleFiles {
		if _, err := os.Stat(filepath.Join("deploy/prometheus", rf)); err != nil {
			t.Errorf("rule file %s: %v", rf, err)
		}
	}
	if !slices.Contains(cfg.RuleFiles, "rules.yml") {
		t.Errorf("rule_files %v: want rules.yml", cfg.RuleFiles)
	}
	var targets []string
	for _, sc := range cfg.ScrapeConfigs {
		if sc.JobName == "dailyreports" && (sc.MetricsPath == "" || sc.MetricsPath == "/metrics") {
			for _, st := range sc.StaticConfigs {
				targets = append(targets, st.Targets...)
			}
		}
	}
	var want []string
	for name := range roleServices {
		want = append(want, name+opsAddr)
		for _, port := range f.Services[name].Ports {
			if strings.HasSuffix(port, opsAddr) {
				t.Errorf("%s publishes its operations listener on the host: %v", name, port)
			}
		}
	}
	slices.Sort(targets)
	slices.Sort(want)
	if !slices.Equal(targets, want) {
		t.Errorf("job dailyreports scrapes %v, want every role on its operations listener %v", targets, want)
	}
}
