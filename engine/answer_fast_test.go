package engine

// The fast answer writer (answer.go, answer_text.go, appendJSONText,
// appendInt, AppendFirstDifference) against golden answers and the slow
// references of answer_slow_test.go: the answer is a contract, so the
// real models' answers must keep every byte (golden files), and synthetic
// results built to reach the escaper's corners (zones, interface names,
// errors and notes holding quotes, control characters, invalid UTF-8,
// U+2028) must give valid JSON meaning what they hold.

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenDocs are the scenarios whose answers are pinned: the benchmark's
// and every vector's, by file name.
func goldenDocs(t *testing.T) (names []string, docs [][]byte) {
	var files []string
	for _, set := range []string{"curated", "regress"} {
		f, err := filepath.Glob(filepath.Join("..", "testdata", "vectors", set, "*.json"))
		require.NoError(t, err)
		files = append(files, f...)
	}
	require.NotEmpty(t, files)
	names, docs = []string{"bench/container8.json"}, [][]byte{benchScenario(t)}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var v struct {
			Scenario json.RawMessage `json:"scenario"`
		}
		require.NoError(t, json.Unmarshal(raw, &v), f)
		rel, _ := filepath.Rel(filepath.Join("..", "testdata", "vectors"), f)
		names, docs = append(names, filepath.ToSlash(rel)), append(docs, v.Scenario)
	}
	return names, docs
}

