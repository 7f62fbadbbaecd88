package policy_test

import (
	"strings"
	"testing"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/policy"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		name, pattern, s string
		fold, want       bool
	}{
		{"exact", "connect:DescribeUser", "connect:DescribeUser", false, true},
		{"star suffix", "connect:Describe*", "connect:DescribeUser", false, true},
		{"star matches nothing", "connect:Describe*", "connect:Describe", false, true},
		{"star does not match other prefix", "connect:Describe*", "connect:CreateUser", false, false},
		{"actions fold case", "CONNECT:describe*", "connect:DescribeUser", true, true},
		{"resources keep case", "arn:aws:connect:*:*:instance/ABC", "arn:aws:connect:us-east-1:1:instance/abc", false, false},
		{"star crosses slashes and colons", "arn:aws:connect:*:instance/i1*", "arn:aws:connect:us-east-1:111122223333:instance/i1/agent/u", false, true},
		{"question mark is one character", "connect:List?sers", "connect:ListUsers", false, true},
		{"question mark is not zero characters", "connect:ListU?sers", "connect:ListUsers", false, false},
		{"inner star backtracks", "a*b*c", "axxbyybzc", false, true},
		{"trailing literal must match", "a*b", "abc", false, false},
		{"lone star", "*", "", false, true},
		{"empty pattern", "", "x", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := policy.Match(c.pattern, c.s, c.fold); got != c.want {
				t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
			}
		})
	}
}

func mustParse(t *testing.T, doc string) policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}

