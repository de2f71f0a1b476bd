# tests/ssh/lib.sh - assertions shared by the SSH and CLI test scripts.
set -u
# Defaults for running a script by hand from the source tree.
TSAM_BIN=${TSAM_BIN:-$TSAM_SRC/build/tools}
TSAM_TEST_BIN=${TSAM_TEST_BIN:-$TSAM_SRC/build/tests}
TSAMKIT_DATADIR=${TSAMKIT_DATADIR:-$TSAM_SRC}
export TSAM_SRC TSAM_BIN TSAM_TEST_BIN TSAMKIT_DATADIR
FAILS=0
CHECKS=0

fail() {
	echo "FAIL: $*" >&2
	FAILS=$((FAILS + 1))
}

# check DESCRIPTION COMMAND...: counts a check; reports it when it fails.
check() {
	local what=$1
	shift
	CHECKS=$((CHECKS + 1))
	if ! "$@"; then
		fail "$what"
	fi
}

# eq DESCRIPTION EXPECTED ACTUAL
eq() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" != "$3" ]; then
		fail "$1: expected '$2', got '$3'"
	fi
}

# status_of RUNDIR HOST: the host's status in run.json.
status_of() {
	jq -r --arg h "$2" '.hosts[] | select(.name == $h) | .status' "$1/run.json"
}

error_of() {
	jq -r --arg h "$2" '.hosts[] | select(.name == $h) | .error' "$1/run.json"
}

# snapshot RUNDIR HOST: the host's snapshot, uncompressed, on stdout.
snapshot() {
	zcat "$1/hosts/$2.json.gz"
}

# valid_run DIR: DIR/run.json follows docs/run.schema.json and every
# snapshot docs/snapshot.schema.json (a check each).
valid_run() {
	local v="/usr/bin/python3 $TSAM_SRC/tests/validate-json.py" f t
	check "run.json follows docs/run.schema.json" $v "$TSAM_SRC/docs/run.schema.json" "$1/run.json"
	t=$(mktemp -d)
	for f in "$1"/hosts/*.json.gz; do
		zcat "$f" >"$t/$(basename "$f" .gz)"
	done
	check "every snapshot follows docs/snapshot.schema.json" $v "$TSAM_SRC/docs/snapshot.schema.json" "$t"/*.json
	rm -rf "$t"
}

finish() {
	local f
	if [ "$FAILS" -gt 0 ] && [ -n "${FLEET:-}" ]; then
		# What went wrong on each host, for the CI log.
		for f in "$FLEET"/*/run.json; do
			[ -e "$f" ] || continue
			jq -r --arg f "$f" '.hosts[] | select(.status != "ok") |
				"  \($f): \(.name): \(.status): \(.error) (attempts \(.attempts // 0), phases \(.phases // {} | tostring))"' "$f" >&2
		done
		tail -n 20 "$FLEET/sshd.log" >&2 2>/dev/null
	fi
	echo "$CHECKS checks, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
