package seed

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The decoder turns a yaml.Node tree into the schema structs of spec.go,
// strictly: an unknown key, a duplicate key or a value of the wrong kind is
// an error at the node's line and column, which yaml.v3's own Decode gives
// only as a line. Every value node it reads is remembered by its path
// (instances[0].users[2].routingProfile) so that later errors, such as a
// name that resolves to nothing, can point at the same place.
//
// Keys are the seed tags of the structs in spec.go; a generated api shape
// (a member such as phoneConfig or identityInfo, or an api request embedded
// with seed:",inline") contributes its members under their JSON names with
// the first letter lowered, the spelling AWS uses in validation messages.

type decoder struct {
	file string
	pos  map[string]*yaml.Node
}

var (
	apiPkgPath = "github.com/switchboard-dev/switchboard/api"
	nodeType   = reflect.TypeOf(yaml.Node{})
)

// fieldRef locates a struct field, through inlined structs, by index path.
type fieldRef struct{ index []int }

var fieldCache sync.Map // reflect.Type → map[string]fieldRef

// fieldsOf maps a struct type's keys to its fields.
func fieldsOf(t reflect.Type) map[string]fieldRef {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]fieldRef)
	}
	m := map[string]fieldRef{}
	collectFields(t, nil, nil, m)
	fieldCache.Store(t, m)
	return m
}

func collectFields(t reflect.Type, prefix []int, omit map[string]bool, m map[string]fieldRef) {
	isAPI := t.PkgPath() == apiPkgPath
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || omit[f.Name] {
			continue
		}
		index := append(append([]int(nil), prefix...), i)
		if isAPI {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || name == "" {
				continue
			}
			m[lowerFirst(name)] = fieldRef{index}
			continue
		}
		tag, ok := f.Tag.Lookup("seed")
		if !ok || tag == "-" {
			continue
		}
		if tag == ",inline" {
			inner := map[string]bool{}
			for _, o := range strings.Split(f.Tag.Get("omit"), ",") {
				if o != "" {
					inner[o] = true
				}
			}
			collectFields(f.Type, index, inner, m)
			continue
		}
		m[tag] = fieldRef{index}
	}
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// errAt is an error at node n.
func (d *decoder) errAt(n *yaml.Node, path, format string, args ...any) error {
	return &Error{File: d.file, Line: n.Line, Column: n.Column, Path: path, Err: fmt.Errorf(format, args...)}
}

// typeErr is a value of the wrong kind at path.
func (d *decoder) typeErr(n *yaml.Node, path, format string, args ...any) error {
	where := path
	if where == "" {
		where = "the document"
	}
	return d.errAt(n, path, "%s: %s", where, fmt.Sprintf(format, args...))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!str":
			return strconv.Quote(n.Value)
		}
		return n.Value
	}
	return "a value"
}

// decode reads n into v, which must be settable.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) error {
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.pos[path] = n
	if v.Type() == nodeType {
		v.Set(reflect.ValueOf(*n))
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // absent, as in JSON
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.decode(n, v.Elem(), path)
	}
	switch v.Kind() {
	case reflect.String:
		// Any scalar reads as its text, so that an unquoted phone number
		// (+12065550100, an integer to YAML) or "true" stays as written.
		if n.Kind != yaml.ScalarNode {
			return d.typeErr(n, path, "expected a string, got %s", describeNode(n))
		}
		v.SetString(n.Value)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			return d.typeErr(n, path, "expected true or false, got %s", describeNode(n))
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case reflect.Int32, reflect.Int64, reflect.Int:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			return d.typeErr(n, path, "expected an integer, got %s", describeNode(n))
		}
		x, err := strconv.ParseInt(n.Value, 0, v.Type().Bits())
		if err != nil {
			return d.typeErr(n, path, "integer %s is out of range", n.Value)
		}
		v.SetInt(x)
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
			return d.typeErr(n, path, "expected a number, got %s", describeNode(n))
		}
		x, err := strconv.ParseFloat(n.Value, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return d.typeErr(n, path, "expected a number, got %s", n.Value)
		}
		v.SetFloat(x)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return d.typeErr(n, path, "expected a list, got %s", describeNode(n))
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return d.typeErr(n, path, "expected a mapping, got %s", describeNode(n))
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return d.errAt(k, path, "expected a string key, got %s", describeNode(k))
			}
			if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
				return d.errAt(k, path, "duplicate key %q", k.Value)
			}
			elem := reflect.New(v.Type().Elem()).Elem()
			if err := d.decode(val, elem, join(path, k.Value)); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k.Value), elem)
		}
		v.Set(m)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return d.typeErr(n, path, "expected a mapping, got %s", describeNode(n))
		}
		fields := fieldsOf(v.Type())
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if k.Kind != yaml.ScalarNode || !ok {
				return d.errAt(k, path, "unknown field %q%s", k.Value, d.where(path))
			}
			if seen[k.Value] {
				return d.errAt(k, path, "duplicate key %q", k.Value)
			}
			seen[k.Value] = true
			if err := d.decode(val, fieldByIndex(v, f.index), join(path, k.Value)); err != nil {
				return err
			}
		}
	default:
		return d.typeErr(n, path, "cannot read into %s", v.Type())
	}
	return nil
}

func (d *decoder) where(path string) string {
	if path == "" {
		return " at the top level"
	}
	return " in " + path
}

// fieldByIndex is reflect.Value.FieldByIndex for structs embedded by value
// (the inlined api requests), which never need allocating.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for _, i := range index {
		v = v.Field(i)
	}
	return v
}

// reflectValue is the settable value p points to.
func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }
