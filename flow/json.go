package flow

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON reader made for validation speed: one pass over the
// content builds every value into one slice of nodes (no per-value
// allocation, strings without escapes are substrings of the content), so
// the largest flow Connect accepts is read in well under a millisecond,
// several times faster than encoding/json's scanner-then-decode. It
// accepts exactly what encoding/json's Valid accepts (FuzzValidate checks
// this) and, like encoding/json, lets the last of duplicate keys win.

type jkind uint8

const (
	jNull jkind = iota
	jFalse
	jTrue
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	switch k {
	case jNull:
		return "null"
	case jFalse, jTrue:
		return "a boolean"
	case jNumber:
		return "a number"
	case jString:
		return "a string"
	case jArray:
		return "an array"
	default:
		return "an object"
	}
}

// jnode is one JSON value. Children of arrays and objects are linked
// through first/next (indexes into doc.nodes, -1 for none); key is the
// member name when the parent is an object.
type jnode struct {
	kind        jkind
	key         string
	str         string // decoded value of a string
	start, end  int32  // the value's bytes in the content
	first, next int32
}

type jdoc struct {
	src   string
	nodes []jnode
}

// maxDepth bounds nesting as encoding/json does, so hostile input cannot
// exhaust the stack.
const maxDepth = 10000

type jparser struct {
	jdoc
	pos   int
	depth int
	err   string
}

// parseJSON reads src; it returns the document (root node 0) or a
// description of the first syntax error.
func parseJSON(src string) (*jdoc, string) {
	p := &jparser{jdoc: jdoc{src: src, nodes: make([]jnode, 0, len(src)/32+16)}}
	p.skipSpace()
	p.value()
	if p.err == "" {
		p.skipSpace()
		if p.pos < len(src) {
			p.fail("invalid character %s after top-level value", quoteChar(src[p.pos]))
		}
	}
	if p.err != "" {
		return nil, p.err
	}
	return &p.jdoc, ""
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	if c < 0x20 || c >= 0x7f {
		return fmt.Sprintf("byte 0x%02x", c)
	}
	return "'" + string(c) + "'"
}

func (p *jparser) fail(format string, args ...any) {
	if p.err == "" {
		p.err = fmt.Sprintf(format, args...) + fmt.Sprintf(" (at offset %d)", p.pos)
	}
}

func (p *jparser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jparser) add(k jkind, start int) int32 {
	p.nodes = append(p.nodes, jnode{kind: k, start: int32(start), first: -1, next: -1})
	return int32(len(p.nodes) - 1)
}

// value reads one value at p.pos (space already skipped) and returns its
// node index, or -1 after an error.
func (p *jparser) value() int32 {
	if p.pos >= len(p.src) {
		p.fail("unexpected end of JSON input")
		return -1
	}
	start := p.pos
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, ok := p.str()
		if !ok {
			return -1
		}
		i := p.add(jString, start)
		p.nodes[i].str = s
		p.nodes[i].end = int32(p.pos)
		return i
	case c == '-' || (c >= '0' && c <= '9'):
		if !p.number() {
			return -1
		}
		i := p.add(jNumber, start)
		p.nodes[i].end = int32(p.pos)
		return i
	case c == 't':
		return p.literal("true", jTrue)
	case c == 'f':
		return p.literal("false", jFalse)
	case c == 'n':
		return p.literal("null", jNull)
	default:
		p.fail("invalid character %s looking for beginning of value", quoteChar(c))
		return -1
	}
}

func (p *jparser) literal(word string, k jkind) int32 {
	start := p.pos
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.src) {
			p.fail("unexpected end of JSON input")
			return -1
		}
		if p.src[p.pos] != word[i] {
			p.fail("invalid character %s in literal %s", quoteChar(p.src[p.pos]), word)
			return -1
		}
		p.pos++
	}
	i := p.add(k, start)
	p.nodes[i].end = int32(p.pos)
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *jparser) number() bool {
	s := p.src
	if s[p.pos] == '-' {
		p.pos++
	}
	if p.pos >= len(s) {
		p.fail("unexpected end of JSON input")
		return false
	}
	switch {
	case s[p.pos] == '0':
		p.pos++
	case isDigit(s[p.pos]):
		for p.pos < len(s) && isDigit(s[p.pos]) {
			p.pos++
		}
	default:
		p.fail("invalid character %s in numeric literal", quoteChar(s[p.pos]))
		return false
	}
	if p.pos < len(s) && s[p.pos] == '.' {
		p.pos++
		if !p.digits("after decimal point in numeric literal") {
			return false
		}
	}
	if p.pos < len(s) && (s[p.pos] == 'e' || s[p.pos] == 'E') {
		p.pos++
		if p.pos < len(s) && (s[p.pos] == '+' || s[p.pos] == '-') {
			p.pos++
		}
		if !p.digits("in exponent of numeric literal") {
			return false
		}
	}
	return true
}

