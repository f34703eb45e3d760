package engine

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRFC6724Section10 replays the destination address selection examples
// of RFC 6724 section 10.2. The RFC gives each example's candidate source
// addresses; here each is a host on which the Linux host model picks those
// very sources, which the test checks too.
func TestRFC6724Section10(t *testing.T) {
	tests := []struct {
		name           string
		ifaces, routes string
		dests          string
		want           []string
		sources        []string
		rule           Rule
	}{
		{"prefer matching scope (1)",
			"eth0=2001:db8:1::2/64,fe80::1/64,169.254.13.78/16",
			"default via 169.254.0.1 dev eth0; default via 2001:db8:1::ff dev eth0",
			"198.51.100.121 2001:db8:1::1",
			[]string{"2001:db8:1::1", "198.51.100.121"}, []string{"2001:db8:1::2", "169.254.13.78"}, Rule2Scope},
		{"prefer matching scope (2)",
			"eth0=fe80::1/64,198.51.100.117/24",
			"default via fe80::ff dev eth0",
			"2001:db8:1::1 198.51.100.121",
			[]string{"198.51.100.121", "2001:db8:1::1"}, []string{"198.51.100.117", "fe80::1"}, Rule2Scope},
		{"prefer higher precedence",
			"eth0=2001:db8:1::2/64,fe80::1/64,10.1.2.4/8",
			"",
			"10.1.2.3 2001:db8:1::1",
			[]string{"2001:db8:1::1", "10.1.2.3"}, []string{"2001:db8:1::2", "10.1.2.4"}, Rule6Precedence},
		{"prefer smaller scope",
			"eth0=2001:db8:1::2/64,fe80::2/64",
			"",
			"2001:db8:1::1 fe80::1%eth0",
			[]string{"fe80::1%eth0", "2001:db8:1::1"}, []string{"fe80::2", "2001:db8:1::2"}, Rule8Scope},
		{"prefer home address",
			// The care-of address is on eth1; a host route sends
			// 2001:db8:1::1 out of eth0, where the home address is, so
			// the kernel's "prefer outgoing interface" picks it.
			"eth0=2001:db8:3::1/64!home,fe80::2/64;eth1=2001:db8:1::2/64",
			"2001:db8:1::1/128 dev eth0",
			"fe80::1%eth0 2001:db8:1::1",
			[]string{"2001:db8:1::1", "fe80::1%eth0"}, []string{"2001:db8:3::1", "fe80::2"}, Rule4Home},
		{"avoid deprecated addresses",
			"eth0=2001:db8:1::2/64,fe80::2/64!deprecated",
			"",
			"fe80::1%eth0 2001:db8:1::1",
			[]string{"2001:db8:1::1", "fe80::1%eth0"}, []string{"2001:db8:1::2", "fe80::2"}, Rule3Deprecated},
		{"longest matching prefix",
			"eth0=2001:db8:1::2/64,2001:db8:3f44::2/64,fe80::2/64",
			"default via 2001:db8:1::ff dev eth0",
			"2001:db8:3ffe::1 2001:db8:1::1",
			[]string{"2001:db8:1::1", "2001:db8:3ffe::1"}, []string{"2001:db8:1::2", "2001:db8:3f44::2"}, Rule9Prefix},
		{"prefer matching label",
			"eth0=2002:c633:6401::2/48,fe80::2/64",
			"default via 2002:c633:6401::ff dev eth0",
			"2001:db8:1::1 2002:c633:6401::1",
			[]string{"2002:c633:6401::1", "2001:db8:1::1"}, []string{"2002:c633:6401::2", "2002:c633:6401::2"}, Rule5Label},
		{"prefer higher precedence (6to4)",
			"eth0=2002:c633:6401::2/48,2001:db8:1::2/64,fe80::2/64",
			"default via 2001:db8:1::ff dev eth0",
			"2002:c633:6401::1 2001:db8:1::1",
			[]string{"2001:db8:1::1", "2002:c633:6401::1"}, []string{"2001:db8:1::2", "2002:c633:6401::2"}, Rule6Precedence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scenario(t, tt.ifaces, tt.routes, tt.dests)
			r := sortWith(RFC6724{}, sc)
			require.Empty(t, r.Err)
			assert.Equal(t, tt.want, orderStrings(r))
			var srcs []string
			for _, d := range r.Dests {
				srcs = append(srcs, d.Source.String())
			}
			assert.Equal(t, tt.sources, srcs, "sources")
			require.Len(t, r.Decided, 1)
			assert.Equal(t, tt.rule, r.Decided[0])

			// The order must not depend on the input order.
			rev := *sc
			rev.Destinations = append(rev.Destinations[:0:0], sc.Destinations[1], sc.Destinations[0])
			assert.Equal(t, tt.want, orderStrings(sortWith(RFC6724{}, &rev)), "reversed input")
		})
	}
}

