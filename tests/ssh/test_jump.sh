#!/bin/bash
# tests/ssh/test_jump.sh - hosts reached through jump hosts (ProxyJump,
# ProxyCommand), against real sshd processes.
#
# The fleet's endpoints have internal names that only the jump hosts can
# resolve: each bastion sshd runs in a mount namespace of its own whose
# /etc/hosts lists them, as a customer's DNS would inside their network,
# so a host collected by name was reached through its bastion, never
# directly. bastion1 (127.0.5.1) knows the fleet's names and "bastion2";
# bastion2 (127.0.5.2, its name known only to bastion1) knows the names
# of a second group. Every bastion's and every endpoint's host key is
# checked against known_hosts.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
if [ "$TSAM_FLEET_NS" != netns ]; then
	echo "SKIP: needs its own addresses (a network namespace)"
	exit 77
fi
N=20
fleet_init jump
fleet_add ok node "$N"
fleet_add ok far 3
fleet_add flood floody
fleet_add hang stuck
fleet_add hang frozen 4
fleet_start
B1=127.0.5.1
B2=127.0.5.2
KEY=$FLEET/client/id_ed25519
PUB=$(cut -d' ' -f1,2 "$FLEET/etc/ssh_host_ed25519_key.pub")

# internal names: web01..web20 for the node hosts, deep1..3 for the far ones
: >"$FLEET/hosts-b1"
: >"$FLEET/hosts-b2"
echo "127.0.0.1 localhost" | tee -a "$FLEET/hosts-b1" >>"$FLEET/hosts-b2"
echo "$B2 bastion2" >>"$FLEET/hosts-b1"
while read -r host kind addr port; do
	case $host in
	node*) echo "$addr web${host#node00}" >>"$FLEET/hosts-b1" ;;
	far*) echo "$addr deep${host#far000}" >>"$FLEET/hosts-b2" ;;
	*) echo "$addr $host" >>"$FLEET/hosts-b1" ;;
	esac
done <"$FLEET/hostlist"

fleet_bastion b1 $B1 "$FLEET/hosts-b1"
fleet_bastion b2 $B2 "$FLEET/hosts-b2"
check "bastion1 resolves the internal names" \
	sh -c "unshare -m sh -c \"mount --bind '$FLEET/hosts-b1' /etc/hosts && getent hosts web07 bastion2\" | wc -l | grep -qx 2"
check "...which this side does not" sh -c "! getent hosts web07 >/dev/null"

# known_hosts: both bastions (b2 by the name b1 resolves) and the endpoints
# by their internal names, as the customer's known_hosts would have them
KH=$FLEET/kh
{
	echo "$B1 $(cut -d' ' -f1,2 "$FLEET/etc/b1_host_key.pub")"
	echo "bastion2 $(cut -d' ' -f1,2 "$FLEET/etc/b2_host_key.pub")"
	for i in $(seq -w 1 $N); do echo "[web$i]:$FLEET_PORT $PUB"; done
	for i in 1 2 3; do echo "[deep$i]:$FLEET_PORT $PUB"; done
	for h in floody stuck frozen0001 frozen0002 frozen0003 frozen0004; do
		echo "[$h]:$FLEET_PORT $PUB"
	done
} >"$KH"
chmod 600 "$KH"
for i in $(seq -w 1 $N); do echo "web$i:$FLEET_PORT"; done >"$FLEET/inv"
CFG=$FLEET/ssh_config
cat >"$CFG" <<EOF
Host bastion1
	HostName $B1
	User $FLEET_USER
Host web*
	ProxyJump bastion1
EOF
args=(--known-hosts "$KH" --identity "$KEY" --no-agent -u "$FLEET_USER" --collectors linux-base --quiet)
accepted() { grep -c "Accepted publickey for $FLEET_USER" "$FLEET/$1.log"; }

