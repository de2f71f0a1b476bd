#!/bin/bash
# tests/ssh/test_accept_new.sh - --accept-new with many new hosts at once
# leaves a valid known_hosts with one line per host; the next strict run
# trusts them; a changed key is never replaced.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_need 150
fleet_init acceptnew
fleet_add unknownkey fresh 150
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
eq "strict: unknown" 150 "$(jq -r .counts.hostkey_unknown "$FLEET/strict/run.json")"
eq "strict run leaves known_hosts alone" "$before" "$(cat "$KH")"

"$TSAM_BIN/tsam-collect" "${args[@]}" -o "$FLEET/accept" --accept-new --jobs 64
eq "accept-new: only the changed host fails" 3 "$?"
eq "accept-new: ok" 150 "$(jq -r .counts.ok "$FLEET/accept/run.json")"
eq "accept-new: changed stays mismatch" hostkey_mismatch "$(status_of "$FLEET/accept" changed01)"
eq "one line per new host" 151 "$(wc -l <"$KH")"
eq "one line per host (unique)" 151 "$(sort -u "$KH" | wc -l)"
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
eq "symlinked known_hosts: its target got the 5 new lines" 6 "$(wc -l <"$FLEET/dotfiles/known_hosts")"
finish
