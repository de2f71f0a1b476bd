#!/bin/bash
# tests/cli/test_review.sh - tsam-review over the bundled examples (built by
# examples/generate.sh from the committed seed snapshots): every customer's
# PDF and every TSAM's summary, figures equal to the JSON they came from in
# both languages; one customer's failure leaves the others done; portfolio
# errors name the file and the entry.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$TSAM_BIN/tsam-review
export SOURCE_DATE_EPOCH=1795651200

"$R" --help >/dev/null
eq "--help" 0 "$?"
"$R" x --out y 2>/dev/null
eq "no --quarter: usage" 2 "$?"
"$R" x --out y --quarter 2026Q9 2>/dev/null
eq "bad quarter: usage" 2 "$?"

# portfolio errors
bad() {
	printf '%s' "$1" >"$T/p.json"
	"$R" "$T/p.json" --quarter 2026Q3 --out "$T/o" 2>"$T/err"
	eq "$2: error" 1 "$?"
	check "$2: says '$3'" grep -qF -- "$3" "$T/err"
}
bad '{"schema":"x"}' "wrong schema" "p.json: schema must be tsamkit-portfolio/1"
bad '{"schema":"tsamkit-portfolio/1","tsams":[{"id":"a","name":"A"}],"customers":[{"id":"c","name":"C","tier":"gold","tsam":"a"}]}' \
	"bad tier" 'customers[0].tier: "gold"'
bad '{"schema":"tsamkit-portfolio/1","tsams":[{"id":"a","name":"A"}],"customers":[{"id":"c","name":"C","tier":"premium","tsam":"b"}]}' \
	"unknown TSAM" 'customers[0].tsam: "b" is not one of tsams[].id'
bad '{"schema":"tsamkit-portfolio/1","tsams":[{"id":"a","name":"A"}],"customers":[{"id":"c","name":"C","tier":"premium","tsam":"a"},{"id":"c","name":"D","tier":"premium","tsam":"a"}]}' \
	"duplicate customer" 'customers[1].id: "c" again (customers[0])'
bad '{"schema":"tsamkit-portfolio/1","tsams":[{"id":"../x","name":"A"}],"customers":[]}' \
	"unsafe id" 'tsams[0].id: "../x" is not'

# the examples, from the committed seed
# the demo, generated once by the demo_examples test (a copy of its own,
# 12 MB), else here
if [ -n "${TSAM_DEMO:-}" ] && [ -s "$TSAM_DEMO/portfolio.json" ]; then
	cp -a "$TSAM_DEMO" "$T/ex" 2>"$T/gen.err"
else
	bash "$TSAM_SRC/examples/generate.sh" "$T/ex" 2>"$T/gen.err"
fi
eq "generate: exit 0" 0 "$?"
check "generate: 8 fleets" test "$(ls "$T/ex/fleets" | wc -l)" -eq 8
# the services of a tier are the vendor's (sla/policy.json "services"):
# umbrella (premium) gets the health check through its own policy
cat >"$T/ex/umbrella-policy.json" <<'EOF2'
{ "schema": "tsamkit-sla-policy/1", "services": { "premium": ["sla", "health_check"] } }
EOF2
jq '(.customers[] | select(.id == "umbrella")).policy = "umbrella-policy.json"' "$T/ex/portfolio.json" >"$T/ex/p2.json" &&
	mv "$T/ex/p2.json" "$T/ex/portfolio.json"
