package engine

import (
	"math/bits"
	"net/netip"
)

// GlibcModel is glibc 2.36's getaddrinfo() (sysdeps/posix/getaddrinfo.c)
// as the reference set-up runs it: "hosts: files" (nss_files with
// "multi on"), socket type SOCK_STREAM, so one entry per address. It
// follows the call from the hosts file to the program's list: the files
// backend's list for the hints, AI_ADDRCONFIG, one connect() probe per
// destination, then rfc3484_sort under glibc's merge sort.
type GlibcModel struct{}

func (GlibcModel) Name() string      { return "glibc" }
func (GlibcModel) Aliases() []string { return []string{"glibc-2.36"} }
func (GlibcModel) Summary() string {
	return "glibc 2.36 getaddrinfo: nss_files, __check_pf, rfc3484_sort (RFC 3484 tables), /etc/gai.conf, merge sort"
}

// in6ai flags (include/ifaddrs.h).
const (
	in6aiDeprecated  = 1 // IFA_F_DEPRECATED or IFA_F_OPTIMISTIC
	in6aiHomeAddress = 2 // IFA_F_HOMEADDRESS
)

const indexUnknown = 0xffffffff

// glibcEntry is glibc's struct sort_result for one destination, with the
// classifications rfc3484_sort computes from it.
type glibcEntry struct {
	addr      netip.Addr // ai_addr
	inet      bool       // ai_family == AF_INET
	usable    bool       // got_source_addr
	src       netip.Addr // AF_INET for AF_INET destinations
	flags     uint8      // source_addr_flags from in6ai
	prefixlen int        // from in6ai, 0 when not found
	index     uint32     // interface index from in6ai, 0xffffffff when not found
	iface     int        // outgoing interface (Host.Ifaces), -1 when unusable
	errno     string
	dstScope  int
	srcScope  int
	dstLabel  int
	srcLabel  int
	prec      int
	match     int // rule 9 value: IPv4 subnet CPL, IPv6 128-bit CPL
	srcAddr   int // index into Host.Addrs, -1
}

// glibcSorter holds one sort's state; rfc3484 is its comparator.
type glibcSorter struct {
	e []glibcEntry
}

