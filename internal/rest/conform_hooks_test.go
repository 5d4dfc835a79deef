package rest_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

func conformManifest(t *testing.T, seen *coverage) {
	e := apptest.New(t, apptest.Options{})
	k := newConformance(t, e, seen)
	on, off, other := e.Tenant("on", true, 1), e.Tenant("off", false, 1), e.Tenant("other", true, 1)
	e.Ingest(e.Token(on, viewer.ScopeConversationsWrite), richConversations(inHour(15, 0)))
	read := e.Token(on, viewer.ScopeReportsRead)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	day := yesterday().Format("2006-01-02")
	k.do(t, call{method: "GET", path: reportPath(day, "15", "compressed=true"), token: read, status: 200})
	for _, m := range []string{"GET", "HEAD"} {
		for _, c := range []call{
			{path: manifestPath(day, ""), token: read, status: 200},
			{path: manifestPath(day, "ttlSeconds=60"), token: read, status: 200},
			{path: manifestPath(day, ""), token: host, headers: []string{"X-Tenant-Id", on.String()}, status: 200},
			{path: manifestPath(time.Now().UTC().Format("2006-01-02"), ""), token: read, status: 200},
			{path: manifestPath("2025-13-01", ""), token: read, request: invalid, status: 400},
			{path: manifestPath(day, "ttlSeconds=0"), token: read, request: invalid, status: 400},
			{path: manifestPath(time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02"), ""), token: read, status: 400},
			{path: manifestPath(day, ""), status: 401},
			{path: manifestPath(day, ""), token: e.Token(on, viewer.ScopeConversationsWrite), status: 403},
			{path: manifestPath(day, ""), token: e.Token(off, viewer.ScopeReportsRead), status: 403},
			{path: manifestPath(day, ""), token: read, headers: []string{"X-Tenant-Id", other.String()}, status: 404},
			{path: manifestPath(time.Now().UTC().AddDate(0, -2, 0).Format("2006-01-02"), ""), token: read, status: 410},
		} {
			c.method = m
			k.do(t, c)
		}
	}
}

func conformErasure(t *testing.T, seen *coverage) {
	e := apptest.New(t, apptest.Options{})
	k := newConformance(t, e, seen)
	tenant := e.Tenant("acme", true, 1)
	write := e.Token(tenant, viewer.ScopeConversationsWrite)
	host := e.Token(uuid.Nil, viewer.ScopeHostAdmin)
	e.Ingest(write, richConversations(inHour(15, 0)))
	k.do(t, call{method: "GET", path: reportPath(yesterday().Format("2006-01-02"), "15", ""), token: e.Token(tenant, viewer.ScopeReportsRead), status: 200})
	del := func(id, token string, status int, headers ...string) {
		k.do(t, call{method: "DELETE", path: erasePath(id), token: token, headers: headers, status: status})
	}
	del("c-minimal", write, 204)
	del("c-nulls", host, 204, "X-Tenant-Id", tenant.String())
	del("c-minimal", write, 404)
	del("c-nulls", host, 404, "X-Tenant-Id", uuid.NewString())
	del("c-nulls", host, 400)
	del("c-nulls", "", 401)
	del("c-nulls", e.Token(tenant, viewer.ScopeReportsRead), 403)
}
