package dump

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	switchboard "github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

var (
	acct  = switchboard.Scope{Account: "111111111111", Region: "us-east-1"}
	other = switchboard.Scope{Account: "222222222222", Region: "eu-west-2"}
)

func memStore(t *testing.T) switchboard.Store {
	t.Helper()
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func update(t *testing.T, s switchboard.Store, fn func(tx switchboard.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// sample fills s with two instances of one account, one of another, a
// phone number, an engine record, data of every form, and a ref to a record
// inserted after the one holding it.
func sample(t *testing.T, s switchboard.Store) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 123456789, time.UTC)
	r := func(sc switchboard.Scope, kind switchboard.Kind, parent, id, name, data string) *switchboard.Record {
		return &switchboard.Record{Scope: sc, Kind: kind, Parent: parent, ID: id, Name: name, Data: []byte(data), Created: at, Modified: at}
	}
	update(t, s, func(tx switchboard.Tx) error {
		u := r(acct, switchboard.KindUser, "i1", "u1", "alice", `{"a":1,"html":"<b>&</b>"}`)
		u.Tags = map[string]string{"team": "blue", "z": ""}
		recs := []*switchboard.Record{
			r(acct, switchboard.KindInstance, "", "i1", "one", `{"alias":"one"}`),
			r(acct, switchboard.KindInstance, "", "i2", "two", `{"alias":"two"}`),
			r(other, switchboard.KindInstance, "", "i3", "", `{}`),
			u,
			r(acct, switchboard.KindQueue, "i1", "q1", "Support", "{ \"spaced\": true }"),
			r(acct, switchboard.KindQueue, "i2", "q2", "Support", "\x00\xffbinary"),
			r(acct, switchboard.KindPhoneNumber, "", "p1", "+15550100", `{"instanceId":"i2"}`),
			r(acct, switchboard.KindLambdaStub, "", "arn:fn", "", `[1,2]`),
			r(engineScope, switchboard.KindEngineInstance, "", acct.Account+"/"+acct.Region+"/i1", "", ""),
			r(acct, switchboard.KindUserStatus, "i1", "u1", "", ""),
			r(acct, switchboard.KindClientToken, "CreateInstance", "tok", "", "i2"),
		}
		for _, rec := range recs {
			if err := tx.Insert(rec); err != nil {
				return err
			}
		}
		u.Refs = []switchboard.Ref{{Kind: switchboard.KindQueue, ID: "q1"}}
		u.Modified = at.Add(time.Minute)
		return tx.Replace(u)
	})
}

func export(t *testing.T, s switchboard.Store, f Filter) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := Export(context.Background(), s, f, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func importBytes(s switchboard.Store, b []byte) error {
	f, err := Read(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return Import(context.Background(), s, f)
}

func TestRoundTripIsByteIdentical(t *testing.T) {
	src := memStore(t)
	sample(t, src)
	first := export(t, src, Filter{})
	dst := memStore(t)
	if err := importBytes(dst, first); err != nil {
		t.Fatal(err)
	}
	if second := export(t, dst, Filter{}); !bytes.Equal(first, second) {
		t.Fatalf("export after import differs:\n%s\n---\n%s", first, second)
	}
	lines := strings.Split(strings.TrimSpace(string(first)), "\n")
	if lines[0] != `{"format":"switchboard-export","version":1}` || lines[len(lines)-1] != `{"end":true,"records":11}` {
		t.Errorf("header %s, end %s", lines[0], lines[len(lines)-1])
	}
	// Data kept as JSON only when it reads back byte for byte.
	for _, want := range []string{`"data":{"a":1,"html":"<b>&</b>"}`, `"data_base64":"eyAic3BhY2VkIjogdHJ1ZSB9"`, `"data_base64":"AP9iaW5hcnk="`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("export lacks %s:\n%s", want, first)
		}
	}
	// Every field came back, the version and times included.
	err := dst.View(context.Background(), func(tx switchboard.Tx) error {
		u, err := tx.Get(switchboard.Key{Scope: acct, Kind: switchboard.KindUser, Parent: "i1", ID: "u1"})
		if err != nil {
			return err
		}
		if u.Version != 2 || u.Tags["team"] != "blue" || len(u.Refs) != 1 || u.Modified.Nanosecond() != 123456789 || u.Name != "alice" {
			t.Errorf("imported user = %+v", u)
		}
		if by, err := tx.Referrers(switchboard.Key{Scope: acct, Kind: switchboard.KindQueue, Parent: "i1", ID: "q1"}, 0); err != nil || len(by) != 1 {
			t.Errorf("Referrers(q1) = %v, %v", by, err)
		}
		if n, err := tx.Count(acct, switchboard.KindQueue, "i1"); err != nil || n != 1 {
			t.Errorf("Count(queues of i1) = %d, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFilters(t *testing.T) {
	s := memStore(t)
	sample(t, s)
	ids := func(b []byte) []string {
		f, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range f.Records {
			out = append(out, string(r.Kind)+":"+r.ID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    Filter
		want string
	}{
		{"account", Filter{Account: acct.Account}, "instance:i1 instance:i2 user:u1 queue:q1 queue:q2 phone-number:p1 lambda-stub:arn:fn engine-instance:111111111111/us-east-1/i1 user-status:u1 client-token:tok"},
		{"other account", Filter{Account: other.Account}, "instance:i3"},
		{"instance", Filter{Instance: "i1"}, "instance:i1 user:u1 queue:q1 engine-instance:111111111111/us-east-1/i1 user-status:u1"},
		{"instance with its number", Filter{Account: acct.Account, Instance: "i2"}, "instance:i2 queue:q2 phone-number:p1 client-token:tok"},
		{"instance of another account", Filter{Account: other.Account, Instance: "i1"}, ""},
	} {
		if got := strings.Join(ids(export(t, s, c.f)), " "); got != c.want {
			t.Errorf("%s: exported %s, want %s", c.name, got, c.want)
		}
	}
	b := export(t, s, Filter{Account: acct.Account, Instance: "i2"})
	if !bytes.HasPrefix(b, []byte(`{"format":"switchboard-export","version":1,"account":"111111111111","instance":"i2"}`+"\n")) {
		t.Errorf("header does not name the filter: %s", b)
	}
	// One instance imports into a store holding the others.
	dst := memStore(t)
	if err := importBytes(dst, export(t, s, Filter{Instance: "i1"})); err != nil {
		t.Fatal(err)
	}
	if err := importBytes(dst, export(t, s, Filter{Instance: "i2"})); err != nil {
		t.Fatal(err)
	}
}

func TestImportRefusesClashesBeforeWriting(t *testing.T) {
	s := memStore(t)
	sample(t, s)
	b := export(t, s, Filter{})
	err := importBytes(s, b)
	var clash *ClashError
	if !errors.As(err, &clash) || clash.Total != 11 || len(clash.Clashes) != 11 {
		t.Fatalf("import into its own store: %v", err)
	}
	if !strings.Contains(err.Error(), `line 2: instance "i1" (account 111111111111, region us-east-1) exists`) {
		t.Errorf("message: %v", err)
	}

	// A name clash, and the list stops at 20.
	dst := memStore(t)
	update(t, dst, func(tx switchboard.Tx) error {
		if err := tx.Insert(&switchboard.Record{Scope: acct, Kind: switchboard.KindQueue, Parent: "i1", ID: "qx", Name: "Support"}); err != nil {
			return err
		}
		for i := range 25 {
			if err := tx.Insert(&switchboard.Record{Scope: other, Kind: switchboard.KindQueue, Parent: "i3", ID: fmt.Sprint("q", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	err = importBytes(dst, b)
	if !errors.As(err, &clash) || clash.Total != 1 || !strings.Contains(clash.Clashes[0], `has the name "Support" of stored queue "qx"`) {
		t.Fatalf("name clash: %v", err)
	}
	var many bytes.Buffer
	if _, err := Export(context.Background(), dst, Filter{Account: other.Account}, &many); err != nil {
		t.Fatal(err)
	}
	err = importBytes(dst, many.Bytes())
	if !errors.As(err, &clash) || clash.Total != 25 || len(clash.Clashes) != 20 || !strings.HasSuffix(err.Error(), "... and 5 more") {
		t.Fatalf("25 clashes: %v", err)
	}
	// Nothing of the refused imports was written.
	if got := export(t, dst, Filter{Account: acct.Account}); bytes.Count(got, []byte("\n")) != 3 {
		t.Errorf("store after refused imports:\n%s", got)
	}
}

func TestReadErrorsNameTheLine(t *testing.T) {
	s := memStore(t)
	sample(t, s)
	good := string(export(t, s, Filter{}))
	lines := strings.SplitAfter(good, "\n")
	join := func(ls ...string) string { return strings.Join(ls, "") }
	for _, c := range []struct {
		name, file string
		line       int
		msg        string
	}{
		{"newer version", strings.Replace(good, `"version":1}`, `"version":2,"compression":"none"}`, 1), 1, "format version 2"},
		{"not an export", "hello\n", 1, "not a switchboard export"},
		{"empty", "", 1, "empty"},
		{"corrupt line", join(lines[0], lines[1], "{\"account\":\n", lines[2]), 3, "corrupt line"},
		{"unknown field", join(lines[0], strings.Replace(lines[1], `"kind"`, `"colour":"red","kind"`, 1)), 2, "unknown field"},
		{"truncated", join(lines[:5]...), 5, "truncated"},
		{"wrong count", join(lines[0], lines[1], lines[len(lines)-2]), 3, "counts 11 records, but the file holds 1"},
		{"line after the end", good + lines[1], 14, "follows the end"},
		{"key twice", join(lines[0], lines[1], lines[1], `{"end":true,"records":2}`+"\n"), 3, "also on line 2"},
		{"no version", join(lines[0], strings.Replace(lines[1], `"version":1,`, "", 1)), 2, "version 0"},
		{"bad time", join(lines[0], strings.Replace(lines[1], `"created":"2030`, `"created":"30`, 1)), 2, "created"},
	} {
		_, err := Read(strings.NewReader(c.file))
		var le *LineError
		if !errors.As(err, &le) || le.Line != c.line || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want line %d saying %q", c.name, err, c.line, c.msg)
		}
	}
}

func TestImportRefusesAMissingRef(t *testing.T) {
	file := `{"format":"switchboard-export","version":1}
{"account":"1","region":"r","kind":"queue","parent":"i","id":"q","version":1}
{"account":"1","region":"r","kind":"user","parent":"i","id":"u","version":1,"refs":[{"kind":"queue","id":"q"},{"kind":"queue","id":"gone"}]}
{"end":true,"records":2}
`
	s := memStore(t)
	err := importBytes(s, []byte(file))
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 || !strings.Contains(err.Error(), `queue "gone"`) {
		t.Fatalf("import: %v", err)
	}
	if got := export(t, s, Filter{}); bytes.Count(got, []byte("\n")) != 2 {
		t.Errorf("store after a refused import:\n%s", got)
	}
	// The same refs are fine once the target is stored.
	update(t, s, func(tx switchboard.Tx) error {
		return tx.Insert(&switchboard.Record{Scope: switchboard.Scope{Account: "1", Region: "r"}, Kind: switchboard.KindQueue, Parent: "i", ID: "gone"})
	})
	if err := importBytes(s, []byte(file)); err != nil {
		t.Fatal(err)
	}
}
