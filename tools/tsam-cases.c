/*
 * tsam-cases - quarterly incident statistics against the SLA, from a
 * ticket system's case and event exports. A thin main over lib/cases and
 * lib/sla; see docs/cases.md and docs/sla.md. Exit codes: 0 done (rejected
 * rows are reported, not fatal), 1 error (or, with --strict, a bad row; or
 * a case to --explain that is not there), 2 usage.
 *
 * --explain CASE_ID prints that case's timeline as the computation saw
 * it: the loader keeps the case's input rows, the SLA engine traces the
 * case while it computes the statistics (lib/sla.h, struct
 * tsam_sla_trace) - the figures shown are those of stats.json.
 */
#include "calendar.h"
#include "cases.h"
#include "casestats.h"
#include "cli.h"
#include "date.h"
#include "json.h"
#include "log.h"
#include "policy.h"
#include "sla.h"
#include "stats.h"

#include <ctype.h>
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
	O_ZONE,
	O_QUARTER,
	O_CUSTOMER,
	O_AS_OF,
	O_FEE,
	O_CURRENCY,
	O_ENCODING,
	O_STRICT,
	O_EXPLAIN,
	O_VERBOSE
};

static const struct tsam_cli_opt opts[] = {
    {"cases", 1, O_CASES, "FILE", "cases export, CSV (required)"},
    {"events", 1, O_EVENTS, "FILE", "event log export, CSV"},
    {"mapping", 1, O_MAPPING, "FILE|NAME",
     "column names, date format, labels of the exports (mapping.json), or "
     "a preset: servicenow, servicenow-log, jira, zendesk"},
    {"policy", 1, O_POLICY, "FILE",
     "overrides of the SLA policy (default sla/policy.json)"},
    {"tier", 1, O_TIER, "TIER", "standard, premium or platinum (default)"},
    {"calendar", 1, O_CALENDAR, "NAME",
     "support calendar: japan (default), uk, us, 24x7 or a file"},
    {"zone", 1, O_ZONE, "ZONE",
     "the customer's IANA time zone, where a 24x7 calendar's quarters and "
     "months start (default UTC)"},
    {"quarter", 1, O_QUARTER, "YYYYQn", "the review quarter (required)"},
    {"customer", 1, O_CUSTOMER, "ID", "only rows whose customer column is ID"},
    {"as-of", 1, O_AS_OF, "TIME",
     "evaluate at this ISO-8601 instant (default: latest in the data)"},
    {"fee", 1, O_FEE, "AMOUNT", "quarterly support fee, for credits"},
    {"currency", 1, O_CURRENCY, "CODE", "currency of --fee (default JPY)"},
    {"encoding", 1, O_ENCODING, "ENC",
     "encoding of the exports, e.g. CP932 (default UTF-8)"},
    {"strict", 0, O_STRICT, NULL, "stop at the first bad row"},
    {"explain", 1, O_EXPLAIN, "CASE_ID",
     "print the case's timeline, clocks and statuses (repeatable)"},
    {"verbose", 0, O_VERBOSE, NULL,
     "a history log: each row's derived events on stderr"},
    {"output", 1, O_OUTPUT, "FILE",
     "write stats.json here (required without --explain)"},
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
		"stats.json [options]\n"
		"tsam-cases --cases FILE [--events FILE] --quarter 2026Q3 "
		"--explain CASE_ID [options]",
    .about = "Computes a quarter's incident statistics against the SLA.",
    .exits = "0 done, 1 error (or a case to explain not found), 2 usage.",
    .opts = opts,
    .nopts = sizeof(opts) / sizeof(opts[0]),
    .nums = nums,
    .nnums = sizeof(nums) / sizeof(nums[0]),
};

