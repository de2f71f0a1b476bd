/*
 * pdffont.h - the fonts of a PDF libharu 2.3.0 wrote, made right after it
 * is written: each Type0 face (CIDFontType2, Identity-H, CID = the BMP
 * code point, a CIDToGIDMap) is reduced to the characters the document
 * drew: its TrueType file subset by lib/ttf.c (glyphs renumbered, minimal
 * cmap, post format 3), a CIDToGIDMap and a /W array for those
 * characters only, and a ToUnicode CMap that maps them to UTF-16BE with
 * bfrange/bfchar (libharu's own is a CID CMap that poppler rejects,
 * "Invalid 'begincidrange' operator": docs/library-notes.md, libharu 6).
 *
 * When libharu was told not to embed the font data (lib/pdf.c: copying
 * it costs more than the rest of a report), the face's file is given and
 * the subset is added as a new FontFile2 object. Every other object is
 * copied byte for byte; the cross-reference table is written anew and the
 * trailer's /Size follows. The input is read through bounds checks only (it is
 * our own libharu's output, but a surprise is an error, never a read out
 * of bounds): the classic xref table libharu writes, one subsection from
 * object 0, streams unfiltered or FlateDecode.
 */
#ifndef TSAM_PDFFONT_H
#define TSAM_PDFFONT_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* Bytes of a drawn-characters bitmap: one bit per BMP code point. */
#define TSAM_PDFFONT_BITMAP 8192

/* A face of the document and the characters drawn with it. */
struct tsam_pdffont_face {
	const char *name;     /* its /BaseFont without the subset tag
				 ("IPAexGothic"): HPDF_Font_GetFontName's */
	const uint8_t *drawn; /* TSAM_PDFFONT_BITMAP bytes: bit c of byte
				 c / 8 (c % 8, least significant first)
				 set when code point c was drawn */
	const uint8_t *file;  /* the face's TrueType file, for a font
				 descriptor without /FontFile2 (then added
				 as a new object), or NULL */
	size_t file_len;
};

/*
 * Appends to out the PDF pdf[0..n) with its fonts subset (above). Every
 * Type0 font of the PDF must be one of the nfaces faces (TSAM_ERR_INVAL
 * naming it otherwise). TSAM_ERR_PARSE for a PDF or font it cannot read,
 * TSAM_ERR_TOOBIG past out's cap, TSAM_ERR_NOMEM, TSAM_ERR_ZLIB.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_pdffont_subset(const char *pdf, size_t n,
		    const struct tsam_pdffont_face *faces, size_t nfaces,
		    struct tsam_buf *out, struct tsam_errbuf *eb);

#endif
