package service

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// The user index is what SearchUsers scans: one compact entry per user with
// exactly the fields criteria and filters read, so a search over a million
// users compares short strings instead of decoding a million JSON
// documents. Entries point at shared attribute sets (names, profiles,
// hierarchy group, tags), which real contact centers repeat a lot and which
// let a query on them be decided once per set.
//
// When the store's transactions can report changes (changeTracker, which
// storage/sqlite implements), one index per instance lives as long as the
// store and is brought up to date at the start of every search from the
// counters the store keeps in the same snapshot — so it stays exact when
// other processes write the same database. Otherwise every search builds a
// throw-away index from a full List, as correct and as slow as before.

// changeTracker is what a Tx may offer beyond switchboard.Tx; see
// storage/sqlite/changes.go for the contract.
type changeTracker interface {
	CollectionState(s switchboard.Scope, kind switchboard.Kind, parent string) (n, chg, dels int64, err error)
	ListChanged(s switchboard.Scope, kind switchboard.Kind, parent string, afterChg int64) ([]*switchboard.Record, error)
	Seqs(s switchboard.Scope, kind switchboard.Kind, parent string) ([]int64, error)
	Memo(key string, mk func() any) any
}

// errIndexAhead: the shared index already reflects writes this
// transaction's snapshot does not see.
var errIndexAhead = errors.New("user index is ahead of the snapshot")

// userAttrs are the searchable fields several users may share.
type userAttrs struct {
	first, last        string // lower-cased
	routingProfileID   string
	hierarchyGroupID   string
	securityProfileIDs []string
	tags               map[string]string
	proficiencies      []indexedProficiency
}

// indexedProficiency is one of a user's proficiencies as ListCondition
// reads it: attribute name and value lower-cased.
type indexedProficiency struct {
	name, value string
	level       float64
}

// indexEntry is one user: idName holds the id and then the lower-cased
// username, in one allocation.
type indexEntry struct {
	seq    int64
	idName string
	idLen  uint16
	attrs  uint32
	// grams is trigramMask of the lower-cased username: a user whose name
	// contains (starts with, equals) a value of three or more bytes has
	// every bit of the value's mask, so a Username search skips the
	// string comparison for the ~98% of users whose mask says no.
	grams uint64
}

// trigramMask sets one of 64 bits for each three-byte substring of s
// (none when s is shorter). A substring's trigrams are trigrams of s, so
// trigramMask(sub) &^ trigramMask(s) == 0 whenever s contains sub.
func trigramMask(s string) uint64 {
	var m uint64
	for i := 0; i+3 <= len(s); i++ {
		h := uint32(s[i])*0x9E3779B1 ^ uint32(s[i+1])*0x85EBCA77 ^ uint32(s[i+2])*0xC2B2AE3D
		m |= 1 << (h >> 26)
	}
	return m
}

func (e *indexEntry) id() string   { return e.idName[:e.idLen] }
func (e *indexEntry) name() string { return e.idName[e.idLen:] }

// userIndex is the users of one instance in Seq (creation) order.
type userIndex struct {
	mu      sync.RWMutex
	built   bool
	chg     int64 // the collection's counters the index reflects
	dels    int64
	users   []indexEntry
	attrs   []*userAttrs
	attrIDs map[string]uint32 // canonical form of a userAttrs -> index in attrs
}

func (ix *userIndex) view(e *indexEntry) userMatch {
	return userMatch{id: e.id(), name: e.name(), userAttrs: ix.attrs[e.attrs]}
}

// searchDoc is the part of a stored user the index needs.
type searchDoc struct {
	IdentityInfo struct {
		FirstName *string `json:"FirstName"`
		LastName  *string `json:"LastName"`
	} `json:"identityInfo"`
	SecurityProfileIDs []string              `json:"securityProfileIds"`
	RoutingProfileID   string                `json:"routingProfileId"`
	HierarchyGroupID   string                `json:"hierarchyGroupId"`
	Proficiencies      []api.UserProficiency `json:"proficiencies"`
}

// entry converts a stored user, interning its shared attributes.
func (ix *userIndex) entry(rec *switchboard.Record) (indexEntry, error) {
	var d searchDoc
	if err := decode(rec, &d); err != nil {
		return indexEntry{}, err
	}
	a := userAttrs{
		first: strings.ToLower(deref(d.IdentityInfo.FirstName)), last: strings.ToLower(deref(d.IdentityInfo.LastName)),
		routingProfileID: d.RoutingProfileID, hierarchyGroupID: d.HierarchyGroupID,
		securityProfileIDs: d.SecurityProfileIDs, tags: rec.Tags,
	}
	for _, p := range d.Proficiencies {
		a.proficiencies = append(a.proficiencies, indexedProficiency{
			name: strings.ToLower(deref(p.AttributeName)), value: strings.ToLower(deref(p.AttributeValue)), level: deref(p.Level)})
	}
	var key strings.Builder
	for _, s := range []string{a.first, a.last, a.routingProfileID, a.hierarchyGroupID} {
		key.WriteString(s)
		key.WriteByte(0)
	}
	for _, s := range a.securityProfileIDs {
		key.WriteString(s)
		key.WriteByte(1)
	}
	for _, k := range sortedTagKeys(a.tags) {
		key.WriteString(k)
		key.WriteByte(2)
		key.WriteString(a.tags[k])
		key.WriteByte(3)
	}
	for _, p := range a.proficiencies {
		key.WriteString(p.name)
		key.WriteByte(4)
		key.WriteString(p.value)
		key.WriteByte(4)
		key.WriteString(strconv.FormatFloat(p.level, 'g', -1, 64))
		key.WriteByte(5)
	}
	id, ok := ix.attrIDs[key.String()]
	if !ok {
		id = uint32(len(ix.attrs))
		ix.attrs = append(ix.attrs, &a)
		ix.attrIDs[key.String()] = id
	}
	if len(rec.ID) > 0xffff {
		return indexEntry{}, errors.New("user id too long to index")
	}
	name := strings.ToLower(rec.Name)
	return indexEntry{seq: rec.Seq, idName: rec.ID + name, idLen: uint16(len(rec.ID)), attrs: id, grams: trigramMask(name)}, nil
}

