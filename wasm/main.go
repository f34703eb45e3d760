//go:build wasip1

// Command wasm is gaisort as a WebAssembly module: a WASI preview 1
// reactor (GOOS=wasip1 GOARCH=wasm, -buildmode=c-shared) whose exports
// are the gaisort ABI, version 1. ABI.md in this directory is the
// contract; this file is its only implementation.
//
// The module imports nothing but wasi_snapshot_preview1 (the Go runtime's
// own needs: clock, random, fd_write for a crash message, proc_exit), and
// uses no fmt, encoding/json or reflect, to stay small.
//
// One instance serves one call at a time: the exports share one
// engine.Runner and a small pool of buffers, reused from call to call so
// that, once warm, this glue allocates nothing (the engine's own
// allocations aside).
package main

import (
	"runtime"
	"strconv"
	"unsafe"

	"github.com/gaisort/gaisort/engine"
)

// Version is the gaisort release this module is built from.
const Version = "0.1.0"

// ABIVersion is the version of ABI.md this module implements.
const ABIVersion = 1

// MaxAlloc is the largest buffer gaisort_alloc hands out (64 MiB).
const MaxAlloc = 64 << 20

// MaxModelsBytes is the longest models list gaisort_sort reads.
const MaxModelsBytes = 4096

// maxPooled is how many released buffers the module keeps for reuse, and
// maxPooledCap the largest one it keeps (bigger ones go to the GC).
const (
	maxPooled    = 4
	maxPooledCap = 2 << 20
)

func main() {}

var (
	// live holds every buffer the host holds (from gaisort_alloc or a
	// packed response), by address: it keeps them alive for the GC, and
	// gaisort_free finds them here.
	live = make(map[uint32][]byte)
	// pool holds released buffers for reuse.
	pool [][]byte

	runner engine.Runner

	// The models list of the previous gaisort_sort, and what it named.
	lastList   []byte
	lastModels []engine.Model
	lastErr    string
)

// addr is the linear-memory address of b's first byte.
func addr(b []byte) uint32 { return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b)))) }

// take returns an empty buffer of at least n bytes of capacity, from the
// pool when one fits.
//
//go:noinline
func take(n int) []byte {
	for i := len(pool) - 1; i >= 0; i-- {
		if cap(pool[i]) >= n {
			b := pool[i]
			pool[i] = pool[len(pool)-1]
			pool[len(pool)-1] = nil
			pool = pool[:len(pool)-1]
			return b[:0]
		}
	}
	if n < 64 {
		n = 64
	}
	return make([]byte, 0, n)
}

// release gives b back to the pool (or to the GC).
//
//go:noinline
func release(b []byte) {
	if cap(b) > maxPooledCap {
		return
	}
	if len(pool) < maxPooled {
		pool = append(pool, b[:0])
		return
	}
	// Keep the bigger buffers: replace the smallest pooled one.
	small := 0
	for i := range pool {
		if cap(pool[i]) < cap(pool[small]) {
			small = i
		}
	}
	if cap(pool[small]) < cap(b) {
		pool[small] = b[:0]
	}
}

// hand registers b as held by the host and packs its address and length.
//
//go:noinline
func hand(b []byte) uint64 {
	p := addr(b)
	live[p] = b
	return uint64(p)<<32 | uint64(uint32(len(b)))
}

// gaisortABIVersion is the ABI version, 1.
//
//go:wasmexport gaisort_abi_version
func gaisortABIVersion() int32 { return ABIVersion }

// gaisortAlloc returns a buffer of n bytes for the host to write into, or
// 0 when n is negative or past MaxAlloc.
//
//go:wasmexport gaisort_alloc
func gaisortAlloc(n int32) (p uint32) {
	defer func() {
		if recover() != nil {
			p = 0
		}
	}()
	if n < 0 || n > MaxAlloc {
		return 0
	}
	size := int(n)
	if size == 0 {
		size = 1 // a real address, distinct from every other live buffer
	}
	b := take(size)[:n]
	p = addr(b)
	live[p] = b
	return p
}

// gaisortFree releases a buffer the host held. Unknown addresses (and a
// second free) are ignored; the length is not needed.
//
//go:wasmexport gaisort_free
func gaisortFree(p uint32, n int32) {
	defer func() { recover() }()
	b, ok := live[p]
	if !ok {
		return
	}
	delete(live, p)
	release(b)
}

// gaisortSort answers one scenario: gaisort_sort_opts without flags. See
// ABI.md.
//
//go:wasmexport gaisort_sort
func gaisortSort(reqPtr uint32, reqLen int32, modelsPtr uint32, modelsLen int32) uint64 {
	return gaisortSortOpts(reqPtr, reqLen, modelsPtr, modelsLen, 0)
}

