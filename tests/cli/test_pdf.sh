#!/bin/bash
# tests/cli/test_pdf.sh - the PDF itself, as viewers and tools read it
# (lib/pdf.c, lib/pdffont.c, lib/ttf.c): qpdf --check without a warning;
# every face embedded and subset, with a ToUnicode CMap (pdffonts), made
# of bfrange/bfchar only, that poppler reads without an error and that
# gives back the Japanese and English text drawn; the embedded TrueType
# files really subset (a few hundred glyphs, cmap of a few KB, post
# format 3, checksums right); /Lang per language; document information
# without stray spaces; PDF 1.4; the same bytes twice; and the size of a
# 20-page Japanese report under 150 KB. tests/cli/pdfcheck.py reads the
# structure through qpdf's JSON.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$TSAM_BIN/tsam-report
D=$TSAM_SRC/tests/data
C=$D/report/customer.json
export SOURCE_DATE_EPOCH=1795651200
for tool in qpdf pdffonts pdftotext jq cc; do
	command -v $tool >/dev/null || {
		echo "skipped: no $tool"
		exit 77
	}
done
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || {
	echo "skipped: no IPAex Gothic"
	exit 77
}

"$TSAM_BIN/tsam-cases" --cases "$D/cases/cases.csv" --events "$D/cases/events.csv" --quarter 2026Q3 \
	--customer acme --as-of 2026-10-05T00:00:00Z --fee 3000000 -o "$T/stats.json" --quiet 2>/dev/null
jq '.period.zone = "America/New_York" | .credits.currency = "USD"' "$T/stats.json" >"$T/stats-us.json"
"$R" --customer "$C" --stats "$T/stats.json" --findings "$D/report/findings.json" --lang ja -o "$T/q-ja.pdf" 2>/dev/null
"$R" --customer "$C" --stats "$T/stats.json" --findings "$D/report/findings.json" --lang en -o "$T/q-en.pdf" 2>/dev/null
"$R" --customer "$C" --stats "$T/stats-us.json" --lang en -o "$T/q-us.pdf" 2>/dev/null
for lang in ja en; do
	"$R" --template annual-health-check --customer "$C" --findings "$D/report/annual-findings.json" \
		--lang $lang -o "$T/hc-$lang.pdf" 2>/dev/null
done
"$R" --customer "$C" --lang en -o "$T/bare.pdf" 2>/dev/null # almost nothing drawn

