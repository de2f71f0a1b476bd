#!/bin/bash
# tests/cli/test_report.sh - tsam-report checked with real PDF tools: qpdf
# --check, pdffonts (every face embedded, at most two), pdftotext (the
# figures of stats.json and findings.json, Japanese strings, section
# order), pdftotext -bbox (no word outside the page's text area),
# pdftoppm (every page renders); deterministic bytes under
# SOURCE_DATE_EPOCH; template and catalogue errors named before drawing.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$TSAM_BIN/tsam-report
D=$TSAM_SRC/tests/data
export SOURCE_DATE_EPOCH=1795651200

"$R" --help >/dev/null
eq "--help" 0 "$?"
"$R" --customer x -o y 2>/dev/null
eq "no --lang: usage" 2 "$?"
"$R" --customer x -o y --lang fr 2>/dev/null
eq "bad --lang: usage" 2 "$?"
"$R" --check
eq "bundled template and catalogues are valid" 0 "$?"

# stats from the hand-checked fixture
"$TSAM_BIN/tsam-cases" --cases "$D/cases/cases.csv" --events "$D/cases/events.csv" --quarter 2026Q3 \
	--customer acme --as-of 2026-10-05T00:00:00Z --fee 3000000 -o "$T/stats.json" --quiet 2>/dev/null
for lang in ja en; do
	"$R" --customer "$D/report/customer.json" --stats "$T/stats.json" --findings "$D/report/findings.json" \
		--lang $lang -o "$T/$lang.pdf" 2>"$T/err"
	eq "$lang: exit 0" 0 "$?"
	P=$T/$lang.pdf
	check "$lang: 0600" test "$(stat -c %a "$P")" = 600
	check "$lang: qpdf --check" sh -c "qpdf --check '$P' >/dev/null"
	pdffonts "$P" 2>/dev/null | tail -n +3 >"$T/fonts"
	check "$lang: at least one face" test -s "$T/fonts"
	eq "$lang: every face embedded and subset" "" "$(awk '$(NF-4) != "yes" || $(NF-3) != "yes"' "$T/fonts")"
	check "$lang: at most two faces" test "$(wc -l <"$T/fonts")" -le 2
	pages=$(pdfinfo "$P" 2>/dev/null | awk '/^Pages:/ {print $2}')
	pdftoppm -r 40 -png "$P" "$T/$lang-page" 2>/dev/null
	eq "$lang: every page renders" "$pages" "$(ls "$T/$lang-page"*.png | wc -l)"
	pdftotext -layout "$P" "$T/$lang.txt" 2>/dev/null
	# the figures equal the JSON they came from
	for f in "$(jq .counts.opened "$T/stats.json")" "$(jq .breaches_total "$T/stats.json")"; do
		check "$lang: figure $f present" grep -q "$f" "$T/$lang.txt"
	done
	# money as its reader writes it (yen after the figure in Japanese)
	check "$lang: credits amount" grep -q "$([ $lang = ja ] && echo '60,000円' || echo '¥60,000')" "$T/$lang.txt"
	check "$lang: overall response rate 75.0 %" grep -qE "75.0 ?%" "$T/$lang.txt"
	check "$lang: fleet score" grep -q "71.5" "$T/$lang.txt"
	eq "$lang: breaches listed in stats order" "$(jq -r '[.breaches[].case] | join(" ")' "$T/stats.json")" \
		"$(sed -nE '/^ *(Targets missed|目標を達成できなかった案件) *$/,$p' "$T/$lang.txt" | grep -oE '^ *C[0-9]+ ' | tr -d ' ' | head -n "$(jq '.breaches | length' "$T/stats.json")" | paste -sd' ')"
	check "$lang: customer name" grep -q "株式会社アクメ" "$T/$lang.txt"
	check "$lang: page x / y" grep -qE "(Page 2 of $pages|2 / ${pages}ページ)" "$T/$lang.txt"
	# no word outside the text area (A4, margins 18 mm left/right)
	pdftotext -bbox "$P" "$T/$lang.html" 2>/dev/null
	eq "$lang: no word outside the margins" "" "$(grep -oE 'xMin="[0-9.]+" yMin="[0-9.]+" xMax="[0-9.]+"' "$T/$lang.html" |
		sed 's/[a-zA-Z]*="//g; s/"//g' | awk '$1 < 50 || $3 > 545.3 {print}' | head -3)"
