package engine

// Limits of the scenario format. They bound the work one request can cause
// (the WebAssembly module and the site decode untrusted share links) while
// staying far above any real host. Going past one is an error that names
// the field and the limit.
const (
	// MaxInterfaces is the most interfaces a scenario may list (besides
	// the implicit lo).
	MaxInterfaces = 16
	// MaxAddressesPerInterface is the most addresses one interface may
	// carry.
	MaxAddressesPerInterface = 32
	// MaxRoutes is the most routes a scenario may add.
	MaxRoutes = 64
	// MaxDestinations is the most addresses the name may resolve to.
	MaxDestinations = 256
	// MaxGaiConfBytes is the largest gai_conf text, in bytes.
	MaxGaiConfBytes = 65536
	// MaxDocumentBytes is the largest JSON document ParseScenario takes,
	// and the largest one scenario may be inside a ParseScenarios batch.
	MaxDocumentBytes = 1 << 20
	// MaxBatchBytes is the largest JSON document ParseScenarios takes.
	MaxBatchBytes = 64 << 20
	// MaxBatch is the most scenarios one ParseScenarios array may hold.
	MaxBatch = 100000
	// MaxDepth is the deepest nesting of JSON objects and arrays the
	// reader follows (the format itself needs 5 levels, 6 in a batch).
	MaxDepth = 32
)
