/*
 * test_mapping.c - export mappings: every typed member of mapping.json
 * validated, a wrong shape or type an error naming the file and the key
 * (never a crash, never a string taken for a boolean), and the worked
 * example of tests/data/cases loading as documented.
 */
#include "scratch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapping.h"

static int setup(void **state)
{
	(void)state;
	return scratch_make("mapping") ? 0 : -1;
}

/* Loads json as DIR/mm.json over the defaults into *m (freed by the
 * caller also on error). */
static int load(const char *json, struct tsam_mapping *m,
		struct tsam_errbuf *eb)
{
	const char *path = scratch_write("mm.json", "%s", json);

	assert_int_equal(tsam_mapping_init(m), TSAM_OK);
	tsam_errbuf_clear(eb);
	return tsam_mapping_load(m, path, eb);
}

#define S "{\"schema\":\"tsamkit-mapping/1\","

static void test_bad_mappings(void **state)
{
	static const struct {
		const char *json, *want;
	} bad[] = {
	    /* the wrong shapes of issue 14: crashed in mapping.c */
	    {"[]", "mm.json: must be a JSON object"},
	    {"1", "mm.json: must be a JSON object"},
	    {"\"x\"", "mm.json: must be a JSON object"},
	    {"null", "mm.json: must be a JSON object"},
	    {"{\"schema\":null}", "mm.json: schema: must be"},
	    {"{\"schema\":[]}", "mm.json: schema: must be"},
	    {"{}", "mm.json: schema: must be \"tsamkit-mapping/1\""},
	    {"{\"schema\":\"tsamkit-mapping/2\"}", "mm.json: schema: must be"},
	    /* a string is not a boolean (issue 14: "false" was true) */
	    {S "\"email_starts_at_3\":\"false\"}",
	     "mm.json: email_starts_at_3: must be true or false"},
	    {S "\"email_starts_at_3\":0}",
	     "mm.json: email_starts_at_3: must be true or false"},
	    {S "\"email_starts_at_3\":null}",
	     "mm.json: email_starts_at_3: must be true or false"},
	    /* how the files are read (docs/cases.md, "JSON exports") */
	    {S "\"format\":\"xml\"}",
	     "mm.json: format: must be \"auto\", \"csv\" or \"json\""},
	    {S "\"format\":1}", "mm.json: format: must be a string"},
	    /* sections of the wrong type */
	    {S "\"cases\":[]}", "mm.json: cases: must be an object"},
	    {S "\"events\":\"id\"}", "mm.json: events: must be an object"},
	    {S "\"severity\":[1]}", "mm.json: severity: must be an object"},
	    {S "\"channel\":1}", "mm.json: channel: must be an object"},
	    {S "\"states\":null}", "mm.json: states: must be an object"},
	    /* column names */
	    {S "\"cases\":{\"id\":3}}", "mm.json: cases.id: must be a string"},
	    {S "\"cases\":{\"id\":\"\"}}",
	     "mm.json: cases.id: must be a string"},
	    {S "\"cases\":{\"id\":{}}}", "mm.json: cases.id: must be a string"},
	    {S "\"events\":{\"time\":null}}",
	     "mm.json: events.time: must be a string"},
	    {S "\"cases\":{\"ident\":\"Case\"}}",
	     "mm.json: cases.ident: unknown column role"},
	    {S "\"cases\":{\"id\":\"a\\u0000b\"}}",
	     "mm.json: cases.id: holds the control character U+0000"},
	    /* labels: severities 1-4, whole numbers only */
	    {S "\"severity\":{\"A\":7}}",
	     "mm.json: severity.\"A\": must be a whole number from 1 to 4"},
	    {S "\"severity\":{\"A\":\"2\"}}",
	     "mm.json: severity.\"A\": must be a whole number from 1 to 4"},
	    {S "\"severity\":{\"A\":2.5}}",
	     "mm.json: severity.\"A\": must be a whole number from 1 to 4"},
	    {S "\"severity\":{\"A\":1e308}}",
	     "mm.json: severity.\"A\": must be a whole number from 1 to 4"},
	    {S "\"severity\":{\"A\":9223372036854775808}}",
	     "mm.json: severity.\"A\": must be a whole number from 1 to 4"},
	    {S "\"severity\":{\"\":2}}", "mm.json: severity: names must be"},
	    {S "\"channel\":{\"Fax\":2}}",
	     "mm.json: channel.\"Fax\": must be a string"},
	    {S "\"channel\":{\"Fax\":\"\"}}",
	     "mm.json: channel.\"Fax\": must be a string"},
	    {S "\"states\":{\"W\":\"napping\"}}",
	     "mm.json: states.\"W\": not an event kind"},
	    {S "\"states\":{\"W\":\"created\"}}",
	     "mm.json: states.\"W\": not an event kind"},
	    {S "\"states\":{\"W\":true}}",
	     "mm.json: states.\"W\": not an event kind"},
	    /* the strings the code interprets */
	    {S "\"encoding\":7}", "mm.json: encoding: must be a string"},
	    {S "\"encoding\":\"CP932; rm\"}",
	     "mm.json: encoding: must be an encoding name"},
	    {S "\"time_format\":false}",
	     "mm.json: time_format: must be a string"},
	    {S "\"time_format\":\"%d/%m\"}",
	     "mm.json: time_format: must be \"iso\" or a pattern"},
	    {S "\"time_format\":\"%Y-%q\"}",
	     "mm.json: time_format: must be \"iso\" or a pattern"},
	    {S "\"time_format\":\"%Y-%\"}",
	     "mm.json: time_format: must be \"iso\" or a pattern"},
	    {S "\"time_zone\":9}", "mm.json: time_zone: must be a string"},
	    {S "\"time_zone\":\"\"}", "mm.json: time_zone: must be a string"},
	    {S "\"time_zone\":\"ars/Olympus\"}",
	     "mm.json: time_zone: unknown time zone \"ars/Olympus\""},
	    {S "\"time_zone\":\"../../etc/passwd\"}",
	     "mm.json: time_zone: \"../../etc/passwd\" is not a time zone"},
	    {S "\"time_zone\":\"zone.tab\"}",
	     "mm.json: time_zone: \"zone.tab\" is not a time zone"},
	    {S "\"time_zone\":\"Asia//Tokyo\"}",
	     "mm.json: time_zone: \"Asia//Tokyo\" is not a time zone"},
	    {S "\"comment\":1}", "mm.json: comment: must be a string"},
	    {S "\"colour\":\"red\"}", "mm.json: unknown key \"colour\""},
	};
	struct tsam_mapping m;
	struct tsam_errbuf eb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = load(bad[i].json, &m, &eb);

		if (rc == TSAM_OK || strstr(eb.msg, bad[i].want) == NULL ||
		    strstr(eb.msg, scratch_dir) == NULL)
			fail_msg("case %zu %s: rc %d, \"%s\" lacks \"%s\"", i,
				 bad[i].json, rc, eb.msg, bad[i].want);
		/* the message names the file once, not twice */
		if (strstr(strstr(eb.msg, "mm.json") + 1, "mm.json") != NULL)
			fail_msg("case %zu: doubled prefix: %s", i, eb.msg);
		tsam_mapping_free(&m);
	}
}

