package service

import (
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/flow"
)

// flowResolver answers the flow validator's questions about the resources
// a flow's or module's content names, from the transaction that stores
// it: queues (AGENT queues included), hours of operation, contact flows,
// flow modules (with a version or alias qualifier, that version or alias),
// users and prompts of the instance, by id or by an ARN of this instance,
// and Lambda functions associated with the instance, by their ARN.
type flowResolver struct {
	tx         switchboard.Tx
	sc         switchboard.Scope
	instanceID string
}

var flowResourceKinds = map[flow.Resource]switchboard.Kind{
	flow.Queue:            switchboard.KindQueue,
	flow.HoursOfOperation: switchboard.KindHoursOfOperation,
	flow.ContactFlow:      switchboard.KindContactFlow,
	flow.FlowModule:       switchboard.KindFlowModule,
	flow.User:             switchboard.KindUser,
	flow.Prompt:           switchboard.KindPrompt,
}

func (r flowResolver) Exists(res flow.Resource, idOrARN string) (exists, known bool) {
	if res == flow.LambdaFunction {
		_, err := r.tx.Get(LambdaFunctionKey(r.sc, r.instanceID, idOrARN))
		return err == nil, true
	}
	kind, ok := flowResourceKinds[res]
	if !ok {
		return false, false
	}
	id := idOrARN
	if strings.HasPrefix(idOrARN, "arn:") {
		k, ok := parseARN(r.sc, idOrARN)
		if !ok || k.Parent != r.instanceID || k.Kind != kind {
			return false, true
		}
		id = k.ID
	}
	var err error
	switch kind {
	case switchboard.KindQueue:
		_, err = getQueue(r.tx, r.sc, r.instanceID, id)
	case switchboard.KindFlowModule:
		var qualifier string
		id, qualifier, _ = strings.Cut(id, ":")
		if _, err = r.tx.Get(switchboard.Key{Scope: r.sc, Kind: kind, Parent: r.instanceID, ID: id}); err == nil && qualifier != "" {
			_, err = moduleVersionFor(r.tx, r.sc, r.instanceID, id, qualifier)
		}
	case switchboard.KindContactFlow:
		id, _, _ = strings.Cut(id, ":")
		_, err = r.tx.Get(switchboard.Key{Scope: r.sc, Kind: kind, Parent: r.instanceID, ID: id})
	default:
		_, err = r.tx.Get(switchboard.Key{Scope: r.sc, Kind: kind, Parent: r.instanceID, ID: id})
	}
	return err == nil, true
}
