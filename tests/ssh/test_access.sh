#!/bin/bash
# tests/ssh/test_access.sh - health checks on endpoints set up as customers'
# machines are (tests/ssh/realhost.sh): real accounts, real sudo and doas
# rules, product trees with the permissions the products' installers set,
# login noise, password-only servers, an agent with more keys than the
# server's MaxAuthTries, accounts without a usable shell. For each: the
# host's status and message, the facts, the rule results and the report's
# words. Above all: a host collected without the privilege its product
# needs never looks like a host without the product.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/realhost.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
realhost_enter "$@"
realhost_init access
export HOME=$RH/client
unset SSH_AUTH_SOCK

# --- the endpoints ---------------------------------------------------------
spl_0750() { fleet_spl spl "" && realhost_spl_perms 750; }
spl_0711() { fleet_spl spl "" && realhost_spl_perms 711; }
sav_root() { fleet_sav sav "" && realhost_sav_perms; }
spl_plain() { fleet_spl spl ""; }
# --- the accounts ----------------------------------------------------------
groupadd -r sophos-spl-group
realhost_user admin -s /bin/sh            # an ordinary admin, no privilege
realhost_user sudoer -s /bin/sh           # sudo without a password
realhost_user pwsudo -s /bin/sh           # sudo with its password
realhost_user spladm -s /bin/sh -G sophos-spl-group # the product's group only
realhost_user doaser -s /bin/sh           # doas permit nopass
realhost_user doaspw -s /bin/sh           # doas with a password
realhost_user ttysudo -s /bin/sh          # sudo under Defaults requiretty
realhost_user noisy -s /bin/bash          # a .bashrc that talks
realhost_user pwonly -s /bin/sh           # logs in with a password
realhost_user falsesh -s /bin/false       # no shell
realhost_user nologin -s /usr/sbin/nologin
realhost_user noshell -s /bin/no-such-shell
realhost_password pwsudo 'Sudo-Pass-Planted-1'
realhost_password pwonly 'Login-Pass-Planted-4'
# at the top, before Debian's "not interactive: return", as admins do
{ printf 'echo "Welcome to $(hostname), $USER"\necho "Last backup: yesterday"\nprintf "no newline here: "\n'
  cat /home/noisy/.bashrc; } >"$RH/bashrc" && cp "$RH/bashrc" /home/noisy/.bashrc
realhost_password doaspw 'Doas-Pass-Planted-2'
realhost_password ttysudo 'Tty-Pass-3'
cat >/etc/sudoers.d/tsam <<'SUDO'
sudoer ALL=(root) NOPASSWD: ALL
pwsudo ALL=(root) ALL
Defaults:ttysudo requiretty
ttysudo ALL=(root) NOPASSWD: ALL
SUDO
chmod 440 /etc/sudoers.d/tsam
cat >/etc/doas.conf <<'DOAS'
permit nopass doaser as root
permit doaspw as root
DOAS
chmod 400 /etc/doas.conf
# an audit wrapper as ForceCommand: logs a line, then runs what was asked
audit_wrapper() {
	spl_plain
	printf '#!/bin/sh\necho "AUDIT: session of $USER recorded"\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n' >/usr/local/bin/audit-wrapper
	chmod 755 /usr/local/bin/audit-wrapper
}
realhost_host 1 spl_0750
realhost_host 2 spl_0711
realhost_host 3 sav_root
realhost_host 4 audit_wrapper "ForceCommand /usr/local/bin/audit-wrapper"
realhost_host 5 spl_plain "PubkeyAuthentication no"
realhost_host 6 spl_plain "PubkeyAuthentication no" "PasswordAuthentication no"
realhost_host 7 spl_plain "MaxAuthTries 6"
ssh-keygen -q -t rsa -b 2048 -N '' -f "$RH/ssh_host_rsa_key"
realhost_host 8 spl_plain "HostKey $RH/ssh_host_rsa_key" "HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256"
echo "127.0.2.8 $(cut -d' ' -f1,2 "$RH/ssh_host_rsa_key.pub")" >>"$RH/known_hosts"

