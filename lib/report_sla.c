/*
 * report_sla.c - the quarterly review's sections drawn from tsam-cases'
 * stats.json (the SLA): the executive summary (with the fleet score when
 * findings are given), incidents, SLA attainment, targets missed,
 * escalations, the trend over the last quarters, and the reconciliation
 * of the exports (rows read, used, rejected, lost; the rejected lines).
 *
 * Without stats.json each says so in a note. Calls report_chart.c,
 * report_draw.c, report_format.c; called by report.c.
 */
#include "report_int.h"

#include "policy.h"
#include "stats.h"

#include <stdio.h>
#include <string.h>

/* The overall first-response attainment (stats.h: one value wherever it
 * is shown), or "-". */
static void overall_rate(const struct tsam_render *r, json_object *stats,
			 char *out, size_t n)
{
	double x;

	if (tsam_stats_response_rate(stats, &x))
		tsam_render_fmt_pct(r, x, out, n);
	else
		snprintf(out, n, "-");
}

/* A count cell or value: "3,232". */
static void count(long long v, char *out, size_t n)
{
	tsam_render_fmt_count(v, out, n);
}

/* The credits line: percent and amount, or the message credits_none. */
static void credits_text(const struct tsam_render *r, char *out, size_t n)
{
	double p, a;
	const char *cur;
	char pct[32], amount[64];
	const char *kv[4];

	tsam_stats_credits(r->in->stats, &p, &a, &cur);
	if (!(p > 0)) {
		snprintf(out, n, "%s", msg(r, "credits_none"));
		return;
	}
	snprintf(pct, sizeof(pct), "%.1f", p);
	if (a >= 0) /* checked: at most TSAM_RENDER_MONEY_MAX */
		tsam_render_fmt_money(r, a, cur, amount, sizeof(amount));
	else
		snprintf(amount, sizeof(amount), "-");
	kv[0] = "percent";
	kv[1] = pct;
	kv[2] = "amount";
	kv[3] = amount;
	tsam_render_subst(msg(r, a >= 0 ? "credits_text" : "credits_text_pct"),
			  kv, 4, out, n);
}

/* "summary": the quarter in a sentence, then its key figures; what the
 * tier has no service for (the SLA, credits, the health check) is left
 * out. */
void tsam_render_sec_summary(struct tsam_render *r)
{
	json_object *st = r->in->stats;
	bool sla = tsam_render_has(r, TSAM_SERVICE_SLA);
	long long nb = tsam_stats_breaches(st);
	char a[64], b[64], c[64], text[1024], v[256];
	const char *kv[6];

	tsam_render_heading(r, 0, "sec_summary");
	if (!tsam_render_missing(r, st, "no_stats")) {
		count(tsam_stats_count(st, "opened"), a, sizeof(a));
		count(tsam_stats_count(st, "closed"), b, sizeof(b));
		count(nb, c, sizeof(c));
		kv[0] = "opened";
		kv[1] = a;
		kv[2] = "closed";
		kv[3] = b;
		kv[4] = "breaches";
		kv[5] = c;
		tsam_render_subst(msg(r, !sla	   ? "summary_text_nosla"
					 : nb == 0 ? "summary_text_none"
						   : "summary_text"),
				  kv, 6, text, sizeof(text));
		tsam_render_para(r, text, r->tmpl->s_body, BLACK);
		tsam_render_kv_row(r, msg(r, "k_opened"), a);
		tsam_render_kv_row(r, msg(r, "k_closed"), b);
		count(tsam_stats_count(st, "backlog_end"), v, sizeof(v));
		tsam_render_kv_row(r, msg(r, "k_backlog_end"), v);
		if (sla) {
			tsam_render_kv_row(r, msg(r, "k_breaches"), c);
			overall_rate(r, st, v, sizeof(v));
			tsam_render_kv_row(r, msg(r, "k_response_rate"), v);
		}
		if (sla && r->credits) {
			credits_text(r, v, sizeof(v));
			tsam_render_kv_row(r, msg(r, "k_credits"), v);
		}
	}
	if (r->in->findings != NULL &&
	    tsam_render_has(r, TSAM_SERVICE_HEALTH_CHECK)) {
		tsam_render_fmt_score(get(r->in->findings, "fleet.score"), v,
				      sizeof(v));
		tsam_render_kv_row(r, msg(r, "k_score"), v);
	}
	r->y += r->tmpl->s_body;
}

/* "incidents": cases opened by severity, backlog, reopened; the months
 * chart. */
