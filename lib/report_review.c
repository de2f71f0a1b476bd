/*
 * report_review.c - the quarterly review's sections for the meeting
 * itself: the quarter in brief (a paragraph generated from the figures
 * with fixed phrases, the TSAM's own paragraph, the next review), the
 * contract's targets beside their attainment (with resolution times, "N
 * targets missed on M cases" and how the credit was computed), the cases
 * open at the end of the quarter, cases by product and channel with the
 * severity changes, the action register (items carried over until done),
 * and the full tables attached to the PDF as CSV files.
 *
 * Reads stats.json (with its review_detail, lib/casedetail.c), the
 * action register (docs/actions.schema.json) and the customer's
 * next_review; every text comes from the catalogue in the report's
 * language (keys rv_*). Calls pdf, report_draw.c, report_format.c;
 * called by report.c.
 */
#include "report_int.h"
#include "stats.h"

#include "buf.h"
#include "date.h"
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX	 (16u << 20) /* bytes of one attached table */
#define LINE_MAX (2048)	     /* bytes of one generated sentence */

static const char *const targets[] = {"response", "update", "manager",
				      "executive"};

static bool is_ja(const struct tsam_render *r)
{
	return strcmp(r->in->lang, "ja") == 0;
}

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
static void pct(double v, char *out, size_t n)
{
	snprintf(out, n, "%.1f %%", v);
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

/* A policy target (review_detail.targets.S.T) in words. */
static void fmt_target(const struct tsam_render *r, json_object *t, char *out,
		       size_t n)
{
	const char *kind = tsam_json_str(t, "kind");
	char v[32];

	if (kind == NULL) {
		snprintf(out, n, "%s", msg(r, "rv_no_target"));
	} else if (strcmp(kind, "any_time") == 0) {
		snprintf(out, n, "%s", msg(r, "rv_any_time"));
	} else if (strcmp(kind, "business_days") == 0) {
		snprintf(v, sizeof(v), "%lld", geti(t, "business_days"));
		say(r, "rv_business_days", out, n, 2, "n", v);
	} else {
		long long s = geti(t, "seconds");
		const char *clock = str_or(t, "clock", "24x7");

		if (s % 3600 == 0)
			snprintf(v, sizeof(v), "%lld", s / 3600);
		else
			snprintf(v, sizeof(v), "%.2g", (double)s / 3600);
		say(r,
		    strcmp(clock, "support") == 0 ? "rv_hours_support"
						  : "rv_hours_24x7",
		    out, n, 2, "h", v);
	}
}

/* The number of distinct cases in the listed breaches. */
static size_t breached_cases(json_object *b)
{
	size_t i, j, n = alen(b), distinct = 0;

	for (i = 0; i < n; i++) {
		const char *c = tsam_json_str(aidx(b, i), "case");

		for (j = 0; j < i; j++) {
			const char *o = tsam_json_str(aidx(b, j), "case");

			if (c && o && strcmp(c, o) == 0)
				break;
		}
		if (j == i)
			distinct++;
	}
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

/* The action register's items the quarter shows: agreed in it or before,
 * and open or closed in it. carried: agreed before it and still open. */
static bool action_shown(json_object *a, const char *q, bool *carried)
{
	const char *agreed = str_or(a, "agreed", "");
	const char *status = str_or(a, "status", "open");
	const char *closed = tsam_json_str(a, "closed");

	*carried = false;
	if (strcmp(agreed, q) > 0)
		return false; /* agreed later */
	if (strcmp(status, "open") != 0 &&
	    (closed == NULL || strcmp(closed, q) != 0))
		return false; /* done or dropped in another quarter */
	*carried = strcmp(agreed, q) < 0 && strcmp(status, "open") == 0;
	return true;
}

/* The quarter of the review (stats, else customer.json's). */
static const char *quarter_of(const struct tsam_render *r)
{
	const char *q =
	    r->in->stats ? tsam_json_str(r->in->stats, "quarter") : NULL;

	return q ? q : str_or(r->in->customer, "quarter", "");
}

/* ---- narrative ---- */

/* What went well, what did not, what changes: from the figures. */
static void narrative_text(const struct tsam_render *r, char *p, size_t n)
{
	json_object *st = r->in->stats;
	json_object *tr = get(st, "trend");
	json_object *prev = alen(tr) >= 2 ? aidx(tr, alen(tr) - 2) : NULL;
	long long met, missed, umet, umissed, opened, popened, urgent, purgent;
	long long exec, exec_req, open, waiting = 0, actions_open = 0;
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
			tsam_render_fmt_pct(rate, a, sizeof(a));
			say(r,
			    rate >= r->tmpl->attainment_target
				? "rv_n_response_good"
				: "rv_n_response_bad",
			    s, sizeof(s), 2, "rate", a);
			add_sentence(r, p, n, s);
		}
		totals(st, "update", &umet, &umissed);
		if (tsam_stats_rate(st, "update", &rate)) {
			tsam_render_fmt_pct(rate, a, sizeof(a));
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
			    exec_req > 0 ? "rv_n_executive_req"
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
			pct(num(get(st, "credits"), "percent", 0), a,
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
		bool carried;

		if (action_shown(aidx(get(r->in->actions, "actions"), i),
				 quarter_of(r), &carried) &&
		    strcmp(str_or(aidx(get(r->in->actions, "actions"), i),
				  "status", "open"),
			   "open") == 0)
			actions_open++;
	}
	if (actions_open > 0) {
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
		add_sentence(r, p, n, msg(r, "rv_n_no_change"));
	}
}

/* "narrative": the quarter in brief, the TSAM's paragraph, the next
 * review. */
void tsam_render_sec_narrative(struct tsam_render *r)
{
	char p[8192], line[512];
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
	if (next != NULL) {
		char d[128];

		fmt_date(r, next, d, sizeof(d));
		say(r,
		    tsam_render_has(r, TSAM_SERVICE_QUARTERLY_REVIEW)
			? "rv_next_review"
			: "rv_next_report",
		    line, sizeof(line), 2, "date", d);
		r->y += r->tmpl->s_body * 0.4;
		tsam_render_para(r, line, r->tmpl->s_body, ACCENT);
	}
	r->y += r->tmpl->s_body;
}

/* ---- targets ---- */

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

			snprintf(p, sizeof(p), "targets.%d.%s", s, targets[t]);
			tg = get(d, p);
			snprintf(p, sizeof(p), "attainment.%s.%d", targets[t],
				 s);
			at = get(st, p);
			if (tg == NULL ||
			    json_object_is_type(tg, json_type_null))
				continue;
			tsam_render_cell(&cs, "%s", tsam_render_sev_name(r, s));
			tsam_render_cell(
			    &cs, "%s", tsam_render_target_name(r, targets[t]));
			fmt_target(r, tg, buf, sizeof(buf));
			tsam_render_cell(&cs, "%s", buf);
			tsam_render_cell(&cs, "%lld", geti(at, "met"));
			tsam_render_cell(&cs, "%lld", geti(at, "missed"));
			if (tsam_stats_rate_sev(st, targets[t], s, &rt))
				tsam_render_fmt_pct(rt, buf, sizeof(buf));
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
		pct(per, a, sizeof(a));
		tsam_render_cell(&cs, "%s", a);
		pct(per * (double)misses, a, sizeof(a));
		tsam_render_cell(&cs, "%s", a);
	}
	tsam_render_table(r, 4, rel3, al3, head3, cs.v, cs.n / 4,
			  "rv_credit_no_misses");
	tsam_render_cells_free(&cs);
	if (!(num(c, "percent_uncapped", 0) > 0)) {
		r->y += r->tmpl->s_body;
		return;
	}
	pct(num(c, "percent_uncapped", 0), a, sizeof(a));
	pct(num(c, "cap_percent", 0), b, sizeof(b));
	{
		char pc[64], fee[96], amount[96];

		pct(num(c, "percent", 0), pc, sizeof(pc));
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
			pct(total ? 100.0 * (double)ival(v) / (double)total : 0,
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
	const char *q = quarter_of(r);
	const char *next = tsam_json_str(r->in->customer, "next_review");
	size_t i, shown = 0;
	char line[2048], due[96], who[256], st[128], no[16];

	tsam_render_heading(r, 0, "sec_actions");
	if (r->in->actions == NULL) {
		tsam_render_para(r, msg(r, "rv_actions_none"), r->tmpl->s_body,
				 GREY);
	}
	for (i = 0; i < alen(list); i++) {
		json_object *a = aidx(list, i);
		const char *owner = str_or(a, "owner", "vendor");
		const char *status = str_or(a, "status", "open");
		bool carried;
		char key[64];

		if (!action_shown(a, q, &carried))
			continue;
		shown++;
		snprintf(key, sizeof(key), "rv_owner_%s", owner);
		snprintf(who, sizeof(who), "%s%s%s%s",
			 tsam_json_str(r->tmpl->catalogue, key)
			     ? tsam_json_str(r->tmpl->catalogue, key)
			     : owner,
			 tsam_json_str(a, "who") ? " (" : "",
			 str_or(a, "who", ""),
			 tsam_json_str(a, "who") ? ")" : "");
		fmt_date(r, tsam_json_str(a, "due"), due, sizeof(due));
		snprintf(key, sizeof(key), "rv_act_%s", status);
		if (carried)
			say(r, "rv_act_carried", st, sizeof(st), 4, "status",
			    msg(r, "rv_act_open"), "agreed",
			    str_or(a, "agreed", "-"));
		else
			snprintf(st, sizeof(st), "%s",
				 tsam_json_str(r->tmpl->catalogue, key)
				     ? tsam_json_str(r->tmpl->catalogue, key)
				     : status);
		snprintf(no, sizeof(no), "%zu", shown);
		say(r, "rv_action_line", line, sizeof(line), 12, "no", no, "id",
		    str_or(a, "id", "-"), "text", str_or(a, "text", ""), "who",
		    who, "due", due, "status", st);
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
		r->y += r->tmpl->s_body * 0.3;
	}
	if (r->in->actions != NULL && shown == 0)
		tsam_render_para(r, msg(r, "rv_actions_empty"), r->tmpl->s_body,
				 GREY);
	if (next != NULL) {
		char d[128];

		fmt_date(r, next, d, sizeof(d));
		say(r,
		    tsam_render_has(r, TSAM_SERVICE_QUARTERLY_REVIEW)
			? "rv_next_review"
			: "rv_next_report",
		    line, sizeof(line), 2, "date", d);
		r->y += r->tmpl->s_body * 0.4;
		tsam_render_para(r, line, r->tmpl->s_body, ACCENT);
	}
	r->y += r->tmpl->s_body;
}

/* ---- the tables as CSV files ---- */

/* One CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(struct tsam_buf *b, const char *s, bool last)
{
	const char *p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		tsam_buf_adds(b, s);
	} else {
		tsam_buf_adds(b, "\"");
		for (p = s; *p; p++) {
			tsam_buf_add(b, p, 1);
			if (*p == '"') /* doubled inside quotes */
				tsam_buf_add(b, p, 1);
		}
		tsam_buf_adds(b, "\"");
	}
	tsam_buf_adds(b, last ? "\r\n" : ",");
}

