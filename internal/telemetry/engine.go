package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-dev/switchboard/service"
)

// engineScrapeTimeout bounds the reading of the engine's state in one
// scrape, below Prometheus' default scrape timeout (10 s), so that a store
// that hangs costs the engine's figures and not the whole scrape.
const engineScrapeTimeout = 5 * time.Second

// EngineSource is what the engine's figures are read from:
// *service.Service.
type EngineSource interface {
	EngineGauges(ctx context.Context) ([]service.InstanceGauges, int, error)
}

// engineCollector computes the contact engine's gauges when scraped, from
// the engine's state in the store, so they are never stale and cost
// nothing between scrapes.
type engineCollector struct {
	src       EngineSource
	log       *slog.Logger
	inQueue   *prometheus.Desc
	agents    *prometheus.Desc
	up        *prometheus.Desc
	truncated *prometheus.Desc
}

// WatchEngine registers the contact engine's gauges, read from src at
// every scrape; failures to read are logged to log (nil: discarded).
func (m *Metrics) WatchEngine(src EngineSource, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name := func(n string) string { return prometheus.BuildFQName(namespace, "engine", n) }
	m.reg.MustRegister(&engineCollector{src: src, log: log,
		inQueue: prometheus.NewDesc(name("contacts_in_queue"),
			"Contacts waiting in a queue (queued or being offered to an agent, as CONTACTS_IN_QUEUE counts them), by instance and queue; 0 for an empty STANDARD queue.",
			[]string{"instance_id", "queue_id"}, nil),
		agents: prometheus.NewDesc(name("agents"),
			"Logged-in agents by instance and state (available, offered, on_contact, after_contact_work, error, non_productive); each agent counts in one state.",
			[]string{"instance_id", "state"}, nil),
		up: prometheus.NewDesc(name("state_up"),
			"1 when this scrape read the contact engine's state, 0 when it could not (the store failed or was too slow); the engine's other metrics are absent then.",
			nil, nil),
		truncated: prometheus.NewDesc(name("instances_omitted"),
			fmt.Sprintf("Active instances left out of this scrape's engine metrics (at most %d are read per scrape).", service.MaxGaugeInstances),
			nil, nil),
	})
}

func (c *engineCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.inQueue
	ch <- c.agents
	ch <- c.up
	ch <- c.truncated
}

func (c *engineCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), engineScrapeTimeout)
	defer cancel()
	gauges, left, err := c.src.EngineGauges(ctx)
	if err != nil {
		c.log.Warn("metrics: cannot read the contact engine's state", "error", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.truncated, prometheus.GaugeValue, float64(left))
	for _, g := range gauges {
		for queue, n := range g.InQueue {
			ch <- prometheus.MustNewConstMetric(c.inQueue, prometheus.GaugeValue, float64(n), g.InstanceID, queue)
		}
		for state, n := range g.Agents {
			ch <- prometheus.MustNewConstMetric(c.agents, prometheus.GaugeValue, float64(n), g.InstanceID, state)
		}
	}
}
