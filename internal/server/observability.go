package server

// Health and metrics through Switchboard's own API (docs/TESTING.md,
// "Health and metrics"):
//
//	GET /_switchboard/health        liveness, readiness and the store's state:
//	                                200 when ready, 503 when not
//	GET /_switchboard/health/live   200 {"live":true} while the process serves
//	GET /_switchboard/health/ready  200 {"ready":true}, or 503 {"ready":false}
//	                                while the store does not answer
//	GET /_switchboard/metrics       the Prometheus metrics (internal/telemetry)
//
// Who may call them (docs/SECURITY.md, "Health and metrics"): live and
// ready answer anyone, unsigned, because orchestrators' probes cannot
// sign and the one bit they tell is no secret. health (which carries the
// store's error, naming hosts) and metrics (operation names, counts,
// queue ids) answer unsigned calls from this host only; from elsewhere
// they are signed and authorised under switchboard:GetHealth and
// switchboard:GetMetrics like the rest of the API.

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strconv"

	"github.com/switchboard-dev/switchboard/internal/telemetry"
)

// The actions of health and metrics, for access policies; they are
// checked only for calls from other hosts.
const (
	ActionGetHealth  = "switchboard:GetHealth"
	ActionGetMetrics = "switchboard:GetMetrics"
)

// The names the probes are logged and counted under; they need no
// permission.
const (
	nameHealthLive  = "switchboard:HealthLive"
	nameHealthReady = "switchboard:HealthReady"
)

// rawAnswer is an endpoint's result that writes itself (a status other
// than 200, or a body that is not JSON) instead of being sent as JSON
// with 200; it returns the status it wrote.
type rawAnswer func(w http.ResponseWriter, r *http.Request) int

// healthOutput is GET /_switchboard/health's answer.
type healthOutput struct {
	// Status is "ok" when ready and "unavailable" when not.
	Status string `json:"status"`
	Live   bool   `json:"live"`
	Ready  bool   `json:"ready"`
	// Store is "ok" or why the store cannot serve.
	Store string `json:"store"`
}

type liveOutput struct {
	Live bool `json:"live"`
}

type readyOutput struct {
	Ready bool `json:"ready"`
}

// addObservability serves health (from ready) and metrics (from m).
func (a *switchboardAPI) addObservability(m *telemetry.Metrics, ready *telemetry.Readiness) {
	metrics := m.Handler()
	health := func(context.Context, []byte) (any, error) {
		out := healthOutput{Status: "ok", Live: true, Ready: true, Store: "ok"}
		if err := ready.Check(); err != nil {
			out = healthOutput{Status: "unavailable", Live: true, Store: err.Error()}
		}
		return jsonAnswer(readyStatus(out.Ready), out), nil
	}
	live := func(context.Context, []byte) (any, error) { return liveOutput{Live: true}, nil }
	readiness := func(context.Context, []byte) (any, error) {
		ok := ready.Check() == nil
		return jsonAnswer(readyStatus(ok), readyOutput{Ready: ok}), nil
	}
	scrape := func(context.Context, []byte) (any, error) {
		return rawAnswer(func(w http.ResponseWriter, r *http.Request) int {
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			metrics.ServeHTTP(sw, r)
			return sw.status
		}), nil
	}
	a.routes["GET "+SwitchboardPrefix+"health"] = endpoint{name: ActionGetHealth, action: ActionGetHealth, localUnsigned: true, serve: health}
	a.routes["GET "+SwitchboardPrefix+"health/live"] = endpoint{name: nameHealthLive, serve: live}
	a.routes["GET "+SwitchboardPrefix+"health/ready"] = endpoint{name: nameHealthReady, serve: readiness}
	a.routes["GET "+SwitchboardPrefix+"metrics"] = endpoint{name: ActionGetMetrics, action: ActionGetMetrics, localUnsigned: true, serve: scrape}
}

func readyStatus(ready bool) int {
	if ready {
		return http.StatusOK
	}
	return http.StatusServiceUnavailable
}

// jsonAnswer sends v as JSON with status.
func jsonAnswer(status int, v any) rawAnswer {
	return func(w http.ResponseWriter, _ *http.Request) int {
		body, err := json.Marshal(v)
		if err != nil {
			// Only plain structs of strings and bools are sent here.
			panic(err)
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		w.Write(body)
		return status
	}
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// forwardedHeaders are the headers a reverse proxy adds to say whom it
// forwards for.
var forwardedHeaders = []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"}

// fromLoopback reports whether r comes from this host: its peer is a
// loopback address and it carries no header a proxy adds. A reverse proxy
// on the same host connects from loopback on behalf of clients anywhere;
// the headers it adds (as nginx, HAProxy, Envoy and Caddy do when told to,
// and most setups tell them to) say the call is not local after all.
// docs/SECURITY.md says to deny /_switchboard/ at a proxy that adds none.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, h := range forwardedHeaders {
		if _, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
			return false
		}
	}
	return true
}
