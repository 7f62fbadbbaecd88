package flow

// The interpreter's actions that read parameters beyond one string:
// attributes, routing, Lambda, loops, messages and participant input.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// param returns the string parameter name, if it is a JSON string.
func (r *run) param(a *Action, name string) (string, bool) {
	return rawString(a.Parameters[name])
}

// rawString decodes a JSON string.
func rawString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if s := raw[1 : len(raw)-1]; !slices.Contains(s, '\\') {
		return string(s), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// object reads a parameter that must be a JSON object with the package's
// own JSON reader, cheaper than encoding/json's map decoding.
func object(raw json.RawMessage) (*jdoc, bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	doc, err := parseJSON(string(raw))
	if err != "" {
		return nil, false
	}
	return doc, true
}

// intParam reads an integer parameter: a JSON number, a string holding
// one, or a "$." reference to one.
func (r *run) intParam(a *Action, name string) (int, error) {
	raw, ok := a.Parameters[name]
	if !ok {
		return 0, fmt.Errorf("%s is not given", name)
	}
	s, isStr := rawString(raw)
	if !isStr {
		s = string(raw)
	}
	v := r.value(s)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not an integer", name, v)
	}
	return n, nil
}

// queueOrAgent reads QueueId or AgentId: the resource and its id or ARN,
// ("queue", "") when neither is given.
func (r *run) queueOrAgent(a *Action) (Resource, string) {
	if id, ok := r.param(a, "AgentId"); ok {
		return User, r.value(id)
	}
	id, _ := r.param(a, "QueueId")
	return Queue, r.value(id)
}

func (r *run) loop(a *Action) (done, string) {
	n, err := r.intParam(a, "LoopCount")
	if err == nil && n < 0 {
		err = fmt.Errorf("LoopCount %d is negative", n)
	}
	if err != nil {
		return fail("NoMatchingError", "%v", err)
	}
	// "returns a result of "NotDone" a number of times equal to the
	// specified loop count, then "Done" once, then reset" — per action,
	// so a flow re-entering the loop later starts again.
	k := loopKey{r.top().f, a.Identifier}
	if c := r.loops[k]; c < n {
		r.loops[k] = c + 1
		return done{result: "ContinueLooping", cond: true}, ""
	}
	delete(r.loops, k)
	return done{result: "DoneLooping", cond: true}, ""
}

func (r *run) setAttributes(a *Action, st *Step) (done, string) {
	if t, ok := r.param(a, "TargetContact"); ok && t != "Current" {
		return fail("NoMatchingError", "TargetContact %q is not supported: only the current contact", t)
	}
	doc, ok := object(a.Parameters["Attributes"])
	if !ok {
		return fail("NoMatchingError", "Attributes is not an object")
	}
	attrs := make(map[string]string, doc.count(0))
	keys := make([]string, 0, doc.count(0))
	for m := doc.nodes[0].first; m >= 0; m = doc.nodes[m].next {
		n := &doc.nodes[m]
		if n.kind != jString {
			return fail("NoMatchingError", "attribute %q is not a string", n.key)
		}
		k := r.value(n.key)
		if _, dup := attrs[k]; !dup {
			keys = append(keys, k)
		}
		attrs[k] = r.value(n.str)
	}
	if err := r.env.SetAttributes(attrs); err != nil {
		return fail(branchOf(err), "%v", err)
	}
	slices.Sort(keys)
	st.Detail = strings.Join(keys, ",")
	return done{}, ""
}

func (r *run) routing(a *Action, st *Step) (done, string) {
	var prio, adj int
	var err error
	if _, ok := a.Parameters["QueuePriority"]; ok {
		if prio, err = r.intParam(a, "QueuePriority"); err == nil && prio <= 0 {
			err = fmt.Errorf("QueuePriority %d is not larger than zero", prio)
		}
	}
	if _, ok := a.Parameters["QueueTimeAdjustmentSeconds"]; ok && err == nil {
		adj, err = r.intParam(a, "QueueTimeAdjustmentSeconds")
	}
	if err != nil {
		return fail("NoMatchingError", "%v", err)
	}
	if prio == 0 && adj == 0 {
		st.Detail = "no priority or age change (RoutingProficiencies are not modelled)"
		return done{}, ""
	}
	if err := r.env.UpdateRoutingBehavior(prio, adj); err != nil {
		return fail(branchOf(err), "%v", err)
	}
	st.Detail = fmt.Sprintf("priority %d, age adjustment %ds", prio, adj)
	return done{}, ""
}

func (r *run) lambda(a *Action, st *Step) (done, string) {
	arn, _ := r.param(a, "LambdaFunctionARN")
	arn = r.value(arn)
	secs, err := r.intParam(a, "InvocationTimeLimitSeconds")
	if err != nil {
		return fail("NoMatchingError", "%v", err)
	}
	params := map[string]string{}
	if raw := a.Parameters["LambdaInvocationAttributes"]; raw != nil {
		doc, ok := object(raw)
		if !ok {
			return fail("NoMatchingError", "LambdaInvocationAttributes is not an object")
		}
		for m := doc.nodes[0].first; m >= 0; m = doc.nodes[m].next {
			v := doc.nodes[m].str
			if doc.nodes[m].kind != jString {
				v = doc.raw(m) // a number or other value, as written
			}
			params[r.value(doc.nodes[m].key)] = r.value(v)
		}
	}
	out, err := r.env.InvokeLambda(arn, params, time.Duration(secs)*time.Second)
	st.Detail = arn
	if err != nil {
		// $.External keeps the last successful answer.
		return fail(branchOf(err), "%v", err)
	}
	// "External attributes are overwritten with each invocation."
	r.external = out
	return done{}, ""
}

// message is one message to play: what it says and how long it takes.
type message struct {
	text string
	d    time.Duration
}

