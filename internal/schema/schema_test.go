package schema_test

// The validator is github.com/santhosh-tekuri/jsonschema/v6: it implements
// draft 2020-12 in full (it passes the JSON-Schema-Test-Suite's required
// tests, as Bowtie's reports show), checks every schema against its
// meta-schema when compiling it (the meta-schemas are built in: nothing
// is fetched), reads schemas from file paths and resolves relative $refs
// between them, says which keyword failed at which instance path, and
// needs nothing besides golang.org/x/text. It is widely used and still
// maintained (v6.0.3 is its latest release here). Its default regexp
// engine is Go's (RE2); the schemas' patterns use only what RE2 and
// ECMA-262 read alike (classes, ranges, counted repetition, (?:...)
// groups), and TestPatternsECMA compiles each one as JavaScript too.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
	"github.com/gaisort/gaisort/internal/vectors"
)

// root is the repository's root, from this package's directory.
const root = "../.."

// schemas are the compiled schemas, by name: the scenario and its $defs,
// the answer and its batch.
type schemas struct {
	scenario, batch, document, vector *jsonschema.Schema
	address, destination, cidr        *jsonschema.Schema
	answer, answerBatch               *jsonschema.Schema
	compact, compactBatch             *jsonschema.Schema
}

func compile(t testing.TB) *schemas {
	t.Helper()
	c := jsonschema.NewCompiler()
	scen, err := filepath.Abs(filepath.Join(root, "docs", "scenario.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	ans := filepath.Join(filepath.Dir(scen), "answer.schema.json")
	get := func(loc string) *jsonschema.Schema {
		t.Helper()
		s, err := c.Compile(loc)
		if err != nil {
			t.Fatalf("compiling %s: %v", loc, err)
		}
		return s
	}
	return &schemas{
		scenario:     get(scen),
		batch:        get(scen + "#/$defs/batch"),
		document:     get(scen + "#/$defs/document"),
		vector:       get(scen + "#/$defs/vector"),
		address:      get(scen + "#/$defs/address"),
		destination:  get(scen + "#/$defs/destination"),
		cidr:         get(scen + "#/$defs/cidr"),
		answer:       get(ans),
		answerBatch:  get(ans + "#/$defs/batch"),
		compact:      get(ans + "#/$defs/compact"),
		compactBatch: get(ans + "#/$defs/compactBatch"),
	}
}

// decode reads JSON as the validator wants it (numbers as json.Number).
func decode(t testing.TB, data []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	return v
}

// valid fails the test when doc is not valid against s.
func valid(t testing.TB, s *jsonschema.Schema, what string, doc []byte) {
	t.Helper()
	if err := s.Validate(decode(t, doc)); err != nil {
		t.Errorf("%s: not valid against %s:\n%v\ndocument: %s", what, s.Location, err, shorten(doc))
	}
}

// invalid fails the test when doc is valid against s.
func invalid(t testing.TB, s *jsonschema.Schema, what string, doc []byte) {
	t.Helper()
	if err := s.Validate(decode(t, doc)); err == nil {
		t.Errorf("%s: valid against %s, and should not be\ndocument: %s", what, s.Location, shorten(doc))
	}
}

func shorten(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// TestVectors: every test vector file is valid against $defs/vector, and
// its scenario against the scenario schema (vectors.ReadFile checks that
// the engine takes it too).
func TestVectors(t *testing.T) {
	s := compile(t)
	n := 0
	err := filepath.WalkDir(filepath.Join(root, "testdata", "vectors"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		v, err := vectors.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		valid(t, s.vector, path, data)
		valid(t, s.scenario, path+": scenario", v.Raw)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 60 {
		t.Fatalf("only %d vectors found under testdata/vectors", n)
	}
	t.Logf("%d vectors", n)
	// recorded is keyed by version ID (or the legacy glibc and musl).
	for _, k := range []string{"glibc-2.41", "musl-1.2.5", "glibc"} {
		valid(t, s.vector, k, []byte(`{"name":"x","scenario":{"version":1,"destinations":["1.2.3.4"]},"recorded":{"`+k+`":{"error":"EAI_NONAME"}}}`))
	}
	for _, k := range []string{"glibc2.41", "uclibc-1.0", "musl-1.2.5.1.2", ""} {
		doc := []byte(`{"name":"x","scenario":{"version":1,"destinations":["1.2.3.4"]},"recorded":{"` + k + `":{"error":"EAI_NONAME"}}}`)
		if s.vector.Validate(decode(t, doc)) == nil {
			t.Errorf("recorded key %q accepted by $defs/vector", k)
		}
	}
}

// TestStoredScenarios: the benchmark's scenario and every scenario of the
// divergence catalog (as JSON and as its share-link fragment).
func TestStoredScenarios(t *testing.T) {
	s := compile(t)
	files, err := filepath.Glob(filepath.Join(root, "testdata", "bench", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/bench/*.json (%v)", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := engine.ParseScenario(data); err != nil {
			t.Errorf("%s: the engine refuses it: %v", f, err)
		}
		valid(t, s.scenario, f, data)
	}

	data, err := os.ReadFile(filepath.Join(root, "docs", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Entries []struct {
			ID       string          `json:"id"`
			Scenario json.RawMessage `json:"scenario"`
			Fragment string          `json:"fragment"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(data, &cat); err != nil {
		t.Fatal(err)
	}
	if len(cat.Entries) == 0 {
		t.Fatal("docs/catalog.json has no entries")
	}
	for _, e := range cat.Entries {
		valid(t, s.scenario, "docs/catalog.json "+e.ID, e.Scenario)
		frag, ok := strings.CutPrefix(e.Fragment, "scenario=")
		if !ok {
			t.Errorf("docs/catalog.json %s: fragment %q is not scenario=...", e.ID, e.Fragment)
			continue
		}
		frag, _, _ = strings.Cut(frag, "&") // &models=... names the link's models
		doc, err := base64.RawURLEncoding.DecodeString(frag)
		if err != nil {
			t.Errorf("docs/catalog.json %s: fragment: %v", e.ID, err)
			continue
		}
		if _, err := engine.ParseScenario(doc); err != nil {
			t.Errorf("docs/catalog.json %s: fragment: the engine refuses it: %v", e.ID, err)
		}
		valid(t, s.scenario, "docs/catalog.json "+e.ID+" fragment", doc)
	}
	t.Logf("%d catalog entries", len(cat.Entries))
}

// TestSitePresets: the site's presets (site/presets.js, a JavaScript
// module, read with Node).
func TestSitePresets(t *testing.T) {
	s := compile(t)
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the site's presets (site/presets.js) are not checked")
	}
	presets, err := filepath.Abs(filepath.Join(root, "site", "presets.js"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--input-type=module", "-e",
		`const m = await import(process.argv[1]); console.log(JSON.stringify(m.PRESETS.map((p) => [p.id, p.scenario])));`,
		presets)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node reading site/presets.js: %v", err)
	}
	var ps [][2]json.RawMessage
	if err := json.Unmarshal(out, &ps); err != nil {
		t.Fatalf("node's output: %v\n%s", err, out)
	}
	if len(ps) < 5 {
		t.Fatalf("only %d presets in site/presets.js", len(ps))
	}
	for _, p := range ps {
		if _, err := engine.ParseScenario(p[1]); err != nil {
			t.Errorf("site preset %s: the engine refuses it: %v", p[0], err)
		}
		valid(t, s.scenario, "site preset "+string(p[0]), p[1])
	}
	t.Logf("%d site presets", len(ps))
}

// TestEncodedAndAnswered: what the engine writes. Generated scenarios
// (internal/scengen, every class of address, route, hint and gai.conf)
// in the engine's canonical encoding, alone and as one batch, are valid
// scenarios; every model's answer to each, as AppendAnswer writes it, is
// a valid answer, and the answers to the batch a valid batch answer. The
// vectors' scenarios are answered too (they hold the crash, the 48-address
// cap, zones).
func TestEncodedAndAnswered(t *testing.T) {
	s := compile(t)
	g := scengen.New(20261204)
	var scs []*engine.Scenario
	for range 3000 { // about 5 s, also under -short (make test's unit run)
		scs = append(scs, g.Next())
	}
	for _, dir := range []string{"curated", "regress"} {
		vs, err := vectors.Load(filepath.Join(root, "testdata", "vectors", dir))
		if err != nil {
			t.Fatal(err)
		}
		for i := range vs {
			scs = append(scs, vs[i].Scenario)
		}
	}

	var rn engine.Runner
	batch := []byte{'['}
	answers := []byte{'['}
	compacts := []byte{'['}
	seen := map[string]bool{} // what the answers held, to show the test saw each kind
	for i, sc := range scs {
		doc := sc.AppendJSON(nil)
		back, err := engine.ParseScenario(doc)
		if err != nil {
			t.Fatalf("scenario %d: the engine refuses its own encoding: %v\n%s", i, err, doc)
		}
		if !bytes.Equal(back.AppendJSON(nil), doc) {
			t.Fatalf("scenario %d: the encoding does not round-trip\n%s", i, doc)
		}
		valid(t, s.scenario, "scenario "+strconv.Itoa(i), doc)

		res := rn.Run(sc, engine.Models())
		ans := engine.AppendAnswer(nil, res)
		valid(t, s.answer, "answer to scenario "+strconv.Itoa(i), ans)
		// The compact answer is valid against its own schema, and not
		// against the full one (it lacks dests), nor the full one against
		// the compact schema.
		compact := engine.AppendCompactAnswer(nil, res)
		valid(t, s.compact, "compact answer to scenario "+strconv.Itoa(i), compact)
		if bytes.Contains(ans, []byte(`"order"`)) {
			invalid(t, s.answer, "compact answer as a full one "+strconv.Itoa(i), compact)
			invalid(t, s.compact, "full answer as a compact one "+strconv.Itoa(i), ans)
		}
		if t.Failed() {
			t.FailNow()
		}
		note(seen, ans)
		if i > 0 {
			batch = append(batch, ',')
			answers = append(answers, ',')
			compacts = append(compacts, ',')
		}
		compacts = append(compacts, compact...)
		batch = append(batch, doc...)
		answers = append(answers, ans...)
	}
	batch = append(batch, ']')
	answers = append(answers, ']')
	compacts = append(compacts, ']')
	valid(t, s.compactBatch, "the batch's compact answers", compacts)
	if got, err := engine.ParseScenarios(batch); err != nil || len(got) != len(scs) {
		t.Fatalf("the engine's batch of %d: %d scenarios, %v", len(scs), len(got), err)
	}
	valid(t, s.batch, "the batch", batch)
	valid(t, s.document, "the batch as a document", batch)
	valid(t, s.answerBatch, "the batch's answers", answers)
	valid(t, s.batch, "an empty batch", []byte(`[]`))
	valid(t, s.answerBatch, "no answers", []byte(`[]`))

	// The answers must have held every part of the answer schema, or
	// the schema's rules for them went untested.
	for _, k := range []string{"error:EAI_NONAME", "error:SIGSEGV", "order", "notes", "line", "key",
		"unreachable", "source_deprecated", "zone", "mapped", "rule:rule1", "rule:rule5", "rule:rule6",
		"rule:rule9", "rule:rule10", "rule:unsorted"} {
		if !seen[k] {
			t.Errorf("no answer held %s: the answer schema's rule for it is untested", k)
		}
	}
	t.Logf("%d scenarios encoded and answered", len(scs))
}

// note records what an answer holds, in seen.
func note(seen map[string]bool, ans []byte) {
	var a struct {
		Results []struct {
			Error   string                  `json:"error"`
			Order   []string                `json:"order"`
			Dests   []map[string]any        `json:"dests"`
			Decided []struct{ Rule string } `json:"decided"`
			Notes   []struct{ Line int }    `json:"notes"`
		} `json:"results"`
	}
	if json.Unmarshal(ans, &a) != nil {
		return
	}
	for _, r := range a.Results {
		if r.Error != "" {
			seen["error:"+r.Error] = true
		}
		if len(r.Order) > 0 {
			seen["order"] = true
		}
		for _, o := range r.Order {
			seen["zone"] = seen["zone"] || strings.Contains(o, "%")
			seen["mapped"] = seen["mapped"] || strings.HasPrefix(o, "::ffff:")
		}
		for _, d := range r.Dests {
			for k := range d {
				seen[k] = true
			}
		}
		for _, d := range r.Decided {
			seen["rule:"+d.Rule] = true
		}
		for _, n := range r.Notes {
			seen["notes"] = true
			if n.Line > 0 {
				seen["line"] = true
			}
		}
	}
}

// TestRejected: documents the engine refuses for reasons a schema can
// state are refused by the schema too. Each is checked against both: the
// engine's refusal (and the path it names), then the schema's.
func TestRejected(t *testing.T) {
	s := compile(t)
	const eth0 = `"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2/24"}]}]`
	const dest = `"destinations":["1.1.1.1"]`
	cases := []struct{ doc, path string }{
		// Not a scenario at all.
		{`"x"`, ""},
		{`null`, ""},
		{`[1]`, "[0]"},
		{`{}`, ""}, // missing destinations
		// Unknown fields, at every level.
		{`{` + dest + `,"Destinations":[]}`, "Destinations"},
		{`{` + dest + `,"comment":"x"}`, "comment"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","mtu":1500}]}`, "interfaces[0].mtu"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2/24","scope":"global"}]}]}`, "interfaces[0].addresses[0].scope"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","table":"main"}]}`, "routes[0].table"},
		{`{` + dest + `,"hints":{"socktype":"stream"}}`, "hints.socktype"},
		{`[{` + dest + `},{` + dest + `,"x":1}]`, "[1].x"},
		// Missing required fields.
		{`{` + dest + `,"interfaces":[{"addresses":[]}]}`, "interfaces[0]"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"deprecated":true}]}]}`, "interfaces[0].addresses[0]"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"via":"10.0.0.1"}]}`, "routes[0]"},
		// Enums.
		{`{` + dest + `,"hints":{"family":"INET"}}`, "hints.family"},
		{`{` + dest + `,"hints":{"family":"inet4"}}`, "hints.family"},
		{`{` + dest + `,"hints":{"flags":["AI_CANONNAME"]}}`, "hints.flags[0]"},
		{`{` + dest + `,"hints":{"flags":["ai_addrconfig"]}}`, "hints.flags[0]"},
		{`{` + dest + `,"hints":{"flags":["AI_ALL","AI_ALL"]}}`, "hints.flags[1]"},
		{`{` + dest + `,"version":2}`, "version"},
		{`{` + dest + `,"version":"1"}`, "version"},
		// Types, and null (never accepted).
		{`{"destinations":"1.1.1.1"}`, "destinations"},
		{`{` + dest + `,"gai_conf":null}`, "gai_conf"},
		{`{` + dest + `,"version":null}`, "version"},
		{`{` + dest + `,"hints":null}`, "hints"},
		{`{` + dest + `,"interfaces":{}}`, "interfaces"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2/24","deprecated":"yes"}]}]}`, "interfaces[0].addresses[0].deprecated"},
		{`{` + dest + `,"interfaces":[{"name":0}]}`, "interfaces[0].name"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","metric":-1}]}`, "routes[0].metric"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","metric":4294967296}]}`, "routes[0].metric"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","metric":1.5}]}`, "routes[0].metric"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","onlink":1}]}`, "routes[0].onlink"},
		// Counts: empty destinations, and each limit of engine/limits.go
		// that the schema states.
		{`{"destinations":[]}`, "destinations"},
		{`{"destinations":[` + repeat(`"1.1.1.1"`, engine.MaxDestinations+1) + `]}`, "destinations"},
		{`{` + dest + `,"interfaces":[` + ifaces(engine.MaxInterfaces+1) + `]}`, "interfaces"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[` + addrs(engine.MaxAddressesPerInterface+1) + `]}]}`, "interfaces[0].addresses"},
		{`{` + eth0 + `,` + dest + `,"routes":[` + routes(engine.MaxRoutes+1) + `]}`, "routes"},
		{`{` + dest + `,"gai_conf":"` + strings.Repeat("#", engine.MaxGaiConfBytes+1) + `"}`, "gai_conf"},
		// Interface names.
		{`{` + dest + `,"interfaces":[{"name":""}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":"lo"}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":".."}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":"sixteen-bytes-16"}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":"eth0:1"}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":"a/b"}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":"eth%d"}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":"eth 0"}]}`, "interfaces[0].name"},
		{`{` + dest + `,"interfaces":[{"name":"ethé"}]}`, "interfaces[0].name"},
		// Address syntax.
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2"}]}]}`, "interfaces[0].addresses[0].cidr"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2/33"}]}]}`, "interfaces[0].addresses[0].cidr"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2/08"}]}]}`, "interfaces[0].addresses[0].cidr"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"2001:db8::1/129"}]}]}`, "interfaces[0].addresses[0].cidr"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"fe80::1%eth0/64"}]}]}`, "interfaces[0].addresses[0].cidr"},
		{`{` + dest + `,"interfaces":[{"name":"eth0","addresses":[{"cidr":"010.0.0.2/24"}]}]}`, "interfaces[0].addresses[0].cidr"},
		{`{"destinations":["10.0.0.0/8"]}`, "destinations[0]"},
		{`{"destinations":["1.2.3.4%eth0"]}`, "destinations[0]"},
		{`{"destinations":["1:2:3:4:5:6:7::8"]}`, "destinations[0]"},
		{`{"destinations":["::ffff:01.2.3.4"]}`, "destinations[0]"},
		{`{"destinations":["localhost"]}`, "destinations[0]"},
		{`{"destinations":["fe80::1%"]}`, "destinations[0]"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"10.0.0.1"}]}`, "routes[0].to"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"Default","dev":"eth0"}]}`, "routes[0].to"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1/32"}]}`, "routes[0].via"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"::/0","via":"fe80::1%eth0","dev":"eth0"}]}`, "routes[0].via"},
		{`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","src":"10.0.0.2/24"}]}`, "routes[0].src"},
	}
	for _, c := range cases {
		_, err := engine.ParseScenarios([]byte(c.doc))
		var se *engine.ScenarioError
		if !errors.As(err, &se) {
			t.Errorf("the engine takes %s (err %v)", shorten([]byte(c.doc)), err)
			continue
		}
		if se.Path != c.path {
			t.Errorf("%s: the engine's path is %q, want %q (%v)", shorten([]byte(c.doc)), se.Path, c.path, err)
		}
		v := decode(t, []byte(c.doc))
		if err := s.document.Validate(v); err == nil {
			t.Errorf("the schema takes %s, which the engine refuses: %v", shorten([]byte(c.doc)), se)
		}
	}
}

func repeat(s string, n int) string { return strings.TrimSuffix(strings.Repeat(s+",", n), ",") }

func ifaces(n int) string {
	var b []string
	for i := range n {
		b = append(b, `{"name":"eth`+strconv.Itoa(i)+`"}`)
	}
	return strings.Join(b, ",")
}

func addrs(n int) string {
	var b []string
	for i := range n {
		b = append(b, `{"cidr":"10.0.`+strconv.Itoa(i)+`.2/24"}`)
	}
	return strings.Join(b, ",")
}

func routes(n int) string {
	var b []string
	for i := range n {
		b = append(b, `{"to":"10.`+strconv.Itoa(i+1)+`.0.0/16","dev":"eth0"}`)
	}
	return strings.Join(b, ",")
}

// TestAccepted: documents the engine takes at the edges of what the
// schema states are valid against it: the schema refuses nothing the
// engine takes.
func TestAccepted(t *testing.T) {
	s := compile(t)
	const eth0 = `"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2/24"},{"cidr":"2001:db8::2/64"}]}]`
	const dest = `"destinations":["1.1.1.1"]`
	docs := []string{
		`{"destinations":["1.1.1.1"]}`,
		`{"version":1,` + dest + `}`,
		`{` + dest + `,"interfaces":[],"routes":[],"gai_conf":"","hints":{}}`,
		`{` + dest + `,"hints":{"flags":[]}}`,
		`{` + dest + `,"hints":{"family":"inet6","flags":["AI_ALL","AI_V4MAPPED","AI_ADDRCONFIG"]}}`,
		`{` + dest + `,"interfaces":[{"name":"eth0"}]}`,
		`{` + dest + `,"interfaces":[{"name":"fifteen-chars15"},{"name":"veth.a_b-c"},{"name":"x"},{"name":"!~"}]}`,
		`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","dev":""}]}`,
		`{` + eth0 + `,` + dest + `,"routes":[{"to":"10.9.0.0/16","dev":"lo"}]}`,
		`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","metric":4294967295}]}`,
		`{` + eth0 + `,` + dest + `,"routes":[{"to":"::/0","via":"fe80::1","dev":"eth0","metric":0,"onlink":false}]}`,
		`{` + eth0 + `,` + dest + `,"routes":[{"to":"default","via":"10.0.0.1","src":"10.0.0.2"}]}`,
		`{` + eth0 + `,"destinations":["fe80::1%eth0","FE80::1%lo","ff02::1%eth0","::ffff:1.2.3.4","::","0.0.0.0","1:2:3:4:5:6:7::","::1:2:3:4:5:6:7","1:2:3:4:5::1.2.3.4","0001:0db8::00ff"]}`,
		`{"interfaces":[{"name":"eth0","addresses":[{"cidr":"10.0.0.2/0"},{"cidr":"2001:DB8::2/128","deprecated":true,"home":true},{"cidr":"fe80::2/64","deprecated":false,"home":false}]}],` + dest + `}`,
		`{` + dest + `,"gai_conf":"` + strings.Repeat("#", engine.MaxGaiConfBytes) + `"}`,
		`{` + dest + `,"gai_conf":"label ::/0 1\n# \u00e9t\u00e9 \ud83d\ude00\n"}`,
		`[]`,
		`[{` + dest + `},{` + dest + `}]`,
	}
	for _, d := range docs {
		if _, err := engine.ParseScenarios([]byte(d)); err != nil {
			t.Errorf("the engine refuses %s: %v", shorten([]byte(d)), err)
			continue
		}
		valid(t, s.document, "accepted document", []byte(d))
	}
}

// TestAddressPatterns: the schema's address patterns are net/netip's
// syntax, which the engine reads: exactly, for addresses and
// address/length, and with the format's narrower zones for destinations.
// The strings are the generator's addresses and prefixes, spelled every
// way netip reads, and random edits of them.
func TestAddressPatterns(t *testing.T) {
	s := compile(t)
	var cands []string
	add := func(x ...string) { cands = append(cands, x...) }
	add("", ":", "::", ":::", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4", "0.0.0.0", "255.255.255.255",
		"1::", "::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "::1:2:3:4:5:6:7:8",
		"1::2::3", "12345::", "g::", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
		"1:2:3:4:5::1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "1.2.3.4::", "::ffff:1.2.3", "fe80::1%eth0", "fe80::1%",
		"fe80::1%1", "fe80::1%a%b", "1.2.3.4%eth0", "::%lo", " ::1", "::1 ", "+1.2.3.4", "1.2.3.04", "0x1.2.3.4",
		"1.2.3.4/24", "1.2.3.4/0", "1.2.3.4/32", "1.2.3.4/33", "1.2.3.4/024", "1.2.3.4/+24", "1.2.3.4/", "/24",
		"::/0", "::/128", "::/129", "::1/64", "fe80::1%eth0/64", "1::/1000", "1.2.3.4/24/24")
	// Every shape of IPv6 text: n groups, with "::" after l of them and r
	// after it, with or without an IPv4 tail, valid or not.
	groups := []string{"1", "ab", "0ff", "FFFF", "0", "12", "3", "dead", "b"}
	for l := 0; l <= 8; l++ {
		for r := 0; l+r <= 9; r++ {
			left, right := strings.Join(groups[:l], ":"), strings.Join(groups[9-r:], ":")
			add(left+"::"+right, left+":"+right)
			if r > 0 {
				add(left+"::"+right+":1.2.3.4", left+":"+right+":1.2.3.4")
			} else {
				add(left+"::1.2.3.4", left+":1.2.3.4")
			}
		}
	}
	g := scengen.New(7)
	for range 400 {
		sc := g.Next()
		for _, ifc := range sc.Interfaces {
			for _, a := range ifc.Addresses {
				add(a.Prefix.String(), a.Prefix.Addr().String(), a.Prefix.Addr().StringExpanded(),
					strings.ToUpper(a.Prefix.String()))
			}
		}
		for _, rt := range sc.Routes {
			add(rt.To.String(), rt.Via.String(), rt.Src.String())
		}
		for _, d := range sc.Destinations {
			add(d.String(), d.StringExpanded(), strings.ToUpper(d.String()))
		}
	}
	base := len(cands)
	seed := uint64(99)
	next := func(k int) int { // xorshift: a fixed, dependency-free sequence
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return int(seed % uint64(k))
	}
	const alphabet = "0123456789abcdefABCDEFg:.%/"
	for i := range base * 4 {
		c := []byte(cands[i%base])
		for range 1 + next(2) {
			switch pos := next(len(c) + 1); next(3) {
			case 0: // insert
				c = append(c[:pos], append([]byte{alphabet[next(len(alphabet))]}, c[pos:]...)...)
			case 1: // delete
				if pos < len(c) {
					c = append(c[:pos], c[pos+1:]...)
				}
			case 2: // replace
				if pos < len(c) {
					c[pos] = alphabet[next(len(alphabet))]
				}
			}
		}
		cands = append(cands, string(c))
	}

	var nAddr, nCIDR int
	for _, c := range cands {
		a, err := netip.ParseAddr(c)
		wantAddr := err == nil && a.Zone() == ""
		wantDest := err == nil && (a.Zone() == "" || a.Is6() && zoneOK(a.Zone()))
		wantCIDR := cidrOK(c)
		if got := s.address.Validate(c) == nil; got != wantAddr {
			t.Errorf("address %q: schema says %v, netip %v", c, got, wantAddr)
		}
		if got := s.destination.Validate(c) == nil; got != wantDest {
			t.Errorf("destination %q: schema says %v, netip and the format's zones %v", c, got, wantDest)
		}
		if got := s.cidr.Validate(c) == nil; got != wantCIDR {
			t.Errorf("cidr %q: schema says %v, netip %v", c, got, wantCIDR)
		}
		if wantAddr {
			nAddr++
		}
		if wantCIDR {
			nCIDR++
		}
		// The engine itself, where the syntax is all that decides: a
		// destination of a host without interfaces, a route's to on lo.
		doc := `{"destinations":[` + strconv.Quote(c) + `]}`
		if _, err := engine.ParseScenario([]byte(doc)); err == nil && s.scenario.Validate(decode(t, []byte(doc))) != nil {
			t.Errorf("the engine takes %s but the schema does not", doc)
		}
		doc = `{"routes":[{"to":` + strconv.Quote(c) + `,"dev":"lo","metric":7}],"destinations":["1.1.1.1"]}`
		if _, err := engine.ParseScenario([]byte(doc)); err == nil && s.scenario.Validate(decode(t, []byte(doc))) != nil {
			t.Errorf("the engine takes %s but the schema does not", doc)
		}
	}
	if nAddr < len(cands)/4 || nCIDR < len(cands)/20 || nAddr == len(cands) {
		t.Fatalf("a poor sample: %d strings, %d addresses, %d address/lengths", len(cands), nAddr, nCIDR)
	}
	t.Logf("%d strings: %d addresses, %d address/lengths", len(cands), nAddr, nCIDR)
}

// zoneOK is the zone syntax the schema states: an interface name's.
func zoneOK(z string) bool {
	if len(z) < 1 || len(z) > 15 {
		return false
	}
	for i := 0; i < len(z); i++ {
		if c := z[i]; c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '%' {
			return false
		}
	}
	return true
}

// cidrOK is the engine's address/length syntax (engine/decode.go,
// parseCIDR): a netip address without zone, '/', a decimal length
// without sign or leading zero, at most the address's bits.
func cidrOK(s string) bool {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return false
	}
	a, err := netip.ParseAddr(s[:i])
	if err != nil || a.Zone() != "" {
		return false
	}
	bits := s[i+1:]
	n, err := strconv.ParseUint(bits, 10, 8)
	return err == nil && bits[0] != '+' && (len(bits) == 1 || bits[0] != '0') && int(n) <= a.BitLen()
}

// TestPatternsECMA: JSON Schema's patterns are ECMA-262 regular
// expressions; each pattern of the two schemas compiles as one (in
// Node, with the u flag) and answers as Go's regexp does on a few
// strings.
func TestPatternsECMA(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the patterns are not checked as ECMA-262")
	}
	var pats []string
	for _, f := range []string{"scenario.schema.json", "answer.schema.json"} {
		data, err := os.ReadFile(filepath.Join(root, "docs", f))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		pats = collectPatterns(v, pats)
	}
	if len(pats) < 8 {
		t.Fatalf("only %d patterns found", len(pats))
	}
	probes := []string{"1.2.3.4", "fe80::1%eth0", "::ffff:1.2.3.4", "10.0.0.0/8", "2001:db8::/32", "eth0",
		"EAI_NONAME", "SIGSEGV", "0x7231622f", "lint", "ENETUNREACH", "1:2:3:4:5:6:7::8", "a b"}
	in, _ := json.Marshal(map[string]any{"patterns": pats, "probes": probes})
	cmd := exec.Command(node, "-e", `
let d = ''; process.stdin.on('data', (c) => d += c).on('end', () => {
  const {patterns, probes} = JSON.parse(d);
  console.log(JSON.stringify(patterns.map((p) => { const re = new RegExp(p, 'u'); return probes.map((s) => re.test(s)); })));
});`)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var js [][]bool
	if err := json.Unmarshal(out, &js); err != nil || len(js) != len(pats) {
		t.Fatalf("node's answer: %v\n%s", err, out)
	}
	c := jsonschema.NewCompiler()
	for i, p := range pats {
		sch, err := json.Marshal(map[string]any{"type": "string", "pattern": p})
		if err != nil {
			t.Fatal(err)
		}
		loc := "pattern" + strconv.Itoa(i) + ".json"
		if err := c.AddResource(loc, decode(t, sch)); err != nil {
			t.Fatal(err)
		}
		re, err := c.Compile(loc)
		if err != nil {
			t.Fatal(err)
		}
		for j, probe := range probes {
			if got := re.Validate(probe) == nil; got != js[i][j] {
				t.Errorf("pattern %d (%.60s…) on %q: Go %v, ECMA-262 %v", i, p, probe, got, js[i][j])
			}
		}
	}
}

func collectPatterns(v any, out []string) []string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if p, ok := e.(string); ok && k == "pattern" {
				out = append(out, p)
				continue
			}
			out = collectPatterns(e, out)
		}
	case []any:
		for _, e := range x {
			out = collectPatterns(e, out)
		}
	}
	return out
}

// TestDocExamples: the examples of docs/scenario.md are what they say:
// the first JSON block is a scenario the engine takes, the answer object
// shown is a valid answer, and the failing result a valid result.
// demoScenario is cmd/gaisort's demo (the container case).
const demoScenario = `{"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"},{"cidr":"fd00:dead:beef::7/64"}]}],
  "routes":[{"to":"default","via":"172.19.0.1","dev":"eth0"},{"to":"::/0","via":"fd00:dead:beef::1","dev":"eth0"}],
  "destinations":["2a00:1450:4001:82b::200e","142.250.74.206"]}`

func TestDocExamples(t *testing.T) {
	s := compile(t)
	data, err := os.ReadFile(filepath.Join(root, "docs", "scenario.md"))
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for rest := string(data); ; {
		_, after, ok := strings.Cut(rest, "```json\n")
		if !ok {
			break
		}
		block, after, ok := strings.Cut(after, "```")
		if !ok {
			t.Fatal("docs/scenario.md: an unclosed ```json block")
		}
		blocks = append(blocks, block)
		rest = after
	}
	var scenario, answer, result, compact bool
	for _, b := range blocks {
		switch {
		case strings.HasPrefix(b, "{\n  \"version\": 1,"):
			if _, err := engine.ParseScenario([]byte(b)); err != nil {
				t.Errorf("the example scenario: the engine refuses it: %v", err)
			}
			valid(t, s.scenario, "the example scenario", []byte(b))
			scenario = true
		case strings.HasPrefix(b, `{"results": [`):
			valid(t, s.answer, "the example answer", []byte(b))
			answer = true
		case strings.HasPrefix(b, `{"results":[`):
			// The compact answer, as `gaisort demo --compact` prints it.
			valid(t, s.compact, "the example compact answer", []byte(b))
			sc, err := engine.ParseScenario([]byte(demoScenario))
			if err != nil {
				t.Fatal(err)
			}
			var rn engine.Runner
			want := engine.AppendCompactAnswer(nil, rn.Run(sc, engine.DefaultModels()))
			if strings.TrimSpace(b) != string(want) {
				t.Errorf("the example compact answer is not what the engine writes:\n%s\n%s", b, want)
			}
			compact = true
		case strings.HasPrefix(b, `{"model": "glibc-2.36", "error"`):
			valid(t, s.answer, "the example failing result", []byte(`{"results":[`+b+`]}`))
			result = true
		}
	}
	if !scenario || !answer || !result || !compact {
		t.Fatalf("docs/scenario.md: example scenario found %v, answer %v, failing result %v, compact answer %v", scenario, answer, result, compact)
	}
}
