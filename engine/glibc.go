package engine

import (
	"math/bits"
	"net/netip"
)

// GlibcModel is glibc's getaddrinfo() (sysdeps/posix/getaddrinfo.c, moved
// to nss/getaddrinfo.c in 2.39) at version V, as the reference set-up runs
// it: "hosts: files" (nss_files with "multi on"), socket type SOCK_STREAM,
// so one entry per address. It follows the call from the hosts file to the
// program's list: the files backend's list for the hints, AI_ADDRCONFIG,
// one connect() probe per destination, then rfc3484_sort under glibc's
// merge sort. The zero GlibcModel is glibc 2.36, the version the project
// began with.
//
// What changed between the versions modelled, where it matters for the
// order (each switch is commented where it is made):
//   - 2.41, bug 32465 (commit 33aeb88c5b): gai.conf numbers validated
//     (ParseGaiConfFor): an empty value or /LEN is rejected, a prefix
//     without /LEN is /128 (/32 for a dotted-quad scopev4), and the
//     uninitialised-pointer crash is gone.
//   - 2.39 moved the file and replaced alloca by a scratch buffer; 2.42
//     replaced fls() by stdc_leading_zeros() in rule 9: no change in the
//     answers (the shift by 32 for prefix length 0 is still there).
type GlibcModel struct {
	V GlibcVersion
}

// GlibcVersion is a glibc release that GlibcModel reproduces.
type GlibcVersion uint8

const (
	_        GlibcVersion = iota
	Glibc231              // Debian 11
	Glibc236              // Debian 12
	Glibc241              // Debian 13
	Glibc243              // Debian unstable (December 2026)
)

// GlibcNewest is the newest glibc modelled: the one "glibc" names.
const GlibcNewest = Glibc243

var glibcVersionNames = [...]string{"2.36", "2.31", "2.36", "2.41", "2.43"}

// glibcDebian: the Debian suite of each version (the oracle's source).
var glibcDebian = [...]string{Glibc231: "bullseye", Glibc236: "bookworm", Glibc241: "trixie", Glibc243: "sid"}

// glibcShips: the Debian releases are the packages the oracle runs
// (Debian's archive); the others are what their package versions say.
var glibcShips = [...]string{
	Glibc231: "Debian 11 (bullseye), run by the oracle",
	Glibc236: "Debian 12 (bookworm), run by the oracle; Ubuntu 22.04 (2.35), Ubuntu 24.04 and RHEL 10 (2.39), RHEL 9 (2.34) read gai.conf as 2.36 does by source but are not run here",
	Glibc241: "Debian 13 (trixie), run by the oracle",
	Glibc243: "Debian unstable (sid, December 2026), run by the oracle",
}

// String is the version number ("2.41"); the zero version is 2.36.
func (v GlibcVersion) String() string {
	if int(v) < len(glibcVersionNames) {
		return glibcVersionNames[v]
	}
	return "?"
}

// validatesGaiConf: gai.conf numbers checked by valid_decimal_value
// (glibc 2.41, commit 33aeb88c5b, bug 32465).
func (v GlibcVersion) validatesGaiConf() bool { return v >= Glibc241 }

func (m GlibcModel) version() GlibcVersion {
	if m.V == 0 || int(m.V) >= len(glibcInfos) {
		return Glibc236
	}
	return m.V
}

// glibcInfos are the versions' registry entries, by GlibcVersion.
var glibcInfos = func() []ModelInfo {
	out := make([]ModelInfo, len(glibcVersionNames))
	for v := Glibc231; v <= GlibcNewest; v++ {
		gaiconf := "/etc/gai.conf (bug 32465: no /LEN crashes or is rejected)"
		if v.validatesGaiConf() {
			gaiconf = "/etc/gai.conf (numbers validated)"
		}
		out[v] = ModelInfo{
			Name:    "glibc-" + v.String(),
			Library: LibraryGlibc,
			Version: v.String(),
			Summary: "glibc " + v.String() + " getaddrinfo: nss_files, __check_pf, rfc3484_sort (RFC 3484 tables), " + gaiconf + ", merge sort",
			Ships:   glibcShips[v],
			Debian:  glibcDebian[v],
			Rules: Rules(Rule1Usable, Rule2Scope, Rule3Deprecated, Rule4Home, Rule5Label, Rule6Precedence,
				Rule7Native, Rule8Scope, Rule9Prefix, Rule10Order),
		}
		if v == GlibcNewest {
			out[v].Aliases = []string{"glibc"}
		}
	}
	out[0] = out[Glibc236]
	return out
}()

