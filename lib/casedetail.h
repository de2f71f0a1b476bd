/*
 * casedetail.h - what a quarterly review meeting asks about the cases
 * beyond the SLA figures: the cases open at the end of the quarter (status,
 * age, the last event and whose move it is), the severity changes of the
 * quarter, and the contract's targets and credit rule in a structured
 * form. Added to stats.json as its own member, "review_detail"
 * (docs/stats.schema.json), next to what lib/sla.c computes and
 * consistent with it: the open cases are those counted in
 * counts.backlog_end.
 */
#ifndef TSAM_CASEDETAIL_H
#define TSAM_CASEDETAIL_H

#include "err.h"

#include "cases.h"
#include "json.h"
#include "policy.h"

/*
 * Adds "review_detail" to stats (a document tsam_sla_stats made from cs
 * with the same policy and tier: its period.end and as_of are used), with
 * at most max_list (0: 1000) entries per list and the totals. Returns
 * TSAM_OK, TSAM_ERR_PARSE when stats lacks period.end or as_of, or
 * TSAM_ERR_NOMEM.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_casedetail_add(const struct tsam_cases *cs, const struct tsam_policy *pol,
		    enum tsam_tier tier, json_object *stats, size_t max_list,
		    struct tsam_errbuf *eb);

#endif
