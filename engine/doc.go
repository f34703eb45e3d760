// Package engine models the order in which getaddrinfo() returns a name's
// addresses on a Linux host: the host's routes and the source addresses the
// kernel picks (host.go), and, per implementation, the destination address
// selection of RFC 6724 and of the C libraries (one model per file).
//
// The package is pure Go: no I/O, no cgo, no goroutines, no clock, no
// randomness, and neither fmt nor reflect, so that it builds small for
// GOOS=wasip1 and GOOS=js. Its input is a Scenario (the format of
// docs/scenario.md), decoded by ParseScenario; its output is one
// Result per model, encoded by AppendAnswer.
package engine
