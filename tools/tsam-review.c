/*
 * tsam-review - the quarterly run for every TSAM: for each customer of a
 * portfolio, the checks over its latest snapshots, the case statistics and
 * the report; a summary PDF per TSAM; OUT/index.json. A thin main over
 * lib/review; see docs/tsam-review.md. Exit codes: 0 every customer done,
 * 3 some customer or a TSAM's summary failed (the rest is done), 1 error
 * (nothing run: an invalid portfolio, clashing outputs, a bad template),
 * 2 usage.
 */
#include "cli.h"
#include "date.h"
#include "log.h"
#include "portfolio.h"
#include "review.h"
#include "ssh.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum {
	O_OUT = 'o',
	O_JOBS = 'j',
	O_QUIET = 'q',
	O_QUARTER = 256,
	O_SNAPSHOTS,
	O_AS_OF,
	O_COLLECT,
	O_SESSIONS,
	O_PASSENV
};

static const struct tsam_cli_opt opts[] = {
    {"quarter", 1, O_QUARTER, "YYYYQn", "the review quarter (required)"},
    {"out", 1, O_OUT, "DIR",
     "write OUT/<tsam>/<customer>-<quarter>.pdf and OUT/index.json "
     "(required)"},
    {"snapshots", 1, O_SNAPSHOTS, "DIR",
     "latest run dirs as DIR/<customer> (default: each customer's "
     "\"snapshots\")"},
    {"collect", 0, O_COLLECT, NULL,
     "collect every fleet first (inventory, known_hosts, identity, user of "
     "each customer) into OUT/<tsam>/<customer>-<quarter>-run"},
    {"sessions", 1, O_SESSIONS, "N",
     "with --collect: SSH sessions at once (default 64)"},
    {"passphrase-env", 1, O_PASSENV, "VAR",
     "with --collect: passphrase of encrypted keys from $VAR"},
    {"jobs", 1, O_JOBS, "N", "customers at once (default 2)"},
    {"as-of", 1, O_AS_OF, "TIME",
     "evaluate the SLA at this instant (default: latest in each export)"},
    {"quiet", 0, O_QUIET, NULL, "no progress or summary"},
};

/* The options that take a number (in its range) or an instant. */
static const struct tsam_cli_num nums[] = {
    {O_AS_OF, TSAM_CLI_TIME, 0, 0},
    {O_SESSIONS, TSAM_CLI_NUM, 1, 4096},
    {O_JOBS, TSAM_CLI_NUM, 1, 64},
};

static const struct tsam_cli_tool tool = {
    .name = "tsam-review",
    .synopsis = "tsam-review PORTFOLIO --quarter 2026Q3 --out DIR [options]",
    .about = "Runs every customer's quarterly review and each TSAM's portfolio "
	     "summary.",
    .exits = "0 done, 3 some customer or a TSAM's summary failed (the rest is "
	     "done), 1 error, 2 usage.",
    .opts = opts,
    .nopts = sizeof(opts) / sizeof(opts[0]),
    .nums = nums,
    .nnums = sizeof(nums) / sizeof(nums[0]),
};

