package engine_test

// ParseScenario and ParseScenarios against the reader as it was before the
// speed work (decode_ref_test.go): the same Scenario for every accepted
// document, the same error (path and message) for every refused one. The
// inputs are the shared vectors, generated scenarios (compact and
// indented), decode_test.go's valid and malformed documents, and
// mechanical damage to them (every truncation, byte replacements,
// deletions); FuzzParseScenarioRef goes on from there.

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/gaisort/gaisort/engine"
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

// sameParse fails unless the fast and the reference reader agree on data;
// withBatch also compares ParseScenarios on data and on a batch holding
// it.
func sameParse(t *testing.T, data []byte, withBatch bool) {
	t.Helper()
	got, gerr := engine.ParseScenario(data)
	want, werr := engine.RefParseScenario(data)
	if !sameErr(gerr, werr) || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseScenario(%q):\n got %+v, %v\nwant %+v, %v", data, got, gerr, want, werr)
	}
	if !withBatch {
		return
	}
	batch := append(append([]byte("[ "), data...), " ,{\"destinations\":[\"::1\"]}]"...)
	for _, d := range [][]byte{data, batch} {
		gs, gerr := engine.ParseScenarios(d)
		ws, werr := engine.RefParseScenarios(d)
		if !sameErr(gerr, werr) || !reflect.DeepEqual(gs, ws) {
			t.Fatalf("ParseScenarios(%q):\n got %+v, %v\nwant %+v, %v", d, gs, gerr, ws, werr)
		}
	}
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var x, y *engine.ScenarioError
	return errors.As(a, &x) && errors.As(b, &y) && *x == *y
}

func TestParseScenarioSameAsRef(t *testing.T) {
	generated, every := 2000, 50
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

func FuzzParseScenarioRef(f *testing.F) {
	for _, d := range decodeDocs(f, 50) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameParse(t, data, true) })
}
