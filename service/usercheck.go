package service

import (
	"context"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// MemberError is a refusal of one member of a request, found by a check
// that runs before any change (CheckCreateUser). Err is the error the
// operation itself would answer with; Member is the request member it is
// about, in the model's spelling with dots between levels
// (IdentityInfo.Email, PhoneConfig.DeskPhoneNumber).
type MemberError struct {
	Member string
	Err    error
}

func (e *MemberError) Error() string { return e.Err.Error() }

func (e *MemberError) Unwrap() error { return e.Err }

// CheckCreateUser runs the checks CreateUser makes of its input beyond the
// generated validation (which the caller runs first, as the wire does),
// without creating anything: the identity-management rules of the
// instance, the user name's form, the phone settings and the routing
// profile's existence. A refusal is a *MemberError wrapping the error
// CreateUser would answer with. It does not check what only the write can
// (a user name taken meanwhile, the users-per-instance quota, security
// profiles and hierarchy group deleted meanwhile): CreateUser still may
// refuse what passed. Bulk import (internal/bulkusers) uses it to report
// every row's problems before creating any user.
func (s *Service) CheckCreateUser(ctx context.Context, in *api.CreateUserRequest) error {
	lists := channelLists{AutoAccept: in.AutoAcceptConfigs, ACW: in.AfterContactWorkConfigs, PhoneNumber: in.PhoneNumberConfigs, PersistentConnection: in.PersistentConnectionConfigs, VoiceEnhancement: in.VoiceEnhancementConfigs}
	if err := checkConflicts(in.PhoneConfig, &lists); err != nil {
		return &MemberError{Member: "PhoneConfig", Err: err}
	}
	if err := lists.validate(); err != nil {
		return &MemberError{Member: "PhoneConfig", Err: err}
	}
	if p := in.PhoneConfig; p != nil {
		// checkPhoneConfig's two rules, one member each.
		if err := checkPhoneConfig(&api.UserPhoneConfig{AfterContactWorkTimeLimit: p.AfterContactWorkTimeLimit}); err != nil {
			return &MemberError{Member: "PhoneConfig.AfterContactWorkTimeLimit", Err: err}
		}
		if err := checkPhoneConfig(p); err != nil {
			return &MemberError{Member: "PhoneConfig.DeskPhoneNumber", Err: err}
		}
	}
	sc := scope(ctx)
	return s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, idoc, err := s.viewInstance(tx, sc, deref(in.InstanceId))
		if err != nil {
			return &MemberError{Member: "InstanceId", Err: err}
		}
		idm := idoc.IdentityManagementType
		if err := checkUsername(deref(in.Username), idm); err != nil {
			return &MemberError{Member: "Username", Err: err}
		}
		if err := checkIdentityByMember(idm, in); err != nil {
			return err
		}
		if _, err := s.handledChannels(tx, sc, inst.ID, deref(in.RoutingProfileId)); err != nil {
			return &MemberError{Member: "RoutingProfileId", Err: err}
		}
		return nil
	})
}

// checkIdentityByMember runs checkIdentity one member at a time, the
// others given values it accepts, so that a refusal names its member;
// then once whole, so that nothing the split missed passes.
func checkIdentityByMember(idm string, in *api.CreateUserRequest) error {
	info := in.IdentityInfo
	if info == nil {
		info = &api.UserIdentityInfo{}
	}
	fine := ptr("x")
	steps := []struct {
		member string
		info   api.UserIdentityInfo
		pw     *string
		dir    *string
	}{
		{"Password", api.UserIdentityInfo{FirstName: fine, LastName: fine}, in.Password, nil},
		{"DirectoryUserId", api.UserIdentityInfo{FirstName: fine, LastName: fine}, in.Password, in.DirectoryUserId},
		{"IdentityInfo.FirstName", api.UserIdentityInfo{FirstName: info.FirstName, LastName: fine}, in.Password, nil},
		{"IdentityInfo.LastName", api.UserIdentityInfo{FirstName: fine, LastName: info.LastName}, in.Password, nil},
		{"IdentityInfo.Email", api.UserIdentityInfo{FirstName: fine, LastName: fine, Email: info.Email}, in.Password, nil},
		{"IdentityInfo.SecondaryEmail", api.UserIdentityInfo{FirstName: fine, LastName: fine, SecondaryEmail: info.SecondaryEmail}, in.Password, nil},
		{"IdentityInfo", *info, in.Password, in.DirectoryUserId},
	}
	for _, st := range steps {
		if err := checkIdentity(idm, &st.info, st.pw, st.dir, true); err != nil {
			return &MemberError{Member: st.member, Err: err}
		}
	}
	return nil
}
