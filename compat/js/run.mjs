// Switchboard compatibility runner for the AWS SDK for JavaScript v3.
//
// It runs the seed's own example (a ConnectClient and a CreateUserCommand with
// every member of the seed's input filled), reads the user back member by
// member, proves every conflict rule and declared error of CreateUser arrives
// as the SDK's typed exception, walks ListUsers and SearchUsers with the SDK's
// paginators, and covers instances, default resources, hierarchies and tags
// through escaped ARNs, and contacts that the engine routes to an agent.
//
// Configured only by the environment, like every runner of compat/:
//   SWITCHBOARD_ENDPOINT   endpoint URL (unset: the SDK's default, i.e. real AWS)
//   AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
// Prints one JSON line per check and finally "N passed, N failed"; exits 1 if
// any check failed.
import {
  ConnectClient, CreateUserCommand, DescribeUserCommand, CreateInstanceCommand, DescribeInstanceCommand,
  DeleteInstanceCommand, ListSecurityProfilesCommand, ListRoutingProfilesCommand, ListQueuesCommand,
  ListHoursOfOperationsCommand, UpdateUserHierarchyStructureCommand, DescribeUserHierarchyStructureCommand,
  CreateUserHierarchyGroupCommand, DescribeUserHierarchyGroupCommand, DeleteUserHierarchyGroupCommand,
  UpdateUserIdentityInfoCommand, UpdateUserPhoneConfigCommand, UpdateUserConfigCommand, DeleteUserCommand,
  TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand, CreateSecurityProfileCommand,
  DeleteSecurityProfileCommand, SearchUsersCommand, ListInstancesCommand, ListUsersCommand,
  ListAgentStatusesCommand, CreateAgentStatusCommand, DescribeAgentStatusCommand, UpdateAgentStatusCommand,
  SearchAgentStatusesCommand, PutUserStatusCommand, GetCurrentUserDataCommand,
  CreatePredefinedAttributeCommand, DescribePredefinedAttributeCommand, ListPredefinedAttributesCommand,
  SearchPredefinedAttributesCommand, DeletePredefinedAttributeCommand, AssociateUserProficienciesCommand,
  ListUserProficienciesCommand, UpdateUserProficienciesCommand, DisassociateUserProficienciesCommand,
  ListContactFlowsCommand, CreateContactFlowCommand, DescribeContactFlowCommand, UpdateContactFlowContentCommand,
  UpdateContactFlowNameCommand, DeleteContactFlowCommand, InvalidContactFlowException,
  CreateContactFlowModuleCommand, DescribeContactFlowModuleCommand, UpdateContactFlowModuleContentCommand,
  CreateContactFlowModuleVersionCommand, CreateContactFlowModuleAliasCommand, ListContactFlowModuleAliasesCommand,
  DeleteContactFlowModuleCommand, InvalidContactFlowModuleException,
  SearchAvailablePhoneNumbersCommand, ClaimPhoneNumberCommand, DescribePhoneNumberCommand, AssociatePhoneNumberContactFlowCommand,
  ListFlowAssociationsCommand, DisassociatePhoneNumberContactFlowCommand, ReleasePhoneNumberCommand,
  AssociateLambdaFunctionCommand, ListLambdaFunctionsCommand, DisassociateLambdaFunctionCommand,
  AssociateInstanceStorageConfigCommand, DescribeInstanceStorageConfigCommand, DisassociateInstanceStorageConfigCommand,
  StartTaskContactCommand, DescribeContactCommand, UpdateContactAttributesCommand, GetContactAttributesCommand,
  CreateHoursOfOperationCommand, CreateQueueCommand, CreateRoutingProfileCommand,
  StopContactCommand, StartChatContactCommand, GetCurrentMetricDataCommand, SearchContactsCommand, GetContactMetricsCommand, GetMetricDataV2Command, TransferContactCommand, StartOutboundVoiceContactCommand, UpdateContactScheduleCommand, UpdateContactRoutingDataCommand, ResourceConflictException,
  paginateListUsers, paginateSearchUsers, paginateListInstances, paginateSearchContacts,
  DuplicateResourceException, InvalidParameterException, InvalidRequestException, ResourceNotFoundException,
  LimitExceededException, ResourceInUseException, ConnectServiceException,
} from "@aws-sdk/client-connect";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const CLIENT = "js-sdk-v3";
const require = createRequire(import.meta.url);
const sdkVersion = JSON.parse(readFileSync(require.resolve("@aws-sdk/client-connect/package.json"), "utf8")).version;
const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1";
// A region in which this run creates nothing, for the empty answers.
const emptyRegion = process.env.SWITCHBOARD_COMPAT_EMPTY_REGION || "ca-west-1";

let passed = 0, failed = 0;
function report(operation, name, err) {
  const line = { client: CLIENT, operation, case: name, status: err ? "FAIL" : "PASS", error: err ? String(err && err.stack ? err.message : err) : "" };
  if (err) failed++; else passed++;
  console.log(JSON.stringify(line));
}

// check runs fn and records PASS, or FAIL with what it threw.
async function check(operation, name, fn) {
  try {
    const v = await fn();
    report(operation, name, null);
    return v;
  } catch (e) {
    report(operation, name, e);
    return undefined;
  }
}

// expectError proves fn fails with the SDK's typed exception cls (instanceof),
// with the modelled name, a client fault and the given HTTP status.
async function expectError(operation, name, cls, status, fn) {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof cls)) {
      report(operation, name, `got ${e && e.constructor && e.constructor.name} ${e && e.name}: ${e && e.message}, want instanceof ${cls.name}`);
      return undefined;
    }
    const problems = [];
    if (!(e instanceof ConnectServiceException)) problems.push("not a ConnectServiceException");
    if (e.name !== cls.name) problems.push(`name ${e.name}`);
    if (e.$fault !== "client") problems.push(`$fault ${e.$fault}`);
    if (e.$metadata?.httpStatusCode !== status) problems.push(`status ${e.$metadata?.httpStatusCode}, want ${status}`);
    if (!e.message) problems.push("empty message");
    report(operation, name, problems.length ? problems.join("; ") : null);
    return e;
  }
  report(operation, name, `accepted, want ${cls.name}`);
  return undefined;
}

function eq(what, got, want) {
  const g = JSON.stringify(canon(got)), w = JSON.stringify(canon(want));
  if (g !== w) throw new Error(`${what}: got ${g}, want ${w}`);
}
function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === "object" && !(v instanceof Date)) {
    return Object.fromEntries(Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => [k, canon(v[k])]));
  }
  return v;
}
function ok(cond, msg) { if (!cond) throw new Error(msg); }
function recent(what, t) {
  ok(t instanceof Date, `${what} is ${typeof t} ${t}, want a Date`);
  ok(!isNaN(t.getTime()), `${what} is an invalid Date`);
  const age = Date.now() - t.getTime();
  ok(age > -60_000 && age < 3_600_000, `${what} ${t.toISOString()} is not recent`);
}

const config = { region, maxAttempts: 1 };
if (process.env.SWITCHBOARD_ENDPOINT) config.endpoint = process.env.SWITCHBOARD_ENDPOINT;
// The seed: "const client = new ConnectClient(config);"
const client = new ConnectClient(config);
const send = (cmd) => client.send(cmd);

const suffix = Math.random().toString(36).slice(2, 8);
const alias = `compat-js-${suffix}`;
let instance, instanceArn;

