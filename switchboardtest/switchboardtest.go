// Package switchboardtest runs a Switchboard server — Amazon Connect's API
// on loopback — inside a Go test, the way httptest runs an HTTP server:
//
//	func TestOnboarding(t *testing.T) {
//		srv := switchboardtest.New(t)
//		client := connect.NewFromConfig(srv.AWSConfig())
//		inst := srv.CreateInstance(t, "test")
//		// ... call Connect through client; srv stops when the test ends.
//	}
//
// Each server has its own in-memory store, so tests do not see each
// other's state and may run in parallel; starting one takes a few
// milliseconds (docs/PERFORMANCE.md). Options give it a virtual clock for
// the contact engine, quotas, accounts and their access keys. APIClient
// drives Switchboard's own test API (advance the clock, act as an agent,
// read contact events) of this server or of any `switchboard serve`.
package switchboardtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/faults"
	"github.com/switchboard-dev/switchboard/internal/seed"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/internal/throttle"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// The built-in credentials and account of a server without WithAccounts.
const (
	DefaultAccessKeyID     = "test"
	DefaultSecretAccessKey = "test"
	DefaultAccountID       = "000000000000"
	DefaultRegion          = "us-east-1"
)

// Server is a running Switchboard.
type Server struct {
	// URL is the server's endpoint, http://127.0.0.1:PORT.
	URL string
	// Region, AccessKeyID and SecretAccessKey are what AWSConfig signs
	// with: the first access key of the first account given, or the
	// built-in test/test.
	Region, AccessKeyID, SecretAccessKey string
	// AccountID is the account those credentials act in.
	AccountID string

	clock *engine.VirtualClock // nil: the real clock
	http  *httptest.Server
	svc   *service.Service
	store *sqlite.Store
	api   *APIClient
	seed  *seed.Result
}

// Account is an account the server accepts, with its access keys.
type Account struct {
	// ID is the 12-digit account id.
	ID         string
	AccessKeys []AccessKey
}

// AccessKey is one access key of an Account.
type AccessKey struct {
	ID, Secret string
	// Policy, when not empty, is an IAM policy document restricting what
	// the key may do (docs/SECURITY.md); empty: everything in its account.
	Policy string
}

type config struct {
	clockStart *time.Time
	quotas     service.Quotas
	accounts   []Account
	region     string
	log        io.Writer
	engine     service.EngineSettings

	throttling        bool
	throttleOverrides map[string]Limit
	faultSeed         uint64
	faultRules        []FaultRule

	seedPath, seedName string
	seedData           []byte
}

// Option configures New.
type Option func(*config)

// WithVirtualClock gives the server a virtual clock starting at start (the
// zero time: now): the contact engine's time moves only through Advance,
// so ring timeouts, after contact work and scheduled tasks happen exactly
// when a test says.
func WithVirtualClock(start time.Time) Option {
	return func(c *config) {
		if start.IsZero() {
			start = time.Now()
		}
		c.clockStart = &start
	}
}

// WithQuotas sets the service quotas (docs/BEHAVIOUR.md, "Quotas"); zero
// fields keep Connect's defaults.
func WithQuotas(q service.Quotas) Option { return func(c *config) { c.quotas = q } }

// WithAccounts replaces the built-in test/test credentials with these
// accounts and keys.
func WithAccounts(accounts ...Account) Option {
	return func(c *config) { c.accounts = append(c.accounts, accounts...) }
}

// WithRegion sets the region AWSConfig signs for (default us-east-1).
func WithRegion(region string) Option { return func(c *config) { c.region = region } }

// WithRequestLog writes the server's log, a line per request, to w.
func WithRequestLog(w io.Writer) Option { return func(c *config) { c.log = w } }

// WithEngineSettings tunes the contact engine's simulation (the config
// file's "engine", docs/TESTING.md).
func WithEngineSettings(s service.EngineSettings) Option { return func(c *config) { c.engine = s } }

// WithSeedFile applies a seed file (YAML or JSON, docs/SEED.md) to the
// new server, in its first account and region: instances, users, queues,
// flows and the rest, referring to each other by name. A bad file fails
// the start with the file position. SeedID finds what it made.
func WithSeedFile(path string) Option { return func(c *config) { c.seedPath = path } }

// WithSeed is WithSeedFile with the file's contents; name is what errors
// call it (flow content files are read relative to the working
// directory).
func WithSeed(name string, data []byte) Option {
	return func(c *config) { c.seedName, c.seedData = name, data }
}

// SeedID returns the id of a resource the seed made or found: kind as the
// seed file names kinds (instance, queue, routingProfile, user, ...), in
// the instance of that alias (for an instance, its own alias); "" when
// the seed has none.
func (s *Server) SeedID(instanceAlias, kind, name string) string {
	if s.seed == nil {
		return ""
	}
	return s.seed.ID(instanceAlias, kind, name)
}

