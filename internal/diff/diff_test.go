package diff

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gaisort/gaisort/engine"
	"github.com/gaisort/gaisort/internal/scengen"
)

// container is docs/scenario.md's example host with the given
// destinations, gai.conf and hints.
func container(dests, extra string) string {
	return `{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"},{"cidr":"fd00:dead:beef::7/64"}]}],
"routes":[{"to":"default","via":"172.19.0.1","dev":"eth0"},{"to":"::/0","via":"fd00:dead:beef::1","dev":"eth0"}],
"destinations":` + dests + extra + `}`
}

// The known divergences of shared/spec/address-selection.md section 7 (the
// real libraries' answers there were recorded on Debian 12), each with the
// cause the classifier must give.
func TestKnownCauses(t *testing.T) {
	tests := []struct {
		name, doc string
		want      map[string]string // "A/B" -> cause id; pairs not listed agree
	}{
		{"#1 container, ULA source vs global IPv6: labels agree, all put IPv4 first",
			container(`["142.250.74.206","2a00:1450:4001:82b::200e"]`, ``), map[string]string{}},
		{"#1 with label fd00::/8 1: glibc's table replaced",
			container(`["142.250.74.206","2a00:1450:4001:82b::200e"]`, `,"gai_conf":"label fd00::/8 1\n"`),
			map[string]string{"rfc6724/glibc-2.43": "rule5:gaiconf-labels", "glibc-2.43/musl-1.2.6": "rule5:gaiconf-labels"}},
		{"#3 on-link ULA vs IPv4: precedence tables",
			container(`["fd00:dead:beef::100","142.250.74.206"]`, ``),
			map[string]string{"rfc6724/glibc-2.43": "rule6:precedence-ipv4-vs-ula", "glibc-2.43/musl-1.2.6": "rule6:precedence-ipv4-vs-ula"}},
		{"#5 no IPv6 but ::1: glibc's in6ai is discarded, musl does not sort IPv4",
			`{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"}]}],"routes":[{"to":"default","via":"172.19.0.1"}],"destinations":["10.1.1.1","172.19.5.5"]}`,
			map[string]string{"rfc6724/glibc-2.43": "rule9:glibc-ipv4-in6ai-discarded", "rfc6724/musl-1.2.6": "order:musl-unsorted"}},
		{"#8 rule 9 past the prefix length",
			`{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"2001:db8::7/64"}]}],"routes":[{"to":"::/0","via":"2001:db8::1"}],"destinations":["2001:db8::ffff:0:0:1","2001:db8::1:1"]}`,
			map[string]string{"rfc6724/glibc-2.43": "rule9:ipv6-uncapped", "rfc6724/musl-1.2.6": "rule9:ipv6-uncapped"}},
		{"#10 deprecated IPv4 source: glibc's rule 3",
			`{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16","deprecated":true},{"cidr":"fd00:dead:beef::7/64"}]}],"routes":[{"to":"default","via":"172.19.0.1"},{"to":"::/0","via":"fd00:dead:beef::1"}],"destinations":["142.250.74.206","2a00:1450:4001:82b::200e"]}`,
			map[string]string{"rfc6724/glibc-2.43": "rule3:glibc-ipv4-deprecated", "glibc-2.43/musl-1.2.6": "rule3:glibc-ipv4-deprecated"}},
		{"#10 with a deprecated IPv6 source: musl has no rule 3",
			`{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"},{"cidr":"2001:db8::7/64","deprecated":true}]}],"routes":[{"to":"default","via":"172.19.0.1"},{"to":"::/0","via":"2001:db8::1"}],"destinations":["2400:cb00::1","142.250.74.206"]}`,
			map[string]string{"rfc6724/musl-1.2.6": "rule3:musl-no-rule3", "glibc-2.43/musl-1.2.6": "rule3:musl-no-rule3"}},
		{"#13 AI_ADDRCONFIG with only ::1",
			`{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"}]}],"routes":[{"to":"default","via":"172.19.0.1"}],"destinations":["142.250.74.206","2a00:1450:4001:82b::200e"],"hints":{"flags":["AI_ADDRCONFIG"]}}`,
			map[string]string{"glibc-2.43/musl-1.2.6": "list:addrconfig", "rfc6724/musl-1.2.6": "list:addrconfig"}},
		{"zoned line: glibc's files backend ignores it",
			`{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"fe80::7/64"}]}],"destinations":["fe80::1%eth0","192.0.2.1"]}`,
			map[string]string{"rfc6724/glibc-2.43": "list:glibc-files-zone", "glibc-2.43/musl-1.2.6": "list:glibc-files-zone"}},
		{"a scopev4 line without /LEN: 2.36 crashes, 2.41 reads a /32",
			container(`["142.250.74.206","2a00:1450:4001:82b::200e"]`, `,"gai_conf":"scopev4 142.250.74.206 2\n"`),
			map[string]string{"glibc-2.36/glibc-2.41": "gaiconf:glibc-gaiconf-validated",
				"rfc6724/glibc-2.43": "rule2:gaiconf-scopev4", "glibc-2.43/musl-1.2.6": "rule2:gaiconf-scopev4"}},
		{"an empty gai.conf value: 2.36 reads 0, 2.41 rejects the line",
			`{"version":1,"interfaces":[{"name":"eth0","addresses":[{"cidr":"172.19.0.7/16"},{"cidr":"2001:db8:1::7/64"}]}],"routes":[{"to":"default","via":"172.19.0.1"},{"to":"::/0","via":"2001:db8:1::1"}],"destinations":["2a00:1450:4001:82b::200e","142.250.74.206"],"gai_conf":"precedence ::/0\nprecedence ::ffff:0:0/96 5\n"}`,
			map[string]string{"glibc-2.36/glibc-2.41": "gaiconf:glibc-gaiconf-validated"}},
		{"more than 48 lines: musl's MAXADDRS",
			`{"version":1,"destinations":["::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1","::1"]}`,
			map[string]string{"rfc6724/musl-1.2.6": "list:musl-maxaddrs-48", "glibc-2.43/musl-1.2.6": "list:musl-maxaddrs-48"}},
	}
	c := NewComparer()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := engine.ParseScenario([]byte(tc.doc))
			require.NoError(t, err)
			got := map[string]string{}
			for _, d := range c.Compare(sc) {
				got[d.Pair()] = d.Cause.ID
			}
			for pair, id := range tc.want {
				assert.Equal(t, id, got[pair], pair)
			}
			for pair, id := range got {
				if _, ok := tc.want[pair]; !ok {
					t.Errorf("unexpected divergence %s: %s", pair, id)
				}
			}
		})
	}
}

