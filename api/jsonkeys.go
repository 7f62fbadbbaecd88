package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// AWS's JSON deserializers match member names exactly and ignore members
// they do not know; encoding/json also accepts a name that differs only in
// case ("username" for "Username"). DropInexactKeys removes such members
// before decoding, so that {"username": "x"} is a request without Username,
// as Connect would see it, not a request with one.

// structKeys is what DropInexactKeys knows of one struct type.
type structKeys struct {
	exact map[string]reflect.Type // JSON name -> field type
	lower map[string]bool         // lower-cased JSON names
}

var keysCache sync.Map // reflect.Type -> *structKeys

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// leaf reports whether t decodes itself or holds no named members.
func leaf(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() == reflect.Interface
}

// keysOf returns the member names of struct type t, or nil when t decodes
// itself (a timestamp, say).
func keysOf(t reflect.Type) *structKeys {
	if k, ok := keysCache.Load(t); ok {
		return k.(*structKeys)
	}
	if leaf(t) {
		keysCache.Store(t, (*structKeys)(nil))
		return nil
	}
	k := &structKeys{exact: map[string]reflect.Type{}, lower: map[string]bool{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		k.exact[name] = f.Type
		k.lower[strings.ToLower(name)] = true
	}
	keysCache.Store(t, k)
	return k
}

// DropInexactKeys returns body with every object member removed whose name
// matches a member of the target type t only when case is ignored. It
// returns body itself when there is none (the usual case) and also when
// body is not valid JSON, leaving that error to the decoder.
func DropInexactKeys(body []byte, t reflect.Type) []byte {
	sc := keyScanner{b: body}
	if !sc.value(t) || !sc.found {
		return body
	}
	out, err := rewrite(json.RawMessage(body), t)
	if err != nil {
		return body
	}
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// keyScanner walks JSON without decoding it, looking only at member names:
// checking a body that needs no rewrite costs a fraction of decoding it.
// Any malformed input stops it (ok false); the decoder reports that.
type keyScanner struct {
	b     []byte
	i     int
	found bool
}

func (s *keyScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// str consumes a string and returns its raw content (escapes undecoded)
// and whether it held an escape.
func (s *keyScanner) str() (raw []byte, escaped, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch s.b[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			s.i = j + 1
			return s.b[start:j], escaped, true
		}
	}
	return nil, false, false
}

// value consumes one value read as type t (nil: a value of no known type).
func (s *keyScanner) value(t reflect.Type) bool {
	t = deref(t)
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '{':
		s.i++
		var keys *structKeys
		var elem reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			keys = keysOf(t) // nil for a type that decodes itself
		} else if t != nil && t.Kind() == reflect.Map {
			elem = t.Elem()
		}
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == '}' {
			s.i++
			return true
		}
		for {
			s.ws()
			raw, escaped, ok := s.str()
			if !ok {
				return false
			}
			ft := elem
			if keys != nil {
				var exact bool
				if !escaped {
					ft, exact = keys.exact[string(raw)] // no allocation
				}
				if !exact {
					var name string
					if escaped {
						if json.Unmarshal(s.b[s.i-len(raw)-2:s.i], &name) != nil {
							return false
						}
						ft, exact = keys.exact[name]
					} else {
						name = string(raw)
					}
					if !exact && keys.lower[strings.ToLower(name)] {
						s.found = true
					}
				}
			}
			s.ws()
			if s.i >= len(s.b) || s.b[s.i] != ':' {
				return false
			}
			s.i++
			if !s.value(ft) {
				return false
			}
			s.ws()
			if s.i >= len(s.b) {
				return false
			}
			if s.b[s.i] == '}' {
				s.i++
				return true
			}
			if s.b[s.i] != ',' {
				return false
			}
			s.i++
		}
	case '[':
		s.i++
		var elem reflect.Type
		if t != nil && t.Kind() == reflect.Slice {
			elem = t.Elem()
		}
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == ']' {
			s.i++
			return true
		}
		for {
			if !s.value(elem) {
				return false
			}
			s.ws()
			if s.i >= len(s.b) {
				return false
			}
			if s.b[s.i] == ']' {
				s.i++
				return true
			}
			if s.b[s.i] != ',' {
				return false
			}
			s.i++
		}
	case '"':
		_, _, ok := s.str()
		return ok
	default:
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return s.i > start
			}
			s.i++
		}
		return s.i > start
	}
}

// rewrite re-encodes raw, read as type t, without the inexact members.
// Member order is kept.
func rewrite(raw json.RawMessage, t reflect.Type) (json.RawMessage, error) {
	t = deref(t)
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) == 0 {
		return raw, nil
	}
	switch {
	case trimmed[0] == '{' && (t.Kind() == reflect.Struct && keysOf(t) != nil || t.Kind() == reflect.Map):
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		var b bytes.Buffer
		b.WriteByte('{')
		first := true
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := kt.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, err
			}
			var vt reflect.Type
			if t.Kind() == reflect.Map {
				vt = t.Elem()
			} else {
				keys := keysOf(t)
				ft, exact := keys.exact[name]
				if !exact {
					if keys.lower[strings.ToLower(name)] {
						continue // dropped
					}
					ft = reflect.TypeFor[any]()
				}
				vt = ft
			}
			nv, err := rewrite(v, vt)
			if err != nil {
				return nil, err
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			kb, _ := json.Marshal(name)
			b.Write(kb)
			b.WriteByte(':')
			b.Write(nv)
		}
		b.WriteByte('}')
		return b.Bytes(), nil
	case trimmed[0] == '[' && t.Kind() == reflect.Slice:
		var items []json.RawMessage
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, err
		}
		var b bytes.Buffer
		b.WriteByte('[')
		for i, it := range items {
			nv, err := rewrite(it, t.Elem())
			if err != nil {
				return nil, err
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(nv)
		}
		b.WriteByte(']')
		return b.Bytes(), nil
	}
	return raw, nil
}
