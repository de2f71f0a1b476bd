#!/bin/bash
# tests/ssh/test_resume_merge.sh - --resume and --retry-failed merge, they
# never drop: with --limit, with hosts added to or removed from the
# inventory, with a host given another address, and (a property test) after
# kill -9 at random points with random --limit and random inventory
# changes, every host's record and snapshot from before survives, or is
# superseded by a newer collection of that host that run.json's history
# explains.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_need 40
fleet_init merge
fleet_add ok a 12
fleet_add slow s 24
fleet_start
args=(--known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519"
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet)
grep '^a' "$FLEET/inventory" | head -n 10 >"$FLEET/inv10"
R=$FLEET/run
rec() { jq -c --arg h "$2" '.hosts[] | select(.name == $h)' "$1/run.json"; }

"$TSAM_BIN/tsam-collect" -i "$FLEET/inv10" -o "$R" "${args[@]}"
eq "first run: 10 ok" 10 "$(jq .counts.ok "$R/run.json")"
before=$(jq -c '[.hosts[] | {name, started}]' "$R/run.json")

# --resume with --limit keeps the hosts it does not select
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv10" --resume "$R" -l 'a000[1-3]' "${args[@]}"
eq "resume -l: exit 0" 0 "$?"
eq "resume -l: every record still there" "$before" "$(jq -c '[.hosts[] | {name, started}]' "$R/run.json")"
eq "resume -l: counts over all of them" 10 "$(jq .counts.ok "$R/run.json")"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv10" --retry-failed "$R" -l 'a0001' "${args[@]}"
eq "retry-failed -l: every record still there" "$before" "$(jq -c '[.hosts[] | {name, started}]' "$R/run.json")"

# the inventory changes: a0010 gone, a0011 new, a0005 at another address
old5=$(rec "$R" a0005)
grep -v '^a0010' "$FLEET/inv10" | sed "s/^\(a0005:[0-9]* address=\)[0-9.]*/\1$(fleet_addr 12 | cut -d' ' -f1)/" >"$FLEET/inv-changed"
grep '^a0011' "$FLEET/inventory" >>"$FLEET/inv-changed"
sleep 1.1
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv-changed" --resume "$R" "${args[@]}" 2>"$FLEET/changed.err" -q
eq "changed inventory: exit 0" 0 "$?"
check "changed inventory: said, with the counts" grep -q "inv-changed changed since the run in .* began: 1 host(s) added, 1 no longer listed (their records are kept), 1 with another address, port or user (collected again)" "$FLEET/changed.err"
eq "a host no longer listed: its record kept" "$(jq -c '.hosts[] | select(.name == "a0010") | {name, started}' <<<"{\"hosts\": $before}")" \
	"$(rec "$R" a0010 | jq -c '{name, started}')"
check "...and its snapshot" test -s "$R/hosts/a0010.json.gz"
eq "...listed last" a0010 "$(jq -r '.hosts[-1].name' "$R/run.json")"
eq "the new host collected" ok "$(status_of "$R" a0011)"
check "the redefined host collected again" test "$(rec "$R" a0005 | jq -r .started)" != "$(jq -r .started <<<"$old5")"
eq "...from its new address" "$(fleet_addr 12 | cut -d' ' -f1)" "$(rec "$R" a0005 | jq -r .address)"
eq "the others untouched" "$(jq -c '[.[] | select(.name != "a0005" and .name != "a0010")]' <<<"$before")" \
	"$(jq -c '[.hosts[] | select(.name != "a0005" and .name != "a0010" and .name != "a0011") | {name, started}]' "$R/run.json")"
eq "history says what changed" '{"mode":"resume","added":["a0011"],"no_longer_listed":["a0010"],"redefined":["a0005"]}' \
	"$(jq -c '.history[-1] | {mode, added, no_longer_listed, redefined}' "$R/run.json")"
