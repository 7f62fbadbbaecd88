package service

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/switchboard-dev/switchboard"
)

// TestUserPageEncodesAsEncodingJSON proves that a ListUsers page writes
// exactly the bytes encoding/json (HTML escaping off, as the wire layer
// encodes) writes for the api.ListUsersResponse it stands for.
func TestUserPageEncodesAsEncodingJSON(t *testing.T) {
	sc := switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
	user := func(id, name string, mod time.Time) switchboard.Record {
		return switchboard.Record{Scope: sc, Kind: switchboard.KindUser, Parent: "inst-1", ID: id, Name: name, Modified: mod}
	}
	t0 := time.Date(2026, 11, 29, 4, 5, 6, 0, time.UTC)
	cases := map[string]*userPage{
		"empty":                {},
		"empty with a token":   {next: encodeToken(7)},
		"one user, whole secs": {users: []switchboard.Record{user("u1", "mary.major", t0)}},
		"users and a token": {next: encodeToken(1234), users: []switchboard.Record{
			user("u1", "a", t0.Add(123*time.Millisecond)), user("u2", "b", t0.Add(1500*time.Microsecond)), user("u3", "c", time.Time{})}},
		"names that need escaping": {users: []switchboard.Record{
			user("u\"1", `back\slash`, t0), user("u2", "tab\tand\x01ctl", t0), user("u3", "<html>&amp;", t0),
			user("u4", "Zoë 東京", t0), user("u5", "bad\xffutf8", t0), user("u6", "line\u2028sep", t0)}},
		// The ARN's prefix is escaped once per run of users sharing it.
		"ARN prefixes that change and need escaping": {users: func() []switchboard.Record {
			other := user("u2", "b", t0)
			other.Scope.Region = "eu-west-2"
			quoted, bad, ctl := user("u3", "c", t0), user("u\xff4", "d", t0), user("u5", "e", t0)
			quoted.Parent, bad.Parent, ctl.Parent = `in"st\é`, "in\xffst", "in\x01st"
			return []switchboard.Record{user("u1", "a", t0), other, quoted, bad, ctl, user("u6", "f", t0)}
		}()},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := p.AppendJSON([]byte("prefix"))
			if err != nil {
				t.Fatal(err)
			}
			resp := p.response()
			resp.FillAlwaysSent() // as the wire layer does for every output
			want, err := marshalNoHTML(resp)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "prefix"+string(want) {
				t.Fatalf("AppendJSON = %s\nencoding/json = %s", got[len("prefix"):], want)
			}
			viaMarshal, err := json.Marshal(p)
			if err != nil || !json.Valid(viaMarshal) {
				t.Fatalf("json.Marshal of the page: %s, %v", viaMarshal, err)
			}
		})
	}
}

func marshalNoHTML(v any) ([]byte, error) {
	var b []byte
	w := &appendWriter{&b}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b[:len(b)-1], nil
}

type appendWriter struct{ b *[]byte }

func (w *appendWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

// TestReadUserDocMatchesDecode: the shared-channels decoding gives the same
// document as a full decode, and a second user with the same channels
// shares the cached lists without being affected by the first's identity.
func TestReadUserDocMatchesDecode(t *testing.T) {
	s := New(Config{})
	docs := []string{
		`{"identityInfo":{"FirstName":"A","LastName":"B"},"securityProfileIds":["sp"],"routingProfileId":"rp","agentQueueId":"q1","channels":{"autoAccept":[{"AutoAccept":false,"Channel":"VOICE"}],"phoneNumber":[{"Channel":"VOICE","PhoneType":"SOFT_PHONE"}]}}`,
		`{"identityInfo":{"Email":"c@d.io","FirstName":"C","LastName":"D"},"directoryUserId":"dir","securityProfileIds":["sp","sp2"],"routingProfileId":"rp","hierarchyGroupId":"hg","agentQueueId":"q2","channels":{"autoAccept":[{"AutoAccept":false,"Channel":"VOICE"}],"phoneNumber":[{"Channel":"VOICE","PhoneType":"SOFT_PHONE"}]}}`,
		`{"identityInfo":{"FirstName":"E","LastName":"F"},"securityProfileIds":[],"routingProfileId":"rp","agentQueueId":"q3","channels":null}`,
		`{"identityInfo":{"FirstName":"G","LastName":"H"},"securityProfileIds":["sp"],"routingProfileId":"rp","agentQueueId":"q4"}`,
	}
	for _, d := range docs {
		rec := &switchboard.Record{Kind: switchboard.KindUser, ID: "u", Data: []byte(d)}
		var want userDoc
		if err := decode(rec, &want); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second read hits the cache
			got, err := s.readUserDoc(rec)
			if err != nil {
				t.Fatal(err)
			}
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(&want)
			if string(gb) != string(wb) {
				t.Fatalf("readUserDoc = %s\ndecode      = %s", gb, wb)
			}
			if string(wb) != d && d != docs[2] && d != docs[3] {
				t.Fatalf("stored form changed: %s became %s", d, wb)
			}
		}
	}
}

// TestTrigramMaskNeverHidesAMatch: a name containing a value always has
// every bit of the value's mask, so the search's skip is exact.
func TestTrigramMaskNeverHidesAMatch(t *testing.T) {
	names := []string{"user0042", "mary.major", "a@b.io", "x", "ab", "zoë.東京", "00420042", "ann-lee_3"}
	for i := range 2000 {
		names = append(names, fmt.Sprintf("u%05d.%c%c", i*7919%100000, 'a'+i%26, 'a'+i/26%26))
	}
	for _, name := range names {
		m := trigramMask(name)
		for i := 0; i < len(name); i++ {
			for j := i; j <= len(name); j++ {
				if sub := name[i:j]; trigramMask(sub)&^m != 0 {
					t.Fatalf("%q contains %q but the masks say it cannot", name, sub)
				}
			}
		}
	}
	if trigramMask("ab") != 0 {
		t.Fatal("values shorter than three bytes must not filter")
	}
}
