/*
 * findings.h - the findings document (docs/findings.schema.json) once it
 * is made: a host's results, the comparison with last year's findings,
 * and JUnit XML for CI dashboards. tsam_check_run (check.h) makes it;
 * tsam-check, tsam-review and the report read it.
 */
#ifndef TSAM_FINDINGS_H
#define TSAM_FINDINGS_H

#include "err.h"
#include "json.h"

#define TSAM_FINDINGS_SCHEMA "tsamkit-findings/1"

/*
 * A host's results array in a findings document: the one a loaded file
 * holds, or, in a document just made by tsam_check_run (which keeps each
 * host's results as their JSON text, written out as the array itself),
 * that text parsed and put in its place - host's "results" member is
 * replaced by the array. Borrowed from host; NULL if the host has none.
 */
json_object *tsam_findings_expand_results(json_object *host);

/*
 * Compares findings with an earlier findings document (last year's) and
 * adds "diff": new_failures, fixed, still_failing ({host, rule}), hosts
 * and rules added and removed. Failing means fail or error; a waived
 * result does not fail. baseline_name is recorded as the baseline.
 */
TSAM_MUST_CHECK enum tsam_err tsam_findings_diff(json_object *findings,
						 json_object *baseline,
						 const char *baseline_name,
						 struct tsam_errbuf *eb);

/*
 * Writes findings (as made by tsam_check_run) as JUnit XML to path,
 * atomically, 0600: one testsuite per host, one testcase per rule;
 * fail -> <failure>, error -> <error>, not_applicable and waived ->
 * <skipped>. Hosts not collected are one <error> testcase each.
 */
TSAM_MUST_CHECK enum tsam_err tsam_findings_junit(json_object *findings,
						  const char *path,
						  struct tsam_errbuf *eb);

#endif
