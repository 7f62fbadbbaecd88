package console

import (
	"errors"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"
)

// formErrors are the API's answer to a form, placed where the person
// will look: next to the field a message names, or at the top.
type formErrors struct {
	Top    []string
	Fields map[string]string // by field key (fieldKey)
}

func (e *formErrors) any() bool { return e != nil && (len(e.Top) > 0 || len(e.Fields) > 0) }

// At returns the message of the field key, for templates.
func (e *formErrors) At(key string) string {
	if e == nil {
		return ""
	}
	return e.Fields[key]
}

func (e *formErrors) top(msg string) { e.Top = append(e.Top, msg) }

func (e *formErrors) field(key, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if old := e.Fields[key]; old != "" {
		msg = old + "; " + msg
	}
	e.Fields[key] = msg
}

var (
	// validationPath finds the member path of a model constraint message:
	// "Value 'x' at 'phoneConfig.afterContactWorkTimeLimit' failed ...".
	validationPath = regexp.MustCompile(`at '([A-Za-z0-9_.]+)' failed to satisfy`)
	// leadingMember finds the member a hand-written message starts with:
	// "IdentityInfo.Email is not ...", "AfterContactWorkConfigs: ...".
	leadingMember = regexp.MustCompile(`^([A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)*)[ :]`)
	// listIndex is a list position inside a member path.
	listIndex = regexp.MustCompile(`\.[0-9]+(\.|$)`)
	// messagePrefix is how validation messages begin.
	messagePrefix = regexp.MustCompile(`^[0-9]+ validation errors? detected: `)
)

// phraseMembers maps how some messages name a member in words.
var phraseMembers = []struct{ phrase, key string }{
	{"User with username ", "username"},
	{"Routing profile ", "routingprofileid"},
	{"Security profile ", "securityprofileids"},
	{"Hierarchy group ", "hierarchygroupid"},
}

// fieldKey is the form's key of a member path: lower case, without list
// positions ("autoAcceptConfigs.1.channel" → "autoacceptconfigs.channel").
func fieldKey(path string) string {
	path = strings.ToLower(path)
	for listIndex.MatchString(path) {
		path = listIndex.ReplaceAllString(path, "$1")
	}
	return strings.TrimSuffix(path, ".")
}

// placeError puts an API error on the form: each violation or message
// next to the field whose member it names (the longest known prefix of
// its path), the rest at the top, with the error code.
func placeError(err error, known map[string]bool) *formErrors {
	fe := &formErrors{}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		fe.top(err.Error())
		return fe
	}
	code, msg := ae.ErrorCode(), ae.ErrorMessage()
	parts := []string{msg}
	if messagePrefix.MatchString(msg) {
		parts = strings.Split(messagePrefix.ReplaceAllString(msg, ""), "; ")
	}
	for _, part := range parts {
		if key := memberOf(part, known); key != "" {
			fe.field(key, part)
		} else {
			fe.top(code + ": " + part)
		}
	}
	return fe
}

// memberOf returns the known field key a message part names, or "".
func memberOf(part string, known map[string]bool) string {
	var path string
	if m := validationPath.FindStringSubmatch(part); m != nil {
		path = m[1]
	} else if m := leadingMember.FindStringSubmatch(part); m != nil {
		path = m[1]
	} else {
		for _, p := range phraseMembers {
			if strings.HasPrefix(part, p.phrase) && known[p.key] {
				return p.key
			}
		}
		return ""
	}
	key := fieldKey(path)
	for key != "" {
		if known[key] {
			return key
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			break
		}
		key = key[:i]
	}
	for _, p := range phraseMembers {
		if strings.HasPrefix(part, p.phrase) && known[p.key] {
			return p.key
		}
	}
	return ""
}
