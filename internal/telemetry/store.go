package telemetry

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-dev/switchboard"
)

// The store is measured by a wrapper of switchboard.Store rather than by
// hooks inside each backend: one place measures both (and any future)
// backends alike, the backends stay free of metrics, and what is measured
// is what the service waits for — a whole Update, including PostgreSQL's
// transparent retries of a transaction that lost a race. The wrapper hands
// fn the backend's own Tx, so the optional interfaces the service looks
// for on a Tx (change tracking, summaries) work unchanged. What it cannot
// see — a retry count, time spent waiting for SQLite's single writer —
// belongs to a backend's own metrics, should one ever need them.

// Reasons of switchboard_store_transaction_errors_total.
const (
	// reasonStore: the store failed the transaction itself (it could not
	// begin or commit, its database was unreachable, it was closed).
	reasonStore = "store"
	// reasonCanceled: the caller's context ended first.
	reasonCanceled = "canceled"
)

type storeMetrics struct {
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
}

func newStoreMetrics() storeMetrics {
	return storeMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "store", Name: "transaction_duration_seconds",
			Help:    "Time of a store transaction (kind update or view), from the call to its return, retries included.",
			Buckets: latencyBuckets,
		}, []string{"kind"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "store", Name: "transaction_errors_total",
			Help: "Store transactions that failed other than by the caller's own error, by kind and reason (store: the store could not begin or commit it, e.g. its database was unreachable; canceled: the caller's context ended).",
		}, []string{"kind", "reason"}),
	}
}

// InstrumentStore returns s measured into m's registry.
func (m *Metrics) InstrumentStore(s switchboard.Store) switchboard.Store {
	sm := &m.store
	return &measuredStore{Store: s,
		update: measure{duration: sm.duration.WithLabelValues("update"), store: sm.errors.WithLabelValues("update", reasonStore), canceled: sm.errors.WithLabelValues("update", reasonCanceled)},
		view:   measure{duration: sm.duration.WithLabelValues("view"), store: sm.errors.WithLabelValues("view", reasonStore), canceled: sm.errors.WithLabelValues("view", reasonCanceled)},
	}
}

// measuredStore is a switchboard.Store that times its transactions.
type measuredStore struct {
	switchboard.Store
	update, view measure
}

var (
	_ switchboard.Store  = (*measuredStore)(nil)
	_ switchboard.Pinger = (*measuredStore)(nil)
)

// measure holds one kind's metrics, resolved once.
type measure struct {
	duration        prometheus.Observer
	store, canceled prometheus.Counter
}

func (s *measuredStore) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	return s.update.run(ctx, s.Store.Update, fn)
}

func (s *measuredStore) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	return s.view.run(ctx, s.Store.View, fn)
}

// Ping asks the wrapped store, or runs an empty View when it cannot be
// asked.
func (s *measuredStore) Ping(ctx context.Context) error { return Ping(ctx, s.Store) }

// Ping checks that store can serve transactions now: its own Ping when it
// is a switchboard.Pinger, otherwise an empty View.
func Ping(ctx context.Context, store switchboard.Store) error {
	if p, ok := store.(switchboard.Pinger); ok {
		return p.Ping(ctx)
	}
	return store.View(ctx, func(switchboard.Tx) error { return nil })
}

// run times one transaction and, when it fails, tells the caller's error
// (what fn returned, which the store returns as is) from the store's own.
func (m *measure) run(ctx context.Context, txn func(context.Context, func(switchboard.Tx) error) error, fn func(switchboard.Tx) error) error {
	start := time.Now()
	fnFailed := false
	err := txn(ctx, func(tx switchboard.Tx) error {
		ferr := fn(tx)
		fnFailed = ferr != nil
		return ferr
	})
	m.duration.Observe(time.Since(start).Seconds())
	switch {
	case err == nil || fnFailed:
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		m.canceled.Inc()
	default:
		m.store.Inc()
	}
	return err
}
