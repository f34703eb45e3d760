package engine

import "net/netip"

// RFC6724 is the reference model: the destination address selection of
// RFC 6724 section 6 applied literally, with the section 2.1 default policy
// table and the section 3.2 IPv4 scopes, over the sources the Linux host
// model chooses. It is what the C libraries would do if they followed the
// RFC; no library is its judge.
//
// Where the RFC leaves a choice, this model decides:
//   - Hints as POSIX describes them: the family filters; AI_V4MAPPED with
//     inet6 maps IPv4 answers when there is no IPv6 answer (all of them
//     with AI_ALL); AI_ADDRCONFIG keeps a family only if the host has an
//     address of it other than loopback. Nothing left: EAI_NONAME.
//   - Rules 6 and 8 compare destinations even when neither is usable (the
//     literal reading: rules 2-5, 7 and 9 need sources, 6 and 8 do not).
//   - Rule 7 never decides: the scenario format has no tunnel interfaces,
//     so every destination is reached by native transport.
//   - Rule 9 compares IPv4 with IPv4 (mapped or not) and IPv6 with IPv6,
//     CommonPrefixLen capped at the source's prefix length (section 2.2);
//     a source that is no address of the host (0.0.0.0) counts 0.
//   - The sort is stable (rule 10: "leave the order unchanged").
type RFC6724 struct{}

var rfc6724Info = ModelInfo{
	Name:    "rfc6724",
	Aliases: []string{"rfc-6724"},
	Library: LibraryRFC,
	Summary: "RFC 6724 section 6 applied literally: rules 1-10, the section 2.1 policy table, section 3.2 IPv4 scopes",
	// Rule 7 never decides (see RFC6724).
	Rules: Rules(Rule1Usable, Rule2Scope, Rule3Deprecated, Rule4Home, Rule5Label, Rule6Precedence,
		Rule8Scope, Rule9Prefix, Rule10Order),
}

// Info implements Model.
func (RFC6724) Info() *ModelInfo { return &rfc6724Info }

// Compare implements Model.
func (RFC6724) Compare(a, b *Dest) (int, Rule) { return compareRFC6724(a, b) }

// Policy implements Model.
func (RFC6724) Policy(a netip.Addr) (precedence, label int) { return rfc6724Policy(addr128Of(a)) }

// Quirk implements Model: the choices this model makes where the RFC
// leaves one (see RFC6724).
func (RFC6724) Quirk(k QuirkKind, h *Host) (id, text string) {
	switch k {
	case QuirkAddrConfig:
		return "rfc-addrconfig", "the RFC model keeps a family only if the host has a non-loopback address of it (127/8 and ::1 do not count)"
	case QuirkScope:
		return "rfc-scope", "RFC 6724 section 3.2 gives 127/8 and 169.254/16 link-local scope 2, plain or mapped"
	case QuirkRule9Family:
		return "", "the RFC model compares IPv4 or mapped with IPv4 or mapped, IPv6 with IPv6"
	case QuirkRule9Cap:
		return "uncapped", "RFC 6724 section 2.2 caps rule 9's common prefix length at the source's prefix length"
	case QuirkRule9SourceNotLocal:
		return "rfc-source-not-local", "the RFC model counts a common prefix of 0 when the source is no address of the host (a route's src, 0.0.0.0)"
	}
	return "", ""
}

// rfc6724Precedence and rfc6724Label are the section 2.1 default policy
// table, longest prefix first.
var rfc6724Precedence = rfc6724PrecedenceTable.Compile()
var rfc6724Label = rfc6724LabelTable.Compile()

// rfc6724Policy looks x up once in both tables: they have the same rows
// in the same order (checked by a test), so the row found gives both.
func rfc6724Policy(x addr128) (precedence, label int) {
	if i := rfc6724Precedence.row(x); i >= 0 {
		return rfc6724Precedence.values[i], rfc6724Label.values[i]
	}
	return 0, 0
}

var rfc6724PrecedenceTable = PolicyTable{
	{mustPrefix("::1/128"), 50},
	{mustPrefix("::ffff:0:0/96"), 35},
	{mustPrefix("::/96"), 1},
	{mustPrefix("2001::/32"), 5},
	{mustPrefix("2002::/16"), 30},
	{mustPrefix("3ffe::/16"), 1},
	{mustPrefix("fec0::/10"), 1},
	{mustPrefix("fc00::/7"), 3},
	{mustPrefix("::/0"), 40},
}