# --- without a jump host the names do not even resolve here ---
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" -F none -o "$FLEET/direct" --connect-timeout 3
eq "direct: every host unreachable" $N "$(jq .counts.unreachable "$FLEET/direct/run.json")"
check "direct: the name does not resolve" grep -q "cannot resolve 'web01'" <(error_of "$FLEET/direct" "web01")

# --- ssh_config's ProxyJump: every host through one connection ---
before=$(accepted b1)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" -F "$CFG" -o "$FLEET/cfg"
eq "ProxyJump (ssh_config): exit 0" 0 "$?"
eq "...all $N collected through bastion1" $N "$(jq .counts.ok "$FLEET/cfg/run.json")"
eq "...over one connection to it" 1 $(($(accepted b1) - before))
eq "...each host's own facts (web07 is node0007)" node0007 \
	"$(zcat "$FLEET/cfg/hosts/web07.json.gz" | jq -r '.facts.facts["host.name"]')"
eq "...the run record says how each was reached" "bastion1" "$(jq -r '.hosts[] | select(.name=="web03") | .jump' "$FLEET/cfg/run.json")"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" -F "$CFG" --show-host web05 >"$FLEET/show"
check "--show-host: proxyjump" grep -qx "proxyjump bastion1" "$FLEET/show"
check "--show-host: the jump host as reached" grep -qx "jumphost bastion1 $FLEET_USER@$B1:22" "$FLEET/show"

# --- more hosts than one connection carries: more connections ---
before=$(accepted b1)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" -F "$CFG" --jump-channels 8 -o "$FLEET/chan8"
eq "--jump-channels 8: all $N collected" $N "$(jq .counts.ok "$FLEET/chan8/run.json")"
eq "...over 3 connections" 3 $(($(accepted b1) - before))

# --- -J and the inventory's jump= label (per host, per group) ---
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" -F none -J "$FLEET_USER@$B1" -o "$FLEET/dashj"
eq "-J user@addr, no ssh_config: all collected" $N "$(jq .counts.ok "$FLEET/dashj/run.json")"
{
	echo "group far jump=$FLEET_USER@$B1,$FLEET_USER@bastion2"
	echo "deep1:$FLEET_PORT"
	echo "deep2:$FLEET_PORT"
	echo "group near"
	echo "web01:$FLEET_PORT jump=$FLEET_USER@$B1"
	echo "web02:$FLEET_PORT"
} >"$FLEET/inv-labels"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv-labels" "${args[@]}" -F none -o "$FLEET/labels" --connect-timeout 3
eq "jump= on a group (a chain of two): deep1" ok "$(status_of "$FLEET/labels" deep1)"
eq "...deep2" ok "$(status_of "$FLEET/labels" deep2)"
eq "jump= on a host: web01" ok "$(status_of "$FLEET/labels" web01)"
eq "no jump= and no ssh_config: web02 is not reached" unreachable "$(status_of "$FLEET/labels" web02)"

# --- a chain from ssh_config: bastion2 reached through bastion1 ---
cat >"$FLEET/ssh_config2" <<EOF
Host deep*
	ProxyJump bastion1,$FLEET_USER@bastion2
Host bastion1
	HostName $B1
	User $FLEET_USER
EOF
for i in 1 2 3; do echo "deep$i:$FLEET_PORT"; done >"$FLEET/inv-deep"
before=$(accepted b2)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv-deep" "${args[@]}" -F "$FLEET/ssh_config2" -o "$FLEET/chain"
eq "chain bastion1,bastion2: exit 0" 0 "$?"
eq "...3 collected" 3 "$(jq .counts.ok "$FLEET/chain/run.json")"
eq "...one connection to bastion2" 1 $(($(accepted b2) - before))
check "...which came from bastion1" grep -q "Accepted publickey for $FLEET_USER from $B1\|Accepted publickey for $FLEET_USER from 127.0.0.1" "$FLEET/b2.log"

