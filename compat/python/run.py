#!/usr/bin/env python3
"""Switchboard compatibility runner for boto3.

The same user lifecycle as the JavaScript runner (the seed's CreateUser with
every member filled, read back member by member), the error table matched
with ``client.exceptions.X``, and boto3's paginators for ListUsers,
SearchUsers and ListInstances, and a task and a chat routed to an agent, a
transfer, SearchContacts (with its paginator), GetContactMetrics and GetMetricDataV2.

Configured only by the environment, like every runner of compat/:
SWITCHBOARD_ENDPOINT (unset: boto3's default endpoint, i.e. real AWS),
AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. Prints one JSON line per
check and finally "N passed, N failed"; exits 1 if any check failed.
"""
import datetime
import hashlib
import json
import os
import random
import re
import string
import sys
import time
import traceback

import boto3
import botocore
from botocore.config import Config

CLIENT = "boto3"
REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
ENDPOINT = os.environ.get("SWITCHBOARD_ENDPOINT") or None
# A region in which this run creates nothing, for the empty answers.
EMPTY_REGION = os.environ.get("SWITCHBOARD_COMPAT_EMPTY_REGION") or "ca-west-1"
UUID = re.compile(r"^[0-9a-f-]{36}$")

client = boto3.client("connect", region_name=REGION, endpoint_url=ENDPOINT,
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}))
X = client.exceptions
counts = {"passed": 0, "failed": 0}


def report(operation, case, err):
    counts["failed" if err else "passed"] += 1
    print(json.dumps({"client": CLIENT, "operation": operation, "case": case,
                      "status": "FAIL" if err else "PASS", "error": err or ""}), flush=True)


def check(operation, case, fn):
    """Run fn; PASS, or FAIL with what it raised. Returns fn's value or None."""
    try:
        v = fn()
    except Exception as e:  # noqa: BLE001 - every failure is a report
        report(operation, case, f"{type(e).__name__}: {e}")
        return None
    report(operation, case, None)
    return v


def expect_error(operation, case, exc, status, fn):
    """fn must raise the modelled exception class exc (client.exceptions.X)."""
    try:
        fn()
    except exc as e:
        err = e.response.get("Error", {})
        problems = []
        if err.get("Code") != exc.__name__:
            problems.append(f"Code {err.get('Code')}")
        got = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if got != status:
            problems.append(f"status {got}, want {status}")
        if not err.get("Message"):
            problems.append("empty message")
        report(operation, case, "; ".join(problems) or None)
        return e
    except Exception as e:  # noqa: BLE001
        report(operation, case, f"got {type(e).__name__}: {e}, want {exc.__name__}")
        return None
    report(operation, case, f"accepted, want {exc.__name__}")
    return None


