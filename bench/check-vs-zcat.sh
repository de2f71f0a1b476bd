#!/bin/bash
# bench/check-vs-zcat.sh [HOSTS] - tsam-check over a run of HOSTS (default
# 10,000) snapshots with the full rule set, against the time zcat needs
# just to read the same snapshot files, in one run. The snapshots are
# real ones (collected from a small loopback fleet of SAV, SPL and plain
# hosts) copied under new names into one run directory.
# Needs root (the fleet); run scripts/build.sh first. See BENCHMARKS.md.
set -u
. "$(dirname "$0")/lib.sh"
N=${1:-10000}
fleet_enter "$@"
fleet_init benchcheck
fleet_add sav s 3
fleet_add sav-stale t 2
fleet_add spl p 3
fleet_add ok o 2
fleet_start
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$FLEET/seed" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --quiet || exit 1
# A run of N hosts: each record and snapshot a copy of one seed host's.
R=$FLEET/big
mkdir -p "$R/hosts"
mapfile -t seeds < <(jq -r '.hosts[].name' "$FLEET/seed/run.json")
jq --argjson n "$N" --argjson k "${#seeds[@]}" '
	.hosts as $h | .hosts = [range(0; $n) as $i | $h[$i % $k]
		| .name = ("host\($i)") | .snapshot = ("hosts/host\($i).json.gz")]' \
	"$FLEET/seed/run.json" >"$R/run.json"
for ((i = 0; i < N; i++)); do
	ln "$FLEET/seed/hosts/${seeds[$((i % ${#seeds[@]}))]}.json.gz" "$R/hosts/host$i.json.gz"
done
sync
echo "run: $N hosts, $(du -sh "$R/hosts" | cut -f1) of snapshots, $(jq '[.rules[]] | length' <(cat "$top"/collectors/*/rules.json | jq -s '{rules: (map(.rules) | add)}')) rules"
# Warm the page cache for both; each runs once to warm up, then three
# times, and the median (by wall time) is shown.
cat "$R"/hosts/* >/dev/null
t() { bench_median "$FLEET/t" "$@"; }
read -r zw zu zs zm <<<"$(t sh -c "zcat '$R'/hosts/*.json.gz")"
read -r cw cu cs cm <<<"$(t "$TSAM_BIN/tsam-check" "$R" -o "$FLEET/findings.json" --quiet)"
printf '%-34s %7.2f s wall %7.2f s CPU %7.1f MiB peak RSS\n' "zcat (read and gunzip only)" "$zw" "$(echo "$zu + $zs" | bc)" "$(echo "$zm / 1024" | bc -l)"
printf '%-34s %7.2f s wall %7.2f s CPU %7.1f MiB peak RSS\n' "tsam-check (all rules)" "$cw" "$(echo "$cu + $cs" | bc)" "$(echo "$cm / 1024" | bc -l)"
echo "ratio: $(echo "scale=2; $cw / $zw" | bc)x zcat's wall time; hosts checked: $(jq .fleet.hosts_checked "$FLEET/findings.json")"
