/*
 * review.c - tsam-review's work: one customer at a time through checks,
 * case statistics and the report, in worker processes (fork) so customers
 * run in parallel and a failure, even a crash, stays with its customer;
 * then the per-TSAM summary PDFs and index.json.
 */
#include "review.h"

#include "cases.h"
#include "casestats.h"
#include "check.h"
#include "collect.h"
#include "hostlist.h"
#include "inventory.h"
#include "knownhosts.h"
#include "date.h"
#include "fsio.h"
#include "log.h"
#include "policy.h"
#include "report.h"
#include "sla.h"
#include "stats.h"
#include "waivers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATH_MAX_LEN 4096
#define OUT_MAX_LEN  2048 /* OUT's own length: its paths fit PATH_MAX_LEN */

static const char *light(double v, double green, double amber, bool higher)
{
	if (isnan(v))
		return "grey";
	if (higher)
		return v >= green ? "green" : (v >= amber ? "amber" : "red");
	return v <= green ? "green" : (v <= amber ? "amber" : "red");
}

/* Findings over the customer's latest snapshots, waivers and diff. */
static int findings_for(const struct tsam_customer *c, const char *rundir,
			const struct tsam_rules *rules, json_object **out,
			struct tsam_errbuf *eb)
{
	json_object *prev = NULL;
	int rc;

	*out = NULL;
	/* last year's findings are a file like any other input: its score
	 * and lists reach this year's report */
	if (c->previous != NULL &&
	    (rc = tsam_report_load(c->previous, TSAM_REPORT_FINDINGS, &prev,
				   eb)) != TSAM_OK)
		return rc;
	rc = tsam_check_findings(rundir, rules, c->waivers, 0, prev,
				 c->previous, out, eb);
	json_object_put(prev);
	return rc;
}

/* Case statistics of the quarter from the customer's exports. */
static int stats_for(const struct tsam_customer *c,
		     const struct tsam_review_opts *o,
		     const struct tsam_policy *pol, json_object **out,
		     struct tsam_errbuf *eb)
{
	struct tsam_casestats_opts so;
	struct tsam_casestats st;
	int rc;

	memset(&so, 0, sizeof(so));
	so.datadir = o->datadir;
	so.mapping = c->mapping;
	so.calendar = c->calendar;
	/* the customer's zone places a 24x7 customer's quarter; a business
	 * calendar keeps its own (the zone then only shows times) */
	if (strcmp(c->calendar, "24x7") == 0)
		so.zone = c->zone;
	so.policy = pol;
	so.cases.cases_path = c->cases;
	so.cases.events_path = c->events;
	so.cases.customer = c->cases_customer;
	so.sla.tier = (enum tsam_tier)tsam_tier_parse(c->tier);
	so.sla.year = o->year;
	so.sla.quarter = o->quarter;
	so.sla.as_of = o->as_of;
	so.sla.customer = c->id;
	so.sla.fee = c->fee;
	so.sla.currency = c->currency;
	rc = tsam_casestats_run(&so, &st, out, eb);
	tsam_casestats_free(&st);
	return rc;
}

static json_object *member(json_object *o, const char *a, const char *b)
{
	json_object *x = NULL;

	if (o && json_object_object_get_ex(o, a, &x) && b)
		json_object_object_get_ex(x, b, &x);
	return x;
}

/*
 * The summary row of a customer from its stats and findings. The figures
 * shown elsewhere too (cases, first responses on time, targets missed,
 * credits) are read through stats.h, so the portfolio shows the values
 * of the customer's review. A tier without an SLA has no SLA figures
 * and its SLA light is "na"; one without the health check, its health
 * light.
 */