static void summary(const struct tsam_cases *cs, json_object *doc,
		    const char *out)
{
	/* the figures the report shows, read as the report reads them */
	int64_t opened = tsam_stats_count(doc, "opened");
	int64_t closed = tsam_stats_count(doc, "closed");
	int64_t breaches = tsam_stats_breaches(doc);
	double pct = 0;
	size_t i, k;

	tsam_stats_credits(doc, &pct, NULL, NULL);
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
	if (cs->hist.layout != TSAM_HIST_NONE)
		fprintf(
		    stderr,
		    "tsam-cases: history log: %zu rows with events, %zu "
		    "without, %zu of untracked fields; derived %zu "
		    "severity changes, %zu reopenings, %zu first responses, "
		    "%zu pauses, %zu resolved, %zu closed\n",
		    cs->hist.with_events, cs->hist.without_events,
		    cs->hist.untracked,
		    cs->hist.derived[TSAM_EV_SEVERITY_CHANGE],
		    cs->hist.derived[TSAM_EV_REOPENED],
		    cs->hist.derived[TSAM_EV_FIRST_RESPONSE],
		    cs->hist.derived[TSAM_EV_PENDING_CUSTOMER],
		    cs->hist.derived[TSAM_EV_RESOLVED],
		    cs->hist.derived[TSAM_EV_CLOSED]);
	fprintf(stderr, "tsam-cases: ");
	for (k = 0; k < 2; k++) {
		const struct tsam_input *in = &cs->in[k];

		if (in->path == NULL)
			continue;
		fprintf(stderr, "%s%s %zu read, %zu used, %zu rejected",
			k ? "; " : "", k ? "events" : "cases", in->rows,
			in->used, in->rejected);
		if (in->fields_rejected > 0)
			fprintf(stderr, " (%zu field%s rejected)",
				in->fields_rejected,
				in->fields_rejected == 1 ? "" : "s");
		if (in->other > 0)
			fprintf(stderr, ", %zu for other customers", in->other);
	}
	fprintf(stderr,
		"; quarter: %lld opened, %lld closed, %lld breach%s, credits "
		"%.1f%%; stats: %s\n",
		(long long)opened, (long long)closed, (long long)breaches,
		breaches == 1 ? "" : "es", pct, out);
}

/* Levenshtein distance of a and b, case-insensitive, or more than max
 * when it is (short ids only: a suggestion, not a search). */
static size_t distance(const char *a, const char *b, size_t max)
{
	size_t na = strlen(a), nb = strlen(b), i, j, prev[65], cur[65];

	if (na > 64 || nb > 64 || (na > nb ? na - nb : nb - na) > max)
		return max + 1;
	for (j = 0; j <= nb; j++)
		prev[j] = j;
	for (i = 1; i <= na; i++) {
		size_t best;

		cur[0] = best = i;
		for (j = 1; j <= nb; j++) {
			size_t sub =
			    prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
					   tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins)
					   : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > max)
			return max + 1;
		memcpy(prev, cur, (nb + 1) * sizeof(*prev));
	}
	return prev[nb];
}

/* Up to 5 ids of the customer's cases nearest id: within one edit per
 * three characters (at most 2), letter case aside; nearest first. */
static void near_matches(const struct tsam_cases *cs, const char *id)
{
	size_t max = strlen(id) / 3 > 2 ? 2 : strlen(id) / 3;
	size_t i, k, n = 0, best[5], dist[5];

	for (i = 0; i < cs->n; i++) {
		size_t d;

		if (cs->c[i].other ||
		    (d = distance(id, cs->c[i].id, max)) > max)
			continue;
		if (n == 5 && d >= dist[4])
			continue;
		k = n < 5 ? n++ : 4;
		for (; k > 0 && dist[k - 1] > d; k--) {
			best[k] = best[k - 1];
			dist[k] = dist[k - 1];
		}
		best[k] = i;
		dist[k] = d;
	}
	for (k = 0; k < n; k++)
		printf("%s \"%s\"", k ? "," : "  did you mean",
		       cs->c[best[k]].id);
	if (n > 0)
		printf("?\n");
}

