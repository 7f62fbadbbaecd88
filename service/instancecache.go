package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/switchboard-dev/switchboard"
)

// Reading instances cheaply. Almost every operation names an instance, and
// decoding the instance's JSON document (a map of thirteen attributes) cost
// as much as the point read itself. Two things avoid it:
//
//   - instanceRecord only proves the instance exists, for the many callers
//     that need its id and nothing of its document;
//   - instanceDocs remembers decoded documents keyed by the exact stored
//     bytes (docCache). A hit is by construction the decoding of what this
//     snapshot holds, whatever process wrote it and with whichever store,
//     so the cache can never be stale; a changed instance simply misses.
//
// Users get the same treatment for the part of their document that many
// users share: the channel lists (readUserDoc in users.go).

// instanceRecord loads an instance by id or ARN without decoding its
// document, or answers ResourceNotFoundException.
func instanceRecord(tx switchboard.Tx, sc switchboard.Scope, idOrARN string) (*switchboard.Record, error) {
	id := instanceIDFrom(idOrARN)
	rec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindInstance, ID: id})
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, notFound("Instance %s not found", id)
	}
	return rec, err
}

// maxCachedDocs bounds a docCache; the cache starts over when it is full,
// which costs only decodes.
const maxCachedDocs = 512

// docCache maps stored JSON documents to their decoding. Keyed by the exact
// bytes, a hit is by construction the decoding of what the caller read, so
// the cache is exact whoever wrote the bytes. The decoded values are
// shared: callers must not modify them.
type docCache[T any] struct {
	mu   sync.RWMutex
	docs map[string]*T
	// max bounds the cache (0: maxCachedDocs).
	max int
}

// get returns the decoding of data, decoding it only when these exact
// bytes were not seen before. what names the document in errors.
func (c *docCache[T]) get(data []byte, what func() string) (*T, error) {
	c.mu.RLock()
	d, ok := c.docs[string(data)]
	c.mu.RUnlock()
	if ok {
		return d, nil
	}
	d = new(T)
	if err := json.Unmarshal(data, d); err != nil {
		return nil, fmt.Errorf("decoding stored %s: %w", what(), err)
	}
	c.put(data, d)
	return d, nil
}

// put records that data decodes to d (which the caller no longer changes):
// for a document written now and read again soon.
func (c *docCache[T]) put(data []byte, d *T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.max
	if limit == 0 {
		limit = maxCachedDocs
	}
	if c.docs == nil || len(c.docs) >= limit {
		c.docs = make(map[string]*T)
	}
	c.docs[string(data)] = d
}

// instanceDoc returns the shared decoding of an instance record's document.
func (s *Service) instanceDoc(rec *switchboard.Record) (*instanceDoc, error) {
	return s.instanceDocs.get(rec.Data, func() string { return string(rec.Kind) + " " + rec.ID })
}

// viewInstance loads an instance for reading: its record and its shared,
// read-only document.
func (s *Service) viewInstance(tx switchboard.Tx, sc switchboard.Scope, idOrARN string) (*switchboard.Record, *instanceDoc, error) {
	rec, err := instanceRecord(tx, sc, idOrARN)
	if err != nil {
		return nil, nil, err
	}
	doc, err := s.instanceDoc(rec)
	if err != nil {
		return nil, nil, err
	}
	return rec, doc, nil
}
