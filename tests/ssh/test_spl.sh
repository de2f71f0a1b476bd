#!/bin/bash
# tests/ssh/test_spl.sh - the spl collector over real SSH on emulated
# Sophos Protection for Linux endpoints (healthy; failed service with bad
# health and a pending update; an early 1.x release without on-access
# settings in its policy; product absent): facts, and the management
# password and token in mcs.config redacted everywhere.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_init spl
fleet_add spl splok01
fleet_add spl-bad splbad01
fleet_add spl-old splold01
fleet_add ok plain01
fleet_start
OUT=$FLEET/out
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$OUT" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --quiet
eq "all hosts ok (all collectors)" 0 "$?"
fact() { snapshot "$OUT" "$1" | jq -c --arg k "$2" '.facts.facts[$k]'; }
valid_run "$OUT"

eq "busybox host: its rpm applet is not taken for rpm, and it says so" \
	'[127,"no package manager (rpm or dpkg-query) on this host"]' \
	"$(snapshot "$OUT" plain01 | jq -c '.collectors["linux-base"].packages | [.rc, .text]')"
# (a chroot without /etc/passwd: busybox's id prints numbers only)
eq "who the collectors ran as" "$(id -u "$FLEET_USER")" "$(fact plain01 collect.uid)"
eq "...and no name where the host has none" null "$(fact plain01 collect.user)"
eq "installed" true "$(fact splok01 product.installed)"
eq "id" '"spl"' "$(fact splok01 product.id)"
eq "version" '"2023.4.1.8"' "$(fact splok01 product.version)"
eq "plugins" '[{"name":"av","version":"1.1.8.4"},{"name":"edr","version":"1.1.1.1"}]' "$(fact splok01 plugins)"
eq "service active" true "$(fact splok01 service.active)"
eq "health" '"good"' "$(fact splok01 health.overall)"
eq "threat" '"good"' "$(fact splok01 health.threat)"
eq "update products" '[{"name":"ServerProtectionLinux-Base","installed":"2023.4.1.8","downloaded":"2023.4.1.8"}]' "$(fact splok01 update.products)"
check "endpoint id" grep -q '^"9f54b277-82cf-3445-1111-' <<<"$(fact splok01 management.endpoint_id)"
eq "no parse errors" 0 "$(snapshot "$OUT" splok01 | jq '.facts.errors | length')"

eq "bad: service" false "$(fact splbad01 service.active)"
eq "bad: state word" '"failed"' "$(fact splbad01 service.state)"
eq "bad: health" '"bad"' "$(fact splbad01 health.overall)"
eq "bad: service health" '"bad"' "$(fact splbad01 health.service)"
eq "bad: pending update" '"2022.4.1.2"' "$(fact splbad01 update.products | jq -c '.[0].installed')"

eq "on-access from the CORE policy" '[true,true,true,false]' \
	"$(snapshot "$OUT" splok01 | jq -c '.facts.facts | [.["onaccess.enabled"], .["onaccess.on_read"], .["onaccess.on_write"], .["onaccess.exclude_remote"]]')"
eq "exclusions, entities decoded" '[{"kind":"path","value":"/opt/app/cache/"},{"kind":"path","value":"/data/R&D/"},{"kind":"process","value":"/usr/sbin/backupd"}]' \
	"$(fact splok01 exclusions)"
eq "bad: on-access off, remote files excluded" '[false,true]' \
	"$(snapshot "$OUT" splbad01 | jq -c '.facts.facts | [.["onaccess.enabled"], .["onaccess.exclude_remote"]]')"
eq "bad: broad exclusions" '["/tmp/","*.log","/usr/sbin/backupd"]' "$(fact splbad01 exclusions | jq -c 'map(.value)')"
oa=$(snapshot "$OUT" splok01 | jq -r '.collectors.spl["core-policy-onaccess"].text')
check "the policy's <onAccessScan> collected" grep -q '^filePath>/opt/app/cache/' <<<"$oa"
check "and nothing else of the policy" test "$(grep -c -e rcaUpload -e coreFeatures -e RevID <<<"$oa")" = 0
eq "update: the last one succeeded" '["success",0]' \
	"$(snapshot "$OUT" splok01 | jq -c '.facts.facts | [.["update.last_result"], .["update.last_result_code"]]')"
