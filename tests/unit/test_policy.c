/*
 * test_policy.c - SLA policy files: every typed member validated with its
 * documented range (docs/sla.md), a wrong shape, type or a non-finite or
 * absurd number an error naming the file and the key path, and the
 * shipped sla/policy.json with an overlay changing only what it names.
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

#include "policy.h"

static int setup(void **state)
{
	(void)state;
	return scratch_make("policy") ? 0 : -1;
}

/* Writes json to DIR/pol.json and returns its path (static). */
static const char *write_file(const char *json)
{
	return scratch_write("pol.json", "%s", json);
}

#define S   "{\"schema\":\"tsamkit-sla-policy/1\","
#define T2U "\"tiers\":{\"premium\":{\"2\":{\"update\":"

static void test_bad_policies(void **state)
{
	static const struct {
		const char *json, *want;
	} bad[] = {
	    {"[]", "pol.json: must be a JSON object"},
	    {"1", "pol.json: must be a JSON object"},
	    {"{\"schema\":null}", "pol.json: schema: must be"},
	    {"{\"tiers\":{}}", "pol.json: schema: must be"},
	    {S "\"tiers\":[]}", "pol.json: tiers: must be an object"},
	    {S "\"services\":[]}", "pol.json: services: must be an object"},
	    {S "\"services\":{\"gold\":[]}}",
	     "pol.json: services.gold: not a tier"},
	    {S "\"services\":{\"premium\":\"sla\"}}",
	     "pol.json: services.premium: must be a list"},
	    {S "\"services\":{\"premium\":[\"sla\",\"coffee\"]}}",
	     "pol.json: services.premium[1]: unknown service \"coffee\""},
	    {S "\"tiers\":{\"gold\":{}}}",
	     "pol.json: tiers.gold: unknown tier"},
	    {S "\"tiers\":{\"premium\":1}}",
	     "pol.json: tiers.premium: must be an object"},
	    {S "\"tiers\":{\"premium\":{\"5\":{}}}}",
	     "pol.json: tiers.premium.5: severities are"},
	    {S "\"tiers\":{\"premium\":{\"2\":null}}}",
	     "pol.json: tiers.premium.2: must be an object"},
	    {S "\"tiers\":{\"premium\":{\"2\":{\"reply\":null}}}}",
	     "pol.json: tiers.premium.2.reply: unknown target"},
	    {S T2U "true}}}}",
	     "pol.json: tiers.premium.2.update: must be null"},
	    {S T2U "\"daily\"}}}}",
	     "pol.json: tiers.premium.2.update: a string target must be"},
	    {S T2U "{}}}}}",
	     "pol.json: tiers.premium.2.update: exactly one of"},
	    {S T2U "{\"hours\":1,\"minutes\":5}}}}}",
	     "pol.json: tiers.premium.2.update: exactly one of"},
	    {S T2U "{\"hours\":\"2\"}}}}}",
	     "pol.json: tiers.premium.2.update.hours: must be a number from "
	     "0.01 to 8784"},
	    {S T2U "{\"hours\":1e308}}}}}",
	     "pol.json: tiers.premium.2.update.hours: must be a number"},
	    {S T2U "{\"hours\":0}}}}}",
	     "pol.json: tiers.premium.2.update.hours: must be a number"},
	    {S T2U "{\"hours\":-1}}}}}",
	     "pol.json: tiers.premium.2.update.hours: must be a number"},
	    {S T2U "{\"minutes\":0.5}}}}}",
	     "pol.json: tiers.premium.2.update.minutes: must be a number from "
	     "1 to 527040"},
	    {S T2U "{\"business_days\":1.5}}}}}",
	     "pol.json: tiers.premium.2.update.business_days: must be a whole "
	     "number from 1 to 366"},
	    {S T2U "{\"business_days\":9223372036854775807}}}}}",
	     "pol.json: tiers.premium.2.update.business_days: must be a whole"},
	    {S T2U "{\"hours\":2,\"clock\":\"lunar\"}}}}}",
	     "pol.json: tiers.premium.2.update.clock: must be \"24x7\" or "
	     "\"support\""},
	    {S T2U "{\"hours\":2,\"clock\":null}}}}}",
	     "pol.json: tiers.premium.2.update.clock: must be"},
	    {S T2U "{\"weeks\":2}}}}}",
	     "pol.json: tiers.premium.2.update: unknown key \"weeks\""},
	    /* the contract's wording: a known phrase, N hours or N weeks */
	    {S T2U "{\"hours\":24,\"as_written\":\"weekly\"}}}}}",
	     "pol.json: tiers.premium.2.update.as_written: must be \"daily\", "
	     "\"every_business_day\", or hours or weeks as \"24h\", \"1w\""},
	    {S T2U "{\"hours\":24,\"as_written\":\"0h\"}}}}}",
	     "pol.json: tiers.premium.2.update.as_written: must be"},
	    {S T2U "{\"hours\":24,\"as_written\":\"24\"}}}}}",
	     "pol.json: tiers.premium.2.update.as_written: must be"},
	    {S T2U "{\"hours\":24,\"as_written\":\"10000h\"}}}}}",
	     "pol.json: tiers.premium.2.update.as_written: must be"},
	    {S T2U "{\"hours\":24,\"as_written\":\"every_business_days\"}}}}}",
	     "pol.json: tiers.premium.2.update.as_written: must be"},
	    {S T2U "{\"hours\":24,\"as_written\":24}}}}}",
	     "pol.json: tiers.premium.2.update.as_written: must be"},
	    {S "\"credits\":[]}", "pol.json: credits: must be an object"},
	    {S "\"credits\":{\"tiers\":\"premium\"}}",
	     "pol.json: credits.tiers: must be a list"},
	    {S "\"credits\":{\"tiers\":[1]}}",
	     "pol.json: credits.tiers[0]: must be a string"},
	    {S "\"credits\":{\"targets\":[\"response\",\"gold\"]}}",
	     "pol.json: credits.targets[1]: unknown target"},
	    {S "\"credits\":{\"percent_per_miss\":[]}}",
	     "pol.json: credits.percent_per_miss: must be an object"},
	    {S "\"credits\":{\"percent_per_miss\":{\"0\":1}}}",
	     "pol.json: credits.percent_per_miss.0: severities are"},
	    {S "\"credits\":{\"percent_per_miss\":{\"1\":\"10\"}}}",
	     "pol.json: credits.percent_per_miss.1: must be a number from 0 "
	     "to 100"},
	    {S "\"credits\":{\"percent_per_miss\":{\"1\":101}}}",
	     "pol.json: credits.percent_per_miss.1: must be a number"},
	    {S "\"credits\":{\"cap_percent\":1e308}}",
	     "pol.json: credits.cap_percent: must be a number from 0 to 100"},
	    {S "\"credits\":{\"cap_percent\":-0.5}}",
	     "pol.json: credits.cap_percent: must be a number"},
	    {S "\"credits\":{\"cap_percent\":null}}",
	     "pol.json: credits.cap_percent: must be a number"},
	    {S "\"credits\":{\"cap_pecent\":10}}",
	     "pol.json: credits: unknown key \"cap_pecent\""},
	    {S "\"severity3_raise_after_days\":\"30\"}",
	     "pol.json: severity3_raise_after_days: must be a whole number "
	     "from 1 to 3650"},
	    {S "\"severity3_raise_after_days\":0}",
	     "pol.json: severity3_raise_after_days: must be a whole number"},
	    {S "\"comment\":[]}", "pol.json: comment: must be a string"},
	    {S "\"tier\":{}}", "pol.json: unknown key \"tier\""},
	};
	struct tsam_policy p;
	struct tsam_errbuf eb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;

		memset(&p, 0, sizeof(p));
		tsam_errbuf_clear(&eb);
		rc = tsam_policy_load(&p, write_file(bad[i].json), &eb);
		if (rc == TSAM_OK || strstr(eb.msg, bad[i].want) == NULL ||
		    strstr(eb.msg, scratch_dir) == NULL)
			fail_msg("case %zu %s: rc %d, \"%s\" lacks \"%s\"", i,
				 bad[i].json, rc, eb.msg, bad[i].want);
	}
}

