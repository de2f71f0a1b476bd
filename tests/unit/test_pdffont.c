/*
 * test_pdffont.c - font subsetting (lib/ttf.c) and the PDF rewrite over
 * libharu's output (lib/pdffont.c): a subset of IPAex Gothic holds the
 * glyphs asked for and nothing else, with right checksums; characters out
 * of order are refused; and, since both read bytes through bounds checks
 * only, damaged input - every truncation of a small font, bytes changed
 * at random in a font and in a whole PDF, a PDF cut anywhere - is an
 * error or a result, never a crash (run under ASan in CI). Skipped when
 * the fonts are not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fsio.h"
#include "pdf.h"
#include "pdffont.h"
#include "ttf.h"

#define IPAEX  "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static uint32_t seed = 12345;

/* A fixed pseudo-random sequence: the same damage every run. */
static uint32_t next(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The offset of table tag in font f, or 0. */
static size_t table(const uint8_t *f, const char *tag, uint32_t *len)
{
	unsigned i, n = be16(f + 4);

	for (i = 0; i < n; i++)
		if (memcmp(f + 12 + 16 * i, tag, 4) == 0) {
			*len = be32(f + 12 + 16 * i + 12);
			return be32(f + 12 + 16 * i + 8);
		}
	return 0;
}

static bool have_fonts(void)
{
	return access(IPAEX, R_OK) == 0 && access(DEJAVU, R_OK) == 0;
}

/* 'A' and あ are glyphs 36 and 609 of IPAex Gothic (its CIDToGIDMap). */
static void test_subset(void **state)
{
	struct tsam_buf font, out;
	struct tsam_ttf_char ch[3] = {{'A', 36}, {0x3042, 609}, {0x3044, 0}};
	uint16_t gid[3];
	const uint8_t *o;
	uint32_t sum = 0, len;
	size_t i, at;

	(void)state;
	if (!have_fonts())
		skip();
	tsam_buf_init(&font, 16u << 20);
	tsam_buf_init(&out, 1u << 20);
	assert_int_equal(tsam_fsio_read(IPAEX, &font, NULL), TSAM_OK);
	assert_int_equal(tsam_ttf_subset((const uint8_t *)font.data, font.len,
					 ch, 3, gid, &out, NULL),
			 TSAM_OK);
	assert_int_equal(gid[0], 1);
	assert_int_equal(gid[1], 2);
	assert_int_equal(gid[2], 0); /* none in the font: .notdef */
	assert_true(out.len < 20000);
	o = (const uint8_t *)out.data;
	for (i = 0; i + 4 <= out.len; i += 4)
		sum += be32(o + i);
	assert_int_equal(sum, 0xb1b0afbau);
	at = table(o, "maxp", &len);
	assert_true(at > 0);
	assert_int_equal(be16(o + at + 4), 3); /* .notdef, A, あ */
	at = table(o, "post", &len);
	assert_int_equal(be32(o + at), 0x00030000);
	assert_int_equal(len, 32);
	at = table(o, "cmap", &len);
	assert_true(at > 0 && len < 100);

	/* characters out of order, or twice */
	ch[0].cp = 0x3044;
	tsam_buf_reset(&out);
	assert_int_equal(tsam_ttf_subset((const uint8_t *)font.data, font.len,
					 ch, 3, gid, &out, NULL),
			 TSAM_ERR_INVAL);
	tsam_buf_free(&font);
	tsam_buf_free(&out);
}

/* Every truncation and random damage of a small font: no crash. */
static void test_damaged_font(void **state)
{
	struct tsam_buf font, small, out;
	struct tsam_ttf_char ch[2] = {{'A', 36}, {0x3042, 609}};
	struct tsam_ttf_char sch[2] = {{'A', 1}, {0x3042, 2}};
	uint16_t gid[2];
	uint8_t *copy;
	size_t i, refused = 0;
	int k;

	(void)state;
	if (!have_fonts())
		skip();
	tsam_buf_init(&font, 16u << 20);
	tsam_buf_init(&small, 1u << 20);
	tsam_buf_init(&out, 1u << 20);
	assert_int_equal(tsam_fsio_read(IPAEX, &font, NULL), TSAM_OK);
	assert_int_equal(tsam_ttf_subset((const uint8_t *)font.data, font.len,
					 ch, 2, gid, &small, NULL),
			 TSAM_OK);
	copy = malloc(small.len);
	assert_non_null(copy);
	for (i = 0; i < small.len; i++) { /* every length */
		memcpy(copy, small.data, i);
		tsam_buf_reset(&out);
		refused += tsam_ttf_subset(copy, i, sch, 2, gid, &out, NULL) !=
			   TSAM_OK;
	}
	for (k = 0; k < 1000; k++) { /* 1 to 4 bytes changed */
		int m, changes = 1 + (int)(next() % 4);

		memcpy(copy, small.data, small.len);
		for (m = 0; m < changes; m++)
			copy[next() % small.len] = (uint8_t)next();
		tsam_buf_reset(&out);
		refused += tsam_ttf_subset(copy, small.len, sch, 2, gid, &out,
					   NULL) != TSAM_OK;
	}
	/* the cut copies at least are refused: the reader saw the damage */
	assert_true(refused >= small.len / 2);
	free(copy);
	tsam_buf_free(&font);
	tsam_buf_free(&small);
	tsam_buf_free(&out);
}

/* A two-face PDF written by tsam_pdf (libharu, then pdffont), and its
 * faces' names and drawn characters as the rewrite wants them. */
static void make_pdf(struct tsam_buf *pdf)
{
	struct tsam_pdf_opts o;
	struct tsam_pdf *p;
	char path[] = "/tmp/test_pdffont.XXXXXX";
	const char *s = "Société あいう 漢字 ﬁ";
	struct tsam_rgb black = {0, 0, 0};
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	memset(&o, 0, sizeof(o));
	o.cjk_font = IPAEX;
	o.latin_font = DEJAVU;
	o.width = 595.28;
	o.height = 841.89;
	o.title = "  a  title  ";
	o.lang = "en-GB";
	assert_int_equal(tsam_pdf_new(&o, &p, NULL), TSAM_OK);
	tsam_pdf_page(p);
	tsam_pdf_text(p, 50, 50, 12, black, s, strlen(s));
	assert_int_equal(tsam_pdf_save(p, path, NULL), TSAM_OK);
	tsam_pdf_free(p);
	assert_int_equal(tsam_fsio_read(path, pdf, NULL), TSAM_OK);
	unlink(path);
}

static void mark(uint8_t *bits, const uint32_t *cps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bits[cps[i] >> 3] |= (uint8_t)(1u << (cps[i] & 7));
}

/* The rewrite over its own output (the same structure as libharu's),
 * then over that output cut and damaged. */
static void test_pdf(void **state)
{
	static uint8_t cjk[TSAM_PDFFONT_BITMAP], latin[TSAM_PDFFONT_BITMAP];
	static const uint32_t cjk_cps[] = {0x3042, 0x3044, 0x3046, 0x6f22,
					   0x5b57};
	static const uint32_t latin_cps[] = {'S', 'o', 'c', 'i',   0xe9,
					     't', 'e', ' ', 0xfb01};
	struct tsam_pdffont_face faces[2] = {
	    {"IPAexGothic", cjk, NULL, 0}, {"DejaVuSans,Book", latin, NULL, 0}};
	struct tsam_buf pdf, out;
	char *copy;
	size_t i, refused = 0;
	int k;

	(void)state;
	if (!have_fonts())
		skip();
	mark(cjk, cjk_cps, 5);
	mark(latin, latin_cps, 9);
	tsam_buf_init(&pdf, 1u << 24);
	tsam_buf_init(&out, 1u << 24);
	make_pdf(&pdf);
	assert_true(pdf.len < 30000);
	assert_non_null(strstr(pdf.data, "/Lang (en-GB)"));
	assert_non_null(strstr(pdf.data, "%PDF-1.4"));
	assert_int_equal(
	    tsam_pdffont_subset(pdf.data, pdf.len, faces, 2, &out, NULL),
	    TSAM_OK);
	assert_true(out.len <= pdf.len + 64);
	/* a font that is none of the faces */
	tsam_buf_reset(&out);
	assert_int_equal(
	    tsam_pdffont_subset(pdf.data, pdf.len, faces, 1, &out, NULL),
	    TSAM_ERR_INVAL);

	copy = malloc(pdf.len);
	assert_non_null(copy);
	for (i = 0; i < pdf.len; i += 1 + i / 64) { /* cut anywhere */
		memcpy(copy, pdf.data, i);
		tsam_buf_reset(&out);
		refused += tsam_pdffont_subset(copy, i, faces, 2, &out, NULL) !=
			   TSAM_OK;
	}
	for (k = 0; k < 600; k++) { /* 1 to 4 bytes changed */
		int m, changes = 1 + (int)(next() % 4);

		memcpy(copy, pdf.data, pdf.len);
		for (m = 0; m < changes; m++)
			copy[next() % pdf.len] = (char)next();
		tsam_buf_reset(&out);
		refused += tsam_pdffont_subset(copy, pdf.len, faces, 2, &out,
					       NULL) != TSAM_OK;
	}
	assert_true(refused > 0); /* a cut PDF is refused, not rewritten */
	free(copy);
	tsam_buf_free(&pdf);
	tsam_buf_free(&out);
}

/* The document information is trimmed; a bad language tag refused. */
static void test_lang(void **state)
{
	struct tsam_pdf_opts o;
	struct tsam_pdf *p = NULL;

	(void)state;
	if (!have_fonts())
		skip();
	memset(&o, 0, sizeof(o));
	o.cjk_font = IPAEX;
	o.width = o.height = 100;
	o.lang = "ja) /JavaScript (x";
	assert_int_equal(tsam_pdf_new(&o, &p, NULL), TSAM_ERR_INVAL);
	assert_null(p);
	o.lang = "";
	assert_int_equal(tsam_pdf_new(&o, &p, NULL), TSAM_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_subset),
	    cmocka_unit_test(test_damaged_font),
	    cmocka_unit_test(test_pdf),
	    cmocka_unit_test(test_lang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
