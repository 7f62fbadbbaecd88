package service

import (
	"strconv"
	"strings"

	"github.com/switchboard-dev/switchboard/api"
)

// SearchUsers' ListCondition over a user's proficiencies (docs/BEHAVIOUR.md):
//
//   - TargetListType is PROFICIENCIES, the only value the model has.
//   - A user matches when one of its proficiencies meets every Condition of
//     the ListCondition (the model: Conditions are applied together with
//     AND, and a Condition describes one proficiency's name, value and
//     level). No Conditions: any user with a proficiency.
//   - StringCondition fields are name and value (Condition's documentation),
//     compared without regard to case like the other name fields of
//     SearchUsers; NumberCondition's field is limit (its documentation),
//     the proficiency's level.
//   - NumberCondition bounds: GREATER_OR_EQUAL and GREATER compare with
//     MinValue, LESSER_OR_EQUAL and LESSER with MaxValue, RANGE is
//     MinValue <= level <= MaxValue, EQUAL and NOT_EQUAL compare with the
//     bound given (both given must be equal). A bound the comparison needs
//     and lacks is an InvalidParameterException naming it.
//
// Field names are matched without regard to case, as in the other
// searches (search.go).

func checkListCondition(lc *api.ListCondition) error {
	if lc == nil {
		return nil
	}
	if lc.TargetListType == nil {
		return invalidParameter("ListCondition.TargetListType is required (PROFICIENCIES)")
	}
	for i, c := range lc.Conditions {
		if c.StringCondition == nil && c.NumberCondition == nil {
			return invalidParameter("ListCondition.Conditions[%d] needs a StringCondition or a NumberCondition", i)
		}
		if sc := c.StringCondition; sc != nil {
			if f := deref(sc.FieldName); !strings.EqualFold(f, "name") && !strings.EqualFold(f, "value") {
				return invalidParameter("ListCondition.Conditions[%d].StringCondition.FieldName %q is not supported; use name or value", i, f)
			}
			if sc.Value == nil || sc.ComparisonType == nil {
				return invalidParameter("ListCondition.Conditions[%d].StringCondition needs FieldName, Value and ComparisonType", i)
			}
		}
		if nc := c.NumberCondition; nc != nil {
			if err := checkNumberCondition(i, nc); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkNumberCondition(i int, nc *api.NumberCondition) error {
	if f := deref(nc.FieldName); !strings.EqualFold(f, "limit") {
		return invalidParameter("ListCondition.Conditions[%d].NumberCondition.FieldName %q is not supported; use limit", i, f)
	}
	member := func(name string) string {
		return "ListCondition.Conditions[" + strconv.Itoa(i) + "].NumberCondition." + name
	}
	switch how := deref(nc.ComparisonType); how {
	case "":
		return invalidParameter("%s is required", member("ComparisonType"))
	case api.NumberComparisonTypeGreaterOrEqual, api.NumberComparisonTypeGreater:
		if nc.MinValue == nil {
			return invalidParameter("%s is required when ComparisonType is %s", member("MinValue"), how)
		}
	case api.NumberComparisonTypeLesserOrEqual, api.NumberComparisonTypeLesser:
		if nc.MaxValue == nil {
			return invalidParameter("%s is required when ComparisonType is %s", member("MaxValue"), how)
		}
	case api.NumberComparisonTypeRange:
		if nc.MinValue == nil || nc.MaxValue == nil {
			return invalidParameter("%s and %s are required when ComparisonType is RANGE", member("MinValue"), member("MaxValue"))
		}
		if *nc.MinValue > *nc.MaxValue {
			return invalidParameter("%s must not be greater than %s", member("MinValue"), member("MaxValue"))
		}
	case api.NumberComparisonTypeEqual, api.NumberComparisonTypeNotEqual:
		if nc.MinValue == nil && nc.MaxValue == nil {
			return invalidParameter("%s or %s is required when ComparisonType is %s", member("MinValue"), member("MaxValue"), how)
		}
		if nc.MinValue != nil && nc.MaxValue != nil && *nc.MinValue != *nc.MaxValue {
			return invalidParameter("%s and %s differ; ComparisonType %s compares with one value", member("MinValue"), member("MaxValue"), how)
		}
	}
	return nil
}

// listCond reports whether one of the user's proficiencies meets every
// condition of lc.
func (q *userSearch) listCond(lc *api.ListCondition, u userMatch) bool {
	for _, p := range u.proficiencies {
		if q.proficiencyMeets(lc.Conditions, p) {
			return true
		}
	}
	return false
}

func (q *userSearch) proficiencyMeets(conds []api.Condition, p indexedProficiency) bool {
	for i := range conds {
		c := &conds[i]
		if sc := c.StringCondition; sc != nil {
			got := p.value
			if strings.EqualFold(deref(sc.FieldName), "name") {
				got = p.name
			}
			if !compareString(got, q.lowerValue(sc), deref(sc.ComparisonType), false) {
				return false
			}
		}
		if nc := c.NumberCondition; nc != nil && !levelMeets(p.level, nc) {
			return false
		}
	}
	return true
}

// levelMeets applies a checked NumberCondition to a level.
func levelMeets(level float64, nc *api.NumberCondition) bool {
	bound := func(v *int32) float64 { return float64(deref(v)) }
	switch deref(nc.ComparisonType) {
	case api.NumberComparisonTypeGreaterOrEqual:
		return level >= bound(nc.MinValue)
	case api.NumberComparisonTypeGreater:
		return level > bound(nc.MinValue)
	case api.NumberComparisonTypeLesserOrEqual:
		return level <= bound(nc.MaxValue)
	case api.NumberComparisonTypeLesser:
		return level < bound(nc.MaxValue)
	case api.NumberComparisonTypeRange:
		return level >= bound(nc.MinValue) && level <= bound(nc.MaxValue)
	}
	want := nc.MinValue
	if want == nil {
		want = nc.MaxValue
	}
	if deref(nc.ComparisonType) == api.NumberComparisonTypeNotEqual {
		return level != bound(want)
	}
	return level == bound(want)
}
