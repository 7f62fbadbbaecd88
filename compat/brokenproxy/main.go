// Command brokenproxy forwards requests to a Switchboard server and breaks
// its responses in one deliberate way, so that compat/selftest.sh can prove
// the compatibility runners notice a server that is wrong on the wire.
//
//	brokenproxy -listen 127.0.0.1:0 -target http://127.0.0.1:4599 -break timestamp
//
// Modes:
//
//	timestamp  every CreatedTime / LastModifiedTime number in a JSON body
//	           becomes a string, as moto once sent ISO strings
//	errortype  the X-Amzn-ErrorType header is dropped from error responses
//	empty      every empty list or map member is left out of a JSON body,
//	           as Switchboard did before docs/BEHAVIOUR.md's always-sent
//	           members
//
// It prints "listening on ADDR" once ready.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
)

var timestampMember = regexp.MustCompile(`"(CreatedTime|LastModifiedTime)":\s*-?[0-9][0-9.eE+-]*`)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	target := flag.String("target", "", "Switchboard URL to forward to")
	mode := flag.String("break", "timestamp", "what to break: timestamp, errortype or empty")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		log.Fatalf("brokenproxy: -target %q is not a URL", *target)
	}
	if *mode != "timestamp" && *mode != "errortype" && *mode != "empty" {
		log.Fatalf("brokenproxy: unknown -break %q", *mode)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = func(resp *http.Response) error {
		switch *mode {
		case "errortype":
			resp.Header.Del("X-Amzn-ErrorType")
		case "timestamp", "empty":
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			if *mode == "timestamp" {
				body = timestampMember.ReplaceAll(body, []byte(`"$1":"2026-01-02 03:04:05"`))
			} else {
				body = dropEmpty(body)
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
		return nil
	}
	// The client signs for the host it talks to; forward the request as it
	// came so the signature still verifies at Switchboard.
	director := proxy.Director
	proxy.Director = func(r *http.Request) {
		host := r.Host
		director(r)
		r.Host = host
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	log.Fatal(http.Serve(ln, proxy))
}

// dropEmpty removes every member whose value is [] or {} from a JSON body;
// a body that is not JSON is returned as it is.
func dropEmpty(body []byte) []byte {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return body
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, m := range x {
				switch e := m.(type) {
				case []any:
					if len(e) == 0 {
						delete(x, k)
						continue
					}
				case map[string]any:
					if len(e) == 0 {
						delete(x, k)
						continue
					}
				}
				walk(m)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
