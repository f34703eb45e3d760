package engine

import (
	"math/bits"
	"net/netip"
	"strconv"
	"strings"
)

// MuslModel is musl's getaddrinfo (src/network/getaddrinfo.c and
// src/network/lookup_name.c) at version V: the /etc/hosts lines in file
// order up to MAXADDRS = 48, the AI_V4MAPPED filter, then, unless the list
// is IPv4 only, one 31-bit key per address (MuslKey) and a qsort in
// descending key order. It implements RFC 6724 rules 1, 2, 5, 6, 8, 9 and
// 10 only, with a fixed policy table; it has no gai.conf. The code is read
// at tag v1.2.3; the zero MuslModel is musl 1.2.3.
//
// The versions modelled share this path: the sort, the policy table, the
// cap and the hosts-file reader are unchanged from 1.2.2 to 1.2.6 by
// source. What changed is the DNS path (1.2.4: AAAA answers read before A,
// commit 8c408937; TCP fallback; 1.2.5: larger answer buffers), which the
// scenario format does not reach yet: every name comes from /etc/hosts.
type MuslModel struct {
	V MuslVersion
}

// MuslVersion is a musl release that MuslModel reproduces.
type MuslVersion uint8

const (
	_       MuslVersion = iota
	Musl122             // Debian 11
	Musl123             // Debian 12, Alpine 3.16-3.17
	Musl125             // Debian 13, Alpine 3.20+
	Musl126             // Debian unstable (December 2026)
)

// MuslNewest is the newest musl modelled: the one "musl" names.
const MuslNewest = Musl126

var muslVersionNames = [...]string{"1.2.3", "1.2.2", "1.2.3", "1.2.5", "1.2.6"}

// muslDebian: the Debian suite of each version (the oracle's source).
var muslDebian = [...]string{Musl122: "bullseye", Musl123: "bookworm", Musl125: "trixie", Musl126: "sid"}

// muslShips: the Debian releases are the packages the oracle runs; Alpine's
// releases are matched by package version only (Alpine's 1.2.3 carries
// one backport, 7d568410, AI_ADDRCONFIG's errno).
var muslShips = [...]string{
	Musl122: "Debian 11 (bullseye), run by the oracle",
	Musl123: "Debian 12 (bookworm), run by the oracle; Alpine 3.16-3.17 by package version",
	Musl125: "Debian 13 (trixie), run by the oracle; Alpine 3.20 and later by package version",
	Musl126: "Debian unstable (sid, December 2026), run by the oracle",
}

// String is the version number ("1.2.5"); the zero version is 1.2.3.
func (v MuslVersion) String() string {
	if int(v) < len(muslVersionNames) {
		return muslVersionNames[v]
	}
	return "?"
}

// noData: EAI_NODATA where a hosts line of the other family matched, or
// the asked family is not configured (commit 85050ac5, musl 1.2.4; 1.2.3
// said EAI_NONAME).
func (v MuslVersion) noData() bool { return v >= Musl125 }

func (m MuslModel) version() MuslVersion {
	if m.V == 0 || int(m.V) >= len(muslInfos) {
		return Musl123
	}
	return m.V
}

// muslInfos are the versions' registry entries, by MuslVersion.
var muslInfos = func() []ModelInfo {
	out := make([]ModelInfo, len(muslVersionNames))
	for v := Musl122; v <= MuslNewest; v++ {
		out[v] = ModelInfo{
			Name:    "musl-" + v.String(),
			Library: LibraryMusl,
			Version: v.String(),
			Summary: "musl " + v.String() + ": hosts order capped at 48, IPv4-only lists unsorted, one 31-bit key per address (rules 1, 2, 5, 6, 8, 9, 10), fixed policy table, no gai.conf",
			Ships:   muslShips[v],
			Debian:  muslDebian[v],
			// The key's fields (MuslKey), highest first.
			Rules:    Rules(Rule1Usable, Rule2Scope, Rule5Label, Rule6Precedence, Rule8Scope, Rule9Prefix, Rule10Order),
			MaxAddrs: muslMaxAddrs,
		}
		if v == MuslNewest {
			out[v].Aliases = []string{"musl"}
		}
	}
	out[0] = out[Musl123]
	return out
}()

// Info implements Model.
func (m MuslModel) Info() *ModelInfo { return &muslInfos[m.version()] }

