package service

// Running a contact's flow: package flow's interpreter over an Env that
// reads and changes the contact and the instance in the engine's
// transaction. The whole flow runs at once; the simulated time its
// messages and waits take is added up, and the contact enters its queue
// (or ends) when that much time has passed on the engine's clock
// (TimerEnqueue, TimerFlowEnd). Checks of hours use the time the run has
// reached. docs/BEHAVIOUR.md, "Running a flow", has the details.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/flow"
)

// flowRunDoc is what a contact's record keeps of its flow's run.
type flowRunDoc struct {
	Outcome string        `json:"outcome"`
	Reason  string        `json:"reason,omitempty"`
	Action  string        `json:"action,omitempty"`
	Steps   int           `json:"steps"`
	Waited  time.Duration `json:"waited"`
	// Errors are the error branches taken, with why.
	Errors []string `json:"errors,omitempty"`
}

// maxFlowErrors bounds flowRunDoc.Errors.
const maxFlowErrors = 20

// runFlow runs the contact's flow from time at and sets what follows: the
// contact queues or ends now, or gets the timer that does so when the
// flow's simulated time has passed. doc is changed, not saved.
func (e *engineTx) runFlow(doc *contactDoc, l *engine.Live, at time.Time) error {
	env := &flowEnv{e: e, doc: doc, start: at}
	if doc.FlowID == "" {
		return e.endFlow(doc, l, at, "no flow")
	}
	rec, fd, err := getFlowToRun(e.tx, e.sc, e.instanceID, doc.FlowID)
	if isNotFound(err) {
		return e.endFlow(doc, l, at, "flow "+doc.FlowID+" not found")
	}
	if err != nil {
		return err
	}
	f, problems := parsedFlows.parse(fd.Content)
	if f == nil {
		return e.endFlow(doc, l, at, fmt.Sprintf("flow %s cannot be read: %v", rec.ID, problems))
	}
	res := flow.Run(f, flow.Kind(fd.Type), env, flow.RunOptions{})
	if env.failed != nil {
		return env.failed
	}
	run := &flowRunDoc{Outcome: string(res.Outcome), Reason: res.Reason, Action: res.Action, Steps: res.Steps, Waited: res.Waited, Errors: env.errors}
	doc.FlowRun = run
	l.Priority, l.AdjustSeconds = doc.QueuePriority, doc.QueueTimeAdjustmentSeconds
	end := at.Add(res.Waited)
	switch res.Outcome {
	case flow.OutcomeQueued, flow.OutcomeTransferredToAgent:
		l.Queue = doc.QueueID
		if res.Waited == 0 {
			if err := e.transition(doc, engine.StateQueued, at, ""); err != nil {
				return err
			}
			l.State, l.StateSince, l.Enqueued = engine.StateQueued, at, at
			return nil
		}
		l.Timer, l.Due = engine.TimerEnqueue, &end
		return nil
	}
	if res.Waited == 0 {
		return e.endFlow(doc, l, at, "")
	}
	l.Timer, l.Due = engine.TimerFlowEnd, &end
	return nil
}

// endFlow ends a contact whose flow ended it (or could not run).
func (e *engineTx) endFlow(doc *contactDoc, l *engine.Live, at time.Time, reason string) error {
	if reason != "" {
		doc.FlowRun = &flowRunDoc{Outcome: string(flow.OutcomeError), Reason: reason}
	}
	doc.DisconnectReason = flowDisconnectReason
	if err := e.transition(doc, engine.StateEnded, at, ""); err != nil {
		return err
	}
	l.State, l.StateSince = engine.StateEnded, at
	return nil
}

// refuse is an action's failure the flow's error branch handles.
func refuse(format string, args ...any) error {
	return &flow.BranchError{ErrorType: "NoMatchingError", Err: fmt.Errorf(format, args...)}
}

func isNotFound(err error) bool {
	var nf *api.ResourceNotFoundException
	return errors.As(err, &nf)
}

// flowEnv is flow.Env for one contact's run.
type flowEnv struct {
	e      *engineTx
	doc    *contactDoc
	start  time.Time
	waited time.Duration
	errors []string
	// failed is a storage error: the run's answers are then meaningless
	// and the transaction fails with it.
	failed error
}