void tsam_render_sec_incidents(struct tsam_render *r)
{
	static const double rel[] = {3, 1.2};
	static const char al[] = "lr";
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_inc_what", "col_inc_count"};
	char key[16], v[32], what[128];
	const char *kv[2] = {"sev", NULL};
	int s;

	tsam_render_heading(r, 0, "sec_incidents");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	for (s = 1; s <= 4; s++) {
		snprintf(key, sizeof(key), "%d", s);
		kv[1] = tsam_render_sev_name(r, s);
		tsam_render_subst(msg(r, "inc_opened_sev"), kv, 2, what,
				  sizeof(what));
		tsam_render_cell(&cs, "%s", what);
		count(geti(get(r->in->stats, "counts.by_severity"), key), v,
		      sizeof(v));
		tsam_render_cell(&cs, "%s", v);
	}
	tsam_render_cell(&cs, "%s", msg(r, "k_backlog_start"));
	count(tsam_stats_count(r->in->stats, "backlog_start"), v, sizeof(v));
	tsam_render_cell(&cs, "%s", v);
	tsam_render_cell(&cs, "%s", msg(r, "k_reopened"));
	count(tsam_stats_count(r->in->stats, "reopened"), v, sizeof(v));
	tsam_render_cell(&cs, "%s", v);
	tsam_render_table(r, 2, rel, al, head, cs.v, cs.n / 2, NULL);
	tsam_render_cells_free(&cs);
	tsam_render_chart_months(r);
}

/* "attainment": met, missed and pending per target and severity (rows
 * with none left out; when the template has the contract's "targets"
 * table, that one alone); the attainment and distribution charts. */
void tsam_render_sec_attainment(struct tsam_render *r)
{
	static const double rel[] = {3.2, 1.3, 0.8, 0.8, 0.8, 0.9};
	static const char al[] = "llrrrr";
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_target",  "col_case_severity",
					   "col_met",	  "col_missed",
					   "col_pending", "col_rate"};
	char p[96], rate[32], v[32];
	double x;
	int t, s;

	if (!tsam_render_has(r, TSAM_SERVICE_SLA))
		return; /* no SLA: report.c leaves the section out */
	tsam_render_heading(r, 0, "sec_attainment");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	if (tsam_render_tmpl_has(r, "targets")) {
		/* the review's contract table has these figures already:
		 * one table, and the charts here */
		tsam_render_para(r, msg(r, "att_see_targets"), r->tmpl->s_body,
				 BLACK);
		tsam_render_chart_attainment(r);
		tsam_render_chart_distribution(r);
		return;
	}
	for (t = 0; t < 4; t++)
		for (s = 1; s <= 4; s++) {
			json_object *a;
			const char *tn = tsam_target_name((enum tsam_target)t);

			snprintf(p, sizeof(p), "attainment.%s.%d", tn, s);
			a = get(r->in->stats, p);
			if (geti(a, "met") + geti(a, "missed") +
				geti(a, "pending") ==
			    0)
				continue;
			tsam_render_cell(&cs, "%s",
					 tsam_render_target_name(r, tn));
			tsam_render_cell(&cs, "%s", tsam_render_sev_name(r, s));
			count(geti(a, "met"), v, sizeof(v));
			tsam_render_cell(&cs, "%s", v);
			count(geti(a, "missed"), v, sizeof(v));
			tsam_render_cell(&cs, "%s", v);
			count(geti(a, "pending"), v, sizeof(v));
			tsam_render_cell(&cs, "%s", v);
			if (tsam_stats_rate_sev(r->in->stats, tn, s, &x))
				tsam_render_fmt_pct(r, x, rate, sizeof(rate));
			else
				snprintf(rate, sizeof(rate), "-");
			tsam_render_cell(&cs, "%s", rate);
		}
	tsam_render_table(r, 6, rel, al, head, cs.v, cs.n / 6, "none");
	tsam_render_cells_free(&cs);
	tsam_render_chart_attainment(r);
	tsam_render_chart_distribution(r);
}

