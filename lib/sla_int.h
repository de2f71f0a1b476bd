/*
 * sla_int.h - the sla module's private header: shared by lib/sla*.c only,
 * never installed, never included by tools/ or other modules (their
 * interface is sla.h).
 *
 * The module's files:
 *
 *   sla.c        tsam_sla_stats, and each case's timeline: its clocks
 *                moved by its events, the evaluations they make, the
 *                counts and distributions it adds to (the theory of
 *                operation is at its top). Calls sla_trace.c when a case
 *                is traced, and sla_json.c once, at the end.
 *   sla_trace.c  the --explain text of a traced case: its events, its
 *                clocks, every evaluation, the counts it went to; times
 *                and durations in words.
 *   sla_json.c   stats.json from the computed figures.
 *
 * sla_trace.c and sla_json.c call neither each other nor sla.c: they read
 * the structs below. Every name this header gives the linker starts
 * tsam_sla_; the accessors of the policy and the quarters are static
 * inline, as they are used on every evaluation.
 */
#ifndef TSAM_SLA_INT_H
#define TSAM_SLA_INT_H

#include "err.h"

#include "sla.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* A missed target of the review quarter (stats.json's breaches). */
struct eval {
	uint32_t kase;
	uint8_t target, sev, support; /* a missed target */
	int64_t due, done;	      /* done -1: not done */
	int64_t ref; /* as_of or resolution for a missing one */
};

/* An escalation of the review quarter (stats.json's escalations). */
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

/* One of the five quarters computed: its bounds and counts. */
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

/* The computation: its input and every figure of stats.json. */
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

/* A target's clock: running or not, paused (held) with the time it has
 * left, or due at an instant. */
struct clock {
	bool on, held;
	uint8_t sev;
	int64_t due, remaining;
};

/* One case's timeline, as its events are applied in time order: the
 * severity, open or resolved, paused or not, the four clocks, the open
 * periods. */
struct timeline {
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

static inline const struct tsam_spec *spec(const struct timeline *r, int target,
					   int sev)
{
	return &r->x->o->policy->spec[r->x->o->tier][sev - 1][target];
}

static inline const struct tsam_cal *spec_cal(const struct ctx *x,
					      const struct tsam_spec *s)
{
	return s->support_clock ? x->o->support : x->o->wall;
}

static inline int64_t spec_secs(const struct ctx *x, const struct tsam_spec *s)
{
	return s->business_days > 0
		   ? s->business_days * tsam_cal_day_seconds(x->o->support)
		   : s->seconds;
}

static inline const struct tsam_cal *clock_cal(const struct timeline *r,
					       int target)
{
	return spec_cal(r->x, spec(r, target, r->k[target].sev));
}

static inline int quarter_of(const struct ctx *x, int64_t t)
{
	int i;

	for (i = 0; i < NQ; i++)
		if (t >= x->q[i].start && t < x->q[i].end)
			return i;
	return -1;
}

/* Whether the case was open at instant t. */
static inline bool open_at(const struct timeline *r, int64_t t)
{
	int i;

	for (i = 0; i < r->nopen; i++)
		if (t >= r->open_from[i] && t < r->open_to[i])
			return true;
	return false;
}

/* ---- sla_trace.c: tracing one case (tsam-cases --explain) ---- */

/* Appends a line to the case's trace (only when traced: callers test
 * r->tr first, through TR, so untraced cases format nothing). */
void tsam_sla_tr_line(struct timeline *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define TR(r, ...)                                                             \
	do {                                                                   \
		if ((r)->tr != NULL)                                           \
			tsam_sla_tr_line((r), __VA_ARGS__);                    \
	} while (0)

/* Instant t as the support calendar's local time (tsam_sla_local_time). */
const char *tsam_sla_tr_time(const struct ctx *x, int64_t t, char *b, size_t n);

/* A duration: "2 d 3 h 5 min" (seconds when not whole minutes). */
const char *tsam_sla_tr_dur(int64_t s, char *b, size_t n);

/* The quarter of t among the five, as "2026Q3", or "no quarter". */
const char *tsam_sla_tr_quarter(const struct ctx *x, int64_t t, char *b,
				size_t n);

/* A target's policy for severity sev, in words, with its calendar. */
const char *tsam_sla_tr_spec(const struct timeline *r, int target, int sev,
			     char *b, size_t n);

/* The clocks after an event: severity, open or not, paused or not, and
 * each running clock's due time. */
void tsam_sla_tr_state(struct timeline *r);

/* The trace of an evaluation: status, due, done, overrun, quarter. */
void tsam_sla_tr_record(struct timeline *r, int target, int64_t done,
			int64_t ref, int status);

/* The trace's last lines: the counts of stats.json the case went to (qi:
 * the quarter it was received in, -1: none of the five). */
void tsam_sla_tr_counts(struct timeline *r, int qi);

/* The trace's line for event i of the case: time, kind, input row. */
void tsam_sla_tr_event(struct timeline *r, uint32_t i);

/* Starts tracing the case if it is one of o->trace: its first line, and
 * the input rows of its events. */
TSAM_MUST_CHECK enum tsam_err tsam_sla_tr_begin(struct timeline *r);

/* ---- sla_json.c: stats.json ---- */

/* stats.json from the figures of x into *out (a new object, the
 * caller's). The distributions' values are reordered in place (their
 * median and 90th percentile selected). */
TSAM_MUST_CHECK enum tsam_err tsam_sla_build(struct ctx *x, json_object **out);

#endif
