/*
 * report_chart.c - the quarterly review's charts, drawn from stats.json
 * at the cursor: cases opened per month, response attainment against the
 * template's target, the response-time distribution and the trend over
 * the last quarters. Vector bars and lines in the palette of
 * report_int.h, axes with round maxima, a severity legend.
 *
 * Each chart leaves the cursor under itself. Calls pdf, report_draw.c
 * (text, headings, page room) and report_format.c; called by the
 * sections of report_sla.c.
 */
#include "report_int.h"

#include "stats.h"

#include <math.h>
#include <stdio.h>

/* An axis label right-aligned against the axis at x. */
static void axis_label(struct tsam_render *r, double x, double y, const char *s)
{
	tsam_render_text(r, x - 40, y, 36, r->tmpl->s_small, GREY, s, 'r');
}

/* A round axis maximum at or above v with four equal steps of a whole
 * number of cases each (1, 2, 2.5, 5 times a power of ten: 25 but never
 * 2.5), so that every label of a count axis is an integer. */
static double nice_max(double v)
{
	static const double m[] = {1, 2, 2.5, 5, 10};
	double step = pow(10, floor(log10(v / 4 > 0 ? v / 4 : 1)));
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		double k = m[i] * step;

		if (k * 4 >= v && k >= 1 && k == floor(k))
			return k * 4;
	}
	return step * 40;
}

/* Four horizontal grid lines from y0 up to y0 - ch, labelled with
 * max * k / 4 (percent: from lo % to 100 %, "k %"), and the axis. */
static void grid(struct tsam_render *r, double x0, double y0, double cw,
		 double ch, double max, bool percent, int lo)
{
	char buf[32];
	int k;

	for (k = 0; k <= 4; k++) {
		double yy = y0 - ch * k / 4;

		tsam_pdf_line(r->pdf, x0, yy, x0 + cw, yy, 0.3, 0, LIGHT);
		if (percent)
			tsam_render_fmt_percent(r, lo + k * (100 - lo) / 4, 0,
						buf, sizeof(buf));
		else
			tsam_render_fmt_count(llround(max * k / 4), buf,
					      sizeof(buf));
		axis_label(r, x0, yy + 3, buf);
	}
}

/* The severity colour legend under a chart whose axis is at y0. */
static void severity_legend(struct tsam_render *r, double y0, double cw)
{
	double leg = r->tmpl->s_small;
	int s;

	tsam_pdf_line(r->pdf, r->tmpl->ml + 45, y0, r->tmpl->ml + 45 + cw, y0,
		      0.8, 0, BLACK);
	r->y = y0 + leg * 3;
	for (s = 1; s <= 4; s++) {
		double x = r->tmpl->ml + 45 + (s - 1) * cw / 4;

		tsam_pdf_fill_rect(r->pdf, x, r->y - leg, leg, leg,
				   SEVC[s - 1]);
		tsam_render_text(r, x + leg * 1.5, r->y, cw / 4 - leg * 2, leg,
				 BLACK, tsam_render_sev_name(r, s), 'l');
	}
	r->y += leg * 2;
}

/* The tallest month's total of cases in by_month (an object). */
static double month_max(json_object *m)
{
	double max = 1;
	char key[16]; /* "1" to "4" */
	int s;

	json_object_object_foreach(m, mk, mv)
	{
		double tot = 0;

		(void)mk;
		for (s = 1; s <= 4; s++) {
			snprintf(key, sizeof(key), "%d", s);
			tot += (double)geti(mv, key);
		}
		if (tot > max)
			max = tot;
	}
	return max;
}

/* Stacked bars: cases opened per month by severity. */
void tsam_render_chart_months(struct tsam_render *r)
{
	json_object *m = get(r->in->stats, "counts.by_month");
	double ch = 130, cw = content_w(r) - 50, x0 = r->tmpl->ml + 45, y0,
	       max = 1;
	double bw, leg = r->tmpl->s_small;
	int i = 0, s;
	char buf[32];

	/* the title stays with its chart: room for both first */
	tsam_render_need(r, tsam_render_heading_h(r, 1) + ch + 40);
	tsam_render_heading(r, 1, "chart_by_month");
	y0 = r->y + ch;
	if (!json_object_is_type(m, json_type_object)) {
		/* json-c's foreach cannot walk a non-object: the axes only */
		grid(r, x0, y0, cw, ch, nice_max(max), false, 0);
		severity_legend(r, y0, cw);
		return;
	}
	max = nice_max(month_max(m));
	grid(r, x0, y0, cw, ch, max, false, 0);
	bw = cw / 3 * 0.5;
	json_object_object_foreach(m, mk, mv)
	{
		double x = x0 + cw / 3 * i + cw / 12, yy = y0;

		if (i >= 3) /* a quarter's three months (checked) */
			break;
		for (s = 1; s <= 4; s++) {
			double h;

			snprintf(buf, sizeof(buf), "%d", s);
			h = ch * (double)geti(mv, buf) / max;
			if (h > 0)
				tsam_pdf_fill_rect(r->pdf, x, yy - h, bw, h,
						   SEVC[s - 1]);
			yy -= h;
		}
		tsam_render_text(r, x - 10, y0 + leg * 1.6, bw + 20, leg, BLACK,
				 mk, 'c');
		i++;
	}
	severity_legend(r, y0, cw);
}

