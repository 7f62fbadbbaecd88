package service

import (
	"sort"

	"github.com/switchboard-dev/switchboard/api"
)

// A user's contact-handling settings are kept in one form only: the
// per-channel lists (AutoAcceptConfigs, AfterContactWorkConfigs,
// PhoneNumberConfigs, PersistentConnectionConfigs, VoiceEnhancementConfigs).
// The legacy PhoneConfig is a view of their VOICE entries, and a PhoneConfig
// that is written is translated into VOICE entries (its after-contact-work
// limit into an entry for every channel the user handles, as
// UpdateUserPhoneConfig is documented to do). docs/BEHAVIOUR.md explains
// the choice.

// maxACW is the documented upper bound of an after-contact-work limit in
// seconds (24 days); the model itself only says "at least 0".
const maxACW = 2000000

// channelOrder is the order lists are returned in (the model's enum order).
var channelOrder = map[string]int{api.ChannelVoice: 0, api.ChannelChat: 1, api.ChannelTask: 2, api.ChannelEmail: 3}

// channelLists are the five per-channel lists of a user or of a request.
type channelLists struct {
	AutoAccept           []api.AutoAcceptConfig                 `json:"autoAccept,omitempty"`
	ACW                  []api.AfterContactWorkConfigPerChannel `json:"acw,omitempty"`
	PhoneNumber          []api.PhoneNumberConfig                `json:"phoneNumber,omitempty"`
	PersistentConnection []api.PersistentConnectionConfig       `json:"persistentConnection,omitempty"`
	VoiceEnhancement     []api.VoiceEnhancementConfig           `json:"voiceEnhancement,omitempty"`
}

// validate applies the rules the model states only in prose: one entry per
// channel, VOICE-only lists and members, the ACW bound, and a number for
// desk phones.
func (l *channelLists) validate() error {
	seen := func(list string, channels []string) error {
		got := map[string]bool{}
		for _, c := range channels {
			if got[c] {
				return invalidParameter("%s has more than one entry for channel %s", list, c)
			}
			got[c] = true
		}
		return nil
	}
	voiceOnly := func(list string, channels []string) error {
		for _, c := range channels {
			if c != api.ChannelVoice {
				return invalidParameter("%s supports only the VOICE channel, not %s", list, c)
			}
		}
		return nil
	}
	var chans []string
	for _, c := range l.AutoAccept {
		chans = append(chans, deref(c.Channel))
		if c.AgentFirstCallbackAutoAccept != nil && deref(c.Channel) != api.ChannelVoice {
			return invalidParameter("AutoAcceptConfigs: AgentFirstCallbackAutoAccept applies only to the VOICE channel, not %s", deref(c.Channel))
		}
	}
	if err := seen("AutoAcceptConfigs", chans); err != nil {
		return err
	}
	chans = chans[:0]
	for _, c := range l.ACW {
		chans = append(chans, deref(c.Channel))
		if c.AgentFirstCallbackAfterContactWorkConfig != nil && deref(c.Channel) != api.ChannelVoice {
			return invalidParameter("AfterContactWorkConfigs: AgentFirstCallbackAfterContactWorkConfig applies only to the VOICE channel, not %s", deref(c.Channel))
		}
		for _, w := range []*api.AfterContactWorkConfig{c.AfterContactWorkConfig, c.AgentFirstCallbackAfterContactWorkConfig} {
			if w != nil && deref(w.AfterContactWorkTimeLimit) > maxACW {
				return invalidParameter("AfterContactWorkConfigs: AfterContactWorkTimeLimit %d for channel %s is above the maximum of %d seconds", deref(w.AfterContactWorkTimeLimit), deref(c.Channel), maxACW)
			}
		}
	}
	if err := seen("AfterContactWorkConfigs", chans); err != nil {
		return err
	}
	chans = chans[:0]
	for _, c := range l.PhoneNumber {
		chans = append(chans, deref(c.Channel))
		if deref(c.PhoneType) == api.PhoneTypeDeskPhone && deref(c.PhoneNumber) == "" {
			return invalidParameter("PhoneNumberConfigs: a PhoneNumber is required when PhoneType is DESK_PHONE")
		}
	}
	if err := voiceOnly("PhoneNumberConfigs", chans); err != nil {
		return err
	}
	if err := seen("PhoneNumberConfigs", chans); err != nil {
		return err
	}
	chans = chans[:0]
	for _, c := range l.PersistentConnection {
		chans = append(chans, deref(c.Channel))
	}
	if err := voiceOnly("PersistentConnectionConfigs", chans); err != nil {
		return err
	}
	if err := seen("PersistentConnectionConfigs", chans); err != nil {
		return err
	}
	chans = chans[:0]
	for _, c := range l.VoiceEnhancement {
		chans = append(chans, deref(c.Channel))
	}
	if err := voiceOnly("VoiceEnhancementConfigs", chans); err != nil {
		return err
	}
	return seen("VoiceEnhancementConfigs", chans)
}

