#!/bin/bash
# tests/ssh/test_auth.sh - authentication against a real sshd: ed25519 and
# ECDSA files, an encrypted key with its passphrase from the environment, a
# wrong passphrase, an RSA key refused by OpenSSH >= 8.8 with the reason
# said, per-host identity= labels, and ssh-agent.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_init auth
fleet_add ok node 4
K=$FLEET/client
ssh-keygen -q -t ecdsa -N '' -C ecdsa -f "$K/id_ecdsa"
ssh-keygen -q -t ed25519 -N 'correct horse' -C enc -f "$K/id_enc"
ssh-keygen -q -t rsa -b 2048 -N '' -C rsa -f "$K/id_rsa"
cat "$K/id_ecdsa.pub" "$K/id_enc.pub" "$K/id_rsa.pub" >>"$FLEET/keys/authorized_keys"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$K/id_stranger"
fleet_start

collect() { # collect NAME [options...]
	local name=$1
	shift
	"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$FLEET/$name" \
		--known-hosts "$FLEET/known_hosts" -u "$FLEET_USER" \
		--collectors linux-base --quiet "$@" </dev/null 2>"$FLEET/$name.err"
}

collect ecdsa --identity "$K/id_ecdsa" --no-agent
eq "ecdsa key" 0 "$?"

TSAM_TEST_PASS='correct horse' collect enc --identity "$K/id_enc" --passphrase-env TSAM_TEST_PASS --no-agent
eq "encrypted key, passphrase from env" 0 "$?"
check "passphrase not in run.json" sh -c "! grep -rq 'correct horse' '$FLEET/enc'"
check "warned: per-host decryption, use ssh-agent" grep -q "decrypts it again for every host" "$FLEET/enc.err"

# Without --passphrase-env the passphrase is asked on the terminal, without
# echo: a real pty (script(1)) types it.
if command -v script >/dev/null 2>&1; then
	(sleep 1; printf 'correct horse\n') | script -qec "'$TSAM_BIN/tsam-collect' -i '$FLEET/inventory' -o '$FLEET/tty' \
		--known-hosts '$FLEET/known_hosts' -u '$FLEET_USER' --collectors linux-base \
		--identity '$K/id_enc' --no-agent" /dev/null >"$FLEET/tty.out" 2>&1
	eq "passphrase from the TTY" 0 "$?"
	check "prompt names the key" grep -q "Enter passphrase for key '$K/id_enc'" "$FLEET/tty.out"
	check "passphrase not echoed" sh -c "! grep -q 'correct horse' '$FLEET/tty.out'"
	check "progress line on a TTY" grep -q 'hosts/s, ETA' "$FLEET/tty.out"
	check "summary on a TTY" grep -q '4 hosts: 4 ok, 0 failed' "$FLEET/tty.out"
	eq "tty run ok" 4 "$(jq -r .counts.ok "$FLEET/tty/run.json")"
	jq -r '.hosts[] | select(.status != "ok") | "not ok: " + .name + ": " + .status + ": " + .error' "$FLEET/tty/run.json"
else
	echo "script(1) not installed: TTY prompt not tested"
fi

TSAM_TEST_PASS='wrong' collect encbad --identity "$K/id_enc" --passphrase-env TSAM_TEST_PASS --no-agent
eq "wrong passphrase: hosts fail" 3 "$?"
eq "wrong passphrase status" auth_failed "$(status_of "$FLEET/encbad" node0001)"

collect rsa --identity "$K/id_rsa" --no-agent
eq "rsa key refused" 3 "$?"
eq "rsa status" auth_failed "$(status_of "$FLEET/rsa" node0001)"
check "rsa: the reason is said" grep -q "rsa-sha2" <<<"$(error_of "$FLEET/rsa" node0001)"
check "rsa: warned up front" grep -q "RSA key" "$FLEET/rsa.err"

collect stranger --identity "$K/id_stranger" --no-agent
eq "unauthorised key" 3 "$?"
check "error names the key" grep -q "id_stranger" <<<"$(error_of "$FLEET/stranger" node0002)"

# identity= label overrides --identity for its host only.
sed -i "s|^node0003:\([0-9]*\) |node0003:\1 identity=$K/id_ecdsa |" "$FLEET/inventory"
collect label --identity "$K/id_stranger" --no-agent
eq "label host ok" ok "$(status_of "$FLEET/label" node0003)"
eq "others use --identity" auth_failed "$(status_of "$FLEET/label" node0001)"

# ssh-agent: the key lives only in the agent.
eval "$(ssh-agent -s)" >/dev/null
ssh-add -q "$K/id_ecdsa" 2>/dev/null
HOME=$FLEET/emptyhome collect agent
eq "agent auth" 0 "$?"
ssh-agent -k >/dev/null
finish
