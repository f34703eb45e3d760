//go:build wasmtime

package wasmhost_test

import (
	"sync"
	"testing"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/wasmhost"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The cross-check under wasmtime (cgo): go test -tags wasmtime.

var (
	wtOnce sync.Once
	wt     *wasmhost.Wasmtime
	wtErr  error
)

func newWasmtime(t testing.TB) *wasmhost.Instance {
	t.Helper()
	wtOnce.Do(func() { wt, wtErr = wasmhost.NewWasmtime(moduleBin) })
	if wtErr != nil {
		t.Fatal(wtErr)
	}
	in, err := wt.Instantiate()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

func TestVectorsWasmtime(t *testing.T) {
	checkVectors(t, newWasmtime(t))
}

func TestErrorValuesWasmtime(t *testing.T) {
	in := newWasmtime(t)
	e := errorOf(t, in, []byte(`{"destinations":["10.0.0.1"],"routes":[{"to":"10.1.0.0/16","dev":"eth9"}]}`), "")
	assert.Equal(t, "bad_scenario", e.Code)
	assert.Equal(t, "routes[0].dev", e.Path)
	e = errorOf(t, in, []byte(`{"destinations":["10.0.0.1"]}`), "nosuch")
	assert.Equal(t, "unknown_model", e.Code)
	v, err := in.Version()
	require.NoError(t, err)
	assert.Contains(t, string(v), `"abi":1`)
}

func TestTrapThenFreshInstanceWasmtime(t *testing.T) {
	in := newWasmtime(t)
	size := uint32(in.MemorySize())
	_, err := in.SortRaw(size+4096, 64, 0, 0)
	require.Error(t, err, "reading past the end of memory traps")
	t.Logf("trap: %v", err)
	_, err = in.Sort([]byte(wasmhost.Container8), "")
	assert.ErrorIs(t, err, wasmhost.ErrBroken)
	in.Close()

	fresh := newWasmtime(t)
	ans, err := fresh.Sort([]byte(wasmhost.Container8), "")
	require.NoError(t, err)
	assert.Equal(t, string(nativeAnswer(t, []byte(wasmhost.Container8), engine.DefaultModels())), string(ans))
}

func BenchmarkSortWasmtime(b *testing.B) {
	benchSort(b, newWasmtime(b))
}

func BenchmarkWasmtimeCompile(b *testing.B) {
	for b.Loop() {
		w, err := wasmhost.NewWasmtime(moduleBin)
		if err != nil {
			b.Fatal(err)
		}
		w.Close()
	}
}

func BenchmarkWasmtimeInstantiate(b *testing.B) {
	newWasmtime(b).Close()
	for b.Loop() {
		in, err := wt.Instantiate()
		if err != nil {
			b.Fatal(err)
		}
		in.Close()
	}
}

func TestSortOptsWasmtime(t *testing.T) { checkSortOpts(t, newWasmtime(t)) }

func BenchmarkSortCallWasmtime(b *testing.B) { benchSortCall(b, newWasmtime(b)) }
