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

# The header, then who the collectors run as (the "tsam" pseudo-collector's
# identity section: id(1)'s line), which the run record and the facts keep.
tsam_header() {
	printf 'TSAMKIT-COLLECT 1 %s\n' "$TSAM_B"
	TSAM_COLLECTOR=tsam
	tsam_run identity id
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

# tsam_hidden PATH: true when this account cannot look at PATH: it exists
# but cannot be read (a file) or entered (a directory), or it seems missing
# only because a directory on its way exists but cannot be entered ([ -f ]
# is false both for a missing file and for one behind a closed directory).
tsam_hidden() {
	if [ -e "$1" ]; then
		if [ -d "$1" ]; then
			[ ! -x "$1" ]
		else
			[ ! -r "$1" ]
		fi
		return
	fi
	_tsam_d=$1
	while :; do
		case $_tsam_d in
		?*/*) _tsam_d=${_tsam_d%/*} ;;
		*) return 1 ;;
		esac
		if [ -e "$_tsam_d" ]; then
			[ ! -x "$_tsam_d" ]
			return
		fi
	done
}

# tsam_denied SECTION PATH: the section that stands for one this account
# could not collect: status 3, "permission denied: PATH (uid N)".
tsam_denied() {
	tsam_text_rc "$1" 3 "permission denied: $2 (uid $(id -u))"
}

# tsam_file SECTION PATH: a file's content; status 2 when it is missing,
# 3 when this account cannot read it (tsam_hidden).
tsam_file() {
	if tsam_hidden "$2"; then
		tsam_denied "$1" "$2"
		return
	fi
	printf '%s begin %s %s\n' "$TSAM_B" "$TSAM_COLLECTOR" "$1"
	if [ ! -e "$2" ]; then
		_tsam_rc=2
	else
		$TSAM_TIMEOUT cat -- "$2" </dev/null 2>&1
		_tsam_rc=$?
	fi
	printf '\n%s end %s %s rc=%s\n' "$TSAM_B" "$TSAM_COLLECTOR" "$1" "$_tsam_rc"
}

# tsam_run_in PATH SECTION COMMAND [ARG...]: tsam_run, unless PATH (what
# the command reads) is hidden from this account: then tsam_denied.
tsam_run_in() {
	if tsam_hidden "$1"; then
		tsam_denied "$2" "$1"
		return
	fi
	shift
	tsam_run "$@"
}

# tsam_text SECTION TEXT: a section with a fixed text (status 0).
tsam_text() {
	tsam_text_rc "$1" 0 "$2"
}

# tsam_text_rc SECTION STATUS TEXT: a section with a fixed text and status.
tsam_text_rc() {
	printf '%s begin %s %s\n%s\n%s end %s %s rc=%s\n' "$TSAM_B" "$TSAM_COLLECTOR" "$1" \
		"$3" "$TSAM_B" "$TSAM_COLLECTOR" "$1" "$2"
}

tsam_trailer() {
	printf '%s trailer rc=%s\n' "$TSAM_B" "$TSAM_STATUS"
}
