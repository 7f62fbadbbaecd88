// Package api is Connect's wire contract, generated from the service model:
// the operation table, the Go shapes with their JSON names, their HTTP
// bindings and their constraint checks, and the modelled error types.
//
// Files named *_gen.go are written by internal/apigen; the other files are the
// small hand-written runtime they use.
package api

//go:generate go run ../internal/apigen -model ${SWITCHBOARD_MODEL} -out .
