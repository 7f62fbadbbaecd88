package service

import (
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// ListUsers is the call that returns the most data (pages of up to 1000
// summaries), so it takes two short cuts, each exact:
//
//   - a store whose Tx implements summaryLister reads only the columns a
//     summary shows (storage/sqlite does; any other store is listed with
//     List as before);
//   - the page encodes itself (api.JSONAppender) into exactly the bytes
//     encoding/json would write for the api.ListUsersResponse it stands
//     for (userlist_test.go checks that).

// summaryLister is what a Tx may offer beyond switchboard.Tx: List without
// Data, Tags, Refs, Created and Version; see storage/sqlite/summaries.go.
type summaryLister interface {
	ListSummaries(s switchboard.Scope, kind switchboard.Kind, parent string, o switchboard.ListOptions) ([]switchboard.Record, error)
}

// userPage is a ListUsers output.
type userPage struct {
	next  *string
	users []switchboard.Record
}

var (
	_ api.JSONAppender = (*userPage)(nil)
	_ json.Marshaler   = (*userPage)(nil)
)

// response is the output shape the page stands for.
func (p *userPage) response() *api.ListUsersResponse {
	out := &api.ListUsersResponse{NextToken: p.next, UserSummaryList: make([]api.UserSummary, 0, len(p.users))}
	for i := range p.users {
		sm := summarize(&p.users[i])
		out.UserSummaryList = append(out.UserSummaryList, api.UserSummary{Id: sm.id, Arn: sm.arn, Username: sm.name, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region})
	}
	return out
}

// MarshalJSON lets encoding/json encode a page too.
func (p *userPage) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil) }

// AppendJSON writes the members in api.UserSummary's field order, leaving
// out a nil NextToken as omitempty would; the list is always sent, as
// api.ListUsersResponse.FillAlwaysSent makes it.
func (p *userPage) AppendJSON(b []byte) ([]byte, error) {
	if p == nil {
		return append(b, "null"...), nil // as encoding/json writes a nil pointer
	}
	b = append(b, '{')
	if p.next != nil {
		b = append(b, `"NextToken":`...)
		b = api.AppendJSONString(b, *p.next)
		b = append(b, ',')
	}
	b = append(b, `"UserSummaryList":[`...)
	// Every user of a page has the same ARN up to its id: the prefix
	// is built and escaped once a page rather than once a user (the
	// ARN's concatenation was a tenth of encoding a page). JSON
	// escaping works rune by rune, so escaping the two parts
	// separately writes the same bytes as escaping the whole ARN when
	// the prefix is valid UTF-8.
	var arnOf *switchboard.Record
	var arnPrefix []byte // the escaped ARN prefix with its opening quote
	for i := range p.users {
		r := &p.users[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Arn":`...)
		if arnOf == nil || r.Scope != arnOf.Scope || r.Parent != arnOf.Parent {
			arnOf, arnPrefix = r, nil
			if prefix := resourceARN(r.Scope, switchboard.KindUser, r.Parent, ""); utf8.ValidString(prefix) {
				arnPrefix = api.AppendJSONString(nil, prefix)
				arnPrefix = arnPrefix[:len(arnPrefix)-1]
			}
		}
		if arnPrefix != nil {
			b = append(b, arnPrefix...)
			at := len(b)
			b = api.AppendJSONString(b, r.ID)
			b = append(b[:at], b[at+1:]...) // drop the id's opening quote
		} else {
			b = api.AppendJSONString(b, resourceARN(r.Scope, switchboard.KindUser, r.Parent, r.ID))
		}
		b = append(b, `,"Id":`...)
		b = api.AppendJSONString(b, r.ID)
		b = append(b, `,"LastModifiedRegion":`...)
		b = api.AppendJSONString(b, r.Region)
		b = append(b, `,"LastModifiedTime":`...)
		b = api.Timestamp{Time: r.Modified.Truncate(time.Millisecond)}.AppendJSON(b)
		b = append(b, `,"Username":`...)
		b = api.AppendJSONString(b, r.Name)
		b = append(b, '}')
	}
	b = append(b, ']')
	return append(b, '}'), nil
}

// listUserPage reads one page of an instance's users after the token.
func listUserPage(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN string, token *string, max *int32) (*userPage, error) {
	sl, ok := tx.(summaryLister)
	if !ok {
		recs, next, err := listChildren(tx, sc, instanceIDOrARN, switchboard.KindUser, token, max, nil)
		if err != nil {
			return nil, err
		}
		p := &userPage{next: next, users: make([]switchboard.Record, len(recs))}
		for i, r := range recs {
			p.users[i] = *r
		}
		return p, nil
	}
	inst, err := instanceRecord(tx, sc, instanceIDOrARN)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(token)
	if err != nil {
		return nil, err
	}
	limit := int(derefOr(max, defaultPageSize))
	if limit < 1 {
		// Validation keeps MaxResults at 1 or more; page would not list
		// anything either.
		return &userPage{}, nil
	}
	// One more than the page, so the last page is known to be last.
	users, err := sl.ListSummaries(sc, switchboard.KindUser, inst.ID, switchboard.ListOptions{AfterSeq: after, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	p := &userPage{users: users}
	if len(users) > limit {
		p.users = users[:limit]
		p.next = encodeToken(p.users[limit-1].Seq)
	}
	return p, nil
}
