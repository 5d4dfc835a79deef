package input

import (
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

func TestText(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want error
	}{
		{"drc_abc", 64, nil},
		{"Zürich 東京 🚀", 64, nil},
		{strings.Repeat("x", 10), 10, nil},
		{"", 10, ErrEmpty},
		{strings.Repeat("x", 11), 10, ErrTooLong},
		{"a\x00b", 10, ErrControl},
		{"a\tb", 10, ErrControl},
		{"a\nb", 10, ErrControl},
		{"a\x7fb", 10, ErrControl},
		{"a\u0085b", 10, ErrControl},
		{"a\xffb", 10, ErrControl},
		{"\xc3", 10, ErrControl},
	}
	for _, tt := range tests {
		if got := Text(tt.s, tt.max); got != tt.want {
			t.Errorf("Text(%q, %d) = %v, want %v", tt.s, tt.max, got, tt.want)
		}
	}
}

func TestName(t *testing.T) {
	if got, err := Name("  Acme Ltd  "); err != nil || got != "Acme Ltd" {
		t.Fatalf("Name = %q, %v", got, err)
	}
	if got, err := Name(strings.Repeat("é", MaxName/2)); err != nil || len(got) != MaxName {
		t.Fatalf("a name of %d bytes: %q, %v", MaxName, got, err)
	}
	for _, bad := range []string{"", "   ", "\t", strings.Repeat("x", MaxName+1), "Ac\x00me", "Ac\nme", "Ac\xffme", "\x00"} {
		got, err := Name(bad)
		if apperr.CodeOf(err) != apperr.Invalid || got != "" {
			t.Errorf("Name(%q) = %q, %v; want an Invalid error", bad, got, err)
		}
	}
	if _, err := Name("a\x00"); !strings.Contains(apperr.MessageOf(err), "control characters") {
		t.Errorf("message %q does not say what is wrong", apperr.MessageOf(err))
	}
}
