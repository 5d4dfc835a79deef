package oauth

import (
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	th := NewThrottle(Limit{Every: time.Minute, Burst: 2}, Limit{Every: time.Second, Burst: 3})
	now := time.Now()
	fail := func(client, addr string) time.Duration {
		a, wait := th.admit(client, addr, now)
		if a != nil {
			th.done(a, false)
		}
		return wait
	}
	// Two failures for a client id, then it waits a minute; another id from
	// the same address still gets its turn.
	if fail("a", "10.0.0.1") != 0 || fail("a", "10.0.0.1") != 0 {
		t.Fatal("the burst was refused")
	}
	if wait := fail("a", "10.0.0.1"); wait <= 50*time.Second || wait > time.Minute {
		t.Fatalf("third failure: wait %v, want about a minute", wait)
	}
	if fail("b", "10.0.0.1") != 0 {
		t.Fatal("another client id was refused")
	}
	// The address has spent its three: a fresh id from it waits, and a
	// refused attempt spends nothing of that id's budget.
	if wait := fail("c", "10.0.0.1"); wait <= 0 || wait > time.Second {
		t.Fatalf("fourth failure from the address: wait %v, want under a second", wait)
	}
	if fail("c", "10.0.0.2") != 0 || fail("c", "10.0.0.3") != 0 {
		t.Fatal("id c lost budget to refused attempts")
	}
	// Successes spend nothing.
	for range 10 {
		a, wait := th.admit("d", "10.0.0.4", now)
		if a == nil {
			t.Fatalf("a success was throttled (wait %v)", wait)
		}
		th.done(a, true)
	}
}

func TestThrottleForgetsBeyondItsBound(t *testing.T) {
	th := NewThrottle(Limit{Every: time.Hour, Burst: 1}, Limit{Every: time.Nanosecond, Burst: 1 << 30})
	now := time.Now()
	for i := range throttleKeys + 10 {
		if a, _ := th.admit(string(rune(i+0x4e00)), "10.0.0.1", now); a != nil {
			th.done(a, false)
		}
	}
	if n := th.clients.Len(); n != throttleKeys {
		t.Fatalf("%d client ids remembered, want %d", n, throttleKeys)
	}
}

func TestThrottleKey(t *testing.T) {
	if throttleKey("drc_abc") != "drc_abc" || throttleKey("drc_\x00") != throttleKey("\xff") {
		t.Fatal("malformed ids must share one key, well-formed ones keep their own")
	}
	for in, want := range map[string]string{"127.0.0.1:4321": "127.0.0.1", "[::1]:80": "::1", "pipe": "pipe"} {
		if got := remoteHost(in); got != want {
			t.Errorf("remoteHost(%q) = %q, want %q", in, got, want)
		}
	}
}
