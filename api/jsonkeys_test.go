package api_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
)

func TestDropInexactKeys(t *testing.T) {
	typ := reflect.TypeFor[*api.CreateUserRequest]()
	cases := []struct {
		name, in string
		check    func(t *testing.T, r *api.CreateUserRequest)
	}{
		{"top-level member in the wrong case is ignored", `{"username":"x","RoutingProfileId":"rp"}`, func(t *testing.T, r *api.CreateUserRequest) {
			if r.Username != nil || r.RoutingProfileId == nil || *r.RoutingProfileId != "rp" {
				t.Fatalf("Username %v, RoutingProfileId %v", r.Username, r.RoutingProfileId)
			}
		}},
		{"exact name wins beside a wrong-case one", `{"USERNAME":"x","Username":"y","username":"z"}`, func(t *testing.T, r *api.CreateUserRequest) {
			if r.Username == nil || *r.Username != "y" {
				t.Fatalf("Username %v", r.Username)
			}
		}},
		{"nested structure", `{"IdentityInfo":{"firstname":"a","LastName":"b"}}`, func(t *testing.T, r *api.CreateUserRequest) {
			if r.IdentityInfo.FirstName != nil || r.IdentityInfo.LastName == nil {
				t.Fatalf("IdentityInfo %+v", r.IdentityInfo)
			}
		}},
		{"structures in a list", `{"AutoAcceptConfigs":[{"channel":"VOICE","AutoAccept":true},{"Channel":"CHAT","autoAccept":true}]}`, func(t *testing.T, r *api.CreateUserRequest) {
			if len(r.AutoAcceptConfigs) != 2 || r.AutoAcceptConfigs[0].Channel != nil || r.AutoAcceptConfigs[1].AutoAccept != nil {
				b, _ := json.Marshal(r.AutoAcceptConfigs)
				t.Fatalf("AutoAcceptConfigs %s", b)
			}
		}},
		{"map keys are data and kept", `{"Tags":{"username":"x","Tags":"y"},"tags":{"z":"z"}}`, func(t *testing.T, r *api.CreateUserRequest) {
			if !reflect.DeepEqual(r.Tags, map[string]string{"username": "x", "Tags": "y"}) {
				t.Fatalf("Tags %v", r.Tags)
			}
		}},
		{"unknown members stay unknown", `{"Nonsense":{"Username":"x"},"Username":"u"}`, func(t *testing.T, r *api.CreateUserRequest) {
			if r.Username == nil || *r.Username != "u" {
				t.Fatalf("Username %v", r.Username)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r api.CreateUserRequest
			if err := json.Unmarshal(api.DropInexactKeys([]byte(c.in), typ), &r); err != nil {
				t.Fatal(err)
			}
			c.check(t, &r)
		})
	}
}

func TestDropInexactKeysLeavesOtherBodiesAlone(t *testing.T) {
	typ := reflect.TypeFor[*api.CreateUserRequest]()
	for _, in := range []string{
		`{"Username":"u","IdentityInfo":{"FirstName":"a"},"Tags":{"k":"v"}}`,
		`{"Username":`,                     // malformed: left to the decoder
		`{"IdentityInfo":"not an object"}`, // wrong kind: left to the decoder
		`{"SecurityProfileIds":{"username":1}}`,
	} {
		body := []byte(in)
		if out := api.DropInexactKeys(body, typ); &out[0] != &body[0] || len(out) != len(body) {
			t.Errorf("%s was rewritten to %s", in, out)
		}
	}
}

// BenchmarkDropInexactKeys is the cost the check adds to decoding a full
// CreateUser body (fullCreateUser, bench_test.go) that needs no rewrite.
func BenchmarkDropInexactKeys(b *testing.B) {
	body := []byte(fullCreateUser)
	typ := reflect.TypeFor[*api.CreateUserRequest]()
	b.ReportAllocs()
	for b.Loop() {
		api.DropInexactKeys(body, typ)
	}
}

// FuzzDropInexactKeys: any input, no panic; a rewrite is valid JSON and
// decodes wherever the original did.
func FuzzDropInexactKeys(f *testing.F) {
	f.Add([]byte(fullCreateUser))
	f.Add([]byte(`{"username":"x","IdentityInfo":{"firstName":"a"},"Tags":{"k":"v"}}`))
	f.Add([]byte(`{"AutoAcceptConfigs":[{"channel":"VOICE"}],"\u0055sername":"u"}`))
	typ := reflect.TypeFor[*api.CreateUserRequest]()
	f.Fuzz(func(t *testing.T, body []byte) {
		out := api.DropInexactKeys(body, typ)
		if len(out) == len(body) && (len(out) == 0 || &out[0] == &body[0]) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("rewrite of %q is not JSON: %q", body, out)
		}
		var before, after api.CreateUserRequest
		if json.Unmarshal(body, &before) == nil && json.Unmarshal(out, &after) != nil {
			t.Fatalf("rewrite of %q does not decode: %q", body, out)
		}
	})
}
