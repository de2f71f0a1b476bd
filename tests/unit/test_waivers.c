/*
 * test_waivers.c - waiver files: validation naming file and entry, host
 * globs, and expiry across the boundary day (UTC, inclusive).
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

#include "expr.h"
#include "waivers.h"

static struct tsam_rules rules;

static int setup(void **state)
{
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/collectors", getenv("TSAM_SRC"));
	if (tsam_rules_load_dir(&rules, path, NULL) != TSAM_OK ||
	    !scratch_make("waivers"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tsam_rules_free(&rules);
	return scratch_remove();
}

static int load(const char *entries, struct tsam_waivers **ws,
		struct tsam_errbuf *eb)
{
	const char *path = scratch_write(
	    "w.json", "{\"schema\": \"tsamkit-waivers/1\", \"waivers\": [%s]}",
	    entries);

	tsam_errbuf_clear(eb);
	return tsam_waivers_load(path, &rules, ws, eb);
}

#define W(rule, hosts, just, created, expires)                                 \
	"{\"rule\": \"" rule "\", \"hosts\": \"" hosts                         \
	"\", \"justification\": \"" just                                       \
	"\", \"approver\": \"Sato (CISO)\", \"created\": \"" created           \
	"\", \"expires\": \"" expires "\"}"

static void expiry_boundary(void **state)
{
	struct tsam_waivers *ws = NULL;
	struct tsam_errbuf eb;
	time_t last = tsam_time_parse("2026-11-25T23:59:59Z");
	time_t next = tsam_time_parse("2026-11-26T00:00:00Z");

	(void)state;
	assert_int_equal(load(W("SAV-EXCL-002", "dmz*",
				"Log files of the DMZ proxy are rotated hourly",
				"2026-01-10", "2026-11-25"),
			      &ws, &eb),
			 TSAM_OK);
	assert_non_null(tsam_waivers_find(ws, "SAV-EXCL-002", "dmz0001", last));
	assert_null(tsam_waivers_find(ws, "SAV-EXCL-002", "dmz0001", next));
	assert_null(tsam_waivers_find(ws, "SAV-EXCL-002", "web0001", last));
	assert_null(tsam_waivers_find(ws, "SAV-EXCL-001", "dmz0001", last));
	assert_int_equal(ws->v[0].applied, 1);
	assert_int_equal(ws->v[0].expired_hits, 1);
	tsam_waivers_free(ws);
}

static void mistakes_named(void **state)
{
	static const struct {
		const char *entries, *msg;
	} t[] = {
	    {W("NO-SUCH-1", "*", "a sentence of reason", "2026-01-01",
	       "2026-02-01"),
	     "w.json: waivers[0]: unknown rule 'NO-SUCH-1'"},
	    {W("SAV-EXCL-002", "*", "ok", "2026-01-01", "2026-02-01"),
	     "waivers[0]: \"justification\" is required"},
	    {W("SAV-EXCL-002", "*", "a sentence of reason", "2026-1-1",
	       "2026-02-01"),
	     "waivers[0]: \"created\" must be a date"},
	    {W("SAV-EXCL-002", "*", "a sentence of reason", "2026-01-01",
	       "next year"),
	     "waivers[0]: \"expires\" must be a date"},
	    {W("SAV-EXCL-002", "*", "a sentence of reason", "2026-03-01",
	       "2026-02-01"),
	     "expires before it was created"},
	    {W("SAV-EXCL-002", "", "a sentence of reason", "2026-01-01",
	       "2026-02-01"),
	     "\"hosts\""},
	    {"{\"rule\": \"SAV-EXCL-002\", \"host\": \"x\"}",
	     "waivers[0]: unknown member \"host\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_waivers *ws = NULL;
		struct tsam_errbuf eb;
		assert_int_not_equal(load(t[i].entries, &ws, &eb), TSAM_OK);
		assert_null(ws);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, eb.msg,
				 t[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(expiry_boundary),
	    cmocka_unit_test(mistakes_named),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
