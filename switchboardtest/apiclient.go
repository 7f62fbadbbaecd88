package switchboardtest

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/apicall"
)

// APIClient calls Switchboard's own test API (docs/TESTING.md) of a
// server anywhere: the one New started, or a `switchboard serve` process.
// Calls are SigV4-signed with the credentials given, like Connect calls.
type APIClient struct {
	// Endpoint is the server's URL, e.g. http://127.0.0.1:4599.
	Endpoint string
	// Region is the region requests are signed for.
	Region string
	// Credentials sign the calls.
	Credentials aws.CredentialsProvider
	// HTTPClient sends them; nil: http.DefaultClient.
	HTTPClient *http.Client
}

// NewAPIClient returns a client of the test API of the server cfg points
// at (its BaseEndpoint, Region and Credentials).
func NewAPIClient(cfg aws.Config) *APIClient {
	endpoint := ""
	if cfg.BaseEndpoint != nil {
		endpoint = *cfg.BaseEndpoint
	}
	return &APIClient{Endpoint: endpoint, Region: cfg.Region, Credentials: cfg.Credentials}
}

// APIError is an error answer of the test API: its HTTP status, its type
// (the X-Amzn-ErrorType header, as Connect's errors have) and message.
type APIError = apicall.Error

// Do sends one call: method and path below /_switchboard/ (such as "POST",
// "clock/advance"), in encoded as the JSON body (nil: none), and the
// answer decoded into out (nil: ignored). An answer other than 200 is an
// *APIError.
func (c *APIClient) Do(ctx context.Context, method, path string, in, out any) error {
	call := apicall.Call{Endpoint: c.Endpoint, Region: c.Region, HTTP: c.HTTPClient}
	if c.Credentials != nil {
		creds, err := c.Credentials.Retrieve(ctx)
		if err != nil {
			return fmt.Errorf("switchboardtest: credentials: %w", err)
		}
		call.AccessKeyID, call.Secret = creds.AccessKeyID, creds.SecretAccessKey
	}
	return call.Do(ctx, method, path, in, out)
}

// ClockState is the server's clock.
type ClockState struct {
	Now time.Time
	// Virtual: the clock moves only when advanced.
	Virtual bool
}

type clockAnswer struct {
	Now     float64 `json:"now"`
	Virtual bool    `json:"virtual"`
}

func (a clockAnswer) state() ClockState {
	return ClockState{Now: time.UnixMilli(int64(a.Now*1000 + 0.5)).UTC(), Virtual: a.Virtual}
}

// Clock returns the server's clock.
func (c *APIClient) Clock(ctx context.Context) (ClockState, error) {
	var out clockAnswer
	err := c.Do(ctx, "GET", "clock", nil, &out)
	return out.state(), err
}

// Advance moves a virtual clock forward by d, firing every timer due on
// the way, and returns its new time.
func (c *APIClient) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	var out clockAnswer
	err := c.Do(ctx, "POST", "clock/advance", map[string]any{"seconds": d.Seconds()}, &out)
	return out.state().Now, err
}

// AdvanceTo moves a virtual clock forward to t.
func (c *APIClient) AdvanceTo(ctx context.Context, t time.Time) (time.Time, error) {
	var out clockAnswer
	err := c.Do(ctx, "POST", "clock/advance", map[string]any{"to": float64(t.UnixMilli()) / 1000}, &out)
	return out.state().Now, err
}

// InboundCall is a customer's call: to a claimed PhoneNumber (its flow
// runs), or to a flow of an instance.
type InboundCall struct {
	PhoneNumber         string            `json:"PhoneNumber,omitempty"`
	InstanceID          string            `json:"InstanceId,omitempty"`
	ContactFlowID       string            `json:"ContactFlowId,omitempty"`
	CustomerPhoneNumber string            `json:"CustomerPhoneNumber"`
	Attributes          map[string]string `json:"Attributes,omitempty"`
}

// StartInboundCall starts a voice contact as a customer calling, and
// returns its id.
func (c *APIClient) StartInboundCall(ctx context.Context, call InboundCall) (string, error) {
	var out struct{ ContactId string }
	err := c.Do(ctx, "POST", "inbound-call", call, &out)
	return out.ContactId, err
}

// AgentAction is what an agent (or the customer) does to a contact.
type AgentAction string

// The actions of the test API.
const (
	Accept         AgentAction = "accept"  // the agent accepts the offered contact
	Reject         AgentAction = "reject"  // the agent rejects it
	HangUp         AgentAction = "hang-up" // the agent ends the conversation
	Clear          AgentAction = "clear"   // the agent ends after contact work
	CustomerHangUp AgentAction = "customer-hang-up"
)

// Act does action on a contact as the agent userID (empty for
// CustomerHangUp).
func (c *APIClient) Act(ctx context.Context, instanceID, contactID, userID string, action AgentAction) error {
	in := map[string]string{"InstanceId": instanceID, "ContactId": contactID, "Action": string(action)}
	if userID != "" {
		in["UserId"] = userID
	}
	return c.Do(ctx, "POST", "agent/action", in, nil)
}

// SetLambdaStub makes flows that invoke the function get response.
func (c *APIClient) SetLambdaStub(ctx context.Context, functionARN string, response map[string]string) error {
	if response == nil {
		response = map[string]string{}
	}
	return c.Do(ctx, "POST", "lambda-stubs", map[string]any{"FunctionArn": functionARN, "Response": response}, nil)
}

// SetLambdaError makes the function fail with message (the flow takes its
// Error branch).
func (c *APIClient) SetLambdaError(ctx context.Context, functionARN, message string) error {
	return c.Do(ctx, "POST", "lambda-stubs", map[string]any{"FunctionArn": functionARN, "Error": message}, nil)
}

// ContactEvents returns the contact events of an instance (of one contact
// when contactID is not empty), oldest first, every page.
func (c *APIClient) ContactEvents(ctx context.Context, instanceID, contactID string) ([]engine.Event, error) {
	in := map[string]any{"InstanceId": instanceID, "MaxResults": 1000}
	if contactID != "" {
		in["ContactId"] = contactID
	}
	var all []engine.Event
	for {
		var out struct {
			Events    []engine.Event
			NextToken *string
		}
		if err := c.Do(ctx, "POST", "contact-events", in, &out); err != nil {
			return nil, err
		}
		all = append(all, out.Events...)
		if out.NextToken == nil {
			return all, nil
		}
		in["NextToken"] = *out.NextToken
	}
}
