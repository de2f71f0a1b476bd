/*
 * report_attach.c - the quarterly review's "attachments" section: the
 * full tables behind the meeting's sections (actions, attainment, case
 * mix, escalations, open cases, severity changes, targets missed, trend)
 * written as CSV files (RFC 4180, UTF-8 with a byte order mark, headers
 * from the catalogue) and attached to the PDF, then listed with their
 * rows. A table near its cap is never attached cut short.
 *
 * Reads stats.json and the action register as report_review.c does.
 * Calls buf, pdf (attachments), policy (the targets' names), stats,
 * report_draw.c, report_format.c; called by report.c.
 */
#include "report_int.h"
#include "stats.h"

#include "buf.h"
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CSV_MAX (16u << 20) /* bytes of one attached table */

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

		if (!tsam_render_action_shown(a, tsam_render_quarter(r),
					      &carried))
			continue;
		csv_row(
		    b, 8, str_or(a, "id", ""), str_or(a, "agreed", ""),
		    tsam_render_word(r, "rv_owner_", str_or(a, "owner", "")),
		    str_or(a, "who", ""), str_or(a, "text", ""),
		    str_or(a, "due", ""),
		    tsam_render_word(r, "rv_act_",
				     tsam_render_action_status(r, a)),
		    str_or(a, "closed", ""));
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
	char p[96], sev[16], met[32], mis[32], pen[32], rate[32], ct[256];
	int s, t;

	csv_head(r, b, 7, h);
	for (s = 1; s <= 4; s++)
		for (t = 0; t < 4; t++) {
			json_object *a, *tg;
			const char *tn = tsam_target_name((enum tsam_target)t);
			double rv;

			snprintf(p, sizeof(p), "attainment.%s.%d", tn, s);
			a = get(st, p);
			snprintf(p, sizeof(p), "review_detail.targets.%d.%s", s,
				 tn);
			tg = get(st, p);
			if (tg == NULL && geti(a, "met") + geti(a, "missed") +
						  geti(a, "pending") ==
					      0)
				continue;
			tsam_render_fmt_target(r, tg, ct, sizeof(ct));
			snprintf(sev, sizeof(sev), "%d", s);
			snprintf(met, sizeof(met), "%lld", geti(a, "met"));
			snprintf(mis, sizeof(mis), "%lld", geti(a, "missed"));
			snprintf(pen, sizeof(pen), "%lld", geti(a, "pending"));
			/* from the counts, as the tables (stats.h) */
			if (tsam_stats_rate_sev(r->in->stats, tn, s, &rv))
				snprintf(rate, sizeof(rate), "%.1f", 100 * rv);
			else
				rate[0] = '\0';
			csv_row(b, 7, sev, tsam_render_target_name(r, tn), ct,
				met, mis, pen, rate);
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
	char sev[24], due[64], at[64];

	csv_head(r, b, 6, h);
	for (i = 0; i < alen(e); i++) {
		json_object *x = aidx(e, i);

		snprintf(sev, sizeof(sev), "%lld", geti(x, "severity"));
		tm(r, get(x, "due"), due, sizeof(due));
		tm(r, get(x, "at"), at, sizeof(at));
		csv_row(b, 6, str_or(x, "case", ""),
			tsam_render_word(r, "lv_", str_or(x, "level", "")), sev,
			due, at,
			tsam_render_word(r, "st_", str_or(x, "status", "")));
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
	char sev[24], op[64], age[32], la[64];

	csv_head(r, b, 10, h);
	for (i = 0; i < alen(oc); i++) {
		json_object *x = aidx(oc, i);

		snprintf(sev, sizeof(sev), "%lld", geti(x, "severity"));
		tm(r, get(x, "received"), op, sizeof(op));
		snprintf(age, sizeof(age), "%lld", geti(x, "age_s") / 86400);
		tm(r, get(x, "last_event_at"), la, sizeof(la));
		csv_row(
		    b, 10, str_or(x, "case", ""), sev, op, age,
		    str_or(x, "product", ""), str_or(x, "channel", ""),
		    tsam_render_word(r, "rv_status_", str_or(x, "status", "")),
		    tsam_render_word(r, "rv_ev_", str_or(x, "last_event", "")),
		    la,
		    msg(r, strcmp(str_or(x, "waiting_on", ""), "customer") == 0
			       ? "rv_move_customer"
			       : "rv_move_vendor"));
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
	char sev[24], due[64], done[64], over[32];

	csv_head(r, b, 6, h);
	for (i = 0; i < alen(br); i++) {
		json_object *x = aidx(br, i);

		snprintf(sev, sizeof(sev), "%lld", geti(x, "severity"));
		tm(r, get(x, "due"), due, sizeof(due));
		tm(r, get(x, "done"), done, sizeof(done));
		snprintf(over, sizeof(over), "%lld",
			 (tsam_render_overrun(x, NULL) + 59) / 60);
		csv_row(b, 6, str_or(x, "case", ""),
			tsam_render_target_name(r, str_or(x, "target", "")),
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
