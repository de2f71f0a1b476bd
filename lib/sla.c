/*
 * sla.c - per-case timelines and the quarterly statistics.
 *
 * Theory of operation. Each case runs up to four clocks, one per target
 * (response, update, manager, executive), each with a due instant set from
 * the policy for the severity in force and computed on the target's clock
 * (24x7 or the support calendar). Events move them:
 *   - first_response / vendor_update: the response clock stops (met or
 *     missed); the running update gap stops, and a new one starts;
 *   - escalation_*: the escalation clock stops (met if by the due time,
 *     else late); with no target running it is recorded as requested;
 *   - severity_change: every clock not yet past its due restarts from the
 *     change with the new severity's target (or stops, if there is none);
 *     a clock already past due stays breached;
 *   - pending_customer ... resumed / customer_update: the update and
 *     escalation clocks keep their remaining time and restart from the
 *     resumption (the response clock never pauses);
 *   - resolved / closed: the resolution is a contact (it stops response
 *     and update clocks); an escalation past due without having happened
 *     is missing, one not yet due is no longer needed;
 *   - reopened: the case is open again and a new update gap starts.
 * Each stopped clock is one evaluation (target, severity, due, done,
 * status); it counts in the quarter holding its due instant. Clocks still
 * running at as_of are missed if past due, else pending. Events after
 * as_of are ignored, so a rerun with the same data gives the same figures.
 *
 * This file holds the timelines and tsam_sla_stats; a traced case's
 * --explain text is written by sla_trace.c, stats.json by sla_json.c
 * (sla_int.h).
 */
#include "sla_int.h"

