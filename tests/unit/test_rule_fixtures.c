/*
 * test_rule_fixtures.c - every per-host rule shipped in collectors/ has a
 * fixture that makes it pass and one that makes it fail
 * (tests/data/rules/fixtures.json): a rule without both, or a fixture that
 * does not give its result, fails this test. The lifecycle table shipped
 * in collectors/ is applied to each fixture, as tsam-check does: a fixture
 * may give a product version (judged by the real table) or the lifecycle
 * facts themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "rules.h"

/* facts = base (file) + base (rule) + the case's own facts, with the
 * lifecycle table's facts */
static json_object *facts_for(const struct tsam_rules *rs, json_object *fx,
			      json_object *entry, json_object *own)
{
	json_object *f = json_object_new_object(), *b;
	json_object *layers[3] = {NULL, NULL, own};
	size_t i;

	json_object_object_get_ex(fx, "base", &layers[0]);
	if (json_object_object_get_ex(entry, "base", &b))
		layers[1] = b;
	for (i = 0; i < 3; i++) {
		if (layers[i] == NULL)
			continue;
		json_object_object_foreach(layers[i], k, v)
		    json_object_object_add(f, k, json_object_get(v));
	}
	assert_int_equal(tsam_lifecycle_apply(rs->lifecycle, f), TSAM_OK);
	return f;
}

static void every_rule_passes_and_fails(void **state)
{
	struct tsam_rules rs = {0};
	struct tsam_errbuf eb;
	json_object *fx = NULL, *all;
	char path[4096];
	time_t collected;
	size_t i;
	int k;

	(void)state;
	snprintf(path, sizeof(path), "%s/collectors", getenv("TSAM_SRC"));
	tsam_errbuf_clear(&eb);
	if (tsam_rules_load_dir(&rs, path, &eb) != TSAM_OK)
		fail_msg("%s", eb.msg);
	snprintf(path, sizeof(path), "%s/rules/fixtures.json",
		 getenv("TSAM_TEST_DATA"));
	assert_int_equal(tsam_json_load(path, 1 << 20, &fx, &eb), TSAM_OK);
	collected = tsam_time_parse(tsam_json_str(fx, "collected"));
	assert_true(collected > 0);
	assert_true(json_object_object_get_ex(fx, "rules", &all));
	for (i = 0; i < rs.n; i++) {
		const struct tsam_rule *r = &rs.v[i];
		json_object *entry;
		if (r->check == NULL)
			continue; /* fleet rules: tests/ssh/test_check.sh */
		if (!json_object_object_get_ex(all, r->id, &entry))
			fail_msg("%s (%s) has no pass/fail fixtures in %s",
				 r->id, r->file, path);
		for (k = 0; k < 2; k++) {
			static const char *const which[2] = {"pass", "fail"};
			json_object *own, *facts;
			enum tsam_verdict want = k == 0 ? TSAM_PASS : TSAM_FAIL;
			if (!json_object_object_get_ex(entry, which[k], &own))
				fail_msg("%s: no \"%s\" fixture", r->id,
					 which[k]);
			facts = facts_for(&rs, fx, entry, own);
			if (r->when != NULL &&
			    tsam_expr_eval(r->when, facts, collected, NULL) !=
				TSAM_PASS)
				fail_msg(
				    "%s: the %s fixture does not meet \"when\"",
				    r->id, which[k]);
			if (tsam_expr_eval(r->check, facts, collected, NULL) !=
			    want)
				fail_msg("%s: the %s fixture does not %s",
					 r->id, which[k], which[k]);
			json_object_put(facts);
		}
	}
	json_object_put(fx);
	tsam_rules_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_rule_passes_and_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
