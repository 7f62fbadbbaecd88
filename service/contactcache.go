package service

// Decoded contact documents kept across the engine's transactions. A
// contact is read and rewritten by each transaction that moves it
// (started, offered, connected, stopped, out of after contact work), and
// decoding its document was a sixth of a day of traffic's time. A
// transaction that writes a contact hands its document, with the record
// Version the write gave it, to the cache once it has committed; the next
// transaction that reads the contact and finds the same Version in the
// store takes the document out of the cache instead of decoding the
// record. Taking moves it: the document is the transaction's alone, as a
// decoded one would be, and a transaction that fails loses it (the next
// read decodes). The Version, which every write of the record changes,
// makes a document left behind by another process's or an earlier write
// a miss, never a stale answer.

import (
	"sync"

	"github.com/switchboard-dev/switchboard"
)

// maxCachedContacts bounds the cache: more than the live contacts of the
// largest instances benchmarked; past it the cache starts over.
const maxCachedContacts = 1 << 16

type contactDocCache struct {
	mu sync.Mutex
	m  map[switchboard.Key]cachedContact
}

type cachedContact struct {
	version int64
	doc     *contactDoc
}

// take removes and returns the document of the contact at version, or
// nil.
func (c *contactDocCache) take(k switchboard.Key, version int64) *contactDoc {
	c.mu.Lock()
	defer c.mu.Unlock()
	cc, ok := c.m[k]
	if !ok {
		return nil
	}
	delete(c.m, k)
	if cc.version != version {
		return nil
	}
	return cc.doc
}

// put keeps the document of a contact just written at version.
func (c *contactDocCache) put(k switchboard.Key, version int64, doc *contactDoc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedContacts {
		c.m = make(map[switchboard.Key]cachedContact)
	}
	c.m[k] = cachedContact{version, doc}
}
