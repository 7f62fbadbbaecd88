package throttle

// Connect's API throttling quotas: per AWS account and Region, per
// operation, a steady rate in requests per second and a burst.
//
// Sources (docs/BEHAVIOUR.md, "Throttling and injected faults"):
//
//   - The Amazon Connect Administrator Guide, "Amazon Connect API throttling
//     quotas" (awsdocs/amazon-connect-admin-guide,
//     doc_source/amazon-connect-service-limits.md): a RateLimit of 2 and a
//     BurstLimit of 5 for every operation not listed otherwise; 5 and 8 for
//     GetMetricData and GetCurrentMetricData.
//   - The Service Quotas defaults of service code "connect" (quota names
//     "Rate of <Operation> API requests", e.g. L-EE6F0D82 for DescribeUser;
//     `aws service-quotas get-aws-default-service-quota --service-code
//     connect --quota-code L-...` shows them): the rates below that differ
//     from 2. Service Quotas gives no burst.
//   - Bursts the current guide states as "burst of N" and summaries of it
//     repeat: 10 for GetMetricDataV2, 15 for the contact APIs at 10 per
//     second, 25 for TagContact and UntagContact, 1 for SearchContacts.
//
// Where no source gives a burst (the other operations whose rate is not 2)
// the burst is 1.5 times the rate rounded up, the ratio of the documented
// 10/15 pairs; such rows are marked "assumed burst".
var connectLimits = map[string]Limit{
	// Documented rate and burst.
	"GetMetricData":           {Rate: 5, Burst: 8},
	"GetCurrentMetricData":    {Rate: 5, Burst: 8},
	"GetMetricDataV2":         {Rate: 10, Burst: 10},
	"GetContactAttributes":    {Rate: 10, Burst: 15},
	"UpdateContactAttributes": {Rate: 10, Burst: 15},
	"DescribeContact":         {Rate: 10, Burst: 15},
	"StopContact":             {Rate: 10, Burst: 15},
	"UpdateContact":           {Rate: 10, Burst: 15},
	"ListContactReferences":   {Rate: 10, Burst: 15},
	"BatchPutContact":         {Rate: 10, Burst: 15},
	"TagContact":              {Rate: 20, Burst: 25},
	"UntagContact":            {Rate: 20, Burst: 25},
	"SearchContacts":          {Rate: 0.5, Burst: 1},

	// Service Quotas rate; assumed burst.
	"DescribeUser":                   {Rate: 10, Burst: 15},
	"ListUsers":                      {Rate: 10, Burst: 15},
	"ListUserProficiencies":          {Rate: 10, Burst: 15},
	"ListUserHierarchyGroups":        {Rate: 10, Burst: 15},
	"DescribeUserHierarchyGroup":     {Rate: 10, Burst: 15},
	"DescribeUserHierarchyStructure": {Rate: 10, Burst: 15},
	"ListRoutingProfiles":            {Rate: 10, Burst: 15},
	"DescribeRoutingProfile":         {Rate: 10, Burst: 15},
	"ListRoutingProfileQueues":       {Rate: 10, Burst: 15},
	"ListQueues":                     {Rate: 10, Burst: 15},
	"DescribeQueue":                  {Rate: 10, Burst: 15},
	"ListQueueQuickConnects":         {Rate: 10, Burst: 15},
	"ListQuickConnects":              {Rate: 10, Burst: 15},
	"DescribeQuickConnect":           {Rate: 10, Burst: 15},
	"ListHoursOfOperations":          {Rate: 10, Burst: 15},
	"DescribeHoursOfOperation":       {Rate: 10, Burst: 15},
	"ListAgentStatuses":              {Rate: 10, Burst: 15},
	"DescribeAgentStatus":            {Rate: 10, Burst: 15},
	"ListPrompts":                    {Rate: 10, Burst: 15},
	"DescribePrompt":                 {Rate: 10, Burst: 15},
	"ListPredefinedAttributes":       {Rate: 10, Burst: 15},
	"DescribePredefinedAttribute":    {Rate: 10, Burst: 15},
	"ListIntegrationAssociations":    {Rate: 50, Burst: 75},
	"StartChatContact":               {Rate: 5, Burst: 8},
	"StartContactStreaming":          {Rate: 5, Burst: 8},
	"StopContactStreaming":           {Rate: 5, Burst: 8},
	"CreateParticipant":              {Rate: 5, Burst: 8},
	"UpdateParticipantRoleConfig":    {Rate: 5, Burst: 8},
	"CreateInstance":                 {Rate: 0.1, Burst: 1},
	"DeleteInstance":                 {Rate: 0.1, Burst: 1},
}

// connectDefault is the documented quota of every operation the table does
// not list.
var connectDefault = Limit{Rate: 2, Burst: 5}

// ConnectLimit returns Connect's default quota for op.
func ConnectLimit(op string) Limit {
	if l, ok := connectLimits[op]; ok {
		return l
	}
	return connectDefault
}

// ConnectTable returns a copy of the operations whose quota differs from
// Connect's default, and that default.
func ConnectTable() (ops map[string]Limit, def Limit) {
	ops = make(map[string]Limit, len(connectLimits))
	for k, v := range connectLimits {
		ops[k] = v
	}
	return ops, connectDefault
}