func TestEvaluate(t *testing.T) {
	const inst = "arn:aws:connect:us-east-1:111122223333:instance/i1"
	readOnly := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["connect:Describe*","connect:List*"],"Resource":"*"}}`
	denyUsers := `[{"Effect":"Allow","Action":"connect:*","Resource":"*"},
	               {"Effect":"Deny","Action":"connect:*User*","Resource":"*"}]`
	oneInstance := `[{"Effect":"Allow","Action":"*","Resource":["` + inst + `","` + inst + `/*"]}]`
	cases := []struct {
		name, doc, action, resource string
		want                        policy.Decision
	}{
		{"read-only allows a describe", readOnly, "connect:DescribeUser", inst + "/agent/u1", policy.Allowed},
		{"read-only allows a list", readOnly, "connect:ListUsers", inst, policy.Allowed},
		{"read-only implicitly denies a create", readOnly, "connect:CreateUser", inst, policy.ImplicitDeny},
		{"deny overrides allow", denyUsers, "connect:CreateUser", inst, policy.ExplicitDeny},
		{"deny leaves other actions allowed", denyUsers, "connect:CreateQueue", inst, policy.Allowed},
		{"resource pattern allows its instance", oneInstance, "connect:DescribeInstance", inst, policy.Allowed},
		{"resource pattern allows resources inside its instance", oneInstance, "connect:DescribeUser", inst + "/agent/u1", policy.Allowed},
		{"resource pattern refuses another instance", oneInstance, "connect:DescribeInstance", inst + "2", policy.ImplicitDeny},
		{"resource pattern refuses unaddressed operations", oneInstance, "connect:ListInstances", "*", policy.ImplicitDeny},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := mustParse(t, c.doc).Evaluate(c.action, c.resource); got != c.want {
				t.Errorf("Evaluate(%s, %s) = %v, want %v", c.action, c.resource, got, c.want)
			}
		})
	}
}

func TestParseRefusesWhatItWouldNotEnforce(t *testing.T) {
	cases := []struct{ name, doc, msg string }{
		{"empty", ``, "empty"},
		{"not JSON", `{`, "policy"},
		{"no statements", `[]`, "no statements"},
		{"no Statement member", `{"Version":"2012-10-17"}`, "Statement is missing"},
		{"unknown version", `{"Version":"2020-01-01","Statement":[]}`, "Version"},
		{"condition", `[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}]`, "unsupported member(s) Condition"},
		{"not action", `[{"Effect":"Allow","NotAction":"*","Resource":"*"}]`, "NotAction"},
		{"lower-case effect", `[{"Effect":"allow","Action":"*","Resource":"*"}]`, `Effect must be "Allow" or "Deny"`},
		{"missing effect", `[{"Action":"*","Resource":"*"}]`, "got nothing"},
		{"missing action", `[{"Effect":"Allow","Resource":"*"}]`, "Action is missing"},
		{"action without service", `[{"Effect":"Allow","Action":"DescribeUser","Resource":"*"}]`, "service:Operation"},
		{"empty action list", `[{"Effect":"Allow","Action":[],"Resource":"*"}]`, "non-empty list"},
		{"resource not an ARN", `[{"Effect":"Allow","Action":"*","Resource":"instance/1"}]`, "ARN pattern"},
		{"action of the wrong type", `[{"Effect":"Allow","Action":5,"Resource":"*"}]`, "Action must be"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("got %v, want an error containing %q", err, c.msg)
			}
		})
	}
}

func op(t *testing.T, name string) *api.Operation {
	t.Helper()
	for _, o := range api.Operations {
		if o.Name == name {
			return o
		}
	}
	t.Fatalf("no operation %s", name)
	return nil
}

func TestResource(t *testing.T) {
	sc := switchboard.Scope{Account: "111122223333", Region: "eu-west-2"}
	inst := "arn:aws:connect:eu-west-2:111122223333:instance/i1"
	id := func(s string) *string { return &s }
	cases := []struct {
		name   string
		op     string
		labels map[string]string
		in     api.Request
		want   string
	}{
		{"instance label", "DescribeInstance", map[string]string{"InstanceId": "i1"}, nil, inst},
		{"instance given as an ARN", "ListUsers", map[string]string{"InstanceId": inst}, nil, inst},
		{"user label", "DescribeUser", map[string]string{"InstanceId": "i1", "UserId": "u1"}, nil, inst + "/agent/u1"},
		{"user sub-path", "UpdateUserHierarchy", map[string]string{"InstanceId": "i1", "UserId": "u1"}, nil, inst + "/agent/u1"},
		{"security profile", "DeleteSecurityProfile", map[string]string{"InstanceId": "i1", "SecurityProfileId": "s1"}, nil, inst + "/security-profile/s1"},
		{"routing profile", "DescribeRoutingProfile", map[string]string{"InstanceId": "i1", "RoutingProfileId": "r1"}, nil, inst + "/routing-profile/r1"},
		{"queue", "DescribeQueue", map[string]string{"InstanceId": "i1", "QueueId": "q1"}, nil, inst + "/queue/q1"},
		{"hours", "DescribeHoursOfOperation", map[string]string{"InstanceId": "i1", "HoursOfOperationId": "h1"}, nil, inst + "/operating-hours/h1"},
		{"hierarchy group", "DescribeUserHierarchyGroup", map[string]string{"InstanceId": "i1", "HierarchyGroupId": "g1"}, nil, inst + "/agent-group/g1"},
		{"quick connect", "DescribeQuickConnect", map[string]string{"InstanceId": "i1", "QuickConnectId": "q1"}, nil, inst + "/transfer-destination/q1"},
		{"create inside an instance addresses the instance", "CreateUser", map[string]string{"InstanceId": "i1"}, nil, inst},
		{"tags address their resource ARN", "TagResource", map[string]string{"resourceArn": inst + "/queue/q1"}, nil, inst + "/queue/q1"},
		{"instance in the body", "SearchUsers", nil, &api.SearchUsersRequest{InstanceId: id("i1")}, inst},
		{"instance missing from the body", "SearchUsers", nil, &api.SearchUsersRequest{}, "*"},
		{"nothing addressable", "CreateInstance", nil, &api.CreateInstanceRequest{}, "*"},
		{"list of instances", "ListInstances", nil, nil, "*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := policy.Resource(sc, op(t, c.op), c.labels, c.in); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestDeniedMessage(t *testing.T) {
	sc := switchboard.Scope{Account: "111122223333", Region: "us-east-1"}
	got := policy.DeniedMessage(sc, "AKIDREAD", "connect:CreateUser", "arn:x", policy.ImplicitDeny)
	want := "User: arn:aws:iam::111122223333:user/AKIDREAD is not authorized to perform: connect:CreateUser on resource: arn:x because no identity-based policy allows the connect:CreateUser action"
	if got != want {
		t.Errorf("implicit:\n got %s\nwant %s", got, want)
	}
	got = policy.DeniedMessage(sc, "AKIDREAD", "connect:CreateUser", "arn:x", policy.ExplicitDeny)
	if !strings.HasSuffix(got, "on resource: arn:x with an explicit deny in an identity-based policy") {
		t.Errorf("explicit: %s", got)
	}
}

// FuzzMatch checks the glob matcher never panics and agrees with itself on
// literal patterns.
func FuzzMatch(f *testing.F) {
	f.Add("connect:Describe*", "connect:DescribeUser")
	f.Add("arn:aws:connect:*:*:instance/?1/*", "arn:aws:connect:us-east-1:1:instance/i1/agent/u")
	f.Add("**?*", "")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := policy.Match(pattern, s, false)
		if !strings.ContainsAny(pattern, "*?") && got != (pattern == s) {
			t.Fatalf("literal %q vs %q: %v", pattern, s, got)
		}
		if !policy.Match(s, s, false) {
			t.Fatalf("%q does not match itself", s)
		}
	})
}
