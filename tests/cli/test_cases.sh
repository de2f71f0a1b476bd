#!/bin/bash
# tests/cli/test_cases.sh - tsam-cases against hand-computed figures: the
# fixture cases of tests/data/cases (severity change, pause, reopen,
# holidays, cross-quarter, e-mail rule, malformed rows), the same export
# mapped and in CP932, and every tier x severity x target of the policy
# met exactly at its due time and missed one minute later.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
X=$TSAM_BIN/tsam-cases
D=$TSAM_SRC/tests/data/cases

# --- usage ---
"$X" --help >"$T/help"
eq "--help exits 0" 0 "$?"
"$X" --cases a -o b 2>/dev/null
eq "no --quarter: usage" 2 "$?"
"$X" --cases a -o b --quarter 2026Q5 2>"$T/err"
eq "bad quarter: usage" 2 "$?"
check "names the option" grep -q -- "--quarter" "$T/err"
"$X" --cases a -o b --quarter 2026Q3 --tier gold 2>/dev/null
eq "bad tier: usage" 2 "$?"
"$X" --cases "$T/none.csv" -o "$T/s.json" --quarter 2026Q3 2>"$T/err"
eq "missing file: error" 1 "$?"
check "names the file" grep -q "none.csv" "$T/err"
printf 'case,when\n' >"$T/nohead.csv"
"$X" --cases "$T/nohead.csv" -o "$T/s.json" --quarter 2026Q3 2>"$T/err"
eq "missing column: error" 1 "$?"
check "names file:line and column" grep -q 'nohead.csv:1: no column "id"' "$T/err"

# --- the fixture, hand-computed (see the comments in docs/cases.md) ---
run() { "$X" --cases "$1" --events "$2" --quarter 2026Q3 --customer acme \
	--as-of 2026-10-05T00:00:00Z "${@:3}"; }
run "$D/cases.csv" "$D/events.csv" --fee 3000000 -o "$T/s.json" 2>"$T/err"
eq "fixture: exit 0 with rejected rows" 0 "$?"
S=$T/s.json
check "output is 0600" test "$(stat -c %a "$S")" = 600
q() { jq -c "$1" "$S"; }
eq "cases reconcile" '[11,6,4,1,true]' "$(q '.input.cases|[.rows,.used,.rejected,.other_customers,.reconciled]')"
eq "events reconcile" '[29,25,3,1,true]' "$(q '.input.events|[.rows,.used,.rejected,.other_customers,.reconciled]')"
eq "rejected lines (quoted newline counted)" '[9,10,11,13,28,29,30]' "$(q '[.input.rejected_rows[].line]')"
check "stderr names file:line" grep -q 'cases.csv:9: duplicate case id "C1" (first on line 2)' "$T/err"
eq "e-mail case starts at 3" 1 "$(q '.input.email_started_at_3')"
eq "counts" '[5,5,1,1,2]' "$(q '.counts|[.opened,.closed,.reopened,.backlog_start,.backlog_end]')"
eq "by highest severity" '{"1":1,"2":3,"3":0,"4":1}' "$(q '.counts.by_severity')"
att() { q "[.attainment.$1[\"$2\"]|.met,.missed,.pending]"; }
eq "response 1" '[1,0,0]' "$(att response 1)"
eq "response 2 (Marine Day skipped)" '[2,0,0]' "$(att response 2)"
eq "response 3 (e-mail case)" '[0,1,0]' "$(att response 3)"
eq "update 1" '[1,2,0]' "$(att update 1)"
eq "update 2 (pause, reopen)" '[8,1,0]' "$(att update 2)"
eq "manager 2" '[1,1,0]' "$(att manager 2)"
eq "manager 3 (cross-quarter case)" '[0,1,0]' "$(att manager 3)"
eq "executive 1 (late)" '[0,1,0]' "$(att executive 1)"
eq "breaches" 7 "$(q '.breaches_total')"
eq "response breach: wall and business overrun" '["2026-08-05T08:30:00Z",56400,600]' \
	"$(q '.breaches[]|select(.case=="C3" and .target=="response")|[.due,.overrun_s,.overrun_business_s]')"
eq "manager due after the pause" '"2026-08-18T22:00:00Z"' \
	"$(q '.escalations[]|select(.case=="C3")|.due')"
eq "missing escalation" '"missing"' "$(q '.escalations[]|select(.case=="C2")|.status')"
eq "missing escalation: overrun to the resolution" 79200 \
	"$(q '.breaches[]|select(.case=="C2")|.overrun_s')"
eq "credits" '[1,2,60000]' "$(q '.credits|[.misses,.percent,.amount]')"
eq "severity 3 open > 30 days" '["C4"]' "$(q '.flags.severity3_open_too_long')"
eq "response time sev 1" '[1800,1800]' "$(q '.times.response["1"]|[.wall.median_s,.business.median_s]')"
eq "response-time histogram, severity 1: 30 min in [30 min, 1 h)" '[0,0,1,0,0,0,0,0]' "$(q '.times.response_histogram["1"]')"
eq "response-time histogram, severity 2: 30 min and 65 h" '[0,0,1,0,0,0,0,1]' "$(q '.times.response_histogram["2"]')"
eq "trend: five quarters" '["2025Q3","2025Q4","2026Q1","2026Q2","2026Q3"]' "$(q '[.trend[].quarter]')"
eq "trend: Q2 opened the cross-quarter case" 1 "$(q '.trend[3].counts.opened')"
V="/usr/bin/python3 $TSAM_SRC/tests/validate-json.py $TSAM_SRC/docs/stats.schema.json"
check "stats.json follows docs/stats.schema.json" $V "$S"
jq '.attainment.update["1"].rate = 2' "$S" >"$T/bad.json"
check "the schema rejects a rate above 1" eval "! $V $T/bad.json 2>/dev/null"

