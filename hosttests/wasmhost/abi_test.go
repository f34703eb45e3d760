package wasmhost_test

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/wasmbuild"
	"github.com/gaisort/gaisort/internal/wasmhost"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The module's import section names only WASI preview 1, and its exports
// are exactly the ABI's (plus the memory and the reactor's _initialize).
func TestImportsAndExports(t *testing.T) {
	imports, exports, err := wasmhost.Sections(moduleBin)
	require.NoError(t, err)
	var names []string
	for _, im := range imports {
		assert.Equal(t, "wasi_snapshot_preview1", im.Module, "import %s.%s", im.Module, im.Name)
		assert.Equal(t, byte(0), im.Kind, "import %s.%s is not a function", im.Module, im.Name)
		names = append(names, im.Name)
	}
	t.Logf("WASI functions imported: %s", strings.Join(names, ", "))
	got := map[string]byte{}
	for _, ex := range exports {
		got[ex.Name] = ex.Kind
	}
	assert.Equal(t, map[string]byte{
		"memory":              2,
		"_initialize":         0,
		"gaisort_abi_version": 0,
		"gaisort_alloc":       0,
		"gaisort_free":        0,
		"gaisort_sort":        0,
		"gaisort_models":      0,
		"gaisort_version":     0,
		"gaisort_sort_opts":   0,
		"gaisort_lint":        0,
	}, got)
	// wazero agrees.
	for _, m := range wz.ImportModules() {
		assert.Equal(t, "wasi_snapshot_preview1", m)
	}
}

func TestVersionAndModels(t *testing.T) {
	in := newWazero(t)
	v, err := in.Version()
	require.NoError(t, err)
	version, abi, err := wasmbuild.ReadVersion(repoRoot)
	require.NoError(t, err)
	assert.Equal(t, `{"gaisort":"`+version+`","abi":`+strconv.Itoa(abi)+`,"go":"`+runtime.Version()+`"}`, string(v))

	m, err := in.Models()
	require.NoError(t, err)
	type model struct {
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
		Summary string   `json:"summary"`
	}
	var got []model
	require.NoError(t, json.Unmarshal(m, &got), "%s", m)
	var want []model
	for _, em := range engine.Models() {
		a := em.Info().Aliases
		if a == nil {
			a = []string{}
		}
		want = append(want, model{em.Info().Name, a, em.Info().Summary})
	}
	assert.Equal(t, want, got)
}

// fakeModule is a module of ABI version 2: _initialize, memory, and
// gaisort_abi_version returning 2.
func fakeModule(version byte) []byte {
	section := func(id byte, body ...byte) []byte {
		return append([]byte{id, byte(len(body))}, body...)
	}
	name := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	var exports []byte
	exports = append(exports, 3)
	exports = append(append(exports, name("gaisort_abi_version")...), 0, 0)
	exports = append(append(exports, name("_initialize")...), 0, 1)
	exports = append(append(exports, name("memory")...), 2, 0)
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, section(1, 2, 0x60, 0, 1, 0x7f, 0x60, 0, 0)...) // types: ()->i32, ()->()
	m = append(m, section(3, 2, 0, 1)...)                         // functions
	m = append(m, section(5, 1, 0, 1)...)                         // memory, 1 page
	m = append(m, section(7, exports...)...)
	m = append(m, section(10, 2, 4, 0, 0x41, version, 0x0b, 2, 0, 0x0b)...) // i32.const version; nothing
	return m
}

func TestUnknownABIRefused(t *testing.T) {
	assert.NoError(t, wasmhost.CheckABI(1))
	assert.Error(t, wasmhost.CheckABI(0))
	assert.Error(t, wasmhost.CheckABI(2))

	w, err := wasmhost.NewWazero(context.Background(), fakeModule(2), "")
	require.NoError(t, err)
	defer w.Close()
	_, err = w.Instantiate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ABI version 2")

	// The same module saying 1 passes the check (and then lacks exports).
	w1, err := wasmhost.NewWazero(context.Background(), fakeModule(1), "")
	require.NoError(t, err)
	defer w1.Close()
	_, err = w1.Instantiate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not export gaisort_alloc")
}

// errorOf runs a request and returns the module's error value.
func errorOf(t *testing.T, in *wasmhost.Instance, req []byte, models string) *wasmhost.Error {
	t.Helper()
	ans, err := in.Sort(req, models)
	var e *wasmhost.Error
	require.True(t, errors.As(err, &e), "want an error value, got %s (%v)", ans, err)
	assert.NotContains(t, e.Message, "\n")
	// The answer is valid JSON with exactly these three fields.
	var v map[string]map[string]string
	require.NoError(t, json.Unmarshal(ans, &v), "%s", ans)
	assert.Len(t, v["error"], 3, "%s", ans)
	return e
}

