package engine

import "strconv"

// itoa is strconv.Itoa; the engine uses strconv rather than fmt to stay
// small in WebAssembly. Not inlined: it is called from some ninety places
// (messages, notes), none of them hot, and each inlined copy of
// strconv.Itoa's fast path costs the module bytes (make size).
//
//go:noinline
func itoa(i int) string { return strconv.Itoa(i) }

// appendInt appends v in decimal, as strconv.AppendInt(dst, int64(v), 10)
// does. The answers write many small numbers (scopes, labels, precedences,
// prefix lengths, all under 1000): those take no call, which the module's
// speed budget wants (the gc wasm backend makes each call ~12x dearer
// than natively). Others go to strconv.
func appendInt(dst []byte, v int) []byte {
	switch u := uint(v); {
	case u < 10:
		return append(dst, byte('0'+u))
	case u < 100:
		return append(dst, byte('0'+u/10), byte('0'+u%10))
	case u < 1000:
		return append(dst, byte('0'+u/100), byte('0'+u/10%10), byte('0'+u%10))
	}
	return strconv.AppendInt(dst, int64(v), 10)
}
