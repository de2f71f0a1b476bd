#!/bin/bash
# examples/generate.sh [OUT] - builds the demo portfolio (default
# out/examples): 3 TSAMs, 8 customers across the three tiers and both
# languages, fleets of 20 to 500 endpoints, case and event exports over
# five quarters, waivers (one expired), and last year's findings.
#
# Everything comes from a fixed seed and the real snapshots in
# examples/seed/ (captured once from the loopback demo fleet:
# examples/live-demo.sh's SAV, SPL and plain Linux hosts, healthy and not,
# one collected without the privilege SPL's files need, and four hosts
# that could not be collected), so every run gives the same
# files. Needs the built tools (scripts/build.sh). See examples/README.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$top/out/examples}
B=$top/build/tools
SEED=$top/examples/seed
rm -rf "$OUT"
mkdir -p "$OUT"/{fleets,cases,waivers,previous}
chmod 700 "$OUT"
cc -O2 -o "$OUT/.gen-cases" "$top/bench/gen-cases.c"

# customer  hosts  cases  seed  mix (weights of the seed hosts:
#                               sav sav-oaoff sav-stale spl spl-bad linux
#                               unreachable spl-collected-without-privilege)
CUSTOMERS="
acme            40  600 11 6,1,1,6,1,2,1,0
sakura-bank    500  900 12 10,0,1,8,1,3,1,0
nihon-logi     120  300 13 4,1,2,4,2,2,1,1
fuji-medical    20   80 14 2,2,2,1,2,1,2,0
globex         200  400 15 6,1,1,6,1,2,1,0
initech         60  200 16 3,1,1,5,1,2,1,0
umbrella        80  250 17 5,2,2,3,2,2,2,1
hooli           30  100 18 6,0,0,6,0,2,0,0
"
seeds=(web0001 web-legacy0001 dmz0001 app0001 batch0001 db0001 decom01 ops0001)
prefix=(web web-old dmz app batch db decom ops)

# A fleet: N endpoints drawn from the seed hosts by weight (a fixed
# sequence), each a copy of a real snapshot under its own name.
fleet() {
	local id=$1 n=$2 mix=$3 i k pick total=0 w
	local -a weights
	IFS=, read -r -a weights <<<"$mix"
	for w in "${weights[@]}"; do total=$((total + w)); done
	local dir=$OUT/fleets/$id
	mkdir -p "$dir/hosts"
	: >"$dir/names"
	for ((i = 0; i < n; i++)); do
		# a deterministic spread: i * 7919 mod total picks the bucket
		pick=$(((i * 7919 + ${#id}) % total))
		for ((k = 0; k < ${#seeds[@]}; k++)); do
			if ((pick < weights[k])); then break; fi
			pick=$((pick - weights[k]))
		done
		name=$(printf '%s%04d' "${prefix[$k]}" "$i")
		echo "$name ${seeds[$k]}" >>"$dir/names"
		if [ -e "$SEED/hosts/${seeds[$k]}.json.gz" ]; then
			cp "$SEED/hosts/${seeds[$k]}.json.gz" "$dir/hosts/$name.json.gz"
		fi
	done
	jq --rawfile names "$dir/names" '
		(.hosts | map({(.name): .}) | add) as $seed
		| .hosts = [$names | split("\n")[] | select(length > 0) | split(" ")
			| $seed[.[1]] + {name: .[0]}
			| if .snapshot then .snapshot = "hosts/\(.name).json.gz" else . end]' \
		"$SEED/run.json" >"$dir/run.json"
	rm "$dir/names"
}

# Last year's findings: this year's, with some results the other way round
# and a lower score, so the diff has new, fixed and still-open findings.
previous() {
	local id=$1
	"$B/tsam-check" "$OUT/fleets/$id" -o "$OUT/previous/$id.now.json" --quiet
	jq '.run.started = "2025-09-15T01:00:00Z"
		| .fleet.score = (if .fleet.score then ([.fleet.score - 7, 0] | max) else null end)
		| .hosts |= [.[] | .results |= [.[] |
			if .rule == "LNX-TIME-001" and .result == "pass" then .result = "fail"
			elif .rule == "SAV-UPDATE-002" and .result == "fail" then .result = "pass"
			else . end]]' \
		"$OUT/previous/$id.now.json" >"$OUT/previous/$id-2025.json"
	rm "$OUT/previous/$id.now.json"
}

while read -r id hosts ncases seed mix; do
	[ -n "$id" ] || continue
	fleet "$id" "$hosts" "$mix"
	"$OUT/.gen-cases" "$ncases" "$OUT/cases/$id-cases.csv" "$OUT/cases/$id-events.csv" \
		"$seed" "$(echo "$id" | tr 'a-z-' 'A-Z_')-" "$id"
	previous "$id"
done <<<"$CUSTOMERS"

# Waivers: one in force and one expired (acme), one in force elsewhere.
cat >"$OUT/waivers/acme.json" <<'JSON'
{"schema": "tsamkit-waivers/1", "waivers": [
  {"rule": "LNX-TIME-001", "hosts": "db*", "justification": "Database hosts take time from the storage array's PTP feed, audited quarterly",
   "approver": "佐藤 一郎 (CISO)", "created": "2026-01-15", "expires": "2027-01-14"},
  {"rule": "SAV-ONACCESS-001", "hosts": "web-old*", "justification": "Legacy web tier retired in the 2025 migration window",
   "approver": "佐藤 一郎 (CISO)", "created": "2025-01-10", "expires": "2025-12-31"}
]}
JSON
cat >"$OUT/waivers/globex.json" <<'JSON'
{"schema": "tsamkit-waivers/1", "waivers": [
  {"rule": "SAV-EXCL-002", "hosts": "batch*", "justification": "Batch output directories are scanned by the nightly job instead",
   "approver": "J. Doe (CISO)", "created": "2026-03-01", "expires": "2026-12-31"}
]}
JSON

cp "$top/examples/portfolio.json" "$OUT/portfolio.json"
rm -f "$OUT/.gen-cases"
echo "examples: $(ls "$OUT/fleets" | wc -l) fleets, $(cat "$OUT"/fleets/*/run.json | jq -s '[.[].hosts | length] | add') endpoints, $(cat "$OUT"/cases/*-cases.csv | grep -vc '^id,') cases in $OUT" >&2
