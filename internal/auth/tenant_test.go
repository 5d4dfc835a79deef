package auth

import (
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

func TestTenantFor(t *testing.T) {
	other := uuid.MustParse("11111111-2222-4333-8444-555555555555")
	reader := viewer.Viewer{Subject: "t", TenantID: testTenant, Scopes: []string{viewer.ScopeReportsRead}}
	writer := viewer.Viewer{Subject: "w", TenantID: testTenant, Scopes: []string{viewer.ScopeConversationsWrite}}
	host := viewer.Viewer{Subject: "h", Scopes: []string{viewer.ScopeHostAdmin}}
	tenantless := viewer.Viewer{Subject: "n", Scopes: []string{viewer.ScopeReportsRead}}
	read, write := viewer.ScopeReportsRead, viewer.ScopeConversationsWrite
	tests := []struct {
		name      string
		v         viewer.Viewer
		scope     string
		requested string
		want      uuid.UUID
		code      apperr.Code
		msg       string
	}{
		{"tenant own", reader, read, "", testTenant, "", ""},
		{"tenant names itself", reader, read, testTenant.String(), testTenant, "", ""},
		{"tenant names itself uppercase", reader, read, "6F1C2B4E-8D2A-4C1E-9B3F-2A7D5E0C1F88", testTenant, "", ""},
		{"tenant names another", reader, read, other.String(), uuid.Nil, apperr.NotFound, "tenant not found"},
		{"tenant names garbage", reader, read, "nope", uuid.Nil, apperr.NotFound, "tenant not found"},
		{"tenant names nil", reader, read, uuid.Nil.String(), uuid.Nil, apperr.NotFound, "tenant not found"},
		{"tenant without scope", writer, read, "", uuid.Nil, apperr.Forbidden, "missing scope dataservice_external"},
		{"tenant without scope names another", writer, read, other.String(), uuid.Nil, apperr.Forbidden, "missing scope dataservice_external"},
		{"writer writes", writer, write, "", testTenant, "", ""},
		{"host names tenant", host, read, other.String(), other, "", ""},
		{"host names nothing", host, read, "", uuid.Nil, apperr.Invalid, "host tokens must name a tenant (X-Tenant-Id, or tenantId in GraphQL)"},
		{"host names garbage", host, read, "nope", uuid.Nil, apperr.NotFound, "tenant not found"},
		{"host names nil", host, read, uuid.Nil.String(), uuid.Nil, apperr.NotFound, "tenant not found"},
		{"host cannot write", host, write, other.String(), uuid.Nil, apperr.Forbidden, "missing scope conversations.write"},
		{"host with write scope", withScope(host, write), write, other.String(), other, "", ""},
		{"tenantless non-host", tenantless, read, "", uuid.Nil, apperr.Forbidden, "token is not bound to a tenant"},
		{"no scopes", viewer.Viewer{Subject: "x"}, read, "", uuid.Nil, apperr.Forbidden, "missing scope dataservice_external"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TenantFor(tt.v, tt.scope, tt.requested)
			if got != tt.want || apperr.CodeOf(err) != tt.code {
				t.Fatalf("TenantFor = %v, %v; want %v, code %q", got, err, tt.want, tt.code)
			}
			if err != nil && apperr.MessageOf(err) != tt.msg {
				t.Errorf("message = %q, want %q", apperr.MessageOf(err), tt.msg)
			}
		})
	}
}

func withScope(v viewer.Viewer, scope string) viewer.Viewer {
	v.Scopes = append(append([]string(nil), v.Scopes...), scope)
	return v
}
