/*
 * report_portfolio.c - the portfolio summary, tsam-review's one-page view
 * for a TSAM (template "portfolio-summary"): a row per customer with its
 * tier, cases, response rate, targets missed, credits, score against
 * last year's, and three status lights (SLA, health, collection), each a
 * coloured dot with its word ("good", "watch", "act", "no data", "n/a":
 * never colour alone), explained in a legend under the table; a customer
 * whose run failed gets its error in red instead. Names wrap in their
 * cell, never cut.
 *
 * Reads in->portfolio ({tsam, quarter, rows}) built by lib/review.c
 * (which leaves out the SLA figures of a tier without an SLA). Draws its
 * own rows (the lights are not text), with report_draw.c's header row,
 * wrapped text and page breaks. Calls pdf, report_draw.c,
 * report_format.c; called by report.c.
 */
#include "report_int.h"

#include <stdio.h>
#include <string.h>

/* A light's colour and word: green, amber, red; grey (no data) and
 * "na" (the tier has no such service) in grey. */
static struct tsam_rgb light_of(const struct tsam_render *r, const char *s,
				const char **word)
{
	static const struct tsam_rgb grey = {0.75f, 0.75f, 0.78f};

	if (s && strcmp(s, "green") == 0) {
		*word = msg(r, "light_green");
		return GREEN;
	}
	if (s && strcmp(s, "amber") == 0) {
		*word = msg(r, "light_amber");
		return AMBER;
	}
	if (s && strcmp(s, "red") == 0) {
		*word = msg(r, "light_red");
		return RED;
	}
	*word = msg(r, s && strcmp(s, "na") == 0 ? "light_na" : "light_grey");
	return grey;
}

/* The text cells of an ok row (cell[0..7)): name, tier, cases, rate,
 * missed, credits, score against last year's. */
static void row_cells(struct tsam_render *r, json_object *row,
		      char cell[7][256])
{
	char sc[32], ls[32];

	snprintf(cell[0], 256, "%s", str_or(row, "name", "-"));
	snprintf(cell[1], 256, "%s",
		 tsam_render_word(r, "tier_", tsam_json_str(row, "tier")));
	if (get(row, "opened"))
		tsam_render_fmt_count(geti(row, "opened"), cell[2], 256);
	else
		snprintf(cell[2], 256, "-");
	tsam_render_fmt_rate(r, get(row, "response_rate"), cell[3], 256);
	if (get(row, "breaches"))
		tsam_render_fmt_count(geti(row, "breaches"), cell[4], 256);
	else
		snprintf(cell[4], 256, "-");
	if (get(row, "credits_percent"))
		tsam_render_fmt_percent(r, num(row, "credits_percent", 0), 1,
					cell[5], 256);
	else
		snprintf(cell[5], 256, "-");
	tsam_render_fmt_score(get(row, "score"), sc, sizeof(sc));
	tsam_render_fmt_score(get(row, "score_last_year"), ls, sizeof(ls));
	if (strcmp(sc, "-") != 0 && strcmp(ls, "-") != 0)
		snprintf(cell[6], 256, "%s → %s", ls, sc);
	else
		snprintf(cell[6], 256, "%s", sc);
}

/* "portfolio": the title, whose and which quarter, one row per customer
 * with its status lights (tsam-review), the lights' legend. */
