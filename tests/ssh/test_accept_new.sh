#!/bin/bash
# tests/ssh/test_accept_new.sh - --accept-new with many new hosts at once
# (80, 32 at a time: appends to known_hosts from concurrent connections)
# leaves a valid known_hosts with one line per host; the next strict run
# trusts them; a changed key is never replaced.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_need 80
fleet_init acceptnew
fleet_add unknownkey fresh 80
fleet_add mismatch changed01
fleet_start
KH=$FLEET/known_hosts
before=$(cat "$KH")
mode=$(stat -c %a "$KH")
eq "known_hosts holds only the changed host" 1 "$(wc -l <"$KH")"

args=(-i "$FLEET/inventory" --known-hosts "$KH" --identity "$FLEET/client/id_ed25519"
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet)
"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$FLEET/strict"
eq "strict: unknown hosts fail" 3 "$?"
eq "strict: unknown" 80 "$(jq -r .counts.hostkey_unknown "$FLEET/strict/run.json")"
eq "strict run leaves known_hosts alone" "$before" "$(cat "$KH")"

"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$FLEET/accept" --accept-new --jobs 32
eq "accept-new: only the changed host fails" 3 "$?"
eq "accept-new: ok" 80 "$(jq -r .counts.ok "$FLEET/accept/run.json")"
eq "accept-new: changed stays mismatch" hostkey_mismatch "$(status_of "$FLEET/accept" changed01)"
# the file is hashed (as Debian's ssh_config makes it): so are the new
# lines, one per name (the inventory name and the address), as ssh-keygen -H
eq "two hashed lines per new host" 161 "$(wc -l <"$KH")"
eq "...all different" 161 "$(sort -u "$KH" | wc -l)"
eq "...every line hashed" 0 "$(grep -vc '^|1|' "$KH")"
check "ssh-keygen -F finds a new host by its inventory name" ssh-keygen -F "[fresh0077]:$FLEET_PORT" -f "$KH"
check "OpenSSH reads every line" ssh-keygen -l -f "$KH" >/dev/null
read -r addr port <<<"$(fleet_addr 77)"
check "ssh-keygen -F finds a new host" ssh-keygen -F "[$addr]:$port" -f "$KH" >/dev/null
check "the changed host's old line is untouched" grep -qF "$before" "$KH"
eq "known_hosts keeps its mode" "$mode" "$(stat -c %a "$KH")"

"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$FLEET/again" --limit 'fresh*'
eq "strict again: all trusted" 0 "$?"

# a known_hosts that is a symlink (dotfiles kept in a repository) stays a
# link: the file it points to gets the new lines
mkdir -p "$FLEET/dotfiles"
head -n 1 "$KH" >"$FLEET/dotfiles/known_hosts"
ln -s "$FLEET/dotfiles/known_hosts" "$FLEET/kh-link"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" --known-hosts "$FLEET/kh-link" --identity "$FLEET/client/id_ed25519" \
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet -o "$FLEET/link" --accept-new --limit 'fresh000[1-5]'
eq "symlinked known_hosts: hosts ok" 0 "$?"
check "symlinked known_hosts: still a symlink" test -L "$FLEET/kh-link"
eq "symlinked known_hosts: its target got the 5 new hosts' lines" 11 "$(wc -l <"$FLEET/dotfiles/known_hosts")"

# a plain file gets plain lines, "name,address type key" (no ssh_config:
# Debian's /etc/ssh/ssh_config says HashKnownHosts yes)...
printf '# the team'"'"'s file\n' >"$FLEET/plain_kh"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" --known-hosts "$FLEET/plain_kh" --identity "$FLEET/client/id_ed25519" \
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet -o "$FLEET/plain" --accept-new --limit 'fresh0001' -F none
check "a plain file: a plain line" grep -q "^\[fresh0001\]:$FLEET_PORT,\[127" "$FLEET/plain_kh"
# ...and hashed ones when ssh_config says HashKnownHosts yes
printf '# the team'"'"'s file\n' >"$FLEET/plain_kh2"
printf 'Host *\n  HashKnownHosts yes\n' >"$FLEET/hash.conf"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" --known-hosts "$FLEET/plain_kh2" --identity "$FLEET/client/id_ed25519" \
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet -o "$FLEET/plain2" --accept-new --limit 'fresh0001' -F "$FLEET/hash.conf"
eq "HashKnownHosts yes: the new lines hashed" 2 "$(grep -c '^|1|' "$FLEET/plain_kh2")"

# a changed key: both fingerprints (as OpenSSH prints them) and the line
# of the recorded one
err=$(error_of "$FLEET/accept" changed01)
new_fp=$(ssh-keygen -l -E sha256 -f "$FLEET/etc/other_host_ed25519_key.pub" | cut -d' ' -f2)
old_fp=$(ssh-keygen -l -E sha256 -f "$FLEET/etc/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
check "mismatch: the presented key's fingerprint" grep -qF "host key is $new_fp" <<<"$err"
check "mismatch: the recorded one, with file:line" grep -qF "but $KH:1 records $old_fp" <<<"$err"

# a site that trusts a host CA: refused per host, with why (libssh2 1.10
# cannot verify host certificates), not one warning at start
ssh-keygen -q -t ed25519 -N '' -f "$FLEET/host_ca"
printf '# site CA\n@cert-authority * %s\n' "$(cut -d' ' -f1,2 "$FLEET/host_ca.pub")" >"$FLEET/ca_kh"
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" --known-hosts "$FLEET/ca_kh" --identity "$FLEET/client/id_ed25519" \
	--no-agent -u "$FLEET_USER" --collectors linux-base --quiet -o "$FLEET/ca" --limit 'fresh000[1-2]' 2>"$FLEET/ca.err"
eq "host CA only: hostkey_unknown" hostkey_unknown "$(status_of "$FLEET/ca" fresh0001)"
check "host CA only: the CA line named, and what libssh2 cannot do" \
	grep -qF "$FLEET/ca_kh:2 trusts a host certificate authority (@cert-authority) for this host, but libssh2 1.10 cannot verify host certificates" \
	<<<"$(error_of "$FLEET/ca" fresh0001)"
eq "host CA only: no warning at start" "" "$(cat "$FLEET/ca.err")"
finish
