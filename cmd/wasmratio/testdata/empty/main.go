//go:build wasip1

// Command empty is the smallest Go wasip1 reactor with one export, built
// as the module is built: the Go runtime's share of the module's size.
package main

func main() {}

//go:wasmexport f
func f(x int32) int32 { return x + 1 }