// Compare implements Model: addrcmp, the key's fields compared one by one
// from the values they were made of (the key itself is Dest.Key; a test
// holds the two to the same verdict).
func (MuslModel) Compare(a, b *Dest) (int, Rule) {
	// DAS_USABLE (rule 1).
	if a.Usable != b.Usable {
		return prefer(a.Usable), Rule1Usable
	}
	// DAS_MATCHINGSCOPE (rule 2), set only for a usable destination.
	if ma, mb := a.Usable && a.DestScope == a.SourceScope, b.Usable && b.DestScope == b.SourceScope; ma != mb {
		return prefer(ma), Rule2Scope
	}
	// DAS_MATCHINGLABEL (rule 5), likewise.
	if ma, mb := a.Usable && a.DestLabel == a.SourceLabel, b.Usable && b.DestLabel == b.SourceLabel; ma != mb {
		return prefer(ma), Rule5Label
	}
	// The precedence (rule 6), usable or not.
	if a.Precedence != b.Precedence {
		return prefer(a.Precedence > b.Precedence), Rule6Precedence
	}
	// 15 - scope (rule 8): the smaller scope first.
	if a.DestScope != b.DestScope {
		return prefer(a.DestScope < b.DestScope), Rule8Scope
	}
	// The prefix match (rule 9), over the 16-byte forms, across families;
	// 0 in the key for an unusable destination.
	if pa, pb := max(a.MatchLen, 0), max(b.MatchLen, 0); pa != pb {
		return prefer(pa > pb), Rule9Prefix
	}
	// 48 - position (rule 10).
	if a.Index != b.Index {
		return prefer(a.Index < b.Index), Rule10Order
	}
	return 0, RuleNone
}

// Policy implements Model: policyof on the 16-byte form.
func (MuslModel) Policy(a netip.Addr) (precedence, label int) {
	b := a.As16()
	p := muslPolicyOf(&b)
	return int(p.prec), int(p.label)
}

// Quirk implements Model.
func (m MuslModel) Quirk(k QuirkKind, h *Host) (id, text string) {
	v := m.version()
	switch k {
	case QuirkAddrConfig:
		return "musl-addrconfig", "musl counts a family as configured when a UDP connect() to its loopback address works (with lo up: always)"
	case QuirkZone:
		return "musl-zone", "musl accepts a zone only as a number or, on a link-local address, as the name of an existing interface; other zoned lines fail (EAI_NONAME for that line)"
	case QuirkMaxAddrs:
		return "musl-maxaddrs-48", "musl keeps at most MAXADDRS = 48 addresses and stops reading /etc/hosts at the 48th"
	case QuirkDNSFallback:
		return "musl-dns-fallback", "no /etc/hosts line of the asked family: musl falls through to DNS (nameserver 127.0.0.1, nothing listens) and times out with EAI_AGAIN"
	case QuirkUnsorted:
		return "musl-unsorted", "musl " + v.String() + " does not sort a list when every address is IPv4 or the family asked for is inet (lookup_name.c returns early): it keeps the /etc/hosts order"
	case QuirkScope:
		return "musl-scope", "musl looks an IPv4 address up in its mapped form, so 127/8 and 169.254/16 get global scope 14"
	case QuirkNoData:
		if !v.noData() {
			return "", ""
		}
		return "musl-nodata", "musl " + v.String() + " answers EAI_NODATA when the name's /etc/hosts lines are all of the other family, or the asked family is not configured (commit 85050ac5, musl 1.2.4); musl 1.2.3 and glibc say EAI_NONAME"
	case QuirkRule9Family:
		return "musl-cross-family", "musl's key compares the prefix match of any two destinations, all in 128-bit form (a plain IPv4 destination against a mapped or an IPv6 one too)"
	}
	return "", ""
}

// muslPolicy is one row of musl's defpolicy: the address matches when its
// first len bytes equal addr's and its next byte, under mask, equals
// addr[len].
type muslPolicy struct {
	addr        [16]byte
	len, mask   uint8
	prec, label uint8
}

