package restjson_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/restjson"
)

// escapeAll escapes like the SDKs do for a label: everything but
// A-Za-z0-9-._~.
func escapeAll(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}

// samplePath fills a template's labels with values no literal segment can
// equal, and returns the path and the labels Route must report.
func samplePath(uri string) (string, map[string]string) {
	labels := map[string]string{}
	segs := strings.Split(uri, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			name := strings.Trim(s, "{}")
			v := "arn:aws:connect:us-east-1:000000000000:instance/" + name
			labels[name] = v
			segs[i] = escapeAll(v)
		}
	}
	return strings.Join(segs, "/"), labels
}

// TestRouteEveryModelOperation builds the router from the whole model and
// proves every operation resolves to itself with its labels.
func TestRouteEveryModelOperation(t *testing.T) {
	if len(api.Operations) == 0 {
		t.Skip("the generated operation table is empty")
	}
	s := restjson.New(restjson.Config{Operations: api.Operations})
	for _, want := range api.Operations {
		path, labels := samplePath(want.URI)
		op, got, ok := s.Route(want.Method, path)
		if !ok || op != want {
			name := "nothing"
			if op != nil {
				name = op.Name
			}
			t.Errorf("%s %s routes to %s, want %s", want.Method, path, name, want.Name)
			continue
		}
		if len(got) != len(labels) {
			t.Errorf("%s: labels %v, want %v", want.Name, got, labels)
		}
		for k, v := range labels {
			if got[k] != v {
				t.Errorf("%s: label %s = %q, want %q", want.Name, k, got[k], v)
			}
		}
	}
}

func TestRouteTagARN(t *testing.T) {
	if len(api.Operations) == 0 {
		t.Skip("the generated operation table is empty")
	}
	s := restjson.New(restjson.Config{Operations: api.Operations})
	arn := "arn:aws:connect:us-east-1:123456789012:instance/i-1/agent/u-1"
	for method, name := range map[string]string{"POST": "TagResource", "GET": "ListTagsForResource", "DELETE": "UntagResource"} {
		op, labels, ok := s.Route(method, "/tags/"+escapeAll(arn))
		if !ok || op.Name != name || labels["resourceArn"] != arn {
			t.Errorf("%s /tags/<arn>: got %v %v %v, want %s with resourceArn %s", method, op, labels, ok, name, arn)
		}
	}
}

func BenchmarkRoute(b *testing.B) {
	s := restjson.New(restjson.Config{Operations: api.Operations})
	path := "/users/" + escapeAll("0c245a5f-7f0a-4d4b-9a3b-2c1e5e6b7a8c") + "/u-1/hierarchy"
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := s.Route("POST", path); !ok {
			b.Fatal("no route")
		}
	}
}

// FuzzRoute checks the router never panics and only reports routes that
// fit: same method, and exactly the template's labels, all non-empty.
func FuzzRoute(f *testing.F) {
	// The hand-written table next to the model exercises backtracking;
	// where a method and template shape repeat, the first one stays so
	// that New does not reject the mix.
	seen := map[string]bool{}
	var table []*api.Operation
	for _, o := range append(testOperations(), api.Operations...) {
		if key := o.Method + " " + normalize(o.URI); !seen[key] {
			seen[key] = true
			table = append(table, o)
		}
	}
	s := restjson.New(restjson.Config{Operations: table})
	for _, seed := range [][2]string{
		{"POST", "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A000000000000%3Ainstance%2Fabc"},
		{"GET", "/users/i1/hierarchy"},
		{"GET", "/users/i1/u1"},
		{"POST", "/users/i1/u1/security-profiles"},
		{"GET", "/x/lit/tail"},
		{"GET", "//"},
		{"GET", "/users/%zz/u"},
		{"PUT", ""},
		{"DELETE", "/users/i/u/"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		op, labels, ok := s.Route(method, path)
		if !ok {
			if op != nil || labels != nil {
				t.Fatalf("no route but op %v labels %v", op, labels)
			}
			return
		}
		if op.Method != method {
			t.Fatalf("%s %s routed to %s (%s)", method, path, op.Name, op.Method)
		}
		want := strings.Count(op.URI, "{")
		if len(labels) != want {
			t.Fatalf("%s %s: labels %v for template %s", method, path, labels, op.URI)
		}
		for k, v := range labels {
			if v == "" || !strings.Contains(op.URI, "{"+k+"}") {
				t.Fatalf("%s %s: label %s=%q for template %s", method, path, k, v, op.URI)
			}
		}
	})
}

// normalize replaces label names so that templates differing only in them
// compare equal.
func normalize(uri string) string {
	segs := strings.Split(uri, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}