done
order() { for s in "$@"; do grep -n -m1 -- "$s" "$T/ja.txt" | cut -d: -f1; done | paste -sd' '; }
lines=$(order "エグゼクティブサマリー" "インシデントの概況" "SLA 達成状況" "目標を達成できなかった案件" "ヘルスチェックの概要" "データの照合")
eq "ja: sections in the template's order" "$(echo "$lines" | tr ' ' '\n' | sort -n | paste -sd' ')" "$lines"
check "ja: Japanese severity name" grep -q "緊急（1）" "$T/ja.txt"
check "ja: the finding with a long title is kept (ellipsis)" grep -q "SAV-DEFS-002" "$T/ja.txt"
check "en: English section" grep -q "Executive summary" "$T/en.txt"
check "en: outline bookmarks" sh -c "qpdf --json '$T/en.pdf' | grep -q '\"/Outlines\"'"

# the same inputs and SOURCE_DATE_EPOCH give the same bytes
"$R" --customer "$D/report/customer.json" --stats "$T/stats.json" --findings "$D/report/findings.json" \
	--lang ja -o "$T/again.pdf" 2>/dev/null
check "deterministic under SOURCE_DATE_EPOCH" cmp -s "$T/ja.pdf" "$T/again.pdf"

# missing inputs drop their sections with a visible note
"$R" --customer "$D/report/customer.json" --lang en -o "$T/none.pdf" 2>/dev/null
eq "no stats, no findings: exit 0" 0 "$?"
pdftotext "$T/none.pdf" "$T/none.txt" 2>/dev/null
check "note for missing stats" grep -q "No case statistics were given" "$T/none.txt"
check "note for missing findings" grep -q "No health-check findings were given" "$T/none.txt"

# lines a broken quoted field took: their own column in the reconciliation
"$TSAM_BIN/tsam-cases" --cases "$D/cases/broken-quotes.csv" --events "$D/cases/broken-events.csv" --quarter 2026Q3 \
	--as-of 2026-10-05T00:00:00Z -o "$T/lost.json" --quiet 2>/dev/null
for lang in en ja; do
	"$R" --customer "$D/report/customer.json" --stats "$T/lost.json" --lang $lang -o "$T/lost-$lang.pdf" 2>/dev/null
	eq "lost lines ($lang): rendered" 0 "$?"
	pdftotext -layout "$T/lost-$lang.pdf" "$T/lost-$lang.txt" 2>/dev/null
done
check "lost lines: the column (en)" grep -q "Lost lines" "$T/lost-en.txt"
check "lost lines: the column (ja)" grep -q "失われた行" "$T/lost-ja.txt"
check "lost lines: cases row read 8 = 4 used + 2 rejected + 0 + 2 lost" \
	grep -qE 'broken-quotes.csv +8 +4 +2 +0 +2' "$T/lost-en.txt"
check "lost lines: a lost line listed with its reason" grep -q "swallowed by the unclosed quoted" "$T/lost-en.txt"

# many breaches: the table splits across pages and repeats its header
jq '.breaches = [range(0; 120) as $i | .breaches[$i % 7] | .case = "CASE-\($i)-with-a-rather-long-identifier-from-the-ticket-system"] | .breaches_total = 130' \
	"$T/stats.json" >"$T/many.json"
