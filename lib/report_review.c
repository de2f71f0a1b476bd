/*
 * report_review.c - the quarterly review's sections for the meeting
 * itself: the quarter in brief (a paragraph generated from the figures
 * with fixed phrases, the TSAM's own paragraph, the next review), the
 * contract's targets beside their attainment (with resolution times, "N
 * targets missed on M cases" and how the credit was computed), the cases
 * open at the end of the quarter, cases by product and channel with the
 * severity changes, and the action register (items carried over until
 * done). The full tables attached as CSV files are report_attach.c's.
 *
 * Reads stats.json (with its review_detail, lib/casedetail.c), the
 * action register (docs/actions.schema.json) and the customer's
 * next_review; every text comes from the catalogue in the report's
 * language (keys rv_*). Calls pdf, policy (the targets' names), stats,
 * report_draw.c, report_format.c; called by report.c.
 */
#include "report_int.h"
#include "stats.h"

#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX (2048) /* bytes of one generated sentence */

/* The message key with {name} values substituted (kv as
 * tsam_render_subst) into out. */
static void say(const struct tsam_render *r, const char *key, char *out,
		size_t n, size_t nkv, ...)
{
	const char *kv[16];
	size_t i;
	va_list ap;

	va_start(ap, nkv);
	for (i = 0; i < nkv && i < 16; i++)
		kv[i] = va_arg(ap, const char *);
	va_end(ap);
	tsam_render_subst(msg(r, key), kv, i, out, n);
}

/* Appends s and a separator to the paragraph p (n bytes). */
static void add_sentence(const struct tsam_render *r, char *p, size_t n,
			 const char *s)
{
	size_t len = strlen(p);

	if (len > 0 && len + 1 < n && !is_ja(r))
		p[len++] = ' ', p[len] = '\0';
	snprintf(p + len, n - len, "%s", s);
}

/* The response attainment over every severity: met and missed. */
static void totals(json_object *st, const char *target, long long *met,
		   long long *missed)
{
	char p[64];
	int s;

	*met = *missed = 0;
	for (s = 1; s <= 4; s++) {
		snprintf(p, sizeof(p), "attainment.%s.%d.met", target, s);
		*met += geti(st, p);
		snprintf(p, sizeof(p), "attainment.%s.%d.missed", target, s);
		*missed += geti(st, p);
	}
}

/* A percent of the fee (0 to 100 and beyond, uncapped): "25.0 %". Rates
 * are written by tsam_render_fmt_pct. */
static void pct(const struct tsam_render *r, double v, char *out, size_t n)
{
	tsam_render_fmt_percent(r, v, 1, out, n);
}

/* "2026-12-10" or "2026-12-10 14:00" as "2026年12月10日 14:00" or
 * "10 December 2026, 14:00"; anything else as it is. */
static void fmt_date(const struct tsam_render *r, const char *s, char *out,
		     size_t n)
{
	static const char *months[] = {"January", "February", "March",
				       "April",	  "May",      "June",
				       "July",	  "August",   "September",
				       "October", "November", "December"};
	int y, m, d;

	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-') {
		snprintf(out, n, "%s", s ? s : "-");
		return;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31) {
		snprintf(out, n, "%s", s);
		return;
	}
	if (is_ja(r))
		snprintf(out, n, "%d年%d月%d日%s%s", y, m, d,
			 strlen(s) > 11 ? " " : "",
			 strlen(s) > 11 ? s + 11 : "");
	else
		snprintf(out, n, "%d %s %d%s%s", d, months[m - 1], y,
			 strlen(s) > 11 ? ", " : "",
			 strlen(s) > 11 ? s + 11 : "");
}

/* The number of distinct cases in the listed breaches. */
static size_t breached_cases(json_object *b)
{
	json_object *seen = json_object_new_object();
	size_t i, n = alen(b), distinct;

	for (i = 0; seen != NULL && i < n; i++) {
		const char *c = tsam_json_str(aidx(b, i), "case");

		if (c != NULL && !json_object_object_get_ex(seen, c, NULL))
			json_object_object_add(seen, c, NULL);
	}
	distinct = seen ? (size_t)json_object_object_length(seen) : 0;
	json_object_put(seen);
	return distinct;
}

