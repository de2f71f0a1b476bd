#!/bin/bash
# tests/ssh/test_review.sh - end to end: a loopback fleet (real sshd) is
# collected, then tsam-review runs checks, case statistics and reports for
# two customers (one Japanese, one English) over that run; the figures in
# each PDF's text equal those of the JSON it was made from.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
# the slow host takes a few seconds (2 s per hostname call)
fleet_populate() {
	[ "$1" = slow ] && printf '#!/bin/sh\nsleep 2\ncat /etc/hostname\n' >"$2/usr/local/bin/hostname"
	return 0
}
fleet_init review
fleet_add sav savok 2
fleet_add sav-stale savold01
fleet_add spl splok 2
fleet_add spl-bad splbad01
fleet_add ok plain01
fleet_add refused gone01
fleet_add slow slow01
fleet_start
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$FLEET/run" --known-hosts "$FLEET/known_hosts" \
	--identity "$FLEET/client/id_ed25519" --no-agent -u "$FLEET_USER" --quiet
eq "collect: one host unreachable" 3 "$?"
D=$TSAM_SRC/tests/data/cases
P=$FLEET/portfolio.json
cat >"$P" <<JSON
{"schema": "tsamkit-portfolio/1",
 "tsams": [{"id": "yamada", "name": "山田 花子", "email": "hanako@example.com", "language": "ja"},
           {"id": "smith", "name": "Jane Smith", "email": "jane@example.com", "language": "en"}],
 "customers": [
  {"id": "acme", "name": "株式会社アクメ", "tier": "platinum", "tsam": "yamada", "snapshots": "$FLEET/run",
   "cases": "$D/cases.csv", "events": "$D/events.csv", "cases_customer": "acme", "fee": 3000000},
  {"id": "globex", "name": "Globex Ltd", "tier": "platinum", "language": "en", "calendar": "japan", "tsam": "smith",
   "snapshots": "$FLEET/run", "cases": "$D/cases.csv", "events": "$D/events.csv", "cases_customer": "acme",
   "fee": 20000, "currency": "GBP"}
 ]}
JSON
# review PORTFOLIO OUT [ARGS]: tsam-review for 2026Q3 as of 5 October,
# reproducible bytes, its stderr shown after it
review() {
	local p=$1 o=$2 rc
	shift 2
	SOURCE_DATE_EPOCH=1795651200 "$TSAM_BIN/tsam-review" "$p" --quarter 2026Q3 --out "$o" \
		--as-of 2026-10-05T00:00:00Z "$@" 2>"$o.err"
	rc=$?
	cat "$o.err"
	return $rc
}
O=$FLEET/out
review "$P" "$O"
eq "review: exit 0" 0 "$?"
for c in yamada/acme smith/globex; do
	pdf=$O/$c-2026Q3.pdf
	st=$O/$c-2026Q3-stats.json
	fi=$O/$c-2026Q3-findings.json
	check "$c: PDF" test -s "$pdf"
	check "$c: qpdf --check" sh -c "qpdf --check '$pdf' >/dev/null"
	pdftotext -layout "$pdf" "$FLEET/t.txt" 2>/dev/null
	eq "$c: findings from the fleet" 8 "$(jq .fleet.hosts_checked "$fi")"
	eq "$c: the unreachable host apart" 1 "$(jq .fleet.hosts_uncollected "$fi")"
	check "$c: fleet score in the PDF ($(jq .fleet.score "$fi"))" grep -q "$(jq .fleet.score "$fi")" "$FLEET/t.txt"
	check "$c: cases opened in the PDF" grep -qE "\b$(jq .counts.opened "$st")\b" "$FLEET/t.txt"
	check "$c: targets missed in the PDF" grep -qE "\b$(jq .breaches_total "$st")\b" "$FLEET/t.txt"
	check "$c: the unreachable host listed" grep -q "gone01" "$FLEET/t.txt"
	check "$c: the stale host's finding" grep -q "savold01" "$FLEET/t.txt"
done
check "ja report in Japanese" grep -q "四半期レビュー" <(pdftotext "$O/yamada/acme-2026Q3.pdf" - 2>/dev/null)
check "en report in English" grep -q "Quarterly review" <(pdftotext "$O/smith/globex-2026Q3.pdf" - 2>/dev/null)
check "credits in pounds (fee 20,000 GBP: 2.0 % = £400)" grep -qF "2.0 % of the quarterly fee (£400)" <(pdftotext "$O/smith/globex-2026Q3.pdf" - 2>/dev/null)
check "summary per TSAM" test -s "$O/yamada/portfolio-2026Q3.pdf" -a -s "$O/smith/portfolio-2026Q3.pdf"
eq "index: both done" "ok ok" "$(jq -r '[.customers[].status] | join(" ")' "$O/index.json")"

# --collect: tsam-review collects the fleet itself (the library's engine)
jq --arg inv "$FLEET/inventory" --arg kh "$FLEET/known_hosts" --arg id "$FLEET/client/id_ed25519" \
	--arg u "$FLEET_USER" '.customers |= map(del(.snapshots) + {inventory: $inv, known_hosts: $kh, identity: $id, user: $u})' \
	"$P" >"$FLEET/collect.json"
