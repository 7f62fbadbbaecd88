package engine

import (
	"reflect"
	"testing"
	"time"
)

func TestAssign(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	agent := func(id string, idle int, routes map[QueueChannel]QueueRoute, caps map[Channel]Capacity) *Agent {
		return &Agent{ID: id, Available: true, IdleSince: sec(idle), Queues: routes, Capacity: caps}
	}
	taskOnly := map[Channel]Capacity{ChannelTask: {Max: 1}}
	q1 := map[QueueChannel]QueueRoute{{"q1", ChannelTask}: {Priority: 1}}
	cases := []struct {
		name    string
		agents  []*Agent
		waiting []Waiting
		now     time.Time
		want    []Assignment
		next    time.Time
	}{
		{
			name:    "longest idle agent first",
			agents:  []*Agent{agent("a", 50, q1, taskOnly), agent("b", 10, q1, taskOnly)},
			waiting: []Waiting{{ContactID: "c1", Queue: "q1", Channel: ChannelTask, Enqueued: sec(60)}},
			now:     sec(60),
			want:    []Assignment{{"c1", "b"}},
		},
		{
			name:   "oldest contact first",
			agents: []*Agent{agent("a", 0, q1, taskOnly)},
			waiting: []Waiting{
				{ContactID: "young", Queue: "q1", Channel: ChannelTask, Enqueued: sec(30)},
				{ContactID: "old", Queue: "q1", Channel: ChannelTask, Enqueued: sec(10)},
			},
			now:  sec(60),
			want: []Assignment{{"old", "a"}},
		},
		{
			name:   "contact priority before age",
			agents: []*Agent{agent("a", 0, q1, taskOnly)},
			waiting: []Waiting{
				{ContactID: "old", Queue: "q1", Channel: ChannelTask, Enqueued: sec(10)},
				{ContactID: "urgent", Queue: "q1", Channel: ChannelTask, Enqueued: sec(30), Priority: 1},
			},
			now:  sec(60),
			want: []Assignment{{"urgent", "a"}},
		},
		{
			name:   "queue time adjustment makes a contact older",
			agents: []*Agent{agent("a", 0, q1, taskOnly)},
			waiting: []Waiting{
				{ContactID: "old", Queue: "q1", Channel: ChannelTask, Enqueued: sec(10)},
				{ContactID: "adjusted", Queue: "q1", Channel: ChannelTask, Enqueued: sec(30), AdjustSeconds: 25},
			},
			now:  sec(60),
			want: []Assignment{{"adjusted", "a"}},
		},
		{
			name: "routing profile priority before the contact's age",
			agents: []*Agent{agent("a", 0, map[QueueChannel]QueueRoute{
				{"q1", ChannelTask}: {Priority: 1}, {"q2", ChannelTask}: {Priority: 2},
			}, taskOnly)},
			waiting: []Waiting{
				{ContactID: "in-q2", Queue: "q2", Channel: ChannelTask, Enqueued: sec(0)},
				{ContactID: "in-q1", Queue: "q1", Channel: ChannelTask, Enqueued: sec(50)},
			},
			now:  sec(60),
			want: []Assignment{{"in-q1", "a"}},
		},
		{
			name:    "delay holds a contact back until it has waited long enough",
			agents:  []*Agent{agent("a", 0, map[QueueChannel]QueueRoute{{"q1", ChannelTask}: {Priority: 1, Delay: 30 * time.Second}}, taskOnly)},
			waiting: []Waiting{{ContactID: "c1", Queue: "q1", Channel: ChannelTask, Enqueued: sec(50)}},
			now:     sec(60),
			next:    sec(80),
		},
		{
			name:    "an unavailable agent receives nothing",
			agents:  []*Agent{{ID: "a", Queues: q1, Capacity: taskOnly}},
			waiting: []Waiting{{ContactID: "c1", Queue: "q1", Channel: ChannelTask, Enqueued: sec(0)}},
			now:     sec(60),
		},
		{
			name:    "a queue the agent does not serve",
			agents:  []*Agent{agent("a", 0, q1, taskOnly)},
			waiting: []Waiting{{ContactID: "c1", Queue: "q2", Channel: ChannelTask, Enqueued: sec(0)}},
			now:     sec(60),
		},
		{
			name:    "a channel the queue config does not name",
			agents:  []*Agent{agent("a", 0, q1, map[Channel]Capacity{ChannelTask: {Max: 1}, ChannelChat: {Max: 1}})},
			waiting: []Waiting{{ContactID: "c1", Queue: "q1", Channel: ChannelChat, Enqueued: sec(0)}},
			now:     sec(60),
		},
		{
			name:   "concurrency fills every slot, one per round",
			agents: []*Agent{agent("a", 0, map[QueueChannel]QueueRoute{{"q1", ChannelChat}: {Priority: 1}}, map[Channel]Capacity{ChannelChat: {Max: 2}})},
			waiting: []Waiting{
				{ContactID: "c1", Queue: "q1", Channel: ChannelChat, Enqueued: sec(1)},
				{ContactID: "c2", Queue: "q1", Channel: ChannelChat, Enqueued: sec(2)},
				{ContactID: "c3", Queue: "q1", Channel: ChannelChat, Enqueued: sec(3)},
			},
			now:  sec(60),
			want: []Assignment{{"c1", "a"}, {"c2", "a"}},
		},
		{
			name: "agents share contacts round by round",
			agents: []*Agent{
				agent("a", 0, map[QueueChannel]QueueRoute{{"q1", ChannelChat}: {Priority: 1}}, map[Channel]Capacity{ChannelChat: {Max: 2}}),
				agent("b", 5, map[QueueChannel]QueueRoute{{"q1", ChannelChat}: {Priority: 1}}, map[Channel]Capacity{ChannelChat: {Max: 2}}),
			},
			waiting: []Waiting{
				{ContactID: "c1", Queue: "q1", Channel: ChannelChat, Enqueued: sec(1)},
				{ContactID: "c2", Queue: "q1", Channel: ChannelChat, Enqueued: sec(2)},
				{ContactID: "c3", Queue: "q1", Channel: ChannelChat, Enqueued: sec(3)},
			},
			now:  sec(60),
			want: []Assignment{{"c1", "a"}, {"c2", "b"}, {"c3", "a"}},
		},
		{
			name: "current channel only blocks other channels",
			agents: []*Agent{{ID: "a", Available: true,
				Queues:   map[QueueChannel]QueueRoute{{"q1", ChannelTask}: {Priority: 1}, {"q1", ChannelChat}: {Priority: 1}},
				Capacity: map[Channel]Capacity{ChannelTask: {Max: 1}, ChannelChat: {Max: 2}},
				Busy:     map[Channel]int{ChannelChat: 1}}},
			waiting: []Waiting{{ContactID: "task", Queue: "q1", Channel: ChannelTask, Enqueued: sec(0)}},
			now:     sec(60),
		},
		{
			name: "any channel lets another channel in",
			agents: []*Agent{{ID: "a", Available: true,
				Queues:   map[QueueChannel]QueueRoute{{"q1", ChannelTask}: {Priority: 1}, {"q1", ChannelChat}: {Priority: 1}},
				Capacity: map[Channel]Capacity{ChannelTask: {Max: 1}, ChannelChat: {Max: 2, AnyChannel: true}},
				Busy:     map[Channel]int{ChannelChat: 1}}},
			waiting: []Waiting{{ContactID: "task", Queue: "q1", Channel: ChannelTask, Enqueued: sec(0)}},
			now:     sec(60),
			want:    []Assignment{{"task", "a"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, next := Assign(c.agents, c.waiting, c.now)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("assignments %v, want %v", got, c.want)
			}
			if !next.Equal(c.next) {
				t.Errorf("next %v, want %v", next, c.next)
			}
		})
	}
}
