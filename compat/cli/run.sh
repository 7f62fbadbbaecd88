#!/usr/bin/env bash
# Switchboard compatibility runner for the AWS CLI (v1 or v2).
#
# Runs README.md's "Quick start with the AWS CLI" block as shell, verbatim but
# for the endpoint URL (README's 127.0.0.1:4599 becomes SWITCHBOARD_ENDPOINT),
# then list calls with --query, --output table/text and the CLI's automatic
# pagination, the error table (exit status and "An error occurred (Code)"),
# tags through escaped ARNs, hierarchy, and deletion.
#
# Environment, as for every runner of compat/: SWITCHBOARD_ENDPOINT (unset:
# the CLI's default endpoint, i.e. real AWS), AWS_REGION, AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY. Also AWS_CLI (the aws binary, default: aws on PATH)
# and CLIENT (the name in the JSON lines, default awscli-vN from the binary).
#
# Connect defines no waiters, so there is no `aws connect wait` to exercise.
set -uo pipefail
cd "$(dirname "$0")/../.."
AWS_CLI=$(command -v "${AWS_CLI:-aws}") || { echo "no AWS CLI at ${AWS_CLI:-aws}" >&2; echo "0 passed, 1 failed"; exit 1; }
version=$("$AWS_CLI" --version 2>&1 | sed -n 's|^aws-cli/\([0-9.]*\).*|\1|p')
major=${version%%.*}
CLIENT=${CLIENT:-awscli-v$major}
REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}
export AWS_DEFAULT_REGION=$REGION AWS_PAGER="" AWS_MAX_ATTEMPTS=1
if [ -n "${SWITCHBOARD_ENDPOINT:-}" ]; then
  # The quick start exports this in its own shell; the checks after it need it too.
  export AWS_ENDPOINT_URL_CONNECT=$SWITCHBOARD_ENDPOINT
fi
echo "# $CLIENT aws-cli/$version ($AWS_CLI) against ${SWITCHBOARD_ENDPOINT:-the default endpoint} ($REGION)" >&2