var _ flow.Env = (*flowEnv)(nil)

func (v *flowEnv) now() time.Time { return v.start.Add(v.waited) }

// branch records why an action took its error branch and returns err.
func (v *flowEnv) branch(err error) error {
	var apiErr api.Error
	var be *flow.BranchError
	if err != nil && !errors.As(err, &apiErr) && !errors.As(err, &be) {
		v.failed = err
	}
	if err != nil && len(v.errors) < maxFlowErrors {
		v.errors = append(v.errors, err.Error())
	}
	return err
}

// attrs is the chain's attributes (the initial contact's).
func (v *flowEnv) attrs() (*switchboard.Record, *contactDoc, error) {
	if v.doc.InitialContactID == "" || v.doc.InitialContactID == v.doc.ID {
		return nil, v.doc, nil
	}
	return v.e.contactDoc(v.doc.InitialContactID)
}

func (v *flowEnv) Attribute(key string) (string, bool) {
	_, d, err := v.attrs()
	if err != nil {
		v.branch(err)
		return "", false
	}
	val, ok := d.Attributes[key]
	return val, ok
}

func (v *flowEnv) SetAttributes(attrs map[string]string) error {
	rec, d, err := v.attrs()
	if err != nil {
		return v.branch(err)
	}
	merged := mergeAttributes(copyTags(d.Attributes), attrs)
	if err := checkAttributeSize("Attributes", merged); err != nil {
		return v.branch(err)
	}
	d.Attributes = merged
	if rec != nil {
		v.e.touch(rec.ID, v.now())
	}
	return nil
}

func (v *flowEnv) System(path string) (string, bool) {
	d := v.doc
	switch path {
	case "Channel":
		return string(d.Channel), true
	case "ContactId":
		return d.ID, true
	case "InitialContactId":
		return d.InitialContactID, true
	case "PreviousContactId":
		return d.PreviousContactID, d.PreviousContactID != ""
	case "InitiationMethod":
		return string(d.Initiation), true
	case "Name":
		return deref(d.Name), d.Name != nil
	case "Description":
		return deref(d.Description), d.Description != nil
	case "InstanceARN":
		return instanceARN(v.e.sc, v.e.instanceID), true
	case "Queue.Name", "Queue.ARN", "Queue.OutboundCallerId.Address":
		if d.QueueID == "" {
			return "", false
		}
		q, err := getChild(v.e.tx, v.e.sc, v.e.instanceID, switchboard.KindQueue, d.QueueID)
		if err != nil {
			v.branch(err)
			return "", false
		}
		if path == "Queue.Name" {
			return q.Name, true
		}
		return resourceARN(v.e.sc, switchboard.KindQueue, v.e.instanceID, q.ID), path == "Queue.ARN"
	}
	return "", false
}

func (v *flowEnv) SetTargetQueue(r flow.Resource, idOrARN string) error {
	id := lastSegment(idOrARN)
	if r == flow.User {
		if _, err := getChild(v.e.tx, v.e.sc, v.e.instanceID, switchboard.KindUser, id); err != nil {
			return v.branch(err)
		}
	}
	// A user's own queue has the user's id (agentqueues.go), so both
	// resolve through getQueue.
	if _, err := getChild(v.e.tx, v.e.sc, v.e.instanceID, switchboard.KindQueue, id); err != nil {
		return v.branch(err)
	}
	v.doc.QueueID = id
	return nil
}

// queue reads a queue the flow names (shared: not to be changed).
func (v *flowEnv) queue(id string) (*switchboard.Record, *queueDoc, error) {
	return readQueue(v.e.tx, v.e.sc, v.e.instanceID, id)
}

// sharedQueueDocs are the decodings of queue records running contacts
// read, keyed by the stored bytes (docCache).
var sharedQueueDocs = docCache[queueDoc]{max: 1024}

// readQueue reads a queue (an implied agent queue too) for a caller that
// changes neither the record nor the document, decoded from the shared
// decodings.
func readQueue(tx switchboard.Tx, sc switchboard.Scope, instanceID, id string) (*switchboard.Record, *queueDoc, error) {
	rec, err := peekChild(tx, sc, instanceID, switchboard.KindQueue, id)
	if err != nil {
		return nil, nil, err
	}
	q, err := sharedQueueDocs.get(rec.Data, func() string { return "queue " + id })
	return rec, q, err
}

