/*
 * check.h - evaluates the rules against every host of a run directory and
 * builds findings.json (docs/rules.md): per host per rule pass, fail,
 * error (a fact missing or of another type) or not_applicable, with the
 * observed and expected values; per rule fleet counts; per host and fleet
 * scores. Hosts whose collection failed are listed apart, never counted
 * as passing. A waiver in force turns a fail or error into "waived":
 * kept in the findings, out of the score (waivers.h). Before the rules
 * run, each host's facts gain its inventory labels (label.<key>) and the
 * lifecycle table's facts (lifecycle.h).
 */
#ifndef TSAM_CHECK_H
#define TSAM_CHECK_H

#include "err.h"
#include "json.h"
#include "rules.h"
#include "waivers.h"

#define TSAM_FINDINGS_SCHEMA "tsamkit-findings/1"

/* Weight of a severity in the score (critical 10, high 6, medium 3,
 * low 1, info 0). */
int tsam_check_weight(enum tsam_severity s);

/*
 * Checks the run in rundir against rules on threads threads (0: one per
 * core, one for fewer than 64 hosts; the findings are the same whatever
 * the count); *out (the caller's) is the findings document, each host's results
 * kept as JSON text until read with tsam_check_host_results. A damaged snapshot
 * makes its host "uncollected" with the reason; only an unreadable run.json
 * fails the call.
 */
int tsam_check_run(const char *rundir, const struct tsam_rules *rules,
		   struct tsam_waivers *waivers, unsigned threads,
		   json_object **out, struct tsam_errbuf *eb);

/*
 * A host's results array in a findings document: the one a loaded file
 * holds, or, in a document just made by tsam_check_run (which keeps each
 * host's results as their JSON text, written out as the array itself),
 * that text parsed and put in its place. Borrowed from host; NULL if the
 * host has none.
 */
json_object *tsam_check_host_results(json_object *host);

/*
 * Compares findings with an earlier findings document (last year's) and
 * adds "diff": new_failures, fixed, still_failing ({host, rule}), hosts
 * and rules added and removed. Failing means fail or error; a waived
 * result does not fail. baseline_name is recorded as the baseline.
 */
int tsam_check_diff(json_object *findings, json_object *baseline,
		    const char *baseline_name, struct tsam_errbuf *eb);

/*
 * Writes findings (as made by tsam_check_run) as JUnit XML to path,
 * atomically, 0600: one testsuite per host, one testcase per rule;
 * fail -> <failure>, error -> <error>, not_applicable and waived ->
 * <skipped>. Hosts not collected are one <error> testcase each.
 */
int tsam_check_junit(json_object *findings, const char *path,
		     struct tsam_errbuf *eb);

#endif
