/*
 * test_facts.c - linux-base facts from fixture outputs (tests/data/facts):
 * every fact with its type, and damaged sections reported with their line
 * while the other facts stand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "facts.h"
#include "fsio.h"
#include "json.h"
#include "sections.h"

#define B "0123456789abcdef0123456789abcdef"

static json_object *facts_of(const char *variant, struct tsam_buf *raw)
{
	char path[1024];
	struct tsam_sections secs;
	json_object *out = NULL;

	snprintf(path, sizeof(path), "%s/facts/%s.out",
		 getenv("TSAM_TEST_DATA"), variant);
	tsam_buf_init(raw, 1 << 20);
	assert_int_equal(tsam_fsio_read(path, raw, NULL), TSAM_OK);
	assert_int_equal(tsam_sections_parse(raw->data, raw->len, B, &secs),
			 TSAM_OK);
	assert_string_equal(secs.problem, "");
	assert_int_equal(tsam_facts_parse(&secs, &out), TSAM_OK);
	tsam_sections_free(&secs);
	return out;
}

static void expect_facts(json_object *got, const char *variant)
{
	char path[1024];
	json_object *want = NULL, *facts;

	snprintf(path, sizeof(path), "%s/facts/%s.facts.json",
		 getenv("TSAM_TEST_DATA"), variant);
	assert_int_equal(tsam_json_load(path, 1 << 20, &want, NULL), TSAM_OK);
	assert_true(json_object_object_get_ex(got, "facts", &facts));
	if (!json_object_equal(facts, want))
		fail_msg("facts differ for %s:\n got: %s\nwant: %s", variant,
			 json_object_to_json_string(facts),
			 json_object_to_json_string(want));
	json_object_put(want);
}

static void debian_chrony(void **state)
{
	struct tsam_buf raw;
	json_object *got = facts_of("debian-chrony", &raw), *errors;

	(void)state;
	assert_string_equal(tsam_json_str(got, "schema"), TSAM_FACTS_SCHEMA);
	expect_facts(got, "debian-chrony");
	assert_true(json_object_object_get_ex(got, "errors", &errors));
	assert_int_equal(json_object_array_length(errors), 0);
	json_object_put(got);
	tsam_buf_free(&raw);
}

static void damaged_sections(void **state)
{
	struct tsam_buf raw, want;
	json_object *got = facts_of("rhel-damaged", &raw), *errors;
	char path[1024], line[512];
	size_t i;
	struct tsam_buf lines;

	(void)state;
	expect_facts(got, "rhel-damaged");
	assert_true(json_object_object_get_ex(got, "errors", &errors));
	tsam_buf_init(&lines, 1 << 16);
	for (i = 0; i < json_object_array_length(errors); i++) {
		json_object *e = json_object_array_get_idx(errors, i);
		int64_t ln = -1;
		tsam_json_int(e, "line", &ln);
		assert_string_equal(tsam_json_str(e, "collector"),
				    "linux-base");
		snprintf(line, sizeof(line), "%s:%lld:%s\n",
			 tsam_json_str(e, "section"), (long long)ln,
			 tsam_json_str(e, "problem"));
		tsam_buf_adds(&lines, line);
	}
	snprintf(path, sizeof(path), "%s/facts/rhel-damaged.errors.txt",
		 getenv("TSAM_TEST_DATA"));
	tsam_buf_init(&want, 1 << 16);
	assert_int_equal(tsam_fsio_read(path, &want, NULL), TSAM_OK);
	assert_string_equal(lines.data, want.data);
	tsam_buf_free(&want);
	tsam_buf_free(&lines);
	json_object_put(got);
	tsam_buf_free(&raw);
}

static void no_collector_no_facts(void **state)
{
	struct tsam_sections secs;
	json_object *got, *facts;
	const char out[] = "TSAMKIT-COLLECT 1 " B "\n" B " trailer rc=0\n";

	(void)state;
	assert_int_equal(tsam_sections_parse(out, sizeof(out) - 1, B, &secs),
			 TSAM_OK);
	assert_int_equal(tsam_facts_parse(&secs, &got), TSAM_OK);
	assert_true(json_object_object_get_ex(got, "facts", &facts));
	assert_int_equal(json_object_object_length(facts), 0);
	json_object_put(got);
	tsam_sections_free(&secs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(debian_chrony),
	    cmocka_unit_test(damaged_sections),
	    cmocka_unit_test(no_collector_no_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
