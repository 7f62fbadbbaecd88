// Package faults injects failures and latency into chosen operations, for
// testing how clients cope: rules say which operation (or "*" for all),
// when (every Nth call, with a probability drawn from a seeded source, or
// always) and what (one of the operation's modelled errors, added latency,
// or both). The rules come from the config file or Switchboard's test API;
// this package only decides, the wire layer acts.
package faults

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"
)

// Model is what the rules are checked against: for every operation, the
// errors it models and their HTTP statuses.
type Model map[string]map[string]int

// MaxLatency bounds one rule's added latency.
const MaxLatency = 5 * time.Minute

// Rule is one fault rule.
type Rule struct {
	// Operation is an operation's name, or "*" for every operation (an
	// error rule then applies to the operations that model its error).
	Operation string `json:"operation"`
	// Error is the modelled error to answer with; "" adds latency only.
	Error string `json:"error,omitempty"`
	// Message is the error's message; "" uses a message naming the rule.
	Message string `json:"message,omitempty"`
	// Probability, between 0 and 1, fires the rule on that share of its
	// calls, drawn from a source seeded by Config.Seed.
	Probability float64 `json:"probability,omitempty"`
	// EveryNth fires the rule on calls N, 2N, 3N... of its operation.
	// Without Probability or EveryNth the rule fires on every call.
	EveryNth int `json:"everyNth,omitempty"`
	// LatencyMs delays the answer by this many milliseconds when the rule
	// fires.
	LatencyMs int `json:"latencyMs,omitempty"`
}

// Config is a set of rules: the "faults" section of the config file and
// the body of POST /_switchboard/faults.
type Config struct {
	// Seed seeds the probability rules: the same seed and the same calls
	// in the same order fail the same way.
	Seed  uint64 `json:"seed"`
	Rules []Rule `json:"rules"`
}

// Fault is what to do to one call.
type Fault struct {
	// Delay is the latency to add before answering.
	Delay time.Duration
	// Error, Status and Message are the error to answer with; Error is ""
	// when the call goes on (after Delay).
	Error   string
	Status  int
	Message string
	// Rules are the indexes of the rules that fired, for the log.
	Rules []int
}

// Count is how many faults of one kind an operation has had injected.
type Count struct {
	Operation string
	// Fault is the error's name, or "latency".
	Fault string
	N     uint64
}

// ruleState is a rule with its counter and random source.
type ruleState struct {
	Rule
	calls uint64
	fired uint64
	rng   *rand.Rand
}

// Injector holds the rules in force. Its methods are safe for concurrent
// use.
type Injector struct {
	model  Model
	mu     sync.Mutex
	seed   uint64
	rules  []*ruleState
	counts map[[2]string]uint64
}

// New returns an Injector without rules that checks rules against model.
func New(model Model) *Injector {
	return &Injector{model: model, counts: map[[2]string]uint64{}}
}

// Validate checks cfg against the model, naming the member at fault.
func (in *Injector) Validate(cfg Config) error {
	var errs []error
	for i, r := range cfg.Rules {
		at := fmt.Sprintf("faults.rules[%d]", i)
		errs = append(errs, in.checkRule(at, r)...)
	}
	return errors.Join(errs...)
}

func (in *Injector) checkRule(at string, r Rule) []error {
	var errs []error
	bad := func(member, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s.%s: %s", at, member, fmt.Sprintf(format, args...)))
	}
	switch {
	case r.Operation == "":
		bad("operation", "required: an operation's name, or \"*\" for all")
	case r.Operation != "*" && in.model[r.Operation] == nil:
		bad("operation", "no such operation %q", r.Operation)
	}
	if r.Error == "" && r.LatencyMs == 0 {
		errs = append(errs, fmt.Errorf("%s: give \"error\", \"latencyMs\" or both", at))
	}
	if r.Error != "" {
		switch {
		case r.Operation == "*":
			if !in.anyModels(r.Error) {
				bad("error", "no operation models %s", r.Error)
			}
		case in.model[r.Operation] != nil:
			if _, ok := in.model[r.Operation][r.Error]; !ok {
				bad("error", "%s does not model %s; it models %s", r.Operation, r.Error, strings.Join(in.errorsOf(r.Operation), ", "))
			}
		}
	}
	if r.Error == "" && r.Message != "" {
		bad("message", "a message needs an error")
	}
	if p := r.Probability; math.IsNaN(p) || p < 0 || p > 1 {
		bad("probability", "%v is not between 0 and 1", p)
	}
	if r.EveryNth < 0 {
		bad("everyNth", "%d is not at least 1", r.EveryNth)
	}
	if r.EveryNth > 0 && r.Probability > 0 {
		bad("everyNth", "give everyNth or probability, not both")
	}
	if r.LatencyMs < 0 || time.Duration(r.LatencyMs)*time.Millisecond > MaxLatency {
		bad("latencyMs", "%d is not between 0 and %d", r.LatencyMs, MaxLatency.Milliseconds())
	}
	return errs
}

