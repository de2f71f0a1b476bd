#!/bin/bash
# tests/cli/test_report_content.sh - what a customer reads in tsam-report's
# PDFs, read back with pdftotext (issue 17): case ids and names whole
# (never cut with "…"), money and counts per language and currency, one
# value for the overall first-response rate (summary, trend), one
# duration rule, integer count axes, the customer's time zone, the
# sections a tier gets (SLA only for Premium and Platinum, TSAM and the
# health check only for Platinum, configurable in the SLA policy), and the
# wording of both catalogues.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$TSAM_BIN/tsam-report
D=$TSAM_SRC/tests/data
export SOURCE_DATE_EPOCH=1795651200

"$TSAM_BIN/tsam-cases" --cases "$D/cases/cases.csv" --events "$D/cases/events.csv" --quarter 2026Q3 \
	--customer acme --as-of 2026-10-05T00:00:00Z --fee 3000000 -o "$T/base.json" --quiet 2>/dev/null
eq "stats computed" 0 "$?"

# customer.json of a tier, a language's zone
cust() { # cust TIER [ZONE]
	jq -c --arg t "$1" --arg z "${2:-}" '.tier = $t | if $z != "" then .zone = $z else . end' \
		"$D/report/customer.json" >"$T/c-$1.json"
	echo "$T/c-$1.json"
}
render() { # render NAME STATS CUSTOMER LANG [ARGS...]: PDF and its text
	local name=$1 stats=$2 c=$3 lang=$4
	shift 4
	"$R" --customer "$c" --stats "$stats" --findings "$D/report/findings.json" --lang "$lang" \
		-o "$T/$name.pdf" "$@" 2>"$T/$name.err"
	eq "$name: exit 0" 0 "$?"
	pdftotext -layout "$T/$name.pdf" "$T/$name.txt" 2>/dev/null
	# the raw stream order keeps a wrapped cell's lines together
	pdftotext -raw "$T/$name.pdf" - 2>/dev/null | tr -d '\n' >"$T/$name.raw"
}

# ---- 1. ids and names whole ----
# real case ids of the demo's ticket systems, wider than the old column,
# in "Targets missed" and "Escalations"; a long TSAM name
jq '.breaches |= (to_entries | map(.value.case = "SAKURA_BANK-00012345\(.key)" | .value)) |
	.escalations |= (to_entries | map(.value.case = "GLOBEX-INC-000987\(.key)" | .value))' \
	"$T/base.json" >"$T/ids.json"
jq -c '.tsam.name = "Bartholomew Alexander Montgomery-Fairweather (Platinum TSAM, EMEA)"' \
	"$(cust platinum)" >"$T/c-long.json"
for lang in ja en; do
	render "ids-$lang" "$T/ids.json" "$T/c-long.json" $lang
	# (escalations on time are counted, not listed: the others are)
	for id in $(jq -r '.breaches[].case, (.escalations[] | select(.status != "met") | .case)' "$T/ids.json"); do
		check "ids ($lang): $id whole" grep -qF "$id" "$T/ids-$lang.raw"
	done
	for id in $(jq -r '.escalations[] | select(.status == "met") | .case' "$T/ids.json"); do
		check "ids ($lang): $id on time, counted not listed" sh -c "! grep -qF '$id' '$T/ids-$lang.raw'"
	done
	# a name wraps at its spaces: its lines joined with one
	check "ids ($lang): the TSAM's name whole" sh -c "pdftotext -raw '$T/ids-$lang.pdf' - 2>/dev/null | tr '\n' ' ' |
		grep -qF 'Bartholomew Alexander Montgomery-Fairweather (Platinum TSAM, EMEA)'"
	check "ids ($lang): no ellipsis in the document" sh -c "! grep -q '…' '$T/ids-$lang.txt'"
done
check "ids (en): the target name whole" grep -q "Escalation to support manager" "$T/ids-en.raw"
check "escalations (en): counted by outcome" grep -qE "Escalations this quarter, by when each was made \(or fell due, if not made\): 5 \(on time 2, late 1, not ?done 2\)" "$T/ids-en.raw"
check "escalations (ja): counted by outcome" grep -q "は5件でした（期限内2件、遅延1件、未実施2件）" "$T/ids-ja.raw"
check "ids (ja): the target name whole" grep -q "サポートマネージャへのエスカレーション" "$T/ids-ja.raw"

