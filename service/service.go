// Package service is Switchboard's hand-written behaviour: each file
// implements the operations of one resource on top of the generated api
// shapes and the switchboard.Store.
package service

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
)

// Handler serves one operation: in is the operation's bound and validated
// input shape; the result is marshalled as the output shape.
type Handler func(ctx context.Context, in api.Request) (any, error)

// Quotas are the per-account and per-instance limits AWS applies by default.
// Zero means the built-in default.
type Quotas struct {
	InstancesPerAccount         int `json:"instancesPerAccount"`
	UsersPerInstance            int `json:"usersPerInstance"`
	SecurityProfilesPerInstance int `json:"securityProfilesPerInstance"`
	RoutingProfilesPerInstance  int `json:"routingProfilesPerInstance"`
	QueuesPerInstance           int `json:"queuesPerInstance"`
	HoursPerInstance            int `json:"hoursOfOperationPerInstance"`
	HierarchyGroupsPerInstance  int `json:"hierarchyGroupsPerInstance"`
	QuickConnectsPerInstance    int `json:"quickConnectsPerInstance"`
	// AgentStatusesPerInstance counts custom statuses only.
	AgentStatusesPerInstance        int `json:"agentStatusesPerInstance"`
	PredefinedAttributesPerInstance int `json:"predefinedAttributesPerInstance"`
	ContactFlowsPerInstance         int `json:"contactFlowsPerInstance"`
	FlowModulesPerInstance          int `json:"flowModulesPerInstance"`
	PhoneNumbersPerInstance         int `json:"phoneNumbersPerInstance"`
	PromptsPerInstance              int `json:"promptsPerInstance"`
	LambdaFunctionsPerInstance      int `json:"lambdaFunctionsPerInstance"`
	LexBotsPerInstance              int `json:"lexBotsPerInstance"`
	VocabulariesPerInstance         int `json:"vocabulariesPerInstance"`
}

// DefaultQuotas are AWS's default service quotas for Connect.
var DefaultQuotas = Quotas{
	InstancesPerAccount:             2,
	UsersPerInstance:                500,
	SecurityProfilesPerInstance:     100,
	RoutingProfilesPerInstance:      100,
	QueuesPerInstance:               50,
	HoursPerInstance:                100,
	HierarchyGroupsPerInstance:      500,
	QuickConnectsPerInstance:        100,
	AgentStatusesPerInstance:        50,
	PredefinedAttributesPerInstance: 150,
	ContactFlowsPerInstance:         100,
	FlowModulesPerInstance:          200,
	PhoneNumbersPerInstance:         5,
	PromptsPerInstance:              500,
	LambdaFunctionsPerInstance:      50,
	LexBotsPerInstance:              70,
	VocabulariesPerInstance:         20,
}

func (q Quotas) withDefaults() Quotas {
	d := DefaultQuotas
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&q.InstancesPerAccount, d.InstancesPerAccount)
	set(&q.UsersPerInstance, d.UsersPerInstance)
	set(&q.SecurityProfilesPerInstance, d.SecurityProfilesPerInstance)
	set(&q.RoutingProfilesPerInstance, d.RoutingProfilesPerInstance)
	set(&q.QueuesPerInstance, d.QueuesPerInstance)
	set(&q.HoursPerInstance, d.HoursPerInstance)
	set(&q.HierarchyGroupsPerInstance, d.HierarchyGroupsPerInstance)
	set(&q.QuickConnectsPerInstance, d.QuickConnectsPerInstance)
	set(&q.AgentStatusesPerInstance, d.AgentStatusesPerInstance)
	set(&q.PredefinedAttributesPerInstance, d.PredefinedAttributesPerInstance)
	set(&q.ContactFlowsPerInstance, d.ContactFlowsPerInstance)
	set(&q.FlowModulesPerInstance, d.FlowModulesPerInstance)
	set(&q.PhoneNumbersPerInstance, d.PhoneNumbersPerInstance)
	set(&q.PromptsPerInstance, d.PromptsPerInstance)
	set(&q.LambdaFunctionsPerInstance, d.LambdaFunctionsPerInstance)
	set(&q.LexBotsPerInstance, d.LexBotsPerInstance)
	set(&q.VocabulariesPerInstance, d.VocabulariesPerInstance)
	return q
}

