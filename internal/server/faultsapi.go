package server

// The fault rules through Switchboard's own API (docs/TESTING.md,
// "Throttling and fault injection"):
//
//	GET  /_switchboard/faults   the rules in force, with how often each has
//	                            matched and fired, and the counts by kind
//	POST /_switchboard/faults   replace the rules ({"seed":..,"rules":[..]});
//	                            {"rules":[]} removes them

import (
	"context"

	"github.com/switchboard-dev/switchboard/internal/faults"
)

// The actions of the fault API, for access policies.
const (
	ActionGetFaults = "switchboard:GetFaults"
	ActionSetFaults = "switchboard:SetFaults"
)

type faultsOutput struct {
	Seed     uint64              `json:"seed"`
	Rules    []faults.RuleStatus `json:"rules"`
	Injected []injectedCount     `json:"injected"`
}

type injectedCount struct {
	Operation string `json:"operation"`
	Fault     string `json:"fault"`
	Count     uint64 `json:"count"`
}

// addFaultRoutes serves the fault rules of inj.
func (a *switchboardAPI) addFaultRoutes(inj *faults.Injector) {
	get := func(context.Context, []byte) (any, error) { return faultsStatus(inj), nil }
	set := func(_ context.Context, body []byte) (any, error) {
		var cfg faults.Config
		if err := decodeBody(body, &cfg, `"rules" and optionally "seed"`); err != nil {
			return nil, err
		}
		if err := inj.Set(cfg); err != nil {
			return nil, badRequest(err.Error())
		}
		return faultsStatus(inj), nil
	}
	a.routes["GET "+SwitchboardPrefix+"faults"] = endpoint{name: ActionGetFaults, action: ActionGetFaults, serve: get}
	a.routes["POST "+SwitchboardPrefix+"faults"] = endpoint{name: ActionSetFaults, action: ActionSetFaults, serve: set}
}

func faultsStatus(inj *faults.Injector) faultsOutput {
	seed, rules := inj.Rules()
	out := faultsOutput{Seed: seed, Rules: rules, Injected: []injectedCount{}}
	for _, c := range inj.Counts() {
		out.Injected = append(out.Injected, injectedCount{Operation: c.Operation, Fault: c.Fault, Count: c.N})
	}
	return out
}