#include "buf.h"
#include "date.h"
#include "str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int vec_push(struct vec *v, const void *item)
{
	if (tsam_grow(&v->v, &v->cap, v->n + 1, v->size) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	memcpy((char *)v->v + v->n * v->size, item, v->size);
	v->n++;
	return TSAM_OK;
}

/* Starts (or restarts) clock target at t for severity sev. */
static void clock_start(struct timeline *r, int target, int sev, int64_t t)
{
	const struct tsam_spec *s = spec(r, target, sev);
	struct clock *k = &r->k[target];

	k->on = s->kind == TSAM_SPEC_DURATION;
	k->sev = (uint8_t)sev;
	k->held = false;
	if (!k->on) {
		if (r->tr != NULL) {
			char b[128];

			tsam_sla_tr_line(
			    r, "      %s clock, severity %d: %s - no due time",
			    tsam_target_name(target), sev,
			    tsam_sla_tr_spec(r, target, sev, b, sizeof(b)));
		}
		return;
	}
	if (r->paused && target != TSAM_TARGET_RESPONSE) {
		k->held = true;
		k->remaining = spec_secs(r->x, s);
		k->due = INT64_MAX;
		if (r->tr != NULL) {
			char b[128];

			tsam_sla_tr_line(
			    r,
			    "      %s clock, severity %d: %s - paused until "
			    "the customer responds",
			    tsam_target_name(target), sev,
			    tsam_sla_tr_spec(r, target, sev, b, sizeof(b)));
		}
		return;
	}
	k->due = tsam_cal_add(spec_cal(r->x, s), t, spec_secs(r->x, s));
	if (r->tr != NULL) {
		char b[128], d[32], e[32];

		tsam_sla_tr_line(
		    r, "      %s clock, severity %d: %s from %s, due %s",
		    tsam_target_name(target), sev,
		    tsam_sla_tr_spec(r, target, sev, b, sizeof(b)),
		    tsam_sla_tr_time(r->x, t, d, sizeof(d)),
		    tsam_sla_tr_time(r->x, k->due, e, sizeof(e)));
	}
}

static int record(struct timeline *r, int target, int64_t done, int64_t ref,
		  int status)
{
	const struct tsam_sla_opts *o = r->x->o;
	struct clock *k = &r->k[target];
	struct quarter *q;
	struct eval e;
	int qi = quarter_of(r->x, k->due);

	k->on = false;
	if (r->tr != NULL)
		tsam_sla_tr_record(r, target, done, ref, status);
	if (qi < 0)
		return TSAM_OK;
	q = &r->x->q[qi];
	q->att[target][k->sev - 1][status]++;
	if (status != ST_MISSED)
		return TSAM_OK;
	q->breaches++;
	if (o->policy->credit_tier[o->tier] &&
	    o->policy->credit_target[target]) {
		q->credit_pct += o->policy->credit_percent[k->sev - 1];
		q->credit_misses++;
	}
	if (qi != NQ - 1)
		return TSAM_OK;
	/* only the review quarter's breaches are listed */
	e.kase = r->idx;
	e.target = (uint8_t)target;
	e.sev = k->sev;
	e.support = spec(r, target, k->sev)->support_clock;
	e.due = k->due;
	e.done = done;
	e.ref = ref;
	return vec_push(&r->x->evals, &e);
}

/* A clock paused (customer pending) and stopped at t by its event: its
 * due time is then what it would be had the pause ended at t - t plus
 * the time it had left - so it is met. */
static void unhold(struct timeline *r, int target, int64_t t)
{
	struct clock *k = &r->k[target];

	if (!k->on || !k->held)
		return;
	k->held = false;
	k->due = tsam_cal_add(clock_cal(r, target), t, k->remaining);
}

/* Stops a running clock because its event happened at t. */
static int finish(struct timeline *r, int target, int64_t t)
{
	if (!r->k[target].on)
		return TSAM_OK;
	unhold(r, target, t);
	return record(r, target, t, t,
		      t <= r->k[target].due ? ST_MET : ST_MISSED);
}

static int add_esc(struct timeline *r, int level, int64_t at, int64_t due,
		   const char *status)
{
	struct esc e = {r->idx, (uint8_t)level, r->sev, at, due, status};
	int qi = quarter_of(r->x, at >= 0 ? at : due);

	if (r->tr != NULL) {
		char q[64];

		tsam_sla_tr_line(
		    r,
		    "      => escalation to the %s: %s; listed in the "
		    "escalations of %s",
		    level ? "executive" : "manager", status,
		    tsam_sla_tr_quarter(r->x, at >= 0 ? at : due, q,
					sizeof(q)));
	}
	if (qi != NQ - 1)
		return TSAM_OK;
	return vec_push(&r->x->escs, &e);
}

static int contact(struct timeline *r, int64_t t)
{
	int rc = TSAM_OK;

	if (r->first_contact < 0) {
		r->first_contact = t;
		rc = finish(r, TSAM_TARGET_RESPONSE, t);
		r->k[TSAM_TARGET_RESPONSE].on = false;
	}
	if (rc == TSAM_OK)
		rc = finish(r, TSAM_TARGET_UPDATE, t);
	if (r->open)
		clock_start(r, TSAM_TARGET_UPDATE, r->sev, t);
	return rc;
}

static int escalate(struct timeline *r, int level, int64_t t)
{
	int target = level ? TSAM_TARGET_EXECUTIVE : TSAM_TARGET_MANAGER;
	struct clock *k = &r->k[target];
	const struct tsam_spec *s = spec(r, target, r->sev);
	int rc = TSAM_OK;

	if (r->esc_done[level]) {
		TR(r, "      ignored: the %s escalation is already recorded",
		   level ? "executive" : "manager");
		return TSAM_OK;
	}
	r->esc_done[level] = true;
	/* made during a customer-pending pause: in time (unhold) */
	unhold(r, target, t);
	if (k->on) {
		int64_t due = k->due;

		rc = finish(r, target, t);
		return rc ? rc
			  : add_esc(r, level, t, due,
				    t <= due ? "met" : "late");
	}
	k->on = false;
	return add_esc(r, level, t, -1,
		       s->kind == TSAM_SPEC_ANY_TIME ? "requested"
						     : "not_required");
}

static void pause_clocks(struct timeline *r, int64_t t)
{
	int i;

	if (r->paused || !r->open) {
		TR(r, "      ignored: %s",
		   r->paused ? "the clocks are already paused"
			     : "the case is resolved");
		return;
	}
	r->paused = true;
	r->pause_at = t;
	for (i = TSAM_TARGET_UPDATE; i < NT; i++) {
		struct clock *k = &r->k[i];

		if (!k->on || k->held || k->due < t) {
			if (k->on && !k->held)
				TR(r,
				   "      %s clock already past due: not "
				   "paused",
				   tsam_target_name(i));
			continue; /* already breached clocks keep running */
		}
		k->held = true;
		k->remaining = tsam_cal_seconds(clock_cal(r, i), t, k->due);
	}
	TR(r, "      the update and escalation clocks pause (the response "
	      "clock never does)");
}

static void resume_clocks(struct timeline *r, int64_t t)
{
	int i;

	if (!r->paused) {
		TR(r, "      no effect: the clocks are not paused");
		return;
	}
	if (r->tr != NULL) {
		char b[64];

		tsam_sla_tr_line(
		    r, "      the clocks resume after %s paused",
		    tsam_sla_tr_dur(t - r->pause_at, b, sizeof(b)));
	}
	r->paused = false;
	r->paused_wall += t - r->pause_at;
	r->paused_bus += tsam_cal_seconds(r->x->o->support, r->pause_at, t);
	for (i = TSAM_TARGET_UPDATE; i < NT; i++) {
		struct clock *k = &r->k[i];

		if (!k->on || !k->held)
			continue;
		k->held = false;
		k->due = tsam_cal_add(clock_cal(r, i), t, k->remaining);
	}
}

static int severity_change(struct timeline *r, int sev, int64_t t)
{
	int i;

	if (sev == r->sev) {
		TR(r, "      no change: severity %d already", sev);
		return TSAM_OK;
	}
	TR(r, "      severity %d -> %d%s", r->sev, sev,
	   quarter_of(r->x, t) == NQ - 1 ? " (a severity change of the quarter)"
					 : "");
	r->sev = (uint8_t)sev;
	if (sev < r->best)
		r->best = (uint8_t)sev;
	if (quarter_of(r->x, t) == NQ - 1)
		r->x->sev_changes++; /* the quarter's, by the change's time */
	if (!r->open)
		return TSAM_OK;
	for (i = 0; i < NT; i++) {
		struct clock *k = &r->k[i];

		if ((i == TSAM_TARGET_RESPONSE && r->first_contact >= 0) ||
		    (i == TSAM_TARGET_UPDATE && r->first_contact < 0) ||
		    (i >= TSAM_TARGET_MANAGER &&
		     r->esc_done[i - TSAM_TARGET_MANAGER]))
			continue;
		if (k->on && !k->held && k->due < t) {
			TR(r, "      %s clock already past due: stays",
			   tsam_target_name(i));
			continue; /* already breached: stays */
		}
		clock_start(r, i, sev, t);
	}
	return TSAM_OK;
}

static int resolve(struct timeline *r, int64_t t)
{
	int i, rc = TSAM_OK;

	if (!r->open) {
		TR(r, "      ignored: the case is already resolved");
		return TSAM_OK;
	}
	if (r->paused)
		resume_clocks(r, t);
	if (r->first_contact < 0) {
		r->first_contact = t;
		rc = finish(r, TSAM_TARGET_RESPONSE, t);
	}
	if (rc == TSAM_OK)
		rc = finish(r, TSAM_TARGET_UPDATE, t);
	for (i = TSAM_TARGET_MANAGER; rc == TSAM_OK && i < NT; i++) {
		struct clock *k = &r->k[i];

		if (k->on && k->due < t) {
			int64_t due = k->due;

			rc = record(r, i, -1, t, ST_MISSED);
			if (rc == TSAM_OK)
				rc = add_esc(r, i - TSAM_TARGET_MANAGER, -1,
					     due, "missing");
			/* one entry per level: a later escalation (after a
			 * reopening) does not add a second */
			r->esc_done[i - TSAM_TARGET_MANAGER] = true;
		} else if (k->on) {
			TR(r,
			   "      %s clock stops: resolved before it fell due "
			   "(no escalation needed, not evaluated)",
			   tsam_target_name(i));
		}
		k->on = false;
	}
	r->open = false;
	r->resolved_at = t;
	r->res_sev = r->sev;
	if (r->nopen > 0)
		r->open_to[r->nopen - 1] = t;
	i = quarter_of(r->x, t);
	if (i >= 0)
		r->x->q[i].closed++;
	if (r->tr != NULL) {
		char q[64];

		tsam_sla_tr_line(r, "      resolved: counts.closed of %s",
				 tsam_sla_tr_quarter(r->x, t, q, sizeof(q)));
	}
	return rc;
}

static void reopen(struct timeline *r, int64_t t)
{
	int qi;

	if (r->open) {
		TR(r, "      ignored: the case is open");
		return;
	}
	if (r->tr != NULL) {
		char q[64];

		tsam_sla_tr_line(
		    r,
		    "      reopened: counts.reopened of %s; escalation "
		    "clocks do not restart",
		    tsam_sla_tr_quarter(r->x, t, q, sizeof(q)));
	}
	r->open = true;
	r->reopens++;
	if (r->nopen < MAX_OPEN) {
		r->open_from[r->nopen] = t;
		r->open_to[r->nopen] = INT64_MAX;
		r->nopen++;
	} else {
		r->open_to[MAX_OPEN - 1] = INT64_MAX;
	}
	qi = quarter_of(r->x, t);
	if (qi >= 0)
		r->x->q[qi].reopened++;
	if (r->first_contact >= 0)
		clock_start(r, TSAM_TARGET_UPDATE, r->sev, t);
}

/*
 * Whether the case was, at some instant of the review quarter at or
 * before as_of and at least severity3_raise_after_days (wall-clock days)
 * after its creation, open (in any open period, reopened ones included)
 * at severity 3.
 */
static bool sev3_too_long(const struct timeline *r)
{
	const struct ctx *x = r->x;
	const struct quarter *cur = &x->q[NQ - 1];
	const struct tsam_case *c = r->c;
	const struct tsam_event *ev = x->cs->ev + c->ev0;
	int64_t w0 =
	    c->created + (int64_t)x->o->policy->raise_after_days * 86400;
	int64_t w1 = cur->end < x->as_of + 1 ? cur->end : x->as_of + 1;
	int i;
	uint32_t k;

	if (w0 < cur->start)
		w0 = cur->start;
	for (i = 0; i < r->nopen; i++) {
		int64_t a = r->open_from[i] > w0 ? r->open_from[i] : w0;
		int64_t b = r->open_to[i] < w1 ? r->open_to[i] : w1;

		if (a >= b)
			continue;
		if (tsam_case_severity_at(x->cs, c, a) == 3)
			return true;
		for (k = 0; k < c->nev && ev[k].t < b; k++)
			if (ev[k].t > a &&
			    ev[k].kind == TSAM_EV_SEVERITY_CHANGE &&
			    ev[k].sev == 3)
				return true;
	}
	return false;
}

static int push64(struct vec *v, int64_t x)
{
	return vec_push(v, &x);
}

/* After the events: open clocks, counts and distributions. */
static int conclude(struct timeline *r)
{
	struct ctx *x = r->x;
	const struct tsam_case *c = r->c;
	int i, rc = TSAM_OK, qi;

	if (r->tr != NULL) {
		char b[32];

		tsam_sla_tr_line(
		    r, "%s  as_of: the clocks still running are evaluated",
		    tsam_sla_tr_time(x, x->as_of, b, sizeof(b)));
	}
	for (i = 0; rc == TSAM_OK && i < NT; i++) {
		struct clock *k = &r->k[i];

		if (!k->on)
			continue;
		if (k->held)
			k->due = tsam_cal_add(clock_cal(r, i), x->as_of,
					      k->remaining);
		if (i >= TSAM_TARGET_MANAGER && k->due < x->as_of)
			rc = add_esc(r, i - TSAM_TARGET_MANAGER, -1, k->due,
				     "missing");
		if (rc == TSAM_OK)
			rc = record(r, i, -1, x->as_of,
				    k->due < x->as_of ? ST_MISSED : ST_PENDING);
	}
	for (i = 0; i < NQ; i++) {
		if (open_at(r, x->q[i].start - 1))
			x->q[i].backlog_start++;
		if (open_at(r, x->q[i].end - 1))
			x->q[i].backlog_end++;
	}
	qi = quarter_of(x, c->created);
	if (qi >= 0) {
		x->q[qi].opened++;
		x->q[qi].by_sev[r->best - 1]++;
	}
	if (qi == NQ - 1) {
		int y, m, d;

		x->by_product[c->product]++;
		x->by_channel[c->channel]++;
		tsam_civil_from_days(
		    (c->created + tsam_cal_offset(x->o->support, c->created)) /
			86400,
		    &y, &m, &d);
		x->by_month[(m - 1) % 3][r->best - 1]++;
		if (r->first_contact >= 0 && rc == TSAM_OK) {
			int64_t rt = r->first_contact - c->created;
			int b = 0;

			while (b < NBUCKETS - 1 && rt >= bounds[b])
				b++;
			x->hist[c->sev0 - 1][b]++;
			rc = push64(&x->resp_wall[c->sev0 - 1], rt);
			if (rc == TSAM_OK)
				rc = push64(&x->resp_bus[c->sev0 - 1],
					    tsam_cal_seconds(x->o->support,
							     c->created,
							     r->first_contact));
		}
		x->defaulted += c->sev_defaulted;
		x->email_adjusted += c->email_adjusted;
	}
	if (!r->open && quarter_of(x, r->resolved_at) == NQ - 1 &&
	    rc == TSAM_OK) {
		int64_t w = r->resolved_at - c->created - r->paused_wall;
		int64_t b = tsam_cal_seconds(x->o->support, c->created,
					     r->resolved_at) -
			    r->paused_bus;

		rc = push64(&x->res_wall[r->res_sev - 1], w < 0 ? 0 : w);
		if (rc == TSAM_OK)
			rc = push64(&x->res_bus[r->res_sev - 1], b < 0 ? 0 : b);
	}
	if (r->reopens > 0 && qi == NQ - 1)
		x->reopen_cases++;
	/* severity 3 still open after N days: may be raised to 2 */
	if (rc == TSAM_OK && sev3_too_long(r)) {
		uint32_t idx = r->idx;

		rc = vec_push(&x->raise, &idx);
		TR(r,
		   "  flags.severity3_open_too_long: open at severity 3 "
		   "in the review quarter %d days or more after its "
		   "creation",
		   x->o->policy->raise_after_days);
	}
	if (r->tr != NULL)
		tsam_sla_tr_counts(r, qi);
	return rc;
}

static int run_case(struct ctx *x, uint32_t idx)
{
	const struct tsam_case *c = &x->cs->c[idx];
	const struct tsam_event *ev = x->cs->ev + c->ev0;
	bool explicit_kind[TSAM_EV_KINDS] = {false};
	struct timeline r;
	uint32_t i;
	int rc = TSAM_OK;

	memset(&r, 0, sizeof(r));
	r.x = x;
	r.idx = idx;
	r.c = c;
	r.sev = r.best = c->sev0;
	r.open = true;
	r.first_contact = r.resolved_at = -1;
	r.open_from[0] = c->created;
	r.open_to[0] = INT64_MAX;
	r.nopen = 1;
	if (x->o->ntrace > 0 && (rc = tsam_sla_tr_begin(&r)) != TSAM_OK)
		return rc;
	clock_start(&r, TSAM_TARGET_RESPONSE, r.sev, c->created);
	clock_start(&r, TSAM_TARGET_MANAGER, r.sev, c->created);
	clock_start(&r, TSAM_TARGET_EXECUTIVE, r.sev, c->created);
	for (i = 0; i < c->nev; i++)
		if (!ev[i].implicit)
			explicit_kind[ev[i].kind] = true;
	TR(&r, "      update clock: starts at the first contact");
	for (i = 0; rc == TSAM_OK && i < c->nev && ev[i].t <= x->as_of; i++) {
		const struct tsam_event *e = &ev[i];

		if (r.tr != NULL)
			tsam_sla_tr_event(&r, i);
		if (e->implicit && explicit_kind[e->kind]) {
			TR(&r,
			   "      ignored: the event log has %s events for "
			   "this case (the column is used only without them)",
			   tsam_ev_kind_name((enum tsam_ev_kind)e->kind));
			continue; /* the event log says it better */
		}
		switch ((enum tsam_ev_kind)e->kind) {
		case TSAM_EV_FIRST_RESPONSE:
		case TSAM_EV_VENDOR_UPDATE:
			if (r.open)
				rc = contact(&r, e->t);
			else
				TR(&r, "      ignored: the case is resolved");
			break;
		case TSAM_EV_ESCALATION_MANAGER:
			rc = escalate(&r, 0, e->t);
			break;
		case TSAM_EV_ESCALATION_EXECUTIVE:
			rc = escalate(&r, 1, e->t);
			break;
		case TSAM_EV_SEVERITY_CHANGE:
			rc = severity_change(&r, e->sev, e->t);
			break;
		case TSAM_EV_PENDING_CUSTOMER:
			pause_clocks(&r, e->t);
			break;
		case TSAM_EV_RESUMED:
		case TSAM_EV_CUSTOMER_UPDATE:
			resume_clocks(&r, e->t);
			break;
		case TSAM_EV_RESOLVED:
		case TSAM_EV_CLOSED:
			rc = resolve(&r, e->t);
			break;
		case TSAM_EV_REOPENED:
			reopen(&r, e->t);
			break;
		case TSAM_EV_CREATED:
		case TSAM_EV_NONE:
			break;
		}
		if (r.tr != NULL)
			tsam_sla_tr_state(&r);
	}
	if (r.tr != NULL)
		for (; i < c->nev; i++) {
			tsam_sla_tr_event(&r, i);
			tsam_sla_tr_line(&r, "      ignored: after as_of");
		}
	if (rc == TSAM_OK)
		rc = conclude(&r);
	free((void *)r.rows);
	return rc;
}

static void ctx_free(struct ctx *x)
{
	int s;

	free(x->evals.v);
	free(x->escs.v);
	free(x->raise.v);
	free(x->by_product);
	free(x->by_channel);
	for (s = 0; s < NS; s++) {
		free(x->resp_wall[s].v);
		free(x->resp_bus[s].v);
		free(x->res_wall[s].v);
		free(x->res_bus[s].v);
	}
}

/* The fee (from a portfolio or --fee) is a finite amount in range, with a
 * currency: amount = fee x percent / 100 is then finite too. */
static int check_fee(const struct tsam_sla_opts *o, struct tsam_errbuf *eb)
{
	const char *who = o->customer ? o->customer : "";
	const char *sep = o->customer ? " of customer " : "";

	if (!isfinite(o->fee) || o->fee < 0 || o->fee > TSAM_SLA_MAX_FEE)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "fee%s%s: %g is not an amount from 0 to "
				       "%.0f",
				       sep, who, o->fee, TSAM_SLA_MAX_FEE);
	if (o->fee > 0 && (o->currency == NULL || o->currency[0] == '\0' ||
			   strlen(o->currency) > 16 ||
			   !tsam_utf8_valid(o->currency, strlen(o->currency))))
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "fee%s%s: the currency must be a code "
				       "of 1 to 16 bytes of UTF-8 (e.g. JPY)",
				       sep, who);
	return TSAM_OK;
}

