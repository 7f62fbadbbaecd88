package flow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checker reads one document (parse) and then checks it (validate),
// collecting every problem in document order.
type checker struct {
	content  string
	kind     Kind
	r        Resolver
	doc      *jdoc
	flow     *Flow
	problems []Problem

	version, start, actions int32 // members of the root, -1 if absent
	acts                    []actNodes
}

// actNodes are the nodes of one element of Actions.
type actNodes struct {
	i          int    // index in Actions
	obj        int32  // -1: the element is not an object
	name       string // Identifier, if a non-empty string
	id, typ    int32  // string nodes, -1 if absent or mistyped
	params     int32  // object node, -1 if absent
	next       int32  // Transitions.NextAction string node
	errs, cond []transNodes
}

// transNodes are one element of Transitions.Errors or .Conditions.
type transNodes struct {
	elem     int32 // the element (an object if the rest is looked at)
	co       int32 // Condition object node (Conditions), -1 if absent
	next     int32 // NextAction string node
	errType  int32 // ErrorType string node (Errors)
	operator int32 // Condition.Operator string node (Conditions)
	operands []string
	opsOK    bool // Operands present and all strings
}

// label is how problems name the action: by Identifier, or by index when
// it has none.
func (a *actNodes) label() string {
	if a.name != "" {
		return fmt.Sprintf("Action %q", a.name)
	}
	return fmt.Sprintf("Actions[%d]", a.i)
}

func newChecker(content string, kind Kind, r Resolver) *checker {
	return &checker{content: content, kind: kind, r: r, version: -1, start: -1, actions: -1}
}

func (c *checker) add(format string, args ...any) {
	c.problems = append(c.problems, Problem{Message: fmt.Sprintf(format, args...)})
}

// where names a place in the document for a problem, built only when a
// problem is reported: "<label>: <base>[<idx>].<field>".
type where struct {
	a     *actNodes // nil at the top level
	base  string
	idx   int // -1: none
	field string
}

func (w where) String() string {
	var b strings.Builder
	if w.a != nil {
		b.WriteString(w.a.label())
		if w.base == "" {
			return b.String()
		}
		b.WriteString(": ")
	}
	b.WriteString(w.base)
	if w.idx >= 0 {
		b.WriteString("[" + strconv.Itoa(w.idx) + "]")
	}
	if w.field != "" {
		b.WriteString("." + w.field)
	}
	return b.String()
}

// member returns o's member key if it is present and not null, checking
// it has kind want; -1 if absent, null or mistyped (reported as at w).
func (c *checker) member(o int32, key string, want jkind, w where) int32 {
	m := c.doc.get(o, key)
	if m < 0 {
		return -1
	}
	k := c.doc.nodes[m].kind
	if k == jNull && want != jString {
		return -1
	}
	if k != want {
		c.add("%s must be %s, not %s", w, want, k)
		return -1
	}
	return m
}

func (c *checker) str(n int32) string {
	if n < 0 {
		return ""
	}
	return c.doc.nodes[n].str
}

// absent reports whether object o (which must be an object) lacks key or
// holds null there; a present but mistyped member was reported by parse.
func (c *checker) absent(o int32, key string) bool {
	if o < 0 || c.doc.nodes[o].kind != jObject {
		return false
	}
	m := c.doc.get(o, key)
	return m < 0 || c.doc.nodes[m].kind == jNull
}

// parse checks the document's shape and builds c.flow.
func (c *checker) parse() {
	doc, err := parseJSON(c.content)
	if err != "" {
		c.add("Content is not valid JSON: %s", err)
		return
	}
	c.doc = doc
	if k := doc.nodes[0].kind; k != jObject {
		c.add("Content must be a JSON object, not %s", k)
		return
	}
	f := &Flow{}
	c.flow = f
	c.version = c.member(0, "Version", jString, where{base: "Version", idx: -1})
	f.Version = c.str(c.version)
	c.start = c.member(0, "StartAction", jString, where{base: "StartAction", idx: -1})
	f.StartAction = c.str(c.start)
	if m := c.member(0, "Metadata", jObject, where{base: "Metadata", idx: -1}); m >= 0 {
		f.Metadata = json.RawMessage(doc.raw(m))
	}
	if m := c.member(0, "Settings", jObject, where{base: "Settings", idx: -1}); m >= 0 {
		f.Settings = json.RawMessage(doc.raw(m))
	}
	c.actions = c.member(0, "Actions", jArray, where{base: "Actions", idx: -1})
	if c.actions < 0 {
		return
	}
	n := doc.count(c.actions)
	f.Actions = make([]Action, 0, n)
	c.acts = make([]actNodes, 0, n)
	i := 0
	for e := doc.nodes[c.actions].first; e >= 0; e = doc.nodes[e].next {
		c.acts = append(c.acts, c.parseAction(i, e))
		i++
	}
}