static void test_default_and_overlay(void **state)
{
	struct tsam_policy p;
	struct tsam_errbuf eb;
	const struct tsam_spec *s;
	char desc[64];

	(void)state;
	tsam_errbuf_clear(&eb);
	assert_int_equal(tsam_policy_default(&p, getenv("TSAM_SRC"), NULL, &eb),
			 TSAM_OK);
	s = &p.spec[TSAM_TIER_PLATINUM][0][TSAM_TARGET_RESPONSE];
	assert_int_equal(s->kind, TSAM_SPEC_DURATION);
	assert_int_equal(s->seconds, 3600);
	assert_false(s->support_clock);
	assert_int_equal(
	    p.spec[TSAM_TIER_PREMIUM][1][TSAM_TARGET_UPDATE].business_days, 1);
	/* the contract says "daily" (docs/sla.md) */
	tsam_spec_describe(&p.spec[TSAM_TIER_PREMIUM][1][TSAM_TARGET_UPDATE],
			   desc, sizeof(desc));
	assert_string_equal(desc, "1 business day (as written: daily)");
	tsam_spec_describe(&p.spec[TSAM_TIER_STANDARD][1][TSAM_TARGET_UPDATE],
			   desc, sizeof(desc));
	assert_string_equal(desc,
			    "1 business day (as written: every_business_day)");
	tsam_spec_describe(&p.spec[TSAM_TIER_PLATINUM][2][TSAM_TARGET_MANAGER],
			   desc, sizeof(desc));
	assert_string_equal(desc, "168 h (24x7, as written: 1w)");
	assert_int_equal(
	    p.spec[TSAM_TIER_PLATINUM][1][TSAM_TARGET_EXECUTIVE].kind,
	    TSAM_SPEC_ANY_TIME);
	assert_true(p.credit_tier[TSAM_TIER_PREMIUM]);
	assert_false(p.credit_tier[TSAM_TIER_STANDARD]);
	assert_true(p.credit_percent[0] == 10);
	assert_true(p.credit_cap == 25);
	assert_int_equal(p.raise_after_days, 30);
	/* an overlay: only the keys it names change; minutes and integral
	 * doubles are numbers too */
	assert_int_equal(
	    tsam_policy_default(
		&p, getenv("TSAM_SRC"),
		write_file(S "\"tiers\":{\"platinum\":{\"1\":{\"response\":"
			     "{\"minutes\":30.0,\"clock\":\"24x7\"}}}},"
			     "\"credits\":{\"targets\":[\"response\","
			     "\"update\"],\"cap_percent\":100},"
			     "\"severity3_raise_after_days\":3650}"),
		&eb),
	    TSAM_OK);
	assert_int_equal(s->seconds, 1800);
	tsam_spec_describe(s, desc, sizeof(desc));
	assert_string_equal(desc, "30 min (24x7)");
	assert_true(p.credit_target[TSAM_TARGET_UPDATE]);
	assert_true(p.credit_cap == 100);
	assert_true(p.credit_percent[0] == 10);
	assert_int_equal(p.raise_after_days, 3650);
	assert_int_equal(
	    p.spec[TSAM_TIER_PREMIUM][1][TSAM_TARGET_UPDATE].business_days, 1);
	/* the longest target of each unit */
	assert_int_equal(
	    tsam_policy_load(&p,
			     write_file(S T2U "{\"hours\":8784}, \"manager\":"
					      "{\"business_days\":366}}}}}"),
			     &eb),
	    TSAM_OK);
	assert_int_equal(
	    p.spec[TSAM_TIER_PREMIUM][1][TSAM_TARGET_UPDATE].seconds,
	    8784 * 3600);
	/* a bad overlay names the overlay, not the default */
	assert_int_not_equal(
	    tsam_policy_default(&p, getenv("TSAM_SRC"), write_file("[]"), &eb),
	    TSAM_OK);
	assert_non_null(strstr(eb.msg, "pol.json: must be a JSON object"));
}