/* A row of n fields given as strings. */
static void csv_row(struct tsam_buf *b, int n, ...)
{
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		csv_field(b, va_arg(ap, const char *), i == n - 1);
	va_end(ap);
}

/* The header row: message keys. */
static void csv_head(const struct tsam_render *r, struct tsam_buf *b, int n,
		     const char *const *keys)
{
	int i;

	tsam_buf_adds(b, "\xef\xbb\xbf"); /* spreadsheets read UTF-8 so */
	for (i = 0; i < n; i++)
		csv_field(b, msg(r, keys[i]), i == n - 1);
}

/* A time member as the report shows it, or "". */
static void tm(const struct tsam_render *r, json_object *v, char *out, size_t n)
{
	if (v == NULL || json_object_is_type(v, json_type_null))
		out[0] = '\0';
	else
		tsam_render_fmt_time(r, v, "none_dash", out, n);
}

static size_t csv_actions(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {
	    "rv_col_id",     "rv_col_agreed", "rv_col_owner", "rv_col_who",
	    "rv_col_action", "rv_col_due",    "col_status",   "rv_col_closed"};
	json_object *list = get(r->in->actions, "actions");
	size_t i, rows = 0;

	csv_head(r, b, 8, h);
	for (i = 0; i < alen(list); i++) {
		json_object *a = aidx(list, i);
		bool carried;

		if (!action_shown(a, quarter_of(r), &carried))
			continue;
		csv_row(b, 8, str_or(a, "id", ""), str_or(a, "agreed", ""),
			str_or(a, "owner", ""), str_or(a, "who", ""),
			str_or(a, "text", ""), str_or(a, "due", ""),
			str_or(a, "status", "open"), str_or(a, "closed", ""));
		rows++;
	}
	return rows;
}

