#!/bin/bash
# tests/ssh/test_gateway.sh - many inventory entries behind one address (a
# NAT or port-forwarding gateway, a tunnel): one real sshd with OpenSSH's
# default MaxStartups (10:30:100) serves 64 entries; with default options
# every one is collected (at most --max-startups sessions start at once
# per address, and a connection dropped before its banner is retried);
# without the limit sshd drops some, and those that still fail say why.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
if [ "$TSAM_FLEET_NS" != netns ]; then
	echo "SKIP: needs its own address (a network namespace)"
	exit 77
fi
fleet_init gateway
fleet_add ok inside 1
fleet_start
GW=127.0.6.1
# the gateway's sshd: the fleet's settings but OpenSSH's default MaxStartups
{ fleet_sshd_config "$FLEET/etc/ssh_host_ed25519_key" "ListenAddress $GW:22" | grep -v '^MaxStartups'
  echo "ChrootDirectory $FLEET/hosts/inside0001"; } >"$FLEET/etc/gw_config"
/usr/sbin/sshd -D -e -f "$FLEET/etc/gw_config" 2>>"$FLEET/gw.log" &
FLEET_PIDS="$FLEET_PIDS $!"
fleet_wait_port "$GW 22"
check "the gateway's sshd runs OpenSSH's default MaxStartups" \
	sh -c "/usr/sbin/sshd -T -f '$FLEET/etc/gw_config' 2>/dev/null | grep -qx 'maxstartups 10:30:100'"
echo "$GW $(cut -d' ' -f1,2 "$FLEET/etc/ssh_host_ed25519_key.pub")" >>"$FLEET/known_hosts"
for i in $(seq -w 1 64); do echo "node$i address=$GW"; done >"$FLEET/inv64"
args=(-i "$FLEET/inv64" --known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519"
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet)

"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$FLEET/default"
eq "64 entries behind one address, default options: exit 0" 0 "$?"
eq "...every one ok" 64 "$(jq .counts.ok "$FLEET/default/run.json")"
eq "...the limit recorded" 8 "$(jq .options.max_startups "$FLEET/default/run.json")"

# without the limit sshd drops what passes MaxStartups; a failure that
# remains after the retries says what happened
"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$FLEET/nolimit" --max-startups 0 --login-timeout 20
n=$(jq '[.hosts[] | select(.status != "ok")] | length' "$FLEET/nolimit/run.json")
bad=$(jq -r '[.hosts[] | select(.status != "ok") | .error] | unique[]' "$FLEET/nolimit/run.json")
check "no limit: any failure names MaxStartups and the way out ($n failed)" \
	sh -c "[ '$n' = 0 ] || ! grep -v 'MaxStartups limit.*lower --max-startups or --jobs' <<'X'
$bad
X"
check "no limit: sshd did throttle" grep -q "MaxStartups throttling" "$FLEET/gw.log"
check "no limit: dropped connections were retried by default" \
	test "$(jq '[.hosts[] | select(.attempts > 1)] | length' "$FLEET/nolimit/run.json")" -gt 0
finish
