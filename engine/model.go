package engine

import "net/netip"

// Model is one implementation of getaddrinfo's ordering. A model reads the
// scenario and the host model, and fills a Result; it keeps no state
// between calls and must not change its inputs.
//
// A model lives in one file (its rules in the order the implementation
// applies them, its tables, its quirks) and one line of the registry
// below. Everything else — the command, the module, the differential
// classifier and the catalog — reads what it needs through this interface,
// so nothing restates a model's comparator, policy table or name.
// docs/models.md says how to add one.
type Model interface {
	// Info is what the registry knows of the model: its names, the library
	// and version it reproduces, the rules its comparator applies.
	Info() *ModelInfo
	// Sort answers sc on host h into out, which the caller has Reset.
	Sort(sc *Scenario, h *Host, out *Result)
	// Compare is the model's comparator on two destinations as its Sort
	// reported them (Result.Dests): negative when a goes first, positive
	// when b does, 0 when no rule separates them, and the rule that
	// decided (Rule10Order or RuleNone when none did). It is the code
	// Sort itself orders with, so replaying it on an answer's values
	// gives the model's own verdict.
	Compare(a, b *Dest) (int, Rule)
	// Policy looks a up in the model's built-in policy table (no
	// gai.conf): its precedence and label.
	Policy(a netip.Addr) (precedence, label int)
	// Quirk says whether the model has quirk k on host h: a stable id
	// ("glibc-in6ai-discarded") and one sentence, or "" and "" when it
	// does not. The differential classifier names causes with it.
	Quirk(k QuirkKind, h *Host) (id, text string)
}

// GaiConfReader is a model that reads /etc/gai.conf (only those do):
// GaiConf is sc's file as that model's library reads it on sc's lookup on
// host h.
type GaiConfReader interface {
	GaiConf(sc *Scenario, h *Host) GaiConf
}

// ModelInfo describes a model.
type ModelInfo struct {
	// Name is the model's canonical name ("glibc").
	Name string
	// Aliases are other names it answers to ("glibc-2.36").
	Aliases []string
	// Library is the implementation the model reproduces, Version its
	// version ("2.36"; "" for the RFC itself).
	Library Library
	Version string
	// Summary is one line for `gaisort models`.
	Summary string
	// Ships says which distributions ship this version, and how that is
	// known ("" for the RFC).
	Ships string
	// Debian is the Debian suite whose package is this version
	// ("bookworm"): where the oracle fetches the real library to judge the
	// model ("" for the RFC).
	Debian string
	// Rules are the RFC 6724 rules the comparator applies.
	Rules RuleSet
	// MaxAddrs is the most addresses the library returns, 0 for no cap.
	MaxAddrs int
}

// Library names the implementation a model reproduces.
type Library uint8

const (
	LibraryRFC   Library = iota + 1 // the RFC's text, no implementation
	LibraryGlibc                    // the GNU C library
	LibraryMusl                     // musl libc
)

var libraryNames = [...]string{"", "rfc6724", "glibc", "musl"}

// String is the library's short name, as cause ids use it ("glibc").
func (l Library) String() string {
	if int(l) < len(libraryNames) && l != 0 {
		return libraryNames[l]
	}
	return "library?"
}

// RuleSet is a set of Rules.
type RuleSet uint16

// Rules makes a RuleSet.
func Rules(rs ...Rule) RuleSet {
	var s RuleSet
	for _, r := range rs {
		s |= 1 << r
	}
	return s
}

// Has reports whether r is in s.
func (s RuleSet) Has(r Rule) bool { return r < 16 && s&(1<<r) != 0 }

// QuirkKind names a kind of departure from RFC 6724 (or from POSIX) that
// a model may have. Each model says, in its own file, which it has and in
// what words (Model.Quirk).
type QuirkKind uint8