static size_t csv_attainment(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {
	    "col_case_severity", "col_target",	"rv_col_contract", "col_met",
	    "col_missed",	 "col_pending", "col_rate"};
	json_object *st = r->in->stats;
	size_t rows = 0;
	char p[96], sev[8], met[32], mis[32], pen[32], rate[32], ct[256];
	int s, t;

	csv_head(r, b, 7, h);
	for (s = 1; s <= 4; s++)
		for (t = 0; t < 4; t++) {
			json_object *a, *tg;
			double rv;

			snprintf(p, sizeof(p), "attainment.%s.%d", targets[t],
				 s);
			a = get(st, p);
			snprintf(p, sizeof(p), "review_detail.targets.%d.%s", s,
				 targets[t]);
			tg = get(st, p);
			if (tg == NULL && geti(a, "met") + geti(a, "missed") +
						  geti(a, "pending") ==
					      0)
				continue;
			fmt_target(r, tg, ct, sizeof(ct));
			snprintf(sev, sizeof(sev), "%d", s);
			snprintf(met, sizeof(met), "%lld", geti(a, "met"));
			snprintf(mis, sizeof(mis), "%lld", geti(a, "missed"));
			snprintf(pen, sizeof(pen), "%lld", geti(a, "pending"));
			/* from the counts, as the tables (stats.h) */
			if (tsam_stats_rate_sev(r->in->stats, targets[t], s,
						&rv))
				snprintf(rate, sizeof(rate), "%.1f", 100 * rv);
			else
				rate[0] = '\0';
			csv_row(b, 7, sev, targets[t], ct, met, mis, pen, rate);
			rows++;
		}
	return rows;
}

