package engine_test

// ParseScenario and ParseScenarios against the slow reference of
// decode_slow_test.go: the same Scenario for every accepted document, a
// refusal (with a printable message) for every refused one. The
// inputs are the shared vectors, generated scenarios (compact and
// indented), decode_test.go's valid and malformed documents, and
// mechanical damage to them (every truncation, byte replacements,
// deletions); FuzzParseScenarioSlow goes on from there.

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/msgtext"
	"github.com/gaisort/gaisort/internal/scengen"
)

// decodeDocs are the documents the differential tests start from.
func decodeDocs(tb testing.TB, generated int) [][]byte {
	docs := engine.DecodeDocs()
	docs = append(docs, seedScenarios(tb)...)
	g := scengen.New(1)
	for range generated {
		docs = append(docs, g.Next().AppendJSON(nil))
	}
	for _, d := range docs[:len(docs):len(docs)] {
		var ind bytes.Buffer
		if json.Indent(&ind, d, "", "  ") == nil {
			docs = append(docs, ind.Bytes())
		}
	}
	return docs
}

// damage calls f with variants of d: every truncation, and at each
// position the byte deleted or replaced by one of a few bytes that change
// the meaning of JSON or of an address.
func damage(d []byte, f func([]byte)) {
	const repl = "\"\\/:.%0179afx ,]}-\x00\x80\xff"
	buf := make([]byte, 0, len(d)+1)
	for i := 0; i <= len(d); i++ {
		f(d[:i:i])
	}
	for i := range d {
		buf = append(append(buf[:0], d[:i]...), d[i+1:]...)
		f(buf)
		for k := 0; k < len(repl); k++ {
			if repl[k] == d[i] {
				continue
			}
			buf = append(append(append(buf[:0], d[:i]...), repl[k]), d[i+1:]...)
			f(buf)
		}
	}
}

// sameParse fails unless the fast reader and the slow reference
// (decode_slow_test.go) agree on data: both refuse it, or both accept it
// as the same Scenario. A refusal's message must be printable. withBatch
// also compares ParseScenarios on data and on a batch holding it.
func sameParse(t *testing.T, data []byte, withBatch bool) {
	t.Helper()
	got, gerr := engine.ParseScenario(data)
	want, ok := slowParseScenario(data)
	if (gerr == nil) != ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseScenario(%q):\n got %+v, %v\nwant %+v (accepted: %v)", data, got, gerr, want, ok)
	}
	checkErr(t, data, gerr)
	if !withBatch {
		return
	}
	batch := append(append([]byte("[ "), data...), " ,{\"destinations\":[\"::1\"]}]"...)
	for _, d := range [][]byte{data, batch} {
		gs, gerr := engine.ParseScenarios(d)
		ws, ok := slowParseScenarios(d)
		if (gerr == nil) != ok || !reflect.DeepEqual(gs, ws) {
			t.Fatalf("ParseScenarios(%q):\n got %+v, %v\nwant %+v (accepted: %v)", d, gs, gerr, ws, ok)
		}
		checkErr(t, d, gerr)
	}
}

// checkErr fails unless err is nil or a *ScenarioError with a printable
// message.
func checkErr(t *testing.T, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var se *engine.ScenarioError
	if !errors.As(err, &se) || se.Msg == "" || !msgtext.Printable(se.Error()) {
		t.Fatalf("%q: bad error %#v", data, err)
	}
}

func TestParseScenarioSameAsSlow(t *testing.T) {
	generated, every := 600, 100
	if testing.Short() {
		generated, every = 300, 200
	}
	docs := decodeDocs(t, generated)
	for _, d := range docs {
		sameParse(t, d, true)
	}
	// Damage costs about 20 parses per byte: decode_test.go's documents
	// (the first ones) and a sample of the others, none of the few huge
	// ones (limits).
	for i, d := range docs {
		if len(d) < 4096 && (i < len(engine.DecodeDocs()) || i%every == 0) {
			damage(d, func(b []byte) { sameParse(t, b, false) })
		}
	}
}

func FuzzParseScenarioSlow(f *testing.F) {
	for _, d := range decodeDocs(f, 50) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameParse(t, data, true) })
}
