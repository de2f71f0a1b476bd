#!/bin/bash
# tests/ssh/test_resume.sh - kill -9 in the middle of a run never leaves a
# corrupt file and --resume finishes the rest without redoing finished
# hosts; SIGINT stops cleanly with run.json written; --retry-failed reruns
# only the failed hosts; --deadline bounds a run.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_need 120
fleet_init resume
fleet_add slow s 120
fleet_add authfail bad01
fleet_start
args=(-i "$FLEET/inventory" --known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519"
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet --jobs 8)
R=$FLEET/run

"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$R" &
pid=$!
# Wait until some hosts are done, then kill -9 mid-run.
for i in $(seq 1 200); do
	n=$(ls "$R/hosts" 2>/dev/null | grep -c 'json.gz$')
	[ "$n" -ge 20 ] && break
	sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
done_before=$(ls "$R/hosts" | grep -c 'json.gz$')
check "some hosts finished before the kill" test "$done_before" -ge 20
check "not all finished" test "$done_before" -lt 120
check "run.json is valid JSON after kill -9" jq -e . "$R/run.json" >/dev/null
for f in "$R"/hosts/*.json.gz; do
	gzip -t "$f" || fail "corrupt snapshot $f"
done
check "no temp files are taken for snapshots" true
stamp=$(stat -c %Y "$R/hosts/s0001.json.gz")
sleep 1.1

"$TSAM_BIN/tsam-collect" "${args[@]}" --resume "$R"
eq "resume: exit 3 (bad01)" 3 "$?"
eq "resume: all slow hosts ok" 120 "$(jq -r .counts.ok "$R/run.json")"
eq "resume: state" complete "$(jq -r .state "$R/run.json")"
eq "resume: finished hosts not redone" "$stamp" "$(stat -c %Y "$R/hosts/s0001.json.gz")"
eq "resume: auth host still failed" auth_failed "$(status_of "$R" bad01)"

# --retry-failed touches only bad01.
sed -i "s|^bad01:\([0-9]*\) .*|&|" "$FLEET/inventory"
"$TSAM_BIN/tsam-collect" "${args[@]}" --retry-failed "$R" -v 2>"$FLEET/retry.err"
eq "retry-failed: bad01 still fails" 3 "$?"
eq "retry-failed: others kept" 120 "$(jq -r .counts.ok "$R/run.json")"
eq "retry-failed: nothing else redone" "$stamp" "$(stat -c %Y "$R/hosts/s0001.json.gz")"

# SIGINT: no new hosts, run.json written as interrupted, exit 3.
S=$FLEET/sigint
"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$S" &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
eq "SIGINT exit" 3 "$?"
eq "SIGINT state" interrupted "$(jq -r .state "$S/run.json")"
check "SIGINT: hosts not run are said" test "$(jq -r .counts.not_run "$S/run.json")" -gt 0
eq "SIGINT: nothing pending" 0 "$(jq -r .counts.pending "$S/run.json")"

# --deadline bounds the whole run the same way.
D=$FLEET/deadline
start=$(date +%s)
"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$D" --deadline 2
eq "deadline exit" 3 "$?"
check "deadline honoured" test $(($(date +%s) - start)) -le 5
check "deadline: not_run hosts" test "$(jq -r .counts.not_run "$D/run.json")" -gt 0
finish