func sortedTagKeys(m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// rebuildChunk is how many users rebuild reads at a time. Reading all of
// them in one List held every full record in memory at once: 2.7 GB of
// RSS for 1,000,000 users, against the index's ~100 MB.
const rebuildChunk = 4096

// rebuild reads every user of the instance, in chunks of the same snapshot.
func (ix *userIndex) rebuild(tx switchboard.Tx, sc switchboard.Scope, instanceID string) error {
	n, err := tx.Count(sc, switchboard.KindUser, instanceID)
	if err != nil {
		return err
	}
	ix.users, ix.attrs, ix.attrIDs = make([]indexEntry, 0, n), nil, map[string]uint32{}
	var after int64
	for {
		recs, err := tx.List(sc, switchboard.KindUser, instanceID, switchboard.ListOptions{AfterSeq: after, Limit: rebuildChunk})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			e, err := ix.entry(rec)
			if err != nil {
				return err
			}
			ix.users = append(ix.users, e)
			after = rec.Seq
		}
		if len(recs) < rebuildChunk {
			return nil
		}
	}
}

// catchUp applies the changes made since the index's counters, up to the
// snapshot's. Changed users are replaced in place; new ones (whose Seq is
// always above every indexed one) appended; deleted ones found by comparing
// Seqs. Anything unexpected, or a count that does not agree with the store,
// falls back to a rebuild.
func (ix *userIndex) catchUp(ct changeTracker, tx switchboard.Tx, sc switchboard.Scope, instanceID string, n, chg, dels int64) error {
	if !ix.built {
		return ix.rebuild(tx, sc, instanceID)
	}
	changed, err := ct.ListChanged(sc, switchboard.KindUser, instanceID, ix.chg)
	if err != nil {
		return err
	}
	var added []indexEntry
	for _, rec := range changed {
		e, err := ix.entry(rec)
		if err != nil {
			return err
		}
		i, found := sort.Find(len(ix.users), func(i int) int { return cmpInt64(rec.Seq, ix.users[i].seq) })
		if found {
			ix.users[i] = e
		} else {
			added = append(added, e)
		}
	}
	sort.Slice(added, func(i, j int) bool { return added[i].seq < added[j].seq })
	if len(added) > 0 && len(ix.users) > 0 && added[0].seq <= ix.users[len(ix.users)-1].seq {
		return ix.rebuild(tx, sc, instanceID)
	}
	ix.users = append(ix.users, added...)
	if dels != ix.dels {
		seqs, err := ct.Seqs(sc, switchboard.KindUser, instanceID)
		if err != nil {
			return err
		}
		kept, j := ix.users[:0], 0
		for _, e := range ix.users {
			for j < len(seqs) && seqs[j] < e.seq {
				j++
			}
			if j < len(seqs) && seqs[j] == e.seq {
				kept = append(kept, e)
			}
		}
		clear(ix.users[len(kept):])
		ix.users = kept
	}
	if int64(len(ix.users)) != n {
		return ix.rebuild(tx, sc, instanceID)
	}
	return nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// usersOf returns the index of an instance's users as of tx's snapshot,
// read-locked until release is called. shared false, or a store that
// cannot report changes, gives a private index built from a full List.
func usersOf(tx switchboard.Tx, sc switchboard.Scope, instanceID string, shared bool) (*userIndex, func(), error) {
	ct, ok := tx.(changeTracker)
	if !ok || !shared {
		ix := &userIndex{}
		if err := ix.rebuild(tx, sc, instanceID); err != nil {
			return nil, nil, err
		}
		return ix, func() {}, nil
	}
	n, chg, dels, err := ct.CollectionState(sc, switchboard.KindUser, instanceID)
	if err != nil {
		return nil, nil, err
	}
	ix := ct.Memo("usersearch\x00"+sc.Account+"\x00"+sc.Region+"\x00"+instanceID, func() any { return &userIndex{} }).(*userIndex)
	ix.mu.RLock()
	if ix.built && ix.chg == chg && ix.dels == dels {
		return ix, ix.mu.RUnlock, nil
	}
	ix.mu.RUnlock()

	ix.mu.Lock()
	if ix.built && ix.chg > chg {
		ix.mu.Unlock()
		return nil, nil, errIndexAhead
	}
	if !ix.built || ix.chg < chg || ix.dels != dels {
		if err := ix.catchUp(ct, tx, sc, instanceID, n, chg, dels); err != nil {
			// A half-applied catch-up must not be trusted by the next search.
			ix.built, ix.users, ix.attrs, ix.attrIDs = false, nil, nil, nil
			ix.mu.Unlock()
			return nil, nil, err
		}
		ix.built, ix.chg, ix.dels = true, chg, dels
	}
	ix.mu.Unlock()
	// Another search may move the index on between Unlock and RLock;
	// check again under the read lock.
	ix.mu.RLock()
	if ix.chg != chg {
		ix.mu.RUnlock()
		return nil, nil, errIndexAhead
	}
	return ix, ix.mu.RUnlock, nil
}
