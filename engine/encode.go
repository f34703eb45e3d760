package engine

// The canonical encoding of a scenario: compact JSON, fields in the order
// of docs/scenario.md, optional fields left out at their defaults.
// Share links, test vectors and the oracle's records use it, so that equal
// scenarios have equal bytes. Built with the append helpers of json.go
// (see there why not encoding/json).

// AppendJSON appends the canonical encoding of sc to dst: "version" always;
// "interfaces", "addresses", "routes", "gai_conf", "hints" and each of its
// members only when not empty; "deprecated", "home", "onlink" only when
// true; "metric" when given (HasMetric); a Default route's "to" as
// "default"; flags in the order AI_ADDRCONFIG, AI_V4MAPPED, AI_ALL. For a
// valid sc, ParseScenario(sc.AppendJSON(nil)) equals sc (with empty slices
// decoded as nil).
func (sc *Scenario) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"version":`...)
	dst = appendJSONUint(dst, uint64(sc.Version))
	if len(sc.Interfaces) > 0 {
		dst = append(dst, `,"interfaces":[`...)
		for i := range sc.Interfaces {
			ifc := &sc.Interfaces[i]
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONKey(dst, true, "name")
			dst = appendJSONString(dst, ifc.Name)
			if len(ifc.Addresses) > 0 {
				dst = append(dst, `,"addresses":[`...)
				for j, a := range ifc.Addresses {
					if j > 0 {
						dst = append(dst, ',')
					}
					dst = append(dst, `{"cidr":"`...)
					dst = a.Prefix.AppendTo(dst)
					dst = append(dst, '"')
					if a.Deprecated {
						dst = append(dst, `,"deprecated":true`...)
					}
					if a.Home {
						dst = append(dst, `,"home":true`...)
					}
					dst = append(dst, '}')
				}
				dst = append(dst, ']')
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if len(sc.Routes) > 0 {
		dst = append(dst, `,"routes":[`...)
		for i := range sc.Routes {
			rt := &sc.Routes[i]
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"to":"`...)
			if rt.Default {
				dst = append(dst, "default"...)
			} else {
				dst = rt.To.AppendTo(dst)
			}
			dst = append(dst, '"')
			if rt.Via.IsValid() {
				dst = append(dst, `,"via":"`...)
				dst = rt.Via.AppendTo(dst)
				dst = append(dst, '"')
			}
			if rt.Dev != "" {
				dst = appendJSONKey(dst, false, "dev")
				dst = appendJSONString(dst, rt.Dev)
			}
			if rt.Src.IsValid() {
				dst = append(dst, `,"src":"`...)
				dst = rt.Src.AppendTo(dst)
				dst = append(dst, '"')
			}
			if rt.HasMetric {
				dst = append(dst, `,"metric":`...)
				dst = appendJSONUint(dst, uint64(rt.Metric))
			}
			if rt.OnLink {
				dst = append(dst, `,"onlink":true`...)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"destinations":[`...)
	for i, d := range sc.Destinations {
		if i > 0 {
			dst = append(dst, ',')
		}
		if d.Zone() != "" {
			// A zone is an interface name: escape it like any string.
			dst = appendJSONString(dst, d.String())
			continue
		}
		dst = append(dst, '"')
		dst = d.AppendTo(dst)
		dst = append(dst, '"')
	}
	dst = append(dst, ']')
	if sc.GaiConf != "" {
		dst = appendJSONKey(dst, false, "gai_conf")
		dst = appendJSONString(dst, sc.GaiConf)
	}
	if sc.Hints != (Hints{}) {
		dst = append(dst, `,"hints":`...)
		first := true
		if sc.Hints.Family != FamilyUnspec {
			dst = appendJSONKey(dst, true, "family")
			dst = appendJSONString(dst, sc.Hints.Family.String())
			first = false
		}
		if sc.Hints.Flags != 0 {
			dst = appendJSONKey(dst, first, "flags")
			dst = append(dst, '[')
			n := 0
			for i, name := range flagNames {
				if sc.Hints.Flags&(1<<i) != 0 {
					if n > 0 {
						dst = append(dst, ',')
					}
					dst = appendJSONString(dst, name)
					n++
				}
			}
			dst = append(dst, ']')
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}
