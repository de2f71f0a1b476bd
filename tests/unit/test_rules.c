/*
 * test_rules.c - the shipped rule files load; every kind of mistake in a
 * rule file is reported with the file and the rule id; a rules directory's
 * data files (sizing.json, lifecycle.json) load with it, and what rules
 * need of them is there.
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
#include <sys/stat.h>
#include <unistd.h>

#include "rules.h"

#define GOOD_TEXT                                                               \
	"\"title\": {\"en\": \"t\", \"ja\": \"て\"}, \"finding\": {\"en\": "   \
	"\"f\", \"ja\": \"ふ\"}, \"rationale\": {\"en\": "                     \
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
	    /* a failure's finding title, in both languages */
	    {"{\"id\": \"X-1\", \"title\": {\"en\": \"t\", \"ja\": \"て\"}}",
	     "R.json: X-1: \"finding\" must be {\"en\": ..., \"ja\": ...}"},
	    {"{\"id\": \"X-1\", \"title\": {\"en\": \"t\", \"ja\": \"て\"}, "
	     "\"finding\": {\"en\": \"f\"}}",
	     "R.json: X-1: \"finding\" has no ja text"},
	    {"{\"id\": \"X-1\", \"title\": {\"en\": \"t\", \"ja\": \"て\"}, "
	     "\"finding\": {\"en\": \"\", \"ja\": \"ふ\"}}",
	     "R.json: X-1: \"finding\" has no en text"},
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
	size_t i;

	(void)state;
	assert_non_null(scratch_make("rules"));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_rules rs = {0};
		struct tsam_errbuf eb;
		const char *path = scratch_write(
		    "R.json",
		    "{\"schema\": \"tsamkit-rules/1\", \"rules\": [%s]}",
		    t[i].rule);

		tsam_errbuf_clear(&eb);
		assert_int_not_equal(tsam_rules_load_file(&rs, path, &eb),
				     TSAM_OK);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, eb.msg,
				 t[i].msg);
		tsam_rules_free(&rs);
	}
	assert_int_equal(scratch_remove(), 0);
}

#define RULE_HEAD                                                              \
	"{\"schema\": \"tsamkit-rules/1\", \"rules\": [{\"id\": "              \
	"\"X-1\", " GOOD_TEXT                                                  \
	", \"evidence\": [], \"category\": \"capacity\", \"severity\": "       \
	"\"low\", \"impact\": 0.1, "
#define CAPACITY(limit)                                                        \
	RULE_HEAD "\"fleet\": {\"type\": \"capacity\", \"fact\": "             \
		  "\"update.primary_server\", \"sizing\": \"" limit "\"}}]}"
#define SIZING(limits)                                                         \
	"{\"schema\": \"tsamkit-sizing/1\", \"limits\": [" limits "]}"
#define LIMIT(id, max)                                                         \
	"{\"id\": \"" id "\", \"max_endpoints\": " max                         \
	", \"what\": {\"en\": \"e\", \"ja\": \"え\"}, \"source\": \"s\"}"

/* Writes text to DIR/a/name, or removes that file when text is NULL. */
static void put(const char *name, const char *text)
{
	char sub[64];

	snprintf(sub, sizeof(sub), "a/%s", name);
	if (text == NULL)
		unlink(scratch_path(sub));
	else
		scratch_write(sub, "%s", text);
}

