package switchboard

import "context"

type scopeKey struct{}

// WithScope returns a context carrying the caller's account and region, as
// decided by the request's credentials.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFrom returns the scope WithScope stored, and whether there was one.
func ScopeFrom(ctx context.Context) (Scope, bool) {
	s, ok := ctx.Value(scopeKey{}).(Scope)
	return s, ok
}
