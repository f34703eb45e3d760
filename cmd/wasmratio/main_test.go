package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseLine(t *testing.T) {
	name, ns, ok := parseLine("BenchmarkRequest           	   27632	     44647 ns/op	     10907 answer-bytes	    1788 B/op	      15 allocs/op")
	require.True(t, ok)
	require.Equal(t, "BenchmarkRequest", name)
	require.Equal(t, 44647.0, ns)

	name, ns, ok = parseLine("BenchmarkGlibc/default     	   30951	     41470 ns/op	       0 B/op	       0 allocs/op")
	require.True(t, ok)
	require.Equal(t, "BenchmarkGlibc/default", name)
	require.Equal(t, 41470.0, ns)

	for _, line := range []string{"PASS", "ok  	github.com/gaisort/gaisort/engine	12.460s", "BenchmarkX 10 fast", "goos: linux"} {
		_, _, ok := parseLine(line)
		require.False(t, ok, line)
	}
}

func TestMedian(t *testing.T) {
	require.Equal(t, 0.0, median(nil))
	require.Equal(t, 2.0, median([]float64{3, 1, 2}))
	require.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))
	require.Equal(t, "1.5 µs", duration(1500))
	require.Equal(t, "950 ns", duration(950))
}
