package graph

// Page sizes the complexity of webhook lists counts with: a host's webhooks
// are counted as 5, a delivery's attempts as many as the default retries
// allow.
const webhooksPage = 5

var defaultAttempts = [5]struct{}{}

// deliveriesPage is the length of a page of deliveries asked with first
// (20 by default, at most 100).
func deliveriesPage(first *int) int {
	if first == nil {
		return 20
	}
	return max(min(*first, 100), 1)
}
