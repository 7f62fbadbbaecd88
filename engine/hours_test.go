package engine

import (
	"testing"
	"time"
)

func TestOpen(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	weekday9to5 := []HoursRange{{time.Monday, 9 * 60, 17 * 60}}
	// 2030-01-07 is a Monday.
	at := func(day, h, m int) time.Time { return time.Date(2030, 1, day, h, m, 0, 0, ny) }
	cases := []struct {
		name   string
		ranges []HoursRange
		t      time.Time
		want   bool
	}{
		{"inside the day's range", weekday9to5, at(7, 12, 0), true},
		{"the start minute is open", weekday9to5, at(7, 9, 0), true},
		{"the end minute is closed", weekday9to5, at(7, 17, 0), false},
		{"another day is closed", weekday9to5, at(8, 12, 0), false},
		{"read in the hours' time zone, not UTC", weekday9to5, time.Date(2030, 1, 7, 15, 0, 0, 0, time.UTC), true},
		{"a range past midnight is open the next morning", []HoursRange{{time.Monday, 22 * 60, 2 * 60}}, at(8, 1, 30), true},
		{"a range past midnight closes at its end", []HoursRange{{time.Monday, 22 * 60, 2 * 60}}, at(8, 2, 0), false},
		{"midnight to midnight is the whole day", []HoursRange{{time.Monday, 0, 0}}, at(7, 23, 59), true},
		{"no ranges: never open", nil, at(7, 12, 0), false},
	}
	for _, c := range cases {
		if got := Open(c.ranges, ny, c.t); got != c.want {
			t.Errorf("%s: Open at %v = %v, want %v", c.name, c.t, got, c.want)
		}
	}
}
