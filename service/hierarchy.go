package service

import (
	"context"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// The user hierarchy: a structure of up to five named levels per instance,
// and groups placed in it (a group without parent sits at level one, a
// child one level below its parent).

const (
	maxLevels            = 5
	maxLevelNameLen      = 50  // documented on HierarchyLevelUpdate.Name
	maxGroupNameLen      = 100 // documented on CreateUserHierarchyGroup.Name
	hierarchyStructureID = "structure"
)

type hierarchyStructureDoc struct {
	Levels []hierarchyLevelDoc `json:"levels"`
}

type hierarchyLevelDoc struct {
	Name     string         `json:"name"`
	Modified *api.Timestamp `json:"modified"`
}

type hierarchyGroupDoc struct {
	ParentID string `json:"parentId,omitempty"`
	Level    int    `json:"level"`
	// Path is the ids from level one down to the group itself.
	Path []string `json:"path"`
}

var levelNames = []string{"LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"}

func (s *Service) registerHierarchy() {
	handle(s, "UpdateUserHierarchyStructure", s.updateUserHierarchyStructure)
	handle(s, "DescribeUserHierarchyStructure", s.describeUserHierarchyStructure)
	handle(s, "CreateUserHierarchyGroup", s.createUserHierarchyGroup)
	handle(s, "DescribeUserHierarchyGroup", s.describeUserHierarchyGroup)
	handle(s, "ListUserHierarchyGroups", s.listUserHierarchyGroups)
	handle(s, "UpdateUserHierarchyGroupName", s.updateUserHierarchyGroupName)
	handle(s, "DeleteUserHierarchyGroup", s.deleteUserHierarchyGroup)
}

func levelARN(sc switchboard.Scope, instanceID string, level int) string {
	return instanceARN(sc, instanceID) + "/agent-group-level/" + strconv.Itoa(level)
}

func structureKey(sc switchboard.Scope, instanceID string) switchboard.Key {
	return switchboard.Key{Scope: sc, Kind: switchboard.KindHierarchyStructure, Parent: instanceID, ID: hierarchyStructureID}
}

// loadStructure returns the instance's structure record (nil before the
// first update) and its levels.
func loadStructure(tx switchboard.Tx, sc switchboard.Scope, instanceID string) (*switchboard.Record, *hierarchyStructureDoc, error) {
	rec, err := tx.Get(structureKey(sc, instanceID))
	if errors.Is(err, switchboard.ErrNotFound) {
		return nil, &hierarchyStructureDoc{}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var doc hierarchyStructureDoc
	return rec, &doc, decode(rec, &doc)
}

func (s *Service) updateUserHierarchyStructure(ctx context.Context, in *api.UpdateUserHierarchyStructureRequest) (*empty, error) {
	u := in.HierarchyStructure
	names := []*api.HierarchyLevelUpdate{u.LevelOne, u.LevelTwo, u.LevelThree, u.LevelFour, u.LevelFive}
	var want []string
	for i, l := range names {
		if l == nil {
			continue
		}
		if len(want) != i {
			return nil, invalidParameter("HierarchyStructure.%s is set but %s is not: levels must be defined from LevelOne down without gaps", levelNames[i], levelNames[len(want)])
		}
		if n := utf8.RuneCountInString(*l.Name); n == 0 || n > maxLevelNameLen {
			return nil, invalidParameter("HierarchyStructure.%s.Name must have 1 to %d characters", levelNames[i], maxLevelNameLen)
		}
		want = append(want, *l.Name)
	}
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		rec, doc, err := loadStructure(tx, sc, inst.ID)
		if err != nil {
			return err
		}
		if len(want) < len(doc.Levels) {
			// Removing levels: refused while a group sits at one of them.
			groups, err := tx.List(sc, switchboard.KindHierarchyGroup, inst.ID, switchboard.ListOptions{})
			if err != nil {
				return err
			}
			for _, g := range groups {
				var gd hierarchyGroupDoc
				if err := decode(g, &gd); err != nil {
					return err
				}
				if gd.Level > len(want) {
					return inUse(api.ResourceTypeHierarchyLevel, levelARN(sc, inst.ID, gd.Level),
						"Hierarchy level %s cannot be removed: group %s is at that level", levelNames[gd.Level-1], g.ID)
				}
			}
		}
		levels := make([]hierarchyLevelDoc, len(want))
		for i, name := range want {
			levels[i] = hierarchyLevelDoc{Name: name, Modified: ts(now)}
			if i < len(doc.Levels) && doc.Levels[i].Name == name {
				levels[i].Modified = doc.Levels[i].Modified
			}
		}
		doc.Levels = levels
		if rec == nil {
			return tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindHierarchyStructure, Parent: inst.ID, ID: hierarchyStructureID, Data: encode(doc), Created: now, Modified: now})
		}
		rec.Data, rec.Modified = encode(doc), now
		return tx.Replace(rec)
	})
}

