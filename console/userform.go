package console

import (
	"maps"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// channels are the channels the per-channel settings may name; the
// model allows each in every list, and the API says which it refuses.
var channels = []string{"VOICE", "CHAT", "TASK", "EMAIL"}

// userForm is the user form as typed: strings, so that what was typed is
// sent (or shown again) as it is.
type userForm struct {
	Username, Password, DirectoryUserID                string
	FirstName, LastName, Email, SecondaryEmail, Mobile string
	// PhoneConfig: PhoneType, AutoAccept ("", "true", "false"),
	// AfterContactWorkTimeLimit, DeskPhoneNumber, PersistentConnection.
	PhoneType, AutoAccept, ACW, DeskPhone, Persistent string
	RoutingProfileID                                  string
	SecurityProfileIDs                                []string
	HierarchyGroupID                                  string
	Tags                                              string // key=value lines
	Channels                                          []channelRow
}

// channelRow is one channel's per-channel settings; an empty value
// leaves the channel out of that list.
type channelRow struct {
	Channel string
	// AutoAcceptConfigs
	AutoAccept, CallbackAutoAccept string
	// AfterContactWorkConfigs
	ACW, CallbackACW string
	// PhoneNumberConfigs
	PhoneType, PhoneNumber string
	// PersistentConnectionConfigs
	Persistent string
	// VoiceEnhancementConfigs
	VoiceEnhancement string
}

// userFields are the form's field keys: the lower-case member paths of
// CreateUser that API messages name (errors.go).
var userFields = map[string]bool{
	"username": true, "password": true, "directoryuserid": true,
	"identityinfo": true, "identityinfo.firstname": true, "identityinfo.lastname": true, "identityinfo.email": true,
	"identityinfo.secondaryemail": true, "identityinfo.mobile": true,
	"phoneconfig": true, "phoneconfig.phonetype": true, "phoneconfig.autoaccept": true,
	"phoneconfig.aftercontactworktimelimit": true, "phoneconfig.deskphonenumber": true, "phoneconfig.persistentconnection": true,
	"autoacceptconfigs": true, "aftercontactworkconfigs": true, "phonenumberconfigs": true,
	"persistentconnectionconfigs": true, "voiceenhancementconfigs": true,
	"routingprofileid": true, "securityprofileids": true, "hierarchygroupid": true, "tags": true,
}

// readUserForm reads a posted user form.
func readUserForm(v url.Values) userForm {
	g := func(k string) string { return v.Get(k) }
	f := userForm{
		Username: g("username"), Password: g("password"), DirectoryUserID: g("directoryuserid"),
		FirstName: g("identityinfo.firstname"), LastName: g("identityinfo.lastname"), Email: g("identityinfo.email"),
		SecondaryEmail: g("identityinfo.secondaryemail"), Mobile: g("identityinfo.mobile"),
		PhoneType: g("phoneconfig.phonetype"), AutoAccept: g("phoneconfig.autoaccept"), ACW: g("phoneconfig.aftercontactworktimelimit"),
		DeskPhone: g("phoneconfig.deskphonenumber"), Persistent: g("phoneconfig.persistentconnection"),
		RoutingProfileID: g("routingprofileid"), SecurityProfileIDs: v["securityprofileids"], HierarchyGroupID: g("hierarchygroupid"),
		Tags: g("tags"),
	}
	for _, ch := range channels {
		f.Channels = append(f.Channels, channelRow{Channel: ch,
			AutoAccept: g("aa." + ch), CallbackAutoAccept: g("aafc." + ch), ACW: g("acw." + ch), CallbackACW: g("acwfc." + ch),
			PhoneType: g("pt." + ch), PhoneNumber: g("pn." + ch), Persistent: g("pc." + ch), VoiceEnhancement: g("ve." + ch)})
	}
	return f
}

func boolText(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// userFormOf is the form showing a user as the API describes it.
func userFormOf(u *types.User) userForm {
	f := userForm{Username: str(u.Username), DirectoryUserID: str(u.DirectoryUserId), RoutingProfileID: str(u.RoutingProfileId),
		SecurityProfileIDs: u.SecurityProfileIds, HierarchyGroupID: str(u.HierarchyGroupId)}
	if i := u.IdentityInfo; i != nil {
		f.FirstName, f.LastName, f.Email, f.SecondaryEmail, f.Mobile = str(i.FirstName), str(i.LastName), str(i.Email), str(i.SecondaryEmail), str(i.Mobile)
	}
	if p := u.PhoneConfig; p != nil {
		f.PhoneType, f.AutoAccept, f.ACW = string(p.PhoneType), strconv.FormatBool(p.AutoAccept), strconv.Itoa(int(p.AfterContactWorkTimeLimit))
		f.DeskPhone, f.Persistent = str(p.DeskPhoneNumber), boolText(p.PersistentConnection)
	}
	rows := map[string]*channelRow{}
	for _, ch := range channels {
		rows[ch] = &channelRow{Channel: ch}
	}
	row := func(ch types.Channel) *channelRow {
		r := rows[string(ch)]
		if r == nil { // a channel newer than this console
			r = &channelRow{Channel: string(ch)}
			rows[string(ch)] = r
		}
		return r
	}
	for _, c := range u.AutoAcceptConfigs {
		r := row(c.Channel)
		r.AutoAccept, r.CallbackAutoAccept = strconv.FormatBool(c.AutoAccept), boolText(c.AgentFirstCallbackAutoAccept)
	}
	for _, c := range u.AfterContactWorkConfigs {
		r := row(c.Channel)
		if c.AfterContactWorkConfig != nil {
			r.ACW = strconv.Itoa(int(c.AfterContactWorkConfig.AfterContactWorkTimeLimit))
		}
		if c.AgentFirstCallbackAfterContactWorkConfig != nil {
			r.CallbackACW = strconv.Itoa(int(c.AgentFirstCallbackAfterContactWorkConfig.AfterContactWorkTimeLimit))
		}
	}
	for _, c := range u.PhoneNumberConfigs {
		r := row(c.Channel)
		r.PhoneType, r.PhoneNumber = string(c.PhoneType), str(c.PhoneNumber)
	}
	for _, c := range u.PersistentConnectionConfigs {
		row(c.Channel).Persistent = boolText(c.PersistentConnection)
	}
	for _, c := range u.VoiceEnhancementConfigs {
		row(c.Channel).VoiceEnhancement = string(c.VoiceEnhancementMode)
	}
	for _, ch := range channels {
		f.Channels = append(f.Channels, *rows[ch])
		delete(rows, ch)
	}
	for _, k := range slices.Sorted(maps.Keys(rows)) {
		f.Channels = append(f.Channels, *rows[k])
	}
	var tags []string
	for _, k := range slices.Sorted(maps.Keys(u.Tags)) {
		tags = append(tags, k+"="+u.Tags[k])
	}
	f.Tags = strings.Join(tags, "\n")
	return f
}

// userInput is a form turned into API members. The form checks nothing
// the API checks; it only reports what cannot be carried at all (a
// number that is not a whole number).
type userInput struct {
	identity       *types.UserIdentityInfo
	phone          *types.UserPhoneConfig
	autoAccept     []types.AutoAcceptConfig
	acw            []types.AfterContactWorkConfigPerChannel
	phoneNumbers   []types.PhoneNumberConfig
	persistent     []types.PersistentConnectionConfig
	voice          []types.VoiceEnhancementConfig
	tags           map[string]string
	hierarchyGroup *string
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optBool(s string) *bool {
	if s == "" {
		return nil
	}
	b := s == "true"
	return &b
}

func (f userForm) input(fe *formErrors) userInput {
	var in userInput
	num := func(key, s string) int32 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
		if err != nil {
			fe.field(key, "The API's AfterContactWorkTimeLimit is a whole number of seconds; "+strconv.Quote(s)+" is not one.")
		}
		return int32(n)
	}
	if f.FirstName+f.LastName+f.Email+f.SecondaryEmail+f.Mobile != "" {
		in.identity = &types.UserIdentityInfo{FirstName: opt(f.FirstName), LastName: opt(f.LastName), Email: opt(f.Email),
			SecondaryEmail: opt(f.SecondaryEmail), Mobile: opt(f.Mobile)}
	}
	if f.PhoneType+f.AutoAccept+f.ACW+f.DeskPhone+f.Persistent != "" {
		in.phone = &types.UserPhoneConfig{PhoneType: types.PhoneType(f.PhoneType), AutoAccept: f.AutoAccept == "true",
			AfterContactWorkTimeLimit: num("phoneconfig.aftercontactworktimelimit", f.ACW), DeskPhoneNumber: opt(f.DeskPhone),
			PersistentConnection: optBool(f.Persistent)}
	}
	for _, r := range f.Channels {
		ch := types.Channel(r.Channel)
		if r.AutoAccept+r.CallbackAutoAccept != "" {
			in.autoAccept = append(in.autoAccept, types.AutoAcceptConfig{Channel: ch, AutoAccept: r.AutoAccept == "true", AgentFirstCallbackAutoAccept: optBool(r.CallbackAutoAccept)})
		}
		if r.ACW+r.CallbackACW != "" {
			c := types.AfterContactWorkConfigPerChannel{Channel: ch, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: num("aftercontactworkconfigs", r.ACW)}}
			if r.CallbackACW != "" {
				c.AgentFirstCallbackAfterContactWorkConfig = &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: num("aftercontactworkconfigs", r.CallbackACW)}
			}
			in.acw = append(in.acw, c)
		}
		if r.PhoneType+r.PhoneNumber != "" {
			in.phoneNumbers = append(in.phoneNumbers, types.PhoneNumberConfig{Channel: ch, PhoneType: types.PhoneType(r.PhoneType), PhoneNumber: opt(r.PhoneNumber)})
		}
		if r.Persistent != "" {
			in.persistent = append(in.persistent, types.PersistentConnectionConfig{Channel: ch, PersistentConnection: optBool(r.Persistent)})
		}
		if r.VoiceEnhancement != "" {
			in.voice = append(in.voice, types.VoiceEnhancementConfig{Channel: ch, VoiceEnhancementMode: types.VoiceEnhancementMode(r.VoiceEnhancement)})
		}
	}
	in.tags = parseTags(f.Tags)
	in.hierarchyGroup = opt(f.HierarchyGroupID)
	return in
}

