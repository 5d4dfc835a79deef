// Package ops is the service's operations surface, what a platform team
// scrapes, follows and pages on: the operations listener's routes, the
// OpenTelemetry set-up the standard OTEL_* variables describe, the
// instrumentation of the database and object-store clients, and the
// collector of asynq's queues.
package ops
