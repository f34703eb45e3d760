// Package scengen generates random valid scenarios for the oracle (and for
// differential fuzzing): hosts with 0-2 interfaces, addresses of every class
// near and far from each other, routes, destinations of every address class,
// every hint combination, and gai.conf texts from none to junk.
//
// Every scenario it returns passes (*engine.Scenario).Validate: elements
// are added one at a time and an element that makes the scenario invalid is
// dropped again.
package scengen

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// Gen is a scenario generator. Not safe for concurrent use.
type Gen struct {
	r *rand.Rand
	// state of the scenario being built
	sc     *engine.Scenario
	v4, v6 []netip.Prefix // host prefixes, for near destinations and gateways
}

// New returns a generator seeded with seed (PCG).
func New(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^seed))}
}

// FromBytes builds one scenario driven by data (fuzzer input): the same
// generator reading its random numbers from data, then, when data runs
// out, from a PCG seeded by it.
func FromBytes(data []byte) *engine.Scenario {
	g := &Gen{r: rand.New(&byteSource{data: data})}
	return g.Next()
}

type byteSource struct {
	data []byte
	pcg  *rand.PCG
}

func (s *byteSource) Uint64() uint64 {
	if len(s.data) >= 8 {
		v := binary.LittleEndian.Uint64(s.data)
		s.data = s.data[8:]
		return v
	}
	if s.pcg == nil {
		var seed uint64
		for _, b := range s.data {
			seed = seed*131 + uint64(b)
		}
		s.pcg = rand.NewPCG(seed, uint64(len(s.data)))
		s.data = nil
	}
	return s.pcg.Uint64()
}

func (g *Gen) n(k int) int            { return g.r.IntN(k) }
func (g *Gen) chance(p float64) bool  { return g.r.Float64() < p }
func (g *Gen) pick(s []string) string { return s[g.n(len(s))] }

// try appends via add, and undoes it with undo when the scenario is no
// longer valid.
func (g *Gen) try(add, undo func()) bool {
	add()
	if g.sc.Validate() != nil {
		undo()
		return false
	}
	return true
}

var ifNames = []string{"eth0", "eth1", "wlan0", "ens3", "enp0s31f6", "docker0", "br-lan", "tun0", "wg0", "x", "veth.a_b-c", "fifteen-chars15"}

// Next returns a new random valid scenario.
func (g *Gen) Next() *engine.Scenario {
	// A placeholder destination keeps the scenario valid while the host
	// is built (Validate wants at least one); destinations replaces it.
	sc := &engine.Scenario{Version: 1, Destinations: []netip.Addr{addr4(192, 0, 2, 1)}}
	g.sc, g.v4, g.v6 = sc, nil, nil

	// Interfaces: 0 (10%), 1 (60%), 2 (30%).
	nif := 1
	switch x := g.n(10); {
	case x == 0:
		nif = 0
	case x >= 7:
		nif = 2
	}
	big := g.chance(0.08) // now and then a crowded host
	if big {
		nif = 2 + g.n(3)
	}
	for tries := 0; len(sc.Interfaces) < nif && tries < 20; tries++ {
		name := g.pick(ifNames)
		g.try(func() { sc.Interfaces = append(sc.Interfaces, engine.Interface{Name: name}) },
			func() { sc.Interfaces = sc.Interfaces[:len(sc.Interfaces)-1] })
	}
	for i := range sc.Interfaces {
		fams := g.n(4) // 0,1: both; 2: v4 only; 3: v6 only
		naddr := g.n(5)
		if big {
			naddr = g.n(9)
		}
		for range naddr {
			v6 := g.chance(0.5)
			if fams == 2 {
				v6 = false
			} else if fams == 3 {
				v6 = true
			}
			a := engine.IfAddr{Prefix: g.hostAddr(v6)}
			if g.chance(0.15) {
				a.Deprecated = true
			}
			if v6 && g.chance(0.1) {
				a.Home = true
			}
			addrs := &sc.Interfaces[i].Addresses
			if g.try(func() { *addrs = append(*addrs, a) }, func() { *addrs = (*addrs)[:len(*addrs)-1] }) {
				if v6 {
					g.v6 = append(g.v6, a.Prefix)
				} else {
					g.v4 = append(g.v4, a.Prefix)
				}
			}
		}
	}
	g.routes()
	g.destinations()
	g.hints()
	g.gaiConf()
	return sc
}