enum tsam_err tsam_sla_stats(const struct tsam_cases *cs,
			     const struct tsam_sla_opts *o, json_object **out,
			     struct tsam_errbuf *eb)
{
	struct ctx x;
	size_t i;
	int k, s, rc = TSAM_OK;

	*out = NULL;
	if ((rc = check_fee(o, eb)) != TSAM_OK)
		return rc;
	memset(&x, 0, sizeof(x));
	x.cs = cs;
	x.o = o;
	x.as_of = o->as_of > 0 ? o->as_of : cs->latest;
	x.evals.size = sizeof(struct eval);
	x.escs.size = sizeof(struct esc);
	x.raise.size = sizeof(uint32_t);
	for (s = 0; s < NS; s++)
		x.resp_wall[s].size = x.resp_bus[s].size = x.res_wall[s].size =
		    x.res_bus[s].size = sizeof(int64_t);
	for (k = 0; k < NQ; k++) {
		int qn = o->year * 4 + (o->quarter - 1) - (NQ - 1 - k);
		int y = qn / 4, q = qn % 4 + 1;

		x.q[k].year = y;
		x.q[k].q = q;
		x.q[k].start = tsam_cal_to_utc(
		    o->support,
		    tsam_days_from_civil(y, (q - 1) * 3 + 1, 1) * 86400);
		x.q[k].end = tsam_cal_to_utc(
		    o->support,
		    (q == 4 ? tsam_days_from_civil(y + 1, 1, 1)
			    : tsam_days_from_civil(y, q * 3 + 1, 1)) *
			86400);
	}
	x.by_product = calloc(cs->nnames + 1, sizeof(size_t));
	x.by_channel = calloc(cs->nnames + 1, sizeof(size_t));
	if (x.by_product == NULL || x.by_channel == NULL)
		rc = TSAM_ERR_NOMEM;
	for (i = 0; rc == TSAM_OK && i < cs->n; i++)
		if (!cs->c[i].other && cs->c[i].created <= x.as_of)
			rc = run_case(&x, (uint32_t)i);
	for (i = 0; rc == TSAM_OK && i < o->ntrace; i++)
		if (o->trace[i].kase < cs->n &&
		    cs->c[o->trace[i].kase].created > x.as_of)
			tsam_buf_adds(&o->trace[i].text,
				      "received after as_of: not evaluated\n");
	if (rc == TSAM_OK)
		rc = tsam_sla_build(&x, out);
	ctx_free(&x);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "SLA statistics: %s",
				       tsam_strerror(rc));
	return TSAM_OK;
}
