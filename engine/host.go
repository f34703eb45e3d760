package engine

import "net/netip"

// Host is the Linux host model of a scenario: its interfaces, addresses and
// routes as the kernel would hold them after the scenario's set-up, and the
// answer connect() + getsockname() would give on a UDP socket (Connect).
// Build one with NewHost; it is read-only afterwards and shared by every
// model answering the same scenario.
type Host struct {
	// Ifaces are the interface names in the kernel's device order: "lo"
	// first (index 0), then the scenario's interfaces as listed.
	Ifaces []string
	// Addrs are every address of the host: lo's 127.0.0.1/8 and ::1/128
	// first, then each interface's addresses in scenario order.
	Addrs []HostAddr

	v4local, v4main []route4
	v6local, v6main []route6
	// order holds, interface by interface, the indexes into Addrs of
	// the interface's addresses in the kernel's list order: IPv4 primaries
	// first (__inet_insert_ifa), IPv6 by scope, newest first
	// (ipv6_link_dev_addr); span[i] is interface i's part of it.
	order []int
	span  []span

	// gaiConfs is the cache of gai.conf files of the Runner this Host
	// belongs to (Runner.Run sets it; Reset keeps it); nil for a Host of
	// its own (NewHost), whose models read the file at every call.
	gaiConfs *gaiConfCache
}

type span struct{ from, to int }

// HostAddr is one address of the host.
type HostAddr struct {
	// Prefix is the address and its prefix length, host bits kept.
	Prefix netip.Prefix
	// Iface is the index into Host.Ifaces of the interface holding it.
	Iface int
	// Deprecated and Home are the address's flags.
	Deprecated bool
	Home       bool
	// Secondary: an IPv4 address in the same subnet (same prefix and
	// length) as an earlier address of the same interface. Linux gives it
	// no connected route and never picks it as a source by itself.
	Secondary bool

	a128           addr128
	kscope, klabel int // IPv6: the kernel's scope and label of the address
}

// Conn is what connect() on a UDP socket to a destination, then
// getsockname(), would report.
type Conn struct {
	// Err is the errno connect() fails with ("ENETUNREACH", "EINVAL",
	// "EACCES", "EADDRNOTAVAIL"), or "" when it succeeds.
	Err string
	// Source is the local address getsockname() reports: IPv4 for an IPv4
	// destination, IPv4-mapped for a mapped destination (an AF_INET6
	// socket connected to an IPv4 address), IPv6 otherwise. It can be
	// 0.0.0.0 when a route exists but the host has no IPv4 address Linux
	// would use. Zero Addr when Err is set.
	Source netip.Addr
	// SourceAddr is the index into Host.Addrs of the source, or -1 when
	// the source is no address of the host (0.0.0.0) or Err is set.
	SourceAddr int
	// Iface is the index into Host.Ifaces of the outgoing interface, -1
	// when Err is set.
	Iface int
}

// OK reports whether connect() succeeded.
func (c Conn) OK() bool { return c.Err == "" }

// Route types of the model (the kernel's RTN_*).
const (
	rtUnicast   uint8 = iota // RTN_UNICAST
	rtLocal                  // RTN_LOCAL: an address of this host
	rtBroadcast              // RTN_BROADCAST: a subnet's broadcast address
	rtMulticast              // RTN_MULTICAST: IPv6 ff00::/8, one per interface
)

// route4 is one IPv4 route of the local or main table.
type route4 struct {
	prefix netip.Prefix // masked
	p128   prefix128    // the same, for fast matching
	kind   uint8
	dev    int        // index into Host.Ifaces
	via    netip.Addr // gateway, zero when none
	src    netip.Addr // preferred source, zero when none
	metric uint32
	// scope is the route's scope: RT_SCOPE_UNIVERSE (0) for a gateway
	// route, RT_SCOPE_LINK (253) for a device route, RT_SCOPE_HOST (254)
	// for a local route. inet_select_addr takes it as its bound.
	scope uint8
}

// route6 is one IPv6 route of the local or main table.
type route6 struct {
	prefix netip.Prefix // masked
	p128   prefix128
	kind   uint8
	dev    int
	via    netip.Addr
	src    netip.Addr
	metric uint32
}

const (
	scopeUniverse uint8 = 0   // RT_SCOPE_UNIVERSE
	scopeLink     uint8 = 253 // RT_SCOPE_LINK
	scopeHost     uint8 = 254 // RT_SCOPE_HOST
)

var (
	loopback4 = netip.MustParsePrefix("127.0.0.1/8")
	loopback6 = netip.MustParsePrefix("::1/128")
)

// NewHost builds the host model of a valid scenario (see
// Scenario.Validate): loopback, then each interface with its addresses,
// the routes the kernel adds for them, then the scenario's routes. It
// never fails; on an invalid scenario the model is merely meaningless.
func NewHost(sc *Scenario) *Host {
	h := new(Host)
	h.Reset(sc)
	return h
}