// The flags of gaisort_sort_opts (ABI.md).
const (
	FlagCompact = 1 << 0 // the compact answer (engine.AppendCompactAnswer)
	FlagBatch   = 1 << 1 // the request is a JSON array; the answer an array
	FlagText    = 1 << 2 // the human text (engine.AppendText), not JSON
	knownFlags  = FlagCompact | FlagBatch | FlagText
)

// gaisortSortOpts answers one scenario, or a batch of them in one call,
// as the flags ask. See ABI.md.
//
//go:wasmexport gaisort_sort_opts
func gaisortSortOpts(reqPtr uint32, reqLen int32, modelsPtr uint32, modelsLen int32, flags int32) (packed uint64) {
	defer catch(&packed)
	if flags&^knownFlags != 0 || flags&(FlagCompact|FlagText) == FlagCompact|FlagText {
		return handError("bad_options", "the flags are 1 (compact), 2 (batch) and 4 (text); compact and text exclude each other", "")
	}
	limit, limitName := engine.MaxDocumentBytes, " (MaxDocumentBytes)"
	if flags&FlagBatch != 0 {
		limit, limitName = engine.MaxBatchBytes, " (MaxBatchBytes)"
	}
	// A length of 2 GiB or more arrives negative: past every limit.
	if reqLen < 0 || int(reqLen) > limit {
		return handTooLarge("the request", reqLen, limitName, limit)
	}
	if modelsLen < 0 || modelsLen > MaxModelsBytes {
		return handTooLarge("the models list", modelsLen, "", MaxModelsBytes)
	}
	req := mem(reqPtr, reqLen)
	models, msg := lookupModels(mem(modelsPtr, modelsLen))
	if msg != "" {
		return handError("unknown_model", msg, "")
	}
	if flags&FlagBatch == 0 {
		sc, err := engine.ParseScenario(req)
		if err != nil {
			se := err.(*engine.ScenarioError)
			return handError(se.Code.String(), se.Msg, se.Path)
		}
		return hand(appendOne(take(4096), runner.Run(sc, models), flags))
	}
	if !isArray(req) {
		return handError("bad_scenario", "with the batch flag the request is a JSON array of scenarios", "")
	}
	scs, err := engine.ParseScenarios(req)
	if err != nil {
		se := err.(*engine.ScenarioError)
		return handError(se.Code.String(), se.Msg, se.Path)
	}
	out := take(512 * (len(scs) + 1))
	if flags&FlagText == 0 {
		out = append(out, '[')
	}
	for i, sc := range scs {
		if flags&FlagText != 0 {
			out = engine.AppendBatchHeader(out, i, len(scs))
		} else if i > 0 {
			out = append(out, ',')
		}
		out = appendOne(out, runner.Run(sc, models), flags)
	}
	if flags&FlagText == 0 {
		out = append(out, ']')
	}
	return hand(out)
}

// appendOne appends one scenario's answer in the form the flags ask for.
//
//go:noinline
func appendOne(dst []byte, results []engine.Result, flags int32) []byte {
	switch {
	case flags&FlagCompact != 0:
		return engine.AppendCompactAnswer(dst, results)
	case flags&FlagText != 0:
		return engine.AppendText(dst, results)
	}
	return engine.AppendAnswer(dst, results)
}

// isArray reports whether the document's first non-space byte is '['.
func isArray(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return c == '['
		}
	}
	return false
}

// gaisortLint lints a gai.conf as glibc 2.36 reads it (engine.LintGaiConf):
// {"warnings":N,"text":"..."}, the text being `gaisort lint`'s report,
// each line starting with the name given ("gai.conf" when none). See
// ABI.md.
//
//go:wasmexport gaisort_lint
func gaisortLint(confPtr uint32, confLen int32, namePtr uint32, nameLen int32) (packed uint64) {
	defer catch(&packed)
	if confLen < 0 || int(confLen) > engine.MaxGaiConfBytes {
		return handTooLarge("the gai.conf", confLen, " (MaxGaiConfBytes)", engine.MaxGaiConfBytes)
	}
	if nameLen < 0 || nameLen > MaxModelsBytes {
		return handTooLarge("the name", nameLen, "", MaxModelsBytes)
	}
	notes := engine.LintGaiConf(string(mem(confPtr, confLen)))
	name := string(mem(namePtr, nameLen))
	if name == "" {
		name = "gai.conf"
	}
	text := engine.AppendLintText(take(256), name, notes)
	b := take(len(text) + 64)
	b = append(b, `{"warnings":`...)
	b = strconv.AppendInt(b, int64(len(notes)), 10)
	b = append(b, `,"text":`...)
	b = engine.AppendJSONString(b, string(text))
	b = append(b, '}')
	release(text)
	return hand(b)
}

