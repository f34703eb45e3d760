package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMuslKeyLayout(t *testing.T) {
	tests := []struct {
		name string
		key  MuslKey
		hex  string
		want [7]int // usable, scope bit, label bit, prec, scope, prefix, order
	}{
		// The container scenario's IPv4 destination 142.250.74.206 from
		// 172.19.0.7: usable, scope 14 = 14, label 4 = 4, precedence 35,
		// prefixmatch 96 + 2, position 0.
		{"container IPv4", MakeMuslKey(true, true, true, 35, 14, 98, 0), "0x72316230", [7]int{1, 1, 1, 35, 14, 98, 48}},
		// Its IPv6 destination from the ULA: label 1 != 13.
		{"container IPv6", MakeMuslKey(true, true, false, 40, 14, 0, 1), "0x6281002f", [7]int{1, 1, 0, 40, 14, 0, 47}},
		{"unusable ::1 at 47", MakeMuslKey(false, false, false, 50, 2, 0, 47), "0x032d0001", [7]int{0, 0, 0, 50, 2, 0, 1}},
		{"multicast scope 0", MakeMuslKey(true, true, true, 40, 0, 128, 5), "0x728f802b", [7]int{1, 1, 1, 40, 0, 128, 43}},
		{"multicast scope 15", MakeMuslKey(false, false, false, 40, 15, 0, 0), "0x02800030", [7]int{0, 0, 0, 40, 15, 0, 48}},
	}
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.key
			assert.Equal(t, tt.hex, k.String())
			got := [7]int{b(k.Usable()), b(k.MatchingScope()), b(k.MatchingLabel()), k.Precedence(), k.Scope(), k.PrefixMatch(), k.Order()}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, 48-tt.want[6], k.Position())
			assert.Zero(t, uint32(k)>>31, "bit 31 is never set")
			f := k.Fields()
			for i := range f {
				assert.Equal(t, tt.want[i], f[i].Value, f[i].Name)
			}
			assert.Equal(t, 15-tt.want[4], f[4].Raw, "the scope field stores 15 - scope")
		})
	}
}

func TestMuslKeyFields(t *testing.T) {
	f := MuslKey(0x72316230).Fields()
	want := []struct {
		name   string
		hi, lo int
		raw    int
		rule   Rule
	}{
		{"DAS_USABLE", 30, 30, 1, Rule1Usable},
		{"DAS_MATCHINGSCOPE", 29, 29, 1, Rule2Scope},
		{"DAS_MATCHINGLABEL", 28, 28, 1, Rule5Label},
		{"precedence", 27, 20, 35, Rule6Precedence},
		{"15-scope", 19, 16, 1, Rule8Scope},
		{"prefixmatch", 15, 8, 98, Rule9Prefix},
		{"48-position", 7, 0, 48, Rule10Order},
	}
	require.Len(t, f, len(want))
	bits := 0
	for i, w := range want {
		assert.Equal(t, w.name, f[i].Name)
		assert.Equal(t, w.hi, f[i].Hi, w.name)
		assert.Equal(t, w.lo, f[i].Lo, w.name)
		assert.Equal(t, w.raw, f[i].Raw, w.name)
		assert.Equal(t, w.rule, f[i].Rule, w.name)
		bits += w.hi - w.lo + 1
	}
	assert.Equal(t, 31, bits, "the fields cover bits 0-30")
}

func TestMuslKeyDecides(t *testing.T) {
	base := MakeMuslKey(true, true, true, 35, 14, 98, 0)
	tests := []struct {
		name string
		next MuslKey
		want Rule
	}{
		{"usable", MakeMuslKey(false, true, true, 40, 2, 128, 1), Rule1Usable},
		{"scope bit", MakeMuslKey(true, false, true, 50, 2, 128, 1), Rule2Scope},
		{"label bit", MakeMuslKey(true, true, false, 40, 14, 0, 1), Rule5Label},
		{"precedence", MakeMuslKey(true, true, true, 30, 2, 128, 1), Rule6Precedence},
		{"scope", MakeMuslKey(true, true, true, 35, 15, 128, 1), Rule8Scope},
		{"prefix", MakeMuslKey(true, true, true, 35, 14, 97, 1), Rule9Prefix},
		{"order", MakeMuslKey(true, true, true, 35, 14, 98, 1), Rule10Order},
		{"equal", base, RuleNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, base.Decides(tt.next))
			assert.Equal(t, tt.want, tt.next.Decides(base), "symmetric")
		})
	}
}

func TestMuslKeyMasksOutOfRange(t *testing.T) {
	// Values musl cannot produce stay inside their own field.
	k := MakeMuslKey(false, false, false, 0x1ff, 14, 0x1ff, 48)
	assert.Equal(t, 0xff, k.Precedence())
	assert.Equal(t, 0xff, k.PrefixMatch())
	assert.Equal(t, 0, k.Order())
	assert.False(t, k.Usable())
}
