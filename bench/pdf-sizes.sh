#!/bin/bash
# bench/pdf-sizes.sh [BUILD_DIR] - pages and bytes of the PDFs a build
# writes: the demo's quarterly reviews and portfolio summaries
# (examples/generate.sh, tsam-review for 2026Q3), the annual health check
# in both languages (tests/data/report), and a 21-page Japanese quarterly
# review (20,000 synthetic cases, tables up to 280 rows). BUILD_DIR's
# tools render them (default: build/); the demo's inputs are made with
# build/. To measure an older revision:
#   git archive REV | tar -x -C /tmp/old && sh scripts/build.sh /tmp/old/build
#   bash bench/pdf-sizes.sh /tmp/old/build
# See BENCHMARKS.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build}/tools
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1795651200
bash "$top/examples/generate.sh" "$W/ex" >/dev/null 2>&1
"$B/tsam-review" "$W/ex/portfolio.json" --quarter 2026Q3 --out "$W/review" --quiet >/dev/null 2>&1 || true
C=$top/tests/data/report/customer.json
F=$top/tests/data/report/annual-findings.json
mkdir -p "$W/hc"
for lang in ja en; do
	"$B/tsam-report" --template annual-health-check --customer "$C" --findings "$F" --lang $lang \
		-o "$W/hc/health-check-$lang.pdf" 2>/dev/null
done
cc -O2 -o "$W/gen-cases" "$top/bench/gen-cases.c"
"$W/gen-cases" 20000 "$W/c.csv" "$W/e.csv"
"$top/build/tools/tsam-cases" --cases "$W/c.csv" --events "$W/e.csv" --quarter 2026Q3 --fee 5000000 \
	-o "$W/s.json" --quiet
mkdir -p "$W/data/report-templates"
cp -r "$(dirname "$B")/../report-templates/." "$W/data/report-templates/" 2>/dev/null ||
	cp -r "$top/report-templates/." "$W/data/report-templates/"
jq '.max_rows = 280' "$W/data/report-templates/quarterly-review.json" >"$W/q.json"
mv "$W/q.json" "$W/data/report-templates/quarterly-review.json"
TSAMKIT_DATADIR=$W/data "$B/tsam-report" --customer "$C" --stats "$W/s.json" --findings "$F" --lang ja \
	-o "$W/hc/long-review-ja.pdf" 2>/dev/null
for f in $(cd "$W/review" && find . -name '*.pdf' | sort) $(cd "$W/hc" && ls); do
	p=$W/review/$f
	[ -f "$p" ] || p=$W/hc/$f
	printf '%-36s %3d pages %8d bytes\n' "${f#./}" "$(pdfinfo "$p" 2>/dev/null | awk '/^Pages:/ {print $2}')" \
		"$(stat -c %s "$p")"
done
