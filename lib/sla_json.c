/*
 * sla_json.c - stats.json (docs/cases.md) from the figures sla.c computed:
 * the period, the input's reconciliation and rejected rows, the targets in
 * force, the review quarter's counts, attainment, response and resolution
 * times (median and 90th percentile, by rank selection rather than a
 * sort), the response histogram, breaches, credits, escalations, flags,
 * and the trend of the four quarters before.
 */
#include "sla_int.h"

#include <math.h>
#include <stdio.h>

/*
 * Puts into a[k] the value a sorted copy of a[0..n) would hold there,
 * smaller or equal values before it, greater or equal after (Hoare's
 * selection with a median-of-three pivot: linear on average).
 */
static void select_rank(int64_t *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		int64_t x = a[lo], y = a[mid], z = a[hi], piv, t;

		piv = x < y ? (y < z ? y : (x < z ? z : x))
			    : (x < z ? x : (y < z ? z : y));
		while (i <= j) {
			while (a[i] < piv)
				i++;
			while (a[j] > piv)
				j--;
			if (i <= j) {
				t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* {n, median, p90} of v in seconds (nearest rank). */
static json_object *dist(struct vec *v)
{
	json_object *o = json_object_new_object();
	int64_t *a = v->v;
	size_t p90, med;

	tsam_json_add_int(o, "n", (int64_t)v->n);
	if (v->n == 0) {
		json_object_object_add(o, "median_s", NULL);
		json_object_object_add(o, "p90_s", NULL);
		return o;
	}
	/* two ranks, not a sort: the p90 one, then the median below it */
	p90 = (size_t)ceil(0.9 * (double)v->n) - 1;
	med = (v->n + 1) / 2 - 1;
	select_rank(a, v->n, p90);
	select_rank(a, p90 + 1, med);
	tsam_json_add_int(o, "median_s", a[med]);
	tsam_json_add_int(o, "p90_s", a[p90]);
	return o;
}

/* A time member; null for none (-1) or never (INT64_MAX). */
static void add_time(json_object *o, const char *key, int64_t t)
{
	if (t < 0 || t == INT64_MAX)
		json_object_object_add(o, key, NULL);
	else
		tsam_json_add_time(o, key, (double)t);
}

static json_object *attainment(const struct quarter *q)
{
	static const char *names[] = {"met", "missed", "pending"};
	json_object *o = json_object_new_object();
	int t, s, k;

	for (t = 0; t < NT; t++) {
		json_object *to = json_object_new_object();

		for (s = 0; s < NS; s++) {
			json_object *so = json_object_new_object();
			size_t met = q->att[t][s][ST_MET],
			       miss = q->att[t][s][ST_MISSED];
			char key[2] = {(char)('1' + s), 0};

			for (k = 0; k < 3; k++)
				tsam_json_add_int(so, names[k],
						  (int64_t)q->att[t][s][k]);
			if (met + miss > 0)
				tsam_json_add_double(
				    so, "rate",
				    round(1e4 * (double)met /
					  (double)(met + miss)) /
					1e4);
			else
				json_object_object_add(so, "rate", NULL);
			json_object_object_add(to, key, so);
		}
		json_object_object_add(o, tsam_target_name(t), to);
	}
	return o;
}

static double rate_all(const struct quarter *q, int target)
{
	size_t met = 0, miss = 0;
	int s;

	for (s = 0; s < NS; s++) {
		met += q->att[target][s][ST_MET];
		miss += q->att[target][s][ST_MISSED];
	}
	return met + miss
		   ? round(1e4 * (double)met / (double)(met + miss)) / 1e4
		   : -1;
}

static void add_rate(json_object *o, const char *key, double r)
{
	if (r < 0)
		json_object_object_add(o, key, NULL);
	else
		tsam_json_add_double(o, key, r);
}

static json_object *counts(const struct ctx *x, const struct quarter *q,
			   bool detail)
{
	json_object *o = json_object_new_object(), *m;
	int s, i;

	tsam_json_add_int(o, "opened", (int64_t)q->opened);
	tsam_json_add_int(o, "closed", (int64_t)q->closed);
	tsam_json_add_int(o, "reopened", (int64_t)q->reopened);
	tsam_json_add_int(o, "backlog_start", (int64_t)q->backlog_start);
	tsam_json_add_int(o, "backlog_end", (int64_t)q->backlog_end);
	m = json_object_new_object();
	for (s = 0; s < NS; s++) {
		char key[2] = {(char)('1' + s), 0};

		tsam_json_add_int(m, key, (int64_t)q->by_sev[s]);
	}
	json_object_object_add(o, "by_severity", m);
	if (!detail)
		return o;
	m = json_object_new_object();
	for (i = 0; i < (int)x->cs->nnames; i++)
		if (x->by_product[i])
			tsam_json_add_int(m, i ? x->cs->names[i] : "(none)",
					  (int64_t)x->by_product[i]);
	json_object_object_add(o, "by_product", m);
	m = json_object_new_object();
	for (i = 0; i < (int)x->cs->nnames; i++)
		if (x->by_channel[i])
			tsam_json_add_int(m, i ? x->cs->names[i] : "(none)",
					  (int64_t)x->by_channel[i]);
	json_object_object_add(o, "by_channel", m);
	m = json_object_new_object();
	for (i = 0; i < 3; i++) {
		json_object *mo = json_object_new_object();
		char key[32];

		snprintf(key, sizeof(key), "%04d-%02d", q->year,
			 (q->q - 1) * 3 + i + 1);
		for (s = 0; s < NS; s++) {
			char sk[2] = {(char)('1' + s), 0};

			tsam_json_add_int(mo, sk, (int64_t)x->by_month[i][s]);
		}
		json_object_object_add(m, key, mo);
	}
	json_object_object_add(o, "by_month", m);
	return o;
}

static json_object *eval_json(const struct ctx *x, const struct eval *e)
{
	json_object *o = json_object_new_object();
	const struct tsam_cal *cal = e->support ? x->o->support : x->o->wall;
	int64_t end = e->done >= 0 ? e->done : e->ref;

	tsam_json_add_str(o, "case", x->cs->c[e->kase].id);
	tsam_json_add_str(o, "target", tsam_target_name(e->target));
	tsam_json_add_int(o, "severity", e->sev);
	tsam_json_add_str(o, "clock", tsam_cal_name(cal));
	add_time(o, "due", e->due);
	add_time(o, "done", e->done);
	tsam_json_add_int(o, "overrun_s", end - e->due);
	tsam_json_add_int(o, "overrun_business_s",
			  tsam_cal_seconds(cal, e->due, end));
	return o;
}

enum tsam_err tsam_sla_build(struct ctx *x, json_object **out)
{
	const struct tsam_sla_opts *o = x->o;
	const struct quarter *cur = &x->q[NQ - 1];
	json_object *doc = json_object_new_object(), *a, *m;
	size_t max = o->max_list ? o->max_list : 1000, i;
	char qs[32], desc[64];
	int s, t, k;
	double pct = cur->credit_pct;

	tsam_json_add_str(doc, "schema", "tsamkit-stats/1");
	tsam_json_add_str(doc, "customer", o->customer);
	tsam_json_add_str(doc, "tier", tsam_tier_name(o->tier));
	snprintf(qs, sizeof(qs), "%04dQ%d", cur->year, cur->q);
	tsam_json_add_str(doc, "quarter", qs);
	m = json_object_new_object();
	add_time(m, "start", cur->start);
	add_time(m, "end", cur->end);
	tsam_json_add_str(m, "calendar", tsam_cal_name(o->support));
	tsam_json_add_str(m, "zone", tsam_cal_zone(o->support));
	json_object_object_add(doc, "period", m);
	add_time(doc, "as_of", x->as_of);
	/* reconciliation */
	m = json_object_new_object();
	for (k = 0; k < 2; k++) {
		const struct tsam_input *in = &x->cs->in[k];
		json_object *f;

		if (in->path == NULL)
			continue;
		f = json_object_new_object();
		tsam_json_add_str(f, "file", in->path);
		tsam_json_add_int(f, "rows", (int64_t)in->rows);
		tsam_json_add_int(f, "used", (int64_t)in->used);
		tsam_json_add_int(f, "rejected", (int64_t)in->rejected);
		tsam_json_add_int(f, "other_customers", (int64_t)in->other);
		tsam_json_add_int(f, "lost", (int64_t)in->lost);
		tsam_json_add_int(f, "fields_rejected",
				  (int64_t)in->fields_rejected);
		json_object_object_add(
		    f, "reconciled",
		    json_object_new_boolean(
			in->rows == in->used + in->rejected + in->other));
		if ((a = tsam_cases_history_json(x->cs, (int)k)) != NULL)
			json_object_object_add(f, "history", a);
		json_object_object_add(m, k ? "events" : "cases", f);
	}
	a = json_object_new_array();
	for (i = 0; i < x->cs->nrej; i++) {
		json_object *r = json_object_new_object();

		tsam_json_add_str(r, "file",
				  x->cs->in[x->cs->rej[i].file].path);
		tsam_json_add_int(r, "line", x->cs->rej[i].line);
		tsam_json_add_str(r, "reason", x->cs->rej[i].reason);
		json_object_array_add(a, r);
	}
	json_object_object_add(m, "rejected_rows", a);
	tsam_json_add_int(m, "severity_defaulted_to_3", (int64_t)x->defaulted);
	tsam_json_add_int(m, "email_started_at_3", (int64_t)x->email_adjusted);
	json_object_object_add(doc, "input", m);
	/* targets in force */
	m = json_object_new_object();
	for (s = 0; s < NS; s++) {
		json_object *so = json_object_new_object();
		char key[2] = {(char)('1' + s), 0};

		for (t = 0; t < NT; t++) {
			tsam_spec_describe(&o->policy->spec[o->tier][s][t],
					   desc, sizeof(desc));
			tsam_json_add_str(so, tsam_target_name(t), desc);
		}
		json_object_object_add(m, key, so);
	}
	json_object_object_add(doc, "targets", m);
	json_object_object_add(doc, "counts", counts(x, cur, true));
	json_object_object_add(doc, "attainment", attainment(cur));
	m = json_object_new_object();
	for (k = 0; k < 2; k++) {
		json_object *ko = json_object_new_object();

		for (s = 0; s < NS; s++) {
			json_object *so = json_object_new_object();
			char key[2] = {(char)('1' + s), 0};
			struct vec *w = k ? &x->res_wall[s] : &x->resp_wall[s];
			struct vec *b = k ? &x->res_bus[s] : &x->resp_bus[s];

			json_object_object_add(so, "wall", dist(w));
			json_object_object_add(so, "business", dist(b));
			json_object_object_add(ko, key, so);
		}
		json_object_object_add(m, k ? "resolution" : "response", ko);
	}
	{
		json_object *h = json_object_new_object(), *b;

		b = json_object_new_array();
		for (k = 0; k < NBUCKETS - 1; k++)
			json_object_array_add(b,
					      json_object_new_int64(bounds[k]));
		json_object_object_add(h, "bounds_s", b);
		for (s = 0; s < NS; s++) {
			char key[2] = {(char)('1' + s), 0};

			b = json_object_new_array();
			for (k = 0; k < NBUCKETS; k++)
				json_object_array_add(
				    b, json_object_new_int64(
					   (int64_t)x->hist[s][k]));
			json_object_object_add(h, key, b);
		}
		json_object_object_add(m, "response_histogram", h);
	}
	json_object_object_add(doc, "times", m);
	/* breaches and credits of the review quarter */
	a = json_object_new_array();
	for (i = 0; i < x->evals.n && i < max; i++)
		json_object_array_add(
		    a, eval_json(x, (const struct eval *)x->evals.v + i));
	json_object_object_add(doc, "breaches", a);
	tsam_json_add_int(doc, "breaches_total", (int64_t)cur->breaches);
	m = json_object_new_object();
	json_object_object_add(
	    m, "eligible",
	    json_object_new_boolean(o->policy->credit_tier[o->tier]));
	tsam_json_add_int(m, "misses", (int64_t)cur->credit_misses);
	tsam_json_add_double(m, "percent_uncapped", pct);
	tsam_json_add_double(m, "cap_percent", o->policy->credit_cap);
	if (pct > o->policy->credit_cap)
		pct = o->policy->credit_cap;
	tsam_json_add_double(m, "percent", pct);
	if (o->fee > 0) {
		tsam_json_add_double(m, "fee", o->fee);
		tsam_json_add_double(m, "amount", round(o->fee * pct) / 100);
		tsam_json_add_str(m, "currency", o->currency);
	}
	json_object_object_add(doc, "credits", m);
	a = json_object_new_array();
	for (i = 0; i < x->escs.n && i < max; i++) {
		const struct esc *e = (const struct esc *)x->escs.v + i;
		json_object *eo = json_object_new_object();

		tsam_json_add_str(eo, "case", x->cs->c[e->kase].id);
		tsam_json_add_str(eo, "level",
				  e->level ? "executive" : "manager");
		tsam_json_add_int(eo, "severity", e->sev);
		add_time(eo, "at", e->at);
		add_time(eo, "due", e->due);
		tsam_json_add_str(eo, "status", e->status);
		json_object_array_add(a, eo);
	}
	json_object_object_add(doc, "escalations", a);
	tsam_json_add_int(doc, "escalations_total", (int64_t)x->escs.n);
	a = json_object_new_array();
	for (i = 0; i < x->raise.n && i < max; i++)
		json_object_array_add(
		    a, json_object_new_string(
			   x->cs->c[((uint32_t *)x->raise.v)[i]].id));
	m = json_object_new_object();
	json_object_object_add(m, "severity3_open_too_long", a);
	tsam_json_add_int(m, "severity3_open_too_long_total",
			  (int64_t)x->raise.n);
	tsam_json_add_int(m, "severity_changes", (int64_t)x->sev_changes);
	tsam_json_add_int(m, "reopened_cases", (int64_t)x->reopen_cases);
	json_object_object_add(doc, "flags", m);
	/* the four quarters before, oldest first */
	a = json_object_new_array();
	for (k = 0; k < NQ; k++) {
		const struct quarter *q = &x->q[k];
		json_object *qo = json_object_new_object();

		snprintf(qs, sizeof(qs), "%04dQ%d", q->year, q->q);
		tsam_json_add_str(qo, "quarter", qs);
		json_object_object_add(qo, "counts", counts(x, q, false));
		for (t = 0; t < NT; t++) {
			char key[32];

			snprintf(key, sizeof(key), "%s_rate",
				 tsam_target_name(t));
			add_rate(qo, key, rate_all(q, t));
		}
		tsam_json_add_int(qo, "breaches", (int64_t)q->breaches);
		tsam_json_add_double(qo, "credit_percent",
				     q->credit_pct > o->policy->credit_cap
					 ? o->policy->credit_cap
					 : q->credit_pct);
		json_object_array_add(a, qo);
	}
	json_object_object_add(doc, "trend", a);
	*out = doc;
	return TSAM_OK;
}
