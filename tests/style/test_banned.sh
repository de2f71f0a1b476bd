#!/bin/bash
# tests/style/test_banned.sh - the house rules a reader should not have to
# check by hand: no unbounded C string functions in lib/ and tools/, a
# header comment on every source file (clang-format: test_format.sh).
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
cd "$TSAM_SRC" || exit 1
hits=$(grep -nE '\b(sscanf|atoi|atol|strtok|strcpy|strcat|sprintf|vsprintf|gets)\s*\(' lib/*.c lib/*.h tools/*.c || true)
eq "banned functions in lib/ and tools/" "" "$hits"
for f in lib/*.c lib/*.h tools/*.c; do
	check "$f opens with a comment" grep -q '^/\*' <(head -n 1 "$f")
done
finish
