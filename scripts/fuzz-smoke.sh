#!/bin/sh
# scripts/fuzz-smoke.sh [SECONDS] - builds the libFuzzer targets with clang
# and runs each for a short while from its corpus, several at once (as many
# as there are cores, or TSAM_FUZZ_JOBS). SECONDS (default
# $TSAM_FUZZ_SECONDS, else 3) is each target's time; the type-aware JSON
# document targets (fuzz_doc_*) get half of it. An ordinary run (CI,
# scripts/test.sh) is a smoke test; for a longer one, e.g. before a
# release: TSAM_FUZZ_SECONDS=20 sh scripts/fuzz-smoke.sh (20 s each, as CI
# used to run them). New interesting inputs stay in a scratch copy of each
# corpus; a crash fails the run (after every target has run) and leaves
# the reproducer and the target's log in build-fuzz/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-${TSAM_FUZZ_SECONDS:-3}}
par=${TSAM_FUZZ_JOBS:-$(nproc)}
B=$top/build-fuzz
docs=$(sed -n 's/^set(TSAM_DOC_KINDS \(.*\))$/\1/p' "$top/tests/CMakeLists.txt")
targets="sections facts_linux facts_sav facts_spl inventory knownhosts expr cases csv jsonspan $(for k in $docs; do echo "doc_$k"; done)"
# only the fuzz targets: the tools and tests are built and run elsewhere
CC=clang cmake -S "$top" -B "$B" -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=ON -DTSAM_FUZZ=ON >/dev/null
# shellcheck disable=SC2046
cmake --build "$B" -j "$(nproc)" --target $(for t in $targets; do echo "fuzz_$t"; done) >/dev/null
rm -f "$B"/fuzz-*.failed
for t in $targets; do
	case $t in doc_*) echo "$t $(((secs + 1) / 2))" ;; *) echo "$t $secs" ;; esac
done | xargs -P "$par" -L 1 sh -c '
	top=$1 B=$2 t=$3 tsecs=$4
	work="$B/corpus-$t"
	rm -rf "$work"
	cp -r "$top/tests/fuzz/corpus/$t" "$work"
	echo "fuzz-smoke: $t for ${tsecs}s" >&2
	cd "$B" && ASAN_OPTIONS=detect_leaks=1 \
		LSAN_OPTIONS=suppressions=$top/tests/lsan.supp \
		./tests/fuzz_$t -max_total_time="$tsecs" -max_len=65536 -print_final_stats=0 "$work" 2>"fuzz-$t.log" ||
		{ echo "fuzz-smoke: $t FAILED" >"fuzz-$t.failed"; exit 0; }
' fuzz-one "$top" "$B"
failed=""
for t in $targets; do
	if [ -e "$B/fuzz-$t.failed" ]; then
		echo "fuzz-smoke: fuzz_$t failed ($B/fuzz-$t.log):" >&2
		tail -n 40 "$B/fuzz-$t.log" >&2
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz-smoke: FAILED:$failed" >&2
	exit 1
fi
echo "fuzz-smoke: no crashes ($(echo $targets | wc -w) targets, ${secs} s each, doc_* $(((secs + 1) / 2)) s, $par at a time)" >&2
