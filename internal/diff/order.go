package diff

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// orderCause explains two answers with the same addresses in different
// orders: at the first position where they differ, a has x and b has y;
// each model's comparator is replayed on (x, y) from the values the model
// reported, rule by rule.
func orderCause(sc *engine.Scenario, h *engine.Host, a, b *engine.Result) (Cause, int, netip.Addr, netip.Addr, engine.Rule) {
	pos := 0
	for pos < len(a.Dests) && a.Dests[pos].Addr == b.Dests[pos].Addr {
		pos++
	}
	if pos >= len(a.Dests) {
		return cause(Unclassified, "the answers are equal"), -1, netip.Addr{}, netip.Addr{}, engine.RuleNone
	}
	x, y := a.Dests[pos].Addr, b.Dests[pos].Addr
	if has(a, b, "musl") {
		m := pick(a, b, "musl")
		if len(m.Decided) > 0 && m.Decided[0] == engine.RuleUnsorted {
			why := "every address is IPv4"
			if sc.Hints.Family == engine.FamilyInet {
				why = "the family asked for is inet"
			}
			return cause("order:musl-unsorted",
				"musl 1.2.3 does not sort a list when "+why+" (lookup_name.c returns early): it keeps the /etc/hosts order, "+other(a, b, "musl").Model+" sorts it."), pos, x, y, engine.RuleUnsorted
		}
	}
	xa, ya := &a.Dests[pos], find(a.Dests[pos+1:], y)
	yb, xb := &b.Dests[pos], find(b.Dests[pos+1:], x)
	if ya == nil || xb == nil {
		return cause(Unclassified, "the first differing pair could not be found in both answers"), pos, x, y, engine.RuleNone
	}
	pa, okA := profiles[a.Model]
	pb, okB := profiles[b.Model]
	if !okA || !okB {
		return cause(Unclassified, "no comparator profile for "+modelsOf(a, b)), pos, x, y, engine.RuleNone
	}
	for r := engine.Rule1Usable; r <= engine.Rule10Order; r++ {
		va, vb := pa.verdict(r, xa, ya), pb.verdict(r, xb, yb)
		if va == vb {
			if va != 0 {
				break // both comparators decide alike here: see below
			}
			continue
		}
		return ruleCause(sc, h, r, a, b, xa, ya, xb, yb), pos, x, y, r
	}
	// Both comparators put the pair the same way, yet one final order
	// disagrees with its own comparator: the sort algorithm decided.
	side := a
	if v := pa.decide(xa, ya); v < 0 {
		side = b
	}
	if side.Model == "glibc" {
		return cause("order:glibc-sort-algorithm",
			"glibc's comparator is not transitive here (rule 9 is skipped across address families, so IPv4 and IPv6 entries tie where two IPv4 entries do not), and glibc 2.36's merge sort (msort.c) never compares this pair directly; "+other(a, b, "glibc").Model+" orders it by the rules."), pos, x, y, engine.RuleAlgorithm
	}
	return cause(Unclassified, side.Model+"'s final order contradicts its own comparator on "+x.String()+" and "+y.String()), pos, x, y, engine.RuleAlgorithm
}

func find(ds []engine.Dest, a netip.Addr) *engine.Dest {
	for i := range ds {
		if ds[i].Addr == a {
			return &ds[i]
		}
	}
	return nil
}

// profile is how one model's comparator uses the Dest values: which rules
// it applies, and when rule 9 compares two destinations.
type profile struct {
	rule3, rule4, rule7 bool
	// rule9 reports whether rule 9 compares a and b (both usable).
	rule9 func(a, b *engine.Dest) bool
}

var profiles = map[string]profile{
	// glibc 2.36 rfc3484_sort: rules 1-10; rule 7 when exactly one source
	// is in in6ai (prefixlen 0 = not found); rule 9 within one ai_family
	// (a mapped destination is AF_INET6).
	"glibc": {rule3: true, rule4: true, rule7: true, rule9: func(a, b *engine.Dest) bool { return a.Addr.Is4() == b.Addr.Is4() }},
	// musl 1.2.3: the key has no rules 3, 4, 7; rule 9 across families.
	"musl": {rule9: func(a, b *engine.Dest) bool { return true }},
	// The RFC model: no rule 7 (no tunnels); rule 9 IPv4 (plain or
	// mapped) with IPv4, IPv6 with IPv6.
	"rfc6724": {rule3: true, rule4: true, rule9: func(a, b *engine.Dest) bool { return isV4ish(a.Addr) == isV4ish(b.Addr) }},
}

