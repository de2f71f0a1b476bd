/*
 * report_draw.c - drawing on the report's pages: the cursor (r->y) and
 * page breaks, one line of text fitted to a width, wrapped paragraphs,
 * headings, key-value rows, and tables that split across pages, with the
 * arena their cells are built in; the notes for a missing input and a
 * cut listing.
 *
 * Owns the layout callback (measure). Calls pdf (the drawing), layout
 * (line breaking, fitting) and report_format.c (tsam_render_subst);
 * never reads the inputs.
 */
#include "report_int.h"

#include "buf.h"
#include "layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Width of code point cp at r->measure_size (tsam_layout's callback). */
static double measure(void *ctx, uint32_t cp)
{
	struct tsam_render *r = ctx;

	return tsam_pdf_cp_width(r->pdf, cp, r->measure_size);
}

/* Starts a page with the cursor at the top margin. */
void tsam_render_new_page(struct tsam_render *r)
{
	tsam_pdf_page(r->pdf);
	r->y = r->tmpl->mt;
}

/* Makes room for h points, starting a page if needed. */
void tsam_render_need(struct tsam_render *r, double h)
{
	if (r->y + h > r->tmpl->h - r->tmpl->mb)
		tsam_render_new_page(r);
}

/* One line fitted into w (ellipsis if cut), aligned 'l', 'r' or 'c'. */
void tsam_render_text(struct tsam_render *r, double x, double y, double w,
		      double size, struct tsam_rgb c, const char *s, char align)
{
	size_t n, k;
	bool cut;
	double tw;

	if (s == NULL)
		s = "";
	n = strlen(s);
	r->measure_size = size;
	k = tsam_layout_fit(s, n, w, measure, r, &cut);
	tw = tsam_pdf_text_width(r->pdf, s, k, size) +
	     (cut ? tsam_pdf_cp_width(r->pdf, 0x2026, size) : 0);
	if (align == 'r')
		x += w - tw;
	else if (align == 'c')
		x += (w - tw) / 2;
	tsam_pdf_text(r->pdf, x, y, size, c, s, k);
	if (cut)
		tsam_pdf_text(r->pdf,
			      x + tw - tsam_pdf_cp_width(r->pdf, 0x2026, size),
			      y, size, c, "\xe2\x80\xa6", 3);
}

/* A wrapped paragraph at the cursor. */
void tsam_render_para(struct tsam_render *r, const char *s, double size,
		      struct tsam_rgb c)
{
	struct tsam_line lines[64];
	size_t n, i;
	double lh = size * 1.55;

	if (s == NULL)
		s = "";
	r->measure_size = size;
	n = tsam_layout_wrap(s, strlen(s), content_w(r), measure, r, lines, 64);
	for (i = 0; i < n && i < 64; i++) {
		tsam_render_need(r, lh);
		tsam_pdf_text(r->pdf, r->tmpl->ml, r->y + size, size, c,
			      s + lines[i].start,
			      lines[i].end - lines[i].start);
		r->y += lh;
	}
	r->y += size * 0.5;
}

/* A section's heading (level 0: recorded for the contents, bookmarked,
 * underlined) or a sub-heading (level 1). */
void tsam_render_heading(struct tsam_render *r, int level, const char *key)
{
	double size = level == 0 ? r->tmpl->s_h1 : r->tmpl->s_h2;

	tsam_render_need(r, size * 5);
	r->y += level == 0 ? size * 0.4 : size * 0.6;
	if (level == 0) {
		r->section_page[r->cur_section] = tsam_pdf_page_count(r->pdf);
		tsam_pdf_bookmark(r->pdf, 0, msg(r, key));
	}
	tsam_render_text(r, r->tmpl->ml, r->y + size, content_w(r), size,
			 level == 0 ? ACCENT : BLACK, msg(r, key), 'l');
	r->y += size * 1.5;
	if (level == 0) {
		tsam_pdf_line(r->pdf, r->tmpl->ml, r->y - size * 0.3,
			      r->tmpl->ml + content_w(r), r->y - size * 0.3,
			      0.8, 0, ACCENT);
		r->y += size * 0.3;
	}
}

/* Column widths in points for relative widths rel[0..ncols). */
void tsam_render_col_widths(const struct tsam_render *r, int ncols,
			    const double *rel, double *w)
{
	double total = 0;
	int c;

	for (c = 0; c < ncols; c++)
		total += rel[c];
	for (c = 0; c < ncols; c++)
		w[c] = content_w(r) * rel[c] / total;
}

