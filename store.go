// Package switchboard holds the domain types shared by the wire layer, the
// service logic and the storage backends: scopes (account + region), stored
// records and the Store interface every backend implements.
package switchboard

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Scope is an account and a region. Resources in one scope are invisible to
// every other scope.
type Scope struct {
	Account string
	Region  string
}

// Kind names a type of stored resource.
type Kind string

// The kinds of resource Switchboard stores.
const (
	KindInstance           Kind = "instance"
	KindUser               Kind = "user"
	KindSecurityProfile    Kind = "security-profile"
	KindRoutingProfile     Kind = "routing-profile"
	KindQueue              Kind = "queue"
	KindHoursOfOperation   Kind = "hours-of-operation"
	KindHierarchyGroup     Kind = "hierarchy-group"
	KindQuickConnect       Kind = "quick-connect"
	KindHierarchyStructure Kind = "hierarchy-structure"
	KindInstanceAttribute  Kind = "instance-attribute"
	KindClientToken        Kind = "client-token"
	KindAgentStatus        Kind = "agent-status"
	// KindUserStatus is a user's current agent status, one record per user
	// with the user's id, kept apart from the user so that setting it
	// changes neither the user's LastModifiedTime nor its version.
	KindUserStatus          Kind = "user-status"
	KindPredefinedAttribute Kind = "predefined-attribute"
	KindContactFlow         Kind = "contact-flow"
	// KindContactFlowVersion is an immutable version of a flow; its ID is
	// "{flowId}:{version}".
	KindContactFlowVersion Kind = "contact-flow-version"
	KindFlowModule         Kind = "flow-module"
	// KindFlowModuleVersion and KindFlowModuleAlias belong to a module; their
	// IDs begin with the module's id.
	KindFlowModuleVersion Kind = "flow-module-version"
	KindFlowModuleAlias   Kind = "flow-module-alias"
	// KindInstanceDefaults marks an instance as given the defaults added
	// after it could have been created (agent statuses, default flows).
	KindInstanceDefaults Kind = "instance-defaults"
	// KindPhoneNumber is a claimed number; Parent is "" (numbers belong to
	// the account and region, and move between instances).
	KindPhoneNumber            Kind = "phone-number"
	KindPrompt                 Kind = "prompt"
	KindLambdaFunction         Kind = "lambda-function"
	KindLexBot                 Kind = "lex-bot"
	KindStorageConfig          Kind = "storage-config"
	KindApprovedOrigin         Kind = "approved-origin"
	KindSecurityKey            Kind = "security-key"
	KindIntegrationAssociation Kind = "integration-association"
	KindUseCase                Kind = "use-case"
	KindVocabulary             Kind = "vocabulary"
	KindFlowAssociation        Kind = "flow-association"
	// KindContact is a contact (a call, chat, task, ...) the engine runs.
	KindContact Kind = "contact"
	// KindLiveContact is the contact engine's small record of a contact
	// that has not ended (engine.Live), with the contact's id; it goes
	// when the contact ends.
	KindLiveContact Kind = "live-contact"
	// KindEngineInstance names an instance with live contacts, in the
	// engine's own scope, so a restarted process finds their timers.
	KindEngineInstance Kind = "engine-instance"
	// KindLambdaStub is the answer a Lambda function gives flows, set
	// through the test API; Parent is "" and the ID is the function ARN.
	KindLambdaStub Kind = "lambda-stub"
	// KindContactEvent is one event of a contact (engine.Event), with the
	// id "{contactId}/{n}"; Seq orders an instance's events.
	KindContactEvent Kind = "contact-event"
	// KindQueuedContact indexes the live contacts that wait in a queue;
	// its IDs are the contacts'.
	KindQueuedContact Kind = "queued-contact"
	// KindEngineTimer indexed the live contacts that have a timer. It is
	// no longer written (the timers are the live records'); the engine
	// deletes what an older store still holds when it resumes.
	KindEngineTimer Kind = "engine-timer"
	// KindAgentIndexGeneration is a record of an instance whose Version
	// grows whenever which agents serve which queues may have changed.
	KindAgentIndexGeneration Kind = "agent-index-generation"
	// KindAgentActivity is one change of an agent's status (its user, the
	// status and its type, when), kept for the agent-time historical
	// metrics.
	KindAgentActivity Kind = "agent-activity"
	// KindQueueWaits keeps a queue's recent answered contacts' times in
	// queue, for ESTIMATED_WAIT_TIME; its ID is the queue's.
	KindQueueWaits Kind = "queue-waits"
)

// Ref points from one record at another record of the same scope and parent.
type Ref struct {
	Kind Kind
	ID   string
}