// GaiConf implements GaiConfReader: sc's gai.conf as this version reads it
// on sc's lookup on host h (for 2.31, AI_ADDRCONFIG and what __check_pf
// finds change what a line without /LEN reads: see parseGaiConf).
func (m GlibcModel) GaiConf(sc *Scenario, h *Host) GaiConf {
	return parseGaiConf(sc.GaiConf, m.version(), m.uninitEndp(sc, h))
}

// uninitEndp is what an endp no strtoul has set holds on sc's lookup on h
// (parseGaiConf): for 2.31 after AI_ADDRCONFIG, a pointer to a NUL when
// __check_pf saw a configured family, to another byte when it saw none.
func (m GlibcModel) uninitEndp(sc *Scenario, h *Host) uninitEndp {
	if m.version() != Glibc231 || !sc.Hints.Flags.Has(AIAddrConfig) {
		return endpInvalid
	}
	if seen4, seen6 := glibcSeen(h); seen4 || seen6 {
		return endpNUL
	}
	return endpJunk
}

// Info implements Model.
func (m GlibcModel) Info() *ModelInfo { return &glibcInfos[m.version()] }

// Compare implements Model.
func (GlibcModel) Compare(a, b *Dest) (int, Rule) { return glibcCompare(a, b) }

// Policy implements Model: the built-in tables (gai.conf's defaults).
func (GlibcModel) Policy(a netip.Addr) (precedence, label int) {
	x := addr128Of(a)
	return defaultGaiConf.precedence.lookup(x), defaultGaiConf.labels.lookup(x)
}

