package main

// switchboard sim: Switchboard's test API (docs/TESTING.md) from a shell.
// Each subcommand is one signed call to a running server; the answer is
// printed as JSON, an error as its type and message (exit status 1).

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/switchboard-dev/switchboard/switchboardtest"
)

const simUsage = `usage: switchboard sim COMMAND [flags]

Drives a running Switchboard's test API (docs/TESTING.md). Every command
takes --endpoint (default $SWITCHBOARD_ENDPOINT or http://127.0.0.1:4599)
and signs with $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY (default
test/test) in $AWS_REGION (default us-east-1).

  clock                                         the clock's time
  advance SECONDS | advance --to RFC3339        move the virtual clock
  call --from E164 (--number E164 | --instance ID --flow ID) [--attr k=v]...
                                                a customer calls
  accept|reject|hang-up|clear --instance ID --contact ID --user ID
                                                act as the agent
  customer-hang-up --instance ID --contact ID   the customer leaves
  lambda --arn ARN (--response JSON | --error MESSAGE | --remove)
                                                what a Lambda function answers flows
  events --instance ID [--contact ID]           the contact events, one JSON object a line`

// simClient sends signed calls to one endpoint: the harness's client of
// the test API, answers decoded as they come.
type simClient struct{ *switchboardtest.APIClient }

func (c simClient) call(method, path string, in any) (map[string]any, error) {
	var out map[string]any
	err := c.Do(context.Background(), method, path, in, &out)
	return out, err
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// attrFlags collects repeated --attr k=v flags.
type attrFlags map[string]string

func (a attrFlags) String() string { return fmt.Sprint(map[string]string(a)) }

func (a attrFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	a[k] = val
	return nil
}

// runSim runs one sim command; it returns the exit status.
func runSim(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, simUsage)
		return 2
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet("sim "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", envOr("SWITCHBOARD_ENDPOINT", "http://127.0.0.1:4599"), "the server's URL")
	instance := fs.String("instance", "", "instance id")
	contact := fs.String("contact", "", "contact id")
	user := fs.String("user", "", "the agent's user id")
	to := fs.String("to", "", "advance to this RFC 3339 time")
	from := fs.String("from", "", "the caller's number (E.164)")
	number := fs.String("number", "", "the claimed number called (E.164)")
	flowID := fs.String("flow", "", "the flow to call, with --instance")
	arn := fs.String("arn", "", "the Lambda function's ARN")
	response := fs.String("response", "", `the function's answer, a JSON object of strings ({"tier":"gold"})`)
	errMsg := fs.String("error", "", "the function fails with this message")
	remove := fs.Bool("remove", false, "remove the function's stub")
	attrs := attrFlags{}
	fs.Var(attrs, "attr", "a contact attribute key=value (repeatable)")
	// Flags may follow a positional argument (advance 30 --endpoint ...).
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	c := simClient{&switchboardtest.APIClient{Endpoint: *endpoint, Region: envOr("AWS_REGION", "us-east-1"),
		Credentials: credentials.NewStaticCredentialsProvider(envOr("AWS_ACCESS_KEY_ID", "test"), envOr("AWS_SECRET_ACCESS_KEY", "test"), ""),
		HTTPClient:  &http.Client{Timeout: 5 * time.Minute}}}
	var out map[string]any
	var err error
	switch cmd {
	case "clock":
		out, err = c.call("GET", "clock", nil)
	case "advance":
		switch {
		case *to != "" && len(positional) == 0:
			var t time.Time
			if t, err = time.Parse(time.RFC3339Nano, *to); err == nil {
				out, err = c.call("POST", "clock/advance", map[string]any{"to": float64(t.UnixMilli()) / 1000})
			}
		case *to == "" && len(positional) == 1:
			var secs float64
			if _, err = fmt.Sscan(positional[0], &secs); err == nil {
				out, err = c.call("POST", "clock/advance", map[string]any{"seconds": secs})
			}
		default:
			err = errors.New("give SECONDS or --to TIME")
		}
	case "call":
		in := map[string]any{"CustomerPhoneNumber": *from}
		if *number != "" {
			in["PhoneNumber"] = *number
		}
		if *instance != "" {
			in["InstanceId"] = *instance
		}
		if *flowID != "" {
			in["ContactFlowId"] = *flowID
		}
		if len(attrs) > 0 {
			in["Attributes"] = map[string]string(attrs)
		}
		out, err = c.call("POST", "inbound-call", in)
	case "accept", "reject", "hang-up", "clear", "customer-hang-up":
		in := map[string]any{"InstanceId": *instance, "ContactId": *contact, "Action": cmd}
		if *user != "" {
			in["UserId"] = *user
		}
		out, err = c.call("POST", "agent/action", in)
	case "lambda":
		in := map[string]any{"FunctionArn": *arn}
		switch {
		case *response != "":
			var r map[string]string
			if err = json.Unmarshal([]byte(*response), &r); err != nil {
				err = fmt.Errorf("--response: want a JSON object of strings: %w", err)
			}
			in["Response"] = r
		case *errMsg != "":
			in["Error"] = *errMsg
		case !*remove:
			err = errors.New("give --response, --error or --remove")
		}
		if err == nil {
			out, err = c.call("POST", "lambda-stubs", in)
		}
	case "events":
		err = simEvents(c, *instance, *contact, stdout)
		if err == nil {
			return 0
		}
	default:
		fmt.Fprintf(stderr, "switchboard sim: unknown command %q\n\n%s\n", cmd, simUsage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "switchboard sim:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.Encode(out)
	return 0
}

// simEvents prints every event, one JSON object a line, following pages.
func simEvents(c simClient, instance, contact string, stdout io.Writer) error {
	in := map[string]any{"InstanceId": instance, "MaxResults": 1000}
	if contact != "" {
		in["ContactId"] = contact
	}
	enc := json.NewEncoder(stdout)
	for {
		out, err := c.call("POST", "contact-events", in)
		if err != nil {
			return err
		}
		events, _ := out["Events"].([]any)
		for _, e := range events {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		next, ok := out["NextToken"].(string)
		if !ok {
			return nil
		}
		in["NextToken"] = next
	}
}
