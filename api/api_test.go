package api_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
)

func ptr[T any](v T) *T { return &v }

func validUser() *api.CreateUserRequest {
	return &api.CreateUserRequest{
		InstanceId:         ptr("11111111-2222-3333-4444-555555555555"),
		Username:           ptr("jdoe"),
		Password:           ptr("Passw0rd!"),
		RoutingProfileId:   ptr("rp"),
		SecurityProfileIds: []string{"sp"},
		IdentityInfo:       &api.UserIdentityInfo{FirstName: ptr("J"), LastName: ptr("D"), Mobile: ptr("+15550100")},
		Tags:               map[string]string{"team": "a"},
	}
}

// The generated checks enforce the model plus the overlay's corrections.
func TestGeneratedConstraints(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*api.CreateUserRequest)
		path   string // "" means valid
	}{
		{"valid request passes", func(*api.CreateUserRequest) {}, ""},
		{"missing required member", func(r *api.CreateUserRequest) { r.Username = nil }, "username"},
		{"username too long", func(r *api.CreateUserRequest) { r.Username = ptr(strings.Repeat("a", 101)) }, "username"},
		{"password without digit fails the corrected pattern", func(r *api.CreateUserRequest) { r.Password = ptr("Password!") }, "password"},
		{"password with whitespace", func(r *api.CreateUserRequest) { r.Password = ptr("Pass w0rd") }, "password"},
		{"mobile must be E.164", func(r *api.CreateUserRequest) { r.IdentityInfo.Mobile = ptr("555-0100") }, "identityInfo.mobile"},
		{"tag key with aws: prefix (lookahead)", func(r *api.CreateUserRequest) { r.Tags = map[string]string{"aws:x": "v"} }, "tags.aws:x"},
		{"too many security profiles", func(r *api.CreateUserRequest) { r.SecurityProfileIds = make([]string, 11) }, "securityProfileIds"},
		{"enum value", func(r *api.CreateUserRequest) { r.PhoneConfig = &api.UserPhoneConfig{PhoneType: ptr("FAX")} }, "phoneConfig.phoneType"},
		{"negative ACW", func(r *api.CreateUserRequest) {
			r.PhoneConfig = &api.UserPhoneConfig{AfterContactWorkTimeLimit: ptr(int32(-1))}
		}, "phoneConfig.afterContactWorkTimeLimit"},
		{"list element required member", func(r *api.CreateUserRequest) { r.AutoAcceptConfigs = []api.AutoAcceptConfig{{AutoAccept: ptr(true)}} }, "autoAcceptConfigs.1.member.channel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := validUser()
			c.mutate(r)
			err := api.Validate(r)
			if c.path == "" {
				if err != nil {
					t.Fatalf("unexpected: %v", err)
				}
				return
			}
			var ve *api.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want a validation error at %s, got %v", c.path, err)
			}
			if ve.Violations[0].Path != c.path {
				t.Fatalf("violation at %q, want %q (%v)", ve.Violations[0].Path, c.path, err)
			}
			if strings.Contains(err.Error(), "Pass") {
				t.Fatalf("sensitive value leaked into %q", err)
			}
		})
	}
}

func TestOperationTable(t *testing.T) {
	if len(api.Operations) != 380 {
		t.Fatalf("%d operations, the model has 380", len(api.Operations))
	}
	for _, op := range api.Operations {
		if op.NewInput() == nil || op.Method == "" || op.URI == "" || len(op.Errors) == 0 {
			t.Errorf("%s: incomplete entry", op.Name)
		}
		for _, e := range op.Errors {
			if ae := api.NewError(e.Name, "m"); ae.ErrorCode() != e.Name || ae.HTTPStatus() != e.Status || e.Status == 0 {
				t.Errorf("%s: error %s does not round trip (%d)", op.Name, e.Name, e.Status)
			}
		}
	}
}
