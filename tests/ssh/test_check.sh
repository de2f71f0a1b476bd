#!/bin/bash
# tests/ssh/test_check.sh - collection then tsam-check over a mixed fleet
# (SAV healthy / on-access off / stale, SPL healthy / failed, no product,
# a host that cannot be collected): the findings name the right rule on the
# right host, hosts not collected are listed apart, scores and --fail-on;
# the lifecycle table and the capacity rules (sizing.json) on real
# collected facts, with the shipped data and with edited copies of it.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
# update sources for the capacity rules: savok01 and savoff01 share one
# UNC location on um1, savold01 updates over HTTP (with credentials in the
# URL) from the same server
fleet_populate() {
	local q=$2/opt/sophos-av/.fake/query
	case $3 in
	savok01 | savoff01)
		sed -i 's|^PrimaryUpdateSourcePath: .*|PrimaryUpdateSourcePath: smb://UM1.acme.example/SophosUpdate/CIDs/S000/savlinux/|' "$q" ;;
	savold01)
		sed -i 's|^PrimaryUpdateSourcePath: .*|PrimaryUpdateSourcePath: http://acme-upd:Planted-URL-Secret-3@um1.acme.example:8085/SophosUpdate/CIDs/S000/savlinux|' "$q" ;;
	esac
}
fleet_init check
fleet_add sav savok01
fleet_add sav-oaoff savoff01
fleet_add sav-stale savold01
fleet_add spl splok01
fleet_add spl-bad splbad01
fleet_add ok plain01
fleet_add authfail locked01
fleet_start
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$FLEET/run" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --quiet
eq "collect: one host fails" 3 "$?"
F=$FLEET/findings.json
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$F" 2>"$FLEET/check.err"
eq "check exit without --fail-on" 0 "$?"
cat "$FLEET/check.err"
result() { jq -r --arg h "$1" --arg r "$2" '.hosts[] | select(.name == $h) | .results[] | select(.rule == $r) | .result' "$F"; }

eq "healthy SAV: on-access" pass "$(result savok01 SAV-ONACCESS-001)"
eq "healthy SAV: 24 h" pass "$(result savok01 SAV-UPDATE-001)"
eq "healthy SAV: exclusions" pass "$(result savok01 SAV-EXCL-001)"
eq "healthy SAV: secondary source" pass "$(result savok01 SAV-UPDATE-004)"
eq "on-access off" fail "$(result savoff01 SAV-ONACCESS-001)"
eq "live protection off" fail "$(result savoff01 SAV-LIVE-001)"
eq "stale: 7 days" fail "$(result savold01 SAV-UPDATE-002)"
eq "stale: 24 h" fail "$(result savold01 SAV-UPDATE-001)"
eq "stale: broad exclusion" fail "$(result savold01 SAV-EXCL-001)"
eq "stale: extension exclusion" fail "$(result savold01 SAV-EXCL-002)"
eq "stale: one update source" fail "$(result savold01 SAV-UPDATE-004)"
eq "healthy SAV: scheduled scan completed" pass "$(result savok01 SAV-SCAN-001)"
eq "stale: scheduled scan never completed" fail "$(result savold01 SAV-SCAN-001)"
eq "off: no scheduled scan configured" fail "$(result savoff01 SAV-SCAN-002)"
eq "healthy SAV: scheduled scans configured" pass "$(result savok01 SAV-SCAN-002)"
eq "SAV rule on SPL host" not_applicable "$(result splok01 SAV-ONACCESS-001)"
eq "SPL healthy" pass "$(result splok01 SPL-SERVICE-001)"
eq "SPL failed service" fail "$(result splbad01 SPL-SERVICE-001)"
eq "SPL bad health" fail "$(result splbad01 SPL-HEALTH-001)"
eq "SPL version" fail "$(result splbad01 SPL-VERSION-001)"
eq "no product: SPL rule n/a" not_applicable "$(result plain01 SPL-SERVICE-001)"
eq "no time service in the fleet" fail "$(result plain01 LNX-TIME-001)"
eq "observed value reported" false "$(jq -r '.hosts[] | select(.name == "savoff01") | .results[] | select(.rule == "SAV-ONACCESS-001") | .observed' "$F")"
eq "expected value reported" "eq true" "$(jq -r '.hosts[] | select(.name == "savoff01") | .results[] | select(.rule == "SAV-ONACCESS-001") | .expected' "$F")"
eq "uncollected host listed apart" auth_failed "$(jq -r '.uncollected[] | select(.name == "locked01") | .status' "$F")"
eq "...and not among checked hosts" "" "$(jq -r '.hosts[] | select(.name == "locked01") | .name' "$F")"
eq "hosts checked" 6 "$(jq -r .fleet.hosts_checked "$F")"
eq "rule counts" 1 "$(jq -r '.rules[] | select(.id == "SAV-ONACCESS-001") | .counts.fail' "$F")"
# scores (docs/rules.md): a failed critical rule caps a host at 49 (both
# SAV hosts run a product past its end of support), a failed high one at
# 79; the fleet's is the mean of its hosts'
hv() { jq -r --arg h "$1" '.hosts[] | select(.name == $h) | '"$2" "$F"; }
eq "savok01 fails the end-of-support rule (critical)" fail "$(hv savok01 '.results[] | select(.rule == "LIFECYCLE-001") | .result')"
eq "a failed critical rule caps the score at 49" 49 "$(hv savok01 .score)"
check "the broken host fails more ($(hv savold01 .counts.fail) > $(hv savok01 .counts.fail))" \
	test "$(hv savold01 .counts.fail)" -gt "$(hv savok01 .counts.fail)"