// Sort implements Model.
func (GlibcModel) Sort(sc *Scenario, h *Host, out *Result) {
	conf := &defaultGaiConf
	var parsed GaiConf
	if sc.GaiConf != "" {
		parsed = ParseGaiConf(sc.GaiConf)
		conf = &parsed
	}

	// AI_ADDRCONFIG (getaddrinfo, before the lookup), with __check_pf's
	// idea of "configured": seen_ipv4 is any IPv4 address but exactly
	// 127.0.0.1, seen_ipv6 any IPv6 address but ::1 (link-local counts).
	seen4, seen6 := glibcSeen(h)
	family := sc.Hints.Family
	flags := sc.Hints.Flags
	if flags.Has(AIAddrConfig) {
		if family == FamilyUnspec && (seen4 || seen6) {
			if seen4 != seen6 {
				if seen4 {
					family = FamilyInet
				} else {
					family = FamilyInet6
				}
			}
		} else if (family == FamilyInet && !seen4) || (family == FamilyInet6 && !seen6) {
			out.Err = "EAI_NONAME"
			out.Notes = append(out.Notes, Note{Kind: "addrconfig", Text: "AI_ADDRCONFIG: the host has no " +
				familyWords(family) + " address glibc counts as configured (127.0.0.1 and ::1 do not count), so getaddrinfo fails before looking the name up"})
			return
		}
		if family != sc.Hints.Family {
			out.Notes = append(out.Notes, Note{Kind: "addrconfig", Text: "AI_ADDRCONFIG: only " + familyWords(family) +
				" addresses are configured (glibc does not count 127.0.0.1 or ::1), so glibc asks for " + familyWords(family) + " addresses only"})
		}
	}

	// The files backend's list for the (possibly narrowed) family.
	var stack [16]glibcEntry
	e := stack[:0]
	dropped := 0
	switch family {
	case FamilyUnspec:
		// _nss_files_gethostbyname4_r: every matching line, both
		// families, file order, no de-duplication.
		for _, a := range sc.Destinations {
			if a.Zone() != "" {
				dropped++ // inet_pton rejects "%zone": the line is ignored
				continue
			}
			e = append(e, glibcEntry{addr: a, inet: a.Is4()})
		}
	case FamilyInet:
		// try_simple_gethostbyname -> gethostbyname2_r(AF_INET): files
		// parses each line for AF_INET: IPv4 as is, a mapped IPv6
		// address as its IPv4 address, ::1 as 127.0.0.1, any other IPv6
		// line ignored.
		for _, a := range sc.Destinations {
			if v, ok := filesInet(a); ok {
				e = append(e, glibcEntry{addr: v, inet: true})
			} else {
				dropped++
			}
		}
	case FamilyInet6:
		// get_nss_addresses without gethostbyname4_r (AF_INET6 only):
		// gethostbyname2_r(AF_INET6) gives the IPv6 lines (mapped and ::1
		// kept as written); then with AI_V4MAPPED, if AI_ALL or no IPv6
		// line matched, gethostbyname2_r(AF_INET) gives the IPv4 view of
		// every line, mapped.
		gotIPv6 := false
		for _, a := range sc.Destinations {
			if a.Is6() && a.Zone() == "" {
				e = append(e, glibcEntry{addr: a, inet: a.Is4()})
				gotIPv6 = true
			}
		}
		if flags.Has(AIV4Mapped) && (flags.Has(AIAll) || !gotIPv6) {
			n := len(e)
			for _, a := range sc.Destinations {
				if v, ok := filesInet(a); ok {
					e = append(e, glibcEntry{addr: netip.AddrFrom16(v.As16())})
				}
			}
			// convert_hostent_to_gaih_addrtuple sets got_ipv6 from the
			// family of the last successful call.
			if len(e) > n {
				gotIPv6 = false
			}
		}
		// generate_addrinfo: with AI_V4MAPPED but not AI_ALL, mapped
		// addresses are dropped when an IPv6 answer exists, including
		// ::ffff: lines of the hosts file itself.
		if gotIPv6 && flags&(AIV4Mapped|AIAll) == AIV4Mapped {
			k := 0
			for _, x := range e {
				if !x.addr.Is4In6() {
					e[k] = x
					k++
				}
			}
			e = e[:k]
		}
		dropped = len(sc.Destinations) - len(e)
	}
	if dropped > 0 && family != FamilyInet6 {
		out.Notes = append(out.Notes, Note{Kind: "dropped", Text: itoa(dropped) + " of the destinations are not in the list glibc's files backend returns for these hints"})
	}
	if len(e) == 0 {
		// nss_files reports HOST_NOT_FOUND, gaih_inet EAI_NONAME.
		out.Err = "EAI_NONAME"
		return
	}
	for i := range e {
		e[i].prefixlen = 0
		e[i].index = indexUnknown
		e[i].iface = -1
		e[i].srcAddr = -1
	}
	if len(e) == 1 {
		d := UnknownDest(e[0].addr, 0)
		out.Dests = append(out.Dests, d)
		if sc.GaiConf != "" {
			out.Notes = append(out.Notes, Note{Kind: "unsorted", Text: "glibc sorts (and reads gai.conf) only when there are at least two addresses: this list of one is returned as is"})
		}
		return
	}
	if conf.Crash != 0 && family == FamilyUnspec {
		out.Err = "SIGSEGV"
		out.Notes = append(out.Notes, Note{Kind: "crash", Line: conf.Crash, Text: "glibc 2.36 (Debian 12) crashes reading this gai.conf: a scopev4 line without /LEN dereferences an uninitialised pointer (bug 32465, fixed in 2.41); observed after the AF_UNSPEC lookup path"})
		return
	}
	if sc.GaiConf != "" {
		out.Notes = lintNotes(out.Notes, conf)
	}

	// Probe each destination (getaddrinfo, the loop before the sort).
	var in6 in6ai
	in6.init(h, seen6)
	af := 0 // the probe socket's family: 0 none, 4 AF_INET, 6 AF_INET6
	for i := range e {
		x := &e[i]
		if i > 0 && e[i-1].addr == x.addr && e[i-1].inet == x.inet {
			p := e[i-1]
			x.usable, x.src, x.flags, x.prefixlen, x.index = p.usable, p.src, p.flags, p.prefixlen, p.index
			x.iface, x.errno, x.srcAddr = p.iface, p.errno, p.srcAddr
		} else {
			// One socket: created with the first entry's family,
			// re-created as AF_INET6 for an AF_INET6 entry, and an
			// AF_INET6 socket is reused for AF_INET entries.
			if af == 0 || (af == 4 && !x.inet) {
				if x.inet {
					af = 4
				} else {
					af = 6
				}
			}
			c := h.Connect(x.addr)
			if c.OK() {
				x.usable = true
				x.src = c.Source
				x.iface = c.Iface
				x.srcAddr = c.SourceAddr
				key := c.Source
				if x.inet {
					if af == 4 {
						// "Special case for lo interface": any 127.x
						// source is looked up as 127.0.0.1.
						if key.As4()[0] == 127 {
							key = netip.AddrFrom4([4]byte{127, 0, 0, 1})
						}
					}
					// On an AF_INET6 socket getsockname gives the mapped
					// source, looked up as is; glibc then converts it
					// back to AF_INET.
				}
				if k := in6.find(addr128Of(key)); k >= 0 {
					a := &h.Addrs[k]
					if a.Deprecated {
						x.flags |= in6aiDeprecated
					}
					if a.Home {
						x.flags |= in6aiHomeAddress
					}
					x.prefixlen = a.Prefix.Bits()
					x.index = uint32(a.Iface) + 1
				}
			} else {
				x.errno = c.Err
			}
		}
	}

	glibcClassify(e, conf)

	var ostack, tstack [16]int
	order, tmp := ostack[:0], tstack[:0]
	if len(e) > len(ostack) {
		order, tmp = make([]int, 0, len(e)), make([]int, len(e))
	} else {
		tmp = tstack[:len(e)]
	}
	for i := range e {
		order = append(order, i)
	}
	s := glibcSorter{e: e}
	s.msort(order, tmp)

	for _, i := range order {
		x := &e[i]
		out.Dests = append(out.Dests, UnknownDest(x.addr, i))
		d := &out.Dests[len(out.Dests)-1]
		d.Usable = x.usable
		d.Unreachable = x.errno
		d.DestScope, d.DestLabel, d.Precedence = x.dstScope, x.dstLabel, x.prec
		if x.usable {
			d.Source = x.src
			if x.inet {
				d.Source = x.src.Unmap()
			}
			d.SourcePrefixLen = x.prefixlen
			d.SourceDeprecated = x.flags&in6aiDeprecated != 0
			d.SourceHome = x.flags&in6aiHomeAddress != 0
			if x.iface >= 0 && x.iface < len(h.Ifaces) {
				d.Interface = h.Ifaces[x.iface]
			}
			d.SourceScope, d.SourceLabel, d.MatchLen = x.srcScope, x.srcLabel, x.match
		}
	}
	for k := 0; k+1 < len(order); k++ {
		c, r := s.rfc3484(order[k], order[k+1])
		if c > 0 {
			r = RuleAlgorithm
		}
		out.Decided = append(out.Decided, r)
	}
}

