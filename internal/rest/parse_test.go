package rest

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

func TestParseHourRequest(t *testing.T) {
	cases := []struct {
		day, hour, compressed string
		ok                    bool
		wantHour              int
		wantCompressed        bool
	}{
		{"2026-05-09", "9", "", true, 9, false},
		{"2026-05-09", "09", "true", true, 9, true},
		{"2026-05-09", "0", "FALSE", true, 0, false},
		{"2026-05-10", "11", "", true, 11, false},
		{"2030-05-11", "1", "", true, 1, false}, // whether it has ended is the report service's to say
		{"2026-05-09", "23", "", true, 23, false},
		{"2026-05-09", "24", "", false, 0, false},
		{"2026-05-09", "-1", "", false, 0, false},
		{"2026-05-09", "009", "", false, 0, false},
		{"2026-05-09", "", "", false, 0, false},
		{"2026-5-09", "1", "", false, 0, false},
		{"2026-02-30", "1", "", false, 0, false},
		{"20260509", "1", "", false, 0, false},
		{"2026-05-09", "1", "yes", false, 0, false},
		{"2026-05-09", "1", "1", false, 0, false},
		{"2026-05-09", "1", "compressed=", false, 0, false}, // an empty value is malformed
		{"2026-05-09", "1", "compressed", false, 0, false},
		{"2026-05-09", "1", "compressed=true&compressed=true", false, 0, false},
		{"2026-05-09", "1", "other=1", true, 1, false},
	}
	for _, c := range cases {
		r, err := ParseHourRequest(c.day, c.hour, query(c.compressed))
		if !c.ok {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("%q %q %q: %v, want invalid", c.day, c.hour, c.compressed, err)
			}
			continue
		}
		if err != nil || r.Hour != c.wantHour || r.Compressed != c.wantCompressed || r.Day.Format(time.DateOnly) != c.day {
			t.Errorf("%q %q %q: %+v %v", c.day, c.hour, c.compressed, r, err)
		}
	}
}

// query is the query of a test case: a value of compressed, or a raw query
// when it holds "=" or names no value at all.
func query(s string) url.Values {
	if s == "" {
		return nil
	}
	if strings.Contains(s, "=") || s == "compressed" {
		q, _ := url.ParseQuery(s)
		return q
	}
	return url.Values{"compressed": {s}}
}

// FuzzParseHourRequest: any route values give a valid hour or an Invalid
// error, never a panic or another error.
func FuzzParseHourRequest(f *testing.F) {
	for _, s := range [][3]string{{"2026-05-09", "9", "compressed=true"}, {"2026-13-01", "99", "compressed=x"}, {"", "", ""},
		{"0000-01-01", "00", "compressed=false"}, {"2026-05-09", "9", "compressed="}, {"2026-05-09", "9", "compressed"},
		{"2026-05-09", "9", "compressed=true&compressed=false"}, {"2026-05-09", "9", "compressed=%74rue"}, {"2026-05-09", "9", "compressed=true;x"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, day, hour, rawQuery string) {
		q, _ := url.ParseQuery(rawQuery)
		r, err := ParseHourRequest(day, hour, q)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error %v is not Invalid", err)
			}
			return
		}
		if r.Hour < 0 || r.Hour > 23 || r.Day.Format(time.DateOnly) != day {
			t.Fatalf("accepted %+v", r)
		}
	})
}
