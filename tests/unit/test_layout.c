/*
 * test_layout.c - line breaking: kinsoku at both ends, Latin words, words
 * wider than the line, mixed scripts, hard breaks, ellipsis fitting, and
 * a property test that no line of random text is wider than its box and
 * that the reported widths are the measured ones; and the text the PDF
 * layer measures and draws: control characters, undecodable bytes and
 * U+FFFD as the substitute U+2047, tabs and line ends as spaces, in both
 * faces (issue 14).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "str.h"
#include "pdf.h"

#include <unistd.h>

/* Latin 5 pt, everything from U+2E80 10 pt. */
static double measure(void *ctx, uint32_t cp)
{
	(void)ctx;
	return cp >= 0x2e80 ? 10 : 5;
}

static char got[8][128];

static size_t wrap(const char *s, double width)
{
	struct tsam_line l[8];
	size_t n = tsam_layout_wrap(s, strlen(s), width, measure, NULL, l, 8),
	       i;

	for (i = 0; i < n && i < 8; i++) {
		snprintf(got[i], sizeof(got[i]), "%.*s",
			 (int)(l[i].end - l[i].start), s + l[i].start);
		/* only a lone character may be wider than the line */
		assert_true(l[i].width <= width || l[i].end - l[i].start <= 4);
	}
	return n;
}

static void test_kinsoku(void **state)
{
	(void)state;
	/* 。 may not start a line: お goes down with it */
	assert_int_equal(wrap("あいうえお。かき", 50), 2);
	assert_string_equal(got[0], "あいうえ");
	assert_string_equal(got[1], "お。かき");
	/* 「 may not end a line */
	assert_int_equal(wrap("あいうえ「かき」", 50), 2);
	assert_string_equal(got[0], "あいうえ");
	assert_string_equal(got[1], "「かき」");
	/* small kana and the long vowel mark */
	assert_int_equal(wrap("サーバーのチェック", 30), 4);
	assert_string_equal(got[0], "サー");
	assert_string_equal(got[1], "バーの");
	assert_string_equal(got[2], "チェッ");
	assert_string_equal(got[3], "ク");
	/* a run of forbidden starts moves down together */
	assert_int_equal(wrap("あいう。」え", 30), 3);
	assert_string_equal(got[0], "あい");
	assert_string_equal(got[1], "う。」");
	assert_string_equal(got[2], "え");
}

/* A line ends at a phrase's end (a particle before a katakana or kanji
 * word) when it keeps three quarters of its width, else as kinsoku
 * allows. */
static void test_phrases(void **state)
{
	(void)state;
	/* 14 wide: "サポートマネージャへの" (11) / "エスカレーション" */
	assert_int_equal(wrap("サポートマネージャへのエスカレーション", 140),
			 2);
	assert_string_equal(got[0], "サポートマネージャへの");
	assert_string_equal(got[1], "エスカレーション");
	/* a phrase end too early (3 of 14) is not taken: the line is
	 * filled (14 characters) */
	assert_int_equal(wrap("あいの漢字漢字漢字漢字漢字漢字漢字漢字", 140),
			 2);
	assert_string_equal(got[0], "あいの漢字漢字漢字漢字漢字漢");
	/* a number keeps its counter: "5件" is never split */
	assert_int_equal(wrap("あいうえおかきくけ5件です", 100), 2);
	assert_string_equal(got[0], "あいうえおかきくけ");
	assert_string_equal(got[1], "5件です");
	/* none: by character, as before */
	assert_int_equal(wrap("漢字漢字漢字漢字漢字漢字漢字漢字", 140), 2);
	assert_string_equal(got[0], "漢字漢字漢字漢字漢字漢字漢字");
}

static void test_latin(void **state)
{
	(void)state;
	assert_int_equal(wrap("hello world foo", 60), 2);
	assert_string_equal(got[0], "hello world");
	assert_string_equal(got[1], "foo");
	/* a word wider than the line is cut by character */
	assert_int_equal(wrap("abcdefghijklmnop", 30), 3);
	assert_string_equal(got[0], "abcdef");
	assert_string_equal(got[2], "mnop");
	/* punctuation stays with its word */
	assert_int_equal(wrap("aaaa bbbb, cc", 45), 2);
	assert_string_equal(got[0], "aaaa");
	assert_string_equal(got[1], "bbbb, cc");
}

static void test_mixed_and_hard(void **state)
{
	(void)state;
	/* a break between Latin and Japanese is allowed */
	assert_int_equal(wrap("Sophosの設定", 35), 2);
	assert_string_equal(got[0], "Sophos");
	assert_string_equal(got[1], "の設定");
	assert_int_equal(wrap("one\ntwo", 100), 2);
	assert_string_equal(got[0], "one");
	assert_string_equal(got[1], "two");
	assert_int_equal(wrap("", 100), 1);
	/* a character wider than the line still gets a line */
	assert_int_equal(wrap("漢字", 5), 2);
}