// hostAddr returns a random interface address of one family.
func (g *Gen) hostAddr(v6 bool) netip.Prefix {
	if !v6 {
		var a netip.Addr
		bits := []int{8, 16, 24, 24, 24, 20, 30, 31, 32}[g.n(9)]
		switch g.n(8) {
		case 0:
			a = addr4(10, g.n(256), g.n(256), 1+g.n(254))
		case 1:
			a = addr4(172, 16+g.n(16), g.n(256), 1+g.n(254))
			bits = max(bits, 12)
		case 2:
			a = addr4(192, 168, g.n(256), 1+g.n(254))
			bits = max(bits, 16)
		case 3:
			a = addr4(100, 64+g.n(64), g.n(256), 1+g.n(254))
			bits = max(bits, 10)
		case 4:
			a = addr4(169, 254, 1+g.n(254), 1+g.n(254))
			bits = max(bits, 16)
		case 5:
			a = addr4(198, 51, 100, 1+g.n(254))
		case 6:
			a = addr4(203, 0, 113, 1+g.n(254))
		default:
			a = addr4(1+g.n(223), g.n(256), g.n(256), 1+g.n(254))
			if a.As4()[0] == 127 {
				a = addr4(8, 8, 4, 4)
			}
		}
		// Near an existing prefix, so rule 9 has something to compare.
		if len(g.v4) > 0 && g.chance(0.3) {
			p := g.v4[g.n(len(g.v4))]
			a = flipLow(p.Addr(), 32-p.Bits(), g)
			bits = p.Bits()
		}
		return netip.PrefixFrom(a, bits)
	}
	bits := []int{64, 64, 64, 48, 56, 112, 127, 128, 16, 96}[g.n(10)]
	var a netip.Addr
	switch g.n(11) {
	case 0, 1:
		a = addr6("2001:db8:"+hex16(g.n(8))+"::", g)
	case 2:
		a = addr6("2a00:1450:4001:82b::", g)
	case 3:
		a = addr6("fd00:"+hex16(g.n(4))+":beef::", g)
	case 4:
		a = addr6("fc00::", g)
	case 5:
		a = addr6("fe80::", g)
		bits = 64
	case 6:
		a = addr6("fec0::", g)
	case 7:
		a = addr6("2002:c000:0204::", g)
	case 8:
		a = addr6("2001:0:4136:e378::", g)
	case 9:
		a = addr6("64:ff9b::", g)
	default:
		a = addr6("2400:cb00:"+hex16(g.n(65536))+"::", g)
	}
	if len(g.v6) > 0 && g.chance(0.3) {
		p := g.v6[g.n(len(g.v6))]
		a = flipLow(p.Addr(), 128-p.Bits(), g)
		bits = p.Bits()
	}
	return netip.PrefixFrom(a, bits)
}

func addr4(a, b, c, d int) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(a), byte(b), byte(c), byte(d)})
}

func hex16(v int) string { return strconv.FormatInt(int64(v), 16) }

// addr6 is prefix with a random interface identifier (low 64 bits, often
// small).
func addr6(prefix string, g *Gen) netip.Addr {
	b := netip.MustParseAddr(prefix).As16()
	if g.chance(0.6) {
		b[15] = byte(1 + g.n(254))
		b[14] = 0
	} else {
		for i := 8; i < 16; i++ {
			b[i] = byte(g.n(256))
		}
	}
	return netip.AddrFrom16(b)
}

// flipLow returns a with one of its low `host` bits (or a bit just above
// them) changed: an address near a.
func flipLow(a netip.Addr, host int, g *Gen) netip.Addr {
	b := a.AsSlice()
	nbits := len(b) * 8
	span := min(host+8, nbits)
	if span <= 0 {
		return a
	}
	bit := nbits - 1 - g.n(span)
	b[bit/8] ^= 1 << (7 - bit%8)
	out, _ := netip.AddrFromSlice(b)
	return out
}

