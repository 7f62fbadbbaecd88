package service

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"golang.org/x/text/unicode/norm"
)

// userDoc is what the store keeps of a user besides the record's own fields
// (id, username as Name, tags, times). No password is kept, not even a hash:
// no Connect operation ever reads or checks one, so storing it would only
// add risk and cost to CreateUser.
type userDoc struct {
	userFields
	Channels channelLists `json:"channels"`
}

// userFields are the members of a user's document besides its channel
// lists. (Embedded, they encode exactly as if declared in userDoc.)
type userFields struct {
	IdentityInfo       api.UserIdentityInfo `json:"identityInfo"`
	DirectoryUserID    string               `json:"directoryUserId,omitempty"`
	SecurityProfileIDs []string             `json:"securityProfileIds"`
	RoutingProfileID   string               `json:"routingProfileId"`
	HierarchyGroupID   string               `json:"hierarchyGroupId,omitempty"`
	// AgentQueueID is the id of the user's stored AGENT queue record, in
	// instances created before AGENT queues were implied; "" when the
	// instance implies it (agentqueues.go), whose tags are then
	// AgentQueueTags.
	AgentQueueID   string            `json:"agentQueueId"`
	AgentQueueTags map[string]string `json:"agentQueueTags,omitempty"`
	// Proficiencies are the user's (attribute, value, level) entries
	// (proficiencies.go); each holds its predefined attribute.
	Proficiencies []api.UserProficiency `json:"proficiencies,omitempty"`
}

// userDocChannelsRaw is a user's document with the channel lists left
// undecoded, for readUserDoc.
type userDocChannelsRaw struct {
	userFields
	Channels json.RawMessage `json:"channels"`
}

// readUserDoc decodes a user's document for reading only: the channel
// lists, identical for most users and most of the decoding work, come
// from the service's docCache and are shared, so the result must not be
// modified (getUser gives a private copy to modify).
func (s *Service) readUserDoc(rec *switchboard.Record) (*userDoc, error) {
	var raw userDocChannelsRaw
	if err := decode(rec, &raw); err != nil {
		return nil, err
	}
	doc := &userDoc{userFields: raw.userFields}
	if len(raw.Channels) > 0 && string(raw.Channels) != "null" {
		ch, err := s.channelDocs.get(raw.Channels, func() string { return string(rec.Kind) + " " + rec.ID })
		if err != nil {
			return nil, err
		}
		doc.Channels = *ch
	}
	return doc, nil
}

// refs are the records a user points at; the store refuses to write a user
// whose targets are missing and to delete a target while a user holds it.
func (d *userDoc) refs() []switchboard.Ref {
	refs := []switchboard.Ref{{Kind: switchboard.KindRoutingProfile, ID: d.RoutingProfileID}}
	for _, id := range d.SecurityProfileIDs {
		refs = append(refs, switchboard.Ref{Kind: switchboard.KindSecurityProfile, ID: id})
	}
	if d.HierarchyGroupID != "" {
		refs = append(refs, switchboard.Ref{Kind: switchboard.KindHierarchyGroup, ID: d.HierarchyGroupID})
	}
	return append(refs, proficiencyRefs(d.Proficiencies)...)
}

func (s *Service) registerUsers() {
	handle(s, "CreateUser", s.createUser)
	handle(s, "DescribeUser", s.describeUser)
	handle(s, "ListUsers", s.listUsers)
	handle(s, "DeleteUser", s.deleteUser)
	handle(s, "UpdateUserIdentityInfo", s.updateUserIdentityInfo)
	handle(s, "UpdateUserPhoneConfig", s.updateUserPhoneConfig)
	handle(s, "UpdateUserConfig", s.updateUserConfig)
	handle(s, "UpdateUserRoutingProfile", s.updateUserRoutingProfile)
	handle(s, "UpdateUserSecurityProfiles", s.updateUserSecurityProfiles)
	handle(s, "UpdateUserHierarchy", s.updateUserHierarchy)
	handle(s, "SearchUsers", s.searchUsers)
}

var (
	// usernameChars is the documented character set of user names.
	usernameChars = regexp.MustCompile(`^[a-zA-Z0-9_.@-]+$`)
	// emailForm is what a user name containing @ must look like
	// (testuser@example.com, not testuser@example).
	emailForm = regexp.MustCompile(`^[^@]+@[^@.]+(\.[^@.]+)+$`)
	// secondaryEmail is the pattern UserIdentityInfo documents.
	secondaryEmail = regexp.MustCompile(`^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$`)
	// email is a plain address check for the primary Email, which the
	// model gives no pattern.
	email = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
)