// muslDefPolicy is defpolicy (lookup_name.c, musl 1.2.3), scanned in array
// order by policyof, first match wins. The source comments: "So far the
// label/precedence table cannot be customized."
var muslDefPolicy = [...]muslPolicy{
	{addr: [16]byte{15: 1}, len: 15, mask: 0xff, prec: 50, label: 0},              // ::1/128
	{addr: [16]byte{10: 0xff, 11: 0xff}, len: 11, mask: 0xff, prec: 35, label: 4}, // ::ffff:0:0/96
	{addr: [16]byte{0x20, 0x02}, len: 1, mask: 0xff, prec: 30, label: 2},          // 2002::/16 (6to4)
	{addr: [16]byte{0x20, 0x01}, len: 3, mask: 0xff, prec: 5, label: 5},           // 2001::/32: len 3 compares 2001:00 then byte 3 under 0xff, i.e. 2001:0000::/32 (Teredo)
	{addr: [16]byte{0xfc}, len: 0, mask: 0xfe, prec: 3, label: 13},                // fc00::/7 (ULA)
	// #if 0 in musl 1.2.3 ("These are deprecated and/or returned to the
	// address pool, so despite the RFC, treating them as special is
	// probably wrong."), so these RFC 6724 rows fall to ::/0 (40, 1):
	//   { "", 11, 0xff, 1, 3 }           ::/96     (IPv4-compatible)
	//   { "\xfe\xc0", 1, 0xc0, 1, 11 }   fec0::/10 (site-local)
	//   { "\x3f\xfe", 1, 0xff, 1, 12 }   3ffe::/16 (6bone)
	// "Last rule must match all addresses to stop loop."
	{len: 0, mask: 0, prec: 40, label: 1}, // ::/0
}

// muslPolicyOf is policyof: the first row of defpolicy matching a (16-byte
// form). The last row matches everything. Each row's "len whole bytes,
// then one byte under mask" test is the 128-bit mask muslPolicyMasks
// holds, so a row is two 64-bit compares.
func muslPolicyOf(a *[16]byte) *muslPolicy {
	hi, lo := be64(a[:8]), be64(a[8:])
	for i := range muslPolicyMasks {
		m := &muslPolicyMasks[i]
		if hi&m.mhi == m.vhi && lo&m.mlo == m.vlo {
			return &muslDefPolicy[i]
		}
	}
	return &muslDefPolicy[len(muslDefPolicy)-1]
}

// muslPolicyMask is one defpolicy row as a 128-bit mask and value.
type muslPolicyMask struct{ mhi, mlo, vhi, vlo uint64 }

// muslPolicyMasks are defpolicy's rows as masks: bytes 0..len-1 whole,
// byte len under mask (policyof's memcmp then masked byte compare).
var muslPolicyMasks = func() (out [len(muslDefPolicy)]muslPolicyMask) {
	for i := range muslDefPolicy {
		p := &muslDefPolicy[i]
		var m, v [16]byte
		for j := 0; j < int(p.len); j++ {
			m[j], v[j] = 0xff, p.addr[j]
		}
		m[p.len], v[p.len] = p.mask, p.addr[p.len]
		out[i] = muslPolicyMask{be64(m[:8]), be64(m[8:]),
			be64(v[:8]), be64(v[8:])}
	}
	return out
}()

// muslLabelOf is labelof.
func muslLabelOf(a *[16]byte) int { return int(muslPolicyOf(a).label) }

// muslScopeOf is scopeof on the 16-byte form. IPv4 always reaches it
// mapped, so 127.0.0.1 and 169.254.x.y are scope 14 here (RFC 6724 section
// 3.2 gives them 2): musl 1.2.3 has no IPv4 scope table.
func muslScopeOf(a *[16]byte) int {
	switch {
	case a[0] == 0xff: // IN6_IS_ADDR_MULTICAST
		return int(a[1] & 15)
	case a[0] == 0xfe && a[1]&0xc0 == 0x80: // IN6_IS_ADDR_LINKLOCAL
		return 2
	case *a == [16]byte{15: 1}: // IN6_IS_ADDR_LOOPBACK
		return 2
	case a[0] == 0xfe && a[1]&0xc0 == 0xc0: // IN6_IS_ADDR_SITELOCAL
		return 5
	}
	return 14
}

// muslPrefixMatch is prefixmatch: leading equal bits over all 128 bits.
// musl 1.2.3's FIXME says RFC 6724 caps this at the source's prefix length;
// musl does not (it does not know it), so two mapped IPv4 addresses share
// at least the 96 bits of ::ffff: and an IPv6 pair counts past /64.
func muslPrefixMatch(s, d *[16]byte) int {
	if x := be64(s[:8]) ^ be64(d[:8]); x != 0 {
		return bits.LeadingZeros64(x)
	}
	return 64 + bits.LeadingZeros64(be64(s[8:])^be64(d[8:]))
}

