package console

import (
	"context"
	"io"
	"testing"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/restjson"
)

func TestEncodeRequestFollowsTheModel(t *testing.T) {
	inst, user, next := "inst/1", "u 1", "a+b/c=="
	max := int32(7)
	for _, tc := range []struct {
		name, op          string
		in                api.Request
		method, uri, body string
	}{
		{"labels escaped, body of the body members", "CreateUser",
			&api.CreateUserRequest{InstanceId: &inst, Username: &user, SecurityProfileIds: []string{"sp"}},
			"PUT", "/users/inst%2F1", `{"SecurityProfileIds":["sp"],"Username":"u 1"}`},
		{"query members, no body", "ListUsers",
			&api.ListUsersRequest{InstanceId: &inst, MaxResults: &max, NextToken: &next},
			"GET", "/users-summary/inst%2F1?maxResults=7&nextToken=a%2Bb%2Fc%3D%3D", ""},
		{"two labels", "DeleteUser",
			&api.DeleteUserRequest{InstanceId: &inst, UserId: &user},
			"DELETE", "/users/inst%2F1/u%201", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := encodeRequest(context.Background(), operationsByName[tc.op], tc.in)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(req.Body)
			if req.Method != tc.method || req.URL.RequestURI() != tc.uri || string(body) != tc.body {
				t.Fatalf("got %s %s %s", req.Method, req.URL.RequestURI(), body)
			}
			// The wire layer binds it back to the same request.
			op, labels, ok := routeOf(t, req.Method, req.URL.EscapedPath())
			if !ok || op.Name != tc.op || labels["InstanceId"] != inst {
				t.Fatalf("routed to %v %v", op, labels)
			}
		})
	}
	if _, err := encodeRequest(context.Background(), operationsByName["ListUsers"], &api.ListUsersRequest{}); err == nil {
		t.Fatal("a missing URI label was encoded")
	}
}

func routeOf(t *testing.T, method, path string) (*api.Operation, map[string]string, bool) {
	t.Helper()
	return restjson.New(restjson.Config{Operations: api.Operations}).Route(method, path)
}