static json_object *row_for(const struct tsam_customer *c, unsigned services,
			    json_object *stats, json_object *findings,
			    const char *pdf)
{
	json_object *row = json_object_new_object(), *l, *v;
	bool sla = (services & TSAM_SERVICE_SLA) != 0;
	double rate = NAN, credits = 0, amount;
	bool capped;
	double score = NAN, checked = 0, unc = 0, limited = 0;
	const char *currency;

	tsam_json_add_str(row, "id", c->id);
	tsam_json_add_str(row, "name", c->name);
	tsam_json_add_str(row, "tier", c->tier);
	tsam_json_add_str(row, "language", c->lang);
	tsam_json_add_str(row, "tsam", c->tsam);
	tsam_json_add_str(row, "status", "ok");
	tsam_json_add_str(row, "pdf", pdf);
	if (stats) {
		tsam_json_add_int(row, "opened",
				  tsam_stats_count(stats, "opened"));
		tsam_json_add_int(row, "backlog_end",
				  tsam_stats_count(stats, "backlog_end"));
	}
	if (stats && sla) {
		tsam_json_add_int(row, "breaches", tsam_stats_breaches(stats));
		tsam_stats_credits(stats, &credits, &amount, &currency);
		tsam_json_add_double(row, "credits_percent", credits);
		if (amount >= 0)
			tsam_json_add_double(row, "credits_amount", amount);
		tsam_json_add_str(row, "currency", c->currency);
		/* unrounded: formatted once, like the review's summary */
		if (tsam_stats_response_rate(stats, &rate))
			tsam_json_add_double(row, "response_rate", rate);
		else
			rate = NAN;
	}
	if (findings) {
		v = member(findings, "fleet", "score");
		if (v && !json_object_is_type(v, json_type_null)) {
			score = json_object_get_double(v);
			json_object_object_add(row, "score",
					       json_object_get(v));
		}
		v = member(findings, "diff", "baseline_score");
		if (v && !json_object_is_type(v, json_type_null))
			json_object_object_add(row, "score_last_year",
					       json_object_get(v));
		checked = (double)json_object_get_int64(
		    member(findings, "fleet", "hosts_checked"));
		unc = (double)json_object_get_int64(
		    member(findings, "fleet", "hosts_uncollected"));
		limited = (double)json_object_get_int64(
		    member(findings, "fleet", "hosts_limited"));
		tsam_json_add_int(row, "hosts_checked", (int64_t)checked);
		tsam_json_add_int(row, "hosts_uncollected", (int64_t)unc);
		tsam_json_add_int(row, "hosts_limited", (int64_t)limited);
	}
	l = json_object_new_object();
	/* a credit at its cap is the contract's worst case: act */
	capped = stats && sla && tsam_stats_credits_capped(stats);
	tsam_json_add_str(
	    l, "sla",
	    !sla ? "na"
	    : isnan(rate)
		? "grey"
		: (rate >= 0.95 && credits <= 0
		       ? "green"
		       : (rate >= 0.80 && !capped ? "amber" : "red")));
	tsam_json_add_str(l, "health",
			  (services & TSAM_SERVICE_HEALTH_CHECK)
			      ? light(score, 90, 75, true)
			      : "na");
	/* a host collected without enough privilege is not a full
	 * collection either: its product rules could not be judged */
	tsam_json_add_str(
	    l, "collection",
	    !(services & TSAM_SERVICE_HEALTH_CHECK) ? "na"
	    : checked + unc > 0
		? light(100 * (unc + limited) / (checked + unc), 5, 15, false)
		: "grey");
	json_object_object_add(row, "lights", l);
	return row;
}

/* OUT/ and the name tsam_portfolio_out_name gives entry i's output
 * (tsam_review_check keeps OUT short enough: a cut path would be another
 * file, so it is left empty, and fails to open, instead). */
static void out_path(const struct tsam_portfolio *p,
		     enum tsam_portfolio_out kind, size_t i,
		     const struct tsam_review_opts *o, char *out, size_t n)
{
	char name[256];
	int k;

	tsam_portfolio_out_name(p, kind, i, o->year, o->quarter, name,
				sizeof(name));
	k = snprintf(out, n, "%s/%s", o->out, name);
	if (k < 0 || (size_t)k >= n)
		out[0] = '\0';
}

/* The run directory a customer's checks read. */
static void rundir_of(const struct tsam_portfolio *p, size_t i,
		      const struct tsam_review_opts *o, char *out, size_t n)
{
	const struct tsam_customer *c = &p->customers[i];

	if (o->collect)
		out_path(p, TSAM_OUT_RUN, i, o, out, n);
	else if (o->snapshots_root != NULL)
		snprintf(out, n, "%s/%s", o->snapshots_root, c->id);
	else
		snprintf(out, n, "%s", c->snapshots ? c->snapshots : "");
}