/* Bars of the response attainment per severity with the vendor's own
 * benchmark (the template's attainment_target) as a dashed line: not a
 * contract target, and said so. */
void tsam_render_chart_attainment(struct tsam_render *r)
{
	double ch = 110, cw = content_w(r) - 50, x0 = r->tmpl->ml + 45, y0;
	double leg = r->tmpl->s_small;
	char buf[64], title[256], pct[16];
	const char *kv[2];
	int s, n;

	tsam_render_fmt_percent(r, r->tmpl->attainment_target * 100, 0, pct,
				sizeof(pct));
	kv[0] = "target";
	kv[1] = pct;
	tsam_render_subst(msg(r, "chart_attainment"), kv, 2, title,
			  sizeof(title));
	tsam_render_need(r, ch + 60 + r->tmpl->s_h2 * 1.3);
	/* the title whole, over two lines if it takes them */
	n = tsam_render_text_wrapped(r, r->tmpl->ml, r->y + r->tmpl->s_h2,
				     content_w(r), r->tmpl->s_h2,
				     r->tmpl->s_h2 * 1.3, BLACK, title, 'l', 2);
	r->y += r->tmpl->s_h2 * 1.3 * (n - 1) + r->tmpl->s_h2 * 2;
	y0 = r->y + ch;
	grid(r, x0, y0, cw, ch, 1, true, 0);
	/* the benchmark first: the bars cover it, and their values (white,
	 * inside their tops) are never struck through */
	tsam_pdf_line(r->pdf, x0, y0 - ch * r->tmpl->attainment_target, x0 + cw,
		      y0 - ch * r->tmpl->attainment_target, 1, 3, BLACK);
	for (s = 1; s <= 4; s++) {
		double x = x0 + cw / 4 * (s - 1) + cw / 16, bw = cw / 8, v;

		/* from the counts, as the table and the summary (stats.h) */
		if (tsam_stats_rate_sev(r->in->stats, "response", s, &v)) {
			bool inside = ch * v > leg * 2;

			tsam_pdf_fill_rect(
			    r->pdf, x, y0 - ch * v, bw, ch * v,
			    v >= r->tmpl->attainment_target ? ACCENT : RED);
			tsam_render_fmt_pct(r, v, buf, sizeof(buf));
			tsam_render_text(
			    r, x - 10,
			    inside ? y0 - ch * v + leg * 1.3 : y0 - ch * v - 3,
			    bw + 20, leg, inside ? WHITE : BLACK, buf, 'c');
		}
		tsam_render_text(r, x - 15, y0 + leg * 1.6, bw + 30, leg, BLACK,
				 tsam_render_sev_name(r, s), 'c');
	}
	tsam_pdf_line(r->pdf, x0, y0, x0 + cw, y0, 0.8, 0, BLACK);
	r->y = y0 + leg * 4;
}

