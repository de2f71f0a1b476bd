/*
 * tsam-cases - quarterly incident statistics against the SLA, from a
 * ticket system's case and event exports. A thin main over lib/cases and
 * lib/sla; see docs/cases.md and docs/sla.md. Exit codes: 0 done (rejected
 * rows are reported, not fatal), 1 error (or, with --strict, a bad row),
 * 2 usage.
 */
#include "calendar.h"
#include "casedetail.h"
#include "cases.h"
#include "cli.h"
#include "json.h"
#include "log.h"
#include "mapping.h"
#include "policy.h"
#include "sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	O_OUTPUT = 'o',
	O_QUIET = 'q',
	O_CASES = 256,
	O_EVENTS,
	O_MAPPING,
	O_POLICY,
	O_TIER,
	O_CALENDAR,
	O_QUARTER,
	O_CUSTOMER,
	O_AS_OF,
	O_FEE,
	O_CURRENCY,
	O_ENCODING,
	O_STRICT
};

static const struct tsam_cli_opt opts[] = {
    {"cases", 1, O_CASES, "FILE", "cases export, CSV (required)"},
    {"events", 1, O_EVENTS, "FILE", "event log export, CSV"},
    {"mapping", 1, O_MAPPING, "FILE",
     "column names, date format, labels of the exports (mapping.json)"},
    {"policy", 1, O_POLICY, "FILE",
     "overrides of the SLA policy (default sla/policy.json)"},
    {"tier", 1, O_TIER, "TIER", "standard, premium or platinum (default)"},
    {"calendar", 1, O_CALENDAR, "NAME",
     "support calendar: japan (default), uk, us, 24x7 or a file"},
    {"quarter", 1, O_QUARTER, "YYYYQn", "the review quarter (required)"},
    {"customer", 1, O_CUSTOMER, "ID", "only rows whose customer column is ID"},
    {"as-of", 1, O_AS_OF, "TIME",
     "evaluate at this ISO-8601 instant (default: latest in the data)"},
    {"fee", 1, O_FEE, "AMOUNT", "quarterly support fee, for credits"},
    {"currency", 1, O_CURRENCY, "CODE", "currency of --fee (default JPY)"},
    {"encoding", 1, O_ENCODING, "ENC",
     "encoding of the exports, e.g. CP932 (default UTF-8)"},
    {"strict", 0, O_STRICT, NULL, "stop at the first bad row"},
    {"output", 1, O_OUTPUT, "FILE", "write stats.json here (required)"},
    {"quiet", 0, O_QUIET, NULL, "no summary"},
};

/* The options that take a number (in its range) or an instant. */
static const struct tsam_cli_num nums[] = {
    {O_AS_OF, TSAM_CLI_TIME, 0, 0},
    {O_FEE, TSAM_CLI_NUM, 0, 2000000000},
};

static const struct tsam_cli_tool tool = {
    .name = "tsam-cases",
    .synopsis = "tsam-cases --cases FILE [--events FILE] --quarter 2026Q3 -o "
		"stats.json [options]",
    .about = "Computes a quarter's incident statistics against the SLA.",
    .exits = "0 done, 1 error, 2 usage.",
    .opts = opts,
    .nopts = sizeof(opts) / sizeof(opts[0]),
    .nums = nums,
    .nnums = sizeof(nums) / sizeof(nums[0]),
};

static void summary(const struct tsam_cases *cs, json_object *doc,
		    const char *out)
{
	json_object *c, *cr;
	int64_t opened = 0, closed = 0, breaches = 0;
	double pct = 0;
	size_t i, k;

	if (json_object_object_get_ex(doc, "counts", &c)) {
		tsam_json_int(c, "opened", &opened);
		tsam_json_int(c, "closed", &closed);
	}
	tsam_json_int(doc, "breaches_total", &breaches);
	if (json_object_object_get_ex(doc, "credits", &cr) &&
	    json_object_object_get_ex(cr, "percent", &c))
		pct = json_object_get_double(c);
	for (i = 0; i < cs->nrej && i < 10; i++)
		tsam_log(TSAM_LOG_WARN, NULL, "%s:%u: %s",
			 cs->in[cs->rej[i].file].path, cs->rej[i].line,
			 cs->rej[i].reason);
	if (cs->nrej > i)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "... %zu rejected rows and lost lines in all, listed "
			 "in %s",
			 cs->nrej, out);
	for (k = 0; k < 2; k++)
		if (cs->in[k].lost > 0)
			tsam_log(TSAM_LOG_WARN, NULL,
				 "%s: %zu lines lost in quoted fields never "
				 "closed: the file does not reconcile (each is "
				 "listed)",
				 cs->in[k].path, cs->in[k].lost);
	fprintf(stderr,
		"tsam-cases: cases %zu read, %zu used, %zu rejected, %zu "
		"other customers'; events %zu read, %zu used, %zu rejected; "
		"quarter: %lld opened, %lld closed, %lld breaches, credits "
		"%.1f%%; stats: %s\n",
		cs->in[0].rows, cs->in[0].used, cs->in[0].rejected,
		cs->in[0].other, cs->in[1].rows, cs->in[1].used,
		cs->in[1].rejected, (long long)opened, (long long)closed,
		(long long)breaches, pct, out);
}