// messageOf reads PromptId, Text, SSML or Media from params; ok is false
// when none is given.
func (r *run) messageOf(params map[string]json.RawMessage) (message, bool) {
	m := message{d: r.opts.MessageDuration}
	if s, ok := rawString(params["Text"]); ok {
		m.text = r.interpolate(s)
	} else if s, ok := rawString(params["SSML"]); ok {
		m.text = r.interpolate(s)
		m.d += ssmlBreaks(s)
	} else if s, ok := rawString(params["PromptId"]); ok {
		m.text = "prompt " + r.value(s)
	} else if raw, ok := params["Media"]; ok {
		var media struct{ Uri string }
		_ = json.Unmarshal(raw, &media)
		m.text = "media " + r.interpolate(media.Uri)
	} else {
		return message{}, false
	}
	return m, true
}

// ssmlBreaks sums the <break time="..."/> pauses of an SSML text ("10s",
// "500ms"), which Connect plays as silence.
func ssmlBreaks(ssml string) time.Duration {
	var total time.Duration
	for rest := ssml; ; {
		i := strings.Index(rest, "<break")
		if i < 0 {
			return total
		}
		rest = rest[i+len("<break"):]
		tag, _, _ := strings.Cut(rest, ">")
		if _, v, ok := strings.Cut(tag, `time="`); ok {
			v, _, _ = strings.Cut(v, `"`)
			if d, err := time.ParseDuration(v); err == nil && d > 0 {
				total += d
			}
		}
	}
}

func (r *run) message(a *Action, st *Step) (done, string) {
	m, ok := r.messageOf(a.Parameters)
	if !ok {
		return fail("NoMatchingError", "no PromptId, Text, SSML or Media to play")
	}
	st.Detail = m.text
	if !r.wait(m.d, st) {
		return done{end: OutcomeStopped}, "the contact left during the message"
	}
	return done{}, ""
}

// messageIteratively plays Messages in a loop: until
// InterruptFrequencySeconds have passed (result MessagesInterrupted), or
// without it until the Env stops the run, each pass after the first
// counting as a step.
func (r *run) messageIteratively(a *Action, st *Step) (done, string) {
	// "If this action is used on the chat channel, it immediately takes
	// the error branch."
	if ch, _ := r.env.System("Channel"); ch == "CHAT" {
		return fail("NoMatchingError", "MessageParticipantIteratively is not supported on the chat channel")
	}
	var raw []map[string]json.RawMessage
	if json.Unmarshal(a.Parameters["Messages"], &raw) != nil || len(raw) == 0 {
		return fail("NoMatchingError", "Messages is not a non-empty array of messages")
	}
	msgs := make([]message, 0, len(raw))
	texts := make([]string, 0, len(raw))
	for _, p := range raw {
		m, ok := r.messageOf(p)
		if !ok {
			return fail("NoMatchingError", "a message has no PromptId, Text, SSML or Media")
		}
		msgs = append(msgs, m)
		texts = append(texts, m.text)
	}
	st.Detail = strings.Join(texts, " | ")
	var interrupt time.Duration
	if _, ok := a.Parameters["InterruptFrequencySeconds"]; ok {
		n, err := r.intParam(a, "InterruptFrequencySeconds")
		if err != nil || n <= 0 {
			return fail("NoMatchingError", "InterruptFrequencySeconds is not a positive integer")
		}
		interrupt = time.Duration(n) * time.Second
	}
	var elapsed time.Duration
	for pass := 0; ; pass++ {
		if pass > 0 {
			if r.res.Steps >= r.opts.MaxSteps {
				return done{end: OutcomeStepLimit}, "MessageParticipantIteratively played its messages until the step limit"
			}
			r.res.Steps++
		}
		for _, m := range msgs {
			d := m.d
			if interrupt > 0 && elapsed+d >= interrupt {
				if !r.wait(interrupt-elapsed, st) {
					return done{end: OutcomeStopped}, "the contact left during the messages"
				}
				return done{result: "MessagesInterrupted", cond: true}, ""
			}
			if !r.wait(d, st) {
				return done{end: OutcomeStopped}, "the contact left during the messages"
			}
			elapsed += d
		}
	}
}

// input gathers participant input: after the prompt, the InputSource's
// answer or, with none, InputTimeLimitSeconds of silence and the timeout
// error (InputTimeLimitExceeded, else NoMatchingError).
func (r *run) input(a *Action, st *Step) (done, string) {
	if ch, ok := r.env.System("Channel"); ok && ch != "" && ch != "VOICE" {
		return fail("NoMatchingError", "GetParticipantInput gathers DTMF: only the voice channel")
	}
	limit, err := r.intParam(a, "InputTimeLimitSeconds")
	if err == nil && limit <= 0 {
		err = strconv.ErrRange
	}
	if err != nil {
		return fail("NoMatchingError", "InputTimeLimitSeconds is not a positive integer")
	}
	if m, ok := r.messageOf(a.Parameters); ok {
		st.Detail = m.text
		if !r.wait(m.d, st) {
			return done{end: OutcomeStopped}, "the contact left during the prompt"
		}
	}
	d := time.Duration(limit) * time.Second
	var in string
	got := false
	if src, ok := r.env.(InputSource); ok {
		in, got = src.ParticipantInput(d)
	}
	if !got {
		if !r.wait(d, st) {
			return done{end: OutcomeStopped}, "the contact left while input was awaited"
		}
		return fail("InputTimeLimitExceeded", "no input within %ds", limit)
	}
	if s, _ := r.param(a, "StoreInput"); s == "True" {
		// Stored as $.StoredCustomerInput; "there is no run result and
		// conditions are not supported".
		r.stored = &in
		return done{}, ""
	}
	return done{result: in, cond: true}, ""
}
