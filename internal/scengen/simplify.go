package scengen

import (
	"net/netip"
	"strings"

	"github.com/gaisort/gaisort/engine"
)

// Simplifications lists the one-step simplifications of sc, biggest steps
// first: what a minimizer (delta debugging) tries in turn. Each is a copy;
// some may be invalid, and the caller checks.
func Simplifications(sc *engine.Scenario) []*engine.Scenario {
	var out []*engine.Scenario
	add := func(f func(c *engine.Scenario)) {
		c := sc.Clone()
		f(c)
		out = append(out, c)
	}
	n := len(sc.Destinations)
	// Destinations: halves, quarters, then each one.
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
	// Addresses across all interfaces: halves, quarters, ... (single ones
	// below).
	type ij struct{ i, j int }
	var all []ij
	for i, in := range sc.Interfaces {
		for j := range in.Addresses {
			all = append(all, ij{i, j})
		}
	}
	for chunk := len(all) / 2; chunk >= 2; chunk /= 2 {
		for start := 0; start < len(all); start += chunk {
			drop := map[ij]bool{}
			for _, x := range all[start:min(start+chunk, len(all))] {
				drop[x] = true
			}
			add(func(c *engine.Scenario) {
				for i := range c.Interfaces {
					var keep []engine.IfAddr
					for j, a := range c.Interfaces[i].Addresses {
						if !drop[ij{i, j}] {
							keep = append(keep, a)
						}
					}
					c.Interfaces[i].Addresses = keep
				}
			})
		}
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
