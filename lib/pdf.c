/*
 * pdf.c - libharu 2.3.0 behind one small interface. Fonts are loaded with
 * HPDF_UseUTFEncodings + HPDF_LoadTTFontFromFile(embed) + "UTF-8" encoder;
 * text is split into runs per face and only BMP code points are drawn
 * (others become a space: libharu cannot draw them).
 *
 * Every text that reaches libharu (drawn, measured, bookmarks, document
 * information) passes through drawable() here, and nowhere else: control
 * characters, undecodable bytes and U+FFFD - which the faces draw as
 * empty boxes, or not at all - become the visible substitute U+2047 (⁇),
 * tabs and line ends a space. Measuring and drawing agree, so layout
 * stays right.
 *
 * Every code point drawn is recorded per face; tsam_pdf_save hands
 * libharu's bytes and those records to lib/pdffont.c, which subsets each
 * face to them and writes a valid ToUnicode CMap (libharu embeds whole
 * cmap, post, hmtx and loca tables and a CMap poppler rejects:
 * docs/library-notes.md, libharu 4 and 6). Font data is therefore left
 * uncompressed by libharu (HPDF_COMP_METADATA off): it is compressed
 * once, subset.
 *
 * Size: the one module that speaks to libharu - faces, runs per face, the
 * text filter, outlines, attachments, metadata and saving - so that no
 * other file includes hpdf.h; the font work itself is in pdffont.c.
 */
#include "pdf.h"

#include "buf.h"
#include "date.h"
#include "fsio.h"
#include "layout.h"
#include "pdffont.h"
#include "str.h"

#include <hpdf.h>
#include <hpdf_catalog.h>
#include <hpdf_namedict.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_OUTLINE_LEVELS 4
#define WIDTH_CACHE	   0x10000 /* BMP */
#define SUBSTITUTE	   0x2047  /* ⁇: in IPAex Gothic and DejaVu Sans */
#define TSAM_PDF_FONT_MAX  (64u << 20) /* a face's file, read to subset it */

/* What is drawn for code point cp (see the file's comment). */
static uint32_t drawable(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
		return ' ';
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffd ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return SUBSTITUTE;
	if (cp > 0xffff)
		return ' '; /* libharu draws the BMP only */
	return cp;
}

/* Writes BMP code point cp as UTF-8 to out (3 bytes of room); returns
 * the bytes written. */
static size_t utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | cp >> 12);
	out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* s as drawable() shows it, for libharu's own strings (bookmarks,
 * document information); the caller frees it. NULL: out of memory. */
static char *drawable_copy(const char *s)
{
	size_t n = strlen(s), i = 0, o = 0;
	char *out = malloc(3 * n + 1); /* a byte can become 3 */

	if (out == NULL)
		return NULL;
	while (i < n)
		o += utf8_put(out + o, drawable(tsam_utf8_next(s, n, &i)));
	out[o] = '\0';
	return out;
}

struct tsam_pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font cjk, latin;
	double w, h;
	int pages;
	HPDF_STATUS err;
	HPDF_STATUS detail;
	HPDF_Outline outline[MAX_OUTLINE_LEVELS];
	HPDF_Page *all; /* every page, for headers drawn at the end */
	size_t cap;
	int16_t *wcjk, *wlatin; /* glyph widths (1/1000 em), -1 unknown */
	uint8_t *dcjk, *dlatin; /* code points drawn per face (pdffont.h) */
	char ncjk[128], nlatin[128]; /* the faces' names */
	const char *pcjk, *platin;   /* their files (the caller's opts) */
	char last_attached[128];     /* names go in ascending order */
};

/*
 * libharu's error code e as ours and in words: running out of memory and
 * file errors are what they are; a font libharu cannot read or embed
 * says so (the font files are the system's: fonts-ipaexfont,
 * fonts-dejavu-core); the rest is TSAM_ERR_PDF with libharu's number.
 */