// checkUsername applies the documented rules that the service is seen to
// enforce: up to 64 characters under SAML (otherwise the model's 100; the
// documented 20 is not enforced, docs/BEHAVIOUR.md), from [a-zA-Z0-9_-.@],
// with @ only in an e-mail address.
func checkUsername(name, idm string) error {
	if n := utf8.RuneCountInString(name); idm == api.DirectoryTypeSaml && n > 64 {
		return invalidParameter("Username must have at most 64 characters for SAML instances, got %d", n)
	}
	if !usernameChars.MatchString(name) {
		return invalidParameter("Username may contain only letters, digits and _ - . @")
	}
	for i := 0; i < len(name); i++ {
		if name[i] == '@' {
			if !emailForm.MatchString(name) {
				return invalidParameter("Username may contain @ only in an e-mail address such as user@example.com")
			}
			break
		}
	}
	return nil
}

// checkIdentity applies the identity-management rules of the instance to
// identity info, password and directory user id. creating is false for
// UpdateUserIdentityInfo, which has no password or directory id.
func checkIdentity(idm string, info *api.UserIdentityInfo, password, directoryUserID *string, creating bool) error {
	if info == nil {
		info = &api.UserIdentityInfo{}
	}
	switch idm {
	case api.DirectoryTypeConnectManaged:
		if creating && password == nil {
			return invalidParameter("Password is required for instances that use CONNECT_MANAGED identity management")
		}
	case api.DirectoryTypeSaml:
		if password != nil {
			return invalidParameter("Password must not be set for instances that use SAML identity management")
		}
		if directoryUserID != nil {
			return invalidParameter("DirectoryUserId must not be set for instances that use SAML identity management")
		}
	case api.DirectoryTypeExistingDirectory:
		if password != nil {
			return invalidParameter("Password must not be set for instances that use EXISTING_DIRECTORY identity management")
		}
	}
	if idm == api.DirectoryTypeConnectManaged || idm == api.DirectoryTypeSaml {
		if deref(info.FirstName) == "" {
			return invalidParameter("IdentityInfo.FirstName is required for instances that use %s identity management", idm)
		}
		if deref(info.LastName) == "" {
			return invalidParameter("IdentityInfo.LastName is required for instances that use %s identity management", idm)
		}
	}
	if idm == api.DirectoryTypeConnectManaged && utf8.RuneCountInString(deref(info.LastName)) > 256 {
		return invalidParameter("IdentityInfo.LastName must have at most 256 characters for CONNECT_MANAGED instances")
	}
	for member, v := range map[string]*string{"FirstName": info.FirstName, "LastName": info.LastName} {
		if v != nil && !norm.NFC.IsNormalString(*v) {
			return invalidParameter("IdentityInfo.%s must be in Unicode Normalization Form C (NFC)", member)
		}
	}
	if v := info.Email; v != nil && !email.MatchString(*v) {
		return invalidParameter("IdentityInfo.Email is not a valid e-mail address")
	}
	if v := info.SecondaryEmail; v != nil && (utf8.RuneCountInString(*v) > 265 || !secondaryEmail.MatchString(*v)) {
		return invalidParameter("IdentityInfo.SecondaryEmail is not a valid e-mail address")
	}
	return nil
}

// routingMediaDoc is the part of routingProfileDoc that handledChannels reads.
type routingMediaDoc struct {
	MediaConcurrencies []api.MediaConcurrency `json:"MediaConcurrencies,omitempty"`
}

// handledChannels are the channels a routing profile serves, which receive a
// PhoneConfig's after-contact-work limit.
func (s *Service) handledChannels(tx switchboard.Tx, sc switchboard.Scope, instanceID, routingProfileID string) ([]string, error) {
	rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindRoutingProfile, Parent: instanceID, ID: routingProfileID})
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, notFound("Routing profile %s not found in instance %s", routingProfileID, instanceID)
	}
	if err != nil {
		return nil, err
	}
	rp, err := s.routingMedia.get(rec.Data, func() string { return string(rec.Kind) + " " + rec.ID })
	if err != nil {
		return nil, err
	}
	chans := []string{api.ChannelVoice}
	for _, m := range rp.MediaConcurrencies {
		if c := deref(m.Channel); c != api.ChannelVoice {
			chans = append(chans, c)
		}
	}
	sort.Slice(chans, func(i, j int) bool { return channelOrder[chans[i]] < channelOrder[chans[j]] })
	return chans, nil
}

