package telemetry

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/switchboard-dev/switchboard"
)

// fakeStore runs fn (unless it fails before) and then fails with commitErr.
type fakeStore struct {
	beginErr, commitErr error
	pingErr             error
	pings               atomic.Int32
}

func (s *fakeStore) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	return s.View(ctx, fn)
}

func (s *fakeStore) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.beginErr != nil {
		return s.beginErr
	}
	if err := fn(nil); err != nil {
		return err
	}
	return s.commitErr
}

func (s *fakeStore) Close() error { return nil }

func (s *fakeStore) Ping(context.Context) error {
	s.pings.Add(1)
	return s.pingErr
}

// TestStoreErrors: a transaction's failure counts as the store's only
// when the store, not the caller's function nor the caller's context,
// ended it; every transaction is timed.
func TestStoreErrors(t *testing.T) {
	unreachable := errors.New("database unreachable")
	notFound := switchboard.ErrNotFound
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name         string
		store        *fakeStore
		ctx          context.Context
		fnErr        error
		wantStore    float64
		wantCanceled float64
	}{
		{"committed", &fakeStore{}, context.Background(), nil, 0, 0},
		{"the caller's error", &fakeStore{}, context.Background(), notFound, 0, 0},
		{"cannot begin", &fakeStore{beginErr: unreachable}, context.Background(), nil, 1, 0},
		{"commit fails", &fakeStore{commitErr: unreachable}, context.Background(), nil, 1, 0},
		{"context ended", &fakeStore{}, canceled, nil, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := New(nil)
			s := m.InstrumentStore(c.store)
			for kind, txn := range map[string]func(context.Context, func(switchboard.Tx) error) error{"update": s.Update, "view": s.View} {
				err := txn(c.ctx, func(switchboard.Tx) error { return c.fnErr })
				if c.fnErr != nil && err != c.fnErr {
					t.Errorf("%s: the caller's error came back as %v", kind, err)
				}
				if got := counterValue(t, m.store.errors.WithLabelValues(kind, reasonStore)); got != c.wantStore {
					t.Errorf("%s: store errors %v, want %v", kind, got, c.wantStore)
				}
				if got := counterValue(t, m.store.errors.WithLabelValues(kind, reasonCanceled)); got != c.wantCanceled {
					t.Errorf("%s: canceled %v, want %v", kind, got, c.wantCanceled)
				}
				if n := histogramCount(t, m.reg, "switchboard_store_transaction_duration_seconds", "kind", kind); n != 1 {
					t.Errorf("%s: %d transactions timed, want 1", kind, n)
				}
			}
		})
	}
}

// counterValue reads a counter.
func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// histogramCount is the sample count of the histogram name whose label
// has value.
func histogramCount(t *testing.T, reg *prometheus.Registry, name, label, value string) uint64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if lp.GetName() == label && lp.GetValue() == value {
					return m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return 0
}

func TestObserveRequest(t *testing.T) {
	m := New(nil)
	m.ObserveRequest("CreateUser", 200, 3*time.Millisecond)
	m.ObserveRequest("CreateUser", 200, 4*time.Millisecond)
	m.ObserveRequest("CreateUser", 400, time.Millisecond)
	m.ObserveRequest("", 404, time.Millisecond)
	for _, c := range []struct {
		op, code string
		want     float64
	}{{"CreateUser", "200", 2}, {"CreateUser", "400", 1}, {"unknown", "404", 1}, {"CreateUser", "500", 0}} {
		if got := counterValue(t, m.requests.WithLabelValues(c.op, c.code)); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.op, c.code, got, c.want)
		}
	}
	if n := histogramCount(t, m.reg, "switchboard_request_duration_seconds", "operation", "CreateUser"); n != 3 {
		t.Errorf("CreateUser latency samples: %d, want 3", n)
	}
}

// TestRegistriesAreSeparate: two servers' metrics never mix, and a
// collector of another part of the server registers once.
func TestRegistriesAreSeparate(t *testing.T) {
	a, b := New(nil), New(nil)
	a.ObserveRequest("ListUsers", 200, time.Millisecond)
	if got := counterValue(t, b.requests.WithLabelValues("ListUsers", "200")); got != 0 {
		t.Errorf("b counted a's request: %v", got)
	}
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "switchboard_throttled_total", Help: "x"})
	if err := a.Register(c); err != nil {
		t.Fatal(err)
	}
	if err := a.Register(c); err == nil {
		t.Error("registering a collector twice succeeded")
	}
	if err := b.Register(c); err != nil {
		t.Errorf("b: %v", err)
	}
}

// TestReadiness: readiness follows the store's Ping, reuses a result for
// the reuse period, and checks again after it.
func TestReadiness(t *testing.T) {
	s := &fakeStore{}
	r := NewReadiness(s, time.Second, 50*time.Millisecond)
	if err := r.Check(); err != nil {
		t.Fatalf("ready store: %v", err)
	}
	s.pingErr = errors.New("postgres: ping (database unreachable?): connection refused")
	for range 5 {
		if err := r.Check(); err != nil {
			t.Fatalf("within the reuse period: %v", err)
		}
	}
	if n := s.pings.Load(); n != 1 {
		t.Errorf("%d pings within the reuse period, want 1", n)
	}
	time.Sleep(60 * time.Millisecond)
	if err := r.Check(); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("after the reuse period: %v", err)
	}
	if err := NewReadiness(nil, 0, 0).Check(); err == nil {
		t.Error("a server without a store is ready")
	}
}

// nonPinger is a Store without Ping: readiness runs an empty View on it.
type nonPinger struct{ fakeStore }

func (*nonPinger) Ping() {} // not switchboard.Pinger's signature

func TestPingWithoutPinger(t *testing.T) {
	var s switchboard.Store = &nonPinger{fakeStore{beginErr: errors.New("closed")}}
	if _, ok := s.(switchboard.Pinger); ok {
		t.Fatal("nonPinger is a Pinger")
	}
	if err := Ping(context.Background(), s); err == nil || err.Error() != "closed" {
		t.Errorf("Ping: %v", err)
	}
}
