package engine

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestAppendJSONString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\n\r\t\b\f\x00\x1f\x7f", `"\n\r\t\b\f\u0000\u001f` + "\x7f" + `"`},
		{"é😀", `"é😀"`},
		{"a\xffb\xc3", "\"a\ufffdb\ufffd\""},
		{"\xed\xa0\x80", "\"\ufffd\ufffd\ufffd\""}, // an encoded surrogate is invalid UTF-8
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"</script>&", `"</script>&"`},
	} {
		if got := string(appendJSONString([]byte("x"), tc.in)); got != "x"+tc.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestStringsDecode checks escapes decode to what the writer wrote.
func TestStringsDecode(t *testing.T) {
	for _, s := range []string{"", "a", "\x00\x01\n\"\\/ é 😀 \u2028", "\ufffd"} {
		doc := `{"destinations":["1.2.3.4"],"gai_conf":` + string(appendJSONString(nil, s)) + `}`
		sc, err := ParseScenario([]byte(doc))
		if err != nil || sc.GaiConf != s {
			t.Errorf("%q: got %q, %v", s, sc.GaiConf, err)
		}
	}
	sc, err := ParseScenario([]byte(`{"destinations":["1.2.3.4"],"gai_conf":"\u00E9\ud83d\ude00\/"}`))
	if err != nil || sc.GaiConf != "é😀/" {
		t.Errorf("escapes: %q, %v", sc.GaiConf, err)
	}
}

// TestNoHeavyImports keeps fmt, reflect, encoding/json and encoding/binary
// (which imports reflect) out of the
// engine's non-test files: they would blow the WebAssembly size budget
// (see json.go).
func TestNoHeavyImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			switch p, _ := strconv.Unquote(imp.Path.Value); p {
			case "fmt", "reflect", "encoding/json", "encoding/binary": // encoding/binary pulls in reflect
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}

func TestReaderDepthLimit(t *testing.T) {
	r := &jsonReader{data: []byte(strings.Repeat("[", MaxDepth+1))}
	for i := 0; i <= MaxDepth; i++ {
		if !r.open('[', "an array") {
			break
		}
		r.pushIndex(0)
	}
	if r.err == nil || r.err.Code != TooLarge || r.err.Msg != "nested too deeply (the limit, MaxDepth, is 32 levels)" {
		t.Fatalf("err = %v", r.err)
	}
	if !strings.HasPrefix(r.err.Path, "[0][0][0]") {
		t.Fatalf("path = %q", r.err.Path)
	}
}
