// Package diff compares the engine's models with one another (differential
// testing) and names the cause of each disagreement: the first rule or
// known quirk at which two models decide differently.
//
// Two models diverge on a scenario when their answers (the order, or the
// error) differ. A divergence is either a list divergence (the two answers
// do not hold the same addresses: hints, the hosts-file backend, the
// 48-address cap, an error) or an order divergence (the same addresses in a
// different order). A list divergence is explained by counterfactuals:
// the scenario is changed to take one known quirk out of play, in the order
// the libraries apply them, and the first change that makes the two lists
// agree names the cause. An order divergence is explained at the first
// position where the orders differ: there model A put x first and model B
// put y first; the two models' comparators are replayed on x and y from
// the values each model reported (engine.Dest), rule by rule, and the first
// rule at which they decide differently, with the table value or quirk
// that made it differ, is the cause.
//
// A cause is a short stable id ("rule6:precedence-ipv4-vs-ula") and one
// sentence. A divergence no detector explains has the id "unclassified":
// the fuzz targets fail on it, so the fuzzer finds gaps here.
package diff

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// Unclassified is the cause id of a divergence no detector explains.
const Unclassified = "unclassified"

// Cause is why two models diverge.
type Cause struct {
	// ID is short and stable: "<rule or stage>:<quirk>".
	ID string
	// Text is one sentence in plain words.
	Text string
}

// Divergence is one pair of models answering a scenario differently.
type Divergence struct {
	// A and B are the two models' names, A before B in registry order.
	A, B string
	// Cause is the first rule or quirk at which they decide differently.
	Cause Cause
	// List: the answers hold different addresses (or an error); Pos, X, Y
	// and Rule are then unset.
	List bool
	// Pos is the first position where the orders differ; there A has X
	// and B has Y.
	Pos  int
	X, Y netip.Addr
	// Rule is the rule at which the two comparators disagree on X and Y
	// (RuleAlgorithm or RuleUnsorted when no rule does).
	Rule engine.Rule
}

// Pair is "A/B".
func (d *Divergence) Pair() string { return d.A + "/" + d.B }

// Class is the catalog's class of d: its pair and its cause id.
func (d *Divergence) Class() string { return d.Pair() + " " + d.Cause.ID }

// Comparer runs every model on scenarios and classifies their divergences.
// It reuses its storage: the Divergences Compare returns are valid until the
// next call. Not safe for concurrent use.
type Comparer struct {
	// Models are the models run (every registered model by default).
	Models []engine.Model
	// Pairs are the pairs of Models compared, as indexes i < j (nil:
	// every pair).
	Pairs [][2]int
	rn    engine.Runner
	cf    engine.Runner // counterfactual runs
	out   []Divergence
	last  []engine.Result
	memo  map[memoKey]*counterfactual
	// Comparisons counts the model pairs compared so far.
	Comparisons int
}

// NewComparer returns a Comparer of every registered model over the pairs
// of CatalogPairs.
func NewComparer() *Comparer {
	ms := engine.Models()
	return &Comparer{Models: ms, Pairs: CatalogPairs(ms)}
}

// CatalogPairs are the pairs of ms worth a catalog: those of the default
// set (the RFC and the newest version of each library: which library
// disagrees with which), and each library's consecutive versions (what an
// upgrade changes).
func CatalogPairs(ms []engine.Model) [][2]int {
	isDefault := engine.IsDefault
	var out [][2]int
	for i := range ms {
		next := true // j is the next version of i's library
		for j := i + 1; j < len(ms); j++ {
			li, lj := ms[i].Info().Library, ms[j].Info().Library
			switch {
			case isDefault(ms[i]) && isDefault(ms[j]):
				out = append(out, [2]int{i, j})
			case li == lj && next:
				out = append(out, [2]int{i, j})
			}
			if li == lj {
				next = false
			}
		}
	}
	return out
}

// Compare answers sc with every model and returns one Divergence per pair
// of models whose answers differ.
func (c *Comparer) Compare(sc *engine.Scenario) []Divergence {
	c.out = c.out[:0]
	clear(c.memo)
	if c.memo == nil {
		c.memo = map[memoKey]*counterfactual{}
	}
	res := c.rn.Run(sc, c.Models)
	c.last = res
	compare := func(i, j int) {
		c.Comparisons++
		if !SameAnswer(&res[i], &res[j]) {
			c.out = append(c.out, c.classify(sc, c.rn.Host(), i, j, &res[i], &res[j]))
		}
	}
	if c.Pairs != nil {
		for _, p := range c.Pairs {
			compare(p[0], p[1])
		}
		return c.out
	}
	for i := 0; i < len(res); i++ {
		for j := i + 1; j < len(res); j++ {
			compare(i, j)
		}
	}
	return c.out
}