// routes adds default routes per family (usually) and a few extra ones.
func (g *Gen) routes() {
	sc := g.sc
	add := func(rt engine.Route) bool {
		return g.try(func() { sc.Routes = append(sc.Routes, rt) }, func() { sc.Routes = sc.Routes[:len(sc.Routes)-1] })
	}
	ifname := func() string {
		if len(sc.Interfaces) == 0 {
			return ""
		}
		return sc.Interfaces[g.n(len(sc.Interfaces))].Name
	}
	gateway := func(ps []netip.Prefix) (netip.Addr, string) {
		if len(ps) == 0 {
			return netip.Addr{}, ""
		}
		p := ps[g.n(len(ps))]
		gw := p.Masked().Addr().Next()
		if gw == p.Addr() {
			gw = gw.Next()
		}
		// the interface holding p
		for _, in := range sc.Interfaces {
			for _, a := range in.Addresses {
				if a.Prefix == p {
					return gw, in.Name
				}
			}
		}
		return gw, ""
	}
	if len(g.v4) > 0 && g.chance(0.75) {
		gw, dev := gateway(g.v4)
		rt := engine.Route{To: netip.MustParsePrefix("0.0.0.0/0"), Default: true, Via: gw}
		if g.chance(0.7) {
			rt.Dev = dev
		}
		if g.chance(0.1) {
			rt.Via, rt.Dev, rt.OnLink = addr4(192, 0, 2, 1), ifname(), true
		}
		add(rt)
	}
	if g.chance(0.05) && len(sc.Interfaces) > 0 {
		add(engine.Route{To: netip.MustParsePrefix("0.0.0.0/0"), Default: true, Dev: ifname(), Metric: 100, HasMetric: true})
	}
	if len(g.v6) > 0 && g.chance(0.75) {
		gw, dev := gateway(g.v6)
		rt := engine.Route{To: netip.MustParsePrefix("::/0"), Default: true, Via: gw, Dev: dev}
		if g.chance(0.3) && len(sc.Interfaces) > 0 {
			rt.Via, rt.Dev = netip.MustParseAddr("fe80::1"), ifname()
		}
		if g.chance(0.3) {
			rt.Metric, rt.HasMetric = uint32([]int{0, 1, 100, 1024, 2048}[g.n(5)]), true
		}
		add(rt)
	}
	extra := g.n(3)
	if g.chance(0.1) {
		extra = 3 + g.n(4)
	}
	for range extra {
		v6 := g.chance(0.5)
		var to netip.Prefix
		switch g.n(4) {
		case 0:
			if v6 {
				to = netip.MustParsePrefix("2001:db8:99::/48")
			} else {
				to = netip.MustParsePrefix("10.99.0.0/16")
			}
		case 1:
			if v6 {
				to = netip.MustParsePrefix("2000::/3")
			} else {
				to = netip.MustParsePrefix("8.0.0.0/8")
			}
		case 2:
			if v6 {
				to = netip.MustParsePrefix("fc00::/7")
			} else {
				to = netip.MustParsePrefix("100.64.0.0/10")
			}
		default:
			if v6 {
				to = netip.MustParsePrefix("64:ff9b::/96")
			} else {
				to = netip.MustParsePrefix("169.254.0.0/16")
			}
		}
		rt := engine.Route{To: to}
		ps := g.v4
		if v6 {
			ps = g.v6
		}
		if g.chance(0.5) {
			rt.Via, rt.Dev = gateway(ps)
		} else {
			rt.Dev = ifname()
			if g.chance(0.1) {
				rt.Dev = "lo"
			}
		}
		if len(ps) > 0 && g.chance(0.4) {
			rt.Src = ps[g.n(len(ps))].Addr()
		}
		if g.chance(0.4) {
			rt.Metric, rt.HasMetric = uint32(g.n(3000)), true
		}
		add(rt)
	}
}

// destination classes
var destClasses = []func(g *Gen) netip.Addr{
	func(g *Gen) netip.Addr { return addr6("2a00:1450:4001:82b::", g) },                                       // global
	func(g *Gen) netip.Addr { return addr6("2001:db8:"+hex16(g.n(8))+"::", g) },                               // documentation
	func(g *Gen) netip.Addr { return addr6("fd00:"+hex16(g.n(4))+":beef::", g) },                              // ULA fd
	func(g *Gen) netip.Addr { return addr6("fc00::", g) },                                                     // ULA fc
	func(g *Gen) netip.Addr { return addr6("fe80::", g) },                                                     // link-local
	func(g *Gen) netip.Addr { return addr6("fec0::", g) },                                                     // site-local
	func(g *Gen) netip.Addr { return addr6("2002:c000:0204::", g) },                                           // 6to4
	func(g *Gen) netip.Addr { return addr6("2001:0:4136:e378::", g) },                                         // Teredo
	func(g *Gen) netip.Addr { return prefixed("64:ff9b::", randV4(g)) },                                       // NAT64
	func(g *Gen) netip.Addr { return prefixed("::ffff:0:0", randV4(g)) },                                      // mapped
	func(g *Gen) netip.Addr { return prefixed("::", randV4(g)) },                                              // compatible
	func(g *Gen) netip.Addr { return addr4(127, g.n(2)*g.n(256), 0, 1+g.n(3)) },                               // 127.x
	func(g *Gen) netip.Addr { return netip.IPv6Loopback() },                                                   // ::1
	func(g *Gen) netip.Addr { return addr4(224+g.n(16), 0, 0, 1+g.n(250)) },                                   // v4 multicast
	func(g *Gen) netip.Addr { return netip.MustParseAddr(g.pick(mcast6)) },                                    // v6 multicast
	func(g *Gen) netip.Addr { return addr4(10, g.n(256), g.n(256), 1+g.n(254)) },                              // 10/8
	func(g *Gen) netip.Addr { return addr4(172, 16+g.n(16), g.n(256), 1+g.n(254)) },                           // 172.16/12
	func(g *Gen) netip.Addr { return addr4(192, 168, g.n(256), 1+g.n(254)) },                                  // 192.168/16
	func(g *Gen) netip.Addr { return addr4(100, 64+g.n(64), g.n(256), 1+g.n(254)) },                           // shared
	func(g *Gen) netip.Addr { return addr4(169, 254, g.n(256), 1+g.n(254)) },                                  // v4 link-local
	func(g *Gen) netip.Addr { return randV4(g) },                                                              // public v4
	func(g *Gen) netip.Addr { return []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}[g.n(2)] }, // unspecified
	func(g *Gen) netip.Addr { return addr4(142, 250, 74, 206) },                                               // well-known
	func(g *Gen) netip.Addr { return addr6("2400:cb00::", g) },                                                // another global
}