func isV4ish(a netip.Addr) bool { return a.Is4() || a.Is4In6() }

func prefer(first bool) int {
	if first {
		return -1
	}
	return 1
}

// verdict is what the model's rule r says of a against b: -1 a first, 1 b
// first, 0 undecided.
func (p profile) verdict(r engine.Rule, a, b *engine.Dest) int {
	both := a.Usable && b.Usable
	switch r {
	case engine.Rule1Usable:
		if a.Usable != b.Usable {
			return prefer(a.Usable)
		}
	case engine.Rule2Scope:
		if both {
			ma, mb := a.DestScope == a.SourceScope, b.DestScope == b.SourceScope
			if ma != mb {
				return prefer(ma)
			}
		}
	case engine.Rule3Deprecated:
		if p.rule3 && both && a.SourceDeprecated != b.SourceDeprecated {
			return prefer(!a.SourceDeprecated)
		}
	case engine.Rule4Home:
		if p.rule4 && both && a.SourceHome != b.SourceHome {
			return prefer(a.SourceHome)
		}
	case engine.Rule5Label:
		if both {
			ma, mb := a.DestLabel == a.SourceLabel, b.DestLabel == b.SourceLabel
			if ma != mb {
				return prefer(ma)
			}
		}
	case engine.Rule6Precedence:
		if a.Precedence != b.Precedence {
			return prefer(a.Precedence > b.Precedence)
		}
	case engine.Rule7Native:
		if p.rule7 && both {
			ka, kb := a.SourcePrefixLen > 0, b.SourcePrefixLen > 0
			if ka != kb {
				return prefer(ka)
			}
		}
	case engine.Rule8Scope:
		if a.DestScope != b.DestScope {
			return prefer(a.DestScope < b.DestScope)
		}
	case engine.Rule9Prefix:
		if both && p.rule9(a, b) && a.MatchLen != b.MatchLen {
			return prefer(a.MatchLen > b.MatchLen)
		}
	case engine.Rule10Order:
		if a.Index != b.Index {
			return prefer(a.Index < b.Index)
		}
	}
	return 0
}

// decide is the model's whole comparator on a and b.
func (p profile) decide(a, b *engine.Dest) int {
	for r := engine.Rule1Usable; r <= engine.Rule10Order; r++ {
		if v := p.verdict(r, a, b); v != 0 {
			return v
		}
	}
	return 0
}

// Address classes: each has one precedence and one label per model (the
// built-in tables), so a class names a table difference.
type class uint8

const (
	cGlobal class = iota
	cLoopback
	cIPv4 // IPv4 and IPv4-mapped
	cCompat
	c6to4
	cTeredo
	cULA
	cSiteLocal
	c6bone
)

var classNames = [...]string{"global", "loopback", "ipv4", "compat", "6to4", "teredo", "ula", "site-local", "6bone"}

// Built-in precedences and labels per class: glibc 2.36 (RFC 3484 tables),
// RFC 6724, musl 1.2.3.
var classPrec = map[string][9]int{
	"glibc":   {40, 50, 10, 20, 30, 40, 40, 40, 40},
	"rfc6724": {40, 50, 35, 1, 30, 5, 3, 1, 1},
	"musl":    {40, 50, 35, 40, 30, 5, 3, 40, 40},
}

var classLabel = map[string][9]int{
	"glibc":   {1, 0, 4, 3, 2, 7, 6, 5, 1},
	"rfc6724": {1, 0, 4, 3, 2, 5, 13, 11, 12},
	"musl":    {1, 0, 4, 1, 2, 5, 13, 1, 1},
}

func classOf(a netip.Addr) class {
	a = a.WithZone("")
	if a.Is4() || a.Is4In6() {
		return cIPv4
	}
	b := a.As16()
	switch {
	case a == netip.IPv6Loopback():
		return cLoopback
	case [12]byte(b[:12]) == [12]byte{}:
		return cCompat
	case b[0] == 0x20 && b[1] == 0x02:
		return c6to4
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0:
		return cTeredo
	case b[0]&0xfe == 0xfc:
		return cULA
	case b[0] == 0xfe && b[1]&0xc0 == 0xc0:
		return cSiteLocal
	case b[0] == 0x3f && b[1] == 0xfe:
		return c6bone
	}
	return cGlobal
}

