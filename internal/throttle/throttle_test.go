package throttle

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard/api"
)

// fakeClock is stepped by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newLimiter(t *testing.T, cfg Config) (*Limiter, *fakeClock) {
	t.Helper()
	c := &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	l, err := New(cfg, c.now)
	if err != nil {
		t.Fatal(err)
	}
	return l, c
}

// allowed counts how many of n calls at the same instant get through.
func allowed(l *Limiter, account, region, op string, n int) int {
	got := 0
	for range n {
		if l.Allow(account, region, op) {
			got++
		}
	}
	return got
}

func TestBurstThenRate(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   string
		want Limit
	}{
		{"default operation runs at 2/s burst 5", "CreateUser", Limit{2, 5}},
		{"metric operation runs at 5/s burst 8", "GetCurrentMetricData", Limit{5, 8}},
		{"DescribeUser runs at its raised 10/s", "DescribeUser", Limit{10, 15}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, c := newLimiter(t, Config{Enabled: true})
			if got := l.LimitOf(tc.op); got != tc.want {
				t.Fatalf("LimitOf(%s) = %+v, want %+v", tc.op, got, tc.want)
			}
			if got := allowed(l, "111111111111", "us-east-1", tc.op, tc.want.Burst+3); got != tc.want.Burst {
				t.Fatalf("burst: %d of %d allowed, want %d", got, tc.want.Burst+3, tc.want.Burst)
			}
			// One second refills Rate tokens (whole ones here).
			c.advance(time.Second)
			if got, want := allowed(l, "111111111111", "us-east-1", tc.op, 20), int(tc.want.Rate); got != want {
				t.Fatalf("after 1s: %d allowed, want %d", got, want)
			}
			// A long pause refills no more than the burst.
			c.advance(time.Hour)
			if got := allowed(l, "111111111111", "us-east-1", tc.op, 100); got != tc.want.Burst {
				t.Fatalf("after an hour: %d allowed, want the burst %d", got, tc.want.Burst)
			}
			if got, want := l.Counts()[tc.op], uint64(3+20-int(tc.want.Rate)+100-tc.want.Burst); got != want {
				t.Fatalf("Counts()[%s] = %d, want %d", tc.op, got, want)
			}
		})
	}
}

func TestFractionalRefill(t *testing.T) {
	l, c := newLimiter(t, Config{Enabled: true})
	allowed(l, "a", "r", "CreateUser", 5) // empty the 2/s bucket
	c.advance(400 * time.Millisecond)     // 0.8 token
	if l.Allow("a", "r", "CreateUser") {
		t.Fatal("allowed with 0.8 token")
	}
	c.advance(100 * time.Millisecond) // 1.0 token
	if !l.Allow("a", "r", "CreateUser") {
		t.Fatal("throttled with 1 token")
	}
}

func TestBucketsAreSeparate(t *testing.T) {
	l, _ := newLimiter(t, Config{Enabled: true})
	allowed(l, "111111111111", "us-east-1", "CreateUser", 10)
	for _, tc := range []struct{ name, account, region, op string }{
		{"another account", "222222222222", "us-east-1", "CreateUser"},
		{"another region", "111111111111", "eu-west-2", "CreateUser"},
		{"another operation", "111111111111", "us-east-1", "CreateQueue"},
	} {
		if !l.Allow(tc.account, tc.region, tc.op) {
			t.Errorf("%s: throttled by a bucket that is not its own", tc.name)
		}
	}
	if l.Allow("111111111111", "us-east-1", "CreateUser") {
		t.Error("the emptied bucket let a call through")
	}
}

func TestOverrides(t *testing.T) {
	l, _ := newLimiter(t, Config{Enabled: true,
		Default:    &Limit{Rate: 1, Burst: 2},
		Operations: map[string]Limit{"DescribeUser": {Rate: 1, Burst: 1}}})
	for op, want := range map[string]Limit{
		"DescribeUser":         {1, 1}, // per operation wins over the table
		"CreateUser":           {1, 2}, // default replaced
		"GetCurrentMetricData": {5, 8}, // Connect's table still applies
	} {
		if got := l.LimitOf(op); got != want {
			t.Errorf("LimitOf(%s) = %+v, want %+v", op, got, want)
		}
	}
	if got := allowed(l, "a", "r", "DescribeUser", 3); got != 1 {
		t.Errorf("DescribeUser burst 1: %d allowed", got)
	}
}

func TestClockGoingBackDoesNotDrain(t *testing.T) {
	l, c := newLimiter(t, Config{Enabled: true})
	allowed(l, "a", "r", "CreateUser", 5)
	c.advance(-time.Minute)
	c.advance(time.Minute + time.Second) // net +1s from the last call
	if got := allowed(l, "a", "r", "CreateUser", 5); got != 2 {
		t.Errorf("%d allowed, want 2", got)
	}
}

func TestSweepKeepsTheMapBounded(t *testing.T) {
	l, c := newLimiter(t, Config{Enabled: true})
	for i := range maxBuckets {
		l.Allow("a", "region-"+strconv.Itoa(i), "CreateUser")
	}
	c.advance(10 * time.Second) // every bucket full again
	l.Allow("a", "one-more", "CreateUser")
	if n := len(l.bkts); n != 1 {
		t.Errorf("%d buckets after the sweep, want 1", n)
	}
}

func TestValidate(t *testing.T) {
	known := func(op string) bool { return op == "DescribeUser" }
	for _, tc := range []struct {
		name string
		cfg  Config
		want string // "" for valid
	}{
		{"valid", Config{Default: &Limit{1, 1}, Operations: map[string]Limit{"DescribeUser": {0.5, 1}}}, ""},
		{"zero rate", Config{Default: &Limit{0, 1}}, "throttling.default: rate 0"},
		{"zero burst", Config{Operations: map[string]Limit{"DescribeUser": {1, 0}}}, "throttling.operations.DescribeUser: burst 0"},
		{"unknown operation", Config{Operations: map[string]Limit{"DescribeUsr": {1, 1}}}, "throttling.operations.DescribeUsr: no such Connect operation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate(known)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestTableNamesModelledOperations keeps the table in step with the model.
func TestTableNamesModelledOperations(t *testing.T) {
	names := map[string]bool{}
	for _, op := range api.Operations {
		names[op.Name] = true
	}
	ops, def := ConnectTable()
	if def != (Limit{2, 5}) {
		t.Errorf("default %+v, want Connect's documented 2/s burst 5", def)
	}
	for op, l := range ops {
		if !names[op] {
			t.Errorf("%s is not a modelled operation", op)
		}
		if err := l.check(); err != nil {
			t.Errorf("%s: %v", op, err)
		}
	}
}