"$R" "$T/ex/portfolio.json" --quarter 2026Q3 --out "$T/out" 2>"$T/err"
eq "examples: exit 0" 0 "$?"
O=$T/out
eq "examples: every customer done" 8 "$(jq '[.customers[] | select(.status == "ok")] | length' "$O/index.json")"
eq "examples: three summaries" 3 "$(jq '[.tsams[] | select(.summary_pdf)] | length' "$O/index.json")"
check "examples: output private" test "$(stat -c %a "$O")" = 700
for row in $(jq -r '.customers[] | "\(.tsam)/\(.id)/\(.language)/\(.tier)"' "$O/index.json"); do
	IFS=/ read -r tsam id lang tier <<<"$row"
	base=$O/$tsam/$id-2026Q3
	check "$id: qpdf --check" sh -c "qpdf --check '$base.pdf' >/dev/null"
	pdftotext -layout "$base.pdf" "$T/t.txt" 2>/dev/null
	check "$id: cases opened as in stats" grep -qE "\b$(jq .counts.opened "$base-stats.json")\b" "$T/t.txt"
	if [ "$tier" != standard ]; then # only Premium and Platinum have an SLA
		check "$id: targets missed as in stats" grep -qE "\b$(jq .breaches_total "$base-stats.json")\b" "$T/t.txt"
	else
		check "$id: no SLA section" sh -c "! grep -qE 'SLA attainment|SLA 達成状況' '$T/t.txt'"
	fi
	# the health check is a Platinum service (and umbrella's, by its policy)
	if [ "$tier" = platinum ] || [ "$id" = umbrella ]; then
		check "$id: fleet score as in findings" grep -qE "\b$(jq .fleet.score "$base-findings.json")\b" "$T/t.txt"
		check "$id: findings follow docs/findings.schema.json" /usr/bin/python3 "$TSAM_SRC/tests/validate-json.py" \
			"$TSAM_SRC/docs/findings.schema.json" "$base-findings.json"
	else
		check "$id ($tier): no health check" test ! -e "$base-findings.json"
	fi
	check "$id: stats follow docs/stats.schema.json" /usr/bin/python3 "$TSAM_SRC/tests/validate-json.py" \
		"$TSAM_SRC/docs/stats.schema.json" "$base-stats.json"
	# the quarterly review is a Platinum service; the others get a report
	if [ "$lang" = ja ]; then
		check "$id: Japanese" grep -q "$([ "$tier" = platinum ] && echo 四半期レビュー || echo 四半期サポートレポート)" "$T/t.txt"
	else
		check "$id: English" grep -q "$([ "$tier" = platinum ] && echo 'Quarterly review' || echo 'Quarterly support report')" "$T/t.txt"
	fi
done
pdftotext -layout "$O/smith/portfolio-2026Q3.pdf" "$T/s.txt" 2>/dev/null
check "summary lists the TSAM's customers" grep -q "Globex Ltd" "$T/s.txt"
eq "summary: the quarter in its title (document information)" "Title:           Jane Smith Portfolio summary 2026Q3" \
	"$(pdfinfo "$O/smith/portfolio-2026Q3.pdf" 2>/dev/null | grep '^Title:')"
check "summary: the score and last year's" grep -qE "$(jq -r '.customers[] | select(.id == "globex") | "\(.score_last_year) → \(.score)"' "$O/index.json")" "$T/s.txt"
check "expired waiver in acme's report" grep -q "期限切れ" <(pdftotext "$O/yamada/acme-2026Q3.pdf" - 2>/dev/null)
# endpoints collected without enough privilege (the ops0001 seed)
eq "umbrella: hosts collected without privilege counted" 4 "$(jq '.customers[] | select(.id == "umbrella") | .hosts_limited' "$O/index.json")"
eq "acme: none" 0 "$(jq '.customers[] | select(.id == "acme") | .hosts_limited' "$O/index.json")"
check "umbrella's review lists them, with what to do" grep -q "ops0007 — spl: installed" <(pdftotext "$O/tanaka/umbrella-2026Q3.pdf" - 2>/dev/null)

# one customer failing leaves the others done, and says why
jq '.customers[1].cases = "cases/nowhere.csv"' "$T/ex/portfolio.json" >"$T/ex/broken.json"
"$R" "$T/ex/broken.json" --quarter 2026Q3 --out "$T/out2" 2>"$T/err"
eq "one failure: exit 3" 3 "$?"
eq "the others are done" 7 "$(jq '[.customers[] | select(.status == "ok")] | length' "$T/out2/index.json")"
check "the failure names the file" grep -q "sakura-bank.*nowhere.csv" "$T/err"
check "the summary says so" grep -q "処理できませんでした" <(pdftotext "$T/out2/yamada/portfolio-2026Q3.pdf" - 2>/dev/null)
# the same inputs give the same PDF
"$R" "$T/ex/portfolio.json" --quarter 2026Q3 --out "$T/out3" --quiet 2>/dev/null
check "deterministic" cmp -s "$O/tanaka/umbrella-2026Q3.pdf" "$T/out3/tanaka/umbrella-2026Q3.pdf"
# issue 14: output names are checked on the final file names, ignoring
# case, before anything is written: a customer "portfolio" would be its
# TSAM's summary
jq '.customers[0].id = "portfolio"' "$T/ex/portfolio.json" >"$T/ex/clash.json"
"$R" "$T/ex/clash.json" --quarter 2026Q3 --out "$T/out-clash" 2>"$T/err"
eq "customer \"portfolio\": refused" 1 "$?"
check "names both entries and the file" grep -qF 'clash.json: customers[0] "portfolio" and tsams[0] "yamada" (its summary) would both write OUT/yamada/portfolio-2026Q3.pdf' "$T/err"
check "nothing written" test ! -e "$T/out-clash"
# fees: finite, 0 to 10^12 (the SLA engine's bound), named with the customer
for fee in 1e308 1e13 -1 NaN Infinity '"4500000"'; do
	sed "s/\"fee\": 12000000/\"fee\": $fee/" "$T/ex/portfolio.json" >"$T/ex/fee.json"
	"$R" "$T/ex/fee.json" --quarter 2026Q3 --out "$T/out-fee" 2>"$T/err"
	eq "fee $fee: refused" 1 "$?"
	check "fee $fee: names the customer and key" grep -qF 'fee.json: customers[1].fee (customer "sakura-bank"): must be a number from 0 to 1000000000000' "$T/err"
