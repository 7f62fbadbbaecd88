package dump

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	switchboard "github.com/switchboard-dev/switchboard"
)

// engineScope is where the contact engine keeps its index of instances with
// live contacts (service/contactengine.go): one record per instance, whose
// ID is "account/region/instanceId". An export of an account or instance
// takes that instance's record along, so that the imported store's engine
// finds the instance's running contacts again.
var engineScope = switchboard.Scope{Account: "switchboard", Region: "engine"}

// Filter selects what Export writes; the zero Filter selects everything.
type Filter struct {
	// Account keeps only that account's records (all regions).
	Account string
	// Instance keeps only the instance with that id, the records under it,
	// the phone numbers claimed for it, and the CreateInstance call's
	// idempotency record.
	Instance string
}

// keeps says whether the filter selects r.
func (f Filter) keeps(r *switchboard.Record) bool {
	if r.Scope == engineScope {
		// "account/region/instance": the account has no '/', and neither
		// has the instance id.
		acct, rest, _ := strings.Cut(r.ID, "/")
		_, inst, _ := strings.Cut(rest, "/")
		return (f.Account == "" || acct == f.Account) && (f.Instance == "" || inst == f.Instance)
	}
	if f.Account != "" && r.Account != f.Account {
		return false
	}
	if f.Instance == "" {
		return true
	}
	switch {
	case r.Parent == f.Instance:
		return true
	case r.Kind == switchboard.KindClientToken && r.Parent == "CreateInstance":
		// The idempotency record of the call that created an instance
		// (service/instances.go): its data is the instance's id.
		return string(r.Data) == f.Instance
	case r.Parent != "":
		return false
	case r.Kind == switchboard.KindInstance:
		return r.ID == f.Instance
	case r.Kind == switchboard.KindPhoneNumber:
		var doc struct {
			InstanceID string `json:"instanceId"`
		}
		return json.Unmarshal(r.Data, &doc) == nil && doc.InstanceID == f.Instance
	}
	return false
}

// Export writes the records of s that f selects to w, in Seq order, and
// returns how many it wrote. The output depends only on the records, so two
// stores holding the same records export the same bytes. Nothing else
// should write to s meanwhile for the export to be of one moment: it reads
// in one View, which is one snapshot.
func Export(ctx context.Context, s switchboard.Store, f Filter, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // keeps embedded data byte for byte (verbatimJSON)
	if err := enc.Encode(Header{Format: Format, Version: Version, Account: f.Account, Instance: f.Instance}); err != nil {
		return 0, err
	}
	var o switchboard.DumpOptions
	if f.Account != "" {
		o.Accounts = []string{f.Account, engineScope.Account}
	}
	n := 0
	err := s.View(ctx, func(tx switchboard.Tx) error {
		d, ok := tx.(switchboard.Dumper)
		if !ok {
			return errors.New("this store cannot be exported (its transactions are not a switchboard.Dumper)")
		}
		return d.Dump(o, func(r *switchboard.Record) error {
			if !f.keeps(r) {
				return nil
			}
			l, err := toLine(r)
			if err != nil {
				return err
			}
			n++
			return enc.Encode(l)
		})
	})
	if err != nil {
		return 0, err
	}
	if err := enc.Encode(line{End: true, Records: &n}); err != nil {
		return 0, err
	}
	return n, bw.Flush()
}