// parseTags reads key=value lines; a line without '=' is a key with an
// empty value. Blank lines are skipped.
func parseTags(s string) map[string]string {
	var tags map[string]string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if tags == nil {
			tags = map[string]string{}
		}
		k, v, _ := strings.Cut(line, "=")
		tags[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return tags
}

// createInput is CreateUser's input from the form. Required members are
// always sent (an empty one as empty), so that the API, not the SDK,
// judges them.
func (f userForm) createInput(inst string, fe *formErrors) *connect.CreateUserInput {
	in := f.input(fe)
	sps := f.SecurityProfileIDs
	if sps == nil {
		sps = []string{}
	}
	return &connect.CreateUserInput{
		InstanceId: aws.String(inst), Username: aws.String(f.Username), Password: opt(f.Password), DirectoryUserId: opt(f.DirectoryUserID),
		IdentityInfo: in.identity, PhoneConfig: in.phone, RoutingProfileId: aws.String(f.RoutingProfileID), SecurityProfileIds: sps,
		HierarchyGroupId: in.hierarchyGroup, AutoAcceptConfigs: in.autoAccept, AfterContactWorkConfigs: in.acw,
		PhoneNumberConfigs: in.phoneNumbers, PersistentConnectionConfigs: in.persistent, VoiceEnhancementConfigs: in.voice, Tags: in.tags,
	}
}

// sameSet says whether two id lists hold the same ids.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}