static void test_good_mappings(void **state)
{
	struct tsam_mapping m;
	struct tsam_errbuf eb;
	char path[4096];

	(void)state;
	assert_int_equal(load(S
			      "\"email_starts_at_3\":false,"
			      "\"comment\":\"\",\"severity\":{\"Sev A\":1},"
			      "\"channel\":{\"Fax\":\"fax\"},"
			      "\"time_format\":\"%d/%m/%Y %H:%M %%\","
			      "\"time_zone\":\"America/Argentina/Buenos_Aires\""
			      "}",
			      &m, &eb),
			 TSAM_OK);
	assert_false(m.email_starts_at_3);
	assert_int_equal(tsam_mapping_severity(&m, "sev a"), 1);
	assert_string_equal(m.channels[tsam_mapping_channel(&m, "FAX")], "fax");
	assert_non_null(m.tz);
	tsam_mapping_free(&m);
	assert_int_equal(load(S "\"email_starts_at_3\":true}", &m, &eb),
			 TSAM_OK);
	assert_true(m.email_starts_at_3);
	assert_int_equal(m.format, TSAM_FORMAT_AUTO);
	tsam_mapping_free(&m);
	assert_int_equal(load(S "\"format\":\"json\"}", &m, &eb), TSAM_OK);
	assert_int_equal(m.format, TSAM_FORMAT_JSON);
	tsam_mapping_free(&m);
	/* the worked example of docs/cases.md */
	snprintf(path, sizeof(path), "%s/tests/data/cases/mapping.json",
		 getenv("TSAM_SRC"));
	assert_int_equal(tsam_mapping_init(&m), TSAM_OK);
	assert_int_equal(tsam_mapping_load(&m, path, &eb), TSAM_OK);
	assert_string_equal(m.case_cols[TSAM_COL_ID], "チケット番号");
	assert_int_equal(tsam_mapping_severity(&m, "高"), 2);
	assert_int_equal(tsam_mapping_state(&m, "解決"), TSAM_EV_RESOLVED);
	assert_true(m.email_starts_at_3);
	tsam_mapping_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_mappings),
	    cmocka_unit_test(test_good_mappings),
	};

	return cmocka_run_group_tests(tests, setup, scratch_teardown);
}
