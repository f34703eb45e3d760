package diff

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// pair is two models' answers to one scenario, with what the classifier
// asks of the models themselves: their comparators (engine.Model.Compare),
// their built-in tables (Policy), their rules and their quirks in their
// own words (Info, Quirk). No model is named here: a cause names a model
// only through what the model says of itself.
type pair struct {
	sc *engine.Scenario
	h  *engine.Host
	m  [2]engine.Model
	r  [2]*engine.Result
}

func (p *pair) name(i int) string { return p.r[i].Model }

func (p *pair) names() string { return p.name(0) + " and " + p.name(1) }

// quirk is side i's quirk k: its id and text, "" when it has none.
func (p *pair) quirk(i int, k engine.QuirkKind) (id, text string) { return p.m[i].Quirk(k, p.h) }

// quirkID is side i's quirk k's id alone.
func (p *pair) quirkID(i int, k engine.QuirkKind) string {
	id, _ := p.quirk(i, k)
	return id
}

// with is the first side whose model has quirk k and for which ok holds
// (nil: any), and that quirk's id and text; -1 when neither.
func (p *pair) with(k engine.QuirkKind, ok func(i int) bool) (int, string, string) {
	for i := range 2 {
		if id, text := p.quirk(i, k); id != "" && (ok == nil || ok(i)) {
			return i, id, text
		}
	}
	return -1, "", ""
}

// gaiConf is the side that reads the scenario's gai.conf and the file as
// it parses it; -1 and nil when neither side reads one.
func (p *pair) gaiConf() (int, *engine.GaiConf) {
	if p.sc.GaiConf == "" {
		return -1, nil
	}
	for i := range 2 {
		if r, ok := p.m[i].(engine.GaiConfReader); ok {
			c := r.GaiConf(p.sc, p.h)
			return i, &c
		}
	}
	return -1, nil
}

// verdict is model m's comparator on a and b, as the answer's order reads
// it: -1 a first, 1 b first, with the rule; a tie that no rule breaks is
// rule 10, by the list's order.
func verdict(m engine.Model, a, b *engine.Dest) (int, engine.Rule) {
	c, r := m.Compare(a, b)
	switch {
	case c < 0:
		return -1, r
	case c > 0:
		return 1, r
	case a.Index != b.Index:
		return prefer(a.Index < b.Index), engine.Rule10Order
	}
	return 0, engine.Rule10Order
}

func prefer(first bool) int {
	if first {
		return -1
	}
	return 1
}

// orderCause explains two answers with the same addresses in different
// orders: at the first position where they differ, a has x and b has y;
// each model's own comparator is replayed on (x, y) from the values the
// model reported, and the first rule at which their verdicts differ is
// where they part.
func orderCause(p *pair) (Cause, int, netip.Addr, netip.Addr, engine.Rule) {
	a, b := p.r[0], p.r[1]
	pos := 0
	for pos < len(a.Dests) && a.Dests[pos].Addr == b.Dests[pos].Addr {
		pos++
	}
	if pos >= len(a.Dests) {
		return cause(Unclassified, "the answers are equal"), -1, netip.Addr{}, netip.Addr{}, engine.RuleNone
	}
	x, y := a.Dests[pos].Addr, b.Dests[pos].Addr
	if i, id, text := p.with(engine.QuirkUnsorted, func(i int) bool {
		return len(p.r[i].Decided) > 0 && p.r[i].Decided[0] == engine.RuleUnsorted
	}); i >= 0 {
		return cause("order:"+id, text+"; "+p.name(1-i)+" sorts it."), pos, x, y, engine.RuleUnsorted
	}
	xa, ya := &a.Dests[pos], find(a.Dests[pos+1:], y)
	yb, xb := &b.Dests[pos], find(b.Dests[pos+1:], x)
	if ya == nil || xb == nil {
		return cause(Unclassified, "the first differing pair could not be found in both answers"), pos, x, y, engine.RuleNone
	}
	ca, ra := verdict(p.m[0], xa, ya)
	cb, rb := verdict(p.m[1], xb, yb)
	if ca != cb || ra != rb {
		// Before min(ra, rb) neither comparator decides; there at
		// least one does, and not as the other.
		r := min(ra, rb)
		return ruleCause(p, r, xa, ya, xb, yb), pos, x, y, r
	}
	// Both comparators put the pair the same way, yet one final order
	// disagrees with its own comparator: the sort algorithm decided.
	side := 0
	if ca < 0 {
		side = 1
	}
	if id, text := p.quirk(side, engine.QuirkSortAlgorithm); id != "" {
		return cause("order:"+id, text+"; "+p.name(1-side)+" orders it by the rules."), pos, x, y, engine.RuleAlgorithm
	}
	return cause(Unclassified, p.name(side)+"'s final order contradicts its own comparator on "+x.String()+" and "+y.String()), pos, x, y, engine.RuleAlgorithm
}