/* "breaches": every target missed, in stats order, up to max_rows. */
void tsam_render_sec_breaches(struct tsam_render *r)
{
	static const double rel[] = {1.3, 2.4, 1, 1.6, 1.6, 1.2};
	static const char al[] = "lllllr";
	json_object *b = get(r->in->stats, "breaches");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_case",		"col_target",
					   "col_case_severity", "col_due",
					   "col_done",		"col_overrun"};
	size_t i, n = b ? alen(b) : 0;
	long long maxover = 0;
	bool business = false;
	char buf[64];

	if (!tsam_render_has(r, TSAM_SERVICE_SLA))
		return;
	tsam_render_heading(r, 0, "sec_breaches");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	if (n > (size_t)r->tmpl->max_rows)
		n = (size_t)r->tmpl->max_rows;
	for (i = 0; i < n; i++) /* the overrun column's unit */
		if (tsam_render_overrun(aidx(b, i), &business) > maxover)
			maxover = tsam_render_overrun(aidx(b, i), &business);
	for (i = 0; i < n; i++) {
		json_object *e = aidx(b, i);

		tsam_render_cell(&cs, "%s", str_or(e, "case", "-"));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_target_name(r, tsam_json_str(e, "target")));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_sev_name(r, (int)geti(e, "severity")));
		tsam_render_fmt_time(r, get(e, "due"), "none_dash", buf,
				     sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		tsam_render_fmt_time(r, get(e, "done"), "not_done", buf,
				     sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		tsam_render_fmt_dur_col(r, tsam_render_overrun(e, &business),
					maxover, buf, sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
	}
	tsam_render_table(r, 6, rel, al, head, cs.v, n, "none");
	if (business)
		tsam_render_para(r, msg(r, "brk_overrun_note"),
				 r->tmpl->s_small, GREY);
	tsam_render_listed_note(r, n, geti(r->in->stats, "breaches_total"));
	tsam_render_cells_free(&cs);
}

/* The ids of the cases open at the end of the quarter (stats.json's
 * review_detail.open_cases) as the keys of a new object: looked up by
 * hash, once per case listed. */
static json_object *open_set(const struct tsam_render *r)
{
	json_object *oc = get(r->in->stats, "review_detail.open_cases");
	json_object *set = json_object_new_object();
	size_t i;

	for (i = 0; set != NULL && i < alen(oc); i++)
		json_object_object_add(set, str_or(aidx(oc, i), "case", ""),
				       NULL);
	return set;
}

/*
 * The escalations of the quarter counted by outcome ("Escalations this
 * quarter: 115 (on time 109, late 5, not done 1)"), and where the whole
 * list is: the escalations.csv attached. Only those not on time are
 * listed after it: 109 rows of "on time" would hide the six that matter.
 */
static void escalation_counts(struct tsam_render *r, json_object *e)
{
	static const char *const st[] = {"met", "late", "missing", "requested",
					 "not_required"};
	long long cnt[5] = {0}, total = geti(r->in->stats, "escalations_total");
	char list[512] = "", num[32], tot[32], text[768];
	const char *kv[4] = {"n", tot, "list", list};
	size_t i, o = 0;
	int k;

	if (total == 0) {
		tsam_render_para(r, msg(r, "none"), r->tmpl->s_body, GREY);
		return;
	}
	for (i = 0; i < alen(e); i++)
		for (k = 0; k < 5; k++)
			if (strcmp(str_or(aidx(e, i), "status", ""), st[k]) ==
			    0)
				cnt[k]++;
	for (k = 0; k < 5; k++) {
		int w;

		if (cnt[k] == 0)
			continue;
		tsam_render_fmt_count(cnt[k], num, sizeof(num));
		w = snprintf(list + o, sizeof(list) - o, "%s%s%s%s%s",
			     o ? (is_ja(r) ? "、" : ", ") : "",
			     tsam_render_word(r, "st_", st[k]),
			     is_ja(r) ? "" : " ", num, is_ja(r) ? "件" : "");
		if (w < 0 || (size_t)w >= sizeof(list) - o)
			break;
		o += (size_t)w;
	}
	tsam_render_fmt_count(total, tot, sizeof(tot));
	tsam_render_subst(msg(r, cnt[0] < (long long)alen(e)
				     ? "esc_counts"
				     : "esc_counts_all_met"),
			  kv, 4, text, sizeof(text));
	tsam_render_para(r, text, r->tmpl->s_body, BLACK);
}

/* "escalations": manager and executive escalations counted by outcome,
 * those not on time listed; then the severity 3 cases open more than 30
 * days: those still open (the customer may ask to raise them) and those
 * resolved since. */
void tsam_render_sec_escalations(struct tsam_render *r)
{
	static const double rel[] = {1.3, 2.2, 1, 1.6, 1.6, 1.1};
	static const char al[] = "llllll";
	json_object *e = get(r->in->stats, "escalations");
	json_object *raise = get(r->in->stats, "flags.severity3_open_too_long");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_case",		"col_level",
					   "col_case_severity", "col_due",
					   "col_done",		"col_status"};
	size_t i, k, n = e ? alen(e) : 0;
	char buf[64], key[32], list[2048] = "", text[2560];
	const char *sep = is_ja(r) ? "、" : ", ";
	json_object *open;

	if (!tsam_render_has(r, TSAM_SERVICE_SLA))
		return;
	tsam_render_heading(r, 0, "sec_escalations");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	escalation_counts(r, e);
	for (i = 0, k = 0; i < n && k < (size_t)r->tmpl->max_rows; i++) {
		json_object *x = aidx(e, i);
		const char *lv = tsam_json_str(x, "level");

		/* those on time are counted above, the rest listed */
		if (strcmp(str_or(x, "status", ""), "met") == 0)
			continue;
		k++;
		tsam_render_cell(&cs, "%s", str_or(x, "case", "-"));
		tsam_render_cell(&cs, "%s",
				 msg(r, lv && strcmp(lv, "executive") == 0
					    ? "lv_executive"
					    : "lv_manager"));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_sev_name(r, (int)geti(x, "severity")));
		tsam_render_fmt_time(r, get(x, "due"), "none_dash", buf,
				     sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		/* an escalation not made: "not made", not "never" */
		tsam_render_fmt_time(r, get(x, "at"), "not_made", buf,
				     sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		snprintf(key, sizeof(key), "st_%s", str_or(x, "status", ""));
		tsam_render_cell(&cs, "%s",
				 tsam_json_str(r->tmpl->catalogue, key)
				     ? tsam_json_str(r->tmpl->catalogue, key)
				     : key);
	}
	if (k > 0)
		tsam_render_table(r, 6, rel, al, head, cs.v, k, "none");
	tsam_render_cells_free(&cs);
	n = raise ? alen(raise) : 0;
	open = n > 0 ? open_set(r) : NULL;
	/* the cases still open at the quarter's end (the customer may ask
	 * to raise them) apart from those resolved since: whole ids only,
	 * one that does not fit is left to the note */
	for (k = 0; k < 2; k++) {
		const char *kv[2] = {"cases", list};
		size_t shown = 0, of = 0;

		list[0] = '\0';
		for (i = 0; i < n; i++) {
			const char *kase =
			    json_object_get_string(aidx(raise, i));
			size_t used = strlen(list);

			if (kase == NULL || json_object_object_get_ex(
						open, kase, NULL) != (k == 0))
				continue;
			of++;
			if (used + strlen(kase) + 4 > sizeof(list))
				continue;
			snprintf(list + used, sizeof(list) - used, "%s%s",
				 shown++ ? sep : "", kase);
		}
		if (of == 0)
			continue;
		tsam_render_subst(msg(r, k == 0 ? "raise_text" : "raise_done"),
				  kv, 2, text, sizeof(text));
		tsam_render_para(r, text, r->tmpl->s_body, BLACK);
		tsam_render_listed_note(r, shown, (long long)of);
	}
	json_object_put(open);
	if (geti(r->in->stats, "flags.severity3_open_too_long_total") >
	    (long long)n)
		tsam_render_listed_note(
		    r, n,
		    geti(r->in->stats, "flags.severity3_open_too_long_total"));
}

/* "trend": the last quarters side by side (the SLA's columns only for a
 * tier with an SLA, credits only where it carries them); the trend
 * chart. The review quarter's rate is the summary's (stats.h). */
void tsam_render_sec_trend(struct tsam_render *r)
{
	static const double rel_all[] = {1, 0.9, 0.9, 1.1, 1.5, 0.9, 1};
	static const char al[] = "lrrrrrr";
	static const char *const head[] = {
	    "col_quarter",   "col_opened",   "col_closed", "col_backlog",
	    "col_resp_rate", "col_breaches", "col_credits"};
	json_object *tr = get(r->in->stats, "trend");
	struct tsam_render_cells cs = {0};
	bool sla = tsam_render_has(r, TSAM_SERVICE_SLA);
	int ncols = sla ? (r->credits ? 7 : 6) : 4;
	size_t i, n = tr ? alen(tr) : 0;
	char buf[32];
	double x;

	tsam_render_heading(r, 0, "sec_trend");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	for (i = 0; i < n; i++) {
		json_object *q = aidx(tr, i);

		tsam_render_cell(&cs, "%s", str_or(q, "quarter", "-"));
		count(geti(q, "counts.opened"), buf, sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		count(geti(q, "counts.closed"), buf, sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		count(geti(q, "counts.backlog_end"), buf, sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		if (!sla)
			continue;
		if (tsam_stats_trend_response_rate(r->in->stats, i, &x))
			tsam_render_fmt_pct(r, x, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "-");
		tsam_render_cell(&cs, "%s", buf);
		count(geti(q, "breaches"), buf, sizeof(buf));
		tsam_render_cell(&cs, "%s", buf);
		if (r->credits) {
			tsam_render_fmt_percent(r, num(q, "credit_percent", 0),
						1, buf, sizeof(buf));
			tsam_render_cell(&cs, "%s", buf);
		}
	}
	tsam_render_table(r, ncols, rel_all, al, head, cs.v,
			  cs.n / (size_t)ncols, NULL);
	tsam_render_cells_free(&cs);
	if (sla)
		tsam_render_chart_trend(r);
}

/* "reconciliation": what each export held and what became of its rows,
 * then the rejected lines with their reasons. */
/* When no row of the exports was rejected or lost: one sentence saying
 * so (the table of files and rows is for when the customer's data needs
 * a look). False otherwise. */
static bool reconciled_whole(struct tsam_render *r)
{
	json_object *c = get(r->in->stats, "input.cases");
	json_object *e = get(r->in->stats, "input.events");
	char a[32], b[32], text[512];
	const char *kv[4] = {"cases", a, "events", b};

	if (c == NULL || geti(c, "rejected") + geti(c, "lost") > 0 ||
	    (e != NULL && geti(e, "rejected") + geti(e, "lost") > 0))
		return false;
	tsam_render_fmt_count(geti(c, "used"), a, sizeof(a));
	tsam_render_fmt_count(e ? geti(e, "used") : 0, b, sizeof(b));
	tsam_render_subst(msg(r, "rec_whole"), kv, 4, text, sizeof(text));
	tsam_render_para(r, text, r->tmpl->s_body, BLACK);
	return true;
}

void tsam_render_sec_reconciliation(struct tsam_render *r)
{
	static const double rel[] = {3, 1, 1, 1, 1.2, 1};
	static const char al[] = "lrrrrr";
	static const double rel2[] = {3, 0.7, 5};
	static const char al2[] = "lrl";
	static const char *files[] = {"input.cases", "input.events"};
	static const char *fields[] = {"rows", "used", "rejected",
				       "other_customers", "lost"};
	json_object *rej = get(r->in->stats, "input.rejected_rows");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_file",	"col_rows",
					   "col_used",	"col_rejected",
					   "col_other", "col_lost"};
	static const char *const head2[] = {"col_file", "col_line",
					    "col_reason"};
	size_t i, n;
	int k;

	tsam_render_heading(r, 0, "sec_reconciliation");
	if (tsam_render_missing(r, r->in->stats, "no_stats"))
		return;
	if (reconciled_whole(r))
		return;
	tsam_render_para(r, msg(r, "rejected_text"), r->tmpl->s_body, BLACK);
	for (i = 0; i < 2; i++) {
		json_object *f = get(r->in->stats, files[i]);
		const char *path = tsam_json_str(f, "file");
		const char *base = path ? strrchr(path, '/') : NULL;

		if (f == NULL)
			continue;
		tsam_render_cell(&cs, "%s",
				 base ? base + 1 : (path ? path : "-"));
		for (k = 0; k < 5; k++) {
			char v[32];

			count(geti(f, fields[k]), v, sizeof(v));
			tsam_render_cell(&cs, "%s", v);
		}
	}
	tsam_render_table(r, 6, rel, al, head, cs.v, cs.n / 6, NULL);
	tsam_render_cells_free(&cs);
	n = rej ? alen(rej) : 0;
	if (n > (size_t)r->tmpl->max_rows)
		n = (size_t)r->tmpl->max_rows;
	for (i = 0; i < n; i++) {
		json_object *x = aidx(rej, i);
		const char *path = tsam_json_str(x, "file");
		const char *base = path ? strrchr(path, '/') : NULL;

		tsam_render_cell(&cs, "%s",
				 base ? base + 1 : (path ? path : "-"));
		tsam_render_cell(&cs, "%lld", geti(x, "line"));
		tsam_render_cell(&cs, "%s", str_or(x, "reason", "-"));
	}
	tsam_render_table(r, 3, rel2, al2, head2, cs.v, n, NULL);
	tsam_render_cells_free(&cs);
}