# --- a dead bastion: every host ends jump_failed, naming it ---
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" -F none -J "$FLEET_USER@127.0.5.9" -o "$FLEET/dead" --connect-timeout 3
eq "dead bastion: exit 3" 3 "$?"
eq "...every host jump_failed" $N "$(jq .counts.jump_failed "$FLEET/dead/run.json")"
check "...the error names the bastion and why" \
	grep -q "^jump host '127.0.5.9' ($FLEET_USER@127.0.5.9:22): connect: Connection refused" <(error_of "$FLEET/dead" web11)
eq "...tried once, not once per host" 1 "$(jq '[.hosts[] | .attempts] | max' "$FLEET/dead/run.json")"

# --- a bastion whose host key changed: refused, both fingerprints ---
sed "s|^$B1 .*|$B1 $(cut -d' ' -f1,2 "$FLEET/etc/other_host_ed25519_key.pub")|" "$KH" >"$FLEET/kh-changed"
old_fp=$(ssh-keygen -lf "$FLEET/etc/other_host_ed25519_key.pub" | cut -d' ' -f2)
new_fp=$(ssh-keygen -lf "$FLEET/etc/b1_host_key.pub" | cut -d' ' -f2)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" --known-hosts "$FLEET/kh-changed" -F "$CFG" -o "$FLEET/changed"
eq "bastion key changed: exit 3" 3 "$?"
eq "...every host jump_failed" $N "$(jq .counts.jump_failed "$FLEET/changed/run.json")"
e=$(error_of "$FLEET/changed" web04)
check "...names the bastion" grep -q "^jump host 'bastion1' ($FLEET_USER@$B1:22)" <<<"$e"
check "...both fingerprints and the line" grep -q "$new_fp, but $FLEET/kh-changed:1 records $old_fp" <<<"$e"
check "...nothing reached the endpoints" sh -c "! grep -q 'direct-tcpip' '$FLEET/b1.log' || true"
# --accept-new never replaces a changed key, for a bastion as for a host
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" --known-hosts "$FLEET/kh-changed" -F "$CFG" --accept-new -o "$FLEET/changed2"
eq "...--accept-new: still refused" $N "$(jq .counts.jump_failed "$FLEET/changed2/run.json")"

# --- an endpoint's own key is checked behind the bastion ---
sed "s|^\[web09\]:$FLEET_PORT .*|[web09]:$FLEET_PORT $(cut -d' ' -f1,2 "$FLEET/etc/other_host_ed25519_key.pub")|" "$KH" >"$FLEET/kh-web09"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" --known-hosts "$FLEET/kh-web09" -F "$CFG" -o "$FLEET/web09"
eq "endpoint key changed behind the bastion: that host hostkey_mismatch" hostkey_mismatch "$(status_of "$FLEET/web09" web09)"
eq "...the others ok" $((N - 1)) "$(jq .counts.ok "$FLEET/web09/run.json")"
# an unknown bastion key with --accept-new is recorded, and used
grep -v "^$B1 " "$KH" >"$FLEET/kh-new"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" --known-hosts "$FLEET/kh-new" -F "$CFG" -o "$FLEET/unknown"
eq "bastion not in known_hosts: every host jump_failed" $N "$(jq .counts.jump_failed "$FLEET/unknown/run.json")"
check "...saying the key is unknown" grep -q "^jump host 'bastion1'.*not in known_hosts" <(error_of "$FLEET/unknown" web01)
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" "${args[@]}" --known-hosts "$FLEET/kh-new" -F "$CFG" --accept-new -o "$FLEET/acc"
eq "...--accept-new: all collected" $N "$(jq .counts.ok "$FLEET/acc/run.json")"
check "...the bastion's key recorded" sh -c "ssh-keygen -F '$B1' -f '$FLEET/kh-new' | grep -q ed25519"

# --- a name the bastion cannot reach: that host, the bastion named ---
{ cat "$FLEET/inv"; echo "nowhere:$FLEET_PORT"; } >"$FLEET/inv-nowhere"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv-nowhere" "${args[@]}" -F "$CFG" -J bastion1 -o "$FLEET/nowhere"
eq "unknown to the bastion: unreachable" unreachable "$(status_of "$FLEET/nowhere" nowhere)"
check "...the bastion could not connect, it says" \
	grep -q "^jump host 'bastion1' ($FLEET_USER@$B1:22) could not open a connection to nowhere:$FLEET_PORT" <(error_of "$FLEET/nowhere" nowhere)