eq "no host over a cap" "" "$(jq -r --slurpfile x <(jq '[.rules[] | {(.id): .severity}] | add' "$F") '.hosts[] | select(.score != null)
	| . as $h | [.results[] | select(.result == "fail") | $x[0][.rule]] as $s
	| select(($s | index("critical") != null and $h.score > 49) or ($s | index("high") != null and $h.score > 79)) | .name' "$F")"
eq "the fleet's score is the mean of its hosts'" "$(jq '[.hosts[].score | select(. != null)] | add / length | . + 0.5 | floor' "$F")" "$(jq .fleet.score "$F")"
s_bad_fail=$(hv savold01 .counts.fail)
eq "findings mode" 600 "$(stat -c %a "$F")"
V="/usr/bin/python3 $TSAM_SRC/tests/validate-json.py $TSAM_SRC/docs/findings.schema.json"
check "findings.json follows docs/findings.schema.json" $V "$F"

# Lifecycle: Sophos Anti-Virus for Linux 10 ended on 2023-07-20 (the
# shipped table); SPL and plain hosts are not in it.
obs() { jq -r --arg h "$1" --arg r "$2" '.hosts[] | select(.name == $h) | .results[] | select(.rule == $r) | .observed' "$F"; }
eq "SAV 10: past its end of support" fail "$(result savok01 LIFECYCLE-001)"
eq "...the date observed" 2023-07-20T23:59:59Z "$(obs savok01 LIFECYCLE-001)"
eq "...so no 6-month notice" not_applicable "$(result savok01 LIFECYCLE-002)"
eq "...its version is in the data" pass "$(result savok01 LIFECYCLE-003)"
eq "SPL: not in the table" not_applicable "$(result splok01 LIFECYCLE-001)"
eq "no product: not in the table" not_applicable "$(result plain01 LIFECYCLE-003)"

