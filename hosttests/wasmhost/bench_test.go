package wasmhost_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/wasmhost"
)

// The round trip the budget is about: one sort call on the container
// scenario with 8 destinations and the default models (no models named),
// as engine's BenchmarkRequest does natively.

// cpuClock reports, besides the wall time ns/op that a shared machine
// inflates, the process's CPU time per operation (user + system,
// getrusage): on a busy machine the steadier figure.
func cpuClock(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkSortNative(b *testing.B) {
	req := []byte(wasmhost.Container8)
	var rn engine.Runner
	var buf []byte
	models := engine.DefaultModels()
	b.ReportAllocs()
	defer cpuClock(b)()
	for b.Loop() {
		sc, err := engine.ParseScenario(req)
		if err != nil {
			b.Fatal(err)
		}
		buf = engine.AppendAnswer(buf[:0], rn.Run(sc, models))
	}
	b.SetBytes(int64(len(req)))
}

// benchSort is the full round trip: alloc, write request, call, read the
// answer, free (request and answer).
func benchSort(b *testing.B, in *wasmhost.Instance) {
	req := []byte(wasmhost.Container8)
	var buf []byte
	var err error
	b.ReportAllocs()
	defer cpuClock(b)()
	for b.Loop() {
		if buf, err = in.SortAppend(buf[:0], req, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(req)))
}

func BenchmarkSortWazero(b *testing.B) {
	benchSort(b, newWazero(b))
}

func BenchmarkWazeroCompileNoCache(b *testing.B) {
	for b.Loop() {
		w, err := wasmhost.NewWazero(context.Background(), moduleBin, "")
		if err != nil {
			b.Fatal(err)
		}
		w.Close()
	}
}

func BenchmarkWazeroCompileWarmCache(b *testing.B) {
	dir := b.TempDir()
	w, err := wasmhost.NewWazero(context.Background(), moduleBin, dir)
	if err != nil {
		b.Fatal(err)
	}
	w.Close()
	for b.Loop() {
		w, err := wasmhost.NewWazero(context.Background(), moduleBin, dir)
		if err != nil {
			b.Fatal(err)
		}
		w.Close()
	}
}

func BenchmarkWazeroInstantiate(b *testing.B) {
	for b.Loop() {
		in, err := wz.Instantiate()
		if err != nil {
			b.Fatal(err)
		}
		in.Close()
	}
}

// BenchmarkModuleSize reports the module's size, raw and gzipped (-9).
func BenchmarkModuleSize(b *testing.B) {
	raw, gz := moduleSizes()
	for b.Loop() {
	}
	b.ReportMetric(float64(raw), "raw-bytes")
	b.ReportMetric(float64(gz), "gzip-bytes")
}

func moduleSizes() (raw, gz int) {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(moduleBin)
	w.Close()
	return len(moduleBin), buf.Len()
}

// The parts of a round trip, to see where the time goes.

func BenchmarkWazeroCallOverhead(b *testing.B) {
	in := newWazero(b)
	defer cpuClock(b)()
	for b.Loop() {
		if _, err := in.CallABIVersion(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWazeroAllocFree(b *testing.B) {
	in := newWazero(b)
	defer cpuClock(b)()
	for b.Loop() {
		p, err := in.Alloc(1024)
		if err != nil || p == 0 {
			b.Fatal(p, err)
		}
		if err := in.Free(p, 1024); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWazeroErrorAnswer(b *testing.B) {
	in := newWazero(b)
	req := []byte(`{"destinations":[]}`)
	var buf []byte
	defer cpuClock(b)()
	for b.Loop() {
		buf, _ = in.SortAppend(buf[:0], req, "")
	}
}

func BenchmarkNativeErrorAnswer(b *testing.B) {
	req := []byte(`{"destinations":[]}`)
	defer cpuClock(b)()
	for b.Loop() {
		if _, err := engine.ParseScenario(req); err == nil {
			b.Fatal("no error")
		}
	}
}

// benchSortCall is the module's share of the round trip: gaisort_sort on
// a request written once, and the free of its answer; no host copies.
// What is left of benchSort beyond it is the host's glue.
func benchSortCall(b *testing.B, in *wasmhost.Instance) {
	req := []byte(wasmhost.Container8)
	p, err := in.Alloc(uint32(len(req)))
	if err != nil || p == 0 {
		b.Fatal(p, err)
	}
	copy(in.Memory()[p:], req)
	defer cpuClock(b)()
	for b.Loop() {
		packed, err := in.SortRaw(p, uint32(len(req)), 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := in.Free(uint32(packed>>32), uint32(packed)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSortCallWazero(b *testing.B) { benchSortCall(b, newWazero(b)) }