# --- mapping errors name the file and the key
printf '{"schema":"tsamkit-mapping/1","severity":{"Sev A":7}}' >"$T/badmap.json"
run "$D/cases.csv" "$D/events.csv" --mapping "$T/badmap.json" -o "$T/p.json" 2>"$T/err"
eq "bad severity in mapping: error" 1 "$?"
check "names file and label" grep -q 'badmap.json: severity."Sev A": must be a whole number from 1 to 4' "$T/err"
printf '{"schema":"tsamkit-mapping/1","cases":{"ident":"Case"}}' >"$T/badmap.json"
run "$D/cases.csv" "$D/events.csv" --mapping "$T/badmap.json" -o "$T/p.json" 2>"$T/err"
check "unknown column role named" grep -q 'badmap.json: cases.ident: unknown column role' "$T/err"
printf '{"schema":"tsamkit-mapping/1","states":{"Waiting":"napping"}}' >"$T/badmap.json"
run "$D/cases.csv" "$D/events.csv" --mapping "$T/badmap.json" -o "$T/p.json" 2>"$T/err"
check "unknown event kind named" grep -q 'badmap.json: states."Waiting": not an event kind' "$T/err"

# --- issue 14: valid JSON of the wrong shape or type in any document
# tsam-cases reads is an error naming the file and the key (exit 1), never
# a crash; a string is not a boolean; numbers are finite and in range
doc() { # doc WHAT OPTION FILE JSON MESSAGE
	printf '%s' "$4" >"$T/$3"
	run "$D/cases.csv" "$D/events.csv" "$2" "$T/$3" -o "$T/d.json" 2>"$T/err"
	eq "$1: exit 1" 1 "$?"
	check "$1: says '$5'" grep -qF -- "$3: $5" "$T/err"
	check "$1: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
}
for j in '[]' '1' '"mapping"' 'null'; do
	doc "mapping $j" --mapping mm.json "$j" 'must be a JSON object'
	doc "policy $j" --policy pol.json "$j" 'must be a JSON object'
	doc "calendar $j" --calendar cal.json "$j" 'must be a JSON object'
done
doc 'mapping {"schema":null}' --mapping mm.json '{"schema":null}' 'schema: must be "tsamkit-mapping/1"'
doc 'policy {"schema":null}' --policy pol.json '{"schema":null}' 'schema: must be "tsamkit-sla-policy/1"'
doc 'calendar {"schema":null}' --calendar cal.json '{"schema":null}' 'unknown member "schema"'
M='{"schema":"tsamkit-mapping/1",'
doc 'email_starts_at_3 "false"' --mapping mm.json "$M"'"email_starts_at_3":"false"}' \
	'email_starts_at_3: must be true or false'
doc 'a column name of another type' --mapping mm.json "$M"'"cases":{"created":["opened"]}}' \
	'cases.created: must be a string'
doc 'columns not an object' --mapping mm.json "$M"'"events":"case"}' 'events: must be an object'
doc 'a severity label of 1e308' --mapping mm.json "$M"'"severity":{"A":1e308}}' \
	'severity."A": must be a whole number from 1 to 4'
doc 'a zone that is no name' --mapping mm.json "$M"'"time_zone":"../../../etc/passwd"}' \
	'time_zone: "../../../etc/passwd" is not a time zone name'
doc 'an unknown zone' --mapping mm.json "$M"'"time_zone":"ars/Olympus"}' \
	'time_zone: unknown time zone "ars/Olympus"'
check "no doubled prefix" test "$(grep -o 'mm.json' "$T/err" | wc -l)" -eq 1
P='{"schema":"tsamkit-sla-policy/1",'
doc 'cap_percent 1e308' --policy pol.json "$P"'"credits":{"cap_percent":1e308}}' \
	'credits.cap_percent: must be a number from 0 to 100'
doc 'hours as a string' --policy pol.json "$P"'"tiers":{"premium":{"2":{"update":{"hours":"2"}}}}}' \
	'tiers.premium.2.update.hours: must be a number from 0.01 to 8784'
doc 'a tier of another type' --policy pol.json "$P"'"tiers":{"premium":[]}}' 'tiers.premium: must be an object'
doc 'raise after "30" days' --policy pol.json "$P"'"severity3_raise_after_days":"30"}' \
	'severity3_raise_after_days: must be a whole number from 1 to 3650'
doc 'a zone of another type' --calendar cal.json '{"zone":7,"hours":{}}' 'zone: must be a string'
doc 'day_hours 1e308' --calendar cal.json '{"zone":"UTC","hours":{"mon":"09:00-17:00"},"day_hours":1e308}' \
	'day_hours: must be a number from 0.25 to 24'
doc 'a period of another type' --calendar cal.json '{"zone":"UTC","hours":{"mon":[900]}}' \
	'hours.mon[0]: must be a string'
# a fee of 1e308 (portfolio.json, tsam-review) is refused naming the
# customer, before anything is written: never "amount": inf in stats.json
cp "$D/cases.csv" "$D/events.csv" "$T/"
printf '{"schema":"tsamkit-portfolio/1","tsams":[{"id":"t","name":"T","language":"en"}],"customers":[{"id":"acme","name":"Acme","tier":"platinum","tsam":"t","calendar":"japan","cases":"cases.csv","events":"events.csv","fee":%s,"currency":"USD"}]}' \
	1e308 >"$T/portfolio.json"
"$TSAM_BIN/tsam-review" "$T/portfolio.json" --quarter 2026Q3 --out "$T/rv" 2>"$T/err"
eq "fee 1e308: the portfolio is refused" 1 "$?"
check "fee 1e308: says which fee" grep -qF 'customers[0].fee (customer "acme"): must be a number from 0 to 1000000000000' "$T/err"
check "fee 1e308: no inf written" eval "! grep -rqsw inf '$T/rv'"
sed -i 's/"fee":1e308/"fee":1e12/' "$T/portfolio.json"
"$TSAM_BIN/tsam-review" "$T/portfolio.json" --quarter 2026Q3 --out "$T/rv2" 2>/dev/null
eq "fee 1e12: done" 0 "$?"
eq "fee 1e12: a finite amount" 20000000000 "$(jq '.credits.amount' "$T/rv2/t/acme-2026Q3-stats.json")"