void tsam_render_sec_portfolio(struct tsam_render *r)
{
	/* room for the tier's name and the short headers whole in
	 * Japanese (スタンダード, 応答達成率, クレジット) */
	static const double rel[] = {2.2,  1.5, 0.85, 1.35, 1.2,
				     1.35, 1.7, 1.15, 1.1,  1.45};
	static const char al[] = "llrrrrrlll";
	static const char *lights[] = {"sla", "health", "collection"};
	static const char *const head[] = {
	    "col_customer", "col_tier_short", "col_cases", "col_rate_short",
	    "col_breaches", "col_credits",    "col_score", "col_sla",
	    "col_health",   "col_collection"};
	json_object *pf = r->in->portfolio, *rows = get(pf, "rows");
	size_t i, n = rows ? alen(rows) : 0;
	double w[10], cw = content_w(r), size = r->tmpl->s_table;
	double lh = size * 1.25, pad = 3, x, h;
	char line[512];
	const char *kv[4];
	int c, k, nl;

	r->section_page[r->cur_section] = tsam_pdf_page_count(r->pdf);
	tsam_pdf_bookmark(r->pdf, 0, msg(r, r->tmpl->title_key));
	tsam_render_text(r, r->tmpl->ml, r->y + r->tmpl->s_title, cw,
			 r->tmpl->s_title, ACCENT, msg(r, r->tmpl->title_key),
			 'l');
	r->y += r->tmpl->s_title * 1.6;
	kv[0] = "name";
	kv[1] = tsam_json_str(get(pf, "tsam"), "name")
		    ? tsam_json_str(get(pf, "tsam"), "name")
		    : "";
	kv[2] = "quarter";
	kv[3] =
	    tsam_json_str(pf, "quarter") ? tsam_json_str(pf, "quarter") : "";
	tsam_render_subst(msg(r, "pf_for"), kv, 4, line, sizeof(line));
	nl = tsam_render_text_wrapped(r, r->tmpl->ml, r->y + r->tmpl->s_h2, cw,
				      r->tmpl->s_h2, r->tmpl->s_h2 * 1.3, BLACK,
				      line, 'l', 3);
	r->y += r->tmpl->s_h2 * 1.3 * (nl - 1) + r->tmpl->s_h2 * 2.5;
	tsam_render_col_widths(r, 10, rel, w);
	tsam_render_table_header(r, 10, w, al, head, 0);
	for (i = 1; i <= n; i++) {
		json_object *row = aidx(rows, i - 1);
		char cell[7][256];
		bool ok = strcmp(str_or(row, "status", ""), "ok") == 0;

		row_cells(r, row, cell);
		if (!ok) {
			const char *e[2] = {"error", str_or(row, "error", "?")};

			tsam_render_subst(msg(r, "failed"), e, 2, line,
					  sizeof(line));
		}
		/* the row is as tall as its tallest wrapped cell */
		nl = tsam_render_wrap_count(r, cell[0], w[0] - 2 * pad, size,
					    TSAM_RENDER_CELL_LINES);
		if (!ok) {
			k = tsam_render_wrap_count(
			    r, line, cw - w[0] - w[1] - 2 * pad, size,
			    TSAM_RENDER_CELL_LINES);
			nl = k > nl ? k : nl;
		}
		h = size * 0.75 + lh * nl;
		if (r->y + h > r->tmpl->h - r->tmpl->mb) {
			tsam_render_new_page(r);
			tsam_render_table_header(r, 10, w, al, head, 0);
		}
		if (i % 2 == 0)
			tsam_pdf_fill_rect(r->pdf, r->tmpl->ml, r->y, cw, h,
					   LIGHT);
		for (c = 0, x = r->tmpl->ml; c < (ok ? 7 : 2); x += w[c], c++)
			tsam_render_text_wrapped(r, x + pad, r->y + size * 1.36,
						 w[c] - 2 * pad, size, lh,
						 BLACK, cell[c], al[c],
						 TSAM_RENDER_CELL_LINES);
		if (!ok) {
			tsam_render_text_wrapped(r, x + pad, r->y + size * 1.36,
						 cw - w[0] - w[1] - 2 * pad,
						 size, lh, RED, line, 'l',
						 TSAM_RENDER_CELL_LINES);
			r->y += h;
			continue;
		}
		for (k = 0; k < 3; x += w[7 + k], k++) {
			const char *word;
			struct tsam_rgb col = light_of(
			    r, tsam_json_str(get(row, "lights"), lights[k]),
			    &word);

			tsam_pdf_fill_circle(r->pdf, x + pad + size * 0.5,
					     r->y + size * 1.0, size * 0.45,
					     col);
			tsam_render_text(r, x + pad + size * 1.3,
					 r->y + size * 1.36,
					 w[7 + k] - 2 * pad - size * 1.3, size,
					 BLACK, word, 'l');
		}
		r->y += h;
	}
	r->y += size;
	tsam_render_para(r, msg(r, "lights_legend"), r->tmpl->s_small, GREY);
}