var rfc6724LabelTable = PolicyTable{
	{mustPrefix("::1/128"), 0},
	{mustPrefix("::ffff:0:0/96"), 4},
	{mustPrefix("::/96"), 3},
	{mustPrefix("2001::/32"), 5},
	{mustPrefix("2002::/16"), 2},
	{mustPrefix("3ffe::/16"), 12},
	{mustPrefix("fec0::/10"), 11},
	{mustPrefix("fc00::/7"), 13},
	{mustPrefix("::/0"), 1},
}

// rfc6724Scope is the scope of sections 3.1 and 3.2: IPv6 multicast by
// its scope field; link-local unicast and loopback, IPv4 169.254/16 and
// 127/8 included, are link-local (2); fec0::/10 is site-local (5);
// everything else, RFC 1918 IPv4 included, is global (14).
func rfc6724Scope(a netip.Addr) int {
	if a.Is4In6() {
		a = a.Unmap()
	}
	switch {
	case a.IsLoopback() || a.IsLinkLocalUnicast():
		return 2
	case a.Is6() && a.IsMulticast():
		return int(a.As16()[1] & 0x0f)
	case a.Is6() && a.As16()[0] == 0xfe && a.As16()[1]&0xc0 == 0xc0:
		return 5
	}
	return 14
}

// Sort implements Model.
func (m RFC6724) Sort(sc *Scenario, h *Host, out *Result) {
	want4, want6 := posixFamilies(sc, h)
	mapped := sc.Hints.Family == FamilyInet6 && sc.Hints.Flags.Has(AIV4Mapped) && want6
	if mapped && !sc.Hints.Flags.Has(AIAll) {
		for _, a := range sc.Destinations {
			if !a.Is4() {
				mapped = false // an IPv6 answer exists: no mapping
				break
			}
		}
	}
	for _, a := range sc.Destinations {
		switch {
		case a.Is4() && want4:
		case a.Is4() && mapped:
			a = netip.AddrFrom16(a.As16())
		case !a.Is4() && want6:
		default:
			continue
		}
		out.Dests = append(out.Dests, UnknownDest(a, len(out.Dests)))
		m.probe(h, &out.Dests[len(out.Dests)-1])
	}
	if len(out.Dests) == 0 {
		out.Err = EAINoName
		return
	}
	// A stable sort (rule 10 leaves the order unchanged) of indexes, then
	// one permutation of the Dests: insertion for a short list (fewer
	// comparisons than a merge on the lists seen in practice), glibc's
	// merge sort for a long one (n log n). Any stable sort gives the same
	// order: compareRFC6724 is a strict weak order (rule 9, the one rule
	// that compares only within a family, never meets IPv4 and IPv6 of
	// equal precedence: the policy table gives every IPv4 and mapped
	// address precedence 35 and no other address that;
	// TestRFC6724SortIsInsertionSort holds it).
	d := out.Dests
	var idx, tmp [MaxDestinations]uint16
	order := idx[:len(d)]
	for i := range order {
		order[i] = uint16(i)
	}
	if len(order) > 16 {
		msortBy(d, order, tmp[:len(d)], compareRFC6724)
	} else {
		for i := 1; i < len(order); i++ {
			for j := i; j > 0; j-- {
				if c, _ := compareRFC6724(&d[order[j]], &d[order[j-1]]); c >= 0 {
					break
				}
				order[j], order[j-1] = order[j-1], order[j]
			}
		}
	}
	out.permute(order)
	for i := 0; i+1 < len(d); i++ {
		_, r := compareRFC6724(&d[i], &d[i+1])
		out.Decided = append(out.Decided, r)
	}
}

// probe fills in what the rules need to know of one destination.
func (RFC6724) probe(h *Host, d *Dest) {
	a := d.Addr
	d.DestScope = rfc6724Scope(a)
	x := addr128Of(a)
	d.Precedence, d.DestLabel = rfc6724Policy(x)
	c := h.Connect(a)
	if !c.OK() {
		d.Unreachable = c.Err
		return
	}
	d.Usable = true
	d.Source = c.Source
	d.Interface = h.Ifaces[c.Iface]
	d.SourceScope = rfc6724Scope(c.Source)
	d.MatchLen = 0
	if c.SourceAddr < 0 {
		d.SourceLabel, _ = rfc6724Label.Lookup(c.Source)
		return
	}
	sa := &h.Addrs[c.SourceAddr]
	d.SourceLabel, _ = rfc6724Label.lookup128(sa.a128)
	d.SourcePrefixLen = sa.Prefix.Bits()
	// Section 3.2: IPv4 addresses MUST be treated as preferred.
	d.SourceDeprecated = sa.Deprecated && sa.Prefix.Addr().Is6()
	d.SourceHome = sa.Home
	// CommonPrefixLen over the 128-bit forms (IPv4 mapped, as the source's
	// stored form is), less the 96 bits of ::ffff: for IPv4, capped at the
	// source's prefix length.
	d.MatchLen = min(cpl128(sa.a128, x)-prefixOffset(a), d.SourcePrefixLen)
}

