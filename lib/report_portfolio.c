/*
 * report_portfolio.c - the portfolio summary, tsam-review's one-page view
 * for a TSAM (template "portfolio-summary"): a row per customer with its
 * cases, response rate, breaches, credits, score against last year's,
 * and three traffic lights (SLA, health, collection); a customer whose
 * run failed gets its error in red instead.
 *
 * Reads in->portfolio ({tsam, quarter, rows}) built by lib/review.c. Draws
 * its own rows (the lights are not text), with report_draw.c's header
 * row and page breaks. Calls pdf, report_draw.c, report_format.c; called
 * by report.c.
 */
#include "report_int.h"

#include <stdio.h>
#include <string.h>

/* The colour of a light: green, amber, red, or grey when unknown. */
static struct tsam_rgb light_color(const char *s)
{
	static const struct tsam_rgb green = {0.2f, 0.62f, 0.3f};
	static const struct tsam_rgb amber = {0.95f, 0.65f, 0.1f};

	if (s && strcmp(s, "green") == 0)
		return green;
	if (s && strcmp(s, "amber") == 0)
		return amber;
	if (s && strcmp(s, "red") == 0)
		return RED;
	return (struct tsam_rgb){0.75f, 0.75f, 0.78f};
}

/* "portfolio": the title, whose and which quarter, one row per customer
 * with traffic lights (tsam-review), the lights' legend. */
void tsam_render_sec_portfolio(struct tsam_render *r)
{
	static const double rel[] = {3.2, 1.3, 0.8, 1.3, 0.9, 1.3, 1.4, 1.6};
	static const char al[] = "llrrrrrl";
	static const char *lights[] = {"sla", "health", "collection"};
	json_object *pf = r->in->portfolio, *rows = get(pf, "rows");
	size_t i, n = rows ? alen(rows) : 0;
	static const char *const head[] = {
	    "col_customer", "col_tier_short", "col_cases", "col_rate_short",
	    "col_breaches", "col_credits",    "col_score", "col_lights_short"};
	double w[8], cw = content_w(r), size = r->tmpl->s_table;
	double rh = size * 2.2, x, pad = 3;
	char line[512];
	const char *kv[4];
	int c, k;

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
	tsam_render_text(r, r->tmpl->ml, r->y + r->tmpl->s_h2, cw,
			 r->tmpl->s_h2, BLACK, line, 'l');
	r->y += r->tmpl->s_h2 * 2.5;
	tsam_render_col_widths(r, 8, rel, w);
	tsam_render_table_header(r, 8, w, al, head, rh);
	for (i = 1; i <= n; i++) {
		json_object *row = aidx(rows, i - 1);
		char cell_txt[8][256];

		if (r->y + rh > r->tmpl->h - r->tmpl->mb) {
			tsam_render_new_page(r);
			tsam_render_table_header(r, 8, w, al, head, rh);
		}
		if (i % 2 == 0)
			tsam_pdf_fill_rect(r->pdf, r->tmpl->ml, r->y, cw, rh,
					   LIGHT);
		snprintf(cell_txt[0], 256, "%s", str_or(row, "name", "-"));
		snprintf(
		    cell_txt[1], 256, "%s",
		    tsam_render_word(r, "tier_", tsam_json_str(row, "tier")));
		if (strcmp(tsam_json_str(row, "status")
			       ? tsam_json_str(row, "status")
			       : "",
			   "ok") != 0) {
			const char *e[2] = {"error",
					    tsam_json_str(row, "error")
						? tsam_json_str(row, "error")
						: "?"};

			tsam_render_subst(msg(r, "failed"), e, 2, line,
					  sizeof(line));
			tsam_render_text(r, r->tmpl->ml + pad, r->y + rh * 0.68,
					 w[0] - 2 * pad, size, BLACK,
					 cell_txt[0], 'l');
			tsam_render_text(r, r->tmpl->ml + w[0] + w[1] + pad,
					 r->y + rh * 0.68,
					 cw - w[0] - w[1] - 2 * pad, size, RED,
					 line, 'l');
			r->y += rh;
			continue;
		}
		if (get(row, "opened"))
			snprintf(cell_txt[2], 256, "%lld", geti(row, "opened"));
		else
			snprintf(cell_txt[2], 256, "-");
		tsam_render_fmt_rate(get(row, "response_rate"), cell_txt[3],
				     256);
		if (get(row, "breaches"))
			snprintf(cell_txt[4], 256, "%lld",
				 geti(row, "breaches"));
		else
			snprintf(cell_txt[4], 256, "-");
		if (get(row, "credits_percent"))
			snprintf(cell_txt[5], 256, "%.1f %%",
				 num(row, "credits_percent", 0));
		else
			snprintf(cell_txt[5], 256, "-");
		{
			char sc[32], ls[32];

			tsam_render_fmt_score(get(row, "score"), sc,
					      sizeof(sc));
			tsam_render_fmt_score(get(row, "score_last_year"), ls,
					      sizeof(ls));
			if (strcmp(sc, "-") != 0 && strcmp(ls, "-") != 0)
				snprintf(cell_txt[6], 256, "%s → %s", ls, sc);
			else
				snprintf(cell_txt[6], 256, "%s", sc);
		}
		for (c = 0, x = r->tmpl->ml; c < 7; x += w[c], c++)
			tsam_render_text(r, x + pad, r->y + rh * 0.68,
					 w[c] - 2 * pad, size, BLACK,
					 cell_txt[c], al[c]);
		for (k = 0; k < 3; k++)
			tsam_pdf_fill_circle(
			    r->pdf, x + pad + size * 0.6 + k * size * 1.8,
			    r->y + rh / 2, size * 0.55,
			    light_color(
				tsam_json_str(get(row, "lights"), lights[k])));
		r->y += rh;
	}
	r->y += size;
	tsam_render_para(r, msg(r, "lights_legend"), r->tmpl->s_small, GREY);
}
