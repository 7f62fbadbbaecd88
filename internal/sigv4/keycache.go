package sigv4

import "sync"

// maxCachedKeys bounds a keyCache. Keys change once a day per credential
// and region, so a handful are live at any time; when the cache is full
// it starts over.
const maxCachedKeys = 256

// keyCache remembers signing keys: deriving one is four HMAC-SHA256s,
// about a quarter of verifying a small request, and every request of a
// caller on one day and region uses the same key. The cache is keyed by
// everything the key is derived from, so a hit is exactly what
// SigningKey would return.
type keyCache struct {
	mu   sync.Mutex
	keys map[string][]byte
}

// get returns SigningKey(secret, date, region, service).
func (c *keyCache) get(secret, date, region, service string) []byte {
	id := secret + "\x00" + date + "\x00" + region + "\x00" + service
	c.mu.Lock()
	k, ok := c.keys[id]
	c.mu.Unlock()
	if ok {
		return k
	}
	k = SigningKey(secret, date, region, service)
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= maxCachedKeys {
		c.keys = make(map[string][]byte)
	}
	c.keys[id] = k
	c.mu.Unlock()
	return k
}
