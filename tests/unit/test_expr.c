/*
 * test_expr.c - the check-expression evaluator, table-driven: every
 * operator passing, failing and erroring, logic and quantifiers, ages
 * relative to the collection time, time left until a date (end of
 * support), and compile errors naming the place.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "expr.h"
#include "str.h"

static const char facts_json[] =
    "{\"onaccess.running\": true, \"update.period_minutes\": 60,"
    " \"product.version\": \"10.5.2\", \"os.id\": \"rhel\","
    " \"os.kernel\": \"5.14.0-362.el9.x86_64\", \"hw.mem_total_mb\": 3900,"
    " \"update.last_success\": \"2026-11-25T00:00:00Z\","
    " \"update.sources\": [{\"role\": \"primary\", \"location\": \"sophos:\"}],"
    " \"exclusions\": [{\"kind\": \"path\", \"value\": \"/tmp/\"},"
    "                  {\"kind\": \"glob\", \"value\": \"*.log\"}],"
    " \"support.end\": \"2027-05-26T00:00:00Z\","
    " \"support.past\": \"2023-07-20T23:59:59Z\","
    " \"bad.time\": \"yesterday\"}";

/* 2026-11-26T00:00:00Z: one day after the last update. */
#define COLLECTED ((time_t)1795651200)

