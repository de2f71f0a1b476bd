/*
 * tsam-check - evaluates the health-check rules against a run directory
 * and writes findings.json. A thin main over lib/rules and lib/check; see
 * docs/rules.md. Exit codes: 0 done (no failure at or above --fail-on),
 * 3 a failure at or above --fail-on, 1 error, 2 usage.
 */
#include "check.h"
#include "cli.h"
#include "rundir.h"
#include "json.h"
#include "log.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	O_OUTPUT = 'o',
	O_QUIET = 'q',
	O_RULES = 256,
	O_FAIL_ON,
	O_WAIVERS,
	O_JUNIT,
	O_BASELINE,
	O_THREADS
};

static const struct tsam_cli_opt opts[] = {
    {"output", 1, O_OUTPUT, "FILE", "write findings.json here (required)"},
    {"rules", 1, O_RULES, "DIR",
     "rules from DIR/<collector>/rules.json (default: collectors/)"},
    {"waivers", 1, O_WAIVERS, "FILE",
     "accepted exceptions (waivers.json): waived results leave the score"},
    {"baseline", 1, O_BASELINE, "FINDINGS",
     "compare with earlier findings (last year's): new, fixed, still failing"},
    {"junit", 1, O_JUNIT, "FILE", "also write the results as JUnit XML"},
    {"fail-on", 1, O_FAIL_ON, "SEVERITY",
     "exit 3 when a rule of this severity or above fails"},
    {"threads", 1, O_THREADS, "N",
     "check on N threads (default: one per core; the findings are the same)"},
    {"quiet", 0, O_QUIET, NULL, "no summary"},
};

/* The options that take a number (in its range). */
static const struct tsam_cli_num nums[] = {
    {O_THREADS, TSAM_CLI_NUM, 1, 64},
};

static const struct tsam_cli_tool tool = {
    .name = "tsam-check",
    .synopsis = "tsam-check RUNDIR -o findings.json [options]",
    .about = "Evaluates the health-check rules against every host of a "
	     "tsam-collect run.",
    .exits = "0 done, 3 a failure at or above --fail-on, 1 error, 2 usage.",
    .opts = opts,
    .nopts = sizeof(opts) / sizeof(opts[0]),
    .nums = nums,
    .nnums = sizeof(nums) / sizeof(nums[0]),
};

/* True when some rule at or above min failed on some host. */
static bool failed_at(json_object *doc, int min)
{
	json_object *rules, *c;
	size_t i;
	int64_t fails;

	if (!json_object_object_get_ex(doc, "rules", &rules))
		return false;
	for (i = 0; i < json_object_array_length(rules); i++) {
		json_object *r = json_object_array_get_idx(rules, i);
		int sev = tsam_severity_parse(tsam_json_str(r, "severity"));
		if (sev >= min && json_object_object_get_ex(r, "counts", &c) &&
		    tsam_json_int(c, "fail", &fails) == TSAM_OK && fails > 0)
			return true;
	}
	return false;
}

/* Names the hosts collected without enough privilege: their product
 * rules ended error, not pass or fail. */
static void warn_limited(json_object *doc)
{
	json_object *hosts = NULL;
	char names[512];
	size_t n;

	json_object_object_get_ex(doc, "hosts", &hosts);
	n = tsam_rundir_limited(hosts, names, sizeof(names));
	if (n > 0)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "%zu host%s collected without enough privilege "
			 "(rules needing what could not be read end 'error'):"
			 "%s; collect %s again with --become",
			 n, n == 1 ? " was" : "s were", names,
			 n == 1 ? "it" : "them");
}