// scopeClass names an address whose scope the models may see differently.
func scopeClass(a netip.Addr) string {
	a = a.WithZone("")
	u := a.Unmap()
	kind := "ipv4-"
	if a.Is4In6() {
		kind = "mapped-"
	}
	switch {
	case u.Is4() && u.As4()[0] == 127:
		return kind + "loopback"
	case u.Is4() && u.As4()[0] == 169 && u.As4()[1] == 254:
		return kind + "link-local"
	case u.Is4():
		return kind + "other"
	}
	return "ipv6-" + classNames[classOf(a)]
}

func joinSorted(s []string) string {
	slices.Sort(s)
	return strings.Join(slices.Compact(s), "+")
}

// glibcSeen6 is __check_pf's seen_ipv6: some IPv6 address other than ::1.
func glibcSeen6(h *engine.Host) bool {
	for i := range h.Addrs {
		a := h.Addrs[i].Prefix.Addr()
		if a.Is6() && a != netip.IPv6Loopback() {
			return true
		}
	}
	return false
}

// glibcMissing names why glibc lacks a source's in6ai entry.
func glibcMissing(h *engine.Host) (string, string) {
	if !glibcSeen6(h) {
		return "glibc-in6ai-discarded", "the host has no IPv6 address but ::1, so glibc's __check_pf discards its whole address list (IPv4 included): no source is found, prefixlen 0, flags 0, index unknown"
	}
	return "glibc-source-not-in-in6ai", "glibc does not find the source in __check_pf's address list (looked up as the mapped or 127.0.0.1 key), so it knows no prefix length, flags or interface for it"
}

