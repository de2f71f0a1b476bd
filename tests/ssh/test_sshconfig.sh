#!/bin/bash
# tests/ssh/test_sshconfig.sh - the engineer's own ~/.ssh/config reaches the
# fleet, against a real sshd: aliases (HostName, User, Port, IdentityFile,
# UserKnownHostsFile), Include relative to ~/.ssh, Host negation, the
# inventory winning over the file, keywords tsamkit does not act on listed
# once by --verbose, and --show-host agreeing with OpenSSH's ssh -G.
# ~/.ssh is root's, from the password database: a private mount namespace
# puts a tmpfs over it, so the machine's own is never touched.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
export TSAM_FLEET_MOUNTS=1
fleet_enter "$@"
if [ "$TSAM_FLEET_NS" != netns ]; then
	echo "SKIP: needs private network and mount namespaces"
	exit 77
fi
fleet_init sshcfg
fleet_add ok n 5
fleet_start
home=$(getent passwd "$(id -un)" | cut -d: -f6)
# over ~/.ssh if there is one, else over the home (creating nothing)
if [ -d "$home/.ssh" ]; then
	mount -t tmpfs -o mode=700 tmpfs "$home/.ssh"
else
	mount -t tmpfs -o mode=700 tmpfs "$home"
	mkdir -m 700 "$home/.ssh"
fi
KEY=$FLEET/client/id_ed25519
cp "$KEY" "$home/.ssh/fleet_key"
chmod 600 "$home/.ssh/fleet_key"
cp "$FLEET/known_hosts" "$home/.ssh/fleet_known_hosts"
addr() { awk -v h="$1" '$1 == h {print $3}' "$FLEET/hostlist"; }
mkdir "$home/.ssh/conf.d"
# the aliases, in an included file (relative to ~/.ssh, as ssh reads it)
{
	echo "Host alpha1"
	echo "	HostName $(addr n0001)"
	echo "Host alpha2"
	echo "	HostName $(addr n0002)"
	echo "Host alpha3"
	echo "	HostName $(addr n0003)"
	echo "Host beta"
	echo "	HostName $(addr n0004)"
	echo "Host gamma"
	echo "	HostName $(addr n0005)"
} >"$home/.ssh/conf.d/10-fleet.conf"
cat >"$home/.ssh/config" <<EOF
Include conf.d/*.conf
Host alpha* !alpha3
	User $FLEET_USER
Host alpha3
	User nobody-here
Host beta
	User $FLEET_USER
	Port 2222
	Ciphers aes128-ctr
	ControlMaster auto
Host gamma
	User $FLEET_USER
	Port 2299
Host *
	Port $FLEET_PORT
	IdentityFile ~/.ssh/fleet_key
	IdentitiesOnly yes
	UserKnownHostsFile ~/.ssh/fleet_known_hosts
EOF
printf 'alpha1\nalpha2\nalpha3\nbeta\ngamma:%s\n' "$FLEET_PORT" >"$FLEET/inv"

# no -u, --identity or --known-hosts: ssh_config says it all
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" --no-agent --collectors linux-base -o "$FLEET/run" -v 2>"$FLEET/err"
eq "aliases: alpha1 ok" ok "$(status_of "$FLEET/run" alpha1)"
eq "...alpha2 ok" ok "$(status_of "$FLEET/run" alpha2)"
eq "...beta ok" ok "$(status_of "$FLEET/run" beta)"
eq "...each its own host (alpha2 is n0002)" n0002 \
	"$(zcat "$FLEET/run/hosts/alpha2.json.gz" | jq -r '.facts.facts["host.name"]')"
eq "Host alpha* !alpha3: alpha3 took the other block's user" auth_failed "$(status_of "$FLEET/run" alpha3)"
check "...and says as whom" grep -q "^as 'nobody-here'" <(error_of "$FLEET/run" alpha3)
eq "the inventory's port wins over the file's (gamma:$FLEET_PORT, not 2299)" ok "$(status_of "$FLEET/run" gamma)"
eq "the run record: the merged address and user" "$(addr n0001) $FLEET_PORT $FLEET_USER" \
	"$(jq -r '.hosts[] | select(.name=="alpha1") | "\(.address) \(.port) \(.user)"' "$FLEET/run/run.json")"
check "--verbose: Ciphers noted, with its file:line" \
	grep -q "ssh_config: $home/.ssh/config:9: 'ciphers' is not implemented by tsamkit (ignored)" "$FLEET/err"
check "...ControlMaster too" grep -q "$home/.ssh/config:10: 'controlmaster' is not" "$FLEET/err"
eq "...each once" 1 "$(grep -c "'ciphers'" "$FLEET/err")"

# --show-host and ssh -G agree on every keyword tsamkit acts on
for h in alpha1 alpha3 beta; do
	"$TSAM_BIN/tsam-collect" -i "$FLEET/inv" --no-agent --show-host "$h" >"$FLEET/show.$h"
	ssh -G "$h" | sed "s|^identityfile ~/|identityfile $home/|" >"$FLEET/g.$h"
	for k in hostname user port identityfile userknownhostsfile identitiesonly; do
		eq "--show-host $h: $k as ssh -G" "$(grep "^$k " "$FLEET/g.$h" | head -1 | sed 's/ (ssh-agent key)//')" \
			"$(grep "^$k " "$FLEET/show.$h" | head -1)"
	done
done

# -F FILE replaces ~/.ssh/config (which now names another user), and
# -F none reads none at all
cat >"$FLEET/other.cfg" <<EOF
Host alpha1
	HostName $(addr n0001)
	User $FLEET_USER
	Port $FLEET_PORT
	IdentityFile $KEY
	UserKnownHostsFile $FLEET/known_hosts
EOF
sed -i "s/^	User $FLEET_USER\$/	User nobody-here/" "$home/.ssh/config"
echo alpha1 >"$FLEET/inv1"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv1" --no-agent --collectors linux-base --quiet -o "$FLEET/run-default" 2>/dev/null
eq "~/.ssh/config, now another user: refused" auth_failed "$(status_of "$FLEET/run-default" alpha1)"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv1" --no-agent --collectors linux-base --quiet -F "$FLEET/other.cfg" \
	-o "$FLEET/run-F" 2>/dev/null
eq "-F FILE: its settings alone" ok "$(status_of "$FLEET/run-F" alpha1)"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inv1" --no-agent --identity "$KEY" --collectors linux-base --quiet -F none \
	-o "$FLEET/run-none" 2>/dev/null
eq "-F none: the alias means nothing" unreachable "$(status_of "$FLEET/run-none" alpha1)"
finish
