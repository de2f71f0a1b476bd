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
 */
#include "sla.h"

#include "buf.h"
#include "date.h"
#include "str.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NQ	 5  /* the quarter and the four before it */
#define MAX_OPEN 64 /* open intervals kept per case */
#define NT	 TSAM_TARGETS
#define NS	 TSAM_SEVERITIES
#define NBUCKETS 8

/* Upper bounds of the response-time histogram's buckets (the last is
 * open): 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 24 h. */
static const int64_t bounds[NBUCKETS - 1] = {900,   1800,  3600, 7200,
					     14400, 28800, 86400};

enum status { ST_MET, ST_MISSED, ST_PENDING };

struct eval {
	uint32_t kase;
	uint8_t target, sev, support; /* a missed target */
	int64_t due, done;	      /* done -1: not done */
	int64_t ref; /* as_of or resolution for a missing one */
};

struct esc {
	uint32_t kase;
	uint8_t level; /* 0 manager, 1 executive */
	uint8_t sev;
	int64_t at;	    /* -1: missing */
	int64_t due;	    /* -1: none (requested at any time) */
	const char *status; /* met, late, missing, requested, not_required */
};

struct vec {
	void *v;
	size_t n, cap, size;
};

static int vec_push(struct vec *v, const void *item)
{
	if (tsam_grow(&v->v, &v->cap, v->n + 1, v->size) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	memcpy((char *)v->v + v->n * v->size, item, v->size);
	v->n++;
	return TSAM_OK;
}

struct quarter {
	int64_t start, end;
	int year, q;
	size_t opened, closed, reopened, backlog_start, backlog_end;
	size_t by_sev[NS];
	size_t att[NT][NS][3];
	size_t breaches;
	double credit_pct;
	size_t credit_misses;
};

struct ctx {
	const struct tsam_cases *cs;
	const struct tsam_sla_opts *o;
	struct quarter q[NQ];
	int64_t as_of;
	struct vec evals, escs;
	/* the review quarter's distributions, per severity */
	struct vec resp_wall[NS], resp_bus[NS], res_wall[NS], res_bus[NS];
	size_t hist[NS][NBUCKETS]; /* wall-clock response times */
	size_t *by_product, *by_channel, by_month[3][NS];
	struct vec raise; /* case indexes: severity 3 open > N days */
	size_t sev_changes, reopen_cases, defaulted, email_adjusted;
};

struct clock {
	bool on, held;
	uint8_t sev;
	int64_t due, remaining;
};

struct run {
	struct ctx *x;
	uint32_t idx;
	const struct tsam_case *c;
	uint8_t sev, best, res_sev; /* in force, highest, at the resolution */
	bool open, paused;
	int64_t pause_at, paused_wall, paused_bus;
	int64_t first_contact, resolved_at;
	struct clock k[NT];
	bool esc_done[2];
	int64_t open_from[MAX_OPEN], open_to[MAX_OPEN];
	int nopen;
	int reopens;
	/* tracing this case (--explain): the text, and the input row of
	 * each event (indexes into cs->rows; NULL: not known) */
	struct tsam_buf *tr;
	const size_t *rows;
};

bool tsam_quarter_parse(const char *s, int *year, int *quarter)
{
	struct tsam_datetime dt;

	if (strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q') || s[5] < '1' ||
	    s[5] > '4' || !tsam_datetime_parse(s, 4, "%Y", &dt) ||
	    dt.y < 1981 || dt.y > 2099)
		return false;
	*year = dt.y;
	*quarter = s[5] - '0';
	return true;
}

static const struct tsam_spec *spec(const struct run *r, int target, int sev)
{
	return &r->x->o->policy->spec[r->x->o->tier][sev - 1][target];
}

static const struct tsam_cal *spec_cal(const struct ctx *x,
				       const struct tsam_spec *s)
{
	return s->support_clock ? x->o->support : x->o->wall;
}

static int64_t spec_secs(const struct ctx *x, const struct tsam_spec *s)
{
	return s->business_days > 0
		   ? s->business_days * tsam_cal_day_seconds(x->o->support)
		   : s->seconds;
}

static const struct tsam_cal *clock_cal(const struct run *r, int target)
{
	return spec_cal(r->x, spec(r, target, r->k[target].sev));
}

static int quarter_of(const struct ctx *x, int64_t t)
{
	int i;

	for (i = 0; i < NQ; i++)
		if (t >= x->q[i].start && t < x->q[i].end)
			return i;
	return -1;
}

/* ---- tracing one case (tsam-cases --explain) ---- */

/* Appends a line to the case's trace (only when traced: callers test
 * r->tr first, through TR, so untraced cases format nothing). */
static void tr_line(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void tr_line(struct run *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* a trace past its cap is cut: the figures are unaffected */
	if (tsam_buf_adds(r->tr, line) == TSAM_OK)
		tsam_buf_adds(r->tr, "\n");
}

#define TR(r, ...)                                                             \
	do {                                                                   \
		if ((r)->tr != NULL)                                           \
			tr_line((r), __VA_ARGS__);                             \
	} while (0)

const char *tsam_sla_local_time(const struct tsam_cal *cal, int64_t t, char *b,
				size_t n)
{
	int64_t l, sec;
	int y, m, dd;

	if (t < 0)
		return "never";
	if (t == INT64_MAX)
		return "(paused)";
	l = t + tsam_cal_offset(cal, t);
	sec = l % 86400;
	tsam_civil_from_days(l / 86400, &y, &m, &dd);
	if (sec % 60)
		snprintf(b, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, dd,
			 (int)(sec / 3600), (int)(sec / 60 % 60),
			 (int)(sec % 60));
	else
		snprintf(b, n, "%04d-%02d-%02d %02d:%02d", y, m, dd,
			 (int)(sec / 3600), (int)(sec / 60 % 60));
	return b;
}

static const char *tr_time(const struct ctx *x, int64_t t, char *b, size_t n)
{
	return tsam_sla_local_time(x->o->support, t, b, n);
}

/* A duration: "2 d 3 h 5 min" (seconds when not whole minutes). */
static const char *tr_dur(int64_t s, char *b, size_t n)
{
	int64_t d = s / 86400, h = s / 3600 % 24, mi = s / 60 % 60, se = s % 60;
	size_t k = 0;

	b[0] = '\0';
	if (s <= 0) {
		snprintf(b, n, "0 min");
		return b;
	}
	if (d)
		k += (size_t)snprintf(b + k, n - k, "%lld d ", (long long)d);
	if (h && k < n)
		k += (size_t)snprintf(b + k, n - k, "%lld h ", (long long)h);
	if (mi && k < n)
		k += (size_t)snprintf(b + k, n - k, "%lld min ", (long long)mi);
	if (se && k < n)
		k += (size_t)snprintf(b + k, n - k, "%lld s ", (long long)se);
	if (k > 0 && k <= n)
		b[k - 1] = '\0';
	return b;
}

/* The quarter of t among the five, as "2026Q3", or "no quarter". */
static const char *tr_quarter(const struct ctx *x, int64_t t, char *b, size_t n)
{
	int qi = quarter_of(x, t);

	if (qi < 0)
		snprintf(b, n, "none of the five quarters computed");
	else
		snprintf(b, n, "%04dQ%d%s", x->q[qi].year, x->q[qi].q,
			 qi == NQ - 1 ? " (the review quarter)" : "");
	return b;
}

/* A target's policy for severity sev, in words, with its calendar. */
static const char *tr_spec(const struct run *r, int target, int sev, char *b,
			   size_t n)
{
	const struct tsam_spec *s =
	    &r->x->o->policy->spec[r->x->o->tier][sev - 1][target];
	char d[64];

	tsam_spec_describe(s, d, sizeof(d));
	if (s->kind == TSAM_SPEC_DURATION && s->support_clock)
		snprintf(b, n, "%s on the %s calendar", d,
			 tsam_cal_name(r->x->o->support));
	else
		snprintf(b, n, "%s", d);
	return b;
}

/* The clocks after an event: severity, open or not, paused or not, and
 * each running clock's due time. */
static void tr_state(struct run *r)
{
	char line[512], b[32];
	size_t k;
	int i;

	k = (size_t)snprintf(line, sizeof(line), "      now: severity %d, %s%s",
			     r->sev, r->open ? "open" : "resolved",
			     r->paused ? ", clocks paused (customer pending)"
				       : "");
	for (i = 0; i < NT && k < sizeof(line); i++) {
		const struct clock *c = &r->k[i];

		if (!c->on)
			continue;
		if (c->held)
			k += (size_t)snprintf(
			    line + k, sizeof(line) - k, "; %s paused, %s left",
			    tsam_target_name(i),
			    tr_dur(c->remaining, b, sizeof(b)));
		else
			k += (size_t)snprintf(
			    line + k, sizeof(line) - k, "; %s due %s",
			    tsam_target_name(i),
			    tr_time(r->x, c->due, b, sizeof(b)));
	}
	tr_line(r, "%s", line);
}

/* Starts (or restarts) clock target at t for severity sev. */
static void clock_start(struct run *r, int target, int sev, int64_t t)
{
	const struct tsam_spec *s = spec(r, target, sev);
	struct clock *k = &r->k[target];

	k->on = s->kind == TSAM_SPEC_DURATION;
	k->sev = (uint8_t)sev;
	k->held = false;
	if (!k->on) {
		if (r->tr != NULL) {
			char b[128];

			tr_line(r,
				"      %s clock, severity %d: %s - no due time",
				tsam_target_name(target), sev,
				tr_spec(r, target, sev, b, sizeof(b)));
		}
		return;
	}
	if (r->paused && target != TSAM_TARGET_RESPONSE) {
		k->held = true;
		k->remaining = spec_secs(r->x, s);
		k->due = INT64_MAX;
		if (r->tr != NULL) {
			char b[128];

			tr_line(
			    r,
			    "      %s clock, severity %d: %s - paused until "
			    "the customer responds",
			    tsam_target_name(target), sev,
			    tr_spec(r, target, sev, b, sizeof(b)));
		}
		return;
	}
	k->due = tsam_cal_add(spec_cal(r->x, s), t, spec_secs(r->x, s));
	if (r->tr != NULL) {
		char b[128], d[32], e[32];

		tr_line(r, "      %s clock, severity %d: %s from %s, due %s",
			tsam_target_name(target), sev,
			tr_spec(r, target, sev, b, sizeof(b)),
			tr_time(r->x, t, d, sizeof(d)),
			tr_time(r->x, k->due, e, sizeof(e)));
	}
}

/* The trace of an evaluation: status, due, done, overrun, quarter. */
static void tr_record(struct run *r, int target, int64_t done, int64_t ref,
		      int status)
{
	const struct clock *k = &r->k[target];
	const struct tsam_cal *cal = clock_cal(r, target);
	char due[32], at[32], q[64], over[64], bus[64];
	int64_t end = done >= 0 ? done : ref;

	tr_time(r->x, k->due, due, sizeof(due));
	tr_quarter(r->x, k->due, q, sizeof(q));
	if (status == ST_MET)
		tr_line(r,
			"      => %s, severity %d: MET (due %s, done %s); "
			"counts in %s",
			tsam_target_name(target), k->sev, due,
			tr_time(r->x, done, at, sizeof(at)), q);
	else if (status == ST_PENDING)
		tr_line(r,
			"      => %s, severity %d: PENDING at as_of (due %s, "
			"not yet done); counts in %s",
			tsam_target_name(target), k->sev, due, q);
	else
		tr_line(r,
			"      => %s, severity %d: MISSED (due %s, %s %s; %s "
			"over, %s of it on the %s calendar); counts in %s",
			tsam_target_name(target), k->sev, due,
			done >= 0 ? "done" : "not done by",
			done >= 0
			    ? tr_time(r->x, done, at, sizeof(at))
			    : (end == r->x->as_of ? "as_of" : "the resolution"),
			tr_dur(end - k->due, over, sizeof(over)),
			tr_dur(tsam_cal_seconds(cal, k->due, end), bus,
			       sizeof(bus)),
			tsam_cal_name(cal), q);
}

static int record(struct run *r, int target, int64_t done, int64_t ref,
		  int status)
{
	const struct tsam_sla_opts *o = r->x->o;
	struct clock *k = &r->k[target];
	struct quarter *q;
	struct eval e;
	int qi = quarter_of(r->x, k->due);

	k->on = false;
	if (r->tr != NULL)
		tr_record(r, target, done, ref, status);
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
static void unhold(struct run *r, int target, int64_t t)
{
	struct clock *k = &r->k[target];

	if (!k->on || !k->held)
		return;
	k->held = false;
	k->due = tsam_cal_add(clock_cal(r, target), t, k->remaining);
}

/* Stops a running clock because its event happened at t. */
static int finish(struct run *r, int target, int64_t t)
{
	if (!r->k[target].on)
		return TSAM_OK;
	unhold(r, target, t);
	return record(r, target, t, t,
		      t <= r->k[target].due ? ST_MET : ST_MISSED);
}

static int add_esc(struct run *r, int level, int64_t at, int64_t due,
		   const char *status)
{
	struct esc e = {r->idx, (uint8_t)level, r->sev, at, due, status};
	int qi = quarter_of(r->x, at >= 0 ? at : due);

	if (r->tr != NULL) {
		char q[64];

		tr_line(r,
			"      => escalation to the %s: %s; listed in the "
			"escalations of %s",
			level ? "executive" : "manager", status,
			tr_quarter(r->x, at >= 0 ? at : due, q, sizeof(q)));
	}
	if (qi != NQ - 1)
		return TSAM_OK;
	return vec_push(&r->x->escs, &e);
}

static int contact(struct run *r, int64_t t)
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

static int escalate(struct run *r, int level, int64_t t)
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

static void pause_clocks(struct run *r, int64_t t)
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

static void resume_clocks(struct run *r, int64_t t)
{
	int i;

	if (!r->paused) {
		TR(r, "      no effect: the clocks are not paused");
		return;
	}
	if (r->tr != NULL) {
		char b[64];

		tr_line(r, "      the clocks resume after %s paused",
			tr_dur(t - r->pause_at, b, sizeof(b)));
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

static int severity_change(struct run *r, int sev, int64_t t)
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

static int resolve(struct run *r, int64_t t)
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

		tr_line(r, "      resolved: counts.closed of %s",
			tr_quarter(r->x, t, q, sizeof(q)));
	}
	return rc;
}

static void reopen(struct run *r, int64_t t)
{
	int qi;

	if (r->open) {
		TR(r, "      ignored: the case is open");
		return;
	}
	if (r->tr != NULL) {
		char q[64];

		tr_line(r,
			"      reopened: counts.reopened of %s; escalation "
			"clocks do not restart",
			tr_quarter(r->x, t, q, sizeof(q)));
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

static bool open_at(const struct run *r, int64_t t)
{
	int i;

	for (i = 0; i < r->nopen; i++)
		if (t >= r->open_from[i] && t < r->open_to[i])
			return true;
	return false;
}

/*
 * Whether the case was, at some instant of the review quarter at or
 * before as_of and at least severity3_raise_after_days (wall-clock days)
 * after its creation, open (in any open period, reopened ones included)
 * at severity 3.
 */
static bool sev3_too_long(const struct run *r)
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

/* The trace's last lines: the counts of stats.json the case went to. */
static void tr_counts(struct run *r, int qi)
{
	const struct ctx *x = r->x;
	const struct tsam_case *c = r->c;
	char q[64], a[64], b[64];
	int i;

	tr_line(r,
		"  received in %s: counts.opened there, by_severity[\"%d\"] "
		"(the highest severity it reached)",
		tr_quarter(x, c->created, q, sizeof(q)), r->best);
	if (qi == NQ - 1 && r->first_contact >= 0)
		tr_line(r,
			"  first contact after %s (%s on the %s calendar): "
			"times.response[\"%d\"] (the initial severity)",
			tr_dur(r->first_contact - c->created, a, sizeof(a)),
			tr_dur(tsam_cal_seconds(x->o->support, c->created,
						r->first_contact),
			       b, sizeof(b)),
			tsam_cal_name(x->o->support), c->sev0);
	if (!r->open && quarter_of(x, r->resolved_at) == NQ - 1) {
		int64_t w = r->resolved_at - c->created - r->paused_wall;
		int64_t bs = tsam_cal_seconds(x->o->support, c->created,
					      r->resolved_at) -
			     r->paused_bus;

		tr_line(r,
			"  resolved in the review quarter after %s (%s on "
			"the %s calendar), customer-pending time excluded: "
			"times.resolution[\"%d\"]",
			tr_dur(w, a, sizeof(a)), tr_dur(bs, b, sizeof(b)),
			tsam_cal_name(x->o->support), r->res_sev);
	} else if (r->open) {
		tr_line(r, "  still open at as_of");
	}
	if (open_at(r, x->q[NQ - 1].start - 1))
		tr_line(r, "  open when the review quarter began: "
			   "counts.backlog_start");
	if (open_at(r, x->q[NQ - 1].end - 1))
		tr_line(r, "  open when the review quarter ended (as known at "
			   "as_of): counts.backlog_end");
	if (r->reopens > 0)
		tr_line(r, "  reopened %d time%s%s", r->reopens,
			r->reopens == 1 ? "" : "s",
			qi == NQ - 1 ? "; received in the review quarter: "
				       "flags.reopened_cases"
				     : "");
	for (i = 0; i < 2; i++)
		if (!r->esc_done[i] &&
		    r->k[TSAM_TARGET_MANAGER + i].on == false &&
		    spec(r, TSAM_TARGET_MANAGER + i, r->sev)->kind ==
			TSAM_SPEC_ANY_TIME)
			tr_line(r,
				"  %s escalation: at any time, at the "
				"customer's request (none recorded)",
				i ? "executive" : "manager");
}

/* After the events: open clocks, counts and distributions. */
static int conclude(struct run *r)
{
	struct ctx *x = r->x;
	const struct tsam_case *c = r->c;
	int i, rc = TSAM_OK, qi;

	if (r->tr != NULL) {
		char b[32];

		tr_line(r, "%s  as_of: the clocks still running are evaluated",
			tr_time(x, x->as_of, b, sizeof(b)));
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
		tr_counts(r, qi);
	return rc;
}

/* The trace's line for event i of the case: time, kind, input row. */
static void tr_event(struct run *r, uint32_t i)
{
	const struct tsam_cases *cs = r->x->cs;
	const struct tsam_event *e = cs->ev + r->c->ev0 + i;
	char b[32], src[4200], sev[32] = "";

	if (r->rows != NULL) {
		const struct tsam_case_row *row = &cs->rows[r->rows[i]];

		snprintf(src, sizeof(src), "%s:%u%s", cs->in[row->file].path,
			 row->line,
			 row->file == 0 ? " (a column of the case's row)" : "");
	} else {
		snprintf(src, sizeof(src), "row not known");
	}
	if (e->kind == TSAM_EV_SEVERITY_CHANGE)
		snprintf(sev, sizeof(sev), " to %d", e->sev);
	tr_line(r, "%s  %s%s  [%s]", tr_time(r->x, e->t, b, sizeof(b)),
		tsam_ev_kind_name((enum tsam_ev_kind)e->kind), sev, src);
}

/* Starts tracing the case if it is one of o->trace: its first line, and
 * the input rows of its events. */
static int tr_begin(struct run *r)
{
	const struct ctx *x = r->x;
	const struct tsam_case *c = r->c;
	size_t k, *rows;
	char b[32];

	for (k = 0; k < x->o->ntrace; k++)
		if (x->o->trace[k].kase == r->idx)
			r->tr = &x->o->trace[k].text;
	if (r->tr == NULL)
		return TSAM_OK;
	rows = malloc((c->nev ? c->nev : 1) * sizeof(*rows));
	if (rows == NULL)
		return TSAM_ERR_NOMEM;
	if (tsam_cases_event_rows(x->cs, c, rows))
		r->rows = rows;
	else
		free(rows);
	tr_line(r, "%s  received  [%s:%u], severity %d",
		tr_time(x, c->created, b, sizeof(b)), x->cs->in[0].path,
		c->line, c->sev0);
	return TSAM_OK;
}

static int run_case(struct ctx *x, uint32_t idx)
{
	const struct tsam_case *c = &x->cs->c[idx];
	const struct tsam_event *ev = x->cs->ev + c->ev0;
	bool explicit_kind[TSAM_EV_KINDS] = {false};
	struct run r;
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
	if (x->o->ntrace > 0 && (rc = tr_begin(&r)) != TSAM_OK)
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
			tr_event(&r, i);
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
			tr_state(&r);
	}
	if (r.tr != NULL)
		for (; i < c->nev; i++) {
			tr_event(&r, i);
			tr_line(&r, "      ignored: after as_of");
		}
	if (rc == TSAM_OK)
		rc = conclude(&r);
	free((void *)r.rows);
	return rc;
}

/* ---- output ---- */

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

static int build(struct ctx *x, json_object **out)
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

int tsam_sla_stats(const struct tsam_cases *cs, const struct tsam_sla_opts *o,
		   json_object **out, struct tsam_errbuf *eb)
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
		rc = build(&x, out);
	ctx_free(&x);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "SLA statistics: %s",
				       tsam_strerror(rc));
	return TSAM_OK;
}