/* The services of each tier: the service definition's by default (and
 * in the shipped policy), a vendor's overlay changes a tier it names. */
static void test_services(void **state)
{
	struct tsam_policy p;
	struct tsam_errbuf eb;
	unsigned def[TSAM_TIERS];

	(void)state;
	tsam_errbuf_clear(&eb);
	tsam_policy_services_default(def);
	assert_int_equal(def[TSAM_TIER_STANDARD], 0);
	assert_int_equal(def[TSAM_TIER_PREMIUM], TSAM_SERVICE_SLA);
	assert_true(def[TSAM_TIER_PLATINUM] & TSAM_SERVICE_TSAM);
	assert_true(def[TSAM_TIER_PLATINUM] & TSAM_SERVICE_HEALTH_CHECK);
	assert_true(def[TSAM_TIER_PLATINUM] & TSAM_SERVICE_QUARTERLY_REVIEW);
	assert_int_equal(tsam_policy_default(&p, getenv("TSAM_SRC"), NULL, &eb),
			 TSAM_OK);
	assert_memory_equal(p.services, def, sizeof(def));
	assert_int_equal(
	    tsam_policy_default(
		&p, getenv("TSAM_SRC"),
		write_file(S "\"services\":{\"comment\":\"x\","
			     "\"premium\":[\"sla\",\"health_check\"]}}"),
		&eb),
	    TSAM_OK);
	assert_int_equal(p.services[TSAM_TIER_PREMIUM],
			 TSAM_SERVICE_SLA | TSAM_SERVICE_HEALTH_CHECK);
	assert_int_equal(p.services[TSAM_TIER_PLATINUM],
			 def[TSAM_TIER_PLATINUM]);
	assert_string_equal(tsam_service_name(TSAM_SERVICE_HEALTH_CHECK),
			    "health_check");
	assert_string_equal(tsam_service_name(3), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_policies),
	    cmocka_unit_test(test_default_and_overlay),
	    cmocka_unit_test(test_services),
	};

	return cmocka_run_group_tests(tests, setup, scratch_teardown);
}
