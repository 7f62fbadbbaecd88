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
//
// It prints "listening on ADDR" once ready.
package main

import (
	"bytes"
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
	mode := flag.String("break", "timestamp", "what to break: timestamp or errortype")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		log.Fatalf("brokenproxy: -target %q is not a URL", *target)
	}
	if *mode != "timestamp" && *mode != "errortype" {
		log.Fatalf("brokenproxy: unknown -break %q", *mode)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = func(resp *http.Response) error {
		switch *mode {
		case "errortype":
			resp.Header.Del("X-Amzn-ErrorType")
		case "timestamp":
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			body = timestampMember.ReplaceAll(body, []byte(`"$1":"2026-01-02 03:04:05"`))
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