/* The executive escalations made in the quarter (met, late or at the
 * customer's request); *requested: those at the customer's request,
 * which have no target (the targets table counts the others). */
static long long executive_escalations(json_object *st, long long *requested)
{
	json_object *e = get(st, "escalations");
	size_t i;
	long long k = 0;

	*requested = 0;
	for (i = 0; i < alen(e); i++) {
		const char *lv = tsam_json_str(aidx(e, i), "level");
		const char *s = tsam_json_str(aidx(e, i), "status");

		if (lv && s && strcmp(lv, "executive") == 0 &&
		    (strcmp(s, "met") == 0 || strcmp(s, "late") == 0 ||
		     strcmp(s, "requested") == 0)) {
			k++;
			*requested += strcmp(s, "requested") == 0;
		}
	}
	return k;
}

/* ---- narrative ---- */

/* What went well, what did not, what changes: from the figures. */
static void narrative_text(const struct tsam_render *r, char *p, size_t n)
{
	json_object *st = r->in->stats;
	json_object *tr = get(st, "trend");
	json_object *prev = alen(tr) >= 2 ? aidx(tr, alen(tr) - 2) : NULL;
	long long met, missed, umet, umissed, opened, popened, urgent, purgent;
	long long exec, exec_req, open, waiting = 0, actions_open = 0,
					actions_late = 0;
	char a[64], b[64], c[64], s[LINE_MAX];
	double rate;
	bool sla = tsam_render_has(r, TSAM_SERVICE_SLA);
	size_t i;

	p[0] = '\0';
	totals(st, "response", &met, &missed);
	opened = geti(st, "counts.opened");
	popened = prev ? geti(prev, "counts.opened") : -1;
	urgent = geti(st, "counts.by_severity.1");
	purgent = prev ? geti(prev, "counts.by_severity.1") : -1;
	/* the volume */
	snprintf(a, sizeof(a), "%lld", opened);
	if (popened >= 0) {
		snprintf(b, sizeof(b), "%lld", popened);
		say(r, "rv_n_volume", s, sizeof(s), 4, "opened", a, "previous",
		    b);
	} else {
		say(r, "rv_n_volume_only", s, sizeof(s), 2, "opened", a);
	}
	add_sentence(r, p, n, s);
	if (urgent > 0 && purgent >= 0 && urgent >= 2 * purgent + 3) {
		snprintf(a, sizeof(a), "%lld", urgent);
		snprintf(b, sizeof(b), "%lld", purgent);
		say(r, "rv_n_urgent_spike", s, sizeof(s), 4, "urgent", a,
		    "previous", b);
		add_sentence(r, p, n, s);
	}
	/* what went well, what did not: against the targets of a tier that
	 * works under an SLA */
	if (!sla) {
		missed = umissed = 0;
	} else {
		if (tsam_stats_response_rate(st, &rate)) {
			tsam_render_fmt_pct(r, rate, a, sizeof(a));
			tsam_render_fmt_percent(
			    r, r->tmpl->attainment_target * 100, 0, b,
			    sizeof(b));
			say(r,
			    rate >= r->tmpl->attainment_target
				? "rv_n_response_good"
				: "rv_n_response_bad",
			    s, sizeof(s), 4, "rate", a, "target", b);
			add_sentence(r, p, n, s);
		}
		totals(st, "update", &umet, &umissed);
		if (tsam_stats_rate(st, "update", &rate)) {
			tsam_render_fmt_pct(r, rate, a, sizeof(a));
			say(r,
			    rate >= 0.9 ? "rv_n_update_good"
					: "rv_n_update_bad",
			    s, sizeof(s), 2, "rate", a);
			add_sentence(r, p, n, s);
		}
		exec = executive_escalations(st, &exec_req);
		if (exec > 0) {
			snprintf(a, sizeof(a), "%lld", exec);
			snprintf(b, sizeof(b), "%lld", exec_req);
			say(r,
			    exec_req == exec ? "rv_n_executive_all_req"
			    : exec_req > 0   ? "rv_n_executive_req"
					     : "rv_n_executive",
			    s, sizeof(s), 4, "n", a, "requested", b);
			add_sentence(r, p, n, s);
		}
		if (geti(st, "breaches_total") > 0) {
			snprintf(a, sizeof(a), "%lld",
				 geti(st, "breaches_total"));
			snprintf(b, sizeof(b), "%zu",
				 breached_cases(get(st, "breaches")));
			say(r, "rv_n_missed", s, sizeof(s), 4, "n", a, "cases",
			    b);
			add_sentence(r, p, n, s);
		}
		if (num(get(st, "credits"), "percent", 0) > 0) {
			pct(r, num(get(st, "credits"), "percent", 0), a,
			    sizeof(a));
			snprintf(b, sizeof(b), "%lld",
				 geti(st, "credits.misses"));
			say(r, "rv_n_credits", s, sizeof(s), 4, "percent", a,
			    "misses", b);
			add_sentence(r, p, n, s);
		} else if (json_object_get_boolean(
			       get(st, "credits.eligible"))) {
			add_sentence(r, p, n, msg(r, "rv_n_no_credits"));
		}
	}
	/* where things stand, what changes */
	open = geti(st, "review_detail.open_cases_total");
	for (i = 0; i < alen(get(st, "review_detail.open_cases")); i++)
		if (strcmp(str_or(aidx(get(st, "review_detail.open_cases"), i),
				  "waiting_on", ""),
			   "customer") == 0)
			waiting++;
	if (get(st, "review_detail") != NULL) {
		snprintf(a, sizeof(a), "%lld", open);
		snprintf(b, sizeof(b), "%lld", waiting);
		say(r,
		    open == 0	   ? "rv_n_open_none"
		    : waiting == 0 ? "rv_n_open_nowait"
				   : "rv_n_open",
		    s, sizeof(s), 4, "open", a, "waiting", b);
		add_sentence(r, p, n, s);
	}
	if (r->in->findings != NULL &&
	    get(r->in->findings, "fleet.score") != NULL &&
	    get(r->in->findings, "diff.baseline_score") != NULL) {
		tsam_render_fmt_score(get(r->in->findings, "fleet.score"), a,
				      sizeof(a));
		tsam_render_fmt_score(
		    get(r->in->findings, "diff.baseline_score"), b, sizeof(b));
		snprintf(c, sizeof(c), "%zu",
			 alen(get(r->in->findings, "diff.fixed")));
		say(r, "rv_n_health", s, sizeof(s), 6, "score", a, "previous",
		    b, "fixed", c);
		add_sentence(r, p, n, s);
	}
	for (i = 0; i < alen(get(r->in->actions, "actions")); i++) {
		json_object *it = aidx(get(r->in->actions, "actions"), i);
		const char *code = tsam_render_action_status(r, it);
		bool carried;

		if (!tsam_render_action_shown(it, tsam_render_quarter(r),
					      &carried))
			continue;
		actions_open += strcmp(code, "open") == 0;
		actions_late += strcmp(code, "overdue") == 0;
	}
	if (actions_late > 0) {
		snprintf(a, sizeof(a), "%lld", actions_open + actions_late);
		snprintf(b, sizeof(b), "%lld", actions_late);
		say(r,
		    actions_open == 0 ? "rv_n_actions_all_overdue"
				      : "rv_n_actions_overdue",
		    s, sizeof(s), 4, "n", a, "late", b);
		add_sentence(r, p, n, s);
	} else if (actions_open > 0) {
		snprintf(a, sizeof(a), "%lld", actions_open);
		say(r, "rv_n_actions", s, sizeof(s), 2, "n", a);
		add_sentence(r, p, n, s);
	} else if (missed > 0 || umissed > 0) {
		add_sentence(
		    r, p, n,
		    msg(r, tsam_render_has(r, TSAM_SERVICE_QUARTERLY_REVIEW)
			       ? "rv_n_change"
			       : "rv_n_change_report"));
	} else {
		/* "every target was met" only where the tier has an SLA */
		add_sentence(r, p, n,
			     msg(r, tsam_render_has(r, TSAM_SERVICE_SLA)
					? "rv_n_no_change"
					: "rv_n_no_change_nosla"));
	}
}