# Capacity: the facts the rules group by, then the shipped limits (pass)
fr() { jq -r --arg r "$1" '.fleet_rules[] | select(.rule == $r) | .'"$2" "$F"; }
fact() { zcat "$FLEET/run/hosts/$1.json.gz" | jq -r --arg f "$2" '.facts.facts[$f]'; }
eq "primary kind: UNC" unc "$(fact savok01 update.primary_kind)"
eq "primary location without the trailing /" smb://UM1.acme.example/SophosUpdate/CIDs/S000/savlinux "$(fact savok01 update.primary_location)"
eq "its server, lower case" um1.acme.example "$(fact savok01 update.primary_server)"
eq "HTTP: kind" http "$(fact savold01 update.primary_kind)"
eq "HTTP: server without user, password or port" um1.acme.example "$(fact savold01 update.primary_server)"
check "the URL's password reaches no output" sh -c "! { zcat '$FLEET'/run/hosts/*.json.gz; cat '$FLEET/run/run.json' '$F'; } | grep -q Planted-URL-Secret-3"
eq "2 endpoints on one UNC location: within 1,000" pass "$(fr FLEET-CAPACITY-001 result)"
eq "...counted per location" '{"smb://UM1.acme.example/SophosUpdate/CIDs/S000/savlinux":2}' "$(jq -c '.fleet_rules[] | select(.rule == "FLEET-CAPACITY-001") | .observed' "$F")"
eq "1 endpoint on the web location" pass "$(fr FLEET-CAPACITY-002 result)"
eq "3 endpoints on update manager um1" '{"um1.acme.example":3}' "$(jq -c '.fleet_rules[] | select(.rule == "FLEET-CAPACITY-003") | .observed' "$F")"
# ...and a copy of the rules whose limits are 1 (locations) and 2 (servers)
cp -r "$TSAM_SRC/collectors" "$FLEET/rules"
jq '.limits |= map(.max_endpoints = (if .id == "sec-update-manager" then 2 else 1 end))' \
	"$TSAM_SRC/collectors/fleet/sizing.json" >"$FLEET/rules/fleet/sizing.json"
C=$FLEET/capacity.json
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$C" --rules "$FLEET/rules" --quiet
eq "check with small limits" 0 "$?"
check "capacity results follow the schema" $V "$C"
cap() { jq -r --arg r "$1" '.fleet_rules[] | select(.rule == $r) | .'"$2" "$C"; }
eq "2 endpoints on one UNC location, limit 1" fail "$(cap FLEET-CAPACITY-001 result)"
eq "...the largest group" "2 smb://UM1.acme.example/SophosUpdate/CIDs/S000/savlinux" "$(cap FLEET-CAPACITY-001 observed_max) $(cap FLEET-CAPACITY-001 observed_at)"
eq "1 endpoint on the web location, limit 1" pass "$(cap FLEET-CAPACITY-002 result)"
eq "3 endpoints on one update manager, limit 2" fail "$(cap FLEET-CAPACITY-003 result)"
eq "...expected names the limit" "at most 2 hosts per update.primary_server (sec-update-manager)" "$(cap FLEET-CAPACITY-003 expected)"
# ...as the customer reads it: a note under the fleet table for each
# failed rule, with the limit's own words, in both languages
for lang in ja en; do
	"$TSAM_BIN/tsam-report" --template annual-health-check --customer "$TSAM_SRC/tests/data/report/customer.json" \
		--findings "$C" --lang $lang -o "$FLEET/cap-$lang.pdf" 2>/dev/null
	eq "report $lang: exit 0" 0 "$?"
	pdftotext "$FLEET/cap-$lang.pdf" - 2>/dev/null | tr -d '\n ' >"$FLEET/cap-$lang.txt"
