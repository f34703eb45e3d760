package engine

import "strconv"

// itoa is strconv.Itoa; the engine uses strconv rather than fmt to stay
// small in WebAssembly.
func itoa(i int) string { return strconv.Itoa(i) }
