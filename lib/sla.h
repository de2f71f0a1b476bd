/*
 * sla.h - the quarterly SLA computation: a timeline per case (severity in
 * force, first response, every update gap, escalations due and done,
 * customer-pending pauses, reopenings) evaluated against the policy on the
 * business calendar, and the statistics of stats.json (docs/cases.md).
 */
#ifndef TSAM_SLA_H
#define TSAM_SLA_H

#include "err.h"

#include "buf.h"
#include "calendar.h"
#include "cases.h"
#include "json.h"
#include "policy.h"

/* The largest quarterly fee accepted (in any currency): more is a typo, and
 * credits computed from it would lose their cents. */
#define TSAM_SLA_MAX_FEE 1e12

/*
 * One case's timeline as the computation sees it (tsam-cases --explain):
 * the engine appends to text, as it applies each event, the event and the
 * input row it came from, the severity, the clocks (running or paused,
 * each due time on its calendar), every evaluation with its status and
 * quarter, escalations, and at the end the counts the case went to. The
 * same code computes stats.json: nothing here is computed twice.
 */
struct tsam_sla_trace {
	uint32_t kase;	      /* index into cs->c of the case to trace */
	struct tsam_buf text; /* the caller's: tsam_buf_init, tsam_buf_free */
};

struct tsam_sla_opts {
	const struct tsam_policy *policy;
	enum tsam_tier tier;
	const struct tsam_cal *support; /* the customer's support calendar */
	const struct tsam_cal *wall;	/* the 24x7 calendar */
	int year, quarter;		/* the review quarter, 1-4 */
	int64_t as_of;	      /* the evaluation instant; 0: latest in data */
	const char *customer; /* id written to the output (may be NULL) */
	double fee;	      /* quarterly fee, 0 to TSAM_SLA_MAX_FEE; 0:
				 credits in percent only */
	const char *currency; /* of fee, e.g. "JPY" (needed when fee > 0) */
	size_t max_list;      /* cases listed per list; 0: 1000 */
	struct tsam_sla_trace *trace; /* cases to trace, or NULL */
	size_t ntrace;
};

/*
 * Instant t (UTC seconds) as the local time of cal's zone, as the trace
 * writes it: "2026-07-17 17:00" (":SS" when not a whole minute) into b (n
 * bytes: 20 are enough). Returns b, or "never" for t < 0.
 */
const char *tsam_sla_local_time(const struct tsam_cal *cal, int64_t t, char *b,
				size_t n);

/*
 * Computes the statistics of the quarter and the four before it over cs
 * (other customers' cases skipped) into a new JSON object *out, the
 * caller's (json_object_put). A fee that is not a finite amount from 0 to
 * TSAM_SLA_MAX_FEE, or a fee without a currency, is TSAM_ERR_INVAL
 * ("fee: ...", naming the customer), so every amount written is a finite
 * number.
 */
TSAM_MUST_CHECK enum tsam_err tsam_sla_stats(const struct tsam_cases *cs,
					     const struct tsam_sla_opts *o,
					     json_object **out,
					     struct tsam_errbuf *eb);

#endif