/* The input rows naming id, as the loader kept them; how many. */
static size_t explain_rows(const struct tsam_cases *cs, const char *id)
{
	static const char *what[] = {
	    "used", "used, no effect (created or none)", "REJECTED",
	    "FIELD REJECTED", "another customer's"};
	size_t i, n = 0;

	printf("  input rows naming it:\n");
	for (i = 0; i < cs->nrows; i++) {
		const struct tsam_case_row *r = &cs->rows[i];

		if (strcmp(r->id, id) != 0)
			continue;
		n++;
		printf("    %s:%u  ", cs->in[r->file].path, r->line);
		if (r->file == 0 && r->kind == TSAM_EV_CREATED)
			printf("the case's row");
		else if (r->file == 0)
			printf("its %s column",
			       tsam_ev_kind_name((enum tsam_ev_kind)r->kind));
		else if (r->status == TSAM_ROW_REJECTED && r->t < 0)
			printf("an event row");
		else if (cs->hist.layout != TSAM_HIST_NONE) {
			/* a history log's row: what it derived */
			if (r->status == TSAM_ROW_USED)
				printf("history row: derived %s\n",
				       tsam_ev_kind_name(
					   (enum tsam_ev_kind)r->kind));
			else
				printf("history row: %s%s%s\n",
				       r->status == TSAM_ROW_NO_EFFECT
					   ? "used, no event (nothing measured "
					     "changed)"
					   : what[r->status],
				       r->reason[0] ? ": " : "", r->reason);
			continue;
		} else
			printf("%s",
			       tsam_ev_kind_name((enum tsam_ev_kind)r->kind));
		printf(": %s%s%s\n", what[r->status], r->reason[0] ? ": " : "",
		       r->reason);
	}
	if (cs->nrows == TSAM_CASES_MAX_EXPLAIN_ROWS)
		printf("    (only the first %d rows are kept)\n",
		       TSAM_CASES_MAX_EXPLAIN_ROWS);
	else if (n == 0)
		printf("    none\n");
	return n;
}

/* Prints the explanation of case id; false when it is not one of the
 * customer's evaluated cases. */
static bool explain(const struct tsam_cases *cs, const char *id,
		    const struct tsam_sla_trace *tr,
		    const struct tsam_sla_opts *so, json_object *doc)
{
	const struct tsam_case *c = tsam_cases_find(cs, id);
	const char *as_of = "", *p, *e;
	json_object *v;
	char b[32];

	printf("case %s\n", id);
	if (c == NULL || c->other) {
		printf("  %s\n",
		       c == NULL ? "not found among the cases read"
				 : "another customer's case: not evaluated");
		if (explain_rows(cs, id) == 0 && c == NULL)
			near_matches(cs, id);
		printf("\n");
		return false;
	}
	printf("  %s:%u, received %s (%s), severity %d%s, channel %s, "
	       "product %s\n",
	       cs->in[0].path, c->line,
	       tsam_sla_local_time(so->support, c->created, b, sizeof(b)),
	       tsam_cal_zone(so->support), c->sev0,
	       c->sev_defaulted	   ? " (none given: 3)"
	       : c->email_adjusted ? " (received by e-mail: starts at 3)"
				   : "",
	       cs->names[c->channel][0] ? cs->names[c->channel] : "(none)",
	       cs->names[c->product][0] ? cs->names[c->product] : "(none)");
	explain_rows(cs, id);
	if (json_object_object_get_ex(doc, "as_of", &v))
		as_of = json_object_get_string(v);
	printf("  timeline (local times in %s; tier %s, support calendar %s; "
	       "as_of %s):\n",
	       tsam_cal_zone(so->support), tsam_tier_name(so->tier),
	       tsam_cal_name(so->support), as_of);
	for (p = tr->text.data ? tr->text.data : ""; *p; p = e + (*e != 0)) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		printf("    %.*s\n", (int)(e - p), p);
	}
	printf("  evaluations:\n");
	for (p = tr->text.data ? tr->text.data : ""; *p; p = e + (*e != 0)) {
		const char *m;

		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		m = strstr(p, "=> ");
		if (m != NULL && m < e)
			printf("    %.*s\n", (int)(e - m - 3), m + 3);
	}
	printf("\n");
	return true;
}

