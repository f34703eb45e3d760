package wasmhost

import (
	"errors"
	"fmt"
)

// Import is one entry of a module's import section.
type Import struct {
	Module, Name string
	Kind         byte // 0 function, 1 table, 2 memory, 3 global
}

// Export is one entry of a module's export section.
type Export struct {
	Name string
	Kind byte
}

// Sections reads a module's import and export sections straight from the
// binary (independent of any runtime).
func Sections(bin []byte) (imports []Import, exports []Export, err error) {
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return nil, nil, errors.New("not a WebAssembly module")
	}
	r := &reader{b: bin, i: 8}
	for r.i < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		end := r.i + size
		if r.err != nil || end > len(r.b) {
			return nil, nil, errors.New("truncated section")
		}
		switch id {
		case 2:
			for n := r.uleb(); n > 0 && r.err == nil; n-- {
				im := Import{Module: r.name(), Name: r.name(), Kind: r.byte()}
				switch im.Kind {
				case 0:
					r.uleb()
				case 1:
					r.byte()
					r.limits()
				case 2:
					r.limits()
				case 3:
					r.byte()
					r.byte()
				}
				imports = append(imports, im)
			}
		case 7:
			for n := r.uleb(); n > 0 && r.err == nil; n-- {
				ex := Export{Name: r.name(), Kind: r.byte()}
				r.uleb()
				exports = append(exports, ex)
			}
		}
		r.i = end
	}
	return imports, exports, r.err
}

// FunctionNames lists the function names of a module's "name" custom
// section (absent from a stripped build).
func FunctionNames(bin []byte) ([]string, error) {
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	var names []string
	r := &reader{b: bin, i: 8}
	for r.i < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		end := r.i + size
		if r.err != nil || end > len(r.b) {
			return nil, errors.New("truncated section")
		}
		if id == 0 && r.name() == "name" {
			for r.i < end && r.err == nil {
				sub := r.byte()
				subEnd := int(r.uleb()) + r.i
				if sub == 1 {
					for n := r.uleb(); n > 0 && r.err == nil; n-- {
						r.uleb()
						names = append(names, r.name())
					}
				}
				r.i = subEnd
			}
		}
		r.i = end
	}
	return names, r.err
}

type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.err = fmt.Errorf("truncated at %d", r.i)
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *reader) uleb() uint64 {
	var v uint64
	for s := 0; s < 64; s += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << s
		if c < 0x80 {
			break
		}
	}
	return v
}

func (r *reader) name() string {
	n := int(r.uleb())
	if r.i+n > len(r.b) {
		r.err = fmt.Errorf("truncated name at %d", r.i)
		return ""
	}
	s := string(r.b[r.i : r.i+n])
	r.i += n
	return s
}

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}
