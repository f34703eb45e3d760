package engine

// Decoding the scenario format (docs/scenario.md, v1) with the
// reader of json.go (see there why not encoding/json).
//
// Choices the spec leaves open, made here:
//   - "version" may be absent, which means 1; present, it must be exactly
//     the number 1 (not "1", not 1.0): a later version can add fields this
//     reader cannot know, so it refuses rather than guesses.
//   - null is never accepted, not even for an optional field: leave the
//     field out instead. One spelling per meaning keeps share links and
//     test vectors canonical.
//   - Unknown fields are errors everywhere, naming the allowed ones.
//   - An empty array is the same as an absent one (except that
//     "destinations" needs at least one address); decoded, both are nil.
//   - Required: "destinations", interfaces[].name, addresses[].cidr,
//     routes[].to. Everything else is optional.
//   - Error paths are JSON paths (interfaces[0].addresses[1].cidr); inside
//     a ParseScenarios array they start with the index ([3].routes[0].via).
//     The path "" is the document as a whole; Error() is then the message
//     alone.

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// ScenarioError is why a scenario was rejected, and where.
type ScenarioError struct {
	// Code is the kind of rejection: a limit passed, or anything else.
	// Decide on it, never on Msg (whose words may change).
	Code ErrorCode
	// Path is the JSON path of the offending value, as in
	// interfaces[0].addresses[1].cidr, [3].routes[0] in a batch, or "" for
	// the document as a whole.
	Path string
	// Msg says what is wrong, in plain words: one line of valid UTF-8
	// without control characters, whatever the input (input it echoes is
	// quoted).
	Msg string
}

// ErrorCode classifies a ScenarioError. Its String is the WebAssembly
// module's error code for it (wasm/ABI.md), stable within an ABI version.
type ErrorCode uint8

const (
	// BadScenario: the input is not JSON, not a scenario, or not a valid
	// one (the zero value).
	BadScenario ErrorCode = iota
	// TooLarge: the input is past a limit of limits.go.
	TooLarge
)

func (c ErrorCode) String() string {
	switch c {
	case BadScenario:
		return "bad_scenario"
	case TooLarge:
		return "too_large"
	}
	return "ErrorCode(" + itoa(int(c)) + ")"
}

// tooLarge is a ScenarioError for a limit passed.
func tooLarge(path, msg string) *ScenarioError {
	return &ScenarioError{Code: TooLarge, Path: path, Msg: msg}
}

