#!/bin/bash
# tests/cli/test_presets.sh - history logs through the shipped presets
# (mappings/*.json, issue 18): the same 30-case story (tests/data/presets/
# story.py) as a ServiceNow incident list + sys_audit, a ServiceNow
# incident history log (one file, snapshots), a Jira Service Management
# issue export + changelog and Zendesk tickets + audit events, each in its
# system's own columns, labels and time format, read with no reshaping;
# the Jira changelog and the Zendesk audits also as their REST APIs' JSON
# (jira-changelog.json, zendesk-audits.json): the same figures.
# Every row is accounted for and the figures are the hand-computed ones:
#   opened 28 in 2026Q3 (C01-C30 but C14, created in Q2, and C29, whose
#     creation time is no time); by highest severity 1: C06 (2->1), C11,
#     C12; 2: C03, C05 (3->2), C09, C10, C18, C23; 4: C02, C17, C21, C25,
#     C28, C30; 3: the other 13 (C15 an e-mail P2: starts at 3);
#   response by initial severity (24x7: 1 h, 2 h, 24 h, 24 h): all met at
#     +30 min but C11 (+20 min, met) and C12 (+90 min: missed by 1800 s);
#   closed 30: 28 cases resolved in Q3 (C13 open, C14 resolved 2026-07-02)
#     and the second resolutions of C07 and C08; reopened 2 (C07 by its
#     status, C08 by the reopen counter alone in the ServiceNow audit);
#     backlog at start 1 (C14), at end 1 (C13); breaches 1 (C12), credits
#     10 %; severity changes 2;
#   derived: 2 severity changes, 29 first responses (the first state out
#     of the "new" ones), 2 pauses and 1 resumption (C09; C10 is resolved
#     while pending), 30 resolutions, 28 closures, 2 reopenings; the rows
#     that derive them: 3 per resolved case (in progress, resolved, closed)
#     x 29, +1 C05, +1 C06, +2 C07, +2 C08, +2 C09, +1 C10, -2 C13 = 94.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
X=$TSAM_BIN/tsam-cases
D=$TSAM_SRC/tests/data/presets
V="/usr/bin/python3 $TSAM_SRC/tests/validate-json.py $TSAM_SRC/docs/stats.schema.json"
run() { "$X" --mapping "$1" --cases "$D/$2" --events "$D/$3" --calendar 24x7 --quarter 2026Q3 \
	--as-of 2026-10-05T00:00:00Z -o "$T/$1.json" "${@:4}"; }
q() { jq -c "$2" "$T/$1.json"; }
# name cases events [cases: rows used rejected] [events: rows used rejected other]
#      [history: with without untracked] [rejected lines]
for spec in \
	"servicenow servicenow-incident.csv servicenow-audit.csv [30,29,1,true] [253,240,13,0,true] [94,117,29]" \
	"servicenow-log servicenow-log.csv servicenow-log.csv [131,127,4,true] [131,123,8,0,true] [94,29,0]" \
	"jira jira-issues.csv jira-changelog.csv [30,29,1,true] [163,153,10,0,true] [94,29,30]" \
	"zendesk zendesk-tickets.csv zendesk-audits.csv [30,29,1,true] [252,239,13,0,true] [94,87,58]"; do
	read -r m c e ic ie ih <<<"$spec"
	run "$m" "$c" "$e" 2>"$T/$m.err"
	eq "$m: exit 0 with rejected rows" 0 "$?"
	eq "$m: cases rows, used, rejected, reconciled" "$ic" "$(q "$m" '.input.cases|[.rows,.used,.rejected,.reconciled]')"
	eq "$m: events rows, used, rejected, other, reconciled" "$ie" "$(q "$m" '.input.events|[.rows,.used,.rejected,.other_customers,.reconciled]')"
	eq "$m: history rows with events, without, untracked" "$ih" "$(q "$m" '.input.events.history|[.rows_with_events,.rows_without_events,.untracked_fields]')"
	eq "$m: every used row in one history count" "$(q "$m" '.input.events.used')" \
		"$(q "$m" '.input.events.history|.rows_with_events+.rows_without_events+.untracked_fields')"
	eq "$m: derived events" '{"severity_change":2,"first_response":29,"vendor_update":0,"customer_update":0,"pending_customer":2,"resumed":1,"escalation_manager":0,"escalation_executive":0,"resolved":30,"closed":28,"reopened":2}' \
		"$(q "$m" '.input.events.history.derived')"
	eq "$m: counts" '[28,30,2,1,1]' "$(q "$m" '.counts|[.opened,.closed,.reopened,.backlog_start,.backlog_end]')"
	eq "$m: by highest severity" '{"1":3,"2":6,"3":13,"4":6}' "$(q "$m" '.counts.by_severity')"
	eq "$m: response met, missed, pending per severity" '[[1,1,0],[6,0,0],[14,0,0],[6,0,0]]' \
		"$(q "$m" '[.attainment.response[]|[.met,.missed,.pending]]')"
	eq "$m: the one breach" '[["response","2026-07-12T10:00:00Z",1800]]' "$(q "$m" '[.breaches[]|[.target,.due,.overrun_s]]')"
	eq "$m: credits, severity changes, reopened cases, e-mail at 3" '[10,2,2,1]' \
		"$(q "$m" '[.credits.percent,.flags.severity_changes,.flags.reopened_cases,.input.email_started_at_3]')"
	check "$m: stats.json follows the schema" $V "$T/$m.json"
	check "$m: the summary says what was derived" grep -q 'history log: 94 rows with events.*derived 2 severity changes, 2 reopenings, 29 first responses, 2 pauses' "$T/$m.err"