O2=$FLEET/out2
review "$FLEET/collect.json" "$O2" --collect
eq "review --collect: exit 0" 0 "$?"
R2=$O2/yamada/acme-2026Q3-run
eq "collected: 8 ok" 8 "$(jq '[.hosts[] | select(.status == "ok")] | length' "$R2/run.json")"
eq "collected: gone01 unreachable" unreachable "$(jq -r '.hosts[] | select(.name == "gone01") | .status' "$R2/run.json")"
eq "same findings as from tsam-collect's run" "$(jq -c '.fleet' "$O/yamada/acme-2026Q3-findings.json")" \
	"$(jq -c '.fleet' "$O2/yamada/acme-2026Q3-findings.json")"
check "--collect: the PDF" sh -c "qpdf --check '$O2/smith/globex-2026Q3.pdf' >/dev/null"
jq '.customers[0].inventory = "/nonexistent/inventory"' "$FLEET/collect.json" >"$FLEET/collect-bad.json"
review "$FLEET/collect-bad.json" "$FLEET/out3" --collect
eq "a customer whose collection cannot start: exit 3" 3 "$?"
check "says why" grep -q "acme: error: collection failed: .*nonexistent" "$FLEET/out3.err"
eq "the other customer is done" ok "$(jq -r '.customers[] | select(.id == "globex") | .status' "$FLEET/out3/index.json")"

# Several fleets in one SSH window, each host with its own customer's
# known_hosts and key: acme (ed25519 key, known_hosts of its own hosts
# only), globex (another, ECDSA key; its own known_hosts), initech (the
# same hosts as globex with a key the hosts do not accept). A mix-up of
# keys or known_hosts between customers fails hosts that should pass.
ssh-keygen -q -t ecdsa -N '' -f "$FLEET/client/id_b"
ssh-keygen -q -t ed25519 -N '' -f "$FLEET/client/id_c"
cat "$FLEET/client/id_b.pub" >>"$FLEET/keys/authorized_keys"
hostpub=$(cut -d' ' -f1,2 "$FLEET/etc/ssh_host_ed25519_key.pub")
split_fleet() { # NAME REGEX: NAME.inv, NAME.kh with the matching hosts
	grep -E "^($2)[:[:space:]]" "$FLEET/inventory" >"$FLEET/$1.inv"
	: >"$FLEET/$1.kh"
	while read -r host kind addr port; do
		[[ $host =~ ^($2)$ && $kind != refused ]] && echo "[$addr]:$port $hostpub" >>"$FLEET/$1.kh"
	done <"$FLEET/hostlist"
}
split_fleet a 'savok0001|savok0002|savold01|plain01|slow01'
split_fleet b 'splok0001|splok0002|splbad01|gone01'
eq "split: 5 + 4 hosts" "5 4" "$(wc -l <"$FLEET/a.inv") $(wc -l <"$FLEET/b.inv")"
jq --arg f "$FLEET" --arg u "$FLEET_USER" '
	.customers = [(.customers[0] | del(.snapshots) + {inventory: ($f + "/a.inv"), known_hosts: ($f + "/a.kh"),
			identity: ($f + "/client/id_ed25519"), user: $u}),
		(.customers[1] | del(.snapshots) + {inventory: ($f + "/b.inv"), known_hosts: ($f + "/b.kh"),
			identity: ($f + "/client/id_b"), user: $u}),
		(.customers[1] | del(.snapshots) + {id: "initech", name: "Initech", inventory: ($f + "/b.inv"),
			known_hosts: ($f + "/b.kh"), identity: ($f + "/client/id_c"), user: $u})]' \
	"$P" >"$FLEET/shared.json"
O4=$FLEET/out4
review "$FLEET/shared.json" "$O4" --collect
eq "shared window: exit 0" 0 "$?"
st() { jq -r '[.hosts[] | .name + "=" + .status] | sort | join(" ")' "$O4/$1-2026Q3-run/run.json"; }
eq "acme: its key, its known_hosts" \
	"plain01=ok savok0001=ok savok0002=ok savold01=ok slow01=ok" "$(st yamada/acme)"
eq "globex: its ECDSA key, its known_hosts" \
	"gone01=unreachable splbad01=ok splok0001=ok splok0002=ok" "$(st smith/globex)"
eq "initech: its unaccepted key fails alone" \
	"gone01=unreachable splbad01=auth_failed splok0001=auth_failed splok0002=auth_failed" "$(st smith/initech)"
check "initech's reason names the key" grep -q "id_c" <(jq -r '.hosts[].error' "$O4/smith/initech-2026Q3-run/run.json")
# one window: globex's hosts started while acme's slow host was still running
epoch() { date -d "$1" +%s; }
slow_start=$(epoch "$(jq -r '.hosts[] | select(.name == "slow01") | .started' "$O4/yamada/acme-2026Q3-run/run.json")")
slow_dur=$(jq -r '.hosts[] | select(.name == "slow01") | .duration | floor' "$O4/yamada/acme-2026Q3-run/run.json")
b_start=$(epoch "$(jq -r '[.hosts[] | select(.name == "splok0001") | .started] | first' "$O4/smith/globex-2026Q3-run/run.json")")
check "slow01 is slow (${slow_dur} s)" test "$slow_dur" -ge 3
check "globex started at most 1 s after acme's slow host (${b_start} vs ${slow_start})" test $((b_start - slow_start)) -le 1
check "initech: a report from what could be collected" test -s "$O4/smith/initech-2026Q3.pdf"
finish