static size_t csv_mix(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {"rv_col_dimension", "rv_col_value",
					"rv_col_cases"};
	static const char *const dims[] = {"product", "channel"};
	size_t rows = 0;
	int k;
	char n[32];

	csv_head(r, b, 3, h);
	for (k = 0; k < 2; k++) {
		char p[64];
		json_object *m;

		snprintf(p, sizeof(p), "counts.by_%s", dims[k]);
		m = get(r->in->stats, p);
		if (m == NULL || !json_object_is_type(m, json_type_object))
			continue;
		json_object_object_foreach(m, key, v)
		{
			snprintf(n, sizeof(n), "%lld", ival(v));
			csv_row(b, 3, dims[k], key, n);
			rows++;
		}
	}
	return rows;
}

static size_t csv_escalations(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {"col_case",	     "col_level",
					"col_case_severity", "col_due",
					"col_done",	     "col_status"};
	json_object *e = get(r->in->stats, "escalations");
	size_t i;
	char sev[8], due[64], at[64];

	csv_head(r, b, 6, h);
	for (i = 0; i < alen(e); i++) {
		json_object *x = aidx(e, i);

		snprintf(sev, sizeof(sev), "%lld", geti(x, "severity"));
		tm(r, get(x, "due"), due, sizeof(due));
		tm(r, get(x, "at"), at, sizeof(at));
		csv_row(b, 6, str_or(x, "case", ""), str_or(x, "level", ""),
			sev, due, at, str_or(x, "status", ""));
	}
	return alen(e);
}

static size_t csv_open(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {"col_case",	  "col_case_severity",
					"rv_col_opened",  "rv_col_age",
					"rv_col_product", "rv_col_channel",
					"col_status",	  "rv_col_last_event",
					"rv_col_last_at", "rv_col_next"};
	json_object *oc = get(r->in->stats, "review_detail.open_cases");
	size_t i;
	char sev[8], op[64], age[32], la[64];

	csv_head(r, b, 10, h);
	for (i = 0; i < alen(oc); i++) {
		json_object *x = aidx(oc, i);

		snprintf(sev, sizeof(sev), "%lld", geti(x, "severity"));
		tm(r, get(x, "received"), op, sizeof(op));
		snprintf(age, sizeof(age), "%lld", geti(x, "age_s") / 86400);
		tm(r, get(x, "last_event_at"), la, sizeof(la));
		csv_row(b, 10, str_or(x, "case", ""), sev, op, age,
			str_or(x, "product", ""), str_or(x, "channel", ""),
			str_or(x, "status", ""), str_or(x, "last_event", ""),
			la, str_or(x, "waiting_on", ""));
	}
	return alen(oc);
}

static size_t csv_changes(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {"col_case", "rv_col_when",
					"rv_col_from", "rv_col_to"};
	json_object *sc = get(r->in->stats, "review_detail.severity_changes");
	size_t i;
	char at[64], f[8], t[8];

	csv_head(r, b, 4, h);
	for (i = 0; i < alen(sc); i++) {
		json_object *x = aidx(sc, i);

		tm(r, get(x, "at"), at, sizeof(at));
		snprintf(f, sizeof(f), "%lld", geti(x, "from"));
		snprintf(t, sizeof(t), "%lld", geti(x, "to"));
		csv_row(b, 4, str_or(x, "case", ""), at, f, t);
	}
	return alen(sc);
}