done
check "ja: the capacity note" grep -q "FLEET-CAPACITY-003—期待する値：1台のアップデートマネージャ（サーバー）から更新するエンドポイント数：2以下／確認した値：最大3（um1.acme.example）" "$FLEET/cap-ja.txt"
check "en: the capacity note" grep -q "FLEET-CAPACITY-003—expected:endpointsupdatingfromoneupdatemanager(server):atmost2;observed:largest:3(um1.acme.example)" "$FLEET/cap-en.txt"
check "no note for a rule that passed" sh -c "! grep -q 'FLEET-CAPACITY-002—' '$FLEET/cap-en.txt'"
# ...and edited lifecycle data: version 10 supported for 90 more days,
# then for 400, then not listed at all
lc() {
	jq "$1" "$TSAM_SRC/collectors/lifecycle/lifecycle.json" >"$FLEET/rules/lifecycle/lifecycle.json"
	"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$FLEET/lc.json" --rules "$FLEET/rules" --quiet
	jq -r '[.hosts[] | select(.name == "savok01") | .results[] | select(.rule | startswith("LIFECYCLE-")) | .result] | join(" ")' "$FLEET/lc.json"
}
d90=$(date -u -d '+90 days' +%F)
d400=$(date -u -d '+400 days' +%F)
eq "support ends in 90 days: supported, but within 6 months" "pass fail pass" \
	"$(lc "(.products[0].lines[] | select(.version == \"10\") | .end_of_support) = \"$d90\"")"
eq "support ends in 400 days: nothing to say" "pass pass pass" \
	"$(lc "(.products[0].lines[] | select(.version == \"10\") | .end_of_support) = \"$d400\"")"
eq "version 10 not in the data: flagged as unknown" "not_applicable not_applicable fail" \
	"$(lc '.products[0].lines |= map(select(.version != "10"))')"
rm "$FLEET/rules/lifecycle/lifecycle.json"
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$FLEET/lc.json" --rules "$FLEET/rules" 2>"$FLEET/lc.err"
eq "lifecycle rules without lifecycle data: error" 1 "$?"
check "names the rule" grep -q "LIFECYCLE-001: tests lifecycle facts but no lifecycle.json" "$FLEET/lc.err"

# Fleet rules: shares, version spread, hosts not collected.
fleet() { jq -r --arg r "$1" '.fleet_rules[] | select(.rule == $r) | .'"$2" "$F"; }
eq "2 of 3 SAV hosts fresh: below 95 %" fail "$(fleet FLEET-DEFS-001 result)"
check "share observed" grep -q '^66.6' <<<"$(fleet FLEET-DEFS-001 observed_pct)"
eq "on-access everywhere" fail "$(fleet FLEET-ONACCESS-001 result)"
eq "one SAV version" pass "$(fleet FLEET-VERSION-001 result)"
eq "SAV versions observed" '{"10.5.2":3}' "$(jq -c '.fleet_rules[] | select(.rule == "FLEET-VERSION-001") | .observed' "$F")"
eq "two SPL versions allowed" pass "$(fleet FLEET-SPLVERSION-001 result)"
eq "1 of 7 not collected" fail "$(fleet FLEET-COLLECT-001 result)"
eq "fleet rules not in host results" 0 "$(jq '[.hosts[].results[] | select(.rule | startswith("FLEET-"))] | length' "$F")"

# Waivers: an active one waives the result (kept, out of the score); an
# expired one no longer applies and is listed as expired.
cat >"$FLEET/waivers.json" <<'JSON'
{"schema": "tsamkit-waivers/1", "waivers": [
  {"rule": "SAV-EXCL-002", "hosts": "savold*", "justification": "Application logs are written by the vendor's daemon only",
   "approver": "Sato (CISO)", "created": "2026-01-10", "expires": "2099-12-31"},
  {"rule": "SAV-ONACCESS-001", "hosts": "savoff01", "justification": "Migration to SPL during the 2019 change window",
   "approver": "Sato (CISO)", "created": "2019-01-10", "expires": "2020-01-01"}
]}
JSON
W=$FLEET/waived.json
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$W" --waivers "$FLEET/waivers.json" --quiet
eq "check with waivers" 0 "$?"
wres() { jq -r --arg h "$1" --arg r "$2" '.hosts[] | select(.name == $h) | .results[] | select(.rule == $r) | .'"$3" "$W"; }
eq "waived result" waived "$(wres savold01 SAV-EXCL-002 result)"
eq "what it was" fail "$(wres savold01 SAV-EXCL-002 waived_result)"
eq "the waiver quoted" "Sato (CISO)" "$(wres savold01 SAV-EXCL-002 waiver.approver)"
eq "expired waiver does not apply" fail "$(wres savoff01 SAV-ONACCESS-001 result)"
eq "expired waiver listed" expired "$(jq -r '.waivers[1].state' "$W")"
eq "expired waiver would have matched" 1 "$(jq -r '.waivers[1].expired_matches' "$W")"
eq "active waiver used once" 1 "$(jq -r '.waivers[0].applied' "$W")"
eq "a waived failure is out of the counts" "$((s_bad_fail - 1))" "$(jq -r '.hosts[] | select(.name == "savold01") | .counts.fail' "$W")"
printf '{"schema": "tsamkit-waivers/1", "waivers": [{"rule": "SAV-EXCL-009"}]}' >"$FLEET/bad-waivers.json"
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$W" --waivers "$FLEET/bad-waivers.json" 2>"$FLEET/bw.err"
eq "bad waiver file: error" 1 "$?"
check "names file, entry and rule" grep -q "bad-waivers.json: waivers\[0\]: unknown rule 'SAV-EXCL-009'" "$FLEET/bw.err"

# JUnit XML for CI pipelines: well-formed, one testcase per host and rule.
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$W" --waivers "$FLEET/waivers.json" --junit "$FLEET/junit.xml" --quiet
eq "junit run" 0 "$?"
check "junit is well-formed XML" xmllint --noout "$FLEET/junit.xml"
eq "junit testcases" "$((6 * $(jq '[.rules[] | select(.scope == "host")] | length' "$W") + $(jq '.fleet_rules | length' "$W") + 1))" "$(xmllint --xpath 'count(//testcase)' "$FLEET/junit.xml")"
eq "junit fleet failure" 1 "$(xmllint --xpath 'count(//testsuite[@name="fleet"]/testcase[starts-with(@name,"FLEET-COLLECT-001")]/failure)' "$FLEET/junit.xml")"
eq "junit failure for on-access off" 1 "$(xmllint --xpath 'count(//testsuite[@name="savoff01"]/testcase[starts-with(@name,"SAV-ONACCESS-001")]/failure)' "$FLEET/junit.xml")"
eq "junit waived is skipped" 1 "$(xmllint --xpath 'count(//testsuite[@name="savold01"]/testcase[starts-with(@name,"SAV-EXCL-002")]/skipped)' "$FLEET/junit.xml")"
eq "junit uncollected host is an error" 1 "$(xmllint --xpath 'count(//testsuite[@name="not collected"]/testcase[@classname="locked01"]/error)' "$FLEET/junit.xml")"

# Year-on-year diff: last year's findings, made from this year's by hand:
# a secondary source was missing (now fixed), on-access was already off
# (still failing), definitions were fresh (a new failure), plain01 was
# called retired01, and LNX-UPTIME-001 did not exist yet.
jq '(.hosts[] | select(.name == "savok01") | .results[] | select(.rule == "SAV-UPDATE-004") | .result) = "fail"
  | (.hosts[] | select(.name == "savold01") | .results[] | select(.rule == "SAV-UPDATE-002") | .result) = "pass"
  | (.hosts[] | select(.name == "plain01") | .name) = "retired01"
  | .rules |= map(select(.id != "LNX-UPTIME-001"))' "$F" >"$FLEET/last-year.json"
D=$FLEET/diff.json
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$D" --baseline "$FLEET/last-year.json" --quiet
eq "check with baseline" 0 "$?"
check "a diff follows the schema" $V "$D"
has() { jq -e --arg l "$1" --arg h "$2" --arg r "$3" '.diff[$l] | any(.host == $h and .rule == $r)' "$D" >/dev/null; }
check "fixed: secondary source" has fixed savok01 SAV-UPDATE-004
check "still failing: on-access off" has still_failing savoff01 SAV-ONACCESS-001
check "new failure: stale definitions" has new_failures savold01 SAV-UPDATE-002
check "not fixed twice" sh -c "! jq -e '.diff.fixed | any(.host == \"savoff01\")' '$D' >/dev/null"
eq "hosts added" '["plain01"]' "$(jq -c .diff.hosts_added "$D")"
eq "hosts removed" '["retired01"]' "$(jq -c .diff.hosts_removed "$D")"
eq "rules added" '["LNX-UPTIME-001"]' "$(jq -c .diff.rules_added "$D")"
eq "rules removed" '[]' "$(jq -c .diff.rules_removed "$D")"
echo '{"schema": "something-else"}' >"$FLEET/not-findings.json"
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$D" --baseline "$FLEET/not-findings.json" 2>"$FLEET/bl.err"
eq "a baseline that is not findings: error" 1 "$?"
check "says so" grep -q "not-findings.json: not a findings file" "$FLEET/bl.err"

"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$F" --fail-on critical --quiet
eq "--fail-on critical: failures exist" 3 "$?"
"$TSAM_BIN/tsam-check" "$FLEET/run" -o "$F" --fail-on banana 2>/dev/null
eq "--fail-on bad value: usage" 2 "$?"
finish
