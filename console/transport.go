package console

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
)

// apiEndpoint is the base URL the console's clients sign for. No request
// to it leaves the process: inProcess hands it to the Connect handler.
// The host is in the reserved .invalid domain so that a mistake could
// never reach a real host.
const apiEndpoint = "http://switchboard-console.invalid"

// inProcess is an http.RoundTripper that serves a client's request with
// the server's Connect handler, in process: the request the handler sees
// is the one the SDK built and signed, so it is verified, authorised,
// validated and answered exactly as one that came over the network.
type inProcess struct{ handler http.Handler }

type remoteAddrKey struct{}

// withRemoteAddr makes the console's API calls carry the browser's
// address as their peer, as the handler would see for a direct call.
func withRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteAddrKey{}, addr)
}

// RoundTrip implements http.RoundTripper.
func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	in := req.Clone(ctx)
	in.RequestURI = req.URL.RequestURI()
	in.Host = req.Host
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.Proto == "" {
		in.Proto, in.ProtoMajor, in.ProtoMinor = "HTTP/1.1", 1, 1
	}
	in.RemoteAddr, _ = ctx.Value(remoteAddrKey{}).(string)
	if in.RemoteAddr == "" {
		in.RemoteAddr = "0.0.0.0:0"
	}
	rec := &recorder{header: http.Header{}}
	t.handler.ServeHTTP(rec, in)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", rec.status, http.StatusText(rec.status)),
		StatusCode:    rec.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        canonical(rec.header),
		Body:          io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()),
		Request:       req,
	}, nil
}

// canonical returns h with canonical keys, as a response read from the
// network has: handlers may set keys directly in the map
// (h["x-amzn-RequestId"]), and clients look them up with Get.
func canonical(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		ck := http.CanonicalHeaderKey(k)
		out[ck] = append(out[ck], v...)
	}
	return out
}

// recorder is the http.ResponseWriter inProcess hands the handler.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// newClient returns a Connect client acting as one access key, whose
// requests go to handler in process. It does not retry: an error is shown
// to the person who caused it, as the API answered it.
func newClient(handler http.Handler, accessKeyID, secret, region string) *connect.Client {
	return connect.New(connect.Options{
		Region:       region,
		BaseEndpoint: aws.String(apiEndpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secret, ""),
		HTTPClient:   &http.Client{Transport: inProcess{handler: handler}},
		Retryer:      aws.NopRetryer{},
	})
}
