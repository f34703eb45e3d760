package engine_test

// Robustness and differential fuzz targets (go test -fuzz). FuzzParseScenario
// lives in decode_test.go, FuzzParseGaiConf in gaiconf_test.go. Run each with, e.g.,
//
//	go test -run '^$' -fuzz '^FuzzPipeline$' -fuzztime 60s -parallel 1 ./engine
//
// (make -f fuzz.mk fuzz-ci runs every target briefly).

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/diff"
	"github.com/gaisort/gaisort/internal/scengen"
	"github.com/gaisort/gaisort/internal/vectors"
)

// seedScenarios are the shared vectors' scenarios, as JSON documents.
func seedScenarios(f testing.TB) [][]byte {
	var out [][]byte
	for _, set := range []string{"curated", "regress"} {
		vs, err := vectors.Load("../testdata/vectors/" + set)
		if err != nil {
			f.Fatalf("loading the %s vectors: %v", set, err)
		}
		for i := range vs {
			out = append(out, vs[i].Scenario.AppendJSON(nil))
		}
	}
	return out
}

var gaiConfSeeds = []string{
	"",
	"label fd00::/8 1\n",
	"precedence ::ffff:0:0/96  100\n",
	"scopev4 ::ffff:169.254.0.0/112 2\nscopev4 10.0.0.0/8 5\n",
	"scopev4 10.0.0.1 5\n", // no /LEN: glibc 2.36's bug 32465
	"reload yes\nreload no\nreload\n",
	"label ::/0 1\nlabel ::/0 5\nprecedence ::/0 40\nprecedence ::/0 10\n",
	"label fd00::/8\nprecedence ::/0\nlabel fd00::/ 3\nlabel fd00::/-0 3\n",
	"label\x00 fd00::/8 1\n# comment\n   \t\nLABEL ::/0 3\nlabel ::1/128 +7 extra words\n",
	"precedence ::/0 4294967296\nprecedence ::/0 2147483647\nlabel ::ffff:1.2.3.4/200 1\r\n",
}

// gaiConfBound is the most bytes of notes and line descriptions a gai.conf
// of text may produce: linear in its size (a few fixed sentences per line,
// each quoting at most the line and a table row).
func gaiConfBound(text string) int {
	lines := strings.Count(text, "\n") + 1
	// A line's words appear in its problem and again in its lint note,
	// each echoed byte quoted as \u00XX (6 bytes) when it is a control
	// byte: 16 bytes out per byte in, plus each line's own sentences.
	return 16*len(text) + 1024*lines
}

// FuzzGaiConfLint: ParseGaiConf and LintGaiConf never panic, describe each
// line once at most, and their output is bounded by a linear function of
// the input. (gaiconf_test.go's FuzzParseGaiConf checks the tables' shape;
// this one, from outside the package, the public API's bounds.)
func FuzzGaiConfLint(f *testing.F) {
	for _, s := range gaiConfSeeds {
		f.Add(s)
	}
	for _, l := range scengen.DefaultLabels {
		f.Add(l + "\n")
	}
	f.Fuzz(func(t *testing.T, text string) {
		c := engine.ParseGaiConf(text)
		lines := strings.Count(text, "\n") + 1
		if len(c.Lines) > lines {
			t.Fatalf("%d lines described for a text of %d lines", len(c.Lines), lines)
		}
		size := 0
		last := 0
		for _, l := range c.Lines {
			if l.Line <= last || l.Line > lines {
				t.Fatalf("line numbers out of order or range: %d after %d (of %d)", l.Line, last, lines)
			}
			last = l.Line
			size += len(l.Keyword) + len(l.Arg1) + len(l.Arg2) + len(l.Problem)
			if l.Valid && l.Problem != "" {
				t.Fatalf("line %d valid with a problem: %q", l.Line, l.Problem)
			}
			if !l.Valid && l.Problem == "" && l.Kind != engine.GaiConfUnknown {
				t.Fatalf("line %d ignored without saying why", l.Line)
			}
		}
		for _, tab := range []engine.PolicyTable{c.Labels, c.Precedence, c.Scopes} {
			if len(tab) > len(c.Lines)+16 {
				t.Fatalf("a table of %d rows from %d lines", len(tab), len(c.Lines))
			}
		}
		notes := engine.LintGaiConf(text)
		for _, n := range notes {
			size += len(n.Kind.String()) + len(n.Text)
			if n.Line < 0 || n.Line > lines {
				t.Fatalf("note about line %d of %d: %q", n.Line, lines, n.Text)
			}
		}
		if size > gaiConfBound(text) {
			t.Fatalf("%d bytes of output for %d bytes of gai.conf (bound %d)", size, len(text), gaiConfBound(text))
		}
	})
}