static int pdf_error(HPDF_STATUS e, const char **what)
{
	switch (e) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		*what = "out of memory";
		return TSAM_ERR_NOMEM;
	case HPDF_FILE_IO_ERROR:
	case HPDF_FILE_OPEN_ERROR:
		*what = "a font file could not be read";
		return TSAM_ERR_IO;
	case HPDF_INVALID_FONTDEF_DATA:
	case HPDF_INVALID_FONT_NAME:
	case HPDF_INVALID_TTC_FILE:
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
	case HPDF_TTF_INVALID_CMAP:
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE:
	case HPDF_UNSUPPORTED_FONT_TYPE:
	case HPDF_INVALID_FONT:
		*what = "a font libharu cannot use (is the font package "
			"installed and intact?)";
		return TSAM_ERR_PDF;
	default:
		*what = "libharu refused the document";
		return TSAM_ERR_PDF;
	}
}

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *data)
{
	struct tsam_pdf *p = data;

	if (p->err == 0) {
		p->err = e;
		p->detail = detail;
	}
}

void tsam_pdf_free(struct tsam_pdf *p)
{
	if (p == NULL)
		return;
	if (p->doc)
		HPDF_Free(p->doc);
	free(p->wcjk);
	free(p->wlatin);
	free(p->dcjk);
	free(p->dlatin);
	free(p->all);
	free(p);
}

int tsam_pdf_page_count(const struct tsam_pdf *p)
{
	return p->pages;
}

double tsam_pdf_width(const struct tsam_pdf *p)
{
	return p->w;
}

double tsam_pdf_height(const struct tsam_pdf *p)
{
	return p->h;
}

/* What libharu's HPDF_TTFontDef_GetGlyphid answers for code point u with
 * cmap c (format 4) of segs segments: the first segment ending at or
 * after u, then its delta or its glyph array. */
static HPDF_UINT16 glyph_of(const HPDF_TTF_CmapRange *c, unsigned segs,
			    unsigned i, long u)
{
	long idx;

	if (u < c->start_count[i])
		return 0;
	if (c->id_range_offset[i] == 0)
		return (HPDF_UINT16)(u + c->id_delta[i]);
	idx = c->id_range_offset[i] / 2 + (u - c->start_count[i]) -
	      (long)(segs - i);
	if (c->glyph_id_array == NULL || idx < 0 ||
	    idx >= (long)c->glyph_id_array_count)
		return 0;
	return (HPDF_UINT16)(c->glyph_id_array[idx] + c->id_delta[i]);
}

/*
 * libharu 2.3.0 finds a code point's glyph by walking the font's cmap
 * segments one by one, and HPDF_GetFont does so for each of the 65,536
 * code points to build its CIDToGIDMap: with IPAex Gothic's thousands of
 * segments, 80 % of a report's CPU time. The parsed cmap of face name
 * (hpdf_fontdef.h's struct, public in 2.3.0) is replaced by one that
 * gives every code point the same glyph in one step: two segments, the
 * first's glyph array indexed by the code point (docs/library-notes.md,
 * libharu 8). When memory runs short the font keeps its own cmap.
 */
