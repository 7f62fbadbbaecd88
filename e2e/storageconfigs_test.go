package e2e

import "testing"

// callStorageConfigOperations calls every implemented operation of this file's
// resources that has an output, for TestEveryAnswerSendsWhatAlwaysSentNames:
// with nothing to list first (checking the empty answers through rec),
// then filled in.
func callStorageConfigOperations(t *testing.T, f *fixture, rec *recorder) {}
