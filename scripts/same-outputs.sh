#!/bin/bash
# scripts/same-outputs.sh [--keep] [REV_A [REV_B]] - do two revisions give
# the same outputs, byte for byte? For a change that must not change
# behaviour (a refactoring, a split of a file).
#
# REV_A defaults to the merge-base of HEAD and main (HEAD~1 when HEAD is on
# main); REV_B to the working tree as it is, committed or not ("." names
# the working tree explicitly, on either side).
#
# Each side is built from scratch (cmake, no tests) and runs the same
# pipeline, without network or SSH, under a fixed SOURCE_DATE_EPOCH:
#   - examples/generate.sh: the demo portfolio from the committed seed
#     snapshots (fleets, case and event exports, waivers, last year's
#     findings, which its own tsam-check computes);
#   - tsam-review over it (scripts/demo.sh's run): every customer's
#     findings.json, stats.json and quarterly review PDF, every TSAM's
#     portfolio summary PDF;
#   - the tools one by one on two customers (acme: ja, waivers and a
#     baseline; globex: en): tsam-check on the stored snapshots, tsam-cases
#     on the example exports, tsam-report on those with both templates in
#     both languages;
#   - tsam-report on the test fixtures (tests/data): the hand-checked
#     stats, the annual findings, lost lines, no inputs at all.
# Both sides are built and run under the same paths, one after the other,
# so that paths written into the outputs are the same too.
#
# Then every findings.json, stats.json, PDF and tsam-review's index.json
# is compared with cmp, and so are the steps' exit statuses. Prints what
# differs or exists on one side only. Exit status: 0 all identical (and
# every step succeeded), 1 something differs, 2 usage, a side could not
# be built, or a step failed on both sides. --keep keeps the scratch
# directory (outputs, build and run logs) and says where it is.
set -euo pipefail
top=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
export SOURCE_DATE_EPOCH=1795651200 # as tests/cli/test_report.sh
export TZ=UTC LC_ALL=C.UTF-8
unset TSAMKIT_DATADIR # each side reads its own data files
QUARTER=2026Q3