# --- a policy overlay: errors name the file and key; the keys it names change
printf '{"schema":"tsamkit-sla-policy/1","credits":{"targets":["response","gold"]}}' >"$T/badpol.json"
run "$D/cases.csv" "$D/events.csv" --policy "$T/badpol.json" -o "$T/p.json" 2>"$T/err"
eq "bad policy overlay: error" 1 "$?"
check "names file and key" grep -q "badpol.json: credits.targets\[1\]: unknown target" "$T/err"
printf '{"schema":"tsamkit-sla-policy/1","tiers":{"platinum":{"3":{"update":{"hours":2}}}},"credits":{"targets":["update"]}}' >"$T/pol.json"
run "$D/cases.csv" "$D/events.csv" --policy "$T/pol.json" -o "$T/p.json" 2>/dev/null
eq "overlay: credits on update misses (10 + 10 + 5 %)" '[3,25]' "$(jq -c '.credits|[.misses,.percent]' "$T/p.json")"
eq "overlay: the rest of the policy stays" '"1 h (24x7)"' "$(jq -c '.targets["1"].response' "$T/p.json")"
eq "overlay: a new target for severity 3 updates" '"2 h (support hours)"' "$(jq -c '.targets["3"].update' "$T/p.json")"

# --- a 24x7 customer's quarter starts at midnight in their zone: 00:30 BST
# on 1 July is 23:30 UTC on 30 June, in 2026Q3 for a UK customer, in
# 2026Q2 without a zone; naive times are read in the zone too ---
printf 'id,created,severity\nZ1,2026-06-30T23:30:00Z,3\nZ2,2026-09-30 23:30:00,3\nZ3,2026-07-15T12:00:00Z,3\n' >"$T/zone.csv"
"$X" --cases "$T/zone.csv" --calendar 24x7 --quarter 2026Q3 --as-of 2026-10-02T00:00:00Z -o "$T/z0.json" 2>/dev/null
eq "24x7 without a zone: UTC quarter" '["2026-07-01T00:00:00Z","UTC",2,{"2026-07":1,"2026-09":1}]' \
	"$(jq -c '[.period.start, .period.zone, .counts.opened, (.counts.by_month | map_values(."3") | with_entries(select(.value > 0)))]' "$T/z0.json")"
"$X" --cases "$T/zone.csv" --calendar 24x7 --zone Europe/London --quarter 2026Q3 --as-of 2026-10-02T00:00:00Z -o "$T/z1.json" 2>/dev/null
# (Z2's naive 23:30 is 22:30Z in London: before the quarter's end)
eq "24x7 in Europe/London: the quarter from midnight BST" '["2026-06-30T23:00:00Z","2026-09-30T23:00:00Z","Europe/London",3,{"2026-07":2,"2026-09":1}]' \
	"$(jq -c '[.period.start, .period.end, .period.zone, .counts.opened, (.counts.by_month | map_values(."3") | with_entries(select(.value > 0)))]' "$T/z1.json")"
"$X" --cases "$T/zone.csv" --calendar japan --zone Europe/London --quarter 2026Q3 -o "$T/z2.json" 2>"$T/err"
eq "a business calendar's own zone is not overridden" 1 "$?"
check "says why" grep -q "zone Europe/London: calendar japan keeps its own zone (Asia/Tokyo)" "$T/err"
"$X" --cases "$T/zone.csv" --calendar japan --zone Asia/Tokyo --quarter 2026Q3 -o "$T/z2.json" 2>/dev/null
eq "the calendar's own zone named again: fine" 0 "$?"
"$X" --cases "$T/zone.csv" --calendar 24x7 --zone Mars/Base --quarter 2026Q3 -o "$T/z2.json" 2>"$T/err"
eq "an unknown zone: error" 1 "$?"
check "names the zone" grep -q 'unknown time zone "Mars/Base"' "$T/err"

# --- the same export from a Japanese help desk: mapping, CP932, CRLF ---
iconv -f UTF-8 -t CP932 "$D/mapped-cases.csv" >"$T/mc.csv"
iconv -f UTF-8 -t CP932 "$D/mapped-events.csv" >"$T/me.csv"
run "$T/mc.csv" "$T/me.csv" --fee 3000000 --mapping "$D/mapping.json" -o "$T/m.json" 2>/dev/null
eq "mapped: exit 0" 0 "$?"
eq "mapped CP932 export gives the same figures" \
	"$(jq -c 'del(.input)' "$S")" "$(jq -c 'del(.input)' "$T/m.json")"