done
# names with control characters are refused with their place, never cut
jq '.customers[2].name = "日本ロジ\u0000スティクス"' "$T/ex/portfolio.json" >"$T/ex/nul.json"
"$R" "$T/ex/nul.json" --quarter 2026Q3 --out "$T/out-nul" 2>"$T/err"
eq "a name with U+0000: refused" 1 "$?"
check "says where" grep -qF 'nul.json: customers[2].name: holds the control character U+0000 at byte 12' "$T/err"
jq '.tsams[1].name = "\u001b]0;owned\u0007"' "$T/ex/portfolio.json" >"$T/ex/esc.json"
"$R" "$T/ex/esc.json" --quarter 2026Q3 --out "$T/out-esc" 2>"$T/err"
eq "a TSAM name with ESC: refused" 1 "$?"
check "says where" grep -qF 'esc.json: tsams[1].name: holds the control character U+001B at byte 0' "$T/err"

# one customer and its TSAM, for the runs below
jq '.customers = [.customers[0]] | .tsams = [.tsams[0]]' "$T/ex/portfolio.json" >"$T/ex/one.json"
# only the TSAM's summary fails (its file cannot be written): the summary
# line and index.json say exactly that
mkdir -p "$T/out-sum/yamada/portfolio-2026Q3.pdf/blocked"
"$R" "$T/ex/one.json" --quarter 2026Q3 --out "$T/out-sum" 2>"$T/err"
eq "summary failed: exit 3" 3 "$?"
check "summary line: customers all done" grep -qF 'tsam-review: 1 customer: 1 done, 0 failed; 1 TSAM summary: 0 done, 1 failed (yamada)' "$T/err"
eq "index: customer ok" ok "$(jq -r '.customers[0].status' "$T/out-sum/index.json")"
eq "index: the summary failed" failed "$(jq -r '.tsams[0].status' "$T/out-sum/index.json")"
check "index: with its error" grep -q "portfolio-2026Q3.pdf" <(jq -r '.tsams[0].error' "$T/out-sum/index.json")
eq "index: outcome" '1 0 [] 0 1 ["yamada"]' "$(jq -c '.outcome | "\(.customers_done) \(.customers_failed) \(.failed_customers) \(.summaries_done) \(.summaries_failed) \(.failed_summaries)"' -r "$T/out-sum/index.json")"
# last year's findings are validated like any findings.json: that
# customer fails, naming the file and the key
jq '.fleet.score = "high"' "$T/ex/previous/acme-2025.json" >"$T/ex/previous/bad-2025.json"
jq '.customers[0].previous_findings = "previous/bad-2025.json"' "$T/ex/one.json" >"$T/ex/prev.json"
"$R" "$T/ex/prev.json" --quarter 2026Q3 --out "$T/out-prev" 2>"$T/err"
eq "bad previous findings: exit 3" 3 "$?"
check "names the file and key" grep -qF 'bad-2025.json: fleet.score: must be a number from 0 to 100 or null' "$T/err"
check "summary line" grep -qF '1 customer: 0 done, 1 failed (acme); 1 TSAM summary: 1 done, 0 failed' "$T/err"
# the TSAM's portfolio summary is the vendor's own: marked internal
pdftotext "$O/yamada/portfolio-2026Q3.pdf" "$T/pf-ja.txt" 2>/dev/null
check "portfolio: marked 社内限り" grep -q '社内限り' "$T/pf-ja.txt"
check "portfolio: not marked as the customer's" sh -c "! grep -q '様限り' '$T/pf-ja.txt'"
check "a customer's review still 株式会社アクメ様限り" grep -q '株式会社アクメ様限り' <(pdftotext "$O/yamada/acme-2026Q3.pdf" - 2>/dev/null)
# the Japanese portfolio's short words whole: tier names and headers
pdftotext -layout "$O/tanaka/portfolio-2026Q3.pdf" "$T/pf-tanaka.txt" 2>/dev/null
for w in スタンダード プレミアム 応答達成率 目標未達 クレジット; do
	check "portfolio (ja): '$w' whole" grep -q "$w" "$T/pf-tanaka.txt"
done
finish
