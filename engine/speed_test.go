package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The speed budgets of issue 17 (item 5), as benchmarks that print each
// budget beside the figure: a metric "x" (the ratio measured) next to
// "budget-x", and a logged line saying whether the ratio is within it.
// Each ratio compares two variants measured in alternating batches of
// well under a millisecond within one benchmark, so that the shared
// machine's drift (other builds come and go by the second) falls on both
// alike, and each variant's time is the median of its batches' (a burst
// of other work lands on few of them): a metric of its own ("ns/none",
// "ns/10-lines", ...); ns/op is the time of one batch of each. Run them
// with
//
//	go test -run '^$' -bench 'GlibcGaiConf|SortScale' -benchmem -cpu 1 -count 5 ./engine/

// paired runs base and f in alternating batches of k calls each, one
// batch of each per iteration of b (so ns/op is the time of k calls of
// each), which of the two goes first alternating too, and returns the ns
// per call of each: the median over the last 4096 batches, so that a
// burst of other work on the machine, which lands on one batch, does not
// move it.
func paired(b *testing.B, k int, base, f func()) (nsBase, nsF float64) {
	t := new([2][4096]time.Duration)
	fs := [2]func(){base, f}
	n := 0
	for b.Loop() {
		first := n % 2
		for _, i := range [2]int{first, 1 - first} {
			t0 := time.Now()
			for range k {
				fs[i]()
			}
			t[i][n%len(t[i])] = time.Since(t0)
		}
		n++
	}
	m := min(n, len(t[0]))
	med := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Nanoseconds()) / float64(k)
	}
	return med(t[0][:m]), med(t[1][:m])
}

// reportRatio reports ratio beside its budget, and logs which side of it
// the ratio is.
func reportRatio(b *testing.B, what string, ratio, budget float64) {
	b.ReportMetric(ratio, "x")
	b.ReportMetric(budget, "budget-x")
	verdict := "within budget"
	if ratio > budget {
		verdict = "OVER BUDGET"
	}
	b.Logf("%s: %.2fx, budget %.2fx: %s", what, ratio, budget, verdict)
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
// destinations, host model included) with gai.conf files of 10 and 100
// lines. Budgets: 10 lines within 1.2x of no gai.conf once the Runner has
// read the file (warm); 100 lines within 10x of 10 lines when the file is
// read at every call (cold: a Host of its own, no Runner, so no cache).
func BenchmarkGlibcGaiConf(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	if err != nil {
		b.Fatal(err)
	}
	m := []Model{GlibcModel{V: GlibcNewest}}
	ten, hundred := *sc, *sc
	sc.GaiConf, ten.GaiConf, hundred.GaiConf = "", gaiConfLines(10), gaiConfLines(100)
	b.Run("warm", func(b *testing.B) {
		var rn0, rn1 Runner
		b.ReportAllocs()
		none, lines := paired(b, 16, func() { rn0.Run(sc, m) }, func() { rn1.Run(&ten, m) })
		b.ReportMetric(none, "ns/none")
		b.ReportMetric(lines, "ns/10-lines")
		reportRatio(b, "10 lines (warm) against none", lines/none, 1.2)
	})
	b.Run("cold", func(b *testing.B) {
		var h0, h1 Host
		var r Result
		cold := func(sc *Scenario, h *Host) func() {
			return func() {
				h.Reset(sc) // a Host of its own: no Runner, no cache
				r.Reset("glibc")
				m[0].Sort(sc, h, &r)
			}
		}
		b.ReportAllocs()
		lines10, lines100 := paired(b, 4, cold(&ten, &h0), cold(&hundred, &h1))
		b.ReportMetric(lines10, "ns/10-lines")
		b.ReportMetric(lines100, "ns/100-lines")
		reportRatio(b, "100 lines (cold) against 10 lines (cold)", lines100/lines10, 10)
	})
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
// the container host with 32 and 256 destinations, in alternating batches
// of 8 calls with 32 and one with 256, so that both see the same number of
// destinations (ns/op is one batch of each); ns/dest of each. Budget: the cost per destination at 256
// within 1.5x of that at 32 (the sort O(n log n), the rest linear). musl
// keeps at most 48 addresses (MaxAddrs), so its cost per destination given
// falls past 48. BenchmarkSortScale8 is the 8-destination figure.
func BenchmarkSortScale(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	if err != nil {
		b.Fatal(err)
	}
	sc.GaiConf = ""
	small, large := *sc, *sc
	small.Destinations, large.Destinations = scaleDests(32), scaleDests(256)
	for _, m := range Models() {
		b.Run(m.Info().Name, func(b *testing.B) {
			ms := []Model{m}
			var rn0, rn1 Runner
			b.ReportAllocs()
			ns32, ns256 := paired(b, 1, func() {
				for range 8 {
					rn0.Run(&small, ms)
				}
			}, func() { rn1.Run(&large, ms) })
			b.ReportMetric(ns32/256, "ns/dest-32")
			b.ReportMetric(ns256/256, "ns/dest-256")
			reportRatio(b, m.Info().Name+": per destination at 256 against at 32", ns256/ns32, 1.5)
		})
	}
}

// BenchmarkSortScale8 is each model through a Runner (host model
// included) on the container host with 8 destinations.
func BenchmarkSortScale8(b *testing.B) {
	sc, err := ParseScenario(benchScenario(b))
	if err != nil {
		b.Fatal(err)
	}
	sc.GaiConf = ""
	sc.Destinations = scaleDests(8)
	for _, m := range Models() {
		b.Run(m.Info().Name, func(b *testing.B) {
			ms := []Model{m}
			var rn Runner
			b.ReportAllocs()
			for b.Loop() {
				rn.Run(sc, ms)
			}
		})
	}
}
