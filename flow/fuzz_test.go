package flow

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzValidate checks that Validate never panics, that its JSON reader
// accepts exactly what encoding/json accepts, and that Parse's Flow
// agrees with Validate about whether the content is an object.
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), string(fixtureKinds[filepath.Base(name)]))
	}
	for _, d := range Defaults {
		f.Add(d.Content, string(d.Type))
	}
	f.Add(`{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a\u00e9\ud83d\ude00","Type":"Loop"}]}`, "MODULE")
	f.Add(`[1e5, -0.5, "\"\\\/\b\f\n\r\t\ud800"]`, "CONTACT_FLOW")
	f.Fuzz(func(t *testing.T, content, kind string) {
		ps := Validate(content, Kind(kind), allExist{})
		invalid := len(ps) > 0 && strings.HasPrefix(ps[0].Message, "Content is not valid JSON")
		if invalid == json.Valid([]byte(content)) {
			t.Fatalf("json.Valid = %v, but Validate says %q", !invalid, messages(ps))
		}
		fl, pps := Parse(content)
		if (fl == nil) != (len(pps) == 1 && (invalid || strings.HasPrefix(pps[0].Message, "Content must be"))) {
			t.Fatalf("Parse = %v, %q", fl, messages(pps))
		}
		if fl != nil {
			if _, err := json.Marshal(fl); err != nil {
				t.Fatalf("the parsed flow does not marshal: %v", err)
			}
		}
	})
}
