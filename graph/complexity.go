package graph

import (
	"time"

	"entgo.io/contrib/entgql"
	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/admin"
	"github.com/dailyreports/dailyreports/internal/runs"
)

// Costs of the fields that do real work, beyond their children.
const (
	costData     = 10 // reads, maybe builds, and inlines a document
	costDownload = 5  // may build and store, then presigns
)

// weigh sets the complexity of lists by their length and of the fields that
// build or read reports by their cost, so the complexity limit bounds work.
func weigh(c *ComplexityRoot) {
	c.Query.Tenants = func(child int, first *int, _ *entgql.Cursor[uuid.UUID], _ *string) int {
		return 1 + child*pageOf(first)
	}
	c.Query.Nodes = func(child int, ids []uuid.UUID) int { return 1 + child*max(len(ids), 1) }
	c.Tenant.AuditLog = func(child int, first *int) int { return 1 + child*pageOf(first) }
	c.Tenant.Erasures = func(child int, first *int) int { return 1 + child*pageOf(first) }
	c.DailyReport.Hours = func(child int) int { return 1 + 24*child }
	c.HourlyReport.Data = func(int) int { return costData }
	c.HourlyReport.DownloadURL = func(child int, _ *int) int { return costDownload + child }
	c.Query.Webhooks = func(child int, _ *uuid.UUID) int { return 1 + child*webhooksPage }
	c.Webhook.Deliveries = func(child int, first *int) int { return 1 + child*deliveriesPage(first) }
	c.WebhookDelivery.Attempts = func(child int) int { return 1 + child*(len(defaultAttempts)+1) }
	c.Mutation.TestWebhook = func(child int, _ uuid.UUID) int { return costDownload + child }
	c.Query.GenerationRuns = func(child int, first *int, _ *entgql.Cursor[uuid.UUID], _ *time.Time) int {
		if first == nil {
			return 1 + child*runs.DefaultPage
		}
		return 1 + child*pageOf(first)
	}
	c.GenerationRun.Passes = func(child int) int { return 1 + 3*child }
	c.Query.FailedReports = func(child int, _ *time.Time, first *int) int { return 1 + child*pageOf(first) }
	c.Query.APIClients = func(child int, _ *uuid.UUID, first *int, _ *entgql.Cursor[uuid.UUID]) int {
		return 1 + child*pageOf(first)
	}
}

// pageOf is the length of a page asked with first.
func pageOf(first *int) int {
	if first == nil {
		return admin.DefaultPage
	}
	return max(min(*first, admin.MaxPage), 1)
}