// Config wires a Service.
type Config struct {
	Store  switchboard.Store
	Quotas Quotas
	// Now and NewID default to the clock and random UUIDs; tests may fix them.
	Now   func() time.Time
	NewID func() string
	// Clock runs the contact engine's timers (nil: none run, and only
	// calls move contacts; Now then defaults to the real clock's time).
	// With a Clock, Now defaults to Clock.Now.
	Clock engine.Clock
	// Logger receives the engine's errors (nil: discarded).
	Logger *slog.Logger
	// Engine tunes the contact engine's simulation.
	Engine EngineSettings
}

// EngineSettings tune what the contact engine simulates; zero values take
// the defaults. They are the "engine" object of the config file.
type EngineSettings struct {
	// OutboundAnswerSeconds is how long the callee of an outbound call
	// takes to answer (default 5).
	OutboundAnswerSeconds float64 `json:"outboundAnswerSeconds"`
}

// defaultOutboundAnswer is EngineSettings.OutboundAnswerSeconds' default.
const defaultOutboundAnswer = 5 * time.Second

func (e EngineSettings) outboundAnswer() time.Duration {
	if e.OutboundAnswerSeconds > 0 {
		return time.Duration(e.OutboundAnswerSeconds * float64(time.Second))
	}
	return defaultOutboundAnswer
}

// Service implements the Connect operations.
type Service struct {
	store    switchboard.Store
	quotas   Quotas
	now      func() time.Time
	newID    func() string
	handlers map[string]registered
	// instanceDocs and channelDocs share decoded documents
	// (instancecache.go); routingMedia holds the one part of a routing
	// profile CreateUser needs (handledChannels): decoding the whole
	// document was a tenth of the single writer's time per CreateUser.
	instanceDocs docCache[instanceDoc]
	channelDocs  docCache[channelLists]
	routingMedia docCache[routingMediaDoc]
	// defaults remembers the instances known to have the defaults added
	// after they could have been created (instancedefaults.go).
	defaults defaultsReady
	// scheduler wakes instances whose contacts have a timer due
	// (contactengine.go); log receives what fails there, with no caller
	// to answer.
	scheduler *engine.Scheduler
	log       *slog.Logger
	// engineDocs share the decodings the contact engine reads on every
	// routing pass (contactagents.go), keyed by the stored bytes like
	// instanceDocs, so a pass over a thousand agents decodes only what
	// changed.
	engineDocs engineDocCaches
	// contactDocs are decoded contacts the engine wrote, for its next
	// transaction over them (contactcache.go).
	contactDocs contactDocCache
	// indexes are the agent indexes of instances (agentindex.go).
	indexes agentIndexes
	// metricResults caches GetMetricDataV2 computations (metricdatav2.go).
	metricResults metricResultCache
	engine        EngineSettings
}

type registered struct {
	fn     Handler
	inType reflect.Type
}