var mcast6 = []string{"ff02::1", "ff05::2", "ff0e::101", "ff01::1", "ff08::fb"}

func randV4(g *Gen) netip.Addr {
	for {
		a := addr4(1+g.n(223), g.n(256), g.n(256), 1+g.n(254))
		if a.As4()[0] != 127 {
			return a
		}
	}
}

func prefixed(p string, v4 netip.Addr) netip.Addr {
	b := netip.MustParseAddr(p).As16()
	x := v4.As4()
	copy(b[12:], x[:])
	return netip.AddrFrom16(b)
}

func (g *Gen) destinations() {
	sc := g.sc
	sc.Destinations = sc.Destinations[:0]
	n := 1 + g.n(12)
	if g.chance(0.04) {
		n = 13 + g.n(48) // past musl's MAXADDRS (48)
	}
	// A scenario often mixes a few classes only.
	classes := make([]int, 1+g.n(5))
	for i := range classes {
		classes[i] = g.n(len(destClasses))
	}
	for len(sc.Destinations) < n {
		var d netip.Addr
		switch x := g.n(20); {
		case x == 0 && len(sc.Destinations) > 0: // duplicate
			d = sc.Destinations[g.n(len(sc.Destinations))]
		case x <= 3 && len(g.v4)+len(g.v6) > 0: // near a host prefix
			all := append(append([]netip.Prefix{}, g.v4...), g.v6...)
			p := all[g.n(len(all))]
			d = flipLow(p.Addr(), p.Addr().BitLen()-p.Bits(), g)
			if g.chance(0.2) {
				d = p.Addr() // the host's own address
			}
		case x <= 5:
			d = destClasses[g.n(len(destClasses))](g)
		default:
			d = destClasses[classes[g.n(len(classes))]](g)
		}
		if d.Is6() && !d.Is4In6() && (d.IsLinkLocalUnicast() || d.IsLinkLocalMulticast()) && g.chance(0.5) {
			names := []string{"lo"}
			for _, in := range sc.Interfaces {
				names = append(names, in.Name)
			}
			d = d.WithZone(g.pick(names))
		}
		if !g.try(func() { sc.Destinations = append(sc.Destinations, d) }, func() { sc.Destinations = sc.Destinations[:len(sc.Destinations)-1] }) {
			sc.Destinations = append(sc.Destinations, d.WithZone(""))
			if sc.Validate() != nil {
				sc.Destinations = sc.Destinations[:len(sc.Destinations)-1]
				sc.Destinations = append(sc.Destinations, netip.MustParseAddr("192.0.2.1"))
			}
		}
	}
}

func (g *Gen) hints() {
	h := &g.sc.Hints
	switch x := g.n(10); {
	case x < 6:
		h.Family = engine.FamilyUnspec
	case x < 8:
		h.Family = engine.FamilyInet
	default:
		h.Family = engine.FamilyInet6
	}
	for _, f := range []engine.Flags{engine.AIAddrConfig, engine.AIV4Mapped, engine.AIAll} {
		if g.chance(0.3) {
			h.Flags |= f
		}
	}
}

// DefaultLabels and DefaultPrecedence are glibc 2.36's built-in tables
// (sysdeps/posix/getaddrinfo.c default_labels, default_precedence) as
// gai.conf lines.
var DefaultLabels = []string{
	"label ::1/128       0",
	"label ::/0          1",
	"label 2002::/16     2",
	"label ::/96         3",
	"label ::ffff:0:0/96 4",
	"label fec0::/10     5",
	"label fc00::/7      6",
	"label 2001:0::/32   7",
}

