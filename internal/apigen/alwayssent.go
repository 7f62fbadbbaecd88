package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Which members of an answer are always on the wire. encoding/json leaves
// out an empty list or map and a nil scalar under omitempty, and that is
// the default for every member; Connect instead sends some members even
// when they are empty ("Tags": {}, "UserSummaryList": []) or unset
// ("DeskPhoneNumber": ""). alwayssent.txt, beside the overlay, says which:
// three rules and a list of single members, each decided from the public
// records of real answers (docs/BEHAVIOUR.md, "Always-sent members").
//
// For those members the generator drops omitempty and emits, on every
// structure an output can contain, a FillAlwaysSent method that gives a
// nil member its empty or default value; the wire layer calls it on every
// output before encoding. Handlers never choose nil versus empty.

//go:embed alwayssent.txt
var alwaysSentFile []byte

// alwaysSent is what alwayssent.txt decides, resolved against the model.
type alwaysSent struct {
	// members maps structure shape -> member -> default (a Go expression
	// for scalars, "" for lists, maps and structures, sent empty).
	members map[string]map[string]string
	// fills maps a structure shape to whether it, or anything below it,
	// has a member to fill; memoised by fillsBelow.
	fills map[string]bool
}

// Rules alwayssent.txt may enable.
const (
	ruleResults = "results" // the list or map at the top of every List*/Search* output
	ruleCount   = "count"   // ApproximateTotalCount of every Search* output
	ruleTags    = "tags"    // the Tags map of every structure an output contains
)

// loadAlwaysSent parses src and applies it to the model. Unknown rules,
// shapes or members fail generation, so the file cannot rot silently.
func loadAlwaysSent(m *model, src []byte) (*alwaysSent, error) {
	a := &alwaysSent{members: map[string]map[string]string{}, fills: map[string]bool{}}
	rules := map[string]bool{}
	var except [][2]string
	outputs := outputShapes(m)
	for i, line := range strings.Split(string(src), "\n") {
		if c := strings.Index(line, "#"); c >= 0 {
			line = line[:c]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		at := fmt.Sprintf("alwayssent.txt:%d", i+1)
		switch {
		case f[0] == "rule" && len(f) == 2:
			switch f[1] {
			case ruleResults, ruleCount, ruleTags:
				rules[f[1]] = true
			default:
				return nil, fmt.Errorf("%s: unknown rule %q", at, f[1])
			}
		case strings.HasPrefix(f[0], "-") && len(f) == 1:
			sh, mem, err := a.member(m, strings.TrimPrefix(f[0], "-"))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", at, err)
			}
			except = append(except, [2]string{sh, mem})
		case len(f) <= 2:
			sh, mem, err := a.member(m, f[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", at, err)
			}
			def, err := scalarDefault(m, m.Shapes[sh].Members[mem].Shape, f[1:])
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", at, f[0], err)
			}
			a.add(sh, mem, def)
		default:
			return nil, fmt.Errorf("%s: cannot read %q", at, line)
		}
	}
	for _, o := range m.sortedOperations() {
		if o.Output == nil {
			continue
		}
		out := m.Shapes[o.Output.Shape]
		for _, mn := range sortedMembers(out) {
			t := m.Shapes[out.Members[mn].Shape].Type
			isList := strings.HasPrefix(o.Name, "List") || strings.HasPrefix(o.Name, "Search")
			if rules[ruleResults] && isList && (t == "list" || t == "map") {
				a.add(o.Output.Shape, mn, "")
			}
			if rules[ruleCount] && strings.HasPrefix(o.Name, "Search") && mn == "ApproximateTotalCount" {
				a.add(o.Output.Shape, mn, "0")
			}
		}
	}
	if rules[ruleTags] {
		for _, n := range m.sortedShapeNames() {
			if ref, ok := m.Shapes[n].Members["Tags"]; ok && outputs[n] && m.Shapes[ref.Shape].Type == "map" {
				a.add(n, "Tags", "")
			}
		}
	}
	for _, e := range except {
		if _, ok := a.members[e[0]][e[1]]; !ok {
			return nil, fmt.Errorf("alwayssent.txt: -%s.%s is an exception to no rule", e[0], e[1])
		}
		delete(a.members[e[0]], e[1])
	}
	return a, nil
}

func (a *alwaysSent) add(shape, member, def string) {
	if a.members[shape] == nil {
		a.members[shape] = map[string]string{}
	}
	a.members[shape][member] = def
}

// member resolves "Shape.Member" to a structure member of the model.
func (a *alwaysSent) member(m *model, s string) (string, string, error) {
	sh, mem, ok := strings.Cut(s, ".")
	if !ok {
		return "", "", fmt.Errorf("%q is not Shape.Member", s)
	}
	st := m.Shapes[sh]
	if st == nil || st.Type != "structure" {
		return "", "", fmt.Errorf("%s is not a structure of the model", sh)
	}
	if _, ok := st.Members[mem]; !ok {
		return "", "", fmt.Errorf("%s has no member %s", sh, mem)
	}
	return sh, mem, nil
}