const (
	_ QuirkKind = iota
	// QuirkAddrConfig: what counts as a configured family for
	// AI_ADDRCONFIG (every model has its own words).
	QuirkAddrConfig
	// QuirkGaiConfCrash: gai.conf lines crash the library.
	QuirkGaiConfCrash
	// QuirkZone: what the name service does with a destination's %zone.
	QuirkZone
	// QuirkMaxAddrs: the answer is capped (ModelInfo.MaxAddrs).
	QuirkMaxAddrs
	// QuirkFilesV4MappedLines: under AF_INET6 + AI_V4MAPPED the hosts
	// file's ::ffff: and ::1 lines are read as IPv4 too.
	QuirkFilesV4MappedLines
	// QuirkFilesInetV6Lines: for AF_INET, ::ffff:a.b.c.d and ::1 lines are
	// read as IPv4.
	QuirkFilesInetV6Lines
	// QuirkV4Mapped: AI_V4MAPPED applied in the library's own way.
	QuirkV4Mapped
	// QuirkV4MappedOrder: under AF_INET6 + AI_V4MAPPED + AI_ALL the list
	// the rules start from is not the file's order.
	QuirkV4MappedOrder
	// QuirkDNSFallback: no hosts line of the family: the library asks DNS.
	QuirkDNSFallback
	// QuirkUnsorted: some lists are returned unsorted.
	QuirkUnsorted
	// QuirkSortAlgorithm: the comparator is not transitive and the sort
	// algorithm decides some pairs.
	QuirkSortAlgorithm
	// QuirkIPv4Deprecated: rule 3 applies to IPv4 sources.
	QuirkIPv4Deprecated
	// QuirkSourceUnknown: the library may not know a source's prefix
	// length, flags or interface (the id depends on the host).
	QuirkSourceUnknown
	// QuirkScope: how the model scopes IPv4 (plain and mapped).
	QuirkScope
	// QuirkRule9Family: which pairs of destinations rule 9 compares.
	QuirkRule9Family
	// QuirkRule9IPv4Subnet: IPv4 rule 9 counts only within the source's
	// subnet.
	QuirkRule9IPv4Subnet
	// QuirkRule9Cap: rule 9's common prefix is capped at the source's
	// prefix length.
	QuirkRule9Cap
	// QuirkRule9SourceNotLocal: rule 9 counts 0 for a source that is no
	// address of the host.
	QuirkRule9SourceNotLocal
	// QuirkGaiConfLabels, QuirkGaiConfPrecedence, QuirkGaiConfScopes: the
	// gai.conf lines of each kind replace the whole built-in table.
	QuirkGaiConfLabels
	QuirkGaiConfPrecedence
	QuirkGaiConfScopes
	// QuirkGaiConfValidated: this version reads gai.conf's numbers more
	// strictly than older versions of the library.
	QuirkGaiConfValidated
	// QuirkGaiConfNoLen: what this version does with a gai.conf line
	// without /LEN before it validated its numbers (an uninitialised
	// pointer, so it differs by build).
	QuirkGaiConfNoLen
	// QuirkNoData: EAI_NODATA where older versions said EAI_NONAME.
	QuirkNoData
)

// models is the registry, in the order answers list them. A model plugs
// in by adding itself here: nothing else lists the models.
var models = []Model{
	RFC6724{},
	GlibcModel{V: Glibc231},
	GlibcModel{V: Glibc236},
	GlibcModel{V: Glibc241},
	GlibcModel{V: Glibc243},
	MuslModel{V: Musl122},
	MuslModel{V: Musl123},
	MuslModel{V: Musl125},
	MuslModel{V: Musl126},
}

// defaultModels answer when no model is asked for: the RFC and the newest
// version of each library (the ones "glibc" and "musl" name).
var defaultModels = []Model{
	RFC6724{},
	GlibcModel{V: GlibcNewest},
	MuslModel{V: MuslNewest},
}

// Models returns every registered model, in answer order.
func Models() []Model { return models }

// DefaultModels returns the models that answer when none is named: the
// RFC and the newest version of each library.
func DefaultModels() []Model { return defaultModels }

// IsDefault reports whether m is one of DefaultModels.
func IsDefault(m Model) bool {
	for _, d := range defaultModels {
		if d.Info() == m.Info() {
			return true
		}
	}
	return false
}

// LookupModel finds a model by its name or an alias.
func LookupModel(name string) (Model, bool) {
	for _, m := range models {
		info := m.Info()
		if info.Name == name {
			return m, true
		}
		for _, a := range info.Aliases {
			if a == name {
				return m, true
			}
		}
	}
	return nil, false
}

// ModelNames lists the canonical names, in answer order.
func ModelNames() []string {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = m.Info().Name
	}
	return out
}
