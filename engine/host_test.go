package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHostConnect checks the host model against what Linux 6.18 answered
// for connect() + getsockname() on a UDP socket, in a namespace set up as
// each case says (observed with `unshare -n`, veth, addrgenmode none,
// nodad). The oracle checks the same on thousands of random hosts.
func TestHostConnect(t *testing.T) {
	type probe struct{ dst, want string } // want: a source, or an errno
	tests := []struct {
		name           string
		ifaces, routes string
		probes         []probe
	}{
		{"IPv4: primary address, broadcast, local, secondary, loopback",
			"eth0=172.19.0.7/16!deprecated,172.19.0.8/16,10.0.0.5/8",
			"default via 172.19.0.1 dev eth0",
			[]probe{
				// A deprecated IPv4 address is still the primary: the
				// kernel does not avoid it.
				{"8.8.8.8", "172.19.0.7"},
				{"172.19.255.255", "EACCES"},  // subnet broadcast, no SO_BROADCAST
				{"255.255.255.255", "EACCES"}, // limited broadcast
				{"0.0.0.0", "127.0.0.1"},      // "connect to self"
				{"0.1.2.3", "172.19.0.7"},     // no special case for 0/8
				{"224.0.0.9", "172.19.0.7"},   // multicast follows the default route
				{"172.19.0.8", "172.19.0.7"},  // a secondary's local route has the primary as source
				{"10.0.0.5", "10.0.0.5"},      // a primary's own address
				{"10.9.9.9", "10.0.0.5"},      // connected route of 10.0.0.5/8
				{"127.0.0.9", "127.0.0.1"},    // 127/8 is local on lo
				{"::ffff:8.8.8.8", "::ffff:172.19.0.7"},
			}},
		{"IPv6: ties keep the newest address, home addresses are not preferred",
			"eth0=2001:db8::1/64!home,2001:db8::2/64,2001:db8::3/64!deprecated",
			"default via 2001:db8::ff dev eth0",
			[]probe{
				{"2001:db8::99", "2001:db8::2"}, // ::3 deprecated; ::2 newer than ::1 (home not preferred)
				{"2a00::1", "2001:db8::2"},
				{"2001:db8::3", "2001:db8::3"}, // its own address, deprecated or not
				{"::", "::1"},                  // "connect to self if not specified"
				{"::1", "::1"},
				{"ff02::1", "EINVAL"}, // link-scope multicast needs a zone
				{"fe80::1", "EINVAL"}, // so does link-local unicast
				{"ff0e::1", "2001:db8::2"},
			}},
		{"IPv6: newest first among equal candidates",
			"eth0=2001:db8::1/64,2001:db8::2/64,2001:db8:1::3/64",
			"default via 2001:db8::ff dev eth0",
			[]probe{{"2a00::1", "2001:db8:1::3"}}},
		{"no route",
			"eth0=172.19.0.7/16,fd00::7/64",
			"",
			[]probe{{"8.8.8.8", "ENETUNREACH"}, {"2a00::1", "ENETUNREACH"}, {"172.19.5.5", "172.19.0.7"}, {"fd00::99", "fd00::7"}}},
		{"route choice: longest prefix, then metric, and the route's src",
			"eth0=10.0.0.7/24,2001:db8::7/64;eth1=10.1.0.7/24,2001:db8:1::7/64",
			"default via 10.0.0.1 dev eth0; 192.0.2.0/24 via 10.1.0.1 dev eth1; " +
				"198.51.100.0/24 via 10.0.0.1 dev eth0 metric 20; 198.51.100.0/24 via 10.1.0.1 dev eth1 metric 10; " +
				"203.0.113.0/24 via 10.0.0.1 dev eth0 src 10.1.0.7; " +
				"::/0 via 2001:db8::1 dev eth0; 2001:db8:99::/48 via 2001:db8:1::1 dev eth1",
			[]probe{
				{"8.8.8.8", "10.0.0.7"},
				{"192.0.2.1", "10.1.0.7"},
				{"198.51.100.1", "10.1.0.7"},
				{"203.0.113.1", "10.1.0.7"},
				{"2a00::1", "2001:db8::7"},
				// Prefer the outgoing interface (source rule 5) over the
				// longer match.
				{"2001:db8:99::1", "2001:db8:1::7"},
			}},
		{"IPv6 route without a global address: ::1 is the only candidate",
			"eth0=172.19.0.7/16",
			"::/0 dev eth0",
			[]probe{{"2a00::1", "::1"}}},
		{"IPv4 route on an interface without IPv4: source 0.0.0.0",
			"eth0=fd00::7/64",
			"0.0.0.0/0 dev eth0",
			[]probe{{"8.8.8.8", "0.0.0.0"}}},
		{"link-local with a zone",
			"eth0=fe80::7/64,2001:db8::7/64;eth1=fe80::8/64",
			"",
			[]probe{{"fe80::1%eth0", "fe80::7"}, {"fe80::1%eth1", "fe80::8"}, {"fe80::8%eth1", "fe80::8"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scenario(t, tt.ifaces, tt.routes, "")
			h := NewHost(sc)
			for _, p := range tt.probes {
				c := h.Connect(mustAddr(p.dst))
				got := c.Err
				if got == "" {
					got = c.Source.String()
				}
				assert.Equal(t, p.want, got, "connect to %s", p.dst)
			}
		})
	}
}