eq "update: the last success is the last attempt" "$(fact splok01 update.last_attempt)" "$(fact splok01 update.last_success)"
age=$(($(date +%s) - $(date -d "$(fact splok01 update.last_success | tr -d '"')" +%s)))
check "update: the last success 2 hours ago, read as UTC (${age} s)" test "$age" -ge 7100 -a "$age" -le 7300
eq "bad: the last update failed, code 107, its reason" '["failed",107,"Failed to connect to repository: SUS request failed with error: Timeout was reached"]' \
	"$(snapshot "$OUT" splbad01 | jq -c '.facts.facts | [.["update.last_result"], .["update.last_result_code"], .["update.last_error"]]')"
eq "bad: the last success 10 days ago" "\"$(date -u -d '-10 days' +%Y-%m-%d)" "$(fact splbad01 update.last_success | cut -c1-11)"
eq "old: version" '"1.1.9.5"' "$(fact splold01 product.version)"
eq "old: the AV plugin only" '[{"name":"av","version":"1.1.8.4"}]' "$(fact splold01 plugins)"
eq "old: no policy yet: its section says missing" 2 "$(snapshot "$OUT" splold01 | jq '.collectors.spl["core-policy-onaccess"].rc')"
eq "old: ...on-access unknown, not false" null "$(fact splold01 onaccess.enabled)"
eq "old: ...and no parse error for it" 0 "$(snapshot "$OUT" splold01 | jq '.facts.errors | length')"
eq "old: the rest stands" '["good",true]' "$(snapshot "$OUT" splold01 | jq -c '.facts.facts | [.["health.overall"], .["service.active"]]')"
eq "scheduled scans: the policy's scan, its last run clean 3 days ago (a Scan Now ignored)" \
	'[["Sophos Cloud Scheduled Scan","saturday,wednesday","02:00:00","clean",true,true]]' \
	"$(fact splok01 scans.scheduled | jq -c --arg d "$(date -u -d '-3 days' +%Y-%m-%d)" \
		'map([.name, .days, .times, .result, (.last_started | startswith($d)), (.last_completed | startswith($d))])')"
eq "bad: the last run terminated (15), the last completion 20 days ago with threats" \
	'[["aborted",15,true]]' \
	"$(fact splbad01 scans.scheduled | jq -c --arg d "$(date -u -d '-20 days' +%Y-%m-%d)" \
		'map([.result, .exit_code, (.last_completed | startswith($d))])')"
eq "old: no SAV policy: scheduled scans unknown" null "$(fact splold01 scans.scheduled)"
eq "absent" false "$(fact plain01 product.installed)"

leak=$( (cat "$OUT/run.json"; for f in "$OUT"/hosts/*.json.gz; do zcat "$f"; done) |
	grep -c -e Planted-SPL-Secret-7 -e Planted-SPL-Token-8 -e Planted-SPL-Header-9)
eq "no mcs secret or policy header token in any output" 0 "$leak"
check "MCSPassword key kept, value redacted" grep -q 'MCSPassword=<redacted>' \
	<<<"$(snapshot "$OUT" splok01 | jq -r '.collectors.spl["mcs-config"].text')"
# the early release as tsam-check judges it
F=$FLEET/findings.json
"$TSAM_BIN/tsam-check" "$OUT" -o "$F" --quiet
eq "check: exit 0" 0 "$?"
res() { jq -r --arg h "$1" --arg r "$2" '.hosts[] | select(.name == $h) | .results[] | select(.rule == $r) | .result' "$F"; }
eq "old: below 2023.1" fail "$(res splold01 SPL-VERSION-001)"
eq "old: on-access policy unknown: error, not a failure" error "$(res splold01 SPL-ONACCESS-001)"
eq "old: the AV plugin is there" pass "$(res splold01 SPL-PLUGIN-001)"
eq "a clean scheduled scan 3 days ago" pass "$(res splok01 SPL-SCAN-001)"
eq "bad: the last completion 20 days ago" fail "$(res splbad01 SPL-SCAN-001)"
eq "a scheduled scan in the policy" pass "$(res splok01 SPL-SCAN-002)"
eq "old: scheduled scans unknown: error" error "$(res splold01 SPL-SCAN-001)"
finish
