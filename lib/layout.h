/*
 * layout.h - text layout that libharu lacks: line breaking for Japanese
 * (by character, with kinsoku: no 、。」）ー etc. at a line start, no 「（
 * at a line end; a number never parted from its counter, 5件; at a phrase's
 * end - a particle before a katakana or kanji word - when the line keeps
 * three quarters of its width) and Latin (at spaces,
 * by character only when a word is wider than the line), mixed scripts, and
 * one-line fitting with an ellipsis. Widths come from a callback, so this
 * module draws nothing and is tested without a PDF.
 */
#ifndef TSAM_LAYOUT_H
#define TSAM_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Width in points of code point cp. */
typedef double (*tsam_measure_fn)(void *ctx, uint32_t cp);

/* One line: bytes [start, end) of the text, its width without trailing
 * spaces. */
struct tsam_line {
	size_t start, end;
	double width;
};

/* True for characters that must not start a line (、。）」ー ぁ ... ! ?). */
bool tsam_kinsoku_no_start(uint32_t cp);

/* True for characters that must not end a line (（「『【 ...). */
bool tsam_kinsoku_no_end(uint32_t cp);

/*
 * Breaks n bytes of UTF-8 into lines no wider than width ("\n" forces a
 * break) and returns how many there are; the first max are stored in
 * lines. A single character wider than the line gets a line of its own.
 */
size_t tsam_layout_wrap(const char *s, size_t n, double width,
			tsam_measure_fn m, void *ctx, struct tsam_line *lines,
			size_t max);

/*
 * How many bytes of s fit in width on one line. When the text does not
 * fit whole, *cut is set and the count leaves room for "…" (U+2026), which
 * the caller draws after them.
 */
size_t tsam_layout_fit(const char *s, size_t n, double width, tsam_measure_fn m,
		       void *ctx, bool *cut);

#endif