# collect OUT INVENTORY-LINES [tsam-collect options]: the client key and
# no agent unless KEYS says otherwise.
collect() {
	local out=$1 lines=$2
	shift 2
	printf '%s\n' "$lines" >"$RH/inv.$(basename "$out")"
	# shellcheck disable=SC2086
	"$TSAM_BIN/tsam-collect" -i "$RH/inv.$(basename "$out")" -o "$out" \
		--known-hosts "$RH/known_hosts" ${KEYS:---identity $RH/client/id_ed25519 --no-agent} \
		--collectors linux-base,sav-linux,spl --quiet "$@" 2>"$out.err"
}
fact() { snapshot "$1" "$2" | jq -c --arg k "$3" '.facts.facts[$k]'; }
record() { jq -c --arg h "$2" ".hosts[] | select(.name == \$h) | $3" "$1/run.json"; }

# --- 1. SPL without privilege: never "not installed" ------------------------
O=$RH/noprivs
collect "$O" "admin@spl50 address=127.0.2.1
admin@spl11 address=127.0.2.2
spladm@splgrp address=127.0.2.1"
eq "no privilege: exit 3 (hosts collected without the privilege they need)" 3 "$?"
valid_run "$O"
eq "no privilege: transport ok" ok "$(status_of "$O" spl50)"
check "uid recorded: the admin's own" test "$(record "$O" spl50 .uid)" = "$(id -u admin)"
eq "become recorded" '"none"' "$(record "$O" spl50 .become)"
eq "base 0750: installed is unknown, not false" null "$(fact "$O" spl50 product.installed)"
eq "base 0750: what was denied" '["spl/installed"]' "$(fact "$O" spl50 collect.denied | jq -c 'map(.collector + "/" + .section)')"
eq "base 0750: the record lists it" '["spl/installed"]' "$(record "$O" spl50 .denied)"
check "base 0750: the parse error names the section and the permission" \
	grep -q 'spl/installed: permission denied: /opt/sophos-spl/base (uid [0-9]*): collected without enough privilege' \
	<<<"$(snapshot "$O" spl50 | jq -r '.facts.errors[] | "\(.collector)/\(.section): \(.problem)"')"
eq "base 0711: installed (VERSION.ini is there)" true "$(fact "$O" spl11 product.installed)"
eq "base 0711: no version (unreadable)" null "$(fact "$O" spl11 product.version)"
eq "base 0711: denied sections" '["spl/base-version","spl/plugins","spl/shs-status","spl/alc-status","spl/mcs-config","spl/suldownloader-log","spl/core-policy-onaccess","spl/sav-policy-scans","spl/av-log-scans"]' \
	"$(record "$O" spl11 .denied)"
eq "group member: installed" true "$(fact "$O" splgrp product.installed)"
eq "group member: version read" '"2023.4.1.8"' "$(fact "$O" splgrp product.version)"
eq "group member: plugins found by name" '["av","edr"]' "$(fact "$O" splgrp plugins | jq -c 'map(.name)')"
eq "group member: mcs.config and the logs denied" '["spl/mcs-config","spl/suldownloader-log","spl/av-log-scans"]' \
	"$(record "$O" splgrp .denied)"
check "tsam-collect warns, naming the hosts and what to run" \
	grep -q "warning: 3 hosts were collected without the privilege their products need.* spl50 spl11 splgrp; collect them again with --retry-failed $O --become sudo" "$O.err"

# The proof: no host without privilege ever ends ok with product.installed=false.
for h in spl50 spl11 splgrp; do
	check "$h: not 'ok and not installed'" test "$(status_of "$O" "$h"):$(fact "$O" "$h" product.installed)" != "ok:false"
done

# ...and --retry-failed with --become collects them again, as it says
O=$RH/retry
collect "$O" "sudoer@r50 address=127.0.2.1
sudoer@r11 address=127.0.2.2"
eq "retry: first without privilege (exit 3)" 3 "$?"
eq "retry: both limited" 2 "$(jq .counts.limited "$O/run.json")"
"$TSAM_BIN/tsam-collect" -i "$RH/inv.retry" --retry-failed "$O" --known-hosts "$RH/known_hosts" \
	--identity "$RH/client/id_ed25519" --no-agent --collectors linux-base,sav-linux,spl --quiet --become sudo
eq "retry: then with sudo (exit 0)" 0 "$?"
eq "retry: none limited" 0 "$(jq .counts.limited "$O/run.json")"
eq "retry: both as root" '[0,0]' "$(jq -c '[.hosts[].uid]' "$O/run.json")"
eq "retry: the product is there now" true "$(fact "$O" r50 product.installed)"