// checkGolden compares got with the file testdata/name, or rewrites the
// file with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./engine -run Golden -update to write it")
	if string(want) == string(got) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range min(len(wl), len(gl)) {
		if wl[i] != gl[i] {
			t.Fatalf("%s: line %d differs (go test ./engine -run Golden -update rewrites the file, if the change is meant)\n got %s\nwant %s", path, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("%s: %d lines, want %d (-update rewrites the file, if the change is meant)", path, len(gl), len(wl))
}

// TestGoldenAnswers answers every vector's scenario with every model (in
// one call, so the address table spans models): the bytes are
// testdata/answers.golden's (each "why" sentence included), the meaning
// slowAnswer's (so each "why" in the answer is Why's).
// goldenModels answer the golden documents: the RFC and the versions the
// project began with (the later versions differ from these only where
// their own tests and vectors say).
var goldenModels = []Model{RFC6724{}, GlibcModel{V: Glibc236}, MuslModel{V: Musl123}}

func TestGoldenAnswers(t *testing.T) {
	names, docs := goldenDocs(t)
	var rn Runner
	var golden []byte
	whys := 0
	for k, doc := range docs {
		sc, err := ParseScenario(doc)
		require.NoError(t, err, names[k])
		res := rn.Run(sc, goldenModels)
		got := AppendAnswer([]byte("prefix"), res)
		require.Equal(t, "prefix", string(got[:6]))
		got = got[6:]
		checkMeaning(t, got, res, names[k])
		golden = append(append(append(golden, "# "+names[k]+"\n"...), got...), '\n')
		for m := range res {
			whys += len(res[m].Decided)
		}
	}
	assert.Greater(t, whys, 100)
	checkGolden(t, "answers.golden", golden)
}

// checkMeaning fails unless the answer is valid JSON that means what
// slowAnswer says it should.
func checkMeaning(t *testing.T, got []byte, res []Result, what any) {
	t.Helper()
	require.True(t, json.Valid(got), "%v: %s", what, got)
	want, err := json.Marshal(slowAnswer(res))
	require.NoError(t, err)
	same, err := sameMeaning(got, want)
	require.NoError(t, err)
	require.True(t, same, "%v:\n got %s\nwant %s", what, got, want)
}

// nastyTexts reach every branch of the escaper. Zones end in a cut UTF-8
// sequence too: the sentence around it goes on in ASCII.
var nastyTexts = []string{
	"", "eth0", `q"uote`, `back\slash`, "ctl\x00\x01\x1f\x7f", "\n\r\t\b\f",
	"é😀", "bad\xff", "cut\xe2\x80", "\xc3", "\u2028\u2029", "\ufffd", "</script>&<",
	"\xed\xa0\x80", "long-" + string(make([]byte, 40)),
}

// randomResult builds a result with n destinations whose fields are drawn
// from rng: any rule, numbers from unknown to large, keys with any bits,
// IPv4, IPv6, mapped and zoned addresses (some repeated, as in answers).
func randomResult(rng *rand.Rand, n int) Result {
	addr := func() netip.Addr {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.IntN(4)) // few distinct values: repeats and :: runs
		}
		switch rng.IntN(5) {
		case 0:
			return netip.AddrFrom4([4]byte{b[0], b[1], b[2], b[3]})
		case 1:
			return netip.AddrFrom16(netip.AddrFrom4([4]byte{b[0], 2, b[2], 9}).As16())
		case 2:
			return netip.AddrFrom16(b).WithZone(nastyTexts[rng.IntN(len(nastyTexts))])
		case 3:
			return netip.AddrFrom16(netip.AddrFrom4([4]byte{10, b[1], 0, 1}).As16()).WithZone(nastyTexts[rng.IntN(len(nastyTexts))])
		}
		return netip.AddrFrom16(b)
	}
	num := func() int {
		switch rng.IntN(6) {
		case 0:
			return -1
		case 1:
			return rng.IntN(100000)
		case 2:
			return math.MaxInt
		}
		return rng.IntN(130)
	}
	text := func() string {
		if rng.IntN(2) == 0 {
			return ""
		}
		return nastyTexts[rng.IntN(len(nastyTexts))]
	}
	r := Result{Model: text() + "model", Err: ""}
	if rng.IntN(8) == 0 {
		r.Err = "EAI_" + text()
	}
	for i := range n {
		d := Dest{Addr: addr(), Index: num(), Usable: rng.IntN(2) == 0, SourcePrefixLen: num(),
			SourceDeprecated: rng.IntN(2) == 0, SourceHome: rng.IntN(2) == 0, Interface: text(),
			DestScope: num(), SourceScope: num(), DestLabel: num(), SourceLabel: num(),
			Precedence: num(), MatchLen: num(), Unreachable: text()}
		if rng.IntN(3) > 0 {
			d.Source = addr()
		}
		if rng.IntN(2) == 0 {
			d.Key = rng.Uint32()
			if rng.IntN(3) == 0 && i > 0 {
				d.Key = r.Dests[i-1].Key ^ 1<<rng.IntN(32) // one field differs, or bit 31
			}
		}
		r.Dests = append(r.Dests, d)
		if i > 0 {
			r.Decided = append(r.Decided, Rule(rng.IntN(int(RuleAlgorithm)+2)))
		}
	}
	for range rng.IntN(3) {
		r.Notes = append(r.Notes, Note{Kind: text() + "lint", Line: num(), Text: text()})
	}
	return r
}

// TestAnswerSyntheticResults: synthetic results give valid JSON meaning
// what they hold; the "why" sentences of the first ones are pinned by
// testdata/whys.golden.
func TestAnswerSyntheticResults(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var golden []byte
	for k := range 2000 {
		// Up to 80 destinations with sources: more addresses than the
		// table holds.
		res := make([]Result, 1+rng.IntN(3))
		for m := range res {
			res[m] = randomResult(rng, rng.IntN(80))
		}
		got := AppendAnswer(nil, res)
		checkMeaning(t, got, res, k)
		if k >= 10 {
			continue
		}
		for m := range res {
			for i := range res[m].Decided {
				golden = append(golden, "case "+strconv.Itoa(k)+" result "+strconv.Itoa(m)+" why "+strconv.Itoa(i)+": "...)
				golden = append(appendJSONString(golden, Why(&res[m], i)), '\n')
			}
		}
	}
	checkGolden(t, "whys.golden", golden)
}