// glibcClassify computes what rfc3484_sort looks up for each entry: the
// scopes, labels and precedence (get_scope, get_label, get_precedence) and
// the rule 9 value.
func glibcClassify(e []glibcEntry, conf *GaiConf) {
	for i := range e {
		x := &e[i]
		d := addr128Of(x.addr)
		x.dstScope = glibcScope(conf, d, x.inet)
		x.dstLabel = conf.labels.lookup(d)
		x.prec = conf.precedence.lookup(d)
		x.srcScope, x.srcLabel, x.match = -1, -1, -1
		if x.usable {
			s := addr128Of(x.src)
			x.srcScope = glibcScope(conf, s, x.inet)
			x.srcLabel = conf.labels.lookup(s)
			x.match = glibcMatch(x)
		}
	}
}

// filesInet is how nss_files parses a hosts line for AF_INET
// (files-hosts.c LINE_PARSER): IPv4 as is; an IPv6 line only when it is
// IPv4-mapped (its IPv4 address) or ::1 (127.0.0.1).
func filesInet(a netip.Addr) (netip.Addr, bool) {
	switch {
	case a.Is4():
		return a, true
	case a.Zone() != "":
		return netip.Addr{}, false
	case a.Is4In6():
		return a.Unmap(), true
	case a == netip.IPv6Loopback():
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), true
	}
	return netip.Addr{}, false
}