"$R" --customer "$D/report/customer.json" --stats "$T/many.json" --lang en -o "$T/many.pdf" 2>/dev/null
pdftotext -layout "$T/many.pdf" "$T/many.txt" 2>/dev/null
check "split table repeats its header" test "$(grep -c 'Case .*Target .*Severity' "$T/many.txt")" -ge 3
check "says how many are listed" grep -q "120 of 130 listed" "$T/many.txt"
# an id wider than its column wraps inside its cell: whole once the
# cell's lines (consecutive in the content stream) are joined
pdftotext -raw "$T/many.pdf" - 2>/dev/null | tr -d '\n' >"$T/many.raw"
eq "long ids are whole (wrapped in their cell, never cut)" 120 \
	"$(grep -o 'CASE-[0-9]*-with-a-rather-long-identifier-from-the-ticket-system' "$T/many.raw" | wc -l)"
check "no ellipsis anywhere in the table" sh -c "! grep -q '…' '$T/many.txt'"
pdftotext -bbox "$T/many.pdf" "$T/many.html" 2>/dev/null
eq "many: no word outside the margins" "" "$(grep -oE 'xMin="[0-9.]+" yMin="[0-9.]+" xMax="[0-9.]+"' "$T/many.html" |
	sed 's/[a-zA-Z]*="//g; s/"//g' | awk '$1 < 50 || $3 > 545.3 {print}' | head -3)"

# the annual health check from real findings (tests/data/report/README.md):
# rules in detail with the endpoints concerned, fleet rules, the diff with
# last year, waivers, every endpoint
A=$D/report/annual-findings.json
for lang in ja en; do
	"$R" --template annual-health-check --customer "$D/report/customer.json" --findings "$A" \
		--lang $lang -o "$T/hc-$lang.pdf" 2>/dev/null
	eq "annual $lang: exit 0" 0 "$?"
	P=$T/hc-$lang.pdf
	check "annual $lang: qpdf --check" sh -c "qpdf --check '$P' >/dev/null"
	eq "annual $lang: faces embedded" "" "$(pdffonts "$P" 2>/dev/null | tail -n +3 | awk '$(NF-4) != "yes"')"
	pages=$(pdfinfo "$P" 2>/dev/null | awk '/^Pages:/ {print $2}')
	pdftoppm -r 30 -png "$P" "$T/hc-$lang-page" 2>/dev/null
	eq "annual $lang: every page renders" "$pages" "$(ls "$T/hc-$lang-page"*.png | wc -l)"
	pdftotext "$P" "$T/hc-$lang.txt" 2>/dev/null
	for id in $(jq -r '.rules[] | select(.counts.fail > 0) | .id' "$A"); do
		check "annual $lang: failing rule $id explained" grep -q "$id" "$T/hc-$lang.txt"
	done
	for h in $(jq -r '.uncollected[].name' "$A"); do
		check "annual $lang: uncollected $h listed" grep -q "$h" "$T/hc-$lang.txt"
	done
	check "annual $lang: fleet score" grep -q "$(jq .fleet.score "$A")" "$T/hc-$lang.txt"
	check "annual $lang: the waiver's approver" grep -q "佐藤 (CISO)" "$T/hc-$lang.txt"
	pdftotext -bbox "$P" "$T/hc-$lang.html" 2>/dev/null
	eq "annual $lang: no word outside the margins" "" "$(grep -oE 'xMin="[0-9.]+" yMin="[0-9.]+" xMax="[0-9.]+"' "$T/hc-$lang.html" |
		sed 's/[a-zA-Z]*="//g; s/"//g' | awk '$1 < 50 || $3 > 545.3 {print}' | head -3)"