// Every divergence of the catalog's first scenarios has a cause.
func TestNoUnclassified(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 500
	}
	g := scengen.New(1)
	c := NewComparer()
	classes := map[string]int{}
	for range n {
		sc := g.Next()
		for _, d := range c.Compare(sc) {
			classes[d.Class()]++
			if d.Cause.ID == Unclassified {
				t.Fatalf("%s: %s\n%s", d.Pair(), d.Cause.Text, sc.AppendJSON(nil))
			}
		}
	}
	assert.Greater(t, len(classes), 30, "the generator should reach many classes")
}

// Minimize keeps the pair's cause and never grows the scenario.
func TestMinimizeKeepsCause(t *testing.T) {
	g := scengen.New(7)
	c := NewComparer()
	done := 0
	for i := 0; i < 400 && done < 15; i++ {
		sc := g.Next()
		divs := append([]Divergence(nil), c.Compare(sc)...)
		if len(divs) == 0 {
			continue
		}
		d := divs[0]
		m, _ := c.Minimize(sc, d.A, d.B, d.Cause.ID, 500)
		require.NoError(t, m.Validate())
		assert.True(t, c.Has(m, d.A, d.B, d.Cause.ID), "minimized scenario lost %s", d.Class())
		assert.LessOrEqual(t, Size(m), Size(sc))
		done++
	}
	assert.Equal(t, 15, done)
}

// BenchmarkCompare generates a scenario (seeded scengen), runs every model
// on it, compares every pair and classifies each divergence. It reports
// comparisons (model pairs) per second of wall time, and per second of the
// process's CPU time (on a loaded machine the wall figure undersells).
func BenchmarkCompare(b *testing.B) {
	g := scengen.New(1)
	c := NewComparer()
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		c.Compare(g.Next())
	}
	reportRates(b, c.Comparisons, cpuTime()-cpu0)
}

func reportRates(b *testing.B, comparisons int, cpu time.Duration) {
	b.ReportMetric(float64(comparisons)/b.Elapsed().Seconds(), "comparisons/s")
	if cpu > 0 {
		b.ReportMetric(float64(comparisons)/cpu.Seconds(), "comparisons/cpu-s")
	}
}

// BenchmarkCompareOnly is BenchmarkCompare without the generator: a fixed
// set of 1000 pre-generated scenarios.
func BenchmarkCompareOnly(b *testing.B) {
	g := scengen.New(1)
	scs := make([]*engine.Scenario, 1000)
	for i := range scs {
		scs[i] = g.Next()
	}
	c := NewComparer()
	b.ReportAllocs()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		c.Compare(scs[i%len(scs)])
		i++
	}
	reportRates(b, c.Comparisons, cpuTime()-cpu0)
}

// BenchmarkGenerate is the generator alone.
func BenchmarkGenerate(b *testing.B) {
	g := scengen.New(1)
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
}

// The lines glibc 2.36 crashes on go, one at a time; a line without /LEN
// after a scopev4 line with one reads a stale pointer instead, and stays.
func TestWithoutCrashLines(t *testing.T) {
	got, changed := withoutCrashLines("label ::/0 1\nscopev4 8.8.8.8 1\nscopev4 10.0.0.0 2\nprecedence ::/0 40\n")
	if !changed || got != "label ::/0 1\nprecedence ::/0 40\n" {
		t.Errorf("got %q, %v", got, changed)
	}
	stale := "scopev4 ::ffff:10.0.0.0/104 3\nscopev4 8.8.8.8 1\n"
	if got, changed := withoutCrashLines(stale); changed || got != stale {
		t.Errorf("stale: got %q, %v", got, changed)
	}
	if got, changed := withoutCrashLines(""); changed || got != "" {
		t.Errorf("empty: got %q, %v", got, changed)
	}
}
