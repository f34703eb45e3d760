package engine

// Slow references for the answer writer (answer.go, appendJSONText), in
// the spirit of net/netip's slow_test.go, and its golden answers:
//
//   - slowJSONString escapes a string the obvious way, rune by rune with
//     encoding/json; the fast escaper must give the same bytes.
//   - slowAnswer builds the answer as plain Go values and encodes it with
//     encoding/json; the fast answer must be valid JSON and mean the same
//     (equal once both are decoded).
//   - the bytes of real answers (member order, number and address
//     spelling, every "why" sentence) are pinned by golden files under
//     testdata/, rewritten by `go test ./engine -run Golden -update`.

import (
	"bytes"
	"encoding/json"
	"flag"
	"strconv"
	"strings"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// slowJSONString is appendJSONString done rune by rune: each byte of
// invalid UTF-8 becomes U+FFFD, each valid rune is written as
// encoding/json writes it alone (with HTML characters left as they are).
func slowJSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
			i++
			continue
		}
		var enc bytes.Buffer
		e := json.NewEncoder(&enc)
		e.SetEscapeHTML(false)
		if err := e.Encode(s[i : i+n]); err != nil {
			panic(err)
		}
		q := bytes.TrimSuffix(enc.Bytes(), []byte("\n"))
		b.Write(q[1 : len(q)-1])
		i += n
	}
	b.WriteByte('"')
	return b.String()
}

// slowAnswer is what AppendAnswer(results) means, as plain values for
// encoding/json (the "why" sentences are Why's, pinned by the golden
// files).
func slowAnswer(results []Result) map[string]any {
	var out []any
	for k := range results {
		r := &results[k]
		m := map[string]any{"model": r.Model}
		if r.Err != "" {
			m["error"] = r.Err
		} else {
			order, dests, decided := []any{}, []any{}, []any{}
			for i := range r.Dests {
				order = append(order, r.Dests[i].Addr.String())
				dests = append(dests, slowDest(&r.Dests[i]))
			}
			for i, rule := range r.Decided {
				decided = append(decided, map[string]any{"rule": rule.ID(), "why": Why(r, i)})
			}
			m["order"], m["dests"], m["decided"] = order, dests, decided
		}
		if len(r.Notes) > 0 {
			var notes []any
			for _, n := range r.Notes {
				note := map[string]any{"kind": n.Kind, "text": n.Text}
				if n.Line > 0 {
					note["line"] = n.Line
				}
				notes = append(notes, note)
			}
			m["notes"] = notes
		}
		out = append(out, m)
	}
	return map[string]any{"results": out}
}

// slowDest is one entry of "dests": what is unknown (negative, empty,
// false, zero) is left out.
func slowDest(d *Dest) map[string]any {
	m := map[string]any{"address": d.Addr.String(), "index": d.Index, "usable": d.Usable}
	put := func(name string, v any, known bool) {
		if known {
			m[name] = v
		}
	}
	put("unreachable", d.Unreachable, d.Unreachable != "")
	put("source", d.Source.String(), d.Source.IsValid())
	put("interface", d.Interface, d.Interface != "")
	put("source_deprecated", true, d.SourceDeprecated)
	put("source_home", true, d.SourceHome)
	for _, f := range []struct {
		name string
		v    int
	}{
		{"source_prefix_len", d.SourcePrefixLen}, {"dest_scope", d.DestScope}, {"source_scope", d.SourceScope},
		{"dest_label", d.DestLabel}, {"source_label", d.SourceLabel}, {"precedence", d.Precedence},
		{"match_len", d.MatchLen},
	} {
		put(f.name, f.v, f.v >= 0)
	}
	put("key", "0x"+pad8(strconv.FormatUint(uint64(d.Key), 16)), d.Key != 0)
	return m
}

func pad8(s string) string { return strings.Repeat("0", 8-len(s)) + s }

// sameMeaning decodes two JSON texts and reports whether they are equal as
// values (member order and escaping aside). Each byte of invalid UTF-8
// decodes to U+FFFD in both.
func sameMeaning(a, b []byte) (bool, error) {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return false, err
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return bytes.Equal(xs, ys), nil
}

// slowFirstDifference is MuslKey.FirstDifference the long way round: the
// first of the key's fields (Fields) whose raw values differ, in words.
func slowFirstDifference(k, next MuslKey) string {
	a, b := k.Fields(), next.Fields()
	for i := range a {
		if a[i].Raw == b[i].Raw {
			continue
		}
		bits := " (bit " + strconv.Itoa(a[i].Lo)
		if a[i].Hi != a[i].Lo {
			bits = " (bits " + strconv.Itoa(a[i].Hi) + "-" + strconv.Itoa(a[i].Lo)
		}
		return a[i].Name + bits + "): " + strconv.Itoa(int(a[i].Raw)) + " vs " + strconv.Itoa(int(b[i].Raw))
	}
	return "no field"
}
