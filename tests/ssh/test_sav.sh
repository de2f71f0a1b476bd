#!/bin/bash
# tests/ssh/test_sav.sh - the sav-linux collector run over real SSH on
# emulated endpoints (fake savdstatus/savconfig trees: healthy, on-access
# off, stale with broad exclusions, an older 9.x release with dates in a
# Japanese locale's form, product absent): the facts in each snapshot, the
# update credentials in savconfig redacted everywhere, and the 9.x host
# judged by the lifecycle table.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
# savja01: a product whose status message is not in English (a localized
# product ignores LC_ALL; the message is made up, no capture of the
# product's Japanese output is public)
fleet_populate() {
	[ "$3" = savja01 ] && printf 'Sophos Anti-Virus デーモンは稼働中、オンアクセス検索は実行中\n' \
		>"$2/opt/sophos-av/.fake/status"
	return 0
}
fleet_init sav
fleet_add sav savok01
fleet_add sav-oaoff savoff01
fleet_add sav-stale savold01
fleet_add sav9 sav9old01
fleet_add sav savja01
fleet_add ok plain01
fleet_start
OUT=$FLEET/out
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$OUT" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" \
	--collectors linux-base,sav-linux --quiet
eq "all hosts ok" 0 "$?"
fact() { snapshot "$OUT" "$1" | jq -c --arg k "$2" '.facts.facts[$k]'; }
valid_run "$OUT"

eq "installed" true "$(fact savok01 product.installed)"
eq "product" '"Sophos Anti-Virus for Linux"' "$(fact savok01 product.name)"
eq "version" '"10.5.2"' "$(fact savok01 product.version)"
eq "engine" '"3.91.1"' "$(fact savok01 engine.version)"
eq "data" '"5.98"' "$(fact savok01 data.version)"
eq "daemon" true "$(fact savok01 daemon.active)"
eq "on-access running" true "$(fact savok01 onaccess.running)"
eq "on-access enabled" true "$(fact savok01 onaccess.enabled)"
eq "mechanism" '"fanotify"' "$(fact savok01 onaccess.mechanism)"
eq "live protection" true "$(fact savok01 liveprotection.enabled)"
eq "period" 60 "$(fact savok01 update.period_minutes)"
eq "two sources" 2 "$(fact savok01 update.sources | jq length)"
eq "secondary" '"http://cache2.acme.example:8191/sophos"' "$(fact savok01 update.sources | jq -c '.[1].location')"
eq "exclusions (list value)" '[{"kind":"path","value":"/var/lib/mysql/"},{"kind":"path","value":"/srv/backup/"}]' "$(fact savok01 exclusions)"
check "last update is ISO-8601 UTC" grep -qE '^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"$' <<<"$(fact savok01 update.last_success)"
eq "no parse errors" 0 "$(snapshot "$OUT" savok01 | jq '.facts.errors | length')"

eq "off: not running" false "$(fact savoff01 onaccess.running)"
eq "off: daemon still active" true "$(fact savoff01 daemon.active)"
eq "off: live protection" false "$(fact savoff01 liveprotection.enabled)"
eq "off: talpa" '"talpa"' "$(fact savoff01 onaccess.mechanism)"
eq "scheduled scans (list value)" '[{"name":"weekly"},{"name":"monthly-full"}]' "$(fact savok01 scans.scheduled)"
eq "a scheduled scan completed in the log's 7 days" true "$(fact savok01 scans.completed_7d)"
check "...the line quoted" grep -qE '^"[0-9-]+ [0-9:]+ Scheduled scan \\"weekly\\" completed"$' <<<"$(fact savok01 scans.last_completed)"
eq "off: no scheduled scan configured" '[]' "$(fact savoff01 scans.scheduled)"
eq "off: none completed" false "$(fact savoff01 scans.completed_7d)"
eq "stale: started, never completed" false "$(fact savold01 scans.completed_7d)"
eq "stale: no line quoted" null "$(fact savold01 scans.last_completed)"

