package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestGateConfig: the config file's "throttling" and "faults" sections are
// checked against the model at start-up.
func TestGateConfig(t *testing.T) {
	for _, tc := range []struct {
		name     string
		file     string
		flag     bool
		throttle bool
		rules    int
		err      string
	}{
		{"nothing", `{}`, false, false, 0, ""},
		{"flag alone turns throttling on", `{}`, true, true, 0, ""},
		{"section turns throttling on", `{"throttling":{"enabled":true,"operations":{"ListUsers":{"rate":1,"burst":2}}}}`, false, true, 0, ""},
		{"faults", `{"faults":{"seed":3,"rules":[{"operation":"ListUsers","error":"ThrottlingException","everyNth":2},{"operation":"*","latencyMs":50}]}}`, false, false, 2, ""},
		{"unknown throttled operation", `{"throttling":{"enabled":true,"operations":{"ListUser":{"rate":1,"burst":2}}}}`, false, false, 0, "throttling.operations.ListUser: no such Connect operation"},
		{"unmodelled error", `{"faults":{"rules":[{"operation":"ListUsers","error":"DuplicateResourceException"}]}}`, false, false, 0, "faults.rules[0].error: ListUsers does not model DuplicateResourceException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fc fileConfig
			dec := json.NewDecoder(bytes.NewReader([]byte(tc.file)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&fc); err != nil {
				t.Fatal(err)
			}
			lim, inj, err := gateConfig(fc, tc.flag)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (lim != nil) != tc.throttle {
				t.Errorf("throttling on: %v, want %v", lim != nil, tc.throttle)
			}
			if _, rules := inj.Rules(); len(rules) != tc.rules {
				t.Errorf("%d rules, want %d", len(rules), tc.rules)
			}
		})
	}
}
