#!/bin/bash
# tests/cli/test_check.sh - tsam-check over a run of 300 hosts built from
# the demo's real snapshots (examples/seed), some not collected, with
# waivers (one in force, one expired) and a baseline: the findings, the
# JUnit file and the diff are the same byte for byte whether the hosts are
# checked on one thread or on several, and their counts add up.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap '[ -n "${TSAM_KEEP:-}" ] || rm -rf "$T"' EXIT
X=$TSAM_BIN/tsam-check
S=$TSAM_SRC/examples/seed
N=300
R=$T/run
mkdir -p "$R/hosts"
# host$i is a copy of the seed's host i mod 10 (4 of the 10 not collected)
jq --argjson n "$N" '.hosts as $h | .hosts = [range(0; $n) as $i | $h[$i % ($h | length)]
	| .name = ("host\($i)") | if .snapshot then .snapshot = ("hosts/host\($i).json.gz") else . end]' \
	"$S/run.json" >"$R/run.json"
mapfile -t seed < <(jq -r '.hosts[] | .snapshot // ""' "$S/run.json")
for ((i = 0; i < N; i++)); do
	f=${seed[$((i % ${#seed[@]}))]}
	[ -n "$f" ] && ln -s "$S/$f" "$R/hosts/host$i.json.gz"
done
cat >"$T/waivers.json" <<'JSON'
{"schema": "tsamkit-waivers/1", "waivers": [
  {"rule": "SAV-ONACCESS-001", "hosts": "host1*", "justification": "Legacy web tier, replaced in Q1",
   "approver": "Sato (CISO)", "created": "2026-01-10", "expires": "2099-12-31"},
  {"rule": "LNX-TIME-001", "hosts": "host2*", "justification": "NTP through the old appliance",
   "approver": "Sato (CISO)", "created": "2019-01-10", "expires": "2020-01-01"}
]}
JSON
"$X" "$R" -o "$T/base.json" --threads 1 --quiet
eq "baseline run" 0 "$?"
for t in 1 2 3 7; do
	"$X" "$R" -o "$T/f$t.json" --waivers "$T/waivers.json" --baseline "$T/base.json" \
		--junit "$T/j$t.xml" --threads "$t" --quiet
	eq "--threads $t: exit 0" 0 "$?"
done
for t in 2 3 7; do
	check "--threads $t: the same findings as one thread" cmp -s "$T/f1.json" "$T/f$t.json"
	check "--threads $t: the same JUnit file" cmp -s "$T/j1.xml" "$T/j$t.xml"
done
F=$T/f1.json
eq "hosts checked + not collected" "$N" "$(jq '.fleet.hosts_checked + .fleet.hosts_uncollected' "$F")"
eq "hosts in order" "$(jq -c '[.hosts[] | .name]' "$T/base.json")" "$(jq -c '[.hosts[] | .name]' "$F")"
eq "per-rule counts add up to the host results" \
	"$(jq '[.hosts[].results[] | select(.result == "fail")] | length' "$F")" \
	"$(jq '[.rules[] | select(.scope == "host") | .counts.fail] | add' "$F")"
check "the waiver in force applied" test "$(jq '[.hosts[].results[] | select(.result == "waived")] | length' "$F")" -gt 0
eq "only its hosts waived" 0 "$(jq '[.hosts[] | select(.name | startswith("host1") | not) | .results[] | select(.result == "waived")] | length' "$F")"
eq "the expired one listed as expired, with what it would have matched" '["expired",true]' \
	"$(jq -c '.waivers[] | select(.rule == "LNX-TIME-001") | [.state, .expired_matches > 0]' "$F")"
eq "applied as often as results were waived" \
	"$(jq '[.hosts[].results[] | select(.result == "waived")] | length' "$F")" \
	"$(jq '.waivers[] | select(.rule == "SAV-ONACCESS-001") | .applied' "$F")"
eq "diff against the same run: nothing new or fixed, the rest still failing" \
	"[0,0,$(jq '[.hosts[].results[] | select(.result == "fail" or .result == "error")] | length' "$F")]" \
	"$(jq -c '.diff | [(.new_failures | length), (.fixed | length), (.still_failing | length)]' "$F")"
check "JUnit parses" xmllint --noout "$T/j1.xml"
check "findings with waivers and a diff follow docs/findings.schema.json" \
	/usr/bin/python3 "$TSAM_SRC/tests/validate-json.py" "$TSAM_SRC/docs/findings.schema.json" "$F" "$T/base.json"
"$X" "$R" -o "$T/x.json" --threads 0 2>"$T/err"
eq "--threads 0: usage" 2 "$?"
check "names the option" grep -qF -- "--threads: '0' is not a number from 1 to 64" "$T/err"
# run.json is split into host records by a scan and each record parsed on
# its own: a broken record is still an error naming run.json's line and
# column, and a layout the scan declines (an escaped key) is parsed whole
# with the same findings
cp -r "$R" "$T/bad"
sed -i '0,/"port": 2222/s//"port": 22x22/' "$T/bad/run.json"
"$X" "$T/bad" -o "$T/bad.json" --threads 2 2>"$T/err"
eq "a broken record: error" 1 "$?"
check "names run.json, line and column" grep -qE 'run.json:[0-9]+:[0-9]+:' "$T/err"
check "writes nothing" test ! -e "$T/bad.json"
cp -r "$R" "$T/esc"
sed -i 's/^  "hosts": \[/  "ho\\u0073ts": [/' "$T/esc/run.json"
check "the escaped key is in the file" grep -q '^  "ho\\u0073ts": \[' "$T/esc/run.json"
"$X" "$T/esc" -o "$T/esc.json" --threads 2 --quiet
eq "an escaped key: exit 0" 0 "$?"
eq "the same hosts and results" "$(jq -c '[.hosts, .uncollected]' "$T/base.json")" "$(jq -c '[.hosts, .uncollected]' "$T/esc.json")"
# rules apply by role: the inventory's labels are label.<key> facts
mkdir -p "$T/rules/x"
cat >"$T/rules/x/rules.json" <<'JSON'
{"schema": "tsamkit-rules/1", "rules": [{"id": "X-ROLE-001",
  "title": {"en": "t", "ja": "て"}, "finding": {"en": "f", "ja": "ふ"},
  "rationale": {"en": "r", "ja": "り"},
  "recommendation": {"en": "x", "ja": "え"}, "category": "configuration",
  "severity": "low", "impact": 0.1, "evidence": ["label.role"],
  "when": {"fact": "label.role", "op": "eq", "value": "spl"},
  "check": {"fact": "label.site", "op": "eq", "value": "lab"}}]}
JSON
"$X" "$R" -o "$T/role.json" --rules "$T/rules" --quiet
eq "role rules: exit 0" 0 "$?"
eq "applies on the role's hosts only, and reads another label" \
	"$(jq '[.hosts[] | select(.labels.role == "spl" and .status == "ok")] | length' "$R/run.json") 0" \
	"$(jq -r '[.hosts[].results[] | select(.result == "pass")] | length' "$T/role.json") $(jq -r '[.hosts[].results[] | select(.result == "fail" or .result == "error")] | length' "$T/role.json")"
# a FIFO where a snapshot should be (planted, or a broken copy) costs that
# host, never the run: it used to block tsam-check forever
F=$T/fifo
mkdir -p "$F/hosts"
cp "$R/run.json" "$F/run.json"
for ((i = 0; i < 10; i++)); do
	[ -e "$R/hosts/host$i.json.gz" ] && cp -L "$R/hosts/host$i.json.gz" "$F/hosts/"
done
jq '.hosts |= .[0:10]' "$R/run.json" >"$F/run.json"
rm -f "$F/hosts/host0.json.gz"
mkfifo "$F/hosts/host0.json.gz"
timeout 20 "$X" "$F" -o "$T/fifo.json" --quiet
eq "a FIFO in hosts/: tsam-check finishes" 0 "$?"
check "...and says why the host is not checked" grep -q "host0.json.gz: not a regular file" \
	<<<"$(jq -r '.uncollected[] | select(.name == "host0") | .error' "$T/fifo.json")"
eq "...the other collected hosts checked" 6 "$(jq '.hosts | length' "$T/fifo.json")"
mkfifo "$T/inv.fifo"
timeout 10 "$TSAM_BIN/tsam-collect" -i "$T/inv.fifo" -o "$T/fiforun" 2>"$T/fifo.err"
eq "an inventory FIFO nobody writes: an error, not a hang" 1 "$?"
check "...naming it" grep -q "inv.fifo: no hosts" "$T/fifo.err"
timeout 10 "$TSAM_BIN/tsam-collect" -i <(printf 'a\nb\n') -o "$T/pipe" -l zzz 2>"$T/pipe.err"
check "a pipe (process substitution) is still read" grep -q "no host matches --limit" "$T/pipe.err"
# remote text with control characters (an ESC sequence, a bell, a NUL
# escaped in JSON, bytes that are not UTF-8) in a host's error: the JUnit
# file stays well-formed XML and the terminal never gets the raw bytes
J=$T/ctl
mkdir -p "$J/hosts"
jq '.hosts |= .[0:10] | .hosts[7].error = "killed: \u001b[31mred\u0007 \u0000 tab\tnl\nend"' "$R/run.json" >"$J/run.json"
for ((i = 0; i < 10; i++)); do
	[ -e "$R/hosts/host$i.json.gz" ] && cp -L "$R/hosts/host$i.json.gz" "$J/hosts/"
done
"$X" "$J" -o "$T/ctl.json" --junit "$T/ctl.xml" --quiet
eq "control characters: tsam-check exit 0" 0 "$?"
check "control characters: the JUnit file is well-formed XML" xmllint --noout "$T/ctl.xml"
check "control characters: the text is kept, made safe" grep -q 'killed: .\[31mred. . tab&#9;nl&#10;end' "$T/ctl.xml"
printf '\033[2J\033]0;pwned\007host\n' >"$T/esc.txt"
"$TSAM_BIN/tsam-collect" -i "$T/esc.txt" -o "$T/escrun" 2>"$T/esc.err"
check "an ESC in a file's text never reaches the terminal" test "$(grep -c $'\033' "$T/esc.err")" = 0
check "...the message is still there" grep -q "esc.txt:1: bad host name" "$T/esc.err"
# the diff's hosts: a host not collected this year was not removed; one
# no longer in the run was
S=$TSAM_SRC/examples/seed
"$X" "$S" -o "$T/seed.json" --quiet
gone=$(jq -r '.uncollected[0].name' "$T/seed.json")
jq --arg g "$gone" '.uncollected |= map(select(.name != $g)) | .hosts += [{name: $g, results: []}, {name: "retired01", results: []}]' \
	"$T/seed.json" >"$T/seed-base.json"
"$X" "$S" -o "$T/seed2.json" --baseline "$T/seed-base.json" --quiet
eq "diff: only the host gone from the run is removed ($gone not collected, not removed)" '["retired01"]' \
	"$(jq -c '.diff.hosts_removed' "$T/seed2.json")"
finish
