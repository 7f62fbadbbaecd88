package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/faults"
	"github.com/switchboard-dev/switchboard/internal/restjson"
	"github.com/switchboard-dev/switchboard/internal/throttle"
)

// throttleMessage is the message of a throttled call: the one AWS's
// throttling answers carry (docs/BEHAVIOUR.md, "Throttling and injected
// faults").
const throttleMessage = "Rate exceeded"

// callGate is the restjson.Gate of Connect calls: the rate limits first (a
// throttled call never reaches the fault rules), then the fault rules.
type callGate struct {
	limiter *throttle.Limiter // nil: no throttling
	faults  *faults.Injector
	log     *slog.Logger
}

func (g *callGate) Admit(ctx context.Context, c restjson.Call) (time.Duration, error) {
	op := c.Operation.Name
	if g.limiter != nil && !g.limiter.Allow(c.Scope.Account, c.Scope.Region, op) {
		g.log.LogAttrs(ctx, slog.LevelInfo, "throttled", slog.String("request_id", restjson.RequestID(ctx)),
			slog.String("operation", op), slog.String("account", c.Scope.Account), slog.String("region", c.Scope.Region))
		return 0, api.NewError(throttleError(c.Operation), throttleMessage)
	}
	f, ok := g.faults.Decide(op)
	if !ok {
		return 0, nil
	}
	g.log.LogAttrs(ctx, slog.LevelInfo, "fault injected", slog.String("request_id", restjson.RequestID(ctx)),
		slog.String("operation", op), slog.Any("rules", f.Rules), slog.Duration("delay", f.Delay), slog.String("error", f.Error))
	if f.Error == "" {
		return f.Delay, nil
	}
	// The rules were checked against the model: Error is one of op's, and
	// NewError gives it its modelled shape and status.
	return f.Delay, api.NewError(f.Error, f.Message)
}

// throttleError names the error a throttled call of op answers with:
// ThrottlingException, which nearly all operations model, or
// TooManyRequestsException for those that model only it (the view
// operations). Operations that model neither still get
// ThrottlingException: AWS throttles before the operation runs, and every
// SDK retries that code.
func throttleError(op *api.Operation) string {
	if !op.Declares("ThrottlingException") && op.Declares("TooManyRequestsException") {
		return "TooManyRequestsException"
	}
	return "ThrottlingException"
}

// faultModel is the fault rules' view of the model: each operation's
// errors and their statuses.
func faultModel(ops []*api.Operation) faults.Model {
	m := make(faults.Model, len(ops))
	for _, op := range ops {
		errs := make(map[string]int, len(op.Errors))
		for _, e := range op.Errors {
			errs[e.Name] = e.Status
		}
		m[op.Name] = errs
	}
	return m
}

// NewFaults returns a fault injector that checks rules against the
// Connect model, with no rules yet.
func NewFaults() *faults.Injector { return faults.New(faultModel(api.Operations)) }

// KnownOperation reports whether op is a modelled Connect operation, for
// checking the throttling section of the config file.
func KnownOperation(op string) bool {
	for _, o := range api.Operations {
		if o.Name == op {
			return true
		}
	}
	return false
}

// gateCollector reports the gate's counts to Prometheus: calls throttled
// and faults injected, by operation (and kind of fault).
type gateCollector struct {
	limiter             *throttle.Limiter // nil: no throttling
	faults              *faults.Injector
	throttled, injected *prometheus.Desc
}

func newGateCollector(l *throttle.Limiter, f *faults.Injector) *gateCollector {
	return &gateCollector{limiter: l, faults: f,
		throttled: prometheus.NewDesc("switchboard_throttled_requests_total",
			"Connect calls answered with a throttling error, by operation.", []string{"operation"}, nil),
		injected: prometheus.NewDesc("switchboard_injected_faults_total",
			"Faults the fault rules injected, by operation and fault (an error's name, or latency).", []string{"operation", "fault"}, nil),
	}
}

func (c *gateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.throttled
	ch <- c.injected
}

func (c *gateCollector) Collect(ch chan<- prometheus.Metric) {
	if c.limiter != nil {
		for op, n := range c.limiter.Counts() {
			ch <- prometheus.MustNewConstMetric(c.throttled, prometheus.CounterValue, float64(n), op)
		}
	}
	for _, n := range c.faults.Counts() {
		ch <- prometheus.MustNewConstMetric(c.injected, prometheus.CounterValue, float64(n.N), n.Operation, n.Fault)
	}
}