func find(ds []engine.Dest, a netip.Addr) *engine.Dest {
	for i := range ds {
		if ds[i].Addr == a {
			return &ds[i]
		}
	}
	return nil
}

func isV4ish(a netip.Addr) bool { return a.Is4() || a.Is4In6() }

// Address classes name a table difference: each class is one row of
// every model's built-in policy table (the values come from the models,
// Model.Policy, never from here).
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

// classes collects the classes of some addresses, one address of each
// kept to look the class up in the models' tables.
type classes struct {
	names []string
	addrs []netip.Addr
}

func (c *classes) add(a netip.Addr) {
	n := classNames[classOf(a)]
	if !slices.Contains(c.names, n) {
		c.addrs = append(c.addrs, a)
	}
	c.names = append(c.names, n)
}

// tableWords writes "glibc: ipv4 10, ula 40; rfc6724: ipv4 35, ula 3"
// from each model's built-in table (precedence, or label).
func (p *pair) tableWords(c *classes, precedence bool) string {
	order := slices.Clone(c.addrs)
	slices.SortFunc(order, func(a, b netip.Addr) int {
		return strings.Compare(classNames[classOf(a)], classNames[classOf(b)])
	})
	var parts []string
	for i := range 2 {
		var vs []string
		for _, a := range order {
			prec, label := p.m[i].Policy(a)
			v := label
			if precedence {
				v = prec
			}
			vs = append(vs, classNames[classOf(a)]+" "+strconv.Itoa(v))
		}
		parts = append(parts, p.name(i)+": "+strings.Join(vs, ", "))
	}
	return strings.Join(parts, "; ")
}

