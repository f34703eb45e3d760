package engine

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// The speed budgets of issue 17 (item 5), as benchmarks that print each
// budget beside the figure: a metric "x" (the ratio measured) next to
// "budget-x", and a logged line saying whether the ratio is within it.
// Each ratio compares two sub-benchmarks of one run, measured one after
// the other, so that the shared machine's drift mostly cancels. Run them
// with
//
//	go test -run '^$' -bench 'GlibcGaiConf|SortScale' -benchmem -cpu 1 -count 5 ./engine/
//
// A sub-benchmark run alone (without the one it is compared with) reports
// no ratio.

// budgets holds the last ns/op of each sub-benchmark run so far (by full
// name), for the ratios.
var budgets = map[string]float64{}

// nsPerOp records b's ns/op under its name, after its loop.
func nsPerOp(b *testing.B) float64 {
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	budgets[b.Name()] = ns
	return ns
}

// reportRatio reports ns/op of b against the sub-benchmark base (a full
// name): the ratio, its budget, and a line saying which side of it the
// ratio is.
func reportRatio(b *testing.B, ns float64, base, what string, budget float64) {
	ref, ok := budgets[base]
	if !ok || ref == 0 {
		b.Logf("%s: run %s too for the ratio", what, base)
		return
	}
	ratio := ns / ref
	b.ReportMetric(ratio, "x")
	b.ReportMetric(budget, "budget-x")
	verdict := "within budget"
	if ratio > budget {
		verdict = "OVER BUDGET"
	}
	b.Logf("%s: %.2fx (%.0f ns against %.0f ns), budget %.2fx: %s", what, ratio, ns, ref, budget, verdict)
}

// gaiConfLines is a gai.conf of n lines, the same mix at every size: in
// each block of ten, a comment, four label and four precedence lines for
// distinct /48 prefixes (some values those of the row that would answer
// without them, which the lint reports), and a scopev4 line.
func gaiConfLines(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		blk, k := i/10, i%10
		switch {
		case k == 0:
			fmt.Fprintf(&b, "# block %d\n", blk)
		case k <= 4:
			fmt.Fprintf(&b, "label 2001:db8:%x::/48 %d\n", blk*8+k, 10+k%3)
		case k <= 8:
			fmt.Fprintf(&b, "precedence 2001:db8:%x::/48 %d\n", blk*8+k, 40+(k%2)*5)
		default:
			fmt.Fprintf(&b, "scopev4 ::ffff:10.%d.0.0/112 %d\n", blk%256, 5)
		}
	}
	return b.String()
}

// BenchmarkGlibcGaiConf: the glibc model on the container scenario (8
// destinations, host model included), without gai.conf, then with gai.conf
// files of 10 and 100 lines. Budgets: 10 lines within 1.2x of none once
// the Runner has read the file (warm); 100 lines within 10x of 10 lines
// when the file is read at every call (cold: no Runner, so no cache).
func BenchmarkGlibcGaiConf(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	if err != nil {
		b.Fatal(err)
	}
	m := []Model{GlibcModel{V: GlibcNewest}}
	warm := func(text string) func(b *testing.B) {
		return func(b *testing.B) {
			sc.GaiConf = text
			var rn Runner
			b.ReportAllocs()
			for b.Loop() {
				rn.Run(sc, m)
			}
			ns := nsPerOp(b)
			if text != "" {
				reportRatio(b, ns, "BenchmarkGlibcGaiConf/none", "10 lines (warm) against none", 1.2)
			}
		}
	}
	cold := func(text, base string) func(b *testing.B) {
		return func(b *testing.B) {
			sc.GaiConf = text
			var h Host
			var r Result
			b.ReportAllocs()
			for b.Loop() {
				h.Reset(sc) // a Host of its own: no Runner, no cache
				r.Reset("glibc")
				m[0].Sort(sc, &h, &r)
			}
			ns := nsPerOp(b)
			if base != "" {
				reportRatio(b, ns, base, "100 lines (cold) against 10 lines (cold)", 10)
			}
		}
	}
	b.Run("none", warm(""))
	b.Run("lines10-warm", warm(gaiConfLines(10)))
	b.Run("lines10-cold", cold(gaiConfLines(10), ""))
	b.Run("lines100-cold", cold(gaiConfLines(100), "BenchmarkGlibcGaiConf/lines10-cold"))
	sc.GaiConf = ""
}

// scaleDests are n distinct destinations for BenchmarkSortScale: global
// IPv6 and IPv4, and IPv6 and IPv4 in the host's own subnets, in turn, so
// that labels, precedence and rule 9 all separate some pairs.
func scaleDests(n int) []netip.Addr {
	out := make([]netip.Addr, 0, n)
	for i := 0; i < n; i++ {
		var s string
		switch j := i / 4; i % 4 {
		case 0:
			s = "2a00:1450:4001:" + strconv.FormatInt(int64(0x800+j), 16) + "::200e"
		case 1:
			s = "142.250." + strconv.Itoa(j) + ".206"
		case 2:
			s = "fd00:dead:beef::" + strconv.FormatInt(int64(0x100+j), 16)
		default:
			s = "172.19." + strconv.Itoa(1+j) + ".1"
		}
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

// BenchmarkSortScale: each model through a Runner (host model included) on
// the container host with 8, 32 and 256 destinations; ns/dest beside
// ns/op. Budget: the cost per destination at 256 within 1.5x of that at 32
// (the sort O(n log n), the rest linear). musl keeps at most 48 addresses
// (MaxAddrs), so its cost per destination given falls past 48.
func BenchmarkSortScale(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	if err != nil {
		b.Fatal(err)
	}
	sc.GaiConf = ""
	for _, m := range Models() {
		for _, n := range []int{8, 32, 256} {
			name := m.Info().Name + "/" + strconv.Itoa(n)
			b.Run(name, func(b *testing.B) {
				sc.Destinations = scaleDests(n)
				ms := []Model{m}
				var rn Runner
				b.ReportAllocs()
				for b.Loop() {
					rn.Run(sc, ms)
				}
				ns := nsPerOp(b)
				b.ReportMetric(ns/float64(n), "ns/dest")
				if n == 256 {
					reportRatio(b, ns/8, "BenchmarkSortScale/"+m.Info().Name+"/32",
						m.Info().Name+": per destination at 256 against at 32", 1.5)
				}
			})
		}
	}
}
