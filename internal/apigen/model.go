package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// model is the part of a botocore service-2.json the generator reads.
// Documentation strings are deliberately not decoded: none may reach the
// generated code.
type model struct {
	Metadata struct {
		APIVersion  string `json:"apiVersion"`
		Protocol    string `json:"protocol"`
		UID         string `json:"uid"`
		ServiceID   string `json:"serviceId"`
		SigningName string `json:"signingName"`
	} `json:"metadata"`
	Operations map[string]*operation `json:"operations"`
	Shapes     map[string]*shape     `json:"shapes"`

	checksum string
}

type operation struct {
	Name string `json:"name"`
	HTTP struct {
		Method       string `json:"method"`
		RequestURI   string `json:"requestUri"`
		ResponseCode int    `json:"responseCode"`
	} `json:"http"`
	Input  *shapeRef   `json:"input"`
	Output *shapeRef   `json:"output"`
	Errors []*shapeRef `json:"errors"`
}

type shapeRef struct {
	Shape          string `json:"shape"`
	Location       string `json:"location"`
	LocationName   string `json:"locationName"`
	IdempotencyTok bool   `json:"idempotencyToken"`
}

type shape struct {
	Type            string               `json:"type"`
	Members         map[string]*shapeRef `json:"members"`
	Required        []string             `json:"required"`
	Member          *shapeRef            `json:"member"`
	Key             *shapeRef            `json:"key"`
	Value           *shapeRef            `json:"value"`
	Min             *float64             `json:"min"`
	Max             *float64             `json:"max"`
	Pattern         string               `json:"pattern"`
	Enum            []string             `json:"enum"`
	Sensitive       bool                 `json:"sensitive"`
	Union           bool                 `json:"union"`
	Exception       bool                 `json:"exception"`
	TimestampFormat string               `json:"timestampFormat"`
	Error           *struct {
		HTTPStatusCode int `json:"httpStatusCode"`
	} `json:"error"`
}

func loadModel(path string) (*model, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m model
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.Metadata.Protocol != "rest-json" {
		return nil, fmt.Errorf("%s: protocol %q is not rest-json", path, m.Metadata.Protocol)
	}
	sum := sha256.Sum256(raw)
	m.checksum = hex.EncodeToString(sum[:])
	for name, s := range m.Shapes {
		if s.Type == "structure" && s.Members == nil {
			s.Members = map[string]*shapeRef{}
		}
		for _, r := range []*shapeRef{s.Member, s.Key, s.Value} {
			if r != nil && m.Shapes[r.Shape] == nil {
				return nil, fmt.Errorf("shape %s refers to unknown shape %s", name, r.Shape)
			}
		}
		for mn, r := range s.Members {
			if m.Shapes[r.Shape] == nil {
				return nil, fmt.Errorf("member %s.%s refers to unknown shape %s", name, mn, r.Shape)
			}
		}
	}
	for _, o := range m.Operations {
		if o.Input == nil {
			// An operation without input still needs a shape to bind into.
			o.Input = &shapeRef{Shape: ""}
		}
	}
	return &m, nil
}

func (m *model) sortedOperations() []*operation {
	ops := make([]*operation, 0, len(m.Operations))
	for _, o := range m.Operations {
		ops = append(ops, o)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Name < ops[j].Name })
	return ops
}

func (m *model) sortedShapeNames() []string {
	names := make([]string, 0, len(m.Shapes))
	for n := range m.Shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func sortedMembers(s *shape) []string {
	names := make([]string, 0, len(s.Members))
	for n := range s.Members {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *shape) isRequired(member string) bool {
	for _, r := range s.Required {
		if r == member {
			return true
		}
	}
	return false
}