// New starts a server for the test and stops it when the test ends; a
// failure to start fails the test.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("switchboardtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a server outside a test (in TestMain, an example, a tool);
// the caller must Close it.
func Start(opts ...Option) (*Server, error) {
	c := config{region: DefaultRegion}
	for _, o := range opts {
		o(&c)
	}
	store, err := sqlite.OpenMemory()
	if err != nil {
		return nil, err
	}
	s := &Server{Region: c.region, AccessKeyID: DefaultAccessKeyID, SecretAccessKey: DefaultSecretAccessKey, AccountID: DefaultAccountID, store: store}
	cfg := server.Config{Store: store, Quotas: c.quotas, Engine: c.engine}
	if c.clockStart != nil {
		s.clock = engine.NewVirtualClock(*c.clockStart)
		cfg.Clock = s.clock
	}
	if c.log != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(c.log, nil))
	}
	if len(c.accounts) > 0 {
		ids, err := compileAccounts(c.accounts)
		if err != nil {
			store.Close()
			return nil, err
		}
		cfg.Credentials, cfg.Policies = ids.Credentials, ids.Policies
		s.AccountID, s.AccessKeyID, s.SecretAccessKey = c.accounts[0].ID, c.accounts[0].AccessKeys[0].ID, c.accounts[0].AccessKeys[0].Secret
	}
	if c.throttling {
		tc := throttle.Config{Enabled: true, Operations: map[string]throttle.Limit{}}
		for op, l := range c.throttleOverrides {
			tc.Operations[op] = throttle.Limit{Rate: l.Rate, Burst: l.Burst}
		}
		if err := tc.Validate(server.KnownOperation); err != nil {
			store.Close()
			return nil, err
		}
		if cfg.Throttling, err = throttle.New(tc, time.Now); err != nil {
			store.Close()
			return nil, err
		}
	}
	if len(c.faultRules) > 0 {
		inj := server.NewFaults()
		fc := faults.Config{Seed: c.faultSeed}
		for _, r := range c.faultRules {
			fc.Rules = append(fc.Rules, faults.Rule{Operation: r.Operation, Error: r.Error, Message: r.Message, Probability: r.Probability,
				EveryNth: r.EveryNth, LatencyMs: int(r.Latency.Milliseconds())})
		}
		if err := inj.Set(fc); err != nil {
			store.Close()
			return nil, err
		}
		cfg.Faults = inj
	}
	h, svc := server.New(cfg)
	s.svc = svc
	if err := svc.ResumeEngine(context.Background()); err != nil {
		svc.Close()
		store.Close()
		return nil, err
	}
	if c.seedPath != "" || c.seedData != nil {
		sc := switchboard.Scope{Account: s.AccountID, Region: s.Region}
		if c.seedPath != "" {
			s.seed, err = seed.ApplyFile(context.Background(), svc, sc, c.seedPath)
		} else {
			s.seed, err = seed.Apply(context.Background(), svc, sc, c.seedData, c.seedName)
		}
		if err != nil {
			svc.Close()
			store.Close()
			return nil, err
		}
	}
	s.http = httptest.NewServer(h)
	s.URL = s.http.URL
	s.api = NewAPIClient(s.AWSConfig())
	return s, nil
}

func compileAccounts(accounts []Account) (*server.Identities, error) {
	var in []server.Account
	for _, a := range accounts {
		if len(a.AccessKeys) == 0 {
			return nil, fmt.Errorf("account %s has no access key", a.ID)
		}
		sa := server.Account{ID: a.ID}
		for _, k := range a.AccessKeys {
			ak := server.AccessKey{ID: k.ID, Secret: k.Secret}
			if k.Policy != "" {
				ak.Policy = []byte(k.Policy)
			}
			sa.AccessKeys = append(sa.AccessKeys, ak)
		}
		in = append(in, sa)
	}
	return server.CompileAccounts(in)
}

// Close stops the server and discards its state.
func (s *Server) Close() {
	s.http.Close()
	s.svc.Close() // before the store: no engine timer reaches a closed store
	s.store.Close()
}

// AWSConfig returns a configuration for the AWS SDK pointed at the server:
// its endpoint, region and static credentials, with the SDK's default
// retries. connect.NewFromConfig(srv.AWSConfig()) makes a client.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKeyID, s.SecretAccessKey, ""),
	}
}

// API returns the client of the server's test API.
func (s *Server) API() *APIClient { return s.api }

// Now returns the time of the server's clock.
func (s *Server) Now() time.Time {
	if s.clock != nil {
		return s.clock.Now()
	}
	return time.Now()
}

// Advance moves the server's virtual clock forward by d, firing every
// timer due on the way (through the test API, as a remote test would);
// it fails the test when the server has no virtual clock.
func (s *Server) Advance(t testing.TB, d time.Duration) time.Time {
	t.Helper()
	now, err := s.api.Advance(context.Background(), d)
	if err != nil {
		t.Fatalf("switchboardtest: advance %v: %v", d, err)
	}
	return now
}

// Act does an agent's (or the customer's) action on a contact through the
// test API, failing the test on an error.
func (s *Server) Act(t testing.TB, instanceID, contactID, userID string, action AgentAction) {
	t.Helper()
	if err := s.api.Act(context.Background(), instanceID, contactID, userID, action); err != nil {
		t.Fatalf("switchboardtest: %s on contact %s: %v", action, contactID, err)
	}
}
