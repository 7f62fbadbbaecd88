package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

// TestSim drives a server on a virtual clock with switchboard sim: the
// clock, a call into a flow, the contact's events, and the errors.
func TestSim(t *testing.T) {
	store, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	h, svc := server.New(server.Config{Store: store, Clock: engine.NewVirtualClock(start)})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); svc.Close(); store.Close() })
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
	sim := func(args ...string) (map[string]any, string, int) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := runSim(append(args, "--endpoint", srv.URL), &out, &errOut)
		var m map[string]any
		json.Unmarshal(out.Bytes(), &m)
		return m, out.String() + errOut.String(), code
	}
	if m, _, code := sim("advance", "90"); code != 0 || m["now"].(float64) != float64(start.Unix()+90) {
		t.Fatalf("advance: %v %d", m, code)
	}
	if m, _, code := sim("advance", "--to", "2030-01-01T10:00:00Z"); code != 0 || m["now"].(float64) != float64(start.Unix()+3600) {
		t.Fatalf("advance --to: %v %d", m, code)
	}
	if m, _, code := sim("clock"); code != 0 || m["virtual"] != true {
		t.Fatalf("clock: %v %d", m, code)
	}

	c := connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	ctx := context.Background()
	inst, err := c.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("sim"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	flow, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: inst.Id, Name: aws.String("Bye"), Type: types.ContactFlowTypeContactFlow,
		Content: aws.String(`{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	m, text, code := sim("call", "--from", "+15555550123", "--instance", *inst.Id, "--flow", *flow.ContactFlowId, "--attr", "lang=fr")
	if code != 0 {
		t.Fatalf("call: %s", text)
	}
	id := m["ContactId"].(string)
	_, text, code = sim("events", "--instance", *inst.Id, "--contact", id)
	if code != 0 || !strings.Contains(text, `"eventType":"INITIATED"`) || !strings.Contains(text, `"eventType":"DISCONNECTED"`) || !strings.Contains(text, `"channel":"VOICE"`) {
		t.Errorf("events: %d %s", code, text)
	}
	if _, text, code := sim("accept", "--instance", *inst.Id, "--contact", id, "--user", "someone"); code != 1 || !strings.Contains(text, "InvalidRequestException (400): Contact "+id+" has ended") {
		t.Errorf("accept of an ended call: %d %s", code, text)
	}
	if _, text, code := sim("lambda", "--arn", "arn:aws:lambda:us-east-1:000000000000:function:f", "--response", `{"tier":"gold"}`); code != 0 {
		t.Errorf("lambda: %s", text)
	}
	if _, _, code := sim("advance"); code != 1 {
		t.Errorf("advance without a time: %d", code)
	}
	if _, _, code := sim("dance"); code != 2 {
		t.Errorf("an unknown command: %d", code)
	}
}
