package faults

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var model = Model{
	"DescribeUser": {"InvalidRequestException": 400, "ResourceNotFoundException": 404, "ThrottlingException": 429, "InternalServiceException": 500},
	"CreateUser":   {"DuplicateResourceException": 409, "InternalServiceException": 500, "ThrottlingException": 429},
	"ListViews":    {"TooManyRequestsException": 429},
}

func injector(t *testing.T, cfg Config) *Injector {
	t.Helper()
	in := New(model)
	if err := in.Set(cfg); err != nil {
		t.Fatal(err)
	}
	return in
}

// failing returns the 1-based numbers of the calls of op, among n, that
// are answered with an error.
func failing(in *Injector, op string, n int) []int {
	var out []int
	for i := 1; i <= n; i++ {
		if f, _ := in.Decide(op); f.Error != "" {
			out = append(out, i)
		}
	}
	return out
}

func TestEveryNth(t *testing.T) {
	in := injector(t, Config{Rules: []Rule{{Operation: "DescribeUser", Error: "InternalServiceException", EveryNth: 3}}})
	if got, want := failing(in, "DescribeUser", 10), []int{3, 6, 9}; !reflect.DeepEqual(got, want) {
		t.Fatalf("failing calls %v, want %v", got, want)
	}
	if got := failing(in, "CreateUser", 10); got != nil {
		t.Fatalf("another operation failed on calls %v", got)
	}
	f := func() Fault {
		for {
			if f, _ := in.Decide("DescribeUser"); f.Error != "" {
				return f
			}
		}
	}()
	if f.Status != 500 || f.Message == "" || !reflect.DeepEqual(f.Rules, []int{0}) {
		t.Fatalf("fault %+v, want status 500, a message and rule 0", f)
	}
}

func TestProbabilityIsReproducible(t *testing.T) {
	cfg := Config{Seed: 42, Rules: []Rule{{Operation: "DescribeUser", Error: "ResourceNotFoundException", Probability: 0.3}}}
	a := failing(injector(t, cfg), "DescribeUser", 200)
	b := failing(injector(t, cfg), "DescribeUser", 200)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different failures:\n%v\n%v", a, b)
	}
	// Roughly the configured share (binomial: 60 ± 4 sd).
	if len(a) < 35 || len(a) > 85 {
		t.Fatalf("%d of 200 failed with p=0.3", len(a))
	}
	cfg.Seed = 43
	if c := failing(injector(t, cfg), "DescribeUser", 200); reflect.DeepEqual(a, c) {
		t.Fatal("another seed failed the very same calls")
	}
	// Set starts the source afresh.
	in := injector(t, cfg)
	first := failing(in, "DescribeUser", 50)
	if err := in.Set(cfg); err != nil {
		t.Fatal(err)
	}
	if again := failing(in, "DescribeUser", 50); !reflect.DeepEqual(first, again) {
		t.Fatalf("after Set: %v, want %v", again, first)
	}
}

func TestLatencyAndOrder(t *testing.T) {
	in := injector(t, Config{Rules: []Rule{
		{Operation: "*", LatencyMs: 20},
		{Operation: "DescribeUser", LatencyMs: 5, Error: "InvalidRequestException", EveryNth: 2},
		{Operation: "DescribeUser", LatencyMs: 1000},
	}})
	f, ok := in.Decide("DescribeUser")
	if !ok || f.Error != "" || f.Delay != 1020*time.Millisecond {
		t.Fatalf("call 1: %+v, want 1020ms and no error", f)
	}
	f, _ = in.Decide("DescribeUser")
	if f.Error != "InvalidRequestException" || f.Status != 400 || f.Delay != 25*time.Millisecond || !reflect.DeepEqual(f.Rules, []int{0, 1}) {
		t.Fatalf("call 2: %+v, want rules 0 and 1: 25ms then InvalidRequestException", f)
	}
	if f, _ := in.Decide("CreateUser"); f.Delay != 20*time.Millisecond || f.Error != "" {
		t.Fatalf("CreateUser: %+v, want the \"*\" latency only", f)
	}
	_, rules := in.Rules()
	if rules[2].Calls != 1 {
		t.Fatalf("rule 2 saw %d calls; the error of rule 1 should have hidden call 2 from it", rules[2].Calls)
	}
	want := []Count{
		{"CreateUser", "latency", 1},
		{"DescribeUser", "InvalidRequestException", 1},
		{"DescribeUser", "latency", 2}, // calls, not rules
	}
	if got := in.Counts(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Counts() = %+v, want %+v", got, want)
	}
}

func TestWildcardErrorOnlyWhereModelled(t *testing.T) {
	in := injector(t, Config{Rules: []Rule{{Operation: "*", Error: "ThrottlingException", Message: "Rate exceeded"}}})
	for op, want := range map[string]string{"DescribeUser": "ThrottlingException", "CreateUser": "ThrottlingException", "ListViews": ""} {
		f, _ := in.Decide(op)
		if f.Error != want {
			t.Errorf("%s: error %q, want %q", op, f.Error, want)
		}
		if want != "" && (f.Status != 429 || f.Message != "Rate exceeded") {
			t.Errorf("%s: %+v", op, f)
		}
	}
}

func TestNoRules(t *testing.T) {
	in := New(model)
	if f, ok := in.Decide("DescribeUser"); ok || f.Error != "" || f.Delay != 0 {
		t.Fatalf("%+v, %v without rules", f, ok)
	}
}

func TestValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		rule Rule
		want string
	}{
		{"unmodelled error names the operation's errors", Rule{Operation: "CreateUser", Error: "ResourceNotFoundException"},
			"faults.rules[0].error: CreateUser does not model ResourceNotFoundException; it models DuplicateResourceException, InternalServiceException, ThrottlingException"},
		{"unknown operation", Rule{Operation: "DescribeUsr", Error: "InternalServiceException"}, `faults.rules[0].operation: no such operation "DescribeUsr"`},
		{"missing operation", Rule{LatencyMs: 1}, "faults.rules[0].operation: required"},
		{"nothing to do", Rule{Operation: "CreateUser", EveryNth: 2}, `faults.rules[0]: give "error", "latencyMs" or both`},
		{"wildcard with an error nothing models", Rule{Operation: "*", Error: "NoSuchException"}, "faults.rules[0].error: no operation models NoSuchException"},
		{"probability above 1", Rule{Operation: "CreateUser", LatencyMs: 1, Probability: 1.5}, "faults.rules[0].probability"},
		{"negative everyNth", Rule{Operation: "CreateUser", LatencyMs: 1, EveryNth: -1}, "faults.rules[0].everyNth"},
		{"both triggers", Rule{Operation: "CreateUser", LatencyMs: 1, EveryNth: 2, Probability: 0.5}, "faults.rules[0].everyNth: give everyNth or probability, not both"},
		{"latency too long", Rule{Operation: "CreateUser", LatencyMs: 400000}, "faults.rules[0].latencyMs"},
		{"message without error", Rule{Operation: "CreateUser", LatencyMs: 1, Message: "x"}, "faults.rules[0].message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := New(model)
			err := in.Set(Config{Rules: []Rule{tc.rule}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if _, rules := in.Rules(); len(rules) != 0 {
				t.Fatal("a refused set of rules was put in force")
			}
		})
	}
}