# ---- 2. money and counts ----
money() { # money CURRENCY AMOUNT PERCENT OPENED
	jq --arg c "$1" --argjson a "$2" --argjson p "$3" --argjson o "$4" \
		'.credits.currency = $c | .credits.amount = $a | .credits.percent = $p | .credits.fee = 4500000 |
		 .counts.opened = $o' "$T/base.json" >"$T/money-$1.json"
	echo "$T/money-$1.json"
}
render money-jpy-ja "$(money JPY 1125000 25 3232)" "$(cust platinum)" ja
check "ja: 四半期料金の25.0%（1,125,000円）" grep -qF "四半期料金の25.0%（1,125,000円）" "$T/money-jpy-ja.txt"
check "ja: counts grouped (3,232)" grep -qF "3,232" "$T/money-jpy-ja.txt"
check "ja: no bare 3232" sh -c "! grep -qw 3232 '$T/money-jpy-ja.txt'"
check "ja: no currency code after a figure" sh -c "! grep -qE '[0-9] ?JPY' '$T/money-jpy-ja.txt'"
render money-jpy-en "$(money JPY 1125000 25 3232)" "$(cust platinum)" en
check "en: ¥1,125,000" grep -qF "(¥1,125,000)" "$T/money-jpy-en.txt"
render money-gbp "$(money GBP 15000 25 3232)" "$(cust platinum)" en
check "en: £15,000" grep -qF "25.0 % of the quarterly fee (£15,000)" "$T/money-gbp.txt"
check "en: counts grouped (3,232)" grep -qF "3,232" "$T/money-gbp.txt"
render money-usd "$(money USD 6750 15 12)" "$(cust platinum)" en
check "en: \$6,750" grep -qF '($6,750)' "$T/money-usd.txt"
render money-eur "$(money EUR 2500.5 5 12)" "$(cust platinum)" en
check "en: €2,500.50" grep -qF '(€2,500.50)' "$T/money-eur.txt"
render money-gbp-ja "$(money GBP 15000 25 12)" "$(cust platinum)" ja
check "ja: £15,000" grep -qF "（£15,000）" "$T/money-gbp-ja.txt"

# ---- 3. one figure, one value: the overall first-response rate ----
# 71 of 81 on time: 87.654... %, 87.7 %; sla.c's trend keeps 0.8765,
# which read back would print 87.6 %
jq '.attainment.response |= with_entries(.value.met = 0 | .value.missed = 0 | .value.rate = null) |
	.attainment.response["2"] = {met: 71, missed: 10, pending: 0, rate: 0.8765} |
	.trend[-1].response_rate = 0.8765' "$T/base.json" >"$T/rate.json"
for lang in ja en; do
	render "rate-$lang" "$T/rate.json" "$(cust platinum)" $lang
	eq "rate ($lang): the summary, the trend and the attainment table agree" "" \
		"$(grep -oE '8[67]\.[0-9] ?%' "$T/rate-$lang.txt" | sort -u | grep -vE '87.7 ?%')"
	check "rate ($lang): in the trend too" test "$(grep -cE '87.7 ?%' "$T/rate-$lang.txt")" -ge 3
done

# ---- 4. one duration rule, integer count axes ----
jq '.breaches = [.breaches[0] | (.overrun_s = 1800), (.overrun_s = 150000), (.overrun_s = 187200), (.overrun_s = 290000)] |
	.breaches_total = 4 |
	.counts.by_month = {"2026-07": {"1": 4, "2": 3, "3": 2, "4": 1}, "2026-08": {"1": 0, "2": 1, "3": 0, "4": 0}, "2026-09": {"1": 0, "2": 0, "3": 2, "4": 0}}' \
	"$T/base.json" >"$T/dur.json"
render dur-en "$T/dur.json" "$(cust platinum)" en
render dur-ja "$T/dur.json" "$(cust platinum)" ja
# (poppler drops some spaces of short runs on extraction: " ?" between
# the tokens; the check is the rule, not the spacing). One column, one
# pair of units, chosen by its longest: 3 d 8 h 33 min makes it days and
# hours, rounded up to the hour (30 min is 1 h, never zero; a leading zero
# unit left out: "1 h", not "0 d 1 h")
for d in "(^| )1 ?h( |$)" "1 ?d ?18 ?h" "2 ?d ?4 ?h" "3 ?d ?9 ?h"; do
	check "en: duration $d" grep -qE "$d" "$T/dur-en.txt"
