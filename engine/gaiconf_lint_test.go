package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLintGaiConf(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // "line:substring", in order
	}{
		{"empty", "", nil},
		{"full default labels: quiet", fullDefaultLabels, nil},
		{"label fd00::/8 1 alone", "label fd00::/8 1\n", []string{
			"1:gone are ::1/128 label 0, 2002::/16 label 2, ::/96 label 3, ::ffff:0.0.0.0/96 label 4, fec0::/10 label 5, fc00::/7 label 6, 2001::/32 label 7; every address no line matches now has label 1",
			"1:every address now has label 1, so rule 5",
			"1:this line changes no label: without it the same addresses get label 1 from the catch-all glibc appends; its only effect is that glibc drops the built-in table"}},
		{"prefer IPv4 one line", "precedence ::ffff:0:0/96 100\n", []string{
			"1:gone are ::1/128 precedence 50, 2002::/16 precedence 30, ::/96 precedence 20, ::ffff:0.0.0.0/96 precedence 10; every address no line matches now has precedence 40"}},
		{"ignored lines", "LABEL ::/0 1\nprecendence ::/0 1\nlabel 10.0.0.0/8 3\nlabel ::/200 1\nprecedence ::/0 -1\nprecedence ::/0 4294967296\nlabel ::1 1\n", []string{
			"1:glibc ignores this line: unknown keyword \"LABEL\" (keywords are case-sensitive: write label)",
			"2:did you mean precedence?",
			"3:an IPv4 address is not accepted here",
			"4:more than 128",
			"5:negative",
			"6:more than INT_MAX",
			"7:no /LEN"}},
		{"duplicates and conflicts", "precedence ::1/128 50\nprecedence ::/0 40\nprecedence ::1/128 50\nprecedence ::1/128 60\n", []string{
			"1:gone are 2002::/16 precedence 30, ::/96 precedence 20, ::ffff:0.0.0.0/96 precedence 10",
			"3:duplicate of line 1",
			"4:conflicts with line 1, which wins"}},
		{"no effect", "precedence 2001:db8::/32 40\nprecedence ::/0 40\nprecedence ::ffff:0:0/96 10\n", []string{
			"1:gone are",
			"1:this line changes no precedence: without it the same addresses get precedence 40 from line 2"}},
		{"kept rows, one with host bits", "precedence ::ffff:1.2.3.4/96 10\nprecedence ::1/128 50\n", []string{
			"1:the address has bits set beyond /96",
			"1:gone are 2002::/16 precedence 30, ::/96 precedence 20; every address"}},
		{"extra words", "label ::1/128 0 1\n", []string{"1:ignores the rest of the line", "1:gone"}},
		{"reload", "reload yes\nreload true\n", []string{"1:reload yes", "1:overridden by the reload line 2", "2:only the exact word yes"}},
		{"scopev4 partial", "scopev4 10.0.0.0/8 5\n", []string{"1:gone are 169.254.0.0/16 scope 2, 127.0.0.0/8 scope 2; every IPv4 address no line matches now has scope 14"}},
		{"scopev4 without len", "scopev4 8.8.8.8 1\n", []string{"1:SIGSEGV"}},
		{"host bits", "label fd00::1/8 4\n", []string{"1:bits set beyond /8, which glibc ignores: this line means fd00::/8"}},
		{"empty value", "precedence ::/0\n", []string{"1:gone", "1:every address now has precedence 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes := LintGaiConf(tt.text)
			var got []string
			for _, n := range notes {
				assert.Equal(t, NoteLint, n.Kind)
				got = append(got, itoa(n.Line)+":"+n.Text)
			}
			if len(tt.want) == 0 {
				assert.Empty(t, got)
				return
			}
			// Each wanted note appears, in order.
			i := 0
			for _, g := range got {
				if i < len(tt.want) {
					line, sub, _ := strings.Cut(tt.want[i], ":")
					if strings.HasPrefix(g, line+":") && strings.Contains(g, sub) {
						i++
					}
				}
			}
			assert.Equal(t, len(tt.want), i, "missing %q in\n%s", tt.want[min(i, len(tt.want)-1)], strings.Join(got, "\n"))
		})
	}
}
