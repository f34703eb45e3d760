package engine_test

// A slow, obviously correct reference for ParseScenario and
// ParseScenarios, in the spirit of net/netip's slow_test.go: the document
// is checked with encoding/json (json.Valid, then a token-by-token decode
// that refuses duplicate member names) and decoded into plain Go values,
// which are then turned into a Scenario field by field, with netip's own
// parsers for addresses and prefixes, and validated. It shares nothing
// with json.go and decode.go but the validator and the format's names.
// The differential tests (decode_fast_test.go) check that the fast reader
// accepts exactly what this accepts, with the same Scenario; the exact
// words of its errors are pinned by decode_test.go's tables.

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"strconv"
	"unicode/utf8"

	"github.com/gaisort/gaisort/engine"
)

var errSlow = errors.New("refused")

// slowParseScenario is ParseScenario: the scenario, or false.
func slowParseScenario(data []byte) (*engine.Scenario, bool) {
	if len(data) > engine.MaxDocumentBytes {
		return nil, false
	}
	v, ok := slowJSON(data)
	if !ok {
		return nil, false
	}
	sc, err := slowScenario(v)
	if err != nil || sc.Validate() != nil {
		return nil, false
	}
	return sc, true
}

// slowParseScenarios is ParseScenarios: one scenario object or an array
// of them.
func slowParseScenarios(data []byte) ([]*engine.Scenario, bool) {
	if len(data) > engine.MaxBatchBytes {
		return nil, false
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		sc, ok := slowParseScenario(data)
		if !ok {
			return nil, false
		}
		return []*engine.Scenario{sc}, true
	}
	v, ok := slowJSON(data)
	if !ok {
		return nil, false
	}
	// An array, nothing else: encoding/json would read null into a nil
	// slice, and the format has no null.
	if _, isArray := v.([]any); !isArray {
		return nil, false
	}
	var elems []json.RawMessage
	if json.Unmarshal(data, &elems) != nil || len(elems) > engine.MaxBatch {
		return nil, false
	}
	out := []*engine.Scenario{}
	for _, e := range elems {
		sc, ok := slowParseScenario(e)
		if !ok {
			return nil, false
		}
		out = append(out, sc)
	}
	return out, true
}

// slowJSON decodes a document the format's way: RFC 8259 exactly, UTF-8,
// no lone surrogate escapes, no duplicate member names. Objects become
// map[string]any, numbers json.Number.
func slowJSON(data []byte) (any, bool) {
	if !json.Valid(data) || !utf8.Valid(data) || loneSurrogate(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := slowValue(dec)
	return v, err == nil
}

// slowValue reads one value, refusing an object with a name twice.
func slowValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		m := map[string]any{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key := k.(string)
			if _, dup := m[key]; dup {
				return nil, errSlow
			}
			if m[key], err = slowValue(dec); err != nil {
				return nil, err
			}
		}
		_, err = dec.Token()
		return m, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := slowValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err = dec.Token()
		return a, err
	}
	return tok, nil
}

// loneSurrogate reports whether a \u escape of a surrogate is not part of
// a high-low pair (encoding/json would take it as U+FFFD).
func loneSurrogate(data []byte) bool {
	hex := func(i int) uint64 { // the \uXXXX at data[i:], or 0
		if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' {
			return 0
		}
		u, _ := strconv.ParseUint(string(data[i+2:i+6]), 16, 16)
		return u
	}
	for i := 0; i < len(data); i++ {
		u := hex(i)
		switch {
		case data[i] != '\\':
		case 0xdc00 <= u && u < 0xe000:
			return true
		case 0xd800 <= u && u < 0xdc00:
			if lo := hex(i + 6); lo < 0xdc00 || lo >= 0xe000 {
				return true
			}
			i += 11
		default:
			i++ // the escaped byte: a backslash there escapes nothing
		}
	}
	return false
}

// slowObject checks that v is an object whose names are all in allowed.
func slowObject(v any, allowed ...string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errSlow
	}
	for k := range m {
		found := false
		for _, a := range allowed {
			found = found || k == a
		}
		if !found {
			return nil, errSlow
		}
	}
	return m, nil
}

// slowArray is the member key of m as an array, nil when it is empty or
// absent (null is no array).
func slowArray(m map[string]any, key string) ([]any, error) {
	v, present := m[key]
	if !present {
		return nil, nil
	}
	a, ok := v.([]any)
	if !ok {
		return nil, errSlow
	}
	if len(a) == 0 {
		return nil, nil
	}
	return a, nil
}

func slowString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", errSlow
}

// slowBool is the member key of m as a boolean, false when absent.
func slowBool(m map[string]any, key string) (bool, error) {
	v, present := m[key]
	if !present {
		return false, nil
	}
	if b, ok := v.(bool); ok {
		return b, nil
	}
	return false, errSlow
}