static void flatten_cmap(struct tsam_pdf *p, const char *name)
{
	HPDF_FontDef def = HPDF_GetFontDef(p->doc, name);
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_TTF_CmapRange *c;
	HPDF_UINT16 *gids, *end, *start, *ro;
	HPDF_INT16 *delta;
	unsigned segs, i;
	long u, done = -1;

	if (def == NULL || def->type != HPDF_FONTDEF_TYPE_TRUETYPE ||
	    def->attr == NULL)
		return;
	c = &((HPDF_TTFontDefAttr)def->attr)->cmap;
	segs = c->seg_count_x2 / 2u;
	if (c->format != 4 || segs == 0 || c->end_count == NULL ||
	    c->start_count == NULL || c->id_delta == NULL ||
	    c->id_range_offset == NULL)
		return;
	gids = HPDF_GetMem(mm, 65536 * sizeof(*gids));
	end = HPDF_GetMem(mm, 2 * sizeof(*end));
	start = HPDF_GetMem(mm, 2 * sizeof(*start));
	ro = HPDF_GetMem(mm, 2 * sizeof(*ro));
	delta = HPDF_GetMem(mm, 2 * sizeof(*delta));
	if (gids == NULL || end == NULL || start == NULL || ro == NULL ||
	    delta == NULL) {
		HPDF_ResetError(p->doc);
		p->err = 0;
		HPDF_FreeMem(mm, gids);
		HPDF_FreeMem(mm, end);
		HPDF_FreeMem(mm, start);
		HPDF_FreeMem(mm, ro);
		HPDF_FreeMem(mm, delta);
		return;
	}
	memset(gids, 0, 65536 * sizeof(*gids));
	/* the walk stops at the first segment ending at or after u: each
	 * segment answers for the code points past those before it */
	for (i = 0; i < segs && done < 0xffff; i++) {
		for (u = done + 1; u <= c->end_count[i]; u++)
			gids[u] = glyph_of(c, segs, i, u);
		if (c->end_count[i] > done)
			done = c->end_count[i];
	}
	end[0] = 0xfffe;
	start[0] = 0;
	ro[0] = 4; /* glyph array index: 4 / 2 + (u - 0) - (2 - 0) = u */
	delta[0] = 0;
	end[1] = start[1] = 0xffff;
	ro[1] = 0;
	delta[1] = (HPDF_INT16)(HPDF_UINT16)(gids[0xffff] - 0xffff);
	HPDF_FreeMem(mm, c->end_count);
	HPDF_FreeMem(mm, c->start_count);
	HPDF_FreeMem(mm, c->id_delta);
	HPDF_FreeMem(mm, c->id_range_offset);
	if (c->glyph_id_array != NULL)
		HPDF_FreeMem(mm, c->glyph_id_array);
	c->end_count = end;
	c->start_count = start;
	c->id_delta = delta;
	c->id_range_offset = ro;
	c->glyph_id_array = gids;
	c->glyph_id_array_count = 65535;
	c->seg_count_x2 = 4;
}

static HPDF_Font load_font(struct tsam_pdf *p, const char *path)
{
	const char *name = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);

	if (name == NULL)
		return NULL;
	flatten_cmap(p, name);
	return HPDF_GetFont(p->doc, name, "UTF-8");
}

/*
 * Tells libharu not to write font f's file: it would copy every table
 * (its cmap, post, hmtx, loca whole) byte by byte into the document,
 * more CPU than the rest of a report, for lib/pdffont.c to throw away;
 * the subset is made from the font's file instead. The CIDToGIDMap was
 * made while loading, when embedding was on. Only before saving: with
 * embedding off, measuring no longer marks glyphs used.
 */
static void no_font_file(struct tsam_pdf *p, HPDF_Font f)
{
	HPDF_FontAttr fa = f ? (HPDF_FontAttr)f->attr : NULL;
	HPDF_FontDef def = fa ? fa->fontdef : NULL;

	if (def != NULL && def->type == HPDF_FONTDEF_TYPE_TRUETYPE &&
	    def->attr != NULL)
		((HPDF_TTFontDefAttr)def->attr)->embedding = HPDF_FALSE;
	(void)p;
}

static void set_date(struct tsam_pdf *p, HPDF_InfoType type, int64_t t)
{
	HPDF_Date d;
	int y, m, dd;

	memset(&d, 0, sizeof(d));
	tsam_civil_from_days(t / 86400, &y, &m, &dd);
	d.year = y;
	d.month = m;
	d.day = dd;
	d.hour = (int)(t % 86400 / 3600);
	d.minutes = (int)(t % 3600 / 60);
	d.seconds = (int)(t % 60);
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(p->doc, type, d);
}