done
for d in "(^|[^0-9日])1時間" "1日18時間" "2日4時間" "3日9時間"; do
	check "ja: duration $d" grep -qE "$d" "$T/dur-ja.txt"
done
eq "en: no leading zero unit" "" "$(grep -E '(^| )0 ?d ?[0-9]+ ?h' "$T/dur-en.txt")"
eq "ja: no leading zero unit" "" "$(grep -E '(^|[^0-9])0日[0-9]+時間' "$T/dur-ja.txt")"
check "en: no hours and minutes in a days column" sh -c "! grep -qE '41 ?h ?40 ?min' '$T/dur-en.txt'"
check "ja: no hours and minutes in a days column" sh -c "! grep -qF '41時間40分' '$T/dur-ja.txt'"
# without it, the column's longest is under 72 h: hours and minutes
jq '.breaches |= .[0:3] | .breaches_total = 3' "$T/dur.json" >"$T/dur2.json"
render dur2-en "$T/dur2.json" "$(cust platinum)" en
render dur2-ja "$T/dur2.json" "$(cust platinum)" ja
for d in "(^| )30 ?min" "41 ?h ?40 ?min" "52 ?h ?0 ?min"; do
	check "en: duration $d" grep -qE "$d" "$T/dur2-en.txt"
done
for d in "(^|[^0-9間])30分" "41時間40分" "52時間0分"; do
	check "ja: duration $d" grep -qE "$d" "$T/dur2-ja.txt"
done
check "en: under 72 h never in days" sh -c "! grep -qE '(^| )[12] ?d ?[0-9]+ ?h( |$)' '$T/dur2-en.txt'"
check "ja: under 72 h never in days" sh -c "! grep -qE '(^|[^0-9])[12]日[0-9]+時間' '$T/dur2-ja.txt'"
check "count axis: whole numbers only (no 2.5, 7.5)" sh -c "! grep -qwE '(2|7)\\.5' '$T/dur-en.txt'"
check "count axis: 10 cases a month read 0 5 10 15 20" grep -qE '^ *15 *$' "$T/dur-en.txt"
eq "en: bucket labels in one style" "" "$(jq -r 'to_entries[] | select(.key | startswith("b_")) | .value' \
	"$TSAM_SRC/report-templates/messages/en.json" | grep -vE '^(<|≥) [0-9]+ (min|h)$')"
eq "ja: bucket labels in one style" "" "$(jq -r 'to_entries[] | select(.key | startswith("b_")) | .value' \
	"$TSAM_SRC/report-templates/messages/ja.json" | grep -vE '^[0-9]+(分|時間)(未満|以上)$')"

# ---- 6. time zones ----
# C1's update was due 05:00 UTC: 14:00 in Tokyo, 06:00 in London (BST)
render tz-ja "$T/base.json" "$(cust platinum Asia/Tokyo)" ja
check "ja: 日本時間 (JST)" grep -q "日時はすべて日本時間（JST）で表示" "$T/tz-ja.txt"
check "ja: times in JST" grep -q "2026-07-06 14:00" "$T/tz-ja.txt"
render tz-uk "$T/base.json" "$(cust platinum Europe/London)" en
check "en: UK time" grep -q "Times are shown in UK time (GMT/BST)" "$T/tz-uk.txt"
check "en: times in BST" grep -q "2026-07-06 06:00" "$T/tz-uk.txt"
render tz-other "$T/base.json" "$(cust platinum America/Chicago)" en
check "en: another zone by name and offsets" grep -q "Times are shown in America/Chicago (UTC-06:00/-05:00)" "$T/tz-other.txt"
echo '{"name": "X", "zone": "Mars/Olympus"}' >"$T/c-badzone.json"
"$R" --customer "$T/c-badzone.json" --lang en -o "$T/x.pdf" 2>"$T/err"
eq "unknown customer zone: error" 1 "$?"
check "unknown customer zone: names the key" grep -qF 'zone: "Mars/Olympus" is not a time zone' "$T/err"

# ---- 10. sections follow the tier ----
for lang in en ja; do
	render "std-$lang" "$T/base.json" "$(cust standard)" $lang
	render "pre-$lang" "$T/base.json" "$(cust premium)" $lang
	render "pla-$lang" "$T/base.json" "$(cust platinum)" $lang