static void verdicts(void **state)
{
	static const struct {
		const char *expr;
		enum tsam_verdict want;
	} t[] = {
	    {"{\"fact\": \"onaccess.running\", \"op\": \"eq\", \"value\": "
	     "true}",
	     TSAM_PASS},
	    {"{\"fact\": \"onaccess.running\", \"op\": \"eq\", \"value\": "
	     "false}",
	     TSAM_FAIL},
	    {"{\"fact\": \"onaccess.running\", \"op\": \"ne\", \"value\": "
	     "false}",
	     TSAM_PASS},
	    {"{\"fact\": \"missing.fact\", \"op\": \"eq\", \"value\": true}",
	     TSAM_ERROR},
	    {"{\"fact\": \"update.period_minutes\", \"op\": \"le\", \"value\": "
	     "60}",
	     TSAM_PASS},
	    {"{\"fact\": \"update.period_minutes\", \"op\": \"lt\", \"value\": "
	     "60}",
	     TSAM_FAIL},
	    {"{\"fact\": \"update.period_minutes\", \"op\": \"gt\", \"value\": "
	     "59.5}",
	     TSAM_PASS},
	    {"{\"fact\": \"update.period_minutes\", \"op\": \"ge\", \"value\": "
	     "61}",
	     TSAM_FAIL},
	    {"{\"fact\": \"os.id\", \"op\": \"lt\", \"value\": 3}", TSAM_ERROR},
	    {"{\"fact\": \"os.id\", \"op\": \"in\", \"value\": [\"debian\", "
	     "\"rhel\"]}",
	     TSAM_PASS},
	    {"{\"fact\": \"os.id\", \"op\": \"in\", \"value\": [\"ubuntu\"]}",
	     TSAM_FAIL},
	    {"{\"fact\": \"os.id\", \"op\": \"exists\"}", TSAM_PASS},
	    {"{\"fact\": \"nope\", \"op\": \"exists\"}", TSAM_FAIL},
	    /* repetition inside repetition, brackets with ']' and classes:
	     * tame, compiled and matched */
	    {"{\"fact\": \"os.id\", \"op\": \"matches\", \"value\": "
	     "\"^(r(h){1,3}e{1,2}l)+$\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"os.id\", \"op\": \"matches\", \"value\": "
	     "\"^[]x[:alpha:]]+[[:alpha:]]{2}$\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"os.kernel\", \"op\": \"matches\", \"value\": "
	     "\"^5\\\\.14\\\\..*el9\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"os.kernel\", \"op\": \"matches\", \"value\": "
	     "\"^4\\\\.\"}",
	     TSAM_FAIL},
	    {"{\"fact\": \"product.version\", \"op\": \"version_ge\", "
	     "\"value\": \"10.5\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"product.version\", \"op\": \"version_ge\", "
	     "\"value\": \"10.10\"}",
	     TSAM_FAIL},
	    {"{\"fact\": \"product.version\", \"op\": \"version_lt\", "
	     "\"value\": \"10.5.10\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"product.version\", \"op\": \"version_gt\", "
	     "\"value\": \"9.99\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"product.version\", \"op\": \"version_le\", "
	     "\"value\": \"10.5.2\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"update.last_success\", \"op\": \"age_le\", "
	     "\"value\": \"24h\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"update.last_success\", \"op\": \"age_le\", "
	     "\"value\": \"23h\"}",
	     TSAM_FAIL},
	    {"{\"fact\": \"update.last_success\", \"op\": \"age_gt\", "
	     "\"value\": \"7d\"}",
	     TSAM_FAIL},
	    {"{\"fact\": \"bad.time\", \"op\": \"age_le\", \"value\": \"1d\"}",
	     TSAM_ERROR},
	    /* support.end is 181 days after the collection */
	    {"{\"fact\": \"support.end\", \"op\": \"until_gt\", "
	     "\"value\": \"0s\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"support.end\", \"op\": \"until_gt\", "
	     "\"value\": \"180d\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"support.end\", \"op\": \"until_gt\", "
	     "\"value\": \"181d\"}",
	     TSAM_FAIL},
	    {"{\"fact\": \"support.end\", \"op\": \"until_le\", "
	     "\"value\": \"183d\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"support.end\", \"op\": \"until_le\", "
	     "\"value\": \"180d\"}",
	     TSAM_FAIL},
	    {"{\"fact\": \"support.past\", \"op\": \"until_gt\", "
	     "\"value\": \"0s\"}",
	     TSAM_FAIL},
	    {"{\"fact\": \"support.past\", \"op\": \"until_le\", "
	     "\"value\": \"0s\"}",
	     TSAM_PASS},
	    {"{\"fact\": \"bad.time\", \"op\": \"until_gt\", "
	     "\"value\": \"1d\"}",
	     TSAM_ERROR},
	    {"{\"fact\": \"os.id\", \"op\": \"until_gt\", \"value\": \"1d\"}",
	     TSAM_ERROR},
	    {"{\"all\": [{\"fact\": \"os.id\", \"op\": \"exists\"}, {\"fact\": "
	     "\"onaccess.running\", \"op\": \"eq\", \"value\": true}]}",
	     TSAM_PASS},
	    {"{\"all\": [{\"fact\": \"nope\", \"op\": \"eq\", \"value\": 1}, "
	     "{\"fact\": \"os.id\", \"op\": \"eq\", \"value\": \"x\"}]}",
	     TSAM_FAIL},
	    {"{\"all\": [{\"fact\": \"nope\", \"op\": \"eq\", \"value\": 1}, "
	     "{\"fact\": \"os.id\", \"op\": \"exists\"}]}",
	     TSAM_ERROR},
	    {"{\"any\": [{\"fact\": \"nope\", \"op\": \"eq\", \"value\": 1}, "
	     "{\"fact\": \"os.id\", \"op\": \"exists\"}]}",
	     TSAM_PASS},
	    {"{\"not\": {\"fact\": \"os.id\", \"op\": \"eq\", \"value\": "
	     "\"rhel\"}}",
	     TSAM_FAIL},
	    {"{\"not\": {\"fact\": \"nope\", \"op\": \"eq\", \"value\": 1}}",
	     TSAM_ERROR},
	    {"{\"fact\": \"exclusions\", \"op\": \"none\", \"where\": "
	     "{\"field\": \"value\", \"op\": \"in\", \"value\": [\"/\", "
	     "\"/tmp/\"]}}",
	     TSAM_FAIL},
	    {"{\"fact\": \"exclusions\", \"op\": \"any\", \"where\": "
	     "{\"field\": \"kind\", \"op\": \"eq\", \"value\": \"glob\"}}",
	     TSAM_PASS},
	    {"{\"fact\": \"exclusions\", \"op\": \"all\", \"where\": "
	     "{\"field\": \"kind\", \"op\": \"eq\", \"value\": \"path\"}}",
	     TSAM_FAIL},
	    {"{\"fact\": \"update.sources\", \"op\": \"count_ge\", \"value\": "
	     "2}",
	     TSAM_FAIL},
	    {"{\"fact\": \"update.sources\", \"op\": \"count_le\", \"value\": "
	     "1}",
	     TSAM_PASS},
	    {"{\"fact\": \"exclusions\", \"op\": \"count_ge\", \"value\": 1, "
	     "\"where\": {\"field\": \"value\", \"op\": \"matches\", "
	     "\"value\": \"^\\\\*\\\\.\"}}",
	     TSAM_PASS},
	    {"{\"fact\": \"os.id\", \"op\": \"any\", \"where\": {\"field\": "
	     "\"x\", \"op\": \"exists\"}}",
	     TSAM_ERROR},
	};
	json_object *facts = NULL;
	size_t i;

	(void)state;
	assert_int_equal(tsam_json_parse(facts_json, strlen(facts_json),
					 "facts", &facts, NULL),
			 TSAM_OK);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		json_object *j = NULL, *obs = NULL;
		struct tsam_expr *e = NULL;
		struct tsam_errbuf eb;
		enum tsam_verdict v;

		tsam_errbuf_clear(&eb);
		assert_int_equal(tsam_json_parse(t[i].expr, strlen(t[i].expr),
						 "e", &j, NULL),
				 TSAM_OK);
		if (tsam_expr_compile(j, "t", &e, &eb) != TSAM_OK)
			fail_msg("case %zu does not compile: %s", i, eb.msg);
		v = tsam_expr_eval(e, facts, COLLECTED, &obs);
		if (v != t[i].want)
			fail_msg("case %zu: %s -> %d, want %d", i, t[i].expr, v,
				 t[i].want);
		if (v == TSAM_PASS)
			assert_null(obs);
		json_object_put(obs);
		tsam_expr_free(e);
		json_object_put(j);
	}
	json_object_put(facts);
}

