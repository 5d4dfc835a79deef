package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// observe is the handler extension that makes each GraphQL operation a
// span, named after the operation's type and name ("query Day") and never
// carrying its document or variables, and counts the answers refused at
// the live-build cap. Without a tracer provider installed the span is
// OpenTelemetry's no-op one.
type observe struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = observe{}

// ExtensionName implements graphql.HandlerExtension.
func (observe) ExtensionName() string { return "Observe" }

// Validate implements graphql.HandlerExtension.
func (observe) Validate(graphql.ExecutableSchema) error { return nil }

func tracer() trace.Tracer { return otel.Tracer("github.com/dailyreports/dailyreports/graph") }

// InterceptResponse implements graphql.ResponseInterceptor.
func (o observe) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	typ, name := "", ""
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		name = oc.OperationName
		if oc.Operation != nil {
			typ = string(oc.Operation.Operation)
			if name == "" {
				name = oc.Operation.Name
			}
		}
	}
	spanName := typ
	if name != "" {
		spanName = typ + " " + name
	}
	ctx, span := tracer().Start(ctx, spanName, trace.WithAttributes(
		semconv.GraphQLOperationTypeKey.String(typ), semconv.GraphQLOperationName(name)))
	defer span.End()
	resp := next(ctx)
	if resp == nil {
		return resp
	}
	if len(resp.Errors) > 0 {
		span.SetStatus(codes.Error, fmt.Sprintf("%d errors", len(resp.Errors)))
	}
	return resp
}
