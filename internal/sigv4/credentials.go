package sigv4

// Credentials maps an access key id to its secret and to the account the
// key belongs to. It is an interface so that the server can take keys from
// configuration, a file or a test without the verifier knowing.
type Credentials interface {
	// Lookup returns the secret access key and account of accessKeyID, and
	// ok false when the key is unknown.
	Lookup(accessKeyID string) (secret, account string, ok bool)
}

// Key is the secret and account of one access key.
type Key struct {
	Secret  string
	Account string
}

// StaticCredentials is a fixed set of access keys, by access key id.
type StaticCredentials map[string]Key

// Lookup implements Credentials.
func (c StaticCredentials) Lookup(accessKeyID string) (secret, account string, ok bool) {
	k, ok := c[accessKeyID]
	return k.Secret, k.Account, ok
}

// DefaultCredentials returns the credentials local AWS emulators
// conventionally accept: access key "test", secret "test", account
// 000000000000. It returns a new map each time so callers may add keys.
func DefaultCredentials() StaticCredentials {
	return StaticCredentials{"test": {Secret: "test", Account: "000000000000"}}
}