done
check "annual ja: recommendation in Japanese" grep -q "推奨事項" "$T/hc-ja.txt"
check "annual ja: expired waiver" grep -q "期限切れ" "$T/hc-ja.txt"
check "annual ja: why a host was not collected, in Japanese" grep -q "認証エラー" "$T/hc-ja.txt"
check "annual en: ...and in English" grep -q "authentication refused" "$T/hc-en.txt"
check "annual ja: no status code left untranslated" sh -c "! grep -qE 'auth_failed|hostkey_unknown|unreachable' '$T/hc-ja.txt'"
check "annual en: the new failure's host" grep -q "$(jq -r '.diff.new_failures[0].host' "$A")" "$T/hc-en.txt"
check "annual en: rationale" grep -q "Why it matters" "$T/hc-en.txt"

# template and catalogue errors name file and key, and draw nothing
mkdir -p "$T/data/report-templates/messages"
cp "$TSAM_SRC"/report-templates/messages/*.json "$T/data/report-templates/messages/"
jq '.sections = ["cover", "weather"]' "$TSAM_SRC/report-templates/quarterly-review.json" \
	>"$T/data/report-templates/quarterly-review.json"
TSAMKIT_DATADIR=$T/data "$R" --customer "$D/report/customer.json" --lang ja -o "$T/x.pdf" 2>"$T/err"
eq "unknown section: error" 1 "$?"
check "names file and section" grep -q 'quarterly-review.json: sections\[1\]: unknown section "weather"' "$T/err"
check "nothing written" test ! -e "$T/x.pdf"
cp "$TSAM_SRC/report-templates/quarterly-review.json" "$T/data/report-templates/"
jq 'del(.sec_trend)' "$TSAM_SRC/report-templates/messages/en.json" >"$T/data/report-templates/messages/en.json"
TSAMKIT_DATADIR=$T/data "$R" --customer "$D/report/customer.json" --lang ja -o "$T/x.pdf" 2>"$T/err"
eq "a message missing in the other language: error" 1 "$?"
check "names catalogue and key" grep -q 'en.json: message "sec_trend" is missing' "$T/err"
# inputs of the wrong shape are errors naming the file and the key, never
# a crash (issue 14); a present input must be valid, an absent one only
# drops its sections
mkdir -p "$T/in"
rbad() { # rbad WHAT EXPECTED-MESSAGE ARGS...: exit 1, the message, no PDF
	local what=$1 want=$2
	shift 2
	rm -f "$T/bad.pdf"
	"$R" --lang en -o "$T/bad.pdf" "$@" 2>"$T/err"
	eq "$what: exit 1" 1 "$?"
	check "$what: says '$want'" grep -qF -- "$want" "$T/err"
	check "$what: nothing written" test ! -e "$T/bad.pdf"
}
C=$D/report/customer.json
jq -n '{schema: "tsamkit-stats/1"}' >"$T/in/stats.json"
rbad "stats: only its schema" 'stats.json: quarter: is missing' --customer "$C" --stats "$T/in/stats.json"
jq '.hosts = {}' "$D/report/findings.json" >"$T/in/findings.json"
rbad 'findings: "hosts": {}' 'findings.json: hosts: must be a list' --customer "$C" --findings "$T/in/findings.json"
echo '{}' >"$T/in/customer.json"
rbad "customer.json {}" 'customer.json: name: is missing' --customer "$T/in/customer.json"
# the type-mutating fuzzer's findings, one per member it broke
while IFS='|' read -r filter want; do
	jq "$filter" "$T/stats.json" >"$T/in/stats.json"
	rbad "stats: $filter" "stats.json: $want" --customer "$C" --stats "$T/in/stats.json"
done <<'EOF2'
.breaches = "C1"|breaches: must be a list
.breaches[0] = 7|breaches[0]: must be an object
.breaches[0].severity = "1"|breaches[0].severity: must be a whole number from 1 to 4
.breaches[0].overrun_s = 9223372036854775807|breaches[0].overrun_s: must be a whole number
.breaches[0].due = "2026-13-45T25:61:61Z"|breaches[0].due: must be a time
.attainment.response["2"].rate = 7|attainment.response.2.rate: must be a number from 0 to 1
.attainment.update = []|attainment.update: must be an object
.attainment.response["3"].met = -1|attainment.response.3.met: must be a whole number from 0 to 1000000000
.times.response_histogram["1"] = {}|times.response_histogram.1: must be a list
.times.response_histogram["4"] = [1]|times.response_histogram.4: must be a list of 8 to 8 items
.counts.opened = 9223372036854775807|counts.opened: must be a whole number from 0 to 1000000000
.counts.by_month = {"2026-07": {}}|counts.by_month.2026-07.1: is missing
.credits.amount = 1e308|credits.amount: must be a number from 0 to 1000000000000000
.credits.percent = "2"|credits.percent: must be a number from 0 to 100
.trend[1].response_rate = {}|trend[1].response_rate: must be a number from 0 to 1 or null
.flags.severity3_open_too_long = [[]]|flags.severity3_open_too_long[0]: must be a string
.period.zone = "Mars/Olympus"|period.zone: "Mars/Olympus" is not a time zone
.input.rejected_rows = {}|input.rejected_rows: must be a list
EOF2
while IFS='|' read -r filter want; do
	jq "$filter" "$D/report/annual-findings.json" >"$T/in/findings.json"
	rbad "findings: $filter" "findings.json: $want" --customer "$C" --findings "$T/in/findings.json"
done <<'EOF2'
.diff.new_failures = {}|diff.new_failures: must be a list
.diff.hosts_added = [1]|diff.hosts_added[0]: must be a string
.diff.baseline_score = "x"|diff.baseline_score: must be a number from 0 to 100 or null
.fleet.score = 1e308|fleet.score: must be a number from 0 to 100 or null
.rules[0].counts.fail = 9223372036854775807|rules[0].counts.fail: must be a whole number
.rules[0].title = "x"|rules[0].title: must be an object
.hosts[0].results = {}|hosts[0].results: must be a list
.hosts[0].results[0].result = 1|hosts[0].results[0].result: must be one of pass
.fleet_rules[0].observed = []|fleet_rules[0].observed: must be an object
.waivers[0].applied = -1|waivers[0].applied: must be a whole number
.uncollected = [{}]|uncollected[0].name: is missing
EOF2
# json-c reads NaN and Infinity: never a number here
sed 's/"percent": [0-9.]*/"percent": NaN/' "$T/stats.json" >"$T/in/stats.json"
rbad "stats: NaN" 'stats.json: credits.percent: must be a number' --customer "$C" --stats "$T/in/stats.json"
sed 's/"opened": [0-9]*/"opened": Infinity/' "$T/stats.json" >"$T/in/stats.json"
rbad "stats: Infinity" 'stats.json: counts.opened: must be a whole number' --customer "$C" --stats "$T/in/stats.json"
# names are never cut at U+0000, nor carry control characters
printf '{"id": "acme", "name": "ACME\\u0000 Evil Corp"}' >"$T/in/customer.json"
rbad "customer name with U+0000" 'customer.json: name: holds the control character U+0000 at byte 4' --customer "$T/in/customer.json"
printf '{"name": "ACME", "tsam": {"name": "\\u001b[2Jyamada"}}' >"$T/in/customer.json"
rbad "TSAM name with ESC" 'customer.json: tsam.name: holds the control character U+001B' --customer "$T/in/customer.json"
printf '{"name": "AC\xffME"}' >"$T/in/customer.json"
rbad "a name that is not UTF-8" 'customer.json: name: is not valid UTF-8' --customer "$T/in/customer.json"
# findings of an older tsam-check (no hosts_limited, denied, uid, reason,
# capacity wording, last year's score) still render
jq 'del(.fleet.hosts_limited, .diff.baseline_score) | del(.hosts[].denied, .hosts[].uid) |
	del(.hosts[].results[].reason) | del(.fleet_rules[].what, .fleet_rules[].sizing, .fleet_rules[].target)' \
	"$D/report/annual-findings.json" >"$T/in/findings.json"
