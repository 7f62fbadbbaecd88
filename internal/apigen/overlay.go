package main

import (
	"fmt"
	"regexp"
	"strings"
)

// The overlay corrects known defects of the published model. Each entry
// says why; the model file itself is never edited. Keep this list short and
// reviewed: everything here changes what Switchboard accepts on the wire.

// patternOverrides replaces a shape's pattern outright.
var patternOverrides = map[string]string{
	// The model carries the JavaScript regex literal, slashes included
	// ("/^...$/"), so taken as written no password could ever match. The
	// CloudFormation schema has the intended expression.
	"Password": `^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$`,
	// Double-escaped in the model ("\\+[1-9]\\d{1,14}$" would demand literal
	// backslashes); the documented rule is an E.164 number. Anchored at both
	// ends like every other E.164 rule in the model's earlier Smithy form.
	"PhoneNumber": `^\+[1-9]\d{1,14}$`,
	// botocore dropped the leading anchor the Smithy model had, which would
	// accept "abc+15550100"; desk phone numbers are E.164 numbers.
	"SensitivePhoneNumber": `^\+[1-9]\d{1,14}$`,
}

// doubleEscaped lists shapes whose pattern has every backslash doubled in the
// model (e.g. "\\p{L}", "\\S"), which as a regular expression matches a
// literal backslash instead of the intended class. Halving the backslashes
// restores the expression the service documents.
var doubleEscaped = []string{
	"DataTableDescription", "MediaSource", "Page", "PhoneNumberPrefix",
	"S3Uri", "Slug", "ThemeImageLink", "ThemeString",
	"WorkspaceAssociatedResourceName", "WorkspaceDescription",
	"WorkspaceName", "WorkspaceTitle",
}

// applyOverlay rewrites the model in place.
func applyOverlay(m *model) error {
	for name, p := range patternOverrides {
		s := m.Shapes[name]
		if s == nil {
			return fmt.Errorf("overlay: shape %s is not in the model", name)
		}
		s.Pattern = p
	}
	for _, name := range doubleEscaped {
		s := m.Shapes[name]
		if s == nil {
			return fmt.Errorf("overlay: shape %s is not in the model", name)
		}
		if !strings.Contains(s.Pattern, `\\`) {
			return fmt.Errorf("overlay: pattern of %s is no longer double-escaped; drop it from the overlay", name)
		}
		s.Pattern = strings.ReplaceAll(s.Pattern, `\\`, `\`)
	}
	return nil
}

var javaUnicodeEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// compilePattern decides how a modelled (ECMAScript/Java style) pattern is
// evaluated: the expression to compile and whether Go's RE2 engine accepts
// it. Patterns with lookaround need the backtracking engine.
func compilePattern(p string) (expr string, re2 bool) {
	goExpr := javaUnicodeEscape.ReplaceAllString(p, `\x{$1}`)
	if _, err := regexp.Compile(goExpr); err == nil {
		return goExpr, true
	}
	return p, false
}
