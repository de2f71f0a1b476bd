# bench/lib.sh - the prelude every benchmark shares: where the build and
# the test fleet are, and how a run is timed. Sourced by bench/*.sh; those
# that need the fleet then call fleet_enter.
top=$(cd "$(dirname "$0")/.." && pwd)
TSAM_SRC=$top
TSAM_BIN=${TSAM_BIN:-$top/build/tools}
TSAM_TEST_BIN=${TSAM_TEST_BIN:-$top/build/tests}
export TSAM_SRC TSAM_BIN TSAM_TEST_BIN
. "$top/tests/ssh/fleet.sh"

# bench_median TMPFILE CMD...: "wall user sys maxrss" (seconds, KiB) of the
# median by wall time of three runs of CMD after one warm-up run (page
# cache, and the kernel's free huge pages after a generator filled memory
# with page cache); TMPFILE holds /usr/bin/time's report.
bench_median() {
	local tf=$1 i
	shift
	"$@" >/dev/null 2>&1
	for i in 1 2 3; do
		/usr/bin/time -f "%e %U %S %M" -o "$tf" "$@" >/dev/null 2>&1
		tail -n 1 "$tf"
	done | sort -n | sed -n 2p
}

# bench_measure KEY LABEL CMD...: runs CMD once (stdout and stderr into
# $FLEET/out.KEY, err.KEY) and prints one line: wall time, CPU (user+sys,
# children included), CPU per host ($N hosts) and peak RSS.
bench_measure() {
	local key=$1 label=$2 wall user sys rss
	shift 2
	/usr/bin/time -f "%e %U %S %M" -o "$FLEET/time" "$@" >"$FLEET/out.$key" 2>"$FLEET/err.$key"
	read -r wall user sys rss < <(tail -n 1 "$FLEET/time")
	printf '%-36s %8.2f s wall %8.2f s CPU %8.1f ms CPU/host %7.1f MiB peak RSS\n' \
		"$label" "$wall" "$(echo "$user + $sys" | bc)" \
		"$(echo "($user + $sys) * 1000 / $N" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}
