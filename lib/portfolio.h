/*
 * portfolio.h - portfolio.json: the TSAMs and the customers they look after,
 * with every input of a customer's quarterly run (docs/tsam-review.md).
 * Relative paths are relative to the portfolio file's directory.
 */
#ifndef TSAM_PORTFOLIO_H
#define TSAM_PORTFOLIO_H

#include "err.h"
#include "json.h"

#include <stddef.h>

struct tsam_tsam {
	const char *id, *name, *email, *lang;
};

struct tsam_customer {
	const char *id, *name, *tier, *lang, *calendar, *tsam;
	char *snapshots; /* run directory of the latest collection */
	char *inventory, *known_hosts, *identity; /* for a new collection */
	char *waivers, *previous; /* waivers.json, last year's findings */
	char *cases, *events, *mapping, *policy;
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
int tsam_portfolio_load(const char *path, struct tsam_portfolio *p,
			struct tsam_errbuf *eb);

/* Frees what p holds. */
void tsam_portfolio_free(struct tsam_portfolio *p);

/* The TSAM with id, or NULL. */
const struct tsam_tsam *tsam_portfolio_tsam(const struct tsam_portfolio *p,
					    const char *id);

#endif