// Sort answers sc as musl 1.2.3's getaddrinfo(name, NULL, hints) with
// socktype SOCK_STREAM (one addrinfo per address).
func (m MuslModel) Sort(sc *Scenario, h *Host, out *Result) {
	muslSort(sc, h, h, m.version(), out)
}

// muslConnector is what musl asks the kernel: connect() + getsockname()
// on a UDP socket of the destination's family (Host.Connect).
type muslConnector interface {
	Connect(dst netip.Addr) Conn
}

// muslSort is Sort with the kernel's answers taken from k (h, except in
// tests replaying answers a real kernel gave).
func muslSort(sc *Scenario, h *Host, k muslConnector, v MuslVersion, out *Result) {
	// musl has no /etc/gai.conf (lookup_name.c: "So far the
	// label/precedence table cannot be customized").
	if sc.GaiConf != "" {
		out.Notes = append(out.Notes, Note{Kind: NoteGaiConfIgnored,
			Text: "musl does not read /etc/gai.conf (no version does): its label and precedence table is fixed in lookup_name.c, so nothing in this file can change musl's order"})
	}

	family := sc.Hints.Family
	flags := sc.Hints.Flags

	// getaddrinfo.c: AI_ADDRCONFIG means "a socket of the family can be
	// created and its loopback address (127.0.0.1, ::1) is routable":
	// a UDP connect() to it. IPv4 is tested unless the family is inet6,
	// IPv6 unless it is inet. A failure with EADDRNOTAVAIL, EAFNOSUPPORT,
	// EHOSTUNREACH, ENETDOWN or ENETUNREACH removes that family; any other
	// errno is EAI_SYSTEM. If the removed family was the one asked for,
	// 1.2.3 fails with EAI_NONAME at once; 1.2.4 (commit 85050ac5) looks
	// the other family up and answers EAI_NODATA unless that lookup fails.
	// With lo up both connects succeed, so the flag changes nothing.
	noFamily := false
	if flags.Has(AIAddrConfig) {
		for i := 0; i < 2; i++ {
			this, other := FamilyInet, FamilyInet6
			lo := netip.AddrFrom4([4]byte{127, 0, 0, 1})
			if i == 1 {
				this, other = FamilyInet6, FamilyInet
				lo = netip.IPv6Loopback()
			}
			if family == other {
				continue
			}
			c := k.Connect(lo)
			if c.OK() {
				continue
			}
			switch c.Err {
			case "EADDRNOTAVAIL", "EAFNOSUPPORT", "EHOSTUNREACH", "ENETDOWN", "ENETUNREACH":
			default:
				out.Err = EAISystem
				return
			}
			if family == this {
				if !v.noData() {
					out.Err = EAINoName
					return
				}
				noFamily = true
			}
			family = other
		}
	}

	// __lookup_name: "a request for v6 addresses with the v4-mapped flag
	// set is like a request for unspecified family, followed by filtering
	// of the results". With any other family AI_V4MAPPED is dropped (and
	// AI_ALL then means nothing).
	v4mapped := false
	lookup := family
	if flags.Has(AIV4Mapped) && family == FamilyInet6 {
		v4mapped = true
		lookup = FamilyUnspec
	}

	// buf is __lookup_name's struct address array, held as indexes into
	// sc.Destinations; mapped tells that AI_V4MAPPED turned its IPv4
	// entries into IPv4-mapped AF_INET6 ones. An address written
	// ::ffff:a.b.c.d is AF_INET6 already (inet_pton parses it so).
	var buf [muslMaxAddrs]int32
	mapped := false
	addr := func(i int) netip.Addr {
		a := sc.Destinations[buf[i]]
		if mapped && a.Is4() {
			return netip.AddrFrom16(a.As16())
		}
		return a
	}
	isV4 := func(i int) bool { return !mapped && sc.Destinations[buf[i]].Is4() }

	// name_from_hosts: every /etc/hosts line naming the host, in file
	// order, while fewer than MAXADDRS addresses were kept. A line of the
	// wrong family (or a zone musl rejects) is skipped and remembered
	// (badfam = EAI_NONAME; EAI_NODATA from 1.2.4, commit 85050ac5).
	cnt, badfam, skipped := 0, false, 0
	read := 0
	for read < len(sc.Destinations) && cnt < muslMaxAddrs {
		d := sc.Destinations[read]
		read++
		v4 := d.Is4()
		if (v4 && lookup == FamilyInet6) || (!v4 && lookup == FamilyInet) || !muslZoneOK(d, h) {
			// __lookup_ipliteral returns EAI_NONAME: wrong family, a
			// named zone on an address that is not link-local, or an
			// unknown interface.
			badfam = true
			skipped++
			continue
		}
		buf[cnt] = int32(read - 1)
		cnt++
	}
	if cnt == 0 {
		if badfam {
			out.Err = EAINoName
			if v.noData() {
				out.Err = EAINoData
			}
			return
		}
		// No line at all: musl goes on to DNS (name_from_dns_search). In
		// the reference set-up resolv.conf names 127.0.0.1, where nothing
		// listens; the queries time out and name_from_dns returns
		// EAI_AGAIN (no answer is shorter than 4 bytes).
		out.Err = EAIAgain
		out.Notes = append(out.Notes, Note{Kind: NoteDNSFallback,
			Text: "no /etc/hosts line gave an address, so musl asks DNS; with nameserver 127.0.0.1 and nothing listening the queries time out: EAI_AGAIN"})
		return
	}
	if noFamily {
		// 1.2.4+: the asked family is not configured; the other one was
		// looked up only to tell a missing name from a missing family.
		out.Err = EAINoData
		return
	}
	if skipped > 0 {
		out.Notes = append(out.Notes, Note{Kind: NoteFiltered,
			Text: "musl skipped " + itoa(skipped) + " /etc/hosts line(s) of the wrong family (or with a zone it rejects)"})
	}
	if read < len(sc.Destinations) {
		out.Notes = append(out.Notes, Note{Kind: NoteTruncated,
			Text: "musl keeps at most MAXADDRS = 48 addresses and stops reading /etc/hosts at the 48th: it never saw " +
				muslList(sc.Destinations[read:], read)})
	}

	// The AI_V4MAPPED filter: without AI_ALL, if any IPv6 result exists
	// the IPv4 ones are removed; the remaining IPv4 results become
	// IPv4-mapped AF_INET6 addresses.
	if v4mapped {
		if !flags.Has(AIAll) {
			has6 := false
			for i := 0; i < cnt; i++ {
				if !isV4(i) {
					has6 = true
					break
				}
			}
			if has6 {
				j := 0
				for i := 0; i < cnt; i++ {
					if !isV4(i) {
						buf[j] = buf[i]
						j++
					}
				}
				if j < cnt {
					out.Notes = append(out.Notes, Note{Kind: NoteFiltered,
						Text: "AI_V4MAPPED without AI_ALL: IPv6 answers exist, so musl drops the " + itoa(cnt-j) + " IPv4 one(s)"})
				}
				cnt = j
			}
		}
		mapped = true
	}

	// "No further processing is needed if there are fewer than 2 results
	// or if there are only IPv4 results."
	sorted := cnt >= 2 && family != FamilyInet
	if sorted {
		sorted = false
		for i := 0; i < cnt; i++ {
			if !isV4(i) {
				sorted = true
				break
			}
		}
	}
	if !sorted {
		for i := 0; i < cnt; i++ {
			out.Dests = append(out.Dests, UnknownDest(addr(i), i))
		}
		for i := 0; i+1 < cnt; i++ {
			out.Decided = append(out.Decided, RuleUnsorted)
		}
		if cnt >= 2 {
			why := "every address is IPv4"
			if family == FamilyInet {
				why = "the family asked for is inet"
			}
			out.Notes = append(out.Notes, Note{Kind: NoteUnsorted,
				Text: "musl does not sort this list (" + why + "): it returns the /etc/hosts order"})
		}
		return
	}

	// The key of each address, in array order.
	// The Dests are built in array order, then permuted into key order.
	var keys [muslMaxAddrs]uint32
	base := len(out.Dests)
	for i := 0; i < cnt; i++ {
		out.Dests = append(out.Dests, Dest{})
	}
	for i := 0; i < cnt; i++ {
		a := addr(i)
		muslDest(&out.Dests[base+i], h, a, i, k.Connect(a))
		keys[i] = out.Dests[base+i].Key
	}
	// qsort(buf, cnt, sizeof *buf, addrcmp): descending key. Keys are
	// unique, so any sort algorithm gives musl's result; the low 8 bits
	// of a key are 48 - position, which finds the Dest again.
	ks := keys[:cnt]
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] > ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	// Slot j takes the Dest at position 48 - (ks[j] & 0xff): follow each
	// cycle of that permutation with one spare Dest.
	ds := out.Dests[base:]
	var done uint64
	for j := range ks {
		if done&(1<<j) != 0 {
			continue
		}
		tmp := ds[j]
		for x := j; ; {
			done |= 1 << x
			src := muslMaxAddrs - int(ks[x]&0xff)
			if src == j {
				ds[x] = tmp
				break
			}
			ds[x] = ds[src]
			x = src
		}
	}
	for i := 0; i+1 < len(ds); i++ {
		out.Decided = append(out.Decided, MuslKey(ds[i].Key).Decides(MuslKey(ds[i+1].Key)))
	}
}

