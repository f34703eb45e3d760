package engine

// Parsing addresses straight from the JSON bytes.
//
// netip.ParseAddr takes a string (a copy, or an unsafe view of the bytes),
// scans it once to choose the family and again to parse it, through
// several calls: on the gc wasm backend, where every call and every byte
// of a loop costs 5-15x what it does natively, that was a tenth of
// ParseScenario. parseAddrFast parses the spellings a scenario nearly
// always uses in one pass, and leaves everything else (zones, embedded
// IPv4, and every error with its message) to netip.ParseAddr. Where it
// answers, it answers what netip.ParseAddr does (decode_fast_test.go,
// FuzzParseAddrFast).

import "net/netip"

// hexDigit[c] is the value of the hex digit c, 0xff for any other byte.
var hexDigit = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = uint8(c - 'a' + 10)
		t[c-'a'+'A'] = uint8(c - 'a' + 10)
	}
	return t
}()

// parseAddrFast parses a dotted-quad IPv4 address, or an IPv6 address of
// hex groups with at most one "::" and no zone or embedded IPv4. It
// reports false for anything else, valid or not.
func parseAddrFast(b []byte) (netip.Addr, bool) {
	// The family is that of the first '.' or ':', as for netip.ParseAddr;
	// it comes within the first five bytes of an address of these forms.
	for i := 0; i < len(b) && i < 5; i++ {
		switch b[i] {
		case '.':
			return parseIPv4Fast(b)
		case ':':
			return parseIPv6Fast(b)
		}
	}
	return netip.Addr{}, false
}

// parseIPv4Fast parses four decimal fields from 0 to 255 without leading
// zeros, separated by dots.
func parseIPv4Fast(b []byte) (netip.Addr, bool) {
	var ip [4]byte
	f, val, digits := 0, 0, 0
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			if digits == 1 && val == 0 {
				return netip.Addr{}, false // leading zero
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return netip.Addr{}, false
			}
		case c == '.' && digits > 0 && f < 3:
			ip[f] = byte(val)
			f++
			val, digits = 0, 0
		default:
			return netip.Addr{}, false
		}
	}
	if f != 3 || digits == 0 {
		return netip.Addr{}, false
	}
	ip[3] = byte(val)
	return netip.AddrFrom4(ip), true
}

// parseIPv6Fast parses groups of one to four hex digits separated by
// colons, one "::" standing for at least one group of zeros.
func parseIPv6Fast(b []byte) (netip.Addr, bool) {
	var ip [16]byte
	ellipsis := -1 // where "::" is in ip
	n, i := 0, 0   // bytes of ip filled, bytes of b read
	if len(b) >= 2 && b[0] == ':' && b[1] == ':' {
		ellipsis, i = 0, 2
		if len(b) == 2 {
			return netip.IPv6Unspecified(), true
		}
	}
	for {
		if n == 16 {
			return netip.Addr{}, false
		}
		acc, start := uint32(0), i
		for i < len(b) && hexDigit[b[i]] <= 15 {
			acc = acc<<4 | uint32(hexDigit[b[i]])
			i++
		}
		if i == start || i-start > 4 { // (acc is then wrong, and unused)
			return netip.Addr{}, false
		}
		ip[n], ip[n+1] = byte(acc>>8), byte(acc)
		n += 2
		if i == len(b) {
			break
		}
		if b[i] != ':' || i+1 == len(b) {
			return netip.Addr{}, false
		}
		i++
		if b[i] == ':' {
			if ellipsis >= 0 {
				return netip.Addr{}, false
			}
			ellipsis = n
			i++
			if i == len(b) {
				break
			}
		}
	}
	if n < 16 {
		if ellipsis < 0 {
			return netip.Addr{}, false
		}
		// Move the groups after "::" to the end.
		k := 16 - n
		copy(ip[ellipsis+k:], ip[ellipsis:n])
		clear(ip[ellipsis : ellipsis+k])
	} else if ellipsis >= 0 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(ip), true
}
