/*
 * sla_trace.c - a traced case's timeline in words (tsam-cases --explain):
 * the line of each event with the input row it came from, the clocks
 * after it, every evaluation with its status, due and done times and
 * quarter, and at the end the counts of stats.json the case went to.
 * sla.c calls these as it applies the events, only for a traced case, so
 * the text and stats.json come from the same computation. Times are the
 * support calendar's local times, durations "2 d 3 h 5 min".
 */
#include "sla_int.h"

#include "buf.h"
#include "date.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Appends a line to the case's trace (only when traced: callers test
 * r->tr first, through TR, so untraced cases format nothing). */
void tsam_sla_tr_line(struct timeline *r, const char *fmt, ...)
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

const char *tsam_sla_tr_time(const struct ctx *x, int64_t t, char *b, size_t n)
{
	return tsam_sla_local_time(x->o->support, t, b, n);
}

/* A duration: "2 d 3 h 5 min" (seconds when not whole minutes). */
const char *tsam_sla_tr_dur(int64_t s, char *b, size_t n)
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
const char *tsam_sla_tr_quarter(const struct ctx *x, int64_t t, char *b,
				size_t n)
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
const char *tsam_sla_tr_spec(const struct timeline *r, int target, int sev,
			     char *b, size_t n)
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
void tsam_sla_tr_state(struct timeline *r)
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
			    tsam_sla_tr_dur(c->remaining, b, sizeof(b)));
		else
			k += (size_t)snprintf(
			    line + k, sizeof(line) - k, "; %s due %s",
			    tsam_target_name(i),
			    tsam_sla_tr_time(r->x, c->due, b, sizeof(b)));
	}
	tsam_sla_tr_line(r, "%s", line);
}

/* The trace of an evaluation: status, due, done, overrun, quarter. */
void tsam_sla_tr_record(struct timeline *r, int target, int64_t done,
			int64_t ref, int status)
{
	const struct clock *k = &r->k[target];
	const struct tsam_cal *cal = clock_cal(r, target);
	char due[32], at[32], q[64], over[64], bus[64];
	int64_t end = done >= 0 ? done : ref;

	tsam_sla_tr_time(r->x, k->due, due, sizeof(due));
	tsam_sla_tr_quarter(r->x, k->due, q, sizeof(q));
	if (status == ST_MET)
		tsam_sla_tr_line(
		    r,
		    "      => %s, severity %d: MET (due %s, done %s); "
		    "counts in %s",
		    tsam_target_name(target), k->sev, due,
		    tsam_sla_tr_time(r->x, done, at, sizeof(at)), q);
	else if (status == ST_PENDING)
		tsam_sla_tr_line(
		    r,
		    "      => %s, severity %d: PENDING at as_of (due %s, "
		    "not yet done); counts in %s",
		    tsam_target_name(target), k->sev, due, q);
	else
		tsam_sla_tr_line(
		    r,
		    "      => %s, severity %d: MISSED (due %s, %s %s; %s "
		    "over, %s of it on the %s calendar); counts in %s",
		    tsam_target_name(target), k->sev, due,
		    done >= 0 ? "done" : "not done by",
		    done >= 0
			? tsam_sla_tr_time(r->x, done, at, sizeof(at))
			: (end == r->x->as_of ? "as_of" : "the resolution"),
		    tsam_sla_tr_dur(end - k->due, over, sizeof(over)),
		    tsam_sla_tr_dur(tsam_cal_seconds(cal, k->due, end), bus,
				    sizeof(bus)),
		    tsam_cal_name(cal), q);
}

/* The trace's last lines: the counts of stats.json the case went to. */
void tsam_sla_tr_counts(struct timeline *r, int qi)
{
	const struct ctx *x = r->x;
	const struct tsam_case *c = r->c;
	char q[64], a[64], b[64];
	int i;

	tsam_sla_tr_line(
	    r,
	    "  received in %s: counts.opened there, by_severity[\"%d\"] "
	    "(the highest severity it reached)",
	    tsam_sla_tr_quarter(x, c->created, q, sizeof(q)), r->best);
	if (qi == NQ - 1 && r->first_contact >= 0)
		tsam_sla_tr_line(
		    r,
		    "  first contact after %s (%s on the %s calendar): "
		    "times.response[\"%d\"] (the initial severity)",
		    tsam_sla_tr_dur(r->first_contact - c->created, a,
				    sizeof(a)),
		    tsam_sla_tr_dur(tsam_cal_seconds(x->o->support, c->created,
						     r->first_contact),
				    b, sizeof(b)),
		    tsam_cal_name(x->o->support), c->sev0);
	if (!r->open && quarter_of(x, r->resolved_at) == NQ - 1) {
		int64_t w = r->resolved_at - c->created - r->paused_wall;
		int64_t bs = tsam_cal_seconds(x->o->support, c->created,
					      r->resolved_at) -
			     r->paused_bus;

		tsam_sla_tr_line(
		    r,
		    "  resolved in the review quarter after %s (%s on "
		    "the %s calendar), customer-pending time excluded: "
		    "times.resolution[\"%d\"]",
		    tsam_sla_tr_dur(w, a, sizeof(a)),
		    tsam_sla_tr_dur(bs, b, sizeof(b)),
		    tsam_cal_name(x->o->support), r->res_sev);
	} else if (r->open) {
		tsam_sla_tr_line(r, "  still open at as_of");
	}
	if (open_at(r, x->q[NQ - 1].start - 1))
		tsam_sla_tr_line(r, "  open when the review quarter began: "
				    "counts.backlog_start");
	if (open_at(r, x->q[NQ - 1].end - 1))
		tsam_sla_tr_line(
		    r, "  open when the review quarter ended (as known at "
		       "as_of): counts.backlog_end");
	if (r->reopens > 0)
		tsam_sla_tr_line(r, "  reopened %d time%s%s", r->reopens,
				 r->reopens == 1 ? "" : "s",
				 qi == NQ - 1
				     ? "; received in the review quarter: "
				       "flags.reopened_cases"
				     : "");
	for (i = 0; i < 2; i++)
		if (!r->esc_done[i] &&
		    r->k[TSAM_TARGET_MANAGER + i].on == false &&
		    spec(r, TSAM_TARGET_MANAGER + i, r->sev)->kind ==
			TSAM_SPEC_ANY_TIME)
			tsam_sla_tr_line(r,
					 "  %s escalation: at any time, at the "
					 "customer's request (none recorded)",
					 i ? "executive" : "manager");
}

/* The trace's line for event i of the case: time, kind, input row. */
void tsam_sla_tr_event(struct timeline *r, uint32_t i)
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
	tsam_sla_tr_line(
	    r, "%s  %s%s  [%s]", tsam_sla_tr_time(r->x, e->t, b, sizeof(b)),
	    tsam_ev_kind_name((enum tsam_ev_kind)e->kind), sev, src);
}

/* Starts tracing the case if it is one of o->trace: its first line, and
 * the input rows of its events. */
enum tsam_err tsam_sla_tr_begin(struct timeline *r)
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
	tsam_sla_tr_line(r, "%s  received  [%s:%u], severity %d",
			 tsam_sla_tr_time(x, c->created, b, sizeof(b)),
			 x->cs->in[0].path, c->line, c->sev0);
	return TSAM_OK;
}
