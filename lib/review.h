/*
 * review.h - the quarterly run for a portfolio: per customer the checks
 * over the latest snapshots (with waivers and last year's findings), the
 * case statistics and the report, each through the library; per TSAM a
 * portfolio summary PDF; and OUT/index.json. Customers run in parallel
 * processes, so one customer's failure (or crash) never stops the others.
 */
#ifndef TSAM_REVIEW_H
#define TSAM_REVIEW_H

#include "err.h"
#include "identity.h"
#include "json.h"
#include "portfolio.h"
#include "rules.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct tsam_review_opts {
	const char *datadir;	    /* collectors/, sla/, report-templates/ */
	const char *out;	    /* output directory */
	int year, quarter;	    /* the review quarter */
	const char *snapshots_root; /* ROOT/<customer> run dirs; NULL: each
				       customer's "snapshots" */
	int64_t as_of;		    /* 0: each export's latest time */
	int64_t created;	    /* document date */
	unsigned jobs;		    /* customers at once, >= 1 */
	bool quiet;
	/* collect each fleet first (libssh2 initialised by the caller):
	 * into OUT/<tsam>/<customer>-<quarter>-run, then check that */
	bool collect;
	unsigned collect_jobs;	     /* SSH sessions at once */
	const char *passphrase_env;  /* for encrypted keys */
	tsam_ask_secret_fn *ask;     /* else asked through it (NULL: not) */
	volatile sig_atomic_t *stop; /* set by a signal: wind down */
};

/*
 * Runs one customer (index i of p) and returns its summary row in *row
 * (the caller's): status, files written, key figures, traffic lights.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_review_customer(const struct tsam_portfolio *p, size_t i,
		     const struct tsam_rules *rules,
		     const struct tsam_review_opts *o, json_object **row,
		     struct tsam_errbuf *eb);

/* What a run could not complete, counted apart. */
struct tsam_review_failed {
	size_t customers; /* customers without their review (index.json:
			     status "failed", with the error) */
	size_t summaries; /* TSAMs without their summary PDF (index.json:
			     tsams[].status "failed", with the error) */
};

/*
 * What must hold before a run writes anything: no two outputs of the
 * portfolio are one file for o's quarter (tsam_portfolio_check_outputs),
 * and the templates used (quarterly-review, portfolio-summary) and both
 * catalogues are valid. TSAM_OK, or the error naming file and key or
 * both entries. tsam_review_run calls it first.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_review_check(const struct tsam_portfolio *p,
		  const struct tsam_review_opts *o, struct tsam_errbuf *eb);

/*
 * Runs every customer (o->jobs at a time), writes the TSAMs' summary PDFs
 * and OUT/index.json, and returns the index in *index (the caller's).
 * *failed counts the customers and the summaries that did not complete
 * (index.json's "outcome" says the same, with their ids). An error
 * returned (tsam_review_check's, say) means nothing was run.
 */
TSAM_MUST_CHECK enum tsam_err tsam_review_run(const struct tsam_portfolio *p,
					      const struct tsam_review_opts *o,
					      json_object **index,
					      struct tsam_review_failed *failed,
					      struct tsam_errbuf *eb);

#endif