// muslDest computes the key of address a at array position i as
// __lookup_name does: policy and scope of the destination in 16-byte form,
// then c, the result of connect() and getsockname() on a UDP socket of the
// destination's own family (AF_INET for IPv4 since musl 1.1.20, AF_INET6
// for IPv6 and mapped, the zone as sin6_scope_id): Host.Connect models
// exactly that. h only names the interface and the source's flags.
func muslDest(d *Dest, h *Host, a netip.Addr, i int, c Conn) {
	*d = UnknownDest(a, i)
	da6 := a.As16()
	pol := muslPolicyOf(&da6)
	dscope := muslScopeOf(&da6)
	d.DestScope = dscope
	d.DestLabel = int(pol.label)
	d.Precedence = int(pol.prec)
	var matchScope, matchLabel bool
	prefix := 0
	if c.OK() {
		d.Usable = true
		d.Source = c.Source
		if c.Iface >= 0 && c.Iface < len(h.Ifaces) {
			d.Interface = h.Ifaces[c.Iface]
		}
		if c.SourceAddr >= 0 && c.SourceAddr < len(h.Addrs) {
			d.SourcePrefixLen = h.Addrs[c.SourceAddr].Prefix.Bits()
			d.SourceDeprecated = h.Addrs[c.SourceAddr].Deprecated
			d.SourceHome = h.Addrs[c.SourceAddr].Home
		}
		// For AF_INET the source is put in mapped form (sa6 starts as
		// ::ffff:0.0.0.0); an AF_INET6 socket reports it as it is.
		sa6 := c.Source.As16()
		if !c.Source.IsValid() {
			sa6 = [16]byte{}
		}
		sscope := muslScopeOf(&sa6)
		slabel := muslLabelOf(&sa6)
		d.SourceScope = sscope
		d.SourceLabel = slabel
		matchScope = sscope == dscope
		matchLabel = slabel == int(pol.label)
		prefix = muslPrefixMatch(&sa6, &da6)
		d.MatchLen = prefix
	} else {
		d.Unreachable = c.Err
	}
	d.Key = uint32(MakeMuslKey(d.Usable, matchScope, matchLabel, int(pol.prec), dscope, prefix, i))
}

