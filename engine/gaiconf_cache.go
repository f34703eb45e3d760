package engine

// gaiConfCache holds the gai.conf files a Runner has read: each parsed
// (ParseGaiConfFor) and, once a model asked, linted. A caller answering
// many scenarios with the same file reads it once instead of at every
// glibc model's every call (parse and lint are most of what a gai.conf
// costs a call: 4.9 µs of the glibc model's 7.4 for a 10-line file).
//
// Choices made here:
//   - The key is the text and the way the version reads it
//     (gaiConfDialect): today's four versions read it in two ways, so
//     answering with every model reads a file twice, not four times.
//   - At most gaiConfCacheEntries files, and at most gaiConfCacheBytes of
//     text in all, so that what the cache keeps stays within a few
//     megabytes however large the files (what a file costs is linear in
//     its length, which MaxGaiConfBytes caps). Eight entries hold four
//     files for every model: a batch alternating between a few hosts'
//     files stays warm, and a stream of distinct files (the differential
//     fuzzer) costs a comparison with each entry per miss.
//   - The least recently used entry goes first; "recent" is a counter of
//     lookups, not a clock (the engine has none).
//   - Entries are read-only once made: the GaiConf and the notes are
//     shared by every Result the Runner gives until they are evicted;
//     a Result appends copies of the notes, never the cache's slice.
type gaiConfCache struct {
	entries [gaiConfCacheEntries]gaiConfEntry
	tick    uint64
}

const (
	gaiConfCacheEntries = 8
	gaiConfCacheBytes   = 4 * MaxGaiConfBytes
)

type gaiConfEntry struct {
	text   string
	v      GlibcVersion // gaiConfDialect of the version that read it; 0: empty
	used   uint64       // the tick of the last lookup
	conf   GaiConf
	notes  []Note // lintNotes of conf, when linted
	linted bool
}

// gaiConfDialect is the oldest modelled version that reads gai.conf as v
// does: ParseGaiConfFor depends on the version only through
// validatesGaiConf, and the lint only on what was parsed
// (TestGaiConfDialect holds that).
func gaiConfDialect(v GlibcVersion) GlibcVersion {
	if v.validatesGaiConf() {
		return Glibc241
	}
	return Glibc231
}

// get returns the entry for text (not empty) as version v reads it,
// parsing it on a miss.
func (c *gaiConfCache) get(text string, v GlibcVersion) *gaiConfEntry {
	v = gaiConfDialect(v)
	c.tick++
	for i := range c.entries {
		if e := &c.entries[i]; e.v == v && e.text == text {
			e.used = c.tick
			return e
		}
	}
	// Make room: the least recently used entry, then more while the texts
	// kept would pass the byte bound.
	size := len(text)
	victim := c.oldest()
	for i := range c.entries {
		if i != victim {
			size += len(c.entries[i].text)
		}
	}
	for size > gaiConfCacheBytes {
		// Empty the oldest entry but the victim.
		old := -1
		for i := range c.entries {
			if e := &c.entries[i]; i != victim && e.v != 0 && (old < 0 || e.used < c.entries[old].used) {
				old = i
			}
		}
		if old < 0 {
			break
		}
		size -= len(c.entries[old].text)
		c.entries[old] = gaiConfEntry{}
	}
	e := &c.entries[victim]
	*e = gaiConfEntry{text: text, v: v, used: c.tick, conf: ParseGaiConfFor(text, v)}
	return e
}

// oldest is the index of an empty entry, else of the least recently used.
func (c *gaiConfCache) oldest() int {
	k := 0
	for i := range c.entries {
		if c.entries[i].used < c.entries[k].used {
			k = i
		}
	}
	return k
}

// lint returns the entry's lint notes, linting on the first call.
func (e *gaiConfEntry) lint() []Note {
	if !e.linted {
		e.notes, e.linted = lintNotes(nil, &e.conf), true
	}
	return e.notes
}