# --- 2. escalation: sudo and doas, with and without a password ------------
O=$RH/become
collect "$O" "sudoer@ok50 address=127.0.2.1
sudoer@ok11 address=127.0.2.2
sudoer@oksav address=127.0.2.3
pwsudo@needpw address=127.0.2.1
admin@norule address=127.0.2.1
ttysudo@tty address=127.0.2.1
doaser@doasok address=127.0.2.1 become=doas
doaspw@doaspw address=127.0.2.1 become=doas
admin@optout address=127.0.2.1 become=none" --become sudo
eq "become: exit 3 (some refused)" 3 "$?"
valid_run "$O"
for h in ok50 ok11 oksav doasok; do
	eq "$h: ok" ok "$(status_of "$O" $h)"
	eq "$h: collectors ran as root" 0 "$(record "$O" $h .uid)"
	eq "$h: nothing denied" '[]' "$(record "$O" $h .denied)"
	eq "$h: no login noise (the marker line is not kept)" null "$(snapshot "$O" $h | jq -c .preamble)"
done
eq "sudo recorded" '"sudo"' "$(record "$O" ok50 .become)"
eq "doas recorded" '"doas"' "$(record "$O" doasok .become)"
eq "base 0750 under sudo: version" '"2023.4.1.8"' "$(fact "$O" ok50 product.version)"
eq "base 0711 under sudo: every section" 0 "$(snapshot "$O" ok11 | jq '[.collectors.spl[] | select(.rc != 0)] | length')"
eq "under sudo: the management password is still redacted" 0 "$(snapshot "$O" ok11 | grep -c Planted-SPL-Secret)"
eq "sav under sudo: update sources" '["primary","secondary"]' "$(fact "$O" oksav update.sources | jq -c 'map(.role)')"
eq "password needed: become_failed" become_failed "$(status_of "$O" needpw)"
check "password needed: sudo's words and what to do" \
	grep -q "^sudo refused: 'sudo: a password is required': give sudo's password with --become-password-env VAR" <<<"$(error_of "$O" needpw)"
eq "no rule: become_failed" become_failed "$(status_of "$O" norule)"
check "no rule: sudo's words" grep -q "^sudo refused: 'sudo: a password is required'" <<<"$(error_of "$O" norule)"
eq "requiretty: become_failed" become_failed "$(status_of "$O" tty)"
check "requiretty: named, with the sudoers fix" grep -q "must have a tty.*Defaults:USER !requiretty" <<<"$(error_of "$O" tty)"
eq "doas with a password: become_failed" become_failed "$(status_of "$O" doaspw)"
check "doas with a password: why and what to do" grep -q "^doas refused: 'doas: Authentication required': doas wants a password, which it reads only from a terminal.*permit nopass" <<<"$(error_of "$O" doaspw)"
eq "become=none label wins over --become" '"none"' "$(record "$O" optout .become)"
eq "become=none: collected without privilege" '["spl/installed"]' "$(record "$O" optout .denied)"
eq "become_failed hosts have no snapshot facts run" null "$(record "$O" needpw .uid)"

# sudo's password: from a variable, sent after sudo's prompt only, never kept
O=$RH/sudopw
SUDO_PW='Sudo-Pass-Planted-1' collect "$O" "pwsudo@pw50 address=127.0.2.1
sudoer@nopw address=127.0.2.1" --become sudo --become-password-env SUDO_PW
eq "sudo password: exit 0" 0 "$?"
eq "sudo password: ok" ok "$(status_of "$O" pw50)"
eq "sudo password: root" 0 "$(record "$O" pw50 .uid)"
eq "sudo password: NOPASSWD host in the same run ok" ok "$(status_of "$O" nopw)"
eq "NOPASSWD: nothing sent that the shell ran as a command" 0 "$(snapshot "$O" nopw | jq '[.collectors[][] | select(.text | test("Sudo-Pass"))] | length')"
eq "the password is in no output file" "" "$(cd "$O" && { cat run.json; zcat hosts/*.gz; cat "$O.err"; } | grep -l Sudo-Pass-Planted)"
eq "nor in any sshd log" "" "$(grep -l Sudo-Pass-Planted "$RH"/log/* 2>/dev/null)"
# ...or from the terminal (a real pty, from script(1)), never echoed
O=$RH/sudotty
printf '%s\n' "pwsudo@ttypw address=127.0.2.1" >"$RH/inv.sudotty"
# typed once the prompt is there, as a person would (typed-ahead input is
# flushed when echo goes off)
: >"$RH/sudotty.typescript"
{
	for i in $(seq 1 300); do
		grep -q "Enter the become password" "$RH/sudotty.typescript" && break
		sleep 0.1
	done
	printf 'Sudo-Pass-Planted-1\n'
} | script -qfec "'$TSAM_BIN/tsam-collect' -i '$RH/inv.sudotty' -o '$O' \
	--known-hosts '$RH/known_hosts' --identity '$RH/client/id_ed25519' --no-agent \
	--collectors linux-base,spl --quiet --become sudo --ask-become-pass" "$RH/sudotty.typescript" >/dev/null 2>&1
