package auth

import (
	"slices"
	"testing"
)

func TestParseScope(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"dataservice_external", []string{"dataservice_external"}, true},
		{"dataservice_external conversations.write", []string{"dataservice_external", "conversations.write"}, true},
		{"  a  b ", []string{"a", "b"}, true},
		{"a!#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~", []string{"a!#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~"}, true},
		{"dataservice_external\tconversations.write", nil, false},
		{"dataservice_external\nhost_admin", nil, false},
		{"a\x00", nil, false},
		{`a"b`, nil, false},
		{`a\b`, nil, false},
		{"é", nil, false},
		{"a\u00a0b", nil, false},
	}
	for _, tt := range tests {
		got, err := ParseScope(tt.in)
		if (err == nil) != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("ParseScope(%q) = %q, %v; want %q, ok %t", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