func TestRFC6724Container(t *testing.T) {
	ula := scenario(t, "eth0=172.19.0.7/16,fd00:dead:beef::7/64",
		"default via 172.19.0.1 dev eth0; ::/0 via fd00:dead:beef::1 dev eth0",
		"2a00:1450:4001:82b::200e 142.250.74.206")
	r := sortWith(RFC6724{}, ula)
	assert.Equal(t, []string{"142.250.74.206", "2a00:1450:4001:82b::200e"}, orderStrings(r))
	assert.Equal(t, []Rule{Rule5Label}, r.Decided)
	assert.Equal(t, 13, r.Dests[1].SourceLabel, "ULA source label")
	assert.Equal(t, 1, r.Dests[1].DestLabel)

	gua := scenario(t, "eth0=172.19.0.7/16,2001:db8:1::7/64",
		"default via 172.19.0.1 dev eth0; ::/0 via 2001:db8:1::1 dev eth0",
		"142.250.74.206 2a00:1450:4001:82b::200e")
	r = sortWith(RFC6724{}, gua)
	assert.Equal(t, []string{"2a00:1450:4001:82b::200e", "142.250.74.206"}, orderStrings(r))
	assert.Equal(t, []Rule{Rule6Precedence}, r.Decided)
}

func TestRFC6724Hints(t *testing.T) {
	base := func() *Scenario {
		return scenario(t, "eth0=172.19.0.7/16", "default via 172.19.0.1 dev eth0",
			"2a00::1 142.250.74.206 ::1 127.0.0.1")
	}
	tests := []struct {
		name  string
		hints Hints
		want  []string
		err   string
	}{
		{"unspec, no IPv6 route", Hints{}, []string{"::1", "127.0.0.1", "142.250.74.206", "2a00::1"}, ""},
		{"inet", Hints{Family: FamilyInet}, []string{"127.0.0.1", "142.250.74.206"}, ""},
		{"inet6", Hints{Family: FamilyInet6}, []string{"::1", "2a00::1"}, ""},
		{"addrconfig drops IPv6", Hints{Flags: AIAddrConfig}, []string{"127.0.0.1", "142.250.74.206"}, ""},
		{"inet6 addrconfig", Hints{Family: FamilyInet6, Flags: AIAddrConfig}, nil, "EAI_NONAME"},
		{"v4mapped all", Hints{Family: FamilyInet6, Flags: AIV4Mapped | AIAll},
			[]string{"::1", "::ffff:127.0.0.1", "::ffff:142.250.74.206", "2a00::1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := base()
			sc.Hints = tt.hints
			r := sortWith(RFC6724{}, sc)
			assert.Equal(t, tt.err, r.Err.String())
			if tt.err == "" {
				assert.Equal(t, tt.want, orderStrings(r))
			}
		})
	}
}

func BenchmarkRFC6724Container8(b *testing.B) {
	sc := scenario(b, "eth0=172.19.0.7/16,fd00:dead:beef::7/64",
		"default via 172.19.0.1 dev eth0; ::/0 via fd00:dead:beef::1 dev eth0",
		"2a00:1450:4001:82b::200e 142.250.74.206 2a00:1450:4001:82b::200f 142.250.74.207 "+
			"2a00:1450:4001:82b::2010 142.250.74.208 2a00:1450:4001:82b::2011 142.250.74.209")
	var r Result
	var h Host
	b.ReportAllocs()
	for b.Loop() {
		r.Reset("rfc6724")
		h.Reset(sc)
		RFC6724{}.Sort(sc, &h, &r)
	}
}

func TestRFC6724TablesAligned(t *testing.T) {
	require.Len(t, rfc6724LabelTable, len(rfc6724PrecedenceTable))
	for i := range rfc6724LabelTable {
		assert.Equal(t, rfc6724PrecedenceTable[i].Prefix, rfc6724LabelTable[i].Prefix, "row %d", i)
	}
}

// TestCompiledPolicyIndex checks the first-byte index against the plain
// scan of the table, on addresses from every row.
func TestCompiledPolicyIndex(t *testing.T) {
	for _, tab := range []PolicyTable{rfc6724PrecedenceTable, rfc6724LabelTable, kernelLabelTable} {
		c := tab.Compile()
		for _, s := range []string{"::1", "::", "::2", "::1.2.3.4", "::ffff:1.2.3.4", "1.2.3.4", "127.0.0.1",
			"2001::1", "2001:db8::1", "2001:10::1", "2001:1f::1", "2002::1", "3ffe::1", "fec0::1", "feff::1",
			"fe80::1", "fc00::1", "fd00::1", "fe00::1", "ff02::1", "2a00::1", "64:ff9b::1", "100::1"} {
			a := netip.MustParseAddr(s)
			want, wok := tab.Lookup(a)
			got, gok := c.Lookup(a)
			assert.Equal(t, wok, gok, s)
			assert.Equal(t, want, got, s)
		}
	}
}
