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
#include "findings.h"
#include "json.h"
#include "rules.h"
#include "waivers.h"

/* Weight of a severity in the score (critical 10, high 6, medium 3,
 * low 1, info 0). */
int tsam_check_weight(enum tsam_severity s);

/* The highest score of a host with a failed critical rule, and with a
 * failed high one (docs/rules.md, "Score"). */
#define TSAM_SCORE_CAP_CRITICAL 49
#define TSAM_SCORE_CAP_HIGH	79

/*
 * Checks the run in rundir against rules on threads threads (0: one per
 * core, one for fewer than 64 hosts; the findings are the same whatever
 * the count); *out (the caller's) is the findings document, each host's results
 * kept as JSON text until read with tsam_findings_expand_results. A damaged
 * snapshot makes its host "uncollected" with the reason; only an unreadable
 * run.json fails the call.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_check_run(const char *rundir, const struct tsam_rules *rules,
	       struct tsam_waivers *waivers, unsigned threads,
	       json_object **out, struct tsam_errbuf *eb);

/*
 * The findings of a run, as tsam-check and tsam-review make them: the
 * waivers at waivers_path (NULL: none) loaded against rules, the run
 * checked (tsam_check_run), and, when baseline (last year's findings,
 * the caller's) is given, the diff with it recorded under baseline_name.
 * *out is the caller's. Errors name the file.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_check_findings(const char *rundir, const struct tsam_rules *rules,
		    const char *waivers_path, unsigned threads,
		    json_object *baseline, const char *baseline_name,
		    json_object **out, struct tsam_errbuf *eb);

#endif