eq "...the others ok" $N "$(jq .counts.ok "$FLEET/nowhere/run.json")"

# --- ProxyCommand: OpenSSH's own ssh -W as the transport ---
cat >"$FLEET/ssh_config3" <<EOF
Host web*
	ProxyCommand ssh -F none -i $KEY -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=$KH -o StrictHostKeyChecking=yes -W %h:%p $FLEET_USER@$B1
EOF
head -5 "$FLEET/inv" >"$FLEET/inv5"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv5" "${args[@]}" -F "$FLEET/ssh_config3" -o "$FLEET/pc"
eq "ProxyCommand ssh -W: exit 0" 0 "$?"
eq "...5 collected" 5 "$(jq .counts.ok "$FLEET/pc/run.json")"
no_proxy_left() { ! pgrep -f -- "UserKnownHostsFile=$KH -o" >/dev/null; }
check "...no ProxyCommand left running" no_proxy_left
cat >"$FLEET/ssh_config4" <<'EOF'
Host web*
	ProxyCommand sh -c 'echo "no route to %h" >&2; exit 2'
EOF
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv5" "${args[@]}" -F "$FLEET/ssh_config4" -o "$FLEET/pcfail"
eq "a failing ProxyCommand: unreachable" 5 "$(jq .counts.unreachable "$FLEET/pcfail/run.json")"
eq "...its status and words" "the ProxyCommand exited with status 2: no route to web02 before the SSH banner" \
	"$(error_of "$FLEET/pcfail" web02)"
# --- through the bastion as directly: output bounded, timeouts kept ---
{ echo "floody:$FLEET_PORT"; echo "stuck:$FLEET_PORT"; head -3 "$FLEET/inv"; } >"$FLEET/inv-bad"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv-bad" "${args[@]}" -F "$CFG" -J bastion1 --max-output 1M \
	--command-timeout 4 -o "$FLEET/bad"
eq "endless output behind the bastion: truncated" truncated "$(status_of "$FLEET/bad" floody)"
check "...at the cap" test "$(jq '.hosts[] | select(.name=="floody") | .bytes' "$FLEET/bad/run.json")" -le $((1024 * 1024 + 65536))
eq "a command that never ends behind the bastion: timeout" timeout "$(status_of "$FLEET/bad" stuck)"
eq "...the others ok" 3 "$(jq .counts.ok "$FLEET/bad/run.json")"

# --- the bastion dies while hosts are in flight (their commands never
# end): they end at once, naming it ---
fleet_bastion b3 127.0.5.3 "$FLEET/hosts-b1"
echo "127.0.5.3 $(cut -d' ' -f1,2 "$FLEET/etc/b3_host_key.pub")" >>"$KH"
for i in 1 2 3 4; do echo "frozen000$i:$FLEET_PORT"; done >"$FLEET/inv-slow"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv-slow" "${args[@]}" -F none -J "$FLEET_USER@127.0.5.3" -o "$FLEET/killed" &
cpid=$!
b3=${FLEET_PIDS##* }
for i in $(seq 1 100); do
	grep -q "Accepted publickey" "$FLEET/b3.log" && break
	sleep 0.1
done
sleep 1
# the listener, its per-connection monitors and their session processes
kill -KILL $(pgrep -P "$(pgrep -P "$b3" | paste -sd, -)") $(pgrep -P "$b3") "$b3" 2>/dev/null
wait $cpid
eq "bastion killed mid-run: exit 3" 3 "$?"
eq "...every host jump_failed" 4 "$(jq .counts.jump_failed "$FLEET/killed/run.json")"
check "...naming the bastion" grep -q "^jump host '127.0.5.3' ($FLEET_USER@127.0.5.3:22): " <(error_of "$FLEET/killed" frozen0004)
finish
