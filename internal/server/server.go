// Package server wires the generated operation table, the wire layer,
// SigV4 verification and the service into one http.Handler. It holds no
// logic of its own: cmd/switchboard and the end-to-end tests both build
// their server here, so the tests exercise exactly what users run.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/console"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/faults"
	"github.com/switchboard-dev/switchboard/internal/policy"
	"github.com/switchboard-dev/switchboard/internal/restjson"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
	"github.com/switchboard-dev/switchboard/internal/telemetry"
	"github.com/switchboard-dev/switchboard/internal/throttle"
	"github.com/switchboard-dev/switchboard/service"
)

// Config is everything a Switchboard server needs.
type Config struct {
	Store       switchboard.Store
	Quotas      service.Quotas
	Credentials sigv4.Credentials // nil: the built-in test/test credentials
	// Policies restrict access keys, by access key id (see
	// CompileAccounts); a key without one has full access to its account.
	Policies map[string]policy.Policy
	// SkipSignatureCheck accepts any signature from a known access key.
	SkipSignatureCheck bool
	Logger             *slog.Logger
	MaxBodyBytes       int64
	// Now is the wall clock request signatures are checked against (nil:
	// time.Now). Clients sign with their own wall clock, so it never
	// follows a virtual Clock.
	Now func() time.Time
	// Clock is the one clock of the contact center: the time resources
	// are stamped with (LastModifiedTime, ...) and, later, the engine's
	// timers. nil means engine.RealClock; an *engine.VirtualClock can be
	// read and advanced through /_switchboard/clock (docs/TESTING.md).
	Clock engine.Clock
	// Engine tunes the contact engine's simulation (the config file's
	// "engine").
	Engine service.EngineSettings
	// Registry is the Prometheus registry /_switchboard/metrics serves
	// (internal/telemetry); nil makes one for this server. A caller that
	// passes its own may register collectors of its own on it.
	Registry *prometheus.Registry
	// Throttling, when set, applies Connect's per-account API rate limits
	// (internal/throttle); nil serves every call.
	Throttling *throttle.Limiter
	// Faults holds the fault injection rules (internal/faults), which
	// /_switchboard/faults reads and replaces; nil starts with none
	// (NewFaults).
	Faults *faults.Injector
}

// New returns the HTTP handler of a Switchboard server and the service
// behind it.
func New(cfg Config) (http.Handler, *service.Service) {
	clock := cfg.Clock
	if clock == nil {
		clock = engine.RealClock{}
	}
	// The server's metrics; other parts of the server register their
	// collectors with tel.Register.
	tel := telemetry.New(cfg.Registry)
	store := cfg.Store
	if store != nil {
		store = tel.InstrumentStore(store)
	}
	svc := service.New(service.Config{Store: store, Quotas: cfg.Quotas, Clock: clock, Logger: cfg.Logger, Engine: cfg.Engine})
	creds := cfg.Credentials
	if creds == nil {
		creds = sigv4.DefaultCredentials()
	}
	handlers := map[string]restjson.Handler{}
	for name, h := range svc.Handlers() {
		handlers[name] = restjson.Handler(h)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var authz restjson.Authorizer
	if len(cfg.Policies) > 0 {
		authz = policyAuthorizer(cfg.Policies)
	}
	faultInjector := cfg.Faults
	if faultInjector == nil {
		faultInjector = NewFaults()
	}
	verifier := &sigv4.Verifier{Creds: creds, Now: cfg.Now, SkipSignatureCheck: cfg.SkipSignatureCheck}
	h := restjson.New(restjson.Config{
		Operations:   api.Operations,
		Handlers:     handlers,
		Auth:         verifier,
		Authz:        authz,
		Gate:         &callGate{limiter: cfg.Throttling, faults: faultInjector, log: logger},
		Logger:       logger,
		MaxBodyBytes: cfg.MaxBodyBytes,
		Observe:      tel.ObserveRequest,
	})
	// Switchboard's own API (switchboardapi.go) answers /_switchboard/,
	// where no Connect route lies, with the same verifier and policies.
	sb := newSwitchboardAPI(h, verifier, cfg.Policies, clock, svc, logger, cfg.MaxBodyBytes)
	sb.addFaultRoutes(faultInjector)
	if err := tel.Register(newGateCollector(cfg.Throttling, faultInjector)); err != nil {
		logger.Error("metrics: the throttling and fault counts are not registered", "error", err)
	}
	tel.WatchEngine(svc, logger)
	sb.observe = tel.ObserveRequest
	sb.addObservability(tel, telemetry.NewReadiness(store, 0, 0))
	// The web console (package console) answers /console/ and calls the
	// Connect API in process, signed as the signed-in key (docs/CONSOLE.md).
	return console.Mount(sb, console.Config{Credentials: creds, BuiltIn: cfg.Credentials == nil, IsLocal: fromLoopback, Logger: logger,
		CheckCreateUser: svc.CheckCreateUser}), svc
}