/* A document information string (NULL: none), as drawable() shows it,
 * with no space at either end and no two in a row (a part of a title
 * left empty leaves none behind). */
static void set_info(struct tsam_pdf *p, HPDF_InfoType type, const char *s)
{
	char *clean;
	size_t i, o = 0;

	if (s == NULL)
		return;
	clean = drawable_copy(s);
	if (clean == NULL) {
		p->err = HPDF_FAILD_TO_ALLOC_MEM;
		return;
	}
	for (i = 0; clean[i] != '\0'; i++)
		if (clean[i] != ' ' || (o > 0 && clean[o - 1] != ' '))
			clean[o++] = clean[i];
	while (o > 0 && clean[o - 1] == ' ')
		o--;
	clean[o] = '\0';
	HPDF_SetInfoAttr(p->doc, type, clean);
	free(clean);
}

/* A BCP 47 language tag as far as a PDF needs: 1-35 letters, digits and
 * '-', starting with a letter. */
static bool lang_tag(const char *s)
{
	size_t i;

	if (s[0] < 'a' || s[0] > 'z')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= 35 || !((s[i] >= 'a' && s[i] <= 'z') ||
				 (s[i] >= 'A' && s[i] <= 'Z') ||
				 (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* The catalog's /Lang (PDF 1.4): libharu 2.3.0 has no call for it, so
 * its catalog dictionary gets the entry directly (hpdf_doc.h). */
static void set_lang(struct tsam_pdf *p, const char *lang)
{
	HPDF_String s = HPDF_String_New(p->doc->mmgr, lang, NULL);

	if (s == NULL || HPDF_Dict_Add(p->doc->catalog, "Lang", s) != HPDF_OK) {
		if (p->err == 0)
			p->err = HPDF_FAILD_TO_ALLOC_MEM;
		return;
	}
	if (p->doc->pdf_version < HPDF_VER_14)
		p->doc->pdf_version = HPDF_VER_14;
}

/* The name of a loaded face into out (pdffont.h matches it). */
static void face_name(HPDF_Font f, char *out, size_t n)
{
	const char *name = f ? HPDF_Font_GetFontName(f) : NULL;

	snprintf(out, n, "%s", name ? name : "");
}

enum tsam_err tsam_pdf_new(const struct tsam_pdf_opts *o, struct tsam_pdf **out,
			   struct tsam_errbuf *eb)
{
	struct tsam_pdf *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (p == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	if (o->lang != NULL && !lang_tag(o->lang)) {
		free(p);
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "\"%s\" is not a language tag", o->lang);
	}
	p->wcjk = malloc(WIDTH_CACHE * sizeof(int16_t));
	p->wlatin = malloc(WIDTH_CACHE * sizeof(int16_t));
	p->dcjk = calloc(1, TSAM_PDFFONT_BITMAP);
	p->dlatin = calloc(1, TSAM_PDFFONT_BITMAP);
	p->doc = HPDF_New(on_error, p);
	if (p->doc == NULL || p->wcjk == NULL || p->wlatin == NULL ||
	    p->dcjk == NULL || p->dlatin == NULL) {
		tsam_pdf_free(p);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	memset(p->wcjk, 0xff, WIDTH_CACHE * sizeof(int16_t));
	memset(p->wlatin, 0xff, WIDTH_CACHE * sizeof(int16_t));
	/* before any object, so that the pages are compressed; font data
	 * is compressed once subset (tsam_pdf_save) */
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	p->w = o->width;
	p->h = o->height;
	p->pcjk = o->cjk_font;
	p->platin = o->latin_font ? o->latin_font : o->cjk_font;
	p->cjk = load_font(p, o->cjk_font);
	p->latin = o->latin_font ? load_font(p, o->latin_font) : p->cjk;
	if (p->err != 0 || p->cjk == NULL || p->latin == NULL) {
		const char *what = "libharu refused the document";
		int code = p->err ? pdf_error(p->err, &what) : TSAM_ERR_PDF;
		int rc = tsam_errbuf_set(
		    eb, code,
		    "cannot load the fonts %s%s%s: %s (libharu error 0x%04X)",
		    o->cjk_font, o->latin_font ? ", " : "",
		    o->latin_font ? o->latin_font : "", what, (unsigned)p->err);

		tsam_pdf_free(p);
		return rc;
	}
	face_name(p->cjk, p->ncjk, sizeof(p->ncjk));
	face_name(p->latin, p->nlatin, sizeof(p->nlatin));
	if (o->lang != NULL)
		set_lang(p, o->lang);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "tsamkit");
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER, "tsamkit (libharu)");
	set_info(p, HPDF_INFO_TITLE, o->title);
	set_info(p, HPDF_INFO_AUTHOR, o->author);
	set_info(p, HPDF_INFO_SUBJECT, o->subject);
	set_info(p, HPDF_INFO_KEYWORDS, o->keywords);
	set_date(p, HPDF_INFO_CREATION_DATE, o->created);
	set_date(p, HPDF_INFO_MOD_DATE, o->created);
	HPDF_SetPageMode(p->doc, HPDF_PAGE_MODE_USE_OUTLINE);
	*out = p;
	return TSAM_OK;
}

void tsam_pdf_page(struct tsam_pdf *p)
{
	if (p->err)
		return;
	if (tsam_grow(&p->all, &p->cap, (size_t)p->pages + 1,
		      sizeof(*p->all)) != TSAM_OK) {
		p->err = HPDF_FAILD_TO_ALLOC_MEM;
		return;
	}
	p->page = HPDF_AddPage(p->doc);
	HPDF_Page_SetWidth(p->page, (HPDF_REAL)p->w);
	HPDF_Page_SetHeight(p->page, (HPDF_REAL)p->h);
	p->all[p->pages++] = p->page;
}

void tsam_pdf_goto_page(struct tsam_pdf *p, int index)
{
	if (index >= 0 && index < p->pages)
		p->page = p->all[index];
}

static bool is_cjk(uint32_t cp)
{
	return (cp >= 0x2e80 && cp <= 0x9fff) ||
	       (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xffef);
}

double tsam_pdf_cp_width(struct tsam_pdf *p, uint32_t cp, double size)
{
	bool cjk;
	int16_t *cache;

	cp = drawable(cp);
	cjk = is_cjk(cp) || p->cjk == p->latin;
	cache = cjk ? p->wcjk : p->wlatin;
	if (cache[cp] < 0) {
		HPDF_STATUS before = p->err;
		HPDF_INT w = HPDF_Font_GetUnicodeWidth(cjk ? p->cjk : p->latin,
						       (HPDF_UNICODE)cp);

		cache[cp] = (int16_t)(w > 0 && w < 30000 ? w : 0);
		if (before == 0 && p->err != 0) { /* a glyph it lacks: 0 */
			HPDF_ResetError(p->doc);
			p->err = 0;
		}
	}
	return cache[cp] * size / 1000.0;
}

double tsam_pdf_text_width(struct tsam_pdf *p, const char *s, size_t n,
			   double size)
{
	double w = 0;
	size_t i = 0;

	while (i < n)
		w += tsam_pdf_cp_width(p, tsam_utf8_next(s, n, &i), size);
	return w;
}

void tsam_pdf_text(struct tsam_pdf *p, double x, double y, double size,
		   struct tsam_rgb c, const char *s, size_t n)
{
	char run[1024];
	size_t i = 0;

	if (p->err || p->page == NULL)
		return;
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
	while (i < n) {
		size_t start = i, k = 0;
		uint32_t cp = drawable(tsam_utf8_next(s, n, &i));
		bool cjk = is_cjk(cp);
		uint8_t *used = cjk || p->cjk == p->latin ? p->dcjk : p->dlatin;
		double w = 0;

		i = start;
		/* one run: same face, drawable BMP code points (written
		 * afresh: valid UTF-8 whatever s held), fits run[] */
		while (i < n) {
			size_t at = i;

			cp = drawable(tsam_utf8_next(s, n, &i));
			if (is_cjk(cp) != cjk || k + 4 >= sizeof(run)) {
				i = at;
				break;
			}
			k += utf8_put(run + k, cp);
			used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
			w += tsam_pdf_cp_width(p, cp, size);
		}
		run[k] = '\0';
		HPDF_Page_BeginText(p->page);
		HPDF_Page_SetFontAndSize(p->page, cjk ? p->cjk : p->latin,
					 (HPDF_REAL)size);
		HPDF_Page_TextOut(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->h - y),
				  run);
		HPDF_Page_EndText(p->page);
		x += w;
	}
}

void tsam_pdf_fill_rect(struct tsam_pdf *p, double x, double y, double w,
			double h, struct tsam_rgb c)
{
	if (p->err || p->page == NULL)
		return;
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
	HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->h - y - h),
			    (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Fill(p->page);
}

void tsam_pdf_stroke_rect(struct tsam_pdf *p, double x, double y, double w,
			  double h, double line, struct tsam_rgb c)
{
	if (p->err || p->page == NULL)
		return;
	HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)line);
	HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
	HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->h - y - h),
			    (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Stroke(p->page);
}