run "$T/mc.csv" "$T/me.csv" -o "$T/m2.json" 2>"$T/err"
eq "CP932 read as UTF-8: error" 1 "$?"
check "says why" grep -q "not UTF-8" "$T/err"
# BOM
printf '\xef\xbb\xbf' | cat - "$D/cases.csv" >"$T/bom.csv"
run "$T/bom.csv" "$D/events.csv" -o "$T/b.json" 2>/dev/null
eq "UTF-8 BOM is dropped" "$(q '.counts')" "$(jq -c '.counts' "$T/b.json")"
# --strict stops at the first bad row
run "$D/cases.csv" "$D/events.csv" --strict -o "$T/x.json" 2>"$T/err"
eq "--strict: error" 1 "$?"
check "--strict names the first bad row" grep -q 'cases.csv:9: duplicate' "$T/err"
check "--strict writes nothing" test ! -e "$T/x.json"
# the event log is read on its own thread and resolved afterwards: in file
# order, another customer's row is "other" even with a bad time, a missing
# events file is an error naming it, and --strict stops at the first bad
# event row when the cases are clean
printf 'id,created,severity,channel,product,subject,customer\nC1,2026-07-06T09:00:00+09:00,2,web,X,s,acme\nC2,2026-07-06T09:00:00+09:00,2,web,X,s,globex\n' >"$T/oc.csv"
printf 'case,time,kind\nC2,notatime,vendor_update\nC1,2026-07-06T10:00:00+09:00,first_response\nC9,2026-07-06T10:00:00+09:00,vendor_update\nC1,bad,vendor_update\nC1,2026-07-06T11:00:00+09:00,napping\nC1,2026-07-05T11:00:00+09:00,vendor_update\n' >"$T/oe.csv"
run "$T/oc.csv" "$T/oe.csv" -o "$T/o.json" 2>/dev/null
eq "events: rows, used, rejected, other" '[6,1,4,1]' "$(jq -c '.input.events|[.rows,.used,.rejected,.other_customers]' "$T/o.json")"
eq "events: rejected lines in file order" '[4,5,6,7]' "$(jq -c '[.input.rejected_rows[].line]' "$T/o.json")"
check "events: each with its reason" test "$(jq -r '.input.rejected_rows[].reason' "$T/o.json" | tr '\n' '|')" = \
	'unknown case id "C9"|time: "bad" is not a time in format "iso"|"napping" is no event kind and not in the mapping'"'"'s "states"|vendor_update before case "C1" was created|'
run "$T/oc.csv" "$T/oe.csv" --strict -o "$T/o2.json" 2>"$T/err"
eq "--strict on events: error" 1 "$?"
check "--strict names the first bad event row" grep -q 'oe.csv:4: unknown case id "C9"' "$T/err"
run "$T/oc.csv" "$T/none.csv" -o "$T/o3.json" 2>"$T/err"
eq "missing events file: error" 1 "$?"
check "names the events file" grep -q "none.csv" "$T/err"

# --- every tier x severity x target: met at the due time, missed 60 s later ---
# Created Monday 2026-07-06 09:00 JST (00:00Z). Due times by hand from the
# service definition (sla/policy.json): support hours 9:00-17:30 JST.
cat >"$T/expect.txt" <<'EOT'
platinum 1 response 2026-07-06T01:00:00Z
platinum 1 update 2026-07-06T02:00:00Z
platinum 1 manager 2026-07-06T02:00:00Z
platinum 1 executive 2026-07-06T08:00:00Z
platinum 2 response 2026-07-06T02:00:00Z
platinum 2 update 2026-07-06T08:30:00Z
platinum 2 manager 2026-07-09T00:00:00Z
platinum 3 response 2026-07-06T08:30:00Z
platinum 3 manager 2026-07-13T00:00:00Z
platinum 4 response 2026-07-06T08:30:00Z
platinum 4 manager 2026-07-13T00:00:00Z
premium 1 response 2026-07-06T01:00:00Z
premium 1 update 2026-07-06T02:00:00Z
premium 1 manager 2026-07-06T02:00:00Z
premium 2 response 2026-07-06T02:00:00Z
premium 2 update 2026-07-06T08:30:00Z
premium 2 manager 2026-07-09T00:00:00Z
premium 3 response 2026-07-06T08:30:00Z
premium 3 manager 2026-07-13T00:00:00Z
premium 4 response 2026-07-06T08:30:00Z
standard 1 response 2026-07-06T04:00:00Z
standard 1 update 2026-07-07T00:00:00Z
standard 1 manager 2026-07-07T00:00:00Z
standard 2 response 2026-07-06T08:00:00Z
standard 2 update 2026-07-06T08:30:00Z
standard 3 response 2026-07-06T08:30:00Z
standard 4 response 2026-07-06T08:30:00Z
EOT
plus60() { date -u -d "$1 + 60 seconds" +%Y-%m-%dT%H:%M:%SZ; }
for tier in platinum premium standard; do
	echo "id,created,severity,channel" >"$T/$tier-c.csv"
	echo "case,time,kind" >"$T/$tier-e.csv"
	while read -r t sev target due; do
		[ "$t" = "$tier" ] || continue
		for how in met miss; do
			id="$sev-$target-$how"
			at=$due
			[ $how = miss ] && at=$(plus60 "$due")
			echo "$id,2026-07-06T00:00:00Z,$sev,phone" >>"$T/$tier-c.csv"
			case $target in
			response) echo "$id,$at,first_response" ;;
			update) printf '%s\n' "$id,2026-07-06T00:00:00Z,first_response" "$id,$at,vendor_update" "$id,$at,resolved" ;;
			manager) echo "$id,$at,escalation_manager" ;;
			executive) echo "$id,$at,escalation_executive" ;;
			esac >>"$T/$tier-e.csv"
		done
	done <"$T/expect.txt"
	"$X" --cases "$T/$tier-c.csv" --events "$T/$tier-e.csv" --tier "$tier" \
		--quarter 2026Q3 --as-of 2026-09-30T00:00:00Z -o "$T/$tier.json" 2>/dev/null
	eq "$tier: exit 0" 0 "$?"
	while read -r t sev target due; do
		[ "$t" = "$tier" ] || continue
		eq "$tier sev $sev $target: met exactly at due" "" \
			"$(jq -r --arg c "$sev-$target-met" --arg t "$target" \
				'.breaches[]|select(.case==$c and .target==$t)|.due' "$T/$tier.json")"
		eq "$tier sev $sev $target: missed 60 s after $due" "$due 60" \
			"$(jq -r --arg c "$sev-$target-miss" --arg t "$target" \
				'.breaches[]|select(.case==$c and .target==$t)|"\(.due) \(.overrun_s)"' "$T/$tier.json")"
	done <"$T/expect.txt"
done
# targets the document does not set are never evaluated
eq "premium has no executive target" 0 \
	"$(jq '[.attainment.executive[]|.met+.missed+.pending]|add' "$T/premium.json")"
