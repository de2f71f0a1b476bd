/*
 * tsam-report - renders a customer's PDF report from a template, the
 * customer's description, tsam-cases' stats.json and tsam-check's
 * findings.json, in Japanese or English. A thin main over lib/report; see
 * docs/tsam-report.md. Exit codes: 0 done, 1 error, 2 usage.
 */
#include "cli.h"
#include "json.h"
#include "log.h"
#include "policy.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	O_OUTPUT = 'o',
	O_TEMPLATE = 256,
	O_CUSTOMER,
	O_FINDINGS,
	O_STATS,
	O_LANG,
	O_CHECK,
	O_POLICY,
	O_ENGINEER
};

static const struct tsam_cli_opt opts[] = {
    {"template", 1, O_TEMPLATE, "NAME",
     "report-templates/NAME.json (default quarterly-review)"},
    {"customer", 1, O_CUSTOMER, "FILE",
     "customer.json: id, name, tier, tsam {name, email} (required)"},
    {"stats", 1, O_STATS, "FILE", "tsam-cases' stats.json"},
    {"findings", 1, O_FINDINGS, "FILE", "tsam-check's findings.json"},
    {"engineer", 1, O_ENGINEER, "NAME",
     "the engineer who ran the health check (default: customer.json's "
     "engineer.name)"},
    {"lang", 1, O_LANG, "ja|en", "language of the report (required)"},
    {"policy", 1, O_POLICY, "FILE",
     "SLA policy over sla/policy.json: the services of each tier decide "
     "the sections"},
    {"output", 1, O_OUTPUT, "FILE", "write the PDF here (required)"},
    {"check", 0, O_CHECK, NULL,
     "only validate the template and its catalogues"},
};

static const struct tsam_cli_tool tool = {
    .name = "tsam-report",
    .synopsis = "tsam-report --customer FILE [--stats FILE] [--findings FILE] "
		"[--policy FILE] --lang ja|en -o OUT.pdf",
    .about = "Renders a customer's PDF report. A missing input drops its "
	     "sections with a visible note.",
    .exits = "0 done, 1 error, 2 usage.",
    .opts = opts,
    .nopts = sizeof(opts) / sizeof(opts[0]),
};

/* An input given on the command line, checked before anything is drawn
 * (an input not given is left NULL: its sections say so). */
static int load(const char *path, enum tsam_report_doc kind, json_object **out,
		struct tsam_errbuf *eb)
{
	return path ? tsam_report_load(path, kind, out, eb) : TSAM_OK;
}

/* rel, a path relative to customer.json's directory (or absolute), into
 * out. */
static void beside(const char *cust, const char *rel, char *out, size_t n)
{
	const char *slash = strrchr(cust, '/');

	if (rel[0] == '/' || slash == NULL)
		snprintf(out, n, "%s", rel);
	else
		snprintf(out, n, "%.*s/%s", (int)(slash - cust), cust, rel);
}

/* customer.json's "actions" (the action register) and "narrative" (the
 * TSAM's paragraph), loaded and checked before anything is drawn. */
static int extras(const char *cust, struct tsam_report_in *in, char **narrative,
		  struct tsam_errbuf *eb)
{
	const char *a = tsam_json_str(in->customer, "actions");
	const char *n = tsam_json_str(in->customer, "narrative");
	char path[4200];
	int rc = TSAM_OK;

	if (a != NULL) {
		beside(cust, a, path, sizeof(path));
		rc = tsam_report_load_actions(path, &in->actions, eb);
	}
	if (rc == TSAM_OK && n != NULL) {
		beside(cust, n, path, sizeof(path));
		rc = tsam_report_load_narrative(path, narrative, eb);
		in->narrative = *narrative;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct tsam_cli cli;
	struct tsam_errbuf eb;
	struct tsam_report_in in;
	const char *datadir = tsam_cli_datadir();
	const char *out = NULL, *cust = NULL, *stats = NULL, *findings = NULL;
	const char *policy = NULL;
	struct tsam_policy pol;
	char ppath[1024];
	bool check_only = false;
	char *narrative = NULL;
	int c, rc, ret = TSAM_EXIT_FATAL;

	tsam_log_init("tsam-report");
	memset(&in, 0, sizeof(in));
	in.tmpl = "quarterly-review";
	in.datadir = datadir;
	tsam_cli_start(&cli, &tool, argc, argv);
	while ((c = tsam_cli_next(&cli)) > 0) {
		switch (c) {
		case O_TEMPLATE:
			in.tmpl = cli.arg;
			break;
		case O_CUSTOMER:
			cust = cli.arg;
			break;
		case O_STATS:
			stats = cli.arg;
			break;
		case O_FINDINGS:
			findings = cli.arg;
			break;
		case O_LANG:
			in.lang = cli.arg;
			if (strcmp(in.lang, "ja") != 0 &&
			    strcmp(in.lang, "en") != 0)
				return tsam_cli_usage_error(
				    &tool, "--lang: '%s' is not ja or en",
				    in.lang);
			break;
		case O_OUTPUT:
			out = cli.arg;
			break;
		case O_CHECK:
			check_only = true;
			break;
		case O_POLICY:
			policy = cli.arg;
			break;
		case O_ENGINEER:
			in.engineer = cli.arg;
			break;
		}
	}
	if (c == TSAM_CLI_EXIT)
		return cli.status;
	tsam_errbuf_clear(&eb);
	if (check_only) {
		rc = tsam_report_check(in.datadir, in.tmpl, &eb);
		if (rc != TSAM_OK)
			tsam_log(TSAM_LOG_ERROR, NULL, "%s",
				 tsam_errbuf_str(&eb, rc));
		return rc == TSAM_OK ? TSAM_EXIT_OK : TSAM_EXIT_FATAL;
	}
	if (optind != argc || out == NULL || cust == NULL || in.lang == NULL)
		return tsam_cli_usage_error(
		    &tool, "need --customer FILE, --lang ja|en and -o FILE");
	umask(077);
	in.created = tsam_cli_source_date();
	if ((rc = load(cust, TSAM_REPORT_CUSTOMER, &in.customer, &eb)) !=
		TSAM_OK ||
	    (rc = load(stats, TSAM_REPORT_STATS, &in.stats, &eb)) != TSAM_OK ||
	    (rc = load(findings, TSAM_REPORT_FINDINGS, &in.findings, &eb)) !=
		TSAM_OK)
		goto fail;
	/* the tier's services from the vendor's policy; without one in the
	 * data directory (and no --policy), the service definition's */
	snprintf(ppath, sizeof(ppath), "%s/sla/policy.json", datadir);
	if (policy != NULL || access(ppath, F_OK) == 0) {
		if ((rc = tsam_policy_default(&pol, datadir, policy, &eb)) !=
		    TSAM_OK)
			goto fail;
		in.policy = &pol;
	}
	if ((rc = extras(cust, &in, &narrative, &eb)) != TSAM_OK ||
	    (rc = tsam_report_render(&in, out, &eb)) != TSAM_OK)
		goto fail;
	fprintf(stderr, "tsam-report: %s\n", out);
	ret = TSAM_EXIT_OK;
	goto done;
fail:
	tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
done:
	json_object_put(in.customer);
	json_object_put(in.stats);
	json_object_put(in.findings);
	json_object_put(in.actions);
	free(narrative);
	return ret;
}