done
eq "servicenow: the case is named by its number, the audit by sys_id" '"INC0010012"' "$(q servicenow '.breaches[0].case')"
eq "servicenow-log: later rows of a case in the cases file" 98 "$(q servicenow-log '.input.cases.history.later_rows_of_a_case')"
# the dirty rows, each rejected with file:line and its reason, never passed over
eq "servicenow: dirty rows" \
	'[[280,"state: unknown state \"9\" (add it to the mapping'"'"'s \"states\")"],[281,"priority: unknown severity \"7\" (add it to the mapping'"'"'s \"severity\")"],[282,"sys_created_on: \"2026-07-03 25:00:00\" is not a time in format \"%Y-%m-%d %H:%M:%S\""],[283,"history row before case \"9d385017c611228701d22104cc95c375\" was created"],[284,"unknown case id \"0000000000000000000000000000feed\""]]' \
	"$(q servicenow '[.input.rejected_rows[]|select(.line>=280)|[.line,.reason]]')"
eq "servicenow-log: dirty rows (-100, an unknown priority, no time, before the creation)" \
	'[[6,"incident_state: unknown state \"-100\" (add it to the mapping'"'"'s \"states\")"],[11,"priority: unknown severity \"5 - Someday\" (add it to the mapping'"'"'s \"severity\")"],[16,"sys_updated_at: \"3/7/2026 25:00\" is not a time in format \"%d/%m/%Y %H:%M\""],[21,"history row before case \"INC0010004\" was created"]]' \
	"$(q servicenow-log '[.input.rejected_rows[]|select(.file|endswith("log.csv"))|select(.line<30)|[.line,.reason]]|unique')"
check "servicenow-log: the case with no creation time: rejected in both passes" \
	test "$(q servicenow-log '[.input.rejected_rows[]|select(.line>=125 and .line<=128)]|length')" -eq 8
eq "jira: dirty rows" '["status: unknown state \"Triage\" (add it to the mapping'"'"'s \"states\")","priority: unknown severity \"Blocker\" (add it to the mapping'"'"'s \"severity\")","created: \"2026-07-03T25:00:00.000+0000\" is not a time in format \"iso\"","history row before case \"ACME-104\" was created","unknown case id \"OTHER-7\""]' \
	"$(q jira '[.input.rejected_rows[]|select(.line>=160)|.reason]')"
eq "zendesk: a deleted ticket's status and an unknown priority rejected" '["status: unknown state \"deleted\" (add it to the mapping'"'"'s \"states\")","priority: unknown severity \"p0\" (add it to the mapping'"'"'s \"severity\")"]' \
	"$(q zendesk '[.input.rejected_rows[]|select(.line==249 or .line==250)|.reason]')"