eq "standard earns no credits" false "$(jq '.credits.eligible' "$T/standard.json")"
check "every tier's stats follow the schema" $V "$T"/platinum.json "$T"/premium.json "$T"/standard.json
# --- issue 14: reading and reconciliation (quoted fields over several
# lines bounded, lines lost in a broken one reported, fields of unused
# columns of any size) ---
# 2,000 rows, the 10th with a quote never closed: it costs its own row
awk 'BEGIN { print "id,created,severity,channel,product,subject,customer"
	for (i = 1; i <= 2000; i++)
		if (i == 10) print "U0010,2026-07-06T10:00:00+09:00,2,web,P,\"A stray quote in the subject,acme"
		else printf "U%04d,2026-07-%02dT10:00:00+09:00,3,web,P,Row %d,acme\n", i, i % 28 + 1, i }' >"$T/u2000.csv"
i14() { "$X" --quarter 2026Q3 --as-of 2026-10-05T00:00:00Z "$@"; }
i14 --cases "$T/u2000.csv" -o "$T/u.json" 2>"$T/err"
eq "unclosed quote at row 10: exit 0 (a rejected row)" 0 "$?"
eq "unclosed quote at row 10: 2,000 rows, 1,999 used, 1 rejected, reconciled" '[2000,1999,1,0,true]' \
	"$(jq -c '.input.cases|[.rows,.used,.rejected,.other_customers,.reconciled]' "$T/u.json")"
eq "unclosed quote at row 10: the row named, with line and column" \
	'[{"line":11,"reason":"the quoted field in column \"subject\" (field 6), opened on line 11, is not closed before line 12, which looks like a record of its own"}]' \
	"$(jq -c '[.input.rejected_rows[]|{line,reason}]' "$T/u.json")"
check "unclosed quote at row 10: stderr names file:line" grep -q 'u2000.csv:11: the quoted field in column "subject"' "$T/err"
eq "unclosed quote at row 10: the rows after it counted" 1999 "$(jq '.counts.opened' "$T/u.json")"
i14 --cases "$T/u2000.csv" --strict -o "$T/u2.json" 2>"$T/err"
eq "unclosed quote, --strict: error" 1 "$?"
check "unclosed quote, --strict: names file:line" grep -q 'u2000.csv:11: the quoted field' "$T/err"
check "unclosed quote, --strict: writes nothing" test ! -e "$T/u2.json"
# a lost closing quote after a multi-line text, a stray quote, legitimate
# multi-line fields (one holding a line as wide as the header): the text
# lines the broken field took are lost, listed one by one, and the file
# does not reconcile; the event log the same
i14 --cases "$D/broken-quotes.csv" --events "$D/broken-events.csv" -o "$T/bq.json" 2>"$T/err"
eq "broken quotes: exit 0 without --strict" 0 "$?"
eq "broken quotes: cases rows, used, rejected, other, reconciled" '[8,4,2,0,false]' \
	"$(jq -c '.input.cases|[.rows,.used,.rejected,.other_customers,.reconciled]' "$T/bq.json")"
eq "broken quotes: events rows, used, rejected, other, reconciled" '[5,3,1,0,false]' \
	"$(jq -c '.input.events|[.rows,.used,.rejected,.other_customers,.reconciled]' "$T/bq.json")"
eq "broken quotes: the lines listed, in file order" \
	'[["broken-quotes.csv",5],["broken-quotes.csv",6],["broken-quotes.csv",7],["broken-quotes.csv",12],["broken-events.csv",4],["broken-events.csv",5]]' \
	"$(jq -c '[.input.rejected_rows[]|[(.file|split("/")|last),.line]]' "$T/bq.json")"
eq "broken quotes: a lost line says whose it is" \
	'"swallowed by the unclosed quoted field of the row on line 5: not read as a row"' \
	"$(jq -c '.input.rejected_rows[]|select(.line==6)|.reason' "$T/bq.json")"
check "broken quotes: stderr names the lost lines" grep -q 'broken-quotes.csv:7: swallowed by the unclosed quoted field of the row on line 5' "$T/err"
eq "broken quotes: lost lines counted per file" '[2,1]' \
	"$(jq -c '[.input.cases.lost,.input.events.lost]' "$T/bq.json")"
check "broken quotes: the summary says the file does not reconcile" \
	grep -q 'broken-quotes.csv: 2 lines lost in quoted fields never closed: the file does not reconcile' "$T/err"
eq "unclosed quote at row 10: nothing lost" 0 "$(jq '.input.cases.lost' "$T/u.json")"
eq "broken quotes: the 4 used (B1, B3, B4, B6: legitimate multi-line fields too) opened" 4 \
	"$(jq '.counts.opened' "$T/bq.json")"
check "broken quotes: stats.json follows the schema" $V "$T/bq.json"
i14 --cases "$D/broken-quotes.csv" --strict -o "$T/bq2.json" 2>"$T/err"
eq "broken quotes, --strict: error" 1 "$?"
check "broken quotes, --strict: the first bad row" grep -q 'broken-quotes.csv:5: the quoted field in column "subject" (field 6), opened on line 5, is not closed before line 8' "$T/err"
# the same file with its two quotes closed: multi-line fields, reconciled
sed -e '7s/,acme$/",acme/' -e '12s/quote,acme$/quote",acme/' "$D/broken-quotes.csv" >"$T/fixed.csv"
i14 --cases "$T/fixed.csv" -o "$T/fx.json" 2>/dev/null
eq "quotes closed: 6 rows, 6 used, reconciled" '[6,6,0,0,true]' \
	"$(jq -c '.input.cases|[.rows,.used,.rejected,.other_customers,.reconciled]' "$T/fx.json")"