func (s *Service) describeUserHierarchyStructure(ctx context.Context, in *api.DescribeUserHierarchyStructureRequest) (*api.DescribeUserHierarchyStructureResponse, error) {
	sc := scope(ctx)
	out := &api.DescribeUserHierarchyStructureResponse{HierarchyStructure: &api.HierarchyStructure{}}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		_, doc, err := loadStructure(tx, sc, inst.ID)
		if err != nil {
			return err
		}
		hs := out.HierarchyStructure
		slots := []**api.HierarchyLevel{&hs.LevelOne, &hs.LevelTwo, &hs.LevelThree, &hs.LevelFour, &hs.LevelFive}
		for i, l := range doc.Levels {
			*slots[i] = &api.HierarchyLevel{Id: ptr(strconv.Itoa(i + 1)), Arn: ptr(levelARN(sc, inst.ID, i+1)), Name: ptr(l.Name), LastModifiedTime: l.Modified, LastModifiedRegion: ptr(sc.Region)}
		}
		return nil
	})
	return out, err
}

func checkGroupName(name string) error {
	if n := utf8.RuneCountInString(name); n > maxGroupNameLen {
		return invalidParameter("Name must have at most %d characters, got %d", maxGroupNameLen, n)
	}
	return nil
}

func (s *Service) createUserHierarchyGroup(ctx context.Context, in *api.CreateUserHierarchyGroupRequest) (*api.CreateUserHierarchyGroupResponse, error) {
	if err := checkGroupName(*in.Name); err != nil {
		return nil, err
	}
	sc, id, now := scope(ctx), s.newID(), s.clock()
	var out *api.CreateUserHierarchyGroupResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		doc := hierarchyGroupDoc{Level: 1, Path: []string{id}}
		var refs []switchboard.Ref
		if p := deref(in.ParentGroupId); p != "" {
			prec, err := tx.Get(switchboard.Key{Scope: sc, Kind: switchboard.KindHierarchyGroup, Parent: inst.ID, ID: p})
			if errors.Is(err, switchboard.ErrNotFound) {
				return notFound("Hierarchy group %s not found in instance %s", p, inst.ID)
			}
			if err != nil {
				return err
			}
			var pd hierarchyGroupDoc
			if err := decode(prec, &pd); err != nil {
				return err
			}
			doc = hierarchyGroupDoc{ParentID: p, Level: pd.Level + 1, Path: append(append([]string{}, pd.Path...), id)}
			refs = []switchboard.Ref{{Kind: switchboard.KindHierarchyGroup, ID: p}}
		}
		_, st, err := loadStructure(tx, sc, inst.ID)
		if err != nil {
			return err
		}
		if doc.Level > maxLevels {
			return invalidRequest("A hierarchy has at most %d levels; the parent group is at level %d", maxLevels, maxLevels)
		}
		if doc.Level > len(st.Levels) {
			return invalidRequest("Hierarchy level %s is not defined: add it with UpdateUserHierarchyStructure first", levelNames[doc.Level-1])
		}
		n, err := tx.Count(sc, switchboard.KindHierarchyGroup, inst.ID)
		if err != nil {
			return err
		}
		if n >= s.quotas.HierarchyGroupsPerInstance {
			return limitExceeded("The maximum number of hierarchy groups per instance (%d) has been reached", s.quotas.HierarchyGroupsPerInstance)
		}
		err = tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindHierarchyGroup, Parent: inst.ID, ID: id, Name: *in.Name, Data: encode(doc), Tags: copyTags(in.Tags), Refs: refs, Created: now, Modified: now})
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return duplicate("A hierarchy group named %s already exists in instance %s", *in.Name, inst.ID)
		}
		if err != nil {
			return err
		}
		out = &api.CreateUserHierarchyGroupResponse{HierarchyGroupId: ptr(id), HierarchyGroupArn: ptr(resourceARN(sc, switchboard.KindHierarchyGroup, inst.ID, id))}
		return nil
	})
	return out, err
}

