package metrics

import "github.com/prometheus/client_golang/prometheus"

// Webhooks are the collectors of webhook deliveries and of erasures.
type Webhooks struct {
	// Deliveries counts delivery attempts by outcome (DeliveryOutcomes).
	Deliveries *prometheus.CounterVec
	// Erasures counts conversations erased.
	Erasures prometheus.Counter
}

// DeliveryOutcomes are the values of the outcome label of deliveries: an
// attempt the receiver accepted, one that failed and will be retried, one
// that failed for the last time.
var DeliveryOutcomes = []string{"delivered", "retried", "failed"}

// NewWebhooks creates the collectors and registers them on reg, every
// series present from the start at zero.
func NewWebhooks(reg prometheus.Registerer) *Webhooks {
	w := &Webhooks{
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dailyreports_webhook_deliveries_total", Help: "Webhook delivery attempts, by outcome.",
		}, []string{"outcome"}),
		Erasures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dailyreports_conversations_erased_total", Help: "Conversations erased.",
		}),
	}
	for _, o := range DeliveryOutcomes {
		w.Deliveries.WithLabelValues(o)
	}
	reg.MustRegister(w.Deliveries, w.Erasures)
	return w
}