func (c *checker) parseAction(i int, e int32) actNodes {
	doc := c.doc
	a := actNodes{i: i, obj: -1, id: -1, typ: -1, params: -1, next: -1}
	if k := doc.nodes[e].kind; k != jObject {
		c.add("%s must be an object, not %s", a.label(), k)
		c.flow.Actions = append(c.flow.Actions, Action{})
		return a
	}
	a.obj = e
	if m := doc.get(e, "Identifier"); m >= 0 && doc.nodes[m].kind == jString {
		a.name = doc.nodes[m].str
	}
	at := func(base string) where { return where{a: &a, base: base, idx: -1} }
	var act Action
	a.id = c.member(e, "Identifier", jString, at("Identifier"))
	act.Identifier = c.str(a.id)
	a.typ = c.member(e, "Type", jString, at("Type"))
	act.Type = c.str(a.typ)
	if a.params = c.member(e, "Parameters", jObject, at("Parameters")); a.params >= 0 {
		act.Parameters = make(map[string]json.RawMessage, doc.count(a.params))
		for p := doc.nodes[a.params].first; p >= 0; p = doc.nodes[p].next {
			act.Parameters[doc.nodes[p].key] = json.RawMessage(doc.raw(p))
		}
	}
	t := c.member(e, "Transitions", jObject, at("Transitions"))
	if t >= 0 {
		a.next = c.member(t, "NextAction", jString, at("Transitions.NextAction"))
		act.Transitions.NextAction = c.str(a.next)
		if errs := c.member(t, "Errors", jArray, at("Transitions.Errors")); errs >= 0 {
			j := 0
			for x := doc.nodes[errs].first; x >= 0; x = doc.nodes[x].next {
				w := func(field string) where { return where{a: &a, base: "Transitions.Errors", idx: j, field: field} }
				tn := transNodes{elem: x, co: -1, next: -1, errType: -1, operator: -1}
				if k := doc.nodes[x].kind; k != jObject {
					c.add("%s must be an object, not %s", w(""), k)
				} else {
					tn.next = c.member(x, "NextAction", jString, w("NextAction"))
					tn.errType = c.member(x, "ErrorType", jString, w("ErrorType"))
				}
				act.Transitions.Errors = append(act.Transitions.Errors,
					ErrorTransition{NextAction: c.str(tn.next), ErrorType: c.str(tn.errType)})
				a.errs = append(a.errs, tn)
				j++
			}
		}
		if conds := c.member(t, "Conditions", jArray, at("Transitions.Conditions")); conds >= 0 {
			j := 0
			for x := doc.nodes[conds].first; x >= 0; x = doc.nodes[x].next {
				w := func(field string) where { return where{a: &a, base: "Transitions.Conditions", idx: j, field: field} }
				tn := transNodes{elem: x, co: -1, next: -1, errType: -1, operator: -1}
				var cond Condition
				if k := doc.nodes[x].kind; k != jObject {
					c.add("%s must be an object, not %s", w(""), k)
				} else {
					tn.next = c.member(x, "NextAction", jString, w("NextAction"))
					cond.NextAction = c.str(tn.next)
					if co := c.member(x, "Condition", jObject, w("Condition")); co >= 0 {
						tn.co = co
						tn.operator = c.member(co, "Operator", jString, w("Condition.Operator"))
						cond.Condition.Operator = c.str(tn.operator)
						if ops := c.member(co, "Operands", jArray, w("Condition.Operands")); ops >= 0 {
							tn.opsOK = true
							k := 0
							for o := doc.nodes[ops].first; o >= 0; o = doc.nodes[o].next {
								if ok := doc.nodes[o].kind; ok != jString {
									c.add("%s.Condition.Operands[%d] must be a string, not %s", w(""), k, ok)
									tn.opsOK = false
								} else {
									tn.operands = append(tn.operands, doc.nodes[o].str)
								}
								k++
							}
							cond.Condition.Operands = tn.operands
						}
					}
				}
				act.Transitions.Conditions = append(act.Transitions.Conditions, cond)
				a.cond = append(a.cond, tn)
				j++
			}
		}
	}
	c.flow.Actions = append(c.flow.Actions, act)
	return a
}