// checkPhoneConfig applies UserPhoneConfig's prose rules.
func checkPhoneConfig(p *api.UserPhoneConfig) error {
	if p == nil {
		return nil
	}
	if deref(p.AfterContactWorkTimeLimit) > maxACW {
		return invalidParameter("PhoneConfig.AfterContactWorkTimeLimit %d is above the maximum of %d seconds", deref(p.AfterContactWorkTimeLimit), maxACW)
	}
	if deref(p.PhoneType) == api.PhoneTypeDeskPhone && deref(p.DeskPhoneNumber) == "" {
		return invalidParameter("PhoneConfig.DeskPhoneNumber is required when PhoneType is DESK_PHONE")
	}
	return nil
}

// checkConflicts refuses a PhoneConfig member sent together with the
// channel list that replaces it. Only members present in the JSON count:
// the Go SDK leaves out AutoAccept=false and AfterContactWorkTimeLimit=0, so
// those never conflict when sent by it.
func checkConflicts(p *api.UserPhoneConfig, l *channelLists) error {
	if p == nil {
		return nil
	}
	conflict := func(member, list string) error {
		return invalidRequest("PhoneConfig.%s cannot be set together with %s: use one or the other", member, list)
	}
	switch {
	case p.AutoAccept != nil && l.AutoAccept != nil:
		return conflict("AutoAccept", "AutoAcceptConfigs")
	case p.AfterContactWorkTimeLimit != nil && l.ACW != nil:
		return conflict("AfterContactWorkTimeLimit", "AfterContactWorkConfigs")
	case p.PhoneType != nil && l.PhoneNumber != nil:
		return conflict("PhoneType", "PhoneNumberConfigs")
	case p.DeskPhoneNumber != nil && l.PhoneNumber != nil:
		return conflict("DeskPhoneNumber", "PhoneNumberConfigs")
	case p.PersistentConnection != nil && l.PersistentConnection != nil:
		return conflict("PersistentConnection", "PersistentConnectionConfigs")
	}
	return nil
}

// mergeByChannel returns cur with every entry of upd replacing the entry of
// the same channel (or added), sorted by channel.
func mergeByChannel[T any](cur, upd []T, channel func(*T) string) []T {
	byCh := map[string]T{}
	for _, e := range cur {
		byCh[channel(&e)] = e
	}
	for _, e := range upd {
		byCh[channel(&e)] = e
	}
	out := make([]T, 0, len(byCh))
	for _, e := range byCh {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return channelOrder[channel(&out[i])] < channelOrder[channel(&out[j])] })
	return out
}

// merge applies upd to l channel by channel; a list upd leaves nil is kept.
func (l *channelLists) merge(upd *channelLists) {
	l.AutoAccept = mergeByChannel(l.AutoAccept, upd.AutoAccept, func(c *api.AutoAcceptConfig) string { return deref(c.Channel) })
	l.ACW = mergeByChannel(l.ACW, upd.ACW, func(c *api.AfterContactWorkConfigPerChannel) string { return deref(c.Channel) })
	l.PhoneNumber = mergeByChannel(l.PhoneNumber, upd.PhoneNumber, func(c *api.PhoneNumberConfig) string { return deref(c.Channel) })
	l.PersistentConnection = mergeByChannel(l.PersistentConnection, upd.PersistentConnection, func(c *api.PersistentConnectionConfig) string { return deref(c.Channel) })
	l.VoiceEnhancement = mergeByChannel(l.VoiceEnhancement, upd.VoiceEnhancement, func(c *api.VoiceEnhancementConfig) string { return deref(c.Channel) })
}