usage() {
	sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

keep=false
if [ "${1:-}" = "--keep" ]; then
	keep=true
	shift
fi
case "${1:-}" in -h | --help) usage ;; esac
[ $# -le 2 ] || usage

if [ $# -ge 1 ]; then
	rev_a=$1
else
	head=$(git -C "$top" rev-parse HEAD)
	rev_a=$(git -C "$top" merge-base HEAD main 2>/dev/null || true)
	if [ -z "$rev_a" ] || [ "$rev_a" = "$head" ]; then
		rev_a=$(git -C "$top" rev-parse HEAD~1)
	fi
fi
rev_b=${2:-.}

# A revision's commit id, or "." for the working tree.
resolve() {
	if [ "$1" = "." ]; then
		echo .
	else
		git -C "$top" rev-parse --verify --quiet "$1^{commit}" ||
			{ echo "same-outputs: $1: not a revision" >&2 && exit 2; }
	fi
}
id_a=$(resolve "$rev_a")
id_b=$(resolve "$rev_b")
describe() {
	if [ "$1" = "." ]; then
		echo "the working tree ($(git -C "$top" rev-parse --short HEAD)$([ -z "$(git -C "$top" status --porcelain)" ] || echo ' + changes'))"
	else
		git -C "$top" log -1 --format='%h %s' "$1" | cut -c1-72
	fi
}

S=$(mktemp -d "${TMPDIR:-/tmp}/same-outputs.XXXXXX")
cleanup() {
	if $keep; then
		echo "same-outputs: kept $S" >&2
	else
		rm -rf "$S"
	fi
}
trap cleanup EXIT

# The sources of a side in $S/src: a commit's tree (git archive: the
# repository's worktree list is left alone), or the working tree's files
# (tracked and untracked, ignored ones left out).
sources() {
	rm -rf "$S/src"
	mkdir -p "$S/src"
	if [ "$1" = "." ]; then
		(cd "$top" && git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do
				if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
			done | tar --null -T - -cf -) | tar -xf - -C "$S/src"
	else
		git -C "$top" archive --format=tar "$1" | tar -xf - -C "$S/src"
	fi
}

# step NAME COMMAND...: runs a step of the pipeline, recording its exit
# status (compared between the sides) and keeping its stderr.
step() {
	local name=$1 rc=0
	shift
	"$@" >>"$S/run/log" 2>&1 || rc=$?
	echo "$name $rc" >>"$S/run/out/steps.txt"
	[ "$rc" = 0 ] || echo "same-outputs: side $side: $name: exit $rc (see the log)" >&2
}

# The pipeline of one side, from $S/src into $S/run/out.
pipeline() {
	local B=$S/src/build/tools D=$S/src/tests/data X=$S/run/ex O=$S/run/out
	local id lang tier cal fee cur tmpl
	rm -rf "$S/run"
	mkdir -p "$O/tools" "$O/fixtures"
	: >"$S/run/log"
	step generate bash "$S/src/examples/generate.sh" "$X"
	step review "$B/tsam-review" "$X/portfolio.json" --quarter "$QUARTER" --out "$O/review" --quiet

	for id in acme globex; do
		read -r lang tier cal fee cur < <(jq -r --arg id "$id" \
			'.customers[] | select(.id == $id) | "\(.language) \(.tier) \(.calendar) \(.fee) \(.currency)"' \
			"$X/portfolio.json")
		jq --arg id "$id" --arg q "$QUARTER" '(.tsams | map({(.id): .}) | add) as $t
			| .customers[] | select(.id == $id)
			| {id, name, tier, quarter: $q, tsam: {name: $t[.tsam].name, email: $t[.tsam].email}}' \
			"$X/portfolio.json" >"$S/run/$id-customer.json"
		local waivers=()
		[ -e "$X/waivers/$id.json" ] && waivers=(--waivers "$X/waivers/$id.json")
		step "check-$id" "$B/tsam-check" "$X/fleets/$id" -o "$O/tools/$id-findings.json" \
			"${waivers[@]}" --baseline "$X/previous/$id-2025.json" --quiet
		step "cases-$id" "$B/tsam-cases" --cases "$X/cases/$id-cases.csv" --events "$X/cases/$id-events.csv" \
			--quarter "$QUARTER" --tier "$tier" --calendar "$cal" --fee "$fee" --currency "$cur" \
			-o "$O/tools/$id-stats.json" --quiet
		for tmpl in quarterly-review annual-health-check; do
			for lang in ja en; do
				step "report-$id-$tmpl-$lang" "$B/tsam-report" --template "$tmpl" \
					--customer "$S/run/$id-customer.json" --stats "$O/tools/$id-stats.json" \
					--findings "$O/tools/$id-findings.json" --lang "$lang" \
					-o "$O/tools/$id-$tmpl-$lang.pdf"
			done
		done
	done

	# the fixtures of tests/cli/test_report.sh
	step fixture-cases "$B/tsam-cases" --cases "$D/cases/cases.csv" --events "$D/cases/events.csv" \
		--quarter "$QUARTER" --customer acme --as-of 2026-10-05T00:00:00Z --fee 3000000 \
		-o "$O/fixtures/stats.json" --quiet
	step fixture-lost-cases "$B/tsam-cases" --cases "$D/cases/broken-quotes.csv" \
		--events "$D/cases/broken-events.csv" --quarter "$QUARTER" --as-of 2026-10-05T00:00:00Z \
		-o "$O/fixtures/lost-stats.json" --quiet
	for lang in ja en; do
		step "fixture-quarterly-$lang" "$B/tsam-report" --customer "$D/report/customer.json" \
			--stats "$O/fixtures/stats.json" --findings "$D/report/findings.json" --lang "$lang" \
			-o "$O/fixtures/quarterly-$lang.pdf"
		step "fixture-annual-$lang" "$B/tsam-report" --template annual-health-check \
			--customer "$D/report/customer.json" --findings "$D/report/annual-findings.json" \
			--lang "$lang" -o "$O/fixtures/annual-$lang.pdf"
		step "fixture-lost-$lang" "$B/tsam-report" --customer "$D/report/customer.json" \
			--stats "$O/fixtures/lost-stats.json" --lang "$lang" -o "$O/fixtures/lost-$lang.pdf"
		step "fixture-none-$lang" "$B/tsam-report" --customer "$D/report/customer.json" \
			--lang "$lang" -o "$O/fixtures/none-$lang.pdf"
	done
}

# side NAME ID: builds a side and runs its pipeline; its outputs go to
# $S/NAME.
side() {
	side=$1
	echo "same-outputs: $side: $(describe "$2"): building" >&2
	sources "$2"
	if ! { cmake -S "$S/src" -B "$S/src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DBUILD_TESTING=OFF && cmake --build "$S/src/build" -j "$(nproc)"; } \
		>"$S/$side-build.log" 2>&1; then
		tail -n 20 "$S/$side-build.log" >&2
		echo "same-outputs: $side: the build failed" >&2
		exit 2
	fi
	echo "same-outputs: $side: running the pipeline" >&2
	pipeline
	rm -rf "$S/$side"
	mv "$S/run/out" "$S/$side"
	mv "$S/run/log" "$S/$side-run.log"
}

side a "$id_a"
side b "$id_b"

# The files compared: every PDF, findings and stats document, and the
# steps' exit statuses.
list() {
	(cd "$1" && find . -type f \( -name '*.pdf' -o -name '*findings.json' -o -name '*stats.json' \
		-o -name index.json -o -name steps.txt \) | sed 's|^\./||' | LC_ALL=C sort)
}
n=0
differ=0
while IFS= read -r f; do
	n=$((n + 1))
	if [ ! -e "$S/a/$f" ]; then
		echo "only in b: $f"
		differ=$((differ + 1))
	elif [ ! -e "$S/b/$f" ]; then
		echo "only in a: $f"
		differ=$((differ + 1))
	elif ! cmp -s "$S/a/$f" "$S/b/$f"; then
		echo "differ: $f"
		[ "$f" = steps.txt ] && diff "$S/a/$f" "$S/b/$f" | sed 's/^/  /'
		differ=$((differ + 1))
	fi
done < <(LC_ALL=C sort -u <(list "$S/a") <(list "$S/b"))

pdfs=$(list "$S/a" | grep -c '\.pdf$' || true)
jsons=$(list "$S/a" | grep -c '\.json$' || true)
echo "a: $(describe "$id_a")"
echo "b: $(describe "$id_b")"
if [ "$differ" -gt 0 ]; then
	echo "same-outputs: $differ of $n files differ"
	exit 1
fi
if grep -qv ' 0$' "$S/a/steps.txt" "$S/b/steps.txt"; then
	echo "same-outputs: identical, but steps failed on both sides (above): the comparison is incomplete"
	exit 2
fi
echo "same-outputs: identical: $n files ($pdfs PDFs, $jsons findings, stats and index documents, the steps' exit statuses)"
exit 0