func TestErrorValues(t *testing.T) {
	in := newWazero(t)
	dests := make([]string, engine.MaxDestinations+1)
	for i := range dests {
		dests[i] = `"10.0.` + strconv.Itoa(i/256) + `.` + strconv.Itoa(i%256) + `"`
	}
	big := `{"destinations":["10.0.0.1"],"gai_conf":"` + strings.Repeat("#", engine.MaxDocumentBytes) + `"}`
	ifaces := make([]string, engine.MaxInterfaces+1)
	for i := range ifaces {
		ifaces[i] = `{"name":"eth` + strconv.Itoa(i) + `"}`
	}
	tests := []struct {
		name, req, models string
		code, path        string
		msg               string
	}{
		{"document past MaxDocumentBytes", big, "", "too_large", "", "MaxDocumentBytes"},
		{"destinations past MaxDestinations", `{"destinations":[` + strings.Join(dests, ",") + `]}`, "", "too_large", "destinations", "MaxDestinations"},
		{"interfaces past MaxInterfaces", `{"destinations":["10.0.0.1"],"interfaces":[` + strings.Join(ifaces, ",") + `]}`, "", "too_large", "interfaces", "MaxInterfaces"},
		{"nesting where the format has none", `{"destinations":["10.0.0.1"],"hints":{"flags":[[[[]]]]}}`, "", "bad_scenario", "hints.flags[0]", ""},
		{"invalid scenario", `{"destinations":["10.0.0.1"],"routes":[{"to":"10.1.0.0/16","dev":"eth9"}]}`, "", "bad_scenario", "routes[0].dev", "eth9"},
		{"unknown field", `{"destinations":["10.0.0.1"],"hints":{"family":"unspec","flagz":[]}}`, "", "bad_scenario", "hints.flagz", ""},
		{"not JSON", "\x00\xff\xfegarbage{{{", "", "bad_scenario", "", ""},
		{"empty request", "", "", "bad_scenario", "", "empty"},
		{"an array", `[{"destinations":["10.0.0.1"]}]`, "", "bad_scenario", "", ""},
		{"unknown model", `{"destinations":["10.0.0.1"]}`, "rfc6724,bsd", "unknown_model", "", `"bsd"`},
		{"no model named", `{"destinations":["10.0.0.1"]}`, " , ", "unknown_model", "", "no model"},
		{"models list too long", `{"destinations":["10.0.0.1"]}`, strings.Repeat("x", 5000), "too_large", "", "models list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := errorOf(t, in, []byte(tt.req), tt.models)
			assert.Equal(t, tt.code, e.Code, "%v", e)
			assert.Equal(t, tt.path, e.Path, "%v", e)
			assert.Contains(t, e.Message, tt.msg)
			if tt.code == "unknown_model" {
				for _, n := range engine.ModelNames() {
					assert.Contains(t, e.Message, n, "the message lists the known models")
				}
			}
		})
	}
	// After all that, the same instance still answers.
	ans, err := in.Sort([]byte(wasmhost.Container8), "")
	require.NoError(t, err)
	assert.Equal(t, string(nativeAnswer(t, []byte(wasmhost.Container8), engine.DefaultModels())), string(ans))
}

func TestAllocAndFree(t *testing.T) {
	in := newWazero(t)
	for _, n := range []uint32{1 << 31, 0xffffffff, 64<<20 + 1} {
		p, err := in.Alloc(n)
		require.NoError(t, err)
		assert.Zero(t, p, "gaisort_alloc(%d)", int32(n))
	}
	p0, err := in.Alloc(0)
	require.NoError(t, err)
	assert.NotZero(t, p0, "gaisort_alloc(0) is a real address")
	p1, err := in.Alloc(100)
	require.NoError(t, err)
	assert.NotZero(t, p1)
	assert.NotEqual(t, p0, p1)
	// Unknown addresses and double frees are ignored.
	require.NoError(t, in.Free(p1, 100))
	require.NoError(t, in.Free(p1, 100))
	require.NoError(t, in.Free(12345, 7))
	require.NoError(t, in.Free(0, 0))
	require.NoError(t, in.Free(p0, 0))
	// A request buffer survives the call: the host frees it.
	req := []byte(wasmhost.Container8)
	rp, err := in.Alloc(uint32(len(req)))
	require.NoError(t, err)
	copy(in.Memory()[rp:], req)
	for i := 0; i < 3; i++ {
		packed, err := in.SortRaw(rp, uint32(len(req)), 0, 0)
		require.NoError(t, err)
		assert.Equal(t, string(req), string(in.Memory()[rp:rp+uint32(len(req))]), "the request is untouched")
		ans, err := in.Take(nil, packed)
		require.NoError(t, err)
		assert.NoError(t, wasmhost.AnswerError(ans))
	}
	require.NoError(t, in.Free(rp, uint32(len(req))))
	// A length of 2 GiB or more is past every limit, and nothing is read.
	for _, n := range []uint32{1 << 31, 0xffffffff} {
		packed, err := in.SortRaw(rp, n, 0, 0)
		require.NoError(t, err)
		ans, err := in.Take(nil, packed)
		require.NoError(t, err)
		var e *wasmhost.Error
		require.ErrorAs(t, wasmhost.AnswerError(ans), &e)
		assert.Equal(t, "too_large", e.Code)
		packed, err = in.SortRaw(rp, 10, rp, n)
		require.NoError(t, err)
		ans, err = in.Take(nil, packed)
		require.NoError(t, err)
		require.ErrorAs(t, wasmhost.AnswerError(ans), &e)
		assert.Equal(t, "too_large", e.Code)
	}
	// Two responses held at once are distinct buffers.
	a, err := in.SortRaw(rp, 0, 0, 0)
	require.NoError(t, err)
	b, err := in.SortRaw(rp, 0, 0, 0)
	require.NoError(t, err)
	assert.NotEqual(t, a>>32, b>>32)
}

