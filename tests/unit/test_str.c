/* test_str.c - the bounded cursor and UTF-8 handling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "str.h"

static void lines_and_tokens(void **state)
{
	const char text[] = "a b\r\n\n  c\td  \nlast";
	struct tsam_cur c = tsam_cur_make(text, sizeof(text) - 1), line, tok;

	(void)state;
	assert_true(tsam_cur_getline(&c, &line));
	assert_true(tsam_cur_eq(line, "a b"));
	assert_true(tsam_cur_getline(&c, &line));
	assert_int_equal(line.n, 0);
	assert_true(tsam_cur_getline(&c, &line));
	assert_true(tsam_cur_token(&line, &tok));
	assert_true(tsam_cur_eq(tok, "c"));
	assert_true(tsam_cur_token(&line, &tok));
	assert_true(tsam_cur_eq(tok, "d"));
	assert_false(tsam_cur_token(&line, &tok));
	assert_true(tsam_cur_getline(&c, &line));
	assert_true(tsam_cur_eq(line, "last"));
	assert_false(tsam_cur_getline(&c, &line));
}

static void embedded_nul_is_data(void **state)
{
	const char text[] = "x\0y\nz";
	struct tsam_cur c = tsam_cur_make(text, 5), line;

	(void)state;
	assert_true(tsam_cur_getline(&c, &line));
	assert_int_equal(line.n, 3);
	assert_true(tsam_cur_contains(line, "y"));
}

static void numbers(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(tsam_cur_to_u64(tsam_cur_str("65535"), 65535, &v),
			 TSAM_OK);
	assert_int_equal(v, 65535);
	assert_int_equal(tsam_cur_to_u64(tsam_cur_str("65536"), 65535, &v),
			 TSAM_ERR_PARSE);
	assert_int_equal(tsam_cur_to_u64(tsam_cur_str(""), 10, &v),
			 TSAM_ERR_PARSE);
	assert_int_equal(tsam_cur_to_u64(tsam_cur_str("-1"), 10, &v),
			 TSAM_ERR_PARSE);
	assert_int_equal(tsam_cur_to_u64(tsam_cur_str("1a"), 10, &v),
			 TSAM_ERR_PARSE);
	assert_int_equal(tsam_cur_to_u64(tsam_cur_str("18446744073709551615"),
					 UINT64_MAX, &v),
			 TSAM_OK);
	assert_int_equal(tsam_cur_to_u64(tsam_cur_str("18446744073709551616"),
					 UINT64_MAX, &v),
			 TSAM_ERR_PARSE);
}

/* One decoder for the whole project: what tsam_utf8_valid refuses,
 * tsam_utf8_next reads as U+FFFD, one byte at a time. */
static void utf8_next(void **state)
{
	static const struct {
		const char *s;
		uint32_t first;
		size_t step;
	} v[] = {
	    {"a", 'a', 1},
	    {"\xc3\xa9", 0xe9, 2},
	    {"\xe6\x97\xa5", 0x65e5, 3},
	    {"\xf0\x9f\x98\x80", 0x1f600, 4},
	    {"\xc0\xaf", 0xfffd, 1},	     /* overlong '/' */
	    {"\xe0\x80\xaf", 0xfffd, 1},     /* overlong, 3 bytes */
	    {"\xed\xa0\x80", 0xfffd, 1},     /* a surrogate */
	    {"\xf4\x90\x80\x80", 0xfffd, 1}, /* past U+10FFFF */
	    {"\xe6\x97", 0xfffd, 1},	     /* cut short */
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		size_t i = 0;

		assert_int_equal(tsam_utf8_next(v[k].s, strlen(v[k].s), &i),
				 v[k].first);
		assert_int_equal(i, v[k].step);
		assert_int_equal(tsam_utf8_valid(v[k].s, strlen(v[k].s)),
				 v[k].first != 0xfffd);
	}
}

static void utf8(void **state)
{
	char *s;

	(void)state;
	assert_true(tsam_utf8_valid("日本語 ok", strlen("日本語 ok")));
	assert_false(tsam_utf8_valid("\xff", 1));
	assert_false(tsam_utf8_valid("\xc0\x80", 2));	  /* overlong NUL */
	assert_false(tsam_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(tsam_utf8_valid("\xe6\x97", 2));	  /* cut short */
	{
		/* the eight-bytes-at-a-time ASCII path: a NUL or a bad byte
		 * at every offset of a long line is still found, a good
		 * multibyte character at every offset still passes */
		char line[40];
		size_t i;

		for (i = 0; i + 3 <= sizeof(line); i++) {
			memset(line, 'a', sizeof(line));
			line[i] = '\0';
			assert_false(tsam_utf8_valid(line, sizeof(line)));
			line[i] = '\x80';
			assert_false(tsam_utf8_valid(line, sizeof(line)));
			memcpy(line + i, "\xe6\x97\xa5", 3); /* 日 */
			assert_true(tsam_utf8_valid(line, sizeof(line)));
			line[i + 2] = 'a';
			assert_false(tsam_utf8_valid(line, sizeof(line)));
		}
	}
	s = tsam_utf8_sanitize("a\xff"
			       "b\0c\x1b",
			       6);
	assert_string_equal(s, "a\xef\xbf\xbd"
			       "b\xef\xbf\xbd"
			       "c\xef\xbf\xbd");
	free(s);
	s = tsam_utf8_sanitize("タブ\tと改行\n", strlen("タブ\tと改行\n"));
	assert_string_equal(s, "タブ\tと改行\n");
	free(s);
}

static void strlcpy_cuts(void **state)
{
	char b[4];

	(void)state;
	assert_false(tsam_strlcpy(b, "hello", sizeof(b)));
	assert_string_equal(b, "hel");
	assert_true(tsam_strlcpy(b, "hi", sizeof(b)));
	assert_string_equal(b, "hi");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lines_and_tokens),
	    cmocka_unit_test(embedded_nul_is_data),
	    cmocka_unit_test(numbers),
	    cmocka_unit_test(utf8),
	    cmocka_unit_test(utf8_next),
	    cmocka_unit_test(strlcpy_cuts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