func familyWords(f Family) string {
	if f == FamilyInet {
		return "IPv4"
	}
	return "IPv6"
}

// glibcSeen is __check_pf's seen_ipv4 and seen_ipv6 (check_pf.c
// make_request).
func glibcSeen(h *Host) (seen4, seen6 bool) {
	for i := range h.Addrs {
		a := h.Addrs[i].Prefix.Addr()
		if a.Is4() {
			seen4 = seen4 || a != netip.AddrFrom4([4]byte{127, 0, 0, 1})
		} else {
			seen6 = seen6 || a != netip.IPv6Loopback()
		}
	}
	return
}

// in6ai is __check_pf's address list as getaddrinfo searches it: the
// RTM_GETADDR dump (IPv4 addresses of every interface, then IPv6, each
// interface's in the kernel's list order), stable-sorted by the 16-byte
// address (qsort with in6aicmp), searched with bsearch. Empty when the host
// has no IPv6 address but ::1: make_request then discards the whole list,
// IPv4 entries included.
type in6ai struct {
	n   int
	idx [24]int
	big []int // when more than 24 addresses
	h   *Host
}

func (t *in6ai) init(h *Host, seen6 bool) {
	t.h = h
	if !seen6 {
		return
	}
	if len(h.Addrs) > len(t.idx) {
		t.big = in6aiCollect(h, make([]int, 0, len(h.Addrs)))
		t.n = len(t.big)
		return
	}
	t.n = len(in6aiCollect(h, t.idx[:0]))
}

// in6aiCollect appends the indexes of h.Addrs in dump order to ids, then
// sorts them stably by address.
func in6aiCollect(h *Host, ids []int) []int {
	for pass := 0; pass < 2; pass++ {
		for dev := range h.Ifaces {
			for _, k := range h.ifaceOrder(dev) {
				if h.Addrs[k].Prefix.Addr().Is4() == (pass == 0) {
					ids = append(ids, k)
				}
			}
		}
	}
	// Stable insertion sort by address (glibc's merge sort is stable).
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && lessAddr128(h.Addrs[ids[j]].a128, h.Addrs[ids[j-1]].a128); j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
	return ids
}

