#!/bin/bash
# tests/ssh/test_review.sh - end to end: a loopback fleet (real sshd) is
# collected, then tsam-review runs checks, case statistics and reports for
# two customers (one Japanese, one English) over that run; the figures in
# each PDF's text equal those of the JSON it was made from.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/fleet.sh"
. "$TSAM_SRC/tests/ssh/lib.sh"
fleet_enter "$@"
fleet_init review
fleet_add sav savok 2
fleet_add sav-stale savold01
fleet_add spl splok 2
fleet_add spl-bad splbad01
fleet_add ok plain01
fleet_add refused gone01
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
  {"id": "globex", "name": "Globex Ltd", "tier": "premium", "language": "en", "calendar": "japan", "tsam": "smith",
   "snapshots": "$FLEET/run", "cases": "$D/cases.csv", "events": "$D/events.csv", "cases_customer": "acme",
   "fee": 20000, "currency": "GBP"}
 ]}
JSON
O=$FLEET/out
SOURCE_DATE_EPOCH=1795651200 "$TSAM_BIN/tsam-review" "$P" --quarter 2026Q3 --out "$O" --as-of 2026-10-05T00:00:00Z 2>"$FLEET/review.err"
eq "review: exit 0" 0 "$?"
cat "$FLEET/review.err"
for c in yamada/acme smith/globex; do
	pdf=$O/$c-2026Q3.pdf
	st=$O/$c-2026Q3-stats.json
	fi=$O/$c-2026Q3-findings.json
	check "$c: PDF" test -s "$pdf"
	check "$c: qpdf --check" sh -c "qpdf --check '$pdf' >/dev/null"
	pdftotext -layout "$pdf" "$FLEET/t.txt" 2>/dev/null
	eq "$c: findings from the fleet" 7 "$(jq .fleet.hosts_checked "$fi")"
	eq "$c: the unreachable host apart" 1 "$(jq .fleet.hosts_uncollected "$fi")"
	check "$c: fleet score in the PDF ($(jq .fleet.score "$fi"))" grep -q "$(jq .fleet.score "$fi")" "$FLEET/t.txt"
	check "$c: cases opened in the PDF" grep -qE "\b$(jq .counts.opened "$st")\b" "$FLEET/t.txt"
	check "$c: targets missed in the PDF" grep -qE "\b$(jq .breaches_total "$st")\b" "$FLEET/t.txt"
	check "$c: the unreachable host listed" grep -q "gone01" "$FLEET/t.txt"
	check "$c: the stale host's finding" grep -q "savold01" "$FLEET/t.txt"
done
check "ja report in Japanese" grep -q "四半期レビュー" <(pdftotext "$O/yamada/acme-2026Q3.pdf" - 2>/dev/null)
check "en report in English" grep -q "Quarterly review" <(pdftotext "$O/smith/globex-2026Q3.pdf" - 2>/dev/null)
check "credits in GBP" grep -q "GBP" <(pdftotext "$O/smith/globex-2026Q3.pdf" - 2>/dev/null)
check "summary per TSAM" test -s "$O/yamada/portfolio-2026Q3.pdf" -a -s "$O/smith/portfolio-2026Q3.pdf"
eq "index: both done" "ok ok" "$(jq -r '[.customers[].status] | join(" ")' "$O/index.json")"
finish
