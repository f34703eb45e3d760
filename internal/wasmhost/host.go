// Package wasmhost runs the gaisort WebAssembly module (wasm/, ABI.md)
// from Go, under wazero (pure Go) and, with the build tag wasmtime, under
// wasmtime-go (cgo). It is what the host tests and benchmarks drive
// (hosttests/wasmhost) and cmd/firstcall runs, and a
// worked example of a host: the ABI version check, the alloc / write /
// call / read / free round trip, and discarding an instance after a trap.
package wasmhost

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ABIVersion is the only ABI version this host speaks.
const ABIVersion = 1

// CheckABI refuses a module whose gaisort_abi_version this host does not
// know.
func CheckABI(v uint32) error {
	if v != ABIVersion {
		return fmt.Errorf("wasmhost: the module speaks gaisort ABI version %d; this host knows only %d", v, ABIVersion)
	}
	return nil
}

// backend is one runtime's instance: the module's exports as plain calls,
// and its linear memory. A trap is returned as an error.
type backend interface {
	abiVersion() (uint32, error)
	alloc(n uint32) (uint32, error)
	free(p, n uint32) error
	sort(rp, rl, mp, ml uint32) (uint64, error)
	sortOpts(rp, rl, mp, ml, flags uint32) (uint64, error)
	lint(cp, cl, np, nl uint32) (uint64, error)
	models() (uint64, error)
	version() (uint64, error)
	// mem is a view of the whole linear memory, valid until the next call.
	mem() []byte
	close() error
}

// Instance is one instance of the module, speaking ABI version 1. It
// serves one call at a time. After any error other than *Error (a trap, or
// the module's exit) it is broken: Close it and make a new one.
type Instance struct {
	b      backend
	broken error
	// req is a module buffer of reqCap bytes kept for requests: the ABI
	// lets a host write the next request into the same buffer, so a
	// round trip is the call and the answer's free, with an alloc only
	// when a request outgrows it (each crossing costs a cgo call under
	// wasmtime-go).
	req, reqCap uint32
}

// ErrBroken is returned by every call on an instance after a trap.
var ErrBroken = errors.New("wasmhost: the instance trapped earlier; discard it and instantiate anew")

// Error is an error value the module answered ({"error":{...}}): the
// instance stays usable.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

func (e *Error) Error() string {
	if e.Path != "" {
		return "gaisort: " + e.Code + ": " + e.Path + ": " + e.Message
	}
	return "gaisort: " + e.Code + ": " + e.Message
}

// Close releases the instance.
func (in *Instance) Close() error { return in.b.close() }

// trapped marks the instance broken after a runtime error.
func (in *Instance) trapped(err error) error {
	in.broken = err
	return err
}

// Broken is the error that broke the instance (a trap, or the module's
// exit), or nil while it is usable.
func (in *Instance) Broken() error { return in.broken }

// Memory is the instance's linear memory, valid until the next call into
// the module (which may grow it): where a test misusing the ABI writes a
// request by hand, or checks that the module left it untouched.
func (in *Instance) Memory() []byte { return in.b.mem() }

// CallABIVersion calls gaisort_abi_version: the cheapest export, so the
// cost of a call across the boundary and nothing else.
func (in *Instance) CallABIVersion() (uint32, error) {
	if in.broken != nil {
		return 0, ErrBroken
	}
	v, err := in.b.abiVersion()
	if err != nil {
		return 0, in.trapped(err)
	}
	return v, nil
}

// MemorySize is the current size of the linear memory, in bytes.
func (in *Instance) MemorySize() int { return len(in.b.mem()) }

// Alloc calls gaisort_alloc.
func (in *Instance) Alloc(n uint32) (uint32, error) {
	if in.broken != nil {
		return 0, ErrBroken
	}
	p, err := in.b.alloc(n)
	if err != nil {
		return 0, in.trapped(err)
	}
	return p, nil
}

// Free calls gaisort_free.
func (in *Instance) Free(p, n uint32) error {
	if in.broken != nil {
		return ErrBroken
	}
	if err := in.b.free(p, n); err != nil {
		return in.trapped(err)
	}
	return nil
}

// SortRaw calls gaisort_sort with the host's own pointers (no checking:
// this is how a test misuses the ABI) and returns the packed answer.
func (in *Instance) SortRaw(rp, rl, mp, ml uint32) (uint64, error) {
	if in.broken != nil {
		return 0, ErrBroken
	}
	v, err := in.b.sort(rp, rl, mp, ml)
	if err != nil {
		return 0, in.trapped(err)
	}
	return v, nil
}

// put copies b into a fresh module buffer.
func (in *Instance) put(b []byte) (uint32, error) {
	p, err := in.Alloc(uint32(len(b)))
	if err != nil {
		return 0, err
	}
	if p == 0 {
		return 0, fmt.Errorf("wasmhost: gaisort_alloc(%d) refused", len(b))
	}
	copy(in.b.mem()[p:], b)
	return p, nil
}

