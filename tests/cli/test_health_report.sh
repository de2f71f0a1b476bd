#!/bin/bash
# tests/cli/test_health_report.sh - the annual health check as the
# customer reads it, checked with pdftotext in both languages, from the
# seed fleet's real snapshots (examples/seed) through tsam-check: the
# cover (date of collection, engineer, scope: inventory, collected, not
# collected and why; no quarter), the executive summary with the three
# findings that matter most, failed rules titled as the problem found,
# expected and observed values in words (no rule syntax, no JSON, no ISO
# timestamps), references, the remediation plan, the endpoints worst
# first; the sizing section's advice when a capacity rule fails; and the
# engineer from --engineer.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$TSAM_BIN/tsam-report
export SOURCE_DATE_EPOCH=1795651200

"$TSAM_BIN/tsam-check" "$TSAM_SRC/examples/seed" -o "$T/f.json" --quiet
check "tsam-check on the seed fleet" test -s "$T/f.json"
cat >"$T/c.json" <<'JSON'
{"id": "acme", "name": "株式会社アクメ", "tier": "platinum",
 "tsam": {"name": "山田 花子", "email": "hanako.yamada@example.com"},
 "engineer": {"name": "鈴木 一郎", "email": "ichiro.suzuki@example.com"}}
JSON
# a finding phrased as its passing condition would read like good news
eq "every rule has a finding title in both languages" "" \
	"$(jq -r '.rules[] | select((.finding.en // "") == "" or (.finding.ja // "") == "") | .id' "$T/f.json")"

for lang in ja en; do
	"$R" --customer "$T/c.json" --template annual-health-check --findings "$T/f.json" \
		--lang $lang -o "$T/$lang.pdf" 2>/dev/null
	eq "$lang: exit 0" 0 "$?"
	pdftotext -layout "$T/$lang.pdf" "$T/$lang.txt" 2>/dev/null
	pdftotext -layout -f 1 -l 1 "$T/$lang.pdf" "$T/$lang-cover.txt" 2>/dev/null
	pdftotext -raw "$T/$lang.pdf" "$T/$lang-raw.txt" 2>/dev/null
	# customer text: no rule syntax, no JSON, no ISO timestamps
	for w in until_gt until_le age_le age_gt count_ge count_le version_ge version_lt \
		'"value"' '{"' '\/' 'matches "'; do
		eq "$lang: no '$w' in customer text" "" "$(grep -F -- "$w" "$T/$lang.txt" | head -3)"
	done
	eq "$lang: no ISO timestamp" "" "$(grep -E '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:' "$T/$lang.txt" | head -3)"
	eq "$lang: no regular expression" "" "$(grep -F '[^.]' "$T/$lang.txt" | head -3)"
done

# the cover: dated, with the scope and the engineer; never a quarter
C=$T/en-cover.txt
check "en cover: date of collection" grep -q 'Date of collection *26 Nov 2026' "$C"
check "en cover: engineer" grep -q 'Engineer *鈴木 一郎' "$C"
check "en cover: scope" grep -q '^Scope' "$C"
check "en cover: endpoints in the inventory" grep -q 'Endpoints in the inventory *11$' "$C"
check "en cover: collected" grep -q 'Collected and checked *7$' "$C"
check "en cover: not collected, with why" \
	grep -Eq 'Not collected *4 — .*authentication refused.*' "$C"
check "en cover: collected without privilege" grep -q 'Collected without enough privilege *1$' "$C"
check "en cover: no quarter" sh -c "! grep -q 'Quarter' '$C'"
C=$T/ja-cover.txt
check "ja cover: 収集日" grep -q '収集日 *2026年11月26日' "$C"
check "ja cover: 担当エンジニア" grep -q '担当エンジニア *鈴木 一郎' "$C"
check "ja cover: 対象範囲" grep -q '対象範囲' "$C"
check "ja cover: 収集できなかった理由" grep -Eq '収集できなかったエンドポイント *4 — ' "$C"
check "ja cover: no 対象四半期" sh -c "! grep -q '対象四半期' '$C'"

