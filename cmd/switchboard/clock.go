package main

import (
	"fmt"
	"time"

	"github.com/switchboard-dev/switchboard/engine"
)

// newClock builds the contact center's clock from --clock and
// --clock-start (README.md's flags table, docs/TESTING.md).
func newClock(kind, start string, now time.Time) (engine.Clock, error) {
	switch kind {
	case "real":
		if start != "" {
			return nil, fmt.Errorf("--clock-start is for --clock virtual")
		}
		return engine.RealClock{}, nil
	case "virtual":
		t := now
		if start != "" {
			var err error
			if t, err = time.Parse(time.RFC3339Nano, start); err != nil {
				return nil, fmt.Errorf("--clock-start %q: want an RFC 3339 time such as 2030-01-01T09:00:00Z", start)
			}
		}
		return engine.NewVirtualClock(t), nil
	}
	return nil, fmt.Errorf("--clock %q: want real or virtual", kind)
}