// Record is one stored resource. The store treats Data as opaque bytes (the
// service layer keeps JSON there); everything the store must enforce —
// identity, name uniqueness, references, listing order — has its own field.
type Record struct {
	Scope
	Kind Kind
	// Parent is the instance id of an instance-scoped resource and "" for an
	// instance itself.
	Parent string
	ID     string
	// Name, when not empty, is unique among records of the same Scope, Kind
	// and Parent.
	Name string
	Data []byte
	Tags map[string]string
	// Refs are the records this one points at (a user's security profiles,
	// routing profile, hierarchy group...). They must exist when the record
	// is written, and a referenced record cannot be deleted.
	Refs     []Ref
	Created  time.Time
	Modified time.Time
	// Seq is assigned by the store on insert: it orders List and never
	// changes afterwards.
	Seq int64
	// Version is 1 after insert and grows by one on every Replace.
	Version int64
}

// Key identifies a record.
type Key struct {
	Scope
	Kind   Kind
	Parent string
	ID     string
}

// Key returns the record's key.
func (r *Record) Key() Key { return Key{Scope: r.Scope, Kind: r.Kind, Parent: r.Parent, ID: r.ID} }

// ListOptions selects a page of records in Seq order.
type ListOptions struct {
	// AfterSeq returns only records whose Seq is greater (0: from the start).
	AfterSeq int64
	// Limit is the most records returned (0: no limit).
	Limit int
}

// Errors returned by a Store. Backends return these (possibly wrapped) and
// callers test them with errors.Is / errors.As.
var (
	// ErrNotFound: no record with that key (or name).
	ErrNotFound = errors.New("record not found")
	// ErrAlreadyExists: a record with that ID, or with that Name, exists.
	ErrAlreadyExists = errors.New("record already exists")
	// ErrConflict: Replace was given a record whose Version is not the
	// stored one.
	ErrConflict = errors.New("record was changed concurrently")
)

// MissingRefError is returned by Insert and Replace when a Ref names a record
// that does not exist.
type MissingRefError struct{ Ref Ref }

func (e *MissingRefError) Error() string {
	return fmt.Sprintf("referenced %s %q does not exist", e.Ref.Kind, e.Ref.ID)
}

// InUseError is returned by Delete when another record refers to the one
// being deleted. By names one of the referring records.
type InUseError struct{ By Ref }

func (e *InUseError) Error() string {
	return fmt.Sprintf("record is referenced by %s %q", e.By.Kind, e.By.ID)
}

// Store is durable storage. All access goes through transactions so that
// every invariant (unique names, quotas checked with Count, references) holds
// even with several writers, in one process or several.
type Store interface {
	// Update runs fn in a read-write transaction and commits it when fn
	// returns nil. fn may run more than once when the backend retries a
	// transaction that lost a race, so it must not have side effects outside
	// the transaction. An error from fn rolls back and is returned as is.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent
	// snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Close releases the store. No call may follow.
	Close() error
}

// Pinger is what a Store may offer beyond Store: a cheap check, bounded by
// ctx, that it can serve transactions now. The server's readiness
// (/_switchboard/health/ready) asks it; a Store without it is checked with
// an empty View instead. Ping returns nil, or the reason the store cannot
// serve (its database unreachable, the store closed).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Tx is one transaction. A Tx must not be used after its fn returns.
type Tx interface {
	// Get returns the record with key k, or ErrNotFound.
	Get(k Key) (*Record, error)
	// GetByName returns the record of that scope, kind and parent whose Name
	// is name, or ErrNotFound.
	GetByName(s Scope, kind Kind, parent, name string) (*Record, error)
	// Insert stores a new record, setting its Seq and Version (1).
	// ErrAlreadyExists when the key or the name is taken; *MissingRefError
	// when a Ref does not exist.
	Insert(r *Record) error
	// Replace overwrites the record with r's key when the stored Version
	// equals r.Version, and increments r.Version. ErrNotFound, ErrConflict,
	// ErrAlreadyExists (new Name taken), *MissingRefError.
	Replace(r *Record) error
	// Delete removes the record with key k and the refs it holds. Deleting
	// an instance removes every record whose Parent is that instance.
	// ErrNotFound; *InUseError when another record refers to it.
	Delete(k Key) error
	// List returns records of that scope, kind and parent in Seq order.
	List(s Scope, kind Kind, parent string, o ListOptions) ([]*Record, error)
	// Count returns how many records of that scope, kind and parent exist.
	Count(s Scope, kind Kind, parent string) (int, error)
	// Referrers returns up to limit (0: all) refs of records (of the same
	// scope and parent) that refer to k, in no particular order.
	Referrers(k Key, limit int) ([]Ref, error)
}