static void observed_and_expected(void **state)
{
	const char *x = "{\"fact\": \"update.period_minutes\", \"op\": \"le\", "
			"\"value\": 30}";
	json_object *facts, *j, *obs = NULL, *o;
	struct tsam_expr *e;

	(void)state;
	assert_int_equal(
	    tsam_json_parse(facts_json, strlen(facts_json), "f", &facts, NULL),
	    TSAM_OK);
	assert_int_equal(tsam_json_parse(x, strlen(x), "e", &j, NULL), TSAM_OK);
	assert_int_equal(tsam_expr_compile(j, "t", &e, NULL), TSAM_OK);
	assert_int_equal(tsam_expr_eval(e, facts, COLLECTED, &obs), TSAM_FAIL);
	assert_non_null(obs);
	assert_string_equal(tsam_json_str(obs, "fact"),
			    "update.period_minutes");
	assert_true(json_object_object_get_ex(obs, "observed", &o));
	assert_int_equal(json_object_get_int(o), 60);
	assert_string_equal(tsam_json_str(obs, "expected"), "le 30");
	json_object_put(obs);
	tsam_expr_free(e);
	json_object_put(j);
	json_object_put(facts);
}

/* A failed "all" or "none" names the items that broke it; "any" and a
 * passing quantifier name none. */
static void offending_items(void **state)
{
	static const struct {
		const char *expr, *want;
	} t[] = {
	    {"{\"fact\": \"exclusions\", \"op\": \"none\", \"where\": "
	     "{\"field\": \"kind\", \"op\": \"eq\", \"value\": \"glob\"}}",
	     "[ 1 ]"},
	    {"{\"fact\": \"exclusions\", \"op\": \"all\", \"where\": "
	     "{\"field\": \"value\", \"op\": \"matches\", \"value\": "
	     "\"^/\"}}",
	     "[ 1 ]"},
	    {"{\"fact\": \"exclusions\", \"op\": \"none\", "
	     "\"where\": {\"field\": \"value\", \"op\": \"exists\"}}",
	     "[ 0, 1 ]"},
	    {"{\"fact\": \"exclusions\", \"op\": \"all\", \"where\": "
	     "{\"field\": \"kind\", \"op\": \"eq\", \"value\": \"dir\"}}",
	     "[ 0, 1 ]"},
	    {"{\"fact\": \"exclusions\", \"op\": \"any\", \"where\": "
	     "{\"field\": \"kind\", \"op\": \"eq\", \"value\": \"dir\"}}",
	     NULL},
	    /* the list noted first keeps its own: the second fails too but
	     * is not the one observed */
	    {"{\"all\": [{\"fact\": \"update.sources\", \"op\": \"count_ge\", "
	     "\"value\": 2}, {\"fact\": \"exclusions\", \"op\": \"none\", "
	     "\"where\": {\"field\": \"value\", \"op\": \"exists\"}}]}",
	     NULL},
	};
	json_object *facts, *j, *obs, *o;
	struct tsam_expr *e;
	size_t i;

	(void)state;
	assert_int_equal(
	    tsam_json_parse(facts_json, strlen(facts_json), "f", &facts, NULL),
	    TSAM_OK);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(tsam_json_parse(t[i].expr, strlen(t[i].expr),
						 "e", &j, NULL),
				 TSAM_OK);
		assert_int_equal(tsam_expr_compile(j, "t", &e, NULL), TSAM_OK);
		obs = NULL;
		assert_int_equal(tsam_expr_eval(e, facts, COLLECTED, &obs),
				 TSAM_FAIL);
		assert_non_null(obs);
		if (t[i].want == NULL) {
			assert_false(
			    json_object_object_get_ex(obs, "offending", NULL));
		} else {
			assert_true(
			    json_object_object_get_ex(obs, "offending", &o));
			assert_string_equal(json_object_to_json_string_ext(
						o, JSON_C_TO_STRING_SPACED),
					    t[i].want);
		}
		json_object_put(obs);
		tsam_expr_free(e);
		json_object_put(j);
	}
	json_object_put(facts);
}

