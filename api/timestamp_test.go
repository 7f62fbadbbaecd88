package api

import (
	"testing"
	"time"
)

// Epoch seconds with a fraction decode to the instant the client meant,
// not to the float's nearest value below it.
func TestTimestampFractionIsExact(t *testing.T) {
	for in, want := range map[string]time.Time{
		"1893488400.123":    time.Date(2030, 1, 1, 9, 0, 0, 123_000_000, time.UTC),
		"1893488400.999":    time.Date(2030, 1, 1, 9, 0, 0, 999_000_000, time.UTC),
		"1893488400.000001": time.Date(2030, 1, 1, 9, 0, 0, 1_000, time.UTC),
		"1893488400":        time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC),
		"-1.5":              time.Unix(-2, 500_000_000).UTC(),
	} {
		var ts Timestamp
		if err := ts.UnmarshalJSON([]byte(in)); err != nil || !ts.Time.Equal(want) {
			t.Errorf("%s: %v (%v), want %v", in, ts.Time, err, want)
		}
	}
}