/* " (a, b, c)": the ids in the JSON array ids, at most five, else "". */
static void id_list(json_object *ids, char *out, size_t n)
{
	size_t i, k = json_object_array_length(ids), o = 0;

	out[0] = '\0';
	for (i = 0; i < k && i < 5 && o < n; i++)
		o += (size_t)snprintf(
		    out + o, n - o, "%s%s", i ? ", " : " (",
		    json_object_get_string(json_object_array_get_idx(ids, i)));
	if (k > 0 && o < n)
		snprintf(out + o, n - o, "%s)", k > 5 ? ", ..." : "");
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

int main(int argc, char **argv)
{
	struct tsam_cli cli;
	struct tsam_errbuf eb;
	struct tsam_portfolio p;
	struct tsam_review_opts o;
	const char *datadir = tsam_cli_datadir(), *quarter = NULL;
	json_object *index = NULL;
	struct tsam_review_failed failed = {0, 0};
	size_t i;
	long jobs = 2, sessions = 64;
	int c, rc, ret = TSAM_EXIT_FATAL;

	tsam_log_init("tsam-review");
	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));
	o.datadir = datadir;
	o.ask = tsam_cli_ask_secret;
	tsam_cli_start(&cli, &tool, argc, argv);
	while ((c = tsam_cli_next(&cli)) > 0) {
		switch (c) {
		case O_QUARTER:
			quarter = cli.arg;
			break;
		case O_OUT:
			o.out = cli.arg;
			break;
		case O_SNAPSHOTS:
			o.snapshots_root = cli.arg;
			break;
		case O_JOBS:
			jobs = cli.num;
			break;
		case O_AS_OF:
			o.as_of = cli.num;
			break;
		case O_QUIET:
			o.quiet = true;
			break;
		case O_COLLECT:
			o.collect = true;
			break;
		case O_SESSIONS:
			sessions = cli.num;
			break;
		case O_PASSENV:
			o.passphrase_env = cli.arg;
			break;
		}
	}
	if (c == TSAM_CLI_EXIT)
		return cli.status;
	if (optind != argc - 1 || quarter == NULL || o.out == NULL)
		return tsam_cli_usage_error(
		    &tool, "need PORTFOLIO, --quarter YYYYQn and --out DIR");
	if (!tsam_quarter_parse(quarter, &o.year, &o.quarter))
		return tsam_cli_usage_error(
		    &tool, "--quarter: '%s' is not like 2026Q3", quarter);
	if (o.collect && o.snapshots_root != NULL)
		return tsam_cli_usage_error(
		    &tool, "--collect and --snapshots exclude each other");
	o.jobs = (unsigned)jobs;
	o.collect_jobs = (unsigned)sessions;
	o.stop = &stop_flag;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (o.collect && tsam_ssh_global_init() != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "libssh2 initialisation failed");
		return TSAM_EXIT_FATAL;
	}
	o.created = tsam_cli_source_date();
	umask(077);
	tsam_errbuf_clear(&eb);
	if ((rc = tsam_portfolio_load(argv[optind], &p, &eb)) != TSAM_OK ||
	    (rc = tsam_review_run(&p, &o, &index, &failed, &eb)) != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto done;
	}
	if (!o.quiet) {
		json_object *ts = json_object_object_get(index, "tsams");

		for (i = 0; i < json_object_array_length(ts); i++) {
			json_object *t = json_object_array_get_idx(ts, i);
			const char *pdf = tsam_json_str(t, "summary_pdf");

			if (pdf)
				fprintf(stderr, "tsam-review: %s: summary %s\n",
					tsam_json_str(t, "id"), pdf);
		}
		json_object *oc = json_object_object_get(index, "outcome");
		char cids[400], tids[400];

		/* customers' reviews and TSAMs' summaries, each said apart:
		 * what failed is what this line says failed */
		id_list(json_object_object_get(oc, "failed_customers"), cids,
			sizeof(cids));
		id_list(json_object_object_get(oc, "failed_summaries"), tids,
			sizeof(tids));
		fprintf(stderr,
			"tsam-review: %zu customer%s: %zu done, %zu failed%s; "
			"%zu TSAM summar%s: %zu done, %zu failed%s; index: "
			"%s/index.json\n",
			p.n, p.n == 1 ? "" : "s", p.n - failed.customers,
			failed.customers, cids, p.ntsams,
			p.ntsams == 1 ? "y" : "ies",
			p.ntsams - failed.summaries, failed.summaries, tids,
			o.out);
	}
	ret = failed.customers || failed.summaries ? TSAM_EXIT_FAILED
						   : TSAM_EXIT_OK;
done:
	if (o.collect)
		tsam_ssh_global_exit();
	json_object_put(index);
	tsam_portfolio_free(&p);
	return ret;
}