func (v *flowEnv) TransferToQueue() (string, error) {
	if v.doc.QueueID == "" {
		return "", v.branch(refuse("no target queue is set"))
	}
	rec, q, err := v.queue(v.doc.QueueID)
	if err != nil {
		return "", v.branch(err)
	}
	if deref(q.Status) == api.QueueStatusDisabled {
		return "", v.branch(refuse("queue %s (%s) is disabled", rec.Name, rec.ID))
	}
	if max := deref(q.MaxContacts); max > 0 {
		queued, err := v.e.queued()
		if err != nil {
			return "", v.branch(err)
		}
		n := int32(0)
		for _, q := range queued {
			if q.Queue == rec.ID {
				n++
			}
		}
		if n >= max {
			return "", v.branch(&flow.BranchError{ErrorType: flow.ErrQueueAtCapacity.ErrorType,
				Err: fmt.Errorf("queue %s (%s) holds its maximum of %d contacts", rec.Name, rec.ID, max)})
		}
	}
	return rec.ID, nil
}

func (v *flowEnv) CheckHoursOfOperation(idOrARN string) (bool, error) {
	id := lastSegment(idOrARN)
	if id == "" {
		if v.doc.QueueID == "" {
			return false, v.branch(refuse("no hours given and no target queue set"))
		}
		_, q, err := v.queue(v.doc.QueueID)
		if err != nil {
			return false, v.branch(err)
		}
		id = deref(q.HoursOfOperationId)
		if id == "" {
			return false, v.branch(refuse("queue %s has no hours of operation", v.doc.QueueID))
		}
	}
	rec, err := getChild(v.e.tx, v.e.sc, v.e.instanceID, switchboard.KindHoursOfOperation, id)
	if err != nil {
		return false, v.branch(err)
	}
	var h hoursDoc
	if err := decode(rec, &h); err != nil {
		return false, v.branch(err)
	}
	open, err := hoursOpen(&h, v.now())
	if err != nil {
		return false, v.branch(refuse("%v", err))
	}
	return open, nil
}

// hoursOpen evaluates stored hours of operation at t.
func hoursOpen(h *hoursDoc, t time.Time) (bool, error) {
	loc, err := time.LoadLocation(deref(h.TimeZone))
	if err != nil {
		return false, fmt.Errorf("time zone %q: %v", deref(h.TimeZone), err)
	}
	days := map[string]time.Weekday{"SUNDAY": time.Sunday, "MONDAY": time.Monday, "TUESDAY": time.Tuesday, "WEDNESDAY": time.Wednesday,
		"THURSDAY": time.Thursday, "FRIDAY": time.Friday, "SATURDAY": time.Saturday}
	ranges := make([]engine.HoursRange, 0, len(h.Config))
	for _, c := range h.Config {
		minutes := func(s *api.HoursOfOperationTimeSlice) int {
			if s == nil {
				return 0
			}
			return int(deref(s.Hours))*60 + int(deref(s.Minutes))
		}
		ranges = append(ranges, engine.HoursRange{Day: days[deref(c.Day)], Start: minutes(c.StartTime), End: minutes(c.EndTime)})
	}
	return engine.Open(ranges, loc, t), nil
}