/* The next review's date (the next report's, for a tier without the
 * quarterly review), when customer.json gives one. */
static void next_meeting(struct tsam_render *r, const char *next)
{
	char d[128], line[512];

	if (next == NULL)
		return;
	fmt_date(r, next, d, sizeof(d));
	say(r,
	    tsam_render_has(r, TSAM_SERVICE_QUARTERLY_REVIEW)
		? "rv_next_review"
		: "rv_next_report",
	    line, sizeof(line), 2, "date", d);
	r->y += r->tmpl->s_body * 0.4;
	tsam_render_para(r, line, r->tmpl->s_body, ACCENT);
}

/* "narrative": the quarter in brief, the TSAM's paragraph, the next
 * review. */
void tsam_render_sec_narrative(struct tsam_render *r)
{
	char p[8192];
	const char *next = tsam_json_str(r->in->customer, "next_review");

	tsam_render_heading(r, 0, "sec_narrative");
	if (!tsam_render_missing(r, r->in->stats, "no_stats")) {
		narrative_text(r, p, sizeof(p));
		tsam_render_para(r, p, r->tmpl->s_body, BLACK);
	}
	if (r->in->narrative != NULL && r->in->narrative[0] != '\0') {
		r->y += r->tmpl->s_body * 0.4;
		tsam_render_para(r, msg(r, "rv_tsam_says"), r->tmpl->s_small,
				 GREY);
		tsam_render_para(r, r->in->narrative, r->tmpl->s_body, BLACK);
	}
	next_meeting(r, next);
	r->y += r->tmpl->s_body;
}

