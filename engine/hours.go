package engine

import "time"

// HoursRange is one line of hours of operation: open on Day from Start to
// End, in minutes after midnight of the hours' time zone. End at or before
// Start runs past midnight into the next day (00:00 to 00:00 is the whole
// day), as the admin website's 12:00 AM to 12:00 AM is.
type HoursRange struct {
	Day        time.Weekday
	Start, End int
}

// Open reports whether hours made of ranges, in time zone loc, are open at
// t. A start is inside, an end outside.
func Open(ranges []HoursRange, loc *time.Location, t time.Time) bool {
	local := t.In(loc)
	minute := local.Hour()*60 + local.Minute()
	today, yesterday := local.Weekday(), (local.Weekday()+6)%7
	for _, r := range ranges {
		wraps := r.End <= r.Start
		switch {
		case r.Day == today && minute >= r.Start && (wraps || minute < r.End):
			return true
		case r.Day == yesterday && wraps && minute < r.End:
			return true
		}
	}
	return false
}
