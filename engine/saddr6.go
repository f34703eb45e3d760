package engine

import "net/netip"

// kernelLabels is the kernel's default IPv6 address-label table
// (net/ipv6/addrlabel.c, ip6addrlbl_init_table; `ip addrlabel list`),
// longest prefix first. Only the kernel's source choice reads it.
var kernelLabels = kernelLabelTable.Compile()

var kernelLabelTable = PolicyTable{
	{mustPrefix("::1/128"), 0},
	{mustPrefix("::/96"), 3},
	{mustPrefix("::ffff:0:0/96"), 4},
	{mustPrefix("2001::/32"), 6},
	{mustPrefix("2001:10::/28"), 7},
	{mustPrefix("2002::/16"), 2},
	{mustPrefix("3ffe::/16"), 12},
	{mustPrefix("fec0::/10"), 11},
	{mustPrefix("fc00::/7"), 5},
	{mustPrefix("::/0"), 1},
}

// kernelLabel is ipv6_addr_label: the longest match, 0xffffffff if none.
func kernelLabel(a netip.Addr) int { return kernelLabels.lookupLabel(addr128Of(a)) }

func (c *CompiledPolicy) lookupLabel(x addr128) int {
	if v, ok := c.lookup128(x); ok {
		return v
	}
	return 0xffffffff
}

// kernelScope6 is __ipv6_addr_src_scope(__ipv6_addr_type(a)) from
// net/ipv6/addrconf_core.c: multicast by its scope field; ::1 is
// link-local ("addr-select 3.4"); fe80::/10 link-local (2); fec0::/10
// site-local (5); :: invalid (-1); everything else global (14), including
// ULA, IPv4-compatible and IPv4-mapped addresses.
func kernelScope6(a netip.Addr) int {
	b := a.As16()
	switch {
	case b[0] == 0xff:
		return int(b[1] & 0x0f)
	case a.IsLoopback():
		return 2
	case b[0] == 0xfe && b[1]&0xc0 == 0x80:
		return 2
	case b[0] == 0xfe && b[1]&0xc0 == 0xc0:
		return 5
	case a.WithZone("") == netip.IPv6Unspecified():
		return -1
	}
	return 14
}

// orchid128 reports whether a is in 2001:10::/28 (ipv6_addr_orchid).
func orchid128(a addr128) bool { return a.hi>>36 == 0x2001001 }

// saddrScore is what ipv6_get_saddr_eval computes of one candidate.
type saddrScore struct {
	idx                          int // index into Host.Addrs
	local, preferred, oif, label bool
	scopeDist, matchLen          int
	orchid                       bool
}

// selectAddr6 is ipv6_dev_get_saddr (net/ipv6/addrconf.c): the source
// address Linux picks for dst when the route leaves through dev (-1: no
// route). Candidates are dev's addresses when dst is multicast or at most
// link-local in scope, else every device's, lo first, each in its list
// order. A candidate replaces the best so far only when strictly better
// at the first rule where they differ, so exact ties keep the first met.
// It returns the index into h.Addrs, or -1 (EADDRNOTAVAIL).
func (h *Host) selectAddr6(dst netip.Addr, x addr128, dev int) int {
	q := saddrQuery{dst: x, scope: kernelScope6(dst), label: kernelLabels.lookupLabel(x), orchid: orchid128(x), dev: dev}
	best := saddrScore{idx: -1}
	if dev >= 0 && (dst.IsMulticast() || q.scope <= 2) {
		h.considerSaddr(dev, &q, &best)
	} else {
		for d := range h.Ifaces {
			h.considerSaddr(d, &q, &best)
		}
	}
	return best.idx
}

// saddrQuery is what the rules need to know of the destination.
type saddrQuery struct {
	dst          addr128
	scope, label int
	orchid       bool
	dev          int
}

// considerSaddr scores interface d's IPv6 addresses, in list order.
func (h *Host) considerSaddr(d int, q *saddrQuery, best *saddrScore) {
	for _, j := range h.ifaceOrder(d) {
		if h.Addrs[j].Prefix.Addr().Is4() {
			continue
		}
		c := h.score6(j, q)
		if best.idx < 0 || better6(&c, best) {
			*best = c
		}
	}
}

func (h *Host) score6(j int, q *saddrQuery) saddrScore {
	a := &h.Addrs[j]
	addr := a.Prefix.Addr()
	s := saddrScore{idx: j}
	// Rule 1: prefer same address.
	s.local = a.a128 == q.dst
	// Rule 2: prefer appropriate scope: the smallest scope that is at
	// least the destination's, else the largest.
	sc := a.kscope
	if sc >= q.scope {
		s.scopeDist = -sc
	} else {
		s.scopeDist = sc - 128
	}
	// Rule 3: avoid deprecated (and optimistic) addresses; mapped,
	// IPv4-compatible and loopback addresses are always preferred.
	s.preferred = !a.Deprecated || addr.IsLoopback() || addr.Is4In6() || isCompat4(addr)
	// Rule 4 (prefer home address) exists only in kernels built with
	// CONFIG_IPV6_MIP6=y ("#ifdef", so not with =m as Debian builds it);
	// measured on Linux 6.18: a home address is not preferred.
	// Rule 5: prefer outgoing interface.
	s.oif = q.dev < 0 || a.Iface == q.dev
	// Rule 6: prefer matching label.
	s.label = a.klabel == q.label
	// Rule 7 (prefer temporary addresses) never decides: the scenario
	// format has no temporary addresses.
	// Rule 8-: ORCHID to ORCHID only.
	s.orchid = orchid128(a.a128) == q.orchid
	// Rule 8: longest matching prefix, capped at the address's prefix.
	s.matchLen = cpl128(a.a128, q.dst)
	if s.matchLen > a.Prefix.Bits() {
		s.matchLen = a.Prefix.Bits()
	}
	return s
}

// better6 reports whether c beats b at the first rule where they differ.
func better6(c, b *saddrScore) bool {
	if c.local != b.local {
		return c.local
	}
	if c.scopeDist != b.scopeDist {
		return c.scopeDist > b.scopeDist
	}
	if c.preferred != b.preferred {
		return c.preferred
	}
	if c.oif != b.oif {
		return c.oif
	}
	if c.label != b.label {
		return c.label
	}
	if c.orchid != b.orchid {
		return c.orchid
	}
	return c.matchLen > b.matchLen
}

// isCompat4 reports whether a is IPv4-compatible (::a.b.c.d, not :: or ::1).
func isCompat4(a netip.Addr) bool {
	b := a.As16()
	for i := 0; i < 12; i++ {
		if b[i] != 0 {
			return false
		}
	}
	return !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1)
}
