/*
 * casestats.h - a customer's stats.json from their ticket exports, the
 * pipeline tsam-cases and tsam-review both run: the mapping (a file or a
 * preset), the support calendar and the 24x7 one, the zone naive times
 * are read in, the cases and events loaded (cases.h), the quarter's
 * statistics (sla.h) and the review meeting's detail (casedetail.h).
 */
#ifndef TSAM_CASESTATS_H
#define TSAM_CASESTATS_H

#include "calendar.h"
#include "cases.h"
#include "err.h"
#include "json.h"
#include "mapping.h"
#include "policy.h"
#include "sla.h"
#include "tz.h"

#include <stdbool.h>

/* What to compute from what. */
struct tsam_casestats_opts {
	const char *datadir;  /* presets, calendars */
	const char *mapping;  /* a mapping file or a preset's name; NULL:
				 the default columns */
	const char *encoding; /* over the mapping's; NULL: the mapping's */
	const char *calendar; /* the support calendar: a name or a file */
	const char *zone;     /* a 24x7 calendar's zone (its quarters and
				 months; NULL: UTC); a business calendar's
				 own zone or NULL */
	const struct tsam_policy *policy;
	/* the exports (cases_path, events_path, customer, strict, trace,
	 * explain): map and zone are filled in */
	struct tsam_cases_opts cases;
	/* the quarter, tier, as_of, fee, currency, customer, max_list:
	 * policy, support and wall are filled in; trace from explain */
	struct tsam_sla_opts sla;
};

/* What the pipeline loaded, kept for the caller's summary and
 * --explain; freed with tsam_casestats_free. */
struct tsam_casestats {
	struct tsam_mapping map;
	bool map_ok;
	struct tsam_cases cs;
	struct tsam_cal *support, *wall;
	struct tsam_tz *zone;
	/* the explained cases that are the customer's, each named once, in
	 * the order of o->cases.explain, traced by the SLA computation */
	struct tsam_sla_trace traces[TSAM_CASES_MAX_EXPLAIN];
	size_t ntrace;
};

/*
 * Runs the pipeline: *out (the caller's) is stats.json with its
 * review_detail; st keeps what was loaded (zeroed here; the caller frees
 * it with tsam_casestats_free whatever this returns). Errors name the
 * file, and line where there is one.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_casestats_run(const struct tsam_casestats_opts *o,
		   struct tsam_casestats *st, json_object **out,
		   struct tsam_errbuf *eb);

/* Frees what st holds. */
void tsam_casestats_free(struct tsam_casestats *st);

#endif