// ruleCause names the quirk behind rule r deciding differently.
func ruleCause(sc *engine.Scenario, h *engine.Host, r engine.Rule, a, b *engine.Result, xa, ya, xb, yb *engine.Dest) Cause {
	pair := modelsOf(a, b)
	switch r {
	case engine.Rule2Scope, engine.Rule8Scope:
		var cls []string
		gaiconf := false
		conf := glibcConf(sc, a, b)
		for _, p := range [][2]*engine.Dest{{xa, xb}, {ya, yb}} {
			// Rule 2 changes its verdict only through a destination
			// whose "scope matches its source's" differs between the
			// models: name that one's scopes.
			if r == engine.Rule2Scope && (p[0].DestScope == p[0].SourceScope) == (p[1].DestScope == p[1].SourceScope) {
				continue
			}
			if p[0].DestScope != p[1].DestScope {
				cls = append(cls, scopeClass(p[0].Addr))
				gaiconf = gaiconf || (conf != nil && !conf.BuiltinScopes && p[0].Addr.Is4())
			}
			if r == engine.Rule2Scope && p[0].SourceScope != p[1].SourceScope {
				cls = append(cls, "source-"+scopeClass(p[0].Source))
				gaiconf = gaiconf || (conf != nil && !conf.BuiltinScopes && p[0].Source.Is4())
			}
		}
		word := "rule2"
		rule := "rule 2 (prefer matching scope)"
		if r == engine.Rule8Scope {
			word, rule = "rule8", "rule 8 (prefer smaller scope)"
		}
		if gaiconf {
			return cause(word+":gaiconf-scopev4", "gai.conf's scopev4 lines replace glibc's IPv4 scope table (169.254/16 and 127/8 scope 2 are dropped unless listed), so "+rule+" sees other IPv4 scopes than "+other(a, b, "glibc").Model+".")
		}
		if len(cls) == 0 {
			break
		}
		id := joinSorted(cls)
		return cause(word+":scope-"+id, rule+" decides differently: "+pair+" give different scopes to "+id+
			" (musl looks IPv4 up mapped, so 127/8 and 169.254/16 are global 14; glibc gives a mapped destination scope 14; RFC 6724 section 3.2 gives 127/8 and 169.254/16 link-local 2 in either form).")
	case engine.Rule3Deprecated:
		if has(a, b, "glibc") {
			g := pick(a, b, "glibc")
			gx, gy := xa, ya
			if g == b {
				gx, gy = xb, yb
			}
			// The source of a mapped destination is the mapped IPv4
			// address (glibc probes it on an AF_INET6 socket).
			if (gx.SourceDeprecated && isV4ish(gx.Source)) || (gy.SourceDeprecated && isV4ish(gy.Source)) {
				return cause("rule3:glibc-ipv4-deprecated", "glibc applies rule 3 (avoid deprecated sources) to IPv4 sources too (an IPv4 address with preferred_lft 0 is IFA_F_DEPRECATED in __check_pf); RFC 6724 section 3.2 treats IPv4 addresses as always preferred and musl has no rule 3.")
			}
		}
		if has(a, b, "musl") {
			return cause("rule3:musl-no-rule3", "musl's key has no rule 3 (avoid deprecated sources); "+other(a, b, "musl").Model+" puts the destination with the deprecated source last.")
		}
		if has(a, b, "glibc") {
			id, text := glibcMissing(h)
			return cause("rule3:"+id, text+"; so rule 3 (avoid deprecated) sees no deprecated source where "+other(a, b, "glibc").Model+" does.")
		}
	case engine.Rule4Home:
		if has(a, b, "musl") {
			return cause("rule4:musl-no-rule4", "musl's key has no rule 4 (prefer home addresses); "+other(a, b, "musl").Model+" puts the destination with the home-address source first.")
		}
		if has(a, b, "glibc") {
			id, text := glibcMissing(h)
			return cause("rule4:"+id, text+"; so rule 4 (prefer home addresses) sees no home source where "+other(a, b, "glibc").Model+" does.")
		}
	case engine.Rule5Label:
		if conf := glibcConf(sc, a, b); conf != nil && !conf.BuiltinLabels {
			return cause("rule5:gaiconf-labels", "gai.conf's label lines replace glibc's whole label table (plus a catch-all ::/0 1 when none is /0), so rule 5 (prefer matching label) compares other labels than "+other(a, b, "glibc").Model+"'s fixed table.")
		}
		var cls []string
		for _, p := range [][2]*engine.Dest{{xa, xb}, {ya, yb}} {
			// As for rule 2: only a destination whose label match
			// differs between the models.
			if (p[0].DestLabel == p[0].SourceLabel) == (p[1].DestLabel == p[1].SourceLabel) {
				continue
			}
			if p[0].DestLabel != p[1].DestLabel {
				cls = append(cls, classNames[classOf(p[0].Addr)])
			}
			if p[0].SourceLabel != p[1].SourceLabel {
				cls = append(cls, classNames[classOf(p[0].Source)])
			}
		}
		if len(cls) == 0 {
			break
		}
		id := joinSorted(cls)
		return cause("rule5:label-"+id, "rule 5 (prefer matching label) decides differently: the label tables differ for "+id+" ("+tableWords(classLabel, strings.Split(id, "+"), a.Model, b.Model)+").")
	case engine.Rule6Precedence:
		if conf := glibcConf(sc, a, b); conf != nil && !conf.BuiltinPrecedence {
			return cause("rule6:gaiconf-precedence", "gai.conf's precedence lines replace glibc's whole precedence table (plus a catch-all ::/0 40 when none is /0), so rule 6 (prefer higher precedence) compares other precedences than "+other(a, b, "glibc").Model+"'s fixed table.")
		}
		cx, cy := classNames[classOf(xa.Addr)], classNames[classOf(ya.Addr)]
		cs := []string{cx, cy}
		slices.Sort(cs)
		id := cs[0] + "-vs-" + cs[1]
		return cause("rule6:precedence-"+id, "rule 6 (prefer higher precedence) decides differently between "+cs[0]+" and "+cs[1]+" ("+tableWords(classPrec, cs, a.Model, b.Model)+").")
	case engine.Rule7Native:
		id, text := glibcMissing(h)
		return cause("rule7:"+id, text+"; glibc's rule 7 then treats that source's interface as not native (index 0xffffffff) and puts the other destination first, where "+other(a, b, "glibc").Model+" has no rule 7.")
	case engine.Rule9Prefix:
		return rule9Cause(h, a, b, xa, ya, xb, yb)
	case engine.Rule10Order:
		if has(a, b, "glibc") && sc.Hints.Family == engine.FamilyInet6 && sc.Hints.Flags.Has(engine.AIV4Mapped) {
			return cause("rule10:glibc-v4mapped-ipv6-first", "under AF_INET6 + AI_V4MAPPED + AI_ALL glibc's list holds the IPv6 lines first and the mapped IPv4 ones after them (two backend calls), so rule 10 (original order) starts from another order than "+other(a, b, "glibc").Model+"'s file order.")
		}
	}
	return cause(Unclassified, r.String()+" decides differently between "+pair+" and no known quirk explains it")
}

