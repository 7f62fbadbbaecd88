package switchboardtest

import (
	"context"
	"testing"
	"time"
)

// Limit is one operation's API rate limit: a token bucket refilled at Rate
// requests per second holding at most Burst.
type Limit struct {
	Rate  float64
	Burst int
}

// WithThrottling applies Connect's per-account API rate limits
// (docs/TESTING.md, "Throttling and fault injection"): calls past them
// get ThrottlingException (429), which the SDKs retry. overrides replace
// the limits of single operations, by name (nil: Connect's own).
func WithThrottling(overrides map[string]Limit) Option {
	return func(c *config) {
		c.throttling = true
		c.throttleOverrides = overrides
	}
}

// FaultRule makes calls of an operation fail or slow down
// (docs/TESTING.md, "Throttling and fault injection").
type FaultRule struct {
	// Operation is an operation's name, or "*" for all.
	Operation string `json:"operation"`
	// Error is one of the operation's modelled errors ("": latency only);
	// Message is its message ("": one naming the rule).
	Error   string `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
	// Probability (0 to 1, drawn from the seed) or EveryNth (calls N, 2N,
	// ...) say which calls the rule hits; neither: every call.
	Probability float64 `json:"probability,omitempty"`
	EveryNth    int     `json:"everyNth,omitempty"`
	// Latency is added to the calls it hits (milliseconds on the wire).
	Latency time.Duration `json:"-"`
}

// FaultCount is how many faults of one kind an operation had: Fault is the
// error's name, or "latency".
type FaultCount struct {
	Operation string `json:"operation"`
	Fault     string `json:"fault"`
	Count     uint64 `json:"count"`
}

type wireRule struct {
	FaultRule
	LatencyMs int64 `json:"latencyMs,omitempty"`
}

type faultsBody struct {
	Seed  uint64     `json:"seed"`
	Rules []wireRule `json:"rules"`
}

func faultsOf(seed uint64, rules []FaultRule) faultsBody {
	b := faultsBody{Seed: seed, Rules: []wireRule{}}
	for _, r := range rules {
		b.Rules = append(b.Rules, wireRule{FaultRule: r, LatencyMs: r.Latency.Milliseconds()})
	}
	return b
}

// WithFaults starts the server with fault rules; seed drives the
// probability rules, so a run fails the same calls every time.
func WithFaults(seed uint64, rules ...FaultRule) Option {
	return func(c *config) {
		c.faultSeed, c.faultRules = seed, append(c.faultRules, rules...)
	}
}

// SetFaults replaces the server's fault rules (none: remove them all).
func (c *APIClient) SetFaults(ctx context.Context, seed uint64, rules ...FaultRule) error {
	return c.Do(ctx, "POST", "faults", faultsOf(seed, rules), nil)
}

// FaultCounts returns how many faults the rules have injected, by
// operation and kind.
func (c *APIClient) FaultCounts(ctx context.Context) ([]FaultCount, error) {
	var out struct {
		Injected []FaultCount `json:"injected"`
	}
	err := c.Do(ctx, "GET", "faults", nil, &out)
	return out.Injected, err
}

// SetFaults replaces the server's fault rules, failing the test on an
// error (a rule naming an error its operation does not model, say).
func (s *Server) SetFaults(t testing.TB, seed uint64, rules ...FaultRule) {
	t.Helper()
	if err := s.api.SetFaults(context.Background(), seed, rules...); err != nil {
		t.Fatalf("switchboardtest: fault rules: %v", err)
	}
}
