package sqlite

import (
	"fmt"
	"testing"

	switchboard "github.com/switchboard-dev/switchboard"
)

func BenchmarkSeqHintPut(b *testing.B) {
	h := newSeqHints()
	s := switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
	ids := make([]string, 1<<20)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-684b-4811-9cc8-3ffdb65e348e", i*2654435761)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.put(s, "user", "51845bcf-684b-4811-9cc8-3f9a12341d61", ids[i&(1<<20-1)], int64(i+1))
	}
}

func BenchmarkSeqHintPutAll(b *testing.B) {
	h := newSeqHints()
	s := switchboard.Scope{Account: "000000000000", Region: "us-east-1"}
	recs := make([]switchboard.Record, 1<<20)
	for i := range recs {
		recs[i] = switchboard.Record{Scope: s, Kind: "user", Parent: "51845bcf-684b-4811-9cc8-3f9a12341d61", ID: fmt.Sprintf("%08x-684b-4811-9cc8-3ffdb65e348e", i*2654435761), Seq: int64(i + 1)}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i += 1000 {
		j := i & (1<<20 - 1) &^ 1023
		h.putAll(recs[j : j+1000])
	}
}
