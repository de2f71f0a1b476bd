#!/bin/sh
# scripts/test.sh - the whole test suite: installs dependencies, builds with
# warnings as errors, runs every CTest test; then the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer, the tests of the threaded
# tools (tsam-cases, tsam-check) under ThreadSanitizer, and a short
# libFuzzer smoke of every fuzz target. This is what .ci/run calls.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" "$top/build" -DTSAM_WERROR=ON
(cd "$top/build" && ctest --output-on-failure -j 2)
if [ "${TSAM_SKIP_SANITIZERS:-}" = "" ]; then
	"$top/scripts/build.sh" "$top/build-asan" -DTSAM_WERROR=ON -DTSAM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	(cd "$top/build-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		LSAN_OPTIONS=suppressions=$top/tests/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j 2)
	cmake -S "$top" -B "$top/build-tsan" -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=ON \
		-DTSAM_WERROR=ON -DTSAM_TSAN=ON >/dev/null
	cmake --build "$top/build-tsan" -j "$(nproc)" --target tsam-cases tsam-check
	(cd "$top/build-tsan" && TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
		ctest --output-on-failure -R 'cli_(cases|check)$')
fi
if [ "${TSAM_SKIP_FUZZ:-}" = "" ]; then
	"$top/scripts/fuzz-smoke.sh" "${TSAM_FUZZ_SECONDS:-20}"
fi