// str reads a string at p.pos (the opening quote) and returns it decoded.
func (p *jparser) str() (string, bool) {
	s := p.src
	p.pos++ // opening quote
	start := p.pos
	for p.pos < len(s) {
		c := s[p.pos]
		if c == '"' {
			v := s[start:p.pos]
			p.pos++
			return v, true
		}
		if c == '\\' {
			return p.strEscaped(start)
		}
		if c < 0x20 {
			p.fail("invalid character %s in string literal", quoteChar(c))
			return "", false
		}
		p.pos++
	}
	p.fail("unexpected end of JSON input")
	return "", false
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// hex4 reads the four hex digits of a \u escape at p.pos.
func (p *jparser) hex4() (rune, bool) {
	var r rune
	for i := 0; i < 4; i++ {
		if p.pos >= len(p.src) {
			p.fail("unexpected end of JSON input")
			return 0, false
		}
		v := hexVal(p.src[p.pos])
		if v < 0 {
			p.fail("invalid character %s in \\u hexadecimal character escape", quoteChar(p.src[p.pos]))
			return 0, false
		}
		r = r<<4 | v
		p.pos++
	}
	return r, true
}

// strEscaped finishes a string that has escapes, building its value.
func (p *jparser) strEscaped(start int) (string, bool) {
	s := p.src
	var b strings.Builder
	b.WriteString(s[start:p.pos])
	for p.pos < len(s) {
		c := s[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), true
		case c < 0x20:
			p.fail("invalid character %s in string literal", quoteChar(c))
			return "", false
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		p.pos++ // backslash
		if p.pos >= len(s) {
			p.fail("unexpected end of JSON input")
			return "", false
		}
		e := s[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate followed by an escaped low one is one
				// character; anything else is U+FFFD, as encoding/json.
				r2 := utf8.RuneError
				if p.pos+1 < len(s) && s[p.pos] == '\\' && s[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					lo, ok := p.hex4()
					if !ok {
						return "", false
					}
					if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
						r2 = d
					} else {
						p.pos = save // the second escape stands alone
					}
				}
				r = r2
			}
			b.WriteRune(r)
		default:
			p.pos--
			p.fail("invalid character %s in string escape code", quoteChar(e))
			return "", false
		}
	}
	p.fail("unexpected end of JSON input")
	return "", false
}

func (p *jparser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail("exceeded max depth")
		return false
	}
	return true
}

// link makes v the child of self that follows last (-1: the first).
// digits reads the one or more digits a number's fraction or exponent must
// have; where names the place in the error.
func (p *jparser) digits(where string) bool {
	s := p.src
	if p.pos >= len(s) {
		p.fail("unexpected end of JSON input")
		return false
	}
	if !isDigit(s[p.pos]) {
		p.fail("invalid character %s %s", quoteChar(s[p.pos]), where)
		return false
	}
	for p.pos < len(s) && isDigit(s[p.pos]) {
		p.pos++
	}
	return true
}

func (p *jparser) link(self, last, v int32) {
	if last < 0 {
		p.nodes[self].first = v
	} else {
		p.nodes[last].next = v
	}
}

// next reads what follows a member of the array or object self: a comma
// (more is true) or closer, which ends self (more false, ok true).
// Anything else fails the parse (ok false); what names the member.
func (p *jparser) next(self int32, closer byte, what string) (more, ok bool) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		p.fail("unexpected end of JSON input")
		return false, false
	}
	switch c := p.src[p.pos]; c {
	case ',':
		p.pos++
		return true, true
	case closer:
		p.pos++
		p.nodes[self].end = int32(p.pos)
		p.depth--
		return false, true
	default:
		p.fail("invalid character %s after %s", quoteChar(c), what)
		return false, false
	}
}

func (p *jparser) array() int32 {
	if !p.enter() {
		return -1
	}
	self := p.add(jArray, p.pos)
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.nodes[self].end = int32(p.pos)
		p.depth--
		return self
	}
	last := int32(-1)
	for {
		p.skipSpace()
		v := p.value()
		if v < 0 {
			return -1
		}
		p.link(self, last, v)
		last = v
		if more, ok := p.next(self, ']', "array element"); !more {
			if !ok {
				return -1
			}
			return self
		}
	}
}

func (p *jparser) object() int32 {
	if !p.enter() {
		return -1
	}
	self := p.add(jObject, p.pos)
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.nodes[self].end = int32(p.pos)
		p.depth--
		return self
	}
	last := int32(-1)
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			p.fail("unexpected end of JSON input")
			return -1
		}
		if p.src[p.pos] != '"' {
			p.fail("invalid character %s looking for beginning of object key string", quoteChar(p.src[p.pos]))
			return -1
		}
		key, ok := p.str()
		if !ok {
			return -1
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			p.fail("unexpected end of JSON input")
			return -1
		}
		if p.src[p.pos] != ':' {
			p.fail("invalid character %s after object key", quoteChar(p.src[p.pos]))
			return -1
		}
		p.pos++
		p.skipSpace()
		v := p.value()
		if v < 0 {
			return -1
		}
		p.nodes[v].key = key
		p.link(self, last, v)
		last = v
		if more, ok := p.next(self, '}', "object key:value pair"); !more {
			if !ok {
				return -1
			}
			return self
		}
	}
}

// get returns the member of object o named key (the last, if repeated),
// or -1.
func (d *jdoc) get(o int32, key string) int32 {
	found := int32(-1)
	if o < 0 || d.nodes[o].kind != jObject {
		return -1
	}
	for c := d.nodes[o].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].key == key {
			found = c
		}
	}
	return found
}

// raw is the content of node i as written.
func (d *jdoc) raw(i int32) string {
	return d.src[d.nodes[i].start:d.nodes[i].end]
}

// count returns how many elements or members i has.
func (d *jdoc) count(i int32) int {
	n := 0
	for c := d.nodes[i].first; c >= 0; c = d.nodes[c].next {
		n++
	}
	return n
}
