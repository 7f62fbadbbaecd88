package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	gojson "github.com/goccy/go-json"
)

// emptyHash is the SHA-256 of an empty payload, precomputed for GETs.
var emptyHash = hashHex(nil)

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// client sends SigV4-signed restJson1 requests to one endpoint. It is the
// same code, with the same transport settings, for every target, so that the
// client's own cost is identical across the figures it compares.
type client struct {
	base   *url.URL
	region string
	creds  aws.Credentials
	signer *v4.Signer
	http   *http.Client
}

func newClient(endpoint, region, key, secret string, workers int) (*client, error) {
	u, err := url.Parse(strings.TrimSuffix(endpoint, "/"))
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: want http:// or https://", endpoint)
	}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * workers,
		MaxIdleConnsPerHost: 2 * workers, // the default of 2 would reconnect on most requests
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &client{
		base:   u,
		region: region,
		creds:  aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, Source: "switchboard-bench"},
		signer: v4.NewSigner(),
		http:   &http.Client{Transport: tr, Timeout: 60 * time.Second},
	}, nil
}

// apiError is a non-2xx answer.
type apiError struct {
	Status int
	Type   string
	Body   string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Type, e.Body)
}

// do sends one request. escapedPath is the path as it goes on the wire
// (labels already escaped); query may be nil; body nil sends no body. When
// out is not nil the JSON answer is decoded into it, otherwise it is read
// and discarded.
func (c *client) do(ctx context.Context, method, escapedPath string, query url.Values, body []byte, out any) error {
	u := *c.base
	path, err := url.PathUnescape(escapedPath)
	if err != nil {
		return err
	}
	u.Path = c.base.Path + path
	u.RawPath = c.base.EscapedPath() + escapedPath
	if query != nil {
		u.RawQuery = strings.ReplaceAll(query.Encode(), "+", "%20")
	}
	var rd io.Reader
	hash := emptyHash
	if body != nil {
		rd = bytes.NewReader(body)
		hash = hashHex(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("X-Amz-Content-Sha256", hash)
	if err := c.signer.SignHTTP(ctx, c.creds, req, hash, "connect", c.region, time.Now()); err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &apiError{Status: resp.StatusCode, Type: resp.Header.Get("X-Amzn-ErrorType"), Body: string(b)}
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	buf := bodyBufs.Get().(*bytes.Buffer)
	defer bodyBufs.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	return gojson.Unmarshal(buf.Bytes(), out)
}

// bodyBufs holds the buffers answers are read into before decoding.
//
// Answers are decoded with github.com/goccy/go-json rather than
// encoding/json: a ListUsers page of 1,000 users (277 KB) takes it about
// 0.5 ms against 2.7 ms, and a one-walker ListUsers walk alternates
// between the server's page and the client's decoding, so with
// encoding/json the client's half of the cycle would be what the walk
// measured (docs/PERFORMANCE.md). Unmarshal copies its input, so the
// decoded strings do not share the pooled buffer.
var bodyBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// jsonBody marshals v, which is always one of the bench's own shapes.
func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// label escapes one URI label the way the AWS SDKs do: everything but
// unreserved characters, '/' included.
func label(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}