func TestAppendJSONStringMatchesSlow(t *testing.T) {
	for _, a := range nastyTexts {
		for _, b := range nastyTexts {
			s := a + b
			require.Equal(t, string("x"+slowJSONString(s)), string(appendJSONString([]byte("x"), s)), "%q", s)
		}
	}
	// Every single byte, alone and inside plain text.
	for c := range 256 {
		for _, s := range []string{string(rune(c)), string([]byte{byte(c)}), "ab" + string([]byte{byte(c)}) + "cd"} {
			require.Equal(t, slowJSONString(s), string(appendJSONString(nil, s)), "%q", s)
		}
	}
	// Every byte at every place of a longer text, next to each kind of
	// byte.
	for c := range 256 {
		for _, next := range []byte{0, 0x1f, 0x20, 0x21, '"', 0x5b, '\\', 0x7f, 0x80, 0xff} {
			for pos := range 17 {
				b := []byte("abcdefghijklmnopqrstuvwxyz")
				b[pos] = byte(c)
				s := string(b)
				require.Equal(t, slowJSONString(s), string(appendJSONString(nil, s)), "%q", s)
				b[pos+1] = next
				s = string(b)
				require.Equal(t, slowJSONString(s), string(appendJSONString(nil, s)), "%q", s)
			}
		}
	}
}

// FuzzAppendJSONString checks the escaper against slowJSONString and
// against encoding/json: the output is valid JSON and decodes to what
// encoding/json's own encoding of s decodes to (both replace each byte of
// invalid UTF-8 by U+FFFD).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range nastyTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendJSONString(nil, s)
		if want := slowJSONString(s); string(got) != want {
			t.Fatalf("%q: got %s, reference %s", s, got, want)
		}
		std, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var a, b string
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%q: %s is not a JSON string: %v", s, got, err)
		}
		if err := json.Unmarshal(std, &b); err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Fatalf("%q: decodes to %q, encoding/json's to %q", s, a, b)
		}
	})
}

func TestAppendIntMatchesStrconv(t *testing.T) {
	check := func(v int) {
		if got, want := string(appendInt([]byte("x"), v)), "x"+strconv.Itoa(v); got != want {
			t.Fatalf("appendInt(%d) = %s, want %s", v, got, want)
		}
	}
	for v := -100000; v <= 100000; v++ {
		check(v)
	}
	for _, v := range []int{math.MinInt, math.MinInt + 1, math.MaxInt, math.MaxInt32, math.MinInt32} {
		check(v)
	}
}

// TestAddrText checks the address text against netip's String: equal
// without a zone or with a plain one, the JSON-escaped String otherwise;
// and that a repeated address comes out of the table the same.
func TestAddrText(t *testing.T) {
	addrs := []netip.Addr{
		mustAddr("0.0.0.0"), mustAddr("255.255.255.255"), mustAddr("::"), mustAddr("::1"),
		mustAddr("::ffff:192.0.2.1"), mustAddr("2001:db8::1:0:0:1"), mustAddr("fe80::1%eth0"),
		mustAddr("::ffff:10.0.0.1%eth0"), mustAddr("1:2:3:4:5:6:7:8"),
	}
	for _, z := range nastyTexts[1:] {
		addrs = append(addrs, mustAddr("fe80::2").WithZone(z), mustAddr("::ffff:1.2.3.4").WithZone(z))
	}
	var w answerText
	var dst []byte
	for round := range 2 {
		for _, a := range addrs {
			want := appendJSONText(nil, a.String())
			got := appendAddrText(nil, a)
			require.Equal(t, string(want), string(got), "%q", a.String())
			off := len(dst)
			dst = w.addr(dst, a)
			require.Equal(t, string(want), string(dst[off:]), "round %d: %q", round, a.String())
			require.Equal(t, a.String(), string((*answerText)(nil).addr(nil, a)))
		}
	}
	assert.Equal(t, min(len(addrs), len(w.seen)), w.n, "each distinct address is in the table once, until it is full")
}

func TestAppendFirstDifferenceMatchesSlow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		a := MuslKey(rng.Uint32())
		b := a ^ MuslKey(1)<<rng.IntN(32)
		if rng.IntN(4) == 0 {
			b = MuslKey(rng.Uint32())
		}
		require.Equal(t, slowFirstDifference(a, b), a.FirstDifference(b), "%v %v", a, b)
	}
	assert.Equal(t, "no field", MuslKey(0x80000000).FirstDifference(0), "bit 31 is no field")
}