eq "sudo password from the terminal: ok" ok "$(status_of "$O" ttypw)"
eq "sudo password from the terminal: root" 0 "$(record "$O" ttypw .uid)"
check "the terminal showed the prompt" grep -q "Enter the become password:" "$RH/sudotty.typescript"
eq "the terminal never showed the password" 0 "$(grep -c Sudo-Pass-Planted "$RH/sudotty.typescript")"
O=$RH/sudobadpw
SUDO_PW='wrong-password' collect "$O" "pwsudo@badpw address=127.0.2.1" --become sudo --become-password-env SUDO_PW
eq "wrong sudo password: become_failed" become_failed "$(status_of "$O" badpw)"
check "wrong sudo password: said so" grep -q "sudo refused the password" <<<"$(error_of "$O" badpw)"
O=$RH/nopwvar
collect "$O" "pwsudo@x address=127.0.2.1" --become sudo --become-password-env UNSET_VAR_X
eq "an unset password variable: error before any host" 1 "$?"
check "an unset password variable: named" grep -q 'UNSET_VAR_X is not set' "$O.err"

# --- 3. SAV without privilege: no false "no update source" ------------------
O=$RH/savnopriv
collect "$O" "admin@sav address=127.0.2.3"
eq "sav, no privilege: installed" true "$(fact "$O" sav product.installed)"
eq "sav, no privilege: status still read" true "$(fact "$O" sav daemon.active)"
eq "sav, no privilege: no update.sources (not [])" null "$(fact "$O" sav update.sources)"
eq "sav, no privilege: no exclusions (not [])" null "$(fact "$O" sav exclusions)"
eq "sav, no privilege: denied" '["sav-linux/savconfig-query","sav-linux/savconfig-advanced","sav-linux/last-update"]' "$(record "$O" sav .denied)"
eq "sav, no privilege: last-update is denied, not missing" 3 "$(snapshot "$O" sav | jq '.collectors["sav-linux"]["last-update"].rc')"

# --- 4. the checks and the report on hosts collected without privilege -----
V="/usr/bin/python3 $TSAM_SRC/tests/validate-json.py $TSAM_SRC/docs/findings.schema.json"
res() { # res FINDINGS HOST RULE FIELD
	jq -c --arg h "$2" --arg r "$3" ".hosts[] | select(.name == \$h) | .results[] | select(.rule == \$r) | $4" "$1"
}
F=$RH/noprivs.json
"$TSAM_BIN/tsam-check" "$RH/noprivs" -o "$F" 2>"$F.err"
eq "check: exit 0" 0 "$?"
check "findings follow docs/findings.schema.json" $V "$F"
eq "check: 3 hosts collected without privilege" 3 "$(jq .fleet.hosts_limited "$F")"
check "check: warns, naming them" grep -q 'warning: 3 hosts were collected without enough privilege.*: spl50 spl11 splgrp; collect them again with --become' "$F.err"
arm_only='["SPL-KERNEL-001"]'
[ "$(uname -m)" = aarch64 ] && arm_only='[]'
eq "base 0750: every SPL rule is error (but the ARM64-only one, elsewhere)" "$arm_only" \
	"$(jq -c '[.hosts[] | select(.name == "spl50") | .results[] | select((.rule | startswith("SPL-")) and .result != "error") | .rule]' "$F")"
eq "base 0750: the service rule is error" '"error"' "$(res "$F" spl50 SPL-SERVICE-001 .result)"
eq "base 0750: SAV's rules do not apply (SAV was seen to be absent)" '[]' \
	"$(jq -c '[.hosts[] | select(.name == "spl50") | .results[] | select((.rule | startswith("SAV-")) and .result != "not_applicable") | .rule]' "$F")"