// Results are the answers of the last Compare, in model order (valid
// until the next call).
func (c *Comparer) Results() []engine.Result { return c.last }

// SameAnswer reports whether a and b are the same answer: the same error,
// or the same addresses in the same order.
func SameAnswer(a, b *engine.Result) bool {
	if a.Err != b.Err || len(a.Dests) != len(b.Dests) {
		return false
	}
	for i := range a.Dests {
		if a.Dests[i].Addr != b.Dests[i].Addr {
			return false
		}
	}
	return true
}

// sameList reports whether a and b hold the same addresses, counted with
// multiplicity, in any order (and the same error).
func sameList(a, b *engine.Result) bool {
	if a.Err != b.Err || len(a.Dests) != len(b.Dests) {
		return false
	}
	if len(a.Dests) > 64 {
		m := make(map[netip.Addr]int, len(a.Dests))
		for i := range a.Dests {
			m[a.Dests[i].Addr]++
			m[b.Dests[i].Addr]--
		}
		for _, v := range m {
			if v != 0 {
				return false
			}
		}
		return true
	}
	var used uint64
	for i := range a.Dests {
		found := false
		for j := range b.Dests {
			if used&(1<<j) == 0 && b.Dests[j].Addr == a.Dests[i].Addr {
				used |= 1 << j
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (c *Comparer) classify(sc *engine.Scenario, h *engine.Host, ia, ib int, a, b *engine.Result) Divergence {
	d := Divergence{A: a.Model, B: b.Model, Pos: -1}
	p := &pair{sc: sc, h: h, m: [2]engine.Model{c.Models[ia], c.Models[ib]}, r: [2]*engine.Result{a, b}}
	if cause, ok := c.versionCause(p, ia, ib); ok {
		d.Cause, d.List = cause, !sameList(a, b)
		return d
	}
	if !sameList(a, b) {
		d.List = true
		d.Cause = c.listCause(p, ia, ib)
		return d
	}
	d.Cause, d.Pos, d.X, d.Y, d.Rule = orderCause(p)
	return d
}

func cause(id, text string) Cause { return Cause{ID: id, Text: text} }

// ans is one model's answer, kept across runs.
type ans struct {
	err   engine.GaiError
	order []netip.Addr
}

func ansOf(r *engine.Result) ans { return ans{r.Err, r.Order()} }

func (a ans) equal(b ans) bool { return a.err == b.err && slices.Equal(a.order, b.order) }

// sameAnsList is sameList for kept answers.
func sameAnsList(a, b ans) bool {
	if a.err != b.err || len(a.order) != len(b.order) {
		return false
	}
	m := make(map[netip.Addr]int, len(a.order))
	for i := range a.order {
		m[a.order[i]]++
		m[b.order[i]]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

// counterfactual is a scenario with some quirks taken out of play (the
// neutralizers of mask, applied in order) and every model's answer to it.
type counterfactual struct {
	sc  *engine.Scenario
	ans []ans
}

// memoKey names a counterfactual: the neutralizers applied (a mask of
// their positions) and the cap the last one applied, if any (the caps of
// the models differ).
type memoKey struct {
	mask uint32
	cap  int
}

// counterfactualOf answers y (the neutralizers of k applied) with every
// model, once per Compare call: the model pairs of one scenario share the
// runs.
func (c *Comparer) counterfactualOf(k memoKey, y func() *engine.Scenario) *counterfactual {
	if cf, ok := c.memo[k]; ok {
		return cf
	}
	x := y()
	var cf *counterfactual
	// The edits keep a scenario valid, except by leaving no destination.
	if x != nil && len(x.Destinations) > 0 {
		res := c.cf.Run(x, c.Models)
		cf = &counterfactual{sc: x, ans: make([]ans, len(res))}
		for i := range res {
			cf.ans[i] = ansOf(&res[i])
		}
	}
	c.memo[k] = cf
	return cf
}

// neutralizer takes one quirk out of play: side is the side of the pair
// whose model has the quirk, -1 when it does not apply (the neutralizers
// that take a hint out of play apply to every pair: side 0); edit changes
// the scenario (and reports whether it changed anything), with the cap of
// that model; why names the quirk.
type neutralizer struct {
	capped bool // edit takes the model's cap (ModelInfo.MaxAddrs)
	side   func(p *pair) int
	edit   func(x *engine.Scenario, limit int) bool
	why    func(p *pair, side int) Cause
}

// sideWith is the side whose model has quirk k, -1 when neither.
func sideWith(k engine.QuirkKind) func(p *pair) int {
	return func(p *pair) int {
		i, _, _ := p.with(k, nil)
		return i
	}
}

func everyPair(*pair) int { return 0 }

// because is the cause named by side i's quirk k, ending with what the
// other model does instead.
func because(p *pair, i int, k engine.QuirkKind, instead string) Cause {
	id, text := p.quirk(i, k)
	return cause("list:"+id, text+"; "+p.name(1-i)+" "+instead+".")
}

var neutralizers = []neutralizer{
	{ // gai.conf lines that crash the library on some lookups and are
		// ignored otherwise. When the library did not crash, they changed
		// nothing; taken out first, they keep a later edit (dropping
		// AI_ADDRCONFIG, say) from turning the lookup into one that
		// crashes, an answer that explains nothing.
		side: func(p *pair) int {
			i, _, _ := p.with(engine.QuirkGaiConfCrash, func(i int) bool { return p.r[i].Err != engine.SIGSEGV })
			return i
		},
		edit: func(x *engine.Scenario, _ int) bool {
			text, changed := withoutCrashLines(x.GaiConf)
			x.GaiConf = text
			return changed
		},
		why: func(p *pair, i int) Cause { return because(p, i, engine.QuirkGaiConfCrash, "answers") },
	},
	{ // AI_ADDRCONFIG, applied before the lookup.
		side: everyPair,
		edit: func(x *engine.Scenario, _ int) bool {
			if !x.Hints.Flags.Has(engine.AIAddrConfig) {
				return false
			}
			x.Hints.Flags &^= engine.AIAddrConfig
			return true
		},
		why: func(p *pair, _ int) Cause {
			var parts []string
			for i := range 2 {
				if _, text := p.quirk(i, engine.QuirkAddrConfig); text != "" {
					parts = append(parts, text)
				}
			}
			return cause("list:addrconfig", "AI_ADDRCONFIG means different things: "+strings.Join(parts, "; ")+".")
		},
	},
	{ // Zones on hosts lines.
		side: sideWith(engine.QuirkZone),
		edit: func(x *engine.Scenario, _ int) bool {
			changed := false
			for i, d := range x.Destinations {
				if d.Zone() != "" {
					x.Destinations[i] = d.WithZone("")
					changed = true
				}
			}
			return changed
		},
		why: func(p *pair, i int) Cause { return because(p, i, engine.QuirkZone, "keeps such lines") },
	},
	{ // A cap on the number of addresses (ModelInfo.MaxAddrs).
		capped: true,
		side: func(p *pair) int {
			for i := range 2 {
				if p.m[i].Info().MaxAddrs > 0 {
					return i
				}
			}
			return -1
		},
		edit: func(x *engine.Scenario, limit int) bool {
			if len(x.Destinations) <= limit {
				return false
			}
			x.Destinations = x.Destinations[:limit]
			return true
		},
		why: func(p *pair, i int) Cause { return because(p, i, engine.QuirkMaxAddrs, "returns them all") },
	},
	{ // Lines the files backend converts between families.
		side: sideWith(engine.QuirkFilesInetV6Lines),
		edit: func(x *engine.Scenario, _ int) bool {
			k := 0
			for _, d := range x.Destinations {
				if !(d.Is4In6() || d == netip.IPv6Loopback()) {
					x.Destinations[k] = d
					k++
				}
			}
			changed := k < len(x.Destinations)
			x.Destinations = x.Destinations[:k]
			if k == 0 {
				// Keep one line, of no use to any model's IPv4 view.
				x.Destinations = append(x.Destinations, netip.MustParseAddr("2001:db8::dead"))
			}
			return changed
		},
		why: func(p *pair, i int) Cause {
			if p.sc.Hints.Family == engine.FamilyInet6 {
				return because(p, i, engine.QuirkFilesV4MappedLines, "keeps such lines as written")
			}
			return because(p, i, engine.QuirkFilesInetV6Lines, "skips IPv6 lines for AF_INET")
		},
	},
	{ // AI_V4MAPPED (with AF_INET6).
		side: everyPair,
		edit: func(x *engine.Scenario, _ int) bool {
			if x.Hints.Family != engine.FamilyInet6 || x.Hints.Flags&(engine.AIV4Mapped|engine.AIAll) == 0 {
				return false
			}
			x.Hints.Flags &^= engine.AIV4Mapped | engine.AIAll
			return true
		},
		why: func(p *pair, _ int) Cause {
			if i, _, _ := p.with(engine.QuirkV4Mapped, nil); i >= 0 {
				return because(p, i, engine.QuirkV4Mapped, "maps the IPv4 lines of the one list")
			}
			return cause("list:v4mapped", "the two models apply AI_V4MAPPED (with AF_INET6) differently: which IPv4 answers are mapped and when they are dropped.")
		},
	},
}

// withoutCrashLines removes, one at a time, the gai.conf lines glibc 2.36
// would crash on (engine.GaiConf.Crash), and says whether it removed any.
func withoutCrashLines(text string) (string, bool) {
	changed := false
	for {
		n := engine.ParseGaiConf(text).Crash
		if n == 0 {
			return text, changed
		}
		lines := strings.SplitAfter(text, "\n")
		text = strings.Join(append(lines[:n-1:n-1], lines[n:]...), "")
		changed = true
	}
}

// listCause explains answers that hold different addresses (or errors).
// The known quirks are taken out of play one after the other, in the
// order the libraries meet them (AI_ADDRCONFIG, the hosts file's lines,
// the address cap, AI_V4MAPPED), each edit kept; when the two lists
// agree, the cause is the first edit that changed either answer. ia and ib
// are the models' positions in c.Models.
func (c *Comparer) listCause(p *pair, ia, ib int) Cause {
	if i, id, text := p.with(engine.QuirkNoData, func(i int) bool {
		return p.r[i].Err == engine.EAINoData && p.r[1-i].Err == engine.EAINoName
	}); i >= 0 {
		return cause("list:"+id, text+".")
	}
	if i, _, _ := p.with(engine.QuirkGaiConfCrash, func(i int) bool { return p.r[i].Err == engine.SIGSEGV }); i >= 0 {
		return because(p, i, engine.QuirkGaiConfCrash, "answers")
	}
	x := p.sc
	var key memoKey
	pa, pb := ansOf(p.r[0]), ansOf(p.r[1])
	first, firstSide := -1, -1
	for i := range neutralizers {
		n := &neutralizers[i]
		side := n.side(p)
		if side < 0 {
			continue
		}
		k := memoKey{mask: key.mask | 1<<i, cap: key.cap}
		limit := 0
		if n.capped {
			limit = p.m[side].Info().MaxAddrs
			k.cap = limit
		}
		cf := c.counterfactualOf(k, func() *engine.Scenario {
			y := x.Clone()
			if !n.edit(y, limit) {
				return nil
			}
			return y
		})
		if cf == nil {
			continue
		}
		x, key = cf.sc, k
		ca, cb := cf.ans[ia], cf.ans[ib]
		if first < 0 && (!ca.equal(pa) || !cb.equal(pb)) {
			first, firstSide = i, side
		}
		pa, pb = ca, cb
		// EAI_NODATA and EAI_NONAME both say "no address" (QuirkNoData
		// names the difference when it is the only one).
		if first >= 0 && sameAnsList(noDataAsNoName(ca), noDataAsNoName(cb)) {
			return neutralizers[first].why(p, firstSide)
		}
	}
	if i, _, _ := p.with(engine.QuirkDNSFallback, func(i int) bool { return p.r[i].Err == engine.EAIAgain }); i >= 0 {
		return because(p, i, engine.QuirkDNSFallback, "answers without DNS")
	}
	return cause(Unclassified, "the two answers hold different addresses and no known quirk explains it")
}

// versionCause explains two versions of one library that answer
// differently: the version switches of the library's model, each taken
// out of play by a counterfactual. Today the one switch that shows in the
// files backend is how glibc reads gai.conf's numbers.
func (c *Comparer) versionCause(p *pair, ia, ib int) (Cause, bool) {
	if p.m[0].Info().Library != p.m[1].Info().Library || p.sc.GaiConf == "" {
		return Cause{}, false
	}
	// The first version switch on which the two versions differ.
	kind := engine.QuirkKind(0)
	var ida, idb string
	for _, k := range []engine.QuirkKind{engine.QuirkGaiConfValidated, engine.QuirkGaiConfNoLen} {
		ida, _ = p.quirk(0, k)
		idb, _ = p.quirk(1, k)
		if ida != idb {
			kind = k
			break
		}
	}
	if kind == 0 {
		return Cause{}, false
	}
	cf := c.counterfactualOf(memoKey{mask: 1 << 31}, func() *engine.Scenario {
		y := p.sc.Clone()
		y.GaiConf = ""
		return y
	})
	if cf == nil || !cf.ans[ia].equal(cf.ans[ib]) {
		return Cause{}, false
	}
	i := 0
	if ida == "" {
		i = 1
	}
	_, text := p.quirk(i, kind)
	if _, other := p.quirk(1-i, kind); other != "" {
		text += "; " + other
	} else {
		text += "; " + p.name(1-i) + " reads this gai.conf otherwise"
	}
	return cause("gaiconf:"+p.quirkID(i, kind), text+"."), true
}

// noDataAsNoName reads EAI_NODATA as EAI_NONAME.
func noDataAsNoName(a ans) ans {
	if a.err == engine.EAINoData {
		a.err = engine.EAINoName
	}
	return a
}
