package service

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestDirectoryUserIDIsNameBased: the derived DirectoryUserId is exactly
// uuid.NewSHA1 of the user's ARN (so it never changes with how it is
// computed), and a given one is returned as given.
func TestDirectoryUserIDIsNameBased(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:connect:us-east-1:000000000000:instance/0f1e8270-8713-4e2d-81bb-108521518ac5/agent/fcb63606-8e28-45cb-bf3a-4e8ac057fc9a",
		"arn:aws:connect:eu-west-2:111111111111:instance/i/agent/u",
		"arn:aws:connect:us-east-1:000000000000:instance/" + strings.Repeat("x", 300) + "/agent/long", // past the stack buffer
	} {
		if got, want := directoryUserID(arn, &userDoc{}), uuid.NewSHA1(directoryUserNamespace, []byte(arn)).String(); got != want {
			t.Errorf("directoryUserID(%s) = %s, want %s", arn, got, want)
		}
	}
	if got := directoryUserID("arn:x", &userDoc{userFields: userFields{DirectoryUserID: "dir-user-1"}}); got != "dir-user-1" {
		t.Errorf("given DirectoryUserId came back as %s", got)
	}
}

func BenchmarkDirectoryUserID(b *testing.B) {
	arn := "arn:aws:connect:us-east-1:000000000000:instance/0f1e8270-8713-4e2d-81bb-108521518ac5/agent/fcb63606-8e28-45cb-bf3a-4e8ac057fc9a"
	doc := &userDoc{}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = directoryUserID(arn, doc)
	}
}