// smallScenario is a cheap request, for tests that make many calls.
const smallScenario = `{"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"},{"cidr":"fd00:dead:beef::7/64"}]}],
	"routes":[{"to":"default","via":"172.19.0.1","dev":"eth0"},{"to":"::/0","via":"fd00:dead:beef::1","dev":"eth0"}],
	"destinations":["2a00:1450:4001:82b::200e","142.250.74.206"]}`

// 100,000 calls leave the memory where it was after the warm-up: the
// module's allocations balance. Mostly the small scenario with one model
// (the test is about buffers, not sorting), with the container scenario
// and every model, error answers and the version calls mixed in.
func TestAllocationsBalanced(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 calls")
	}
	in := newWazero(t)
	small, big := []byte(smallScenario), []byte(wasmhost.Container8)
	first := engine.ModelNames()[0]
	var buf []byte
	var err error
	call := func(i int) {
		switch {
		case i%1000 == 999:
			if _, err := in.Sort([]byte("{"), ""); err == nil {
				t.Fatal("no error for {")
			}
			if _, err := in.Version(); err != nil {
				t.Fatal(err)
			}
		case i%100 == 0:
			buf, err = in.SortAppend(buf[:0], big, "")
		default:
			buf, err = in.SortAppend(buf[:0], small, first)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2000; i++ {
		call(i)
	}
	before := in.MemorySize()
	var sizes []int
	for i := 0; i < 100000; i++ {
		call(i)
		if i%10000 == 9999 {
			sizes = append(sizes, in.MemorySize())
		}
	}
	after := in.MemorySize()
	t.Logf("linear memory: %d bytes after the warm-up; every 10,000 calls: %v", before, sizes)
	// The Go heap settles within a few garbage collections; a leak of even
	// one small buffer per call would add over 6 MB.
	assert.LessOrEqual(t, after-before, 4<<20, "memory grew by %d bytes", after-before)
	assert.LessOrEqual(t, after-sizes[4], 1<<20, "memory still growing in the second half: %v", sizes)
}

// A panic inside the module is recovered into an "internal" error value,
// and the instance stays usable. The one panic a host can provoke without
// a trap: a request at address 0 (a nil pointer to Go) with a length.
func TestInternalError(t *testing.T) {
	in := newWazero(t)
	packed, err := in.SortRaw(0, 10, 0, 0)
	require.NoError(t, err, "a panic is no trap")
	ans, err := in.Take(nil, packed)
	require.NoError(t, err)
	var e *wasmhost.Error
	require.ErrorAs(t, wasmhost.AnswerError(ans), &e, "%s", ans)
	assert.Equal(t, "internal", e.Code)
	t.Logf("%s", ans)
	got, err := in.Sort([]byte(wasmhost.Container8), "")
	require.NoError(t, err)
	assert.Equal(t, string(nativeAnswer(t, []byte(wasmhost.Container8), engine.DefaultModels())), string(got))
}

// A host's misuse traps; the host discards the instance and a fresh one
// answers.
func TestTrapThenFreshInstance(t *testing.T) {
	in := newWazero(t)
	_, err := in.Sort([]byte(wasmhost.Container8), "")
	require.NoError(t, err)
	size := uint32(in.MemorySize())
	_, err = in.SortRaw(size+4096, 64, 0, 0) // a request past the end of memory
	require.Error(t, err, "reading past the end of memory traps")
	t.Logf("trap: %v", err)
	_, err = in.Sort([]byte(wasmhost.Container8), "")
	assert.ErrorIs(t, err, wasmhost.ErrBroken)
	in.Close()

	fresh := newWazero(t)
	ans, err := fresh.Sort([]byte(wasmhost.Container8), "")
	require.NoError(t, err)
	assert.Equal(t, string(nativeAnswer(t, []byte(wasmhost.Container8), engine.DefaultModels())), string(ans))
}