int main(int argc, char **argv)
{
	unsigned threads = 0;
	struct tsam_cli cli;
	struct tsam_rules rules = {0};
	struct tsam_errbuf eb;
	json_object *doc = NULL, *fleet;
	const char *out = NULL, *rulesdir = NULL, *rundir, *waivers_path = NULL;
	const char *junit = NULL, *baseline_path = NULL;
	json_object *baseline = NULL;
	const char *datadir = tsam_cli_datadir();
	char defrules[4096];
	int c, rc, fail_on = -1, ret = TSAM_EXIT_FATAL;
	bool quiet = false;

	tsam_log_init("tsam-check");
	tsam_cli_start(&cli, &tool, argc, argv);
	while ((c = tsam_cli_next(&cli)) > 0) {
		switch (c) {
		case O_OUTPUT:
			out = cli.arg;
			break;
		case O_BASELINE:
			baseline_path = cli.arg;
			break;
		case O_JUNIT:
			junit = cli.arg;
			break;
		case O_WAIVERS:
			waivers_path = cli.arg;
			break;
		case O_RULES:
			rulesdir = cli.arg;
			break;
		case O_FAIL_ON:
			fail_on = tsam_severity_parse(cli.arg);
			if (fail_on < 0)
				return tsam_cli_usage_error(
				    &tool,
				    "--fail-on: '%s' is not critical, high, "
				    "medium, low or info",
				    cli.arg);
			break;
		case O_THREADS:
			threads = (unsigned)cli.num;
			break;
		case O_QUIET:
			quiet = true;
			break;
		}
	}
	if (c == TSAM_CLI_EXIT)
		return cli.status;
	if (optind != argc - 1 || out == NULL)
		return tsam_cli_usage_error(&tool,
					    "need one RUNDIR and -o FILE");
	rundir = argv[optind];
	if (rulesdir == NULL) {
		snprintf(defrules, sizeof(defrules), "%s/collectors", datadir);
		rulesdir = defrules;
	}
	umask(077);
	tsam_errbuf_clear(&eb);
	if ((rc = tsam_rules_load_dir(&rules, rulesdir, &eb)) != TSAM_OK ||
	    (baseline_path != NULL &&
	     (rc = tsam_json_load(baseline_path, 1u << 30, &baseline, &eb)) !=
		 TSAM_OK) ||
	    (rc = tsam_check_findings(rundir, &rules, waivers_path, threads,
				      baseline, baseline_path, &doc, &eb)) !=
		TSAM_OK ||
	    (rc = tsam_json_save(out, doc, 0600, &eb)) != TSAM_OK ||
	    (junit != NULL &&
	     (rc = tsam_findings_junit(doc, junit, &eb)) != TSAM_OK)) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto done;
	}
	if (!quiet && json_object_object_get_ex(doc, "fleet", &fleet)) {
		json_object *counts, *score;
		int64_t hc = 0, hu = 0, p = 0, f = 0, e = 0, na = 0, wv = 0;
		tsam_json_int(fleet, "hosts_checked", &hc);
		tsam_json_int(fleet, "hosts_uncollected", &hu);
		if (json_object_object_get_ex(fleet, "counts", &counts)) {
			tsam_json_int(counts, "pass", &p);
			tsam_json_int(counts, "fail", &f);
			tsam_json_int(counts, "error", &e);
			tsam_json_int(counts, "not_applicable", &na);
			tsam_json_int(counts, "waived", &wv);
		}
		json_object_object_get_ex(fleet, "score", &score);
		fprintf(stderr,
			"tsam-check: %zu rules, %lld hosts checked, %lld not "
			"collected: %lld pass, %lld fail, %lld error, %lld "
			"waived, %lld not applicable; fleet score %s; "
			"findings: %s\n",
			rules.n, (long long)hc, (long long)hu, (long long)p,
			(long long)f, (long long)e, (long long)wv,
			(long long)na,
			score ? json_object_get_string(score) : "n/a", out);
		warn_limited(doc);
	}
	ret = fail_on >= 0 && failed_at(doc, fail_on) ? TSAM_EXIT_FAILED
						      : TSAM_EXIT_OK;
done:
	json_object_put(doc);
	json_object_put(baseline);
	tsam_rules_free(&rules);
	return ret;
}
