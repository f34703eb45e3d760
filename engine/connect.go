package engine

import "net/netip"

// Connect models connect() then getsockname() on a UDP socket to dst, as
// the C libraries probe each destination (section 6 of
// shared/spec/address-selection.md). An IPv4-mapped dst is an AF_INET6
// socket connected to an IPv4 address: Linux routes it as IPv4 and reports
// the source mapped.
func (h *Host) Connect(dst netip.Addr) Conn {
	if dst.Is4In6() {
		c := h.connect4(dst.Unmap())
		if c.OK() {
			c.Source = netip.AddrFrom16(c.Source.As16())
		}
		return c
	}
	if dst.Is4() {
		return h.connect4(dst)
	}
	return h.connect6(dst)
}

func fail(errno string) Conn { return Conn{Err: errno, SourceAddr: -1, Iface: -1} }

// connect4 follows ip4_datagram_connect -> ip_route_connect ->
// ip_route_output_key_hash_rcu (net/ipv4/route.c): the local table, then
// the main table, longest prefix first, then the lowest metric; the source
// is the route's preferred source, else inet_select_addr.
func (h *Host) connect4(dst netip.Addr) Conn {
	if dst == netip.IPv4Unspecified() {
		// "if (!fl4->daddr)": connect to 0.0.0.0 talks to loopback.
		return h.conn4(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
	}
	x := addr128Of(dst)
	r := lookup4(h.v4local, x)
	if r == nil {
		r = lookup4(h.v4main, x)
	}
	if r == nil {
		return fail("ENETUNREACH")
	}
	switch {
	case r.kind == rtBroadcast || dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		// RTCF_BROADCAST without SO_BROADCAST: ip4_datagram_connect
		// returns -EACCES.
		return fail("EACCES")
	case r.kind == rtLocal:
		src := r.src
		if !src.IsValid() {
			src = dst
		}
		return h.conn4(src, r.dev)
	}
	src := r.src
	if !src.IsValid() {
		src = h.selectAddr4(r.dev, r.via, r.scope)
	}
	return h.conn4(src, r.dev)
}

func (h *Host) conn4(src netip.Addr, dev int) Conn {
	return Conn{Source: src, SourceAddr: h.addrIndex(src, -1), Iface: dev}
}

// lookup4 is the longest-prefix match over one table; among routes of the
// same prefix the lowest metric wins, then the one added first.
func lookup4(t []route4, x addr128) *route4 {
	var best *route4
	for i := range t {
		r := &t[i]
		if !r.p128.contains(x) {
			continue
		}
		if best == nil || r.prefix.Bits() > best.prefix.Bits() ||
			(r.prefix.Bits() == best.prefix.Bits() && r.metric < best.metric) {
			best = r
		}
	}
	return best
}

// selectAddr4 is inet_select_addr (net/ipv4/devinet.c): the first primary
// address of dev whose scope is within the route's scope and whose subnet
// holds the gateway, else the first such primary address, else the first
// primary address of any device (lo first) that is neither link- nor
// wider-scoped; 0.0.0.0 when there is none.
func (h *Host) selectAddr4(dev int, gw netip.Addr, scope uint8) netip.Addr {
	var first netip.Addr
	for _, j := range h.ifaceOrder(dev) {
		a := &h.Addrs[j]
		if !a.Prefix.Addr().Is4() || a.Secondary || addrScope4(a) > scope {
			continue
		}
		if !gw.IsValid() || a.Prefix.Masked().Contains(gw) {
			return a.Prefix.Addr()
		}
		if !first.IsValid() {
			first = a.Prefix.Addr()
		}
	}
	if first.IsValid() {
		return first
	}
	for d := range h.Ifaces {
		for _, j := range h.ifaceOrder(d) {
			a := &h.Addrs[j]
			if !a.Prefix.Addr().Is4() || a.Secondary {
				continue
			}
			if s := addrScope4(a); s != scopeLink && s <= scope {
				return a.Prefix.Addr()
			}
		}
	}
	return netip.IPv4Unspecified()
}

// addrScope4 is the scope iproute2 gives an IPv4 address it adds:
// host for 127.0.0.0/8, universe otherwise (default_scope in ip/ipaddress.c).
func addrScope4(a *HostAddr) uint8 {
	if a.Prefix.Addr().As4()[0] == 127 {
		return scopeHost
	}
	return scopeUniverse
}

// addrIndex returns the index in h.Addrs of the address equal to a (on
// interface dev when dev >= 0), or -1.
func (h *Host) addrIndex(a netip.Addr, dev int) int {
	a = a.WithZone("")
	for i := range h.Addrs {
		if h.Addrs[i].Prefix.Addr() == a && (dev < 0 || h.Addrs[i].Iface == dev) {
			return i
		}
	}
	return -1
}

// connect6 follows __ip6_datagram_connect and ip6_dst_lookup_tail
// (net/ipv6): a destination that needs a zone fails without one; the
// route comes from the local table, then the main table; the source is the
// route's preferred source, else ipv6_dev_get_saddr over the route's device.
func (h *Host) connect6(dst netip.Addr) Conn {
	oif := -1
	if z := dst.Zone(); z != "" {
		oif = h.ifaceIndex(z)
	}
	d := dst.WithZone("")
	if d == netip.IPv6Unspecified() {
		// "connect to self if not specified".
		d = netip.IPv6Loopback()
	}
	if needsScopeID(d) && oif < 0 {
		// "Connect to link-local address requires an interface".
		return fail("EINVAL")
	}
	strict := oif >= 0 || needsStrict(d)
	x := addr128Of(d)
	r := lookup6(h.v6local, x, oif, strict)
	if r == nil {
		r = lookup6(h.v6main, x, oif, strict)
	}
	if r != nil && r.src.IsValid() {
		return Conn{Source: r.src, SourceAddr: h.addrIndex(r.src, -1), Iface: r.dev}
	}
	dev := -1
	if r != nil {
		dev = r.dev
	}
	src := h.selectAddr6(d, x, dev)
	if src < 0 {
		return fail("EADDRNOTAVAIL")
	}
	if r == nil {
		return fail("ENETUNREACH")
	}
	return Conn{Source: h.Addrs[src].Prefix.Addr(), SourceAddr: src, Iface: r.dev}
}

// needsScopeID is __ipv6_addr_needs_scope_id: link-local unicast and
// interface- or link-local multicast.
func needsScopeID(a netip.Addr) bool {
	if a.IsMulticast() {
		s := a.As16()[1] & 0x0f
		return s == 1 || s == 2
	}
	return a.IsLinkLocalUnicast()
}

// needsStrict is rt6_need_strict: multicast, link-local and loopback
// destinations must be reached through the socket's interface.
func needsStrict(a netip.Addr) bool {
	return a.IsMulticast() || a.IsLinkLocalUnicast() || a.IsLoopback()
}

// lookup6 is the longest-prefix match over one table, then the lowest
// metric, then the first added; with strict set, only routes through
// the interface oif count (rt6_check_dev; oif -1 matches any).
func lookup6(t []route6, x addr128, oif int, strict bool) *route6 {
	var best *route6
	for i := range t {
		r := &t[i]
		if !r.p128.contains(x) {
			continue
		}
		if strict && oif >= 0 && r.dev != oif {
			continue
		}
		if best == nil || r.prefix.Bits() > best.prefix.Bits() ||
			(r.prefix.Bits() == best.prefix.Bits() && r.metric < best.metric) {
			best = r
		}
	}
	return best
}
