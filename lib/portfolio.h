/*
 * portfolio.h - portfolio.json: the TSAMs and the customers they look after,
 * with every input of a customer's quarterly run (docs/tsam-review.md).
 * Relative paths are relative to the portfolio file's directory.
 */
#ifndef TSAM_PORTFOLIO_H
#define TSAM_PORTFOLIO_H

#include "err.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>

struct tsam_tsam {
	const char *id, *name, *email, *lang;
};

struct tsam_customer {
	const char *id, *name, *tier, *lang, *calendar, *tsam;
	const char *zone; /* the zone its reports show times in, or NULL:
			     the support calendar's */
	char *snapshots;  /* run directory of the latest collection */
	char *inventory, *known_hosts, *identity; /* for a new collection */
	char *waivers, *previous; /* waivers.json, last year's findings */
	char *cases, *events, *mapping, *policy;
	char *actions, *narrative;  /* the action register, the TSAM's
				       paragraph (the review's) */
	const char *next_review;    /* "YYYY-MM-DD[ HH:MM]", or NULL */
	const char *cases_customer; /* keep only rows with this customer */
	const char *user;	    /* SSH user for a new collection */
	double fee;
	const char *currency;
	json_object *doc; /* the customer's object in the portfolio */
};

struct tsam_portfolio {
	char *path, *dir;
	json_object *doc;
	struct tsam_tsam *tsams;
	size_t ntsams;
	struct tsam_customer *customers;
	size_t n;
};

/*
 * Loads and validates path into p (zeroed by the caller; free with
 * tsam_portfolio_free also on failure). Errors name the file and the entry
 * ("portfolio.json: customers[3].tsam: \"x\" is not one of tsams[].id").
 */
TSAM_MUST_CHECK enum tsam_err tsam_portfolio_load(const char *path,
						  struct tsam_portfolio *p,
						  struct tsam_errbuf *eb);

/* Frees what p holds. */
void tsam_portfolio_free(struct tsam_portfolio *p);

/* The TSAM with id, or NULL. */
const struct tsam_tsam *tsam_portfolio_tsam(const struct tsam_portfolio *p,
					    const char *id);

/* What tsam-review writes for an entry of the portfolio, under OUT. */
enum tsam_portfolio_out {
	TSAM_OUT_PDF,	   /* customer i: <tsam>/<id>-<quarter>.pdf */
	TSAM_OUT_STATS,	   /* customer i: <tsam>/<id>-<quarter>-stats.json */
	TSAM_OUT_FINDINGS, /* customer i: ...-findings.json */
	TSAM_OUT_RUN,  /* customer i, --collect: <tsam>/<id>-<quarter>-run/ */
	TSAM_OUT_WORK, /* customer i: .work/<id>.json (the worker's row) */
	TSAM_OUT_SUMMARY, /* TSAM i: <tsam>/portfolio-<quarter>.pdf */
	TSAM_OUT_TSAM_DIR /* TSAM i: <tsam>/ */
};

/*
 * The name, relative to OUT, of what entry i (a customer, or a TSAM for
 * TSAM_OUT_SUMMARY and TSAM_OUT_TSAM_DIR) writes for the quarter, into
 * out (n bytes). Every output of tsam-review is named here, so that the
 * names checked by tsam_portfolio_check_outputs are the ones written.
 */
void tsam_portfolio_out_name(const struct tsam_portfolio *p,
			     enum tsam_portfolio_out kind, size_t i, int year,
			     int quarter, char *out, size_t n);

/*
 * Checks that no two entries of p would write the same file for the
 * quarter (with collect: the run directories too), comparing the final
 * names, after every mapping, ignoring case (one file on case-insensitive
 * file systems): a customer "portfolio" against its TSAM's summary, say.
 * TSAM_ERR_DUP naming both entries and the file, else TSAM_OK.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_portfolio_check_outputs(const struct tsam_portfolio *p, int year,
			     int quarter, bool collect, struct tsam_errbuf *eb);

#endif
