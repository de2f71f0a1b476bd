#!/bin/bash
# bench/cases-vs-mawk.sh [CASES] - tsam-cases over a synthetic export of
# CASES cases (default 1,000,000) with their event log, against mawk
# splitting the same two files into fields (mawk -F, '{n+=NF} END{print n}'),
# in one run, page cache warm, median of three runs each. Also times
# tsamkit's CSV reader alone (lib/csvread.c, no work per row), to show the
# floor it sets. Then the same event log rewritten as a history log (one
# snapshot per event: the ticket's state and severity on every row, as
# ServiceNow's history exports give it) read in history mode, against mawk
# on that file.
# Run scripts/build.sh first. See BENCHMARKS.md.
set -eu
. "$(dirname "$0")/lib.sh"
N=${1:-1000000}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cc -O2 -o "$W/gen-cases" "$top/bench/gen-cases.c"
cc -O2 -I"$top/lib" -o "$W/csv-only" "$top/bench/csv-only.c" "$top/build/lib/libtsam.a"
"$W/gen-cases" "$N" "$W/cases.csv" "$W/events.csv"
echo "input: $N cases ($(du -h "$W/cases.csv" | cut -f1)), $(($(wc -l <"$W/events.csv") - 1)) events ($(du -h "$W/events.csv" | cut -f1))"
cat "$W/cases.csv" "$W/events.csv" >/dev/null
t() { bench_median "$W/t" "$@"; }
row() { printf '%-40s %6.2f s wall %6.2f s CPU %8.1f MiB peak RSS\n' "$1" "$2" "$(echo "$3 + $4" | bc)" "$(echo "$5 / 1024" | bc -l)"; }
read -r mw mu ms mm <<<"$(t mawk -F, '{n+=NF} END{print n}' "$W/cases.csv" "$W/events.csv")"
read -r lw lu ls lm <<<"$(t "$W/csv-only" "$W/cases.csv" "$W/events.csv")"
read -r cw cu cs cm <<<"$(t "$TSAM_BIN/tsam-cases" --cases "$W/cases.csv" --events "$W/events.csv" \
	--quarter 2026Q3 -o "$W/stats.json" --quiet)"
row "mawk -F, (split into fields)" "$mw" "$mu" "$ms" "$mm"
row "its CSV reader alone (counting fields)" "$lw" "$lu" "$ls" "$lm"
row "tsam-cases (load, timelines, stats)" "$cw" "$cu" "$cs" "$cm"
echo "ratio: $(echo "scale=2; $cw / $mw" | bc)x mawk's wall time; opened in 2026Q3: $(jq .counts.opened "$W/stats.json"), breaches: $(jq .breaches_total "$W/stats.json")"
# history mode: the events as snapshots (state and severity on every row)
awk -F, 'NR == 1 { print "case,time,state,severity"; next }
	$1 != c { c = $1; sev = ""; st = "New" }
	{ k = $3
	  if (k == "severity_change") sev = $4
	  else if (k == "pending_customer") st = "Pending"
	  else if (k == "resolved") st = "Resolved"
	  else if (k == "closed") st = "Closed"
	  else st = "In Progress"
	  print $1 "," $2 "," st "," sev }' "$W/events.csv" >"$W/history.csv"
cat >"$W/history.json" <<'JSON'
{"schema": "tsamkit-mapping/1",
 "states": {"New": "none", "In Progress": "none", "Pending": "pending_customer", "Resolved": "resolved", "Closed": "closed"},
 "history": {"layout": "snapshots", "first_response": {"leaves_states": ["New"]}}}
JSON
read -r hmw hmu hms hmm <<<"$(t mawk -F, '{n+=NF} END{print n}' "$W/cases.csv" "$W/history.csv")"
read -r hw hu hs hm <<<"$(t "$TSAM_BIN/tsam-cases" --cases "$W/cases.csv" --events "$W/history.csv" \
	--mapping "$W/history.json" --quarter 2026Q3 -o "$W/hstats.json" --quiet)"
row "mawk -F, (history log)" "$hmw" "$hmu" "$hms" "$hmm"
row "tsam-cases, history mode" "$hw" "$hu" "$hs" "$hm"
echo "history ratio: $(echo "scale=2; $hw / $hmw" | bc)x mawk's wall time; derived: $(jq -c .input.events.history.derived "$W/hstats.json")"
