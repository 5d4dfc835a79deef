package graph_test

import (
	"testing"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

const viewerQuery = `{ viewer { subject scopes tenant { id name reportSettings { enabled retentionMonths } } } }`

type viewerData struct {
	Viewer struct {
		Subject string
		Scopes  []string
		Tenant  *struct {
			ID             string
			Name           string
			ReportSettings struct {
				Enabled         bool
				RetentionMonths int
			}
		}
	}
}

func TestViewer(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	var d viewerData
	do(t, w.e, w.readA, viewerQuery, nil).ok(t, &d)
	if d.Viewer.Subject != "test" || len(d.Viewer.Scopes) != 1 || d.Viewer.Scopes[0] != "dataservice_external" {
		t.Fatalf("viewer %+v", d.Viewer)
	}
	if tn := d.Viewer.Tenant; tn == nil || tn.ID != w.a.String() || tn.Name != "A" ||
		!tn.ReportSettings.Enabled || tn.ReportSettings.RetentionMonths != 3 {
		t.Fatalf("viewer tenant %+v", d.Viewer.Tenant)
	}

	d = viewerData{}
	do(t, w.e, w.host, viewerQuery, nil).ok(t, &d)
	if d.Viewer.Tenant != nil || d.Viewer.Scopes[0] != "host_admin" {
		t.Fatalf("host viewer %+v", d.Viewer)
	}
}

func TestUnauthenticated(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	for name, token := range map[string]string{"none": "", "invalid": w.readA + "x", "garbage": "abc"} {
		t.Run(name, func(t *testing.T) {
			r := do(t, w.e, token, viewerQuery, nil)
			r.wantCode(t, "UNAUTHENTICATED")
			if string(r.Data) != "null" {
				t.Fatalf("data %s, want null", r.Data)
			}
		})
	}
}