# the executive summary and the three findings that matter most
E=$T/en.txt
check "en: executive summary" grep -q '^Executive summary' "$E"
check "en: the three findings" grep -q 'The three findings that matter most' "$E"
eq "en: three numbered findings" 3 "$(awk '/The three findings/{p=1} /^Health summary/{p=0} p' "$E" | grep -cE '^[123]\. .* — (Critical|High|Medium|Low), [0-9]+ of the [0-9]+ endpoints it applies to')"
check "ja: エグゼクティブサマリー" grep -q 'エグゼクティブサマリー' "$T/ja.txt"
# the most severe first, whatever the endpoint counts (a Medium on many
# endpoints never outranks a Critical), and the health summary's list of
# what to do first begins with the same finding
sevs=$(awk '/The three findings/{p=1} /^Health summary/{p=0} p' "$E" |
	sed -nE 's/^[123]\. .* — (Critical|High|Medium|Low), .*/\1/p' |
	sed 's/Critical/4/; s/High/3/; s/Medium/2/; s/Low/1/' | xargs)
eq "en: the three findings, most severe first ($sevs)" "$(echo $sevs | tr ' ' '\n' | sort -rn | xargs)" "$sevs"
first=$(awk '/The three findings/{p=1} p' "$E" | sed -nE 's/^1\. (.*) — (Critical|High|Medium|Low), .*/\1/p' | head -n 1)
check "en: the first to do is the first finding ($first)" grep -qF "1. $first — " <(awk '/What to do first|Top recommendations/{p=1} p' "$E")

# failed rules read as the problem found, never as their passing condition
check "en: finding title" grep -q 'Product version out of support' "$E"
check "ja: finding title" grep -q 'サポート期間が終了した製品バージョン' "$T/ja.txt"
eq "en: no passing condition as a failure's title" "" \
	"$(grep -E 'The product version is still supported( —|$)' "$E")"
eq "ja: no passing condition as a failure's title" "" "$(grep -E '製品バージョンがサポート期間内( —|$)' "$T/ja.txt")"
for id in $(jq -r '.rules[] | select(.counts.fail > 0 and .scope == "host") | .id' "$T/f.json"); do
	t=$(jq -r --arg id "$id" '.rules[] | select(.id == $id) | .finding.en' "$T/f.json")
	check "en: $id titled '$t'" grep -qF -- "$t" "$T/en-raw.txt"
done

# expected and observed in words, references
check "en: expected as a sentence (age_le 7d)" grep -q 'Expected: updated within the last 7 days' "$E"
check "ja: expected as a sentence (age_le 7d)" grep -q '期待する状態：過去7日以内に更新' "$T/ja.txt"
check "en: expected (until_gt 0s)" grep -q 'Expected: still supported at the collection' "$E"
# days between the two dates as a calendar counts them (20 Jul 2023 to 25 Nov 2026)
check "en: observed date in words" grep -q '20 Jul 2023 (1,225 days before the collection)' "$E"
check "ja: observed date in words" grep -q '2023年7月20日（収集の1,225日前）' "$T/ja.txt"
# a list rule's observed value names the items that broke it, never hides
# them behind "and N more" (SAV-EXCL-002 fails on the 4th exclusion)
eq "tsam-check: the offending items of a failed none" '[3]' "$(jq -c '[.hosts[].results[] | select(.rule == "SAV-EXCL-002" and .offending) | .offending] | first' "$T/f.json")"
check "en: observed: the offending items, of how many" grep -qE '^/, /tmp/ \(2 of the 4 found\)' "$E"
check "en: observed: the 4th item that broke the rule" grep -qE '^\*\.log \(1 of the 4 found\)' "$E"
check "ja: observed: the offending item" grep -qE '^\*\.log（見つかった4件中1件）' "$T/ja.txt"
check "en: references" grep -q '^References: https://' "$E"
eq "en: no internal provenance among the references (files, repositories)" "" \
	"$(grep '^References:' "$E" | grep -E 'collectors/|\.md|\.cpp|mono-repo')"

# the remediation plan, and the endpoints worst first
check "en: remediation plan" grep -q '^Remediation plan' "$E"
check "en: owner and due date columns" grep -qE 'Owner +Due date' "$E"
check "ja: 改善計画" grep -q '改善計画' "$T/ja.txt"
scores=$(awk '/^Endpoints$/{p=1} p && /^Not collected/{p=0} p' "$E" | awk '$2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ {print $3}')
check "en: endpoint rows" test -n "$scores"
eq "en: endpoints worst first" "$(sort -n <<<"$scores")" "$scores"
check "en: endpoints summarised" grep -q 'listed worst first' "$E"
check "en: the score explained where it is listed" sh -c "tr '\\n' ' ' <'$T/en-raw.txt' | grep -q 'a failed critical check caps it at 49'"
check "en: each row says which checks fail" grep -qE '^app0001 +1 +[0-9]+ +1 +LNX-TIME-001$' "$E"
check "en: sizing section" grep -q '^Sizing and capacity' "$E"