// agentStatuses covers agent statuses, PutUserStatus and GetCurrentUserData.
async function agentStatuses(user) {
  const st = (await check("ListAgentStatuses", "a new instance has Available (ROUTABLE) and Offline (OFFLINE)", async () => {
    const out = await send(new ListAgentStatusesCommand({ InstanceId: instance }));
    const byName = Object.fromEntries(out.AgentStatusSummaryList.map((s) => [s.Name, s]));
    eq("types", [byName.Available?.Type, byName.Offline?.Type], ["ROUTABLE", "OFFLINE"]);
    return byName;
  })) ?? {};
  const lunch = await check("CreateAgentStatus", "a custom status", async () =>
    (await send(new CreateAgentStatusCommand({ InstanceId: instance, Name: "Lunch", State: "ENABLED", DisplayOrder: 3, Tags: { team: "ops" } }))).AgentStatusId);
  await check("DescribeAgentStatus", "CUSTOM, as created, with its agent-state ARN", async () => {
    const { AgentStatus: a } = await send(new DescribeAgentStatusCommand({ InstanceId: instance, AgentStatusId: lunch }));
    eq("status", [a.Name, a.Type, a.State, a.DisplayOrder, a.Tags], ["Lunch", "CUSTOM", "ENABLED", 3, { team: "ops" }]);
    ok(a.AgentStatusARN.endsWith(`/agent-state/${lunch}`), a.AgentStatusARN);
  });
  await expectError("CreateAgentStatus", "duplicate name is DuplicateResourceException", DuplicateResourceException, 409, () =>
    send(new CreateAgentStatusCommand({ InstanceId: instance, Name: "Lunch", State: "ENABLED" })));
  if (st.Offline) {
    await expectError("UpdateAgentStatus", "disabling Offline is InvalidRequestException", InvalidRequestException, 400, () =>
      send(new UpdateAgentStatusCommand({ InstanceId: instance, AgentStatusId: st.Offline.Id, State: "DISABLED" })));
  }
  await check("SearchAgentStatuses", "type EXACT CUSTOM", async () => {
    const out = await send(new SearchAgentStatusesCommand({ InstanceId: instance, SearchCriteria: { StringCondition: { FieldName: "type", ComparisonType: "EXACT", Value: "CUSTOM" } } }));
    eq("names, count", [out.AgentStatuses.map((x) => x.Name), out.ApproximateTotalCount], [["Lunch"], 1]);
  });
  if (!user || !st.Available) return;
  await check("GetCurrentUserData", "a new user is Offline, so not listed: UserDataList []", async () => {
    const out = await send(new GetCurrentUserDataCommand({ InstanceId: instance, Filters: { Agents: [user.UserId] } }));
    ok(Array.isArray(out.UserDataList) && out.UserDataList.length === 0, `UserDataList ${JSON.stringify(out.UserDataList)}`);
  });
  await check("PutUserStatus", "Available: GetCurrentUserData lists the agent with its slots", async () => {
    await send(new PutUserStatusCommand({ InstanceId: instance, UserId: user.UserId, AgentStatusId: st.Available.Id }));
    const out = await send(new GetCurrentUserDataCommand({ InstanceId: instance, Filters: { Agents: [user.UserId] } }));
    eq("count", out.ApproximateTotalCount, 1);
    const d = out.UserDataList[0];
    eq("user, status", [d.User.Id, d.Status.StatusName], [user.UserId, "Available"]);
    recent("StatusStartTimestamp", d.Status.StatusStartTimestamp);
    eq("MaxSlotsByChannel", d.MaxSlotsByChannel, { VOICE: 1, CHAT: 2, TASK: 1 });
    ok(Array.isArray(d.Contacts) && d.Contacts.length === 0, `Contacts ${JSON.stringify(d.Contacts)}`);
  });
  await expectError("PutUserStatus", "unknown status is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new PutUserStatusCommand({ InstanceId: instance, UserId: user.UserId, AgentStatusId: "00000000-0000-0000-0000-000000000000" })));
  await expectError("GetCurrentUserData", "two kinds of filter is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new GetCurrentUserDataCommand({ InstanceId: instance, Filters: { Agents: [user.UserId], Queues: [user.UserId] } })));
}

// proficiencies covers predefined attributes, a user's proficiencies and
// SearchUsers' ListCondition.
async function proficiencies(user) {
  const created = await check("CreatePredefinedAttribute", "Language with two values", () =>
    send(new CreatePredefinedAttributeCommand({ InstanceId: instance, Name: "Language", Values: { StringList: ["English", "Spanish"] } })));
  if (!created) return;
  await check("DescribePredefinedAttribute", "values and configuration, false included", async () => {
    const { PredefinedAttribute: a } = await send(new DescribePredefinedAttributeCommand({ InstanceId: instance, Name: "Language" }));
    eq("attribute", [a.Name, a.Values, a.AttributeConfiguration], ["Language", { StringList: ["English", "Spanish"] }, { EnableValueValidationOnAssociation: false, IsReadOnly: false }]);
    recent("LastModifiedTime", a.LastModifiedTime);
  });
  await check("ListPredefinedAttributes", "lists Language", async () => {
    const out = await send(new ListPredefinedAttributesCommand({ InstanceId: instance }));
    eq("names", out.PredefinedAttributeSummaryList.map((a) => a.Name), ["Language"]);
  });
  await check("SearchPredefinedAttributes", "name EXACT", async () => {
    const out = await send(new SearchPredefinedAttributesCommand({ InstanceId: instance, SearchCriteria: { StringCondition: { FieldName: "name", ComparisonType: "EXACT", Value: "language" } } }));
    eq("count", out.ApproximateTotalCount, 1);
  });
  if (!user) return;
  const uid = user.UserId;
  await check("AssociateUserProficiencies", "Spanish at level 4", () =>
    send(new AssociateUserProficienciesCommand({ InstanceId: instance, UserId: uid, UserProficiencies: [{ AttributeName: "Language", AttributeValue: "Spanish", Level: 4 }] })));
  await check("ListUserProficiencies", "read back", async () => {
    const out = await send(new ListUserProficienciesCommand({ InstanceId: instance, UserId: uid }));
    eq("proficiencies", out.UserProficiencyList, [{ AttributeName: "Language", AttributeValue: "Spanish", Level: 4 }]);
  });
  const found = async (min) => (await send(new SearchUsersCommand({ InstanceId: instance, SearchCriteria: { ListCondition: { TargetListType: "PROFICIENCIES", Conditions: [
    { StringCondition: { FieldName: "name", ComparisonType: "EXACT", Value: "Language" } },
    { StringCondition: { FieldName: "value", ComparisonType: "EXACT", Value: "Spanish" } },
    { NumberCondition: { FieldName: "limit", ComparisonType: "GREATER_OR_EQUAL", MinValue: min } },
  ] } } }))).Users.map((u) => u.Id);
  await check("SearchUsers", "ListCondition: Spanish at level 3 or more finds the user", async () => eq("users", await found(3), [uid]));
  await check("SearchUsers", "ListCondition: Spanish at level 5 finds nobody", async () => eq("users", await found(5), []));
  await expectError("DeletePredefinedAttribute", "an attribute in use is ResourceInUseException", ResourceInUseException, 409, () =>
    send(new DeletePredefinedAttributeCommand({ InstanceId: instance, Name: "Language" })));
  await expectError("AssociateUserProficiencies", "an unknown attribute is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new AssociateUserProficienciesCommand({ InstanceId: instance, UserId: uid, UserProficiencies: [{ AttributeName: "Skill", AttributeValue: "x", Level: 1 }] })));
  await check("UpdateUserProficiencies", "level 4 becomes 2", async () => {
    await send(new UpdateUserProficienciesCommand({ InstanceId: instance, UserId: uid, UserProficiencies: [{ AttributeName: "Language", AttributeValue: "Spanish", Level: 2 }] }));
    const out = await send(new ListUserProficienciesCommand({ InstanceId: instance, UserId: uid }));
    eq("level", out.UserProficiencyList[0].Level, 2);
  });
  await check("DisassociateUserProficiencies", "then the attribute can be deleted", async () => {
    await send(new DisassociateUserProficienciesCommand({ InstanceId: instance, UserId: uid, UserProficiencies: [{ AttributeName: "Language", AttributeValue: "Spanish" }] }));
    const out = await send(new ListUserProficienciesCommand({ InstanceId: instance, UserId: uid }));
    ok(Array.isArray(out.UserProficiencyList) && out.UserProficiencyList.length === 0, JSON.stringify(out.UserProficiencyList));
    await send(new DeletePredefinedAttributeCommand({ InstanceId: instance, Name: "Language" }));
  });
}

const hangUp = '{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}';
const notAFlow = '{"Version":"2019-10-30","StartAction":"missing","Actions":[]}';
// holding keeps a contact in its flow for an hour (a Wait), so that what the
// contact checks do to it is not overtaken by the flow ending it.
const holding = '{"Version":"2019-10-30","StartAction":"wait","Actions":[' +
  '{"Identifier":"wait","Type":"Wait","Parameters":{"TimeoutSeconds":"3600"},"Transitions":{"NextAction":"bye",' +
  '"Conditions":[{"NextAction":"bye","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],' +
  '"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},' +
  '{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}';
// toQueue sets the target queue and transfers the contact to it.
const toQueue = (queueId) => '{"Version":"2019-10-30","StartAction":"target","Actions":[' +
  `{"Identifier":"target","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"${queueId}"},` +
  '"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},' +
  '{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye",' +
  '"Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},' +
  '{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}';

// contactFlows covers default flows, create, describe, update, an invalid
// flow's problems and delete.
async function contactFlows() {
  await check("ListContactFlows", "the default queue transfer flow is there", async () => {
    const out = await send(new ListContactFlowsCommand({ InstanceId: instance, ContactFlowTypes: ["QUEUE_TRANSFER"] }));
    ok(out.ContactFlowSummaryList.some((f) => f.Name === "Default queue transfer"), JSON.stringify(out.ContactFlowSummaryList));
  });
  const id = await check("CreateContactFlow", "a published flow, with its checksum", async () => {
    const out = await send(new CreateContactFlowCommand({ InstanceId: instance, Name: "Compat IVR", Type: "CONTACT_FLOW", Content: hangUp, Tags: { team: "ivr" } }));
    eq("FlowContentSha256", out.FlowContentSha256, createHash("sha256").update(hangUp).digest("hex"));
    ok(out.ContactFlowArn.endsWith(`/contact-flow/${out.ContactFlowId}`), out.ContactFlowArn);
    return out.ContactFlowId;
  });
  if (!id) return;
  await check("DescribeContactFlow", "as created", async () => {
    const { ContactFlow: f } = await send(new DescribeContactFlowCommand({ InstanceId: instance, ContactFlowId: id }));
    eq("flow", [f.Name, f.Type, f.State, f.Status, f.Content, f.Tags], ["Compat IVR", "CONTACT_FLOW", "ACTIVE", "PUBLISHED", hangUp, { team: "ivr" }]);
    recent("LastModifiedTime", f.LastModifiedTime);
  });
  await check("UpdateContactFlowContent", "published content and a new name read back", async () => {
    const changed = hangUp.replaceAll('"bye"', '"end"');
    await send(new UpdateContactFlowContentCommand({ InstanceId: instance, ContactFlowId: id, Content: changed }));
    await send(new UpdateContactFlowNameCommand({ InstanceId: instance, ContactFlowId: id, Name: "Compat front door" }));
    const { ContactFlow: f } = await send(new DescribeContactFlowCommand({ InstanceId: instance, ContactFlowId: id }));
    eq("name, content", [f.Name, f.Content], ["Compat front door", changed]);
  });
  // The exception's only modelled member is problems (no Message), so it
  // is checked here rather than through expectError.
  await check("CreateContactFlow", "an invalid flow is InvalidContactFlowException listing its problems", async () => {
    try {
      await send(new CreateContactFlowCommand({ InstanceId: instance, Name: "Broken", Type: "CONTACT_FLOW", Content: notAFlow }));
    } catch (e) {
      ok(e instanceof InvalidContactFlowException && e.$metadata?.httpStatusCode === 400, `got ${e.name} ${e.$metadata?.httpStatusCode}`);
      ok(Array.isArray(e.problems) && e.problems.length > 0 && e.problems.every((p) => p.message), JSON.stringify(e.problems));
      return;
    }
    throw new Error("accepted");
  });
  await check("DeleteContactFlow", "deleted", () => send(new DeleteContactFlowCommand({ InstanceId: instance, ContactFlowId: id })));
  await expectError("DescribeContactFlow", "a deleted flow is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new DescribeContactFlowCommand({ InstanceId: instance, ContactFlowId: id })));
}

const moduleContent = (text) => '{"Version":"2019-10-30","StartAction":"say","Actions":[' +
  `{"Identifier":"say","Type":"MessageParticipant","Parameters":{"Text":"${text}"},"Transitions":{"NextAction":"end"}},` +
  '{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}';

// flowModules covers create, describe, update, a version and an alias, an
// invalid module's problems and delete.
async function flowModules() {
  const id = await check("CreateContactFlowModule", "a module", async () =>
    (await send(new CreateContactFlowModuleCommand({ InstanceId: instance, Name: "Compat module", Content: moduleContent("hello") }))).Id);
  if (!id) return;
  await check("DescribeContactFlowModule", "as created", async () => {
    const { ContactFlowModule: m } = await send(new DescribeContactFlowModuleCommand({ InstanceId: instance, ContactFlowModuleId: id }));
    eq("module", [m.Name, m.Content, m.State, m.Status], ["Compat module", moduleContent("hello"), "ACTIVE", "PUBLISHED"]);
  });
  await check("UpdateContactFlowModuleContent", "new content read back", async () => {
    await send(new UpdateContactFlowModuleContentCommand({ InstanceId: instance, ContactFlowModuleId: id, Content: moduleContent("bye") }));
    const { ContactFlowModule: m } = await send(new DescribeContactFlowModuleCommand({ InstanceId: instance, ContactFlowModuleId: id }));
    eq("content", m.Content, moduleContent("bye"));
  });
  await check("CreateContactFlowModuleVersion", "version 1 and an alias to it", async () => {
    const { Version: v } = await send(new CreateContactFlowModuleVersionCommand({ InstanceId: instance, ContactFlowModuleId: id }));
    await send(new CreateContactFlowModuleAliasCommand({ InstanceId: instance, ContactFlowModuleId: id, AliasName: "live", ContactFlowModuleVersion: v }));
    const out = await send(new ListContactFlowModuleAliasesCommand({ InstanceId: instance, ContactFlowModuleId: id }));
    eq("version, aliases", [v, out.ContactFlowModuleAliasSummaryList.map((a) => a.AliasName)], [1, ["live"]]);
  });
  await check("CreateContactFlowModule", "an invalid module is InvalidContactFlowModuleException listing its problems", async () => {
    try {
      await send(new CreateContactFlowModuleCommand({ InstanceId: instance, Name: "Broken module", Content: notAFlow }));
    } catch (e) {
      ok(e instanceof InvalidContactFlowModuleException && e.$metadata?.httpStatusCode === 400, `got ${e.name} ${e.$metadata?.httpStatusCode}`);
      ok(Array.isArray(e.Problems) && e.Problems.length > 0 && e.Problems.every((p) => p.message), JSON.stringify(e.Problems));
      return;
    }
    throw new Error("accepted");
  });
  await check("DeleteContactFlowModule", "deleted with its version and alias", () => send(new DeleteContactFlowModuleCommand({ InstanceId: instance, ContactFlowModuleId: id })));
  await expectError("DescribeContactFlowModule", "a deleted module is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new DescribeContactFlowModuleCommand({ InstanceId: instance, ContactFlowModuleId: id })));
}

// numbersAndIntegrations claims, describes, points at a flow and releases
// a phone number, and associates a Lambda function and a storage config.
async function numbersAndIntegrations(instanceArn) {
  const account = instanceArn.split(":")[4];
  const claimed = await check("ClaimPhoneNumber", "a number from SearchAvailablePhoneNumbers", async () => {
    const { AvailableNumbersList: found } = await send(new SearchAvailablePhoneNumbersCommand({ TargetArn: instanceArn, PhoneNumberCountryCode: "US", PhoneNumberType: "DID", MaxResults: 1 }));
    ok(found.length === 1 && found[0].PhoneNumber.startsWith("+1"), JSON.stringify(found));
    const out = await send(new ClaimPhoneNumberCommand({ TargetArn: instanceArn, PhoneNumber: found[0].PhoneNumber, PhoneNumberDescription: "compat" }));
    ok(out.PhoneNumberArn.endsWith(`/${out.PhoneNumberId}`), out.PhoneNumberArn);
    return { id: out.PhoneNumberId, number: found[0].PhoneNumber };
  });
  if (claimed) {
    await check("DescribePhoneNumber", "IN_PROGRESS, then CLAIMED, as Terraform's waiter polls", async () => {
      for (let i = 0; i < 5; i++) {
        const { ClaimedPhoneNumberSummary: n } = await send(new DescribePhoneNumberCommand({ PhoneNumberId: claimed.id }));
        if (n.PhoneNumberStatus.Status === "CLAIMED") {
          eq("number", [n.PhoneNumber, n.PhoneNumberCountryCode, n.PhoneNumberType, n.InstanceId], [claimed.number, "US", "DID", instance]);
          return;
        }
        ok(n.PhoneNumberStatus.Status === "IN_PROGRESS", JSON.stringify(n.PhoneNumberStatus));
      }
      throw new Error("never CLAIMED");
    });
    await check("AssociatePhoneNumberContactFlow", "the number answers with a flow, then not", async () => {
      const { ContactFlowId: fid } = await send(new CreateContactFlowCommand({ InstanceId: instance, Name: "Compat inbound", Type: "CONTACT_FLOW", Content: hangUp }));
      await send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: claimed.id, InstanceId: instance, ContactFlowId: fid }));
      const out = await send(new ListFlowAssociationsCommand({ InstanceId: instance, ResourceType: "VOICE_PHONE_NUMBER" }));
      ok(out.FlowAssociationSummaryList.some((a) => a.FlowId === fid || a.FlowId.endsWith(fid)), JSON.stringify(out.FlowAssociationSummaryList));
      await send(new DisassociatePhoneNumberContactFlowCommand({ PhoneNumberId: claimed.id, InstanceId: instance }));
    });
    await check("ReleasePhoneNumber", "released", () => send(new ReleasePhoneNumberCommand({ PhoneNumberId: claimed.id })));
    await expectError("DescribePhoneNumber", "a released number is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
      send(new DescribePhoneNumberCommand({ PhoneNumberId: claimed.id })));
  }
  const fn = `arn:aws:lambda:${region}:${account}:function:compat-lookup`;
  await check("AssociateLambdaFunction", "associated, listed, disassociated", async () => {
    await send(new AssociateLambdaFunctionCommand({ InstanceId: instance, FunctionArn: fn }));
    eq("functions", (await send(new ListLambdaFunctionsCommand({ InstanceId: instance }))).LambdaFunctions, [fn]);
    await send(new DisassociateLambdaFunctionCommand({ InstanceId: instance, FunctionArn: fn }));
    eq("functions", (await send(new ListLambdaFunctionsCommand({ InstanceId: instance }))).LambdaFunctions, []);
  });
  await check("AssociateInstanceStorageConfig", "call recordings to S3, described, disassociated", async () => {
    const { AssociationId: aid } = await send(new AssociateInstanceStorageConfigCommand({ InstanceId: instance, ResourceType: "CALL_RECORDINGS",
      StorageConfig: { StorageType: "S3", S3Config: { BucketName: "compat-recordings", BucketPrefix: "calls" } } }));
    const { StorageConfig: got } = await send(new DescribeInstanceStorageConfigCommand({ InstanceId: instance, AssociationId: aid, ResourceType: "CALL_RECORDINGS" }));
    eq("storage config", [got.StorageType, got.S3Config.BucketName, got.AssociationId], ["S3", "compat-recordings", aid]);
    await send(new DisassociateInstanceStorageConfigCommand({ InstanceId: instance, AssociationId: aid, ResourceType: "CALL_RECORDINGS" }));
  });
}

// A task started, its attributes merged, stopped; a chat started; an
// outbound call placed from a claimed number. The flow holds the contacts
// (it neither queues nor ends them), so StopContact is what ends the task.
async function contacts(instanceArn) {
  const { ContactFlowId: flow } = await send(new CreateContactFlowCommand({ InstanceId: instance, Name: "Compat contacts", Type: "CONTACT_FLOW", Content: holding }));
  const describe = async (id) => (await send(new DescribeContactCommand({ InstanceId: instance, ContactId: id }))).Contact;
  const task = await check("StartTaskContact", "a task INITIATED through the API, described with its tags", async () => {
    const { ContactId: id } = await send(new StartTaskContactCommand({ InstanceId: instance, ContactFlowId: flow, Name: "Compat task",
      Attributes: { a: "1" }, References: { u: { Type: "URL", Value: "https://example.com" } } }));
    const c = await describe(id);
    eq("task", [c.Id, c.Channel, c.InitiationMethod, c.Name, c.Tags], [id, "TASK", "API", "Compat task", { "aws:connect:instanceId": instance }]);
    recent("InitiationTimestamp", c.InitiationTimestamp);
    return id;
  });
  if (task) {
    await check("UpdateContactAttributes", "merged into the task's attributes", async () => {
      await send(new UpdateContactAttributesCommand({ InstanceId: instance, InitialContactId: task, Attributes: { b: "2" } }));
      eq("attributes", (await send(new GetContactAttributesCommand({ InstanceId: instance, InitialContactId: task }))).Attributes, { a: "1", b: "2" });
    });
    await expectError("UpdateContactRoutingData", "a contact not in a queue is ResourceConflictException", ResourceConflictException, 409, () =>
      send(new UpdateContactRoutingDataCommand({ InstanceId: instance, ContactId: task, QueuePriority: 1 })));
    await check("StopContact", "the task ends with a DisconnectTimestamp and reason API", async () => {
      await send(new StopContactCommand({ InstanceId: instance, ContactId: task }));
      const c = await describe(task);
      eq("reason", c.DisconnectReason, "API");
      recent("DisconnectTimestamp", c.DisconnectTimestamp);
    });
  }
  await check("UpdateContactSchedule", "a scheduled task moved an hour later", async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const { ContactId: id } = await send(new StartTaskContactCommand({ InstanceId: instance, ContactFlowId: flow, Name: "Compat later", ScheduledTime: new Date(now + 3_600_000) }));
    await send(new UpdateContactScheduleCommand({ InstanceId: instance, ContactId: id, ScheduledTime: new Date(now + 7_200_000) }));
    eq("scheduled", (await describe(id)).ScheduledTimestamp?.getTime(), now + 7_200_000);
  });
  await expectError("DescribeContact", "an unknown contact is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    describe("00000000-0000-0000-0000-000000000000"));
  await check("StartChatContact", "a chat with a participant id and token", async () => {
    const out = await send(new StartChatContactCommand({ InstanceId: instance, ContactFlowId: flow, ParticipantDetails: { DisplayName: "Compat" } }));
    ok(out.ContactId && out.ParticipantId && out.ParticipantToken, JSON.stringify(out));
    eq("channel", (await describe(out.ContactId)).Channel, "CHAT");
  });
  await check("StartOutboundVoiceContact", "a VOICE contact from a claimed number to the callee", async () => {
    const { AvailableNumbersList: found } = await send(new SearchAvailablePhoneNumbersCommand({ TargetArn: instanceArn, PhoneNumberCountryCode: "US", PhoneNumberType: "DID", MaxResults: 1 }));
    const number = found[0].PhoneNumber;
    const { PhoneNumberId: pid } = await send(new ClaimPhoneNumberCommand({ TargetArn: instanceArn, PhoneNumber: number }));
    const { ContactId: id } = await send(new StartOutboundVoiceContactCommand({ InstanceId: instance, ContactFlowId: flow,
      DestinationPhoneNumber: "+14255550100", SourcePhoneNumber: number }));
    const c = await describe(id);
    eq("call", [c.Channel, c.InitiationMethod, c.CustomerEndpoint?.Address, c.SystemEndpoint?.Address], ["VOICE", "API", "+14255550100", number]);
    await send(new ReleasePhoneNumberCommand({ PhoneNumberId: pid }));
  });
  await expectError("StartOutboundVoiceContact", "neither QueueId nor SourcePhoneNumber is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new StartOutboundVoiceContactCommand({ InstanceId: instance, ContactFlowId: flow, DestinationPhoneNumber: "+14255550100" })));
}

// routedContacts sets up a queue open all day, a routing profile serving it
// on TASK and CHAT (ROUTE_ANY_CHANNEL), a flow that transfers to it and an
// Available agent who auto-accepts with no after-contact-work limit; then a
// task and a chat are started, routed to the agent, described and stopped
// (docs/BEHAVIOUR.md, "Routing and the contact engine"). It answers the
// agent's user id, which counts towards the instance's users.
async function routedContacts(sp) {
  const days = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"];
  const hours = await check("CreateHoursOfOperation", "UTC, 00:00-00:00 on all seven days (open all day)", async () => {
    const out = await send(new CreateHoursOfOperationCommand({ InstanceId: instance, Name: "Compat all day", TimeZone: "UTC",
      Config: days.map((Day) => ({ Day, StartTime: { Hours: 0, Minutes: 0 }, EndTime: { Hours: 0, Minutes: 0 } })) }));
    ok(/^[0-9a-f-]{36}$/.test(out.HoursOfOperationId), `HoursOfOperationId ${out.HoursOfOperationId}`);
    return out.HoursOfOperationId;
  });
  if (!hours) return undefined;
  const queue = await check("CreateQueue", "a queue on the all-day hours", async () => {
    const out = await send(new CreateQueueCommand({ InstanceId: instance, Name: "Compat routed", HoursOfOperationId: hours }));
    ok(out.QueueArn.endsWith(`/queue/${out.QueueId}`), `QueueArn ${out.QueueArn}`);
    return out.QueueId;
  });
  if (!queue) return undefined;
  const profile = await check("CreateRoutingProfile", "TASK 1 and CHAT 2, ROUTE_ANY_CHANNEL, serving the queue on both", async () => {
    const out = await send(new CreateRoutingProfileCommand({ InstanceId: instance, Name: "Compat routed", Description: "routes the compat queue",
      DefaultOutboundQueueId: queue,
      MediaConcurrencies: [
        { Channel: "TASK", Concurrency: 1, CrossChannelBehavior: { BehaviorType: "ROUTE_ANY_CHANNEL" } },
        { Channel: "CHAT", Concurrency: 2, CrossChannelBehavior: { BehaviorType: "ROUTE_ANY_CHANNEL" } },
      ],
      QueueConfigs: ["TASK", "CHAT"].map((Channel) => ({ QueueReference: { QueueId: queue, Channel }, Priority: 1, Delay: 0 })) }));
    ok(out.RoutingProfileArn.endsWith(`/routing-profile/${out.RoutingProfileId}`), `RoutingProfileArn ${out.RoutingProfileArn}`);
    return out.RoutingProfileId;
  });
  const flow = await check("CreateContactFlow", "a flow that sets the target queue and transfers to it", async () =>
    (await send(new CreateContactFlowCommand({ InstanceId: instance, Name: "Compat to queue", Type: "CONTACT_FLOW", Content: toQueue(queue) }))).ContactFlowId);
  if (!profile || !flow) return undefined;
  const agent = await check("CreateUser", "an agent on the profile: AutoAccept on and AfterContactWorkTimeLimit 0 for TASK and CHAT", async () => {
    const out = await send(new CreateUserCommand({ InstanceId: instance, Username: "rita.router", Password: "Str0ngPassw0rd",
      IdentityInfo: { FirstName: "Rita", LastName: "Router" }, SecurityProfileIds: [sp.Agent], RoutingProfileId: profile,
      AutoAcceptConfigs: [{ Channel: "TASK", AutoAccept: true }, { Channel: "CHAT", AutoAccept: true }],
      AfterContactWorkConfigs: ["TASK", "CHAT"].map((Channel) => ({ Channel, AfterContactWorkConfig: { AfterContactWorkTimeLimit: 0 } })) }));
    ok(/^[0-9a-f-]{36}$/.test(out.UserId), `UserId ${out.UserId}`);
    return out.UserId;
  });
  if (!agent) return undefined;
  const routable = await check("ListAgentStatuses", "one ENABLED ROUTABLE status (Available)", async () => {
    const out = await send(new ListAgentStatusesCommand({ InstanceId: instance, AgentStatusTypes: ["ROUTABLE"] }));
    eq("ROUTABLE statuses", out.AgentStatusSummaryList.map((s) => [s.Name, s.Type]), [["Available", "ROUTABLE"]]);
    return out.AgentStatusSummaryList[0].Id;
  });
  if (!routable) return agent;
  const available = await check("PutUserStatus", "the agent becomes Available", () =>
    send(new PutUserStatusCommand({ InstanceId: instance, UserId: agent, AgentStatusId: routable })));
  if (!available) return agent;

  const describe = async (id) => (await send(new DescribeContactCommand({ InstanceId: instance, ContactId: id }))).Contact;
  const agentData = async () => {
    const out = await send(new GetCurrentUserDataCommand({ InstanceId: instance, Filters: { Agents: [agent] } }));
    eq("ApproximateTotalCount", out.ApproximateTotalCount, 1);
    eq("user", out.UserDataList[0].User.Id, agent);
    return out.UserDataList[0];
  };
  const task = await check("StartTaskContact", "a task on the flow that transfers to the queue", async () => {
    const out = await send(new StartTaskContactCommand({ InstanceId: instance, ContactFlowId: flow, Name: "Compat routed task" }));
    ok(/^[0-9a-f-]{36}$/.test(out.ContactId), `ContactId ${out.ContactId}`);
    return out.ContactId;
  });
  if (!task) return agent;
  await check("DescribeContact", "the task is queued and auto-accepted: AgentInfo.Id, QueueInfo.Id and their Date timestamps, no DisconnectTimestamp", async () => {
    const c = await describe(task);
    eq("agent, queue", [c.AgentInfo?.Id, c.QueueInfo?.Id], [agent, queue]);
    recent("QueueInfo.EnqueueTimestamp", c.QueueInfo.EnqueueTimestamp);
    recent("AgentInfo.ConnectedToAgentTimestamp", c.AgentInfo.ConnectedToAgentTimestamp);
    ok(c.QueueInfo.EnqueueTimestamp <= c.AgentInfo.ConnectedToAgentTimestamp, "connected before it was queued");
    eq("DisconnectTimestamp", c.DisconnectTimestamp, undefined);
    eq("DisconnectReason", c.DisconnectReason, undefined);
  });
  await check("GetCurrentUserData", "the agent holds the task CONNECTED; ActiveSlotsByChannel.TASK 1", async () => {
    const d = await agentData();
    eq("status", d.Status.StatusName, "Available");
    eq("contacts", d.Contacts.map((x) => [x.ContactId, x.Channel, x.AgentContactState, x.Queue?.Id]), [[task, "TASK", "CONNECTED", queue]]);
    recent("Contacts[0].ConnectedToAgentTimestamp", d.Contacts[0].ConnectedToAgentTimestamp);
    recent("Contacts[0].StateStartTimestamp", d.Contacts[0].StateStartTimestamp);
    ok(typeof d.ActiveSlotsByChannel.TASK === "number", `ActiveSlotsByChannel.TASK is ${typeof d.ActiveSlotsByChannel.TASK}`);
    eq("ActiveSlotsByChannel.TASK", d.ActiveSlotsByChannel.TASK, 1);
  });
  const chat = await check("StartChatContact", "a chat on the flow that transfers to the queue", async () => {
    const out = await send(new StartChatContactCommand({ InstanceId: instance, ContactFlowId: flow, ParticipantDetails: { DisplayName: "Compat routed" } }));
    ok(out.ContactId && out.ParticipantId && out.ParticipantToken, JSON.stringify(out));
    return out.ContactId;
  });
  if (chat) {
    await check("DescribeContact", "the chat goes to the same agent beside the task (ROUTE_ANY_CHANNEL)", async () => {
      const c = await describe(chat);
      eq("channel, agent, queue", [c.Channel, c.AgentInfo?.Id, c.QueueInfo?.Id], ["CHAT", agent, queue]);
      recent("AgentInfo.ConnectedToAgentTimestamp", c.AgentInfo.ConnectedToAgentTimestamp);
      eq("DisconnectTimestamp", c.DisconnectTimestamp, undefined);
    });
  }
  if (chat) await transfersAndMetrics({ agent, queue, hours, profile, flow, sp, task, chat, describe });
  await check("StopContact", "the connected task is stopped", () => send(new StopContactCommand({ InstanceId: instance, ContactId: task })));
  await check("DescribeContact", "the stopped task: DisconnectReason API, DisconnectTimestamp and AfterContactWorkStartTimestamp Dates", async () => {
    const c = await describe(task);
    eq("DisconnectReason, agent", [c.DisconnectReason, c.AgentInfo?.Id], ["API", agent]);
    recent("DisconnectTimestamp", c.DisconnectTimestamp);
    recent("AgentInfo.AfterContactWorkStartTimestamp", c.AgentInfo.AfterContactWorkStartTimestamp);
    ok(c.AgentInfo.ConnectedToAgentTimestamp <= c.DisconnectTimestamp, "disconnected before it connected");
  });
  await check("GetCurrentUserData", "the stopped task is ENDED (after contact work, limit 0), the chat still CONNECTED", async () => {
    const d = await agentData();
    const states = Object.fromEntries(d.Contacts.map((x) => [x.ContactId, [x.Channel, x.AgentContactState]]));
    eq("contacts", states, chat ? { [task]: ["TASK", "ENDED"], [chat]: ["CHAT", "CONNECTED"] } : { [task]: ["TASK", "ENDED"] });
    eq("ActiveSlotsByChannel.TASK", d.ActiveSlotsByChannel.TASK, 1);
  });
  if (chat) {
    await check("StopContact", "the connected chat is stopped", () => send(new StopContactCommand({ InstanceId: instance, ContactId: chat })));
    await check("DescribeContact", "the stopped chat has a DisconnectTimestamp Date", async () => {
      const c = await describe(chat);
      recent("DisconnectTimestamp", c.DisconnectTimestamp);
      eq("agent", c.AgentInfo?.Id, agent);
    });
  }
  return agent;
}

// extraUsers are the users created besides routedContacts' agent (they count
// towards the instance's users).
const extraUsers = [];

// transfersAndMetrics runs while the routed task and chat are both CONNECTED
// to the agent: GetCurrentMetricData for the routing queue, then a second
// agent on the same routing profile takes a fresh task (the first agent's TASK
// slot is full), which TransferContact moves to a second queue through a flow
// that transfers to the target queue the transfer sets.
async function transfersAndMetrics({ agent, queue, hours, profile, flow, sp, task, chat, describe }) {
  await check("GetCurrentMetricData", "the queue on TASK and CHAT: AGENTS_ONLINE 1, CONTACTS_IN_QUEUE 0, SLOTS_ACTIVE 2 (task and chat connected)", async () => {
    const out = await send(new GetCurrentMetricDataCommand({ InstanceId: instance,
      Filters: { Queues: [queue], Channels: ["TASK", "CHAT"] }, Groupings: ["QUEUE"],
      CurrentMetrics: [{ Name: "AGENTS_ONLINE", Unit: "COUNT" }, { Name: "CONTACTS_IN_QUEUE", Unit: "COUNT" }, { Name: "SLOTS_ACTIVE", Unit: "COUNT" }] }));
    eq("MetricResults length", out.MetricResults.length, 1);
    const r = out.MetricResults[0];
    eq("Dimensions.Queue.Id", r.Dimensions?.Queue?.Id, queue);
    eq("Collections", r.Collections.map((c) => [c.Metric.Name, c.Metric.Unit]), [["AGENTS_ONLINE", "COUNT"], ["CONTACTS_IN_QUEUE", "COUNT"], ["SLOTS_ACTIVE", "COUNT"]]);
    for (const c of r.Collections) ok(typeof c.Value === "number", `${c.Metric.Name} Value is ${typeof c.Value} ${c.Value}`);
    eq("Values", r.Collections.map((c) => c.Value), [1, 0, 2]);
    recent("DataSnapshotTime", out.DataSnapshotTime);
    ok(typeof out.ApproximateTotalCount === "number", `ApproximateTotalCount is ${typeof out.ApproximateTotalCount}`);
    eq("ApproximateTotalCount", out.ApproximateTotalCount, 1);
  });
  await expectError("GetCurrentMetricData", "OLDEST_CONTACT_AGE with Unit COUNT is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new GetCurrentMetricDataCommand({ InstanceId: instance, Filters: { Queues: [queue] }, CurrentMetrics: [{ Name: "OLDEST_CONTACT_AGE", Unit: "COUNT" }] })));

  const queue2 = await check("CreateQueue", "a second queue on the same hours, for transfers", async () => {
    const out = await send(new CreateQueueCommand({ InstanceId: instance, Name: "Compat transfer queue", HoursOfOperationId: hours }));
    ok(out.QueueArn.endsWith(`/queue/${out.QueueId}`), `QueueArn ${out.QueueArn}`);
    return out.QueueId;
  });
  const xferFlow = await check("CreateContactFlow", "a flow that transfers to the target queue the transfer sets", async () =>
    (await send(new CreateContactFlowCommand({ InstanceId: instance, Name: "Compat transfer", Type: "CONTACT_FLOW", Content: TRANSFER_ONLY }))).ContactFlowId);
  const second = await check("CreateUser", "a second auto-accepting agent on the same routing profile", async () => {
    const out = await send(new CreateUserCommand({ InstanceId: instance, Username: "tom.transfer", Password: "Str0ngPassw0rd",
      IdentityInfo: { FirstName: "Tom", LastName: "Transfer" }, SecurityProfileIds: [sp.Agent], RoutingProfileId: profile,
      AutoAcceptConfigs: [{ Channel: "TASK", AutoAccept: true }, { Channel: "CHAT", AutoAccept: true }],
      AfterContactWorkConfigs: ["TASK", "CHAT"].map((Channel) => ({ Channel, AfterContactWorkConfig: { AfterContactWorkTimeLimit: 0 } })) }));
    ok(/^[0-9a-f-]{36}$/.test(out.UserId), `UserId ${out.UserId}`);
    extraUsers.push(out.UserId);
    return out.UserId;
  });
  if (queue2 && xferFlow && second) {
    await check("PutUserStatus", "the second agent becomes Available", async () => {
      const routable = (await send(new ListAgentStatusesCommand({ InstanceId: instance, AgentStatusTypes: ["ROUTABLE"] }))).AgentStatusSummaryList[0].Id;
      await send(new PutUserStatusCommand({ InstanceId: instance, UserId: second, AgentStatusId: routable }));
    });
    const moved = await check("StartTaskContact", "a fresh task goes to the second agent (the first one's TASK slot is full)", async () => {
      const { ContactId: id } = await send(new StartTaskContactCommand({ InstanceId: instance, ContactFlowId: flow, Name: "Compat transferred task" }));
      const c = await describe(id);
      eq("agent, queue", [c.AgentInfo?.Id, c.QueueInfo?.Id], [second, queue]);
      recent("AgentInfo.ConnectedToAgentTimestamp", c.AgentInfo.ConnectedToAgentTimestamp);
      return id;
    });
    if (moved) {
      const next = await check("TransferContact", "the connected task to the second queue: a new ContactId and its ContactArn", async () => {
        const out = await send(new TransferContactCommand({ InstanceId: instance, ContactId: moved, QueueId: queue2, ContactFlowId: xferFlow }));
        ok(/^[0-9a-f-]{36}$/.test(out.ContactId), `ContactId ${out.ContactId}`);
        ok(out.ContactId !== moved, "the same ContactId as the transferred contact");
        ok(typeof out.ContactArn === "string" && out.ContactArn.endsWith(`/contact/${out.ContactId}`), `ContactArn ${out.ContactArn}`);
        return out.ContactId;
      });
      if (next) {
        await check("DescribeContact", "the transferred contact: InitiationMethod TRANSFER, PreviousContactId the original, QueueInfo.Id the second queue", async () => {
          const c = await describe(next);
          eq("InitiationMethod, PreviousContactId, Channel", [c.InitiationMethod, c.PreviousContactId, c.Channel], ["TRANSFER", moved, "TASK"]);
          eq("QueueInfo.Id", c.QueueInfo?.Id, queue2);
          recent("QueueInfo.EnqueueTimestamp", c.QueueInfo.EnqueueTimestamp);
        });
        await check("DescribeContact", "the original task has ended: a DisconnectTimestamp Date", async () => {
          const c = await describe(moved);
          recent("DisconnectTimestamp", c.DisconnectTimestamp);
        });
        await searchAndContactMetrics({ task, waiting: next });
        await historicalMetrics({ queue });
      }
    }
  }
  await expectError("TransferContact", "a chat is InvalidRequestException", InvalidRequestException, 400, () =>
    send(new TransferContactCommand({ InstanceId: instance, ContactId: chat, QueueId: queue2 || queue, ContactFlowId: xferFlow || flow })));
}

// searchAndContactMetrics runs while the routed task is CONNECTED to the
// first agent and the transferred task (waiting) waits in the second queue,
// which no routing profile serves: SearchContacts over the last hour's tasks,
// page by page, and GetContactMetrics for the waiting task and the connected
// one (docs/BEHAVIOUR.md, "Contact search" and "Contact metrics").
async function searchAndContactMetrics({ task, waiting }) {
  const now = Date.now();
  const lastHour = { Type: "INITIATION_TIMESTAMP", StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000) };
  const tasks = { InstanceId: instance, TimeRange: lastHour, SearchCriteria: { Channels: ["TASK"] } };
  await check("SearchContacts", "INITIATION_TIMESTAMP over the last hour, Channels [TASK]: the routed task, TASK by API, its contact ARN; TotalCount >= Contacts", async () => {
    const out = await send(new SearchContactsCommand(tasks));
    ok(Array.isArray(out.Contacts), `Contacts ${JSON.stringify(out.Contacts)}`);
    const c = out.Contacts.find((x) => x.Id === task);
    ok(c, `task ${task} not among ${JSON.stringify(out.Contacts.map((x) => x.Id))}`);
    eq("Channel, InitiationMethod", [c.Channel, c.InitiationMethod], ["TASK", "API"]);
    ok(typeof c.Arn === "string" && c.Arn.startsWith("arn:aws:connect:") && c.Arn.endsWith(`/contact/${task}`), `Arn ${c.Arn}`);
    recent("InitiationTimestamp", c.InitiationTimestamp);
    for (const x of out.Contacts) ok(x.Channel === "TASK", `contact ${x.Id} on channel ${x.Channel}`);
    ok(typeof out.TotalCount === "number", `TotalCount is ${typeof out.TotalCount} ${out.TotalCount}`);
    ok(out.TotalCount >= out.Contacts.length, `TotalCount ${out.TotalCount} < ${out.Contacts.length} Contacts`);
  });
  await check("SearchContacts", "MaxResults 1: one contact and a NextToken; the NextToken's page a different contact", async () => {
    const first = await send(new SearchContactsCommand({ ...tasks, MaxResults: 1 }));
    ok(first.TotalCount > 1, `TotalCount ${first.TotalCount}: want more than one task (the routed, transferred and stopped ones)`);
    eq("first page size", first.Contacts.length, 1);
    ok(typeof first.NextToken === "string" && first.NextToken !== "", `NextToken ${first.NextToken}`);
    const second = await send(new SearchContactsCommand({ ...tasks, MaxResults: 1, NextToken: first.NextToken }));
    eq("second page size", second.Contacts.length, 1);
    ok(second.Contacts[0].Id !== first.Contacts[0].Id, `the same contact ${first.Contacts[0].Id} on both pages`);
    eq("TotalCount on the second page", second.TotalCount, first.TotalCount);
  });
  await check("SearchContacts", "paginateSearchContacts with pageSize 1 walks TotalCount contacts once each, newest first", async () => {
    const seen = [], times = [];
    let pages = 0, total;
    for await (const page of paginateSearchContacts({ client, pageSize: 1 }, tasks)) {
      pages++;
      total ??= page.TotalCount;
      eq("TotalCount", page.TotalCount, total);
      for (const x of page.Contacts) { seen.push(x.Id); times.push(x.InitiationTimestamp.getTime()); }
    }
    eq("contacts", seen.length, total);
    eq("pages", pages, total);
    eq("distinct contacts", new Set(seen).size, seen.length);
    ok(seen.includes(task) && seen.includes(waiting), `routed ${task} or waiting ${waiting} task missing from ${JSON.stringify(seen)}`);
    ok(times.every((t, i) => i === 0 || times[i - 1] >= t), `not newest first: ${JSON.stringify(times)}`);
  });
  await expectError("SearchContacts", "EndTime before StartTime is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new SearchContactsCommand({ ...tasks, TimeRange: { ...lastHour, StartTime: lastHour.EndTime, EndTime: lastHour.StartTime } })));
  await check("SearchContacts", "a ContactAnalysis criterion: no contact was analyzed, so none is found (Contacts [], TotalCount 0)", async () => {
    const out = await send(new SearchContactsCommand({ ...tasks, SearchCriteria: { ContactAnalysis: { Transcript: { Criteria: [{ ParticipantRole: "CUSTOMER", SearchText: ["refund"], MatchType: "MATCH_ALL" }] } } } }));
    ok(Array.isArray(out.Contacts) && out.Contacts.length === 0, `Contacts ${JSON.stringify(out.Contacts)}`);
    eq("TotalCount", out.TotalCount, 0);
  });

  await check("GetContactMetrics", "POSITION_IN_QUEUE of the task waiting alone in the unserved second queue: Number 1, its Id and Arn", async () => {
    const out = await send(new GetContactMetricsCommand({ InstanceId: instance, ContactId: waiting, Metrics: [{ Name: "POSITION_IN_QUEUE" }] }));
    eq("Id", out.Id, waiting);
    ok(typeof out.Arn === "string" && out.Arn.startsWith("arn:aws:connect:") && out.Arn.endsWith(`/contact/${waiting}`), `Arn ${out.Arn}`);
    ok(typeof out.MetricResults?.[0]?.Value?.Number === "number", `Value ${JSON.stringify(out.MetricResults?.[0]?.Value)}`);
    eq("MetricResults", out.MetricResults, [{ Name: "POSITION_IN_QUEUE", Value: { Number: 1 } }]);
  });
  await expectError("GetContactMetrics", "a task connected to an agent (not waiting) is InvalidRequestException", InvalidRequestException, 400, () =>
    send(new GetContactMetricsCommand({ InstanceId: instance, ContactId: task, Metrics: [{ Name: "POSITION_IN_QUEUE" }] })));
}

// historicalMetrics runs after searchAndContactMetrics, over what the routing
// queue has seen: two tasks through the flow that transfers to it (the routed
// one, still CONNECTED to the first agent, and the one the second agent took
// before TransferContact moved it to the second queue) and one chat, each
// answered by an auto-accepting agent at once. The transferred contact entered
// the second queue and so counts for that one, not for this. GetMetricDataV2
// over the last hour (docs/BEHAVIOUR.md, "Historical metrics
// (GetMetricDataV2)"; definitions in docs/METRICS.md).
async function historicalMetrics({ queue }) {
  // EndTime must not be in the future (the server's clock): every contact
  // event counted here happened before this function began, so waiting a
  // little over a second lets EndTime = now - 1s still include them.
  const began = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const end = Math.max(Date.now() - 1000, began + 100);
  const range = { StartTime: new Date(end - 3_600_000), EndTime: new Date(end) };
  const base = { ResourceArn: instanceArn, ...range, Filters: [{ FilterKey: "QUEUE", FilterValues: [queue] }] };
  const counts = [{ Name: "CONTACTS_CREATED" }, { Name: "CONTACTS_QUEUED" }, { Name: "AVG_QUEUE_ANSWER_TIME" }];
  // collections checks a result's Collections echo the requested metrics, in
  // order, and answers their Values by metric name.
  const collections = (r, metrics) => {
    ok(Array.isArray(r.Collections), `Collections ${JSON.stringify(r.Collections)}`);
    eq("Collections' Metric", r.Collections.map((c) => c.Metric), metrics);
    return Object.fromEntries(r.Collections.map((c) => [c.Metric.Name, c.Value]));
  };
  const num = (what, v) => ok(typeof v === "number" && Number.isFinite(v), `${what} is ${typeof v} ${v}, want a number`);

  await check("GetMetricDataV2", "last hour, QUEUE filter, grouped by QUEUE and CHANNEL: CHAT and TASK rows naming the queue; TASK CONTACTS_CREATED 2, CONTACTS_QUEUED 2, AVG_QUEUE_ANSWER_TIME a number under 60; each Collection echoes its Metric", async () => {
    const out = await send(new GetMetricDataV2Command({ ...base, Groupings: ["QUEUE", "CHANNEL"], Metrics: counts }));
    ok(Array.isArray(out.MetricResults), `MetricResults ${JSON.stringify(out.MetricResults)}`);
    eq("rows (QUEUE, CHANNEL)", out.MetricResults.map((r) => [r.Dimensions?.QUEUE, r.Dimensions?.CHANNEL]), [[queue, "CHAT"], [queue, "TASK"]]);
    eq("NextToken", out.NextToken, undefined);
    const byChannel = {};
    for (const r of out.MetricResults) {
      eq("MetricInterval without an Interval", r.MetricInterval, undefined);
      byChannel[r.Dimensions.CHANNEL] = collections(r, counts);
    }
    const t = byChannel.TASK, c = byChannel.CHAT;
    for (const [ch, v] of [["TASK", t], ["CHAT", c]]) for (const m of counts) num(`${ch} ${m.Name}`, v[m.Name]);
    ok(t.CONTACTS_CREATED >= 1, `TASK CONTACTS_CREATED ${t.CONTACTS_CREATED}, want >= 1`);
    eq("TASK CONTACTS_CREATED, CONTACTS_QUEUED (the routed and the transferred task)", [t.CONTACTS_CREATED, t.CONTACTS_QUEUED], [2, 2]);
    eq("CHAT CONTACTS_CREATED, CONTACTS_QUEUED (the routed chat)", [c.CONTACTS_CREATED, c.CONTACTS_QUEUED], [1, 1]);
    for (const [ch, v] of [["TASK", t], ["CHAT", c]]) {
      ok(v.AVG_QUEUE_ANSWER_TIME >= 0 && v.AVG_QUEUE_ANSWER_TIME < 60, `${ch} AVG_QUEUE_ANSWER_TIME ${v.AVG_QUEUE_ANSWER_TIME}, want seconds in [0, 60) (auto-accepted at once)`);
    }
  });
  await check("GetMetricDataV2", "Interval HOUR (UTC): each row's MetricInterval is HOUR, on hour boundaries clipped to the range; per channel the hours add up to the totals", async () => {
    const out = await send(new GetMetricDataV2Command({ ...base, Groupings: ["QUEUE", "CHANNEL"], Metrics: counts, Interval: { IntervalPeriod: "HOUR", TimeZone: "UTC" } }));
    ok(out.MetricResults.length >= 2, `${out.MetricResults.length} rows, want at least CHAT and TASK`);
    const sums = {};
    for (const r of out.MetricResults) {
      eq("QUEUE", r.Dimensions?.QUEUE, queue);
      const mi = r.MetricInterval;
      ok(mi, `no MetricInterval in ${JSON.stringify(r)}`);
      eq("MetricInterval.Interval", mi.Interval, "HOUR");
      ok(mi.StartTime instanceof Date && mi.EndTime instanceof Date, `MetricInterval times ${JSON.stringify(mi)}, want Dates`);
      const s = mi.StartTime.getTime(), e = mi.EndTime.getTime();
      ok(s >= range.StartTime.getTime() && e <= range.EndTime.getTime() && s < e,
        `MetricInterval ${mi.StartTime.toISOString()}..${mi.EndTime.toISOString()} not inside ${range.StartTime.toISOString()}..${range.EndTime.toISOString()}`);
      ok(s === range.StartTime.getTime() || s % 3_600_000 === 0, `MetricInterval.StartTime ${mi.StartTime.toISOString()} neither the range's start nor on the hour`);
      ok(e === range.EndTime.getTime() || e % 3_600_000 === 0, `MetricInterval.EndTime ${mi.EndTime.toISOString()} neither the range's end nor on the hour`);
      ok(e - s <= 3_600_000, `MetricInterval longer than an hour: ${e - s} ms`);
      const v = collections(r, counts);
      const sum = (sums[r.Dimensions.CHANNEL] ??= [0, 0]);
      sum[0] += v.CONTACTS_CREATED; sum[1] += v.CONTACTS_QUEUED;
    }
    eq("CONTACTS_CREATED, CONTACTS_QUEUED added up per channel", sums, { CHAT: [1, 1], TASK: [2, 2] });
  });
  const level = { Name: "SERVICE_LEVEL", Threshold: [{ Comparison: "LT", ThresholdValue: 60 }] };
  await check("GetMetricDataV2", "SERVICE_LEVEL (Threshold LT 60) grouped by QUEUE: 100 (the two tasks and the chat left the queue answered at once), the Threshold echoed", async () => {
    const out = await send(new GetMetricDataV2Command({ ...base, Groupings: ["QUEUE"], Metrics: [level] }));
    eq("rows (QUEUE)", out.MetricResults.map((r) => r.Dimensions?.QUEUE), [queue]);
    const v = collections(out.MetricResults[0], [level]);
    num("SERVICE_LEVEL", v.SERVICE_LEVEL);
    ok(v.SERVICE_LEVEL >= 0 && v.SERVICE_LEVEL <= 100, `SERVICE_LEVEL ${v.SERVICE_LEVEL}, want a percentage`);
    eq("SERVICE_LEVEL", v.SERVICE_LEVEL, 100);
  });
  await expectError("GetMetricDataV2", "AGENT_NON_RESPONSE (not computed) is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new GetMetricDataV2Command({ ...base, Groupings: ["QUEUE"], Metrics: [{ Name: "AGENT_NON_RESPONSE" }] })));
  await expectError("GetMetricDataV2", "SERVICE_LEVEL without a Threshold is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new GetMetricDataV2Command({ ...base, Groupings: ["QUEUE"], Metrics: [{ Name: "SERVICE_LEVEL" }] })));
}

// TRANSFER_ONLY transfers the contact to its target queue (the one the
// transfer set) and hangs up.
const TRANSFER_ONLY = '{"Version":"2019-10-30","StartAction":"xfer","Actions":[{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}';

async function main() {
  console.error(`# ${CLIENT} @aws-sdk/client-connect ${sdkVersion} against ${config.endpoint || "the SDK's default endpoint"} (${region})`);

  // ---- Instance and its default resources.
  const created = await check("CreateInstance", "CONNECT_MANAGED instance with alias", async () => {
    const out = await send(new CreateInstanceCommand({ IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: alias, InboundCallsEnabled: true, OutboundCallsEnabled: true }));
    ok(/^[0-9a-f-]{36}$/.test(out.Id), `Id ${out.Id}`);
    ok(out.Arn === `arn:aws:connect:${region}:${out.Arn.split(":")[4]}:instance/${out.Id}`, `Arn ${out.Arn}`);
    return out;
  });
  if (!created) return;
  instance = created.Id;
  instanceArn = created.Arn;

  await check("DescribeInstance", "ACTIVE with a CreatedTime Date", async () => {
    const { Instance: i } = await send(new DescribeInstanceCommand({ InstanceId: instance }));
    eq("Instance", { Id: i.Id, InstanceAlias: i.InstanceAlias, IdentityManagementType: i.IdentityManagementType, InboundCallsEnabled: i.InboundCallsEnabled, OutboundCallsEnabled: i.OutboundCallsEnabled },
      { Id: instance, InstanceAlias: alias, IdentityManagementType: "CONNECT_MANAGED", InboundCallsEnabled: true, OutboundCallsEnabled: true });
    ok(["ACTIVE", "CREATION_IN_PROGRESS"].includes(i.InstanceStatus), `InstanceStatus ${i.InstanceStatus}`);
    recent("CreatedTime", i.CreatedTime);
  });
  await check("ListInstances", "paginateListInstances finds the instance", async () => {
    let found = false;
    for await (const page of paginateListInstances({ client, pageSize: 1 }, {})) {
      for (const s of page.InstanceSummaryList ?? []) if (s.Id === instance) { found = true; recent("CreatedTime", s.CreatedTime); }
    }
    ok(found, "instance not listed");
  });

  // ---- Empty answers carry their empty lists and maps, as Connect's do, so
  // that code calling .map or Object.keys on them works (docs/BEHAVIOUR.md,
  // Always-sent members).
  await check("ListInstances", "a region without instances answers InstanceSummaryList []", async () => {
    const other = new ConnectClient({ ...config, region: emptyRegion });
    const out = await other.send(new ListInstancesCommand({}));
    ok(Array.isArray(out.InstanceSummaryList) && out.InstanceSummaryList.map((s) => s.Id).length === 0, `InstanceSummaryList ${JSON.stringify(out.InstanceSummaryList)}`);
  });
  await check("ListTagsForResource", "an untagged instance answers tags {}", async () => {
    const out = await send(new ListTagsForResourceCommand({ resourceArn: created.Arn }));
    ok(out.tags && typeof out.tags === "object" && Object.keys(out.tags).length === 0, `tags ${JSON.stringify(out.tags)}`);
  });
  await check("DescribeInstance", "an untagged instance has Tags {}", async () => {
    const { Instance: i } = await send(new DescribeInstanceCommand({ InstanceId: instance }));
    ok(i.Tags && Object.keys(i.Tags).length === 0, `Tags ${JSON.stringify(i.Tags)}`);
  });
  await check("ListUsers", "an instance without users answers UserSummaryList []", async () => {
    const out = await send(new ListUsersCommand({ InstanceId: instance }));
    ok(Array.isArray(out.UserSummaryList) && out.UserSummaryList.length === 0, `UserSummaryList ${JSON.stringify(out.UserSummaryList)}`);
  });
  await check("SearchUsers", "no match answers Users [] and ApproximateTotalCount 0", async () => {
    const out = await send(new SearchUsersCommand({ InstanceId: instance, SearchCriteria: { StringCondition: { FieldName: "Username", ComparisonType: "EXACT", Value: "nobody" } } }));
    ok(Array.isArray(out.Users) && out.Users.map((u) => u.Id).length === 0 && out.ApproximateTotalCount === 0, `Users ${JSON.stringify(out.Users)}, ApproximateTotalCount ${out.ApproximateTotalCount}`);
  });

  await expectError("CreateInstance", "duplicate alias is InvalidRequestException", InvalidRequestException, 400, () =>
    send(new CreateInstanceCommand({ IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: alias, InboundCallsEnabled: true, OutboundCallsEnabled: true })));
  await expectError("DescribeInstance", "unknown instance is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new DescribeInstanceCommand({ InstanceId: "00000000-0000-0000-0000-000000000000" })));

  const sp = {};
  await check("ListSecurityProfiles", "default profiles Admin and Agent", async () => {
    const out = await send(new ListSecurityProfilesCommand({ InstanceId: instance }));
    for (const s of out.SecurityProfileSummaryList) sp[s.Name] = s.Id;
    ok(sp.Admin && sp.Agent, `profiles ${Object.keys(sp)}`);
  });
  let routing;
  await check("ListRoutingProfiles", "Basic Routing Profile exists", async () => {
    const out = await send(new ListRoutingProfilesCommand({ InstanceId: instance }));
    routing = out.RoutingProfileSummaryList.find((r) => r.Name === "Basic Routing Profile")?.Id;
    ok(routing, "no Basic Routing Profile");
  });
  await check("ListQueues", "BasicQueue is a STANDARD queue", async () => {
    const out = await send(new ListQueuesCommand({ InstanceId: instance, QueueTypes: ["STANDARD"] }));
    ok(out.QueueSummaryList.some((q) => q.Name === "BasicQueue" && q.QueueType === "STANDARD"), JSON.stringify(out.QueueSummaryList));
  });
  await check("ListHoursOfOperations", "Basic Hours exists", async () => {
    const out = await send(new ListHoursOfOperationsCommand({ InstanceId: instance }));
    ok(out.HoursOfOperationSummaryList.some((h) => h.Name === "Basic Hours"), JSON.stringify(out.HoursOfOperationSummaryList));
  });

  // ---- Hierarchy.
  await check("UpdateUserHierarchyStructure", "two levels", () =>
    send(new UpdateUserHierarchyStructureCommand({ InstanceId: instance, HierarchyStructure: { LevelOne: { Name: "Region" }, LevelTwo: { Name: "Team" } } })));
  await check("DescribeUserHierarchyStructure", "levels read back", async () => {
    const { HierarchyStructure: h } = await send(new DescribeUserHierarchyStructureCommand({ InstanceId: instance }));
    eq("names", [h.LevelOne?.Name, h.LevelTwo?.Name, h.LevelThree], ["Region", "Team", undefined]);
    ok(h.LevelOne.Arn.endsWith("/agent-group-level/1"), `LevelOne.Arn ${h.LevelOne.Arn}`);
  });
  const emea = await check("CreateUserHierarchyGroup", "top-level group", async () =>
    (await send(new CreateUserHierarchyGroupCommand({ InstanceId: instance, Name: "EMEA" }))).HierarchyGroupId);
  const team = await check("CreateUserHierarchyGroup", "child group with tags", async () =>
    (await send(new CreateUserHierarchyGroupCommand({ InstanceId: instance, Name: "EMEA Sales", ParentGroupId: emea, Tags: { unit: "sales" } }))).HierarchyGroupId);
  await check("DescribeUserHierarchyGroup", "HierarchyPath includes the group itself", async () => {
    const { HierarchyGroup: g } = await send(new DescribeUserHierarchyGroupCommand({ InstanceId: instance, HierarchyGroupId: team }));
    eq("path", [g.HierarchyPath.LevelOne?.Name, g.HierarchyPath.LevelTwo?.Name], ["EMEA", "EMEA Sales"]);
    eq("LevelId", g.LevelId, "2");
    eq("Tags", g.Tags, { unit: "sales" });
  });
  await expectError("CreateUserHierarchyGroup", "duplicate group name is DuplicateResourceException", DuplicateResourceException, 409, () =>
    send(new CreateUserHierarchyGroupCommand({ InstanceId: instance, Name: "EMEA" })));

  // ---- The seed's example: every member of CreateUserRequest, filled with
  // realistic values that do not conflict. PhoneConfig's members each conflict
  // with one channel list, so the seed is sent twice: A fills PhoneConfig's
  // phone members and three lists, B the other PhoneConfig members and
  // PhoneNumberConfigs. Together they send every member of the seed's input.
  const seedA = {
    Username: "mary.major",
    Password: "Str0ngPassw0rd!",
    IdentityInfo: { FirstName: "Mary", LastName: "Major", Email: "mary.major@example.com", SecondaryEmail: "mary@example.org", Mobile: "+12065550100" },
    PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: "+12065550199" },
    DirectoryUserId: "dir-user-1",
    SecurityProfileIds: [sp.Agent, sp.Admin],
    RoutingProfileId: routing,
    HierarchyGroupId: team,
    InstanceId: instance,
    AutoAcceptConfigs: [
      { Channel: "VOICE", AutoAccept: true, AgentFirstCallbackAutoAccept: true },
      { Channel: "CHAT", AutoAccept: false },
    ],
    AfterContactWorkConfigs: [
      { Channel: "VOICE", AfterContactWorkConfig: { AfterContactWorkTimeLimit: 30 }, AgentFirstCallbackAfterContactWorkConfig: { AfterContactWorkTimeLimit: 15 } },
      { Channel: "TASK", AfterContactWorkConfig: { AfterContactWorkTimeLimit: 120 } },
    ],
    PersistentConnectionConfigs: [{ Channel: "VOICE", PersistentConnection: true }],
    VoiceEnhancementConfigs: [{ Channel: "VOICE", VoiceEnhancementMode: "NOISE_SUPPRESSION" }],
    Tags: { team: "billing", "cost-center": "42" },
  };
  const a = await check("CreateUser", "seed example A (PhoneConfig phone members + channel lists)", async () => {
    const command = new CreateUserCommand(seedA);
    const response = await client.send(command);
    ok(/^[0-9a-f-]{36}$/.test(response.UserId), `UserId ${response.UserId}`);
    eq("UserArn", response.UserArn, `${created.Arn}/agent/${response.UserId}`);
    ok(response.$metadata.httpStatusCode === 200 && response.$metadata.requestId, `$metadata ${JSON.stringify(response.$metadata)}`);
    return response;
  });
  if (a) {
    const { User: u } = (await check("DescribeUser", "seed example A reads back", () => send(new DescribeUserCommand({ InstanceId: instance, UserId: a.UserId })))) ?? {};
    if (u) {
      const member = (name, fn) => check("DescribeUser", `seed A member ${name}`, fn);
      await member("Id and Arn", () => eq("Id/Arn", [u.Id, u.Arn], [a.UserId, a.UserArn]));
      await member("Username", () => eq("Username", u.Username, "mary.major"));
      await member("IdentityInfo", () => eq("IdentityInfo", u.IdentityInfo, seedA.IdentityInfo));
      await member("PhoneConfig (phone members as sent, the rest the VOICE view)", () =>
        eq("PhoneConfig", u.PhoneConfig, { PhoneType: "DESK_PHONE", DeskPhoneNumber: "+12065550199", AutoAccept: true, AfterContactWorkTimeLimit: 30, PersistentConnection: true }));
      await member("DirectoryUserId", () => eq("DirectoryUserId", u.DirectoryUserId, "dir-user-1"));
      await member("SecurityProfileIds", () => eq("SecurityProfileIds", [...u.SecurityProfileIds].sort(), [...seedA.SecurityProfileIds].sort()));
      await member("RoutingProfileId", () => eq("RoutingProfileId", u.RoutingProfileId, routing));
      await member("HierarchyGroupId", () => eq("HierarchyGroupId", u.HierarchyGroupId, team));
      await member("AutoAcceptConfigs", () => eq("AutoAcceptConfigs", u.AutoAcceptConfigs, seedA.AutoAcceptConfigs));
      await member("AfterContactWorkConfigs", () => eq("AfterContactWorkConfigs", u.AfterContactWorkConfigs, seedA.AfterContactWorkConfigs));
      await member("PhoneNumberConfigs (from PhoneConfig)", () => eq("PhoneNumberConfigs", u.PhoneNumberConfigs, [{ Channel: "VOICE", PhoneType: "DESK_PHONE", PhoneNumber: "+12065550199" }]));
      await member("PersistentConnectionConfigs", () => eq("PersistentConnectionConfigs", u.PersistentConnectionConfigs, seedA.PersistentConnectionConfigs));
      await member("VoiceEnhancementConfigs", () => eq("VoiceEnhancementConfigs", u.VoiceEnhancementConfigs, seedA.VoiceEnhancementConfigs));
      await member("Tags", () => eq("Tags", u.Tags, seedA.Tags));
      await member("LastModifiedTime is a recent Date", () => recent("LastModifiedTime", u.LastModifiedTime));
      await member("LastModifiedRegion", () => eq("LastModifiedRegion", u.LastModifiedRegion, region));
    }
  }

  const seedB = {
    Username: "john.stiles",
    Password: "An0therPassw0rd",
    IdentityInfo: { FirstName: "John", LastName: "Stiles", Email: "john.stiles@example.com", SecondaryEmail: "john@example.org", Mobile: "+442071234567" },
    PhoneConfig: { AutoAccept: true, AfterContactWorkTimeLimit: 45, PersistentConnection: true },
    SecurityProfileIds: [sp.Agent],
    RoutingProfileId: routing,
    HierarchyGroupId: emea,
    InstanceId: instance,
    PhoneNumberConfigs: [{ Channel: "VOICE", PhoneType: "DESK_PHONE", PhoneNumber: "+442071234568" }],
    VoiceEnhancementConfigs: [{ Channel: "VOICE", VoiceEnhancementMode: "VOICE_ISOLATION" }],
    Tags: { team: "support" },
  };
  const b = await check("CreateUser", "seed example B (PhoneConfig toggles + PhoneNumberConfigs)", async () =>
    await send(new CreateUserCommand(seedB)));
  if (b) {
    await check("DescribeUser", "seed example B: PhoneConfig becomes VOICE entries, ACW on every handled channel", async () => {
      const { User: u } = await send(new DescribeUserCommand({ InstanceId: instance, UserId: b.UserId }));
      eq("PhoneConfig", u.PhoneConfig, { PhoneType: "DESK_PHONE", DeskPhoneNumber: "+442071234568", AutoAccept: true, AfterContactWorkTimeLimit: 45, PersistentConnection: true });
      eq("AutoAcceptConfigs", u.AutoAcceptConfigs.map((c) => [c.Channel, c.AutoAccept]), [["VOICE", true]]);
      eq("ACW channels", u.AfterContactWorkConfigs.map((c) => [c.Channel, c.AfterContactWorkConfig.AfterContactWorkTimeLimit]), [["VOICE", 45], ["CHAT", 45], ["TASK", 45]]);
      eq("PersistentConnectionConfigs", u.PersistentConnectionConfigs, [{ Channel: "VOICE", PersistentConnection: true }]);
      eq("PhoneNumberConfigs", u.PhoneNumberConfigs, seedB.PhoneNumberConfigs);
      eq("IdentityInfo", u.IdentityInfo, seedB.IdentityInfo);
    });
  }

  // ---- The seed's conflict rules and declared errors, each as its typed exception.
  const base = (name) => ({ InstanceId: instance, Username: name, Password: "Str0ngPassw0rd", IdentityInfo: { FirstName: "Test", LastName: "User" }, SecurityProfileIds: [sp.Agent], RoutingProfileId: routing });
  const conflicts = [
    ["PhoneConfig.AutoAccept conflicts with AutoAcceptConfigs", { PhoneConfig: { AutoAccept: false }, AutoAcceptConfigs: [{ Channel: "CHAT", AutoAccept: true }] }],
    ["PhoneConfig.AfterContactWorkTimeLimit conflicts with AfterContactWorkConfigs", { PhoneConfig: { AfterContactWorkTimeLimit: 0 }, AfterContactWorkConfigs: [{ Channel: "CHAT", AfterContactWorkConfig: { AfterContactWorkTimeLimit: 5 } }] }],
    ["PhoneConfig.PhoneType conflicts with PhoneNumberConfigs", { PhoneConfig: { PhoneType: "SOFT_PHONE" }, PhoneNumberConfigs: [{ Channel: "VOICE", PhoneType: "SOFT_PHONE" }] }],
    ["PhoneConfig.DeskPhoneNumber conflicts with PhoneNumberConfigs", { PhoneConfig: { DeskPhoneNumber: "+12065550100" }, PhoneNumberConfigs: [{ Channel: "VOICE", PhoneType: "SOFT_PHONE" }] }],
    ["PhoneConfig.PersistentConnection conflicts with PersistentConnectionConfigs", { PhoneConfig: { PersistentConnection: false }, PersistentConnectionConfigs: [{ Channel: "VOICE", PersistentConnection: true }] }],
  ];
  let i = 0;
  for (const [name, extra] of conflicts) {
    await expectError("CreateUser", name, InvalidRequestException, 400, () => send(new CreateUserCommand({ ...base(`conflict${i++}`), ...extra })));
  }
  await expectError("CreateUser", "duplicate username is DuplicateResourceException", DuplicateResourceException, 409, () =>
    send(new CreateUserCommand(base("mary.major"))));
  await expectError("CreateUser", "username with a space is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new CreateUserCommand(base("mary major"))));
  await expectError("CreateUser", "weak password is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new CreateUserCommand({ ...base("weakpass"), Password: "password" })));
  await expectError("CreateUser", "malformed Email is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new CreateUserCommand({ ...base("bademail"), IdentityInfo: { FirstName: "A", LastName: "B", Email: "not-an-email" } })));
  await expectError("CreateUser", "PhoneNumberConfigs on CHAT is InvalidParameterException", InvalidParameterException, 400, () =>
    send(new CreateUserCommand({ ...base("chatphone"), PhoneNumberConfigs: [{ Channel: "CHAT", PhoneType: "SOFT_PHONE" }] })));
  await expectError("CreateUser", "unknown routing profile is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new CreateUserCommand({ ...base("norouting"), RoutingProfileId: "00000000-0000-0000-0000-000000000001" })));
  await expectError("CreateUser", "unknown instance is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new CreateUserCommand({ ...base("noinstance"), InstanceId: "00000000-0000-0000-0000-000000000000" })));

  // A plain soft-phone user with a Terraform-style 43-character name reads
  // back as Connect's answers show one: Tags {}, DeskPhoneNumber "", and a
  // DirectoryUserId it was not given.
  const plain = await check("DescribeUser", "untagged soft-phone user: Tags {}, DeskPhoneNumber \"\", a generated DirectoryUserId", async () => {
    const out = await send(new CreateUserCommand(base("resource-test-terraform-5577006791947779410")));
    const { User: u } = await send(new DescribeUserCommand({ InstanceId: instance, UserId: out.UserId }));
    eq("Username", u.Username, "resource-test-terraform-5577006791947779410");
    ok(u.Tags && Object.keys(u.Tags).length === 0, `Tags ${JSON.stringify(u.Tags)}`);
    eq("PhoneConfig", u.PhoneConfig, { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 0, DeskPhoneNumber: "", PersistentConnection: false });
    ok(/^[0-9a-f-]{36}$/.test(u.DirectoryUserId) && u.DirectoryUserId !== u.Id, `DirectoryUserId ${u.DirectoryUserId}`);
    const again = await send(new DescribeUserCommand({ InstanceId: instance, UserId: out.UserId }));
    eq("DirectoryUserId on a second read", again.User.DirectoryUserId, u.DirectoryUserId);
    const tags = await send(new ListTagsForResourceCommand({ resourceArn: out.UserArn }));
    ok(tags.tags && Object.keys(tags.tags).length === 0, `tags ${JSON.stringify(tags.tags)}`);
    return out;
  });

  await agentStatuses(plain);
  await proficiencies(plain);
  await contactFlows();
  await flowModules();
  await numbersAndIntegrations(created.Arn);
  await contacts(created.Arn);
  const routedAgent = await routedContacts(sp);

  // ---- Updates.
  if (a) {
    await check("UpdateUserIdentityInfo", "names and e-mail change", async () => {
      await send(new UpdateUserIdentityInfoCommand({ InstanceId: instance, UserId: a.UserId, IdentityInfo: { FirstName: "Maria", LastName: "Major", Email: "maria.major@example.com" } }));
      const { User: u } = await send(new DescribeUserCommand({ InstanceId: instance, UserId: a.UserId }));
      eq("names", [u.IdentityInfo.FirstName, u.IdentityInfo.Email], ["Maria", "maria.major@example.com"]);
    });
    await check("UpdateUserPhoneConfig", "explicit false/0 replace the VOICE view", async () => {
      await send(new UpdateUserPhoneConfigCommand({ InstanceId: instance, UserId: a.UserId, PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 0 } }));
      const { User: u } = await send(new DescribeUserCommand({ InstanceId: instance, UserId: a.UserId }));
      eq("PhoneConfig", [u.PhoneConfig.PhoneType, u.PhoneConfig.AutoAccept, u.PhoneConfig.AfterContactWorkTimeLimit], ["SOFT_PHONE", false, 0]);
    });
    await check("UpdateUserConfig", "merges per channel", async () => {
      await send(new UpdateUserConfigCommand({ InstanceId: instance, UserId: a.UserId, AutoAcceptConfigs: [{ Channel: "EMAIL", AutoAccept: true }] }));
      const { User: u } = await send(new DescribeUserCommand({ InstanceId: instance, UserId: a.UserId }));
      eq("channels", u.AutoAcceptConfigs.map((c) => c.Channel), ["VOICE", "CHAT", "EMAIL"]);
    });
  }

  // ---- Tags through ARNs, which the SDK escapes into the path.
  if (a) {
    await check("TagResource", "user ARN (':' and '/' escaped in the path)", () =>
      send(new TagResourceCommand({ resourceArn: a.UserArn, tags: { "dept": "sales", "path/like": "a b+c" } })));
    await check("ListTagsForResource", "user tags read back", async () => {
      const out = await send(new ListTagsForResourceCommand({ resourceArn: a.UserArn }));
      eq("tags", out.tags, { ...seedA.Tags, dept: "sales", "path/like": "a b+c" });
    });
    await check("UntagResource", "tagKeys in the query string", async () => {
      await send(new UntagResourceCommand({ resourceArn: a.UserArn, tagKeys: ["path/like", "cost-center"] }));
      const out = await send(new ListTagsForResourceCommand({ resourceArn: a.UserArn }));
      eq("tags", out.tags, { team: "billing", dept: "sales" });
    });
  }
  await check("TagResource", "instance ARN", async () => {
    await send(new TagResourceCommand({ resourceArn: created.Arn, tags: { env: "compat" } }));
    const out = await send(new ListTagsForResourceCommand({ resourceArn: created.Arn }));
    eq("tags", out.tags, { env: "compat" });
  });
  await expectError("ListTagsForResource", "unknown ARN is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new ListTagsForResourceCommand({ resourceArn: `${created.Arn}/agent/00000000-0000-0000-0000-000000000000` })));

  // ---- In use, duplicates of other resources.
  await expectError("DeleteSecurityProfile", "profile held by a user is ResourceInUseException", ResourceInUseException, 409, async () =>
    send(new DeleteSecurityProfileCommand({ InstanceId: instance, SecurityProfileId: sp.Agent })));
  await check("CreateSecurityProfile", "new profile", () =>
    send(new CreateSecurityProfileCommand({ InstanceId: instance, SecurityProfileName: "Compat", Permissions: ["BasicAgentAccess"] })));
  await expectError("CreateSecurityProfile", "duplicate name is DuplicateResourceException", DuplicateResourceException, 409, () =>
    send(new CreateSecurityProfileCommand({ InstanceId: instance, SecurityProfileName: "Compat" })));
  await expectError("DeleteUserHierarchyGroup", "group with users is ResourceInUseException", ResourceInUseException, 409, () =>
    send(new DeleteUserHierarchyGroupCommand({ InstanceId: instance, HierarchyGroupId: team })));

  // ---- Fill the instance up to the users quota, then page through it.
  const users = new Set([a?.UserId, b?.UserId, plain?.UserId, routedAgent, ...extraUsers].filter(Boolean));
  const limit = await expectError("CreateUser", "users beyond the quota is LimitExceededException", LimitExceededException, 429, async () => {
    for (let n = 0; n < Number(process.env.SWITCHBOARD_COMPAT_MAX_USERS || 60); n++) {
      const out = await send(new CreateUserCommand({ ...base(`agent${String(n).padStart(3, "0")}`), IdentityInfo: { FirstName: n % 2 ? "Ana" : "Bob", LastName: "Pager" } }));
      users.add(out.UserId);
    }
  });
  await check("ListUsers", "paginateListUsers walks every page once", async () => {
    const seen = [];
    let pages = 0;
    for await (const page of paginateListUsers({ client, pageSize: 7 }, { InstanceId: instance })) {
      pages++;
      ok(page.UserSummaryList.length <= 7, `page of ${page.UserSummaryList.length}`);
      for (const s of page.UserSummaryList) { seen.push(s.Id); recent("LastModifiedTime", s.LastModifiedTime); }
    }
    eq("users", [...seen].sort(), [...users].sort());
    ok(pages === Math.ceil(users.size / 7), `${pages} pages for ${users.size} users`);
  });
  await check("SearchUsers", "paginateSearchUsers walks every page once", async () => {
    const seen = [];
    let pages = 0;
    for await (const page of paginateSearchUsers({ client, pageSize: 4 }, { InstanceId: instance })) {
      pages++;
      ok(page.ApproximateTotalCount === users.size, `ApproximateTotalCount ${page.ApproximateTotalCount}`);
      seen.push(...page.Users.map((u) => u.Id));
    }
    eq("users", [...seen].sort(), [...users].sort());
    ok(pages === Math.ceil(users.size / 4), `${pages} pages`);
  });
  await check("SearchUsers", "StringCondition FirstName STARTS_WITH, paginated", async () => {
    let n = 0;
    for await (const page of paginateSearchUsers({ client, pageSize: 3 }, { InstanceId: instance, SearchCriteria: { StringCondition: { FieldName: "FirstName", ComparisonType: "STARTS_WITH", Value: "an" } } })) {
      for (const u of page.Users) { ok(u.IdentityInfo.FirstName === "Ana", `FirstName ${u.IdentityInfo.FirstName}`); n++; }
    }
    ok(n > 0 && n < users.size, `${n} matches`);
  });
  await check("SearchUsers", "hierarchy WITH_CHILD_GROUPS and typed members", async () => {
    const out = await send(new SearchUsersCommand({ InstanceId: instance, SearchCriteria: { HierarchyGroupCondition: { Value: emea, HierarchyGroupMatchType: "WITH_CHILD_GROUPS" } } }));
    eq("usernames", out.Users.map((u) => u.Username).sort(), ["john.stiles", "mary.major"]);
    const m = out.Users.find((u) => u.Username === "mary.major");
    eq("HierarchyGroupId", m.HierarchyGroupId, team);
    ok(typeof m.PhoneConfig.AfterContactWorkTimeLimit === "number", "ACW not a number");
  });
  if (!limit) console.error("# the users quota was not reached: run the server with a small usersPerInstance (compat/run.sh uses 20)");

  // ---- Delete.
  if (b) {
    await check("DeleteUser", "user is gone", async () => {
      await send(new DeleteUserCommand({ InstanceId: instance, UserId: b.UserId }));
    });
    await expectError("DescribeUser", "deleted user is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
      send(new DescribeUserCommand({ InstanceId: instance, UserId: b.UserId })));
    await expectError("DeleteUser", "second delete is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
      send(new DeleteUserCommand({ InstanceId: instance, UserId: b.UserId })));
  }
}

try {
  await main();
} catch (e) {
  report("runner", "unexpected error", e);
}
if (instance) {
  await check("DeleteInstance", "instance and everything in it deleted", async () => {
    await send(new DeleteInstanceCommand({ InstanceId: instance }));
  });
  await expectError("DescribeInstance", "deleted instance is ResourceNotFoundException", ResourceNotFoundException, 404, () =>
    send(new DescribeInstanceCommand({ InstanceId: instance })));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
