package scengen

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNextValidAndDeterministic(t *testing.T) {
	a, b := New(1), New(1)
	for i := range 3000 {
		x, y := a.Next(), b.Next()
		require.NoError(t, x.Validate(), "scenario %d: %s", i, x.AppendJSON(nil))
		require.True(t, bytes.Equal(x.AppendJSON(nil), y.AppendJSON(nil)), "scenario %d differs between runs", i)
	}
}

func TestFromBytes(t *testing.T) {
	for _, data := range [][]byte{nil, {0}, bytes.Repeat([]byte{0}, 100), bytes.Repeat([]byte{0xff}, 100), []byte("some fuzzer input of moderate length....")} {
		sc := FromBytes(data)
		require.NoError(t, sc.Validate(), "%q: %s", data, sc.AppendJSON(nil))
	}
}

func FuzzFromBytes(f *testing.F) {
	f.Add([]byte("seed"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc := FromBytes(data)
		if err := sc.Validate(); err != nil {
			t.Fatalf("%v: %s", err, sc.AppendJSON(nil))
		}
	})
}
