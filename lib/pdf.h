/*
 * pdf.h - the only libharu user: a document with embedded, subset TrueType
 * faces (at most two: one for CJK text, one for Latin; the same one for a
 * Japanese document), UTF-8 text measured and drawn per face run, vector
 * drawing, outline bookmarks, document information, the document's
 * language, and deterministic bytes under SOURCE_DATE_EPOCH. On saving,
 * each face is subset to the characters drawn and given a ToUnicode CMap
 * that every viewer reads (lib/pdffont.c). Coordinates are in points from the
 * page's top-left corner (libharu's bottom-left origin is hidden here).
 *
 * libharu's errors stick (docs/library-notes.md, libharu 5): the handler
 * records the first one; every call after it is a no-op and tsam_pdf_save
 * reports it.
 *
 * Text is sanitised here, in one place, for every caller: what libharu
 * cannot show is never handed to it. A control character (U+0000-U+001F
 * but tab and line ends, U+007F-U+009F), an undecodable byte, a surrogate
 * or U+FFFD is drawn, measured and written into bookmarks and document
 * information as U+2047 "⁇"; tab, CR, LF, VT and FF as a space; a code
 * point above U+FFFF as a space (libharu draws the BMP only).
 */
#ifndef TSAM_PDF_H
#define TSAM_PDF_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tsam_pdf;

struct tsam_rgb {
	float r, g, b;
};

struct tsam_pdf_opts {
	const char *cjk_font;	/* TrueType path: Japanese text */
	const char *latin_font; /* TrueType path, or NULL: cjk_font for all */
	double width, height;	/* page size in points (A4: 595.28 x 841.89) */
	const char *title, *author, *subject, *keywords;
	const char *lang; /* the catalog's /Lang, a BCP 47 tag ("ja-JP",
			     "en-GB"; letters, digits, '-'), or NULL */
	int64_t created;  /* document date, seconds since the epoch */
};

/* A new document; *out is the caller's (tsam_pdf_free). Document
 * information strings are sanitised as text is, with runs of spaces made
 * one and none at either end; a lang that is not a tag is TSAM_ERR_INVAL. */
TSAM_MUST_CHECK enum tsam_err tsam_pdf_new(const struct tsam_pdf_opts *o,
					   struct tsam_pdf **out,
					   struct tsam_errbuf *eb);

/* Frees p (NULL is fine). */
void tsam_pdf_free(struct tsam_pdf *p);

/* Starts a new page; later drawing goes there. */
void tsam_pdf_page(struct tsam_pdf *p);

/* Makes page index (0-based) current again, e.g. to draw "page x / y". */
void tsam_pdf_goto_page(struct tsam_pdf *p, int index);

/* Pages so far. */
int tsam_pdf_page_count(const struct tsam_pdf *p);

/* Page size. */
double tsam_pdf_width(const struct tsam_pdf *p);
double tsam_pdf_height(const struct tsam_pdf *p);

/* Width in points of n bytes of UTF-8 at size, as tsam_pdf_text draws
 * them (substitutes included). */
double tsam_pdf_text_width(struct tsam_pdf *p, const char *s, size_t n,
			   double size);

/* Width of one code point at size, as drawn (its substitute's). */
double tsam_pdf_cp_width(struct tsam_pdf *p, uint32_t cp, double size);

/* Draws n bytes of UTF-8 with its baseline at (x, y from the top);
 * what cannot be shown is drawn as its substitute (above). */
void tsam_pdf_text(struct tsam_pdf *p, double x, double y, double size,
		   struct tsam_rgb color, const char *s, size_t n);

/* A filled rectangle (top-left x, y), and a stroked one. */
void tsam_pdf_fill_rect(struct tsam_pdf *p, double x, double y, double w,
			double h, struct tsam_rgb color);
void tsam_pdf_stroke_rect(struct tsam_pdf *p, double x, double y, double w,
			  double h, double line, struct tsam_rgb color);

/* A filled circle centred at (x, y). */
void tsam_pdf_fill_circle(struct tsam_pdf *p, double x, double y, double radius,
			  struct tsam_rgb color);

/* A line from (x1, y1) to (x2, y2); dash > 0 draws it dashed. */
void tsam_pdf_line(struct tsam_pdf *p, double x1, double y1, double x2,
		   double y2, double width, double dash, struct tsam_rgb color);

/* A bookmark to the current page at level (0 top) titled in UTF-8
 * (sanitised as text is). */
void tsam_pdf_bookmark(struct tsam_pdf *p, int level, const char *title);

/*
 * Attaches n bytes of data to the document as the file name (letters,
 * digits, "-", "_" and "."; each name after the one attached before it, in
 * byte order, as a PDF name tree keeps them), with a description in UTF-8
 * (sanitised as text is; NULL: none) and a MIME type such as "text/csv"
 * (NULL: none). The data is copied (and compressed when saved). Returns
 * TSAM_OK, TSAM_ERR_INVAL for a name that is not allowed or out of order,
 * or a libharu error.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_pdf_attach(struct tsam_pdf *p, const char *name, const char *desc,
		const char *mime, const void *data, size_t n,
		struct tsam_errbuf *eb);

/* Writes the document to path atomically, mode 0600, its faces subset to
 * the characters drawn (lib/pdffont.c). */
TSAM_MUST_CHECK enum tsam_err
tsam_pdf_save(struct tsam_pdf *p, const char *path, struct tsam_errbuf *eb);

#endif
