/*
 * test_layout.c - line breaking: kinsoku at both ends, Latin words, words
 * wider than the line, mixed scripts, hard breaks, ellipsis fitting, and
 * a property test that no line of random text is wider than its box and
 * that the reported widths are the measured ones.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinsoku),
	    cmocka_unit_test(test_latin),
	    cmocka_unit_test(test_mixed_and_hard),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_random_never_overflows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