/* ---- targets ---- */

/* When the cases timed are not the quarter's resolutions: why (the
 * times are of the cases still resolved at the end of the data whose last
 * resolution fell in the quarter; the others were reopened, or resolved
 * again after it). */
static void resolution_note(struct tsam_render *r)
{
	long long timed = 0, closed = tsam_stats_count(r->in->stats, "closed");
	char p[64], a[32], b[32], line[512];
	int s;

	for (s = 1; s <= 4; s++) {
		snprintf(p, sizeof(p), "times.resolution.%d.wall.n", s);
		timed += geti(r->in->stats, p);
	}
	if (timed == closed)
		return;
	tsam_render_fmt_count(timed, a, sizeof(a));
	tsam_render_fmt_count(closed, b, sizeof(b));
	say(r, "rv_res_note", line, sizeof(line), 4, "timed", a, "closed", b);
	tsam_render_para(r, line, r->tmpl->s_small, GREY);
}

/* The targets beside attainment, resolution times, the misses, the
 * credit's computation. */
void tsam_render_sec_targets(struct tsam_render *r)
{
	static const double rel[] = {1.0, 4.0, 2.4, 0.7, 0.75, 0.85};
	static const char al[] = "lllrrr";
	static const char *const head[] = {"col_case_severity", "col_target",
					   "rv_col_contract",	"col_met",
					   "col_missed",	"col_rate"};
	static const double rel2[] = {1.5, 1, 1.4, 1.4};
	static const char al2[] = "lrrr";
	static const char *const head2[] = {"col_case_severity",
					    "rv_col_resolved", "rv_col_median",
					    "rv_col_p90"};
	static const double rel3[] = {1.6, 1, 1.2, 1.2};
	static const char al3[] = "lrrr";
	static const char *const head3[] = {"col_case_severity",
					    "rv_col_misses", "rv_col_per_miss",
					    "rv_col_percent"};
	json_object *st = r->in->stats, *d = get(st, "review_detail");
	json_object *cr = get(d, "credit_rule"), *c = get(st, "credits");
	struct tsam_render_cells cs = {0};
	char p[96], buf[1024], a[64], b[64];
	long long maxmed = 0, maxp90 = 0;
	double rt;
	int s, t;
	size_t k;

	tsam_render_heading(r, 0, "sec_targets");
	if (tsam_render_missing(r, st, "no_stats"))
		return;
	for (s = 1; s <= 4; s++)
		for (t = 0; t < 4; t++) {
			json_object *at, *tg;
			const char *tn = tsam_target_name((enum tsam_target)t);

			snprintf(p, sizeof(p), "targets.%d.%s", s, tn);
			tg = get(d, p);
			snprintf(p, sizeof(p), "attainment.%s.%d", tn, s);
			at = get(st, p);
			if (tg == NULL ||
			    json_object_is_type(tg, json_type_null))
				continue;
			tsam_render_cell(&cs, "%s", tsam_render_sev_name(r, s));
			tsam_render_cell(&cs, "%s",
					 tsam_render_target_name(r, tn));
			tsam_render_fmt_target(r, tg, buf, sizeof(buf));
			tsam_render_cell(&cs, "%s", buf);
			tsam_render_cell(&cs, "%lld", geti(at, "met"));
			tsam_render_cell(&cs, "%lld", geti(at, "missed"));
			if (tsam_stats_rate_sev(st, tn, s, &rt))
				tsam_render_fmt_pct(r, rt, buf, sizeof(buf));
			else
				snprintf(buf, sizeof(buf), "-");
			tsam_render_cell(&cs, "%s", buf);
		}
	if (d == NULL)
		tsam_render_para(r, msg(r, "rv_no_detail"), r->tmpl->s_body,
				 GREY);
	else
		tsam_render_table(r, 6, rel, al, head, cs.v, cs.n / 6, "none");
	tsam_render_cells_free(&cs);
	/* N targets missed on M cases */
	snprintf(a, sizeof(a), "%lld", geti(st, "breaches_total"));
	snprintf(b, sizeof(b), "%zu", breached_cases(get(st, "breaches")));
	say(r,
	    (long long)alen(get(st, "breaches")) < geti(st, "breaches_total")
		? "rv_missed_on_listed"
		: "rv_missed_on",
	    buf, sizeof(buf), 4, "n", a, "cases", b);
	tsam_render_para(r, buf, r->tmpl->s_body, BLACK);
	r->y += r->tmpl->s_body * 0.5;
	/* resolution times */
	tsam_render_heading(r, 1, "rv_h_resolution");
	for (s = 1; s <= 4; s++) { /* the columns' longest: their units */
		snprintf(p, sizeof(p), "times.resolution.%d.wall", s);
		if (geti(get(st, p), "median_s") > maxmed)
			maxmed = geti(get(st, p), "median_s");
		if (geti(get(st, p), "p90_s") > maxp90)
			maxp90 = geti(get(st, p), "p90_s");
	}
	for (s = 1; s <= 4; s++) {
		json_object *w;

		snprintf(p, sizeof(p), "times.resolution.%d.wall", s);
		w = get(st, p);
		if (geti(w, "n") == 0)
			continue;
		tsam_render_cell(&cs, "%s", tsam_render_sev_name(r, s));
		tsam_render_cell(&cs, "%lld", geti(w, "n"));
		tsam_render_fmt_dur_col(r, geti(w, "median_s"), maxmed, buf,
					sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		tsam_render_fmt_dur_col(r, geti(w, "p90_s"), maxp90, buf,
					sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
	}
	tsam_render_table(r, 4, rel2, al2, head2, cs.v, cs.n / 4, "none");
	tsam_render_cells_free(&cs);
	resolution_note(r);
	/* how the credit was computed */
	tsam_render_heading(r, 1, "rv_h_credit");
	if (cr == NULL || !json_object_get_boolean(get(cr, "eligible"))) {
		tsam_render_para(r, msg(r, "rv_credit_not_eligible"),
				 r->tmpl->s_body, BLACK);
		r->y += r->tmpl->s_body;
		return;
	}
	for (s = 1; s <= 4; s++) {
		long long misses = 0;
		double per;

		for (k = 0; k < alen(get(cr, "targets")); k++) {
			const char *tn =
			    json_object_get_string(aidx(get(cr, "targets"), k));

			snprintf(p, sizeof(p), "attainment.%s.%d.missed",
				 tn ? tn : "", s);
			misses += geti(st, p);
		}
		snprintf(p, sizeof(p), "%d", s);
		per = num(get(cr, "percent_per_miss"), p, 0);
		if (misses == 0)
			continue;
		tsam_render_cell(&cs, "%s", tsam_render_sev_name(r, s));
		tsam_render_cell(&cs, "%lld", misses);
		pct(r, per, a, sizeof(a));
		tsam_render_cell(&cs, "%s", a);
		pct(r, per * (double)misses, a, sizeof(a));
		tsam_render_cell(&cs, "%s", a);
	}
	tsam_render_table(r, 4, rel3, al3, head3, cs.v, cs.n / 4,
			  "rv_credit_no_misses");
	tsam_render_cells_free(&cs);
	if (!(num(c, "percent_uncapped", 0) > 0)) {
		r->y += r->tmpl->s_body;
		return;
	}
	pct(r, num(c, "percent_uncapped", 0), a, sizeof(a));
	pct(r, num(c, "cap_percent", 0), b, sizeof(b));
	{
		char pc[64], fee[96], amount[96];

		pct(r, num(c, "percent", 0), pc, sizeof(pc));
		if (num(c, "fee", -1) >= 0 && num(c, "amount", -1) >= 0) {
			tsam_render_fmt_money(r, num(c, "fee", 0),
					      str_or(c, "currency", ""), fee,
					      sizeof(fee));
			tsam_render_fmt_money(r, num(c, "amount", 0),
					      str_or(c, "currency", ""), amount,
					      sizeof(amount));
			say(r, "rv_credit_sum_fee", buf, sizeof(buf), 10,
			    "uncapped", a, "cap", b, "percent", pc, "fee", fee,
			    "amount", amount);
		} else {
			say(r, "rv_credit_sum", buf, sizeof(buf), 6, "uncapped",
			    a, "cap", b, "percent", pc);
		}
	}
	tsam_render_para(r, buf, r->tmpl->s_body, BLACK);
	r->y += r->tmpl->s_body;
}

/* ---- open cases ---- */

/* The message key for an open case's status / whose move. */
static const char *status_word(const struct tsam_render *r, const char *s)
{
	char key[64];

	snprintf(key, sizeof(key), "rv_status_%s", s ? s : "");
	return tsam_json_str(r->tmpl->catalogue, key)
		   ? tsam_json_str(r->tmpl->catalogue, key)
		   : (s ? s : "-");
}

static const char *event_word(const struct tsam_render *r, const char *e)
{
	char key[64];

	snprintf(key, sizeof(key), "rv_ev_%s", e ? e : "");
	return tsam_json_str(r->tmpl->catalogue, key)
		   ? tsam_json_str(r->tmpl->catalogue, key)
		   : (e ? e : "-");
}

/* "open_cases": each case open at the end of the quarter. */
void tsam_render_sec_open_cases(struct tsam_render *r)
{
	static const double rel[] = {2.15, 0.7, 1.1, 0.5, 1.45, 3.0, 0.7};
	static const char al[] = "lllrlll";
	static const char *const head[] = {
	    "col_case",	  "rv_col_sev_short",  "rv_col_opened", "rv_col_age",
	    "col_status", "rv_col_last_event", "rv_col_next"};
	json_object *d = get(r->in->stats, "review_detail");
	json_object *oc = get(d, "open_cases");
	struct tsam_render_cells cs = {0};
	size_t i, n = alen(oc);
	char buf[1024], t[64], at[64];

	tsam_render_heading(r, 0, "sec_open_cases");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	if (d == NULL) {
		tsam_render_para(r, msg(r, "rv_no_detail"), r->tmpl->s_body,
				 GREY);
		return;
	}
	tsam_render_fmt_time(r, get(d, "at"), "none_dash", at, sizeof(at));
	snprintf(t, sizeof(t), "%lld", geti(d, "open_cases_total"));
	say(r, "rv_open_intro", buf, sizeof(buf), 4, "n", t, "at", at);
	tsam_render_para(r, buf, r->tmpl->s_body, BLACK);
	if (n > (size_t)r->tmpl->max_rows)
		n = (size_t)r->tmpl->max_rows;
	for (i = 0; i < n; i++) {
		json_object *x = aidx(oc, i);
		long long days = geti(x, "age_s") / 86400;

		tsam_render_cell(&cs, "%s", str_or(x, "case", "-"));
		tsam_render_cell(&cs, "%lld", geti(x, "severity"));
		tsam_render_fmt_time(r, get(x, "received"), "none_dash", t,
				     sizeof(t));
		tsam_render_cell(&cs, "%.10s", t);
		snprintf(t, sizeof(t), "%lld", days);
		say(r, "rv_days", buf, sizeof(buf), 2, "n", t);
		tsam_render_cell(&cs, "%s", buf);
		tsam_render_cell(&cs, "%s",
				 status_word(r, tsam_json_str(x, "status")));
		tsam_render_fmt_time(r, get(x, "last_event_at"), "none_dash", t,
				     sizeof(t));
		tsam_render_cell(&cs, "%s %s",
				 event_word(r, tsam_json_str(x, "last_event")),
				 t);
		tsam_render_cell(
		    &cs, "%s",
		    msg(r, strcmp(str_or(x, "waiting_on", ""), "customer") == 0
			       ? "rv_move_customer"
			       : "rv_move_vendor"));
	}
	tsam_render_table(r, 7, rel, al, head, cs.v, n, "rv_open_none");
	tsam_render_listed_note(r, n, geti(d, "open_cases_total"));
	tsam_render_cells_free(&cs);
	r->y += r->tmpl->s_body;
}

/* ---- case mix ---- */

/* A count map (counts.by_product) as rows of name, cases, share. */
static void mix_table(struct tsam_render *r, json_object *m, const char *col,
		      bool channel)
{
	static const double rel[] = {3, 1, 1};
	static const char al[] = "lrr";
	const char *head[] = {col, "rv_col_cases", "rv_col_share"};
	struct tsam_render_cells cs = {0};
	long long total = 0;
	size_t rows = 0;
	char a[32];

	if (m != NULL && json_object_is_type(m, json_type_object)) {
		json_object_object_foreach(m, k0, v0)
		{
			(void)k0;
			total += ival(v0);
		}
		json_object_object_foreach(m, k, v)
		{
			char key[96];
			const char *name = k;

			if (channel) {
				snprintf(key, sizeof(key), "rv_ch_%s", k);
				if (tsam_json_str(r->tmpl->catalogue, key))
					name = tsam_json_str(r->tmpl->catalogue,
							     key);
			}
			tsam_render_cell(&cs, "%s", name);
			tsam_render_cell(&cs, "%lld", ival(v));
			pct(r,
			    total ? 100.0 * (double)ival(v) / (double)total : 0,
			    a, sizeof(a));
			tsam_render_cell(&cs, "%s", a);
			rows++;
		}
	}
	tsam_render_table(r, 3, rel, al, head, cs.v, rows, "none");
	tsam_render_cells_free(&cs);
}

/* "case_mix": cases by product and channel, severity changes. */
void tsam_render_sec_case_mix(struct tsam_render *r)
{
	static const double rel[] = {2, 2, 1.5, 1.5};
	static const char al[] = "llll";
	static const char *const head[] = {"col_case", "rv_col_when",
					   "rv_col_from", "rv_col_to"};
	json_object *d = get(r->in->stats, "review_detail");
	json_object *sc = get(d, "severity_changes");
	struct tsam_render_cells cs = {0};
	size_t i, n = alen(sc);
	char t[64];

	tsam_render_heading(r, 0, "sec_case_mix");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	tsam_render_heading(r, 1, "rv_h_by_product");
	mix_table(r, get(r->in->stats, "counts.by_product"), "rv_col_product",
		  false);
	tsam_render_heading(r, 1, "rv_h_by_channel");
	mix_table(r, get(r->in->stats, "counts.by_channel"), "rv_col_channel",
		  true);
	tsam_render_heading(r, 1, "rv_h_severity_changes");
	if (d == NULL) {
		tsam_render_para(r, msg(r, "rv_no_detail"), r->tmpl->s_body,
				 GREY);
		return;
	}
	if (n > (size_t)r->tmpl->max_rows)
		n = (size_t)r->tmpl->max_rows;
	for (i = 0; i < n; i++) {
		json_object *x = aidx(sc, i);

		tsam_render_cell(&cs, "%s", str_or(x, "case", "-"));
		tsam_render_fmt_time(r, get(x, "at"), "none_dash", t,
				     sizeof(t));
		tsam_render_cell(&cs, "%s", t);
		tsam_render_cell(&cs, "%s",
				 tsam_render_sev_name(r, (int)geti(x, "from")));
		tsam_render_cell(&cs, "%s",
				 tsam_render_sev_name(r, (int)geti(x, "to")));
	}
	tsam_render_table(r, 4, rel, al, head, cs.v, n, "none");
	tsam_render_listed_note(r, n, geti(d, "severity_changes_total"));
	tsam_render_cells_free(&cs);
	r->y += r->tmpl->s_body;
}

/* ---- action register ---- */

/* "actions": what the vendor and the customer agreed; open items carried
 * over from earlier quarters reappear until done. */
void tsam_render_sec_actions(struct tsam_render *r)
{
	json_object *list = get(r->in->actions, "actions");
	const char *q = tsam_render_quarter(r);
	const char *next = tsam_json_str(r->in->customer, "next_review");
	size_t i, shown = 0;
	char line[2048], due[96], who[256], st[128], no[16];

	tsam_render_heading(r, 0, "sec_actions");
	if (r->in->actions == NULL) {
		tsam_render_para(r, msg(r, "rv_actions_none"), r->tmpl->s_body,
				 GREY);
	} else {
		char day[64];

		tsam_render_fmt_issued(r, day, sizeof(day));
		say(r, "rv_actions_asof", line, sizeof(line), 2, "date", day);
		tsam_render_para(r, line, r->tmpl->s_small, GREY);
	}
	for (i = 0; i < alen(list); i++) {
		json_object *a = aidx(list, i);
		const char *owner = str_or(a, "owner", "vendor");
		const char *status = tsam_render_action_status(r, a);
		bool carried;
		char key[64];

		if (!tsam_render_action_shown(a, q, &carried))
			continue;
		shown++;
		snprintf(key, sizeof(key), "rv_owner_%s", owner);
		snprintf(who, sizeof(who), "%s%s%s%s",
			 tsam_json_str(r->tmpl->catalogue, key)
			     ? tsam_json_str(r->tmpl->catalogue, key)
			     : owner,
			 !tsam_json_str(a, "who") ? ""
			 : is_ja(r)		  ? "（"
						  : " (",
			 str_or(a, "who", ""),
			 !tsam_json_str(a, "who") ? ""
			 : is_ja(r)		  ? "）"
						  : ")");
		fmt_date(r, tsam_json_str(a, "due"), due, sizeof(due));
		if (carried)
			say(r, "rv_act_carried", st, sizeof(st), 4, "status",
			    tsam_render_word(r, "rv_act_", status), "agreed",
			    str_or(a, "agreed", "-"));
		else
			snprintf(st, sizeof(st), "%s",
				 tsam_render_word(r, "rv_act_", status));
		snprintf(no, sizeof(no), "%zu", shown);
		say(r, "rv_action_line", line, sizeof(line), 12, "no", no, "id",
		    str_or(a, "id", "-"), "text", str_or(a, "text", ""), "who",
		    who, "due", due, "status", st);
		/* red: past its due date, as a missed target */
		tsam_render_para(r, line, r->tmpl->s_body,
				 strcmp(status, "overdue") == 0 ? RED : BLACK);
		r->y += r->tmpl->s_body * 0.3;
	}
	if (r->in->actions != NULL && shown == 0)
		tsam_render_para(r, msg(r, "rv_actions_empty"), r->tmpl->s_body,
				 GREY);
	/* once: with the quarter in brief when the template has it */
	if (!tsam_render_tmpl_has(r, "narrative"))
		next_meeting(r, next);
	r->y += r->tmpl->s_body;
}