# the same logs as their REST APIs give them (JSON as saved, no reshape):
# the same rows, so the same figures, every record accounted for, each
# rejected row naming its place in the document
for spec in "jira jira-issues.csv jira-changelog" "zendesk zendesk-tickets.csv zendesk-audits"; do
	read -r m c e <<<"$spec"
	"$X" --mapping "$m" --cases "$D/$c" --events "$D/$e.json" --calendar 24x7 --quarter 2026Q3 \
		--as-of 2026-10-05T00:00:00Z -o "$T/$m-json.json" 2>"$T/$m-json.err"
	eq "$m JSON: exit 0 with rejected rows" 0 "$?"
	for f in '.counts' '.attainment' '.credits' '.breaches' '.flags' \
		'.input.events|[.rows,.used,.rejected,.other_customers,.lost,.reconciled]' '.input.events.history' \
		'[.input.rejected_rows[]|.reason|sub("^[^ ]*\\]: ";"")]|sort'; do
		eq "$m JSON: $f as from the CSV" "$(q "$m" "$f")" "$(q "$m-json" "$f")"
	done
	eq "$m JSON: every record accounted for" "$(q "$m-json" '.input.events.rows')" \
		"$(q "$m-json" '.input.events|.used+.rejected+.other_customers+.lost')"
	check "$m JSON: stats.json follows the schema" $V "$T/$m-json.json"
done
eq "jira JSON: a rejected row names its JSON path" \
	'"issues[0].changelog.histories[3].items[0]: status: unknown state \"Triage\" (add it to the mapping'"'"'s \"states\")"' \
	"$(q jira-json '[.input.rejected_rows[]|select(.reason|contains("Triage"))][0].reason')"
check "zendesk JSON: the message names the file and the path" \
	grep -q 'zendesk-audits.json:[0-9]*: audits\[[0-9]*\]\.events\[0\]: status: unknown state "deleted"' "$T/zendesk-json.err"
# malformed records: rejected with their JSON path and reason, still counted
jq '.audits[3].events[1]="oops" | .audits[5].events[0].field_name={"a":1} | .audits[7].events=null' \
	"$D/zendesk-audits.json" >"$T/za.json"
"$X" --mapping zendesk --cases "$D/zendesk-tickets.csv" --events "$T/za.json" --calendar 24x7 --quarter 2026Q3 \
	--as-of 2026-10-05T00:00:00Z -o "$T/za-out.json" 2>/dev/null
eq "zendesk JSON: malformed records rejected, each naming its path" \
	'["audits[3].events[1]: an event that is not an object","audits[5].events[0]: field_name: an object where a string or a number belongs","audits[7]: an audit without an \"events\" array"]' \
	"$(jq -c '[.input.rejected_rows[]|.reason|select(test("object|array"))]' "$T/za-out.json")"
eq "zendesk JSON: malformed records still counted" "$(jq -c '.input.events.rows' "$T/za-out.json")" \
	"$(jq -c '.input.events|.used+.rejected+.other_customers+.lost' "$T/za-out.json")"
jq '.issues[2].changelog.histories[0].items[0].toString=["x"] | .issues[4].changelog.histories[1]=7' \
	"$D/jira-changelog.json" >"$T/ja.json"
"$X" --mapping jira --cases "$D/jira-issues.csv" --events "$T/ja.json" --calendar 24x7 --quarter 2026Q3 \
	--as-of 2026-10-05T00:00:00Z -o "$T/ja-out.json" 2>/dev/null
eq "jira JSON: a history that is not an object rejected by its path" '["issues[4].changelog.histories[1]: a history that is not an object"]' \
	"$(jq -c '[.input.rejected_rows[]|.reason|select(contains("not an object"))]' "$T/ja-out.json")"
eq "jira JSON: a value that is an array is its JSON text (toString [\"x\"]: an unknown state)" \
	'["issues[2].changelog.histories[0].items[0]: status: unknown state \"[\"x\"]\" (add it to the mapping'"'"'s \"states\")"]' \
	"$(jq -c '[.input.rejected_rows[]|.reason|select(startswith("issues[2].changelog.histories[0]"))]' "$T/ja-out.json")"
# a JSON document of neither shape, or no JSON: an error naming the file
echo '{"tickets":[]}' >"$T/nj.json"
"$X" --mapping zendesk --cases "$D/zendesk-tickets.csv" --events "$T/nj.json" --quarter 2026Q3 -o "$T/x.json" 2>"$T/err"
eq "JSON of neither shape: error" 1 "$?"
check "...naming the file and what it looks for" grep -q 'nj.json: (document): neither a Jira changelog .* nor Zendesk audits' "$T/err"
echo '{"audits":[' >"$T/nj.json"
"$X" --mapping zendesk --cases "$D/zendesk-tickets.csv" --events "$T/nj.json" --quarter 2026Q3 -o "$T/x.json" 2>"$T/err"
eq "broken JSON: error" 1 "$?"
check "...naming the file" grep -q 'nj.json' "$T/err"
# "format": "csv" never sniffs: the JSON file read as CSV fails on its header
sed 's/"schema": "tsamkit-mapping\/1",/"schema": "tsamkit-mapping\/1", "format": "csv",/' \
	"$TSAM_SRC/mappings/zendesk.json" >"$T/zc.json"