"$R" --template annual-health-check --customer "$C" --findings "$T/in/findings.json" --lang ja -o "$T/old.pdf" 2>"$T/err"
eq "older findings: exit 0" 0 "$?"
check "older findings: qpdf --check" sh -c "qpdf --check '$T/old.pdf' >/dev/null"
# large but valid figures print as numbers (no inf, no overflow)
jq '.credits.amount = 1e15 | .credits.currency = "USD" | .breaches[0].overrun_s = 100000000000' "$T/stats.json" >"$T/in/stats.json"
"$R" --customer "$C" --stats "$T/in/stats.json" --lang en -o "$T/big.pdf" 2>/dev/null
eq "the largest amount allowed: exit 0" 0 "$?"
pdftotext "$T/big.pdf" "$T/big.txt" 2>/dev/null
check "the amount printed whole, with separators" grep -q '(\$1,000,000,000,000,000)' "$T/big.txt"
check "no inf or nan printed" sh -c "! grep -qiwE 'inf|nan' '$T/big.txt'"

# text reaching the PDF is sanitised in one place (lib/pdf.c): control
# characters are drawn as U+2047 (⁇), never as empty boxes or raw bytes
jq '.breaches[0].case = "C1\u001b[31m" | .input.rejected_rows[0].reason = "bad\u0007row\u0085x\ttab"' \
	"$T/stats.json" >"$T/in/stats.json"