// glibcConf is the parsed gai.conf when glibc is in the pair and the
// scenario has one.
func glibcConf(sc *engine.Scenario, a, b *engine.Result) *engine.GaiConf {
	if !has(a, b, "glibc") || sc.GaiConf == "" {
		return nil
	}
	c := engine.ParseGaiConf(sc.GaiConf)
	return &c
}

// tableWords writes "glibc: ipv4 10, ula 40; rfc6724: ipv4 35, ula 3".
func tableWords(t map[string][9]int, cls []string, ma, mb string) string {
	var parts []string
	for _, m := range []string{ma, mb} {
		row, ok := t[m]
		if !ok {
			continue
		}
		var vs []string
		for _, c := range cls {
			for k, n := range classNames {
				if n == c {
					vs = append(vs, c+" "+strconv.Itoa(row[k]))
				}
			}
		}
		parts = append(parts, m+": "+strings.Join(vs, ", "))
	}
	return strings.Join(parts, "; ")
}

// rule9Cause names the rule 9 variant that made the difference.
func rule9Cause(h *engine.Host, a, b *engine.Result, xa, ya, xb, yb *engine.Dest) Cause {
	pa, pb := profiles[a.Model], profiles[b.Model]
	appA, appB := pa.rule9(xa, ya), pb.rule9(xb, yb)
	if appA != appB {
		if has(a, b, "musl") {
			return cause("rule9:musl-cross-family", "musl's key compares the prefix match of any two destinations, all in 128-bit form (a plain IPv4 destination against a mapped or an IPv6 one too); "+other(a, b, "musl").Model+" applies rule 9 only within one family (glibc: the same ai_family, a mapped destination being AF_INET6; the RFC model: IPv4 or mapped against IPv4 or mapped, IPv6 against IPv6).")
		}
		return cause("rule9:mapped-family", "glibc's rule 9 compares only destinations of the same ai_family, and an IPv4-mapped destination is AF_INET6; the RFC model counts it as IPv4, so one of them compares a mapped and a plain IPv4 destination, the other does not.")
	}
	fam := "ipv6"
	switch {
	case xa.Addr.Is4() && ya.Addr.Is4():
		fam = "ipv4"
	case isV4ish(xa.Addr) && isV4ish(ya.Addr):
		fam = "mapped"
	}
	if has(a, b, "glibc") && fam == "ipv4" {
		g := pick(a, b, "glibc")
		gx, gy := xa, ya
		if g == b {
			gx, gy = xb, yb
		}
		if gx.SourcePrefixLen == 0 || gy.SourcePrefixLen == 0 {
			id, text := glibcMissing(h)
			return cause("rule9:glibc-ipv4-"+strings.TrimPrefix(id, "glibc-"), text+"; glibc's IPv4 rule 9 then shifts by 32 (prefixlen 0), a /32 mask on x86-64: the match counts only when destination and source are equal, where "+other(a, b, "glibc").Model+" counts common bits.")
		}
		return cause("rule9:glibc-ipv4-subnet", "glibc's IPv4 rule 9 counts common bits only when the destination is inside the source's subnet (0 otherwise); "+other(a, b, "glibc").Model+" counts them anyway (musl over 128 bits uncapped, the RFC capped at the source's prefix length).")
	}
	if has(a, b, "rfc6724") {
		r := pick(a, b, "rfc6724")
		rx, ry := xa, ya
		if r == b {
			rx, ry = xb, yb
		}
		if rx.SourcePrefixLen < 0 || ry.SourcePrefixLen < 0 {
			return cause("rule9:rfc-source-not-local", "the RFC model counts a common prefix of 0 when the source is no address of the host (a route's src, 0.0.0.0); "+other(a, b, "rfc6724").Model+" counts the bits of whatever source getsockname reports.")
		}
		return cause("rule9:"+fam+"-uncapped", "rule 9's common prefix length: RFC 6724 section 2.2 caps it at the source's prefix length; "+other(a, b, "rfc6724").Model+" counts all equal leading bits of the 128-bit form (past the prefix, and for IPv4 the 96 bits of ::ffff:).")
	}
	return cause(Unclassified, "rule 9 values differ between "+modelsOf(a, b)+" and no known quirk explains it")
}