// Metric answers CheckMetricData for a queue (r Queue, or an agent's
// queue for r User; "" is the target queue), from the instance's agents
// and live contacts at the run's time: agents are those whose routing
// profile (or own queue) serves the queue on any channel.
func (v *flowEnv) Metric(metricType string, r flow.Resource, idOrARN string) (int64, error) {
	queue := lastSegment(idOrARN)
	if queue == "" {
		queue = v.doc.QueueID
	}
	if queue == "" {
		return 0, v.branch(refuse("CheckMetricData: no queue given and no target queue set"))
	}
	if _, err := getChild(v.e.tx, v.e.sc, v.e.instanceID, switchboard.KindQueue, queue); err != nil {
		return 0, v.branch(err)
	}
	switch metricType {
	case "NumberOfContactsInQueue", "OldestContactInQueueAgeSeconds":
		queued, err := v.e.queued()
		if err != nil {
			return 0, v.branch(err)
		}
		var n int64
		var oldest time.Time
		for _, q := range queued {
			if q.Queue != queue {
				continue
			}
			n++
			if oldest.IsZero() || q.Enqueued.Before(oldest) {
				oldest = q.Enqueued
			}
		}
		if metricType == "NumberOfContactsInQueue" || n == 0 {
			return n, nil
		}
		return int64(v.now().Sub(oldest) / time.Second), nil
	}
	agents, err := v.e.queueAgents(queue)
	if err != nil {
		return 0, v.branch(err)
	}
	var n int64
	for _, a := range agents {
		switch metricType {
		case "NumberOfAgentsOnline":
			n++ // every agent with a status record but Offline
		case "NumberOfAgentsStaffed":
			if a.routable || len(a.status.Held) > 0 {
				n++
			}
		case "NumberOfAgentsAvailable":
			// Available for a contact of this one's channel now.
			ra := a.routing()
			ra.Busy = a.busy()
			if ra.Available && ra.CanTake(v.doc.Channel) {
				n++
			}
		default:
			return 0, v.branch(refuse("CheckMetricData: unknown metric %s", metricType))
		}
	}
	return n, nil
}

// lambdaStubDoc is a Lambda function's answer to flows, set through the
// test API: Response (string values) or, with Error, the error branch.
type lambdaStubDoc struct {
	Response map[string]string `json:"response,omitempty"`
	Error    string            `json:"error,omitempty"`
}

func lambdaStubKey(sc switchboard.Scope, arn string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindLambdaStub, ID: arn}
}

func (v *flowEnv) InvokeLambda(arn string, params map[string]string, timeLimit time.Duration) (map[string]string, error) {
	rec, err := v.e.tx.Get(lambdaStubKey(v.e.sc, arn))
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, v.branch(refuse("no stub answer is registered for Lambda function %s (POST /_switchboard/lambda-stubs)", arn))
	}
	if err != nil {
		return nil, v.branch(err)
	}
	var stub lambdaStubDoc
	if err := json.Unmarshal(rec.Data, &stub); err != nil {
		return nil, v.branch(refuse("stub of %s: %v", arn, err))
	}
	if stub.Error != "" {
		return nil, v.branch(refuse("Lambda function %s failed: %s", arn, stub.Error))
	}
	return stub.Response, nil
}

func (v *flowEnv) UpdateRoutingBehavior(priority, adjust int) error {
	if priority != 0 {
		v.doc.QueuePriority = int64(priority)
	}
	if adjust != 0 {
		v.doc.QueueTimeAdjustmentSeconds = int32(adjust)
	}
	return nil
}

func (v *flowEnv) TransferToFlow(idOrARN string) (*flow.Flow, flow.Kind, error) {
	id, _ := splitFlowID(idOrARN)
	_, fd, err := getFlowToRun(v.e.tx, v.e.sc, v.e.instanceID, id)
	if err != nil {
		return nil, "", v.branch(err)
	}
	f, problems := parsedFlows.parse(fd.Content)
	if f == nil {
		return nil, "", v.branch(refuse("flow %s cannot be read: %v", id, problems))
	}
	v.doc.FlowID = id
	return f, flow.Kind(fd.Type), nil
}

func (v *flowEnv) InvokeModule(idOrARN string) (*flow.Flow, error) {
	id := lastSegment(idOrARN)
	if i := strings.IndexByte(id, ':'); i >= 0 {
		id = id[:i]
	}
	rec, err := getChild(v.e.tx, v.e.sc, v.e.instanceID, switchboard.KindFlowModule, id)
	if err != nil {
		return nil, v.branch(err)
	}
	var md flowModuleDoc
	if err := decode(rec, &md); err != nil {
		return nil, v.branch(err)
	}
	f, problems := parsedFlows.parse(md.Content)
	if f == nil {
		return nil, v.branch(refuse("flow module %s cannot be read: %v", id, problems))
	}
	return f, nil
}

func (v *flowEnv) Wait(d time.Duration) bool {
	v.waited += d
	return true
}

func (v *flowEnv) Disconnect() {}

func (v *flowEnv) Trace(flow.Step) {}