// putRequest copies b into the kept request buffer, allocating a larger
// one (and freeing the old) when b does not fit.
func (in *Instance) putRequest(b []byte) (uint32, error) {
	if in.req == 0 || uint32(len(b)) > in.reqCap {
		n := max(uint32(len(b)), 4096)
		p, err := in.Alloc(n)
		if err != nil {
			return 0, err
		}
		if p == 0 {
			return 0, fmt.Errorf("wasmhost: gaisort_alloc(%d) refused", n)
		}
		if in.req != 0 {
			if err := in.Free(in.req, in.reqCap); err != nil {
				return 0, err
			}
		}
		in.req, in.reqCap = p, n
	}
	copy(in.b.mem()[in.req:], b)
	return in.req, nil
}

// Take appends the module buffer that a packed answer (pointer << 32 |
// length, as SortRaw returns it) names to dst, and frees it.
func (in *Instance) Take(dst []byte, packed uint64) ([]byte, error) {
	p, n := uint32(packed>>32), uint32(packed)
	m := in.b.mem()
	if uint64(p)+uint64(n) > uint64(len(m)) {
		return dst, in.trapped(fmt.Errorf("wasmhost: response [%d, +%d) is outside memory (%d bytes)", p, n, len(m)))
	}
	dst = append(dst, m[p:p+n]...)
	return dst, in.Free(p, n)
}

// SortAppend answers one scenario (JSON) with the models (a comma list;
// empty: all), appending the module's answer to dst: the full round trip
// of alloc, write, call, read and free. An error value from the module is
// returned as *Error, with its bytes still appended.
func (in *Instance) SortAppend(dst, req []byte, models string) ([]byte, error) {
	return in.SortOptsAppend(dst, req, models, -1)
}

// The flags of gaisort_sort_opts (wasm/ABI.md).
const (
	FlagCompact = 1
	FlagBatch   = 2
	FlagText    = 4
)

// SortOptsAppend is SortAppend through gaisort_sort_opts with the flags
// (FlagCompact, FlagBatch, FlagText); flags -1 calls gaisort_sort.
func (in *Instance) SortOptsAppend(dst, req []byte, models string, flags int) ([]byte, error) {
	rp, err := in.putRequest(req)
	if err != nil {
		return dst, err
	}
	var mp uint32
	if models != "" {
		if mp, err = in.put([]byte(models)); err != nil {
			return dst, err
		}
	}
	var packed uint64
	if flags < 0 {
		packed, err = in.SortRaw(rp, uint32(len(req)), mp, uint32(len(models)))
	} else if in.broken != nil {
		err = ErrBroken
	} else if packed, err = in.b.sortOpts(rp, uint32(len(req)), mp, uint32(len(models)), uint32(flags)); err != nil {
		err = in.trapped(err)
	}
	if err != nil {
		return dst, err
	}
	start := len(dst)
	if dst, err = in.Take(dst, packed); err != nil {
		return dst, err
	}
	if mp != 0 {
		if err = in.Free(mp, uint32(len(models))); err != nil {
			return dst, err
		}
	}
	return dst, AnswerError(dst[start:])
}

// Sort is SortAppend into a new slice.
func (in *Instance) Sort(req []byte, models string) ([]byte, error) {
	return in.SortAppend(nil, req, models)
}

// AnswerError returns the *Error an answer carries, or nil for results.
func AnswerError(answer []byte) error {
	if !bytes.HasPrefix(answer, []byte(`{"error":`)) {
		return nil
	}
	var v struct {
		Error *Error `json:"error"`
	}
	if err := json.Unmarshal(answer, &v); err != nil || v.Error == nil {
		return fmt.Errorf("wasmhost: unreadable error answer %q", answer)
	}
	return v.Error
}

// Lint calls gaisort_lint on a gai.conf text, its report naming the file
// name: {"warnings":N,"text":"..."}.
func (in *Instance) Lint(conf []byte, name string) ([]byte, error) {
	cp, err := in.put(conf)
	if err != nil {
		return nil, err
	}
	np, err := in.put([]byte(name))
	if err != nil {
		return nil, err
	}
	if in.broken != nil {
		return nil, ErrBroken
	}
	packed, err := in.b.lint(cp, uint32(len(conf)), np, uint32(len(name)))
	if err != nil {
		return nil, in.trapped(err)
	}
	out, err := in.Take(nil, packed)
	if err != nil {
		return out, err
	}
	if err := in.Free(cp, uint32(len(conf))); err != nil {
		return out, err
	}
	if err := in.Free(np, uint32(len(name))); err != nil {
		return out, err
	}
	return out, AnswerError(out)
}

// Models calls gaisort_models.
func (in *Instance) Models() ([]byte, error) {
	if in.broken != nil {
		return nil, ErrBroken
	}
	v, err := in.b.models()
	if err != nil {
		return nil, in.trapped(err)
	}
	return in.Take(nil, v)
}

// Version calls gaisort_version.
func (in *Instance) Version() ([]byte, error) {
	if in.broken != nil {
		return nil, ErrBroken
	}
	v, err := in.b.version()
	if err != nil {
		return nil, in.trapped(err)
	}
	return in.Take(nil, v)
}

// RepoRoot finds the repository root (the directory of go.mod) from the
// working directory.
func RepoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("wasmhost: not inside the gaisort module")
	}
	return filepath.Dir(gomod), nil
}