// kindName is how problems name a kind.
func kindName(k Kind) string {
	if k == Module {
		return "flow modules"
	}
	return string(k) + " flows"
}

func isDynamic(v string) bool { return strings.HasPrefix(v, "$.") }

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

func paramList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "Parameters." + x
	}
	return strings.Join(q, ", ")
}

// validate checks the parsed document against the flow-language rules.
func (c *checker) validate() {
	kindKnown := slices.Contains(Kinds, c.kind)
	if !kindKnown {
		c.add("Flow type %q is not one of %s", c.kind, kindList())
	}
	if len(c.content) > MaxContentLength {
		if n := utf8.RuneCountInString(c.content); n > MaxContentLength {
			c.add("Content is %d characters long; at most %d are allowed", n, MaxContentLength)
		}
	}
	if c.doc.get(0, "Version") < 0 {
		c.add("Version is missing")
	} else if c.version >= 0 && c.flow.Version != Version {
		c.add("Version must be %q, not %q", Version, c.flow.Version)
	}

	// Identifiers first: the other checks resolve names against them.
	ids := make(map[string]int, len(c.acts))
	for i, a := range c.acts {
		if a.obj < 0 {
			continue
		}
		if c.doc.get(a.obj, "Identifier") < 0 {
			c.add("%s: Identifier is missing", a.label())
			continue
		}
		if a.id < 0 {
			continue // mistyped, reported by parse
		}
		id := c.flow.Actions[i].Identifier
		switch {
		case id == "":
			c.add("%s: Identifier is empty", a.label())
			continue
		case utf8.RuneCountInString(id) > MaxIdentifierLength:
			c.add("%s: Identifier is longer than %d characters", a.label(), MaxIdentifierLength)
		case strings.ContainsAny(id, IdentifierForbiddenChars):
			c.add("%s: Identifier may not contain any of the characters %s", a.label(), IdentifierForbiddenChars)
		case slices.Contains(IdentifierForbiddenNames, id):
			c.add("%s: Identifier may not be %q", a.label(), id)
		}
		if first, dup := ids[id]; dup {
			c.add("%s: Identifier is not unique (Actions[%d] and Actions[%d])", a.label(), first, i)
		} else {
			ids[id] = i
		}
	}

	switch {
	case c.doc.get(0, "StartAction") < 0:
		c.add("StartAction is missing")
	case c.start < 0:
	case c.flow.StartAction == "":
		c.add("StartAction is empty")
	default:
		if _, ok := ids[c.flow.StartAction]; !ok && len(c.acts) > 0 {
			c.add("StartAction names no action: %q", c.flow.StartAction)
		}
	}
	switch {
	case c.doc.get(0, "Actions") < 0:
		c.add("Actions is missing")
	case c.actions < 0:
	case len(c.acts) == 0:
		c.add("Actions is empty")
	case len(c.acts) > MaxActions:
		c.add("Actions has %d actions; at most %d are allowed", len(c.acts), MaxActions)
	}

	for i := range c.acts {
		if c.acts[i].obj >= 0 {
			c.validateAction(i, ids, kindKnown)
		}
	}
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func (c *checker) validateAction(i int, ids map[string]int, kindKnown bool) {
	a := &c.acts[i]
	act := &c.flow.Actions[i]
	var spec *ActionType
	switch {
	case c.doc.get(a.obj, "Type") < 0:
		c.add("%s: Type is missing", a.label())
	case a.typ < 0:
	default:
		spec = Catalog[act.Type]
		if spec == nil {
			c.add("%s: Type %q is not a known action type", a.label(), act.Type)
		}
	}
	if spec != nil {
		if kindKnown && spec.Kinds != nil && !slices.Contains(spec.Kinds, c.kind) {
			c.add("%s: Type %q is not supported in %s", a.label(), spec.Type, kindName(c.kind))
		}
		c.checkParams(a, spec)
		c.checkTransitions(a, act, spec)
		c.checkResources(a, spec)
	}
	// Targets, whatever the type.
	if act.Transitions.NextAction != "" {
		if _, ok := ids[act.Transitions.NextAction]; !ok {
			c.add("%s: Transitions.NextAction names no action: %q", a.label(), act.Transitions.NextAction)
		}
	}
	for j, e := range a.errs {
		c.checkTarget(where{a: a, base: "Transitions.Errors", idx: j}, e, ids)
	}
	for j, e := range a.cond {
		c.checkTarget(where{a: a, base: "Transitions.Conditions", idx: j}, e, ids)
	}
}

func (c *checker) checkTarget(w where, e transNodes, ids map[string]int) {
	w.field = "NextAction"
	if e.next < 0 {
		if c.absent(e.elem, "NextAction") {
			c.add("%s is missing", w)
		}
		return
	}
	v := c.doc.nodes[e.next].str
	if v == "" {
		c.add("%s is empty", w)
		return
	}
	if _, ok := ids[v]; !ok {
		c.add("%s names no action: %q", w, v)
	}
}

func (c *checker) checkParams(a *actNodes, spec *ActionType) {
	doc := c.doc
	for _, p := range spec.Required {
		n := doc.get(a.params, p.Name)
		if n < 0 || doc.nodes[n].kind == jNull {
			c.add("%s: Parameters.%s is missing (%s requires it)", a.label(), p.Name, spec.Type)
			continue
		}
		node := doc.nodes[n]
		switch p.Type {
		case String:
			if node.kind != jString {
				c.add("%s: Parameters.%s must be a string, not %s", a.label(), p.Name, node.kind)
				continue
			}
			v := node.str
			if p.Dynamic && !isDynamic(v) {
				c.add("%s: Parameters.%s must be a JSONPath reference ($.…), not a static value", a.label(), p.Name)
			}
			if p.Enum != nil && !isDynamic(v) && !slices.Contains(p.Enum, v) {
				c.add("%s: Parameters.%s must be one of %s, not %q", a.label(), p.Name, quoteList(p.Enum), v)
			}
		case Integer:
			ok := node.kind == jNumber
			if node.kind == jString {
				_, err := strconv.ParseInt(node.str, 10, 64)
				ok = err == nil || isDynamic(node.str)
			}
			if !ok {
				c.add("%s: Parameters.%s must be an integer, not %s", a.label(), p.Name, doc.raw(n))
			}
		case Object:
			if node.kind != jObject {
				c.add("%s: Parameters.%s must be an object, not %s", a.label(), p.Name, node.kind)
			} else if p.MaxMembers > 0 && doc.count(n) > p.MaxMembers {
				c.add("%s: Parameters.%s may have at most %d entry", a.label(), p.Name, p.MaxMembers)
			}
		case Array:
			if node.kind != jArray {
				c.add("%s: Parameters.%s must be an array, not %s", a.label(), p.Name, node.kind)
			}
		}
	}
	for _, group := range spec.AtMostOne {
		var given []string
		for _, name := range group {
			if n := doc.get(a.params, name); n >= 0 && doc.nodes[n].kind != jNull {
				given = append(given, name)
			}
		}
		if len(given) > 1 {
			c.add("%s: only one of %s may be given", a.label(), paramList(given))
		}
	}
	for _, group := range spec.AtLeastOne {
		found := false
		for _, name := range group {
			if n := doc.get(a.params, name); n >= 0 && doc.nodes[n].kind != jNull {
				found = true
			}
		}
		if !found {
			c.add("%s: one of %s is required", a.label(), paramList(group))
		}
	}
}

func (c *checker) checkTransitions(a *actNodes, act *Action, spec *ActionType) {
	t := &act.Transitions
	if spec.Terminal {
		if t.NextAction != "" {
			c.add("%s: %s ends the flow and cannot have Transitions.NextAction", a.label(), spec.Type)
		}
		if len(t.Errors) > 0 {
			c.add("%s: %s ends the flow and cannot have Transitions.Errors", a.label(), spec.Type)
		}
		if len(t.Conditions) > 0 {
			c.add("%s: %s ends the flow and cannot have Transitions.Conditions", a.label(), spec.Type)
		}
		return
	}
	for j, e := range a.errs {
		if e.errType < 0 {
			if c.absent(e.elem, "ErrorType") {
				c.add("%s: Transitions.Errors[%d].ErrorType is missing", a.label(), j)
			}
			continue
		}
		et := c.doc.nodes[e.errType].str
		if spec.AnyError || slices.Contains(spec.Errors, et) {
			continue
		}
		if len(spec.Errors) == 0 {
			c.add("%s: Transitions.Errors[%d]: %s has no errors, so ErrorType %q is not supported", a.label(), j, spec.Type, et)
		} else {
			c.add("%s: Transitions.Errors[%d]: ErrorType %q is not supported by %s (supported: %s)", a.label(), j, et, spec.Type, strings.Join(spec.Errors, ", "))
		}
	}
	for _, req := range spec.RequiredErrors {
		if !slices.ContainsFunc(t.Errors, func(e ErrorTransition) bool { return e.ErrorType == req }) {
			c.add("%s: Transitions.Errors has no %s branch, which %s requires", a.label(), req, spec.Type)
		}
	}
	rule := spec.Conditions
	if rule == nil {
		if len(t.Conditions) > 0 {
			c.add("%s: %s supports no Transitions.Conditions", a.label(), spec.Type)
		}
		return
	}
	ops := rule.Operators
	if len(ops) == 0 {
		ops = Operators
	}
	for j, e := range a.cond {
		path := where{base: "Transitions.Conditions", idx: j, field: "Condition"}
		if e.co < 0 {
			if c.absent(e.elem, "Condition") {
				c.add("%s: %s is missing", a.label(), path)
			}
			continue
		}
		if e.operator < 0 {
			if c.absent(e.co, "Operator") {
				c.add("%s: %s.Operator is missing", a.label(), path)
			}
		} else {
			op := c.doc.nodes[e.operator].str
			switch {
			case !slices.Contains(Operators, op):
				c.add("%s: %s.Operator %q is not a known operator", a.label(), path, op)
			case !slices.Contains(ops, op):
				c.add("%s: %s.Operator %q is not supported by %s (supported: %s)", a.label(), path, op, spec.Type, strings.Join(ops, ", "))
			}
		}
		if !e.opsOK {
			if c.absent(e.co, "Operands") {
				c.add("%s: %s.Operands is missing", a.label(), path)
			}
			continue
		}
		if len(e.operands) != 1 {
			c.add("%s: %s.Operands must hold exactly one operand, not %d", a.label(), path, len(e.operands))
			continue
		}
		if len(rule.Operands) > 0 && !slices.Contains(rule.Operands, e.operands[0]) {
			c.add("%s: %s.Operands: %q is not supported by %s (supported: %s)", a.label(), path, e.operands[0], spec.Type, quoteList(rule.Operands))
		}
	}
	for _, req := range rule.Required {
		if !slices.ContainsFunc(t.Conditions, func(x Condition) bool {
			return x.Condition.Operator == "Equals" && len(x.Condition.Operands) == 1 && x.Condition.Operands[0] == req
		}) {
			c.add("%s: Transitions.Conditions has no Equals %q condition, which %s requires", a.label(), req, spec.Type)
		}
	}
}

// resourceNames says how problems name each Resource.
var resourceNames = map[Resource]string{
	Queue:            "queue",
	HoursOfOperation: "hours of operation",
	ContactFlow:      "flow",
	FlowModule:       "flow module",
	User:             "user",
	Prompt:           "prompt",
	LambdaFunction:   "Lambda function",
}

func (c *checker) checkResources(a *actNodes, spec *ActionType) {
	if c.r == nil || a.params < 0 {
		return
	}
	doc := c.doc
	check := func(path string, n int32, res Resource) {
		if n < 0 || doc.nodes[n].kind != jString {
			return
		}
		v := doc.nodes[n].str
		if v == "" || isDynamic(v) {
			return
		}
		if exists, known := c.r.Exists(res, v); known && !exists {
			c.add("%s: %s names a %s that does not exist: %q", a.label(), path, resourceNames[res], v)
		}
	}
	for _, ref := range spec.Resources {
		switch {
		case strings.HasSuffix(ref.Path, ".*"):
			name := strings.TrimSuffix(ref.Path, ".*")
			o := doc.get(a.params, name)
			if o < 0 || doc.nodes[o].kind != jObject {
				continue
			}
			for m := doc.nodes[o].first; m >= 0; m = doc.nodes[m].next {
				check("Parameters."+name+"."+doc.nodes[m].key, m, ref.Resource)
			}
		case strings.Contains(ref.Path, "[]."):
			name, member, _ := strings.Cut(ref.Path, "[].")
			l := doc.get(a.params, name)
			if l < 0 || doc.nodes[l].kind != jArray {
				continue
			}
			k := 0
			for e := doc.nodes[l].first; e >= 0; e = doc.nodes[e].next {
				check(fmt.Sprintf("Parameters.%s[%d].%s", name, k, member), doc.get(e, member), ref.Resource)
				k++
			}
		default:
			check("Parameters."+ref.Path, doc.get(a.params, ref.Path), ref.Resource)
		}
	}
}
