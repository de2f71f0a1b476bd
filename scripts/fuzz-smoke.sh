#!/bin/sh
# scripts/fuzz-smoke.sh [SECONDS] - builds the libFuzzer targets with clang
# and runs each for a short while from its corpus (default 20 s each). New
# interesting inputs stay in a scratch copy; a crash fails the run and
# leaves the reproducer in build-fuzz/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
CC=clang "$top/scripts/build.sh" "$top/build-fuzz" -DTSAM_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
# the JSON documents' type-aware targets (fuzz_doc_*), 10 s each
docs=$(sed -n 's/^set(TSAM_DOC_KINDS \(.*\))$/\1/p' "$top/tests/CMakeLists.txt")
for t in sections facts_linux facts_sav facts_spl inventory knownhosts expr cases csv jsonspan $(for k in $docs; do echo "doc_$k"; done); do
	case $t in doc_*) tsecs=$(((secs + 1) / 2)) ;; *) tsecs=$secs ;; esac
	work="$top/build-fuzz/corpus-$t"
	rm -rf "$work"
	cp -r "$top/tests/fuzz/corpus/$t" "$work"
	echo "fuzz-smoke: $t for ${tsecs}s" >&2
	(cd "$top/build-fuzz" && ASAN_OPTIONS=detect_leaks=1 \
		LSAN_OPTIONS=suppressions=$top/tests/lsan.supp \
		./tests/fuzz_$t -max_total_time="$tsecs" -max_len=65536 -print_final_stats=0 "$work" 2>"fuzz-$t.log") || {
		tail -n 40 "$top/build-fuzz/fuzz-$t.log" >&2
		exit 1
	}
done
echo "fuzz-smoke: no crashes" >&2