# a capacity rule that fails gives sizing advice, its values in words
jq '(.hosts[] | select(.name == "db0001") | .results) |= map(if .rule == "LNX-MEM-001"
		then {rule, result: "fail", fact: "hw.mem_total_mb", observed: 1024, expected: "ge 2048"} else . end)
	| (.rules[] | select(.id == "LNX-MEM-001") | .counts) |= (.fail += 1 | .pass -= 1)
	| (.hosts[] | select(.name == "db0001") | .resources) = {cpus: 1, mem_total_mb: 1024, mem_available_mb: 300, load_per_cpu_pct: 250, disk_used_pct_max: 97, disk_free_mb_min: 500}' \
	"$T/f.json" >"$T/cap.json"
"$R" --customer "$T/c.json" --template annual-health-check --findings "$T/cap.json" \
	--engineer "Jane Smith" --lang en -o "$T/cap.pdf" 2>/dev/null
eq "capacity: exit 0" 0 "$?"
pdftotext -layout "$T/cap.pdf" "$T/cap.txt" 2>/dev/null
S=$(awk '/^Sizing and capacity$/{p=1} /^Fleet-wide rules$/{p=0} p' "$T/cap.txt")
check "capacity: sizing advice" grep -q '^Sizing advice' <<<"$S"
check "capacity: the finding, its endpoint and what to do" \
	grep -qE '^Less than 2 GiB of memory on a protected server — db0001\. Add memory' <<<"$S"
# ops0001's result is an error (collected as uid 999, not measured): it is
# not judged, never named as falling short
eq "capacity: a result in error is not advice" "error" "$(jq -r '.hosts[] | select(.name == "ops0001") | .results[] | select(.rule == "LNX-MEM-001") | .result' "$T/cap.json")"
check "capacity: meet, fall short, not judged (error and not applicable)" \
	grep -qE '^At least 2 GiB of memory for a protected server +4 +1 +2$' <<<"$S"
check "capacity: resource figures" grep -qE '^Memory +1 GiB' <<<"$S"
check "capacity: the tightest endpoint first" grep -qE '^db0001 +1 +1 GiB +300 MiB +250 % +97 %' <<<"$(awk '/^Least headroom/{p=1} p' <<<"$S")"
check "capacity: expected in words" grep -q 'Expected: 2 GiB or more' "$T/cap.txt"
check "capacity: observed in words" grep -qE '^1 GiB +1 +db0001' "$T/cap.txt"
check "--engineer overrides customer.json" grep -q 'Engineer *Jane Smith' "$T/cap.txt"
# Japanese punctuation in Japanese text: full-width colon and brackets,
# the middle dot between a finding's parts
eq "ja: no half-width colon after Japanese" "" "$(grep -E '[ぁ-んァ-ヶ一-龯]: ' "$T/ja.txt" | head -3)"
check "ja: a finding's parts joined with ・" grep -qE '^[A-Z]+-[A-Z]+-[0-9]{3}・' "$T/ja.txt"
# a product's status words in the report's language
check "ja: expected status word in Japanese" grep -q '期待する状態：「良好」' "$T/ja.txt"
eq "en: no raw update location" "" "$(grep -E '(^| )sophos:( |$)' "$E")"
eq "ja: no English status word quoted" "" "$(grep -E '「(good|bad|success|failed)」' "$T/ja.txt")"
# a fleet rule's share says of how many endpoints; distinct values say so
check "en: a fleet share with its counts" grep -qE '[0-9.]+ % \([0-9]+ of [0-9]+\)' "$E"
check "ja: a fleet share with its counts" grep -qE '[0-9.]+%（[0-9]+台中[0-9]+台）' "$T/ja.txt"
check "en: distinct values named as such" grep -qE '[0-9]+ distinct' "$E"
# a fleet rule's expectation in words: the host rule's condition, "every
# endpoint" for 100 %, never a rule id compared with a percentage
check "en: a fleet share in words" grep -q 'expected: “On-access scanning is running” on every endpoint' "$E"
check "ja: a fleet share in words" grep -q 'すべてのエンドポイントで「オンアクセス検索が実行されている」' "$T/ja-raw.txt"
eq "no 'at least 100 %'" "" "$(grep -hE '(at least 100 %|100 % 以上)' "$E" "$T/ja.txt")"
# the seed fleet's disk and load were not measured: "no hardware change"
# is never concluded from what was not measured
check "en: no unqualified 'no hardware change' with unmeasured figures" sh -c "! grep -q 'no hardware change is needed' '$E'"
finish
