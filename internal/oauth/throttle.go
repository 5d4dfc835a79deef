package oauth

import (
	"net"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// Limit is a token bucket of failed client authentications: Burst failures
// at once, then one more every Every.
type Limit struct {
	Every time.Duration
	Burst int
}

// The token endpoint's limits when Handler.Throttle is nil: a client id may
// fail 10 times at once, then once every 6 seconds (10 a minute); a remote
// address 100 times at once, then once every 600 ms (100 a minute), so that
// one address cannot cycle through client ids.
const (
	DefaultClientBurst  = 10
	DefaultClientEvery  = 6 * time.Second
	DefaultAddressBurst = 100
	DefaultAddressEvery = 600 * time.Millisecond
)

// defaultThrottle returns a Throttle with the default limits.
func defaultThrottle() *Throttle {
	return NewThrottle(Limit{Every: DefaultClientEvery, Burst: DefaultClientBurst},
		Limit{Every: DefaultAddressEvery, Burst: DefaultAddressBurst})
}

// throttleKeys bounds how many client ids and addresses a Throttle
// remembers, each; the least recently seen are forgotten first.
const throttleKeys = 10_000

// Throttle limits failed client authentications at the token endpoint per
// client id and per remote address, so that secrets cannot be guessed at
// speed. Only failures spend the budget: a request takes a token from both
// buckets before its secret is checked and gets it back when the secret is
// right. A client id is limited whether or not a client has it, so the
// throttle tells nothing about which ids exist.
//
// The buckets live in this process, in two LRU caches of throttleKeys
// entries each, so memory stays bounded. Nothing needs to expire: an idle
// bucket refills by itself, and one the cache forgets comes back full,
// which is what it would be after a while anyway. Forgetting a bucket that
// is still spent needs throttleKeys fresh keys first, which the address's
// own bucket holds back.
type Throttle struct {
	perClient, perAddress Limit

	mu      sync.Mutex
	clients *lru.Cache[string, *rate.Limiter]
	addrs   *lru.Cache[string, *rate.Limiter]
}

// NewThrottle returns a Throttle with the given limits.
func NewThrottle(perClient, perAddress Limit) *Throttle {
	clients, _ := lru.New[string, *rate.Limiter](throttleKeys)
	addrs, _ := lru.New[string, *rate.Limiter](throttleKeys)
	return &Throttle{perClient: perClient, perAddress: perAddress, clients: clients, addrs: addrs}
}

// attempt is one admitted authentication; done settles it.
type attempt struct {
	client, addr *rate.Reservation
	at           time.Time
}

// admit takes one failure token from clientID's and addr's buckets. When
// either is empty it takes none and returns how long to wait instead.
func (t *Throttle) admit(clientID, addr string, now time.Time) (*attempt, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := &attempt{
		client: bucket(t.clients, clientID, t.perClient).ReserveN(now, 1),
		addr:   bucket(t.addrs, addr, t.perAddress).ReserveN(now, 1),
		at:     now,
	}
	if wait := max(a.client.DelayFrom(now), a.addr.DelayFrom(now)); wait > 0 {
		a.client.CancelAt(now)
		a.addr.CancelAt(now)
		return nil, wait
	}
	return a, 0
}

// done settles an admitted attempt: a success gives its tokens back, a
// failure keeps them spent. The reservations are cancelled as of the time
// they were made, since rate restores nothing once a reservation's time has
// passed.
func (t *Throttle) done(a *attempt, ok bool) {
	if ok {
		a.client.CancelAt(a.at)
		a.addr.CancelAt(a.at)
	}
}

// bucket returns key's limiter in c, adding a full one when there is none.
func bucket(c *lru.Cache[string, *rate.Limiter], key string, l Limit) *rate.Limiter {
	if lim, ok := c.Get(key); ok {
		return lim
	}
	lim := rate.NewLimiter(rate.Every(l.Every), l.Burst)
	c.Add(key, lim)
	return lim
}

// throttleKey is the key of a presented client id: the id itself when it
// could be one, else one shared key, so malformed ids cannot fill the cache.
func throttleKey(clientID string) string {
	if wellFormedID(clientID) {
		return clientID
	}
	return "\x00malformed"
}

// remoteHost is the address part of r.RemoteAddr. Behind a reverse proxy it
// is the proxy's: the per-address limit then counts all its clients.
func remoteHost(remoteAddr string) string {
	if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return host
	}
	return remoteAddr
}
