/*
 * test_sla.c - the money side of the SLA statistics: a fee that is not a
 * finite amount in range (issue 14: 1e308 from a portfolio gave "amount":
 * inf, which is not JSON) is an error naming the customer and the fee;
 * every accepted fee gives a finite amount and stats that parse again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sla.h"

static struct tsam_mapping map;
static struct tsam_policy pol;
static struct tsam_cal *jp, *wall;
static struct tsam_tz *zone;
static struct tsam_cases cs;

static int setup(void **state)
{
	const char *src = getenv("TSAM_SRC");
	struct tsam_cases_opts co;
	struct tsam_errbuf eb;
	char cases[4096], events[4096];

	(void)state;
	tsam_errbuf_clear(&eb);
	snprintf(cases, sizeof(cases), "%s/tests/data/cases/cases.csv", src);
	snprintf(events, sizeof(events), "%s/tests/data/cases/events.csv", src);
	memset(&co, 0, sizeof(co));
	co.cases_path = cases;
	co.events_path = events;
	co.customer = "acme";
	co.map = &map;
	if (tsam_mapping_init(&map) != TSAM_OK ||
	    tsam_policy_default(&pol, src, NULL, &eb) != TSAM_OK ||
	    tsam_cal_named(src, "japan", &jp, &eb) != TSAM_OK ||
	    tsam_cal_named(src, "24x7", &wall, &eb) != TSAM_OK ||
	    tsam_tz_load(NULL, "Asia/Tokyo", &zone, &eb) != TSAM_OK)
		goto fail;
	co.zone = zone;
	if (tsam_cases_load(&cs, &co, &eb) != TSAM_OK)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "setup: %s\n", eb.msg);
	return -1;
}

static int teardown(void **state)
{
	(void)state;
	tsam_cases_free(&cs);
	tsam_cal_free(jp);
	tsam_cal_free(wall);
	tsam_tz_free(zone);
	tsam_mapping_free(&map);
	return 0;
}

/* The statistics of 2026Q3 for fee in currency; the amount, or NAN when
 * the computation failed (the message in eb). The output must serialise
 * to JSON that parses again. */
static double amount(double fee, const char *currency, const char *customer,
		     struct tsam_errbuf *eb)
{
	struct tsam_sla_opts so;
	json_object *doc = NULL, *again = NULL, *c, *a;
	const char *text;
	double v = NAN;

	memset(&so, 0, sizeof(so));
	so.policy = &pol;
	so.tier = TSAM_TIER_PLATINUM;
	so.support = jp;
	so.wall = wall;
	so.year = 2026;
	so.quarter = 3;
	so.as_of = 1791158400; /* 2026-10-05T00:00:00Z */
	so.customer = customer;
	so.fee = fee;
	so.currency = currency;
	tsam_errbuf_clear(eb);
	if (tsam_sla_stats(&cs, &so, &doc, eb) != TSAM_OK) {
		assert_null(doc);
		return NAN;
	}
	text = json_object_to_json_string(doc);
	if (tsam_json_parse(text, strlen(text), "stats", &again, eb) != TSAM_OK)
		fail_msg("stats.json is not JSON: %s", eb->msg);
	if (json_object_object_get_ex(again, "credits", &c) &&
	    json_object_object_get_ex(c, "amount", &a))
		v = json_object_get_double(a);
	else
		v = 0;
	json_object_put(again);
	json_object_put(doc);
	return v;
}

static void test_fee_refused(void **state)
{
	static const double bad[] = {1e308, 1e12 + 1, -1, -0.01};
	struct tsam_errbuf eb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(isnan(amount(bad[i], "USD", "acme", &eb)));
		if (strstr(eb.msg, "fee of customer acme: ") == NULL ||
		    strstr(eb.msg, "is not an amount from 0 to "
				   "1000000000000") == NULL)
			fail_msg("fee %g: \"%s\"", bad[i], eb.msg);
	}
	assert_true(isnan(amount(INFINITY, "USD", "acme", &eb)));
	assert_non_null(strstr(eb.msg, "fee of customer acme: inf is not"));
	assert_true(isnan(amount(NAN, "USD", NULL, &eb)));
	assert_non_null(strstr(eb.msg, "fee: nan is not an amount"));
	/* a fee needs a currency that is text */
	assert_true(isnan(amount(1000, NULL, "acme", &eb)));
	assert_non_null(strstr(eb.msg, "fee of customer acme: the currency"));
	assert_true(isnan(amount(1000, "\xff\xfe", "acme", &eb)));
	assert_non_null(strstr(eb.msg, "the currency must be"));
}

static void test_fee_accepted(void **state)
{
	struct tsam_errbuf eb;

	(void)state;
	/* the fixture: 2 % of the fee (docs/cases.md, test_cases.sh) */
	assert_true(amount(3000000, "JPY", "acme", &eb) == 60000);
	assert_true(amount(0, NULL, "acme", &eb) == 0); /* percent only */
	/* the largest fee: an exact, finite amount */
	assert_true(amount(1e12, "JPY", "acme", &eb) == 2e10);
	assert_true(amount(0.01, "GBP", "acme", &eb) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fee_refused),
	    cmocka_unit_test(test_fee_accepted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
