#!/bin/bash
# bench/jump-vs-pdsh.sh [HOSTS] - hosts reached through one jump host
# (bastion): tsam-collect (one multiplexed connection per 32 hosts, the
# hosts' sessions over its direct-tcpip channels) against pdsh -R ssh with
# the same ssh_config ProxyJump (every ssh process spawns its own jump
# connection), on the same loopback fleet and collector script; and
# tsam-collect straight to the hosts, the direct case the jump is compared
# with. Prints wall time, client CPU (user+sys of the collector process;
# of pdsh with all its ssh children) and peak RSS. Needs root; builds
# nothing: run scripts/build.sh first. Written up in BENCHMARKS.md.
set -u
. "$(dirname "$0")/lib.sh"
N=${1:-300}
fleet_enter "$@"
fleet_need "$N"
if [ "$TSAM_FLEET_NS" != netns ]; then
	echo "SKIP: the bastion needs its own address (a network namespace)"
	exit 77
fi
command -v pdsh >/dev/null || { echo "pdsh not installed (scripts/install-deps.sh)"; exit 77; }
fleet_init benchjump
fleet_add ok h "$N"
fleet_start
BASTION=127.0.5.1
fleet_bastion bastion "$BASTION"
KH=$FLEET/known_hosts
echo "$BASTION $(cut -d' ' -f1,2 "$FLEET/etc/bastion_host_key.pub")" >>"$KH"
KEY=$FLEET/client/id_ed25519
C="$TSAM_BIN/tsam-collect"
common=(-i "$FLEET/inventory" --known-hosts "$KH" --identity "$KEY" --no-agent -u "$FLEET_USER"
	--collectors linux-base --quiet -F none)
"$C" --print-script --collectors linux-base >"$FLEET/script.sh"
B=$(head -n 1 "$FLEET/script.sh" | cut -d= -f2)
# one ssh_config for OpenSSH: the hosts through the bastion, strict keys
cat >"$FLEET/ssh_config" <<EOF
Host $BASTION
	ProxyJump none
Host *
	User $FLEET_USER
	IdentityFile $KEY
	IdentitiesOnly yes
	UserKnownHostsFile $KH
	StrictHostKeyChecking yes
	BatchMode yes
	ProxyJump $FLEET_USER@$BASTION
EOF

accepted() { grep -c "Accepted publickey" "$FLEET/bastion.log"; }

echo "fleet: $N hosts on loopback behind one bastion sshd ($(nproc) cores shared by client and servers)"
bench_measure direct "tsam-collect, direct" "$C" "${common[@]}" -o "$FLEET/direct" --jobs 64
echo "  ok hosts: $(jq -r .counts.ok "$FLEET/direct/run.json")/$N"
a=$(accepted)
bench_measure jump "tsam-collect -J bastion" "$C" "${common[@]}" -J "$FLEET_USER@$BASTION" -o "$FLEET/jump" --jobs 64
echo "  ok hosts: $(jq -r .counts.ok "$FLEET/jump/run.json")/$N; bastion logins: $(($(accepted) - a))"

addrs=$(awk '{print $3}' "$FLEET/hostlist" | paste -sd, -)
export PDSH_SSH_ARGS_APPEND="-p $FLEET_PORT -F $FLEET/ssh_config"
a=$(accepted)
bench_measure pdsh "pdsh -R ssh -f 64, ProxyJump" pdsh -R ssh -f 64 -w "$addrs" "$(cat "$FLEET/script.sh")"
echo "  ok hosts: $(grep -c "$B trailer rc=0" "$FLEET/out.pdsh")/$N; bastion logins: $(($(accepted) - a))"
