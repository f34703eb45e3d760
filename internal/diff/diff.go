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
	// Models are the models compared (engine.Models() by default).
	Models []engine.Model
	rn     engine.Runner
	cf     engine.Runner // counterfactual runs
	out    []Divergence
	last   []engine.Result
	memo   map[uint32]*counterfactual
	// Comparisons counts the model pairs compared so far.
	Comparisons int
}

// NewComparer returns a Comparer of every registered model.
func NewComparer() *Comparer { return &Comparer{Models: engine.Models()} }

// Compare answers sc with every model and returns one Divergence per pair
// of models whose answers differ.
func (c *Comparer) Compare(sc *engine.Scenario) []Divergence {
	c.out = c.out[:0]
	clear(c.memo)
	if c.memo == nil {
		c.memo = map[uint32]*counterfactual{}
	}
	res := c.rn.Run(sc, c.Models)
	c.last = res
	for i := 0; i < len(res); i++ {
		for j := i + 1; j < len(res); j++ {
			c.Comparisons++
			if SameAnswer(&res[i], &res[j]) {
				continue
			}
			c.out = append(c.out, c.classify(sc, c.rn.Host(), i, j, &res[i], &res[j]))
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
	if !sameList(a, b) {
		d.List = true
		d.Cause = c.listCause(sc, ia, ib, a, b)
		return d
	}
	d.Cause, d.Pos, d.X, d.Y, d.Rule = orderCause(sc, h, a, b)
	return d
}

func cause(id, text string) Cause { return Cause{ID: id, Text: text} }

func has(a, b *engine.Result, name string) bool { return a.Model == name || b.Model == name }

// other returns the result of the pair that is not the model name.
func other(a, b *engine.Result, name string) *engine.Result {
	if a.Model == name {
		return b
	}
	return a
}

func pick(a, b *engine.Result, name string) *engine.Result {
	if a.Model == name {
		return a
	}
	return b
}

func modelsOf(a, b *engine.Result) string { return a.Model + " and " + b.Model }

// ans is one model's answer, kept across runs.
type ans struct {
	err   string
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

// counterfactualOf answers y (the neutralizers of mask applied) with every
// model, once per Compare call: the model pairs of one scenario share the
// runs.
func (c *Comparer) counterfactualOf(mask uint32, y func() *engine.Scenario) *counterfactual {
	if cf, ok := c.memo[mask]; ok {
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
	c.memo[mask] = cf
	return cf
}

// neutralizer takes one quirk out of play: edit changes the scenario (and
// reports whether it changed anything); why names the quirk.
type neutralizer struct {
	applies func(sc *engine.Scenario, a, b *engine.Result) bool
	edit    func(x *engine.Scenario) bool
	why     func(sc *engine.Scenario, a, b *engine.Result) Cause
}

var neutralizers = []neutralizer{
	{ // gai.conf scopev4 lines without /LEN, which crash glibc 2.36 on an
		// AF_UNSPEC lookup and are ignored otherwise. When glibc did not
		// crash, they changed nothing; taken out first, they keep a later
		// edit (dropping AI_ADDRCONFIG, say) from turning the lookup into
		// AF_UNSPEC and glibc's answer into a crash that explains nothing.
		applies: func(sc *engine.Scenario, a, b *engine.Result) bool {
			return has(a, b, "glibc") && pick(a, b, "glibc").Err != "SIGSEGV"
		},
		edit: func(x *engine.Scenario) bool {
			text, changed := withoutCrashLines(x.GaiConf)
			x.GaiConf = text
			return changed
		},
		why: func(sc *engine.Scenario, a, b *engine.Result) Cause {
			return cause("list:glibc-gaiconf-crash",
				"glibc 2.36 crashes (SIGSEGV) on an AF_UNSPEC lookup when gai.conf has a scopev4 line without /LEN (uninitialised pointer, bug 32465); the other model answers.")
		},
	},
	{ // AI_ADDRCONFIG, applied before the lookup.
		applies: func(sc *engine.Scenario, a, b *engine.Result) bool { return true },
		edit: func(x *engine.Scenario) bool {
			if !x.Hints.Flags.Has(engine.AIAddrConfig) {
				return false
			}
			x.Hints.Flags &^= engine.AIAddrConfig
			return true
		},
		why: func(sc *engine.Scenario, a, b *engine.Result) Cause {
			return cause("list:addrconfig", addrconfigText(a, b))
		},
	},
	{ // Zones on hosts lines.
		applies: func(sc *engine.Scenario, a, b *engine.Result) bool { return true },
		edit: func(x *engine.Scenario) bool {
			changed := false
			for i, d := range x.Destinations {
				if d.Zone() != "" {
					x.Destinations[i] = d.WithZone("")
					changed = true
				}
			}
			return changed
		},
		why: func(sc *engine.Scenario, a, b *engine.Result) Cause {
			if has(a, b, "glibc") {
				return cause("list:glibc-files-zone",
					"glibc's files backend parses hosts lines with inet_pton, which rejects an address with a %zone: the line is ignored; "+other(a, b, "glibc").Model+" keeps it.")
			}
			return cause("list:musl-zone",
				"musl accepts a zone only as a number or, on a link-local address, as the name of an existing interface; other zoned lines fail (EAI_NONAME for that line), "+other(a, b, "musl").Model+" keeps them.")
		},
	},
	{ // musl's MAXADDRS.
		applies: func(sc *engine.Scenario, a, b *engine.Result) bool { return has(a, b, "musl") },
		edit: func(x *engine.Scenario) bool {
			if len(x.Destinations) <= 48 {
				return false
			}
			x.Destinations = x.Destinations[:48]
			return true
		},
		why: func(sc *engine.Scenario, a, b *engine.Result) Cause {
			return cause("list:musl-maxaddrs-48",
				"musl keeps at most MAXADDRS = 48 addresses and stops reading /etc/hosts at the 48th; "+other(a, b, "musl").Model+" returns them all.")
		},
	},
	{ // Lines glibc's files backend converts between families.
		applies: func(sc *engine.Scenario, a, b *engine.Result) bool { return has(a, b, "glibc") },
		edit: func(x *engine.Scenario) bool {
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
		why: func(sc *engine.Scenario, a, b *engine.Result) Cause {
			if sc.Hints.Family == engine.FamilyInet6 {
				return cause("list:glibc-files-v4mapped-lines",
					"under AF_INET6 + AI_V4MAPPED glibc's files backend also reads ::ffff:a.b.c.d and ::1 lines as IPv4 (a.b.c.d, 127.0.0.1) and maps them again, or drops the written ::ffff: lines when an IPv6 answer exists; "+other(a, b, "glibc").Model+" keeps such lines as written.")
			}
			return cause("list:glibc-files-inet-v6lines",
				"for AF_INET glibc's files backend reads an IPv4-mapped line ::ffff:a.b.c.d as a.b.c.d and ::1 as 127.0.0.1; "+other(a, b, "glibc").Model+" skips IPv6 lines for AF_INET.")
		},
	},
	{ // AI_V4MAPPED (with AF_INET6).
		applies: func(sc *engine.Scenario, a, b *engine.Result) bool { return true },
		edit: func(x *engine.Scenario) bool {
			if x.Hints.Family != engine.FamilyInet6 || x.Hints.Flags&(engine.AIV4Mapped|engine.AIAll) == 0 {
				return false
			}
			x.Hints.Flags &^= engine.AIV4Mapped | engine.AIAll
			return true
		},
		why: func(sc *engine.Scenario, a, b *engine.Result) Cause {
			if has(a, b, "glibc") {
				return cause("list:glibc-v4mapped", "glibc asks the files backend for AF_INET6 lines first and maps the IPv4 view of every line only when there was none (or with AI_ALL); "+other(a, b, "glibc").Model+" maps the IPv4 lines of the one list.")
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
// the 48-address cap, AI_V4MAPPED), each edit kept; when the two lists
// agree, the cause is the first edit that changed either answer. ia and ib
// are the models' positions in c.Models.
func (c *Comparer) listCause(sc *engine.Scenario, ia, ib int, a, b *engine.Result) Cause {
	if has(a, b, "glibc") && pick(a, b, "glibc").Err == "SIGSEGV" {
		return cause("list:glibc-gaiconf-crash",
			"glibc 2.36 crashes (SIGSEGV) on an AF_UNSPEC lookup when gai.conf has a scopev4 line without /LEN (uninitialised pointer, bug 32465); the other model answers.")
	}
	x := sc
	var mask uint32
	pa, pb := ansOf(a), ansOf(b)
	first := -1
	for i := range neutralizers {
		n := &neutralizers[i]
		if !n.applies(sc, a, b) {
			continue
		}
		m := mask | 1<<i
		cf := c.counterfactualOf(m, func() *engine.Scenario {
			y := x.Clone()
			if !n.edit(y) {
				return nil
			}
			return y
		})
		if cf == nil {
			continue
		}
		x, mask = cf.sc, m
		ca, cb := cf.ans[ia], cf.ans[ib]
		if first < 0 && (!ca.equal(pa) || !cb.equal(pb)) {
			first = i
		}
		pa, pb = ca, cb
		if first >= 0 && sameAnsList(ca, cb) {
			return neutralizers[first].why(sc, a, b)
		}
	}
	if has(a, b, "musl") && pick(a, b, "musl").Err == "EAI_AGAIN" {
		return cause("list:musl-dns-fallback",
			"no /etc/hosts line of the asked family: musl falls through to DNS (nameserver 127.0.0.1, nothing listens) and times out with EAI_AGAIN; "+other(a, b, "musl").Model+" answers without DNS.")
	}
	return cause(Unclassified, "the two answers hold different addresses and no known quirk explains it")
}

func addrconfigText(a, b *engine.Result) string {
	var parts []string
	for _, r := range []*engine.Result{a, b} {
		switch r.Model {
		case "glibc":
			parts = append(parts, "glibc counts a family as configured when the host has an address of it other than exactly 127.0.0.1 or ::1 (link-local counts) and narrows AF_UNSPEC only when exactly one family is")
		case "musl":
			parts = append(parts, "musl counts a family as configured when a UDP connect() to its loopback address works (with lo up: always)")
		case "rfc6724":
			parts = append(parts, "the RFC model keeps a family only if the host has a non-loopback address of it (127/8 and ::1 do not count)")
		}
	}
	return "AI_ADDRCONFIG means different things: " + strings.Join(parts, "; ") + "."
}
