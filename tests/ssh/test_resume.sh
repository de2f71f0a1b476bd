#!/bin/bash
# tests/ssh/test_resume.sh - kill -9 in the middle of a run never leaves a
# corrupt file and --resume finishes the rest without redoing finished
# hosts; SIGINT stops cleanly with run.json written; --retry-failed reruns
# only the failed hosts; --deadline bounds a run.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
# 32 slow hosts (2 s each), 8 at a time: four rounds, so a kill, a SIGINT
# and a deadline all land mid-run
fleet_need 33
fleet_init resume
fleet_add slow s 32
fleet_add authfail bad01
fleet_start
args=(-i "$FLEET/inventory" --known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519"
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet --jobs 8)
R=$FLEET/run

"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$R" &
pid=$!
# Wait until the first round is done, then kill -9 mid-run.
for i in $(seq 1 200); do
	n=$(ls "$R/hosts" 2>/dev/null | grep -c 'json.gz$')
	[ "$n" -ge 8 ] && break
	sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
done_before=$(ls "$R/hosts" | grep -c 'json.gz$')
check "some hosts finished before the kill" test "$done_before" -ge 8
check "not all finished" test "$done_before" -lt 32
check "run.json is valid JSON after kill -9" jq -e . "$R/run.json" >/dev/null
check "every snapshot left is complete" gzip -t "$R"/hosts/*.json.gz
# A kill -9 between a snapshot's write and its rename leaves
# HOST.json.gz.tmp.XXXXXX behind; one is planted (garbage, as a write cut
# short leaves) for a host not yet done, so the resume meets one for sure.
undone=$(for h in $(seq -f 's%04g' 1 32); do [ -e "$R/hosts/$h.json.gz" ] || { echo "$h"; break; }; done)
printf 'cut short' >"$R/hosts/$undone.json.gz.tmp.KILLED"
eq "hosts/ holds snapshots and their temp files only" "" \
	"$(ls "$R/hosts" | grep -vE '^s[0-9]{4}\.json\.gz(\.tmp\.[A-Za-z0-9]{6})?$')"
# the inode and mtime (ns) of a finished host's snapshot: an atomic rewrite
# (a new file renamed over it) changes both
stamp=$(stat -c '%i %.9Y' "$R/hosts/s0001.json.gz")

"$TSAM_BIN/tsam-collect" "${args[@]}" --resume "$R"
eq "resume: exit 3 (bad01)" 3 "$?"
eq "resume: all slow hosts ok" 32 "$(jq -r .counts.ok "$R/run.json")"
eq "resume: state" complete "$(jq -r .state "$R/run.json")"
eq "resume: finished hosts not redone" "$stamp" "$(stat -c '%i %.9Y' "$R/hosts/s0001.json.gz")"
eq "resume: auth host still failed" auth_failed "$(status_of "$R" bad01)"
eq "resume: a temp file is not taken for a snapshot ($undone collected)" ok "$(status_of "$R" "$undone")"
check "...its snapshot is complete" sh -c "zcat '$R/hosts/$undone.json.gz' | jq -e '.record.status == \"ok\"' >/dev/null"
eq "every host's snapshot there" 32 "$(ls "$R/hosts" | grep -c 'json.gz$')"

# --retry-failed touches only bad01.
"$TSAM_BIN/tsam-collect" "${args[@]}" --retry-failed "$R" -v 2>"$FLEET/retry.err"
eq "retry-failed: bad01 still fails" 3 "$?"
eq "retry-failed: others kept" 32 "$(jq -r .counts.ok "$R/run.json")"
eq "retry-failed: nothing else redone" "$stamp" "$(stat -c '%i %.9Y' "$R/hosts/s0001.json.gz")"

# SIGINT: no new hosts, run.json written as interrupted, exit 3.
S=$FLEET/sigint
"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$S" &
pid=$!
# once the run has begun (its first run.json), with hosts in flight
for i in $(seq 1 100); do
	[ -e "$S/run.json" ] && break
	sleep 0.1
done
sleep 0.5
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