// slowPrefix is an address/length without a zone, host bits kept.
func slowPrefix(v any) (netip.Prefix, error) {
	s, err := slowString(v)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.ParsePrefix(s)
}

// slowAddr is an address, with a zone only when zoneOK.
func slowAddr(v any, zoneOK bool) (netip.Addr, error) {
	s, err := slowString(v)
	if err != nil {
		return netip.Addr{}, err
	}
	a, err := netip.ParseAddr(s)
	if err == nil && a.Zone() != "" && !zoneOK {
		err = errSlow
	}
	return a, err
}

func slowScenario(v any) (*engine.Scenario, error) {
	m, err := slowObject(v, "version", "interfaces", "routes", "destinations", "gai_conf", "hints")
	if err != nil {
		return nil, err
	}
	sc := &engine.Scenario{Version: 1}
	if ver, ok := m["version"]; ok && ver != json.Number("1") {
		return nil, errSlow
	}
	ifaces, e1 := slowArray(m, "interfaces")
	routes, e2 := slowArray(m, "routes")
	dests, e3 := slowArray(m, "destinations")
	if err := errors.Join(e1, e2, e3); err != nil {
		return nil, err
	}
	if _, ok := m["destinations"]; !ok {
		return nil, errSlow
	}
	for _, iv := range ifaces {
		im, err := slowObject(iv, "name", "addresses")
		if err != nil {
			return nil, err
		}
		if _, ok := im["name"]; !ok {
			return nil, errSlow
		}
		var ifc engine.Interface
		addrs, e1 := slowArray(im, "addresses")
		name, e2 := slowString(im["name"])
		if err := errors.Join(e1, e2); err != nil {
			return nil, err
		}
		ifc.Name = name
		for _, av := range addrs {
			am, err := slowObject(av, "cidr", "deprecated", "home")
			if err != nil {
				return nil, err
			}
			var a engine.IfAddr
			var e1, e2, e3 error
			a.Prefix, e1 = slowPrefix(am["cidr"])
			a.Deprecated, e2 = slowBool(am, "deprecated")
			a.Home, e3 = slowBool(am, "home")
			if err := errors.Join(e1, e2, e3); err != nil {
				return nil, err
			}
			ifc.Addresses = append(ifc.Addresses, a)
		}
		sc.Interfaces = append(sc.Interfaces, ifc)
	}
	for _, rv := range routes {
		rm, err := slowObject(rv, "to", "via", "dev", "src", "metric", "onlink")
		if err != nil {
			return nil, err
		}
		var rt engine.Route
		var errs []error
		if _, ok := rm["via"]; ok {
			rt.Via, err = slowAddr(rm["via"], false)
			errs = append(errs, err)
		}
		if _, ok := rm["src"]; ok {
			rt.Src, err = slowAddr(rm["src"], false)
			errs = append(errs, err)
		}
		if _, ok := rm["dev"]; ok {
			rt.Dev, err = slowString(rm["dev"])
			errs = append(errs, err)
		}
		if n, ok := rm["metric"]; ok {
			num, _ := n.(json.Number)
			m, err := strconv.ParseUint(string(num), 10, 32)
			rt.Metric, rt.HasMetric = uint32(m), true
			errs = append(errs, err)
		}
		rt.OnLink, err = slowBool(rm, "onlink")
		errs = append(errs, err)
		to, err := slowString(rm["to"])
		switch {
		case err != nil:
			errs = append(errs, err)
		case to == "default" && rt.Via.Is6():
			rt.Default, rt.To = true, netip.PrefixFrom(netip.IPv6Unspecified(), 0)
		case to == "default":
			rt.Default, rt.To = true, netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		default:
			rt.To, err = netip.ParsePrefix(to)
			errs = append(errs, err)
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		sc.Routes = append(sc.Routes, rt)
	}
	for _, dv := range dests {
		a, err := slowAddr(dv, true)
		if err != nil {
			return nil, err
		}
		sc.Destinations = append(sc.Destinations, a)
	}
	if g, ok := m["gai_conf"]; ok {
		if sc.GaiConf, err = slowString(g); err != nil {
			return nil, err
		}
	}
	if h, ok := m["hints"]; ok {
		hm, err := slowObject(h, "family", "flags")
		if err != nil {
			return nil, err
		}
		if f, ok := hm["family"]; ok {
			s, _ := f.(string)
			if sc.Hints.Family, ok = engine.ParseFamily(s); !ok {
				return nil, errSlow
			}
		}
		flags, err := slowArray(hm, "flags")
		if err != nil {
			return nil, err
		}
		for _, fv := range flags {
			s, _ := fv.(string)
			fl, ok := engine.ParseFlag(s)
			if !ok || sc.Hints.Flags&fl != 0 {
				return nil, errSlow
			}
			sc.Hints.Flags |= fl
		}
	}
	return sc, nil
}
