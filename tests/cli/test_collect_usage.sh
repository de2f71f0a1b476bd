#!/bin/bash
# tests/cli/test_collect_usage.sh - tsam-collect's options, usage errors and
# input errors that name the place, without any network.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
C=$TSAM_BIN/tsam-collect

"$C" --help >"$T/help"
eq "--help exits 0" 0 "$?"
for o in --inventory --output --resume --retry-failed --limit --jobs --identity \
	--passphrase-env --known-hosts --accept-new --connect-timeout --command-timeout \
	--deadline --max-output --retries --config --show-host --jump --jump-channels; do
	check "--help lists $o" grep -q -- "$o" "$T/help"
done
"$C" >/dev/null 2>&1
eq "no arguments: usage" 2 "$?"
"$C" -i x -o y --jobs 0 2>"$T/err"
eq "--jobs 0: usage" 2 "$?"
check "names the option" grep -qF -- "--jobs: '0' is not a number from 1 to 4096" "$T/err"
"$C" -i x -o y --bogus 2>/dev/null
eq "unknown option: usage" 2 "$?"
"$C" -i x --resume a --retry-failed b 2>/dev/null
eq "resume + retry-failed: usage" 2 "$?"

"$C" -i "$T/none.txt" -o "$T/run" 2>"$T/err"
eq "missing inventory: error" 1 "$?"
check "names the file" grep -q "none.txt" "$T/err"

printf 'good01\nweb[01-03]\nweb02\n' >"$T/dup.txt"
"$C" -i "$T/dup.txt" -o "$T/run" 2>"$T/err"
eq "duplicate host: error" 1 "$?"
check "file:line of the duplicate" grep -q "dup.txt:3: duplicate host 'web02'" "$T/err"
check "no run dir made for bad input" test ! -e "$T/run"

# two names, one snapshot file: refused before any host, naming both
printf '.x\n_x\nother\n' >"$T/clash.txt"
"$C" -i "$T/clash.txt" -o "$T/run" -u u 2>"$T/err"
eq "names sharing a snapshot file: error" 1 "$?"
check "names both hosts, their lines and the file" grep -q "clash.txt:2: host '_x' and line 1's '.x' would share the snapshot file hosts/_x.json.gz" "$T/err"
check "no run dir made for it" test ! -e "$T/run"
# in every order (the old check depended on memory layout)
printf 'a1\nWEB\nb2\nc3\nweb\n' >"$T/case.txt"
"$C" -i "$T/case.txt" -o "$T/run" 2>"$T/err"
eq "names differing only in case: error" 1 "$?"
check "says they differ only in case" grep -q "case.txt:5: host 'web' and line 2's 'WEB'.*differ only in case" "$T/err"
"$C" -i "$T/case.txt" -o "$T/run" -l a1 2>"$T/err"
eq "...also when --limit selects neither" 1 "$?"

printf 'a role=db\n' >"$T/inv.txt"
"$C" -i "$T/inv.txt" -o "$T/run" --limit role=web 2>"$T/err"
eq "--limit matching nothing: error" 1 "$?"
check "says so" grep -q "no host matches" "$T/err"

printf 'not a key\n' >"$T/key"
"$C" -i "$T/inv.txt" -o "$T/run" --identity "$T/key" --no-agent 2>"$T/err"
eq "bad identity file: error" 1 "$?"
check "names the key file" grep -q "$T/key: not a private key" "$T/err"

ssh-keygen -q -t ed25519 -N 'sekrit-pass' -f "$T/enc" </dev/null
"$C" -i "$T/inv.txt" -o "$T/run" --identity "$T/enc" --passphrase-env NOPE_UNSET </dev/null 2>"$T/err"
eq "encrypted key without its passphrase: error" 1 "$?"
check "says which variable" grep -q 'NOPE_UNSET is not set' "$T/err"
check "passphrase never echoed" sh -c "! grep -q sekrit '$T/err'"

"$C" --print-script --collectors linux-base >"$T/script"
eq "--print-script exits 0" 0 "$?"
check "script starts with the boundary" grep -q "^TSAM_B=[0-9a-f]\{32\}$" <(head -n 1 "$T/script")
check "script holds the collector" grep -q "tsam_file os-release" "$T/script"
check "script is valid sh" sh -n "$T/script"
"$C" --print-script --collectors ../etc 2>"$T/err"
eq "bad collector name" 1 "$?"
check "says which" grep -q "bad collector name" "$T/err"
# jump hosts: a bad hop, a loop of ProxyJumps, a bad jump= label, each
# named; a chain printed hop by hop (--show-host needs no network)
printf 'web1\n' >"$T/inv-j.txt"
ssh-keygen -q -t ed25519 -N '' -f "$T/jk" </dev/null
jargs=(-i "$T/inv-j.txt" --identity "$T/jk" --no-agent --known-hosts /dev/null)
"$C" "${jargs[@]}" -F none -J 'a@@b:x' --show-host web1 >/dev/null 2>"$T/err"
eq "-J with a bad hop: error" 1 "$?"
check "names -J and the hop" grep -qF -- '--jump: "a@@b:x" is not a jump host ([user@]host[:port])' "$T/err"
"$C" "${jargs[@]}" -F none -J 'b1,,b2' --show-host web1 >/dev/null 2>"$T/err"
eq "-J with an empty hop: error" 1 "$?"
check "says so" grep -qF -- '--jump: "b1,,b2" is not a list of jump hosts' "$T/err"
printf 'Host ja\n\tProxyJump jb\nHost jb\n\tProxyJump ja\nHost web*\n\tProxyJump ja\n' >"$T/loop.cfg"
"$C" "${jargs[@]}" -F "$T/loop.cfg" --show-host web1 >/dev/null 2>"$T/err"
eq "a ProxyJump loop in ssh_config: error" 1 "$?"
check "says it may be a loop" grep -qF 'ssh_config: ProxyJump of web1: more than 8 jump hosts in a row (a ProxyJump loop?)' "$T/err"
printf 'group g jump=ops@bad_host:99999\nweb1\n' >"$T/inv-jl.txt"
"$C" -i "$T/inv-jl.txt" --identity "$T/jk" --no-agent --known-hosts /dev/null -F none --show-host web1 >/dev/null 2>"$T/err"
eq "a bad jump= label: error" 1 "$?"
check "names the file, line, host and label" grep -qF "$T/inv-jl.txt:2: host web1: jump=: \"ops@bad_host:99999\" is not a jump host" "$T/err"
printf 'Host b2\n\tHostName 10.9.9.2\n\tUser ops\n\tPort 2200\n' >"$T/chain.cfg"
"$C" "${jargs[@]}" -F "$T/chain.cfg" -J 'adm@b1:2022,b2' --show-host web1 >"$T/show" 2>"$T/err"
eq "a chain: --show-host exit 0" 0 "$?"
check "proxyjump as given" grep -qx "proxyjump adm@b1:2022,b2" "$T/show"
eq "each hop as reached, the nearest to the host first" \
	"jumphost b2 ops@10.9.9.2:2200|jumphost b1 adm@b1:2022" "$(grep ^jumphost "$T/show" | paste -sd'|' -)"
printf 'web1 jump=none\n' >"$T/inv-jn.txt"
"$C" -i "$T/inv-jn.txt" --identity "$T/jk" --no-agent --known-hosts /dev/null -F none -J b1 --show-host web1 >"$T/show"
check "jump=none on the host wins over -J" grep -qx "proxyjump none" "$T/show"
"$C" -i x -o y --jump-channels 0 2>"$T/err"
eq "--jump-channels 0: usage" 2 "$?"
finish
