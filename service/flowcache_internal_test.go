package service

import (
	"fmt"
	"strings"
	"testing"
)

func TestParsedFlowsAreParsedOncePerContent(t *testing.T) {
	var c parsedFlowCache
	content := `{"Version":"2019-10-30","StartAction":"end","Actions":[{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
	f1, problems := c.parse(content)
	if f1 == nil {
		t.Fatalf("not parsed: %v", problems)
	}
	if f2, _ := c.parse(content); f2 != f1 {
		t.Fatal("the same content parsed twice")
	}
	if f, problems := c.parse(`{"Version":`); f != nil || len(problems) == 0 {
		t.Fatalf("broken content: %v %v", f, problems)
	}
	if _, ok := c.flows[`{"Version":`]; ok {
		t.Fatal("a content that cannot be read was kept")
	}
	for i := range maxParsedFlows + 1 {
		if f, problems := c.parse(strings.ReplaceAll(content, `"end"`, fmt.Sprintf(`"end%d"`, i))); f == nil {
			t.Fatal(problems)
		}
	}
	if len(c.flows) > maxParsedFlows || len(c.flows) == 0 {
		t.Fatalf("%d flows kept, bound %d", len(c.flows), maxParsedFlows)
	}
}