eq "base 0750: the product collectors that found nothing" '[{"collector":"sav-linux"}]' "$(fact "$RH/noprivs" spl50 collect.absent)"
check "base 0750: ...saying why, and what to do" grep -q '^"collected without enough privilege (spl/installed could not be read as uid [0-9]*): rerun tsam-collect with --become"$' \
	<<<"$(res "$F" spl50 SPL-SERVICE-001 .reason)"
eq "base 0750: a rule for installed products (disk under /opt) is error too" '"error"' "$(res "$F" spl50 LNX-DISK-002 .result)"
eq "base 0750: the host's denied list" '["spl/installed"]' "$(jq -c '.hosts[] | select(.name == "spl50") | .denied' "$F")"
eq "group member: the version rule judged (its file was readable)" '"pass"' "$(res "$F" splgrp SPL-VERSION-001 .result)"
eq "group member: the update rule is error, with the reason" '["error",true]' \
	"$(res "$F" splgrp SPL-UPDATE-001 '[.result, (.reason | test("spl/suldownloader-log"))]')"
eq "no privilege: no product rule failed for lack of facts" '[]' \
	"$(jq -c '[.hosts[] | select(.denied != []) | .name as $h | .results[] | select((.rule | test("^(SPL|SAV|LIFECYCLE)-")) and .result == "fail") | "\($h) \(.rule)"]' "$F")"
"$TSAM_BIN/tsam-check" "$RH/noprivs" -o "$F.2" --junit "$RH/junit.xml" --quiet
check "JUnit: the error says why" grep -q 'error message="collected without enough privilege (spl/installed' "$RH/junit.xml"
F=$RH/savnopriv.json
"$TSAM_BIN/tsam-check" "$RH/savnopriv" -o "$F" --quiet
eq "sav, no privilege: SAV-UPDATE-004 is error, not a false fail" '"error"' "$(res "$F" sav SAV-UPDATE-004 .result)"
eq "sav, no privilege: the daemon rule still judged" '"pass"' "$(res "$F" sav SAV-DAEMON-001 .result)"
F=$RH/become.json
"$TSAM_BIN/tsam-check" "$RH/become" -o "$F" --quiet
check "become: findings valid" $V "$F"
eq "become: no host limited but the opted-out one" '["optout"]' "$(jq -c '[.hosts[] | select(.denied != []) | .name]' "$F")"
eq "become: the service rule judged on base 0750" '"pass"' "$(res "$F" ok50 SPL-SERVICE-001 .result)"
eq "become: uid 0 in the findings" 0 "$(jq '.hosts[] | select(.name == "ok50") | .uid' "$F")"
printf '{"id": "acme", "name": "ACME Corp", "tier": "platinum", "tsam": {"name": "Hanako Sato", "email": "h.sato@example.com"}}\n' >"$RH/customer.json"
for lang in en ja; do
	P=$RH/noprivs-$lang.pdf
	"$TSAM_BIN/tsam-report" --template annual-health-check --customer "$RH/customer.json" \
		--findings "$RH/noprivs.json" --lang $lang -o "$P" 2>"$P.err"
	eq "report $lang: exit 0" 0 "$?"
	check "report $lang: qpdf --check" sh -c "qpdf --check '$P' >/dev/null"
	pdftotext -layout "$P" "$P.txt" 2>/dev/null
	tr -d ' \n' <"$P.txt" >"$P.flat"
done
check "report en: the count on the summary" grep -q "Endpoints collected without enough privilege *3" "$RH/noprivs-en.pdf.txt"
check "report en: the endpoints named, with what could not be read" grep -q "spl50 — spl: installed" "$RH/noprivs-en.pdf.txt"
check "report en: every section, none cut" grep -q "spl11—spl:base-version,plugins,shs-status,alc-status,mcs-config,suldownloader-log,core-policy-onaccess,sav-policy-scans,av-log-scans" "$RH/noprivs-en.pdf.flat"
check "report en: what to do" grep -q "tsam-collect--becomesudo" "$RH/noprivs-en.pdf.flat"
check "report en: the errors say why" grep -q "couldnotbereadwithoutprivilege" "$RH/noprivs-en.pdf.flat"
check "report ja: the count" grep -q "権限不足で収集したエンドポイント" "$RH/noprivs-ja.pdf.flat"
check "report ja: the errors say why" grep -q "権限不足のため読み取れず" "$RH/noprivs-ja.pdf.flat"
check "report ja: what to do" grep -q "読み取り権限のあるアカウントで再収集してください" "$RH/noprivs-ja.pdf.flat"
for lang in en ja; do
	P=$RH/become-$lang.pdf
	"$TSAM_BIN/tsam-report" --template annual-health-check --customer "$RH/customer.json" \
		--findings "$RH/become.json" --lang $lang -o "$P" 2>"$P.err"
	pdftotext -layout "$P" "$P.txt" 2>/dev/null