func (s *Service) createUser(ctx context.Context, in *api.CreateUserRequest) (*api.CreateUserResponse, error) {
	sc := scope(ctx)
	lists := channelLists{AutoAccept: in.AutoAcceptConfigs, ACW: in.AfterContactWorkConfigs, PhoneNumber: in.PhoneNumberConfigs, PersistentConnection: in.PersistentConnectionConfigs, VoiceEnhancement: in.VoiceEnhancementConfigs}
	if err := checkConflicts(in.PhoneConfig, &lists); err != nil {
		return nil, err
	}
	if err := lists.validate(); err != nil {
		return nil, err
	}
	if err := checkPhoneConfig(in.PhoneConfig); err != nil {
		return nil, err
	}
	userID, now := s.newID(), s.clock()
	var out *api.CreateUserResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, idoc, err := s.viewInstance(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if err := checkUsername(*in.Username, idoc.IdentityManagementType); err != nil {
			return err
		}
		if err := checkIdentity(idoc.IdentityManagementType, in.IdentityInfo, in.Password, in.DirectoryUserId, true); err != nil {
			return err
		}
		handled, err := s.handledChannels(tx, sc, inst.ID, *in.RoutingProfileId)
		if err != nil {
			return err
		}
		n, err := tx.Count(sc, switchboard.KindUser, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.UsersPerInstance {
			return limitExceeded("The maximum number of users per instance (%d) has been reached", s.quotas.UsersPerInstance)
		}
		var stored channelLists
		stored.merge(&lists)
		stored.applyPhoneConfig(in.PhoneConfig, false, handled)
		if len(stored.PhoneNumber) == 0 {
			// Every agent has a phone type; soft phone is Connect's default.
			stored.PhoneNumber = []api.PhoneNumberConfig{{Channel: ptr(api.ChannelVoice), PhoneType: ptr(api.PhoneTypeSoftPhone)}}
		}
		stored.normalize()
		var queueID string
		if !idoc.AgentQueuesImplied {
			queueID = s.newID()
		}
		doc := userDoc{userFields: userFields{
			DirectoryUserID:    deref(in.DirectoryUserId),
			SecurityProfileIDs: dedupe(in.SecurityProfileIds),
			RoutingProfileID:   *in.RoutingProfileId,
			HierarchyGroupID:   deref(in.HierarchyGroupId),
			AgentQueueID:       queueID,
		}, Channels: stored}
		if in.IdentityInfo != nil {
			doc.IdentityInfo = *in.IdentityInfo
		}
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindUser, Parent: inst.ID, ID: userID, Name: *in.Username, Data: encode(doc), Tags: copyTags(in.Tags), Refs: doc.refs(), Created: now, Modified: now}
		if err := tx.Insert(rec); err != nil {
			if errors.Is(err, switchboard.ErrAlreadyExists) {
				return duplicate("User with username %s already exists in instance %s", *in.Username, inst.ID)
			}
			return storeErr(err, "User")
		}
		if queueID != "" {
			// An instance created before AGENT queues were implied stores
			// one per user (agentqueues.go).
			queue := queueDoc{Queue: api.Queue{Status: ptr(api.QueueStatusEnabled)}, QueueType: api.QueueTypeAgent}
			if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindQueue, Parent: inst.ID, ID: queueID, Data: encode(queue), Created: now, Modified: now}); err != nil {
				return err
			}
		}
		out = &api.CreateUserResponse{UserId: ptr(userID), UserArn: ptr(resourceARN(sc, switchboard.KindUser, inst.ID, userID))}
		return nil
	})
	return out, err
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// getUser loads a user of an instance, or answers ResourceNotFoundException.
// The user is read first (getChild explains why that is enough); the
// instance only when the user is missing, to choose the error.
func getUser(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN, userID string) (*switchboard.Record, *userDoc, error) {
	rec, err := getChild(tx, sc, instanceIDOrARN, switchboard.KindUser, userID)
	if err != nil {
		return nil, nil, err
	}
	var doc userDoc
	if err := decode(rec, &doc); err != nil {
		return nil, nil, err
	}
	return rec, &doc, nil
}

// directoryUserNamespace names the UUIDs directoryUserID derives.
var directoryUserNamespace = uuid.MustParse("6f1c3c1e-3b55-4a59-9d2f-2f6a1c7c0e51")

