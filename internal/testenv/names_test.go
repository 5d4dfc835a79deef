package testenv

import (
	"regexp"
	"strings"
	"testing"
)

func TestUniqueName(t *testing.T) {
	long := "TestSomething/" + strings.Repeat("very_Long-Case name ", 10)
	tests := []struct {
		testName string
		sep      byte
		want     *regexp.Regexp
	}{
		{"TestFoo", '_', regexp.MustCompile(`^t_testfoo_[0-9a-f]{8}$`)},
		{"TestFoo/Sub_Case#01", '_', regexp.MustCompile(`^t_testfoo_sub_case_01_[0-9a-f]{8}$`)},
		{"TestFoo/Sub_Case#01", '-', regexp.MustCompile(`^t-testfoo-sub-case-01-[0-9a-f]{8}$`)},
		{"/#/", '-', regexp.MustCompile(`^t-x-[0-9a-f]{8}$`)},
		{long, '_', regexp.MustCompile(`^t_testsomething_very_long_case_[a-z0-9_]*[a-z0-9]_[0-9a-f]{8}$`)},
		{long, '-', regexp.MustCompile(`^t-testsomething-very-long-case-[a-z0-9-]*[a-z0-9]-[0-9a-f]{8}$`)},
	}
	for _, tt := range tests {
		got := uniqueName("t", tt.testName, tt.sep, 63)
		if !tt.want.MatchString(got) || len(got) > 63 {
			t.Errorf("uniqueName(%q, %q) = %q (%d bytes), want %v within 63 bytes", tt.testName, tt.sep, got, len(got), tt.want)
		}
	}
	if a, b := uniqueName("t", "TestFoo", '_', 63), uniqueName("t", "TestFoo", '_', 63); a == b {
		t.Errorf("two calls gave %s", a)
	}
}
