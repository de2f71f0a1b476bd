#!/bin/sh
# scripts/test.sh - the whole test suite: installs dependencies, builds with
# warnings as errors and runs the unit and style tests on that build; runs every test, SSH and CLI
# included, built with AddressSanitizer + UndefinedBehaviorSanitizer (-O1);
# the tests of the threaded tools (tsam-cases, tsam-check) under
# ThreadSanitizer; and a short libFuzzer smoke of every fuzz target. This
# is what .ci/run calls. Each test runs once, under the sanitizers: a second
# run of the SSH and CLI suites would spend its CPU on sshd's key exchanges
# and PDF rendering again, not on new checks (with TSAM_SKIP_SANITIZERS=1
# the plain build runs them all).
#
# The four parts run at the same time from the start: the plain build and
# its CTest run in the foreground, the ASan+UBSan build and run, the TSan
# build and run and the fuzz smoke in the background, each to its own log
# in build-logs/, printed when it ends. The ASan lane, the longest, has the
# cores first: the others run niced. Every part runs to its end even when
# another fails; the script fails when any did, naming them.
#
# Environment: TSAM_TEST_JOBS (tests at once per CTest run, default twice
# the cores: the SSH tests mostly wait on timeouts and sleeping hosts),
# TSAM_FUZZ_SECONDS (each fuzz target's time, default 2 s, the JSON
# document targets half; 20 for a longer run), TSAM_FUZZ_JOBS (fuzz
# targets at once, default the cores), TSAM_SKIP_SANITIZERS=1,
# TSAM_SKIP_FUZZ=1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cores=$(nproc)
tj=${TSAM_TEST_JOBS:-$((cores * 2))}
logs=$top/build-logs
"$top/scripts/install-deps.sh"
rm -rf "$logs"
mkdir -p "$logs"

asan() {
	"$top/scripts/build.sh" "$top/build-asan" -DTSAM_WERROR=ON -DTSAM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug &&
		cd "$top/build-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		LSAN_OPTIONS=suppressions=$top/tests/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$tj"
}
tsan() {
	# the threaded code under ThreadSanitizer: tsam-check's workers
	# (cli_check) and tsam-cases' two-thread load (cli_presets: four
	# export layouts, history logs, --explain, and a portfolio through
	# tsam-review); tsam-collect for cli_check's error cases
	cmake -S "$top" -B "$top/build-tsan" -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=ON \
		-DTSAM_WERROR=ON -DTSAM_TSAN=ON >/dev/null &&
		cmake --build "$top/build-tsan" -j "$cores" --target tsam-cases tsam-check tsam-collect tsam-review &&
		cd "$top/build-tsan" && TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
		ctest --output-on-failure -j "$tj" -R 'cli_(presets|check)$'
}
fuzz() {
	"$top/scripts/fuzz-smoke.sh" "${TSAM_FUZZ_SECONDS:-2}"
}
# lane NAME [NICE]: runs the function NAME in the background (at niceness
# NICE, default 0), its output in $logs/NAME.log, its exit status in
# $logs/NAME.rc
lane() {
	echo "test.sh: $1: started, log in $logs/$1.log" >&2
	(
		rc=0
		# this subshell's own pid ($$ is the script's): its children
		# inherit the niceness
		renice -n "${2:-0}" -p "$(sh -c 'echo $PPID')" >/dev/null 2>&1 || true
		$1 >"$logs/$1.log" 2>&1 || rc=$?
		echo "$rc" >"$logs/$1.rc"
	) &
}
# The ASan lane is the longest (a full build, then every test): it runs at
# the normal priority, the others (shorter) yield the cores to it.
lanes=""
if [ "${TSAM_SKIP_SANITIZERS:-}" = "" ]; then
	lane asan
	lane tsan 10
	lanes="asan tsan"
fi
if [ "${TSAM_SKIP_FUZZ:-}" = "" ]; then
	lane fuzz 5
	lanes="$lanes fuzz"
fi
failed=""
# the plain build while the other lanes build theirs: the machine's cores
# are busy from the start
nice -n 5 "$top/scripts/build.sh" "$top/build" -DTSAM_WERROR=ON || failed="build"
plain_only=""
if [ "${TSAM_SKIP_SANITIZERS:-}" = "" ]; then
	# every test runs once, under ASan+UBSan (the demo, the README's
	# main job, included); the plain build runs the unit and style tests
	plain_only="-L unit|style"
fi
# shellcheck disable=SC2086
[ -n "$failed" ] ||
	(cd "$top/build" && ctest --output-on-failure -j "$tj" $plain_only) || failed="ctest"
wait
for l in $lanes; do
	echo "==== test.sh: $l ($logs/$l.log)" >&2
	cat "$logs/$l.log"
	if [ "$(cat "$logs/$l.rc" 2>/dev/null)" != 0 ]; then
		failed="$failed $l"
	fi
done
if [ -n "$failed" ]; then
	echo "test.sh: FAILED:$failed" >&2
	exit 1
fi
echo "test.sh: all passed (ctest${lanes:+ }$lanes)" >&2