// Quirk implements Model.
func (m GlibcModel) Quirk(k QuirkKind, h *Host) (id, text string) {
	v := m.version()
	switch k {
	case QuirkAddrConfig:
		return "glibc-addrconfig", "glibc counts a family as configured when the host has an address of it other than exactly 127.0.0.1 or ::1 (link-local counts) and narrows AF_UNSPEC only when exactly one family is"
	case QuirkGaiConfCrash:
		if v.validatesGaiConf() {
			return "", ""
		}
		return "glibc-gaiconf-crash", "glibc " + v.String() + " crashes (SIGSEGV) on an AF_UNSPEC lookup when gai.conf has a scopev4 line without /LEN (uninitialised pointer, bug 32465, fixed in 2.41)"
	case QuirkZone:
		return "glibc-files-zone", "glibc's files backend parses hosts lines with inet_pton, which rejects an address with a %zone: the line is ignored"
	case QuirkFilesV4MappedLines:
		return "glibc-files-v4mapped-lines", "under AF_INET6 + AI_V4MAPPED glibc's files backend also reads ::ffff:a.b.c.d and ::1 lines as IPv4 (a.b.c.d, 127.0.0.1) and maps them again, or drops the written ::ffff: lines when an IPv6 answer exists"
	case QuirkFilesInetV6Lines:
		return "glibc-files-inet-v6lines", "for AF_INET glibc's files backend reads an IPv4-mapped line ::ffff:a.b.c.d as a.b.c.d and ::1 as 127.0.0.1"
	case QuirkV4Mapped:
		return "glibc-v4mapped", "glibc asks the files backend for AF_INET6 lines first and maps the IPv4 view of every line only when there was none (or with AI_ALL)"
	case QuirkV4MappedOrder:
		return "glibc-v4mapped-ipv6-first", "under AF_INET6 + AI_V4MAPPED + AI_ALL glibc's list holds the IPv6 lines first and the mapped IPv4 ones after them (two backend calls), so rule 10 (original order) starts from another order than the file's"
	case QuirkSortAlgorithm:
		return "glibc-sort-algorithm", "glibc's comparator is not transitive here (rule 9 is skipped across address families, so IPv4 and IPv6 entries tie where two IPv4 entries do not), and glibc " + v.String() + "'s merge sort (msort.c) never compares this pair directly"
	case QuirkIPv4Deprecated:
		return "glibc-ipv4-deprecated", "glibc applies rule 3 (avoid deprecated sources) to IPv4 sources too (an IPv4 address with preferred_lft 0 is IFA_F_DEPRECATED in __check_pf)"
	case QuirkSourceUnknown:
		if _, seen6 := glibcSeen(h); !seen6 {
			return "glibc-in6ai-discarded", "the host has no IPv6 address but ::1, so glibc's __check_pf discards its whole address list (IPv4 included): no source is found, prefixlen 0, flags 0, index unknown"
		}
		return "glibc-source-not-in-in6ai", "glibc does not find the source in __check_pf's address list (looked up as the mapped or 127.0.0.1 key), so it knows no prefix length, flags or interface for it"
	case QuirkScope:
		return "glibc-scope", "glibc gives a mapped destination global scope 14 and plain 127/8 and 169.254/16 link-local scope 2 (its scopev4 table)"
	case QuirkRule9Family:
		return "mapped-family", "glibc's rule 9 compares only destinations of the same ai_family, and an IPv4-mapped destination is AF_INET6"
	case QuirkRule9IPv4Subnet:
		return "glibc-ipv4-subnet", "glibc's IPv4 rule 9 counts common bits only when the destination is inside the source's subnet (0 otherwise); with prefixlen 0 (source unknown) it shifts by 32, a /32 mask on x86-64, so the match counts only when destination and source are equal"
	case QuirkGaiConfLabels:
		return "gaiconf-labels", "gai.conf's label lines replace glibc's whole label table (plus a catch-all ::/0 1 when none is /0)"
	case QuirkGaiConfPrecedence:
		return "gaiconf-precedence", "gai.conf's precedence lines replace glibc's whole precedence table (plus a catch-all ::/0 40 when none is /0)"
	case QuirkGaiConfValidated:
		if !v.validatesGaiConf() {
			return "", ""
		}
		return "glibc-gaiconf-validated", "glibc 2.41 and later validate gai.conf's numbers (commit 33aeb88c5b, bug 32465): an empty value or /LEN is rejected where older versions read 0, and a prefix without /LEN is a whole address (/128; /32 for a dotted-quad scopev4) where older versions reject the line or crash"
	case QuirkGaiConfNoLen:
		switch v {
		case Glibc231:
			return "glibc-2.31-nolen", "glibc 2.31 (Debian 11) parses every gai.conf keyword inline with one endp: a line without /LEN crashes the program (SIGSEGV) unless the lookup asked for AI_ADDRCONFIG, and is then taken as a whole address (bug 32465)"
		case Glibc236:
			return "glibc-2.36-nolen", "glibc 2.36 (Debian 12) rejects a label or precedence line without /LEN, and crashes (SIGSEGV) on a scopev4 line without /LEN for family unspec, or inet without AI_ADDRCONFIG (bug 32465)"
		}
		return "", ""
	case QuirkGaiConfScopes:
		return "gaiconf-scopev4", "gai.conf's scopev4 lines replace glibc's IPv4 scope table (169.254/16 and 127/8 scope 2 are dropped unless listed)"
	}
	return "", ""
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

// Sort implements Model.
func (m GlibcModel) Sort(sc *Scenario, h *Host, out *Result) {
	v := m.version()
	conf := &defaultGaiConf
	var parsed GaiConf
	var cached *gaiConfEntry // the file as the Runner's cache holds it
	if sc.GaiConf != "" {
		u := m.uninitEndp(sc, h)
		if h.gaiConfs != nil {
			cached = h.gaiConfs.get(sc.GaiConf, v, u)
		}
		if cached != nil {
			conf = &cached.conf
		} else {
			parsed = parseGaiConf(sc.GaiConf, v, u)
			conf = &parsed
		}
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
			out.Err = EAINoName
			out.Notes = append(out.Notes, Note{Kind: NoteAddrConfig, Text: "AI_ADDRCONFIG: the host has no " +
				familyWords(family) + " address glibc counts as configured (127.0.0.1 and ::1 do not count), so getaddrinfo fails before looking the name up"})
			return
		}
		if family != sc.Hints.Family {
			out.Notes = append(out.Notes, Note{Kind: NoteAddrConfig, Text: "AI_ADDRCONFIG: only " + familyWords(family) +
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
		out.Notes = append(out.Notes, Note{Kind: NoteDropped, Text: itoa(dropped) + " of the destinations are not in the list glibc's files backend returns for these hints"})
	}
	if len(e) == 0 {
		// nss_files reports HOST_NOT_FOUND, gaih_inet EAI_NONAME.
		out.Err = EAINoName
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
			out.Notes = append(out.Notes, Note{Kind: NoteUnsorted, Text: "glibc sorts (and reads gai.conf) only when there are at least two addresses: this list of one is returned as is"})
		}
		return
	}
	// gai.conf is read here, once there are two addresses to sort. A line
	// without /LEN whose endp is an invalid pointer (GaiConf.Crash) kills
	// the program, or not, by what the lookup left on the stack; measured
	// with the real libraries (ParseGaiConfFor says which lines):
	//   - 2.31 (Debian 11): always, for any family (with AI_ADDRCONFIG
	//     the pointer is valid and Crash is not set);
	//   - 2.36 (Debian 12): for family unspec, and for inet without
	//     AI_ADDRCONFIG; otherwise the line is only rejected.
	if conf.Crash != 0 && (v == Glibc231 || family == FamilyUnspec || (family == FamilyInet && !flags.Has(AIAddrConfig))) {
		out.Err = SIGSEGV
		out.Notes = append(out.Notes, Note{Kind: NoteCrash, Line: conf.Crash, Text: "glibc " + v.String() + " crashes reading this gai.conf: a line without /LEN dereferences an uninitialised pointer (bug 32465, fixed in 2.41), as the real glibc " + v.String() + " of Debian does on this lookup"})
		return
	}
	switch {
	case cached != nil:
		out.Notes = append(out.Notes, cached.lint()...)
	case sc.GaiConf != "":
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

	// The entries as Dests, in list order (Index = the entry's position,
	// rule 10's tie-break), in the Result's spare buffer; their indexes
	// sorted with the comparator on them; then the Dests in that order.
	d := out.scratch[:0]
	for i := range e {
		d = append(d, glibcDest(&e[i], i, h))
	}
	out.scratch = d
	var ostack, tstack [16]uint16
	order, tmp := ostack[:0], tstack[:0]
	if len(e) > len(ostack) {
		order, tmp = make([]uint16, 0, len(e)), make([]uint16, len(e))
	} else {
		tmp = tstack[:len(e)]
	}
	for i := range e {
		order = append(order, uint16(i))
	}
	glibcMsort(d, order, tmp)
	for _, k := range order {
		out.Dests = append(out.Dests, d[k])
	}
	for k := 0; k+1 < len(order); k++ {
		c, r := glibcCompare(&d[order[k]], &d[order[k+1]])
		if c > 0 {
			r = RuleAlgorithm
		}
		out.Decided = append(out.Decided, r)
	}
}

// glibcDest is entry x, at position i of the list, as the answer reports
// it and as rfc3484_sort compares it.
func glibcDest(x *glibcEntry, i int, h *Host) Dest {
	d := UnknownDest(x.addr, i)
	d.Usable = x.usable
	d.Unreachable = x.errno
	d.DestScope, d.DestLabel, d.Precedence = x.dstScope, x.dstLabel, x.prec
	d.srcIndex = x.index
	if x.usable {
		d.Source = x.src
		if x.inet {
			d.Source = x.src.Unmap()
		}
		d.SourcePrefixLen = x.prefixlen
		d.SourceDeprecated = x.flags&in6aiDeprecated != 0
		d.SourceHome = x.flags&in6aiHomeAddress != 0
		if h != nil && x.iface >= 0 && x.iface < len(h.Ifaces) {
			d.Interface = h.Ifaces[x.iface]
		}
		d.SourceScope, d.SourceLabel, d.MatchLen = x.srcScope, x.srcLabel, x.match
	}
	return d
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

// glibcMsort is glibc 2.36 msort_with_tmp (stdlib/msort.c) over the
// indexes b of d: top-down, n1 = n/2, the merge takes the left element
// when the comparator returns <= 0.
func glibcMsort(d []Dest, b, tmp []uint16) { msortBy(d, b, tmp, glibcCompare) }

// msortBy is glibcMsort with the comparator cmp: a stable merge sort for
// a comparator that is a strict weak order (the RFC model's).
func msortBy(d []Dest, b, tmp []uint16, cmp func(a, b *Dest) (int, Rule)) {
	n := len(b)
	if n <= 1 {
		return
	}
	n1 := n / 2
	b1, b2 := b[:n1], b[n1:]
	msortBy(d, b1, tmp, cmp)
	msortBy(d, b2, tmp, cmp)
	i, j, k := 0, 0, 0
	for i < len(b1) && j < len(b2) {
		if c, _ := cmp(&d[b1[i]], &d[b2[j]]); c <= 0 {
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

// glibcCompare is rfc3484_sort on two entries as Dests: negative when a
// goes first, with the rule that decided. Rules in the code's order.
func glibcCompare(a1, a2 *Dest) (int, Rule) {
	// Rule 1: Avoid unusable destinations.
	if a1.Usable && !a2.Usable {
		return -1, Rule1Usable
	}
	if !a1.Usable && a2.Usable {
		return 1, Rule1Usable
	}

	// Rule 2: Prefer matching scope (both usable).
	if a1.Usable {
		m1, m2 := a1.DestScope == a1.SourceScope, a2.DestScope == a2.SourceScope
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
	if a1.Usable {
		d1, d2 := a1.SourceDeprecated, a2.SourceDeprecated
		if !d1 && d2 {
			return -1, Rule3Deprecated
		}
		if d1 && !d2 {
			return 1, Rule3Deprecated
		}
	}

	// Rule 4: Prefer home addresses.
	if a1.Usable {
		h1, h2 := a1.SourceHome, a2.SourceHome
		if !h1 && h2 {
			return 1, Rule4Home
		}
		if h1 && !h2 {
			return -1, Rule4Home
		}
	}

	// Rule 5: Prefer matching label.
	if a1.Usable {
		m1, m2 := a1.DestLabel == a1.SourceLabel, a2.DestLabel == a2.SourceLabel
		if m1 && !m2 {
			return -1, Rule5Label
		}
		if !m1 && m2 {
			return 1, Rule5Label
		}
	}

	// Rule 6: Prefer higher precedence. Applied even when both are
	// unusable.
	if a1.Precedence > a2.Precedence {
		return -1, Rule6Precedence
	}
	if a1.Precedence < a2.Precedence {
		return 1, Rule6Precedence
	}

	// Rule 7: Prefer native transport, only when the source interface
	// indexes differ. __check_native: an interface is native unless it is
	// a tunnel (the reference set-up has only veth and lo, all native);
	// an index it does not find (0xffffffff: source not in in6ai) stays
	// non-native.
	if a1.Usable && a1.srcIndex != a2.srcIndex {
		n1, n2 := a1.srcIndex != indexUnknown, a2.srcIndex != indexUnknown
		if n1 && !n2 {
			return -1, Rule7Native
		}
		if !n1 && n2 {
			return 1, Rule7Native
		}
	}

	// Rule 8: Prefer smaller scope. Applied even when both are unusable.
	if a1.DestScope < a2.DestScope {
		return -1, Rule8Scope
	}
	if a1.DestScope > a2.DestScope {
		return 1, Rule8Scope
	}

	// Rule 9: Use longest matching prefix, only between destinations of
	// the same ai_family (mapped destinations are AF_INET6).
	if a1.Usable && a1.Addr.Is4() == a2.Addr.Is4() {
		if a1.MatchLen > a2.MatchLen {
			return -1, Rule9Prefix
		}
		if a1.MatchLen < a2.MatchLen {
			return 1, Rule9Prefix
		}
	}

	// Rule 10: Otherwise, leave the order unchanged.
	if a1.Index < a2.Index {
		return -1, Rule10Order
	}
	return 1, Rule10Order
}
