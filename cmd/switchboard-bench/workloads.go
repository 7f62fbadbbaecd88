package main

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// workloadNames lists every workload in the order "all" runs them.
var workloadNames = []string{
	"baseline", "describe-instance", "list-instances", "tag-roundtrip",
	"describe-user", "list-users", "search-users", "update-user", "create-users", "mixed",
}

// sharedWorkloads are the ones moto_server implements too (--workloads
// shared), with the baseline to compare both with.
var sharedWorkloads = []string{"baseline", "describe-instance", "list-instances", "tag-roundtrip"}

// needsUsers are the workloads that need a pool of existing users.
var needsUsers = map[string]bool{"describe-user": true, "list-users": true, "search-users": true, "update-user": true, "mixed": true}

// target is one endpoint under test and what the workloads need from it.
type target struct {
	name string
	c    *client
	log  io.Writer

	instanceID  string
	instanceARN string
	routingID   string
	securityID  string
	// users is a sample of user ids of the instance (all of them up to
	// the sample size, then a uniform sample of the rest).
	users []string
	// gen names new users; each process run has its own prefix so that
	// usernames never collide with those of earlier runs.
	gen *userGen
}

type instanceShape struct {
	Id, Arn, InstanceStatus string
}

// setupInstance uses the given instance or creates one.
func (t *target) setupInstance(ctx context.Context, id string) error {
	if id == "" {
		var out struct{ Id, Arn string }
		body := jsonBody(map[string]any{"IdentityManagementType": "CONNECT_MANAGED", "InstanceAlias": "bench-" + randomTag(8),
			"InboundCallsEnabled": true, "OutboundCallsEnabled": true})
		if err := t.c.do(ctx, "PUT", "/instance", nil, body, &out); err != nil {
			return fmt.Errorf("CreateInstance: %w", err)
		}
		id = out.Id
		// moto answers ACTIVE at once; Switchboard too. Poll briefly in
		// case a target creates asynchronously.
		for range 50 {
			var d struct{ Instance instanceShape }
			if err := t.c.do(ctx, "GET", "/instance/"+label(id), nil, nil, &d); err == nil && d.Instance.InstanceStatus == "ACTIVE" {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	var d struct{ Instance instanceShape }
	if err := t.c.do(ctx, "GET", "/instance/"+label(id), nil, nil, &d); err != nil {
		return fmt.Errorf("DescribeInstance %s: %w", id, err)
	}
	t.instanceID, t.instanceARN = d.Instance.Id, d.Instance.Arn
	return nil
}

// setupProfiles finds the default routing and security profiles users need.
func (t *target) setupProfiles(ctx context.Context) error {
	var rp struct{ RoutingProfileSummaryList []struct{ Id, Name string } }
	if err := t.c.do(ctx, "GET", "/routing-profiles-summary/"+label(t.instanceID), nil, nil, &rp); err != nil {
		return fmt.Errorf("ListRoutingProfiles: %w", err)
	}
	var sp struct{ SecurityProfileSummaryList []struct{ Id, Name string } }
	if err := t.c.do(ctx, "GET", "/security-profiles-summary/"+label(t.instanceID), nil, nil, &sp); err != nil {
		return fmt.Errorf("ListSecurityProfiles: %w", err)
	}
	if len(rp.RoutingProfileSummaryList) == 0 || len(sp.SecurityProfileSummaryList) == 0 {
		return errors.New("the instance has no routing or security profile")
	}
	t.routingID = rp.RoutingProfileSummaryList[0].Id
	for _, p := range rp.RoutingProfileSummaryList {
		if p.Name == "Basic Routing Profile" {
			t.routingID = p.Id
		}
	}
	t.securityID = sp.SecurityProfileSummaryList[0].Id
	for _, p := range sp.SecurityProfileSummaryList {
		if p.Name == "Agent" {
			t.securityID = p.Id
		}
	}
	return nil
}

type userPage struct {
	NextToken       *string
	UserSummaryList []struct{ Id, Username string }
}

// listPage fetches one ListUsers page of up to 1000 users.
func (t *target) listPage(ctx context.Context, token string, max int) (userPage, error) {
	q := url.Values{"maxResults": {strconv.Itoa(max)}}
	if token != "" {
		q.Set("nextToken", token)
	}
	var p userPage
	err := t.c.do(ctx, "GET", "/users-summary/"+label(t.instanceID), q, nil, &p)
	return p, err
}

// sampleUsers walks every user and keeps a uniform sample of at most max
// ids (reservoir sampling), returning how many users there are.
func (t *target) sampleUsers(ctx context.Context, max int) (int, error) {
	t.users = t.users[:0]
	n, token := 0, ""
	for {
		p, err := t.listPage(ctx, token, 1000)
		if err != nil {
			return n, fmt.Errorf("ListUsers: %w", err)
		}
		for _, u := range p.UserSummaryList {
			n++
			if len(t.users) < max {
				t.users = append(t.users, u.Id)
			} else if j := rand.IntN(n); j < max {
				t.users[j] = u.Id
			}
		}
		if p.NextToken == nil || *p.NextToken == "" {
			return n, nil
		}
		token = *p.NextToken
	}
}

// userGen makes the bodies of new users: unique usernames and names drawn
// from small lists, so that searches on names match realistic fractions.
type userGen struct {
	prefix string
	next   atomic.Int64
}

var firstNames = []string{"Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth", "David",
	"Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher",
	"Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald",
	"Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth",
	"Aiko", "Mateo", "Zainab", "Chen", "Olga", "Kwame", "Priya", "Lars", "Fatima", "Diego"}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Okafor", "Tanaka", "Kowalski", "Novak", "Haddad", "Silva", "Ivanova", "Jensen", "Murphy", "Kim"}

func newUserGen() *userGen { return &userGen{prefix: randomTag(5)} }

// names returns the names of user i.
func names(i int64) (first, last string) {
	return firstNames[i%int64(len(firstNames))], lastNames[(i/7)%int64(len(lastNames))]
}

// body returns a CreateUser body for the next user.
func (g *userGen) body(t *target) []byte {
	i := g.next.Add(1)
	first, last := names(i)
	return jsonBody(map[string]any{
		"Username":           fmt.Sprintf("%s.%08d", g.prefix, i), // 14 characters, under the 20 Connect allows
		"Password":           "Bench-Passw0rd",
		"IdentityInfo":       map[string]string{"FirstName": first, "LastName": last, "Email": fmt.Sprintf("u%d@example.com", i)},
		"PhoneConfig":        map[string]any{"PhoneType": "SOFT_PHONE", "AutoAccept": false, "AfterContactWorkTimeLimit": 30},
		"SecurityProfileIds": []string{t.securityID},
		"RoutingProfileId":   t.routingID,
		"Tags":               map[string]string{"team": lastNames[i%5]},
	})
}

func (t *target) createUser(ctx context.Context) (string, error) {
	var out struct{ UserId string }
	err := t.c.do(ctx, "PUT", "/users/"+label(t.instanceID), nil, t.gen.body(t), &out)
	return out.UserId, err
}

// searchQueries are the SearchUsers criteria the search workload cycles
// through: CONTAINS of 3+ characters and STARTS_WITH, on the three name
// fields.
var searchQueries = []map[string]any{
	strCond("LastName", "CONTAINS", "son"),
	strCond("FirstName", "STARTS_WITH", "Mar"),
	strCond("Username", "CONTAINS", "0042"),
	strCond("LastName", "CONTAINS", "ezz"), // matches nobody: the whole instance is scanned
	strCond("FirstName", "CONTAINS", "ari"),
	strCond("LastName", "STARTS_WITH", "Tan"),
}

func strCond(field, how, v string) map[string]any {
	return map[string]any{"StringCondition": map[string]string{"FieldName": field, "ComparisonType": how, "Value": v}}
}

type searchOut struct {
	Users                 []struct{ Id string }
	ApproximateTotalCount int64
}

func (t *target) search(ctx context.Context, i int64) (int, error) {
	body := jsonBody(map[string]any{"InstanceId": t.instanceID, "MaxResults": 100, "SearchCriteria": searchQueries[i%int64(len(searchQueries))]})
	var out searchOut
	if err := t.c.do(ctx, "POST", "/search-users", nil, body, &out); err != nil {
		return 0, err
	}
	return len(out.Users), nil
}

func (t *target) randomUser() string { return t.users[rand.IntN(len(t.users))] }

func (t *target) describeUser(ctx context.Context) (int, error) {
	return 1, t.c.do(ctx, "GET", "/users/"+label(t.instanceID)+"/"+label(t.randomUser()), nil, nil, nil)
}

func (t *target) updateUser(ctx context.Context, i int64) (int, error) {
	first, last := names(i)
	body := jsonBody(map[string]any{"IdentityInfo": map[string]string{"FirstName": first, "LastName": last, "Email": fmt.Sprintf("v%d@example.com", i)}})
	return 1, t.c.do(ctx, "POST", "/users/"+label(t.instanceID)+"/"+label(t.randomUser())+"/identity-info", nil, body, nil)
}

// walker is one worker's position in a ListUsers walk.
type walkers struct {
	mu     sync.Mutex
	tokens map[int]string
}

// workload returns the op of a workload for this target.
func (t *target) workload(name string, workers int) (op, error) {
	switch name {
	case "baseline", "describe-instance":
		path := "/instance/" + label(t.instanceID)
		return func(ctx context.Context, _ int, _ int64) (int, error) {
			return 1, t.c.do(ctx, "GET", path, nil, nil, nil)
		}, nil
	case "list-instances":
		return func(ctx context.Context, _ int, _ int64) (int, error) {
			var out struct{ InstanceSummaryList []struct{ Id string } }
			err := t.c.do(ctx, "GET", "/instance", nil, nil, &out)
			return len(out.InstanceSummaryList), err
		}, nil
	case "tag-roundtrip":
		path := "/tags/" + label(t.instanceARN)
		// One op is TagResource, ListTagsForResource and UntagResource of
		// a key of the worker's own, checked to have been there.
		return func(ctx context.Context, w int, i int64) (int, error) {
			key := "bench-w" + strconv.Itoa(w)
			if err := t.c.do(ctx, "POST", path, nil, jsonBody(map[string]any{"tags": map[string]string{key: strconv.FormatInt(i, 10)}}), nil); err != nil {
				return 0, fmt.Errorf("TagResource: %w", err)
			}
			var out struct{ Tags map[string]string }
			if err := t.c.do(ctx, "GET", path, nil, nil, &out); err != nil {
				return 0, fmt.Errorf("ListTagsForResource: %w", err)
			}
			if out.Tags[key] != strconv.FormatInt(i, 10) {
				return 0, fmt.Errorf("ListTagsForResource: tag %s=%q, want %d", key, out.Tags[key], i)
			}
			if err := t.c.do(ctx, "DELETE", path, url.Values{"tagKeys": {key}}, nil, nil); err != nil {
				return 0, fmt.Errorf("UntagResource: %w", err)
			}
			return 1, nil
		}, nil
	case "create-users":
		return func(ctx context.Context, _ int, _ int64) (int, error) {
			_, err := t.createUser(ctx)
			return 1, err
		}, nil
	case "describe-user":
		return func(ctx context.Context, _ int, _ int64) (int, error) { return t.describeUser(ctx) }, nil
	case "update-user":
		return func(ctx context.Context, _ int, i int64) (int, error) { return t.updateUser(ctx, i) }, nil
	case "search-users":
		return func(ctx context.Context, _ int, i int64) (int, error) { return t.search(ctx, i) }, nil
	case "list-users":
		// Each worker walks the whole instance page by page (MaxResults
		// 1000), starting over at the end; one op is one page.
		wk := &walkers{tokens: map[int]string{}}
		return func(ctx context.Context, w int, _ int64) (int, error) {
			wk.mu.Lock()
			tok := wk.tokens[w]
			wk.mu.Unlock()
			p, err := t.listPage(ctx, tok, 1000)
			if err != nil {
				return 0, err
			}
			next := ""
			if p.NextToken != nil {
				next = *p.NextToken
			}
			wk.mu.Lock()
			wk.tokens[w] = next
			wk.mu.Unlock()
			return len(p.UserSummaryList), nil
		}, nil
	case "mixed":
		// 80% reads: 60% DescribeUser, 10% ListUsers (one page of 100),
		// 10% SearchUsers; 20% writes: 10% UpdateUserIdentityInfo, 10%
		// CreateUser.
		return func(ctx context.Context, _ int, i int64) (int, error) {
			switch r := rand.IntN(100); {
			case r < 60:
				return t.describeUser(ctx)
			case r < 70:
				p, err := t.listPage(ctx, "", 100)
				return len(p.UserSummaryList), err
			case r < 80:
				return t.search(ctx, i)
			case r < 90:
				return t.updateUser(ctx, i)
			default:
				_, err := t.createUser(ctx)
				return 1, err
			}
		}, nil
	}
	return nil, fmt.Errorf("unknown workload %q", name)
}

// load creates n users through the API from workers goroutines, printing a
// progress line with the rate.
func (t *target) load(ctx context.Context, n int64, workers int) error {
	var done, failed atomic.Int64
	var first error
	var once sync.Once
	start := time.Now()
	stop := make(chan struct{})
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				d := done.Load()
				el := time.Since(start).Seconds()
				rate := float64(d) / el
				eta := "?"
				if rate > 0 {
					eta = (time.Duration(float64(n-d)/rate) * time.Second).Round(time.Second).String()
				}
				fmt.Fprintf(t.log, "\rload %s: %s %d/%d users  %.0f users/s  eta %s   ", t.name, bar(d, n, 30), d, n, rate, eta)
			}
		}
	}()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && failed.Load() < 100 {
				if next.Add(1) > n {
					return
				}
				if _, err := t.createUser(ctx); err != nil {
					failed.Add(1)
					once.Do(func() { first = err })
					continue
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-progressDone
	el := time.Since(start).Seconds()
	fmt.Fprintf(t.log, "\rload %s: %s %d/%d users in %.1fs, %.0f users/s, %d errors        \n", t.name, bar(done.Load(), n, 30), done.Load(), n, el, float64(done.Load())/el, failed.Load())
	if first != nil {
		return fmt.Errorf("load: %d failed, first: %w", failed.Load(), first)
	}
	return ctx.Err()
}

func bar(d, n int64, width int) string {
	if n <= 0 {
		n = 1
	}
	k := int(int64(width) * min(d, n) / n)
	b := make([]byte, width+2)
	b[0], b[width+1] = '[', ']'
	for i := 1; i <= width; i++ {
		b[i] = '.'
		if i <= k {
			b[i] = '#'
		}
	}
	return string(b)
}

func randomTag(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	crand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}
