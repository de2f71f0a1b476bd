/*
 * doc_portfolio.c - fuzz_doc kind: a portfolio.json, loaded as
 * tsam-review does (tsam_portfolio_load, then tsam_review_check: output
 * names clash-free, templates valid), then used: every customer's output
 * names and TSAM, and the first TSAM's summary rendered to a scratch PDF
 * with a row per customer (names, tiers). A portfolio that passed the
 * checks must render: a failure then aborts.
 */
#include "doc.h"
#include "portfolio.h"
#include "review.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "portfolio.json";

/* The summary of TSAM 0, as tsam-review draws it, with rows made from
 * the portfolio alone; it must render. */
static void render_summary(const struct tsam_portfolio *p)
{
	struct tsam_report_in in;
	json_object *pf = json_object_new_object(), *ts, *rows, *cust;
	size_t i;

	ts = json_object_new_object();
	tsam_json_add_str(ts, "name", p->tsams[0].name);
	tsam_json_add_str(ts, "email", p->tsams[0].email);
	json_object_object_add(pf, "tsam", ts);
	tsam_json_add_str(pf, "quarter", "2026Q3");
	rows = json_object_new_array();
	for (i = 0; i < p->n; i++) {
		const struct tsam_customer *c = &p->customers[i];
		json_object *row = json_object_new_object();

		tsam_json_add_str(row, "id", c->id);
		tsam_json_add_str(row, "name", c->name);
		tsam_json_add_str(row, "tier", c->tier);
		tsam_json_add_str(row, "status", i % 2 ? "ok" : "failed");
		tsam_json_add_str(row, "error", c->name);
		tsam_json_add_double(row, "credits_percent", c->fee / 1e13);
		json_object_array_add(rows, row);
	}
	json_object_object_add(pf, "rows", rows);
	cust = json_object_new_object();
	tsam_json_add_str(cust, "name", p->tsams[0].name);
	json_object_object_add(cust, "tsam", json_object_get(ts));
	memset(&in, 0, sizeof(in));
	in.customer = cust;
	in.portfolio = pf;
	fuzz_doc_render(&in, "portfolio-summary", p->tsams[0].lang);
	json_object_put(cust);
	json_object_put(pf);
}

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	struct tsam_portfolio p;
	struct tsam_review_opts o;
	char name[256];
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&o, 0, sizeof(o));
	o.datadir = TSAM_SOURCE_DIR;
	o.out = "/tmp/tsam-fuzz-portfolio-out";
	o.year = 2026;
	o.quarter = 3;
	o.collect = true;
	rc = tsam_portfolio_load(path, &p, eb);
	if (rc == TSAM_OK)
		rc = tsam_review_check(&p, &o, eb);
	if (rc != TSAM_OK) {
		tsam_portfolio_free(&p);
		return rc;
	}
	for (i = 0; i < p.n; i++) {
		tsam_portfolio_out_name(&p, TSAM_OUT_PDF, i, 2026, 3, name,
					sizeof(name));
		if (tsam_portfolio_tsam(&p, p.customers[i].tsam) == NULL)
			abort(); /* checked at load */
	}
	render_summary(&p);
	tsam_portfolio_free(&p);
	return TSAM_OK;
}
