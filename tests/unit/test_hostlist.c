/* test_hostlist.c - pdsh-style range expansion, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "err.h"
#include "hostlist.h"

static void expansions(void **state)
{
	static const struct {
		const char *pat;
		size_t n;
		const char *first, *last;
	} t[] = {
	    {"web01.corp", 1, "web01.corp", "web01.corp"},
	    {"web[01-20].corp", 20, "web01.corp", "web20.corp"},
	    {"10.0.0.[1-50]", 50, "10.0.0.1", "10.0.0.50"},
	    {"n[1,3,5-6]", 4, "n1", "n6"},
	    {"r[1-2]c[001-003]", 6, "r1c001", "r2c003"},
	    {"h[8-11]", 4, "h8", "h11"},
	    {"h[098-101]", 4, "h098", "h101"},
	    {"[1-3]x", 3, "1x", "3x"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_strlist l = {0};
		struct tsam_errbuf eb;
		tsam_errbuf_clear(&eb);
		assert_int_equal(tsam_hostlist_expand(t[i].pat, 1000, &l, &eb),
				 TSAM_OK);
		assert_int_equal(l.n, t[i].n);
		assert_string_equal(l.v[0], t[i].first);
		assert_string_equal(l.v[l.n - 1], t[i].last);
		tsam_strlist_free(&l);
	}
}

static void errors(void **state)
{
	static const struct {
		const char *pat;
		int rc;
		const char *msg;
	} t[] = {
	    {"web[01-20", TSAM_ERR_PARSE, "unbalanced"},
	    {"web01-20]", TSAM_ERR_PARSE, "without"},
	    {"web[]", TSAM_ERR_PARSE, "empty"},
	    {"web[5-1]", TSAM_ERR_PARSE, "reversed"},
	    {"web[a-z]", TSAM_ERR_PARSE, "bad range"},
	    {"web[1,]", TSAM_ERR_PARSE, "ends with"},
	    {"web[1-2000]", TSAM_ERR_TOOBIG, "more than"},
	    {"a[1-100]b[1-100]", TSAM_ERR_TOOBIG, "more than"},
	    {"a[[1-2]]", TSAM_ERR_PARSE, "unbalanced"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_strlist l = {0};
		struct tsam_errbuf eb;
		tsam_errbuf_clear(&eb);
		assert_int_equal(tsam_hostlist_expand(t[i].pat, 1000, &l, &eb),
				 t[i].rc);
		assert_non_null(strstr(eb.msg, t[i].msg));
		assert_int_equal(l.n, 0);
		tsam_strlist_free(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(expansions),
	    cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
