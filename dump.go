package switchboard

// Dumping and loading a whole store, for `switchboard export` and `switchboard
// import` (internal/dump, docs/EXPORT.md). Both are optional extensions of
// Tx: the service layer never needs them, and a backend that lacks them
// simply cannot be exported from or imported into.

// DumpOptions selects the records Dump walks.
type DumpOptions struct {
	// Accounts, when not empty, keeps only records of these accounts (in
	// every region).
	Accounts []string
}

// Dumper is implemented by a Tx that can walk every record of the store.
type Dumper interface {
	// Dump calls fn with every record (of the accounts o selects), across
	// all scopes, kinds and parents, in Seq order: the order they were
	// inserted, which is also each collection's List order. Every field is
	// set, Seq included. fn must not use the Tx; an error from fn stops the
	// walk and is returned as is.
	Dump(o DumpOptions, fn func(*Record) error) error
}

// Loader is implemented by a Tx that can write records exactly as another
// store held them.
type Loader interface {
	// Load inserts recs as they are: Name, Data, Tags, Refs, Created,
	// Modified and Version (which must be at least 1) are stored as given,
	// not set as Insert sets them. Seqs are assigned in the order of recs,
	// so the records list in that order, and each record's Seq is set.
	// Refs are checked once every record is in, so a record may refer to
	// one that comes after it in recs; each collection's count and change
	// counters move as if the records had been inserted one by one.
	//
	// ErrAlreadyExists when a key or name is taken (by a stored record or
	// an earlier one of recs); *MissingRefError when a ref's target is
	// neither stored nor in recs. On error the caller's transaction must
	// not be committed (return the error from Update's fn).
	Load(recs []*Record) error
}
