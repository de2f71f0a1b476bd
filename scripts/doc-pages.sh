#!/bin/bash
# scripts/doc-pages.sh [BUILD] - renders the pages shown in the README and
# docs/ (docs/img/*.png) from the demo: a quarterly review in Japanese
# (sakura-bank, Platinum, its outage quarter) and in English (globex,
# Platinum, UK), and an annual health check of acme in both languages,
# under a fixed SOURCE_DATE_EPOCH so that the same sources give the same
# pages. BUILD is the build directory (default build/). Needs pdftoppm.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build}/tools
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1795651200 TZ=UTC
bash "$top/examples/generate.sh" "$W/ex" >/dev/null 2>&1
"$B/tsam-review" "$W/ex/portfolio.json" --quarter 2026Q3 --out "$W/out" --quiet
# a health check: acme's fleet, this year against last year's findings
"$B/tsam-check" "$W/ex/fleets/acme" -o "$W/acme-findings.json" --quiet \
	--waivers "$W/ex/waivers/acme.json" --baseline "$W/ex/previous/acme-2025.json" || true
printf '{"id": "acme", "name": "株式会社アクメ", "tier": "platinum", "zone": "Asia/Tokyo",
 "tsam": {"name": "山田 花子", "email": "hanako.yamada@example.com"},
 "engineer": {"name": "鈴木 一郎", "email": "ichiro.suzuki@example.com"}}' >"$W/acme.json"
for lang in ja en; do
	"$B/tsam-report" --customer "$W/acme.json" --template annual-health-check \
		--findings "$W/acme-findings.json" --lang $lang -o "$W/hc-$lang.pdf"
done
# page PDF PAGE NAME: one page at 72 dpi into docs/img/NAME.png
page() {
	pdftoppm -png -r 72 -f "$2" -l "$2" -singlefile "$1" "$top/docs/img/$3"
	echo "docs/img/$3.png: page $2 of $(basename "$1")" >&2
}
rm -f "$top"/docs/img/*.png
page "$W/out/yamada/sakura-bank-2026Q3.pdf" 1 quarterly-review-ja-1
page "$W/out/yamada/sakura-bank-2026Q3.pdf" 3 quarterly-review-ja-3
page "$W/out/yamada/sakura-bank-2026Q3.pdf" 4 quarterly-review-ja-4
page "$W/out/smith/globex-2026Q3.pdf" 3 quarterly-review-en-3
page "$W/out/smith/globex-2026Q3.pdf" 4 quarterly-review-en-4
page "$W/hc-ja.pdf" 1 annual-health-check-ja-1
page "$W/hc-ja.pdf" 3 annual-health-check-ja-3
page "$W/hc-en.pdf" 3 annual-health-check-en-3
page "$W/hc-en.pdf" 5 annual-health-check-en-5
page "$W/out/smith/portfolio-2026Q3.pdf" 1 portfolio-summary-en-1
