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
finish