static void test_fit(void **state)
{
	bool cut;

	(void)state;
	assert_int_equal(
	    tsam_layout_fit("abcdefghij", 10, 30, measure, NULL, &cut), 5);
	assert_true(cut);
	assert_int_equal(tsam_layout_fit("abc", 3, 30, measure, NULL, &cut), 3);
	assert_false(cut);
	/* never cuts inside a UTF-8 sequence */
	assert_int_equal(tsam_layout_fit("日本語テキスト",
					 strlen("日本語テキスト"), 34, measure,
					 NULL, &cut),
			 strlen("日本"));
	assert_true(cut);
}

static void test_random_never_overflows(void **state)
{
	static const char *pieces[] = {"a",  "bc ",  "。", "「",
				       "」", "日本", " ",  "サーバー",
				       "x",  "、",   "(",  "ok."};
	struct tsam_line l[256];
	char s[1024];
	int round;

	(void)state;
	srand(7);
	for (round = 0; round < 2000; round++) {
		size_t len = 0, n, i, k = (size_t)(rand() % 60);
		double width = 20 + rand() % 200;

		s[0] = '\0';
		for (i = 0; i < k; i++) {
			const char *p = pieces[rand() % 12];

			memcpy(s + len, p, strlen(p) + 1);
			len += strlen(p);
		}
		n = tsam_layout_wrap(s, len, width, measure, NULL, l, 256);
		assert_true(n <= 256);
		for (i = 0; i < n; i++) {
			size_t j = l[i].start;
			double w = 0;

			assert_true(l[i].width <= width ||
				    l[i].end - l[i].start <= 3);
			while (j < l[i].end)
				w += measure(NULL, tsam_utf8_next(s, len, &j));
			assert_true(w == l[i].width);
		}
	}
}

#define IPAEX  "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static void pdf_substitutes(const char *latin)
{
	static const uint32_t shown_as_sub[] = {
	    0, 0x01, 0x07, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f, 0xfffd, 0xd800};
	struct tsam_pdf_opts o;
	struct tsam_pdf *p = NULL;
	char path[] = "/tmp/tsam-test-layout.XXXXXX";
	double sub, a, b;
	size_t i;
	int fd;

	memset(&o, 0, sizeof(o));
	o.cjk_font = IPAEX;
	o.latin_font = latin;
	o.width = 595.28;
	o.height = 841.89;
	assert_int_equal(tsam_pdf_new(&o, &p, NULL), 0);
	sub = tsam_pdf_cp_width(p, 0x2047, 10);
	assert_true(sub > 0); /* the face has the glyph */
	for (i = 0; i < sizeof(shown_as_sub) / sizeof(shown_as_sub[0]); i++)
		assert_true(tsam_pdf_cp_width(p, shown_as_sub[i], 10) == sub);
	for (i = 0; i < 5; i++)
		assert_true(
		    tsam_pdf_cp_width(p, (uint32_t) "\t\n\r\v\f"[i], 10) ==
		    tsam_pdf_cp_width(p, ' ', 10));
	/* a string measures as it is drawn: bad bytes included */
	a = tsam_pdf_cp_width(p, 'a', 10);
	b = tsam_pdf_cp_width(p, 'b', 10);
	assert_true(tsam_pdf_text_width(p,
					"a\x1b"
					"b",
					3, 10) == a + sub + b);
	assert_true(tsam_pdf_text_width(p,
					"a\xff"
					"b",
					3, 10) == a + sub + b);
	assert_true(tsam_pdf_text_width(p,
					"a\xe0\x80\x80"
					"b",
					5, 10) >=
		    a + sub + b); /* an overlong NUL is not drawn as one */
	/* and drawing them, in bookmarks too, leaves a document that saves */
	tsam_pdf_page(p);
	tsam_pdf_text(p, 50, 50, 10, (struct tsam_rgb){0, 0, 0},
		      "x\x1b[31m\x07\xc2\x85\xff\tz 日本\x01", 21);
	tsam_pdf_bookmark(p, 0, "mark\x1b[2J\x07");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tsam_pdf_save(p, path, NULL), 0);
	unlink(path);
	tsam_pdf_free(p);
}

static void test_pdf_substitutes(void **state)
{
	(void)state;
	if (access(IPAEX, R_OK) != 0 || access(DEJAVU, R_OK) != 0)
		skip();
	pdf_substitutes(NULL);	 /* a Japanese document: one face */
	pdf_substitutes(DEJAVU); /* an English one: two */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinsoku),
	    cmocka_unit_test(test_phrases),
	    cmocka_unit_test(test_latin),
	    cmocka_unit_test(test_mixed_and_hard),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_random_never_overflows),
	    cmocka_unit_test(test_pdf_substitutes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