int main(int argc, char **argv)
{
	struct tsam_cli cli;
	struct tsam_errbuf eb;
	struct tsam_policy policy;
	struct tsam_casestats_opts o;
	struct tsam_casestats st;
	struct tsam_cases_opts *co = &o.cases;
	struct tsam_sla_opts *so = &o.sla;
	const char *out = NULL, *policy_path = NULL, *quarter = NULL;
	json_object *doc = NULL;
	const char *ids[TSAM_CASES_MAX_EXPLAIN];
	size_t nids = 0, i;
	bool quiet = false, all_found = true;
	int c, rc, ret = TSAM_EXIT_FATAL, tier = TSAM_TIER_PLATINUM;

	tsam_log_init("tsam-cases");
	memset(&o, 0, sizeof(o));
	memset(&st, 0, sizeof(st));
	o.datadir = tsam_cli_datadir();
	o.calendar = "japan";
	so->currency = "JPY";
	tsam_cli_start(&cli, &tool, argc, argv);
	while ((c = tsam_cli_next(&cli)) > 0) {
		switch (c) {
		case O_CASES:
			co->cases_path = cli.arg;
			break;
		case O_EVENTS:
			co->events_path = cli.arg;
			break;
		case O_MAPPING:
			o.mapping = cli.arg;
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
			o.calendar = cli.arg;
			break;
		case O_ZONE:
			o.zone = cli.arg;
			break;
		case O_QUARTER:
			quarter = cli.arg;
			break;
		case O_CUSTOMER:
			co->customer = cli.arg;
			so->customer = cli.arg;
			break;
		case O_AS_OF:
			so->as_of = cli.num;
			break;
		case O_FEE:
			so->fee = (double)cli.num;
			break;
		case O_CURRENCY:
			so->currency = cli.arg;
			break;
		case O_ENCODING:
			o.encoding = cli.arg;
			break;
		case O_STRICT:
			co->strict = true;
			break;
		case O_VERBOSE:
			co->trace = stderr;
			break;
		case O_OUTPUT:
			out = cli.arg;
			break;
		case O_EXPLAIN:
			if (nids == TSAM_CASES_MAX_EXPLAIN)
				return tsam_cli_usage_error(
				    &tool, "--explain: at most %d cases",
				    TSAM_CASES_MAX_EXPLAIN);
			ids[nids++] = cli.arg;
			break;
		case O_QUIET:
			quiet = true;
			break;
		}
	}
	if (c == TSAM_CLI_EXIT)
		return cli.status;
	if (optind != argc || co->cases_path == NULL ||
	    (out == NULL && nids == 0) || quarter == NULL)
		return tsam_cli_usage_error(
		    &tool, "need --cases FILE, --quarter YYYYQn and -o FILE "
			   "(or --explain CASE_ID)");
	if (!tsam_quarter_parse(quarter, &so->year, &so->quarter))
		return tsam_cli_usage_error(
		    &tool, "--quarter: '%s' is not like 2026Q3", quarter);
	umask(077);
	tsam_errbuf_clear(&eb);
	co->explain = ids;
	co->nexplain = nids;
	so->tier = (enum tsam_tier)tier;
	o.policy = &policy;
	if ((rc = tsam_policy_default(&policy, o.datadir, policy_path, &eb)) !=
		TSAM_OK ||
	    (rc = tsam_casestats_run(&o, &st, &doc, &eb)) != TSAM_OK ||
	    (out != NULL &&
	     (rc = tsam_json_save(out, doc, 0600, &eb)) != TSAM_OK))
		goto fail;
	if (!quiet && out != NULL)
		summary(&st.cs, doc, out);
	so->support = st.support; /* the explanations' calendars */
	so->wall = st.wall;
	for (i = 0; i < nids; i++) {
		const struct tsam_sla_trace *tr = NULL;
		size_t k;

		for (k = 0; k < i && strcmp(ids[k], ids[i]) != 0; k++)
			;
		if (k < i)
			continue; /* named twice: explained once */
		for (k = 0; k < st.ntrace; k++)
			if (strcmp(st.cs.c[st.traces[k].kase].id, ids[i]) == 0)
				tr = &st.traces[k];
		explain(&st.cs, ids[i], tr, so, doc);
		if (tr == NULL) {
			tsam_log(TSAM_LOG_ERROR, NULL,
				 "--explain: no case \"%s\" of %s in %s",
				 ids[i],
				 co->customer ? co->customer : "the export",
				 co->cases_path);
			all_found = false;
		}
	}
	ret = all_found ? TSAM_EXIT_OK : TSAM_EXIT_FATAL;
	goto done;
fail:
	tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
done:
	json_object_put(doc);
	tsam_casestats_free(&st);
	return ret;
}
