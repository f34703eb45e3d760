// Package msgtext checks the text of error messages for the tests of
// every surface (the engine, the module's hosts): what the engine
// promises of each message, whatever input it echoes (issue 18).
package msgtext

import "unicode/utf8"

// Printable reports whether s is valid UTF-8 without control characters
// (C0, DEL, C1) or line separators (U+2028, U+2029).
func Printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || 0x7f <= r && r < 0xa0 || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}