# a quote never closed before the end of the file: every line after it lost
printf 'id,created,severity,channel,product,subject,customer\nE1,2026-07-06T10:00:00+09:00,2,web,P,ok,acme\nE2,2026-07-06T11:00:00+09:00,2,web,P,"never closed\nfree text\n\nmore text, and a comma\n' >"$T/eof.csv"
i14 --cases "$T/eof.csv" -o "$T/eof.json" 2>/dev/null
eq "quote open at the end: rows, used, rejected, reconciled" '[4,1,1,false]' \
	"$(jq -c '.input.cases|[.rows,.used,.rejected,.reconciled]' "$T/eof.json")"
eq "quote open at the end: lines 3 (the row), 4 and 6 (lost; 5 is blank)" '[3,4,6]' \
	"$(jq -c '[.input.rejected_rows[].line]' "$T/eof.json")"
check "quote open at the end: says so" test "$(jq -r '.input.rejected_rows[0].reason' "$T/eof.json")" = \
	'the quoted field in column "subject" (field 6), opened on line 3, is never closed: the data ends inside it'
# a field over 64 KiB in a column the mapping does not use costs nothing;
# in one it uses, the row (file:line, column); over 16 MiB, the record
x70=$(head -c 70000 /dev/zero | tr '\0' x)
{ echo "id,created,severity,channel,product,subject,customer"
  echo "L1,2026-07-06T10:00:00+09:00,2,web,P,\"$x70\",acme"
  echo "L2,2026-07-06T10:00:00+09:00,2,web,$x70,s,acme"
  echo "L3,2026-07-06T10:00:00+09:00,2,web,P,s,acme"; } >"$T/long.csv"
i14 --cases "$T/long.csv" -o "$T/long.json" 2>"$T/err"
eq "70 KB subject (unmapped): used; 70 KB product (mapped): rejected" '[3,2,1,true]' \
	"$(jq -c '.input.cases|[.rows,.used,.rejected,.reconciled]' "$T/long.json")"
check "a mapped column over 64 KiB: file:line and column" grep -q 'long.csv:3: product: 70000 bytes, more than the 64 KiB a column the mapping uses may hold' "$T/err"
printf 'case,time,kind,note\nL1,2026-07-06T10:30:00+09:00,first_response,"%s"\n' "$x70" >"$T/long-e.csv"
i14 --cases "$T/long.csv" --events "$T/long-e.csv" -o "$T/long2.json" 2>/dev/null
eq "70 KB event note (unmapped): the event used" '[1,1,0]' \
	"$(jq -c '.input.events|[.rows,.used,.rejected]' "$T/long2.json")"
{ echo "id,created,severity,channel,product,subject,customer"
  printf 'H1,2026-07-06T10:00:00+09:00,2,web,P,'
  head -c 17000000 /dev/zero | tr '\0' y
  echo ",acme"
  echo "H2,2026-07-06T10:00:00+09:00,2,web,P,s,acme"; } >"$T/huge.csv"
i14 --cases "$T/huge.csv" -o "$T/huge.json" 2>"$T/err"
eq "a 17 MB record: rejected, the next row used" '[2,1,1,true]' \
	"$(jq -c '.input.cases|[.rows,.used,.rejected,.reconciled]' "$T/huge.json")"
check "a 17 MB record: file:line and column" grep -q 'huge.csv:2: a record longer than 16 MiB (passed in column "subject" (field 6))' "$T/err"
# --- issue 18, defect 1: a first response (or resolution, closure) before
# the creation, or not a time, costs that field, not the case: the field
# is rejected with file:line, case id and reason, counted in
# fields_rejected; the case is kept and its events are used ---
printf 'id,created,severity,channel,first_response,resolved\nF1,2026-07-06T10:00:00+09:00,2,phone,2026-07-06T09:00:00+09:00,\nF2,2026-07-06T10:00:00+09:00,2,phone,soon,2026-07-06T11:00:00+09:00\n' >"$T/f-c.csv"
printf 'case,time,kind\nF1,2026-07-06T11:00:00+09:00,vendor_update\nF1,2026-07-06T12:00:00+09:00,resolved\n' >"$T/f-e.csv"
i18() { "$X" --quarter 2026Q3 --as-of 2026-10-05T00:00:00Z "$@"; }
i18 --cases "$T/f-c.csv" --events "$T/f-e.csv" -o "$T/f.json" 2>"$T/err"
eq "bad first_response: exit 0" 0 "$?"
check "summary: no '0 other customers'" eval "! grep -q 'other customer' '$T/err'"
check "summary: 2 fields rejected" grep -q 'cases 2 read, 2 used, 0 rejected (2 fields rejected)' "$T/err"
eq "bad first_response: both cases used, 2 fields rejected, reconciled" '[2,2,0,2,true]' \
	"$(jq -c '.input.cases|[.rows,.used,.rejected,.fields_rejected,.reconciled]' "$T/f.json")"
eq "bad first_response: the case's events are used" '[2,2,0]' \
	"$(jq -c '.input.events|[.rows,.used,.rejected]' "$T/f.json")"
eq "bad first_response: the field, the line, the case" \
	'[[2,"first_response: \"2026-07-06T09:00:00+09:00\" is before the creation of case \"F1\" (2026-07-06T10:00:00+09:00): the field is ignored, the case kept"],[3,"first_response: \"soon\" is not a time in format \"iso\" (1980-2099): the field is ignored, case \"F2\" kept"]]' \
	"$(jq -c '[.input.rejected_rows[]|[.line,.reason]]' "$T/f.json")"
check "bad first_response: stderr names file:line and case" grep -q 'f-c.csv:2: first_response: .* case "F1"' "$T/err"
eq "bad first_response: F1 answered by its vendor update at 11:00 (due 12:00)" '[2,0,0]' \
	"$(jq -c '.attainment.response["2"]|[.met,.missed,.pending]' "$T/f.json")"
