// The module's host tests and benchmarks: the module ($GAISORT_WASM, or a
// fresh build through internal/wasmbuild) under wazero and, with -tags wasmtime,
// wasmtime-go (internal/wasmhost), against the native engine.
package wasmhost_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/wasmbuild"
	"github.com/gaisort/gaisort/internal/wasmhost"
)

// The module under test: built once per test run from the working tree
// (the go build cache makes a rebuild cheap), or the file $GAISORT_WASM.
var (
	repoRoot  string
	moduleBin []byte
	wz        *wasmhost.Wazero // compiled once, with the on-disk cache
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if repoRoot, err = wasmhost.RepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	path := os.Getenv("GAISORT_WASM")
	if path == "" {
		dir, err := os.MkdirTemp("", "gaisort-wasm-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "gaisort.wasm")
		if err := wasmbuild.Build("", repoRoot, path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if moduleBin, err = os.ReadFile(path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if wz, err = wasmhost.NewWazero(context.Background(), moduleBin, wasmhost.CacheDir()); err != nil {
		fmt.Fprintln(os.Stderr, "compiling under wazero:", err)
		return 1
	}
	defer wz.Close()
	return m.Run()
}

// newWazero instantiates the module under wazero for one test.
func newWazero(t testing.TB) *wasmhost.Instance {
	t.Helper()
	in, err := wz.Instantiate()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

// vector is one shared test vector; only its scenario matters here.
type vector struct {
	Name     string          `json:"name"`
	Scenario json.RawMessage `json:"scenario"`
}

// inlineScenarios are answered besides the vectors, so that the
// comparison never runs on nothing.
var inlineScenarios = map[string]string{
	"inline/container8": wasmhost.Container8,
	"inline/ipv4-only": `{"interfaces":[{"name":"eth0","addresses":[{"cidr":"192.168.1.10/24"}]}],
		"routes":[{"to":"default","via":"192.168.1.1","dev":"eth0"}],
		"destinations":["2001:db8::1","198.51.100.7","::1","127.0.0.1"]}`,
	"inline/zone-and-gaiconf": `{"interfaces":[{"name":"eth0","addresses":[{"cidr":"fe80::1/64"},{"cidr":"2001:db8:1::5/64","deprecated":true},{"cidr":"10.0.0.5/8"}]}],
		"routes":[{"to":"::/0","via":"fe80::ff","dev":"eth0"},{"to":"default","via":"10.0.0.1","dev":"eth0"}],
		"destinations":["fe80::2%eth0","2001:db8:2::9","10.9.9.9","::ffff:10.1.1.1","2002:c000:0201::1"],
		"gai_conf":"precedence ::ffff:0:0/96 100\nlabel 2002::/16 9\n",
		"hints":{"family":"unspec","flags":["AI_ADDRCONFIG","AI_V4MAPPED"]}}`,
	"inline/escapes-in-names": `{"interfaces":[{"name":"e\"t\\h0","addresses":[{"cidr":"10.0.0.5/8"}]}],
		"destinations":["10.1.1.1"]}`,
}

// loadVectors reads every testdata/vectors/**/*.json, plus the inline
// scenarios, sorted by name.
func loadVectors(t testing.TB) []vector {
	t.Helper()
	var out []vector
	root := filepath.Join(repoRoot, "testdata", "vectors")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == root {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".json") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v vector
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		if len(v.Scenario) == 0 {
			return fmt.Errorf("%s: no scenario", path)
		}
		rel, _ := filepath.Rel(root, path)
		v.Name = filepath.ToSlash(rel)
		out = append(out, v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	nfiles := len(out)
	for name, sc := range inlineScenarios {
		out = append(out, vector{Name: name, Scenario: json.RawMessage(sc)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	t.Logf("%d shared vectors under testdata/vectors, %d inline scenarios, models %v", nfiles, len(inlineScenarios), engine.ModelNames())
	return out
}

// nativeAnswer is what the engine itself answers (the bytes of `gaisort
// sort --json` without the newline), or the module's error answer for a
// scenario the engine rejects.
func nativeAnswer(t testing.TB, scenario []byte, models []engine.Model) []byte {
	t.Helper()
	sc, err := engine.ParseScenario(scenario)
	if err != nil {
		return nil
	}
	var rn engine.Runner
	return engine.AppendAnswer(nil, rn.Run(sc, models))
}

// modelLists are the models lists every vector is answered with: all
// (empty), each model alone, and every model by name in reverse order.
func modelLists() []string {
	names := engine.ModelNames()
	lists := []string{""}
	lists = append(lists, names...)
	rev := make([]string, len(names))
	for i, n := range names {
		rev[len(names)-1-i] = n
	}
	return append(lists, strings.Join(rev, ","))
}

func modelsOf(t testing.TB, list string) []engine.Model {
	if list == "" {
		return engine.DefaultModels()
	}
	var ms []engine.Model
	for _, n := range strings.Split(list, ",") {
		m, ok := engine.LookupModel(n)
		if !ok {
			t.Fatalf("no model %q", n)
		}
		ms = append(ms, m)
	}
	return ms
}

// checkVectors answers every vector with every models list through in and
// compares with the engine, byte for byte.
func checkVectors(t *testing.T, in *wasmhost.Instance) {
	vs := loadVectors(t)
	n := 0
	for _, v := range vs {
		for _, list := range modelLists() {
			want := nativeAnswer(t, v.Scenario, modelsOf(t, list))
			got, err := in.Sort(v.Scenario, list)
			if want == nil {
				_, perr := engine.ParseScenario(v.Scenario)
				if err == nil {
					t.Errorf("%s (models %q): the engine rejects it (%v) but the module answered %s", v.Name, list, perr, got)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s (models %q): %v", v.Name, list, err)
				continue
			}
			if string(got) != string(want) {
				t.Errorf("%s (models %q): the module's answer differs from the engine's\nmodule: %s\nengine: %s", v.Name, list, got, want)
			}
			n++
		}
	}
	t.Logf("%d answers compared byte for byte", n)
	if n < len(inlineScenarios) {
		t.Fatalf("only %d answers compared", n)
	}
}

func TestVectorsWazero(t *testing.T) {
	checkVectors(t, newWazero(t))
}
