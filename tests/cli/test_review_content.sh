#!/bin/bash
# tests/cli/test_review_content.sh - what the quarterly review meeting asks
# for (issue 17), on the demo portfolio (examples/generate.sh): the quarter
# in brief with the TSAM's paragraph and the next review, contract targets
# beside attainment, the open cases (as many as counts.backlog_end), the
# action register with an item carried over, the credit's computation, the
# CSV files attached to the PDF and equal to stats.json; and the demo's
# figures within the bounds of a competent support organisation, so that
# a regression to the old data (every Platinum customer at the credit cap,
# no executive escalation, urgent status updates 0-18 % on time, last
# year's score exactly 7 lower) fails here.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1795651200

# the demo, generated once by the demo_examples test (a copy of its own,
# 12 MB), else here
if [ -n "${TSAM_DEMO:-}" ] && [ -s "$TSAM_DEMO/portfolio.json" ]; then
	cp -a "$TSAM_DEMO" "$T/ex" 2>"$T/gen.err"
else
	bash "$TSAM_SRC/examples/generate.sh" "$T/ex" 2>"$T/gen.err"
fi
eq "generate: exit 0" 0 "$?"
"$TSAM_BIN/tsam-review" "$T/ex/portfolio.json" --quarter 2026Q3 --out "$T/out" --quiet 2>"$T/err"
eq "review: exit 0" 0 "$?"
O=$T/out

# ---- the demo is believable ----
plat=$(jq '[.customers[] | select(.tier == "platinum")]' "$O/index.json")
check "not every Platinum customer at the credit cap" \
	test "$(jq '[.[] | select(.credits_percent >= 25)] | length' <<<"$plat")" -lt "$(jq length <<<"$plat")"