void tsam_pdf_fill_circle(struct tsam_pdf *p, double x, double y, double radius,
			  struct tsam_rgb c)
{
	if (p->err || p->page == NULL)
		return;
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
	HPDF_Page_Circle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->h - y),
			 (HPDF_REAL)radius);
	HPDF_Page_Fill(p->page);
}

void tsam_pdf_line(struct tsam_pdf *p, double x1, double y1, double x2,
		   double y2, double width, double dash, struct tsam_rgb c)
{
	HPDF_UINT16 pat[1];

	if (p->err || p->page == NULL)
		return;
	pat[0] = (HPDF_UINT16)(dash > 0 ? dash : 1);
	HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
	HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
	HPDF_Page_SetDash(p->page, dash > 0 ? pat : NULL, dash > 0 ? 1 : 0, 0);
	HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)(p->h - y1));
	HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)(p->h - y2));
	HPDF_Page_Stroke(p->page);
	HPDF_Page_SetDash(p->page, NULL, 0, 0);
}

void tsam_pdf_bookmark(struct tsam_pdf *p, int level, const char *title)
{
	HPDF_Outline parent, o;
	HPDF_Destination d;
	HPDF_Encoder enc;
	char *clean;

	if (p->err || p->page == NULL || level < 0 ||
	    level >= MAX_OUTLINE_LEVELS)
		return;
	parent = level > 0 ? p->outline[level - 1] : NULL;
	enc = HPDF_GetEncoder(p->doc, "UTF-8");
	clean = drawable_copy(title ? title : "");
	if (clean == NULL) {
		p->err = HPDF_FAILD_TO_ALLOC_MEM;
		return;
	}
	o = HPDF_CreateOutline(p->doc, parent, clean, enc);
	free(clean);
	d = HPDF_Page_CreateDestination(p->page);
	HPDF_Outline_SetDestination(o, d);
	HPDF_Outline_SetOpened(o, HPDF_TRUE);
	p->outline[level] = o;
}

