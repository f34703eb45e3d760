package engine

import "net/netip"

// Result is one model's answer to a scenario: either the addresses in the
// order getaddrinfo would return them, or the error it would return, with
// the explanation of how it got there.
type Result struct {
	// Model is the canonical name of the model that answered.
	Model string
	// Err is how getaddrinfo failed (EAINoName, ...), or "" when the call
	// succeeds. With an error, Dests is empty.
	Err GaiError
	// Dests are the answer's addresses in final order, each with what the
	// model knew of it.
	Dests []Dest
	// Decided[i] is the rule that put Dests[i] before Dests[i+1].
	Decided []Rule
	// Notes say what else the user should know: a gai.conf line the library
	// ignores, a list the library did not sort, a destination dropped.
	Notes []Note

	scratch []Dest // permute's buffer, kept for reuse
}

// permute reorders Dests so that the new Dests[i] is the old
// Dests[order[i]].
func (r *Result) permute(order []uint16) {
	r.scratch = append(r.scratch[:0], r.Dests...)
	for i, k := range order {
		r.Dests[i] = r.scratch[k]
	}
}

// Order returns the answer's addresses in final order.
func (r *Result) Order() []netip.Addr {
	out := make([]netip.Addr, len(r.Dests))
	for i := range r.Dests {
		out[i] = r.Dests[i].Addr
	}
	return out
}

// Reset empties r for reuse, keeping its storage.
func (r *Result) Reset(model string) {
	r.Model = model
	r.Err = ""
	r.Dests = r.Dests[:0]
	r.Decided = r.Decided[:0]
	r.Notes = r.Notes[:0]
}

// Dest is one destination as a model sees it. Fields a model does not use
// keep their "unknown" value (-1 for numbers, the zero Addr for Source).
type Dest struct {
	// Addr is the address as the program receives it (IPv4-mapped when the
	// library mapped it; zone kept).
	Addr netip.Addr
	// Index is the position in the list the library sorted (the rule 10
	// tie-break), counting addresses, from 0.
	Index int
	// Usable: connect() found a route and a source (rule 1).
	Usable bool
	// Source is the source address the kernel chose; the zero Addr when
	// none. IPv4 destinations have IPv4 sources.
	Source netip.Addr
	// SourcePrefixLen is the prefix length of the source's interface
	// address as the library knows it, -1 when unknown.
	SourcePrefixLen int
	// SourceDeprecated and SourceHome are the source's flags as the
	// library sees them (rules 3 and 4).
	SourceDeprecated bool
	SourceHome       bool
	// Interface is the name of the outgoing interface, "" when unusable.
	Interface string
	// DestScope and SourceScope are the scopes the model assigns (rule 2
	// and 8), -1 when not computed.
	DestScope   int
	SourceScope int
	// DestLabel and SourceLabel are the policy labels (rule 5).
	DestLabel   int
	SourceLabel int
	// Precedence is the destination's policy precedence (rule 6).
	Precedence int
	// MatchLen is the value rule 9 compares, -1 when not computed.
	MatchLen int
	// Key is musl's 31-bit sort key; 0 for other models.
	Key uint32
	// Unreachable says why connect() failed ("ENETUNREACH", ...), "" when
	// usable or not probed.
	Unreachable string

	// srcIndex is, for glibc, the source's interface index in
	// __check_pf's list (rule 7), indexUnknown when not found; 0 for
	// other models. Not part of the answer.
	srcIndex uint32
}

// UnknownDest returns a Dest for a with every computed field unknown.
func UnknownDest(a netip.Addr, index int) Dest {
	return Dest{Addr: a, Index: index, SourcePrefixLen: -1, DestScope: -1, SourceScope: -1,
		DestLabel: -1, SourceLabel: -1, Precedence: -1, MatchLen: -1}
}

// Rule names what put one destination before the next one.
type Rule uint8