eq "stale: one source" 1 "$(fact savold01 update.sources | jq length)"
eq "stale: broad and unicode exclusions" '["/","/tmp/","/srv/共有/経理 2026/","*.log"]' "$(fact savold01 exclusions | jq -c '[.[].value]')"
eq "stale: glob kind" '"glob"' "$(fact savold01 exclusions | jq -c '.[3].kind')"
old=$(fact savold01 update.last_success | tr -d '"')
check "stale: 10 days old" test $(( $(date +%s) - $(date -d "$old" +%s) )) -gt $((9 * 86400))

eq "9.x: version" '"9.12.3"' "$(fact sav9old01 product.version)"
eq "9.x: engine and data beside Japanese-locale dates" '["3.65.2","5.34"]' "$(jq -nc --argjson e "$(fact sav9old01 engine.version)" --argjson d "$(fact sav9old01 data.version)" '[$e, $d]')"
eq "9.x: no parse error for the dates" '[]' "$(snapshot "$OUT" sav9old01 | jq -c '[.facts.errors[] | select(.collector == "sav-linux")]')"
eq "9.x: talpa" '"talpa"' "$(fact sav9old01 onaccess.mechanism)"
eq "9.x: daily updates" 1440 "$(fact sav9old01 update.period_minutes)"
eq "9.x: straight from Sophos" '"sophos"' "$(fact sav9old01 update.primary_kind)"
eq "9.x: no server for it" null "$(fact sav9old01 update.primary_server)"
check "9.x: masked credentials redacted like any other" grep -q 'PrimaryUpdatePassword: <redacted>' \
	<<<"$(snapshot "$OUT" sav9old01 | jq -r '.collectors["sav-linux"]["savconfig-query"].text')"

eq "localized status: daemon state unknown, not false" null "$(fact savja01 daemon.active)"
eq "localized status: on-access state unknown" null "$(fact savja01 onaccess.running)"
check "localized status: a parse error names the section" grep -q savdstatus \
	<<<"$(snapshot "$OUT" savja01 | jq -c '.facts.errors')"
eq "localized status: the version still read" '"10.5.2"' "$(fact savja01 product.version)"

eq "absent product is a result" false "$(fact plain01 product.installed)"
eq "absent: status ok" ok "$(status_of "$OUT" plain01)"

# The update credentials never reach an output file, nor a fact.
check "credentials were there" grep -q Planted-SAV-Secret-9 "$FLEET/hosts/savok01/opt/sophos-av/.fake/query"
leak=$( (cat "$OUT/run.json"; for f in "$OUT"/hosts/*.json.gz; do zcat "$f"; done) | grep -c -e Planted-SAV-Secret-9 -e acme-update)
eq "no credential in any output" 0 "$leak"
check "the key stays, value redacted" grep -q 'PrimaryUpdatePassword: <redacted>' \
	<<<"$(snapshot "$OUT" savok01 | jq -r '.collectors["sav-linux"]["savconfig-query"].text')"
# the 9.x host as tsam-check judges it: out of support since 2023-07-20
# (the lifecycle table), updating once a day
F=$FLEET/findings.json
"$TSAM_BIN/tsam-check" "$OUT" -o "$F" --quiet
eq "check: exit 0" 0 "$?"
res() { jq -r --arg h "$1" --arg r "$2" '.hosts[] | select(.name == $h) | .results[] | select(.rule == $r) | [.result, .observed // ""] | join(" ")' "$F"; }
eq "9.x: unsupported since 2023-07-20" "fail 2023-07-20T23:59:59Z" "$(res sav9old01 LIFECYCLE-001)"
eq "9.x: version 9 is in the lifecycle data" "pass " "$(res sav9old01 LIFECYCLE-003)"
eq "9.x: update period over 60 minutes" "fail 1440" "$(res sav9old01 SAV-UPDATE-003)"
eq "9.x: still version 9 or later" "pass " "$(res sav9old01 SAV-VERSION-001)"
eq "localized status: on-access is an error (unknown), not a failure" "error " "$(res savja01 SAV-ONACCESS-001 | sed 's/ null$/ /')"
finish