// scalarDefault checks a member's default against its shape and returns it
// as a Go expression: none for a list, map or structure (sent empty),
// exactly one JSON value for a scalar.
func scalarDefault(m *model, shape string, def []string) (string, error) {
	t := m.Shapes[shape].Type
	if t == "list" || t == "map" || t == "structure" {
		if len(def) != 0 {
			return "", fmt.Errorf("a %s is sent empty; it takes no default", t)
		}
		return "", nil
	}
	if len(def) != 1 {
		return "", fmt.Errorf("a %s needs its default value", t)
	}
	var v any
	d := json.NewDecoder(strings.NewReader(def[0]))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return "", fmt.Errorf("default %s is not a JSON value", def[0])
	}
	ok := false
	switch v.(type) {
	case string:
		ok = t == "string"
	case bool:
		ok = t == "boolean"
	case json.Number:
		ok = t == "integer" || t == "long" || t == "double" || t == "float"
	}
	if !ok {
		return "", fmt.Errorf("default %s does not fit a %s", def[0], t)
	}
	return def[0], nil
}

// outputShapes is every structure an operation's output can contain.
func outputShapes(m *model) map[string]bool {
	seen := map[string]bool{}
	var walk func(n string)
	walk = func(n string) {
		s := m.Shapes[n]
		switch s.Type {
		case "structure":
			if seen[n] {
				return
			}
			seen[n] = true
			for _, mn := range sortedMembers(s) {
				walk(s.Members[mn].Shape)
			}
		case "list":
			walk(s.Member.Shape)
		case "map":
			walk(s.Value.Shape)
		}
	}
	for _, o := range m.sortedOperations() {
		if o.Output != nil {
			walk(o.Output.Shape)
		}
	}
	return seen
}

// sent reports whether a member is always sent.
func (a *alwaysSent) sent(shape, member string) bool {
	_, ok := a.members[shape][member]
	return ok
}

// fillsBelow reports whether structure n, or a structure below it, has a
// member to fill. Cycles are cut like needsCheck's.
func (a *alwaysSent) fillsBelow(m *model, n string) bool {
	if v, ok := a.fills[n]; ok {
		return v
	}
	a.fills[n] = false
	v := len(a.members[n]) > 0
	s := m.Shapes[n]
	for _, mn := range sortedMembers(s) {
		if st := a.structBelow(m, s.Members[mn].Shape); st != "" && a.fillsBelow(m, st) {
			v = true
		}
	}
	a.fills[n] = v
	return v
}

// structBelow is the structure a member of shape n holds, directly or as
// the element of a list or map, or "".
func (a *alwaysSent) structBelow(m *model, n string) string {
	s := m.Shapes[n]
	switch s.Type {
	case "structure":
		return n
	case "list":
		if m.Shapes[s.Member.Shape].Type == "structure" {
			return s.Member.Shape
		}
	case "map":
		if m.Shapes[s.Value.Shape].Type == "structure" {
			return s.Value.Shape
		}
	}
	return ""
}

// alwaysSentCode writes the FillAlwaysSent methods and the AlwaysSent table.
func (g *generator) alwaysSentCode(b *bytes.Buffer) error {
	a, m := g.sent, g.m
	outputs := outputShapes(m)
	table := map[string][]string{}
	for _, n := range m.sortedShapeNames() {
		if !outputs[n] || !a.fillsBelow(m, n) {
			continue
		}
		s := m.Shapes[n]
		tn := g.typeName[n]
		fmt.Fprintf(b, "// FillAlwaysSent fills what %s and the shapes below it always send.\n", tn)
		fmt.Fprintf(b, "func (s *%s) FillAlwaysSent() {\nif s == nil {\nreturn\n}\n", tn)
		for _, mn := range sortedMembers(s) {
			ref := s.Members[mn]
			f := "s." + exported(mn)
			if def, ok := a.members[n][mn]; ok {
				table[tn] = append(table[tn], jsonName(mn, ref))
				fmt.Fprintf(b, "if %s == nil {\n", f)
				switch ms := m.Shapes[ref.Shape]; ms.Type {
				case "list", "map":
					fmt.Fprintf(b, "%s = %s{}\n", f, g.goType(ref.Shape, false))
				case "structure":
					fmt.Fprintf(b, "%s = &%s{}\n", f, g.typeName[ref.Shape])
				default:
					fmt.Fprintf(b, "v := %s(%s)\n%s = &v\n", g.goType(ref.Shape, true), def, f)
				}
				b.WriteString("}\n")
			}
			st := a.structBelow(m, ref.Shape)
			if st == "" || !a.fillsBelow(m, st) {
				continue
			}
			switch m.Shapes[ref.Shape].Type {
			case "structure":
				fmt.Fprintf(b, "%s.FillAlwaysSent()\n", f)
			case "list":
				fmt.Fprintf(b, "for i := range %s {\n%s[i].FillAlwaysSent()\n}\n", f, f)
			case "map":
				fmt.Fprintf(b, "for k, v := range %s {\nv.FillAlwaysSent()\n%s[k] = v\n}\n", f, f)
			}
		}
		b.WriteString("}\n\n")
	}
	if err := a.checkScalars(m); err != nil {
		return err
	}
	b.WriteString("// AlwaysSent names, per output shape's Go type, the JSON members that are\n// on the wire in every answer that contains the shape.\nvar AlwaysSent = map[string][]string{\n")
	names := make([]string, 0, len(table))
	for tn := range table {
		names = append(names, tn)
	}
	sort.Strings(names)
	for _, tn := range names {
		fmt.Fprintf(b, "%q: %#v,\n", tn, table[tn])
	}
	b.WriteString("}\n")
	return nil
}

// checkScalars refuses members named in alwayssent.txt that no output
// contains: they would never be filled.
func (a *alwaysSent) checkScalars(m *model) error {
	outputs := outputShapes(m)
	for sh := range a.members {
		if !outputs[sh] {
			return fmt.Errorf("alwayssent.txt: %s is in no operation's output", sh)
		}
	}
	return nil
}
