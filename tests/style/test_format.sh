#!/bin/bash
# tests/style/test_format.sh - lib/ and tools/ are clang-format clean
# (.clang-format). Skipped (77), saying so, where clang-format is not
# installed.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
cd "$TSAM_SRC" || exit 1
if ! command -v clang-format >/dev/null 2>&1; then
	echo "SKIP: clang-format not installed (scripts/install-deps.sh): formatting not checked"
	exit 77
fi
out=$(clang-format --dry-run --Werror lib/*.c lib/*.h tools/*.c 2>&1 | head -20)
eq "clang-format clean (run: clang-format -i lib/*.[ch] tools/*.c)" "" "$out"
finish