enum tsam_err tsam_review_customer(const struct tsam_portfolio *p, size_t i,
				   const struct tsam_rules *rules,
				   const struct tsam_review_opts *o,
				   json_object **row, struct tsam_errbuf *eb)
{
	const struct tsam_customer *c = &p->customers[i];
	const struct tsam_tsam *t = tsam_portfolio_tsam(p, c->tsam);
	struct tsam_report_in in;
	json_object *findings = NULL, *stats = NULL, *cust, *ts,
		    *actions = NULL;
	char *narrative = NULL;
	char dir[PATH_MAX_LEN], path[PATH_MAX_LEN + 256];
	char rundir[PATH_MAX_LEN];
	struct tsam_policy pol;
	unsigned services;
	int rc = TSAM_OK, ti = tsam_tier_parse(c->tier);

	*row = NULL;
	/* the customer's policy: its targets, and the services of its tier
	 * (which sections its review has, whether its fleet is checked) */
	if ((rc = tsam_policy_default(&pol, o->datadir, c->policy, eb)) !=
	    TSAM_OK)
		return rc;
	services = pol.services[ti >= 0 ? ti : TSAM_TIER_PLATINUM];
	out_path(p, TSAM_OUT_TSAM_DIR, (size_t)(t - p->tsams), o, dir,
		 sizeof(dir));
	if ((rc = tsam_fsio_mkdirs(dir, 0700, eb)) != TSAM_OK)
		return rc;
	rundir_of(p, i, o, rundir, sizeof(rundir));
	/* the health check is a service of the tier (sla/policy.json) */
	if (rundir[0] != '\0' && (services & TSAM_SERVICE_HEALTH_CHECK)) {
		rc = findings_for(c, rundir, rules, &findings, eb);
		out_path(p, TSAM_OUT_FINDINGS, i, o, path, sizeof(path));
		if (rc == TSAM_OK)
			rc = tsam_json_save(path, findings, 0600, eb);
	}
	if (rc == TSAM_OK && c->cases != NULL) {
		rc = stats_for(c, o, &pol, &stats, eb);
		out_path(p, TSAM_OUT_STATS, i, o, path, sizeof(path));
		if (rc == TSAM_OK)
			rc = tsam_json_save(path, stats, 0600, eb);
	}
	if (rc == TSAM_OK) {
		char q[16];

		snprintf(q, sizeof(q), "%04dQ%d", o->year, o->quarter);
		cust = json_object_new_object();
		tsam_json_add_str(cust, "id", c->id);
		tsam_json_add_str(cust, "name", c->name);
		tsam_json_add_str(cust, "tier", c->tier);
		tsam_json_add_str(cust, "quarter", q);
		if (c->zone != NULL)
			tsam_json_add_str(cust, "zone", c->zone);
		ts = json_object_new_object();
		tsam_json_add_str(ts, "name", t->name);
		tsam_json_add_str(ts, "email", t->email);
		json_object_object_add(cust, "tsam", ts);
		if (c->next_review != NULL)
			tsam_json_add_str(cust, "next_review", c->next_review);
		memset(&in, 0, sizeof(in));
		in.datadir = o->datadir;
		in.tmpl = "quarterly-review";
		in.lang = c->lang;
		in.customer = cust;
		in.stats = stats;
		in.findings = findings;
		in.created = o->created;
		in.policy = &pol;
		if (c->actions != NULL)
			rc = tsam_report_load_actions(c->actions, &actions, eb);
		if (rc == TSAM_OK && c->narrative != NULL)
			rc = tsam_report_load_narrative(c->narrative,
							&narrative, eb);
		in.actions = actions;
		in.narrative = narrative;
		out_path(p, TSAM_OUT_PDF, i, o, path, sizeof(path));
		if (rc == TSAM_OK)
			rc = tsam_report_render(&in, path, eb);
		json_object_put(cust);
		if (rc == TSAM_OK)
			*row = row_for(c, services, stats, findings, path);
	}
	json_object_put(findings);
	json_object_put(stats);
	json_object_put(actions);
	free(narrative);
	return rc;
}