for lang in ja en; do
	"$R" --customer "$C" --stats "$T/in/stats.json" --lang $lang -o "$T/ctl-$lang.pdf" 2>/dev/null
	eq "control characters ($lang): exit 0" 0 "$?"
	check "control characters ($lang): qpdf --check" sh -c "qpdf --check '$T/ctl-$lang.pdf' >/dev/null"
	pdftotext -raw "$T/ctl-$lang.pdf" "$T/ctl.txt" 2>/dev/null
	check "ESC drawn as ⁇ ($lang)" grep -qF 'C1⁇[31m' "$T/ctl.txt"
	check "BEL and U+0085 drawn as ⁇, tab as a space ($lang)" grep -qF 'bad⁇row⁇x tab' "$T/ctl.txt"
	check "no control byte extracted ($lang)" bash -c "! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n\f' <'$T/ctl.txt')"
done
# templates and catalogues are data a TSAM edits: checked by type and range
for f in '.styles.body = 1e308|quarterly-review.json: styles.body: must be a number from 5 to 20' \
	'.page = []|quarterly-review.json: page: must be an object' \
	'.max_rows = 0.5|quarterly-review.json: max_rows: must be a whole number from 1 to 10000' \
	'.sections = ["cover", 7]|quarterly-review.json: sections[1]: must be a string of 1 to 64 bytes'; do
	jq "${f%%|*}" "$TSAM_SRC/report-templates/quarterly-review.json" >"$T/data/report-templates/quarterly-review.json"
	cp "$TSAM_SRC"/report-templates/messages/en.json "$T/data/report-templates/messages/"
	TSAMKIT_DATADIR=$T/data "$R" --customer "$C" --lang ja -o "$T/x.pdf" 2>"$T/err"
	eq "template ${f%%|*}: error" 1 "$?"
	check "template ${f%%|*}: names file and key" grep -qF "${f#*|}" "$T/err"
done
cp "$TSAM_SRC/report-templates/quarterly-review.json" "$T/data/report-templates/"
jq '.sec_trend = {"text": "Trend"}' "$TSAM_SRC/report-templates/messages/en.json" >"$T/data/report-templates/messages/en.json"
TSAMKIT_DATADIR=$T/data "$R" --customer "$C" --lang ja -o "$T/x.pdf" 2>"$T/err"
eq "a message that is not a string: error" 1 "$?"
check "names catalogue and key" grep -qF 'en.json: sec_trend: must be a string' "$T/err"
finish
