package engine

import "unsafe"

// load64 returns the eight bytes d[i:i+8] as one little-endian word, for
// comparing eight bytes at once (encoding/binary is kept out of the
// engine, and its byte-by-byte assembly costs eight loads on wasm). The
// caller checks that i+8 <= len(d); both targets (amd64, wasm) allow
// unaligned loads. Only equality with a word of eight equal bytes is
// asked of it, so the byte order does not matter.
func load64(d []byte, i int) uint64 {
	_ = d[i+7]
	return *(*uint64)(unsafe.Pointer(&d[i]))
}