/* A table's header row at the cursor: the messages head[0..ncols). */
void tsam_render_table_header(struct tsam_render *r, int ncols, const double *w,
			      const char *align, const char *const *head,
			      double rh)
{
	double x, pad = 3;
	int c;

	tsam_pdf_fill_rect(r->pdf, r->tmpl->ml, r->y, content_w(r), rh, ACCENT);
	for (c = 0, x = r->tmpl->ml; c < ncols; x += w[c], c++)
		tsam_render_text(r, x + pad, r->y + rh * 0.68, w[c] - 2 * pad,
				 r->tmpl->s_table, (struct tsam_rgb){1, 1, 1},
				 msg(r, head[c]), align[c]);
	r->y += rh;
}

/*
 * A table: ncols columns with relative widths and alignments, a header
 * row of messages (keys), then rows (cells[row * ncols + col]); it splits
 * across pages and repeats its header, zebra rows, every cell one line
 * with an ellipsis. With no rows it draws nothing, or the message empty
 * when that is not NULL.
 */
void tsam_render_table(struct tsam_render *r, int ncols, const double *rel,
		       const char *align, const char *const *head, char **cells,
		       size_t nrows, const char *empty)
{
	double size = r->tmpl->s_table, rh = size * 2.0, x, w[16];
	double pad = 3;
	size_t i;
	int c;

	if (nrows == 0) {
		if (empty != NULL)
			tsam_render_para(r, msg(r, empty), r->tmpl->s_body,
					 GREY);
		return;
	}
	tsam_render_col_widths(r, ncols, rel, w);
	tsam_render_need(r, rh * 2);
	tsam_render_table_header(r, ncols, w, align, head, rh);
	for (i = 1; i <= nrows; i++) {
		if (r->y + rh > r->tmpl->h - r->tmpl->mb) {
			tsam_render_new_page(r);
			tsam_render_table_header(r, ncols, w, align, head, rh);
		}
		if (i % 2 == 0)
			tsam_pdf_fill_rect(r->pdf, r->tmpl->ml, r->y,
					   content_w(r), rh, LIGHT);
		for (c = 0, x = r->tmpl->ml; c < ncols; x += w[c], c++)
			tsam_render_text(
			    r, x + pad, r->y + rh * 0.68, w[c] - 2 * pad, size,
			    BLACK, cells[(i - 1) * (size_t)ncols + (size_t)c],
			    align[c]);
		r->y += rh;
	}
	r->y += size;
}

/* Appends a cell: printf-formatted, cut at 511 bytes; dropped when out of
 * memory (the table then has a short row, never a crash). */
void tsam_render_cell(struct tsam_render_cells *cs, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (tsam_grow(&cs->v, &cs->cap, cs->n + 1, sizeof(*cs->v)) != TSAM_OK)
		return;
	cs->v[cs->n] = strdup(buf);
	if (cs->v[cs->n] != NULL)
		cs->n++;
}

/* Frees every cell; cs is empty and reusable. */
void tsam_render_cells_free(struct tsam_render_cells *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->v[i]);
	free(cs->v);
	memset(cs, 0, sizeof(*cs));
}

/* A row of the key-value lists (summary, cover): key left in grey, value
 * right, a hairline under it. */
void tsam_render_kv_row(struct tsam_render *r, const char *k, const char *v)
{
	double size = r->tmpl->s_body, lh = size * 2;

	tsam_render_need(r, lh);
	tsam_pdf_line(r->pdf, r->tmpl->ml, r->y + lh,
		      r->tmpl->ml + content_w(r), r->y + lh, 0.3, 0, LIGHT);
	tsam_render_text(r, r->tmpl->ml + 4, r->y + lh * 0.68,
			 content_w(r) * 0.6, size, GREY, k, 'l');
	tsam_render_text(r, r->tmpl->ml + content_w(r) * 0.6, r->y + lh * 0.68,
			 content_w(r) * 0.4 - 4, size, BLACK, v, 'r');
	r->y += lh;
}

/* A section's note that its input was not given: true when in is NULL. */
bool tsam_render_missing(struct tsam_render *r, json_object *in,
			 const char *note)
{
	if (in != NULL)
		return false;
	tsam_render_para(r, msg(r, note), r->tmpl->s_body, GREY);
	return true;
}

/* "listed of total" under a listing that max_rows cut short. */
void tsam_render_listed_note(struct tsam_render *r, size_t listed,
			     long long total)
{
	char a[32], b[32], text[256];
	const char *kv[4];

	if ((long long)listed >= total)
		return;
	snprintf(a, sizeof(a), "%zu", listed);
	snprintf(b, sizeof(b), "%lld", total);
	kv[0] = "listed";
	kv[1] = a;
	kv[2] = "total";
	kv[3] = b;
	tsam_render_subst(msg(r, "listed_of"), kv, 4, text, sizeof(text));
	tsam_render_para(r, text, r->tmpl->s_small, GREY);
}