eq "bad first_response: both cases opened and closed" '[2,2]' "$(jq -c '.counts|[.opened,.closed]' "$T/f.json")"
check "bad first_response: stats.json follows the schema" $V "$T/f.json"
i18 --cases "$T/f-c.csv" --events "$T/f-e.csv" --strict -o "$T/f2.json" 2>"$T/err"
eq "bad first_response, --strict: error" 1 "$?"
check "bad first_response, --strict: names the field" grep -q 'f-c.csv:2: first_response' "$T/err"

# --- issue 18, defect 2: flags.severity_changes counts the changes whose
# event time is in the quarter (at or before as_of), not the file's ---
printf 'id,created,severity,channel\nS1,2026-05-06T10:00:00+09:00,3,phone\nS2,2026-07-06T10:00:00+09:00,3,phone\n' >"$T/s-c.csv"
printf 'case,time,kind,severity\nS1,2026-05-07T10:00:00+09:00,severity_change,2\nS1,2026-07-07T10:00:00+09:00,severity_change,3\nS2,2026-07-07T10:00:00+09:00,severity_change,2\nS2,2026-07-08T10:00:00+09:00,severity_change,2\nS2,2026-10-02T10:00:00+09:00,severity_change,1\n' >"$T/s-e.csv"
i18 --cases "$T/s-c.csv" --events "$T/s-e.csv" -o "$T/sc.json" 2>/dev/null
eq "severity changes: the quarter's 2 (Q2's and Q4's not, nor a change to the same severity)" 2 \
	"$(jq '.flags.severity_changes' "$T/sc.json")"
i18 --cases "$T/s-c.csv" --events "$T/s-e.csv" --quarter 2026Q2 -o "$T/sc2.json" 2>/dev/null
eq "severity changes: 2026Q2 has 1" 1 "$(jq '.flags.severity_changes' "$T/sc2.json")"

# --- issue 18, defect 3: a manager escalation while the clock is paused
# (customer pending) is met; its due time is the escalation time plus the
# time the clock had left when it paused ---
# (P2: a vendor update during the pause ends the update gap the same way:
# met, and the next gap starts paused)
printf 'id,created,severity,channel\nP1,2026-07-06T10:00:00+09:00,2,phone\nP2,2026-07-06T10:00:00+09:00,2,phone\n' >"$T/p-c.csv"
printf 'case,time,kind\nP1,2026-07-06T10:30:00+09:00,first_response\nP1,2026-07-07T10:00:00+09:00,pending_customer\nP1,2026-07-08T10:00:00+09:00,escalation_manager\nP1,2026-07-09T10:00:00+09:00,resumed\nP1,2026-07-10T10:00:00+09:00,resolved\nP2,2026-07-06T10:30:00+09:00,first_response\nP2,2026-07-07T10:00:00+09:00,pending_customer\nP2,2026-07-08T10:00:00+09:00,vendor_update\nP2,2026-07-09T10:00:00+09:00,resumed\nP2,2026-07-10T09:00:00+09:00,resolved\n' >"$T/p-e.csv"
i18 --cases "$T/p-c.csv" --events "$T/p-e.csv" -o "$T/pe.json" 2>/dev/null
eq "escalation while paused: met, due = at + 48 h left" \
	'[{"case":"P1","level":"manager","severity":2,"at":"2026-07-08T01:00:00Z","due":"2026-07-10T01:00:00Z","status":"met"}]' \
	"$(jq -c '.escalations' "$T/pe.json")"
eq "escalation while paused: manager attainment met" '[1,0,0]' \
	"$(jq -c '.attainment.manager["2"]|[.met,.missed,.pending]' "$T/pe.json")"
eq "update gaps: P1 missed after the pause; P2's gap ended during it met, the next met" '[2,1,0]' \
	"$(jq -c '.attainment.update["2"]|[.met,.missed,.pending]' "$T/pe.json")"
# --- issue 18: severity 3 open too long counts reopened periods and cases
# that reach severity 3 after their 30th day; the backlog at the start is
# the cases open just before the quarter (a case received at its first
# second is opened, not backlog) ---
printf 'id,created,severity,channel\nR1,2026-05-01T10:00:00+09:00,2,phone\nR2,2026-07-01T10:00:00+09:00,2,phone\nR3,2026-07-20T10:00:00+09:00,3,phone\nR4,2026-09-10T10:00:00+09:00,3,phone\nR5,2026-07-01T00:00:00+09:00,4,phone\n' >"$T/r-c.csv"
printf 'case,time,kind,severity\nR1,2026-05-01T10:10:00+09:00,first_response,\nR1,2026-05-10T10:00:00+09:00,resolved,\nR1,2026-08-01T10:00:00+09:00,reopened,\nR1,2026-08-02T10:00:00+09:00,severity_change,3\nR2,2026-07-01T10:10:00+09:00,first_response,\nR2,2026-08-15T10:00:00+09:00,severity_change,3\nR5,2026-07-01T09:10:00+09:00,first_response,\nR5,2026-07-01T10:00:00+09:00,resolved,\n' >"$T/r-e.csv"
i18 --cases "$T/r-c.csv" --events "$T/r-e.csv" -o "$T/r.json" 2>/dev/null
eq "severity 3 too long: reopened (R1), raised to 3 after day 30 (R2), day 30 in the quarter (R3)" \
	'["R1","R2","R3"]' "$(jq -c '.flags.severity3_open_too_long' "$T/r.json")"
eq "backlog: R1 (closed) not at the start, R5 opened at the first second" '[0,4,1,1,4]' \
	"$(jq -c '.counts|[.backlog_start,.opened,.closed,.reopened,.backlog_end]' "$T/r.json")"