done
check "report en: a refused escalation in words" grep -q "needpw *privilege escalation (sudo/doas) refused" "$RH/become-en.pdf.txt"
check "report ja: a refused escalation in words" grep -q "needpw *権限昇格（sudo/doas）が拒否された" "$RH/become-ja.pdf.txt"
eq "report: no status code left untranslated" 0 "$(grep -c become_failed "$RH/become-en.pdf.txt" "$RH/become-ja.pdf.txt" | awk -F: '{s += $2} END {print s}')"

# --- 5. login noise ------------------------------------------------------
O=$RH/noise
collect "$O" "noisy@bashrc address=127.0.2.1
admin@wrapped address=127.0.2.4
sudoer@wrappedsudo address=127.0.2.4 become=sudo"
eq "login noise: exit 3 (bashrc host has no privilege)" 3 "$?"
for h in bashrc wrapped wrappedsudo; do
	eq "$h: ok" ok "$(status_of "$O" $h)"
	eq "$h: no format problem" null "$(snapshot "$O" $h | jq -c .format_problem)"
	check "$h: every linux-base fact there" test "$(fact "$O" $h os.id)" != null
done
eq ".bashrc: kept as the preamble" '"Welcome to '"$(hostname)"', noisy\nLast backup: yesterday\nno newline here: "' \
	"$(snapshot "$O" bashrc | jq -c .preamble)"
eq "ForceCommand wrapper: kept as the preamble" '"AUDIT: session of admin recorded\n"' "$(snapshot "$O" wrapped | jq -c .preamble)"
eq "wrapper under sudo: the preamble, the marker not in it" '"AUDIT: session of sudoer recorded\n"' "$(snapshot "$O" wrappedsudo | jq -c .preamble)"
eq "wrapper under sudo: root" 0 "$(record "$O" wrappedsudo .uid)"

# --- 6. accounts that cannot run commands -----------------------------------
O=$RH/shells
collect "$O" "falsesh@false address=127.0.2.1
nologin@nologin address=127.0.2.1
noshell@noshell address=127.0.2.1"
eq "shells: exit 3" 3 "$?"
eq "/bin/false: command_failed" command_failed "$(status_of "$O" false)"
check "/bin/false: said what the shell did and what to do" \
	grep -q "the login shell ran nothing and exited with status 1.*/bin/false, nologin or missing.*give it a shell" <<<"$(error_of "$O" false)"
eq "nologin: command_failed" command_failed "$(status_of "$O" nologin)"
check "nologin: its words quoted" grep -q "the collectors did not run (exit status 1, line 1: no collector header.*); the host printed: 'This account is currently not available.'" <<<"$(error_of "$O" nologin)"
eq "a missing shell: sshd refuses the login" auth_failed "$(status_of "$O" noshell)"
check "a missing shell: the message points at the server's log" grep -q "sshd refused the account itself (locked, a missing login shell, AllowUsers)" <<<"$(error_of "$O" noshell)"
check "a missing shell: the log says why" grep -q "noshell not allowed because shell /bin/no-such-shell does not exist" "$RH"/log/sshd_1.log

# --- 7. passwords and keyboard-interactive ----------------------------------
O=$RH/pwnone
collect "$O" "pwonly@pwsrv address=127.0.2.5
pwonly@kbdsrv address=127.0.2.6"
eq "password servers, no password: auth_failed" auth_failed "$(status_of "$O" pwsrv)"
check "the methods the server accepts are named, with what to do" \
	grep -q "^as 'pwonly': the server accepts password,keyboard-interactive; .*--password-env VAR" <<<"$(error_of "$O" pwsrv)"
