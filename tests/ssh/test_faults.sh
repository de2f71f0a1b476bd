#!/bin/bash
# tests/ssh/test_faults.sh - one run over a loopback fleet where each fault
# host ends with its own status while every healthy host succeeds.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_init faults
# A secret planted in a collected file must not reach any output file.
SECRET=Planted-S3cret-4711
fleet_populate() {
	if [ "$3" = web0003 ]; then
		printf 'ACME_PROXY_PASSWORD="%s"\nACME_UPDATE_URL=http://upd:%s@cache.acme:8191/\n' \
			"$SECRET" "$SECRET" >>"$2/etc/os-release"
	fi
}
fleet_add ok web 30
fleet_add hang hang01
fleet_add flood flood01
fleet_add exitfail exit01
fleet_add exitafter exit02
fleet_add drop drop01
fleet_add authfail auth01
fleet_add unknownkey newkey01
fleet_add mismatch changed01
fleet_add refused refused01
fleet_add blackhole blackhole01
fleet_add ipv6 v6
fleet_start

OUT=$FLEET/out
start=$(date +%s)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$OUT" \
	--known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519" \
	--no-agent -u "$FLEET_USER" --collectors linux-base \
	--connect-timeout 3 --login-timeout 4 --command-timeout 6 \
	--max-output 1M --jobs 16 2>"$FLEET/stderr"
rc=$?
end=$(date +%s)
cat "$FLEET/stderr"
eq "exit code with failed hosts" 3 "$rc"
check "the run ends in bounded time (hung hosts do not stall it)" test $((end - start)) -lt 40

for i in $(seq -w 1 30); do
	eq "web00$i status" ok "$(status_of "$OUT" "web00$i")"
done
eq "hang01" timeout "$(status_of "$OUT" hang01)"
eq "flood01" truncated "$(status_of "$OUT" flood01)"
eq "exit01" command_failed "$(status_of "$OUT" exit01)"
eq "exit02 (non-zero after the trailer)" command_failed "$(status_of "$OUT" exit02)"
check "exit02 says so" grep -q "status 5 after the collector's trailer" <<<"$(error_of "$OUT" exit02)"
eq "drop01" command_failed "$(status_of "$OUT" drop01)"
eq "auth01" auth_failed "$(status_of "$OUT" auth01)"
eq "newkey01" hostkey_unknown "$(status_of "$OUT" newkey01)"
eq "changed01" hostkey_mismatch "$(status_of "$OUT" changed01)"
eq "refused01" unreachable "$(status_of "$OUT" refused01)"
eq "blackhole01" timeout "$(status_of "$OUT" blackhole01)"
nok=30
if [ "$TSAM_FLEET_NS" = netns ]; then
	nok=31
	eq "[::1] over IPv6" ok "$(status_of "$OUT" ::1)"
	eq "IPv6 snapshot" ok "$(snapshot "$OUT" __1 | jq -r .record.status)"
fi

# Nothing runs on a host whose key is unknown or changed: no snapshot.
check "no snapshot for the unknown-key host" test ! -e "$OUT/hosts/newkey01.json.gz"
check "no snapshot for the changed-key host" test ! -e "$OUT/hosts/changed01.json.gz"
check "exit status named" grep -q "status 3" <<<"$(error_of "$OUT" exit01)"
check "drop: cut short" grep -q "trailer\|connection lost" <<<"$(error_of "$OUT" drop01)"

# A healthy host's snapshot carries the sections with real content.
snap=$(snapshot "$OUT" web0007)
eq "snapshot schema" tsamkit-snapshot/1 "$(jq -r .schema <<<"$snap")"
eq "hostname section" web0007 "$(jq -r '.collectors["linux-base"].hostname.text' <<<"$snap" | tr -d '\n')"
check "os-release section" grep -q 'ID=' <<<"$(jq -r '.collectors["linux-base"]["os-release"].text' <<<"$snap")"
eq "os-release rc" 0 "$(jq -r '.collectors["linux-base"]["os-release"].rc' <<<"$snap")"
eq "missing command is 127" 127 "$(jq -r '.collectors["linux-base"].chronyc.rc' <<<"$snap")"
eq "record in snapshot" ok "$(jq -r .record.status <<<"$snap")"
# ... and the typed facts parsed from them.
eq "facts schema" tsamkit-facts/1 "$(jq -r .facts.schema <<<"$snap")"
eq "fact host.name" web0007 "$(jq -r '.facts.facts["host.name"]' <<<"$snap")"
eq "fact hw.cpu_count (a number)" number "$(jq -r '.facts.facts["hw.cpu_count"] | type' <<<"$snap")"
eq "fact hw.cpu_count" 4 "$(jq -r '.facts.facts["hw.cpu_count"]' <<<"$snap")"
check "fact os.id" grep -qE '^(debian|rhel|ubuntu)$' <<<"$(jq -r '.facts.facts["os.id"]' <<<"$snap")"
eq "fact time.synced (no time service in the fleet)" false "$(jq -r '.facts.facts["time.synced"]' <<<"$snap")"

# Redaction: the planted secret is nowhere in the run directory.
check "secret planted" grep -q "$SECRET" "$FLEET/hosts/web0003/etc/os-release"
eq "secret redacted (2 places)" 2 "$(snapshot "$OUT" web0003 | jq -r .redactions)"
check "redacted text kept the key" grep -q 'ACME_PROXY_PASSWORD="<redacted>"' \
	<<<"$(snapshot "$OUT" web0003 | jq -r '.collectors["linux-base"]["os-release"].text')"
leak=$( (cat "$OUT/run.json"; for f in "$OUT"/hosts/*.json.gz; do zcat "$f"; done) | grep -c "$SECRET")
eq "secret in no output file" 0 "$leak"

# Flood output stays within the cap.
size=$(snapshot "$OUT" flood01 | jq -r '.record.bytes')
check "flood: bytes bounded near the cap" test "$size" -lt $((4 * 1024 * 1024))

# run.json: counts, phases, permissions.
eq "counts.ok" "$nok" "$(jq -r .counts.ok "$OUT/run.json")"
eq "state" complete "$(jq -r .state "$OUT/run.json")"
check "phase times recorded" test "$(jq -r '.hosts[0].phases.handshake > 0' "$OUT/run.json")" = true
eq "run.json mode" 600 "$(stat -c %a "$OUT/run.json")"
eq "run dir mode" 700 "$(stat -c %a "$OUT")"
eq "snapshot mode" 600 "$(stat -c %a "$OUT/hosts/web0001.json.gz")"
valid_run "$OUT"
check "summary names failed hosts" grep -q "hostkey_mismatch (1): changed01" "$FLEET/stderr"
check "no secrets in stderr" sh -c "! grep -q 'PRIVATE KEY' '$FLEET/stderr'"

# A second run into the same directory is refused.
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$OUT" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" -u "$FLEET_USER" --quiet 2>"$FLEET/err2"
eq "reuse of a run dir" 1 "$?"
check "says why" grep -q "already holds a run" "$FLEET/err2"
finish