check "some Platinum customer owes no credit" test "$(jq '[.[] | select(.credits_percent == 0)] | length' <<<"$plat")" -ge 1
for f in "$O"/*/*-2026Q3-stats.json; do
	id=$(basename "$f" -2026Q3-stats.json)
	capped=$(jq '[.trend[] | select(.credit_percent >= 25)] | length' "$f")
	check "$id: at the cap in at most one of five quarters ($capped)" test "$capped" -le 1
	r=$(jq '([.attainment.update[].met] | add) as $m | ([.attainment.update[].missed] | add) as $x | if $m + $x > 0 then ($m * 100 / ($m + $x) | floor) else 100 end' "$f")
	check "$id: status updates on time $r % (>= 85)" test "$r" -ge 85
	r=$(jq '[.trend[] | .response_rate // 1] | add / length * 100 | floor' "$f")
	check "$id: first responses on time over five quarters $r % (>= 90)" test "$r" -ge 90
	eq "$id: open cases listed = counts.backlog_end" "$(jq .counts.backlog_end "$f")" "$(jq .review_detail.open_cases_total "$f")"
	check "$id: stats follow docs/stats.schema.json" /usr/bin/python3 "$TSAM_SRC/tests/validate-json.py" \
		"$TSAM_SRC/docs/stats.schema.json" "$f"
done
ex=$(cat "$O"/*/*-stats.json | jq -s '[.[].escalations[] | select(.level == "executive" and (.status == "met" or .status == "late"))] | length')
check "some executive escalation happened ($ex)" test "$ex" -ge 1
# a credit at its cap (25 %) is the contract's worst case: the SLA light red
eq "a credit at the cap is red" "" "$(jq -r '.customers[] | select(.credits_percent >= 25 and .lights.sla != "red") | .id' "$O/index.json")"
check "(the demo has one: sakura-bank's outage)" test "$(jq '[.customers[] | select(.credits_percent >= 25)] | length' "$O/index.json")" -ge 1
# Platinum at least as good as Premium on average (first responses)
pr=$(jq '[.customers[] | select(.tier == "platinum") | .response_rate] | add / length' "$O/index.json")
pm=$(jq '[.customers[] | select(.tier == "premium") | .response_rate] | add / length' "$O/index.json")
check "Platinum ($pr) at least as good as Premium ($pm)" jq -e -n "$pr >= $pm" >/dev/null
# health: scores move for reasons the diff shows, rules fail on parts of fleets
for f in "$O"/*/*-2026Q3-findings.json; do
	id=$(basename "$f" -2026Q3-findings.json)
	check "$id: the diff has findings fixed" test "$(jq '.diff.fixed | length' "$f")" -ge 1
	d=$(jq '.fleet.score - .diff.baseline_score' "$f")
	check "$id: the score moved by something else than +7 ($d)" test "$d" != 7
	all=$(jq '.fleet.hosts_checked as $n | [.rules[] | select(.counts.fail >= $n and $n > 10)] | length' "$f")
	eq "$id: no rule fails on every endpoint" 0 "$all"
done

# ---- the review's content (acme: Japanese; globex: English) ----
A=$O/yamada/acme-2026Q3
G=$O/smith/globex-2026Q3
pdftotext -layout "$A.pdf" "$T/a.txt" 2>/dev/null
pdftotext -layout "$G.pdf" "$T/g.txt" 2>/dev/null
pdftotext "$A.pdf" "$T/a-raw.txt" 2>/dev/null
tr -d '\n' <"$T/a-raw.txt" >"$T/a-flat.txt"
check "ja: the quarter in brief" grep -q "今四半期の概況" "$T/a.txt"
check "ja: narrative from the figures" grep -q "今四半期にご登録いただいた案件は$(jq .counts.opened "$A-stats.json")件でした" "$T/a.txt"
check "ja: the TSAM's paragraph" grep -q "夜間・休日の一次対応の手順を見直しています" "$T/a-flat.txt"
check "ja: next review date" grep -q "次回の四半期レビュー：2026年12月10日 14:00" "$T/a.txt"
check "en: narrative" grep -q "Cases opened this quarter: $(jq .counts.opened "$G-stats.json")" "$T/g.txt"
check "en: the TSAM's paragraph" grep -q "A steady quarter: first responses on time" "$T/g.txt"
check "en: next review date" grep -q "Next quarterly review: 8 December 2026, 15:00." "$T/g.txt"
# contract targets beside attainment: the urgent response row
check "ja: 1 h target beside its attainment" grep -qE "初回応答（レスポンスタイム）\s+1時間（24時間365日）\s+$(jq '.attainment.response["1"].met' "$A-stats.json")\s+$(jq '.attainment.response["1"].missed' "$A-stats.json")" "$T/a.txt"
# a 24x7 customer's quarter starts at midnight in the portfolio's zone
eq "globex: 2026Q3 from midnight UK time" '["2026-06-30T23:00:00Z","Europe/London"]' "$(jq -c '[.period.start, .period.zone]' "$G-stats.json")"
# a 24x7 customer's support hours are around the clock
check "en: 2 h severity-2 target beside its attainment" grep -qE "First response\s+2 h, around the clock\s+$(jq '.attainment.response["2"].met' "$G-stats.json")\s+$(jq '.attainment.response["2"].missed' "$G-stats.json")" "$T/g.txt"
# the contract's own words beside how they are measured (docs/sla.md as_written)
check "ja: 24 h response is one business day" grep -qE "深刻度 3\s+初回応答（レスポンスタイム）\s+24時間（1営業日として計測）\s" "$T/a.txt"
check "ja: daily updates are one business day" grep -qE "深刻度 2\s+状況報告の頻度\s+毎日（1営業日として計測）\s" "$T/a.txt"
check "ja: after one week" grep -qE "深刻度 3\s+サポートマネージャへのエスカレーション\s+1週間（24時間365日）\s" "$T/a.txt"
check "en: 24 h response on a 24x7 calendar" grep -qE "Severity 3 First response\s+24 h, around the clock\s" "$T/g.txt"
check "en: daily updates on a 24x7 calendar" grep -qE "Severity 2 Status updates\s+daily, around the clock\s" "$T/g.txt"
check "en: after one week" grep -qE "Severity 3 Escalation to support manager\s+1 week, around the clock\s" "$T/g.txt"
n=$(jq .breaches_total "$A-stats.json")
m=$(jq '[.breaches[].case] | unique | length' "$A-stats.json")
check "ja: N targets missed on M cases" grep -q "目標未達は${n}件（${m}案件）でした。" "$T/a.txt"
check "ja: the credit's computation" grep -qE "四半期あたりの上限25.0%を適用し、クレジットは四半期料金4,500,000円の" "$T/a-flat.txt"
# the open cases, each with its status
for c in $(jq -r '.review_detail.open_cases[].case' "$A-stats.json"); do
	check "ja: open case $c listed" grep -q "$c" "$T/a.txt"
done
c=$(jq -r '[.review_detail.open_cases[] | select(.waiting_on == "customer")][0].case' "$A-stats.json")
check "ja: $c waiting for the customer" grep -qE "$c .*お客様の情報待ち.*お客様" "$T/a.txt"
c=$(jq -r '.review_detail.open_cases[0].case' "$G-stats.json")
check "en: open case $c with whose move" grep -qE "$c .*(Ours|Yours)" "$T/g.txt"
# the action register: this quarter's items, one carried over, done ones gone
check "ja: carried-over item, past its due date" grep -qE "期限超過（2026Q2から継続） ?\[A-2026Q2-01\]" "$T/a-flat.txt"
check "ja: item closed this quarter shown done" grep -qE "、完了 ?\[A-2026Q2-02\]" "$T/a-flat.txt"
check "ja: item closed last quarter not shown" sh -c "! grep -q 'A-2026Q1-01' '$T/a-raw.txt'"
check "en: carried-over item" grep -q "open, carried over from 2026Q2. \[G-2026Q2-01\]" "$T/g.txt"
# the sections, in the template's order
prev=0
for s in 今四半期の概況 エグゼクティブサマリー 契約上の目標と達成状況 未解決の案件 アクションアイテム 添付の表; do
	l=$(grep -n "^$s\$" "$T/a-raw.txt" | tail -1 | cut -d: -f1)
	check "ja: section $s present, in order" test "${l:-0}" -gt "$prev"
	prev=${l:-0}
done

# ---- the tables attached as CSV files ----
pdfdetach -list "$G.pdf" >"$T/list" 2>/dev/null
for f in actions.csv attainment.csv case-mix.csv escalations.csv open-cases.csv severity-changes.csv targets-missed.csv trend.csv; do
	check "en: $f attached" grep -q " $f\$" "$T/list"
done
mkdir "$T/att"
pdfdetach -saveall -o "$T/att" "$G.pdf" 2>/dev/null
csv() { sed '1s/^\xef\xbb\xbf//' "$T/att/$1" | tr -d '\r'; }
eq "open-cases.csv: the open cases" "$(jq -r '.review_detail.open_cases[].case' "$G-stats.json")" "$(csv open-cases.csv | tail -n +2 | cut -d, -f1)"
# the tables in the report's language: targets by their names
M=$TSAM_SRC/report-templates/messages/en.json
eq "targets-missed.csv: every breach listed" "$(jq -r --slurpfile m "$M" '.breaches[] | "\(.case),\($m[0]["t_" + .target]),\(.severity)"' "$G-stats.json")" "$(csv targets-missed.csv | tail -n +2 | cut -d, -f1-3)"
eq "escalations.csv: rows" "$(jq '.escalations | length' "$G-stats.json")" "$(csv escalations.csv | tail -n +2 | wc -l)"
eq "attainment.csv: severity-2 updates met,missed" "$(jq -r '.attainment.update["2"] | "\(.met),\(.missed)"' "$G-stats.json")" \
	"$(csv attainment.csv | python3 -c 'import csv, sys; [print(r[3] + "," + r[4]) for r in csv.reader(sys.stdin) if r[:2] == ["2", sys.argv[1]]]' "$(jq -r .t_update "$M")")"
eq "trend.csv: opened per quarter" "$(jq -r '.trend[].counts.opened' "$G-stats.json")" "$(csv trend.csv | tail -n +2 | cut -d, -f2)"
eq "case-mix.csv: products sum to opened" "$(jq .counts.opened "$G-stats.json")" "$(csv case-mix.csv | awk -F, '$1 == "product" {s += $3} END {print s}')"
eq "actions.csv: this quarter's items" "G-2026Q2-01 G-2026Q3-01 G-2026Q3-02" "$(csv actions.csv | tail -n +2 | cut -d, -f1 | xargs)"
# open items past their due date (before the document's date, 2026-11-26
# under SOURCE_DATE_EPOCH) are marked overdue, in the register, the CSV and
# the narrative; one due 2026-12-31 is still open
eq "actions.csv: status open or overdue by due date" "G-2026Q2-01:open G-2026Q3-01:overdue G-2026Q3-02:overdue" \
	"$(csv actions.csv | python3 -c 'import csv, sys; print(" ".join(r[0] + ":" + r[6] for r in list(csv.reader(sys.stdin))[1:]))')"
pdftotext "$G.pdf" - 2>/dev/null | tr '\n' ' ' >"$T/g-flat.txt"
check "en: register: overdue item" grep -q "due 31 October 2026; overdue. \[G-2026Q3-02\]" "$T/g-flat.txt"
check "en: register: item not yet due stays open" grep -q "due 31 December 2026; open, carried over from 2026Q2. \[G-2026Q2-01\]" "$T/g-flat.txt"
# the 95 % line is the vendor's own benchmark, never called a target
check "en: the chart's line is our benchmark" grep -q "dashed line: our own benchmark, 95 %" "$T/g-flat.txt"
eq "no 'target line' in customer text" "" "$(grep -hE 'target line|目標線' "$T/g-flat.txt" "$T/a-flat.txt")"
# nothing rejected: the reconciliation is one sentence, not a table of files
check "en: a whole reconciliation in one sentence" grep -q "Every row of the ticket exports was read and none was rejected: $(jq .input.cases.used "$G-stats.json" | sed 's/\(.\)\(...\)$/\1,\2/') of your cases" "$T/g-flat.txt"
eq "en: no table of files then" "" "$(grep -o 'globex-cases.csv' "$T/g-flat.txt")"
check "en: the quarter as a reader writes it" grep -qE "Quarter +Q3 2026 \(July to September\)" "$T/g.txt"
check "ja: 2026年第3四半期（7〜9月）" grep -qE "対象四半期 +2026年第3四半期（7〜9月）" "$T/a.txt"
eq "en: the next review's date said once" 1 "$(grep -o 'Next quarterly review: 8 December 2026, 15:00.' "$T/g-flat.txt" | wc -l)"
check "en: executive escalations all at the customer's request" grep -q "Escalations that reached the executive manager: 2, all at your request." "$T/g-flat.txt"
# a Standard customer (no SLA) is never told "every target was met"; the
# note on business hours only where a business calendar counts them
eq "standard: no claim about targets" "" "$(pdftotext "$O/smith/hooli-2026Q3.pdf" - 2>/dev/null | grep -i 'every target')"
eq "en (24x7): no note on working hours" "" "$(grep -o 'count only its working hours' "$T/g-flat.txt")"
check "ja (japan calendar): the note on working hours" grep -q "営業時間のみを数える" "$T/a-flat.txt"
# a miss on a business calendar is late by its working time, and says so
check "ja: overruns in working time, said" grep -q "超過時間：サポート時間内で計る目標は期限後の営業時間" "$T/a-flat.txt"
eq "en (24x7): elapsed time, nothing to say" "" "$(grep -o 'the working time of that calendar' "$T/g-flat.txt")"
# a table split across pages carries at least three rows with its header
# (the contract table of globex breaks before severity 4's three rows)
p4=$(pdftotext -layout -f 4 -l 4 "$G.pdf" - 2>/dev/null)
check "a split table: its header and at least three rows on the next page" \
	test "$(grep -c '^Severity 4 ' <<<"$p4")" -ge 3 -a "$(grep -c '^Severity .*Contract target' <<<"$p4")" = 1
# the endpoint list: one row per score and set of failing checks, wherever
# the endpoints stand (sakura-bank: 479 endpoints)
rows=$(pdftotext -layout "$O/yamada/sakura-bank-2026Q3.pdf" - 2>/dev/null | awk '/不合格のチェック/{p=1} p' |
	grep -E '^ *[a-z-]+[0-9]{4}.* +[0-9]+ +[0-9]+ +[0-9]+ +' | sed -E 's/^.* +[0-9]+ +([0-9]+) +[0-9]+ +(.*)$/\1 \2/')
check "sakura-bank: endpoint rows listed" test -n "$rows"
eq "sakura-bank: no two rows alike (score and first failing check)" "" "$(sort <<<"$rows" | uniq -d)"
check "en: the cover's issue date (SOURCE_DATE_EPOCH)" grep -qE "Issued +26 Nov 2026" "$T/g.txt"
check "ja: 発行日" grep -qE "発行日 +2026年11月26日" "$T/a.txt"
check "en: the register's statuses are as of that date" grep -q "Statuses as of the date of this document, 26 Nov 2026." "$T/g-flat.txt"
check "en: narrative counts the overdue actions" grep -q "Open actions: 3, 2 of them past their due date" "$T/g-flat.txt"
check "ja: 期限超過" grep -q "期限：2026年10月15日、期限超過" "$T/a.txt"
check "en: header in English" grep -q "^Case,Target,Severity,Due,Done" <(csv targets-missed.csv)
pdfdetach -list "$A.pdf" >"$T/list" 2>/dev/null
check "ja: 8 attachments" grep -q "^8 embedded files" "$T/list"
pdfdetach -save 5 -o "$T/a-open.csv" "$A.pdf" 2>/dev/null
check "ja: open-cases.csv header in Japanese" grep -q "案件,深刻度" "$T/a-open.csv"
check "ja: open-cases.csv in Japanese, no codes" sh -c "! grep -qE 'in_progress|waiting_customer|awaiting_response|,(vendor|customer)\r?\$' '$T/a-open.csv'"
check "qpdf lists the attachments" sh -c "qpdf --list-attachments '$A.pdf' | grep -q '^open-cases.csv'"
check "qpdf --check" sh -c "qpdf --check '$A.pdf' >/dev/null"

# ---- inputs are checked: a bad action register fails its customer ----
jq '.actions[0].status = "maybe"' "$T/ex/actions/acme.json" >"$T/ex/actions/bad.json"
jq '.customers = [.customers[0]] | .tsams = [.tsams[0]] | .customers[0].actions = "actions/bad.json"' \
	"$T/ex/portfolio.json" >"$T/ex/bad.json"
"$TSAM_BIN/tsam-review" "$T/ex/bad.json" --quarter 2026Q3 --out "$T/out-bad" 2>"$T/err"
eq "bad action register: exit 3" 3 "$?"
check "names the file and the key" grep -q "bad.json: actions\[0\].status" "$T/err"
jq '.customers = [.customers[0]] | .tsams = [.tsams[0]] | .customers[0].next_review = "soon"' \
	"$T/ex/portfolio.json" >"$T/ex/bad2.json"
"$TSAM_BIN/tsam-review" "$T/ex/bad2.json" --quarter 2026Q3 --out "$T/out-bad2" 2>"$T/err"
check "bad next_review: named" grep -q "next_review" "$T/err"
# tsam-report reads them from customer.json, beside it
printf '{"id":"acme","name":"株式会社アクメ","tier":"platinum","next_review":"2026-12-10","actions":"actions/acme.json","narrative":"notes/acme-2026Q3.txt"}' >"$T/ex/customer.json"
"$TSAM_BIN/tsam-report" --customer "$T/ex/customer.json" --stats "$A-stats.json" --lang en -o "$T/r.pdf" 2>/dev/null
eq "tsam-report: exit 0" 0 "$?"
check "tsam-report: the action register from customer.json" grep -q "A-2026Q3-01" <(pdftotext "$T/r.pdf" - 2>/dev/null)
check "tsam-report: next review" grep -q "10 December 2026" <(pdftotext "$T/r.pdf" - 2>/dev/null)
# severity-3 cases open more than 30 days: the customer is told to ask
# for a raise only on those still open at the quarter's end; those
# resolved since are said to be resolved (sakura-bank has only those)
S=$O/yamada/sakura-bank-2026Q3
pdftotext -raw "$S.pdf" - 2>/dev/null | tr -d '\n' >"$T/s.txt"
for c in $(jq -r '.flags.severity3_open_too_long[]' "$S-stats.json"); do
	if jq -e --arg c "$c" '[.review_detail.open_cases[].case] | index($c)' "$S-stats.json" >/dev/null; then
		check "$c (open): may be raised" grep -qE "引き上げを依頼できます）：[^。]*$c" "$T/s.txt"
	else
		check "$c (resolved): said to be resolved, not to be raised" grep -qE "その後解決済み）：[^。]*$c" "$T/s.txt"
	fi
done
# a Standard customer (no SLA): no figures against targets, neither in
# the pages nor in the attached tables; no quarterly review promised
F=$O/tanaka/fuji-medical-2026Q3.pdf
pdfdetach -list "$F" >"$T/f-list" 2>/dev/null
for f in attainment.csv targets-missed.csv escalations.csv trend.csv; do
	check "standard: no $f attached" sh -c "! grep -q ' $f\$' '$T/f-list'"
done
check "standard: the case mix still attached" grep -q ' case-mix.csv$' "$T/f-list"
# a Premium customer has no quarterly review (a Platinum service): its
# next date is the next report's
N=$O/tanaka/nihon-logi-2026Q3.pdf
check "premium: the next report's date" grep -q '次回のご報告：2026年12月17日' <(pdftotext "$N" - 2>/dev/null)
check "premium: no quarterly review promised" sh -c "! pdftotext '$N' - 2>/dev/null | grep -q '次回の四半期レビュー'"
# a health check of a fleet whose disk and load were not measured (the
# seed snapshots, taken before the collectors read them): no "no hardware
# change is needed" - what was not measured is not judged
"$TSAM_BIN/tsam-check" "$TSAM_SRC/examples/seed" -o "$T/seed-f.json" --quiet
printf '{"id":"acme","name":"Acme","tier":"platinum"}' >"$T/acme-c.json"
"$TSAM_BIN/tsam-report" --customer "$T/acme-c.json" --template annual-health-check \
	--findings "$T/seed-f.json" --lang en -o "$T/seed-hc.pdf" 2>/dev/null
pdftotext "$T/seed-hc.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g' >"$T/seed-hc.txt"
check "health check: unmeasured figures are not judged" grep -q 'What could not be measured (below) is not judged' "$T/seed-hc.txt"
check "...and no unqualified 'no hardware change'" sh -c "! grep -q 'no hardware change is needed' '$T/seed-hc.txt'"
# the demo's fleets are measured and vary as fleets do: acme's health check
# gives sizing advice naming the endpoints that fall short, as tsam-check
# found them (a full file system, memory short)
"$TSAM_BIN/tsam-check" "$T/ex/fleets/acme" -o "$T/acme-f.json" --quiet
"$TSAM_BIN/tsam-report" --customer "$T/acme-c.json" --template annual-health-check \
	--findings "$T/acme-f.json" --lang en -o "$T/acme-hc.pdf" 2>/dev/null
pdftotext "$T/acme-hc.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g' >"$T/acme-hc.txt"
# fleet shares per product: the Sophos Protection for Linux endpoints have
# their own (on-access, updates), not hidden in the Sophos Anti-Virus ones
eq "fleet: SPL on-access share over every SPL endpoint" \
	"$(jq '.rules[] | select(.id == "SPL-ONACCESS-001") | .counts | .pass + .fail + .error + .waived' "$T/acme-f.json")" \
	"$(jq '.fleet_rules[] | select(.rule == "FLEET-SPLONACCESS-001") | .hosts' "$T/acme-f.json")"
check "fleet: the SAV share says it is of Sophos Anti-Virus endpoints" grep -q "On-access scanning is off on some Sophos Anti-Virus endpoints" "$T/acme-hc.txt"
# the scope names the endpoints without a Sophos product (the OS checks only)
np=$(jq '[.hosts[] | select(.product == null and (.denied | length) == 0)] | length' "$T/acme-f.json")
check "demo: some acme endpoints have no Sophos product ($np)" test "$np" -ge 1
check "cover: the endpoints without a product, counted" \
	grep -qE "No Sophos product \(OS checks only\) +$np: db[0-9]{4}" <(pdftotext -layout -f 1 -l 1 "$T/acme-hc.pdf" - 2>/dev/null)
fails() { jq -r --arg r "$1" '[.hosts[] | select(any(.results[]; .rule == $r and .result == "fail")) | .name] | join(", ")' "$T/acme-f.json"; }
check "demo: some endpoints short of memory" test -n "$(fails LNX-MEM-002)"
check "demo: a file system over 90 %" test -n "$(fails LNX-DISK-001)"
check "sizing advice names the memory-short endpoints" grep -qF "Less than 512 MiB of memory available — $(fails LNX-MEM-002)." "$T/acme-hc.txt"
check "sizing advice names the full file system" grep -qF "A file system is more than 90 % full — $(fails LNX-DISK-001)." "$T/acme-hc.txt"
# the least headroom: the short of memory, the full disk, then among the
# comfortable the least memory free (not the best-equipped host)
check "least headroom: the tightest first, then the least memory free" \
	sh -c "awk '/Least headroom/{p=1} p' '$T/acme-hc.txt' | grep -qE 'Least headroom .* (web0019|web0036) .* (web0019|web0036) .* app0014 .* db00[0-9]{2} '"
check "the load is measured on every endpoint" grep -qE "15-minute load per CPU [0-9]+ % [0-9]+ % [0-9]+ % $(jq '.hosts | length' "$T/acme-f.json")" "$T/acme-hc.txt"
# a finding on many endpoints names twelve of them, enough to act on, and
# says where every one is (sakura-bank: 479 endpoints)
"$TSAM_BIN/tsam-check" "$T/ex/fleets/sakura-bank" -o "$T/sk-f.json" --quiet
"$TSAM_BIN/tsam-report" --customer "$T/acme-c.json" --template annual-health-check \
	--findings "$T/sk-f.json" --lang en -o "$T/sk-hc.pdf" 2>/dev/null
pdftotext "$T/sk-hc.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g' >"$T/sk-hc.txt"
check "many endpoints: twelve named, the rest counted, where all are" \
	grep -qE '([a-z-]+[0-9]{4}, ){11}[a-z-]+[0-9]{4} and [0-9]+ more \(every one in “Endpoints” at the end\)' "$T/sk-hc.txt"
# the review's health section says when the fleet was collected
check "review: the health figures' date of collection" grep -q '収集日' <(pdftotext "$A.pdf" - 2>/dev/null)
finish