const (
	RuleNone        Rule = iota // not compared
	Rule1Usable                 // rule 1: avoid unusable destinations
	Rule2Scope                  // rule 2: prefer matching scope
	Rule3Deprecated             // rule 3: avoid deprecated addresses
	Rule4Home                   // rule 4: prefer home addresses
	Rule5Label                  // rule 5: prefer matching label
	Rule6Precedence             // rule 6: prefer higher precedence
	Rule7Native                 // rule 7: prefer native transport
	Rule8Scope                  // rule 8: prefer smaller scope
	Rule9Prefix                 // rule 9: use longest matching prefix
	Rule10Order                 // rule 10: otherwise, leave the order unchanged
	RuleUnsorted                // the library did not sort this list
	RuleAlgorithm               // the comparator disagrees with the final order: the sort algorithm decided
)

var ruleIDs = [...]string{"", "rule1", "rule2", "rule3", "rule4", "rule5", "rule6", "rule7", "rule8",
	"rule9", "rule10", "unsorted", "algorithm"}

var ruleWords = [...]string{
	"not compared",
	"rule 1: avoid unusable destinations",
	"rule 2: prefer matching scope",
	"rule 3: avoid deprecated addresses",
	"rule 4: prefer home addresses",
	"rule 5: prefer matching label",
	"rule 6: prefer higher precedence",
	"rule 7: prefer native transport",
	"rule 8: prefer smaller scope",
	"rule 9: use longest matching prefix",
	"rule 10: otherwise, leave the order unchanged",
	"not sorted: the library returns this list as the name service gave it",
	"the sort algorithm: the comparator is not transitive here",
}

// ID is the rule's stable identifier in JSON answers ("rule5").
func (r Rule) ID() string {
	if int(r) < len(ruleIDs) {
		return ruleIDs[r]
	}
	return "rule?"
}

// String is the rule in words, as RFC 6724 names it.
func (r Rule) String() string {
	if int(r) < len(ruleWords) {
		return ruleWords[r]
	}
	return "unknown rule"
}

// Note is something a model wants the user to read beside its answer.
type Note struct {
	// Kind is what the note is about; its String is the stable id the
	// answers carry ("gaiconf-ignored", "lint", ...).
	Kind NoteKind
	// Line is the gai.conf line the note is about, 0 for none.
	Line int
	// Text is the note in words.
	Text string
}

// NoteKind is what a Note is about.
type NoteKind uint8

const (
	_ NoteKind = iota
	// NoteLint: a gai.conf line that does not do what it seems to
	// (gaisort lint's findings).
	NoteLint
	// NoteAddrConfig: AI_ADDRCONFIG narrowed the lookup or failed it.
	NoteAddrConfig
	// NoteCrash: the library crashes on this input.
	NoteCrash
	// NoteDropped: destinations the name service's list leaves out.
	NoteDropped
	// NoteFiltered: destinations the library drops after the lookup.
	NoteFiltered
	// NoteTruncated: the list was cut at the library's cap.
	NoteTruncated
	// NoteUnsorted: the library returns this list unsorted.
	NoteUnsorted
	// NoteGaiConfIgnored: the library does not read gai.conf.
	NoteGaiConfIgnored
	// NoteDNSFallback: the library would ask DNS, which the set-up does not
	// answer.
	NoteDNSFallback
)

var noteKindIDs = [...]string{"", "lint", "addrconfig", "crash", "dropped", "filtered", "truncated",
	"unsorted", "gaiconf-ignored", "dns-fallback"}

// String is the kind's stable id in answers ("lint").
func (k NoteKind) String() string {
	if int(k) < len(noteKindIDs) && k != 0 {
		return noteKindIDs[k]
	}
	return "note"
}

// GaiError is how a getaddrinfo call failed: the error by its name, as
// <netdb.h> spells it, or, when the library killed the calling program, the
// signal's name (docs/scenario.md). "" is success.
type GaiError string

// The errors the models answer with.
const (
	EAINoName GaiError = "EAI_NONAME" // no address for the name and hints
	EAIAgain  GaiError = "EAI_AGAIN"  // the name service did not answer (musl asking DNS)
	EAINoData GaiError = "EAI_NODATA" // the name exists, with no address of the family (musl 1.2.4+)
	EAISystem GaiError = "EAI_SYSTEM" // a system call failed (musl's AI_ADDRCONFIG probe)
	SIGSEGV   GaiError = "SIGSEGV"    // glibc before 2.41 crashes on some gai.conf files
)

// String is the name ("EAI_NONAME").
func (e GaiError) String() string { return string(e) }