# --- issue 18: --explain CASE_ID prints the case's timeline as the
# computation saw it: rows (file:line), events, severity, clocks, due
# times, statuses - the hand-checked C2 and C3 of docs/cases.md ---
run "$D/cases.csv" "$D/events.csv" --explain C2 >"$T/x2" 2>"$T/err"
eq "--explain C2 without -o: exit 0" 0 "$?"
check "--explain: nothing on stderr" test ! -s "$T/err"
check "--explain C2: the case's row" grep -q "cases.csv:3, received 2026-07-17 17:00 (Asia/Tokyo), severity 2" "$T/x2"
check "--explain C2: its event rows, file:line" grep -q "events.csv:8  first_response: used" "$T/x2"
check "--explain C2: response due Tuesday 10:30 (weekend and Marine Day skipped)" \
	grep -q "response clock, severity 2: 2 h (support hours) on the japan calendar from 2026-07-17 17:00, due 2026-07-21 10:30" "$T/x2"
check "--explain C2: answered 10:00, met" \
	grep -q "=> response, severity 2: MET (due 2026-07-21 10:30, done 2026-07-21 10:00); counts in 2026Q3" "$T/x2"
check "--explain C2: the manager escalation missing, 22 h over" \
	grep -q "=> manager, severity 2: MISSED (due 2026-07-20 17:00, not done by the resolution; 22 h over" "$T/x2"
check "--explain C2: the evaluations listed at the end" \
	grep -q "^    escalation to the manager: missing; listed in the escalations of 2026Q3" "$T/x2"
run "$D/cases.csv" "$D/events.csv" --fee 3000000 --explain C3 --explain C3 -o "$T/x.json" >"$T/x3" 2>/dev/null
eq "--explain with -o: stats.json as without" "$(q 'del(.input)')" "$(jq -c 'del(.input)' "$T/x.json")"
eq "--explain C3 twice: explained once" 1 "$(grep -c '^case C3' "$T/x3")"
check "--explain C3: the e-mail rule" grep -q "severity 3 (received by e-mail: starts at 3)" "$T/x3"
check "--explain C3: raised to 2, the manager clock restarts" \
	grep -q "manager clock, severity 2: 72 h (24x7) from 2026-08-06 10:00, due 2026-08-09 10:00" "$T/x3"
check "--explain C3: paused, with the time each clock has left" \
	grep -q "clocks paused (customer pending); update paused, 5 h 30 min left; manager paused, 1 d 22 h left" "$T/x3"
check "--explain C3: the manager due moves to 8/19 07:00 after the pause" \
	grep -q "now: severity 2, open; update due 2026-08-17 14:30; manager due 2026-08-19 07:00" "$T/x3"
check "--explain C3: the response miss, wall and business" \
	grep -q "response, severity 3: MISSED (due 2026-08-05 17:30, done 2026-08-06 09:10; 15 h 40 min over, 10 min of it on the japan calendar)" "$T/x3"
# the same figures as stats.json: every breach of C3 and C2 is a MISSED line
for c in C2 C3 C6; do
	run "$D/cases.csv" "$D/events.csv" --explain $c >"$T/xc" 2>/dev/null
	eq "--explain $c: as many misses as stats.json's breaches" \
		"$(q "[.breaches[]|select(.case==\"$c\")]|length")" "$(grep -c '^    [a-z]*, severity [1-4]: MISSED' "$T/xc")"
done
check "--explain C6: reopened, counted" grep -q "reopened: counts.reopened of 2026Q3" "$T/xc"
check "--explain C6: the rejected row naming it" grep -q 'events.csv:30  vendor_update: REJECTED: vendor_update before case "C6" was created' "$T/xc"
# not there: said, with near matches, exit 1; a rejected case shows why
run "$D/cases.csv" "$D/events.csv" --explain c6 --explain C8 >"$T/xn" 2>"$T/err"
eq "--explain an unknown id: exit 1" 1 "$?"
check "--explain c6: not found, did you mean C6" grep -q 'did you mean "C6"?' "$T/xn"
check "--explain C8: its row rejected, and why" grep -q 'cases.csv:11  the case.s row: REJECTED: severity: unknown label "P9"' "$T/xn"
check "--explain: stderr names the id" grep -q 'no case "c6" of acme in' "$T/err"
run "$D/cases.csv" "$D/events.csv" --explain X1 >"$T/xo" 2>/dev/null
eq "--explain another customer's case: exit 1" 1 "$?"
check "--explain X1: another customer's" grep -q "another customer's case: not evaluated" "$T/xo"
# a field rejected (defect 1) shows in the explanation
i18 --cases "$T/f-c.csv" --events "$T/f-e.csv" --explain F1 >"$T/xf" 2>/dev/null
check "--explain F1: the rejected field" grep -q 'f-c.csv:2  its first_response column: FIELD REJECTED: first_response: "2026-07-06T09:00:00+09:00" is before the creation' "$T/xf"
check "--explain F1: answered by the vendor update" grep -q "=> response, severity 2: MET (due 2026-07-06 12:00, done 2026-07-06 11:00)" "$T/xf"
i18 --cases "$T/p-c.csv" --events "$T/p-e.csv" --explain P1 >"$T/xp" 2>/dev/null
check "--explain P1: escalated while paused, in time" \
	grep -q "=> manager, severity 2: MET (due 2026-07-10 10:00, done 2026-07-08 10:00)" "$T/xp"
# --- issue 18: an event of a case whose row was rejected says so (not
# "unknown case id") ---
printf 'id,created,severity\nK1,2026-07-06T10:00:00+09:00,P9\nK2,2026-07-06T10:00:00+09:00,2\n' >"$T/k-c.csv"
printf 'case,time,kind\nK1,2026-07-06T11:00:00+09:00,first_response\nK3,2026-07-06T11:00:00+09:00,first_response\n' >"$T/k-e.csv"
i18 --cases "$T/k-c.csv" --events "$T/k-e.csv" -o "$T/k.json" 2>/dev/null
eq "events of a rejected case: the reason names the case row" \
	"[\"case \\\"K1\\\" was rejected ($T/k-c.csv:2): its events are not used\",\"unknown case id \\\"K3\\\"\"]" \
	"$(jq -c '[.input.rejected_rows[]|select(.file|endswith("k-e.csv"))|.reason]' "$T/k.json")"
finish
