package seed

import "math/rand/v2"

// choice is a value with its relative weight.
type choice[T any] struct {
	v T
	w int
}

// weighted draws values with probabilities proportional to their weights.
// Tables are built once and only read.
type weighted[T any] struct {
	vals []T
	cum  []int // running sums of the weights
}

func newWeighted[T any](cs ...choice[T]) weighted[T] {
	t := weighted[T]{vals: make([]T, len(cs)), cum: make([]int, len(cs))}
	sum := 0
	for i, c := range cs {
		sum += c.w
		t.vals[i], t.cum[i] = c.v, sum
	}
	return t
}

// pick draws one value.
func (t weighted[T]) pick(r *rand.Rand) T {
	x := r.IntN(t.cum[len(t.cum)-1])
	for i, c := range t.cum {
		if x < c {
			return t.vals[i]
		}
	}
	return t.vals[len(t.vals)-1]
}

// oneOf draws one string uniformly.
func oneOf(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between draws an integer uniformly in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }
