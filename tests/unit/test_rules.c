/*
 * test_rules.c - the shipped rule files load; every kind of mistake in a
 * rule file is reported with the file and the rule id.
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

#include "rules.h"

#define GOOD_TEXT                                                               \
	"\"title\": {\"en\": \"t\", \"ja\": \"て\"}, \"rationale\": {\"en\": " \
	"\"r\", \"ja\": \"り\"}, \"recommendation\": {\"en\": \"x\", \"ja\": " \
	"\"え\"}"

static void shipped_rules_load(void **state)
{
	struct tsam_rules rs = {0};
	struct tsam_errbuf eb;
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/collectors", getenv("TSAM_SRC"));
	tsam_errbuf_clear(&eb);
	if (tsam_rules_load_dir(&rs, dir, &eb) != TSAM_OK)
		fail_msg("%s", eb.msg);
	assert_true(rs.n >= 20);
	tsam_rules_free(&rs);
}

static void mistakes_named(void **state)
{
	static const struct {
		const char *rule, *msg;
	} t[] = {
	    {"{\"id\": \"bad id\"}", "R.json: bad id: bad id"},
	    {"{\"id\": \"X-1\", \"title\": {\"en\": \"t\"}}",
	     "R.json: X-1: \"title\" has no ja text"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"speed\"}",
	     "X-1: category 'speed'"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"urgent\"}",
	     "X-1: severity 'urgent'"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 2}",
	     "X-1: \"impact\""},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1}",
	     "X-1: \"check\" is required"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1, \"check\": {\"fact\": \"a\", \"op\": "
	     "\"is\", \"value\": 1}}",
	     "X-1: unknown operator 'is'"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1, \"check\": {\"fact\": \"a\", \"op\": "
	     "\"matches\", \"value\": \"(\"}}",
	     "X-1: bad regex"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"category\": \"update\", \"severity\": \"low\", \"impact\": "
	     "0.1, \"check\": {\"fact\": \"a\", \"op\": \"exists\"}}",
	     "X-1: \"evidence\" is required"},
	    {"{\"id\": \"X-1\", \"titel\": 1}",
	     "X-1: unknown member \"titel\""},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1, \"fleet\": {\"type\": \"median\"}}",
	     "X-1: unknown fleet rule type 'median'"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1, \"fleet\": {\"type\": \"share\", "
	     "\"rule\": \"A-1\", \"min_pct\": 150}}",
	     "X-1: a share rule needs"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1, \"fleet\": {\"type\": \"uncollected\", "
	     "\"max_pct\": 5}, \"check\": {\"fact\": \"a\", \"op\": "
	     "\"exists\"}}",
	     "X-1: a fleet rule has \"fleet\" instead"},
	    {"{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1, \"check\": {\"fact\": \"a\", \"op\": "
	     "\"exists\"}},"
	     "{\"id\": \"X-1\", " GOOD_TEXT
	     ", \"evidence\": [], \"category\": \"update\", \"severity\": "
	     "\"low\", \"impact\": 0.1, \"check\": {\"fact\": \"a\", \"op\": "
	     "\"exists\"}}",
	     "X-1: duplicate id"},
	};
	char dir[] = "/tmp/tsam-rules-XXXXXX", path[256];
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/R.json", dir);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_rules rs = {0};
		struct tsam_errbuf eb;
		FILE *f = fopen(path, "w");
		fprintf(f, "{\"schema\": \"tsamkit-rules/1\", \"rules\": [%s]}",
			t[i].rule);
		fclose(f);
		tsam_errbuf_clear(&eb);
		assert_int_not_equal(tsam_rules_load_file(&rs, path, &eb),
				     TSAM_OK);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, eb.msg,
				 t[i].msg);
		tsam_rules_free(&rs);
	}
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped_rules_load),
	    cmocka_unit_test(mistakes_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
