package wasmhost

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Wazero is the module compiled by wazero, ready to instantiate.
type Wazero struct {
	ctx      context.Context
	rt       wazero.Runtime
	compiled wazero.CompiledModule
}

// NewWazero compiles the module. With cacheDir not empty, compiled code
// is kept there (wazero's on-disk compilation cache) and a later process
// skips the compilation.
func NewWazero(ctx context.Context, bin []byte, cacheDir string) (*Wazero, error) {
	cfg := wazero.NewRuntimeConfig()
	if cacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return nil, err
		}
		cfg = cfg.WithCompilationCache(cache)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	compiled, err := rt.CompileModule(ctx, bin)
	if err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return &Wazero{ctx: ctx, rt: rt, compiled: compiled}, nil
}

// Close releases the runtime and every instance.
func (w *Wazero) Close() error { return w.rt.Close(w.ctx) }

// ImportModules lists the module names the compiled module imports from.
func (w *Wazero) ImportModules() []string {
	var out []string
	for _, f := range w.compiled.ImportedFunctions() {
		mod, _, _ := f.Import()
		out = append(out, mod)
	}
	for _, m := range w.compiled.ImportedMemories() {
		mod, _, _ := m.Import()
		out = append(out, mod)
	}
	return out
}

// Instantiate makes a fresh instance: WASI with the host's clocks and
// random source, no arguments, environment or files; _initialize run; the
// ABI version checked.
func (w *Wazero) Instantiate() (*Instance, error) {
	mc := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions("_initialize").
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().
		WithRandSource(rand.Reader)
	mod, err := w.rt.InstantiateModule(w.ctx, w.compiled, mc)
	if err != nil {
		return nil, err
	}
	b := &wazeroBackend{ctx: w.ctx, mod: mod, memory: mod.Memory()}
	if b.memory == nil {
		mod.Close(w.ctx)
		return nil, errors.New("wasmhost: the module exports no memory")
	}
	// The version first: a module of another ABI may export other names.
	if b.fABI = mod.ExportedFunction("gaisort_abi_version"); b.fABI == nil {
		mod.Close(w.ctx)
		return nil, errors.New("wasmhost: the module does not export gaisort_abi_version")
	}
	v, err := b.abiVersion()
	if err == nil {
		err = CheckABI(v)
	}
	if err != nil {
		mod.Close(w.ctx)
		return nil, err
	}
	names := []string{"gaisort_alloc", "gaisort_free", "gaisort_sort", "gaisort_models", "gaisort_version", "gaisort_sort_opts", "gaisort_lint"}
	fs := []*api.Function{&b.fAlloc, &b.fFree, &b.fSort, &b.fModels, &b.fVersion, &b.fSortOpts, &b.fLint}
	for i, n := range names {
		f := mod.ExportedFunction(n)
		if f == nil {
			mod.Close(w.ctx)
			return nil, errors.New("wasmhost: the module does not export " + n)
		}
		*fs[i] = f
	}
	return &Instance{b: b}, nil
}

type wazeroBackend struct {
	ctx                                           context.Context
	mod                                           api.Module
	memory                                        api.Memory
	fABI, fAlloc, fFree, fSort, fModels, fVersion api.Function
	fSortOpts, fLint                              api.Function
	stack                                         [5]uint64
}

// call calls f with the arguments already in b.stack.
func (b *wazeroBackend) call(f api.Function) (uint64, error) {
	if err := f.CallWithStack(b.ctx, b.stack[:]); err != nil {
		return 0, err
	}
	return b.stack[0], nil
}

func (b *wazeroBackend) abiVersion() (uint32, error) {
	v, err := b.call(b.fABI)
	return uint32(v), err
}

func (b *wazeroBackend) alloc(n uint32) (uint32, error) {
	b.stack[0] = uint64(n)
	v, err := b.call(b.fAlloc)
	return uint32(v), err
}

func (b *wazeroBackend) free(p, n uint32) error {
	b.stack[0], b.stack[1] = uint64(p), uint64(n)
	_, err := b.call(b.fFree)
	return err
}

func (b *wazeroBackend) sort(rp, rl, mp, ml uint32) (uint64, error) {
	b.stack = [5]uint64{uint64(rp), uint64(rl), uint64(mp), uint64(ml)}
	return b.call(b.fSort)
}

func (b *wazeroBackend) sortOpts(rp, rl, mp, ml, flags uint32) (uint64, error) {
	b.stack = [5]uint64{uint64(rp), uint64(rl), uint64(mp), uint64(ml), uint64(flags)}
	return b.call(b.fSortOpts)
}

func (b *wazeroBackend) lint(cp, cl, np, nl uint32) (uint64, error) {
	b.stack = [5]uint64{uint64(cp), uint64(cl), uint64(np), uint64(nl)}
	return b.call(b.fLint)
}

func (b *wazeroBackend) models() (uint64, error)  { return b.call(b.fModels) }
func (b *wazeroBackend) version() (uint64, error) { return b.call(b.fVersion) }

func (b *wazeroBackend) mem() []byte {
	m, _ := b.memory.Read(0, b.memory.Size())
	return m
}

func (b *wazeroBackend) close() error { return b.mod.Close(b.ctx) }
