//go:build wasip1

// Command netip is the empty reactor plus the two standard packages the
// engine leans on, net/netip and strconv: the floor under the engine.
package main

import (
	"net/netip"
	"strconv"
)

func main() {}

var s string

//go:wasmexport f
func f(x int32) int32 {
	a, _ := netip.ParseAddr(s)
	s = strconv.Itoa(int(x)) + a.String()
	return x + 1
}
