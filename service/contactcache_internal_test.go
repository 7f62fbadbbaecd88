package service

import (
	"testing"

	"github.com/switchboard-dev/switchboard"
)

func TestContactDocCacheHandsOutOnlyTheVersionItWasGiven(t *testing.T) {
	var c contactDocCache
	k := switchboard.Key{Kind: switchboard.KindContact, Parent: "i", ID: "c"}
	doc := &contactDoc{}
	c.put(k, 3, doc)
	if got := c.take(k, 4); got != nil {
		t.Fatal("a document of version 3 was handed out for version 4")
	}
	if got := c.take(k, 3); got != nil {
		t.Fatal("a miss left the stale document behind")
	}
	c.put(k, 3, doc)
	if got := c.take(k, 3); got != doc {
		t.Fatalf("took %p, want %p", got, doc)
	}
	if got := c.take(k, 3); got != nil {
		t.Fatal("taking did not move the document out: two transactions could share it")
	}
	for i := range maxCachedContacts + 1 {
		c.put(switchboard.Key{Kind: switchboard.KindContact, ID: string(rune(i))}, 1, doc)
	}
	if len(c.m) > maxCachedContacts {
		t.Fatalf("%d documents kept, bound %d", len(c.m), maxCachedContacts)
	}
}
