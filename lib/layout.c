/*
 * layout.c - greedy line breaking with break opportunities after spaces,
 * around ideographic characters, and kinsoku shori by pushing a forbidden
 * line-start character's predecessor down (追い出し).
 */
#include "layout.h"

#include "str.h"

#include <string.h>

static bool in_list(uint32_t cp, const char *list)
{
	size_t i = 0, n = strlen(list);

	while (i < n)
		if (tsam_utf8_next(list, n, &i) == cp)
			return true;
	return false;
}

bool tsam_kinsoku_no_start(uint32_t cp)
{
	static const char list[] =
	    "、。，．・：；？！゛゜ヽヾゝゞ々〻ー‐–—…‥〜～"
	    "）〕］｝〉》」』】〙〗〟’”｠»"
	    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
	    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
	    ")]},.:;!?%";

	return in_list(cp, list);
}

bool tsam_kinsoku_no_end(uint32_t cp)
{
	static const char list[] = "（〔［｛〈《「『【〘〖〝‘“｟«([{";

	return in_list(cp, list);
}

/* Characters between which a line may break without a space. */
static bool wide(uint32_t cp)
{
	return (cp >= 0x2e80 && cp <= 0x9fff) ||
	       (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xffef);
}

static bool space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* Start of the character before byte b (b > start). */
static size_t prev_boundary(const char *s, size_t start, size_t b)
{
	b--;
	while (b > start && ((unsigned char)s[b] & 0xc0) == 0x80)
		b--;
	return b;
}

static uint32_t cp_at(const char *s, size_t n, size_t b)
{
	return tsam_utf8_next(s, n, &b);
}

/* Where to end a line that overflows at byte at with no break opportunity:
 * before the latest character that may start a line, or at at. */
static size_t forced_break(const char *s, size_t n, size_t start, size_t at)
{
	size_t b = at;

	while (b > start) {
		uint32_t c = cp_at(s, n, b);
		size_t pb = prev_boundary(s, start, b);

		if (!tsam_kinsoku_no_start(c) && !space(c) &&
		    !tsam_kinsoku_no_end(cp_at(s, n, pb)))
			break;
		b = pb;
	}
	return b > start ? b : at;
}

/* The line [start, end) without trailing spaces, and its width. */
static void finish_line(const char *s, size_t n, size_t start, size_t end,
			tsam_measure_fn m, void *ctx, struct tsam_line *l)
{
	size_t i = start, last = start;
	double w = 0, ink = 0;

	(void)n;
	while (i < end) {
		uint32_t cp = tsam_utf8_next(s, end, &i);

		w += m(ctx, cp);
		if (!space(cp)) {
			ink = w;
			last = i;
		}
	}
	l->start = start;
	l->end = last;
	l->width = ink;
}

/* A digit, "%" or "." ending a number: the counter that follows it
 * (5件, 25.0%の) stays on its line. */
static bool number_end(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || cp == '%' || cp == '.';
}

/* True between a Japanese particle that ends a phrase (の へ を に は が
 * で と も) and a following word in katakana or kanji: the place a
 * Japanese reader expects a line to break. */
static bool phrase_end(uint32_t prev, uint32_t cp)
{
	static const uint32_t particles[] = {0x306e, 0x3078, 0x3092,
					     0x306b, 0x306f, 0x304c,
					     0x3067, 0x3068, 0x3082};
	size_t k;
	bool word = (cp >= 0x30a0 && cp <= 0x30ff) || /* katakana */
		    (cp >= 0x4e00 && cp <= 0x9fff);   /* kanji */

	if (!word)
		return false;
	for (k = 0; k < sizeof(particles) / sizeof(particles[0]); k++)
		if (prev == particles[k])
			return true;
	return false;
}

size_t tsam_layout_wrap(const char *s, size_t n, double width,
			tsam_measure_fn m, void *ctx, struct tsam_line *lines,
			size_t max)
{
	size_t count = 0, i = 0;

	for (;;) {
		size_t start = i, pos = i, brk = 0, pref = 0, next;
		double w = 0, w_pref = 0;
		uint32_t prev = 0;
		bool have_brk = false, hard = false;

		while (pos < n) {
			size_t at = pos;
			uint32_t cp = tsam_utf8_next(s, n, &pos);
			double cw;

			if (cp == '\n') {
				hard = true;
				pos = at;
				break;
			}
			/* may the line break before cp? */
			if (at > start &&
			    (space(prev) ||
			     ((wide(prev) || wide(cp)) && !space(cp))) &&
			    !tsam_kinsoku_no_start(cp) &&
			    !tsam_kinsoku_no_end(prev) &&
			    !(number_end(prev) && wide(cp))) {
				have_brk = true;
				brk = at;
				if (phrase_end(prev, cp)) {
					pref = at;
					w_pref = w;
				}
			}
			cw = m(ctx, cp);
			if (w + cw > width && at > start && !space(cp)) {
				/* a Japanese phrase's end if the line keeps
				 * most of its width: "…マネージャへの" /
				 * "エスカレーション", not "…エスカ" /
				 * "レーション" */
				pos = pref > start && w_pref >= width * 0.75
					  ? pref
				      : have_brk
					  ? brk
					  : forced_break(s, n, start, at);
				break;
			}
			w += cw;
			prev = cp;
		}
		if (count < max)
			finish_line(s, n, start, pos, m, ctx, &lines[count]);
		count++;
		next = pos;
		if (hard) {
			next = pos + 1; /* past the newline */
		} else {
			/* spaces at a soft break belong to neither line */
			while (next < n) {
				size_t at = next;

				if (!space(tsam_utf8_next(s, n, &next))) {
					next = at;
					break;
				}
			}
		}
		if (next >= n && !hard)
			break;
		if (next >= n && hard) {
			i = next;
			break;
		}
		i = next;
	}
	return count;
}

size_t tsam_layout_fit(const char *s, size_t n, double width, tsam_measure_fn m,
		       void *ctx, bool *cut)
{
	double w = 0, ell = m(ctx, 0x2026);
	size_t i = 0, fit_ell = 0;

	*cut = false;
	while (i < n) {
		size_t at = i;
		uint32_t cp = tsam_utf8_next(s, n, &i);
		double cw = m(ctx, cp);

		if (w + cw + ell <= width)
			fit_ell = i;
		if (w + cw > width || cp == '\n') {
			*cut = true;
			return fit_ell <= at ? fit_ell : at;
		}
		w += cw;
	}
	return n;
}
