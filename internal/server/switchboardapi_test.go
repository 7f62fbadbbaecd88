package server

import (
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
)

// TestSwitchboardPrefixOutsideConnect: no Connect operation lies under
// /_switchboard/, literally or through a label, so Switchboard's own API
// never hides one.
func TestSwitchboardPrefixOutsideConnect(t *testing.T) {
	for _, op := range api.Operations {
		if strings.HasPrefix(op.URI, SwitchboardPrefix) || strings.HasPrefix(op.URI, "/{") {
			t.Errorf("%s: URI %s could fall under %s", op.Name, op.URI, SwitchboardPrefix)
		}
	}
	h, _ := New(Config{})
	r := h.(interface { // through the console's wrapper (server.go)
		Route(method, escapedPath string) (*api.Operation, map[string]string, bool)
	})
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
		for _, p := range []string{"/_switchboard/health", "/_switchboard/clock", "/_switchboard/clock/advance", "/_switchboard/x/y/z"} {
			if op, _, ok := r.Route(m, p); ok {
				t.Errorf("%s %s routes to Connect's %s", m, p, op.Name)
			}
		}
	}
}
