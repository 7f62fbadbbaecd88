package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/switchboard-dev/switchboard/flow"
)

const flowUsage = "usage: switchboard flow validate [--type CONTACT_FLOW|CUSTOMER_QUEUE|...|MODULE] FILE..."

// runFlow is `switchboard flow validate [--type T] FILE...`: it checks each
// file offline (no resources are looked up) as Connect checks a published
// flow of type T, prints each problem as "FILE: message", and answers the
// exit status: 0 all valid, 1 problems found, 2 usage errors.
func runFlow(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "validate" {
		fmt.Fprintln(stderr, flowUsage)
		return 2
	}
	fs := flag.NewFlagSet("flow validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kind := fs.String("type", string(flow.KindContactFlow), "the flow type (ContactFlowType), or MODULE for a flow module")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if !slices.Contains(flow.Kinds, flow.Kind(*kind)) {
		fmt.Fprintf(stderr, "switchboard flow validate: --type %q is not one of %v\n", *kind, flow.Kinds)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, flowUsage)
		return 2
	}
	status := 0
	for _, name := range fs.Args() {
		content, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "switchboard flow validate: %v\n", err)
			status = 2
			continue
		}
		for _, p := range flow.Validate(string(content), flow.Kind(*kind), nil) {
			fmt.Fprintf(stdout, "%s: %s\n", name, p.Message)
			status = max(status, 1)
		}
	}
	return status
}