check "keyboard-interactive only: named" grep -q "the server accepts keyboard-interactive;" <<<"$(error_of "$O" kbdsrv)"
O=$RH/pwok
LOGIN_PW='Login-Pass-Planted-4' collect "$O" "pwonly@pwsrv address=127.0.2.5
pwonly@kbdsrv address=127.0.2.6" --password-env LOGIN_PW
eq "password: exit 0" 0 "$?"
eq "password auth: ok" ok "$(status_of "$O" pwsrv)"
eq "keyboard-interactive auth: ok" ok "$(status_of "$O" kbdsrv)"
eq "the login password is in no output file" "" "$(cd "$O" && { cat run.json; zcat hosts/*.gz; cat "$O.err"; } | grep -l Login-Pass-Planted)"
O=$RH/pwbad
LOGIN_PW='not-the-password' collect "$O" "pwonly@pwsrv address=127.0.2.5
pwonly@kbdsrv address=127.0.2.6" --password-env LOGIN_PW
check "wrong password: refused, said so" grep -q "password refused" <<<"$(error_of "$O" pwsrv)"
check "wrong password, keyboard-interactive: said so" grep -q "keyboard-interactive: password refused" <<<"$(error_of "$O" kbdsrv)"

# --- 8. what libssh2 1.10 cannot do, said as such ---------------------------
O=$RH/rsahost
collect "$O" "admin@rsaonly address=127.0.2.8"
eq "RSA-only host key: unreachable" unreachable "$(status_of "$O" rsaonly)"
check "RSA-only host key: the reason and the fix" \
	grep -q "only host key is RSA: libssh2 1.10 verifies RSA host keys only as ssh-rsa (SHA-1).*ssh-keygen -A" <<<"$(error_of "$O" rsaonly)"
ssh-keygen -q -t ed25519 -N '' -f "$RH/user_ca"
ssh-keygen -q -s "$RH/user_ca" -I admin -n admin "$RH/client/id_ed25519.pub" # writes id_ed25519-cert.pub
O=$RH/certwarn
collect "$O" "admin@certwarn address=127.0.2.1"
check "a certificate beside the key: libssh2 cannot use it, said" \
	grep -q "warning: .*id_ed25519: libssh2 1.10 cannot authenticate with OpenSSH certificates" "$O.err"
eq "a certificate beside the key: the plain key still works" ok "$(status_of "$O" certwarn)"
O=$RH/certid
KEYS="--identity $RH/client/id_ed25519-cert.pub" collect "$O" "admin@certid address=127.0.2.1"
eq "--identity CERT: refused before any host" 1 "$?"
check "--identity CERT: an OpenSSH certificate, which libssh2 1.10 cannot use" \
	grep -q "id_ed25519-cert.pub: an OpenSSH certificate; libssh2 1.10 cannot authenticate with certificates" "$O.err"
rm "$RH/client/id_ed25519-cert.pub"

# --- 9. an agent with more keys than the server's MaxAuthTries --------------
eval "$(ssh-agent -s)" >/dev/null
for i in 1 2 3 4 5 6 7; do
	ssh-keygen -q -t ed25519 -N '' -C "other-$i" -f "$RH/client/other$i"
	ssh-add -q "$RH/client/other$i" 2>/dev/null
done
ssh-add -q "$RH/client/id_ed25519" 2>/dev/null
eq "the agent holds 8 keys, the right one last" 8 "$(ssh-add -l | wc -l)"
O=$RH/agent
KEYS=" " collect "$O" "admin@maxauth address=127.0.2.7"
eq "8 agent keys, MaxAuthTries 6: auth_failed" auth_failed "$(status_of "$O" maxauth)"
check "reported as too many authentication failures, with the way out" \
	grep -q "Too many authentication failures.*MaxAuthTries.*--identity" <<<"$(error_of "$O" maxauth)"
O=$RH/agentpick
KEYS="--identity $RH/client/id_ed25519.pub" collect "$O" "admin@maxauth address=127.0.2.7"
eq "--identity KEY.pub picks the agent key: ok" ok "$(status_of "$O" maxauth)"
mv "$RH/client/id_ed25519" "$RH/client/id_ed25519.away"
O=$RH/agentfile
KEYS="--identity $RH/client/other1 --identity $RH/client/other2 --identity $RH/client/id_ed25519.pub" \
	collect "$O" "admin@maxauth address=127.0.2.7"
eq "key files first, then the one agent key: ok" ok "$(status_of "$O" maxauth)"
mv "$RH/client/id_ed25519.away" "$RH/client/id_ed25519"
ssh-agent -k >/dev/null

finish