// directoryUserID is a user's DirectoryUserId: the one given to CreateUser,
// or else one derived from the user's ARN. Real Connect sends one for every
// user, a UUID other than the user's id (the AWS CLI's describe-user
// example; Terraform's testAccUser_basic asserts one is set though its
// config gives none). Deriving it, rather than storing a random one, keeps
// it stable across reads, restarts and replicas for users stored before it
// existed too. It is uuid.NewSHA1(directoryUserNamespace, arn), computed
// without its allocations: DescribeUser and every SearchUsers result pay
// for it.
func directoryUserID(arn string, doc *userDoc) string {
	if doc.DirectoryUserID != "" {
		return doc.DirectoryUserID
	}
	var buf [256]byte
	b := append(append(buf[:0], directoryUserNamespace[:]...), arn...)
	sum := sha1.Sum(b)
	var u uuid.UUID
	copy(u[:], sum[:])
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}

func userShape(rec *switchboard.Record, doc *userDoc) *api.User {
	info := doc.IdentityInfo
	arn := resourceARN(rec.Scope, switchboard.KindUser, rec.Parent, rec.ID)
	u := &api.User{
		Id:                          ptr(rec.ID),
		Arn:                         &arn,
		Username:                    ptr(rec.Name),
		IdentityInfo:                &info,
		PhoneConfig:                 doc.Channels.phoneConfig(1),
		DirectoryUserId:             ptr(directoryUserID(arn, doc)),
		SecurityProfileIds:          append([]string{}, doc.SecurityProfileIDs...),
		RoutingProfileId:            ptr(doc.RoutingProfileID),
		HierarchyGroupId:            optional(doc.HierarchyGroupID),
		Tags:                        copyTags(rec.Tags),
		AutoAcceptConfigs:           doc.Channels.AutoAccept,
		AfterContactWorkConfigs:     doc.Channels.ACW,
		PhoneNumberConfigs:          doc.Channels.PhoneNumber,
		PersistentConnectionConfigs: doc.Channels.PersistentConnection,
		VoiceEnhancementConfigs:     doc.Channels.VoiceEnhancement,
		LastModifiedTime:            ts(rec.Modified),
		LastModifiedRegion:          ptr(rec.Region),
	}
	return u
}

func (s *Service) describeUser(ctx context.Context, in *api.DescribeUserRequest) (*api.DescribeUserResponse, error) {
	var out *api.DescribeUserResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, scope(ctx), *in.InstanceId, switchboard.KindUser, *in.UserId)
		if err != nil {
			return err
		}
		doc, err := s.readUserDoc(rec)
		if err != nil {
			return err
		}
		out = &api.DescribeUserResponse{User: userShape(rec, doc)}
		return nil
	})
	return out, err
}