for P in "$T"/*.pdf; do
	n=$(basename "$P" .pdf)
	qpdf --check "$P" >"$T/check" 2>&1
	eq "$n: qpdf --check" 0 "$?"
	check "$n: qpdf: no warning" sh -c "! grep -qi warning '$T/check'"
	pdffonts "$P" 2>/dev/null | tail -n +3 >"$T/fonts"
	check "$n: faces listed" test -s "$T/fonts"
	eq "$n: every face embedded, subset, with ToUnicode" "" \
		"$(awk '$(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes"' "$T/fonts")"
	pdftotext -layout "$P" "$T/$n.txt" 2>"$T/err"
	eq "$n: poppler reads it without an error" "" "$(cat "$T/err")"
	python3 "$TSAM_SRC/tests/cli/pdfcheck.py" "$P" >"$T/$n.json"
	eq "$n: pdfcheck.py" 0 "$?"
	F=$T/$n.json
	eq "$n: PDF 1.4 (for /Lang)" "1.4" "$(jq -r .version "$F")"
	eq "$n: ToUnicode of bfrange/bfchar only" "" "$(jq -r '.fonts[] | select(.tounicode_bf_only | not) | .name' "$F")"
	eq "$n: font checksums" "" "$(jq -r '.fonts[] | select(.file.checksum_ok | not) | .name' "$F")"
	eq "$n: post format 3 (no glyph names)" "" "$(jq -r '.fonts[] | select(.file.post_format != "0x30000") | .name' "$F")"
	eq "$n: a small cmap" "" "$(jq -r '.fonts[] | select(.file.cmap_bytes > 8192) | .name' "$F")"
	eq "$n: only the tables a PDF needs" "" "$(jq -r '.fonts[] | select(.file.tables - ["OS/2","cmap","cvt ","fpgm","gasp","glyf","head","hhea","hmtx","loca","maxp","name","post","prep"] != []) | .name' "$F")"
	# glyphs: the characters drawn (at most a few hundred) and .notdef
	eq "$n: glyphs of the characters drawn only" "" "$(jq -r '.fonts[] | select(.file.glyphs > .tounicode_cids + 16 or .file.glyphs > 1000) | "\(.name) \(.file.glyphs)"' "$F")"
	eq "$n: document information without stray spaces" "" \
		"$(jq -r '.info | to_entries[] | select(.value | test("^u: |  | $")) | .key' "$F")"
done

# the language of each document
eq "ja: /Lang ja-JP" "u:ja-JP" "$(jq -r .lang "$T/q-ja.json")"
eq "hc-ja: /Lang ja-JP" "u:ja-JP" "$(jq -r .lang "$T/hc-ja.json")"
eq "en (a customer in Japan): /Lang en-GB" "u:en-GB" "$(jq -r .lang "$T/q-en.json")"
eq "en (an American customer): /Lang en-US" "u:en-US" "$(jq -r .lang "$T/q-us.json")"
eq "title: the quarter, no trailing space" "u:株式会社アクメ 四半期レビュー 2026Q3" "$(jq -r '.info["/Title"]' "$T/q-ja.json")"
eq "a health check's title: no trailing space" "u:株式会社アクメ 年次ヘルスチェック報告書" "$(jq -r '.info["/Title"]' "$T/hc-ja.json")"
eq "ja: one face" 1 "$(jq '.fonts | length' "$T/q-ja.json")"
eq "en: two faces" 2 "$(jq '.fonts | length' "$T/q-en.json")"

# the text comes back as drawn (copy and search): the section headings
# of the catalogue, Japanese and English, and characters of every kind
for lang in ja en; do
	pdftotext -raw "$T/q-$lang.pdf" "$T/raw-$lang.txt" 2>/dev/null
	for k in $(jq -r '.sections[] | select(. != "cover" and . != "toc") | "sec_\(.)"' \
		"$TSAM_SRC/report-templates/quarterly-review.json"); do
		m=$(jq -r --arg k "$k" '.[$k] // empty' "$TSAM_SRC/report-templates/messages/$lang.json")
		[ -n "$m" ] && check "$lang: heading \"$m\" extracted" grep -qF -- "$m" "$T/raw-$lang.txt"
	done
done
check "ja: the customer's name" grep -q "株式会社アクメ" "$T/raw-ja.txt"
check "ja: a severity, full-width brackets" grep -q "緊急（1）" "$T/raw-ja.txt"
check "en: Japanese name in an English report" grep -q "株式会社アクメ" "$T/raw-en.txt"
check "en: the TSAM's name" grep -q "山田 花子" "$T/raw-en.txt"
pdftotext -raw "$T/hc-ja.pdf" "$T/raw-hc.txt" 2>/dev/null
check "hc-ja: the recommendations, Japanese" grep -q "推奨事項" "$T/raw-hc.txt"

# the same bytes twice (two faces, subset on save)
"$R" --customer "$C" --stats "$T/stats.json" --findings "$D/report/findings.json" --lang en -o "$T/again.pdf" 2>/dev/null
check "en: deterministic under SOURCE_DATE_EPOCH" cmp -s "$T/q-en.pdf" "$T/again.pdf"

# sizes: the subset face is a few tens of KB, not libharu's 220 KB
check "ja: quarterly review under 150 KB" test "$(stat -c %s "$T/q-ja.pdf")" -le 150000
check "en: quarterly review under 80 KB" test "$(stat -c %s "$T/q-en.pdf")" -le 80000
check "bare: under 40 KB" test "$(stat -c %s "$T/bare.pdf")" -le 40000

# a 20-page Japanese report (synthetic cases, tables up to 280 rows): at
# most 150 KB for 20 pages
cc -O2 -o "$T/gen-cases" "$TSAM_SRC/bench/gen-cases.c"
"$T/gen-cases" 20000 "$T/c.csv" "$T/e.csv"
"$TSAM_BIN/tsam-cases" --cases "$T/c.csv" --events "$T/e.csv" --quarter 2026Q3 --fee 5000000 \
	-o "$T/s20k.json" --quiet 2>/dev/null
mkdir -p "$T/data/report-templates"
cp -r "$TSAM_SRC/report-templates/." "$T/data/report-templates/"
jq '.max_rows = 280' "$TSAM_SRC/report-templates/quarterly-review.json" >"$T/data/report-templates/quarterly-review.json"
TSAMKIT_DATADIR=$T/data "$R" --customer "$C" --stats "$T/s20k.json" --findings "$D/report/annual-findings.json" \
	--lang ja -o "$T/long.pdf" 2>/dev/null
eq "long: exit 0" 0 "$?"
pages=$(pdfinfo "$T/long.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
bytes=$(stat -c %s "$T/long.pdf")
check "long: at least 18 pages ($pages)" test "$pages" -ge 18
check "long: at most 150 KB a 20 pages ($bytes bytes, $pages pages)" test $((bytes * 20 / pages)) -le 150000
pdftotext "$T/long.pdf" /dev/null 2>"$T/err"
eq "long: poppler reads it without an error" "" "$(cat "$T/err")"
# a font file libharu cannot read (a damaged package): the error says
# which file and why, no PDF is left - a real mount namespace puts
# garbage over the system's font, the machine's own stays untouched
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	head -c 20000 /dev/urandom >"$T/garbage.ttf"
	unshare -m sh -c "mount --bind '$T/garbage.ttf' /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf &&
		exec '$R' --customer '$C' --findings '$D/report/findings.json' --template annual-health-check \
		--lang ja -o '$T/broken-font.pdf'" 2>"$T/font.err"
	eq "a damaged font: exit 1" 1 "$?"
	check "...names the font file and says why" grep -q 'cannot load the fonts /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf: a font libharu cannot use' "$T/font.err"
	check "...no PDF left" test ! -e "$T/broken-font.pdf"
else
	echo "not root or no mount namespaces: the damaged-font case is not tested"
fi
finish