static void compile_errors(void **state)
{
	static const struct {
		const char *expr, *msg;
	} t[] = {
	    {"{\"fact\": \"a\", \"op\": \"equals\", \"value\": 1}",
	     "R1: unknown operator 'equals'"},
	    {"{\"fact\": \"a\", \"op\": \"matches\", \"value\": \"([\"}",
	     "R1: bad regex '(['"},
	    /* a quantifier after a quantifier: not a pattern */
	    {"{\"fact\": \"a\", \"op\": \"matches\", \"value\": \"^x+++\"}",
	     "quantifier does not follow a repeatable item"},
	    /* groups nested deeper than 32 */
	    {"{\"fact\": \"a\", \"op\": \"matches\", \"value\": "
	     "\"((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))"
	     "))))))\"}",
	     "too deeply nested"},
	    {"{\"fact\": \"a\", \"op\": \"age_le\", \"value\": \"24 hours\"}",
	     "needs a duration"},
	    {"{\"fact\": \"a\", \"op\": \"until_gt\", \"value\": \"6 months\"}",
	     "'until_gt' needs a duration"},
	    {"{\"fact\": \"a\", \"op\": \"le\", \"value\": \"60\"}",
	     "'le' needs a number"},
	    {"{\"fact\": \"a\", \"op\": \"in\", \"value\": \"x\"}",
	     "'in' needs an array"},
	    {"{\"fact\": \"a\", \"op\": \"eq\"}", "needs a \"value\""},
	    {"{\"fact\": \"a\", \"op\": \"exists\", \"value\": 1}",
	     "takes no value"},
	    {"{\"op\": \"eq\", \"value\": 1}", "one of \"fact\" or \"field\""},
	    {"{\"field\": \"a\", \"op\": \"eq\", \"value\": 1}",
	     "only allowed inside"},
	    {"{\"fact\": \"a\", \"op\": \"any\"}", "needs \"where\""},
	    {"{\"fact\": \"a\", \"op\": \"count_ge\", \"value\": \"2\"}",
	     "integer"},
	    {"{\"all\": []}", "non-empty array"},
	    {"{\"all\": [{\"fact\": \"a\", \"op\": \"exists\"}], \"fact\": "
	     "\"b\"}",
	     "stand alone"},
	    {"{\"fact\": \"a\", \"op\": \"eq\", \"value\": 1, \"vaule\": 2}",
	     "unknown member \"vaule\""},
	    {"[1]", "a check is an object"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		json_object *j = NULL;
		struct tsam_expr *e = NULL;
		struct tsam_errbuf eb;
		tsam_errbuf_clear(&eb);
		assert_int_equal(tsam_json_parse(t[i].expr, strlen(t[i].expr),
						 "e", &j, NULL),
				 TSAM_OK);
		assert_int_equal(tsam_expr_compile(j, "R1", &e, &eb),
				 TSAM_ERR_PARSE);
		assert_null(e);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, eb.msg,
				 t[i].msg);
		json_object_put(j);
	}
}

/*
 * Patterns that took glibc's regcomp gigabytes or a matcher exponential
 * time compile, and a match that would backtrack without end stops at
 * PCRE2's limits with an error result, quickly; over 1,024 bytes is
 * refused.
 */
