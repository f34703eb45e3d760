//go:build wasmtime

package wasmhost

import (
	"errors"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// Wasmtime is the module compiled by wasmtime (cgo), ready to
// instantiate. Built only with the tag wasmtime.
type Wasmtime struct {
	engine *wasmtime.Engine
	module *wasmtime.Module
	linker *wasmtime.Linker
}

// NewWasmtime compiles the module.
func NewWasmtime(bin []byte) (*Wasmtime, error) {
	engine := wasmtime.NewEngine()
	module, err := wasmtime.NewModule(engine, bin)
	if err != nil {
		return nil, err
	}
	linker := wasmtime.NewLinker(engine)
	if err := linker.DefineWasi(); err != nil {
		return nil, err
	}
	return &Wasmtime{engine: engine, module: module, linker: linker}, nil
}

// Close releases the compiled module.
func (w *Wasmtime) Close() error {
	w.linker.Close()
	w.module.Close()
	w.engine.Close()
	return nil
}

// Instantiate makes a fresh instance in its own store: WASI with no
// arguments, environment or files; _initialize run; the ABI version
// checked.
func (w *Wasmtime) Instantiate() (*Instance, error) {
	store := wasmtime.NewStore(w.engine)
	store.SetWasi(wasmtime.NewWasiConfig())
	inst, err := w.linker.Instantiate(store, w.module)
	if err != nil {
		store.Close()
		return nil, err
	}
	b := &wasmtimeBackend{store: store}
	if ext := inst.GetExport(store, "memory"); ext != nil {
		b.memory = ext.Memory()
	}
	if b.memory == nil {
		store.Close()
		return nil, errors.New("wasmhost: the module exports no memory")
	}
	init := inst.GetFunc(store, "_initialize")
	if init == nil {
		store.Close()
		return nil, errors.New("wasmhost: the module exports no _initialize")
	}
	if _, err := init.Call(store); err != nil {
		store.Close()
		return nil, err
	}
	// The version first: a module of another ABI may export other names.
	if b.fABI = inst.GetFunc(store, "gaisort_abi_version"); b.fABI == nil {
		store.Close()
		return nil, errors.New("wasmhost: the module does not export gaisort_abi_version")
	}
	v, err := b.abiVersion()
	if err == nil {
		err = CheckABI(v)
	}
	if err != nil {
		store.Close()
		return nil, err
	}
	names := []string{"gaisort_alloc", "gaisort_free", "gaisort_sort", "gaisort_models", "gaisort_version", "gaisort_sort_opts", "gaisort_lint"}
	fs := []**wasmtime.Func{&b.fAlloc, &b.fFree, &b.fSort, &b.fModels, &b.fVersion, &b.fSortOpts, &b.fLint}
	for i, n := range names {
		f := inst.GetFunc(store, n)
		if f == nil {
			store.Close()
			return nil, errors.New("wasmhost: the module does not export " + n)
		}
		*fs[i] = f
	}
	return &Instance{b: b}, nil
}

type wasmtimeBackend struct {
	store                                         *wasmtime.Store
	memory                                        *wasmtime.Memory
	fABI, fAlloc, fFree, fSort, fModels, fVersion *wasmtime.Func
	fSortOpts, fLint                              *wasmtime.Func
}

func i32(v interface{}) uint32 {
	x, _ := v.(int32)
	return uint32(x)
}

func i64(v interface{}) uint64 {
	x, _ := v.(int64)
	return uint64(x)
}

func (b *wasmtimeBackend) abiVersion() (uint32, error) {
	v, err := b.fABI.Call(b.store)
	return i32(v), err
}

func (b *wasmtimeBackend) alloc(n uint32) (uint32, error) {
	v, err := b.fAlloc.Call(b.store, int32(n))
	return i32(v), err
}

func (b *wasmtimeBackend) free(p, n uint32) error {
	_, err := b.fFree.Call(b.store, int32(p), int32(n))
	return err
}

func (b *wasmtimeBackend) sort(rp, rl, mp, ml uint32) (uint64, error) {
	v, err := b.fSort.Call(b.store, int32(rp), int32(rl), int32(mp), int32(ml))
	return i64(v), err
}

func (b *wasmtimeBackend) sortOpts(rp, rl, mp, ml, flags uint32) (uint64, error) {
	v, err := b.fSortOpts.Call(b.store, int32(rp), int32(rl), int32(mp), int32(ml), int32(flags))
	return i64(v), err
}

func (b *wasmtimeBackend) lint(cp, cl, np, nl uint32) (uint64, error) {
	v, err := b.fLint.Call(b.store, int32(cp), int32(cl), int32(np), int32(nl))
	return i64(v), err
}

func (b *wasmtimeBackend) models() (uint64, error) {
	v, err := b.fModels.Call(b.store)
	return i64(v), err
}

func (b *wasmtimeBackend) version() (uint64, error) {
	v, err := b.fVersion.Call(b.store)
	return i64(v), err
}

func (b *wasmtimeBackend) mem() []byte { return b.memory.UnsafeData(b.store) }

func (b *wasmtimeBackend) close() error {
	b.store.Close()
	return nil
}