/* Response-time distribution: a bar per bucket, stacked by severity. */
void tsam_render_chart_distribution(struct tsam_render *r)
{
	static const char *labels[] = {"b_15m", "b_30m", "b_1h",  "b_2h",
				       "b_4h",	"b_8h",	 "b_24h", "b_more"};
	json_object *h = get(r->in->stats, "times.response_histogram");
	double ch = 100, cw = content_w(r) - 50, x0 = r->tmpl->ml + 45, y0;
	double leg = r->tmpl->s_small, max = 1, bw = cw / 8 * 0.6;
	char key[16]; /* "1" to "4" */
	int b, s;

	if (h == NULL)
		return;
	tsam_render_need(r, tsam_render_heading_h(r, 1) + ch + 40);
	tsam_render_heading(r, 1, "chart_response_dist");
	y0 = r->y + ch;
	for (b = 0; b < 8; b++) {
		double tot = 0;

		for (s = 1; s <= 4; s++) {
			snprintf(key, sizeof(key), "%d", s);
			tot += (double)ival(aidx(get(h, key), (size_t)b));
		}
		if (tot > max)
			max = tot;
	}
	max = nice_max(max);
	grid(r, x0, y0, cw, ch, max, false, 0);
	for (b = 0; b < 8; b++) {
		double x = x0 + cw / 8 * b + cw / 8 * 0.2, yy = y0;

		for (s = 1; s <= 4; s++) {
			double hh;

			snprintf(key, sizeof(key), "%d", s);
			hh = ch * (double)ival(aidx(get(h, key), (size_t)b)) /
			     max;
			if (hh > 0)
				tsam_pdf_fill_rect(r->pdf, x, yy - hh, bw, hh,
						   SEVC[s - 1]);
			yy -= hh;
		}
		tsam_render_text(r, x0 + cw / 8 * b, y0 + leg * 1.6, cw / 8,
				 leg, BLACK, msg(r, labels[b]), 'c');
	}
	severity_legend(r, y0, cw);
	/* elapsed time, while targets on a business calendar count its
	 * working hours: say so, or "over 24 h" reads as a miss (a 24x7
	 * calendar's hours are all working hours) */
	if (strcmp(str_or(get(r->in->stats, "period"), "calendar", "24x7"),
		   "24x7") != 0)
		tsam_render_para(r, msg(r, "chart_response_dist_note"),
				 r->tmpl->s_small, GREY);
}

/* The response rate over the five quarters, as a line. */
void tsam_render_chart_trend(struct tsam_render *r)
{
	static const int lows[] = {0, 20, 40, 60, 80};
	json_object *tr = get(r->in->stats, "trend");
	double ch = 100, cw = content_w(r) - 50, x0 = r->tmpl->ml + 45, y0;
	double leg = r->tmpl->s_small, px = -1, py = 0, v, span;
	double lo_v = r->tmpl->attainment_target;
	size_t i, n = tr ? alen(tr) : 0;
	char val[32];
	int k, lo;

	tsam_render_need(r, tsam_render_heading_h(r, 1) + ch + leg * 2 + 40);
	tsam_render_heading(r, 1, "chart_trend");
	y0 = r->y + leg * 2 + ch; /* room above for the points' values */
	/* a line, not bars: the axis starts where the rates are, so that
	 * 96 % and 100 % do not read as one flat line; each point says
	 * its value */
	for (i = 0; i < n; i++)
		if (tsam_stats_trend_response_rate(r->in->stats, i, &v) &&
		    v < lo_v)
			lo_v = v;
	for (k = 4; k > 0 && lows[k] > lo_v * 100 - 2; k--)
		;
	lo = lows[k];
	span = 1 - lo / 100.0;
	grid(r, x0, y0, cw, ch, 1, true, lo);
	tsam_pdf_line(
	    r->pdf, x0,
	    y0 - ch * (r->tmpl->attainment_target - lo / 100.0) / span, x0 + cw,
	    y0 - ch * (r->tmpl->attainment_target - lo / 100.0) / span, 1, 3,
	    BLACK);
	for (i = 0; i < n; i++) {
		json_object *q = aidx(tr, i);
		double x = x0 + cw * ((double)i + 0.5) / (double)n;

		tsam_render_text(r, x - 30, y0 + leg * 1.6, 60, leg, BLACK,
				 tsam_json_str(q, "quarter"), 'c');
		/* the review quarter's point is the summary's figure */
		if (!tsam_stats_trend_response_rate(r->in->stats, i, &v)) {
			px = -1;
			continue;
		}
		if (px >= 0)
			tsam_pdf_line(r->pdf, px, py, x,
				      y0 - ch * (v - lo / 100.0) / span, 1.5, 0,
				      ACCENT);
		px = x;
		py = y0 - ch * (v - lo / 100.0) / span;
		tsam_pdf_fill_rect(r->pdf, x - 2, py - 2, 4, 4, ACCENT);
		tsam_render_fmt_pct(r, v, val, sizeof(val));
		tsam_render_text(r, x - 30, py - leg * 0.8, 60, leg, ACCENT,
				 val, 'c');
	}
	tsam_pdf_line(r->pdf, x0, y0, x0 + cw, y0, 0.8, 0, BLACK);
	r->y = y0 + leg * 4;
}
