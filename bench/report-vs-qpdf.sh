#!/bin/bash
# bench/report-vs-qpdf.sh - tsam-report rendering a set of reports (both
# templates, both languages, case statistics of 2,000 / 20,000 / 100,000
# synthetic cases, the demo fleet's real findings) against qpdf
# --recompress-flate rewriting the same PDFs (the cost of just compressing
# and writing those bytes), in one run. Prints pages per second and bytes
# per report. Run scripts/build.sh first. See BENCHMARKS.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1795651200
B=$top/build/tools
cc -O2 -o "$W/gen-cases" "$top/bench/gen-cases.c"
for n in 2000 20000 100000; do
	"$W/gen-cases" "$n" "$W/c$n.csv" "$W/e$n.csv"
	"$B/tsam-cases" --cases "$W/c$n.csv" --events "$W/e$n.csv" --quarter 2026Q3 --fee 5000000 \
		-o "$W/s$n.json" --quiet
done
F=$top/tests/data/report/annual-findings.json
C=$top/tests/data/report/customer.json
jobs=()
for lang in ja en; do
	for n in 2000 20000 100000; do
		jobs+=("--customer $C --stats $W/s$n.json --findings $F --lang $lang -o $W/out/q-$lang-$n.pdf")
	done
	jobs+=("--template annual-health-check --customer $C --findings $F --lang $lang -o $W/out/hc-$lang.pdf")
done
# a long Japanese report: the quarterly review with up to 400 rows a table
mkdir -p "$W/out" "$W/re" "$W/data/report-templates"
cp -r "$top/report-templates/." "$W/data/report-templates/"
jq '.max_rows = 400' "$top/report-templates/quarterly-review.json" >"$W/data/report-templates/quarterly-review.json"
long() { TSAMKIT_DATADIR=$W/data "$B/tsam-report" --customer "$C" --stats "$W/s20000.json" --findings "$F" \
	--lang ja -o "$W/out/q-ja-long.pdf" 2>/dev/null; }
render() {
	for j in "${jobs[@]}"; do "$B/tsam-report" $j 2>/dev/null; done
	long
}
rewrite() { for f in "$W"/out/*.pdf; do qpdf --recompress-flate "$f" "$W/re/$(basename "$f")"; done; }
render # warm the page cache and the fonts
t0=$(date +%s.%N); render; t1=$(date +%s.%N)
rewrite
t2=$(date +%s.%N); rewrite; t3=$(date +%s.%N)
pages=0
for f in "$W"/out/*.pdf; do pages=$((pages + $(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}'))); done
rt=$(echo "$t1 - $t0" | bc -l)
qt=$(echo "$t3 - $t2" | bc -l)
printf '%-44s %6.2f s  %6.1f pages/s\n' "tsam-report ($((${#jobs[@]} + 1)) reports, $pages pages)" "$rt" "$(echo "$pages / $rt" | bc -l)"
printf '%-44s %6.2f s  %6.1f pages/s\n' "qpdf --recompress-flate (same PDFs)" "$qt" "$(echo "$pages / $qt" | bc -l)"
echo "ratio: $(echo "scale=2; $rt / $qt" | bc)x qpdf's time"
for f in "$W"/out/*.pdf; do
	printf '  %-22s %3d pages %7d bytes\n' "$(basename "$f")" "$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')" "$(stat -c %s "$f")"
done
