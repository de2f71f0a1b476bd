/* test_buf.c - the capped buffer: caps hold, appends are all-or-nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

static void cap_is_hard(void **state)
{
	struct tsam_buf b;
	char *p;
	size_t n;

	(void)state;
	tsam_buf_init(&b, 10);
	assert_int_equal(tsam_buf_adds(&b, "hello"), TSAM_OK);
	assert_int_equal(tsam_buf_adds(&b, "world!"), TSAM_ERR_TOOBIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "hello");
	assert_int_equal(tsam_buf_addf(&b, "%d", 12345), TSAM_OK);
	assert_int_equal(b.len, 10);
	assert_int_equal(tsam_buf_room(&b), 0);
	assert_int_equal(tsam_buf_add(&b, "x", 1), TSAM_ERR_TOOBIG);
	assert_int_equal(tsam_buf_addf(&b, "%s", "y"), TSAM_ERR_TOOBIG);
	p = tsam_buf_take(&b, &n);
	assert_int_equal(n, 10);
	assert_string_equal(p, "hello12345");
	free(p);
	assert_null(b.data);
	tsam_buf_free(&b);
}

static void grows_and_resets(void **state)
{
	struct tsam_buf b;
	int i;

	(void)state;
	tsam_buf_init(&b, 1 << 20);
	for (i = 0; i < 10000; i++)
		assert_int_equal(tsam_buf_add(&b, "abcdefgh", 8), TSAM_OK);
	assert_int_equal(b.len, 80000);
	assert_int_equal(b.data[b.len], '\0');
	tsam_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	tsam_buf_free(&b);
	/* take on an empty buffer gives "" */
	{
		char *p = tsam_buf_take(&b, NULL);
		assert_non_null(p);
		assert_string_equal(p, "");
		free(p);
	}
}

static void errors_have_text(void **state)
{
	struct tsam_errbuf eb;
	int i;

	(void)state;
	for (i = 0; i < TSAM_ERR__COUNT; i++)
		assert_string_not_equal(tsam_strerror(i), "unknown error");
	assert_string_equal(tsam_strerror(-1), "unknown error");
	tsam_errbuf_clear(&eb);
	assert_string_equal(tsam_errbuf_str(&eb, TSAM_ERR_IO),
			    "input/output error");
	assert_int_equal(
	    tsam_errbuf_set(&eb, TSAM_ERR_PARSE, "%s:%d: bad", "f", 3),
	    TSAM_ERR_PARSE);
	assert_string_equal(tsam_errbuf_str(&eb, TSAM_ERR_PARSE), "f:3: bad");
	assert_int_equal(tsam_errbuf_set(NULL, TSAM_ERR_IO, "x"), TSAM_ERR_IO);
	/* wrapping its own message with context (mapping.c, tz.c,
	 * calendar.c do): once, not doubled, no overlap */
	tsam_errbuf_set(&eb, TSAM_ERR_PARSE, "unknown zone \"%s\"",
			"Mars/Olympus");
	tsam_errbuf_set(&eb, TSAM_ERR_PARSE, "%s: time_zone: %s", "mm.json",
			tsam_errbuf_str(&eb, TSAM_ERR_PARSE));
	assert_string_equal(
	    tsam_errbuf_str(&eb, TSAM_ERR_PARSE),
	    "mm.json: time_zone: unknown zone \"Mars/Olympus\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cap_is_hard),
	    cmocka_unit_test(grows_and_resets),
	    cmocka_unit_test(errors_have_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