// ruleCause names the quirk behind rule r deciding differently; xa, ya
// are the pair in a's answer, xb, yb in b's.
func ruleCause(p *pair, r engine.Rule, xa, ya, xb, yb *engine.Dest) Cause {
	dests := [2][2]*engine.Dest{{xa, ya}, {xb, yb}}
	switch r {
	case engine.Rule2Scope, engine.Rule8Scope:
		var cls []string
		gaiconf := false
		reader, conf := p.gaiConf()
		for _, d := range [][2]*engine.Dest{{xa, xb}, {ya, yb}} {
			// Rule 2 changes its verdict only through a destination
			// whose "scope matches its source's" differs between the
			// models: name that one's scopes.
			if r == engine.Rule2Scope && (d[0].DestScope == d[0].SourceScope) == (d[1].DestScope == d[1].SourceScope) {
				continue
			}
			if d[0].DestScope != d[1].DestScope {
				cls = append(cls, scopeClass(d[0].Addr))
				gaiconf = gaiconf || (conf != nil && !conf.BuiltinScopes && d[0].Addr.Is4())
			}
			if r == engine.Rule2Scope && d[0].SourceScope != d[1].SourceScope {
				cls = append(cls, "source-"+scopeClass(d[0].Source))
				gaiconf = gaiconf || (conf != nil && !conf.BuiltinScopes && d[0].Source.Is4())
			}
		}
		word := "rule2"
		rule := "rule 2 (prefer matching scope)"
		if r == engine.Rule8Scope {
			word, rule = "rule8", "rule 8 (prefer smaller scope)"
		}
		if gaiconf {
			if id, text := p.quirk(reader, engine.QuirkGaiConfScopes); id != "" {
				return cause(word+":"+id, text+", so "+rule+" sees other IPv4 scopes than "+p.name(1-reader)+".")
			}
		}
		if len(cls) == 0 {
			break
		}
		id := joinSorted(cls)
		var why []string
		for i := range 2 {
			if _, text := p.quirk(i, engine.QuirkScope); text != "" {
				why = append(why, text)
			}
		}
		return cause(word+":scope-"+id, rule+" decides differently: "+p.names()+" give different scopes to "+id+
			" ("+strings.Join(why, "; ")+").")
	case engine.Rule3Deprecated, engine.Rule4Home:
		rule, what, where := "rule 3 (avoid deprecated addresses)", "deprecated", "last"
		if r == engine.Rule4Home {
			rule, what, where = "rule 4 (prefer home addresses)", "home-address", "first"
		}
		if r == engine.Rule3Deprecated {
			// An IPv4 source (a mapped destination's too) that the model
			// itself reported deprecated.
			if i, id, text := p.with(engine.QuirkIPv4Deprecated, func(i int) bool {
				for _, d := range dests[i] {
					if d.SourceDeprecated && isV4ish(d.Source) {
						return true
					}
				}
				return false
			}); i >= 0 {
				return cause("rule3:"+id, text+"; "+p.name(1-i)+" does not.")
			}
		}
		for i := range 2 {
			if info := p.m[i].Info(); !info.Rules.Has(r) {
				return cause(r.ID()+":"+info.Library.String()+"-no-"+r.ID(),
					p.name(i)+"'s comparator has no "+rule+"; "+p.name(1-i)+" puts the destination with the "+what+" source "+where+".")
			}
		}
		if i, id, text := p.with(engine.QuirkSourceUnknown, nil); i >= 0 {
			return cause(r.ID()+":"+id, text+"; so "+rule+" sees no "+what+" source where "+p.name(1-i)+" does.")
		}
	case engine.Rule5Label:
		if reader, conf := p.gaiConf(); conf != nil && !conf.BuiltinLabels {
			if id, text := p.quirk(reader, engine.QuirkGaiConfLabels); id != "" {
				return cause("rule5:"+id, text+", so rule 5 (prefer matching label) compares other labels than "+p.name(1-reader)+"'s fixed table.")
			}
		}
		var cls classes
		for _, d := range [][2]*engine.Dest{{xa, xb}, {ya, yb}} {
			// As for rule 2: only a destination whose label match
			// differs between the models.
			if (d[0].DestLabel == d[0].SourceLabel) == (d[1].DestLabel == d[1].SourceLabel) {
				continue
			}
			if d[0].DestLabel != d[1].DestLabel {
				cls.add(d[0].Addr)
			}
			if d[0].SourceLabel != d[1].SourceLabel {
				cls.add(d[0].Source)
			}
		}
		if len(cls.names) == 0 {
			break
		}
		id := joinSorted(cls.names)
		return cause("rule5:label-"+id, "rule 5 (prefer matching label) decides differently: the label tables differ for "+id+" ("+p.tableWords(&cls, false)+").")
	case engine.Rule6Precedence:
		if reader, conf := p.gaiConf(); conf != nil && !conf.BuiltinPrecedence {
			if id, text := p.quirk(reader, engine.QuirkGaiConfPrecedence); id != "" {
				return cause("rule6:"+id, text+", so rule 6 (prefer higher precedence) compares other precedences than "+p.name(1-reader)+"'s fixed table.")
			}
		}
		var cls classes
		cls.add(xa.Addr)
		cls.add(ya.Addr)
		cs := slices.Clone(cls.names)
		slices.Sort(cs)
		id := cs[0] + "-vs-" + cs[1]
		return cause("rule6:precedence-"+id, "rule 6 (prefer higher precedence) decides differently between "+cs[0]+" and "+cs[1]+" ("+p.tableWords(&cls, true)+").")
	case engine.Rule7Native:
		if i, id, text := p.with(engine.QuirkSourceUnknown, func(i int) bool { return p.m[i].Info().Rules.Has(engine.Rule7Native) }); i >= 0 {
			return cause("rule7:"+id, text+"; "+p.name(i)+"'s rule 7 (prefer native transport) then takes that source's interface as not native and puts the other destination first, where "+p.name(1-i)+" has no rule 7.")
		}
	case engine.Rule9Prefix:
		return rule9Cause(p, xa, ya, xb, yb)
	case engine.Rule10Order:
		if p.sc.Hints.Family == engine.FamilyInet6 && p.sc.Hints.Flags.Has(engine.AIV4Mapped) {
			if i, id, text := p.with(engine.QuirkV4MappedOrder, nil); i >= 0 {
				return cause("rule10:"+id, text+", where "+p.name(1-i)+" starts from the file's order.")
			}
		}
	}
	return cause(Unclassified, r.String()+" decides differently between "+p.names()+" and no known quirk explains it")
}

