package api_test

import (
	"encoding/json"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
)

// fullCreateUser sets every member CreateUser has, so decoding and
// validation visit every rule of the shape.
const fullCreateUser = `{"Username":"mary.major","Password":"Str0ngPassw0rd",
"IdentityInfo":{"FirstName":"Mary","LastName":"Major","Email":"mary@example.com","SecondaryEmail":"m2@example.com","Mobile":"+12065550100"},
"PhoneConfig":{"PhoneType":"DESK_PHONE","AutoAccept":true,"AfterContactWorkTimeLimit":30,"DeskPhoneNumber":"+12065550101"},
"DirectoryUserId":"dir-1","SecurityProfileIds":["0c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c","1c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c"],
"RoutingProfileId":"2c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c","HierarchyGroupId":"3c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c",
"Tags":{"team":"blue","site":"sea"}}`

// BenchmarkDecodeValidateCreateUser measures what the wire layer does to a
// CreateUser body before the handler runs: JSON decoding into the input
// shape, binding the instance label, and constraint validation.
func BenchmarkDecodeValidateCreateUser(b *testing.B) {
	body := []byte(fullCreateUser)
	labels := map[string]string{"InstanceId": "4c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c"}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		in := &api.CreateUserRequest{}
		if err := in.BindHTTP(&api.Binding{Labels: labels}); err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal(body, in); err != nil {
			b.Fatal(err)
		}
		if err := api.Validate(in); err != nil {
			b.Fatal(err)
		}
	}
}