// New returns a Service with every implemented operation registered.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, quotas: cfg.Quotas.withDefaults(), now: cfg.Now, newID: cfg.NewID, handlers: map[string]registered{}}
	if s.now == nil && cfg.Clock != nil {
		s.now = cfg.Clock.Now
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.engineDocs.init()
	s.engine = cfg.Engine
	if s.log = cfg.Logger; s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock != nil {
		s.scheduler = engine.NewScheduler(cfg.Clock, s.wake)
	}
	if s.newID == nil {
		s.newID = func() string { return uuid.NewString() }
	}
	s.registerInstances()
	s.registerDefaults()
	s.registerTags()
	s.registerUsers()
	s.registerHierarchy()
	s.registerProfiles()
	s.registerQuickConnects()
	s.registerAgentStatuses()
	s.registerUserStatus()
	s.registerPredefinedAttributes()
	s.registerProficiencies()
	s.registerContactFlows()
	s.registerFlowModules()
	s.registerPhoneNumbers()
	s.registerPrompts()
	s.registerIntegrations()
	s.registerStorageConfigs()
	s.registerContacts()
	s.registerOutbound()
	s.registerCurrentMetrics()
	s.registerTransfer()
	return s
}

// handle registers fn as the implementation of the named operation.
func handle[In api.Request, Out any](s *Service, name string, fn func(context.Context, In) (Out, error)) {
	var zero In
	s.handlers[name] = registered{
		inType: reflect.TypeOf(zero),
		fn: func(ctx context.Context, in api.Request) (any, error) {
			out, err := fn(ctx, in.(In))
			if err != nil {
				return nil, err
			}
			return out, nil
		},
	}
}

// Handlers returns the implemented operations by name.
func (s *Service) Handlers() map[string]Handler {
	m := make(map[string]Handler, len(s.handlers))
	for name, r := range s.handlers {
		m[name] = r.fn
	}
	return m
}

// Invoke runs operation op on in as the wire layer does once a request is
// bound: the generated validation, then the handler, in ctx's scope
// (switchboard.WithScope). It is for callers inside the process that make
// requests without HTTP (seed files, the bulk user import); no access
// policy applies. An operation Switchboard does not implement is an error.
func (s *Service) Invoke(ctx context.Context, op string, in api.Request) (any, error) {
	r, ok := s.handlers[op]
	if !ok {
		return nil, fmt.Errorf("%s: Switchboard does not implement this operation", op)
	}
	if err := api.Validate(in); err != nil {
		return nil, err
	}
	return r.fn(ctx, in)
}

// InputType returns the Go type a handler was registered for, so a test can
// prove it is the operation's modelled input shape.
func (s *Service) InputType(name string) reflect.Type { return s.handlers[name].inType }

// Implemented lists the implemented operations, sorted.
func (s *Service) Implemented() []string {
	names := make([]string, 0, len(s.handlers))
	for n := range s.handlers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// empty is the output of operations the model gives no output shape.
type empty struct{}

// scope is the caller's account and region.
func scope(ctx context.Context) switchboard.Scope {
	if sc, ok := switchboard.ScopeFrom(ctx); ok {
		return sc
	}
	return switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// randomHex returns n random bytes in hex, for resource-name suffixes.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ts(t time.Time) *api.Timestamp { return api.NewTimestamp(t) }

func encode(v any) []byte {
	if a, ok := v.(jsonAppender); ok {
		return a.appendJSON(nil)
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only service-defined structs are encoded here; failing is a bug.
		panic(fmt.Sprintf("service: encoding %T: %v", v, err))
	}
	return b
}

// jsonAppender is a document that writes its own stored JSON (a compact
// form of a document the engine rewrites often); encode uses it instead of
// encoding/json, which would check what it writes again.
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

func decode(r *switchboard.Record, v any) error {
	if err := json.Unmarshal(r.Data, v); err != nil {
		return fmt.Errorf("decoding stored %s %s: %w", r.Kind, r.ID, err)
	}
	return nil
}

func copyTags(t map[string]string) map[string]string {
	if len(t) == 0 {
		return nil
	}
	out := make(map[string]string, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

// change runs fn in one write transaction for an operation whose answer is
// empty: the empty answer when fn succeeds, fn's error otherwise.
func (s *Service) change(ctx context.Context, fn func(tx switchboard.Tx) error) (*empty, error) {
	if err := s.store.Update(ctx, fn); err != nil {
		return nil, err
	}
	return &empty{}, nil
}
