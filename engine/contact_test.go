package engine

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// TestContactLifecycleRecordsEachTimestampOnce walks a contact through the
// whole table and checks what each step records.
func TestContactLifecycleRecordsEachTimestampOnce(t *testing.T) {
	c := &Contact{ID: "c1", State: StateInitiated, InitiationTimestamp: t0}
	steps := []State{StateQueued, StateConnecting, StateQueued, StateConnecting, StateConnected, StateAfterContactWork, StateEnded}
	for i, to := range steps {
		if _, err := c.Transition(to, t0.Add(time.Duration(i+1)*time.Second)); err != nil {
			t.Fatalf("step %d to %s: %v", i, to, err)
		}
	}
	at := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	for name, got := range map[string]struct {
		p    *time.Time
		want time.Time
	}{
		"enqueue (first queueing kept)": {c.EnqueueTimestamp, at(1)},
		"ring start (first offer kept)": {c.RingStartTimestamp, at(2)},
		"accepted":                      {c.AcceptedByAgentTimestamp, at(5)},
		"connected to agent":            {c.ConnectedToAgentTimestamp, at(5)},
		"disconnect at the end of talk": {c.DisconnectTimestamp, at(6)},
		"after contact work start":      {c.AfterContactWorkStartTimestamp, at(6)},
		"after contact work end":        {c.AfterContactWorkEndTimestamp, at(7)},
	} {
		if got.p == nil || !got.p.Equal(got.want) {
			t.Errorf("%s: %v, want %v", name, got.p, got.want)
		}
	}
	if !c.Ended() || !c.LastUpdateTimestamp.Equal(at(7)) {
		t.Errorf("state %s, last update %v", c.State, c.LastUpdateTimestamp)
	}
}

// TestTransitionRefusesWhatTheTableDoesNotAllow: every pair of states not
// in the table is refused with a *TransitionError and changes nothing.
func TestTransitionRefusesWhatTheTableDoesNotAllow(t *testing.T) {
	states := []State{StateScheduled, StateInitiated, StateQueued, StateConnecting, StateConnected, StateAfterContactWork, StateEnded}
	for _, from := range states {
		for _, to := range states {
			c := &Contact{ID: "c", State: from}
			_, err := c.Transition(to, t0)
			if Allowed(from, to) {
				if err != nil || c.State != to {
					t.Errorf("%s -> %s: %v", from, to, err)
				}
				continue
			}
			var te *TransitionError
			if !errors.As(err, &te) || te.From != from || te.To != to || c.State != from || c.DisconnectTimestamp != nil {
				t.Errorf("%s -> %s: got %v, state %s", from, to, err, c.State)
			}
		}
	}
}

// TestOnlyEndedIsTerminal: every state but ENDED has a way out, and every
// state can reach ENDED in one step except through after contact work.
func TestOnlyEndedIsTerminal(t *testing.T) {
	for _, s := range []State{StateScheduled, StateInitiated, StateQueued, StateConnecting, StateConnected, StateAfterContactWork} {
		if s.Terminal() {
			t.Errorf("%s is terminal", s)
		}
		if !Allowed(s, StateEnded) {
			t.Errorf("%s cannot end", s)
		}
	}
	if !StateEnded.Terminal() {
		t.Error("ENDED is not terminal")
	}
}

// TestStoppingAnInitiatedContactRecordsTheDisconnect: the move StopContact
// makes before routing exists.
func TestStoppingAnInitiatedContactRecordsTheDisconnect(t *testing.T) {
	c := &Contact{ID: "c", State: StateInitiated}
	if _, err := c.Transition(StateEnded, t0); err != nil {
		t.Fatal(err)
	}
	if c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(t0) || c.EnqueueTimestamp != nil {
		t.Errorf("%+v", c)
	}
}

// TestTransitionTableListsEveryRule: the docs' table has one row per rule.
func TestTransitionTableListsEveryRule(t *testing.T) {
	table := TransitionTable()
	if rows := strings.Count(table, "\n") - 2; rows != len(Transitions) {
		t.Errorf("%d rows for %d rules:\n%s", rows, len(Transitions), table)
	}
	if !strings.Contains(table, "| CONNECTED | AFTER_CONTACT_WORK |") {
		t.Errorf("table:\n%s", table)
	}
}

func TestAttributeBytesCountsKeysAndValues(t *testing.T) {
	if n := AttributeBytes(map[string]string{"ab": "cd", "é": ""}); n != 6 {
		t.Errorf("%d, want 6", n)
	}
}

func TestStopReasonPerChannel(t *testing.T) {
	for ch, want := range map[Channel]string{ChannelTask: "API", ChannelVoice: "OTHER", ChannelChat: "", ChannelEmail: ""} {
		if got := StopReason(ch); got != want {
			t.Errorf("%s: %q, want %q", ch, got, want)
		}
	}
}