func (in *Injector) anyModels(name string) bool {
	for _, errs := range in.model {
		if _, ok := errs[name]; ok {
			return true
		}
	}
	return false
}

func (in *Injector) errorsOf(op string) []string {
	names := make([]string, 0, len(in.model[op]))
	for n := range in.model[op] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Set replaces the rules with cfg's, after checking them; the rules'
// counters and random sources start afresh.
func (in *Injector) Set(cfg Config) error {
	if err := in.Validate(cfg); err != nil {
		return err
	}
	rules := make([]*ruleState, len(cfg.Rules))
	for i, r := range cfg.Rules {
		// One source per rule, so that one rule's draws do not shift
		// another's.
		rules[i] = &ruleState{Rule: r, rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i)))}
	}
	in.mu.Lock()
	in.seed, in.rules = cfg.Seed, rules
	in.mu.Unlock()
	return nil
}

// RuleStatus is a rule in force and how often it has matched and fired.
type RuleStatus struct {
	Rule
	Calls uint64 `json:"calls"`
	Fired uint64 `json:"fired"`
}

// Rules returns the seed and the rules in force.
func (in *Injector) Rules() (seed uint64, rules []RuleStatus) {
	in.mu.Lock()
	defer in.mu.Unlock()
	rules = make([]RuleStatus, len(in.rules))
	for i, r := range in.rules {
		rules[i] = RuleStatus{Rule: r.Rule, Calls: r.calls, Fired: r.fired}
	}
	return in.seed, rules
}

// Decide returns what to do to a call of op. Rules are taken in order:
// the latencies of those that fire add up, and the first that fires with
// an error ends the walk (later rules do not see the call). ok is false
// when no rule fired.
func (in *Injector) Decide(op string) (f Fault, ok bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, r := range in.rules {
		if !in.applies(r, op) {
			continue
		}
		r.calls++
		switch {
		case r.EveryNth > 0:
			if r.calls%uint64(r.EveryNth) != 0 {
				continue
			}
		case r.Probability > 0:
			if r.rng.Float64() >= r.Probability {
				continue
			}
		}
		r.fired++
		f.Rules = append(f.Rules, i)
		if r.LatencyMs > 0 {
			f.Delay += time.Duration(r.LatencyMs) * time.Millisecond
		}
		if r.Error != "" {
			f.Error, f.Status, f.Message = r.Error, in.model[op][r.Error], r.Message
			if f.Message == "" {
				f.Message = fmt.Sprintf("Switchboard injected this fault (rule %d)", i)
			}
			break
		}
	}
	// A call counts once per kind of fault, however many rules fired.
	if f.Delay > 0 {
		in.counts[[2]string{op, "latency"}]++
	}
	if f.Error != "" {
		in.counts[[2]string{op, f.Error}]++
	}
	return f, len(f.Rules) > 0
}

// applies reports whether r is about calls of op.
func (in *Injector) applies(r *ruleState, op string) bool {
	if r.Operation != "*" {
		return r.Operation == op
	}
	if r.Error == "" {
		return true
	}
	_, ok := in.model[op][r.Error]
	return ok
}

// Counts returns the faults injected so far, by operation and kind, in
// order. Replacing the rules does not reset them.
func (in *Injector) Counts() []Count {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]Count, 0, len(in.counts))
	for k, n := range in.counts {
		out = append(out, Count{Operation: k[0], Fault: k[1], N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Operation != out[j].Operation {
			return out[i].Operation < out[j].Operation
		}
		return out[i].Fault < out[j].Fault
	})
	return out
}
