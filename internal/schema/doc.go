// Package schema holds the tests of the JSON Schemas of docs/: every
// scenario the repository stores or the engine writes is valid against
// docs/scenario.schema.json, every answer engine.AppendAnswer writes
// against docs/answer.schema.json, and documents the engine rejects for
// reasons a schema can state (an unknown field, a bad family, a wrong
// type) are rejected by the schema too.
//
// The tests live outside engine so that engine keeps no dependencies: the
// validator is github.com/santhosh-tekuri/jsonschema/v6 (see
// schema_test.go for why that one).
package schema
