#!/bin/bash
# tests/ssh/test_hostile.sh - one hostile or broken port costs one host,
# never the run: peers that flood bytes without a newline, send endless
# lines before a banner, a banner too long, one that never ends or holds a
# NUL, a key exchange that stalls mid-packet, a connection cut
# mid-channel (tests/ssh/hostile_peer.py, the last two in front of the
# real sshd of the emulated fleet), all in one run with healthy hosts.
# The run ends within its timeouts, spends little CPU (no spinning), and
# SIGINT stops it even while a peer floods.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
if [ "$TSAM_FLEET_NS" != netns ]; then
	echo "SKIP: the hostile peers need their own addresses (a network namespace)"
	exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
fleet_init hostile
fleet_add ok ok 4
fleet_add flood big01
fleet_start
read -r up_addr up_port <<<"$(fleet_addr 1)"
read -r big_addr big_port <<<"$(fleet_addr 5)"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
n=0
for spec in "flood" "prelines" "longbanner" "slowbanner" "nulbanner" \
	"kexstall $up_addr $up_port 300" "cut $big_addr $big_port 200000"; do
	n=$((n + 1))
	set -- $spec
	"$PY" "$TSAM_SRC/tests/ssh/hostile_peer.py" "$1" "127.0.8.$n" 2200 "${@:2}" &
	FLEET_PIDS="$FLEET_PIDS $!"
	echo "$1:2200 address=127.0.8.$n role=hostile" >>"$FLEET/inventory"
	# the relays show the fleet's real host key
	echo "[127.0.8.$n]:2200 $(cut -d' ' -f1,2 "$FLEET/etc/ssh_host_ed25519_key.pub")" >>"$FLEET/known_hosts"
done
for i in $(seq 1 $n); do fleet_wait_port "127.0.8.$i 2200"; done

OUT=$FLEET/out
start=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o "$FLEET/cpu" "$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$OUT" \
	--known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519" --no-agent \
	-u "$FLEET_USER" --login-timeout 4 --command-timeout 20 --max-output 1M --quiet
rc=$?
wall=$(echo "$(date +%s.%N) - $start" | bc)
eq "exit 3 (hosts failed)" 3 "$rc"
valid_run "$OUT"
for i in 1 2 3 4; do eq "healthy host ok$(printf %04d $i)" ok "$(status_of "$OUT" "ok$(printf %04d $i)")"; done
check "the run ended within its timeouts (${wall} s)" test "$(echo "$wall < 30" | bc)" = 1
cpu=$(tail -n 1 "$FLEET/cpu" | awk '{print $1 + $2}')
check "and did not spin: ${cpu} s of CPU" test "$(echo "$cpu < 2" | bc)" = 1
eq "flood: unreachable" unreachable "$(status_of "$OUT" flood)"
check "flood: said so" grep -q "without an SSH identification line" <<<"$(error_of "$OUT" flood)"
eq "endless lines before the banner: unreachable" unreachable "$(status_of "$OUT" prelines)"
check "endless lines: bounded at 64 KiB" grep -q "the server sent [0-9]* bytes without an SSH identification line" <<<"$(error_of "$OUT" prelines)"
eq "a banner over 255 bytes: unreachable" unreachable "$(status_of "$OUT" longbanner)"
check "a banner over 255 bytes: said so" grep -q "longer than 255 bytes (RFC 4253)" <<<"$(error_of "$OUT" longbanner)"
eq "a banner that never ends: timeout" timeout "$(status_of "$OUT" slowbanner)"
check "a banner that never ends: said so" grep -q "no complete SSH banner line before the login timeout" <<<"$(error_of "$OUT" slowbanner)"
eq "a NUL in the banner: unreachable" unreachable "$(status_of "$OUT" nulbanner)"
check "a NUL in the banner: said so" grep -q "the SSH banner holds a NUL byte" <<<"$(error_of "$OUT" nulbanner)"
eq "a key exchange that stalls mid-packet: timeout" timeout "$(status_of "$OUT" kexstall)"
eq "cut mid-channel: command_failed" command_failed "$(status_of "$OUT" cut)"
check "cut mid-channel: the connection was lost during the command" grep -q "connection lost during the command" <<<"$(error_of "$OUT" cut)"
eq "every host has a final status" 0 "$(jq '[.hosts[] | select(.status == "pending")] | length' "$OUT/run.json")"

# SIGINT while a peer floods: the run stops at once, run.json says so
read -r a p <<<"$(fleet_addr 1)"
printf 'flood:2200 address=127.0.8.1\nslow:2200 address=127.0.8.4\nok0001:%s address=%s\n' "$p" "$a" >"$FLEET/inv-int"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv-int" -o "$FLEET/int" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --login-timeout 60 --quiet &
pid=$!
sleep 1.5
kill -INT "$pid"
t0=$(date +%s.%N)
wait "$pid"
rc=$?
t1=$(echo "$(date +%s.%N) - $t0" | bc)
eq "SIGINT during a flood: exit 3" 3 "$rc"
check "SIGINT during a flood: stopped within 2 s (${t1} s)" test "$(echo "$t1 < 2" | bc)" = 1
eq "SIGINT during a flood: run.json interrupted" interrupted "$(jq -r .state "$FLEET/int/run.json")"
eq "SIGINT: the slow banner not_run" not_run "$(status_of "$FLEET/int" slow)"
finish
