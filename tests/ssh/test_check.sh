#!/bin/bash
# tests/ssh/test_check.sh - collection then tsam-check over a mixed fleet
# (SAV healthy / on-access off / stale, SPL healthy / failed, no product,
# a host that cannot be collected): the findings name the right rule on the
# right host, hosts not collected are listed apart, scores and --fail-on.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
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
s_ok=$(jq -r '.hosts[] | select(.name == "savok01") | .score' "$F")
s_bad=$(jq -r '.hosts[] | select(.name == "savold01") | .score' "$F")
check "healthy host scores higher ($s_ok > $s_bad)" test "$s_ok" -gt "$s_bad"
eq "findings mode" 600 "$(stat -c %a "$F")"

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
s_waived=$(jq -r '.hosts[] | select(.name == "savold01") | .score' "$W")
check "waiving lifts the score ($s_waived > $s_bad)" test "$s_waived" -gt "$s_bad"
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