func lessAddr128(a, b addr128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

// find is glibc's bsearch for key; -1 when absent.
func (t *in6ai) find(key addr128) int {
	var ids []int
	if t.big != nil {
		ids = t.big
	} else {
		ids = t.idx[:t.n]
	}
	l, u := 0, len(ids)
	for l < u {
		m := (l + u) / 2
		a := t.h.Addrs[ids[m]].a128
		switch {
		case lessAddr128(key, a):
			u = m
		case key == a:
			return ids[m]
		default:
			l = m + 1
		}
	}
	return -1
}

// glibcScope is get_scope: IPv6 by address type (mapped addresses are
// global, 14), IPv4 (an AF_INET sockaddr) from the scopev4 table.
func glibcScope(conf *GaiConf, x addr128, inet bool) int {
	if inet {
		return conf.scopes.lookup(x)
	}
	b0, b1 := byte(x.hi>>56), byte(x.hi>>48)
	switch {
	case b0 == 0xff:
		return int(b1 & 0xf)
	case b0 == 0xfe && b1&0xc0 == 0x80, x == addr128{0, 1}:
		return 2
	case b0 == 0xfe && b1&0xc0 == 0xc0:
		return 5
	}
	return 14
}

// glibcMatch is the value rule 9 compares for a usable entry.
func glibcMatch(x *glibcEntry) int {
	if x.inet {
		// Only within the source's subnet, by the source's prefix length
		// from in6ai. A length of 0 (source not found) makes the shift
		// count 32: undefined in C, on x86-64 the count is taken mod 32,
		// so the mask is all ones.
		d := be32(x.addr.Unmap().As4())
		s := be32(x.src.Unmap().As4())
		mask := ^uint32(0)
		if x.prefixlen > 0 && x.prefixlen < 32 {
			mask = ^uint32(0) << (32 - x.prefixlen)
		}
		if d&mask != s&mask {
			return 0
		}
		return bits.LeadingZeros32(d ^ s) // fls() counts leading zeros; 32 when equal
	}
	// AF_INET6: the first 32-bit word where either pair differs, then
	// fls of that word: the same order as the 128-bit common prefix.
	return cpl128(addr128Of(x.addr), addr128Of(x.src))
}

func be32(b [4]byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// msort is glibc 2.36 msort_with_tmp (stdlib/msort.c): top-down, n1 = n/2,
// the merge takes the left element when the comparator returns <= 0.
func (s *glibcSorter) msort(b, tmp []int) {
	n := len(b)
	if n <= 1 {
		return
	}
	n1 := n / 2
	b1, b2 := b[:n1], b[n1:]
	s.msort(b1, tmp)
	s.msort(b2, tmp)
	i, j, k := 0, 0, 0
	for i < len(b1) && j < len(b2) {
		if c, _ := s.rfc3484(b1[i], b2[j]); c <= 0 {
			tmp[k] = b1[i]
			i++
		} else {
			tmp[k] = b2[j]
			j++
		}
		k++
	}
	k += copy(tmp[k:], b1[i:])
	copy(b, tmp[:k])
}

// rfc3484 is rfc3484_sort for entries i and j: negative when i goes first,
// with the rule that decided. Rules in the code's order.
func (s *glibcSorter) rfc3484(i, j int) (int, Rule) {
	a1, a2 := &s.e[i], &s.e[j]

	// Rule 1: Avoid unusable destinations.
	if a1.usable && !a2.usable {
		return -1, Rule1Usable
	}
	if !a1.usable && a2.usable {
		return 1, Rule1Usable
	}

	// Rule 2: Prefer matching scope (both usable).
	if a1.usable {
		m1, m2 := a1.dstScope == a1.srcScope, a2.dstScope == a2.srcScope
		if m1 && !m2 {
			return -1, Rule2Scope
		}
		if !m1 && m2 {
			return 1, Rule2Scope
		}
	}

	// Rule 3: Avoid deprecated addresses. glibc applies it to IPv4
	// sources too (in6ai_deprecated comes from ifa_flags of either
	// family).
	if a1.usable {
		d1, d2 := a1.flags&in6aiDeprecated != 0, a2.flags&in6aiDeprecated != 0
		if !d1 && d2 {
			return -1, Rule3Deprecated
		}
		if d1 && !d2 {
			return 1, Rule3Deprecated
		}
	}

	// Rule 4: Prefer home addresses.
	if a1.usable {
		h1, h2 := a1.flags&in6aiHomeAddress != 0, a2.flags&in6aiHomeAddress != 0
		if !h1 && h2 {
			return 1, Rule4Home
		}
		if h1 && !h2 {
			return -1, Rule4Home
		}
	}

	// Rule 5: Prefer matching label.
	if a1.usable {
		m1, m2 := a1.dstLabel == a1.srcLabel, a2.dstLabel == a2.srcLabel
		if m1 && !m2 {
			return -1, Rule5Label
		}
		if !m1 && m2 {
			return 1, Rule5Label
		}
	}

	// Rule 6: Prefer higher precedence. Applied even when both are
	// unusable.
	if a1.prec > a2.prec {
		return -1, Rule6Precedence
	}
	if a1.prec < a2.prec {
		return 1, Rule6Precedence
	}

	// Rule 7: Prefer native transport, only when the source interface
	// indexes differ. __check_native: an interface is native unless it is
	// a tunnel (the reference set-up has only veth and lo, all native);
	// an index it does not find (0xffffffff: source not in in6ai) stays
	// non-native.
	if a1.usable && a1.index != a2.index {
		n1, n2 := a1.index != indexUnknown, a2.index != indexUnknown
		if n1 && !n2 {
			return -1, Rule7Native
		}
		if !n1 && n2 {
			return 1, Rule7Native
		}
	}

	// Rule 8: Prefer smaller scope. Applied even when both are unusable.
	if a1.dstScope < a2.dstScope {
		return -1, Rule8Scope
	}
	if a1.dstScope > a2.dstScope {
		return 1, Rule8Scope
	}

	// Rule 9: Use longest matching prefix, only between destinations of
	// the same ai_family (mapped destinations are AF_INET6).
	if a1.usable && a1.inet == a2.inet {
		if a1.match > a2.match {
			return -1, Rule9Prefix
		}
		if a1.match < a2.match {
			return 1, Rule9Prefix
		}
	}

	// Rule 10: Otherwise, leave the order unchanged.
	if i < j {
		return -1, Rule10Order
	}
	return 1, Rule10Order
}