/* Summary PDF for TSAM ti from the rows of its customers. */
static int summary_pdf(const struct tsam_portfolio *p, size_t ti,
		       json_object *rows, const struct tsam_review_opts *o,
		       char *path, size_t n, struct tsam_errbuf *eb)
{
	const struct tsam_tsam *t = &p->tsams[ti];
	struct tsam_report_in in;
	json_object *pf = json_object_new_object(), *ts, *mine, *cust;
	char q[16], dir[PATH_MAX_LEN];
	size_t i;
	int rc;

	snprintf(q, sizeof(q), "%04dQ%d", o->year, o->quarter);
	ts = json_object_new_object();
	tsam_json_add_str(ts, "name", t->name);
	tsam_json_add_str(ts, "email", t->email);
	json_object_object_add(pf, "tsam", ts);
	tsam_json_add_str(pf, "quarter", q);
	mine = json_object_new_array();
	for (i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		const char *of = tsam_json_str(r, "tsam");

		if (of != NULL && strcmp(of, t->id) == 0)
			json_object_array_add(mine, json_object_get(r));
	}
	json_object_object_add(pf, "rows", mine);
	cust = json_object_new_object();
	tsam_json_add_str(cust, "name", t->name);
	tsam_json_add_str(cust, "quarter", q);
	json_object_object_add(cust, "tsam", json_object_get(ts));
	memset(&in, 0, sizeof(in));
	in.datadir = o->datadir;
	in.tmpl = "portfolio-summary";
	in.lang = t->lang;
	in.customer = cust;
	in.portfolio = pf;
	in.created = o->created;
	out_path(p, TSAM_OUT_SUMMARY, ti, o, path, n);
	out_path(p, TSAM_OUT_TSAM_DIR, ti, o, dir, sizeof(dir));
	rc = tsam_fsio_mkdirs(dir, 0700, eb);
	if (rc == TSAM_OK)
		rc = tsam_report_render(&in, path, eb);
	json_object_put(cust);
	json_object_put(pf);
	return rc;
}

/* The index row of customer i that did not complete, and why. */
static json_object *failed_row(const struct tsam_portfolio *p, size_t i,
			       const char *why)
{
	json_object *row = json_object_new_object();

	tsam_json_add_str(row, "id", p->customers[i].id);
	tsam_json_add_str(row, "name", p->customers[i].name);
	tsam_json_add_str(row, "tier", p->customers[i].tier);
	tsam_json_add_str(row, "tsam", p->customers[i].tsam);
	tsam_json_add_str(row, "status", "failed");
	tsam_json_add_str(row, "error", why);
	return row;
}

/* A worker: one customer; writes WORK/<id>.json (row or error). */
static void worker(const struct tsam_portfolio *p, size_t i,
		   const struct tsam_rules *rules,
		   const struct tsam_review_opts *o)
{
	struct tsam_errbuf eb;
	json_object *row = NULL;
	char path[PATH_MAX_LEN + 80];
	int rc;

	tsam_errbuf_clear(&eb);
	rc = tsam_review_customer(p, i, rules, o, &row, &eb);
	if (rc != TSAM_OK)
		row = failed_row(p, i, tsam_errbuf_str(&eb, rc));
	out_path(p, TSAM_OUT_WORK, i, o, path, sizeof(path));
	rc = tsam_json_save(path, row, 0600, NULL);
	json_object_put(row);
	_exit(rc == TSAM_OK ? 0 : 1);
}

static json_object *read_row(const struct tsam_portfolio *p, size_t i,
			     const struct tsam_review_opts *o, int status)
{
	char path[PATH_MAX_LEN + 80];
	json_object *row = NULL;
	char why[96];

	out_path(p, TSAM_OUT_WORK, i, o, path, sizeof(path));
	if (tsam_json_load(path, 1 << 24, &row, NULL) == TSAM_OK) {
		unlink(path);
		if (tsam_json_str(row, "status") != NULL &&
		    tsam_json_str(row, "tsam") != NULL)
			return row;
		json_object_put(row); /* not a row this code wrote */
		row = NULL;
	}
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "worker killed by signal %d",
			 WTERMSIG(status));
	else
		snprintf(why, sizeof(why), "worker exited %d without a result",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return failed_row(p, i, why);
}

/* A customer's fleet ready to collect, and what it holds. */
struct fleet {
	struct tsam_collect_job job;
	struct tsam_inventory *inv;
	struct tsam_knownhosts *kh;
	struct tsam_identity *id;
	struct tsam_strlist collectors;
	size_t *sel;
	char rundir[PATH_MAX_LEN];
};

static void fleet_free(struct fleet *f)
{
	free(f->sel);
	tsam_strlist_free(&f->collectors);
	tsam_identities_free(f->id, f->id ? 1 : 0);
	tsam_knownhosts_free(f->kh);
	tsam_inventory_free(f->inv);
	memset(f, 0, sizeof(*f));
}

/*
 * Prepares customer i's fleet for collection through the library (the
 * same engine as tsam-collect): its inventory, known_hosts (strict),
 * identity, user and run directory. f is zeroed by the caller and freed
 * with fleet_free whatever this returns.
 */
