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

/* Lines s takes wrapped into w at size (lines[0..max) filled; the
 * count may be larger). */
static size_t wrap(struct tsam_render *r, const char *s, double w, double size,
		   struct tsam_line *lines, size_t max)
{
	r->measure_size = size;
	return tsam_layout_wrap(s, strlen(s), w > 1 ? w : 1, measure, r, lines,
				max);
}

/* Lines s takes wrapped into w, at most max_lines. */
int tsam_render_wrap_count(struct tsam_render *r, const char *s, double w,
			   double size, int max_lines)
{
	struct tsam_line lines[TSAM_RENDER_MAX_LINES];
	size_t n = wrap(r, s ? s : "", w, size, lines, TSAM_RENDER_MAX_LINES);

	if (n == 0)
		n = 1;
	return (int)n < max_lines ? (int)n : max_lines;
}

/* s wrapped into w: the first baseline at y, lines lh apart; past
 * max_lines the last line is cut with an ellipsis (never an identifier:
 * they are short). Returns the lines drawn. */
int tsam_render_text_wrapped(struct tsam_render *r, double x, double y,
			     double w, double size, double lh,
			     struct tsam_rgb c, const char *s, char align,
			     int max_lines)
{
	struct tsam_line lines[TSAM_RENDER_MAX_LINES];
	size_t n, i;

	if (s == NULL)
		s = "";
	if (max_lines > TSAM_RENDER_MAX_LINES)
		max_lines = TSAM_RENDER_MAX_LINES;
	n = wrap(r, s, w, size, lines, TSAM_RENDER_MAX_LINES);
	for (i = 0; i < n && (int)i < max_lines; i++) {
		double xx = x;

		if ((int)i == max_lines - 1 && n > i + 1) {
			tsam_render_text(r, x, y + lh * (double)i, w, size, c,
					 s + lines[i].start, align);
			break;
		}
		if (align == 'r')
			xx += w - lines[i].width;
		else if (align == 'c')
			xx += (w - lines[i].width) / 2;
		tsam_pdf_text(r->pdf, xx, y + lh * (double)i, size, c,
			      s + lines[i].start,
			      lines[i].end - lines[i].start);
	}
	if (i < n && (int)i < max_lines)
		i++; /* the cut line */
	return i > 0 ? (int)i : 1;
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

/* The room a heading takes (tsam_render_heading's steps). */
double tsam_render_heading_h(const struct tsam_render *r, int level)
{
	double size = level == 0 ? r->tmpl->s_h1 : r->tmpl->s_h2;

	return level == 0 ? size * 2.2 : size * 2.1;
}

/* A section's heading (level 0: recorded for the contents, bookmarked,
 * underlined) or a sub-heading (level 1). */
void tsam_render_heading(struct tsam_render *r, int level, const char *key)
{
	double size = level == 0 ? r->tmpl->s_h1 : r->tmpl->s_h2;

	/* never stranded at a page's foot: room for the heading and what
	 * follows it - a table kept whole (TSAM_RENDER_KEEP_ROWS rows and
	 * its header), a paragraph of a few lines - else a new page */
	tsam_render_need(r, size * 2.5 + r->tmpl->s_table * 2.0 *
					     (TSAM_RENDER_KEEP_ROWS + 1));
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

/* Bytes of a short Japanese word kept whole in a table (6 characters of
 * 3 bytes: プレミアム, 応答達成率, クレジット). */
#define CJK_WORD_MAX 18

/* The widest unit of s that a line cannot break inside (a run without
 * a space or a CJK character: an id, a word, a date; a short cell
 * without a space, Japanese included, is one word) at size. */
static double widest_unit(struct tsam_render *r, const char *s, double size)
{
	const unsigned char *p = (const unsigned char *)s;
	double best = 0, w;
	size_t start = 0, i = 0, len = strlen(s);

	if (len <= CJK_WORD_MAX && strchr(s, ' ') == NULL)
		return tsam_pdf_text_width(r->pdf, s, len, size);

	for (;;) {
		/* a space, the end, or a CJK lead byte (U+3000 and up) ends a
		 * unit; a CJK character is a unit of its own */
		bool end = p[i] == '\0' || p[i] == ' ' || p[i] >= 0xe3;

		if (end) {
			w = tsam_pdf_text_width(r->pdf, s + start, i - start,
						size);
			if (w > best)
				best = w;
			if (p[i] == '\0')
				break;
			if (p[i] >= 0xe3) {
				size_t k = i + 1;

				while ((p[k] & 0xc0) == 0x80)
					k++;
				w = tsam_pdf_text_width(r->pdf, s + i, k - i,
							size);
				if (w > best)
					best = w;
				i = k;
			} else {
				i++;
			}
			start = i;
			continue;
		}
		i++;
	}
	return best;
}

/* Moves width to the columns below want[] from those above floor[]
 * (never below it), in proportion to what each lacks or has over. */
static void rebalance(int ncols, double *w, const double *want,
		      const double *floor_)
{
	double take = 0, give = 0, t;
	int c;

	for (c = 0; c < ncols; c++) {
		if (w[c] < want[c])
			take += want[c] - w[c];
		else if (w[c] > floor_[c])
			give += w[c] - floor_[c];
	}
	t = take < give ? take : give;
	if (t <= 0)
		return;
	for (c = 0; c < ncols; c++) {
		if (w[c] < want[c])
			w[c] += (want[c] - w[c]) * t / take;
		else if (w[c] > floor_[c])
			w[c] -= (w[c] - floor_[c]) * t / give;
	}
}

/*
 * Widths that keep cells whole where the page allows: the relative
 * widths first; then every column gets room for its widest unbreakable
 * unit (a case id, a word of its header) from the others' room beyond
 * theirs; then columns whose cells would wrap take what the others have
 * beyond their widest cell (a column left empty, to be filled in by
 * hand, keeps its relative width). What still does not fit wraps in its cell,
 * at spaces or between Japanese characters, ids kept on one line.
 */
static void fit_widths(struct tsam_render *r, int ncols, const double *rel,
		       const char *const *head, char **cells, size_t nrows,
		       double size, double pad, double *w)
{
	double unit[TSAM_RENDER_MAX_COLS] = {0},
	       full[TSAM_RENDER_MAX_COLS] = {0};
	double cap = content_w(r) * 0.6;
	size_t i;
	int c;

	tsam_render_col_widths(r, ncols, rel, w);
	for (c = 0; c < ncols; c++) {
		unit[c] = widest_unit(r, msg(r, head[c]), size) + 2 * pad + 1;
		bool written = false;

		full[c] = unit[c];
		for (i = 0; i < nrows; i++) {
			const char *s = cells[i * (size_t)ncols + (size_t)c];
			double x;

			if (s == NULL || s[0] == '\0')
				continue;
			written = true;
			x = widest_unit(r, s, size) + 2 * pad + 1;
			if (x > unit[c])
				unit[c] = x;
			x = tsam_pdf_text_width(r->pdf, s, strlen(s), size) +
			    2 * pad + 1;
			if (x > full[c])
				full[c] = x;
		}
		if (unit[c] > cap)
			unit[c] = cap;
		if (full[c] > cap)
			full[c] = cap;
		if (full[c] < unit[c])
			full[c] = unit[c];
		if (!written && full[c] < w[c])
			full[c] = w[c]; /* a column to fill in by hand keeps
					   its room */
	}
	rebalance(ncols, w, unit, unit);
	rebalance(ncols, w, full, full);
}

/* The height of a row whose tallest cell has n lines. */
static double row_h(double size, int n)
{
	return size * 0.75 + size * 1.25 * (double)n;
}

/* Lines the row's cells take, the tallest. */
static int row_lines(struct tsam_render *r, int ncols, const double *w,
		     const char *const *cell, double size, double pad)
{
	int c, n = 1, k;

	for (c = 0; c < ncols; c++) {
		k = tsam_render_wrap_count(r, cell[c], w[c] - 2 * pad, size,
					   TSAM_RENDER_CELL_LINES);
		if (k > n)
			n = k;
	}
	return n;
}

/* Draws one row's cells wrapped, the row being h high, at the cursor. */
static void row_draw(struct tsam_render *r, int ncols, const double *w,
		     const char *align, const char *const *cell, double size,
		     double pad, struct tsam_rgb colour)
{
	double x = r->tmpl->ml;
	int c;

	for (c = 0; c < ncols; x += w[c], c++)
		tsam_render_text_wrapped(r, x + pad, r->y + size * 1.36,
					 w[c] - 2 * pad, size, size * 1.25,
					 colour, cell[c], align[c],
					 TSAM_RENDER_CELL_LINES);
}

/* A table's header row at the cursor: the messages head[0..ncols),
 * wrapped within their columns (rh: the height of a one-line row). */
void tsam_render_table_header(struct tsam_render *r, int ncols, const double *w,
			      const char *align, const char *const *head,
			      double rh)
{
	const char *text[TSAM_RENDER_MAX_COLS];
	double size = r->tmpl->s_table, pad = 3, h;
	int c;

	(void)rh;
	for (c = 0; c < ncols && c < TSAM_RENDER_MAX_COLS; c++)
		text[c] = msg(r, head[c]);
	h = row_h(size, row_lines(r, ncols, w, text, size, pad));
	tsam_pdf_fill_rect(r->pdf, r->tmpl->ml, r->y, content_w(r), h, ACCENT);
	row_draw(r, ncols, w, align, text, size, pad, WHITE);
	r->y += h;
}

/* The height of the header row of head in widths w. */
static double header_h(struct tsam_render *r, int ncols, const double *w,
		       const char *const *head, double size, double pad)
{
	const char *text[TSAM_RENDER_MAX_COLS];
	int c;

	for (c = 0; c < ncols; c++)
		text[c] = msg(r, head[c]);
	return row_h(size, row_lines(r, ncols, w, text, size, pad));
}

/*
 * A table: ncols columns with relative widths (widened for content that
 * would not fit: fit_widths) and alignments, a header row of messages
 * (keys), then rows (cells[row * ncols + col]). Every cell is whole,
 * wrapped within its column (case ids, target names, headers are never
 * cut). A table of at most TSAM_RENDER_KEEP_ROWS rows is kept on one
 * page; a longer one splits across pages and repeats its header. Zebra
 * rows. With no rows it draws nothing, or the message empty when that is
 * not NULL.
 */
/* Rows a table split across pages keeps on each side of a break. */
#define TABLE_MIN_ROWS 3

/* True when rows [from, nrows) fit below r->y on this page. */
static bool rest_fits(struct tsam_render *r, int ncols, const double *w,
		      char **cells, size_t from, size_t nrows, double size,
		      double pad, double bottom)
{
	double y = r->y;
	size_t i;

	for (i = from; i < nrows; i++)
		y += row_h(size, row_lines(r, ncols, w,
					   (const char *const *)cells +
					       i * (size_t)ncols,
					   size, pad));
	return y <= bottom;
}

void tsam_render_table(struct tsam_render *r, int ncols, const double *rel,
		       const char *align, const char *const *head, char **cells,
		       size_t nrows, const char *empty)
{
	double size = r->tmpl->s_table, w[TSAM_RENDER_MAX_COLS], pad = 3;
	double hh, bottom = r->tmpl->h - r->tmpl->mb;
	size_t i, first;

	if (nrows == 0) {
		if (empty != NULL)
			tsam_render_para(r, msg(r, empty), r->tmpl->s_body,
					 GREY);
		return;
	}
	if (ncols > TSAM_RENDER_MAX_COLS)
		ncols = TSAM_RENDER_MAX_COLS;
	fit_widths(r, ncols, rel, head, cells, nrows, size, pad, w);
	hh = header_h(r, ncols, w, head, size, pad);
	if (nrows <= TSAM_RENDER_KEEP_ROWS) {
		double total = hh;

		for (i = 0; i < nrows; i++)
			total +=
			    row_h(size, row_lines(r, ncols, w,
						  (const char *const *)cells +
						      i * (size_t)ncols,
						  size, pad));
		/* the whole table on one page when a page can hold it */
		if (total <= bottom - r->tmpl->mt)
			tsam_render_need(r, total);
	}
	/* a table split across pages keeps TABLE_MIN_ROWS rows on each side
	 * of the break: its header never stands with one row at a page's
	 * foot, nor does its last row stand alone on the next page */
	tsam_render_need(r, hh + row_h(size, 1) * (nrows < TABLE_MIN_ROWS
						       ? (double)nrows
						       : TABLE_MIN_ROWS));
	tsam_render_table_header(r, ncols, w, align, head, 0);
	for (i = 0, first = 0; i < nrows; i++) {
		const char *const *row =
		    (const char *const *)cells + i * (size_t)ncols;
		double h = row_h(size, row_lines(r, ncols, w, row, size, pad));

		if (r->y + h > bottom ||
		    (i + TABLE_MIN_ROWS == nrows &&
		     i - first >= TABLE_MIN_ROWS &&
		     !rest_fits(r, ncols, w, cells, i, nrows, size, pad,
				bottom))) {
			tsam_render_new_page(r);
			tsam_render_table_header(r, ncols, w, align, head, 0);
			first = i;
		}
		if (i % 2 == 1)
			tsam_pdf_fill_rect(r->pdf, r->tmpl->ml, r->y,
					   content_w(r), h, LIGHT);
		row_draw(r, ncols, w, align, row, size, pad, BLACK);
		r->y += h;
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
 * right, each wrapped in its part of the width (names are never cut), a
 * hairline under it. */
void tsam_render_kv_row(struct tsam_render *r, const char *k, const char *v)
{
	double size = r->tmpl->s_body, lh = size * 1.4, cw = content_w(r);
	double kw = cw * 0.55 - 8, vw = cw * 0.45 - 4, h;
	int nk = tsam_render_wrap_count(r, k, kw, size, TSAM_RENDER_CELL_LINES);
	int nv = tsam_render_wrap_count(r, v, vw, size, TSAM_RENDER_CELL_LINES);
	int n = nk > nv ? nk : nv;

	h = size * 2 + lh * (double)(n - 1);
	tsam_render_need(r, h);
	tsam_pdf_line(r->pdf, r->tmpl->ml, r->y + h, r->tmpl->ml + cw, r->y + h,
		      0.3, 0, LIGHT);
	tsam_render_text_wrapped(r, r->tmpl->ml + 4, r->y + size * 1.36, kw,
				 size, lh, GREY, k, 'l',
				 TSAM_RENDER_CELL_LINES);
	tsam_render_text_wrapped(r, r->tmpl->ml + cw * 0.55, r->y + size * 1.36,
				 vw, size, lh, BLACK, v, 'r',
				 TSAM_RENDER_CELL_LINES);
	r->y += h;
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
