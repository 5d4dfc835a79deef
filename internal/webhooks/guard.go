package webhooks

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// ErrRefusedAddress is the error of a connection to an address webhooks may
// not reach: loopback, private, link-local and other non-public ranges.
var ErrRefusedAddress = errors.New("webhooks: the address is not public")

// MaxURL is the longest webhook URL, in bytes.
const MaxURL = 2048

// nonPublic are the ranges a webhook may not reach beyond those netip names
// (loopback, private, link-local, multicast, unspecified): this network,
// shared address space (carrier-grade NAT), IETF protocol assignments,
// documentation, benchmarking, reserved and broadcast, NAT64, discard and
// documentation ranges of IPv6.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// Public reports whether ip is a public unicast address a webhook may reach.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// control is the dialer's check of every address it connects to, after
// name resolution: a name that resolves to a private address is refused
// when it is dialled, whatever it resolved to when the webhook was created.
func control(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !Public(ap.Addr()) {
			return ErrRefusedAddress
		}
		return nil
	}
}

// CheckURL validates a webhook URL as it is registered: http or https, a
// host, no user info or fragment, at most MaxURL bytes, and unless
// allowPrivate a host that is not, and does not resolve to, a loopback or
// private address. A name that does not resolve now is accepted: every
// delivery checks the addresses it connects to again.
func CheckURL(ctx context.Context, raw string, allowPrivate bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case len(raw) > MaxURL:
		return nil, apperr.New(apperr.Invalid, "url must have at most %d bytes", MaxURL)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.Opaque != "":
		return nil, apperr.New(apperr.Invalid, "url must be an absolute http or https URL")
	case u.User != nil:
		return nil, apperr.New(apperr.Invalid, "url must not carry credentials")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, apperr.New(apperr.Invalid, "url must not have a fragment")
	}
	if allowPrivate {
		return u, nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil, refusedURL()
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !Public(ip) {
			return nil, refusedURL()
		}
		return u, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return u, nil
	}
	for _, a := range addrs {
		if !Public(a) {
			return nil, refusedURL()
		}
	}
	return u, nil
}

func refusedURL() error {
	return apperr.New(apperr.Invalid, "url must reach a public address: loopback, private and link-local addresses are refused (WEBHOOK_ALLOW_PRIVATE=true allows them)")
}
