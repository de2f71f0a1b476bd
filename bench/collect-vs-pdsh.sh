#!/bin/bash
# bench/collect-vs-pdsh.sh [HOSTS] - tsam-collect against pdsh -R ssh -f 64
# (Debian's pdsh driving OpenSSH's client) on the same loopback fleet with
# the same collector script, in one run. Prints wall time, client CPU
# (user+sys of the collector process; of pdsh with its ssh children) and
# peak RSS, then the same for tsam-collect with 256 sessions in flight.
# Needs root; builds nothing: run scripts/build.sh first.
# Results are written up in BENCHMARKS.md.
set -u
. "$(dirname "$0")/lib.sh"
N=${1:-500}
fleet_enter "$@"
fleet_need "$N"
command -v pdsh >/dev/null || { echo "pdsh not installed (scripts/install-deps.sh)"; exit 77; }
fleet_init bench
fleet_add ok h "$N"
fleet_start
C="$TSAM_BIN/tsam-collect"
common=(-i "$FLEET/inventory" --known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519"
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet)
"$C" --print-script --collectors linux-base >"$FLEET/script.sh"
B=$(head -n 1 "$FLEET/script.sh" | cut -d= -f2)


echo "fleet: $N hosts on loopback (one sshd, $(nproc) cores shared by client and server)"
bench_measure c64 "tsam-collect --jobs 64" "$C" "${common[@]}" -o "$FLEET/run64" --jobs 64
echo "  ok hosts: $(jq -r .counts.ok "$FLEET/run64/run.json")/$N"

addrs=$(awk '{print $3}' "$FLEET/hostlist" | paste -sd, -)
export PDSH_SSH_ARGS_APPEND="-p $FLEET_PORT -i $FLEET/client/id_ed25519 -o UserKnownHostsFile=$FLEET/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes -F /dev/null"
bench_measure pdsh "pdsh -R ssh -f 64" pdsh -R ssh -f 64 -l "$FLEET_USER" -w "$addrs" "$(cat "$FLEET/script.sh")"
echo "  ok hosts: $(grep -c "$B trailer rc=0" "$FLEET/out.pdsh")/$N"

bench_measure c256 "tsam-collect --jobs 256" "$C" "${common[@]}" -o "$FLEET/run256" --jobs 256
echo "  ok hosts: $(jq -r .counts.ok "$FLEET/run256/run.json")/$N"
