package restjson

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/switchboard-dev/switchboard/api"
)

// routeTable finds the operation of a request from its method and escaped
// path. It is a tree of path segments per method, built once: a lookup walks
// one map lookup per segment, trying the literal child before the label
// child, and allocates nothing until a match is found.
type routeTable struct {
	methods map[string]*routeNode
}

// routeNode is one path segment position.
type routeNode struct {
	literal map[string]*routeNode // children by literal segment
	label   *routeNode            // the child for any non-empty segment
	// op is set when a template ends here; labels names its label
	// segments in path order (names differ between templates that share
	// the label node).
	op     *api.Operation
	labels []string
}

// maxLabels bounds the label values a lookup keeps on the stack; the model's
// templates have at most four.
const maxLabels = 8

func newRouteTable(ops []*api.Operation) (*routeTable, error) {
	t := &routeTable{methods: map[string]*routeNode{}}
	for _, op := range ops {
		if !strings.HasPrefix(op.URI, "/") || strings.ContainsAny(op.URI, "?#") {
			return nil, fmt.Errorf("restjson: operation %s: unsupported URI template %q", op.Name, op.URI)
		}
		n := t.methods[op.Method]
		if n == nil {
			n = &routeNode{}
			t.methods[op.Method] = n
		}
		var labels []string
		for seg := range strings.SplitSeq(op.URI[1:], "/") {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") && len(seg) > 2 {
				name := seg[1 : len(seg)-1]
				if strings.ContainsAny(name, "{}+") {
					return nil, fmt.Errorf("restjson: operation %s: unsupported label %q in %q", op.Name, seg, op.URI)
				}
				labels = append(labels, name)
				if n.label == nil {
					n.label = &routeNode{}
				}
				n = n.label
				continue
			}
			if strings.ContainsAny(seg, "{}") {
				return nil, fmt.Errorf("restjson: operation %s: unsupported segment %q in %q", op.Name, seg, op.URI)
			}
			if n.literal == nil {
				n.literal = map[string]*routeNode{}
			}
			c := n.literal[seg]
			if c == nil {
				c = &routeNode{}
				n.literal[seg] = c
			}
			n = c
		}
		if len(labels) > maxLabels {
			return nil, fmt.Errorf("restjson: operation %s: more than %d labels in %q", op.Name, maxLabels, op.URI)
		}
		if n.op != nil {
			return nil, fmt.Errorf("restjson: operations %s (%s) and %s (%s) have the same route %s", n.op.Name, n.op.URI, op.Name, op.URI, op.Method)
		}
		n.op, n.labels = op, labels
	}
	return t, nil
}

// lookup returns the operation for method and escaped path, with its label
// values unescaped. A label that is not valid percent-encoding matches
// nothing.
func (t *routeTable) lookup(method, path string) (*api.Operation, map[string]string, bool) {
	root := t.methods[method]
	if root == nil || !strings.HasPrefix(path, "/") {
		return nil, nil, false
	}
	var buf [maxLabels]string
	n, vals := root.find(path[1:], buf[:0])
	if n == nil {
		return nil, nil, false
	}
	var labels map[string]string
	if len(vals) > 0 {
		labels = make(map[string]string, len(vals))
		for i, raw := range vals {
			v, err := url.PathUnescape(raw)
			if err != nil {
				return nil, nil, false
			}
			labels[n.labels[i]] = v
		}
	}
	return n.op, labels, true
}

// find matches the rest of the path (after a '/') below n, collecting the
// raw label segments into vals. Literals are tried first so that
// /users/{InstanceId}/{UserId}/hierarchy is not taken for a label; the label
// branch is tried when the literal branch dead-ends further down.
func (n *routeNode) find(path string, vals []string) (*routeNode, []string) {
	seg, rest, more := strings.Cut(path, "/")
	if c := n.literal[seg]; c != nil {
		if m, v := c.next(rest, more, vals); m != nil {
			return m, v
		}
	}
	if n.label != nil && seg != "" && len(vals) < maxLabels {
		if m, v := n.label.next(rest, more, append(vals, seg)); m != nil {
			return m, v
		}
	}
	return nil, vals
}

func (n *routeNode) next(rest string, more bool, vals []string) (*routeNode, []string) {
	if !more {
		if n.op != nil {
			return n, vals
		}
		return nil, vals
	}
	return n.find(rest, vals)
}
