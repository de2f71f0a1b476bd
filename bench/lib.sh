# bench/lib.sh - the prelude every benchmark shares: where the build and
# the test fleet are. Sourced by bench/*.sh; then they source
# tests/ssh/fleet.sh and call fleet_enter.
top=$(cd "$(dirname "$0")/.." && pwd)
TSAM_SRC=$top
TSAM_BIN=${TSAM_BIN:-$top/build/tools}
TSAM_TEST_BIN=${TSAM_TEST_BIN:-$top/build/tests}
export TSAM_SRC TSAM_BIN TSAM_TEST_BIN
. "$top/tests/ssh/fleet.sh"