// rule9Applies reports whether m's rule 9 compares x and y: with every
// other value kept, a longer match for x makes rule 9 decide. (Called
// where rules 1 to 8 decide nothing for x and y.)
func rule9Applies(m engine.Model, x, y *engine.Dest) bool {
	x2 := *x
	x2.MatchLen = max(y.MatchLen, 0) + 1
	_, r := m.Compare(&x2, y)
	return r == engine.Rule9Prefix
}

// rule9Cause names the rule 9 variant that made the difference.
func rule9Cause(p *pair, xa, ya, xb, yb *engine.Dest) Cause {
	dests := [2][2]*engine.Dest{{xa, ya}, {xb, yb}}
	appA, appB := rule9Applies(p.m[0], xa, ya), rule9Applies(p.m[1], xb, yb)
	if appA != appB {
		// The side whose rule 9 compared the pair names the cause when
		// it has a word for which pairs it compares; else the other.
		i := 0
		if appB {
			i = 1
		}
		id, _ := p.quirk(i, engine.QuirkRule9Family)
		if id == "" {
			id, _ = p.quirk(1-i, engine.QuirkRule9Family)
		}
		if id != "" {
			_, ta := p.quirk(0, engine.QuirkRule9Family)
			_, tb := p.quirk(1, engine.QuirkRule9Family)
			return cause("rule9:"+id, "rule 9 compares different pairs of destinations: "+ta+"; "+tb+".")
		}
	}
	fam := "ipv6"
	switch {
	case xa.Addr.Is4() && ya.Addr.Is4():
		fam = "ipv4"
	case isV4ish(xa.Addr) && isV4ish(ya.Addr):
		fam = "mapped"
	}
	if fam == "ipv4" {
		if i, id, text := p.with(engine.QuirkRule9IPv4Subnet, nil); i >= 0 {
			other := p.name(1 - i)
			if dests[i][0].SourcePrefixLen == 0 || dests[i][1].SourcePrefixLen == 0 {
				if uid, utext := p.quirk(i, engine.QuirkSourceUnknown); uid != "" {
					lib := p.m[i].Info().Library.String()
					return cause("rule9:"+lib+"-ipv4-"+strings.TrimPrefix(uid, lib+"-"), utext+"; "+text+"; "+other+" counts common bits.")
				}
			}
			return cause("rule9:"+id, text+"; "+other+" counts them anyway.")
		}
	}
	if i, id, text := p.with(engine.QuirkRule9Cap, nil); i >= 0 {
		other := p.name(1 - i)
		if dests[i][0].SourcePrefixLen < 0 || dests[i][1].SourcePrefixLen < 0 {
			if nid, ntext := p.quirk(i, engine.QuirkRule9SourceNotLocal); nid != "" {
				return cause("rule9:"+nid, ntext+"; "+other+" counts the bits of whatever source getsockname reports.")
			}
		}
		return cause("rule9:"+fam+"-"+id, text+"; "+other+" counts all equal leading bits of the 128-bit form (past the prefix, and for IPv4 the 96 bits of ::ffff:).")
	}
	return cause(Unclassified, "rule 9 values differ between "+p.names()+" and no known quirk explains it")
}