"$X" --mapping "$T/zc.json" --cases "$D/zendesk-tickets.csv" --events "$D/zendesk-audits.json" --quarter 2026Q3 \
	-o "$T/x.json" 2>"$T/err"
eq "\"format\": \"csv\": the JSON is not sniffed" 1 "$?"
# --verbose: each history row and what it derived
run jira jira-issues.csv jira-changelog.csv --verbose 2>"$T/v.err"
check "--verbose: a row's derived events" grep -qx ".*jira-changelog.csv:2: ACME-101: first_response" "$T/v.err"
check "--verbose: a priority change" grep -q "jira-changelog.csv:[0-9]*: ACME-105: severity_change 2" "$T/v.err"
check "--verbose: an untracked field" grep -q "jira-changelog.csv:5: ACME-101: no event (a field the mapping does not track)" "$T/v.err"
check "--verbose: a duplicate snapshot" grep -q "no event (nothing measured changed)" "$T/v.err"
eq "--verbose: one line per used row" 153 "$(grep -c 'jira-changelog.csv:[0-9]*: ACME-' "$T/v.err")"
# a preset by path, a copy overriding it; an unknown preset lists them
cp "$TSAM_SRC/mappings/zendesk.json" "$T/zd.json"
"$X" --mapping "$T/zd.json" --cases "$D/zendesk-tickets.csv" --events "$D/zendesk-audits.csv" --calendar 24x7 \
	--quarter 2026Q3 --as-of 2026-10-05T00:00:00Z -o "$T/zp.json" 2>/dev/null
eq "a preset's file by path: the same figures" "$(q zendesk 'del(.input)')" "$(jq -c 'del(.input)' "$T/zp.json")"
"$X" --mapping freshdesk --cases "$D/zendesk-tickets.csv" --quarter 2026Q3 -o "$T/x.json" 2>"$T/err"
eq "an unknown preset: error" 1 "$?"
check "an unknown preset: the presets named" grep -q 'mapping "freshdesk": no preset .*(presets: jira, servicenow, servicenow-log, zendesk)' "$T/err"
"$X" --mapping 'Bad Name' --cases "$D/zendesk-tickets.csv" --quarter 2026Q3 -o "$T/x.json" 2>"$T/err"
eq "a preset name that is none: error" 1 "$?"
# a reopening by the counter alone, a counter that is no number, and an
# unknown severity in an ordinary event log (issue 18: was ignored)
printf 'id,created,severity\nH1,2026-07-06T09:00:00Z,3\n' >"$T/hc.csv"
printf 'case,time,state,severity,reopens\nH1,2026-07-06T09:00:00Z,New,3,0\nH1,2026-07-06T10:00:00Z,Resolved,3,0\nH1,2026-07-07T10:00:00Z,Resolved,3,1\nH1,2026-07-07T11:00:00Z,Resolved,3,1\nH1,2026-07-07T12:00:00Z,Active,3,x\n' >"$T/he.csv"
printf '{"schema":"tsamkit-mapping/1","events":{"reopen_count":"reopens"},"states":{"New":"none","Active":"none","Resolved":"resolved"},"history":{"layout":"snapshots"}}' >"$T/hm.json"
"$X" --mapping "$T/hm.json" --cases "$T/hc.csv" --events "$T/he.csv" --calendar 24x7 --quarter 2026Q3 \
	--as-of 2026-10-05T00:00:00Z -o "$T/h.json" 2>/dev/null
eq "counter alone: reopened, then resolved again by the next snapshot" '{"resolved":2,"reopened":1}' \
	"$(jq -c '.input.events.history.derived|{resolved,reopened}' "$T/h.json")"
eq "a counter that is no number: rejected" '"reopens: \"x\" is not a count (a whole number from 0 to 999999999)"' \
	"$(jq -c '.input.rejected_rows[0].reason' "$T/h.json")"
