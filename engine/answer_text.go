package engine

import "net/netip"

// answerText writes the text pieces of one answer that may need JSON
// escaping: addresses and strings. It formats each distinct address once
// per answer: an answer names the same few addresses again and again (in
// "order", in each dest as address and source, in the "why" sentences, for
// each model), and formatting an IPv6 address is the costliest thing the
// writer does. The module's speed budget: the gc wasm backend makes each
// call and each byte loop ~12x dearer than natively.
//
// The texts are not copied anywhere: an address's text is the bytes the
// writer appended to dst the first time, and later uses copy them from
// there (dst only grows within one answer, so the bytes stay put even
// when append moves the buffer). The table is fixed-size, so an
// answerText lives on its caller's stack and costs no allocation; when it
// is full, further addresses are formatted each time.
//
// A nil *answerText writes raw text, for Why: addresses as netip's
// String(), strings unescaped.
type answerText struct {
	n    int
	seen [32]addrSpan
}

// addrSpan says where the JSON text of addr is: dst[off:end], without
// quotes.
type addrSpan struct {
	addr     netip.Addr
	off, end int
}

// addr appends a's text: inside a JSON string (escaped) for a writer, raw
// (netip's AppendTo) for nil.
func (w *answerText) addr(dst []byte, a netip.Addr) []byte {
	if w == nil {
		return a.AppendTo(dst)
	}
	for i := range w.seen[:w.n] {
		if s := &w.seen[i]; s.addr == a {
			return append(dst, dst[s.off:s.end]...)
		}
	}
	off := len(dst)
	dst = appendAddrText(dst, a)
	if w.n < len(w.seen) {
		w.seen[w.n] = addrSpan{addr: a, off: off, end: len(dst)}
		w.n++
	}
	return dst
}

// addrString appends a's text as a JSON string.
func (w *answerText) addrString(dst []byte, a netip.Addr) []byte {
	dst = append(dst, '"')
	dst = w.addr(dst, a)
	return append(dst, '"')
}

// text appends s inside a JSON string (escaped) for a writer, raw for nil.
func (w *answerText) text(dst []byte, s string) []byte {
	if w == nil {
		return append(dst, s...)
	}
	return appendJSONText(dst, s)
}

// appendAddrText appends the inside of a's text as a JSON string. The
// canonical text of an address (hex digits, decimal digits, ':' and '.')
// never needs escaping; only the zone, which names an interface and can be
// any string, does.
func appendAddrText(dst []byte, a netip.Addr) []byte {
	z := a.Zone()
	if z == "" {
		return a.AppendTo(dst)
	}
	dst = a.WithZone("").AppendTo(dst)
	dst = append(dst, '%')
	return appendJSONText(dst, z)
}