done
for s in "SLA attainment" "Targets missed" "Escalations" "Support credits due" "First responses on time" "Health summary" "TSAM"; do
	check "standard: no '$s'" sh -c "! grep -q '$s' '$T/std-en.txt'"
done
check "standard: a support report, not a review" grep -q "Quarterly support report" "$T/std-en.txt"
check "standard: prepared by support" grep -q "Prepared by your support team" "$T/std-en.txt"
check "standard: incidents still there" grep -q "Cases opened per month" "$T/std-en.txt"
for s in "SLA 達成状況" "サポートクレジット" "目標を達成できなかった案件" "担当 TSAM" "ヘルスチェックの概要"; do
	check "standard (ja): no '$s'" sh -c "! grep -q '$s' '$T/std-ja.txt'"
done
for s in "SLA attainment" "Targets missed" "Support credits due"; do
	check "premium: '$s'" grep -q "$s" "$T/pre-en.txt"
done
for s in "TSAM" "Health summary" "Accepted exceptions"; do
	check "premium: no '$s'" sh -c "! grep -q '$s' '$T/pre-en.txt'"
done
for s in "SLA attainment" "Support credits due" "TSAM" "Health summary"; do
	check "platinum: '$s'" grep -q "$s" "$T/pla-en.txt"
done
check "platinum: the quarterly review" grep -q "Quarterly review" "$T/pla-en.txt"
"$R" --template annual-health-check --customer "$(cust standard)" --findings "$D/report/findings.json" \
	--lang en -o "$T/hc-std.pdf" 2>"$T/err"
eq "standard: no annual health check (error)" 1 "$?"
check "standard health check: says why" grep -q "the standard tier has none of its sections" "$T/err"
check "standard health check: nothing written" test ! -e "$T/hc-std.pdf"
# the vendor's policy decides: Standard with an SLA
cat >"$T/policy.json" <<'EOF'
{ "schema": "tsamkit-sla-policy/1", "services": { "standard": ["sla"] } }
EOF
render std-policy "$T/base.json" "$(cust standard)" en --policy "$T/policy.json"
check "policy: standard with an SLA gets attainment" grep -q "SLA attainment" "$T/std-policy.txt"
check "policy: still no TSAM" sh -c "! grep -q 'TSAM' '$T/std-policy.txt'"
echo '{ "schema": "tsamkit-sla-policy/1", "services": { "gold": ["sla"] } }' >"$T/badpol.json"
"$R" --customer "$(cust standard)" --lang en -o "$T/x.pdf" --policy "$T/badpol.json" 2>"$T/err"
eq "policy: an unknown tier is an error" 1 "$?"
check "policy: names the key" grep -q "services.gold: not a tier" "$T/err"

# ---- 8. wording ----
check "ja: no 社外秘 on a customer's document" sh -c "! grep -q '社外秘' '$T/pla-ja.txt'"
check "ja: 〜様限り" grep -qE ".+様限り" "$T/pla-ja.txt"
check "en: confidential, prepared for the customer" grep -q "Confidential — prepared for 株式会社アクメ" "$T/pla-en.txt"
check "ja: 判定待ち, not 期限前" sh -c "grep -q '判定待ち' '$T/pla-ja.txt' && ! grep -q '期限前' '$T/pla-ja.txt'"
check "ja: エグゼクティブマネージャ" grep -q "エグゼクティブマネージャ" "$T/pla-ja.txt"
check "en: an escalation not made is 'not made'" sh -c "grep -q 'not made' '$T/pla-en.txt' && ! grep -qw never '$T/pla-en.txt'"
jq '.breaches = [] | .breaches_total = 0' "$T/base.json" >"$T/none.json"
render none-ja "$T/none.json" "$(cust platinum)" ja
check "ja: no '0 件ありました'" sh -c "! grep -q '0 件ありました' '$T/none-ja.txt'"
check "ja: says there were none" grep -q "達成できなかったものはありませんでした" "$T/none-ja.raw"
for f in ja en; do
	check "$f.json: no half-width colon in Japanese text" sh -c \
		"! jq -r '.[]' '$TSAM_SRC/report-templates/messages/ja.json' | grep -qP '[\\p{Han}\\p{Hiragana}\\p{Katakana}]: '"
done
finish
