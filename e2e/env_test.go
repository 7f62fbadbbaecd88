// Package e2e drives a real Switchboard server over loopback with real
// clients (aws-sdk-go-v2's Connect client, and SigV4-signed raw HTTP for
// what no SDK would send).
package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/engine"
	"github.com/switchboard-dev/switchboard/internal/server"
	"github.com/switchboard-dev/switchboard/service"
	"github.com/switchboard-dev/switchboard/storage/sqlite"
)

const region = "us-east-1"

type env struct {
	t      *testing.T
	url    string
	client *connect.Client
	store  switchboard.Store
	srv    *httptest.Server
	svc    *service.Service // the server's service, for in-process drivers
}

type options struct {
	store  switchboard.Store
	quotas service.Quotas
	// wrap, when set, stands between the test's clients and the server.
	wrap func(http.Handler) http.Handler
	// clock, when set, is the contact center's clock (a virtual one for
	// the engine's tests).
	clock engine.Clock
}

// start runs a server on a loopback port with an in-memory store (or the
// given one) and returns a Connect client pointed at it.
func start(t *testing.T, o options) *env {
	t.Helper()
	store := o.store
	if store == nil {
		s, err := sqlite.OpenMemory()
		if err != nil {
			t.Fatal(err)
		}
		store = s
		t.Cleanup(func() { s.Close() })
	}
	h, svc := server.New(server.Config{Store: store, Quotas: o.quotas, Clock: o.clock})
	// As the binary does at start: a store with running contacts carries
	// on with them.
	if err := svc.ResumeEngine(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close) // before the store closes (cleanups run last first)
	if o.wrap != nil {
		h = o.wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, url: srv.URL, client: newClient(srv.URL, "test", "test", region), store: store, srv: srv, svc: svc}
}

// durable starts a server on a SQLite file in a temporary directory; its
// restart method stops it and starts another on the same file.
func durable(t *testing.T, o options) (*env, func() *env) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "switchboard.db")
	open := func() *env {
		t.Helper()
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		o.store = s
		return start(t, o)
	}
	e := open()
	return e, func() *env {
		t.Helper()
		e.srv.Close()
		if err := e.store.Close(); err != nil {
			t.Fatal(err)
		}
		return open()
	}
}

func newClient(url, key, secret, region string) *connect.Client {
	return connect.New(connect.Options{
		Region:           region,
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
	})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// createInstance makes a CONNECT_MANAGED instance and returns its id.
func (e *env) createInstance(alias string) string {
	e.t.Helper()
	out, err := e.client.CreateInstance(ctx(e.t), &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias:          aws.String(alias),
		InboundCallsEnabled:    aws.Bool(true),
		OutboundCallsEnabled:   aws.Bool(true),
	})
	if err != nil {
		e.t.Fatalf("CreateInstance: %v", err)
	}
	return *out.Id
}

// raw sends a SigV4-signed request with an arbitrary body, for inputs no
// SDK would produce.
func (e *env) raw(method, path string, body []byte) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256(body)
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, req, hex.EncodeToString(sum[:]), "connect", region, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}
