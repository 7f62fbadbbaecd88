package seed

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/switchboard-dev/switchboard/api"
)

// A kind of resource inside an instance. Its key is the Resource.Kind and
// the keyword of ${key:Name} references in flow content.
type kind struct {
	key   string
	label string // for messages
	// list returns the instance's resources of the kind, name → id.
	list func(ir *instanceRun) (map[string]string, error)
}

var (
	kindHours = &kind{"hoursOfOperation", "hours of operation", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListHoursOfOperations", func(next *string) api.Request {
			return &api.ListHoursOfOperationsRequest{InstanceId: &ir.id, NextToken: next}
		}, "HoursOfOperationSummaryList", "Name", "Id")
	}}
	kindSecurityProfile = &kind{"securityProfile", "security profile", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListSecurityProfiles", func(next *string) api.Request {
			return &api.ListSecurityProfilesRequest{InstanceId: &ir.id, NextToken: next}
		}, "SecurityProfileSummaryList", "Name", "Id")
	}}
	kindGroup = &kind{"hierarchyGroup", "hierarchy group", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListUserHierarchyGroups", func(next *string) api.Request {
			return &api.ListUserHierarchyGroupsRequest{InstanceId: &ir.id, NextToken: next}
		}, "UserHierarchyGroupSummaryList", "Name", "Id")
	}}
	kindAgentStatus = &kind{"agentStatus", "agent status", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListAgentStatuses", func(next *string) api.Request {
			return &api.ListAgentStatusRequest{InstanceId: &ir.id, NextToken: next}
		}, "AgentStatusSummaryList", "Name", "Id")
	}}
	kindAttribute = &kind{"predefinedAttribute", "predefined attribute", func(ir *instanceRun) (map[string]string, error) {
		// A predefined attribute has no id: its name is its identifier.
		return ir.listAll("ListPredefinedAttributes", func(next *string) api.Request {
			return &api.ListPredefinedAttributesRequest{InstanceId: &ir.id, NextToken: next}
		}, "PredefinedAttributeSummaryList", "Name", "Name")
	}}
	kindFlow = &kind{"contactFlow", "contact flow", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListContactFlows", func(next *string) api.Request {
			return &api.ListContactFlowsRequest{InstanceId: &ir.id, NextToken: next}
		}, "ContactFlowSummaryList", "Name", "Id")
	}}
	kindModule = &kind{"flowModule", "flow module", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListContactFlowModules", func(next *string) api.Request {
			return &api.ListContactFlowModulesRequest{InstanceId: &ir.id, NextToken: next}
		}, "ContactFlowModulesSummaryList", "Name", "Id")
	}}
	kindPhone = &kind{"phoneNumber", "phone number", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListPhoneNumbers", func(next *string) api.Request {
			return &api.ListPhoneNumbersRequest{InstanceId: &ir.id, NextToken: next}
		}, "PhoneNumberSummaryList", "PhoneNumber", "Id")
	}}
	kindQueue = &kind{"queue", "queue", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListQueues", func(next *string) api.Request {
			return &api.ListQueuesRequest{InstanceId: &ir.id, NextToken: next, QueueTypes: []string{api.QueueTypeStandard}}
		}, "QueueSummaryList", "Name", "Id")
	}}
	kindRouting = &kind{"routingProfile", "routing profile", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListRoutingProfiles", func(next *string) api.Request {
			return &api.ListRoutingProfilesRequest{InstanceId: &ir.id, NextToken: next}
		}, "RoutingProfileSummaryList", "Name", "Id")
	}}
	kindQuickConnect = &kind{"quickConnect", "quick connect", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListQuickConnects", func(next *string) api.Request {
			return &api.ListQuickConnectsRequest{InstanceId: &ir.id, NextToken: next}
		}, "QuickConnectSummaryList", "Name", "Id")
	}}
	kindUser = &kind{"user", "user", func(ir *instanceRun) (map[string]string, error) {
		return ir.listAll("ListUsers", func(next *string) api.Request {
			return &api.ListUsersRequest{InstanceId: &ir.id, NextToken: next}
		}, "UserSummaryList", "Username", "Id")
	}}
)

// kinds are applied in this order (each kind's entries in file order);
// a reference to an entry of a later kind creates that entry first.
var kinds = []*kind{kindHours, kindSecurityProfile, kindGroup, kindAgentStatus, kindAttribute,
	kindFlow, kindModule, kindPhone, kindQueue, kindRouting, kindUser, kindQuickConnect}