// applyPhoneConfig writes PhoneConfig's members into the channel lists.
// replace is UpdateUserPhoneConfig's semantics, where the SDK's omission of
// AutoAccept=false and AfterContactWorkTimeLimit=0 must mean those values;
// on create, absent members leave the defaults. handled are the channels
// the user's routing profile serves, which receive the ACW limit.
func (l *channelLists) applyPhoneConfig(p *api.UserPhoneConfig, replace bool, handled []string) {
	if p == nil {
		return
	}
	if p.AutoAccept != nil || replace {
		l.AutoAccept = mergeByChannel(l.AutoAccept, []api.AutoAcceptConfig{{Channel: ptr(api.ChannelVoice), AutoAccept: ptr(deref(p.AutoAccept))}},
			func(c *api.AutoAcceptConfig) string { return deref(c.Channel) })
	}
	if p.AfterContactWorkTimeLimit != nil || replace {
		var acw []api.AfterContactWorkConfigPerChannel
		for _, ch := range handled {
			acw = append(acw, api.AfterContactWorkConfigPerChannel{Channel: ptr(ch), AfterContactWorkConfig: &api.AfterContactWorkConfig{AfterContactWorkTimeLimit: ptr(deref(p.AfterContactWorkTimeLimit))}})
		}
		l.ACW = mergeByChannel(l.ACW, acw, func(c *api.AfterContactWorkConfigPerChannel) string { return deref(c.Channel) })
	}
	if p.PhoneType != nil || p.DeskPhoneNumber != nil {
		cur := l.voicePhone()
		typ, num := deref(cur.PhoneType), cur.PhoneNumber
		if p.PhoneType != nil {
			typ = *p.PhoneType
		}
		if typ == "" {
			typ = api.PhoneTypeSoftPhone
		}
		if p.DeskPhoneNumber != nil {
			num = p.DeskPhoneNumber
		}
		l.PhoneNumber = mergeByChannel(l.PhoneNumber, []api.PhoneNumberConfig{{Channel: ptr(api.ChannelVoice), PhoneType: ptr(typ), PhoneNumber: num}},
			func(c *api.PhoneNumberConfig) string { return deref(c.Channel) })
	}
	if p.PersistentConnection != nil {
		l.PersistentConnection = mergeByChannel(l.PersistentConnection, []api.PersistentConnectionConfig{{Channel: ptr(api.ChannelVoice), PersistentConnection: p.PersistentConnection}},
			func(c *api.PersistentConnectionConfig) string { return deref(c.Channel) })
	}
}

func (l *channelLists) voicePhone() api.PhoneNumberConfig {
	for _, c := range l.PhoneNumber {
		if deref(c.Channel) == api.ChannelVoice {
			return c
		}
	}
	return api.PhoneNumberConfig{}
}

// phoneConfig is the PhoneConfig view of the VOICE entries. acwScale
// converts seconds for SearchUsers, which reports milliseconds.
func (l *channelLists) phoneConfig(acwScale int32) *api.UserPhoneConfig {
	p := &api.UserPhoneConfig{PhoneType: ptr(api.PhoneTypeSoftPhone), AutoAccept: ptr(false), AfterContactWorkTimeLimit: ptr(int32(0)), PersistentConnection: ptr(false)}
	if v := l.voicePhone(); v.PhoneType != nil {
		p.PhoneType, p.DeskPhoneNumber = v.PhoneType, v.PhoneNumber
	}
	for _, c := range l.AutoAccept {
		if deref(c.Channel) == api.ChannelVoice {
			p.AutoAccept = ptr(deref(c.AutoAccept))
		}
	}
	for _, c := range l.ACW {
		if deref(c.Channel) == api.ChannelVoice && c.AfterContactWorkConfig != nil {
			p.AfterContactWorkTimeLimit = ptr(deref(c.AfterContactWorkConfig.AfterContactWorkTimeLimit) * acwScale)
		}
	}
	for _, c := range l.PersistentConnection {
		if deref(c.Channel) == api.ChannelVoice {
			p.PersistentConnection = ptr(deref(c.PersistentConnection))
		}
	}
	return p
}

// normalize fills the defaults the SDKs leave out of list entries, so a
// stored entry always reads back complete: AutoAccept false, ACW 0.
func (l *channelLists) normalize() {
	for i := range l.AutoAccept {
		if l.AutoAccept[i].AutoAccept == nil {
			l.AutoAccept[i].AutoAccept = ptr(false)
		}
	}
	for i := range l.ACW {
		c := &l.ACW[i]
		if c.AfterContactWorkConfig == nil {
			c.AfterContactWorkConfig = &api.AfterContactWorkConfig{}
		}
		if c.AfterContactWorkConfig.AfterContactWorkTimeLimit == nil {
			c.AfterContactWorkConfig.AfterContactWorkTimeLimit = ptr(int32(0))
		}
		if w := c.AgentFirstCallbackAfterContactWorkConfig; w != nil && w.AfterContactWorkTimeLimit == nil {
			w.AfterContactWorkTimeLimit = ptr(int32(0))
		}
	}
}
