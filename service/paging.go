package service

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard"
)

// Page tokens are opaque to clients: they carry the Seq of the last record
// returned, so a token issued by one replica works on any other and stays
// valid while records are added or removed.
const tokenPrefix = "sb1."

func encodeToken(seq int64) *string {
	t := tokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seq, 10)))
	return &t
}

func decodeToken(tok *string) (int64, error) {
	if tok == nil || *tok == "" {
		return 0, nil
	}
	bad := invalidMember("nextToken", *tok, "Member must be a NextToken returned by a previous call")
	if !strings.HasPrefix(*tok, tokenPrefix) {
		return 0, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(*tok, tokenPrefix))
	if err != nil {
		return 0, bad
	}
	seq, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || seq < 0 {
		return 0, bad
	}
	return seq, nil
}

// page lists up to max records (def when max is nil) of a kind after the
// token, keeping those keep accepts (nil keeps all). It returns the next
// token, nil on the last page.
func page(tx switchboard.Tx, sc switchboard.Scope, kind switchboard.Kind, parent string, token *string, max *int32, def int, keep func(*switchboard.Record) bool) ([]*switchboard.Record, *string, error) {
	after, limit, err := pageRequest(token, max, def)
	if err != nil {
		return nil, nil, err
	}
	var out []*switchboard.Record
	for len(out) < limit {
		// Ask for one more than needed so the last page is known to be last.
		want := limit - len(out) + 1
		recs, err := tx.List(sc, kind, parent, switchboard.ListOptions{AfterSeq: after, Limit: want})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range recs {
			after = r.Seq
			if keep != nil && !keep(r) {
				continue
			}
			if len(out) == limit {
				// A further match exists: this page is not the last.
				return out, encodeToken(out[len(out)-1].Seq), nil
			}
			out = append(out, r)
		}
		if len(recs) < want {
			return out, nil, nil
		}
	}
	// The page is full; look ahead for one more match before promising a
	// next page, so paginators never fetch an empty last page needlessly.
	for {
		recs, err := tx.List(sc, kind, parent, switchboard.ListOptions{AfterSeq: after, Limit: 64})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range recs {
			if keep == nil || keep(r) {
				return out, encodeToken(out[len(out)-1].Seq), nil
			}
			after = r.Seq
		}
		if len(recs) < 64 {
			return out, nil, nil
		}
	}
}

// pageRequest reads a List request's token (the Seq to continue after) and
// page size (max, or def when the request has none).
func pageRequest(token *string, max *int32, def int) (after int64, limit int, err error) {
	if after, err = decodeToken(token); err != nil {
		return 0, 0, err
	}
	limit = def
	if max != nil {
		limit = int(*max)
	}
	return after, limit, nil
}

// offsetPage is a page of n items computed in one piece (a search's
// matches, a metrics answer) whose token is an offset: it calls add for
// the items from offset on, at most limit of them, and returns the next
// page's token (nil on the last page).
func offsetPage(n int, offset int64, limit int, add func(i int)) *string {
	end := min(n, int(offset)+limit)
	for i := int(offset); i < end; i++ {
		add(i)
	}
	if end < n {
		return encodeToken(int64(end))
	}
	return nil
}