static int fleet_prepare(const struct tsam_portfolio *p, size_t i,
			 const struct tsam_review_opts *o, struct fleet *f,
			 struct tsam_errbuf *eb)
{
	const struct tsam_customer *c = &p->customers[i];
	struct tsam_collect_opts *co = &f->job.opts;
	size_t k, nbad = 0;
	char dir[PATH_MAX_LEN];
	int rc;

	if (c->inventory == NULL || c->known_hosts == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "%s: customer %s: --collect needs "
				       "\"inventory\" and \"known_hosts\"",
				       p->path, c->id);
	rundir_of(p, i, o, f->rundir, sizeof(f->rundir));
	out_path(p, TSAM_OUT_TSAM_DIR,
		 (size_t)(tsam_portfolio_tsam(p, c->tsam) - p->tsams), o, dir,
		 sizeof(dir));
	co->rundir = f->rundir;
	co->datadir = o->datadir;
	tsam_fanout_opts_defaults(&co->fan);
	if (o->collect_jobs)
		co->fan.jobs = o->collect_jobs;
	co->fan.use_agent = c->identity == NULL;
	co->fan.default_user = c->user;
	co->fan.stop = o->stop;
	if ((rc = tsam_fsio_mkdirs(dir, 0700, eb)) != TSAM_OK ||
	    (rc = tsam_inventory_load(c->inventory, &f->inv, eb)) != TSAM_OK ||
	    (rc = tsam_knownhosts_load(c->known_hosts, &f->kh, &nbad, eb)) !=
		TSAM_OK)
		return rc;
	if (c->identity != NULL) {
		f->id = calloc(1, sizeof(*f->id));
		if (f->id == NULL ||
		    (f->id->path = strdup(c->identity)) == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					       "out of memory");
		struct tsam_identity_opts ko = {o->passphrase_env, o->ask,
						false};
		struct tsam_errbuf why;

		tsam_errbuf_clear(&why);
		if ((rc = tsam_identity_prepare(f->id, &ko, &why)) != TSAM_OK)
			return tsam_errbuf_set(
			    eb, rc, "%s: customer %s: identity %s", p->path,
			    c->id, tsam_errbuf_str(&why, rc));
		co->fan.ids = f->id;
		co->fan.nids = 1;
	}
	co->fan.kh = f->kh;
	if ((rc = tsam_collect_all_collectors(o->datadir, &f->collectors)) !=
	    TSAM_OK)
		return tsam_errbuf_set(
		    eb, rc, "no collectors under %s/collectors", o->datadir);
	co->collectors = (const char *const *)f->collectors.v;
	co->ncollectors = f->collectors.n;
	f->sel = calloc(f->inv->n ? f->inv->n : 1, sizeof(*f->sel));
	if (f->sel == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	for (k = 0; k < f->inv->n; k++)
		f->sel[k] = k;
	f->job.inv = f->inv;
	f->job.sel = f->sel;
	f->job.nsel = f->inv->n;
	return TSAM_OK;
}

/*
 * Collects every customer's fleet in one fan-out window (each host with
 * its own customer's keys and known_hosts; per-host failures are results
 * in run.json). A customer whose fleet cannot be collected gets a failed
 * row in rows[i].
 */
static void collect_all(const struct tsam_portfolio *p,
			const struct tsam_review_opts *o, json_object **rows)
{
	struct fleet *f = calloc(p->n ? p->n : 1, sizeof(*f));
	struct tsam_collect_job *jobs = calloc(p->n ? p->n : 1, sizeof(*jobs));
	size_t *of = calloc(p->n ? p->n : 1, sizeof(*of)), n = 0, i;
	struct tsam_fanout_opts window;
	struct tsam_errbuf eb;

	if (f == NULL || jobs == NULL || of == NULL) {
		for (i = 0; i < p->n; i++)
			rows[i] = failed_row(p, i, "out of memory");
		goto out;
	}
	for (i = 0; i < p->n; i++) {
		tsam_errbuf_clear(&eb);
		if (fleet_prepare(p, i, o, &f[i], &eb) == TSAM_OK) {
			jobs[n] = f[i].job;
			of[n++] = i;
			continue;
		}
		rows[i] =
		    failed_row(p, i, tsam_errbuf_str(&eb, TSAM_ERR_INVAL));
		tsam_log(TSAM_LOG_ERROR, p->customers[i].id,
			 "collection failed: %s",
			 tsam_errbuf_str(&eb, TSAM_ERR_INVAL));
	}
	tsam_fanout_opts_defaults(&window);
	if (o->collect_jobs)
		window.jobs = o->collect_jobs;
	window.stop = o->stop;
	tsam_errbuf_clear(&eb);
	/* the window's fate is in every job's rc (and said per customer) */
	if (n > 0 && tsam_collect_run_many(&window, jobs, n, &eb) != TSAM_OK)
		tsam_log(TSAM_LOG_DEBUG, NULL, "collection window: %s",
			 tsam_errbuf_str(&eb, TSAM_ERR_INTERNAL));
	for (i = 0; i < n; i++) {
		size_t c = of[i];
		const char *id = p->customers[c].id;

		if (jobs[i].rc != TSAM_OK) {
			const char *why =
			    tsam_errbuf_str(&jobs[i].eb, jobs[i].rc);

			rows[c] = failed_row(p, c, why);
			tsam_log(TSAM_LOG_ERROR, id, "collection failed: %s",
				 why);
		} else if (!o->quiet) {
			tsam_log(TSAM_LOG_INFO, id, "collected: %zu of %zu ok",
				 jobs[i].sum.counts[TSAM_HOST_OK],
				 jobs[i].nsel);
		}
	}
out:
	for (i = 0; f != NULL && i < p->n; i++)
		fleet_free(&f[i]);
	free(f);
	free(jobs);
	free(of);
}

/* The ids of the entries in list (index.json's "customers" or "tsams")
 * whose status is not "ok", as a JSON array. */
static json_object *failed_ids(json_object *list)
{
	json_object *ids = json_object_new_array();
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++) {
		json_object *e = json_object_array_get_idx(list, i);
		const char *st = tsam_json_str(e, "status");

		if (st == NULL || strcmp(st, "ok") != 0)
			json_object_array_add(ids, json_object_new_string(
						       tsam_json_str(e, "id")));
	}
	return ids;
}

