package engine

import "strings"

// gaiConfCache holds the gai.conf files a Runner has read: each parsed
// (ParseGaiConfFor) and, once a model asked, linted. A caller answering
// many scenarios with the same file reads it once instead of at every
// glibc model's every call (parse and lint are most of what a gai.conf
// costs a call: 4.9 µs of the glibc model's 7.4 for a 10-line file).
//
// Choices made here:
//   - The key is the text and the way the version reads it
//     (gaiConfDialect and, for 2.31, what an uninitialised endp holds on
//     the lookup): today's four versions read it in three ways, so
//     answering with every model reads a file at most three times, not
//     four.
//   - At most gaiConfCacheEntries files of at most gaiConfCacheText bytes
//     and gaiConfCacheLines lines each: what a file costs to keep is
//     linear in its lines and bytes, under 1 MB for the worst file of
//     that size (TestGaiConfCacheEntrySize), so the cache keeps at most a
//     few megabytes. A larger file (gai.conf files are a few KB: Debian's,
//     all comments, is 2.5 KB) is read at every call.
//     Eight entries hold four files for every model: a batch alternating
//     between a few hosts' files stays warm, and a stream of distinct
//     files (the differential fuzzer) costs a comparison with each entry
//     per miss.
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
	gaiConfCacheText    = 16 << 10
	gaiConfCacheLines   = 1024
)

type gaiConfEntry struct {
	text   string
	v      GlibcVersion // gaiConfDialect of the version that read it; 0: empty
	u      uninitEndp   // what an uninitialised endp held (parseGaiConf)
	used   uint64       // the tick of the last lookup
	conf   GaiConf
	notes  []Note // lintNotes of conf, when linted
	linted bool
}

// gaiConfDialect is the oldest modelled version that reads gai.conf as v
// does: parseGaiConf tells 2.31 (one endp for every keyword) from 2.36
// (scopev4's own) from the versions that validate numbers (2.41+), and the
// lint depends only on what was parsed (TestGaiConfDialect holds that).
func gaiConfDialect(v GlibcVersion) GlibcVersion {
	switch {
	case v.validatesGaiConf():
		return Glibc241
	case v == Glibc231:
		return Glibc231
	}
	return Glibc236
}

// get returns the entry for text (not empty) as version v reads it with
// uninitialised endps holding u, parsing it on a miss into the least
// recently used entry; nil for a text longer than gaiConfCacheText or
// gaiConfCacheLines, which the caller reads itself.
func (c *gaiConfCache) get(text string, v GlibcVersion, u uninitEndp) *gaiConfEntry {
	if len(text) > gaiConfCacheText {
		return nil
	}
	v = gaiConfDialect(v)
	c.tick++
	old := &c.entries[0]
	for i := range c.entries {
		e := &c.entries[i]
		if e.v == v && e.u == u && e.text == text {
			e.used = c.tick
			return e
		}
		if e.used < old.used {
			old = e
		}
	}
	if strings.Count(text, "\n") >= gaiConfCacheLines {
		return nil
	}
	*old = gaiConfEntry{text: text, v: v, u: u, used: c.tick, conf: parseGaiConf(text, v, u)}
	return old
}

// lint returns the entry's lint notes, linting on the first call.
func (e *gaiConfEntry) lint() []Note {
	if !e.linted {
		e.notes, e.linted = lintNotes(nil, &e.conf), true
	}
	return e.notes
}