// entry is one resource of the file, created on first need.
type entry struct {
	name   string
	path   string
	create func() (string, error)
}

// instanceRun applies one instance's entries.
type instanceRun struct {
	r     *run
	alias string
	id    string
	// entries are the file's resources by kind and name.
	entries map[*kind]map[string]*entry
	// existing caches the instance's resources by kind (name → id),
	// listed on first need and kept up to date as entries are created.
	existing map[*kind]map[string]string
	done     map[*kind]map[string]string
	visiting map[*kind]map[string]bool
	// queueQuickConnects are the queues created whose entry names quick
	// connects, associated once every entry exists (quick connects can
	// name queues, so the two cannot wait for each other).
	queueQuickConnects []func() error
}

func (r *run) applyInstance(spec *instanceSpec, path string) error {
	ir := &instanceRun{r: r, alias: spec.Alias, entries: map[*kind]map[string]*entry{},
		existing: map[*kind]map[string]string{}, done: map[*kind]map[string]string{}, visiting: map[*kind]map[string]bool{}}
	instances, err := ir.listAll("ListInstances", func(next *string) api.Request {
		return &api.ListInstancesRequest{NextToken: next}
	}, "InstanceSummaryList", "InstanceAlias", "Id")
	if err != nil {
		return r.wrapAt(path, err)
	}
	if id, ok := instances[spec.Alias]; ok {
		ir.id = id
		r.record(spec.Alias, "instance", spec.Alias, id, Unchanged)
	} else if err := ir.createInstance(spec, path); err != nil {
		return err
	}

	if err := ir.register(spec, path); err != nil {
		return err
	}
	if spec.Hierarchy != nil && len(spec.Hierarchy.Levels) > 0 {
		if err := ir.applyHierarchyStructure(spec.Hierarchy.Levels, path+".hierarchy.levels"); err != nil {
			return err
		}
	}
	for _, k := range kinds {
		names := make([]*entry, 0, len(ir.entries[k]))
		for _, e := range ir.entries[k] {
			names = append(names, e)
		}
		// File order: paths of one kind differ only in their index.
		sort.Slice(names, func(i, j int) bool { return pathLess(names[i].path, names[j].path) })
		for _, e := range names {
			if _, err := ir.ensure(k, e.name, e.path); err != nil {
				return err
			}
		}
	}
	for _, f := range ir.queueQuickConnects {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// pathLess orders paths of one list by index.
func pathLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func (ir *instanceRun) createInstance(spec *instanceSpec, path string) error {
	req := spec.CreateInstanceRequest
	req.InstanceAlias = &spec.Alias
	out, err := ir.r.call("CreateInstance", &req, path)
	if err != nil {
		return err
	}
	ir.id = field(out, "Id")
	ir.r.record(spec.Alias, "instance", spec.Alias, ir.id, Created)
	types := make([]string, 0, len(spec.Attributes))
	for t := range spec.Attributes {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		v := spec.Attributes[t]
		in := &api.UpdateInstanceAttributeRequest{InstanceId: &ir.id, AttributeType: &t, Value: &v}
		if _, err := ir.r.call("UpdateInstanceAttribute", in, path+".attributes."+t); err != nil {
			return err
		}
	}
	return nil
}

// add registers an entry of kind k named name, refusing a second entry
// of the same name.
func (ir *instanceRun) add(k *kind, name, path string, create func() (string, error)) error {
	m := ir.entries[k]
	if m == nil {
		m = map[string]*entry{}
		ir.entries[k] = m
	}
	if prev, ok := m[name]; ok {
		return ir.r.errAt(path, "%s %q is declared twice (first at %s)", k.label, name, prev.path)
	}
	m[name] = &entry{name: name, path: path, create: create}
	return nil
}

// ensure returns the id of the resource of kind k named name: an entry of
// the file (created now if the instance lacks it) or a resource the
// instance already has (such as its default BasicQueue). from is the path
// of the member that names it, for errors.
func (ir *instanceRun) ensure(k *kind, name, from string) (string, error) {
	if id, ok := ir.done[k][name]; ok {
		return id, nil
	}
	existing, err := ir.existingOf(k, from)
	if err != nil {
		return "", err
	}
	e, inFile := ir.entries[k][name]
	if !inFile {
		if id, ok := existing[name]; ok {
			return id, nil
		}
		return "", ir.r.errAt(from, "%s %q (%s) not found", k.label, name, from)
	}
	if ir.visiting[k][name] {
		return "", ir.r.errAt(from, "%s %q (%s) refers back to itself through the entries it names", k.label, name, from)
	}
	if ir.visiting[k] == nil {
		ir.visiting[k] = map[string]bool{}
		ir.done[k] = map[string]string{}
	}
	ir.visiting[k][name] = true
	defer delete(ir.visiting[k], name)
	id, action := existing[name], Unchanged
	if id == "" {
		if id, err = e.create(); err != nil {
			return "", err
		}
		existing[name], action = id, Created
	}
	ir.done[k][name] = id
	ir.r.record(ir.alias, k.key, name, id, action)
	return id, nil
}

func (ir *instanceRun) existingOf(k *kind, from string) (map[string]string, error) {
	if m, ok := ir.existing[k]; ok {
		return m, nil
	}
	m, err := k.list(ir)
	if err != nil {
		return nil, ir.r.wrapAt(from, err)
	}
	ir.existing[k] = m
	return m, nil
}

// listAll pages through a List operation and returns its items' nameKey
// → idKey, read through the output's JSON so that one function serves
// every List shape.
func (ir *instanceRun) listAll(op string, req func(next *string) api.Request, listKey, nameKey, idKey string) (map[string]string, error) {
	m := map[string]string{}
	var next *string
	for {
		out, err := ir.r.svc.Invoke(ir.r.ctx, op, req(next))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		b, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		var page map[string]json.RawMessage
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, err
		}
		var items []map[string]any
		if err := json.Unmarshal(page[listKey], &items); err != nil && page[listKey] != nil {
			return nil, err
		}
		for _, it := range items {
			name, _ := it[nameKey].(string)
			id, _ := it[idKey].(string)
			m[name] = id
		}
		var token string
		if err := json.Unmarshal(page["NextToken"], &token); err != nil || token == "" {
			return m, nil
		}
		next = &token
	}
}

// field reads one string member of an output shape.
func field(out any, name string) string {
	b, _ := json.Marshal(out)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	s, _ := m[name].(string)
	return s
}

func (ir *instanceRun) applyHierarchyStructure(levels []string, path string) error {
	if len(levels) > 5 {
		return ir.r.errAt(path, "a hierarchy has at most five levels, not %d", len(levels))
	}
	out, err := ir.r.call("DescribeUserHierarchyStructure", &api.DescribeUserHierarchyStructureRequest{InstanceId: &ir.id}, path)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(out)
	var current struct {
		HierarchyStructure map[string]struct{ Name string }
	}
	_ = json.Unmarshal(b, &current)
	name := strings.Join(levels, " / ")
	if len(current.HierarchyStructure) > 0 {
		// An instance's structure is left as it is once set, like every
		// other resource (docs/SEED.md).
		ir.r.record(ir.alias, "hierarchyStructure", name, "", Unchanged)
		return nil
	}
	var st api.HierarchyStructureUpdate
	slots := []**api.HierarchyLevelUpdate{&st.LevelOne, &st.LevelTwo, &st.LevelThree, &st.LevelFour, &st.LevelFive}
	for i := range levels {
		*slots[i] = &api.HierarchyLevelUpdate{Name: &levels[i]}
	}
	if _, err := ir.r.call("UpdateUserHierarchyStructure", &api.UpdateUserHierarchyStructureRequest{InstanceId: &ir.id, HierarchyStructure: &st}, path); err != nil {
		return err
	}
	ir.r.record(ir.alias, "hierarchyStructure", name, "", Created)
	return nil
}

// placeholder is a reference by name inside flow content: ${queue:Sales}
// becomes the queue's id.
var placeholder = regexp.MustCompile(`\$\{([A-Za-z]+):([^}]+)\}`)

// resolvePlaceholders replaces every ${kind:Name} of content with the id
// of the resource it names.
func (ir *instanceRun) resolvePlaceholders(content, path string) (string, error) {
	var failed error
	out := placeholder.ReplaceAllStringFunc(content, func(m string) string {
		if failed != nil {
			return m
		}
		sub := placeholder.FindStringSubmatch(m)
		for _, k := range kinds {
			if k.key == sub[1] {
				id, err := ir.ensure(k, sub[2], path)
				if err != nil {
					failed = err
				}
				return id
			}
		}
		keys := make([]string, len(kinds))
		for i, k := range kinds {
			keys[i] = k.key
		}
		failed = ir.r.errAt(path, "%s: unknown kind %q in a reference (want one of %s)", path, sub[1], strings.Join(keys, ", "))
		return m
	})
	return out, failed
}
