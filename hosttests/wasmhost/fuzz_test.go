package wasmhost_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/msgtext"
	"github.com/gaisort/gaisort/internal/wasmhost"
)

// sameAsNative checks the module's answer to req against the engine's: the
// same bytes when the engine answers, and an error value with the engine's
// path when it refuses (too_large for a limit, bad_scenario otherwise).
func sameAsNative(t *testing.T, in *wasmhost.Instance, req []byte) (answered bool) {
	t.Helper()
	got, err := in.Sort(req, "")
	if in.Broken() != nil {
		t.Fatalf("the module trapped on %q: %v", req, err)
	}
	sc, perr := engine.ParseScenario(req)
	if perr != nil {
		var e *wasmhost.Error
		if !errors.As(err, &e) {
			t.Fatalf("the engine refuses %q (%v) but the module answered %s", req, perr, got)
		}
		var se *engine.ScenarioError
		if !errors.As(perr, &se) {
			t.Fatalf("%q: the engine's error %#v is no *ScenarioError", req, perr)
		}
		if e.Path != se.Path || e.Message != se.Msg || e.Code != se.Code.String() {
			t.Fatalf("%q: the engine says %s %q at %q, the module %s %q at %q", req, se.Code, se.Msg, se.Path, e.Code, e.Message, e.Path)
		}
		if !msgtext.Printable(e.Message) || !msgtext.Printable(e.Path) {
			t.Fatalf("%q: the message %q at %q holds a control character or invalid UTF-8", req, e.Message, e.Path)
		}
		return false
	}
	if err != nil {
		t.Fatalf("%q: the engine answers but the module says %v", req, err)
	}
	var rn engine.Runner
	want := engine.AppendAnswer(nil, rn.Run(sc, engine.DefaultModels()))
	if string(got) != string(want) {
		t.Fatalf("%q: answers differ\nmodule: %s\nengine: %s", req, got, want)
	}
	return true
}

// mutate flips, inserts or deletes a few bytes of b.
func mutate(r *rand.Rand, b []byte) []byte {
	out := append([]byte(nil), b...)
	const alphabet = "{}[]\":,0123456789abcdef.:/%\\ \x00\xff"
	for n := 1 + r.IntN(3); n > 0 && len(out) > 0; n-- {
		i := r.IntN(len(out))
		switch r.IntN(3) {
		case 0:
			out[i] = alphabet[r.IntN(len(alphabet))]
		case 1:
			out = append(out[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, out[i:]...)...)
		default:
			out = append(out[:i], out[i+1:]...)
		}
	}
	return out
}

// Mutated scenarios and random bytes: the module never traps, and agrees
// with the engine on every one, answer or refusal.
func TestMutationsAgreeWithNative(t *testing.T) {
	in := newWazero(t)
	r := rand.New(rand.NewPCG(1, 2))
	seeds := []string{wasmhost.Container8, smallScenario}
	for _, s := range inlineScenarios {
		seeds = append(seeds, s)
	}
	n := 3000
	if testing.Short() {
		n = 300
	}
	answered := 0
	for i := 0; i < n; i++ {
		var req []byte
		if i%10 == 9 {
			req = make([]byte, r.IntN(64))
			for j := range req {
				req[j] = byte(r.Uint32())
			}
		} else {
			req = mutate(r, []byte(seeds[i%len(seeds)]))
		}
		if sameAsNative(t, in, req) {
			answered++
		}
	}
	t.Logf("%d requests, %d answered, %d refused, all as the engine did", n, answered, n-answered)
	if answered == 0 {
		t.Error("no mutation was a valid scenario: the comparison of answers never ran")
	}
}

func FuzzModuleVsNative(f *testing.F) {
	f.Add([]byte(wasmhost.Container8))
	f.Add([]byte(smallScenario))
	f.Add([]byte("{"))
	f.Add([]byte(`{"destinations":["fe80::1%eth0"]}`))
	// Issue 18: the byte after the backslash reached the engine's message
	// raw, and the module's as a space.
	f.Add([]byte("{\"\\\r0"))
	// Issue 12: a NUL after the document, and between tokens.
	f.Add([]byte("{\"destinations\":[\"192.0.2.1\"]}\x00garbage"))
	f.Add([]byte("{\"destinations\":\x00[\"192.0.2.1\"]}"))
	var in *wasmhost.Instance
	f.Fuzz(func(t *testing.T, req []byte) {
		if in == nil || in.Broken() != nil {
			var err error
			if in, err = wz.Instantiate(); err != nil {
				t.Fatal(err)
			}
		}
		sameAsNative(t, in, req)
	})
}

// TestEchoedBytesQuoted: the inputs of issues 18 and 12 get the same
// message natively and through the module, with the echoed byte quoted
// and the offset named.
func TestEchoedBytesQuoted(t *testing.T) {
	in := newWazero(t)
	for _, tc := range []struct{ req, msg string }{
		{"{\"\\\r0", `invalid JSON at line 1, column 3 (byte 2): unknown escape: '\' followed by byte 0xd`},
		{"{\"destinations\":[\"192.0.2.1\"]}\x00garbage", `invalid JSON at line 1, column 31 (byte 30): unexpected byte 0x0 after the end of the document`},
		{"{\"destinations\":[\"192.0.2.1\"]\x00}", `invalid JSON at line 1, column 30 (byte 29): unexpected byte 0x0, expected ',' or '}'`},
	} {
		sameAsNative(t, in, []byte(tc.req))
		_, err := in.Sort([]byte(tc.req), "")
		var e *wasmhost.Error
		if !errors.As(err, &e) || e.Code != "bad_scenario" || e.Message != tc.msg {
			t.Errorf("%q: got %#v, want bad_scenario %q", tc.req, err, tc.msg)
		}
	}
}