eq "history: one entry per resume/retry" 3 "$(jq '.history | length' "$R/run.json")"
valid_run "$R"

# The property: kill -9 at random points, random --limit, random inventory
# changes; nothing from before is ever lost.
RANDOM=${TSAM_TEST_SEED:-4242}
PY=/usr/bin/python3
for round in 1 2 3 4; do
	P=$FLEET/prop$round
	grep '^s' "$FLEET/inventory" | shuf --random-source=<(yes $round) | head -n $((12 + RANDOM % 12)) >"$P.inv1"
	"$TSAM_BIN/tsam-collect" -i "$P.inv1" -o "$P" "${args[@]}" --jobs 4 &
	pid=$!
	sleep "0.$((3 + RANDOM % 7))"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	[ -e "$P/run.json" ] || continue
	cp "$P/run.json" "$P.before.json"
	ls "$P/hosts" >"$P.before.files"
	# a new inventory: some hosts dropped, some added, one moved; a random --limit
	"$PY" - "$P.inv1" "$FLEET/inventory" "$round" >"$P.inv2" <<'PY'
import random, sys
inv1 = [l for l in open(sys.argv[1]) if l.strip()]
allh = [l for l in open(sys.argv[2]) if l.startswith("s")]
r = random.Random(int(sys.argv[3]))
keep = [l for l in inv1 if r.random() > 0.25]
names = {l.split(":")[0] for l in inv1}
pool = [l for l in allh if l.split(":")[0] not in names]
keep += r.sample(pool, min(3, len(pool)))
if keep and r.random() < 0.7:
    i = r.randrange(len(keep))
    other = r.choice(allh).split("address=")[1].split()[0]
    head, rest = keep[i].split("address=")
    keep[i] = head + "address=" + other + " " + " ".join(rest.split()[1:]) + "\n"
r.shuffle(keep)
sys.stdout.write("".join(keep))
PY
	limit=$(printf 's00%02d*,s000%d' $((RANDOM % 3)) $((RANDOM % 10)))
	mode=--resume
	[ $((RANDOM % 2)) = 0 ] && mode=--retry-failed
	"$TSAM_BIN/tsam-collect" -i "$P.inv2" $mode "$P" -l "$limit" "${args[@]}" --jobs 4 -q 2>"$P.err"
	if grep -q "no host matches --limit" "$P.err"; then
		check "round $round: a --limit matching nothing changes nothing" cmp -s "$P.before.json" "$P/run.json"
		continue
	fi
	check "round $round ($mode -l $limit): finished" test "$(jq -r .state "$P/run.json")" = complete
	eq "round $round: nothing left pending" 0 "$(jq .counts.pending "$P/run.json")"
	"$PY" - "$P.before.json" "$P/run.json" "$P" >"$P.verdict" <<'PY'
import json, os, sys
before = json.load(open(sys.argv[1]))
after = json.load(open(sys.argv[2]))
d = sys.argv[3]
a = {h["name"]: h for h in after["hosts"]}
redefined = set(after.get("history", [{}])[-1].get("redefined", []))
bad = []
if len(a) != len(after["hosts"]):
    bad.append("a host listed twice")
for h in before["hosts"]:
    n = h["name"]
    if n not in a:
        bad.append(n + ": record dropped")
        continue
    if h.get("status") == "ok" and not h.get("denied"):
        same = a[n].get("started") == h.get("started")
        if not same and n not in redefined:
            bad.append(n + ": ok record replaced without a reason")
for h in after["hosts"]:
    s = h.get("snapshot")
    if s and not os.path.exists(os.path.join(d, s)):
        bad.append(h["name"] + ": snapshot missing")
print("\n".join(bad) if bad else "ok")
PY
	eq "round $round: every record from before survives or is explained" ok "$(cat "$P.verdict")"
	for f in $(cat "$P.before.files"); do
		check "round $round: snapshot $f still there" test -s "$P/hosts/$f"
	done
done
finish