// Reset rebuilds h as NewHost(sc) would, reusing h's storage: a caller
// answering many scenarios keeps one Host and allocates nothing.
func (h *Host) Reset(sc *Scenario) {
	n := 1 + len(sc.Interfaces)
	h.Ifaces = h.Ifaces[:0]
	h.Addrs = h.Addrs[:0]
	h.order = h.order[:0]
	h.v4local, h.v4main = h.v4local[:0], h.v4main[:0]
	h.v6local, h.v6main = h.v6local[:0], h.v6main[:0]
	if cap(h.span) < n {
		h.span = make([]span, n)
	}
	h.span = h.span[:n]
	h.Ifaces = append(h.Ifaces, "lo")
	for i := range sc.Interfaces {
		h.Ifaces = append(h.Ifaces, sc.Interfaces[i].Name)
	}
	// lo comes up first with its two addresses (scope host): the same on
	// every host, built once (loHost).
	h.Addrs = append(h.Addrs, loHost.Addrs...)
	h.order = append(h.order, loHost.order...)
	h.v4local = append(h.v4local, loHost.v4local...)
	h.v6local = append(h.v6local, loHost.v6local...)
	h.span[0] = loHost.span[0]
	for i := range sc.Interfaces {
		h.span[i+1].from = len(h.order)
		for _, a := range sc.Interfaces[i].Addresses {
			h.addAddr(HostAddr{Prefix: a.Prefix, Iface: i + 1, Deprecated: a.Deprecated, Home: a.Home})
		}
		h.span[i+1].to = len(h.order)
		// Every interface gets the ff00::/8 multicast route when it comes
		// up (addrconf_add_mroute; not on loopback).
		h.v6local = append(h.v6local, route6{prefix: multicast6, p128: multicast6p, kind: rtMulticast, dev: i + 1, metric: 256})
	}
	for i := range sc.Routes {
		h.addRoute(&sc.Routes[i])
	}
}

// loHost is the loopback part of every host.
var loHost = func() *Host {
	h := &Host{Ifaces: []string{"lo"}, span: make([]span, 1)}
	h.addAddr(HostAddr{Prefix: loopback4, Iface: 0})
	h.addAddr(HostAddr{Prefix: loopback6, Iface: 0})
	h.span[0].to = len(h.order)
	return h
}()

var (
	multicast6  = netip.MustParsePrefix("ff00::/8")
	multicast6p = prefix128Of(multicast6)
)

// ifaceOrder returns interface dev's addresses in the kernel's list order.
func (h *Host) ifaceOrder(dev int) []int {
	sp := h.span[dev]
	return h.order[sp.from:sp.to]
}

// addAddr assigns an address as `ip addr add` does, with the routes the
// kernel derives from it.
func (h *Host) addAddr(a HostAddr) {
	idx := len(h.Addrs)
	a.a128 = addr128Of(a.Prefix.Addr())
	if a.Prefix.Addr().Is6() {
		a.kscope = kernelScope6(a.Prefix.Addr())
		a.klabel = kernelLabel(a.Prefix.Addr())
	}
	if a.Prefix.Addr().Is4() {
		h.addAddr4(a, idx)
	} else {
		h.addAddr6(a, idx)
	}
}

// addAddr4 follows __inet_insert_ifa and fib_add_ifaddr (net/ipv4).
func (h *Host) addAddr4(a HostAddr, idx int) {
	subnet := a.Prefix.Masked()
	prim := -1
	for _, j := range h.order[h.span[a.Iface].from:] { // the interface being built is the tail
		if h.Addrs[j].Prefix.Addr().Is4() && h.Addrs[j].Prefix.Bits() == a.Prefix.Bits() && h.Addrs[j].Prefix.Masked() == subnet {
			a.Secondary = true
			if !h.Addrs[j].Secondary && prim < 0 {
				prim = j
			}
		}
	}
	h.Addrs = append(h.Addrs, a)
	// Primaries go after the last primary, secondaries at the end; every
	// address we model has universe scope (lo's 127.0.0.1 is alone on lo).
	// IPv6 addresses share the interface's part of h.order, in a list of
	// their own: only the relative order within a family matters.
	from := h.span[a.Iface].from
	at := len(h.order)
	if !a.Secondary {
		at = from
		for at < len(h.order) && !(h.Addrs[h.order[at]].Prefix.Addr().Is4() && h.Addrs[h.order[at]].Secondary) {
			at++
		}
	}
	h.insertOrder(at, idx)

	addr := a.Prefix.Addr()
	// The local route: a secondary's preferred source is its primary.
	src := addr
	if a.Secondary && prim >= 0 {
		src = h.Addrs[prim].Prefix.Addr()
	}
	sub128 := maskedPrefix128(a.a128, a.Prefix.Bits()+96)
	h.v4local = append(h.v4local, route4{prefix: netip.PrefixFrom(addr, 32), p128: maskedPrefix128(a.a128, 128), kind: rtLocal,
		dev: a.Iface, src: src, scope: scopeHost})
	if a.Secondary || isZeroNet4(subnet.Addr()) || (subnet.Addr() == addr && a.Prefix.Bits() == 32) {
		return
	}
	if a.Iface == 0 {
		// On loopback the prefix route is local too (127.0.0.0/8).
		h.v4local = append(h.v4local, route4{prefix: subnet, p128: sub128, kind: rtLocal, dev: 0, src: addr, scope: scopeHost})
	} else {
		h.v4main = append(h.v4main, route4{prefix: subnet, p128: sub128, kind: rtUnicast, dev: a.Iface, src: addr, scope: scopeLink})
	}
	// The network's broadcast address, "when it makes sense" (< /31).
	if a.Prefix.Bits() < 31 {
		bc := broadcast4(a.Prefix)
		h.v4local = append(h.v4local, route4{prefix: netip.PrefixFrom(bc, 32), p128: maskedPrefix128(addr128Of(bc), 128),
			kind: rtBroadcast, dev: a.Iface, src: addr, scope: scopeLink})
	}
}