static size_t csv_breaches(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {
	    "col_case", "col_target", "col_case_severity",
	    "col_due",	"col_done",   "rv_col_overrun_min"};
	json_object *br = get(r->in->stats, "breaches");
	size_t i;
	char sev[8], due[64], done[64], over[32];

	csv_head(r, b, 6, h);
	for (i = 0; i < alen(br); i++) {
		json_object *x = aidx(br, i);

		snprintf(sev, sizeof(sev), "%lld", geti(x, "severity"));
		tm(r, get(x, "due"), due, sizeof(due));
		tm(r, get(x, "done"), done, sizeof(done));
		snprintf(over, sizeof(over), "%lld",
			 (geti(x, "overrun_s") + 59) / 60);
		csv_row(b, 6, str_or(x, "case", ""), str_or(x, "target", ""),
			sev, due, done, over);
	}
	return alen(br);
}

static size_t csv_trend(const struct tsam_render *r, struct tsam_buf *b)
{
	static const char *const h[] = {
	    "col_quarter",   "col_opened",   "col_closed", "col_backlog",
	    "col_resp_rate", "col_breaches", "col_credits"};
	json_object *tr = get(r->in->stats, "trend");
	size_t i;
	char o[32], c[32], bl[32], rate[32], br[32], cr[32];

	csv_head(r, b, 7, h);
	for (i = 0; i < alen(tr); i++) {
		json_object *q = aidx(tr, i);
		double rv;

		snprintf(o, sizeof(o), "%lld", geti(q, "counts.opened"));
		snprintf(c, sizeof(c), "%lld", geti(q, "counts.closed"));
		snprintf(bl, sizeof(bl), "%lld", geti(q, "counts.backlog_end"));
		/* the one value of the rate (stats.h), as the tables */
		if (tsam_stats_trend_response_rate(r->in->stats, i, &rv))
			snprintf(rate, sizeof(rate), "%.1f", 100 * rv);
		else
			rate[0] = '\0';
		snprintf(br, sizeof(br), "%lld", geti(q, "breaches"));
		snprintf(cr, sizeof(cr), "%.1f", num(q, "credit_percent", 0));
		csv_row(b, 7, str_or(q, "quarter", ""), o, c, bl, rate, br, cr);
	}
	return alen(tr);
}

/* The attached tables, in name order (a PDF name tree is sorted). */
static const struct {
	const char *file, *what;
	bool needs_actions;
	bool needs_sla; /* figures against targets: a tier with an SLA */
	size_t (*write)(const struct tsam_render *r, struct tsam_buf *b);
} tables[] = {
    {"actions.csv", "rv_att_actions", true, false, csv_actions},
    {"attainment.csv", "rv_att_attainment", false, true, csv_attainment},
    {"case-mix.csv", "rv_att_mix", false, false, csv_mix},
    {"escalations.csv", "rv_att_escalations", false, true, csv_escalations},
    {"open-cases.csv", "rv_att_open", false, false, csv_open},
    {"severity-changes.csv", "rv_att_changes", false, false, csv_changes},
    {"targets-missed.csv", "rv_att_breaches", false, true, csv_breaches},
    {"trend.csv", "rv_att_trend", false, true, csv_trend},
};

/* "attachments": the full tables attached as CSV files, listed. */
void tsam_render_sec_attachments(struct tsam_render *r)
{
	static const double rel[] = {1.6, 3.6, 0.7};
	static const char al[] = "llr";
	static const char *const head[] = {"rv_col_file", "rv_col_content",
					   "rv_col_rows"};
	struct tsam_render_cells cs = {0};
	struct tsam_buf b;
	size_t k, rows;

	tsam_render_heading(r, 0, "sec_attachments");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	tsam_render_para(r, msg(r, "rv_att_intro"), r->tmpl->s_body, BLACK);
	for (k = 0; k < sizeof(tables) / sizeof(tables[0]); k++) {
		if ((tables[k].needs_actions && r->in->actions == NULL) ||
		    (tables[k].needs_sla &&
		     !tsam_render_has(r, TSAM_SERVICE_SLA)))
			continue;
		tsam_buf_init(&b, CSV_MAX);
		rows = tables[k].write(r, &b);
		/* a table near its cap may have lost rows: never attached
		 * cut short */
		if (b.data != NULL && b.len + 4096 < CSV_MAX &&
		    tsam_pdf_attach(r->pdf, tables[k].file,
				    msg(r, tables[k].what), "text/csv", b.data,
				    b.len, NULL) == TSAM_OK) {
			tsam_render_cell(&cs, "%s", tables[k].file);
			tsam_render_cell(&cs, "%s", msg(r, tables[k].what));
			tsam_render_cell(&cs, "%zu", rows);
		}
		tsam_buf_free(&b);
	}
	tsam_render_table(r, 3, rel, al, head, cs.v, cs.n / 3, "none");
	tsam_render_cells_free(&cs);
	r->y += r->tmpl->s_body;
}
