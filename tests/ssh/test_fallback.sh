#!/bin/bash
# tests/ssh/test_fallback.sh - the harness without a network namespace:
# hosts are ports on 127.0.0.1 ("Match LocalPort"); a small fleet with the
# main fault kinds still ends with the right statuses.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export TSAM_FLEET_NO_NETNS=1
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
eq "fallback mode" ports "$TSAM_FLEET_NS"
fleet_init fallback
fleet_add ok p 5
fleet_add exitfail exit01
fleet_add unknownkey newkey01
fleet_add refused refused01
fleet_start
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$FLEET/out" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --collectors linux-base --quiet
eq "exit" 3 "$?"
eq "ok hosts" 5 "$(jq -r .counts.ok "$FLEET/out/run.json")"
eq "exit01" command_failed "$(status_of "$FLEET/out" exit01)"
eq "newkey01" hostkey_unknown "$(status_of "$FLEET/out" newkey01)"
eq "refused01" unreachable "$(status_of "$FLEET/out" refused01)"
eq "no retries by default" 1 "$(jq -r '.hosts[] | select(.name == "refused01") | .attempts' "$FLEET/out/run.json")"

# --retries: connection-level failures are retried with backoff (1 s, 2 s,
# with jitter of -25..+25 %); other failures are not.
start=$(date +%s.%N)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$FLEET/retry" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --collectors linux-base --quiet \
	--retries 2 --limit 'refused01,exit01'
took=$(echo "$(date +%s.%N) - $start" | bc)
eq "refused host tried 3 times" 3 "$(jq -r '.hosts[] | select(.name == "refused01") | .attempts' "$FLEET/retry/run.json")"
eq "command failure not retried" 1 "$(jq -r '.hosts[] | select(.name == "exit01") | .attempts' "$FLEET/retry/run.json")"
check "backoff waited (>= 2.2 s, took $took)" test "$(echo "$took >= 2.2" | bc)" = 1
finish