#define NOT_PASS (-1)
static void regex_limits(void **state)
{
	static const struct {
		const char *re;
		int want; /* a verdict, or NOT_PASS */
	} t[] = {
	    {"((a{20}){20}){20}", TSAM_FAIL},
	    {"^(x+)+$", TSAM_ERROR},
	    /* no 'y' in the subject: PCRE2 may fail at once, or at a limit */
	    {"(((((((((((((x+)+)+)+)+)+)+)+)+)+)+)+)+)y", NOT_PASS},
	    {"(x+x+)+y", NOT_PASS},
	    {"^(x+x+)+[y!]z", NOT_PASS},
	    {"^x+!$", TSAM_PASS},
	};
	char subject[64], doc[256], big[1200];
	json_object *facts = NULL, *j;
	struct tsam_expr *e = NULL;
	struct tsam_errbuf eb;
	enum tsam_verdict v;
	bool bad;
	size_t i;

	(void)state;
	memset(subject, 'x', 40);
	strcpy(subject + 40, "!");
	snprintf(doc, sizeof(doc), "{\"a\": \"%s\"}", subject);
	assert_int_equal(tsam_json_parse(doc, strlen(doc), "f", &facts, NULL),
			 TSAM_OK);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		j = json_object_new_object();
		json_object_object_add(j, "fact", json_object_new_string("a"));
		json_object_object_add(j, "op",
				       json_object_new_string("matches"));
		json_object_object_add(j, "value",
				       json_object_new_string(t[i].re));
		tsam_errbuf_clear(&eb);
		if (tsam_expr_compile(j, "R1", &e, &eb) != TSAM_OK)
			fail_msg("%s does not compile: %s", t[i].re, eb.msg);
		v = tsam_expr_eval(e, facts, COLLECTED, NULL);
		bad = t[i].want == NOT_PASS ? v == TSAM_PASS
					    : (int)v != t[i].want;
		if (bad)
			fail_msg("%s: %d, not %d", t[i].re, v, t[i].want);
		tsam_expr_free(e);
		json_object_put(j);
	}
	memset(big, 'a', 1025);
	big[1025] = '\0';
	j = json_object_new_object();
	json_object_object_add(j, "fact", json_object_new_string("a"));
	json_object_object_add(j, "op", json_object_new_string("matches"));
	json_object_object_add(j, "value", json_object_new_string(big));
	tsam_errbuf_clear(&eb);
	assert_int_equal(tsam_expr_compile(j, "R1", &e, &eb), TSAM_ERR_PARSE);
	assert_non_null(strstr(eb.msg, "longer than 1024 bytes"));
	json_object_put(j);
	json_object_put(facts);
}

/* tsam_expr_refers: facts anywhere in the tree, never "where" fields. */
static void refers(void **state)
{
	static const struct {
		const char *expr;
		bool want;
	} t[] = {
	    {"{\"fact\": \"lifecycle.product.end_of_support\", \"op\": "
	     "\"exists\"}",
	     true},
	    {"{\"not\": {\"any\": [{\"fact\": \"os.id\", \"op\": \"exists\"}, "
	     "{\"fact\": \"lifecycle.os.line\", \"op\": \"exists\"}]}}",
	     true},
	    {"{\"fact\": \"exclusions\", \"op\": \"any\", \"where\": "
	     "{\"field\": \"lifecycle.x\", \"op\": \"exists\"}}",
	     false},
	    {"{\"fact\": \"lifecycles\", \"op\": \"exists\"}", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct tsam_errbuf eb;
		struct tsam_expr *e = NULL;
		json_object *j = NULL;

		tsam_errbuf_clear(&eb);
		assert_int_equal(tsam_json_parse(t[i].expr, strlen(t[i].expr),
						 "e", &j, NULL),
				 TSAM_OK);
		assert_int_equal(tsam_expr_compile(j, "R", &e, &eb), TSAM_OK);
		assert_int_equal(tsam_expr_refers(e, "lifecycle."), t[i].want);
		tsam_expr_free(e);
		json_object_put(j);
	}
}

static void versions_and_times(void **state)
{
	(void)state;
	assert_true(tsam_version_cmp("10.5.2", "10.10") < 0);
	assert_true(tsam_version_cmp("10.10", "10.5.2") > 0);
	assert_int_equal(tsam_version_cmp("2023.4.1.8", "2023.4.1.8"), 0);
	assert_true(tsam_version_cmp("1.0", "1.0.1") < 0);
	assert_true(tsam_version_cmp("9.16.2", "10") < 0);
	assert_true(tsam_version_cmp("1.0-rc1", "1.0-rc2") < 0);
	assert_int_equal(tsam_duration_parse("24h"), 86400);
	assert_int_equal(tsam_duration_parse("7d"), 604800);
	assert_int_equal(tsam_duration_parse("h"), -1);
	assert_int_equal(tsam_duration_parse("-1h"), -1);
	assert_int_equal(tsam_time_parse("2026-11-26T00:00:00Z"), COLLECTED);
	assert_int_equal(tsam_time_parse("2026-13-26T00:00:00Z"), -1);
	assert_int_equal(tsam_time_parse("2026-11-26 00:00:00"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(verdicts),
	    cmocka_unit_test(observed_and_expected),
	    cmocka_unit_test(offending_items),
	    cmocka_unit_test(compile_errors),
	    cmocka_unit_test(regex_limits),
	    cmocka_unit_test(versions_and_times),
	    cmocka_unit_test(refers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