printf 'case,time,kind,severity\nH1,2026-07-06T10:00:00Z,vendor_update,Sev A\nH1,2026-07-06T11:00:00Z,vendor_update,2\n' >"$T/ue.csv"
"$X" --cases "$T/hc.csv" --events "$T/ue.csv" --calendar 24x7 --quarter 2026Q3 -o "$T/u.json" 2>/dev/null
eq "event log: an unknown severity on a row that is no severity change is rejected" \
	'[[2,"severity: unknown severity \"Sev A\" (add it to the mapping'"'"'s \"severity\")"]]' \
	"$(jq -c '[.input.rejected_rows[]|[.line,.reason]]' "$T/u.json")"
eq "event log: a known one is read and changes nothing" '[2,1,1]' "$(jq -c '.input.events|[.rows,.used,.rejected]' "$T/u.json")"
# mapping errors of the history keys name the file and the key
printf '{"schema":"tsamkit-mapping/1","history":{"layout":"changes"}}' >"$T/bm.json"
"$X" --mapping "$T/bm.json" --cases "$T/hc.csv" --quarter 2026Q3 -o "$T/x.json" 2>"$T/err"
check "changes without field, value, fields: named" grep -q 'bm.json: history: a log of field changes needs events.field, events.value and history.fields' "$T/err"
printf '{"schema":"tsamkit-mapping/1","history":{"layout":"snapshots","first_response":{"leaves_states":["Nw"]}}}' >"$T/bm.json"
"$X" --mapping "$T/bm.json" --cases "$T/hc.csv" --quarter 2026Q3 -o "$T/x.json" 2>"$T/err"
check "a first-response state that is none: named" grep -q 'bm.json: history.first_response.leaves_states\[0\]: "Nw" is not a state' "$T/err"
# --explain on a history log: the case found by its number (the audit
# names it by sys_id), each row with what it derived, and the breach the
# figures count (case 12's response, 30 min late)
"$X" --mapping servicenow --cases "$D/servicenow-incident.csv" --events "$D/servicenow-audit.csv" \
	--calendar 24x7 --quarter 2026Q3 --as-of 2026-10-05T00:00:00Z --explain INC0010012 >"$T/x.txt" 2>"$T/err"
eq "explain a history case: exit 0" 0 "$?"
check "...its first response from the row that left New" grep -q 'servicenow-audit.csv:114  history row: derived first_response' "$T/x.txt"
check "...rows that changed nothing said so" grep -q 'history row: used, no event (nothing measured changed)' "$T/x.txt"
check "...the response missed by 30 min" grep -q 'response, severity 1: MISSED (due 2026-07-12 10:00, done 2026-07-12 10:30; 30 min over' "$T/x.txt"
# a portfolio names a preset as tsam-cases does: tsam-review's stats.json
# is tsam-cases' (the same pipeline)
mkdir -p "$T/pf"
cp "$D/servicenow-incident.csv" "$D/servicenow-audit.csv" "$T/pf/"
cat >"$T/pf/portfolio.json" <<'EOF2'
{"schema": "tsamkit-portfolio/1",
 "tsams": [{"id": "smith", "name": "Jane Smith", "language": "en"}],
 "customers": [{"id": "acme", "name": "Acme Corp", "tier": "premium", "tsam": "smith",
   "calendar": "24x7", "mapping": "servicenow",
   "cases": "servicenow-incident.csv", "events": "servicenow-audit.csv"}]}
EOF2
"$TSAM_BIN/tsam-review" "$T/pf/portfolio.json" --quarter 2026Q3 --as-of 2026-10-05T00:00:00Z \
	--out "$T/pf/out" --quiet 2>"$T/err"
eq "tsam-review with a preset: exit 0" 0 "$?"
"$X" --mapping servicenow --cases "$D/servicenow-incident.csv" --events "$D/servicenow-audit.csv" --calendar 24x7 \
	--quarter 2026Q3 --as-of 2026-10-05T00:00:00Z --tier premium -o "$T/direct.json" 2>/dev/null
S=$(find "$T/pf/out" -name "*-stats.json" | head -n 1)
eq "...its figures are tsam-cases' (counts, attainment, credits)" \
	"$(jq -c '[.counts, .attainment, .credits.percent]' "$T/direct.json")" \
	"$(jq -c '[.counts, .attainment, .credits.percent]' "$S" 2>/dev/null)"
finish