func (e *ScenarioError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// ParseScenario decodes one scenario (a JSON object) and validates it (see
// Validate). Every error is a *ScenarioError.
func ParseScenario(data []byte) (*Scenario, error) {
	if len(data) > MaxDocumentBytes {
		return nil, tooLarge("", "the document is "+itoa(len(data))+" bytes; the limit (MaxDocumentBytes) is "+itoa(MaxDocumentBytes))
	}
	r := &jsonReader{data: data}
	if r.ws(); r.eof() {
		return nil, &ScenarioError{Msg: "the document is empty (expected a scenario object)"}
	}
	sc := r.scenario()
	if !r.end() {
		return nil, r.err
	}
	if err := sc.validate(); err != nil {
		return nil, err
	}
	return sc, nil
}

// ParseScenarios decodes either one scenario object or an array of them,
// validating each. In an array, error paths start with the scenario's
// index ("[3].routes[0].via"). An empty array gives an empty slice.
func ParseScenarios(data []byte) ([]*Scenario, error) {
	if len(data) > MaxBatchBytes {
		return nil, tooLarge("", "the document is "+itoa(len(data))+" bytes; the limit (MaxBatchBytes) is "+itoa(MaxBatchBytes))
	}
	r := &jsonReader{data: data}
	switch c := r.ws(); {
	case r.eof():
		return nil, &ScenarioError{Msg: "the document is empty (expected a scenario object or an array of them)"}
	case c == '{':
		if len(data) > MaxDocumentBytes {
			return nil, tooLarge("", "the scenario is "+itoa(len(data))+" bytes; the limit (MaxDocumentBytes) is "+itoa(MaxDocumentBytes))
		}
		sc := r.scenario()
		if !r.end() {
			return nil, r.err
		}
		if err := sc.validate(); err != nil {
			return nil, err
		}
		return []*Scenario{sc}, nil
	}
	if !r.open('[', "a scenario object or an array of them") {
		return nil, r.err
	}
	out := []*Scenario{}
	for first := true; r.more(&first, ']'); {
		i := len(out)
		r.pushIndex(i)
		if i >= MaxBatch {
			r.failLimit("more than " + itoa(MaxBatch) + " scenarios (the limit, MaxBatch)")
			break
		}
		start := r.pos
		sc := r.scenario()
		if r.err != nil {
			break
		}
		if n := r.pos - start; n > MaxDocumentBytes {
			r.failLimit("the scenario is " + itoa(n) + " bytes; the limit (MaxDocumentBytes) is " + itoa(MaxDocumentBytes))
			break
		}
		if err := sc.validate(); err != nil {
			return nil, &ScenarioError{Code: err.Code, Path: joinPath("["+itoa(i)+"]", err.Path), Msg: err.Msg}
		}
		out = append(out, sc)
		r.pop()
	}
	if !r.end() {
		return nil, r.err
	}
	return out, nil
}

// joinPath joins a path prefix and a path relative to it.
func joinPath(prefix, rel string) string {
	if rel == "" || rel[0] == '[' {
		return prefix + rel
	}
	return prefix + "." + rel
}

// Field names, in the spec's order; the decoders' error messages list
// them.
var (
	scenarioFields  = []string{"version", "interfaces", "routes", "destinations", "gai_conf", "hints"}
	interfaceFields = []string{"name", "addresses"}
	addressFields   = []string{"cidr", "deprecated", "home"}
	routeFields     = []string{"to", "via", "dev", "src", "metric", "onlink"}
	hintsFields     = []string{"family", "flags"}
)

// member reads the next member name of an object and pushes it on the
// path, checking it against the allowed names (it returns the index of the
// name) and against the ones already seen.
func (r *jsonReader) member(allowed []string, seen *uint32) (int, bool) {
	k, ok := r.key()
	if !ok {
		return -1, false
	}
	for idx, name := range allowed {
		if string(k) == name {
			r.push(name)
			if *seen&(1<<idx) != 0 {
				return -1, r.fail("duplicate field (each field may appear once)")
			}
			*seen |= 1 << idx
			return idx, true
		}
	}
	key := string(k)
	r.push(key)
	list := strings.Join(allowed, ", ")
	msg := "unknown field (allowed: " + list + ")"
	for _, name := range allowed {
		if asciiEqualFold(key, name) {
			msg = "unknown field (did you mean " + quote(name) + "? allowed: " + list + ")"
		}
	}
	return -1, r.fail(msg)
}

// asciiEqualFold is strings.EqualFold for ASCII; strings.EqualFold would
// link the unicode tables into the WebAssembly module.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// missing reports a required field absent from the object at the path.
func (r *jsonReader) missing(field, what string) bool {
	return r.fail("missing " + quote(field) + " (" + what + ")")
}

// scenario reads one scenario object (not validated).
func (r *jsonReader) scenario() *Scenario {
	// The Scenario and its first destinations share one allocation.
	blk := &scenarioBlock{sc: Scenario{Version: 1}}
	sc := &blk.sc
	if !r.open('{', "an object (a scenario)") {
		return sc
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(scenarioFields, &seen)
		if !ok {
			break
		}
		switch f {
		case 0: // version
			num, ok := r.Number()
			if ok && string(num) != "1" {
				r.fail("version " + string(num) + " is not supported (this reader knows only version 1)")
			}
		case 1:
			sc.Interfaces = r.interfaces()
		case 2:
			sc.Routes = r.routes(sc.Interfaces)
		case 3:
			sc.Destinations = r.destinations(blk.dests[:0])
		case 4:
			if s, ok := r.StringCopy(); ok {
				if len(s) > MaxGaiConfBytes {
					r.failLimit("gai.conf text of " + itoa(len(s)) + " bytes; the limit (MaxGaiConfBytes) is " + itoa(MaxGaiConfBytes))
				}
				sc.GaiConf = s
			}
		case 5:
			r.hints(&sc.Hints)
		}
		r.pop()
	}
	if r.err == nil && seen&(1<<3) == 0 {
		r.missing("destinations", "the addresses the name resolves to, at least one")
	}
	return sc
}

func (r *jsonReader) interfaces() []Interface {
	var stack [4]Interface
	out := stack[:0]
	if !r.open('[', "an array of interfaces") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxInterfaces {
			r.failLimit("more than " + itoa(MaxInterfaces) + " interfaces (the limit, MaxInterfaces)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, Interface{})
		r.iface(&out[len(out)-1])
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	return slices.Clone(out)
}

func (r *jsonReader) iface(ifc *Interface) {
	if !r.open('{', "an object (an interface)") {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(interfaceFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			ifc.Name, _ = r.StringCopy()
		case 1:
			ifc.Addresses = r.addresses()
		}
		r.pop()
	}
	if r.err == nil && seen&1 == 0 {
		r.missing("name", "the interface's name, e.g. eth0")
	}
}

func (r *jsonReader) addresses() []IfAddr {
	var stack [8]IfAddr
	out := stack[:0]
	if !r.open('[', "an array of addresses") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxAddressesPerInterface {
			r.failLimit("more than " + itoa(MaxAddressesPerInterface) + " addresses (the limit, MaxAddressesPerInterface)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, IfAddr{})
		r.address(&out[len(out)-1])
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	return slices.Clone(out)
}

func (r *jsonReader) address(a *IfAddr) {
	if !r.open('{', `an object (an address, e.g. {"cidr": "172.19.0.7/16"})`) {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(addressFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			if s, ok := r.String(); ok {
				p, msg := parseCIDR(s, false)
				if msg != "" {
					r.fail(msg)
				}
				a.Prefix = p
			}
		case 1:
			a.Deprecated, _ = r.Bool()
		case 2:
			a.Home, _ = r.Bool()
		}
		r.pop()
	}
	if r.err == nil && seen&1 == 0 {
		r.missing("cidr", "the address and its prefix length, e.g. 172.19.0.7/16")
	}
}

func (r *jsonReader) routes(ifaces []Interface) []Route {
	var stack [4]Route
	out := stack[:0]
	if !r.open('[', "an array of routes") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxRoutes {
			r.failLimit("more than " + itoa(MaxRoutes) + " routes (the limit, MaxRoutes)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, Route{})
		r.route(&out[len(out)-1], ifaces)
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	return slices.Clone(out)
}

func (r *jsonReader) route(rt *Route, ifaces []Interface) {
	if !r.open('{', `an object (a route, e.g. {"to": "default", "via": "172.19.0.1"})`) {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(routeFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			if s, ok := r.String(); ok {
				if string(s) == "default" {
					rt.Default = true
				} else {
					p, msg := parseCIDR(s, true)
					if msg != "" {
						r.fail(msg)
					}
					rt.To = p
				}
			}
		case 1:
			rt.Via = r.addr(false)
		case 2:
			if s, ok := r.String(); ok {
				rt.Dev = internName(s, ifaces)
			}
		case 3:
			rt.Src = r.addr(false)
		case 4:
			rt.Metric, _ = r.Uint32()
			rt.HasMetric = true
		case 5:
			rt.OnLink, _ = r.Bool()
		}
		r.pop()
	}
	if r.err != nil {
		return
	}
	if seen&1 == 0 {
		r.missing("to", `the destination prefix or "default"`)
		return
	}
	if rt.Default {
		// The spec: default's family is the family of via, IPv4 when
		// there is no via.
		if rt.Via.Is6() {
			rt.To = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
		} else {
			rt.To = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		}
	}
}

// scenarioBlock is a Scenario with room for the destinations of a typical
// one: one allocation instead of two.
type scenarioBlock struct {
	sc    Scenario
	dests [8]netip.Addr
}

// destinations reads the destinations into room when they fit.
func (r *jsonReader) destinations(room []netip.Addr) []netip.Addr {
	var stack [16]netip.Addr
	out := stack[:0]
	if !r.open('[', "an array of addresses") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxDestinations {
			r.failLimit("more than " + itoa(MaxDestinations) + " addresses (the limit, MaxDestinations)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, r.addr(true))
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	if len(out) <= cap(room) {
		return append(room, out...)[:len(out):len(out)]
	}
	return slices.Clone(out)
}

// addr reads an address (no prefix length); zoneOK allows an IPv6 zone
// (Validate checks it).
func (r *jsonReader) addr(zoneOK bool) netip.Addr {
	s, ok := r.String()
	if !ok {
		return netip.Addr{}
	}
	a, err := parseAddrBytes(s)
	if err != nil {
		if i := strings.IndexByte(string(s), '/'); i >= 0 {
			if _, err := netip.ParseAddr(string(s[:i])); err == nil {
				r.fail(quote(string(s)) + " is a prefix; write the address alone: " + quote(string(s[:i])))
				return netip.Addr{}
			}
		}
		r.fail(quote(string(s)) + " is not an IP address (" + addrReason(err, string(s)) + ")")
		return netip.Addr{}
	}
	if a.Zone() != "" && !zoneOK {
		r.fail(quote(string(s)) + " has a zone; a gateway or source takes none (name the interface in dev)")
		return netip.Addr{}
	}
	return a
}

// parseAddrBytes is netip.ParseAddr on bytes (parseAddrFast first, for
// the common spellings) without copying them into a string first: that
// copy was half of ParseScenario's allocations. It is
// safe because netip.ParseAddr keeps nothing of its argument in the Addr
// it returns (a zone is copied by unique.Make); only its error quotes the
// argument, so on error the parse is redone on a real copy.
func parseAddrBytes(b []byte) (netip.Addr, error) {
	if a, ok := parseAddrFast(b); ok {
		return a, nil
	}
	if len(b) == 0 {
		return netip.ParseAddr("")
	}
	a, err := netip.ParseAddr(unsafe.String(&b[0], len(b)))
	if err != nil {
		return netip.ParseAddr(string(b))
	}
	return a, nil
}

// addrReason is netip's reason why s is no address, without its
// ParseAddr("…"): preamble.
func addrReason(err error, s string) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "ParseAddr("+strconv.Quote(s)+"): "); ok {
		return rest
	}
	return msg
}

// parseCIDR parses address/length as written (host bits kept). It returns
// a message saying what is wrong, or "". isRoute tailors the hint for a
// missing length.
func parseCIDR(b []byte, isRoute bool) (netip.Prefix, string) {
	if p, ok := parseCIDRFast(b); ok {
		return p, ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, quote(s) + " is not an address/length (" + addrReason(err, s) + ")"
		}
		if a.Zone() != "" {
			return netip.Prefix{}, quote(s) + " has a zone; " + zoneNotHere(isRoute)
		}
		full := itoa(a.BitLen())
		if isRoute {
			return netip.Prefix{}, quote(s) + " has no prefix length (write " + s + "/" + full + " for a host route)"
		}
		eg := "24"
		if a.Is6() {
			eg = "64"
		}
		return netip.Prefix{}, quote(s) + " has no prefix length (write " + s + "/" + eg + ", say, or /" + full + " for a single address)"
	}
	a, err := netip.ParseAddr(s[:i])
	if err != nil {
		return netip.Prefix{}, quote(s) + " is not an address/length (" + addrReason(err, s[:i]) + ")"
	}
	if a.Zone() != "" {
		return netip.Prefix{}, quote(s) + " has a zone; " + zoneNotHere(isRoute)
	}
	bits := s[i+1:]
	n, err := strconv.ParseUint(bits, 10, 8)
	if err != nil || bits[0] == '+' || len(bits) > 1 && bits[0] == '0' {
		return netip.Prefix{}, quote(s) + ": the prefix length " + quote(bits) + " is not a decimal number"
	}
	if int(n) > a.BitLen() {
		fam := "IPv4"
		if a.Is6() {
			fam = "IPv6"
		}
		return netip.Prefix{}, quote(s) + ": the prefix length " + bits + " is too long for " + fam + " (at most " + itoa(a.BitLen()) + ")"
	}
	return netip.PrefixFrom(a, int(n)), ""
}

// parseCIDRFast parses a well-formed address/length without allocating;
// anything else is left to parseCIDR's careful path.
func parseCIDRFast(b []byte) (netip.Prefix, bool) {
	i := len(b) - 1
	for i >= 0 && '0' <= b[i] && b[i] <= '9' {
		i--
	}
	if i < 0 || b[i] != '/' || len(b)-i < 2 || len(b)-i > 4 || b[i+1] == '0' && len(b)-i > 2 {
		return netip.Prefix{}, false
	}
	n := 0
	for _, c := range b[i+1:] {
		n = n*10 + int(c-'0')
	}
	a, err := parseAddrBytes(b[:i])
	if err != nil || a.Zone() != "" || n > a.BitLen() {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, n), true
}

func zoneNotHere(isRoute bool) string {
	if isRoute {
		return "a route's destination takes none (name the interface in dev)"
	}
	return "an interface's address takes none (it is on its interface already)"
}

// internName returns name as a string, sharing the storage of an
// interface's equal name (or the constant "lo") instead of allocating.
func internName(name []byte, ifaces []Interface) string {
	if string(name) == "lo" {
		return "lo"
	}
	for i := range ifaces {
		if ifaces[i].Name == string(name) {
			return ifaces[i].Name
		}
	}
	return string(name)
}

// hints reads the hints object.
func (r *jsonReader) hints(h *Hints) {
	if !r.open('{', `an object (e.g. {"family": "unspec", "flags": ["AI_ADDRCONFIG"]})`) {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(hintsFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			if s, ok := r.String(); ok {
				fam, ok := ParseFamily(string(s))
				if !ok {
					r.fail("unknown family " + quote(string(s)) + " (allowed: unspec, inet, inet6)")
				}
				h.Family = fam
			}
		case 1:
			if !r.open('[', "an array of flag names") {
				break
			}
			i := 0
			for first := true; r.more(&first, ']'); i++ {
				r.pushIndex(i)
				if s, ok := r.String(); ok {
					fl, ok := ParseFlag(string(s))
					switch {
					case !ok:
						r.fail("unknown flag " + quote(string(s)) + " (allowed: AI_ADDRCONFIG, AI_V4MAPPED, AI_ALL)")
					case h.Flags&fl != 0:
						r.fail(string(s) + " is listed twice")
					}
					h.Flags |= fl
				}
				r.pop()
			}
		}
		r.pop()
	}
}
