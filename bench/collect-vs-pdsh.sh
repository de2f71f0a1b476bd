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

measure() { # measure KEY LABEL COMMAND... : one line of results
	local key=$1 label=$2
	shift 2
	/usr/bin/time -f "%e %U %S %M" -o "$FLEET/time" "$@" >"$FLEET/out.$key" 2>"$FLEET/err.$key"
	read -r wall user sys rss < <(tail -n 1 "$FLEET/time")
	printf '%-28s %8.2f s wall %8.2f s CPU %8.1f ms CPU/host %7.1f MiB peak RSS\n' \
		"$label" "$wall" "$(echo "$user + $sys" | bc)" \
		"$(echo "($user + $sys) * 1000 / $N" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

echo "fleet: $N hosts on loopback (one sshd, $(nproc) cores shared by client and server)"
measure c64 "tsam-collect --jobs 64" "$C" "${common[@]}" -o "$FLEET/run64" --jobs 64
echo "  ok hosts: $(jq -r .counts.ok "$FLEET/run64/run.json")/$N"

addrs=$(awk '{print $3}' "$FLEET/hostlist" | paste -sd, -)
export PDSH_SSH_ARGS_APPEND="-p $FLEET_PORT -i $FLEET/client/id_ed25519 -o UserKnownHostsFile=$FLEET/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes -F /dev/null"
measure pdsh "pdsh -R ssh -f 64" pdsh -R ssh -f 64 -l "$FLEET_USER" -w "$addrs" "$(cat "$FLEET/script.sh")"
echo "  ok hosts: $(grep -c "$B trailer rc=0" "$FLEET/out.pdsh")/$N"

measure c256 "tsam-collect --jobs 256" "$C" "${common[@]}" -o "$FLEET/run256" --jobs 256
echo "  ok hosts: $(jq -r .counts.ok "$FLEET/run256/run.json")/$N"