// prefixOffset is 96 for IPv4 destinations (CommonPrefixLen over the
// 128-bit form counts ::ffff:), 0 for IPv6.
func prefixOffset(a netip.Addr) int {
	if a.Is4() || a.Is4In6() {
		return 96
	}
	return 0
}

// compareRFC6724 orders two destinations by section 6: negative when a
// goes first, positive when b does, 0 when no rule decides (rule 10 then
// keeps their order). It also returns the rule that decided.
func compareRFC6724(a, b *Dest) (int, Rule) {
	// Rule 1: Avoid unusable destinations.
	if a.Usable != b.Usable {
		return prefer(a.Usable), Rule1Usable
	}
	both := a.Usable && b.Usable
	// Rule 2: Prefer matching scope. If Scope(DA) = Scope(Source(DA)) and
	// Scope(DB) <> Scope(Source(DB)), then prefer DA.
	if both {
		ma, mb := a.DestScope == a.SourceScope, b.DestScope == b.SourceScope
		if ma != mb {
			return prefer(ma), Rule2Scope
		}
	}
	// Rule 3: Avoid deprecated addresses. If Source(DA) is deprecated and
	// Source(DB) is not, then prefer DB.
	if both && a.SourceDeprecated != b.SourceDeprecated {
		return prefer(!a.SourceDeprecated), Rule3Deprecated
	}
	// Rule 4: Prefer home addresses. If Source(DA) is simultaneously a
	// home address and care-of address and Source(DB) is not, prefer DA.
	if both && a.SourceHome != b.SourceHome {
		return prefer(a.SourceHome), Rule4Home
	}
	// Rule 5: Prefer matching label. If Label(Source(DA)) = Label(DA) and
	// Label(Source(DB)) <> Label(DB), then prefer DA.
	if both {
		ma, mb := a.SourceLabel == a.DestLabel, b.SourceLabel == b.DestLabel
		if ma != mb {
			return prefer(ma), Rule5Label
		}
	}
	// Rule 6: Prefer higher precedence. If Precedence(DA) > Precedence(DB),
	// then prefer DA.
	if a.Precedence != b.Precedence {
		return prefer(a.Precedence > b.Precedence), Rule6Precedence
	}
	// Rule 7: Prefer native transport. Never decides here (see RFC6724).
	// Rule 8: Prefer smaller scope. If Scope(DA) < Scope(DB), prefer DA.
	if a.DestScope != b.DestScope {
		return prefer(a.DestScope < b.DestScope), Rule8Scope
	}
	// Rule 9: Use longest matching prefix. When DA and DB belong to the
	// same address family: if CommonPrefixLen(Source(DA), DA) >
	// CommonPrefixLen(Source(DB), DB), then prefer DA.
	if both && prefixOffset(a.Addr) == prefixOffset(b.Addr) && a.MatchLen != b.MatchLen {
		return prefer(a.MatchLen > b.MatchLen), Rule9Prefix
	}
	// Rule 10: Otherwise, leave the order unchanged.
	return 0, Rule10Order
}

// prefer turns "a goes first" into a comparison result.
func prefer(aFirst bool) int {
	if aFirst {
		return -1
	}
	return 1
}

// posixFamilies applies the family hint and AI_ADDRCONFIG as POSIX
// describes them: which families of the name service's answers are kept.
// The inet6 family with AI_V4MAPPED maps IPv4 answers (see RFC6724.Sort).
func posixFamilies(sc *Scenario, h *Host) (want4, want6 bool) {
	want4, want6 = true, true
	if sc.Hints.Flags.Has(AIAddrConfig) {
		want4, want6 = hostFamilies(h)
	}
	switch sc.Hints.Family {
	case FamilyInet:
		want6 = false
	case FamilyInet6:
		want4 = false
	}
	return
}

// hostFamilies reports whether the host has an IPv4 and an IPv6 address
// other than loopback.
func hostFamilies(h *Host) (has4, has6 bool) {
	for i := range h.Addrs {
		a := h.Addrs[i].Prefix.Addr()
		if a.IsLoopback() {
			continue
		}
		if a.Is4() {
			has4 = true
		} else {
			has6 = true
		}
	}
	return
}
