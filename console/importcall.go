package console

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-dev/switchboard/api"
)

// signedCaller is bulkusers.Caller for the console: each call becomes the
// HTTP request the model describes for the operation (method, URI with
// its labels, query string, headers, JSON body of the body members),
// SigV4-signed with the session's key and handed to the server's Connect
// handler in process, like the SDK client's calls (transport.go). So the
// import is verified, authorised by the key's policy, throttled and
// validated like any other call; an error comes back as the api error
// type of its code, with the API's message.
type signedCaller struct {
	handler http.Handler
	creds   aws.CredentialsProvider
	region  string
	now     func() time.Time
}

func newSignedCaller(h *Handler, s *session) *signedCaller {
	return &signedCaller{handler: h.cfg.API, creds: s.client.Options().Credentials, region: s.region, now: time.Now}
}

var operationsByName = func() map[string]*api.Operation {
	m := make(map[string]*api.Operation, len(api.Operations))
	for _, op := range api.Operations {
		m[op.Name] = op
	}
	return m
}()

// Call implements bulkusers.Caller.
func (c *signedCaller) Call(ctx context.Context, name string, in api.Request, out any) error {
	op := operationsByName[name]
	if op == nil {
		return fmt.Errorf("%s: no such operation in the model", name)
	}
	req, err := encodeRequest(ctx, op, in)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "connect", c.region, c.now()); err != nil {
		return err
	}
	resp, err := inProcess{handler: c.handler}.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		code := resp.Header.Get("X-Amzn-ErrorType")
		if i := strings.IndexAny(code, ":,"); i >= 0 {
			code = code[:i]
		}
		var msg struct{ Message, Msg string }
		_ = json.Unmarshal(b, &msg)
		if msg.Message == "" {
			msg.Message = msg.Msg
		}
		if code == "" {
			return fmt.Errorf("%s: HTTP %d", name, resp.StatusCode)
		}
		return api.NewError(code, msg.Message)
	}
	if out == nil || len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	return json.Unmarshal(b, out)
}

// encodeRequest builds the request of op for in, the reverse of the wire
// layer's binding (api.Request.BindHTTP and the JSON body): members bound
// to the URI, the query string and headers go there, the others (whose
// JSON tags are not "-") in the body, which encoding/json writes.
func encodeRequest(ctx context.Context, op *api.Operation, in api.Request) (*http.Request, error) {
	v := reflect.ValueOf(in)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	path := op.URI
	query := url.Values{}
	header := http.Header{}
	hasBody := false
	for _, m := range op.Members {
		if m.Location == "body" {
			hasBody = true
			continue
		}
		f := v.FieldByName(m.Member)
		if !f.IsValid() {
			return nil, fmt.Errorf("member %s is not in %s", m.Member, op.InputShape)
		}
		vals := memberStrings(f)
		switch m.Location {
		case "uri":
			val := ""
			if len(vals) > 0 {
				val = vals[0]
			}
			if val == "" {
				return nil, fmt.Errorf("member %s (in the URI) is required", m.Member)
			}
			greedy := "{" + m.LocationName + "+}"
			if strings.Contains(path, greedy) {
				parts := strings.Split(val, "/")
				for i := range parts {
					parts[i] = url.PathEscape(parts[i])
				}
				path = strings.Replace(path, greedy, strings.Join(parts, "/"), 1)
			} else {
				path = strings.Replace(path, "{"+m.LocationName+"}", url.PathEscape(val), 1)
			}
		case "querystring":
			for _, s := range vals {
				query.Add(m.LocationName, s)
			}
		case "header":
			for _, s := range vals {
				header.Add(m.LocationName, s)
			}
		}
	}
	u := apiEndpoint + path
	if q, fixed, ok := strings.Cut(path, "?"); ok {
		// A URI template with a fixed query (such as ?type=...).
		u = apiEndpoint + q
		extra, _ := url.ParseQuery(fixed)
		for k, vs := range extra {
			query[k] = append(query[k], vs...)
		}
	}
	if len(query) > 0 {
		u += "?" + strings.ReplaceAll(query.Encode(), "+", "%20")
	}
	var body []byte
	if hasBody {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// memberStrings writes a URI, query or header member's value as text:
// nothing when unset, one value for a scalar, one per item for a list.
func memberStrings(f reflect.Value) []string {
	switch f.Kind() {
	case reflect.Pointer:
		if f.IsNil() {
			return nil
		}
		return memberStrings(f.Elem())
	case reflect.Slice:
		var out []string
		for i := range f.Len() {
			out = append(out, memberStrings(f.Index(i))...)
		}
		return out
	case reflect.String:
		return []string{f.String()}
	case reflect.Bool:
		return []string{fmt.Sprint(f.Bool())}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return []string{fmt.Sprint(f.Int())}
	case reflect.Float32, reflect.Float64:
		return []string{fmt.Sprint(f.Float())}
	default:
		if t, ok := f.Interface().(api.Timestamp); ok {
			return []string{t.UTC().Format(time.RFC3339)}
		}
		return []string{fmt.Sprint(f.Interface())}
	}
}
