package sqlite

import (
	"database/sql"
	"encoding/json"
	"reflect"
	"testing"
)

// The fast parsers must agree with encoding/json on everything they accept.
func checkFlat(t *testing.T, s string) {
	if got, ok := parseFlatStrings(s); ok {
		var want []string
		if err := json.Unmarshal([]byte(s), &want); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("parseFlatStrings(%q) = %q; encoding/json: %q, %v", s, got, want, err)
		}
	}
	if got, ok := parseFlatTags(s); ok {
		var want map[string]string
		if err := json.Unmarshal([]byte(s), &want); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("parseFlatTags(%q) = %q; encoding/json: %q, %v", s, got, want, err)
		}
	}
}

func TestFlatParsersAgreeWithEncodingJSON(t *testing.T) {
	accepted := []string{`[]`, `["a","b"]`, `["routing-profile","6f1c","security-profile","x y"]`, `{}`, `{"k":"v"}`,
		`{"a":"1","b":"","":"z"}`, `{"k":"1","k":"2"}`, `["Zoë","東京"]`}
	for _, s := range accepted {
		checkFlat(t, s)
		_, ok1 := parseFlatStrings(s)
		_, ok2 := parseFlatTags(s)
		if !ok1 && !ok2 {
			t.Errorf("%q: neither fast parser accepted it", s)
		}
	}
	for _, s := range []string{`["a",]`, `[,"a"]`, `["a" ,"b"]`, `["a\"b"]`, `["\u0041"]`, `["a` + "\x01" + `"]`, `["` + "\xff" + `"]`,
		`{"k":}`, `{"k"}`, `{"k":"v",}`, `{"k":1}`, `["a"]x`, `null`, `[null]`, `{"a":"b" }`, `[`, `]`, `"a"`} {
		checkFlat(t, s)
	}
}

func FuzzFlatParsers(f *testing.F) {
	for _, s := range []string{`["a","b"]`, `{"k":"v"}`, `[]`, `{}`, `["a\"b"]`} {
		f.Add(s)
	}
	f.Fuzz(checkFlat)
}

func TestCodecRoundTrip(t *testing.T) {
	for _, tags := range []map[string]string{{"a": "b"}, {"<x>": "&", "k": "line\nbreak", "e": ""}, {"Zoë": "東京"}} {
		enc, err := encodeTags(tags)
		if err != nil {
			t.Fatal(err)
		}
		s := enc.(string)
		got, err := decodeTags(sqlNullString(s))
		if err != nil || !reflect.DeepEqual(got, tags) {
			t.Fatalf("tags %v -> %s -> %v, %v", tags, s, got, err)
		}
	}
}

func sqlNullString(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
