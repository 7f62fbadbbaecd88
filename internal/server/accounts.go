package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/switchboard-dev/switchboard/api"
	"github.com/switchboard-dev/switchboard/internal/policy"
	"github.com/switchboard-dev/switchboard/internal/restjson"
	"github.com/switchboard-dev/switchboard/internal/sigv4"
)

// Account is one AWS account of the config file's "accounts" list.
type Account struct {
	// ID is the 12-digit account id that ARNs of its resources carry.
	ID string `json:"id"`
	// AccessKeys sign requests acting in this account; at least one.
	AccessKeys []AccessKey `json:"accessKeys"`
}

// AccessKey is one access key of an account.
type AccessKey struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
	// Policy, when present, restricts what the key may do: an IAM policy
	// document or a list of statements (see internal/policy). Without it
	// the key may do everything within its account.
	Policy json.RawMessage `json:"policy,omitempty"`
}

// Identities are the credentials and policies compiled from the accounts
// of a config file.
type Identities struct {
	Credentials sigv4.StaticCredentials
	// Policies are by access key id; a key without an entry has full
	// access within its account.
	Policies map[string]policy.Policy
}

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	// Access key ids travel inside the SigV4 Credential component, so
	// they must not contain its separators ('/', ',', '=', spaces).
	accessKeyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)
)

// CompileAccounts checks accounts strictly and returns their credentials
// and policies. Errors name the account and key at fault, and never
// include a secret.
func CompileAccounts(accounts []Account) (*Identities, error) {
	ids := &Identities{Credentials: sigv4.StaticCredentials{}, Policies: map[string]policy.Policy{}}
	seenAccount := map[string]bool{}
	var errs []error
	for i, a := range accounts {
		where := fmt.Sprintf("accounts[%d]", i)
		if !accountIDPattern.MatchString(a.ID) {
			errs = append(errs, fmt.Errorf("%s: account id %q must be exactly 12 digits", where, a.ID))
		} else {
			where = fmt.Sprintf("account %s", a.ID)
		}
		if seenAccount[a.ID] {
			errs = append(errs, fmt.Errorf("%s: declared more than once", where))
		}
		seenAccount[a.ID] = true
		if len(a.AccessKeys) == 0 {
			errs = append(errs, fmt.Errorf("%s: needs at least one access key in \"accessKeys\"", where))
		}
		for j, k := range a.AccessKeys {
			kwhere := fmt.Sprintf("%s, accessKeys[%d]", where, j)
			if !accessKeyIDPattern.MatchString(k.ID) {
				errs = append(errs, fmt.Errorf("%s: access key id %q must be 1 to 128 characters of A-Z, a-z, 0-9, '_', '.' or '-'", kwhere, k.ID))
				continue
			}
			kwhere = fmt.Sprintf("%s, access key %s", where, k.ID)
			if _, dup := ids.Credentials[k.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: access key id is used more than once (ids must be unique across all accounts)", kwhere))
				continue
			}
			if k.Secret == "" {
				errs = append(errs, fmt.Errorf("%s: \"secret\" is missing or empty", kwhere))
			}
			ids.Credentials[k.ID] = sigv4.Key{Secret: k.Secret, Account: a.ID}
			if k.Policy != nil {
				p, err := policy.Parse(k.Policy)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", kwhere, err))
					continue
				}
				ids.Policies[k.ID] = p
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return ids, nil
}

// policyAuthorizer enforces per-key policies: the action is
// connect:<Operation>, the resource is what policy.Resource derives from
// the request.
type policyAuthorizer map[string]policy.Policy

func (p policyAuthorizer) Authorize(c restjson.Call) error {
	pol, ok := p[c.AccessKeyID]
	if !ok {
		return nil
	}
	action := policy.Action(c.Operation)
	resource := policy.Resource(c.Scope, c.Operation, c.Labels, c.Input)
	d := pol.Evaluate(action, resource)
	if d == policy.Allowed {
		return nil
	}
	return api.NewError("AccessDeniedException", policy.DeniedMessage(c.Scope, c.AccessKeyID, action, resource, d))
}

var _ restjson.Authorizer = policyAuthorizer(nil)
