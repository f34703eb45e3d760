package engine

// Model is one implementation of getaddrinfo's ordering. A model reads the
// scenario and the host model, and fills a Result; it keeps no state
// between calls and must not change its inputs.
type Model interface {
	// Name is the model's canonical name ("glibc").
	Name() string
	// Aliases are other names it answers to ("glibc-2.36").
	Aliases() []string
	// Summary is one line for `gaisort models`.
	Summary() string
	// Sort answers sc on host h into out, which the caller has Reset.
	Sort(sc *Scenario, h *Host, out *Result)
}

// models is the registry, in the order answers list them. A later model
// plugs in by adding itself here.
var models = []Model{
	RFC6724{},
	GlibcModel{},
	MuslModel{},
}

// Models returns every registered model, in answer order.
func Models() []Model { return models }

// LookupModel finds a model by its name or an alias.
func LookupModel(name string) (Model, bool) {
	for _, m := range models {
		if m.Name() == name {
			return m, true
		}
		for _, a := range m.Aliases() {
			if a == name {
				return m, true
			}
		}
	}
	return nil, false
}

// ModelNames lists the canonical names, in answer order.
func ModelNames() []string {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = m.Name()
	}
	return out
}
