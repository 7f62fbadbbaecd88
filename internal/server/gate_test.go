package server

import (
	"testing"

	"github.com/switchboard-dev/switchboard/api"
)

// TestThrottleErrorIsModelled: a throttled call answers with the throttling
// error its operation models, and every operation gets a 429 one.
func TestThrottleErrorIsModelled(t *testing.T) {
	byName := map[string]*api.Operation{}
	for _, op := range api.Operations {
		byName[op.Name] = op
	}
	for op, want := range map[string]string{
		"DescribeUser":     "ThrottlingException",      // models it
		"ListViews":        "TooManyRequestsException", // models only this one
		"DescribeInstance": "ThrottlingException",      // models neither
	} {
		if got := throttleError(byName[op]); got != want {
			t.Errorf("%s: %s, want %s", op, got, want)
		}
	}
	for _, op := range api.Operations {
		if e := api.NewError(throttleError(op), throttleMessage); e.HTTPStatus() != 429 {
			t.Errorf("%s: %s has status %d", op.Name, e.ErrorCode(), e.HTTPStatus())
		}
	}
}