passed=0 failed=0
json_str() {
  local s
  s=$(printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037')
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; s=${s//$'\r'/}
  printf '"%s"' "$s"
}
report() { # operation case error(empty: PASS)
  local status=PASS
  if [ -n "$3" ]; then status=FAIL; failed=$((failed + 1)); else passed=$((passed + 1)); fi
  printf '{"client":%s,"operation":%s,"case":%s,"status":"%s","error":%s}\n' \
    "$(json_str "$CLIENT")" "$(json_str "$1")" "$(json_str "$2")" "$status" "$(json_str "$3")"
}

# The endpoint: botocore >= 1.31 (CLI v1 >= 1.29, v2 >= 2.13) reads
# AWS_ENDPOINT_URL_CONNECT; older CLIs get README's own advice, --endpoint-url
# on each command, through a function that the quick start's subshell inherits.
needs_flag() { # version -> 0 if it predates AWS_ENDPOINT_URL_<SERVICE>
  local IFS=. v; read -r -a v <<<"$1"
  if [ "${v[0]}" = 1 ]; then [ "${v[1]}" -lt 29 ]; else [ "${v[1]}" -lt 13 ]; fi
}
ENDPOINT_FLAG=()
if [ -n "${SWITCHBOARD_ENDPOINT:-}" ] && needs_flag "$version"; then
  ENDPOINT_FLAG=(--endpoint-url "$SWITCHBOARD_ENDPOINT")
  echo "# aws-cli/$version predates AWS_ENDPOINT_URL_CONNECT: adding --endpoint-url to each command, as README says for older clients" >&2
fi
aws() { "$AWS_CLI" "${ENDPOINT_FLAG[@]}" "$@"; }
export AWS_CLI
export -f aws
if [ ${#ENDPOINT_FLAG[@]} -gt 0 ]; then
  # export -f cannot carry the array; the child rebuilds it from this.
  export SWITCHBOARD_CLI_ENDPOINT_FLAG=1
fi

OUT= ERR= RC=0
run() { # runs aws "$@", leaving OUT, ERR and RC
  local e; e=$(mktemp)
  OUT=$(aws "$@" 2>"$e"); RC=$?
  ERR=$(cat "$e"); rm -f "$e"
}
# squeeze turns every run of blanks and newlines into one space: CLI v2
# applies --query per page under --output text and prints one line per page.
squeeze() { printf '%s' "$1" | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'; }
# check_cmd operation case want_output aws-args...: the command succeeds and
# prints want_output (compared with squeezed blanks; '*' accepts any output).
check_cmd() {
  local op=$1 name=$2 want=$3; shift 3
  run "$@"
  if [ $RC -ne 0 ]; then report "$op" "$name" "exit $RC: $ERR"
  elif [ "$want" != '*' ] && [ "$(squeeze "$OUT")" != "$(squeeze "$want")" ]; then report "$op" "$name" "printed '$OUT', want '$want'"
  else report "$op" "$name" ""; fi
}
# check_contains operation case substring aws-args...
check_contains() {
  local op=$1 name=$2 want=$3; shift 3
  run "$@"
  if [ $RC -ne 0 ]; then report "$op" "$name" "exit $RC: $ERR"
  elif [[ "$OUT" != *"$want"* ]]; then report "$op" "$name" "output lacks '$want': $OUT"
  else report "$op" "$name" ""; fi
}
# check_match operation case regex aws-args...
check_match() {
  local op=$1 name=$2 re=$3; shift 3
  run "$@"
  if [ $RC -ne 0 ]; then report "$op" "$name" "exit $RC: $ERR"
  elif ! [[ "$(squeeze "$OUT")" =~ $re ]]; then report "$op" "$name" "printed '$OUT', want /$re/"
  else report "$op" "$name" ""; fi
}
# expect_error operation case Code aws-args...: non-zero exit and the CLI's
# "An error occurred (Code) when calling the Operation operation".
expect_error() {
  local op=$1 name=$2 code=$3; shift 3
  run "$@"
  if [ $RC -eq 0 ]; then report "$op" "$name" "accepted, want $code"
  elif [[ "$ERR" != *"An error occurred ($code) when calling the $op operation"* ]]; then report "$op" "$name" "exit $RC: $ERR"
  else report "$op" "$name" ""; fi
}
# expect_error_status operation case Code status request aws-args...: as
# expect_error, and the answer's HTTP status as --debug logs it (urllib3's
# '"POST /path HTTP/1.1" 400', request being 'POST /path').
expect_error_status() {
  local op=$1 name=$2 code=$3 status=$4 req=$5 line; shift 5
  run --debug "$@"
  line=$(grep -m1 -F "\"$req HTTP/1.1\"" <<<"$ERR")
  if [ $RC -eq 0 ]; then report "$op" "$name" "accepted, want $code"
  elif [[ "$ERR" != *"An error occurred ($code) when calling the $op operation"* ]]; then report "$op" "$name" "exit $RC: $(tail -n2 <<<"$ERR")"
  elif [[ "$line" != *"\"$req HTTP/1.1\" $status "* ]]; then report "$op" "$name" "want status $status, --debug logged '${line:-no $req}'"
  else report "$op" "$name" ""; fi
}
UUID='^[0-9a-f-]{36}$'
is_id() { [[ "$1" =~ $UUID ]]; }

# ---- The README's quick start, run as written.
block=$(awk '/^## Quick start with the AWS CLI/{q=1} q && /^```sh$/{b=1; next} b && /^```$/{exit} b' README.md)
if [ -z "$block" ]; then
  report "README" "quick start block found in README.md" "no \`\`\`sh block under '## Quick start with the AWS CLI'"
else
  report "README" "quick start block found in README.md" ""
fi
if [ -n "${SWITCHBOARD_ENDPOINT:-}" ]; then
  block=${block//http:\/\/127.0.0.1:4599/$SWITCHBOARD_ENDPOINT}
fi
qs_out=$(mktemp) qs_err=$(mktemp) qs_vars=$(mktemp)
INSTANCE=
cleanup() {
  rm -f "$qs_out" "$qs_err" "$qs_vars"
  # An instance left by a failed run would make the next run's quick start
  # (alias my-center) fail.
  [ -n "$INSTANCE" ] && aws connect delete-instance --instance-id "$INSTANCE" >/dev/null 2>&1
  return 0
}
trap cleanup EXIT
# The block runs in its own bash with -e, so any failing command stops it;
# afterwards its variables are handed back for the checks.
bash -c '
  set -e
  if [ -n "${SWITCHBOARD_CLI_ENDPOINT_FLAG:-}" ]; then
    aws() { "$AWS_CLI" --endpoint-url "$SWITCHBOARD_ENDPOINT" "$@"; }
  fi
  eval "$1"
  declare -p INSTANCE AGENT_SP ROUTING > "$2"
' quickstart "$block" "$qs_vars" >"$qs_out" 2>"$qs_err"
qs_rc=$?
if [ $qs_rc -eq 0 ]; then report "README" "quick start runs with set -e" ""; else report "README" "quick start runs with set -e" "exit $qs_rc: $(cat "$qs_err")"; fi
INSTANCE= AGENT_SP= ROUTING=
# shellcheck disable=SC1090
[ -s "$qs_vars" ] && . "$qs_vars"
if is_id "$INSTANCE"; then report "CreateInstance" "quick start: --query Id --output text gives the id" ""; else report "CreateInstance" "quick start: --query Id --output text gives the id" "INSTANCE='$INSTANCE'"; fi
if is_id "$AGENT_SP"; then report "ListSecurityProfiles" "quick start: JMESPath filter finds the Agent profile" ""; else report "ListSecurityProfiles" "quick start: JMESPath filter finds the Agent profile" "AGENT_SP='$AGENT_SP'"; fi
if is_id "$ROUTING"; then report "ListRoutingProfiles" "quick start: JMESPath filter finds Basic Routing Profile" ""; else report "ListRoutingProfiles" "quick start: JMESPath filter finds Basic Routing Profile" "ROUTING='$ROUTING'"; fi
qs=$(cat "$qs_out")
if [[ "$qs" =~ \"UserId\":\ \"[0-9a-f-]{36}\" && "$qs" == *'"UserArn": "arn:aws:connect:'*"/agent/"* ]]; then report "CreateUser" "quick start: create-user prints UserId and UserArn" ""; else report "CreateUser" "quick start: create-user prints UserId and UserArn" "output: $qs"; fi
if [[ "$qs" == *'"UserSummaryList"'* && "$qs" == *'"Username": "mary.major"'* ]]; then report "ListUsers" "quick start: list-users shows mary.major" ""; else report "ListUsers" "quick start: list-users shows mary.major" "output: $qs"; fi

if ! is_id "$INSTANCE"; then
  echo "$passed passed, $failed failed"
  exit 1
fi

# ---- Instances and default resources.
check_cmd DescribeInstance "--query with --output text: status" ACTIVE connect describe-instance --instance-id "$INSTANCE" --query Instance.InstanceStatus --output text
if [ "$major" = 1 ]; then ts_re='^[0-9]{10}(\.[0-9]+)?$'; else ts_re='^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}'; fi
check_match DescribeInstance "CreatedTime printed in this CLI's timestamp format" "$ts_re" connect describe-instance --instance-id "$INSTANCE" --query Instance.CreatedTime --output text
check_cmd ListInstances "--query filter on alias" "$INSTANCE" connect list-instances --query "InstanceSummaryList[?InstanceAlias=='my-center'].Id" --output text
check_contains ListSecurityProfiles "--output table" "ListSecurityProfiles" connect list-security-profiles --instance-id "$INSTANCE" --output table
[[ "$OUT" == *"| "*"Admin"*"|"* && "$OUT" == *"QualityAnalyst"* ]] && report ListSecurityProfiles "--output table lists the default profiles" "" || report ListSecurityProfiles "--output table lists the default profiles" "table: $OUT"
check_cmd ListSecurityProfiles "auto-pagination with --page-size 1 and sort()" '[ "Admin", "Agent", "CallCenterManager", "QualityAnalyst" ]' connect list-security-profiles --instance-id "$INSTANCE" --page-size 1 --query "sort(SecurityProfileSummaryList[].Name)" --output json
check_contains ListRoutingProfiles "--output table" "Basic Routing Profile" connect list-routing-profiles --instance-id "$INSTANCE" --output table
check_cmd ListQueues "--queue-types STANDARD, --output text" "BasicQueue	STANDARD" connect list-queues --instance-id "$INSTANCE" --queue-types STANDARD --query "QueueSummaryList[].[Name,QueueType]" --output text
check_cmd ListHoursOfOperations "--query names" "Basic Hours" connect list-hours-of-operations --instance-id "$INSTANCE" --query "HoursOfOperationSummaryList[].Name" --output text

# ---- The quick start's user.
check_match ListUsers "--query the quick start user's id" "$UUID" connect list-users --instance-id "$INSTANCE" --query "UserSummaryList[?Username=='mary.major'].Id" --output text
USER=$OUT
check_cmd DescribeUser "IdentityInfo as given" "Mary	Major" connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query "User.IdentityInfo.[FirstName,LastName]" --output text
check_cmd DescribeUser "PhoneConfig shorthand read back" "SOFT_PHONE	False	30" connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query "User.PhoneConfig.[PhoneType,AutoAccept,AfterContactWorkTimeLimit]" --output text
check_cmd DescribeUser "security and routing profile" "$AGENT_SP	$ROUTING" connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query "User.[SecurityProfileIds[0],RoutingProfileId]" --output text
check_contains DescribeUser "--output table" "IdentityInfo" connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --output table
USER_ARN=$(aws connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query User.Arn --output text)

# ---- Empty answers carry their empty lists and maps, as Connect's do
# (docs/BEHAVIOUR.md, Always-sent members); --no-paginate shows the answer
# as it came, not the CLI's merge of pages.
EMPTY_REGION=${SWITCHBOARD_COMPAT_EMPTY_REGION:-ca-west-1}
check_cmd ListInstances "a region without instances answers InstanceSummaryList []" '{ "InstanceSummaryList": [] }' connect list-instances --region "$EMPTY_REGION" --no-paginate --output json
check_cmd SearchUsers "no match answers Users [] and ApproximateTotalCount 0" '{ "Users": [], "ApproximateTotalCount": 0 }' connect search-users --instance-id "$INSTANCE" --no-paginate \
  --search-criteria '{"StringCondition":{"FieldName":"Username","ComparisonType":"EXACT","Value":"nobody"}}' --output json
check_cmd ListUserHierarchyGroups "no groups answers UserHierarchyGroupSummaryList []" '{ "UserHierarchyGroupSummaryList": [] }' connect list-user-hierarchy-groups --instance-id "$INSTANCE" --no-paginate --output json
check_cmd ListTagsForResource "an untagged user answers tags {}" '{ "tags": {} }' connect list-tags-for-resource --resource-arn "$USER_ARN" --output json
check_cmd DescribeUser "an untagged soft-phone user: Tags {}, DeskPhoneNumber \"\"" '[ {}, "" ]' connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query "User.[Tags, PhoneConfig.DeskPhoneNumber]" --output json
check_match DescribeUser "a DirectoryUserId the user was not given" "$UUID" connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query User.DirectoryUserId --output text
if [ "$OUT" != "$USER" ]; then report DescribeUser "DirectoryUserId differs from the user id" ""; else report DescribeUser "DirectoryUserId differs from the user id" "it is the user id $USER"; fi
# Terraform's user tests create 43-character usernames, which AWS accepts.
check_match CreateUser "a 43-character username" "$UUID" connect create-user --instance-id "$INSTANCE" --username resource-test-terraform-5577006791947779410 \
  --password 'Password123' --identity-info FirstName=example,LastName=example2 --phone-config PhoneType=SOFT_PHONE \
  --security-profile-ids "$AGENT_SP" --routing-profile-id "$ROUTING" --query UserId --output text
[ $RC -eq 0 ] && check_cmd DeleteUser "the 43-character username" "" connect delete-user --instance-id "$INSTANCE" --user-id "$OUT"

# ---- Agent statuses and who is logged in.
check_cmd ListAgentStatuses "a new instance has Available (ROUTABLE) and Offline (OFFLINE)" "Available ROUTABLE Offline OFFLINE" connect list-agent-statuses --instance-id "$INSTANCE" \
  --query "AgentStatusSummaryList[].[Name,Type]" --output text
check_match CreateAgentStatus "a custom status" "$UUID" connect create-agent-status --instance-id "$INSTANCE" --name Lunch --state ENABLED --display-order 3 --tags team=ops --query AgentStatusId --output text
LUNCH=$OUT
check_cmd DescribeAgentStatus "CUSTOM, as created" "Lunch CUSTOM ENABLED 3 ops" connect describe-agent-status --instance-id "$INSTANCE" --agent-status-id "$LUNCH" \
  --query "AgentStatus.[Name,Type,State,DisplayOrder,Tags.team]" --output text
expect_error CreateAgentStatus "duplicate name is DuplicateResourceException" DuplicateResourceException connect create-agent-status --instance-id "$INSTANCE" --name Lunch --state ENABLED
OFFLINE=$(aws connect list-agent-statuses --instance-id "$INSTANCE" --agent-status-types OFFLINE --query "AgentStatusSummaryList[0].Id" --output text)
expect_error UpdateAgentStatus "disabling Offline is InvalidRequestException" InvalidRequestException connect update-agent-status --instance-id "$INSTANCE" --agent-status-id "$OFFLINE" --state DISABLED
if aws connect search-agent-statuses help >/dev/null 2>&1; then
  check_cmd SearchAgentStatuses "type EXACT CUSTOM" '[ [ "Lunch" ], 1 ]' connect search-agent-statuses --instance-id "$INSTANCE" --no-paginate \
    --search-criteria '{"StringCondition":{"FieldName":"type","ComparisonType":"EXACT","Value":"CUSTOM"}}' --query "[AgentStatuses[].Name, ApproximateTotalCount]" --output json
else
  echo "# $CLIENT's model has no search-agent-statuses" >&2
fi
check_cmd GetCurrentUserData "a new user is Offline, so not listed" '{ "UserDataList": [], "ApproximateTotalCount": 0 }' connect get-current-user-data --instance-id "$INSTANCE" \
  --filters "Agents=$USER" --output json
check_cmd PutUserStatus "the agent goes Lunch" "" connect put-user-status --instance-id "$INSTANCE" --user-id "$USER" --agent-status-id "$LUNCH"
check_cmd GetCurrentUserData "the agent at Lunch, no slot available" '[ "Lunch", { "CHAT": 2, "TASK": 1, "VOICE": 1 }, { "CHAT": 0, "TASK": 0, "VOICE": 0 }, [] ]' connect get-current-user-data --instance-id "$INSTANCE" \
  --filters "Agents=$USER" --query "UserDataList[0].[Status.StatusName, MaxSlotsByChannel, AvailableSlotsByChannel, Contacts]" --output json
expect_error PutUserStatus "unknown status is ResourceNotFoundException" ResourceNotFoundException connect put-user-status --instance-id "$INSTANCE" --user-id "$USER" --agent-status-id 00000000-0000-0000-0000-000000000000
check_cmd PutUserStatus "the agent goes Offline" "" connect put-user-status --instance-id "$INSTANCE" --user-id "$USER" --agent-status-id "$OFFLINE"

# ---- Predefined attributes, proficiencies and SearchUsers' ListCondition.
if aws connect associate-user-proficiencies help >/dev/null 2>&1; then
  check_cmd CreatePredefinedAttribute "Language with two values" "" connect create-predefined-attribute --instance-id "$INSTANCE" --name Language --values StringList=English,Spanish
  check_cmd DescribePredefinedAttribute "values and configuration, false included" '[ [ "English", "Spanish" ], false, false ]' connect describe-predefined-attribute --instance-id "$INSTANCE" --name Language \
    --query "PredefinedAttribute.[Values.StringList, AttributeConfiguration.EnableValueValidationOnAssociation, AttributeConfiguration.IsReadOnly]" --output json
  check_cmd ListPredefinedAttributes "lists Language" "Language" connect list-predefined-attributes --instance-id "$INSTANCE" --query "PredefinedAttributeSummaryList[].Name" --output text
  check_cmd AssociateUserProficiencies "Spanish at level 4" "" connect associate-user-proficiencies --instance-id "$INSTANCE" --user-id "$USER" \
    --user-proficiencies AttributeName=Language,AttributeValue=Spanish,Level=4
  # (v1 prints the level as 4.0, v2 as 4: compared in JMESPath instead.)
  check_cmd ListUserProficiencies "read back" "Language Spanish" connect list-user-proficiencies --instance-id "$INSTANCE" --user-id "$USER" \
    --query "UserProficiencyList[?Level==\`4\`].[AttributeName,AttributeValue]" --output text
  list_condition() { # min-level
    printf '{"ListCondition":{"TargetListType":"PROFICIENCIES","Conditions":[{"StringCondition":{"FieldName":"value","ComparisonType":"EXACT","Value":"Spanish"}},{"NumberCondition":{"FieldName":"limit","ComparisonType":"GREATER_OR_EQUAL","MinValue":%d}}]}}' "$1"
  }
  check_cmd SearchUsers "ListCondition: Spanish at level 3 or more finds the user" '[ "mary.major" ]' connect search-users --instance-id "$INSTANCE" --no-paginate \
    --search-criteria "$(list_condition 3)" --query "Users[].Username" --output json
  check_cmd SearchUsers "ListCondition: Spanish at level 5 finds nobody" '{ "Users": [], "ApproximateTotalCount": 0 }' connect search-users --instance-id "$INSTANCE" --no-paginate \
    --search-criteria "$(list_condition 5)" --output json
  expect_error DeletePredefinedAttribute "an attribute in use is ResourceInUseException" ResourceInUseException connect delete-predefined-attribute --instance-id "$INSTANCE" --name Language
  check_cmd DisassociateUserProficiencies "Spanish" "" connect disassociate-user-proficiencies --instance-id "$INSTANCE" --user-id "$USER" \
    --user-proficiencies AttributeName=Language,AttributeValue=Spanish
  check_cmd DeletePredefinedAttribute "an unused attribute" "" connect delete-predefined-attribute --instance-id "$INSTANCE" --name Language
else
  echo "# $CLIENT's model has no predefined attributes or proficiencies" >&2
fi

# ---- Contact flows.
HANG_UP='{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}'
check_cmd ListContactFlows "the default queue transfer flow is there" "Default queue transfer" connect list-contact-flows --instance-id "$INSTANCE" --contact-flow-types QUEUE_TRANSFER \
  --query "ContactFlowSummaryList[?Name=='Default queue transfer'].Name" --output text
check_match CreateContactFlow "a published flow" "$UUID" connect create-contact-flow --instance-id "$INSTANCE" --name "Compat IVR" --type CONTACT_FLOW --content "$HANG_UP" --query ContactFlowId --output text
FLOW=$OUT
check_cmd DescribeContactFlow "as created, with its checksum" "Compat IVR CONTACT_FLOW ACTIVE PUBLISHED $(printf '%s' "$HANG_UP" | sha256sum | cut -d' ' -f1)" connect describe-contact-flow --instance-id "$INSTANCE" --contact-flow-id "$FLOW" \
  --query "ContactFlow.[Name,Type,State,Status,FlowContentSha256]" --output text
check_cmd UpdateContactFlowContent "new content published" "" connect update-contact-flow-content --instance-id "$INSTANCE" --contact-flow-id "$FLOW" --content "${HANG_UP//bye/end}"
check_cmd DescribeContactFlow "the new content read back" "${HANG_UP//bye/end}" connect describe-contact-flow --instance-id "$INSTANCE" --contact-flow-id "$FLOW" --query ContactFlow.Content --output text
expect_error CreateContactFlow "an invalid flow is InvalidContactFlowException" InvalidContactFlowException connect create-contact-flow --instance-id "$INSTANCE" --name Broken --type CONTACT_FLOW \
  --content '{"Version":"2019-10-30","StartAction":"missing","Actions":[]}'
check_cmd DeleteContactFlow "deleted" "" connect delete-contact-flow --instance-id "$INSTANCE" --contact-flow-id "$FLOW"
expect_error DescribeContactFlow "a deleted flow is ResourceNotFoundException" ResourceNotFoundException connect describe-contact-flow --instance-id "$INSTANCE" --contact-flow-id "$FLOW"

# ---- Flow modules.
module_content() { printf '{"Version":"2019-10-30","StartAction":"say","Actions":[{"Identifier":"say","Type":"MessageParticipant","Parameters":{"Text":"%s"},"Transitions":{"NextAction":"end"}},{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}' "$1"; }
if aws connect create-contact-flow-module help >/dev/null 2>&1; then
  check_match CreateContactFlowModule "a module" "$UUID" connect create-contact-flow-module --instance-id "$INSTANCE" --name "Compat module" --content "$(module_content hello)" --query Id --output text
  MODULE=$OUT
  check_cmd DescribeContactFlowModule "as created" "Compat module ACTIVE PUBLISHED" connect describe-contact-flow-module --instance-id "$INSTANCE" --contact-flow-module-id "$MODULE" \
    --query "ContactFlowModule.[Name,State,Status]" --output text
  check_cmd UpdateContactFlowModuleContent "new content" "" connect update-contact-flow-module-content --instance-id "$INSTANCE" --contact-flow-module-id "$MODULE" --content "$(module_content bye)"
  check_cmd DescribeContactFlowModule "the new content read back" "$(module_content bye)" connect describe-contact-flow-module --instance-id "$INSTANCE" --contact-flow-module-id "$MODULE" \
    --query ContactFlowModule.Content --output text
  expect_error CreateContactFlowModule "an invalid module is InvalidContactFlowModuleException" InvalidContactFlowModuleException connect create-contact-flow-module --instance-id "$INSTANCE" \
    --name "Broken module" --content '{"Version":"2019-10-30","StartAction":"missing","Actions":[]}'
  check_cmd DeleteContactFlowModule "deleted" "" connect delete-contact-flow-module --instance-id "$INSTANCE" --contact-flow-module-id "$MODULE"
else
  echo "# $CLIENT's model has no flow modules" >&2
fi

# ---- A phone number, a Lambda function, a storage config.
INSTANCE_ARN=$(aws connect describe-instance --instance-id "$INSTANCE" --query Instance.Arn --output text)
ACCOUNT=$(printf '%s' "$INSTANCE_ARN" | cut -d: -f5)
if aws connect claim-phone-number help >/dev/null 2>&1; then
  check_match SearchAvailablePhoneNumbers "a US DID number" '^\+1[0-9]{10}$' connect search-available-phone-numbers --target-arn "$INSTANCE_ARN" --phone-number-country-code US \
    --phone-number-type DID --max-results 1 --no-paginate --query "AvailableNumbersList[0].PhoneNumber" --output text
  NUMBER=$OUT
  check_match ClaimPhoneNumber "claimed for the instance" "$UUID" connect claim-phone-number --target-arn "$INSTANCE_ARN" --phone-number "$NUMBER" --query PhoneNumberId --output text
  NUMBER_ID=$OUT
  check_cmd DescribePhoneNumber "IN_PROGRESS right after the claim" "IN_PROGRESS" connect describe-phone-number --phone-number-id "$NUMBER_ID" --query ClaimedPhoneNumberSummary.PhoneNumberStatus.Status --output text
  check_cmd DescribePhoneNumber "then CLAIMED, as Terraform's waiter polls" "CLAIMED $NUMBER US DID" connect describe-phone-number --phone-number-id "$NUMBER_ID" \
    --query "ClaimedPhoneNumberSummary.[PhoneNumberStatus.Status,PhoneNumber,PhoneNumberCountryCode,PhoneNumberType]" --output text
  INBOUND=$(aws connect create-contact-flow --instance-id "$INSTANCE" --name "Compat inbound" --type CONTACT_FLOW --content "$HANG_UP" --query ContactFlowId --output text)
  check_cmd AssociatePhoneNumberContactFlow "the number answers with a flow" "" connect associate-phone-number-contact-flow --phone-number-id "$NUMBER_ID" --instance-id "$INSTANCE" --contact-flow-id "$INBOUND"
  check_contains ListFlowAssociations "the association listed" "$INBOUND" connect list-flow-associations --instance-id "$INSTANCE" --resource-type VOICE_PHONE_NUMBER --output json
  check_cmd DisassociatePhoneNumberContactFlow "and then not" "" connect disassociate-phone-number-contact-flow --phone-number-id "$NUMBER_ID" --instance-id "$INSTANCE"
  check_cmd ReleasePhoneNumber "released" "" connect release-phone-number --phone-number-id "$NUMBER_ID"
  expect_error DescribePhoneNumber "a released number is ResourceNotFoundException" ResourceNotFoundException connect describe-phone-number --phone-number-id "$NUMBER_ID"
else
  echo "# $CLIENT's model has no phone number claims" >&2
fi
FUNCTION="arn:aws:lambda:$REGION:$ACCOUNT:function:compat-lookup"
check_cmd AssociateLambdaFunction "associated" "" connect associate-lambda-function --instance-id "$INSTANCE" --function-arn "$FUNCTION"
check_cmd ListLambdaFunctions "listed" "$FUNCTION" connect list-lambda-functions --instance-id "$INSTANCE" --query "LambdaFunctions[]" --output text
check_cmd DisassociateLambdaFunction "disassociated" "" connect disassociate-lambda-function --instance-id "$INSTANCE" --function-arn "$FUNCTION"
check_match AssociateInstanceStorageConfig "call recordings to S3" '^[0-9a-f]+$' connect associate-instance-storage-config --instance-id "$INSTANCE" --resource-type CALL_RECORDINGS \
  --storage-config 'StorageType=S3,S3Config={BucketName=compat-recordings,BucketPrefix=calls}' --query AssociationId --output text
ASSOCIATION=$OUT
check_cmd DescribeInstanceStorageConfig "described" "S3 compat-recordings calls" connect describe-instance-storage-config --instance-id "$INSTANCE" --association-id "$ASSOCIATION" \
  --resource-type CALL_RECORDINGS --query "StorageConfig.[StorageType,S3Config.BucketName,S3Config.BucketPrefix]" --output text
check_cmd DisassociateInstanceStorageConfig "disassociated" "" connect disassociate-instance-storage-config --instance-id "$INSTANCE" --association-id "$ASSOCIATION" --resource-type CALL_RECORDINGS

# ---- Contacts: a task, its attributes, stopped; a chat; an outbound call.
# The contacts run their flow, so they start on one that holds them in it for
# an hour (HANG_UP would end them at once with CONTACT_FLOW_DISCONNECT).
HOLD='{"Version":"2019-10-30","StartAction":"wait","Actions":[{"Identifier":"wait","Type":"Wait","Parameters":{"TimeoutSeconds":"3600"},"Transitions":{"NextAction":"bye","Conditions":[{"NextAction":"bye","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}'
CONTACT_FLOW=$(aws connect create-contact-flow --instance-id "$INSTANCE" --name "Compat contacts" --type CONTACT_FLOW --content "$HOLD" --query ContactFlowId --output text)
check_match StartTaskContact "a task started through the API" "$UUID" connect start-task-contact --instance-id "$INSTANCE" --contact-flow-id "$CONTACT_FLOW" --name "Compat task" \
  --attributes a=1 --references '{"u":{"Type":"URL","Value":"https://example.com"}}' --query ContactId --output text
TASK=$OUT
check_cmd DescribeContact "a TASK initiated by the API, tagged with its instance" "TASK API Compat task $INSTANCE" connect describe-contact --instance-id "$INSTANCE" --contact-id "$TASK" \
  --query 'Contact.[Channel,InitiationMethod,Name,Tags."aws:connect:instanceId"]' --output text
check_cmd UpdateContactAttributes "merged" "" connect update-contact-attributes --instance-id "$INSTANCE" --initial-contact-id "$TASK" --attributes b=2
check_cmd GetContactAttributes "both attributes" "1 2" connect get-contact-attributes --instance-id "$INSTANCE" --initial-contact-id "$TASK" --query "Attributes.[a,b]" --output text
expect_error UpdateContactRoutingData "a contact not in a queue is ResourceConflictException" ResourceConflictException connect update-contact-routing-data \
  --instance-id "$INSTANCE" --contact-id "$TASK" --queue-priority 1
check_cmd StopContact "stopped" "" connect stop-contact --instance-id "$INSTANCE" --contact-id "$TASK"
check_cmd DescribeContact "ended with reason API" "API" connect describe-contact --instance-id "$INSTANCE" --contact-id "$TASK" --query Contact.DisconnectReason --output text
IN_AN_HOUR=$(( $(date +%s) + 3600 ))
LATER_TASK=$(aws connect start-task-contact --instance-id "$INSTANCE" --contact-flow-id "$CONTACT_FLOW" --name "Compat later" --scheduled-time "$IN_AN_HOUR" --query ContactId --output text)
check_cmd UpdateContactSchedule "a scheduled task moved an hour later" "" connect update-contact-schedule --instance-id "$INSTANCE" --contact-id "$LATER_TASK" --scheduled-time $(( IN_AN_HOUR + 3600 ))
# CLI v1 prints the wire's epoch seconds, v2 ISO 8601.
check_match DescribeContact "the new ScheduledTimestamp" "^($(( IN_AN_HOUR + 3600 ))(\\.0+)?|$(date -u -d @$(( IN_AN_HOUR + 3600 )) +%Y-%m-%dT%H:%M:%S)(\\.0+)?(\\+00:00|Z))\$" connect describe-contact \
  --instance-id "$INSTANCE" --contact-id "$LATER_TASK" --query "Contact.ScheduledTimestamp" --output text
expect_error DescribeContact "an unknown contact is ResourceNotFoundException" ResourceNotFoundException connect describe-contact --instance-id "$INSTANCE" \
  --contact-id 00000000-0000-0000-0000-000000000000
check_match StartChatContact "a chat with a participant token" '^[A-Za-z0-9+/=]{100,}$' connect start-chat-contact --instance-id "$INSTANCE" --contact-flow-id "$CONTACT_FLOW" \
  --participant-details DisplayName=Compat --query ParticipantToken --output text
if aws connect claim-phone-number help >/dev/null 2>&1; then
  CALLER=$(aws connect search-available-phone-numbers --target-arn "$INSTANCE_ARN" --phone-number-country-code US --phone-number-type DID --max-results 1 --no-paginate \
    --query "AvailableNumbersList[0].PhoneNumber" --output text)
  CALLER_ID=$(aws connect claim-phone-number --target-arn "$INSTANCE_ARN" --phone-number "$CALLER" --query PhoneNumberId --output text)
  check_match StartOutboundVoiceContact "a call from a claimed number" "$UUID" connect start-outbound-voice-contact --instance-id "$INSTANCE" --contact-flow-id "$CONTACT_FLOW" \
    --destination-phone-number +14255550100 --source-phone-number "$CALLER" --query ContactId --output text
  check_cmd DescribeContact "a VOICE call from the caller ID to the callee" "VOICE +14255550100 $CALLER" connect describe-contact --instance-id "$INSTANCE" --contact-id "$OUT" \
    --query "Contact.[Channel,CustomerEndpoint.Address,SystemEndpoint.Address]" --output text
  aws connect release-phone-number --phone-number-id "$CALLER_ID" >/dev/null
fi
expect_error StartOutboundVoiceContact "neither QueueId nor SourcePhoneNumber is InvalidParameterException" InvalidParameterException connect start-outbound-voice-contact \
  --instance-id "$INSTANCE" --contact-flow-id "$CONTACT_FLOW" --destination-phone-number +14255550100

# ---- Routing: a task and a chat queue, reach an auto-accepting agent, stop.
# Hours open all day (00:00-00:00), a queue on them, a profile taking TASK
# (one at a time) and CHAT (two) from it on any channel, a flow that
# transfers to it, and a user of that profile who accepts both channels at
# once and stays in after contact work (limit 0) until cleared.
skeleton=$(aws connect create-user --generate-cli-skeleton input 2>/dev/null)
if [[ "$skeleton" == *AutoAcceptConfigs* ]]; then
  days=
  for d in MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY; do
    days+="${days:+,}{\"Day\":\"$d\",\"StartTime\":{\"Hours\":0,\"Minutes\":0},\"EndTime\":{\"Hours\":0,\"Minutes\":0}}"
  done
  check_match CreateHoursOfOperation "open all day, every day, in UTC" "$UUID" connect create-hours-of-operation --instance-id "$INSTANCE" --name "Compat always" \
    --time-zone UTC --config "[$days]" --query HoursOfOperationId --output text
  HOURS=$OUT
  check_match CreateQueue "a queue on those hours" "$UUID" connect create-queue --instance-id "$INSTANCE" --name "Compat routed" --hours-of-operation-id "$HOURS" \
    --query QueueId --output text
  RQUEUE=$OUT
  check_match CreateRoutingProfile "TASK 1 and CHAT 2, ROUTE_ANY_CHANNEL, from the queue" "$UUID" connect create-routing-profile --instance-id "$INSTANCE" \
    --name "Compat routing" --description "tasks and chats of Compat routed" --default-outbound-queue-id "$RQUEUE" \
    --media-concurrencies '[{"Channel":"TASK","Concurrency":1,"CrossChannelBehavior":{"BehaviorType":"ROUTE_ANY_CHANNEL"}},{"Channel":"CHAT","Concurrency":2,"CrossChannelBehavior":{"BehaviorType":"ROUTE_ANY_CHANNEL"}}]' \
    --queue-configs "[{\"QueueReference\":{\"QueueId\":\"$RQUEUE\",\"Channel\":\"TASK\"},\"Priority\":1,\"Delay\":0},{\"QueueReference\":{\"QueueId\":\"$RQUEUE\",\"Channel\":\"CHAT\"},\"Priority\":1,\"Delay\":0}]" \
    --query RoutingProfileId --output text
  RPROFILE=$OUT
  TO_QUEUE='{"Version":"2019-10-30","StartAction":"target","Actions":[{"Identifier":"target","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"QUEUE_ID"},"Transitions":{"NextAction":"xfer","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}'
  check_match CreateContactFlow "a flow that transfers to the queue" "$UUID" connect create-contact-flow --instance-id "$INSTANCE" --name "Compat to queue" --type CONTACT_FLOW \
    --content "${TO_QUEUE//QUEUE_ID/$RQUEUE}" --query ContactFlowId --output text
  RFLOW=$OUT
  check_match CreateUser "an agent of the profile: auto-accept and ACW 0 on TASK and CHAT" "$UUID" connect create-user --instance-id "$INSTANCE" --username compat.router \
    --password 'Str0ngPassw0rd' --identity-info FirstName=Rita,LastName=Router --security-profile-ids "$AGENT_SP" --routing-profile-id "$RPROFILE" \
    --auto-accept-configs Channel=TASK,AutoAccept=true Channel=CHAT,AutoAccept=true \
    --after-contact-work-configs '[{"Channel":"TASK","AfterContactWorkConfig":{"AfterContactWorkTimeLimit":0}},{"Channel":"CHAT","AfterContactWorkConfig":{"AfterContactWorkTimeLimit":0}}]' \
    --query UserId --output text
  AGENT=$OUT
  AVAILABLE=$(aws connect list-agent-statuses --instance-id "$INSTANCE" --agent-status-types ROUTABLE --query "AgentStatusSummaryList[0].Id" --output text)
  check_cmd PutUserStatus "the agent goes Available (ROUTABLE)" "" connect put-user-status --instance-id "$INSTANCE" --user-id "$AGENT" --agent-status-id "$AVAILABLE"
  # Timestamps: CLI v1 prints the wire's epoch seconds, v2 ISO 8601.
  if [ "$major" = 1 ]; then ts='[0-9]{10}(\.[0-9]+)?'; else ts='20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?'; fi
  check_match StartTaskContact "a task on the flow to the queue" "$UUID" connect start-task-contact --instance-id "$INSTANCE" --contact-flow-id "$RFLOW" \
    --name "Compat routed task" --query ContactId --output text
  RTASK=$OUT
  check_cmd DescribeContact "the task is connected to the agent from the queue, not disconnected" "$AGENT $RQUEUE None" connect describe-contact --instance-id "$INSTANCE" \
    --contact-id "$RTASK" --query "Contact.[AgentInfo.Id, QueueInfo.Id, DisconnectTimestamp]" --output text
  check_match DescribeContact "ConnectedToAgentTimestamp and EnqueueTimestamp printed" "^$ts $ts\$" connect describe-contact --instance-id "$INSTANCE" \
    --contact-id "$RTASK" --query "Contact.[AgentInfo.ConnectedToAgentTimestamp, QueueInfo.EnqueueTimestamp]" --output text
  check_cmd GetCurrentUserData "the agent holds the task, CONNECTED, one TASK slot active" "[ 1, 1, \"$RTASK\", \"CONNECTED\", \"TASK\", \"$RQUEUE\", 1 ]" \
    connect get-current-user-data --instance-id "$INSTANCE" --filters "Agents=$AGENT" --output json \
    --query "[length(UserDataList), length(UserDataList[0].Contacts), UserDataList[0].Contacts[0].ContactId, UserDataList[0].Contacts[0].AgentContactState, UserDataList[0].Contacts[0].Channel, UserDataList[0].Contacts[0].Queue.Id, UserDataList[0].ActiveSlotsByChannel.TASK]"
  check_match StartChatContact "a chat on the flow to the queue" "$UUID" connect start-chat-contact --instance-id "$INSTANCE" --contact-flow-id "$RFLOW" \
    --participant-details DisplayName=Routed --query ContactId --output text
  RCHAT=$OUT
  check_cmd DescribeContact "the chat reaches the same agent beside the task (ROUTE_ANY_CHANNEL)" "CHAT $AGENT $RQUEUE" connect describe-contact --instance-id "$INSTANCE" \
    --contact-id "$RCHAT" --query "Contact.[Channel, AgentInfo.Id, QueueInfo.Id]" --output text
  # Real-time metrics of the routing queue while the agent holds the task and
  # the chat: one agent online, nothing waiting, two slots active.
  METRICS='[{"Name":"AGENTS_ONLINE","Unit":"COUNT"},{"Name":"CONTACTS_IN_QUEUE","Unit":"COUNT"},{"Name":"SLOTS_ACTIVE","Unit":"COUNT"}]'
  check_match GetCurrentMetricData "the routing queue: AGENTS_ONLINE 1, CONTACTS_IN_QUEUE 0, SLOTS_ACTIVE 2, in the order asked" \
    "^\[ 1, \"$RQUEUE\", \[ \"AGENTS_ONLINE\", \"CONTACTS_IN_QUEUE\", \"SLOTS_ACTIVE\" \], \[ 1(\.0)?, 0(\.0)?, 2(\.0)? \], 1 \]\$" \
    connect get-current-metric-data --instance-id "$INSTANCE" --filters "{\"Queues\":[\"$RQUEUE\"],\"Channels\":[\"TASK\",\"CHAT\"]}" --groupings QUEUE \
    --current-metrics "$METRICS" --output json \
    --query "[length(MetricResults), MetricResults[0].Dimensions.Queue.Id, MetricResults[0].Collections[].Metric.Name, MetricResults[0].Collections[].Value, ApproximateTotalCount]"
  check_match GetCurrentMetricData "DataSnapshotTime printed" "^$ts\$" connect get-current-metric-data --instance-id "$INSTANCE" \
    --filters "{\"Queues\":[\"$RQUEUE\"],\"Channels\":[\"TASK\",\"CHAT\"]}" --groupings QUEUE --current-metrics "$METRICS" --query DataSnapshotTime --output text
  expect_error GetCurrentMetricData "OLDEST_CONTACT_AGE in COUNT is InvalidParameterException" InvalidParameterException connect get-current-metric-data \
    --instance-id "$INSTANCE" --filters "{\"Queues\":[\"$RQUEUE\"],\"Channels\":[\"TASK\"]}" --groupings QUEUE --current-metrics Name=OLDEST_CONTACT_AGE,Unit=COUNT
  # TransferContact: a second task on the routing flow waits (the agent's
  # TASK concurrency is 1) and is transferred to a second queue.
  check_match CreateQueue "a transfer queue on the same hours" "$UUID" connect create-queue --instance-id "$INSTANCE" --name "Compat transfer queue" \
    --hours-of-operation-id "$HOURS" --query QueueId --output text
  XQUEUE=$OUT
  XFER='{"Version":"2019-10-30","StartAction":"xfer","Actions":[{"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}'
  check_match CreateContactFlow "a flow that transfers to the queue it is given" "$UUID" connect create-contact-flow --instance-id "$INSTANCE" --name "Compat transfer" \
    --type CONTACT_FLOW --content "$XFER" --query ContactFlowId --output text
  XFLOW=$OUT
  check_match StartTaskContact "a second task on the flow to the queue" "$UUID" connect start-task-contact --instance-id "$INSTANCE" --contact-flow-id "$RFLOW" \
    --name "Compat transferred task" --query ContactId --output text
  XTASK=$OUT
  check_match TransferContact "the second task to the transfer queue: a new ContactId and its ARN" '^[0-9a-f-]{36} arn:[^ ]+/contact/[0-9a-f-]{36}$' \
    connect transfer-contact --instance-id "$INSTANCE" --contact-id "$XTASK" --queue-id "$XQUEUE" --contact-flow-id "$XFLOW" --query "[ContactId, ContactArn]" --output text
  read -r XNEW XARN <<<"$(squeeze "$OUT")"
  if [ -n "$XNEW" ] && [ "$XNEW" != "$XTASK" ] && [[ "$XARN" == */contact/"$XNEW" ]]; then report TransferContact "the ContactId differs, the ARN ends /contact/<ContactId>" ""
  else report TransferContact "the ContactId differs, the ARN ends /contact/<ContactId>" "ContactId '$XNEW' ContactArn '$XARN' from '$XTASK'"; fi
  check_cmd DescribeContact "the transferred contact: TRANSFER from the second task, in the transfer queue" "TRANSFER $XTASK $XQUEUE" connect describe-contact \
    --instance-id "$INSTANCE" --contact-id "${XNEW:-none}" --query "Contact.[InitiationMethod, PreviousContactId, QueueInfo.Id]" --output text
  check_match DescribeContact "the task transferred from: DisconnectTimestamp printed" "^$ts\$" connect describe-contact --instance-id "$INSTANCE" \
    --contact-id "$XTASK" --query Contact.DisconnectTimestamp --output text
  expect_error TransferContact "a chat is InvalidRequestException" InvalidRequestException connect transfer-contact --instance-id "$INSTANCE" \
    --contact-id "$RCHAT" --queue-id "$XQUEUE" --contact-flow-id "$XFLOW"
  # SearchContacts and GetContactMetrics (docs/BEHAVIOUR.md, Contact search,
  # Contact metrics) while the transferred task waits in the transfer queue,
  # which no agent serves, and the routed task is with the agent. The server
  # runs on the real clock: the search window is the two hours around now.
  if aws connect search-contacts help >/dev/null 2>&1; then
    NOW=$(date +%s)
    RANGE="Type=INITIATION_TIMESTAMP,StartTime=$(( NOW - 3600 )),EndTime=$(( NOW + 3600 ))"
    check_match SearchContacts "INITIATION_TIMESTAMP around now, Channels TASK: the first task, TASK by API, its ARN; only tasks; TotalCount >= Contacts" \
      "^\[ \[ \"$TASK\", \"TASK\", \"API\", \"$INSTANCE_ARN/contact/$TASK\" \], 0, true \]\$" connect search-contacts --instance-id "$INSTANCE" \
      --time-range "$RANGE" --search-criteria Channels=TASK --no-paginate --output json \
      --query "[Contacts[?Id=='$TASK'] | [0].[Id, Channel, InitiationMethod, Arn], length(Contacts[?Channel!='TASK']), TotalCount >= length(Contacts)]"
    TASKS=$(aws connect search-contacts --instance-id "$INSTANCE" --time-range "$RANGE" --search-criteria Channels=TASK --no-paginate --query "Contacts[].Id" --output text)
    read -r -a TASK_IDS <<<"$(squeeze "$TASKS")"
    check_match SearchContacts "--page-size 1 --max-items 1: one contact and a NextToken, TotalCount above 1" '^\[ 1, "[0-9a-f-]{36}", "[^"]+", true \]$' \
      connect search-contacts --instance-id "$INSTANCE" --time-range "$RANGE" --search-criteria Channels=TASK --page-size 1 --max-items 1 --output json \
      --query "[length(Contacts), Contacts[0].Id, NextToken, TotalCount > \`1\`]"
    [[ "$(squeeze "$OUT")" =~ ^\[\ 1,\ \"([^\"]+)\",\ \"([^\"]+)\" ]] && PAGE1=${BASH_REMATCH[1]} TOKEN=${BASH_REMATCH[2]} || PAGE1= TOKEN=
    check_match SearchContacts "--starting-token resumes: one contact" '^\[ 1, "[0-9a-f-]{36}" \]$' connect search-contacts --instance-id "$INSTANCE" \
      --time-range "$RANGE" --search-criteria Channels=TASK --page-size 1 --max-items 1 --starting-token "${TOKEN:-none}" --output json --query "[length(Contacts), Contacts[0].Id]"
    [[ "$(squeeze "$OUT")" =~ \"([0-9a-f-]{36})\" ]] && PAGE2=${BASH_REMATCH[1]} || PAGE2=
    if [ -n "$PAGE1" ] && [ "$PAGE1" != "$PAGE2" ] && [ "$PAGE1" = "${TASK_IDS[0]:-}" ] && [ "$PAGE2" = "${TASK_IDS[1]:-}" ]; then
      report SearchContacts "the two pages: two different contacts, the first two of the unpaged answer" ""
    else report SearchContacts "the two pages: two different contacts, the first two of the unpaged answer" "pages '$PAGE1' '$PAGE2', unpaged: $TASKS"; fi
    check_cmd SearchContacts "auto-pagination with --page-size 1: the unpaged answer's contacts, in order" "$TASKS" connect search-contacts --instance-id "$INSTANCE" \
      --time-range "$RANGE" --search-criteria Channels=TASK --page-size 1 --query "Contacts[].Id" --output text
    expect_error_status SearchContacts "EndTime before StartTime is InvalidParameterException, status 400" InvalidParameterException 400 "POST /search-contacts" \
      connect search-contacts --instance-id "$INSTANCE" --time-range "Type=INITIATION_TIMESTAMP,StartTime=$(( NOW + 60 )),EndTime=$(( NOW - 60 ))" --no-paginate
  else
    echo "# $CLIENT's model has no search-contacts" >&2
  fi
  if aws connect get-contact-metrics help >/dev/null 2>&1; then
    check_match GetContactMetrics "POSITION_IN_QUEUE of the transferred task, alone in the transfer queue: 1, with its Id and Arn" \
      "^\[ \"$XNEW\", \"$INSTANCE_ARN/contact/$XNEW\", \[ \"POSITION_IN_QUEUE\" \], \[ 1(\.0)? \] \]\$" connect get-contact-metrics --instance-id "$INSTANCE" \
      --contact-id "${XNEW:-none}" --metrics Name=POSITION_IN_QUEUE --output json --query "[Id, Arn, MetricResults[].Name, MetricResults[].Value.Number]"
    check_cmd GetContactMetrics "ESTIMATED_WAIT_TIME left out: nothing of the transfer queue was answered" '[ "POSITION_IN_QUEUE" ]' connect get-contact-metrics \
      --instance-id "$INSTANCE" --contact-id "${XNEW:-none}" --metrics Name=ESTIMATED_WAIT_TIME Name=POSITION_IN_QUEUE --output json --query "MetricResults[].Name"
    expect_error_status GetContactMetrics "a task with its agent is InvalidRequestException, status 400" InvalidRequestException 400 "POST /metrics/contact" \
      connect get-contact-metrics --instance-id "$INSTANCE" --contact-id "$RTASK" --metrics Name=POSITION_IN_QUEUE
    expect_error_status GetContactMetrics "a stopped task is InvalidRequestException, status 400" InvalidRequestException 400 "POST /metrics/contact" \
      connect get-contact-metrics --instance-id "$INSTANCE" --contact-id "$TASK" --metrics Name=POSITION_IN_QUEUE
  else
    echo "# $CLIENT's model has no get-contact-metrics" >&2
  fi
  # Historical metrics (docs/BEHAVIOUR.md and docs/METRICS.md, "Historical
  # metrics"), by now: the routing queue's flow has queued exactly two tasks,
  # the routed one (answered at once, still with the agent) and the second
  # (transferred on unanswered, so neither answered nor abandoned), and the
  # routed chat; no other contact of this run entered that queue. The server
  # runs on the real clock; GetMetricDataV2's EndTime may not be later than
  # now, so it is a second ago, seconds after those contacts.
  # to_epoch reads a timestamp as either CLI prints it (v1 epoch seconds, v2 ISO 8601).
  to_epoch() { if [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then printf '%s' "$1"; else date -u -d "$1" +%s.%N 2>/dev/null || printf 'unreadable'; fi; }
  NUM='[0-9]+(\.[0-9]+)?(e-?[0-9]+)?'
  if aws connect get-metric-data-v2 help >/dev/null 2>&1; then
    read -r ENQ ANS <<<"$(squeeze "$(aws connect describe-contact --instance-id "$INSTANCE" --contact-id "$RTASK" \
      --query "Contact.[QueueInfo.EnqueueTimestamp, AgentInfo.ConnectedToAgentTimestamp]" --output text)")"
    WAIT=$(awk -v a="$(to_epoch "$ENQ")" -v b="$(to_epoch "$ANS")" 'BEGIN { if (a + 0 > 0 && b + 0 >= a + 0) printf "%.3f", b - a }')
    END=$(( $(date +%s) - 1 )); START=$(( END - 3600 ))
    V2=(connect get-metric-data-v2 --resource-arn "$INSTANCE_ARN" --start-time "$START" --end-time "$END")
    BY_QUEUE="[{\"FilterKey\":\"QUEUE\",\"FilterValues\":[\"$RQUEUE\"]}]"
    COUNTED='[{"Name":"CONTACTS_CREATED"},{"Name":"CONTACTS_QUEUED"},{"Name":"AVG_QUEUE_ANSWER_TIME"}]'
    NAMES='\[ "CONTACTS_CREATED", "CONTACTS_QUEUED", "AVG_QUEUE_ANSWER_TIME" \]'
    check_match GetMetricDataV2 "the last hour by QUEUE and CHANNEL, filtered by the routing queue: a CHAT and a TASK row, Dimensions exactly QUEUE (its id) and CHANNEL, each Collection echoing its Metric in order, no MetricInterval" \
      "^\[ \[ \[ \"$RQUEUE\", \"CHAT\" \], \[ \"$RQUEUE\", \"TASK\" \] \], \[ \[ \"CHANNEL\", \"QUEUE\" \], \[ \"CHANNEL\", \"QUEUE\" \] \], \[ $NAMES, $NAMES \], 0 \]\$" \
      "${V2[@]}" --filters "$BY_QUEUE" --groupings QUEUE CHANNEL --metrics "$COUNTED" --output json \
      --query "[MetricResults[].[Dimensions.QUEUE, Dimensions.CHANNEL], MetricResults[].sort(keys(Dimensions)), MetricResults[].Collections[*].Metric.Name, length(MetricResults[?MetricInterval])]"
    check_match GetMetricDataV2 "the TASK row: CONTACTS_CREATED 2 and CONTACTS_QUEUED 2 (the two tasks of the queue's flow), an AVG_QUEUE_ANSWER_TIME" \
      "^\[ 2(\.0)?, 2(\.0)?, $NUM \]\$" "${V2[@]}" --filters "$BY_QUEUE" --groupings QUEUE CHANNEL --metrics "$COUNTED" --output json \
      --query "MetricResults[?Dimensions.CHANNEL=='TASK'] | [0].[Collections[0].Value, Collections[1].Value, Collections[2].Value]"
    [[ "$(squeeze "$OUT")" =~ ,\ ($NUM)\ \]$ ]] && ANSWER=${BASH_REMATCH[1]} || ANSWER=
    if [ -n "$WAIT" ] && [ -n "$ANSWER" ] && awk -v a="$ANSWER" -v w="$WAIT" 'BEGIN { d = a - w; exit !(d <= 0.002 && d >= -0.002) }'; then
      report GetMetricDataV2 "the TASK row's AVG_QUEUE_ANSWER_TIME is the routed task's wait from DescribeContact (the other task was never answered)" ""
    else report GetMetricDataV2 "the TASK row's AVG_QUEUE_ANSWER_TIME is the routed task's wait from DescribeContact (the other task was never answered)" \
      "AVG_QUEUE_ANSWER_TIME '$ANSWER', want '$WAIT' (EnqueueTimestamp '$ENQ', ConnectedToAgentTimestamp '$ANS')"; fi
    check_match GetMetricDataV2 "the CHAT row: CONTACTS_CREATED 1 and CONTACTS_QUEUED 1 (the routed chat), an AVG_QUEUE_ANSWER_TIME" \
      "^\[ 1(\.0)?, 1(\.0)?, $NUM \]\$" "${V2[@]}" --filters "$BY_QUEUE" --groupings QUEUE CHANNEL --metrics "$COUNTED" --output json \
      --query "MetricResults[?Dimensions.CHANNEL=='CHAT'] | [0].[Collections[0].Value, Collections[1].Value, Collections[2].Value]"
    # Interval HOUR: rows per group and hour with data, the range's first and
    # last hours clipped to it.
    check_cmd GetMetricDataV2 "Interval HOUR, TimeZone UTC" '*' "${V2[@]}" --filters "$BY_QUEUE" --groupings QUEUE CHANNEL --metrics "$COUNTED" \
      --interval IntervalPeriod=HOUR,TimeZone=UTC --output text \
      --query "MetricResults[].[Dimensions.CHANNEL, MetricInterval.Interval, MetricInterval.StartTime, MetricInterval.EndTime, Collections[0].Value, Collections[1].Value]"
    problems= sums=
    declare -A SUM=([TASK]=0 [CHAT]=0)
    while IFS=$'\t' read -r ch iv s e c q; do
      [ -z "$ch$iv" ] && continue
      [ "$iv" = HOUR ] || problems+=" $ch: Interval '$iv';"
      s=$(to_epoch "$s") e=$(to_epoch "$e")
      awk -v s="$s" -v e="$e" -v a="$START" -v b="$END" \
        'BEGIN { exit !(s + 0 >= a && s + 0 < e + 0 && e + 0 <= b && e - s <= 3600 && (s == a || s % 3600 == 0) && (e == b || e % 3600 == 0)) }' ||
        problems+=" $ch: MetricInterval $s - $e not an hour (or the range's clipped edge) inside $START - $END;"
      [[ "$c" =~ ^$NUM$ && "$q" =~ ^$NUM$ ]] || problems+=" $ch: counts '$c' '$q';"
      SUM[$ch]=$(awk -v t="${SUM[$ch]:-0}" -v c="$c" -v q="$q" 'BEGIN { split(t, x, "/"); printf "%g/%g", x[1] + c, x[2] + q }')
    done <<<"$OUT"
    sums="TASK ${SUM[TASK]}, CHAT ${SUM[CHAT]}"
    if [ $RC -eq 0 ] && [ -z "$problems" ] && [ "$sums" = "TASK 2/2, CHAT 1/1" ]; then
      report GetMetricDataV2 "Interval HOUR: each row's MetricInterval HOUR, inside the request's range, on whole hours; created/queued adding up to TASK 2/2, CHAT 1/1" ""
    else report GetMetricDataV2 "Interval HOUR: each row's MetricInterval HOUR, inside the request's range, on whole hours; created/queued adding up to TASK 2/2, CHAT 1/1" \
      "${problems:-} sums $sums; output: $OUT"; fi
    # SERVICE_LEVEL: of the TASK contacts that left the queue (answered or
    # abandoned) only the routed task, so 100 if it waited under 60 s.
    if [ -n "$WAIT" ] && awk -v w="$WAIT" 'BEGIN { exit !(w < 60) }'; then LEVEL='100(\.0)?'; else LEVEL='0(\.0)?'; fi
    check_match GetMetricDataV2 "SERVICE_LEVEL with Threshold LT 60, echoed: the TASK row's percentage, 100 when the routed task waited under 60 s" \
      "^\[ \"SERVICE_LEVEL\", \[ \[ \"LT\", 60(\.0)? \] \], $LEVEL \]\$" "${V2[@]}" --filters "$BY_QUEUE" --groupings QUEUE CHANNEL \
      --metrics '[{"Name":"SERVICE_LEVEL","Threshold":[{"Comparison":"LT","ThresholdValue":60}]}]' --output json \
      --query "MetricResults[?Dimensions.CHANNEL=='TASK'] | [0].[Collections[0].Metric.Name, Collections[0].Metric.Threshold[].[Comparison, ThresholdValue], Collections[0].Value]"
    expect_error_status GetMetricDataV2 "AGENT_NON_RESPONSE (not computed) is InvalidParameterException, status 400" InvalidParameterException 400 "POST /metrics/data" \
      "${V2[@]}" --filters "[{\"FilterKey\":\"ROUTING_PROFILE\",\"FilterValues\":[\"$RPROFILE\"]}]" --groupings ROUTING_PROFILE --metrics '[{"Name":"AGENT_NON_RESPONSE"}]'
    expect_error_status GetMetricDataV2 "SERVICE_LEVEL without a Threshold is InvalidParameterException, status 400" InvalidParameterException 400 "POST /metrics/data" \
      "${V2[@]}" --filters "$BY_QUEUE" --metrics '[{"Name":"SERVICE_LEVEL"}]'
    expect_error_status GetMetricDataV2 "an EndTime in the future is InvalidParameterException, status 400" InvalidParameterException 400 "POST /metrics/data" \
      connect get-metric-data-v2 --resource-arn "$INSTANCE_ARN" --start-time "$START" --end-time $(( END + 600 )) --filters "$BY_QUEUE" --metrics "$COUNTED"
  else
    echo "# $CLIENT's model has no get-metric-data-v2" >&2
  fi
  # GetMetricData (the older API): times on 5-minute marks, the end the next
  # mark after now (in the future, which it allows), the range an hour.
  END5=$(( ($(date +%s) / 300 + 1) * 300 ))
  V1=(connect get-metric-data --instance-id "$INSTANCE" --start-time $(( END5 - 3600 )) --end-time "$END5" --filters "{\"Queues\":[\"$RQUEUE\"]}")
  check_match GetMetricData "Queues [the routing queue], grouped by QUEUE: its row (Id and Arn), CONTACTS_QUEUED COUNT SUM echoed, 3 (the two tasks and the chat of its flow)" \
    "^\[ 1, \"$RQUEUE\", \"$INSTANCE_ARN/queue/$RQUEUE\", \[ \"CONTACTS_QUEUED\", \"COUNT\", \"SUM\" \], 3(\.0)? \]\$" \
    "${V1[@]}" --groupings QUEUE --historical-metrics Name=CONTACTS_QUEUED,Unit=COUNT,Statistic=SUM --output json \
    --query "[length(MetricResults), MetricResults[0].Dimensions.Queue.Id, MetricResults[0].Dimensions.Queue.Arn, MetricResults[0].Collections[0].Metric.[Name, Unit, Statistic], MetricResults[0].Collections[0].Value]"
  expect_error_status GetMetricData "HANDLE_TIME in COUNT is InvalidParameterException, status 400" InvalidParameterException 400 "POST /metrics/historical/$INSTANCE" \
    "${V1[@]}" --groupings QUEUE --historical-metrics Name=HANDLE_TIME,Unit=COUNT,Statistic=AVG
  check_cmd StopContact "the routed task" "" connect stop-contact --instance-id "$INSTANCE" --contact-id "$RTASK"
  check_cmd DescribeContact "the stopped task: reason API" "API" connect describe-contact --instance-id "$INSTANCE" --contact-id "$RTASK" \
    --query Contact.DisconnectReason --output text
  check_match DescribeContact "the stopped task: DisconnectTimestamp and AfterContactWorkStartTimestamp printed" "^$ts $ts\$" connect describe-contact --instance-id "$INSTANCE" \
    --contact-id "$RTASK" --query "Contact.[DisconnectTimestamp, AgentInfo.AfterContactWorkStartTimestamp]" --output text
  check_cmd GetCurrentUserData "the task in after contact work is ENDED, the chat CONNECTED" "[ [ \"ENDED\" ], [ \"CONNECTED\" ] ]" \
    connect get-current-user-data --instance-id "$INSTANCE" --filters "Agents=$AGENT" --output json \
    --query "[UserDataList[0].Contacts[?ContactId=='$RTASK'].AgentContactState, UserDataList[0].Contacts[?ContactId=='$RCHAT'].AgentContactState]"
  check_cmd StopContact "the routed chat" "" connect stop-contact --instance-id "$INSTANCE" --contact-id "$RCHAT"
  check_match DescribeContact "the stopped chat: DisconnectTimestamp printed" "^$ts\$" connect describe-contact --instance-id "$INSTANCE" \
    --contact-id "$RCHAT" --query Contact.DisconnectTimestamp --output text
  # The users quota and the pagination checks below count the users.
  check_cmd DeleteUser "the routed agent" "" connect delete-user --instance-id "$INSTANCE" --user-id "$AGENT"
else
  echo "# $CLIENT's model has no per-channel user configs: routing not checked" >&2
fi

# ---- Errors.
expect_error CreateUser "duplicate username is DuplicateResourceException" DuplicateResourceException connect create-user --instance-id "$INSTANCE" --username mary.major \
  --password 'Str0ngPassw0rd' --identity-info FirstName=Mary,LastName=Major --phone-config PhoneType=SOFT_PHONE \
  --security-profile-ids "$AGENT_SP" --routing-profile-id "$ROUTING"
# CLIs built from a model older than the per-channel lists (late 2025) have no
# --auto-accept-configs ($skeleton, above); the conflict rules cannot be sent from them.
if [[ "$skeleton" == *AutoAcceptConfigs* ]]; then
expect_error CreateUser "PhoneConfig.AutoAccept with AutoAcceptConfigs is InvalidRequestException" InvalidRequestException connect create-user --instance-id "$INSTANCE" --username conflict1 \
  --password 'Str0ngPassw0rd' --identity-info FirstName=A,LastName=B --phone-config AutoAccept=false \
  --auto-accept-configs Channel=CHAT,AutoAccept=true --security-profile-ids "$AGENT_SP" --routing-profile-id "$ROUTING"
expect_error CreateUser "PhoneConfig.PhoneType with PhoneNumberConfigs is InvalidRequestException" InvalidRequestException connect create-user --instance-id "$INSTANCE" --username conflict2 \
  --password 'Str0ngPassw0rd' --identity-info FirstName=A,LastName=B --phone-config PhoneType=SOFT_PHONE \
  --phone-number-configs Channel=VOICE,PhoneType=SOFT_PHONE --security-profile-ids "$AGENT_SP" --routing-profile-id "$ROUTING"
else
  echo "# $CLIENT's model has no per-channel user configs: conflict rules not checked" >&2
fi
expect_error CreateUser "username with a space is InvalidParameterException" InvalidParameterException connect create-user --instance-id "$INSTANCE" --username 'mary major' \
  --password 'Str0ngPassw0rd' --identity-info FirstName=A,LastName=B --phone-config PhoneType=SOFT_PHONE --security-profile-ids "$AGENT_SP" --routing-profile-id "$ROUTING"
expect_error CreateUser "unknown routing profile is ResourceNotFoundException" ResourceNotFoundException connect create-user --instance-id "$INSTANCE" --username norouting \
  --password 'Str0ngPassw0rd' --identity-info FirstName=A,LastName=B --phone-config PhoneType=SOFT_PHONE --security-profile-ids "$AGENT_SP" --routing-profile-id 00000000-0000-0000-0000-000000000001
expect_error DescribeUser "unknown user is ResourceNotFoundException" ResourceNotFoundException connect describe-user --instance-id "$INSTANCE" --user-id 00000000-0000-0000-0000-000000000000
expect_error CreateInstance "duplicate alias is InvalidRequestException" InvalidRequestException connect create-instance --identity-management-type CONNECT_MANAGED \
  --instance-alias my-center --inbound-calls-enabled --outbound-calls-enabled
expect_error DeleteSecurityProfile "profile held by a user is ResourceInUseException" ResourceInUseException connect delete-security-profile --instance-id "$INSTANCE" --security-profile-id "$AGENT_SP"

# ---- Hierarchy.
check_cmd UpdateUserHierarchyStructure "shorthand levels" "" connect update-user-hierarchy-structure --instance-id "$INSTANCE" --hierarchy-structure 'LevelOne={Name=Region},LevelTwo={Name=Team}'
check_match CreateUserHierarchyGroup "group id" "$UUID" connect create-user-hierarchy-group --instance-id "$INSTANCE" --name EMEA --query HierarchyGroupId --output text
GROUP=$OUT
check_cmd UpdateUserHierarchy "user placed in the group" "" connect update-user-hierarchy --instance-id "$INSTANCE" --user-id "$USER" --hierarchy-group-id "$GROUP"
check_cmd DescribeUser "HierarchyGroupId read back" "$GROUP" connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query User.HierarchyGroupId --output text

# ---- Tags through the user's ARN (':' and '/' escaped by the CLI).
check_cmd TagResource "user ARN" "" connect tag-resource --resource-arn "$USER_ARN" --tags dept=sales,tier=gold
check_cmd ListTagsForResource "--query one tag" "sales" connect list-tags-for-resource --resource-arn "$USER_ARN" --query tags.dept --output text
check_cmd UntagResource "--tag-keys" "" connect untag-resource --resource-arn "$USER_ARN" --tag-keys dept
check_cmd ListTagsForResource "only the other tag left" "tier" connect list-tags-for-resource --resource-arn "$USER_ARN" --query "keys(tags)" --output text

# ---- Pagination: five more users, then pages of two.
for n in 1 2 3 4 5; do
  run connect create-user --instance-id "$INSTANCE" --username "agent$n" --password 'Str0ngPassw0rd' \
    --identity-info "FirstName=Agent,LastName=Number$n" --phone-config PhoneType=SOFT_PHONE --security-profile-ids "$AGENT_SP" --routing-profile-id "$ROUTING" \
    --query UserId --output text
  if [ $RC -eq 0 ] && is_id "$OUT"; then report CreateUser "agent$n" ""; else report CreateUser "agent$n" "exit $RC: $OUT $ERR"; fi
done
check_cmd ListUsers "auto-pagination with --page-size 2" 6 connect list-users --instance-id "$INSTANCE" --page-size 2 --query "length(UserSummaryList)" --output json
check_match ListUsers "--max-items 4 stops with a NextToken" '^\[ 4, "[^"]+" \]$' connect list-users --instance-id "$INSTANCE" --page-size 2 --max-items 4 --query "[length(UserSummaryList), NextToken]" --output json
OUT=$(squeeze "$OUT")
[[ "$OUT" =~ \"([^\"]+)\" ]] && TOKEN=${BASH_REMATCH[1]} || TOKEN=
check_cmd ListUsers "--starting-token resumes" 2 connect list-users --instance-id "$INSTANCE" --page-size 2 --max-items 4 --starting-token "$TOKEN" --query "length(UserSummaryList)" --output json
check_contains ListUsers "--output table" "mary.major" connect list-users --instance-id "$INSTANCE" --output table
check_cmd SearchUsers "auto-pagination with --page-size 2" "6" connect search-users --instance-id "$INSTANCE" --page-size 2 --query "length(Users)" --output json
check_cmd SearchUsers "StringCondition in JSON" '[ "agent1", "agent2", "agent3", "agent4", "agent5" ]'  connect search-users --instance-id "$INSTANCE" \
  --search-criteria '{"StringCondition":{"FieldName":"FirstName","ComparisonType":"EXACT","Value":"agent"}}' --query "sort(Users[].Username)" --output json
check_cmd SearchUsers "--output text of ApproximateTotalCount" 6 connect search-users --instance-id "$INSTANCE" --max-results 2 --no-paginate --query ApproximateTotalCount --output text

# ---- Updates and deletion.
check_cmd UpdateUserPhoneConfig "shorthand DESK_PHONE" "" connect update-user-phone-config --instance-id "$INSTANCE" --user-id "$USER" --phone-config PhoneType=DESK_PHONE,DeskPhoneNumber=+12065550199,AfterContactWorkTimeLimit=60
check_cmd DescribeUser "phone config read back" "DESK_PHONE	+12065550199	60" connect describe-user --instance-id "$INSTANCE" --user-id "$USER" --query "User.PhoneConfig.[PhoneType,DeskPhoneNumber,AfterContactWorkTimeLimit]" --output text
check_cmd DeleteUser "quick start user" "" connect delete-user --instance-id "$INSTANCE" --user-id "$USER"
expect_error DescribeUser "deleted user is ResourceNotFoundException" ResourceNotFoundException connect describe-user --instance-id "$INSTANCE" --user-id "$USER"
check_cmd DeleteInstance "quick start instance" "" connect delete-instance --instance-id "$INSTANCE"
[ $RC -eq 0 ] && deleted=$INSTANCE && INSTANCE=
expect_error DescribeInstance "deleted instance is ResourceNotFoundException" ResourceNotFoundException connect describe-instance --instance-id "${deleted:-$INSTANCE}"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
