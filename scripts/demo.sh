#!/bin/bash
# scripts/demo.sh - the README's first command: installs what is needed,
# builds, builds the demo portfolio (examples/generate.sh: 3 TSAMs, 8
# customers, 1,050 endpoints' snapshots, five quarters of case exports)
# and runs the main job on it: tsam-review, which checks every fleet,
# computes every customer's SLA statistics and writes each customer's
# quarterly review and each TSAM's portfolio summary as PDFs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" "$top/build" >/dev/null
bash "$top/examples/generate.sh" "$top/out/examples"
rm -rf "$top/out/review"
rc=0
"$top/build/tools/tsam-review" "$top/out/examples/portfolio.json" --quarter 2026Q3 \
	--out "$top/out/review" || rc=$?
echo >&2
echo "demo: the PDFs (one per customer, one summary per TSAM):" >&2
find "$top/out/review" -name '*.pdf' | sort >&2
echo "demo: the index of the run: $top/out/review/index.json" >&2
exit "$rc"