func (s *Service) listUsers(ctx context.Context, in *api.ListUsersRequest) (*userPage, error) {
	var out *userPage
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		out, err = listUserPage(tx, scope(ctx), *in.InstanceId, in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

func (s *Service) deleteUser(ctx context.Context, in *api.DeleteUserRequest) (*empty, error) {
	sc := scope(ctx)
	err := s.changeContacts(ctx, sc, instanceIDFrom(*in.InstanceId), func(e *engineTx, now time.Time) error {
		tx := e.tx
		rec, doc, err := getUser(tx, sc, *in.InstanceId, *in.UserId)
		if err != nil {
			return err
		}
		// The agent's contacts do not wait for a user who is gone
		// (contactagents.go).
		if err := e.releaseAgent(rec.ID, now); err != nil {
			return err
		}
		if err := bumpAgentGeneration(tx, sc, rec.Parent, now); err != nil {
			return err
		}
		if err := tx.Delete(rec.Key()); err != nil {
			return err
		}
		// The user's current agent status goes with the user (userstatus.go).
		if err := tx.Delete(switchboard.Key{Scope: sc, Kind: switchboard.KindUserStatus, Parent: rec.Parent, ID: rec.ID}); err != nil && !errors.Is(err, switchboard.ErrNotFound) {
			return err
		}
		if doc.AgentQueueID == "" {
			return nil // its AGENT queue was implied and goes with it
		}
		// The user's stored AGENT queue goes with the user.
		err = tx.Delete(switchboard.Key{Scope: sc, Kind: switchboard.KindQueue, Parent: rec.Parent, ID: doc.AgentQueueID})
		if errors.Is(err, switchboard.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// updateUser loads a user, lets change modify its document, and stores it
// with a fresh LastModifiedTime, mapping missing references to
// ResourceNotFoundException.
func (s *Service) updateUser(ctx context.Context, instanceID, userID string, change func(tx switchboard.Tx, rec *switchboard.Record, doc *userDoc, idm string) error) (*empty, error) {
	sc := scope(ctx)
	now := s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, doc, err := getUser(tx, sc, instanceID, userID)
		if err != nil {
			return err
		}
		_, idoc, err := s.viewInstance(tx, sc, instanceID)
		if err != nil {
			return err
		}
		if err := change(tx, rec, doc, idoc.IdentityManagementType); err != nil {
			return err
		}
		rec.Data, rec.Refs, rec.Modified = encode(doc), doc.refs(), now
		return storeErr(tx.Replace(rec), "User")
	})
}

func (s *Service) updateUserIdentityInfo(ctx context.Context, in *api.UpdateUserIdentityInfoRequest) (*empty, error) {
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(_ switchboard.Tx, _ *switchboard.Record, doc *userDoc, idm string) error {
		info := in.IdentityInfo
		if idm == api.DirectoryTypeExistingDirectory {
			cur := doc.IdentityInfo
			for member, pair := range map[string][2]*string{"FirstName": {info.FirstName, cur.FirstName}, "LastName": {info.LastName, cur.LastName}, "Email": {info.Email, cur.Email}} {
				if pair[0] != nil && deref(pair[0]) != deref(pair[1]) {
					return invalidRequest("IdentityInfo.%s cannot be changed for instances that use EXISTING_DIRECTORY identity management: the directory manages it", member)
				}
			}
			// Directory-managed names stay; the other members are replaced.
			info.FirstName, info.LastName, info.Email = cur.FirstName, cur.LastName, cur.Email
		}
		if err := checkIdentity(idm, info, nil, nil, false); err != nil {
			return err
		}
		doc.IdentityInfo = *info
		return nil
	})
}

func (s *Service) updateUserPhoneConfig(ctx context.Context, in *api.UpdateUserPhoneConfigRequest) (*empty, error) {
	if err := checkPhoneConfig(in.PhoneConfig); err != nil {
		return nil, err
	}
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(tx switchboard.Tx, rec *switchboard.Record, doc *userDoc, _ string) error {
		p := in.PhoneConfig
		if p.PhoneType == nil && p.DeskPhoneNumber == nil {
			// The model made PhoneType optional; an update without it keeps
			// the current phone.
		} else if typ := derefOr(p.PhoneType, deref(doc.Channels.voicePhone().PhoneType)); typ == api.PhoneTypeDeskPhone &&
			deref(p.DeskPhoneNumber) == "" && deref(doc.Channels.voicePhone().PhoneNumber) == "" {
			return invalidParameter("PhoneConfig.DeskPhoneNumber is required when PhoneType is DESK_PHONE")
		}
		handled, err := s.handledChannels(tx, rec.Scope, rec.Parent, doc.RoutingProfileID)
		if err != nil {
			return err
		}
		doc.Channels.applyPhoneConfig(p, true, handled)
		doc.Channels.normalize()
		return nil
	})
}

func (s *Service) updateUserConfig(ctx context.Context, in *api.UpdateUserConfigRequest) (*empty, error) {
	upd := channelLists{AutoAccept: in.AutoAcceptConfigs, ACW: in.AfterContactWorkConfigs, PhoneNumber: in.PhoneNumberConfigs, PersistentConnection: in.PersistentConnectionConfigs, VoiceEnhancement: in.VoiceEnhancementConfigs}
	if err := upd.validate(); err != nil {
		return nil, err
	}
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(_ switchboard.Tx, _ *switchboard.Record, doc *userDoc, _ string) error {
		doc.Channels.merge(&upd)
		doc.Channels.normalize()
		return nil
	})
}

func (s *Service) updateUserRoutingProfile(ctx context.Context, in *api.UpdateUserRoutingProfileRequest) (*empty, error) {
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(tx switchboard.Tx, rec *switchboard.Record, doc *userDoc, _ string) error {
		doc.RoutingProfileID = *in.RoutingProfileId
		return bumpAgentGeneration(tx, rec.Scope, rec.Parent, s.clock()) // agentindex.go
	})
}

func (s *Service) updateUserSecurityProfiles(ctx context.Context, in *api.UpdateUserSecurityProfilesRequest) (*empty, error) {
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(_ switchboard.Tx, _ *switchboard.Record, doc *userDoc, _ string) error {
		doc.SecurityProfileIDs = dedupe(in.SecurityProfileIds)
		return nil
	})
}

func (s *Service) updateUserHierarchy(ctx context.Context, in *api.UpdateUserHierarchyRequest) (*empty, error) {
	return s.updateUser(ctx, *in.InstanceId, *in.UserId, func(_ switchboard.Tx, _ *switchboard.Record, doc *userDoc, _ string) error {
		// An empty body (no HierarchyGroupId) detaches the user.
		doc.HierarchyGroupID = deref(in.HierarchyGroupId)
		return nil
	})
}
