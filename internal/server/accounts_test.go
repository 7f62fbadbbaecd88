package server

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCompileAccounts(t *testing.T) {
	key := func(id, secret, pol string) AccessKey {
		k := AccessKey{ID: id, Secret: secret}
		if pol != "" {
			k.Policy = json.RawMessage(pol)
		}
		return k
	}
	allow := `[{"Effect":"Allow","Action":"connect:List*","Resource":"*"}]`
	cases := []struct {
		name     string
		accounts []Account
		msg      string // "" means valid
	}{
		{"valid accounts with and without policies", []Account{
			{ID: "111111111111", AccessKeys: []AccessKey{key("AKIDA", "secretA", ""), key("AKIDA_RO", "s", allow)}},
			{ID: "222222222222", AccessKeys: []AccessKey{key("AKIDB", "secretB", "")}},
		}, ""},
		{"account id too short", []Account{{ID: "1234", AccessKeys: []AccessKey{key("k", "s", "")}}}, `account id "1234" must be exactly 12 digits`},
		{"account id with letters", []Account{{ID: "11111111111a", AccessKeys: []AccessKey{key("k", "s", "")}}}, "exactly 12 digits"},
		{"duplicate account", []Account{
			{ID: "111111111111", AccessKeys: []AccessKey{key("k1", "s", "")}},
			{ID: "111111111111", AccessKeys: []AccessKey{key("k2", "s", "")}},
		}, "account 111111111111: declared more than once"},
		{"account without keys", []Account{{ID: "111111111111"}}, "at least one access key"},
		{"duplicate key across accounts", []Account{
			{ID: "111111111111", AccessKeys: []AccessKey{key("k1", "s", "")}},
			{ID: "222222222222", AccessKeys: []AccessKey{key("k1", "t", "")}},
		}, "access key k1: access key id is used more than once"},
		{"key id with a slash", []Account{{ID: "111111111111", AccessKeys: []AccessKey{key("a/b", "s", "")}}}, `access key id "a/b"`},
		{"empty secret", []Account{{ID: "111111111111", AccessKeys: []AccessKey{key("k1", "", "")}}}, `"secret" is missing`},
		{"bad policy names the key", []Account{{ID: "111111111111", AccessKeys: []AccessKey{key("k1", "s", `[{"Effect":"Allow"}]`)}}}, "account 111111111111, access key k1: policy: statement 1: Action is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ids, err := CompileAccounts(c.accounts)
			if c.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if k := ids.Credentials["AKIDB"]; k.Account != "222222222222" || k.Secret != "secretB" {
					t.Errorf("AKIDB: %+v", k)
				}
				if _, ok := ids.Policies["AKIDA_RO"]; !ok || len(ids.Policies) != 1 {
					t.Errorf("policies: %+v", ids.Policies)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %v, want an error containing %q", err, c.msg)
			}
			for _, a := range c.accounts {
				for _, k := range a.AccessKeys {
					if len(k.Secret) > 3 && strings.Contains(err.Error(), k.Secret) {
						t.Errorf("error %q shows a secret", err)
					}
				}
			}
		})
	}
}
