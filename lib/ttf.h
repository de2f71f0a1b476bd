/*
 * ttf.h - TrueType subsetting for the faces the PDF module embeds: a new
 * font holding only the glyphs a document draws (and the components of
 * the composite ones among them), renumbered from 1, with a minimal
 * `cmap` and a `post` table without glyph names (format 3).
 *
 * libharu 2.3.0 empties the outlines of unused glyphs but keeps every
 * other table whole: for IPAex Gothic 246 KB of `cmap`, 114 KB of `post`
 * and 49 KB each of `hmtx` and `loca`, compressed to ~220 KB, for a
 * document that draws a hundred glyphs (docs/library-notes.md, libharu 4).
 *
 * The font is read through bounds checks only (every offset, length and
 * count is checked against the bytes given), so any bytes are safe input:
 * what cannot be read is TSAM_ERR_PARSE, never a read out of bounds.
 */
#ifndef TSAM_TTF_H
#define TSAM_TTF_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* One character a document draws: its code point and the glyph the
 * original font draws it with (0: none). */
struct tsam_ttf_char {
	uint16_t cp;
	uint16_t gid;
};

/*
 * Appends to out the subset of the TrueType font font[0..n) for the
 * nchars characters chars (sorted by code point, no code point twice:
 * TSAM_ERR_INVAL otherwise). Glyph 0 stays glyph 0; the characters'
 * glyphs follow in the order of chars, then the components of composite
 * glyphs. newgid[i] receives chars[i]'s glyph in the subset (0 when it
 * has none, or names a glyph the font does not hold).
 *
 * Kept: OS/2, cvt, fpgm, prep, gasp, name as they are; head, hhea and
 * maxp with the new glyph count (and long `loca` offsets); glyf, loca and
 * hmtx for the kept glyphs only; a `cmap` (3,1) format 4 mapping the
 * characters to their new glyphs (as many as its 64 KB allow: a PDF
 * CIDFontType2 draws through its CIDToGIDMap, not the cmap); `post`
 * format 3. Other tables are dropped. Checksums are recomputed.
 * TSAM_ERR_PARSE for a font that cannot be read, TSAM_ERR_TOOBIG past
 * out's cap, TSAM_ERR_NOMEM.
 */
TSAM_MUST_CHECK enum tsam_err tsam_ttf_subset(const uint8_t *font, size_t n,
					      const struct tsam_ttf_char *chars,
					      size_t nchars, uint16_t *newgid,
					      struct tsam_buf *out,
					      struct tsam_errbuf *eb);

#endif