func groupSummary(rec *switchboard.Record) *api.HierarchyGroupSummary {
	sm := summarize(rec)
	return &api.HierarchyGroupSummary{Id: sm.id, Arn: sm.arn, Name: sm.name, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
}

func (s *Service) describeUserHierarchyGroup(ctx context.Context, in *api.DescribeUserHierarchyGroupRequest) (*api.DescribeUserHierarchyGroupResponse, error) {
	sc := scope(ctx)
	var out *api.DescribeUserHierarchyGroupResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, *in.InstanceId, switchboard.KindHierarchyGroup, *in.HierarchyGroupId)
		if err != nil {
			return err
		}
		var doc hierarchyGroupDoc
		if err := decode(rec, &doc); err != nil {
			return err
		}
		g, err := hierarchyGroupShape(tx, rec, &doc)
		if err != nil {
			return err
		}
		out = &api.DescribeUserHierarchyGroupResponse{HierarchyGroup: &g}
		return nil
	})
	return out, err
}

func (s *Service) listUserHierarchyGroups(ctx context.Context, in *api.ListUserHierarchyGroupsRequest) (*api.ListUserHierarchyGroupsResponse, error) {
	list, next, err := listSummaries(s, ctx, *in.InstanceId, switchboard.KindHierarchyGroup, in.NextToken, in.MaxResults, func(sm summary) api.HierarchyGroupSummary {
		return api.HierarchyGroupSummary{Id: sm.id, Arn: sm.arn, Name: sm.name, LastModifiedTime: sm.modified, LastModifiedRegion: sm.region}
	})
	if err != nil {
		return nil, err
	}
	return &api.ListUserHierarchyGroupsResponse{UserHierarchyGroupSummaryList: list, NextToken: next}, nil
}

func (s *Service) updateUserHierarchyGroupName(ctx context.Context, in *api.UpdateUserHierarchyGroupNameRequest) (*empty, error) {
	if err := checkGroupName(*in.Name); err != nil {
		return nil, err
	}
	sc, now := scope(ctx), s.clock()
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, *in.InstanceId, switchboard.KindHierarchyGroup, *in.HierarchyGroupId)
		if err != nil {
			return err
		}
		rec.Name, rec.Modified = *in.Name, now
		err = tx.Replace(rec)
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return duplicate("A hierarchy group named %s already exists in instance %s", *in.Name, rec.Parent)
		}
		return err
	})
}

func (s *Service) deleteUserHierarchyGroup(ctx context.Context, in *api.DeleteUserHierarchyGroupRequest) (*empty, error) {
	sc := scope(ctx)
	return s.change(ctx, func(tx switchboard.Tx) error {
		rec, err := getChild(tx, sc, *in.InstanceId, switchboard.KindHierarchyGroup, *in.HierarchyGroupId)
		if err != nil {
			return err
		}
		err = tx.Delete(rec.Key())
		var used *switchboard.InUseError
		if errors.As(err, &used) {
			what := "child group"
			if used.By.Kind == switchboard.KindUser {
				what = "user"
			}
			return inUse(api.ResourceTypeHierarchyGroup, resourceARN(sc, switchboard.KindHierarchyGroup, rec.Parent, rec.ID),
				"Hierarchy group %s cannot be deleted while %s %s belongs to it", rec.ID, what, used.By.ID)
		}
		return err
	})
}