// answerBound is the largest answer AppendAnswer may write for sc: per
// model, per destination a fixed amount (the address a few times, the
// source, the explanation of the rule that placed it, musl's note listing
// what it did not read), plus the gai.conf lint notes. Linear in the input.
func answerBound(sc *engine.Scenario, models int) int {
	return 4096 + models*(2048*len(sc.Destinations)+gaiConfBound(sc.GaiConf))
}

// multiset counts addresses.
func multiset(as []netip.Addr) map[netip.Addr]int {
	m := map[netip.Addr]int{}
	for _, a := range as {
		m[a]++
	}
	return m
}

func sameMultiset(a, b map[netip.Addr]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// checkResult checks one model's answer against what any reading of
// getaddrinfo allows, and what each model promises.
func checkResult(t *testing.T, sc *engine.Scenario, r *engine.Result) {
	t.Helper()
	if r.Err != "" {
		if len(r.Dests) != 0 {
			t.Fatalf("%s: error %s with %d addresses", r.Model, r.Err, len(r.Dests))
		}
		if !strings.HasPrefix(r.Err.String(), "EAI_") && r.Err != engine.SIGSEGV {
			t.Fatalf("%s: error %q is no getaddrinfo error", r.Model, r.Err)
		}
		return
	}
	if len(r.Dests) == 0 {
		t.Fatalf("%s: no error and no address", r.Model)
	}
	if len(r.Decided) != len(r.Dests)-1 {
		t.Fatalf("%s: %d decided rules for %d addresses", r.Model, len(r.Decided), len(r.Dests))
	}
	// Every answer is drawn from the lines: as written, unmapped, or
	// mapped (glibc's files backend may turn ::ffff:a.b.c.d and ::1 into
	// IPv4 and map those again: at most twice the lines).
	allowed := map[netip.Addr]bool{}
	for _, d := range sc.Destinations {
		allowed[d] = true
		allowed[d.WithZone("")] = true
		if d.Is4() {
			allowed[netip.AddrFrom16(d.As16())] = true
		}
		if d.Is4In6() {
			allowed[d.Unmap()] = true
		}
		if d == netip.IPv6Loopback() {
			lo4 := netip.AddrFrom4([4]byte{127, 0, 0, 1})
			allowed[lo4] = true
			allowed[netip.AddrFrom16(lo4.As16())] = true
		}
	}
	if len(r.Dests) > 2*len(sc.Destinations) {
		t.Fatalf("%s: %d addresses from %d lines", r.Model, len(r.Dests), len(sc.Destinations))
	}
	seen := map[int]bool{}
	for _, d := range r.Dests {
		if !allowed[d.Addr] {
			t.Fatalf("%s invented %s", r.Model, d.Addr)
		}
		if seen[d.Index] {
			t.Fatalf("%s: index %d twice", r.Model, d.Index)
		}
		seen[d.Index] = true
	}
	plain := sc.Hints.Family == engine.FamilyUnspec && sc.Hints.Flags == 0
	if !plain {
		return
	}
	got := multiset(r.Order())
	switch r.Model {
	case "rfc6724":
		// Family unspec, no flags: every line, once each.
		if !sameMultiset(got, multiset(sc.Destinations)) {
			t.Fatalf("rfc6724 dropped or invented addresses: %v from %v", r.Order(), sc.Destinations)
		}
	case "glibc":
		// Every line but the zoned ones (inet_pton rejects them).
		var want []netip.Addr
		for _, d := range sc.Destinations {
			if d.Zone() == "" {
				want = append(want, d)
			}
		}
		if !sameMultiset(got, multiset(want)) {
			t.Fatalf("glibc dropped or invented addresses: %v from %v", r.Order(), sc.Destinations)
		}
	case "musl":
		if len(r.Dests) > 48 {
			t.Fatalf("musl returned %d addresses, past MAXADDRS", len(r.Dests))
		}
		want := multiset(sc.Destinations)
		for a, n := range got {
			if want[a] < n {
				t.Fatalf("musl returned %s %d times, the lines hold it %d times", a, n, want[a])
			}
		}
	}
}

// FuzzPipeline: arbitrary bytes through the whole pipeline (decode, every
// model, the JSON answer) never panic; the answer is valid JSON of bounded
// size, and each model's order is drawn from the scenario's lines as its
// rules allow.
func FuzzPipeline(f *testing.F) {
	for _, s := range seedScenarios(f) {
		f.Add(s)
	}
	f.Add([]byte(`{"version":1,"destinations":["fe80::1%lo","::ffff:10.0.0.1","::1"],"hints":{"family":"inet"}}`))
	f.Add([]byte(`{"version":1,"destinations":["1.2.3.4"],"gai_conf":"scopev4 10.0.0.1 5\n","hints":{"flags":["AI_V4MAPPED","AI_ALL"]}}`))
	models := engine.Models()
	var rn engine.Runner
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := engine.ParseScenario(data)
		if err != nil {
			return
		}
		res := rn.Run(sc, models)
		if len(res) != len(models) {
			t.Fatalf("%d results for %d models", len(res), len(models))
		}
		for i := range res {
			checkResult(t, sc, &res[i])
		}
		ans := engine.AppendAnswer(nil, res)
		if !json.Valid(ans) {
			t.Fatalf("answer is not valid JSON: %s", ans)
		}
		if b := answerBound(sc, len(models)); len(ans) > b {
			t.Fatalf("answer of %d bytes for a scenario of %d bytes, %d destinations (bound %d)", len(ans), len(data), len(sc.Destinations), b)
		}
	})
}

