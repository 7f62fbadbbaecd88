package console

import (
	"testing"

	"github.com/aws/smithy-go"
)

func TestPlaceErrorPutsMessagesAtTheirFields(t *testing.T) {
	for _, tc := range []struct {
		name, code, msg string
		field           string // "" : at the top
	}{
		{"model constraint", "InvalidParameterException", "1 validation error detected: Value '-1' at 'phoneConfig.afterContactWorkTimeLimit' failed to satisfy constraint: Member must have value greater than or equal to 0", "phoneconfig.aftercontactworktimelimit"},
		{"list member names its list", "InvalidParameterException", "1 validation error detected: Value 'FAX' at 'autoAcceptConfigs.1.member.channel' failed to satisfy constraint: Member must satisfy enum value set", "autoacceptconfigs"},
		{"hand-written message", "InvalidParameterException", "Username may contain only letters, digits and _ - . @", "username"},
		{"dotted member", "InvalidParameterException", "IdentityInfo.Email is not a valid e-mail address", "identityinfo.email"},
		{"list with a colon", "InvalidParameterException", "AfterContactWorkConfigs: AfterContactWorkTimeLimit 3000000 for channel CHAT is above the maximum of 2000000 seconds", "aftercontactworkconfigs"},
		{"duplicate", "DuplicateResourceException", "User with username a already exists in instance i", "username"},
		{"access denied", "AccessDeniedException", "User: arn:aws:iam::1:user/K is not authorized to perform: connect:CreateUser", ""},
		{"unknown member", "InvalidParameterException", "Frobnication is not allowed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fe := placeError(&smithy.GenericAPIError{Code: tc.code, Message: tc.msg}, userFields)
			if tc.field == "" {
				if len(fe.Fields) != 0 || len(fe.Top) != 1 || fe.Top[0] != tc.code+": "+tc.msg {
					t.Fatalf("want at the top with its code, got %+v", fe)
				}
				return
			}
			if fe.At(tc.field) == "" || len(fe.Top) != 0 {
				t.Fatalf("want at %s, got %+v", tc.field, fe)
			}
		})
	}
	t.Run("several violations go to several fields", func(t *testing.T) {
		fe := placeError(&smithy.GenericAPIError{Code: "InvalidParameterException", Message: "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; Value null at 'nothere' failed to satisfy constraint: Member must not be null"}, userFields)
		if fe.At("username") == "" || len(fe.Top) != 1 {
			t.Fatalf("got %+v", fe)
		}
	})
}
