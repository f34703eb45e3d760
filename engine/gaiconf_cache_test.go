package engine

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGaiConfDialect: every version reads gai.conf as its dialect (the
// cache's key) does, so one entry serves them all.
func TestGaiConfDialect(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 2))
	for i := 0; i < 3000; i++ {
		text := randomGaiConf(r, 1+i%20)
		for v := Glibc231; v <= GlibcNewest; v++ {
			d := gaiConfDialect(v)
			require.Equal(t, v.validatesGaiConf(), d.validatesGaiConf())
			for _, u := range []uninitEndp{endpInvalid, endpNUL, endpJunk} {
				if !assert.Equal(t, parseGaiConf(text, d, u), parseGaiConf(text, v, u), "glibc %s, dialect %s, endp %d:\n%s", v, d, u, text) {
					return
				}
			}
		}
	}
}

// cacheState is what the cache holds: entries in use and their text bytes.
func cacheState(c *gaiConfCache) (n, bytes int) {
	for i := range c.entries {
		if c.entries[i].v != 0 {
			n++
			bytes += len(c.entries[i].text)
		}
	}
	return n, bytes
}

func TestGaiConfCacheBounds(t *testing.T) {
	var c gaiConfCache
	texts := make([]string, 20)
	for i := range texts {
		texts[i] = "label fd00::/8 " + itoa(i) + "\n"
	}
	// Hits return the same entry, parsed once; each dialect has its own.
	e := c.get(texts[0], Glibc236, endpInvalid)
	assert.Same(t, c.get(texts[0], Glibc241, endpInvalid), c.get(texts[0], Glibc243, endpInvalid), "2.41 and 2.43 read alike")
	assert.NotSame(t, e, c.get(texts[0], Glibc231, endpInvalid), "2.31 reads its own way")
	assert.NotSame(t, c.get(texts[0], Glibc231, endpInvalid), c.get(texts[0], Glibc231, endpNUL), "and by what its endp holds")
	assert.NotSame(t, e, c.get(texts[0], Glibc243, endpInvalid))
	assert.Equal(t, ParseGaiConfFor(texts[0], Glibc236), e.conf)
	assert.Equal(t, lintNotes(nil, &e.conf), e.lint())
	// Past the entry bound, the least recently used goes.
	for _, s := range texts[1:12] {
		c.get(s, Glibc236, endpInvalid)
		c.get(texts[0], Glibc236, endpInvalid) // kept in use
	}
	n, _ := cacheState(&c)
	assert.Equal(t, gaiConfCacheEntries, n)
	assert.Same(t, e, c.get(texts[0], Glibc236, endpInvalid), "the entry in use stays")
	for _, s := range texts[1:5] {
		for i := range c.entries {
			assert.False(t, c.entries[i].v != 0 && c.entries[i].text == s, "%q stayed", s)
		}
	}
	// A file longer than gaiConfCacheText is not kept: the model reads it
	// itself, and answers the same.
	assert.Nil(t, c.get(strings.Repeat("#", gaiConfCacheText+1), Glibc236, endpInvalid))
	big := strings.Repeat("label ::/0 1\n", gaiConfCacheLines)
	assert.Nil(t, c.get(big, Glibc236, endpInvalid))
	sc := scenario(t, containerIfaces, containerRoutes, "2a00:1450:4001:82b::200e 142.250.74.206 fd00:dead:beef::1")
	sc.GaiConf = big
	var rn Runner
	got := rn.Run(sc, []Model{GlibcModel{}})[0]
	assert.Equal(t, sortWith(GlibcModel{}, sc), &got)
	n, _ = cacheState(&rn.gaiConfs)
	assert.Zero(t, n)
}

// TestGaiConfCacheEntrySize measures what the largest file the cache keeps
// costs it: the figure gaiConfCache's comment quotes.
func TestGaiConfCacheEntrySize(t *testing.T) {
	for _, line := range []string{"label ::/0 1\n", "label ::/0 1 x\n", "precedence 2001:db8::/48 40\n", "x\n",
		"x " + strings.Repeat("y", 14) + "\n", "label " + strings.Repeat("1", 40) + "\n"} {
		text := strings.Repeat(line, min(gaiConfCacheText/len(line), gaiConfCacheLines-1))
		var c gaiConfCache
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c.get(text, Glibc236, endpInvalid).lint()
		runtime.ReadMemStats(&after)
		kb := (after.TotalAlloc - before.TotalAlloc) >> 10
		t.Logf("%q x %d: %d KB allocated", line, strings.Count(text, "\n"), kb)
		assert.Less(t, kb, uint64(1<<10), "more than 1 MB for one entry")
	}
}

// TestGaiConfCacheNoAlloc: a warm Runner answers a scenario with a gai.conf
// without allocating.
func TestGaiConfCacheNoAlloc(t *testing.T) {
	sc := scenario(t, containerIfaces, containerRoutes, "2a00:1450:4001:82b::200e 142.250.74.206 fd00:dead:beef::1")
	sc.GaiConf = gaiConfLines(10)
	var rn Runner
	rn.Run(sc, Models())
	assert.Zero(t, testing.AllocsPerRun(20, func() { rn.Run(sc, Models()) }))
	n, _ := cacheState(&rn.gaiConfs)
	assert.Equal(t, 3, n, "four versions, three ways of reading gai.conf (2.31, 2.36, 2.41 and later)")
}
