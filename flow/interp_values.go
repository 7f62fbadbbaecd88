package flow

// The values a running flow reads: "$." references, text with references
// in it, and the condition operators.

import (
	"math"
	"strconv"
	"strings"
)

// value resolves v when it is a single "$." reference (an absent value is
// ""); otherwise v is a literal.
func (r *run) value(v string) string {
	if len(v) < 2 || v[0] != '$' {
		return v
	}
	segs, ok := parseRef(v)
	if !ok {
		return v
	}
	s, _ := r.resolve(segs)
	return s
}

// resolve answers a reference's segments: Attributes and External by key,
// StoredCustomerInput from the run, the rest from Env.System.
func (r *run) resolve(segs []string) (string, bool) {
	switch segs[0] {
	case "Attributes":
		if len(segs) < 2 {
			return "", false
		}
		return r.env.Attribute(strings.Join(segs[1:], "."))
	case "External":
		if len(segs) < 2 {
			return "", false
		}
		v, ok := r.external[strings.Join(segs[1:], ".")]
		return v, ok
	case "StoredCustomerInput":
		if r.stored == nil || len(segs) > 1 {
			return "", false
		}
		return *r.stored, true
	}
	return r.env.System(strings.Join(segs, "."))
}

// parseRef splits a JSONPath reference into its member names: "$.Queue.Name"
// is [Queue Name], "$['AwsRegion']" [AwsRegion], "$.Attributes['a b']"
// [Attributes, a b]. ok is false when s is not one reference.
func parseRef(s string) ([]string, bool) {
	if !strings.HasPrefix(s, "$") || len(s) < 3 {
		return nil, false
	}
	var segs []string
	for i := 1; i < len(s); {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && s[j] != '.' && s[j] != '[' && s[j] > ' ' {
				j++
			}
			if j == i+1 || (j < len(s) && s[j] <= ' ') {
				return nil, false
			}
			segs = append(segs, s[i+1:j])
			i = j
		case '[':
			if i+2 >= len(s) || (s[i+1] != '\'' && s[i+1] != '"') {
				return nil, false
			}
			q := s[i+1]
			end := strings.IndexByte(s[i+2:], q)
			if end < 0 || i+2+end+1 >= len(s) || s[i+2+end+1] != ']' {
				return nil, false
			}
			segs = append(segs, s[i+2:i+2+end])
			i += 2 + end + 2
		default:
			return nil, false
		}
	}
	return segs, len(segs) > 0
}

func isRefChar(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// interpolate replaces the "$." references in a message's text by their
// values ("Hello $.External.FirstName, thank you for calling.",
// create-dynamic-text-strings); a reference ends at a character other
// than a letter, digit, '_', '-', or a '.' followed by one.
func (r *run) interpolate(text string) string {
	if !strings.Contains(text, "$.") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, "$.")
		if i < 0 || i+2 >= len(text) || !isRefChar(text[i+2]) {
			if i < 0 {
				b.WriteString(text)
				return b.String()
			}
			b.WriteString(text[:i+2])
			text = text[i+2:]
			continue
		}
		b.WriteString(text[:i])
		j := i + 2
		for j < len(text) && (isRefChar(text[j]) || text[j] == '.' && j+1 < len(text) && isRefChar(text[j+1])) {
			j++
		}
		v, _ := r.resolve(strings.Split(text[i+2:j], "."))
		b.WriteString(v)
		text = text[j:]
	}
}

// Holds reports whether the condition holds for an action's run result,
// as the flow language's operators define it (flow-language-actions,
// "List of Operators"): each takes one string operand; the Number
// operators are false when either side is not a number. A condition with
// another operator or operand count does not hold.
func (c Condition) Holds(result string) bool {
	if len(c.Condition.Operands) != 1 {
		return false
	}
	operand := c.Condition.Operands[0]
	switch c.Condition.Operator {
	case "Equals":
		return result == operand
	case "TextStartsWith":
		return strings.HasPrefix(result, operand)
	case "TextEndsWith":
		return strings.HasSuffix(result, operand)
	case "TextContains":
		return strings.Contains(result, operand)
	}
	x, ok1 := number(result)
	y, ok2 := number(operand)
	if !ok1 || !ok2 {
		return false
	}
	switch c.Condition.Operator {
	case "NumberGreaterThan":
		return x > y
	case "NumberGreaterOrEqualTo":
		return x >= y
	case "NumberLessThan":
		return x < y
	case "NumberLessOrEqualTo":
		return x <= y
	}
	return false
}

// number reads a decimal number ("-1", "2.5", "1e3"); Go's other forms
// (hex, "Inf", "NaN", underscores) are not numbers here.
func number(s string) (float64, bool) {
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E':
		default:
			return 0, false
		}
	}
	if !digits {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