// mem is the n bytes of linear memory at p. Reading past the end of
// memory traps (the host's misuse; see ABI.md).
func mem(p uint32, n int32) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Add(nil, uintptr(p))), int(n))
}

// lookupModels resolves a comma list of names or aliases (empty: the
// default models, engine.DefaultModels). It
// returns an error message, or "". The answer for the last list is kept:
// a host usually asks for the same models call after call.
func lookupModels(list []byte) ([]engine.Model, string) {
	if len(list) == 0 {
		return engine.DefaultModels(), ""
	}
	if lastList != nil && string(list) == string(lastList) {
		return lastModels, lastErr
	}
	var ms []engine.Model
	msg := ""
	for rest := list; len(rest) > 0; {
		name := rest
		if i := indexByte(rest, ','); i >= 0 {
			name, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		name = trimSpace(name)
		if len(name) == 0 {
			continue
		}
		m, ok := engine.LookupModel(string(name))
		if !ok {
			msg = "unknown model " + engine.Quote(string(name)) + " (known: " + knownNames() + ")"
			ms = nil
			break
		}
		ms = append(ms, m)
	}
	if msg == "" && len(ms) == 0 {
		msg = "the models list names no model (known: " + knownNames() + ")"
	}
	lastList = append(lastList[:0], list...)
	lastModels, lastErr = ms, msg
	return ms, msg
}

// knownNames is the registered models' names, comma separated.
func knownNames() string {
	s := ""
	for i, m := range engine.Models() {
		if i > 0 {
			s += ", "
		}
		s += m.Info().Name
	}
	return s
}

func indexByte(b []byte, c byte) int {
	for i := range b {
		if b[i] == c {
			return i
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// handTooLarge hands the host the too_large error for n bytes of what.
//
//go:noinline
func handTooLarge(what string, n int32, limitName string, limit int) uint64 {
	return handError("too_large", what+" is "+strconv.FormatUint(uint64(uint32(n)), 10)+" bytes; the limit"+limitName+" is "+strconv.Itoa(limit), "")
}

// handError hands the host {"error":{"code":..,"message":..,"path":..}}.
//
//go:noinline
func handError(code, msg, path string) uint64 {
	b := take(64 + len(msg) + len(path))
	b = append(b, `{"error":{"code":`...)
	b = engine.AppendJSONString(b, code)
	b = append(b, `,"message":`...)
	b = engine.AppendJSONString(b, msg)
	b = append(b, `,"path":`...)
	b = engine.AppendJSONString(b, path)
	b = append(b, "}}"...)
	return hand(b)
}

// catch, deferred by an export, turns a panic into the internal error
// value (one function rather than a closure per export: smaller).
func catch(packed *uint64) {
	if v := recover(); v != nil {
		*packed = handError("internal", panicText(v), "")
	}
}

// panicText describes a recovered panic value in one line.
func panicText(v any) string {
	switch e := v.(type) {
	case error:
		return "panic: " + e.Error()
	case string:
		return "panic: " + e
	}
	return "panic"
}

// gaisortModels lists the models: [{"name","aliases","summary"},...] in
// answer order.
//
//go:wasmexport gaisort_models
func gaisortModels() (packed uint64) {
	defer catch(&packed)
	b := take(512)
	b = append(b, '[')
	for i, m := range engine.Models() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = engine.AppendJSONString(b, m.Info().Name)
		b = append(b, `,"aliases":[`...)
		for j, a := range m.Info().Aliases {
			if j > 0 {
				b = append(b, ',')
			}
			b = engine.AppendJSONString(b, a)
		}
		b = append(b, `],"summary":`...)
		b = engine.AppendJSONString(b, m.Info().Summary)
		b = append(b, `,"library":`...)
		b = engine.AppendJSONString(b, m.Info().Library.String())
		b = append(b, `,"version":`...)
		b = engine.AppendJSONString(b, m.Info().Version)
		b = append(b, `,"ships":`...)
		b = engine.AppendJSONString(b, m.Info().Ships)
		b = append(b, `,"default":`...)
		b = strconv.AppendBool(b, engine.IsDefault(m))
		b = append(b, '}')
	}
	b = append(b, ']')
	return hand(b)
}

// gaisortVersion is {"gaisort":"0.1.0","abi":1,"go":"go1.26.8"}.
//
//go:wasmexport gaisort_version
func gaisortVersion() (packed uint64) {
	defer catch(&packed)
	b := take(64)
	b = append(b, `{"gaisort":`...)
	b = engine.AppendJSONString(b, Version)
	b = append(b, `,"abi":`...)
	b = append(b, strconv.Itoa(ABIVersion)...)
	b = append(b, `,"go":`...)
	b = engine.AppendJSONString(b, runtime.Version())
	b = append(b, '}')
	return hand(b)
}