enum tsam_err tsam_review_check(const struct tsam_portfolio *p,
				const struct tsam_review_opts *o,
				struct tsam_errbuf *eb)
{
	static const char *const tmpls[] = {"quarterly-review",
					    "portfolio-summary"};
	size_t i;
	int rc;

	if (strlen(o->out) > OUT_MAX_LEN)
		return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
				       "--out: longer than %d bytes",
				       OUT_MAX_LEN);
	if ((rc = tsam_portfolio_check_outputs(p, o->year, o->quarter,
					       o->collect, eb)) != TSAM_OK)
		return rc;
	for (i = 0; i < sizeof(tmpls) / sizeof(tmpls[0]); i++)
		if ((rc = tsam_report_check(o->datadir, tmpls[i], eb)) !=
		    TSAM_OK)
			return rc;
	return TSAM_OK;
}

enum tsam_err tsam_review_run(const struct tsam_portfolio *p,
			      const struct tsam_review_opts *o,
			      json_object **index,
			      struct tsam_review_failed *failed,
			      struct tsam_errbuf *eb)
{
	struct tsam_rules rules = {0};
	char work[PATH_MAX_LEN], path[PATH_MAX_LEN + 80], q[16];
	pid_t *pids;
	json_object **rows, *arr, *tsams, *doc, *sum;
	size_t next = 0, running = 0, done = 0, i;
	int rc;