// FuzzDifferential: the fuzzer's bytes drive the scenario generator; every
// model answers; every pair that answers differently must get a cause. An
// unclassified divergence fails, so the fuzzer finds the classifier's gaps.
func FuzzDifferential(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("gaisort"))
	for s := uint64(0); s < 16; s++ {
		b := make([]byte, 64)
		for i := range b {
			b[i] = byte(s*131 + uint64(i)*7)
		}
		f.Add(b)
	}
	c := diff.NewComparer()
	f.Fuzz(func(t *testing.T, data []byte) {
		sc := scengen.FromBytes(data)
		if err := sc.Validate(); err != nil {
			t.Fatalf("the generator made an invalid scenario (%v): %s", err, sc.AppendJSON(nil))
		}
		divs := c.Compare(sc)
		res := c.Results()
		differ := 0
		for _, p := range c.Pairs {
			if !diff.SameAnswer(&res[p[0]], &res[p[1]]) {
				differ++
			}
		}
		if differ != len(divs) {
			t.Fatalf("%d pairs differ, %d divergences", differ, len(divs))
		}
		for _, d := range divs {
			if d.Cause.ID == "" || d.Cause.Text == "" {
				t.Fatalf("%s: empty cause", d.Pair())
			}
			if d.Cause.ID == diff.Unclassified {
				t.Fatalf("%s: unclassified divergence (%s) at %d (%s vs %s): %s\nscenario: %s",
					d.Pair(), d.Cause.Text, d.Pos, d.X, d.Y, d.Rule.ID(), sc.AppendJSON(nil))
			}
		}
	})
}

// The answer to the largest scenario the limits allow (every destination
// a long IPv6 address, 256 of them; a gai.conf of 64 KiB of lines glibc
// warns about) stays within answerBound: the bound FuzzPipeline checks is
// not only met by small inputs.
func TestAnswerBoundLargest(t *testing.T) {
	sc := &engine.Scenario{Version: 1}
	for i := 0; i < engine.MaxInterfaces; i++ {
		in := engine.Interface{Name: "fifteen-chars" + string(rune('a'+i)) + "x"}
		for j := 0; j < engine.MaxAddressesPerInterface; j++ {
			a := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i), byte(j), 15: 7})
			in.Addresses = append(in.Addresses, engine.IfAddr{Prefix: netip.PrefixFrom(a, 64), Deprecated: j%3 == 0})
		}
		sc.Interfaces = append(sc.Interfaces, in)
	}
	sc.Routes = append(sc.Routes, engine.Route{To: netip.MustParsePrefix("::/0"), Default: true,
		Via: netip.MustParseAddr("2001:db8::1"), Dev: sc.Interfaces[0].Name})
	for i := 0; i < engine.MaxDestinations; i++ {
		sc.Destinations = append(sc.Destinations, netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i), 0xff, 8: 0xab, 9: 0xcd, 10: 0xef, 11: 0x12, 12: 0x34, 13: 0x56, 14: 0x78, 15: byte(i)}))
	}
	var gc strings.Builder
	lines := []string{"label fd00::/8 1", "label fd00::/8 2", "precedence ::ffff:0:0/96 100", "scopev4 10.0.0.0/33 5", "LABEL ::/0 3", "label ::/0 1 extra"}
	for gc.Len() < engine.MaxGaiConfBytes-64 {
		gc.WriteString(lines[gc.Len()%len(lines)])
		gc.WriteByte('\n')
	}
	sc.GaiConf = gc.String()
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	var rn engine.Runner
	res := rn.Run(sc, engine.Models())
	ans := engine.AppendAnswer(nil, res)
	if !json.Valid(ans) {
		t.Fatal("invalid JSON")
	}
	in := len(sc.AppendJSON(nil))
	t.Logf("scenario %d bytes, answer %d bytes (bound %d)", in, len(ans), answerBound(sc, len(res)))
	if len(ans) > answerBound(sc, len(res)) {
		t.Fatalf("answer of %d bytes past the bound %d", len(ans), answerBound(sc, len(res)))
	}
}