// muslZoneOK reports whether __lookup_ipliteral (lookup_ipliteral.c, musl
// 1.2.3) accepts a's zone: none; a decimal number (the scope id as is); or
// an interface name (if_nametoindex), which it only allows on link-local
// unicast (fe80::/10) and link-local multicast (ffx2::) addresses.
func muslZoneOK(a netip.Addr, h *Host) bool {
	z := a.Zone()
	if z == "" {
		return true
	}
	// isdigit(*p) ? strtoull : name; a number followed by anything else is
	// a name too.
	digits := 0
	for digits < len(z) && z[digits] >= '0' && z[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits == len(z) {
		v, err := strconv.ParseUint(z, 10, 64)
		// scopeid > UINT_MAX is rejected (strtoull saturates, still > UINT_MAX).
		return err == nil && v <= 0xffffffff
	}
	b := a.As16()
	linkLocal := b[0] == 0xfe && b[1]&0xc0 == 0x80
	mcLinkLocal := b[0] == 0xff && b[1]&0x0f == 2
	if !linkLocal && !mcLinkLocal {
		return false
	}
	for _, n := range h.Ifaces {
		if n == z {
			return true
		}
	}
	return false
}

// muslList writes addrs as "a (line n), b (line n+1), ...", n counted from
// 1 at first.
func muslList(addrs []netip.Addr, first int) string {
	var b strings.Builder
	for i, a := range addrs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.String())
		b.WriteString(" (line ")
		b.WriteString(itoa(first + i + 1))
		b.WriteString(")")
	}
	return b.String()
}
