package msgtext

import "testing"

func TestPrintable(t *testing.T) {
	for _, s := range []string{"", "plain words", `"quoted \u0007"`, "é…😀", "\u00a0"} {
		if !Printable(s) {
			t.Errorf("Printable(%q) = false", s)
		}
	}
	for _, s := range []string{"a\rb", "\n", "\x00", "\x7f", "\xff", "\xc3", "\u0085", "\u009f", "\u2028", "\u2029"} {
		if Printable(s) {
			t.Errorf("Printable(%q) = true", s)
		}
	}
}
