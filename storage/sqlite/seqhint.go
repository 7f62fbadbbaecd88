package sqlite

import (
	"hash/maphash"
	"math"
	"math/bits"
	"sync"
	"sync/atomic"

	switchboard "github.com/switchboard-dev/switchboard"
)

// seqHints remembers the Seq (the rowid) of records the store has read or
// listed, so that a point read of one of them is a single descent of the
// table's B-tree instead of a descent of records_key followed by one of
// the table. At 1,000,000 users a DescribeUser missing every cache did
// both, reading a leaf page of each, and the key index's descent (long
// text keys, four levels) was the larger half of the read.
//
// A hint is only ever a guess: the read by Seq also matches the whole key
// (stmtGetBySeq), and when it finds nothing Get asks records_key as before.
// So a hint may be stale (the record was deleted; a rolled-back insert's
// Seq was handed out again) or collide with another key's hash without a
// wrong answer, and hints need no invalidation. Seqs of live records never
// change, which is what makes them worth keeping.
//
// The hints are a table of slots, two per set; a slot packs the upper half
// of the key's 64-bit hash (the tag) with the Seq, and the set is chosen by
// the tag's top bits. A lookup is two atomic loads and no lock, and the
// table is a pointer-free array that the garbage collector never scans. A
// new hint for a full set takes the place of the set's older one. The table
// starts small; when the first slots of half of its sets have been filled
// it is copied into one four times larger (a slot's tag says where it
// goes), up to 2^21 slots (16 MiB), where about nine in ten of 1,000,000
// hinted records keep theirs. So a store of a few thousand records holds
// a few hundred KiB of hints, and only a large one pays for a large table
// (with GOGC at 400, five times its size in heap goal). Two keys whose tags
// are equal share a hint (within a set, 11 of the tag's 32 bits tell them
// apart at the largest size): that costs one read by Seq that finds
// nothing, never a wrong answer.
type seqHints struct {
	seed  maphash.Seed
	table atomic.Pointer[hintTable]
	grow  sync.Mutex
}

type hintTable struct {
	slots  []atomic.Uint64
	shift  uint         // 64 - log2(len(slots)): the tag's top bits pick the set
	filled atomic.Int64 // first slots of sets that were empty when written
}

func newHintTable(n int) *hintTable {
	return &hintTable{slots: make([]atomic.Uint64, n), shift: uint(64 - bits.TrailingZeros(uint(n)))}
}

const (
	minHintSlots = 1 << 13
	maxHintSlots = 1 << 21 // at most 2^32: the set comes from the tag
)

func newSeqHints() *seqHints {
	h := &seqHints{seed: maphash.MakeSeed()}
	h.table.Store(newHintTable(minHintSlots))
	return h
}

// prefix hashes the collection part of a key: the records of one listing
// share it, so putAll and queryRecords compute it once a listing.
func (h *seqHints) prefix(s switchboard.Scope, kind switchboard.Kind, parent string) uint64 {
	var mh maphash.Hash
	mh.SetSeed(h.seed)
	mh.WriteString(s.Account)
	mh.WriteByte(0)
	mh.WriteString(s.Region)
	mh.WriteByte(0)
	mh.WriteString(parent)
	mh.WriteByte(0)
	mh.WriteString(string(kind))
	return mh.Sum64()
}

// hash is the key's hash from its collection's prefix and its id (the
// murmur3 finalizer over their combination).
func (h *seqHints) hash(prefix uint64, id string) uint64 {
	x := prefix ^ maphash.String(h.seed, id)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// set returns the index of the first of the two slots of a tag's set.
func (t *hintTable) set(tag uint64) int {
	return int(tag>>t.shift) &^ 1
}

// get returns the Seq last seen for the record with key k.
func (h *seqHints) get(k switchboard.Key) (int64, bool) {
	if h == nil {
		return 0, false
	}
	t := h.table.Load()
	tag := h.hash(h.prefix(k.Scope, k.Kind, k.Parent), k.ID) &^ math.MaxUint32
	i := t.set(tag)
	for _, e := range [2]uint64{t.slots[i].Load(), t.slots[i+1].Load()} {
		if e != 0 && e&^math.MaxUint32 == tag {
			return int64(e & math.MaxUint32), true
		}
	}
	return 0, false
}

// put remembers seq as the Seq of the record (s, kind, parent, id).
// Concurrent puts to one set may lose one of the hints, never mix them: each
// slot is written whole.
func (h *seqHints) put(s switchboard.Scope, kind switchboard.Kind, parent, id string, seq int64) {
	if h != nil {
		h.putHashed(h.prefix(s, kind, parent), id, seq)
	}
}

// putHashed is put with the prefix of the key's collection computed.
func (h *seqHints) putHashed(prefix uint64, id string, seq int64) {
	if seq <= 0 || seq > math.MaxUint32 {
		return
	}
	t := h.table.Load()
	tag := h.hash(prefix, id) &^ math.MaxUint32
	i := t.set(tag)
	e := tag | uint64(seq)
	first := t.slots[i].Load()
	switch {
	case first == e:
	case first == 0 || first&^math.MaxUint32 == tag:
		t.slots[i].Store(e)
		if first == 0 && t.filled.Add(1) == int64(len(t.slots)/4) && len(t.slots) < maxHintSlots {
			h.enlarge(t)
		}
	default:
		// The newer hint goes first and the older one second, in place
		// of what the second held (another key's, or this key's stale
		// one).
		t.slots[i+1].Store(first)
		t.slots[i].Store(e)
	}
}

// enlarge replaces t by a table four times larger holding t's hints. Hints
// put into t while it is copied may be lost, which only costs their reads
// a second descent.
func (h *seqHints) enlarge(t *hintTable) {
	h.grow.Lock()
	defer h.grow.Unlock()
	if h.table.Load() != t {
		return
	}
	n := newHintTable(len(t.slots) * 4)
	for i := range t.slots {
		e := t.slots[i].Load()
		if e == 0 {
			continue
		}
		j := n.set(e &^ math.MaxUint32)
		if n.slots[j].Load() == 0 {
			n.slots[j].Store(e)
			n.filled.Add(1)
		} else {
			n.slots[j+1].Store(e)
		}
	}
	h.table.Store(n)
}

// putAll remembers the Seqs of the records of one listing.
func (h *seqHints) putAll(recs []switchboard.Record) {
	if h == nil {
		return
	}
	var prefix uint64
	for i := range recs {
		r := &recs[i]
		if i == 0 || r.Scope != recs[i-1].Scope || r.Kind != recs[i-1].Kind || r.Parent != recs[i-1].Parent {
			prefix = h.prefix(r.Scope, r.Kind, r.Parent)
		}
		h.putHashed(prefix, r.ID, r.Seq)
	}
}
