# collectors/common.sh - helpers every collector script uses. tsam-collect
# sends this file, then each collector's collect.sh in a subshell, to
# "/bin/sh -s" on the endpoint; TSAM_B (the run's random boundary) is set
# first. POSIX sh only; reads, never writes, on the endpoint.
#
# Output format (version 1, see lib/sections.h):
#   TSAMKIT-COLLECT 1 <boundary>
#   <boundary> begin <collector> <section>
#   ...output...
#   <boundary> end <collector> <section> rc=<status>
#   <boundary> trailer rc=<status>

# Parsers need the C locale's messages and dates; Japanese-locale output is
# read where a collector asks for it explicitly.
LC_ALL=C
LANG=C
export LC_ALL LANG
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 077

# Commands are bounded by timeout(1) where the endpoint has it. Try it:
# "command -v" also names busybox applets that are not installed.
TSAM_TIMEOUT=
if timeout 5 true >/dev/null 2>&1; then
	TSAM_TIMEOUT="timeout -k 5 ${TSAM_CMD_TIMEOUT:-30}"
fi
TSAM_STATUS=0

tsam_header() {
	printf 'TSAMKIT-COLLECT 1 %s\n' "$TSAM_B"
}

# tsam_run SECTION COMMAND [ARG...]: one section with the command's stdout
# and stderr and its exit status. A missing command is status 127.
tsam_run() {
	_tsam_s=$1
	shift
	printf '%s begin %s %s\n' "$TSAM_B" "$TSAM_COLLECTOR" "$_tsam_s"
	$TSAM_TIMEOUT "$@" </dev/null 2>&1
	_tsam_rc=$?
	printf '\n%s end %s %s rc=%s\n' "$TSAM_B" "$TSAM_COLLECTOR" "$_tsam_s" "$_tsam_rc"
}

# tsam_file SECTION PATH: a file's content; status 2 when it is missing,
# 3 when it cannot be read.
tsam_file() {
	printf '%s begin %s %s\n' "$TSAM_B" "$TSAM_COLLECTOR" "$1"
	if [ ! -e "$2" ]; then
		_tsam_rc=2
	elif [ ! -r "$2" ]; then
		_tsam_rc=3
	else
		$TSAM_TIMEOUT cat -- "$2" </dev/null 2>&1
		_tsam_rc=$?
	fi
	printf '\n%s end %s %s rc=%s\n' "$TSAM_B" "$TSAM_COLLECTOR" "$1" "$_tsam_rc"
}

# tsam_text SECTION TEXT: a section with a fixed text (status 0).
tsam_text() {
	printf '%s begin %s %s\n%s\n%s end %s %s rc=0\n' "$TSAM_B" "$TSAM_COLLECTOR" "$1" \
		"$2" "$TSAM_B" "$TSAM_COLLECTOR" "$1"
}

tsam_trailer() {
	printf '%s trailer rc=%s\n' "$TSAM_B" "$TSAM_STATUS"
}
