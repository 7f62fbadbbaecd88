package main

import (
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard/engine"
)

func TestNewClock(t *testing.T) {
	now := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	cases := []struct {
		kind, start string
		virtualAt   time.Time // zero: want the real clock
		err         bool
	}{
		{kind: "real"},
		{kind: "virtual", virtualAt: now},
		{kind: "virtual", start: "2030-01-01T09:00:00Z", virtualAt: time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)},
		{kind: "virtual", start: "2030-01-01T10:00:00.250+01:00", virtualAt: time.Date(2030, 1, 1, 9, 0, 0, 250e6, time.UTC)},
		{kind: "virtual", start: "2030-01-01", err: true},
		{kind: "real", start: "2030-01-01T09:00:00Z", err: true},
		{kind: "fake", err: true},
		{kind: "", err: true},
	}
	for _, c := range cases {
		clock, err := newClock(c.kind, c.start, now)
		if c.err {
			if err == nil {
				t.Errorf("%q %q: no error", c.kind, c.start)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q %q: %v", c.kind, c.start, err)
			continue
		}
		vc, virtual := clock.(*engine.VirtualClock)
		if c.virtualAt.IsZero() {
			if _, ok := clock.(engine.RealClock); !ok {
				t.Errorf("%q: got %T, want engine.RealClock", c.kind, clock)
			}
			continue
		}
		if !virtual || !vc.Now().Equal(c.virtualAt) {
			t.Errorf("%q %q: got %T at %v, want a virtual clock at %v", c.kind, c.start, clock, clock.Now(), c.virtualAt)
		}
	}
}