def eq(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


def ok(cond, msg):
    if not cond:
        raise AssertionError(msg)


def recent(what, t):
    ok(isinstance(t, datetime.datetime), f"{what} is {type(t).__name__} {t!r}, want datetime")
    ok(t.tzinfo is not None, f"{what} has no time zone")
    age = (datetime.datetime.now(datetime.timezone.utc) - t).total_seconds()
    ok(-60 < age < 3600, f"{what} {t} is not recent")


def main(state):
    suffix = "".join(random.choices(string.ascii_lowercase + string.digits, k=6))
    alias = f"compat-py-{suffix}"
    print(f"# {CLIENT} boto3 {boto3.__version__} botocore {botocore.__version__} against {ENDPOINT or 'the default endpoint'} ({REGION})", file=sys.stderr)

    def create_instance():
        out = client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias=alias,
                                     InboundCallsEnabled=True, OutboundCallsEnabled=True)
        ok(UUID.match(out["Id"]), f"Id {out['Id']}")
        ok(re.match(rf"^arn:aws:connect:{REGION}:\d{{12}}:instance/{out['Id']}$", out["Arn"]), f"Arn {out['Arn']}")
        return out
    created = check("CreateInstance", "CONNECT_MANAGED instance with alias", create_instance)
    if not created:
        return
    inst = state["instance"] = created["Id"]

    def describe_instance():
        i = client.describe_instance(InstanceId=inst)["Instance"]
        eq("instance", (i["Id"], i["InstanceAlias"], i["IdentityManagementType"], i["InboundCallsEnabled"], i["OutboundCallsEnabled"]),
           (inst, alias, "CONNECT_MANAGED", True, True))
        ok(i["InstanceStatus"] in ("ACTIVE", "CREATION_IN_PROGRESS"), i["InstanceStatus"])
        recent("CreatedTime", i["CreatedTime"])
    check("DescribeInstance", "ACTIVE with a CreatedTime datetime", describe_instance)

    def list_instances():
        found = False
        for page in client.get_paginator("list_instances").paginate(PaginationConfig={"PageSize": 1}):
            for s in page["InstanceSummaryList"]:
                if s["Id"] == inst:
                    found = True
                    recent("CreatedTime", s["CreatedTime"])
        ok(found, "instance not listed")
    check("ListInstances", "paginator finds the instance", list_instances)

    # Empty answers carry their empty lists and maps, as Connect's do, so
    # that resp["..."] indexing works (docs/BEHAVIOUR.md, Always-sent members).
    def empty_region():
        other = boto3.client("connect", region_name=EMPTY_REGION, endpoint_url=ENDPOINT,
                             config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        eq("InstanceSummaryList", other.list_instances()["InstanceSummaryList"], [])
    check("ListInstances", "a region without instances answers InstanceSummaryList []", empty_region)
    check("ListTagsForResource", "an untagged instance answers tags {}",
          lambda: eq("tags", client.list_tags_for_resource(resourceArn=created["Arn"])["tags"], {}))
    check("DescribeInstance", "an untagged instance has Tags {}",
          lambda: eq("Tags", client.describe_instance(InstanceId=inst)["Instance"]["Tags"], {}))
    check("ListUsers", "an instance without users answers UserSummaryList []",
          lambda: eq("UserSummaryList", client.list_users(InstanceId=inst)["UserSummaryList"], []))

    def search_nothing():
        out = client.search_users(InstanceId=inst, SearchCriteria={"StringCondition": {"FieldName": "Username", "ComparisonType": "EXACT", "Value": "nobody"}})
        eq("Users, ApproximateTotalCount", (out["Users"], out["ApproximateTotalCount"]), ([], 0))
    check("SearchUsers", "no match answers Users [] and ApproximateTotalCount 0", search_nothing)
    expect_error("CreateInstance", "duplicate alias is InvalidRequestException", X.InvalidRequestException, 400,
                 lambda: client.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias=alias,
                                                InboundCallsEnabled=True, OutboundCallsEnabled=True))
    expect_error("DescribeInstance", "unknown instance is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                 lambda: client.describe_instance(InstanceId="00000000-0000-0000-0000-000000000000"))

    sp = {}

    def list_sp():
        for s in client.list_security_profiles(InstanceId=inst)["SecurityProfileSummaryList"]:
            sp[s["Name"]] = s["Id"]
        ok("Admin" in sp and "Agent" in sp, f"profiles {list(sp)}")
    check("ListSecurityProfiles", "default profiles Admin and Agent", list_sp)

    def list_rp():
        ids = [r["Id"] for r in client.list_routing_profiles(InstanceId=inst)["RoutingProfileSummaryList"] if r["Name"] == "Basic Routing Profile"]
        ok(ids, "no Basic Routing Profile")
        return ids[0]
    routing = check("ListRoutingProfiles", "Basic Routing Profile exists", list_rp)
    check("ListQueues", "BasicQueue is a STANDARD queue", lambda: ok(any(
        q["Name"] == "BasicQueue" and q["QueueType"] == "STANDARD"
        for q in client.list_queues(InstanceId=inst, QueueTypes=["STANDARD"])["QueueSummaryList"]), "no BasicQueue"))
    check("ListHoursOfOperations", "Basic Hours exists", lambda: ok(any(
        h["Name"] == "Basic Hours" for h in client.list_hours_of_operations(InstanceId=inst)["HoursOfOperationSummaryList"]), "no Basic Hours"))

    # Hierarchy.
    check("UpdateUserHierarchyStructure", "two levels", lambda: client.update_user_hierarchy_structure(
        InstanceId=inst, HierarchyStructure={"LevelOne": {"Name": "Region"}, "LevelTwo": {"Name": "Team"}}))

    def describe_structure():
        h = client.describe_user_hierarchy_structure(InstanceId=inst)["HierarchyStructure"]
        eq("names", (h["LevelOne"]["Name"], h["LevelTwo"]["Name"], "LevelThree" in h), ("Region", "Team", False))
        ok(h["LevelOne"]["Arn"].endswith("/agent-group-level/1"), h["LevelOne"]["Arn"])
    check("DescribeUserHierarchyStructure", "levels read back", describe_structure)
    emea = check("CreateUserHierarchyGroup", "top-level group", lambda: client.create_user_hierarchy_group(InstanceId=inst, Name="EMEA")["HierarchyGroupId"])
    team = check("CreateUserHierarchyGroup", "child group with tags", lambda: client.create_user_hierarchy_group(
        InstanceId=inst, Name="EMEA Sales", ParentGroupId=emea, Tags={"unit": "sales"})["HierarchyGroupId"])

    def describe_group():
        g = client.describe_user_hierarchy_group(InstanceId=inst, HierarchyGroupId=team)["HierarchyGroup"]
        eq("path", (g["HierarchyPath"]["LevelOne"]["Name"], g["HierarchyPath"]["LevelTwo"]["Name"]), ("EMEA", "EMEA Sales"))
        eq("LevelId", g["LevelId"], "2")
        eq("Tags", g["Tags"], {"unit": "sales"})
    check("DescribeUserHierarchyGroup", "HierarchyPath includes the group itself", describe_group)
    expect_error("CreateUserHierarchyGroup", "duplicate group name is DuplicateResourceException", X.DuplicateResourceException, 409,
                 lambda: client.create_user_hierarchy_group(InstanceId=inst, Name="EMEA"))

    # The seed's example, every member filled; PhoneConfig's members each
    # conflict with one channel list, so A and B between them send them all.
    seed_a = dict(
        Username="mary.major", Password="Str0ngPassw0rd!",
        IdentityInfo={"FirstName": "Mary", "LastName": "Major", "Email": "mary.major@example.com",
                      "SecondaryEmail": "mary@example.org", "Mobile": "+12065550100"},
        PhoneConfig={"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550199"},
        DirectoryUserId="dir-user-1", SecurityProfileIds=[sp.get("Agent"), sp.get("Admin")],
        RoutingProfileId=routing, HierarchyGroupId=team, InstanceId=inst,
        AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True, "AgentFirstCallbackAutoAccept": True},
                           {"Channel": "CHAT", "AutoAccept": False}],
        AfterContactWorkConfigs=[
            {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 30},
             "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 15}},
            {"Channel": "TASK", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 120}}],
        PersistentConnectionConfigs=[{"Channel": "VOICE", "PersistentConnection": True}],
        VoiceEnhancementConfigs=[{"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}],
        Tags={"team": "billing", "cost-center": "42"},
    )

    def create_a():
        out = client.create_user(**seed_a)
        ok(UUID.match(out["UserId"]), out["UserId"])
        eq("UserArn", out["UserArn"], f"{created['Arn']}/agent/{out['UserId']}")
        eq("status", out["ResponseMetadata"]["HTTPStatusCode"], 200)
        ok(out["ResponseMetadata"].get("RequestId"), "no request id")
        return out
    a = check("CreateUser", "seed example A (PhoneConfig phone members + channel lists)", create_a)
    if a:
        u = check("DescribeUser", "seed example A reads back", lambda: client.describe_user(InstanceId=inst, UserId=a["UserId"])["User"])
        if u:
            def member(name, fn):
                check("DescribeUser", f"seed A member {name}", fn)
            member("Id and Arn", lambda: eq("Id/Arn", (u["Id"], u["Arn"]), (a["UserId"], a["UserArn"])))
            member("Username", lambda: eq("Username", u["Username"], "mary.major"))
            member("IdentityInfo", lambda: eq("IdentityInfo", u["IdentityInfo"], seed_a["IdentityInfo"]))
            member("PhoneConfig (phone members as sent, the rest the VOICE view)", lambda: eq("PhoneConfig", u["PhoneConfig"], {
                "PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550199", "AutoAccept": True,
                "AfterContactWorkTimeLimit": 30, "PersistentConnection": True}))
            member("DirectoryUserId", lambda: eq("DirectoryUserId", u["DirectoryUserId"], "dir-user-1"))
            member("SecurityProfileIds", lambda: eq("SecurityProfileIds", sorted(u["SecurityProfileIds"]), sorted(seed_a["SecurityProfileIds"])))
            member("RoutingProfileId", lambda: eq("RoutingProfileId", u["RoutingProfileId"], routing))
            member("HierarchyGroupId", lambda: eq("HierarchyGroupId", u["HierarchyGroupId"], team))
            member("AutoAcceptConfigs", lambda: eq("AutoAcceptConfigs", u["AutoAcceptConfigs"], seed_a["AutoAcceptConfigs"]))
            member("AfterContactWorkConfigs", lambda: eq("AfterContactWorkConfigs", u["AfterContactWorkConfigs"], seed_a["AfterContactWorkConfigs"]))
            member("PhoneNumberConfigs (from PhoneConfig)", lambda: eq("PhoneNumberConfigs", u["PhoneNumberConfigs"],
                                                                      [{"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550199"}]))
            member("PersistentConnectionConfigs", lambda: eq("PersistentConnectionConfigs", u["PersistentConnectionConfigs"], seed_a["PersistentConnectionConfigs"]))
            member("VoiceEnhancementConfigs", lambda: eq("VoiceEnhancementConfigs", u["VoiceEnhancementConfigs"], seed_a["VoiceEnhancementConfigs"]))
            member("Tags", lambda: eq("Tags", u["Tags"], seed_a["Tags"]))
            member("LastModifiedTime is a recent datetime", lambda: recent("LastModifiedTime", u["LastModifiedTime"]))
            member("LastModifiedRegion", lambda: eq("LastModifiedRegion", u["LastModifiedRegion"], REGION))

    seed_b = dict(
        Username="john.stiles", Password="An0therPassw0rd",
        IdentityInfo={"FirstName": "John", "LastName": "Stiles", "Email": "john.stiles@example.com",
                      "SecondaryEmail": "john@example.org", "Mobile": "+442071234567"},
        PhoneConfig={"AutoAccept": True, "AfterContactWorkTimeLimit": 45, "PersistentConnection": True},
        SecurityProfileIds=[sp.get("Agent")], RoutingProfileId=routing, HierarchyGroupId=emea, InstanceId=inst,
        PhoneNumberConfigs=[{"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+442071234568"}],
        VoiceEnhancementConfigs=[{"Channel": "VOICE", "VoiceEnhancementMode": "VOICE_ISOLATION"}],
        Tags={"team": "support"},
    )
    b = check("CreateUser", "seed example B (PhoneConfig toggles + PhoneNumberConfigs)", lambda: client.create_user(**seed_b))
    if b:
        def describe_b():
            u = client.describe_user(InstanceId=inst, UserId=b["UserId"])["User"]
            eq("PhoneConfig", u["PhoneConfig"], {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+442071234568", "AutoAccept": True,
                                                 "AfterContactWorkTimeLimit": 45, "PersistentConnection": True})
            eq("AutoAcceptConfigs", [(c["Channel"], c["AutoAccept"]) for c in u["AutoAcceptConfigs"]], [("VOICE", True)])
            eq("ACW", [(c["Channel"], c["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]) for c in u["AfterContactWorkConfigs"]],
               [("VOICE", 45), ("CHAT", 45), ("TASK", 45)])
            eq("PhoneNumberConfigs", u["PhoneNumberConfigs"], seed_b["PhoneNumberConfigs"])
            eq("IdentityInfo", u["IdentityInfo"], seed_b["IdentityInfo"])
        check("DescribeUser", "seed example B: PhoneConfig becomes VOICE entries, ACW on every handled channel", describe_b)

    # The seed's conflict rules and declared errors, each as client.exceptions.X.
    def base(name, **kw):
        d = dict(InstanceId=inst, Username=name, Password="Str0ngPassw0rd",
                 IdentityInfo={"FirstName": "Test", "LastName": "User"},
                 SecurityProfileIds=[sp.get("Agent")], RoutingProfileId=routing)
        d.update(kw)
        return d
    conflicts = [
        ("PhoneConfig.AutoAccept conflicts with AutoAcceptConfigs",
         dict(PhoneConfig={"AutoAccept": False}, AutoAcceptConfigs=[{"Channel": "CHAT", "AutoAccept": True}])),
        ("PhoneConfig.AfterContactWorkTimeLimit conflicts with AfterContactWorkConfigs",
         dict(PhoneConfig={"AfterContactWorkTimeLimit": 0}, AfterContactWorkConfigs=[{"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 5}}])),
        ("PhoneConfig.PhoneType conflicts with PhoneNumberConfigs",
         dict(PhoneConfig={"PhoneType": "SOFT_PHONE"}, PhoneNumberConfigs=[{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}])),
        ("PhoneConfig.DeskPhoneNumber conflicts with PhoneNumberConfigs",
         dict(PhoneConfig={"DeskPhoneNumber": "+12065550100"}, PhoneNumberConfigs=[{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}])),
        ("PhoneConfig.PersistentConnection conflicts with PersistentConnectionConfigs",
         dict(PhoneConfig={"PersistentConnection": False}, PersistentConnectionConfigs=[{"Channel": "VOICE", "PersistentConnection": True}])),
    ]
    for i, (case, extra) in enumerate(conflicts):
        expect_error("CreateUser", case, X.InvalidRequestException, 400, lambda: client.create_user(**base(f"conflict{i}", **extra)))
    table = [
        ("duplicate username is DuplicateResourceException", X.DuplicateResourceException, 409, base("mary.major")),
        ("username with a space is InvalidParameterException", X.InvalidParameterException, 400, base("mary major")),
        ("weak password is InvalidParameterException", X.InvalidParameterException, 400, base("weakpass", Password="password")),
        ("malformed Email is InvalidParameterException", X.InvalidParameterException, 400,
         base("bademail", IdentityInfo={"FirstName": "A", "LastName": "B", "Email": "not-an-email"})),
        ("PhoneNumberConfigs on CHAT is InvalidParameterException", X.InvalidParameterException, 400,
         base("chatphone", PhoneNumberConfigs=[{"Channel": "CHAT", "PhoneType": "SOFT_PHONE"}])),
        ("unknown routing profile is ResourceNotFoundException", X.ResourceNotFoundException, 404,
         base("norouting", RoutingProfileId="00000000-0000-0000-0000-000000000001")),
        ("unknown instance is ResourceNotFoundException", X.ResourceNotFoundException, 404,
         base("noinstance", InstanceId="00000000-0000-0000-0000-000000000000")),
    ]
    for case, exc, status, params in table:
        expect_error("CreateUser", case, exc, status, lambda: client.create_user(**params))

    # A plain soft-phone user with a Terraform-style 43-character name reads
    # back as Connect's answers show one: Tags {}, DeskPhoneNumber "", and a
    # DirectoryUserId it was not given.
    def plain_user():
        out = client.create_user(**base("resource-test-terraform-5577006791947779410"))
        u = client.describe_user(InstanceId=inst, UserId=out["UserId"])["User"]
        eq("Username", u["Username"], "resource-test-terraform-5577006791947779410")
        eq("Tags", u["Tags"], {})
        eq("PhoneConfig", u["PhoneConfig"], {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0,
                                             "DeskPhoneNumber": "", "PersistentConnection": False})
        ok(UUID.match(u["DirectoryUserId"]) and u["DirectoryUserId"] != u["Id"], f"DirectoryUserId {u['DirectoryUserId']!r}")
        eq("DirectoryUserId on a second read", client.describe_user(InstanceId=inst, UserId=out["UserId"])["User"]["DirectoryUserId"], u["DirectoryUserId"])
        eq("tags", client.list_tags_for_resource(resourceArn=out["UserArn"])["tags"], {})
        return out
    plain = check("DescribeUser", "untagged soft-phone user: Tags {}, DeskPhoneNumber \"\", a generated DirectoryUserId", plain_user)
    agent_statuses(inst, plain)
    proficiencies(inst, plain)
    contact_flows(inst)
    flow_modules(inst)
    numbers_and_integrations(inst, created["Arn"])
    contacts(inst, created["Arn"])
    routed_agent = routed_contacts(inst, sp)

    # Updates.
    if a:
        uid = a["UserId"]

        def identity():
            client.update_user_identity_info(InstanceId=inst, UserId=uid, IdentityInfo={"FirstName": "Maria", "LastName": "Major", "Email": "maria.major@example.com"})
            u = client.describe_user(InstanceId=inst, UserId=uid)["User"]
            eq("names", (u["IdentityInfo"]["FirstName"], u["IdentityInfo"]["Email"]), ("Maria", "maria.major@example.com"))
        check("UpdateUserIdentityInfo", "names and e-mail change", identity)

        def phone():
            client.update_user_phone_config(InstanceId=inst, UserId=uid, PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0})
            p = client.describe_user(InstanceId=inst, UserId=uid)["User"]["PhoneConfig"]
            eq("PhoneConfig", (p["PhoneType"], p["AutoAccept"], p["AfterContactWorkTimeLimit"]), ("SOFT_PHONE", False, 0))
        check("UpdateUserPhoneConfig", "explicit false/0 replace the VOICE view", phone)

        def config():
            client.update_user_config(InstanceId=inst, UserId=uid, AutoAcceptConfigs=[{"Channel": "EMAIL", "AutoAccept": True}])
            u = client.describe_user(InstanceId=inst, UserId=uid)["User"]
            eq("channels", [c["Channel"] for c in u["AutoAcceptConfigs"]], ["VOICE", "CHAT", "EMAIL"])
        check("UpdateUserConfig", "merges per channel", config)

        # Tags through ARNs, which botocore escapes into the path.
        arn = a["UserArn"]
        check("TagResource", "user ARN (':' and '/' escaped in the path)",
              lambda: client.tag_resource(resourceArn=arn, tags={"dept": "sales", "path/like": "a b+c"}))
        check("ListTagsForResource", "user tags read back", lambda: eq(
            "tags", client.list_tags_for_resource(resourceArn=arn)["tags"], {**seed_a["Tags"], "dept": "sales", "path/like": "a b+c"}))

        def untag():
            client.untag_resource(resourceArn=arn, tagKeys=["path/like", "cost-center"])
            eq("tags", client.list_tags_for_resource(resourceArn=arn)["tags"], {"team": "billing", "dept": "sales"})
        check("UntagResource", "tagKeys in the query string", untag)

    def tag_instance():
        client.tag_resource(resourceArn=created["Arn"], tags={"env": "compat"})
        eq("tags", client.list_tags_for_resource(resourceArn=created["Arn"])["tags"], {"env": "compat"})
    check("TagResource", "instance ARN", tag_instance)
    expect_error("ListTagsForResource", "unknown ARN is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                 lambda: client.list_tags_for_resource(resourceArn=f"{created['Arn']}/agent/00000000-0000-0000-0000-000000000000"))

    e = expect_error("DeleteSecurityProfile", "profile held by a user is ResourceInUseException", X.ResourceInUseException, 409,
                     lambda: client.delete_security_profile(InstanceId=inst, SecurityProfileId=sp.get("Agent")))
    if e is not None:
        check("DeleteSecurityProfile", "ResourceInUseException names the USER holding it",
              lambda: eq("ResourceType", e.response.get("ResourceType"), "USER"))
    check("CreateSecurityProfile", "new profile", lambda: client.create_security_profile(
        InstanceId=inst, SecurityProfileName="Compat", Permissions=["BasicAgentAccess"]))
    expect_error("CreateSecurityProfile", "duplicate name is DuplicateResourceException", X.DuplicateResourceException, 409,
                 lambda: client.create_security_profile(InstanceId=inst, SecurityProfileName="Compat"))
    expect_error("DeleteUserHierarchyGroup", "group with users is ResourceInUseException", X.ResourceInUseException, 409,
                 lambda: client.delete_user_hierarchy_group(InstanceId=inst, HierarchyGroupId=team))

    # Fill the instance up to the users quota, then page through it.
    users = {x["UserId"] for x in (a, b, plain) if x}
    if routed_agent:
        users.add(routed_agent)
    users.update(EXTRA_USERS)

    def fill():
        for n in range(int(os.environ.get("SWITCHBOARD_COMPAT_MAX_USERS", "60"))):
            first = "Ana" if n % 2 else "Bob"
            out = client.create_user(**base(f"agent{n:03d}", IdentityInfo={"FirstName": first, "LastName": "Pager"}))
            users.add(out["UserId"])
    expect_error("CreateUser", "users beyond the quota is LimitExceededException", X.LimitExceededException, 429, fill)

    def list_users():
        seen, pages = [], 0
        for page in client.get_paginator("list_users").paginate(InstanceId=inst, PaginationConfig={"PageSize": 7}):
            pages += 1
            ok(len(page["UserSummaryList"]) <= 7, "page too long")
            for s in page["UserSummaryList"]:
                seen.append(s["Id"])
                recent("LastModifiedTime", s["LastModifiedTime"])
        eq("users", sorted(seen), sorted(users))
        eq("pages", pages, -(-len(users) // 7))
    check("ListUsers", "paginator walks every page once", list_users)

    def search_all():
        seen, pages = [], 0
        for page in client.get_paginator("search_users").paginate(InstanceId=inst, PaginationConfig={"PageSize": 4}):
            pages += 1
            eq("ApproximateTotalCount", page["ApproximateTotalCount"], len(users))
            seen += [u["Id"] for u in page["Users"]]
        eq("users", sorted(seen), sorted(users))
        eq("pages", pages, -(-len(users) // 4))
    check("SearchUsers", "paginator walks every page once", search_all)

    def search_cond():
        it = client.get_paginator("search_users").paginate(InstanceId=inst, SearchCriteria={
            "StringCondition": {"FieldName": "FirstName", "ComparisonType": "STARTS_WITH", "Value": "an"}}, PaginationConfig={"PageSize": 3})
        names = [u["IdentityInfo"]["FirstName"] for u in it.search("Users[]")]
        ok(names and set(names) == {"Ana"} and len(names) < len(users), f"{names}")
    check("SearchUsers", "StringCondition FirstName STARTS_WITH, paginated with a JMESPath search", search_cond)

    def search_group():
        out = client.search_users(InstanceId=inst, SearchCriteria={"HierarchyGroupCondition": {"Value": emea, "HierarchyGroupMatchType": "WITH_CHILD_GROUPS"}})
        eq("usernames", sorted(u["Username"] for u in out["Users"]), ["john.stiles", "mary.major"])
        m = [u for u in out["Users"] if u["Username"] == "mary.major"][0]
        eq("HierarchyGroupId", m["HierarchyGroupId"], team)
        ok(isinstance(m["PhoneConfig"]["AfterContactWorkTimeLimit"], int), "ACW not an int")
    check("SearchUsers", "hierarchy WITH_CHILD_GROUPS and typed members", search_group)

    if b:
        check("DeleteUser", "user is gone", lambda: client.delete_user(InstanceId=inst, UserId=b["UserId"]))
        expect_error("DescribeUser", "deleted user is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                     lambda: client.describe_user(InstanceId=inst, UserId=b["UserId"]))
        expect_error("DeleteUser", "second delete is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                     lambda: client.delete_user(InstanceId=inst, UserId=b["UserId"]))


def agent_statuses(inst, user):
    """Agent statuses, PutUserStatus and GetCurrentUserData."""
    def system():
        st = {s["Name"]: s for s in client.list_agent_statuses(InstanceId=inst)["AgentStatusSummaryList"]}
        eq("types", (st["Available"]["Type"], st["Offline"]["Type"]), ("ROUTABLE", "OFFLINE"))
        return st
    st = check("ListAgentStatuses", "a new instance has Available (ROUTABLE) and Offline (OFFLINE)", system) or {}
    lunch = check("CreateAgentStatus", "a custom status", lambda: client.create_agent_status(
        InstanceId=inst, Name="Lunch", State="ENABLED", DisplayOrder=3, Tags={"team": "ops"})["AgentStatusId"])

    def describe():
        a = client.describe_agent_status(InstanceId=inst, AgentStatusId=lunch)["AgentStatus"]
        eq("status", (a["Name"], a["Type"], a["State"], a["DisplayOrder"], a["Tags"]), ("Lunch", "CUSTOM", "ENABLED", 3, {"team": "ops"}))
        ok(a["AgentStatusARN"].endswith(f"/agent-state/{lunch}"), a["AgentStatusARN"])
    check("DescribeAgentStatus", "CUSTOM, as created, with its agent-state ARN", describe)
    expect_error("CreateAgentStatus", "duplicate name is DuplicateResourceException", X.DuplicateResourceException, 409,
                 lambda: client.create_agent_status(InstanceId=inst, Name="Lunch", State="ENABLED"))
    if st.get("Offline"):
        expect_error("UpdateAgentStatus", "disabling Offline is InvalidRequestException", X.InvalidRequestException, 400,
                     lambda: client.update_agent_status(InstanceId=inst, AgentStatusId=st["Offline"]["Id"], State="DISABLED"))

    def search():
        out = client.search_agent_statuses(InstanceId=inst, SearchCriteria={"StringCondition": {"FieldName": "type", "ComparisonType": "EXACT", "Value": "CUSTOM"}})
        eq("names, count", ([a["Name"] for a in out["AgentStatuses"]], out["ApproximateTotalCount"]), (["Lunch"], 1))
    check("SearchAgentStatuses", "type EXACT CUSTOM", search)
    if not (user and st.get("Available")):
        return
    uid = user["UserId"]
    check("GetCurrentUserData", "a new user is Offline, so not listed: UserDataList []", lambda: eq(
        "UserDataList", client.get_current_user_data(InstanceId=inst, Filters={"Agents": [uid]})["UserDataList"], []))

    def logged_in():
        client.put_user_status(InstanceId=inst, UserId=uid, AgentStatusId=st["Available"]["Id"])
        out = client.get_current_user_data(InstanceId=inst, Filters={"Agents": [uid]})
        eq("count", out["ApproximateTotalCount"], 1)
        d = out["UserDataList"][0]
        eq("user, status", (d["User"]["Id"], d["Status"]["StatusName"]), (uid, "Available"))
        recent("StatusStartTimestamp", d["Status"]["StatusStartTimestamp"])
        eq("MaxSlotsByChannel", d["MaxSlotsByChannel"], {"VOICE": 1, "CHAT": 2, "TASK": 1})
        eq("AvailableSlotsByChannel", d["AvailableSlotsByChannel"], {"VOICE": 1, "CHAT": 2, "TASK": 1})
        eq("Contacts", d["Contacts"], [])
    check("PutUserStatus", "Available: GetCurrentUserData lists the agent with its slots", logged_in)
    expect_error("PutUserStatus", "unknown status is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                 lambda: client.put_user_status(InstanceId=inst, UserId=uid, AgentStatusId="00000000-0000-0000-0000-000000000000"))
    expect_error("GetCurrentUserData", "two kinds of filter is InvalidParameterException", X.InvalidParameterException, 400,
                 lambda: client.get_current_user_data(InstanceId=inst, Filters={"Agents": [uid], "Queues": [uid]}))


def proficiencies(inst, user):
    """Predefined attributes, a user's proficiencies and SearchUsers' ListCondition."""
    created = check("CreatePredefinedAttribute", "Language with two values", lambda: client.create_predefined_attribute(
        InstanceId=inst, Name="Language", Values={"StringList": ["English", "Spanish"]}))
    if created is None:
        return

    def describe():
        a = client.describe_predefined_attribute(InstanceId=inst, Name="Language")["PredefinedAttribute"]
        eq("attribute", (a["Name"], a["Values"], a["AttributeConfiguration"]),
           ("Language", {"StringList": ["English", "Spanish"]}, {"EnableValueValidationOnAssociation": False, "IsReadOnly": False}))
        recent("LastModifiedTime", a["LastModifiedTime"])
    check("DescribePredefinedAttribute", "values and configuration, false included", describe)
    check("ListPredefinedAttributes", "lists Language", lambda: eq(
        "names", [a["Name"] for a in client.list_predefined_attributes(InstanceId=inst)["PredefinedAttributeSummaryList"]], ["Language"]))
    check("SearchPredefinedAttributes", "name EXACT", lambda: eq("count", client.search_predefined_attributes(
        InstanceId=inst, SearchCriteria={"StringCondition": {"FieldName": "name", "ComparisonType": "EXACT", "Value": "language"}})["ApproximateTotalCount"], 1))
    if not user:
        return
    uid = user["UserId"]
    check("AssociateUserProficiencies", "Spanish at level 4", lambda: client.associate_user_proficiencies(
        InstanceId=inst, UserId=uid, UserProficiencies=[{"AttributeName": "Language", "AttributeValue": "Spanish", "Level": 4}]))
    check("ListUserProficiencies", "read back", lambda: eq("proficiencies", client.list_user_proficiencies(InstanceId=inst, UserId=uid)["UserProficiencyList"],
                                                          [{"AttributeName": "Language", "AttributeValue": "Spanish", "Level": 4.0}]))

    def found(min_level):
        return [u["Id"] for u in client.search_users(InstanceId=inst, SearchCriteria={"ListCondition": {"TargetListType": "PROFICIENCIES", "Conditions": [
            {"StringCondition": {"FieldName": "name", "ComparisonType": "EXACT", "Value": "Language"}},
            {"StringCondition": {"FieldName": "value", "ComparisonType": "EXACT", "Value": "Spanish"}},
            {"NumberCondition": {"FieldName": "limit", "ComparisonType": "GREATER_OR_EQUAL", "MinValue": min_level}}]}})["Users"]]
    check("SearchUsers", "ListCondition: Spanish at level 3 or more finds the user", lambda: eq("users", found(3), [uid]))
    check("SearchUsers", "ListCondition: Spanish at level 5 finds nobody", lambda: eq("users", found(5), []))
    expect_error("DeletePredefinedAttribute", "an attribute in use is ResourceInUseException", X.ResourceInUseException, 409,
                 lambda: client.delete_predefined_attribute(InstanceId=inst, Name="Language"))
    expect_error("AssociateUserProficiencies", "an unknown attribute is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                 lambda: client.associate_user_proficiencies(InstanceId=inst, UserId=uid, UserProficiencies=[{"AttributeName": "Skill", "AttributeValue": "x", "Level": 1}]))

    def update():
        client.update_user_proficiencies(InstanceId=inst, UserId=uid, UserProficiencies=[{"AttributeName": "Language", "AttributeValue": "Spanish", "Level": 2}])
        eq("level", client.list_user_proficiencies(InstanceId=inst, UserId=uid)["UserProficiencyList"][0]["Level"], 2.0)
    check("UpdateUserProficiencies", "level 4 becomes 2", update)

    def release():
        client.disassociate_user_proficiencies(InstanceId=inst, UserId=uid, UserProficiencies=[{"AttributeName": "Language", "AttributeValue": "Spanish"}])
        eq("proficiencies", client.list_user_proficiencies(InstanceId=inst, UserId=uid)["UserProficiencyList"], [])
        client.delete_predefined_attribute(InstanceId=inst, Name="Language")
    check("DisassociateUserProficiencies", "then the attribute can be deleted", release)


HANG_UP = '{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}'
NOT_A_FLOW = '{"Version":"2019-10-30","StartAction":"missing","Actions":[]}'
# HOLDING keeps a contact in its flow for an hour (a Wait), so that what the
# contact checks do to it is not overtaken by the flow ending it.
HOLDING = ('{"Version":"2019-10-30","StartAction":"wait","Actions":['
           '{"Identifier":"wait","Type":"Wait","Parameters":{"TimeoutSeconds":"3600"},"Transitions":{"NextAction":"bye",'
           '"Conditions":[{"NextAction":"bye","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],'
           '"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},'
           '{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}')


def to_queue(queue_id):
    """A flow that sets the target queue and transfers the contact to it."""
    return ('{"Version":"2019-10-30","StartAction":"target","Actions":['
            '{"Identifier":"target","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"' + queue_id + '"},'
            '"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},'
            '{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye",'
            '"Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},'
            '{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}')


def contact_flows(inst):
    """Contact flows: default flows, create, describe, update, an invalid flow's problems, delete."""
    check("ListContactFlows", "the default queue transfer flow is there", lambda: ok(any(
        f["Name"] == "Default queue transfer" for f in client.list_contact_flows(InstanceId=inst, ContactFlowTypes=["QUEUE_TRANSFER"])["ContactFlowSummaryList"]), "no Default queue transfer"))

    def create():
        out = client.create_contact_flow(InstanceId=inst, Name="Compat IVR", Type="CONTACT_FLOW", Content=HANG_UP, Tags={"team": "ivr"})
        eq("FlowContentSha256", out["FlowContentSha256"], hashlib.sha256(HANG_UP.encode()).hexdigest())
        ok(out["ContactFlowArn"].endswith("/contact-flow/" + out["ContactFlowId"]), out["ContactFlowArn"])
        return out["ContactFlowId"]
    fid = check("CreateContactFlow", "a published flow, with its checksum", create)
    if not fid:
        return

    def describe():
        f = client.describe_contact_flow(InstanceId=inst, ContactFlowId=fid)["ContactFlow"]
        eq("flow", (f["Name"], f["Type"], f["State"], f["Status"], f["Content"], f["Tags"]), ("Compat IVR", "CONTACT_FLOW", "ACTIVE", "PUBLISHED", HANG_UP, {"team": "ivr"}))
        recent("LastModifiedTime", f["LastModifiedTime"])
    check("DescribeContactFlow", "as created", describe)

    def update():
        changed = HANG_UP.replace('"bye"', '"end"')
        client.update_contact_flow_content(InstanceId=inst, ContactFlowId=fid, Content=changed)
        client.update_contact_flow_name(InstanceId=inst, ContactFlowId=fid, Name="Compat front door")
        f = client.describe_contact_flow(InstanceId=inst, ContactFlowId=fid)["ContactFlow"]
        eq("name, content", (f["Name"], f["Content"]), ("Compat front door", changed))
    check("UpdateContactFlowContent", "published content and a new name read back", update)

    try:
        client.create_contact_flow(InstanceId=inst, Name="Broken", Type="CONTACT_FLOW", Content=NOT_A_FLOW)
        report("CreateContactFlow", "an invalid flow is InvalidContactFlowException listing its problems", "accepted")
    except X.InvalidContactFlowException as err:
        problems = err.response.get("problems") or []
        report("CreateContactFlow", "an invalid flow is InvalidContactFlowException listing its problems",
               None if problems and all(p.get("message") for p in problems) and err.response["ResponseMetadata"]["HTTPStatusCode"] == 400 else f"problems {problems!r}")
    except Exception as err:  # noqa: BLE001
        report("CreateContactFlow", "an invalid flow is InvalidContactFlowException listing its problems", f"{type(err).__name__}: {err}")
    check("DeleteContactFlow", "deleted", lambda: client.delete_contact_flow(InstanceId=inst, ContactFlowId=fid))
    expect_error("DescribeContactFlow", "a deleted flow is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                 lambda: client.describe_contact_flow(InstanceId=inst, ContactFlowId=fid))


def module_content(text):
    return ('{"Version":"2019-10-30","StartAction":"say","Actions":['
            '{"Identifier":"say","Type":"MessageParticipant","Parameters":{"Text":"' + text + '"},"Transitions":{"NextAction":"end"}},'
            '{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}')


def flow_modules(inst):
    """Flow modules: create, describe, update, a version and an alias, an invalid module's problems, delete."""
    mid = check("CreateContactFlowModule", "a module", lambda: client.create_contact_flow_module(
        InstanceId=inst, Name="Compat module", Content=module_content("hello"))["Id"])
    if not mid:
        return

    def describe():
        m = client.describe_contact_flow_module(InstanceId=inst, ContactFlowModuleId=mid)["ContactFlowModule"]
        eq("module", (m["Name"], m["Content"], m["State"], m["Status"]), ("Compat module", module_content("hello"), "ACTIVE", "PUBLISHED"))
    check("DescribeContactFlowModule", "as created", describe)

    def update():
        client.update_contact_flow_module_content(InstanceId=inst, ContactFlowModuleId=mid, Content=module_content("bye"))
        eq("content", client.describe_contact_flow_module(InstanceId=inst, ContactFlowModuleId=mid)["ContactFlowModule"]["Content"], module_content("bye"))
    check("UpdateContactFlowModuleContent", "new content read back", update)

    def version_and_alias():
        v = client.create_contact_flow_module_version(InstanceId=inst, ContactFlowModuleId=mid)["Version"]
        client.create_contact_flow_module_alias(InstanceId=inst, ContactFlowModuleId=mid, AliasName="live", ContactFlowModuleVersion=v)
        aliases = client.list_contact_flow_module_aliases(InstanceId=inst, ContactFlowModuleId=mid)["ContactFlowModuleAliasSummaryList"]
        eq("version, aliases", (v, [a["AliasName"] for a in aliases]), (1, ["live"]))
    check("CreateContactFlowModuleVersion", "version 1 and an alias to it", version_and_alias)
    try:
        client.create_contact_flow_module(InstanceId=inst, Name="Broken module", Content=NOT_A_FLOW)
        report("CreateContactFlowModule", "an invalid module is InvalidContactFlowModuleException listing its problems", "accepted")
    except X.InvalidContactFlowModuleException as err:
        problems = err.response.get("Problems") or []
        report("CreateContactFlowModule", "an invalid module is InvalidContactFlowModuleException listing its problems",
               None if problems and all(p.get("message") for p in problems) else f"Problems {problems!r}")
    except Exception as err:  # noqa: BLE001
        report("CreateContactFlowModule", "an invalid module is InvalidContactFlowModuleException listing its problems", f"{type(err).__name__}: {err}")
    check("DeleteContactFlowModule", "deleted with its version and alias", lambda: client.delete_contact_flow_module(InstanceId=inst, ContactFlowModuleId=mid))
    expect_error("DescribeContactFlowModule", "a deleted module is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                 lambda: client.describe_contact_flow_module(InstanceId=inst, ContactFlowModuleId=mid))


def contacts(inst, inst_arn):
    """A task started, its attributes merged, stopped; a chat started; an outbound call placed from a claimed number.

    The flow holds the contacts (it neither queues nor ends them), so StopContact is what ends the task."""
    fid = client.create_contact_flow(InstanceId=inst, Name="Compat contacts", Type="CONTACT_FLOW", Content=HOLDING)["ContactFlowId"]

    def task():
        cid = client.start_task_contact(InstanceId=inst, ContactFlowId=fid, Name="Compat task", Attributes={"a": "1"},
                                        References={"u": {"Value": "https://example.com", "Type": "URL"}})["ContactId"]
        c = client.describe_contact(InstanceId=inst, ContactId=cid)["Contact"]
        eq("task", (c["Id"], c["Channel"], c["InitiationMethod"], c["Name"], c["Tags"]), (cid, "TASK", "API", "Compat task", {"aws:connect:instanceId": inst}))
        ok(hasattr(c["InitiationTimestamp"], "year"), f"InitiationTimestamp {c['InitiationTimestamp']!r}")
        return cid
    cid = check("StartTaskContact", "a task INITIATED through the API, described with its tags", task)
    if cid:
        def attributes():
            client.update_contact_attributes(InstanceId=inst, InitialContactId=cid, Attributes={"b": "2"})
            eq("attributes", client.get_contact_attributes(InstanceId=inst, InitialContactId=cid)["Attributes"], {"a": "1", "b": "2"})
        check("UpdateContactAttributes", "merged into the task's attributes", attributes)

        expect_error("UpdateContactRoutingData", "a contact not in a queue is ResourceConflictException", X.ResourceConflictException, 409,
                     lambda: client.update_contact_routing_data(InstanceId=inst, ContactId=cid, QueuePriority=1))

        def stop():
            client.stop_contact(InstanceId=inst, ContactId=cid)
            c = client.describe_contact(InstanceId=inst, ContactId=cid)["Contact"]
            eq("disconnect reason", c.get("DisconnectReason"), "API")
            ok(hasattr(c.get("DisconnectTimestamp"), "year"), f"DisconnectTimestamp {c.get('DisconnectTimestamp')!r}")
        check("StopContact", "the task ends with a DisconnectTimestamp and reason API", stop)
    def schedule():
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        sid = client.start_task_contact(InstanceId=inst, ContactFlowId=fid, Name="Compat later", ScheduledTime=now + datetime.timedelta(hours=1))["ContactId"]
        client.update_contact_schedule(InstanceId=inst, ContactId=sid, ScheduledTime=now + datetime.timedelta(hours=2))
        eq("scheduled", client.describe_contact(InstanceId=inst, ContactId=sid)["Contact"]["ScheduledTimestamp"], now + datetime.timedelta(hours=2))
    check("UpdateContactSchedule", "a scheduled task moved an hour later", schedule)
    expect_error("DescribeContact", "an unknown contact is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                 lambda: client.describe_contact(InstanceId=inst, ContactId="00000000-0000-0000-0000-000000000000"))

    def chat():
        out = client.start_chat_contact(InstanceId=inst, ContactFlowId=fid, ParticipantDetails={"DisplayName": "Compat"})
        ok(out["ContactId"] and out["ParticipantId"] and out["ParticipantToken"], f"answer {out!r}")
        eq("channel", client.describe_contact(InstanceId=inst, ContactId=out["ContactId"])["Contact"]["Channel"], "CHAT")
    check("StartChatContact", "a chat with a participant id and token", chat)

    def outbound():
        number = client.search_available_phone_numbers(TargetArn=inst_arn, PhoneNumberCountryCode="US", PhoneNumberType="DID", MaxResults=1)["AvailableNumbersList"][0]["PhoneNumber"]
        pid = client.claim_phone_number(TargetArn=inst_arn, PhoneNumber=number)["PhoneNumberId"]
        oid = client.start_outbound_voice_contact(InstanceId=inst, ContactFlowId=fid, DestinationPhoneNumber="+14255550100", SourcePhoneNumber=number)["ContactId"]
        c = client.describe_contact(InstanceId=inst, ContactId=oid)["Contact"]
        eq("call", (c["Channel"], c["InitiationMethod"], c["CustomerEndpoint"]["Address"], c["SystemEndpoint"]["Address"]), ("VOICE", "API", "+14255550100", number))
        client.release_phone_number(PhoneNumberId=pid)
    check("StartOutboundVoiceContact", "a VOICE contact from a claimed number to the callee", outbound)
    expect_error("StartOutboundVoiceContact", "neither QueueId nor SourcePhoneNumber is InvalidParameterException", X.InvalidParameterException, 400,
                 lambda: client.start_outbound_voice_contact(InstanceId=inst, ContactFlowId=fid, DestinationPhoneNumber="+14255550100"))


# TRANSFER_ONLY transfers the contact to its target queue (the one the transfer set) and hangs up.
TRANSFER_ONLY = ('{"Version":"2019-10-30","StartAction":"xfer","Actions":['
                 '{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye",'
                 '"Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},'
                 '{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}')

# EXTRA_USERS are the users created besides routed_contacts' agent (they count towards the instance's users).
EXTRA_USERS = []


def transfers_and_metrics(inst, sp, agent, queue, hours, profile, flow, task, chat, describe):
    """Runs while the routed task and chat are both CONNECTED to the agent.

    GetCurrentMetricData for the routing queue; then a second agent on the same routing profile takes a fresh task (the
    first agent's TASK slot is full), which TransferContact moves to a second queue through a flow that transfers to the
    target queue the transfer sets; then SearchContacts, GetContactMetrics and GetMetricDataV2.
    """
    def metrics():
        out = client.get_current_metric_data(
            InstanceId=inst, Filters={"Queues": [queue], "Channels": ["TASK", "CHAT"]}, Groupings=["QUEUE"],
            CurrentMetrics=[{"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, {"Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT"},
                            {"Name": "SLOTS_ACTIVE", "Unit": "COUNT"}])
        eq("MetricResults length", len(out["MetricResults"]), 1)
        r = out["MetricResults"][0]
        eq("Dimensions.Queue.Id", r.get("Dimensions", {}).get("Queue", {}).get("Id"), queue)
        eq("Collections", [(c["Metric"]["Name"], c["Metric"]["Unit"]) for c in r["Collections"]],
           [("AGENTS_ONLINE", "COUNT"), ("CONTACTS_IN_QUEUE", "COUNT"), ("SLOTS_ACTIVE", "COUNT")])
        for c in r["Collections"]:
            ok(type(c.get("Value")) is float, f"{c['Metric']['Name']} Value is {type(c.get('Value')).__name__} {c.get('Value')!r}")
        eq("Values", [c["Value"] for c in r["Collections"]], [1.0, 0.0, 2.0])
        recent("DataSnapshotTime", out.get("DataSnapshotTime"))
        ok(type(out["ApproximateTotalCount"]) is int, f"ApproximateTotalCount is {type(out['ApproximateTotalCount']).__name__}")
        eq("ApproximateTotalCount", out["ApproximateTotalCount"], 1)
    check("GetCurrentMetricData", "the queue on TASK and CHAT: AGENTS_ONLINE 1, CONTACTS_IN_QUEUE 0, SLOTS_ACTIVE 2 (task and chat connected)", metrics)
    expect_error("GetCurrentMetricData", "OLDEST_CONTACT_AGE with Unit COUNT is InvalidParameterException", X.InvalidParameterException, 400,
                 lambda: client.get_current_metric_data(InstanceId=inst, Filters={"Queues": [queue]},
                                                        CurrentMetrics=[{"Name": "OLDEST_CONTACT_AGE", "Unit": "COUNT"}]))

    def create_queue():
        out = client.create_queue(InstanceId=inst, Name="Compat transfer queue", HoursOfOperationId=hours)
        ok(out["QueueArn"].endswith("/queue/" + out["QueueId"]), out["QueueArn"])
        return out["QueueId"]
    queue2 = check("CreateQueue", "a second queue on the same hours, for transfers", create_queue)
    xfer_flow = check("CreateContactFlow", "a flow that transfers to the target queue the transfer sets", lambda: client.create_contact_flow(
        InstanceId=inst, Name="Compat transfer", Type="CONTACT_FLOW", Content=TRANSFER_ONLY)["ContactFlowId"])

    def create_second():
        out = client.create_user(
            InstanceId=inst, Username="tom.transfer", Password="Str0ngPassw0rd", IdentityInfo={"FirstName": "Tom", "LastName": "Transfer"},
            SecurityProfileIds=[sp.get("Agent")], RoutingProfileId=profile,
            AutoAcceptConfigs=[{"Channel": "TASK", "AutoAccept": True}, {"Channel": "CHAT", "AutoAccept": True}],
            AfterContactWorkConfigs=[{"Channel": ch, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0}} for ch in ("TASK", "CHAT")])
        ok(UUID.match(out["UserId"]), f"UserId {out['UserId']!r}")
        EXTRA_USERS.append(out["UserId"])
        return out["UserId"]
    second = check("CreateUser", "a second auto-accepting agent on the same routing profile", create_second)
    if queue2 and xfer_flow and second:
        def available():
            routable = client.list_agent_statuses(InstanceId=inst, AgentStatusTypes=["ROUTABLE"])["AgentStatusSummaryList"][0]["Id"]
            client.put_user_status(InstanceId=inst, UserId=second, AgentStatusId=routable)
        check("PutUserStatus", "the second agent becomes Available", available)

        def start_moved():
            cid = client.start_task_contact(InstanceId=inst, ContactFlowId=flow, Name="Compat transferred task")["ContactId"]
            c = describe(cid)
            eq("agent, queue", (c.get("AgentInfo", {}).get("Id"), c.get("QueueInfo", {}).get("Id")), (second, queue))
            recent("AgentInfo.ConnectedToAgentTimestamp", c["AgentInfo"].get("ConnectedToAgentTimestamp"))
            return cid
        moved = check("StartTaskContact", "a fresh task goes to the second agent (the first one's TASK slot is full)", start_moved)
        if moved:
            def transfer():
                out = client.transfer_contact(InstanceId=inst, ContactId=moved, QueueId=queue2, ContactFlowId=xfer_flow)
                ok(UUID.match(out["ContactId"]), f"ContactId {out['ContactId']!r}")
                ok(out["ContactId"] != moved, "the same ContactId as the transferred contact")
                ok(isinstance(out.get("ContactArn"), str) and out["ContactArn"].endswith("/contact/" + out["ContactId"]), f"ContactArn {out.get('ContactArn')!r}")
                return out["ContactId"]
            nxt = check("TransferContact", "the connected task to the second queue: a new ContactId and its ContactArn", transfer)
            if nxt:
                def new_contact():
                    c = describe(nxt)
                    eq("InitiationMethod, PreviousContactId, Channel", (c.get("InitiationMethod"), c.get("PreviousContactId"), c.get("Channel")),
                       ("TRANSFER", moved, "TASK"))
                    eq("QueueInfo.Id", c.get("QueueInfo", {}).get("Id"), queue2)
                    recent("QueueInfo.EnqueueTimestamp", c["QueueInfo"].get("EnqueueTimestamp"))
                check("DescribeContact", "the transferred contact: InitiationMethod TRANSFER, PreviousContactId the original, QueueInfo.Id the second queue", new_contact)
                check("DescribeContact", "the original task has ended: a DisconnectTimestamp datetime",
                      lambda: recent("DisconnectTimestamp", describe(moved).get("DisconnectTimestamp")))
                search_and_contact_metrics(inst, queue2=queue2, moved=moved, waiting=nxt, chat=chat)
                historical_metrics(inst, queue=queue, profile=profile, tasks=[task, moved], chat=chat, describe=describe)
    expect_error("TransferContact", "a chat is InvalidRequestException", X.InvalidRequestException, 400,
                 lambda: client.transfer_contact(InstanceId=inst, ContactId=chat, QueueId=queue2 or queue, ContactFlowId=xfer_flow or flow))


def search_and_contact_metrics(inst, queue2, moved, waiting, chat):
    """SearchContacts and GetContactMetrics (docs/BEHAVIOUR.md, "Contact search", "Contact metrics").

    Runs after TransferContact: moved is the task started through the API and transferred (now ended), waiting the
    transferred task waiting in the second queue, which no agent serves, and chat the chat CONNECTED to the first agent.
    The search window is fixed once, so every search below sees the same matches (the run starts no contact meanwhile).
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    window = {"Type": "INITIATION_TIMESTAMP", "StartTime": now - datetime.timedelta(hours=1), "EndTime": now + datetime.timedelta(minutes=5)}
    tasks = {"Channels": ["TASK"]}

    def search():
        out = client.search_contacts(InstanceId=inst, TimeRange=window, SearchCriteria=tasks)
        found = {c["Id"]: c for c in out["Contacts"]}
        ok(moved in found and waiting in found, f"Contacts {list(found)} lack {moved} or {waiting}")
        c = found[moved]
        eq("Channel, InitiationMethod, Name", (c.get("Channel"), c.get("InitiationMethod"), c.get("Name")), ("TASK", "API", "Compat transferred task"))
        ok(isinstance(c.get("Arn"), str) and c["Arn"].endswith(f"instance/{inst}/contact/{moved}"), f"Arn {c.get('Arn')!r}")
        recent("InitiationTimestamp", c.get("InitiationTimestamp"))
        recent("DisconnectTimestamp", c.get("DisconnectTimestamp"))
        w = found[waiting]
        eq("the waiting task: InitiationMethod, PreviousContactId, QueueInfo.Id", (w.get("InitiationMethod"), w.get("PreviousContactId"), w.get("QueueInfo", {}).get("Id")),
           ("TRANSFER", moved, queue2))
        ok("DisconnectTimestamp" not in w, f"the waiting task has DisconnectTimestamp {w.get('DisconnectTimestamp')!r}")
        eq("Channels", {x.get("Channel") for x in out["Contacts"]}, {"TASK"})
        ok(type(out.get("TotalCount")) is int, f"TotalCount is {type(out.get('TotalCount')).__name__} {out.get('TotalCount')!r}")
        ok(out["TotalCount"] >= len(out["Contacts"]), f"TotalCount {out['TotalCount']} < {len(out['Contacts'])} Contacts")
        times = [x["InitiationTimestamp"] for x in out["Contacts"]]
        ok(times == sorted(times, reverse=True), f"not newest first: {times}")
        return out
    every = check("SearchContacts", "TASK contacts initiated in the last hour: the API task (Channel TASK, InitiationMethod API, its Arn) and the waiting transferred task, newest first, TotalCount >= Contacts", search)

    def one_per_page():
        first = client.search_contacts(InstanceId=inst, TimeRange=window, SearchCriteria=tasks, MaxResults=1)
        eq("first page length", len(first["Contacts"]), 1)
        ok(first["TotalCount"] > 1, f"TotalCount {first['TotalCount']}: want more than one matching task")
        ok(first.get("NextToken"), "no NextToken on the first page of several")
        second = client.search_contacts(InstanceId=inst, TimeRange=window, SearchCriteria=tasks, MaxResults=1, NextToken=first["NextToken"])
        eq("second page length", len(second["Contacts"]), 1)
        ok(second["Contacts"][0]["Id"] != first["Contacts"][0]["Id"], f"the same contact {second['Contacts'][0]['Id']} on both pages")
        eq("TotalCount on the second page", second["TotalCount"], first["TotalCount"])
    check("SearchContacts", "MaxResults 1: one contact and a NextToken; the NextToken gives a different contact, the same TotalCount", one_per_page)

    if every:
        def paginator():
            ids, totals = [], set()
            for page in client.get_paginator("search_contacts").paginate(
                    InstanceId=inst, TimeRange=window, SearchCriteria=tasks, PaginationConfig={"PageSize": 1}):
                ok(len(page["Contacts"]) <= 1, f"a page of {len(page['Contacts'])} contacts with PageSize 1")
                ids += [c["Id"] for c in page["Contacts"]]
                totals.add(page["TotalCount"])
            eq("ids", ids, [c["Id"] for c in every["Contacts"]])
            eq("TotalCount on every page", totals, {every["TotalCount"]})
        check("SearchContacts", "paginator with PageSize 1 walks the same contacts in the same order, TotalCount on every page", paginator)

    expect_error("SearchContacts", "EndTime before StartTime is InvalidParameterException", X.InvalidParameterException, 400,
                 lambda: client.search_contacts(InstanceId=inst, TimeRange=dict(window, StartTime=window["EndTime"], EndTime=window["StartTime"])))
    def analysis():
        out = client.search_contacts(InstanceId=inst, TimeRange=window, SearchCriteria={"ContactAnalysis": {"Transcript": {
            "Criteria": [{"ParticipantRole": "CUSTOMER", "SearchText": ["refund"], "MatchType": "MATCH_ALL"}], "MatchType": "MATCH_ALL"}}})
        eq("Contacts", out.get("Contacts"), [])
        eq("TotalCount", out.get("TotalCount"), 0)
    check("SearchContacts", "a ContactAnalysis criterion: no contact was analyzed, so none is found (Contacts [], TotalCount 0)", analysis)

    def position():
        out = client.get_contact_metrics(InstanceId=inst, ContactId=waiting, Metrics=[{"Name": "POSITION_IN_QUEUE"}])
        eq("Id", out.get("Id"), waiting)
        ok(isinstance(out.get("Arn"), str) and out["Arn"].endswith(f"instance/{inst}/contact/{waiting}"), f"Arn {out.get('Arn')!r}")
        eq("MetricResults", out.get("MetricResults"), [{"Name": "POSITION_IN_QUEUE", "Value": {"Number": 1.0}}])
        ok(type(out["MetricResults"][0]["Value"]["Number"]) is float, f"Number is {type(out['MetricResults'][0]['Value']['Number']).__name__}")
    check("GetContactMetrics", "the task waiting alone in the unserved queue: POSITION_IN_QUEUE Number 1.0, its Id and Arn", position)
    check("GetContactMetrics", "ESTIMATED_WAIT_TIME is left out while no contact of the queue was answered in the last hour",
          lambda: eq("MetricResults", client.get_contact_metrics(InstanceId=inst, ContactId=waiting, Metrics=[
              {"Name": "POSITION_IN_QUEUE"}, {"Name": "ESTIMATED_WAIT_TIME"}]).get("MetricResults"),
              [{"Name": "POSITION_IN_QUEUE", "Value": {"Number": 1.0}}]))
    expect_error("GetContactMetrics", "a chat connected to an agent (not waiting) is InvalidRequestException", X.InvalidRequestException, 400,
                 lambda: client.get_contact_metrics(InstanceId=inst, ContactId=chat, Metrics=[{"Name": "POSITION_IN_QUEUE"}]))
    expect_error("GetContactMetrics", "an ended (transferred) task is InvalidRequestException", X.InvalidRequestException, 400,
                 lambda: client.get_contact_metrics(InstanceId=inst, ContactId=moved, Metrics=[{"Name": "POSITION_IN_QUEUE"}]))


def historical_metrics(inst, queue, profile, tasks, chat, describe):
    """GetMetricDataV2 over the last hour (docs/BEHAVIOUR.md, "Historical metrics (GetMetricDataV2)"; docs/METRICS.md).

    Runs after search_and_contact_metrics: tasks are the two tasks the routing queue's flow queued, each auto-accepted by
    an agent (the first still CONNECTED, the second transferred on to the second queue, so ended), chat the chat it
    queued, CONNECTED to the first agent. No other contact of this run entered the routing queue, so its TASK row counts
    exactly the two tasks and its CHAT row the chat; their times in queue come from DescribeContact.
    """
    def window():
        """The instance's ARN and EndTime: the first whole second (boto3 sends these timestamps as epoch seconds) after
        the routing queue's contacts were created, queued and answered, waited for until it is a second in the past
        (EndTime may not be later than the server's now): this run gets here within a second of starting them."""
        arn = client.describe_instance(InstanceId=inst)["Instance"]["Arn"]
        stamps = []
        for c in map(describe, tasks + [chat]):
            stamps += [c["InitiationTimestamp"], c["QueueInfo"]["EnqueueTimestamp"], c["AgentInfo"]["ConnectedToAgentTimestamp"]]
        for t in stamps:
            recent("timestamp", t)
        end = max(stamps).replace(microsecond=0) + datetime.timedelta(seconds=1)
        pause = (end + datetime.timedelta(seconds=1) - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        if pause > 0:
            time.sleep(pause)
        return arn, end
    got = check("DescribeContact", "the routing queue's tasks and chat: Initiation, Enqueue and ConnectedToAgent datetimes "
                "(GetMetricDataV2's EndTime follows them)", window)
    if not got:
        return
    arn, end = got
    start = end - datetime.timedelta(hours=1)
    by_queue = [{"FilterKey": "QUEUE", "FilterValues": [queue]}]
    counted = [{"Name": "CONTACTS_CREATED"}, {"Name": "CONTACTS_QUEUED"}, {"Name": "AVG_QUEUE_ANSWER_TIME"}]
    service_level = {"Name": "SERVICE_LEVEL", "Threshold": [{"Comparison": "LT", "ThresholdValue": 60.0}]}

    def v2(**kw):
        return client.get_metric_data_v2(ResourceArn=arn, StartTime=start, EndTime=end, **kw)

    def waits():
        """The tasks' times in queue, in seconds: ConnectedToAgentTimestamp - EnqueueTimestamp (milliseconds on the wire)."""
        out = []
        for cid in tasks:
            c = describe(cid)
            eq(f"{cid} QueueInfo.Id", c.get("QueueInfo", {}).get("Id"), queue)
            out.append((c["AgentInfo"]["ConnectedToAgentTimestamp"] - c["QueueInfo"]["EnqueueTimestamp"]).total_seconds())
        return out

    def rows_of(out):
        """MetricResults keyed by (QUEUE, CHANNEL); every Collection echoes its Metric and has a float Value or none."""
        ok(isinstance(out.get("MetricResults"), list), f"MetricResults {out.get('MetricResults')!r}")
        rows = {}
        for r in out["MetricResults"]:
            d = r.get("Dimensions")
            ok(isinstance(d, dict) and set(d) == {"QUEUE", "CHANNEL"}, f"Dimensions {d!r}: want exactly QUEUE and CHANNEL")
            eq("Dimensions.QUEUE (the filter's queue)", d["QUEUE"], queue)
            for c in r.get("Collections", []):
                ok("Value" not in c or type(c["Value"]) is float, f"{c.get('Metric')} Value is {type(c.get('Value')).__name__} {c.get('Value')!r}")
            rows.setdefault((d["QUEUE"], d["CHANNEL"]), []).append(r)
        return rows

    def values(row, metrics):
        eq("Collections' Metric (each echoes the requested one, in order)", [c.get("Metric") for c in row.get("Collections", [])], metrics)
        return [c.get("Value") for c in row["Collections"]]

    def totals():
        w = waits()
        out = v2(Filters=by_queue, Groupings=["QUEUE", "CHANNEL"], Metrics=counted)
        rows = rows_of(out)
        eq("rows (QUEUE, CHANNEL)", sorted(rows), [(queue, "CHAT"), (queue, "TASK")])
        eq("rows per group without an Interval", {k: len(v) for k, v in rows.items()}, {(queue, "CHAT"): 1, (queue, "TASK"): 1})
        eq("order (by the groupings' values)", [r["Dimensions"]["CHANNEL"] for r in out["MetricResults"]], ["CHAT", "TASK"])
        task = rows[(queue, "TASK")][0]
        ok("MetricInterval" not in task, f"MetricInterval {task.get('MetricInterval')!r} without an Interval in the request")
        created, queued, answer = values(task, counted)
        ok(created is not None and created >= 1, f"TASK CONTACTS_CREATED {created!r}: want >= 1")
        eq("TASK CONTACTS_CREATED, CONTACTS_QUEUED (the two tasks of the queue's flow)", (created, queued), (2.0, 2.0))
        want = sum(w) / len(w)
        ok(answer is not None and abs(answer - want) <= 0.002,
           f"TASK AVG_QUEUE_ANSWER_TIME {answer!r}: want {want:.4f} (the tasks' waits {w} from DescribeContact)")
        created, queued, answer = values(rows[(queue, "CHAT")][0], counted)
        eq("CHAT CONTACTS_CREATED, CONTACTS_QUEUED", (created, queued), (1.0, 1.0))
        ok(answer is not None and answer >= 0, f"CHAT AVG_QUEUE_ANSWER_TIME {answer!r}: want a number >= 0")
    check("GetMetricDataV2", "the last hour, by QUEUE and CHANNEL, filtered by the routing queue: a TASK row naming the queue, "
          "CONTACTS_CREATED 2 and CONTACTS_QUEUED 2, AVG_QUEUE_ANSWER_TIME the tasks' mean wait; a CHAT row 1 and 1; Metrics echoed", totals)

    def hourly():
        out = v2(Filters=by_queue, Groupings=["QUEUE", "CHANNEL"], Metrics=counted, Interval={"IntervalPeriod": "HOUR", "TimeZone": "UTC"})
        rows = rows_of(out)
        eq("groups (QUEUE, CHANNEL)", sorted(rows), [(queue, "CHAT"), (queue, "TASK")])
        for r in out["MetricResults"]:
            iv = r.get("MetricInterval")
            ok(isinstance(iv, dict), f"MetricInterval {iv!r}")
            eq("MetricInterval.Interval", iv.get("Interval"), "HOUR")
            s, e = iv.get("StartTime"), iv.get("EndTime")
            ok(isinstance(s, datetime.datetime) and isinstance(e, datetime.datetime), f"MetricInterval times {s!r}, {e!r}")
            ok(start <= s < e <= end, f"MetricInterval {s} - {e} not inside the request's {start} - {end}")
            for what, t, edge in (("StartTime", s, start), ("EndTime", e, end)):
                u = t.astimezone(datetime.timezone.utc)  # botocore gives local time
                ok(t == edge or (u.minute, u.second, u.microsecond) == (0, 0, 0), f"MetricInterval.{what} {u}: want the range's edge {edge} or a whole UTC hour")
            ok((e - s) <= datetime.timedelta(hours=1), f"MetricInterval {s} - {e} longer than an hour")
        task_rows = rows[(queue, "TASK")]
        starts = [r["MetricInterval"]["StartTime"] for r in task_rows]
        eq("TASK rows' intervals (distinct, in order)", starts, sorted(set(starts)))
        eq("TASK CONTACTS_CREATED, CONTACTS_QUEUED summed over the hours", tuple(sum(values(r, counted)[i] or 0 for r in task_rows) for i in (0, 1)), (2.0, 2.0))
        for cid in tasks:
            t = describe(cid)["InitiationTimestamp"]
            ok(any(r["MetricInterval"]["StartTime"] <= t < r["MetricInterval"]["EndTime"] and values(r, counted)[0] >= 1 for r in task_rows),
               f"no TASK row whose MetricInterval holds {cid}'s InitiationTimestamp {t} with CONTACTS_CREATED >= 1")
    check("GetMetricDataV2", "Interval HOUR, UTC: each row's MetricInterval is HOUR, inside the request's range, on whole hours; "
          "the TASK rows hold the tasks' initiations and add up to 2 created, 2 queued", hourly)

    def level():
        w = waits()
        out = v2(Filters=by_queue, Groupings=["QUEUE", "CHANNEL"], Metrics=[service_level])
        rows = rows_of(out)
        ok((queue, "TASK") in rows, f"no TASK row in {sorted(rows)}")
        (v,) = values(rows[(queue, "TASK")][0], [service_level])
        ok(v is not None and 0.0 <= v <= 100.0, f"TASK SERVICE_LEVEL {v!r}: want a number from 0 to 100 (two tasks left the queue)")
        want = round(100.0 * sum(1 for x in w if x < 60) / len(w), 3)
        eq(f"TASK SERVICE_LEVEL (tasks' waits {w})", v, want)
    check("GetMetricDataV2", "SERVICE_LEVEL with Threshold LT 60: the TASK row's percentage of the two answered tasks (100.0 when both waited under 60 s), the Threshold echoed", level)

    expect_error("GetMetricDataV2", "AGENT_NON_RESPONSE (not computed) is InvalidParameterException", X.InvalidParameterException, 400,
                 lambda: v2(Filters=[{"FilterKey": "ROUTING_PROFILE", "FilterValues": [profile]}], Groupings=["ROUTING_PROFILE"],
                            Metrics=[{"Name": "AGENT_NON_RESPONSE"}]))
    expect_error("GetMetricDataV2", "SERVICE_LEVEL without a Threshold is InvalidParameterException", X.InvalidParameterException, 400,
                 lambda: v2(Filters=by_queue, Metrics=[{"Name": "SERVICE_LEVEL"}]))
    expect_error("GetMetricDataV2", "an EndTime in the future is InvalidParameterException", X.InvalidParameterException, 400,
                 lambda: client.get_metric_data_v2(ResourceArn=arn, StartTime=start, EndTime=end + datetime.timedelta(minutes=10),
                                                   Filters=by_queue, Metrics=counted))


def routed_contacts(inst, sp):
    """A task and a chat routed to an agent, described and stopped (docs/BEHAVIOUR.md, "Routing and the contact engine").

    Sets up a queue open all day, a routing profile serving it on TASK and CHAT (ROUTE_ANY_CHANNEL), a flow that transfers
    to it and an Available agent who auto-accepts with no after-contact-work limit. Returns the agent's user id, which
    counts towards the instance's users.
    """
    days = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]

    def create_hours():
        out = client.create_hours_of_operation(InstanceId=inst, Name="Compat all day", TimeZone="UTC", Config=[
            {"Day": d, "StartTime": {"Hours": 0, "Minutes": 0}, "EndTime": {"Hours": 0, "Minutes": 0}} for d in days])
        ok(UUID.match(out["HoursOfOperationId"]), f"HoursOfOperationId {out['HoursOfOperationId']!r}")
        return out["HoursOfOperationId"]
    hours = check("CreateHoursOfOperation", "UTC, 00:00-00:00 on all seven days (open all day)", create_hours)
    if not hours:
        return None

    def create_queue():
        out = client.create_queue(InstanceId=inst, Name="Compat routed", HoursOfOperationId=hours)
        ok(out["QueueArn"].endswith("/queue/" + out["QueueId"]), out["QueueArn"])
        return out["QueueId"]
    queue = check("CreateQueue", "a queue on the all-day hours", create_queue)
    if not queue:
        return None

    def create_profile():
        out = client.create_routing_profile(
            InstanceId=inst, Name="Compat routed", Description="routes the compat queue", DefaultOutboundQueueId=queue,
            MediaConcurrencies=[
                {"Channel": "TASK", "Concurrency": 1, "CrossChannelBehavior": {"BehaviorType": "ROUTE_ANY_CHANNEL"}},
                {"Channel": "CHAT", "Concurrency": 2, "CrossChannelBehavior": {"BehaviorType": "ROUTE_ANY_CHANNEL"}}],
            QueueConfigs=[{"QueueReference": {"QueueId": queue, "Channel": ch}, "Priority": 1, "Delay": 0} for ch in ("TASK", "CHAT")])
        ok(out["RoutingProfileArn"].endswith("/routing-profile/" + out["RoutingProfileId"]), out["RoutingProfileArn"])
        return out["RoutingProfileId"]
    profile = check("CreateRoutingProfile", "TASK 1 and CHAT 2, ROUTE_ANY_CHANNEL, serving the queue on both", create_profile)
    flow = check("CreateContactFlow", "a flow that sets the target queue and transfers to it", lambda: client.create_contact_flow(
        InstanceId=inst, Name="Compat to queue", Type="CONTACT_FLOW", Content=to_queue(queue))["ContactFlowId"])
    if not (profile and flow):
        return None

    def create_agent():
        out = client.create_user(
            InstanceId=inst, Username="rita.router", Password="Str0ngPassw0rd", IdentityInfo={"FirstName": "Rita", "LastName": "Router"},
            SecurityProfileIds=[sp.get("Agent")], RoutingProfileId=profile,
            AutoAcceptConfigs=[{"Channel": "TASK", "AutoAccept": True}, {"Channel": "CHAT", "AutoAccept": True}],
            AfterContactWorkConfigs=[{"Channel": ch, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0}} for ch in ("TASK", "CHAT")])
        ok(UUID.match(out["UserId"]), f"UserId {out['UserId']!r}")
        return out["UserId"]
    agent = check("CreateUser", "an agent on the profile: AutoAccept on and AfterContactWorkTimeLimit 0 for TASK and CHAT", create_agent)
    if not agent:
        return None

    def find_routable():
        found = client.list_agent_statuses(InstanceId=inst, AgentStatusTypes=["ROUTABLE"])["AgentStatusSummaryList"]
        eq("ROUTABLE statuses", [(s["Name"], s["Type"]) for s in found], [("Available", "ROUTABLE")])
        return found[0]["Id"]
    routable = check("ListAgentStatuses", "one ENABLED ROUTABLE status (Available)", find_routable)
    if not routable:
        return agent
    if check("PutUserStatus", "the agent becomes Available", lambda: client.put_user_status(InstanceId=inst, UserId=agent, AgentStatusId=routable)) is None:
        return agent

    def describe(cid):
        return client.describe_contact(InstanceId=inst, ContactId=cid)["Contact"]

    def agent_data():
        out = client.get_current_user_data(InstanceId=inst, Filters={"Agents": [agent]})
        eq("ApproximateTotalCount", out["ApproximateTotalCount"], 1)
        eq("user", out["UserDataList"][0]["User"]["Id"], agent)
        return out["UserDataList"][0]

    def start_task():
        out = client.start_task_contact(InstanceId=inst, ContactFlowId=flow, Name="Compat routed task")
        ok(UUID.match(out["ContactId"]), f"ContactId {out['ContactId']!r}")
        return out["ContactId"]
    task = check("StartTaskContact", "a task on the flow that transfers to the queue", start_task)
    if not task:
        return agent

    def task_connected():
        c = describe(task)
        eq("agent, queue", (c.get("AgentInfo", {}).get("Id"), c.get("QueueInfo", {}).get("Id")), (agent, queue))
        recent("QueueInfo.EnqueueTimestamp", c["QueueInfo"]["EnqueueTimestamp"])
        recent("AgentInfo.ConnectedToAgentTimestamp", c["AgentInfo"]["ConnectedToAgentTimestamp"])
        ok(c["QueueInfo"]["EnqueueTimestamp"] <= c["AgentInfo"]["ConnectedToAgentTimestamp"], "connected before it was queued")
        ok("DisconnectTimestamp" not in c, f"DisconnectTimestamp {c.get('DisconnectTimestamp')!r}")
        ok("DisconnectReason" not in c, f"DisconnectReason {c.get('DisconnectReason')!r}")
    check("DescribeContact", "the task is queued and auto-accepted: AgentInfo.Id, QueueInfo.Id and their datetime timestamps, no DisconnectTimestamp", task_connected)

    def holds_task():
        d = agent_data()
        eq("status", d["Status"]["StatusName"], "Available")
        eq("contacts", [(x["ContactId"], x["Channel"], x["AgentContactState"], x.get("Queue", {}).get("Id")) for x in d["Contacts"]],
           [(task, "TASK", "CONNECTED", queue)])
        recent("Contacts[0].ConnectedToAgentTimestamp", d["Contacts"][0]["ConnectedToAgentTimestamp"])
        recent("Contacts[0].StateStartTimestamp", d["Contacts"][0]["StateStartTimestamp"])
        ok(type(d["ActiveSlotsByChannel"]["TASK"]) is int, f"ActiveSlotsByChannel.TASK is {type(d['ActiveSlotsByChannel']['TASK']).__name__}")
        eq("ActiveSlotsByChannel.TASK", d["ActiveSlotsByChannel"]["TASK"], 1)
    check("GetCurrentUserData", "the agent holds the task CONNECTED; ActiveSlotsByChannel.TASK 1", holds_task)

    def start_chat():
        out = client.start_chat_contact(InstanceId=inst, ContactFlowId=flow, ParticipantDetails={"DisplayName": "Compat routed"})
        ok(out["ContactId"] and out["ParticipantId"] and out["ParticipantToken"], f"answer {out!r}")
        return out["ContactId"]
    chat = check("StartChatContact", "a chat on the flow that transfers to the queue", start_chat)
    if chat:
        def chat_connected():
            c = describe(chat)
            eq("channel, agent, queue", (c["Channel"], c.get("AgentInfo", {}).get("Id"), c.get("QueueInfo", {}).get("Id")), ("CHAT", agent, queue))
            recent("AgentInfo.ConnectedToAgentTimestamp", c["AgentInfo"]["ConnectedToAgentTimestamp"])
            ok("DisconnectTimestamp" not in c, f"DisconnectTimestamp {c.get('DisconnectTimestamp')!r}")
        check("DescribeContact", "the chat goes to the same agent beside the task (ROUTE_ANY_CHANNEL)", chat_connected)

    if chat:
        transfers_and_metrics(inst, sp, agent=agent, queue=queue, hours=hours, profile=profile, flow=flow, task=task, chat=chat, describe=describe)

    check("StopContact", "the connected task is stopped", lambda: client.stop_contact(InstanceId=inst, ContactId=task))

    def task_stopped():
        c = describe(task)
        eq("DisconnectReason, agent", (c.get("DisconnectReason"), c.get("AgentInfo", {}).get("Id")), ("API", agent))
        recent("DisconnectTimestamp", c.get("DisconnectTimestamp"))
        recent("AgentInfo.AfterContactWorkStartTimestamp", c["AgentInfo"].get("AfterContactWorkStartTimestamp"))
        ok(c["AgentInfo"]["ConnectedToAgentTimestamp"] <= c["DisconnectTimestamp"], "disconnected before it connected")
    check("DescribeContact", "the stopped task: DisconnectReason API, DisconnectTimestamp and AfterContactWorkStartTimestamp datetimes", task_stopped)

    def task_ended():
        d = agent_data()
        want = {task: ("TASK", "ENDED")}
        if chat:
            want[chat] = ("CHAT", "CONNECTED")
        eq("contacts", {x["ContactId"]: (x["Channel"], x["AgentContactState"]) for x in d["Contacts"]}, want)
        eq("ActiveSlotsByChannel.TASK", d["ActiveSlotsByChannel"]["TASK"], 1)
    check("GetCurrentUserData", "the stopped task is ENDED (after contact work, limit 0), the chat still CONNECTED", task_ended)
    if chat:
        check("StopContact", "the connected chat is stopped", lambda: client.stop_contact(InstanceId=inst, ContactId=chat))

        def chat_stopped():
            c = describe(chat)
            recent("DisconnectTimestamp", c.get("DisconnectTimestamp"))
            eq("agent", c.get("AgentInfo", {}).get("Id"), agent)
        check("DescribeContact", "the stopped chat has a DisconnectTimestamp datetime", chat_stopped)
    return agent


def numbers_and_integrations(inst, inst_arn):
    """A phone number claimed, described, pointed at a flow and released; a Lambda function and a storage config associated."""
    account = inst_arn.split(":")[4]

    def claim():
        found = client.search_available_phone_numbers(TargetArn=inst_arn, PhoneNumberCountryCode="US", PhoneNumberType="DID", MaxResults=1)["AvailableNumbersList"]
        ok(found and found[0]["PhoneNumber"].startswith("+1"), f"available {found!r}")
        out = client.claim_phone_number(TargetArn=inst_arn, PhoneNumber=found[0]["PhoneNumber"], PhoneNumberDescription="compat")
        ok(out["PhoneNumberArn"].endswith("/" + out["PhoneNumberId"]), out["PhoneNumberArn"])
        return out["PhoneNumberId"], found[0]["PhoneNumber"]
    claimed = check("ClaimPhoneNumber", "a number from SearchAvailablePhoneNumbers", claim)
    if claimed:
        pid, number = claimed

        def wait_claimed():
            for _ in range(5):
                n = client.describe_phone_number(PhoneNumberId=pid)["ClaimedPhoneNumberSummary"]
                if n["PhoneNumberStatus"]["Status"] == "CLAIMED":
                    eq("number", (n["PhoneNumber"], n["PhoneNumberCountryCode"], n["PhoneNumberType"], n["InstanceId"]), (number, "US", "DID", inst))
                    return
                ok(n["PhoneNumberStatus"]["Status"] == "IN_PROGRESS", n["PhoneNumberStatus"])
            raise AssertionError("never CLAIMED")
        check("DescribePhoneNumber", "IN_PROGRESS, then CLAIMED, as Terraform's waiter polls", wait_claimed)

        def associate():
            fid = client.create_contact_flow(InstanceId=inst, Name="Compat inbound", Type="CONTACT_FLOW", Content=HANG_UP)["ContactFlowId"]
            client.associate_phone_number_contact_flow(PhoneNumberId=pid, InstanceId=inst, ContactFlowId=fid)
            assocs = client.list_flow_associations(InstanceId=inst, ResourceType="VOICE_PHONE_NUMBER")["FlowAssociationSummaryList"]
            ok(any(a["FlowId"].endswith(fid) or a["FlowId"] == fid for a in assocs), f"associations {assocs!r}")
            client.disassociate_phone_number_contact_flow(PhoneNumberId=pid, InstanceId=inst)
        check("AssociatePhoneNumberContactFlow", "the number answers with a flow, then not", associate)
        check("ReleasePhoneNumber", "released", lambda: client.release_phone_number(PhoneNumberId=pid))
        expect_error("DescribePhoneNumber", "a released number is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                     lambda: client.describe_phone_number(PhoneNumberId=pid))

    function = f"arn:aws:lambda:{REGION}:{account}:function:compat-lookup"

    def lambda_fn():
        client.associate_lambda_function(InstanceId=inst, FunctionArn=function)
        eq("functions", client.list_lambda_functions(InstanceId=inst)["LambdaFunctions"], [function])
        client.disassociate_lambda_function(InstanceId=inst, FunctionArn=function)
        eq("functions", client.list_lambda_functions(InstanceId=inst)["LambdaFunctions"], [])
    check("AssociateLambdaFunction", "associated, listed, disassociated", lambda_fn)

    def storage():
        config = {"StorageType": "S3", "S3Config": {"BucketName": "compat-recordings", "BucketPrefix": "calls"}}
        aid = client.associate_instance_storage_config(InstanceId=inst, ResourceType="CALL_RECORDINGS", StorageConfig=config)["AssociationId"]
        got = client.describe_instance_storage_config(InstanceId=inst, AssociationId=aid, ResourceType="CALL_RECORDINGS")["StorageConfig"]
        eq("storage config", (got["StorageType"], got["S3Config"]["BucketName"], got["AssociationId"]), ("S3", "compat-recordings", aid))
        client.disassociate_instance_storage_config(InstanceId=inst, AssociationId=aid, ResourceType="CALL_RECORDINGS")
    check("AssociateInstanceStorageConfig", "call recordings to S3, described, disassociated", storage)


if __name__ == "__main__":
    state = {}
    try:
        main(state)
    except Exception:  # noqa: BLE001
        report("runner", "unexpected error", traceback.format_exc())
    if state.get("instance"):
        inst = state["instance"]
        check("DeleteInstance", "instance and everything in it deleted", lambda: client.delete_instance(InstanceId=inst))
        expect_error("DescribeInstance", "deleted instance is ResourceNotFoundException", X.ResourceNotFoundException, 404,
                     lambda: client.describe_instance(InstanceId=inst))
    print(f"{counts['passed']} passed, {counts['failed']} failed", flush=True)
    sys.exit(1 if counts["failed"] else 0)
