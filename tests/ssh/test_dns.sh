#!/bin/bash
# tests/ssh/test_dns.sh - name resolution never stalls the run: with a DNS
# server that never answers (a private mount namespace with its own
# /etc/resolv.conf pointing at a UDP socket that reads and never replies,
# its resolver told to wait 30 s), hosts by address and by names from
# /etc/hosts finish at full speed, and each dead name ends on its own
# deadline with a message that says what happened.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
export TSAM_FLEET_MOUNTS=1
fleet_enter "$@"
if [ "$TSAM_FLEET_NS" != netns ]; then
	echo "SKIP: needs private network and mount namespaces"
	exit 77
fi
fleet_init dns
fleet_add ok n 40
fleet_start
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# the dead DNS server: reads every query, answers none
"$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.53", 53))
while True:
    s.recvfrom(4096)
' &
FLEET_PIDS="$FLEET_PIDS $!"
printf 'nameserver 127.0.0.53\noptions timeout:30 attempts:1\n' >"$FLEET/resolv.conf"
printf 'hosts: files dns\n' >"$FLEET/nsswitch.conf"
cp /etc/hosts "$FLEET/hosts.file"
: >"$FLEET/inv"
n=0
while read -r host kind addr port; do
	n=$((n + 1))
	if [ $((n % 2)) = 0 ]; then
		# half by a name /etc/hosts knows
		echo "$addr $host.lab.example" >>"$FLEET/hosts.file"
		echo "$host.lab.example:$port" >>"$FLEET/inv"
	else
		echo "$host:$port address=$addr" >>"$FLEET/inv"
	fi
done <"$FLEET/hostlist"
for i in 1 2 3 4 5 6; do echo "dead$i.nowhere.example:$FLEET_PORT" >>"$FLEET/inv"; done
mount --bind "$FLEET/resolv.conf" /etc/resolv.conf
mount --bind "$FLEET/nsswitch.conf" /etc/nsswitch.conf
mount --bind "$FLEET/hosts.file" /etc/hosts
# the known_hosts lines for the names, as OpenSSH would look them up
pub=$(cut -d' ' -f1,2 "$FLEET/etc/ssh_host_ed25519_key.pub")
grep -o '^[^:]*\.lab\.example' "$FLEET/inv" | while read -r h; do echo "[$h]:$FLEET_PORT $pub"; done >>"$FLEET/known_hosts"

start=$(date +%s.%N)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" -o "$FLEET/run" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --collectors linux-base \
	--connect-timeout 3 --jobs 16 --quiet
rc=$?
wall=$(echo "$(date +%s.%N) - $start" | bc)
eq "exit 3 (the dead names)" 3 "$rc"
eq "every host by address or /etc/hosts name: ok" 40 "$(jq .counts.ok "$FLEET/run/run.json")"
eq "the dead names: unreachable" 6 "$(jq .counts.unreachable "$FLEET/run/run.json")"
check "the dead names: said so" grep -q "the name lookup of 'dead1.nowhere.example' did not answer within 3 s (a slow or dead DNS server?)" \
	<<<"$(error_of "$FLEET/run" dead1.nowhere.example)"
check "the run took the dead names' deadline, not their resolver's 30 s each (${wall} s)" test "$(echo "$wall < 12" | bc)" = 1
finish
