// Package telemetry is what Switchboard tells operators about itself: the
// Prometheus metrics served at GET /_switchboard/metrics (requests by
// operation and status, their latency, the store's transactions, the
// contact engine's queues and agents, the Go runtime and the process) and
// the readiness behind /_switchboard/health. docs/TESTING.md, "Health and
// metrics", lists every metric.
//
// Every server has its own registry (never Prometheus' global default
// one): several servers run in one test process, and each must count only
// its own requests.
package telemetry

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace starts every metric name Switchboard defines.
const namespace = "switchboard"

// latencyBuckets suit a local server whose calls take from a fraction of a
// millisecond (a Describe served from caches) to seconds (a heavy
// historical metrics query, a store that stalls).
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// unknownOperation is the operation label of a request that matched no
// route.
const unknownOperation = "unknown"

// Metrics is one server's registry and the metrics it records itself.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	store    storeMetrics
}

// New returns the metrics of one server on reg (nil: a new registry),
// with the Go runtime and process collectors registered on it.
func New(reg *prometheus.Registry) *Metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "requests_total",
			Help: "Requests answered, by operation (a Connect operation, or switchboard:<Name> for Switchboard's own API; unknown when no route matched) and HTTP status code.",
		}, []string{"operation", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "request_duration_seconds",
			Help:    "Time from a request's arrival to its answer, by operation.",
			Buckets: latencyBuckets,
		}, []string{"operation"}),
		store: newStoreMetrics(),
	}
	reg.MustRegister(m.requests, m.latency, m.store.duration, m.store.errors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the server's registry; other parts of the server (the
// throttle, fault injection) register their collectors on it.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Register adds collectors to the server's registry; it fails when one
// clashes with a metric already there.
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// ObserveRequest records one answered request: its operation ("" when no
// route matched), HTTP status and duration. It is the wire layer's
// restjson.Config.Observe.
func (m *Metrics) ObserveRequest(operation string, status int, took time.Duration) {
	if operation == "" {
		operation = unknownOperation
	}
	m.requests.WithLabelValues(operation, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(operation).Observe(took.Seconds())
}

// Handler serves the registry in Prometheus' exposition formats. A
// collector that fails (the engine's, while the store is down) leaves its
// metrics out rather than failing the scrape, so that the rest, which
// says what is wrong, still arrives.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