int main(int argc, char **argv)
{
	struct tsam_cli cli;
	struct tsam_errbuf eb;
	struct tsam_mapping map;
	struct tsam_policy policy;
	struct tsam_cases cs;
	struct tsam_cases_opts co;
	struct tsam_sla_opts so;
	struct tsam_cal *support = NULL, *wall = NULL;
	struct tsam_tz *zone = NULL;
	const char *datadir = tsam_cli_datadir();
	const char *out = NULL, *mapping = NULL, *policy_path = NULL;
	const char *calendar = "japan", *quarter = NULL, *encoding = NULL;
	json_object *doc = NULL;
	bool quiet = false, map_ok = false;
	int c, rc, ret = TSAM_EXIT_FATAL, tier = TSAM_TIER_PLATINUM;

	tsam_log_init("tsam-cases");
	memset(&co, 0, sizeof(co));
	memset(&so, 0, sizeof(so));
	memset(&cs, 0, sizeof(cs));
	so.currency = "JPY";
	tsam_cli_start(&cli, &tool, argc, argv);
	while ((c = tsam_cli_next(&cli)) > 0) {
		switch (c) {
		case O_CASES:
			co.cases_path = cli.arg;
			break;
		case O_EVENTS:
			co.events_path = cli.arg;
			break;
		case O_MAPPING:
			mapping = cli.arg;
			break;
		case O_POLICY:
			policy_path = cli.arg;
			break;
		case O_TIER:
			if ((tier = tsam_tier_parse(cli.arg)) < 0)
				return tsam_cli_usage_error(
				    &tool,
				    "--tier: '%s' is not standard, premium or "
				    "platinum",
				    cli.arg);
			break;
		case O_CALENDAR:
			calendar = cli.arg;
			break;
		case O_QUARTER:
			quarter = cli.arg;
			break;
		case O_CUSTOMER:
			co.customer = cli.arg;
			so.customer = cli.arg;
			break;
		case O_AS_OF:
			so.as_of = cli.num;
			break;
		case O_FEE:
			so.fee = (double)cli.num;
			break;
		case O_CURRENCY:
			so.currency = cli.arg;
			break;
		case O_ENCODING:
			encoding = cli.arg;
			break;
		case O_STRICT:
			co.strict = true;
			break;
		case O_OUTPUT:
			out = cli.arg;
			break;
		case O_QUIET:
			quiet = true;
			break;
		}
	}
	if (c == TSAM_CLI_EXIT)
		return cli.status;
	if (optind != argc || co.cases_path == NULL || out == NULL ||
	    quarter == NULL)
		return tsam_cli_usage_error(
		    &tool, "need --cases FILE, --quarter YYYYQn and -o FILE");
	if (!tsam_quarter_parse(quarter, &so.year, &so.quarter))
		return tsam_cli_usage_error(
		    &tool, "--quarter: '%s' is not like 2026Q3", quarter);
	umask(077);
	tsam_errbuf_clear(&eb);
	if ((rc = tsam_mapping_init(&map)) != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_strerror(rc));
		goto done;
	}
	map_ok = true;
	if (encoding != NULL) {
		free(map.encoding);
		map.encoding = strdup(encoding);
	}
	if ((mapping != NULL &&
	     (rc = tsam_mapping_load(&map, mapping, &eb)) != TSAM_OK) ||
	    (rc = tsam_policy_default(&policy, datadir, policy_path, &eb)) !=
		TSAM_OK ||
	    (rc = tsam_cal_named(datadir, calendar, &support, &eb)) !=
		TSAM_OK ||
	    (rc = tsam_cal_named(datadir, "24x7", &wall, &eb)) != TSAM_OK)
		goto fail;
	if (!tsam_cal_is_24x7(support) &&
	    (rc = tsam_tz_load(NULL, tsam_cal_zone(support), &zone, &eb)) !=
		TSAM_OK)
		goto fail;
	co.map = &map;
	co.zone = zone;
	if ((rc = tsam_cases_load(&cs, &co, &eb)) != TSAM_OK)
		goto fail;
	so.policy = &policy;
	so.tier = (enum tsam_tier)tier;
	so.support = support;
	so.wall = wall;
	if ((rc = tsam_sla_stats(&cs, &so, &doc, &eb)) != TSAM_OK ||
	    (rc = tsam_casedetail_add(&cs, &policy, so.tier, doc, so.max_list,
				      &eb)) != TSAM_OK ||
	    (rc = tsam_json_save(out, doc, 0600, &eb)) != TSAM_OK)
		goto fail;
	if (!quiet)
		summary(&cs, doc, out);
	ret = TSAM_EXIT_OK;
	goto done;
fail:
	tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
done:
	json_object_put(doc);
	tsam_cases_free(&cs);
	tsam_cal_free(support);
	tsam_cal_free(wall);
	tsam_tz_free(zone);
	if (map_ok)
		tsam_mapping_free(&map);
	return ret;
}
