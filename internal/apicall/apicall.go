// Package apicall sends one SigV4-signed call to Switchboard's own API
// (/_switchboard/..., docs/TESTING.md) and reads its answer: the one
// client code behind switchboardtest's APIClient (and so `switchboard
// sim`) and the console's agent panel.
package apicall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

// Error is an error answer: its HTTP status, its type (the
// X-Amzn-ErrorType header, as Connect's errors have it) and message.
type Error struct {
	Status  int
	Type    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s (%d): %s", e.Type, e.Status, e.Message) }

// ErrorCode, ErrorMessage, ErrorFault and HTTPStatusCode make it a
// smithy.APIError, read like the SDK's errors.
func (e *Error) ErrorCode() string    { return e.Type }
func (e *Error) ErrorMessage() string { return e.Message }
func (e *Error) HTTPStatusCode() int  { return e.Status }

func (e *Error) ErrorFault() smithy.ErrorFault {
	if e.Status >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// Call is where and as whom calls are made.
type Call struct {
	Endpoint, Region string
	// AccessKeyID and Secret sign the call; an empty key leaves it
	// unsigned.
	AccessKeyID, Secret string
	// HTTP sends it; nil: http.DefaultClient.
	HTTP *http.Client
}

// Do sends method and path below /_switchboard/ (such as "POST",
// "clock/advance") with in encoded as the JSON body (nil: none), and
// decodes the answer into out (nil: ignored). An answer other than 200 is
// an *Error. Signatures are made with the wall clock, whatever the
// contact engine's clock says.
func (c Call) Do(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.Endpoint, "/")+"/_switchboard/"+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.AccessKeyID != "" {
		sigv4.Sign(req, body, c.AccessKeyID, c.Secret, c.Region, "connect", time.Now())
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var m struct{ Message string } // matched case-insensitively: Message or message
		_ = json.Unmarshal(raw, &m)
		msg := m.Message
		if msg == "" {
			msg = strings.TrimSpace(string(raw))
		}
		typ, _, _ := strings.Cut(resp.Header.Get("X-Amzn-ErrorType"), ":")
		return &Error{Status: resp.StatusCode, Type: typ, Message: msg}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s answered %q: %w", path, raw, err)
	}
	return nil
}