enum tsam_err tsam_pdf_save(struct tsam_pdf *p, const char *path,
			    struct tsam_errbuf *eb)
{
	struct tsam_pdffont_face faces[2];
	struct tsam_buf out, fcjk, flatin;
	HPDF_UINT32 size;
	char *buf;
	int rc;

	/* the faces' files, for the subsets (no_font_file) */
	tsam_buf_init(&fcjk, TSAM_PDF_FONT_MAX);
	tsam_buf_init(&flatin, TSAM_PDF_FONT_MAX);
	rc = tsam_fsio_read(p->pcjk, &fcjk, eb);
	if (rc == TSAM_OK && p->latin != p->cjk)
		rc = tsam_fsio_read(p->platin, &flatin, eb);
	if (rc != TSAM_OK) {
		tsam_buf_free(&fcjk);
		tsam_buf_free(&flatin);
		return rc;
	}
	no_font_file(p, p->cjk);
	no_font_file(p, p->latin);
	if (p->err == 0)
		HPDF_SaveToStream(p->doc);
	size = p->err == 0 ? HPDF_GetStreamSize(p->doc) : 0;
	buf = p->err == 0 ? malloc(size ? size : 1) : NULL;
	if (p->err != 0) {
		const char *what;
		int code = pdf_error(p->err, &what);

		rc = tsam_errbuf_set(
		    eb, code, "%s: %s (libharu error 0x%04X, detail %u)", path,
		    what, (unsigned)p->err, (unsigned)p->detail);
	} else if (buf == NULL)
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	if (rc == TSAM_OK) {
		HPDF_ResetStream(p->doc);
		if (HPDF_ReadFromStream(p->doc, (HPDF_BYTE *)buf, &size) !=
			HPDF_OK &&
		    p->err != HPDF_STREAM_EOF && p->err != 0)
			rc = tsam_errbuf_set(eb, TSAM_ERR_PDF,
					     "%s: cannot read the PDF stream",
					     path);
		p->err = 0;
	}
	if (rc != TSAM_OK) {
		free(buf);
		tsam_buf_free(&fcjk);
		tsam_buf_free(&flatin);
		return rc;
	}
	faces[0].name = p->ncjk;
	faces[0].drawn = p->dcjk;
	faces[0].file = (const uint8_t *)fcjk.data;
	faces[0].file_len = fcjk.len;
	faces[1].name = p->nlatin;
	faces[1].drawn = p->dlatin;
	faces[1].file = (const uint8_t *)flatin.data;
	faces[1].file_len = flatin.len;
	/* the subset is smaller than what libharu wrote, but for a
	 * document with almost nothing drawn: room for that */
	tsam_buf_init(&out, (size_t)size + (1u << 20));
	rc = tsam_pdffont_subset(buf, size, faces, p->cjk == p->latin ? 1 : 2,
				 &out, eb);
	free(buf);
	tsam_buf_free(&fcjk);
	tsam_buf_free(&flatin);
	if (rc != TSAM_OK && eb != NULL) /* a bug or libharu changed */
		rc = tsam_errbuf_set(eb, rc, "%s: %s", path, eb->msg);
	if (rc == TSAM_OK)
		rc = tsam_fsio_write_atomic(path, out.data, out.len, 0600, eb);
	tsam_buf_free(&out);
	return rc;
}

