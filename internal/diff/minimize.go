package diff

import (
	"strings"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
)

// Has reports whether comparing sc gives a divergence between models a and
// b with the cause id.
func (c *Comparer) Has(sc *engine.Scenario, a, b, id string) bool {
	if sc.Validate() != nil {
		return false
	}
	for _, d := range c.Compare(sc) {
		if d.A == a && d.B == b && d.Cause.ID == id {
			return true
		}
	}
	return false
}

// Minimize shrinks sc while models a and b still diverge on it with the
// same cause id, keeping it valid (greedy delta debugging, biggest steps
// first, as the oracle driver shrinks disagreements). It stops after
// budget comparisons and returns the smallest scenario found (a copy; sc
// is not changed) and the number of comparisons made.
func (c *Comparer) Minimize(sc *engine.Scenario, a, b, id string, budget int) (*engine.Scenario, int) {
	cur := sc.Clone()
	runs := 0
	for {
		progressed := false
		for _, cand := range scengen.Simplifications(cur) {
			if runs >= budget {
				return cur, runs
			}
			runs++
			if c.Has(cand, a, b, id) {
				cur, progressed = cand, true
				break
			}
		}
		if !progressed {
			return cur, runs
		}
	}
}

// Size is a scenario's size for comparing minimizations: its elements
// counted.
func Size(sc *engine.Scenario) int {
	n := len(sc.Destinations) + len(sc.Routes) + len(sc.Interfaces) + strings.Count(sc.GaiConf, "\n")
	if sc.GaiConf != "" {
		n++
	}
	for _, in := range sc.Interfaces {
		n += len(in.Addresses)
	}
	n += len(sc.Hints.Flags.Names())
	if sc.Hints.Family != engine.FamilyUnspec {
		n++
	}
	return n
}