var DefaultPrecedence = []string{
	"precedence  ::1/128       50",
	"precedence  ::/0          40",
	"precedence  2002::/16     30",
	"precedence ::/96          20",
	"precedence ::ffff:0:0/96  10",
}

var gaiPrefixes = []string{
	"::/0", "::1/128", "::/96", "::ffff:0:0/96", "2002::/16", "2001::/32", "2001:db8::/32",
	"fc00::/7", "fd00::/8", "fec0::/10", "fe80::/10", "64:ff9b::/96", "2000::/3",
	"::ffff:10.0.0.0/104", "::ffff:192.168.0.0/112", "2a00:1450::/32", "2001:db8:1::/48",
}

var junkLines = []string{
	"label", "label fd00::/8", "precedence ::/0 abc", "foo bar baz", "label fd00::/129 3",
	"label 10.0.0.0/8 3", "precedence ::1 50", "scopev4 ::ffff:0.0.0.0/200 1", "reload maybe",
	"label fd00::/8 -1", "precedence ::/0 4294967296", "labelfd00::/8 1", "#label ::/0 9",
	"label fd00::/8 1 extra", "scopev4 10.0.0.0/33 5", "LABEL ::/0 3", "precedence ::ffff:0:0/96 100 # comment",
	"label\tfd00::/8\t1", "   label fc00::/7 9", "label ::/0 1\r", "", "   ", "label 1::/0 2",
	"label fd00::1/8 4", "scopev4 127.0.0.0/8 0", "precedence ::/0 0x10", "label ::/0 +5",
	// No /LEN: glibc 2.36 crashes (SIGSEGV) or reads a stale pointer; the
	// oracle records a crash as the signal's name.
	"scopev4 10.1.2.3 5", "scopev4 ::ffff:169.254.1.1 2",
}

func (g *Gen) randLine() string {
	switch g.n(8) {
	case 0, 1, 2:
		return "label " + g.pick(gaiPrefixes) + " " + strconv.Itoa(g.n(16))
	case 3, 4:
		return "precedence " + g.pick(gaiPrefixes) + " " + strconv.Itoa(g.n(60))
	case 5:
		return g.scopev4()
	case 6:
		return "reload " + g.pick([]string{"yes", "no", "true", "false"})
	default:
		return g.pick(junkLines)
	}
}

func (g *Gen) scopev4() string {
	v4 := []string{"169.254.0.0/16", "127.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16", "0.0.0.0/0", "100.64.0.0/10", "172.16.0.0/12"}
	p := netip.MustParsePrefix(g.pick(v4))
	s := p.String()
	if g.chance(0.5) { // the mapped form
		s = netip.PrefixFrom(prefixed("::ffff:0:0", p.Addr()), p.Bits()+96).String()
	}
	return "scopev4 " + s + " " + strconv.Itoa([]int{0, 1, 2, 5, 8, 14, 15}[g.n(7)])
}

func (g *Gen) gaiConf() {
	if g.chance(0.45) {
		return
	}
	var lines []string
	switch g.n(10) {
	case 0:
		lines = []string{"label fd00::/8 1"}
	case 1:
		lines = append(append([]string{}, DefaultLabels...), g.randLine())
	case 2:
		for _, l := range DefaultLabels {
			if g.chance(0.6) {
				lines = append(lines, l)
			}
		}
	case 3:
		if g.chance(0.5) {
			lines = []string{"precedence ::ffff:0:0/96  100"} // precedence only
		} else {
			lines = append(append([]string{}, DefaultPrecedence...), "precedence ::ffff:0:0/96  100")
		}
	case 4:
		for range 1 + g.n(3) {
			lines = append(lines, g.scopev4())
		}
	case 5:
		lines = []string{"reload yes", "label fd00::/8 1"}
	case 6:
		lines = []string{"label ::/0 1", "label ::/0 5", "precedence ::/0 40", "precedence ::/0 10"}
	case 7:
		for range 1 + g.n(4) {
			lines = append(lines, g.pick(junkLines))
		}
		lines = append(lines, g.randLine())
	default:
		for range 1 + g.n(6) {
			lines = append(lines, g.randLine())
		}
	}
	if g.chance(0.2) {
		lines = append([]string{"# gai.conf generated by scengen"}, lines...)
	}
	text := strings.Join(lines, "\n")
	if !g.chance(0.1) { // sometimes no final newline
		text += "\n"
	}
	g.sc.GaiConf = text
	if g.sc.Validate() != nil {
		g.sc.GaiConf = ""
	}
}
