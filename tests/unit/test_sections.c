/* test_sections.c - the collector output format, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "err.h"
#include "sections.h"

#define B "0123456789abcdef0123456789abcdef"

static void well_formed(void **state)
{
	const char out[] =
	    "TSAMKIT-COLLECT 1 " B "\n" B " begin linux-base os-release\n"
	    "ID=debian\n"
	    "\n" B " end linux-base os-release rc=0\n" B
	    " begin linux-base empty\n"
	    "\n" B " end linux-base empty rc=127\n" B " begin linux-base nonl\n"
	    "no newline"
	    "\n" B " end linux-base nonl rc=1\n" B " trailer rc=0\n";
	struct tsam_sections s;

	(void)state;
	assert_int_equal(tsam_sections_parse(out, sizeof(out) - 1, B, &s),
			 TSAM_OK);
	assert_true(s.header);
	assert_true(s.trailer);
	assert_int_equal(s.trailer_rc, 0);
	assert_string_equal(s.problem, "");
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[0].collector, "linux-base");
	assert_string_equal(s.v[0].name, "os-release");
	assert_int_equal(s.v[0].len, strlen("ID=debian\n"));
	assert_memory_equal(s.v[0].body, "ID=debian\n", s.v[0].len);
	assert_int_equal(s.v[1].len, 0);
	assert_int_equal(s.v[1].rc, 127);
	assert_int_equal(s.v[2].len, strlen("no newline"));
	tsam_sections_free(&s);
}

static void damaged(void **state)
{
	static const struct {
		const char *text;
		const char *problem;
		size_t n;
		bool trailer;
	} t[] = {
	    {"garbage\n", "line 1: no collector header", 0, false},
	    {"TSAMKIT-COLLECT 1 " B "\n" B " begin c s\nabc",
	     "ends inside a section", 1, false},
	    {"TSAMKIT-COLLECT 1 " B "\n" B " end c s rc=0\n",
	     "line 2: end without begin", 0, false},
	    {"TSAMKIT-COLLECT 1 " B "\n" B " begin c s\n" B " end c t rc=0\n",
	     "mismatched", 1, false},
	    {"TSAMKIT-COLLECT 1 " B "\n" B " begin c s\n" B " end c s rc=999\n",
	     "mismatched", 1, false},
	    {"TSAMKIT-COLLECT 1 " B "\n" B " begin c ../x\n",
	     "bad section header", 0, false},
	    {"TSAMKIT-COLLECT 1 " B "\n" B " trailer rc=x\n", "bad trailer", 0,
	     false},
	    {"TSAMKIT-COLLECT 1 " B "\nstray\n" B " trailer rc=0\n",
	     "line 2: text outside", 0, true},
	    {"TSAMKIT-COLLECT 1 ffff\n", "no collector header", 0, false},
	    {"TSAMKIT-COLLECT 1 " B "\n" B " bogus\n", "unknown delimiter", 0,
	     false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_sections s;
		assert_int_equal(
		    tsam_sections_parse(t[i].text, strlen(t[i].text), B, &s),
		    TSAM_OK);
		if (strstr(s.problem, t[i].problem) == NULL)
			fail_msg("case %zu: problem '%s'", i, s.problem);
		assert_int_equal(s.n, t[i].n);
		assert_int_equal(s.trailer, t[i].trailer);
		tsam_sections_free(&s);
	}
}

static void binary_and_huge(void **state)
{
	static char big[1 << 20];
	struct tsam_sections s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7919 % 251);
	assert_int_equal(tsam_sections_parse(big, sizeof(big), B, &s), TSAM_OK);
	assert_false(s.header);
	tsam_sections_free(&s);
}

/* Login noise before the header: skipped, kept apart, bounded. */
static void preamble(void **state)
{
	const char noisy[] =
	    "Welcome to web01\n"
	    "audit: session logged\n"
	    "no newline here:TSAMKIT-COLLECT 1 " B "\n" B " begin c s\nx\n" B
	    " end c s rc=0\n" B " trailer rc=0\n";
	static char big[TSAM_SECTIONS_PREAMBLE_MAX + 4096];
	const char tail[] = "TSAMKIT-COLLECT 1 " B "\n" B " trailer rc=0\n";
	struct tsam_sections s;
	size_t i;

	(void)state;
	assert_int_equal(tsam_sections_parse(noisy, sizeof(noisy) - 1, B, &s),
			 TSAM_OK);
	assert_true(s.header);
	assert_true(s.trailer);
	assert_string_equal(s.problem, "");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.preamble_len,
			 strlen("Welcome to web01\naudit: session logged\n"
				"no newline here:"));
	assert_memory_equal(s.preamble, "Welcome to web01\n", 17);
	tsam_sections_free(&s);

	/* none: the header on the first line */
	assert_int_equal(tsam_sections_parse(tail, sizeof(tail) - 1, B, &s),
			 TSAM_OK);
	assert_true(s.header);
	assert_int_equal(s.preamble_len, 0);
	tsam_sections_free(&s);

	/* a header after 60 KiB of noise is found; after 68 KiB it is not */
	for (i = 0; i < sizeof(big); i++)
		big[i] = i % 64 == 63 ? '\n' : 'n';
	memcpy(big + 60 * 1024, tail, sizeof(tail) - 1);
	assert_int_equal(
	    tsam_sections_parse(big, 60 * 1024 + sizeof(tail) - 1, B, &s),
	    TSAM_OK);
	assert_true(s.header);
	assert_true(s.trailer);
	assert_int_equal(s.preamble_len, 60 * 1024);
	tsam_sections_free(&s);
	for (i = 0; i < sizeof(big); i++)
		big[i] = i % 64 == 63 ? '\n' : 'n';
	memcpy(big + sizeof(big) - sizeof(tail), tail, sizeof(tail) - 1);
	assert_int_equal(tsam_sections_parse(big, sizeof(big) - 1, B, &s),
			 TSAM_OK);
	assert_false(s.header);
	assert_false(s.trailer);
	assert_non_null(strstr(s.problem, "no collector header in the first"));
	tsam_sections_free(&s);
}

static void boundary_random(void **state)
{
	char a[33], b[33];

	(void)state;
	assert_int_equal(tsam_sections_boundary(a), TSAM_OK);
	assert_int_equal(tsam_sections_boundary(b), TSAM_OK);
	assert_int_equal(strlen(a), 32);
	assert_string_not_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(well_formed),     cmocka_unit_test(damaged),
	    cmocka_unit_test(binary_and_huge), cmocka_unit_test(preamble),
	    cmocka_unit_test(boundary_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
