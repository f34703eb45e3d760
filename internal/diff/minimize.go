package diff

import (
	"net/netip"
	"strings"

	"github.com/gaisort/gaisort/engine"
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
	cur := clone(sc)
	runs := 0
	for {
		progressed := false
		for _, cand := range candidates(cur) {
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

// candidates lists one-step simplifications of sc, biggest steps first.
func candidates(sc *engine.Scenario) []*engine.Scenario {
	var out []*engine.Scenario
	add := func(f func(c *engine.Scenario)) {
		c := clone(sc)
		f(c)
		out = append(out, c)
	}
	n := len(sc.Destinations)
	for chunk := n / 2; chunk >= 1; chunk /= 2 {
		for start := 0; start < n; start += chunk {
			s, e := start, min(start+chunk, n)
			if e-s == n {
				continue
			}
			add(func(c *engine.Scenario) {
				c.Destinations = append(c.Destinations[:s:s], c.Destinations[e:]...)
			})
		}
	}
	if sc.GaiConf != "" {
		add(func(c *engine.Scenario) { c.GaiConf = "" })
		lines := strings.SplitAfter(sc.GaiConf, "\n")
		if len(lines) > 1 {
			for i := range lines {
				if lines[i] == "" {
					continue
				}
				add(func(c *engine.Scenario) {
					c.GaiConf = strings.Join(append(append([]string{}, lines[:i]...), lines[i+1:]...), "")
				})
			}
		}
	}
	for i := range sc.Interfaces {
		name := sc.Interfaces[i].Name
		add(func(c *engine.Scenario) {
			c.Interfaces = append(c.Interfaces[:i:i], c.Interfaces[i+1:]...)
			var rts []engine.Route
			for _, rt := range c.Routes {
				if rt.Dev != name {
					rts = append(rts, rt)
				}
			}
			c.Routes = rts
			for k, d := range c.Destinations {
				if d.Zone() == name {
					c.Destinations[k] = d.WithZone("")
				}
			}
		})
	}
	if len(sc.Routes) > 1 {
		add(func(c *engine.Scenario) { c.Routes = nil })
	}
	for i := range sc.Routes {
		add(func(c *engine.Scenario) { c.Routes = append(c.Routes[:i:i], c.Routes[i+1:]...) })
	}
	for i, in := range sc.Interfaces {
		for j := range in.Addresses {
			add(func(c *engine.Scenario) {
				a := c.Interfaces[i].Addresses
				c.Interfaces[i].Addresses = append(a[:j:j], a[j+1:]...)
			})
		}
	}
	for _, f := range []engine.Flags{engine.AIAll, engine.AIV4Mapped, engine.AIAddrConfig} {
		if sc.Hints.Flags&f != 0 {
			add(func(c *engine.Scenario) { c.Hints.Flags &^= f })
		}
	}
	if sc.Hints.Family != engine.FamilyUnspec {
		add(func(c *engine.Scenario) { c.Hints.Family = engine.FamilyUnspec })
	}
	for i, in := range sc.Interfaces {
		for j, a := range in.Addresses {
			if a.Deprecated {
				add(func(c *engine.Scenario) { c.Interfaces[i].Addresses[j].Deprecated = false })
			}
			if a.Home {
				add(func(c *engine.Scenario) { c.Interfaces[i].Addresses[j].Home = false })
			}
		}
	}
	for i, rt := range sc.Routes {
		if rt.Src.IsValid() {
			add(func(c *engine.Scenario) { c.Routes[i].Src = netip.Addr{} })
		}
		if rt.HasMetric {
			add(func(c *engine.Scenario) { c.Routes[i].Metric, c.Routes[i].HasMetric = 0, false })
		}
		if rt.Via.IsValid() && rt.Dev != "" && !rt.OnLink {
			add(func(c *engine.Scenario) { c.Routes[i].Dev = "" })
		}
	}
	for k, d := range sc.Destinations {
		if d.Zone() != "" {
			add(func(c *engine.Scenario) { c.Destinations[k] = d.WithZone("") })
		}
	}
	return out
}