	*index = NULL;
	memset(failed, 0, sizeof(*failed));
	/* before anything is written: no two outputs one file, templates
	 * and catalogues valid */
	if ((rc = tsam_review_check(p, o, eb)) != TSAM_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/collectors", o->datadir);
	if ((rc = tsam_rules_load_dir(&rules, path, eb)) != TSAM_OK)
		return rc;
	snprintf(work, sizeof(work), "%s/.work", o->out);
	if ((rc = tsam_fsio_mkdirs(work, 0700, eb)) != TSAM_OK) {
		tsam_rules_free(&rules);
		return rc;
	}
	pids = calloc(p->n, sizeof(*pids));
	rows = calloc(p->n, sizeof(*rows));
	if (pids == NULL || rows == NULL) {
		free(pids);
		free(rows);
		tsam_rules_free(&rules);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	/* collection first: every fleet in one SSH window */
	if (o->collect)
		collect_all(p, o, rows);
	fflush(NULL);
	while (done < p->n) {
		int status;
		pid_t pid;

		while (next < p->n && running < (o->jobs ? o->jobs : 1)) {
			if (rows[next] != NULL) { /* failed before: no worker */
				done++;
				next++;
				continue;
			}
			pid = fork();
			if (pid == 0)
				worker(p, next, &rules, o);
			if (pid < 0) { /* no process: this customer fails */
				char why[128];

				snprintf(why, sizeof(why),
					 "cannot start a worker process: %s",
					 strerror(errno));
				rows[next] = failed_row(p, next, why);
				done++;
			} else {
				pids[next] = pid;
				running++;
			}
			next++;
		}
		if (running == 0)
			continue;
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < p->n && pids[i] != pid; i++)
			;
		if (i == p->n)
			continue;
		pids[i] = 0;
		running--;
		done++;
		rows[i] = read_row(p, i, o, status);
		if (!o->quiet) {
			const char *st = tsam_json_str(rows[i], "status");

			if (strcmp(st, "ok") == 0)
				tsam_log(TSAM_LOG_INFO, p->customers[i].id,
					 "[%zu/%zu] ok: %s", done, p->n,
					 tsam_json_str(rows[i], "pdf"));
			else
				tsam_log(TSAM_LOG_ERROR, p->customers[i].id,
					 "[%zu/%zu] failed: %s", done, p->n,
					 tsam_json_str(rows[i], "error"));
		}
	}
	rmdir(work);
	arr = json_object_new_array();
	for (i = 0; i < p->n; i++) {
		if (rows[i] == NULL)
			rows[i] = read_row(p, i, o, 0);
		if (strcmp(tsam_json_str(rows[i], "status"), "ok") != 0)
			failed->customers++;
		json_object_array_add(arr, rows[i]);
	}
	tsams = json_object_new_array();
	for (i = 0; i < p->ntsams; i++) {
		struct tsam_errbuf teb;
		json_object *t = json_object_new_object();
		int trc;

		tsam_errbuf_clear(&teb);
		trc = summary_pdf(p, i, arr, o, path, sizeof(path), &teb);
		tsam_json_add_str(t, "id", p->tsams[i].id);
		tsam_json_add_str(t, "name", p->tsams[i].name);
		tsam_json_add_str(t, "status",
				  trc == TSAM_OK ? "ok" : "failed");
		if (trc == TSAM_OK) {
			tsam_json_add_str(t, "summary_pdf", path);
		} else {
			tsam_json_add_str(t, "error",
					  tsam_errbuf_str(&teb, trc));
			tsam_log(TSAM_LOG_ERROR, p->tsams[i].id,
				 "portfolio summary: %s",
				 tsam_errbuf_str(&teb, trc));
			failed->summaries++;
		}
		json_object_array_add(tsams, t);
	}
	doc = json_object_new_object();
	tsam_json_add_str(doc, "schema", "tsamkit-review/1");
	snprintf(q, sizeof(q), "%04dQ%d", o->year, o->quarter);
	tsam_json_add_str(doc, "quarter", q);
	tsam_json_add_str(doc, "portfolio", p->path);
	/* what did not complete, said apart: customers' reviews and TSAMs'
	 * summaries fail separately */
	sum = json_object_new_object();
	tsam_json_add_int(sum, "customers", (int64_t)p->n);
	tsam_json_add_int(sum, "customers_done",
			  (int64_t)(p->n - failed->customers));
	tsam_json_add_int(sum, "customers_failed", (int64_t)failed->customers);
	json_object_object_add(sum, "failed_customers", failed_ids(arr));
	tsam_json_add_int(sum, "summaries", (int64_t)p->ntsams);
	tsam_json_add_int(sum, "summaries_done",
			  (int64_t)(p->ntsams - failed->summaries));
	tsam_json_add_int(sum, "summaries_failed", (int64_t)failed->summaries);
	json_object_object_add(sum, "failed_summaries", failed_ids(tsams));
	json_object_object_add(doc, "outcome", sum);
	json_object_object_add(doc, "tsams", tsams);
	json_object_object_add(doc, "customers", arr);
	snprintf(path, sizeof(path), "%s/index.json", o->out);
	rc = tsam_json_save(path, doc, 0600, eb);
	free(pids);
	free(rows);
	tsam_rules_free(&rules);
	if (rc != TSAM_OK) {
		json_object_put(doc);
		return rc;
	}
	*index = doc;
	return TSAM_OK;
}