/* s (UTF-8, sanitised as text is) as a PDF text string: UTF-16BE with its
 * byte-order mark, in a hex string. NULL: out of memory (libharu's error
 * handler records it). */
static HPDF_Binary text_string(HPDF_MMgr mmgr, const char *s)
{
	char *d = drawable_copy(s);
	size_t n, i = 0, o = 2;
	HPDF_BYTE *u;
	HPDF_Binary b = NULL;

	if (d == NULL)
		return NULL;
	n = strlen(d);
	u = malloc(2 * n + 2);
	if (u != NULL) {
		u[0] = 0xfe;
		u[1] = 0xff;
		while (i < n) {
			uint32_t cp = tsam_utf8_next(d, n, &i);

			u[o++] = (HPDF_BYTE)(cp >> 8);
			u[o++] = (HPDF_BYTE)(cp & 0xff);
		}
		b = HPDF_Binary_New(mmgr, u, (HPDF_UINT)o);
	}
	free(u);
	free(d);
	return b;
}

/*
 * An embedded file built from libharu's objects rather than with
 * HPDF_AttachFile: 2.3.0's reads a file by path at save time and writes
 * that path, whole, as the attachment's name (docs/library-notes.md,
 * libharu 8).
 */
enum tsam_err tsam_pdf_attach(struct tsam_pdf *p, const char *name,
			      const char *desc, const char *mime,
			      const void *data, size_t n,
			      struct tsam_errbuf *eb)
{
	HPDF_Doc d = p->doc;
	HPDF_NameDict names;
	HPDF_NameTree tree;
	HPDF_Dict spec, ef, params;
	HPDF_Dict file;
	HPDF_Array items;
	size_t len = strlen(name);

