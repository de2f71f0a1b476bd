#!/bin/bash
# examples/live-demo.sh - the pipeline's first half live: tsam-collect over
# the demo fleet of examples/demo-fleet.sh (emulated on loopback by a real
# OpenSSH sshd in a private network namespace), then tsam-check over the
# run; where the results are is printed. (The snapshots in examples/seed/
# were captured from this fleet once.)
# Needs root (the fleet's chroots and test account).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "${TSAM_FLEET_NS:-}" = "" ]; then
	"$top/scripts/install-deps.sh"
	"$top/scripts/build.sh" "$top/build" >/dev/null
	mkdir -p "$top/out"
	rm -rf "$top/out/demo-run" "$top/out/demo-findings.json"
fi
TSAM_SRC=$top
TSAM_BIN=$top/build/tools
TSAM_TEST_BIN=$top/build/tests
export TSAM_SRC TSAM_BIN TSAM_TEST_BIN
. "$top/tests/ssh/fleet.sh"
set +u
fleet_enter "$@"
set -u
fleet_init demo
. "$top/examples/demo-fleet.sh"
fleet_start
echo "demo: $(grep -c . "$FLEET/inventory") hosts on loopback; collecting..." >&2
set +e
"$TSAM_BIN/tsam-collect" -i "$FLEET/inventory" -o "$top/out/demo-run" \
	--known-hosts "$FLEET/known_hosts" --identity "$FLEET/client/id_ed25519" \
	--no-agent -u "$FLEET_USER" --command-timeout 10 --login-timeout 10
rc=$?
set -e
cp "$FLEET/inventory" "$top/out/demo-run/inventory.txt"
echo "demo: tsam-collect exited $rc (3: some hosts failed, as the demo fleet intends)" >&2
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || exit 1
"$TSAM_BIN/tsam-check" "$top/out/demo-run" -o "$top/out/demo-findings.json" || exit 1
echo "demo: run record:  $top/out/demo-run/run.json" >&2
echo "demo: snapshots:   $top/out/demo-run/hosts/" >&2
echo "demo: findings:    $top/out/demo-findings.json" >&2