// addAddr6 follows ipv6_add_addr and ipv6_link_dev_addr (net/ipv6/addrconf.c):
// each device's list is sorted by scope, wider first, and a new address
// goes before the first one of the same or a narrower scope.
func (h *Host) addAddr6(a HostAddr, idx int) {
	h.Addrs = append(h.Addrs, a)
	addr := a.Prefix.Addr()
	at := h.span[a.Iface].from
	for at < len(h.order) && (h.Addrs[h.order[at]].Prefix.Addr().Is4() || a.kscope < h.Addrs[h.order[at]].kscope) {
		at++
	}
	h.insertOrder(at, idx)

	h.v6local = append(h.v6local, route6{prefix: netip.PrefixFrom(addr, 128), p128: maskedPrefix128(a.a128, 128), kind: rtLocal, dev: a.Iface})
	if a.Iface == 0 {
		return // ::1 brings no prefix route
	}
	p := a.Prefix.Masked()
	for _, r := range h.v6main {
		if r.prefix == p && r.dev == a.Iface && r.kind == rtUnicast && !r.via.IsValid() && r.metric == 256 {
			return
		}
	}
	h.v6main = append(h.v6main, route6{prefix: p, p128: maskedPrefix128(a.a128, a.Prefix.Bits()), kind: rtUnicast, dev: a.Iface, metric: 256})
}

// insertOrder inserts address idx at position at of h.order.
func (h *Host) insertOrder(at, idx int) {
	h.order = append(h.order, 0)
	copy(h.order[at+1:], h.order[at:])
	h.order[at] = idx
}

// addRoute adds a scenario route as `ip route add` would.
func (h *Host) addRoute(r *Route) {
	dev := h.ifaceIndex(r.Dev)
	if r.To.Addr().Is4() {
		if dev < 0 {
			dev = h.gatewayDev4(r.Via)
		}
		scope := scopeUniverse
		if !r.Via.IsValid() {
			scope = scopeLink
		}
		h.v4main = append(h.v4main, route4{prefix: r.To.Masked(), p128: prefix128Of(r.To), kind: rtUnicast, dev: dev, via: r.Via,
			src: r.Src, metric: r.EffectiveMetric(), scope: scope})
		return
	}
	if dev < 0 {
		dev = h.gatewayDev6(r.Via)
	}
	h.v6main = append(h.v6main, route6{prefix: r.To.Masked(), p128: prefix128Of(r.To), kind: rtUnicast, dev: dev, via: r.Via,
		src: r.Src, metric: r.EffectiveMetric()})
}

// ifaceIndex returns the index of the named interface, -1 for none.
func (h *Host) ifaceIndex(name string) int {
	if name == "" {
		return -1
	}
	for i, n := range h.Ifaces {
		if n == name {
			return i
		}
	}
	return -1
}

// gatewayDev4 finds the interface through which an IPv4 gateway is on
// link: the device route that covers it (fib_check_nh without a device).
func (h *Host) gatewayDev4(gw netip.Addr) int {
	best := -1
	bits := -1
	for _, r := range h.v4main {
		if !r.via.IsValid() && r.prefix.Contains(gw) && r.prefix.Bits() > bits {
			best, bits = r.dev, r.prefix.Bits()
		}
	}
	if best < 0 {
		return 0
	}
	return best
}

// gatewayDev6 is gatewayDev4 for IPv6.
func (h *Host) gatewayDev6(gw netip.Addr) int {
	best := -1
	bits := -1
	for _, r := range h.v6main {
		if !r.via.IsValid() && r.prefix.Contains(gw.WithZone("")) && r.prefix.Bits() > bits {
			best, bits = r.dev, r.prefix.Bits()
		}
	}
	if best < 0 {
		return 0
	}
	return best
}

func isZeroNet4(a netip.Addr) bool { return a.Is4() && a.As4()[0] == 0 }

// broadcast4 is the last address of an IPv4 prefix.
func broadcast4(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v |= ^uint32(0) >> uint(p.Bits())
	if p.Bits() == 0 {
		v = ^uint32(0)
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
