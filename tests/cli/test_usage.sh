#!/bin/bash
# tests/cli/test_usage.sh - what lib/cli answers the same way for every
# tool: --help and -h (the usage on stdout, exit 0), --version and -V
# ("tool version", exit 0), and the usage errors (an unknown option, a
# missing argument, a number out of its range, a stray operand: the
# message, then the usage on stderr, exit 2, nothing on stdout).
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
version=$(sed -n 's/^project(tsamkit VERSION \([0-9.]*\).*/\1/p' "$TSAM_SRC/CMakeLists.txt")

# usage_error TOOL WHAT MESSAGE ARGS...: exit 2, MESSAGE (a fixed string)
# then the whole --help text on stderr, nothing on stdout
usage_error() {
	local t=$1 what=$2 msg=$3
	shift 3
	"$TSAM_BIN/$t" "$@" >"$T/out" 2>"$T/err" </dev/null
	eq "$t $what: exit 2" 2 "$?"
	check "$t $what: says '$msg'" grep -qF -- "$msg" <(head -n 1 "$T/err")
	check "$t $what: then the usage" cmp -s "$T/help-$t" <(tail -n +2 "$T/err")
	check "$t $what: nothing on stdout" test ! -s "$T/out"
}

for t in tsam-collect tsam-check tsam-cases tsam-report tsam-review; do
	H=$T/help-$t
	"$TSAM_BIN/$t" --help >"$H" 2>"$T/err"
	eq "$t --help: exit 0" 0 "$?"
	check "$t --help: starts 'usage: $t'" grep -q "^usage: $t " <(head -n 1 "$H")
	check "$t --help: lists --version" grep -q -- "-V, --version" "$H"
	check "$t --help: ends with the exit statuses" grep -q "^Exit status: .*2 usage\.$" <(tail -n 1 "$H")
	check "$t --help: nothing on stderr" test ! -s "$T/err"
	"$TSAM_BIN/$t" -h >"$T/h" 2>&1
	eq "$t -h: exit 0" 0 "$?"
	check "$t -h: the same as --help" cmp -s "$H" "$T/h"
	"$TSAM_BIN/$t" --help --bogus >"$T/h" 2>&1
	eq "$t --help before a bad option: exit 0" 0 "$?"

	for v in --version -V; do
		out=$("$TSAM_BIN/$t" $v 2>"$T/err")
		eq "$t $v: exit 0" 0 "$?"
		eq "$t $v: name and version" "$t $version" "$out"
		check "$t $v: nothing on stderr" test ! -s "$T/err"
	done

	usage_error $t "--bogus" "unrecognized option '--bogus'" --bogus
	usage_error $t "-Z" "invalid option -- 'Z'" -Z
	usage_error $t "--bogus before --help" "unrecognized option '--bogus'" --bogus --help
	usage_error $t "-o without its argument" "option requires an argument -- 'o'" -o
	o=--output
	[ $t = tsam-review ] && o=--out
	usage_error $t "$o without its argument" "option '$o' requires an argument" $o
done

# numbers, sizes and instants: the option's name (once) and what it takes
usage_error tsam-collect "--jobs 0" "tsam-collect: error: --jobs: '0' is not a number from 1 to 4096" -i x -o y --jobs 0
usage_error tsam-collect "--port 65536" "tsam-collect: error: --port: '65536' is not a number from 1 to 65535" -i x -o y --port 65536
usage_error tsam-collect "--max-output 5Q" "tsam-collect: error: --max-output: '5Q' is not a number from 1 to 1099511627776" -i x -o y --max-output 5Q
usage_error tsam-collect "--max-output ''" "tsam-collect: error: --max-output: '' is not a number from 1 to 1099511627776" -i x -o y --max-output ''
usage_error tsam-collect "--max-output 1000000000000G" "tsam-collect: error: --max-output: '1000000000000G' is too large" -i x -o y --max-output 1000000000000G
usage_error tsam-check "--threads 65" "tsam-check: error: --threads: '65' is not a number from 1 to 64" r -o f --threads 65
usage_error tsam-cases "--fee -1" "tsam-cases: error: --fee: '-1' is not a number from 0 to 2000000000" --fee -1
usage_error tsam-review "--jobs 0" "tsam-review: error: --jobs: '0' is not a number from 1 to 64" --jobs 0
usage_error tsam-review "--sessions x" "tsam-review: error: --sessions: 'x' is not a number from 1 to 4096" --sessions x
usage_error tsam-cases "--as-of 2026-13-01" "tsam-cases: error: --as-of: '2026-13-01' is not YYYY-MM-DDTHH:MM:SSZ" --as-of 2026-13-01
usage_error tsam-review "--as-of yesterday" "tsam-review: error: --as-of: 'yesterday' is not YYYY-MM-DDTHH:MM:SSZ" --as-of yesterday
# a tool's own usage errors look the same
usage_error tsam-collect "a stray operand" "tsam-collect: error: unexpected argument 'extra'" -i x -o y extra
usage_error tsam-collect "--become xyz" "tsam-collect: error: --become: 'xyz' is not sudo, doas or none" -i x -o y --become xyz
usage_error tsam-check "--fail-on bad" "tsam-check: error: --fail-on: 'bad' is not critical, high, medium, low or info" r -o f --fail-on bad
usage_error tsam-cases "--explain without its argument" "option '--explain' requires an argument" --cases c --quarter 2026Q3 --explain
usage_error tsam-cases "neither -o nor --explain" "tsam-cases: error: need --cases FILE, --quarter YYYYQn and -o FILE (or --explain CASE_ID)" --cases c --quarter 2026Q3
usage_error tsam-cases "65 cases to --explain" "tsam-cases: error: --explain: at most 64 cases" --cases c --quarter 2026Q3 $(for i in $(seq 65); do printf -- '--explain C%d ' "$i"; done)
usage_error tsam-report "--lang de" "tsam-report: error: --lang: 'de' is not ja or en" --lang de
finish