static void data_files(void **state)
{
	static const struct {
		const char *rules, *sizing, *lifecycle, *msg; /* msg NULL: ok */
	} t[] = {
	    {CAPACITY("um"), SIZING(LIMIT("um", "25000")), NULL, NULL},
	    {CAPACITY("um"), NULL, NULL,
	     "rules.json: X-1: unknown sizing limit 'um' (no sizing.json"},
	    {CAPACITY("um"), SIZING(LIMIT("other", "5")), NULL,
	     "X-1: unknown sizing limit 'um'"},
	    {RULE_HEAD "\"fleet\": {\"type\": \"capacity\", \"fact\": "
		       "\"f\"}}]}",
	     NULL, NULL, "X-1: a capacity rule needs \"fact\" and \"sizing\""},
	    {CAPACITY("um"), SIZING(LIMIT("um", "0")), NULL,
	     "sizing.json: um: \"max_endpoints\" must be an integer >= 1"},
	    {CAPACITY("um"), SIZING(LIMIT("um", "5") "," LIMIT("um", "6")),
	     NULL, "sizing.json: um: limit defined twice"},
	    {CAPACITY("um"),
	     SIZING("{\"id\": \"um\", \"max_endpoints\": 5, \"what\": "
		    "{\"en\": \"e\"}, \"source\": \"s\"}"),
	     NULL, "sizing.json: um: \"what\" has no ja text"},
	    {CAPACITY("um"),
	     SIZING("{\"id\": \"um\", \"max_endpoints\": 5, \"what\": "
		    "{\"en\": \"e\", \"ja\": \"え\"}}"),
	     NULL, "sizing.json: um: \"source\" (where the figure comes from)"},
	    {CAPACITY("um"), SIZING(LIMIT("um", "5") ", {\"max\": 1}"), NULL,
	     "sizing.json: limits[1]: an object with an \"id\""},
	    {CAPACITY("um"),
	     "{\"schema\": \"tsamkit-sizing/0\", \"limits\": []}", NULL,
	     "sizing.json: \"schema\" must be \"tsamkit-sizing/1\""},
	    {RULE_HEAD "\"check\": {\"fact\": "
		       "\"lifecycle.product.end_of_support\", \"op\": "
		       "\"until_gt\", \"value\": \"0s\"}}]}",
	     NULL, NULL,
	     "rules.json: X-1: tests lifecycle facts but no lifecycle.json"},
	    {RULE_HEAD "\"when\": {\"fact\": \"lifecycle.product.known\", "
		       "\"op\": \"exists\"}, \"check\": {\"fact\": \"a\", "
		       "\"op\": \"exists\"}}]}",
	     NULL, NULL, "X-1: tests lifecycle facts"},
	    {RULE_HEAD "\"check\": {\"fact\": "
		       "\"lifecycle.product.end_of_support\", \"op\": "
		       "\"until_gt\", \"value\": \"0s\"}}]}",
	     NULL,
	     "{\"schema\": \"tsamkit-lifecycle/1\", \"products\": [{\"slot\": "
	     "\"product\", \"name\": \"W\", \"match\": {\"fact\": "
	     "\"product.id\", \"value\": \"w\"}, \"version_fact\": "
	     "\"product.version\", \"lines\": []}]}",
	     NULL},
	    {CAPACITY("um"), SIZING(LIMIT("um", "5")),
	     "{\"schema\": \"tsamkit-lifecycle/1\", \"products\": [{}]}",
	     "lifecycle.json: products[0]: \"slot\""},
	};
	size_t i;

	(void)state;
	assert_non_null(scratch_make("rdir"));
	assert_int_equal(mkdir(scratch_path("a"), 0700), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_rules rs = {0};
		struct tsam_errbuf eb;
		int rc;

		put("rules.json", t[i].rules);
		put("sizing.json", t[i].sizing);
		put("lifecycle.json", t[i].lifecycle);
		tsam_errbuf_clear(&eb);
		rc = tsam_rules_load_dir(&rs, scratch_dir, &eb);
		if (t[i].msg == NULL && rc != TSAM_OK)
			fail_msg("case %zu: %s", i, eb.msg);
		if (t[i].msg != NULL &&
		    (rc == TSAM_OK || strstr(eb.msg, t[i].msg) == NULL))
			fail_msg("case %zu: '%s' lacks '%s'", i,
				 rc == TSAM_OK ? "(loaded)" : eb.msg, t[i].msg);
		tsam_rules_free(&rs);
	}
	assert_int_equal(scratch_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped_rules_load),
	    cmocka_unit_test(mistakes_named),
	    cmocka_unit_test(data_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