	if (len == 0 || len >= sizeof(p->last_attached) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != len ||
	    strcmp(name, p->last_attached) <= 0 || n > 0xffffffffu)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "attachment \"%s\": a name of letters, "
				       "digits, - _ and ., after \"%s\"",
				       name, p->last_attached);
	snprintf(p->last_attached, sizeof(p->last_attached), "%s", name);
	names = HPDF_Catalog_GetNames(d->catalog);
	if (names == NULL) {
		names = HPDF_NameDict_New(d->mmgr, d->xref);
		if (names != NULL)
			HPDF_Catalog_SetNames(d->catalog, names);
	}
	tree = names
		   ? HPDF_NameDict_GetNameTree(names, HPDF_NAME_EMBEDDED_FILES)
		   : NULL;
	if (names != NULL && tree == NULL) {
		tree = HPDF_NameTree_New(d->mmgr, d->xref);
		if (tree != NULL)
			HPDF_NameDict_SetNameTree(
			    names, HPDF_NAME_EMBEDDED_FILES, tree);
	}
	file = HPDF_DictStream_New(d->mmgr, d->xref);
	spec = HPDF_Dict_New(d->mmgr);
	ef = HPDF_Dict_New(d->mmgr);
	params = HPDF_Dict_New(d->mmgr);
	if (tree == NULL || file == NULL || spec == NULL || ef == NULL ||
	    params == NULL || HPDF_Xref_Add(d->xref, spec) != HPDF_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
				       "attachment \"%s\": out of memory",
				       name);
	file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)data, (HPDF_UINT)n);
	HPDF_Dict_AddName(file, "Type", "EmbeddedFile");
	if (mime != NULL)
		HPDF_Dict_AddName(file, "Subtype", mime);
	HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)n);
	HPDF_Dict_Add(file, "Params", params);
	HPDF_Dict_Add(ef, "F", file);
	HPDF_Dict_AddName(spec, "Type", "Filespec");
	HPDF_Dict_Add(spec, "F", HPDF_String_New(d->mmgr, name, NULL));
	HPDF_Dict_Add(spec, "UF", text_string(d->mmgr, name));
	if (desc != NULL)
		HPDF_Dict_Add(spec, "Desc", text_string(d->mmgr, desc));
	HPDF_Dict_Add(spec, "EF", ef);
	/* appended: names come in ascending byte order (checked above);
	 * 2.3.0's HPDF_NameTree_Add orders by length first and loses
	 * values when it inserts (library-notes libharu 8) */
	items = HPDF_Dict_GetItem(tree, "Names", HPDF_OCLASS_ARRAY);
	if (items != NULL) {
		HPDF_Array_Add(items, HPDF_String_New(d->mmgr, name, NULL));
		HPDF_Array_Add(items, spec);
	}
	if (p->err != 0) {
		const char *what;
		int code = pdf_error(p->err, &what);

		return tsam_errbuf_set(eb, code,
				       "attachment \"%s\": %s (libharu error "
				       "0x%04X)",
				       name, what, (unsigned)p->err);
	}
	return TSAM_OK;
}
