/*
 * report.h - the customer's PDF: a template (report-templates/NAME.json:
 * page, styles, sections in order) and message catalogues per language
 * (report-templates/messages/LANG.json), filled from tsam-cases' stats.json
 * and tsam-check's findings.json. See docs/tsam-report.md.
 */
#ifndef TSAM_REPORT_H
#define TSAM_REPORT_H

#include "err.h"
#include "json.h"

#include <stdint.h>

struct tsam_policy;

struct tsam_report_in {
	const char *datadir;   /* holds report-templates/ */
	const char *tmpl;      /* template name, e.g. "quarterly-review" */
	const char *lang;      /* "ja" or "en" */
	json_object *customer; /* {id, name, tier, tsam: {name, email},
				  engineer: {name, email}} */
	json_object *stats;    /* tsamkit-stats/1, or NULL */
	json_object *findings; /* tsamkit findings, or NULL */
	json_object
	    *portfolio;	      /* {tsam, quarter, rows}: tsam-review's summary */
	json_object *actions; /* the action register (tsamkit-actions/1),
				 or NULL */
	const char *narrative; /* the TSAM's paragraph (UTF-8), or NULL */
	int64_t created;       /* document date (SOURCE_DATE_EPOCH) */
	/* the services of each tier (policy.h); NULL: the service
	 * definition's (tsam_policy_services_default). The customer's tier
	 * (customer.json, else stats.json, else platinum) decides which
	 * sections are drawn. */
	const struct tsam_policy *policy;
	const char *engineer; /* who ran the health check (the cover), or
				 NULL: customer.json's engineer.name */
};

/* The documents a report is made from, besides templates and catalogues. */
enum tsam_report_doc {
	TSAM_REPORT_CUSTOMER, /* customer.json: {id, name, tier, tsam} */
	TSAM_REPORT_STATS,    /* tsam-cases' stats.json (tsamkit-stats/1) */
	TSAM_REPORT_FINDINGS  /* tsam-check's findings.json */
};

/*
 * Checks that doc, a document of the given kind, holds what the report
 * reads from it, with the types and bounds of docs/stats.schema.json and
 * docs/findings.schema.json (members older versions lacked stay optional;
 * counts at most 10^9, amounts at most 10^15, never NaN or Infinity; the
 * names of customer.json free of control characters). name is the file
 * the messages name: "stats.json: attainment.response.2.rate: must be a
 * number from 0 to 1". Returns TSAM_OK or TSAM_ERR_PARSE.
 */
TSAM_MUST_CHECK enum tsam_err tsam_report_validate(json_object *doc,
						   enum tsam_report_doc kind,
						   const char *name,
						   struct tsam_errbuf *eb);

/*
 * Loads path (at most 1 GiB, gzip or not) and checks it with
 * tsam_report_validate. *out is the caller's (json_object_put); NULL on
 * error.
 */
TSAM_MUST_CHECK enum tsam_err tsam_report_load(const char *path,
					       enum tsam_report_doc kind,
					       json_object **out,
					       struct tsam_errbuf *eb);

/*
 * Loads the action register path (docs/actions.schema.json: at most 1 MiB,
 * each item checked, errors naming the file and the key). *out is the
 * caller's (json_object_put); NULL on error.
 */
TSAM_MUST_CHECK enum tsam_err tsam_report_load_actions(const char *path,
						       json_object **out,
						       struct tsam_errbuf *eb);

/*
 * Loads the TSAM's paragraph for the quarter in brief: UTF-8 text of at
 * most 4 KiB without control characters but line ends (which read as
 * spaces). *out is the caller's (free); NULL on error.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_report_load_narrative(const char *path, char **out,
			   struct tsam_errbuf *eb);

/*
 * Validates the template and both catalogues (every message the template
 * needs, in every language), naming file and key, before drawing anything.
 */
TSAM_MUST_CHECK enum tsam_err tsam_report_check(const char *datadir,
						const char *tmpl,
						struct tsam_errbuf *eb);

/*
 * Renders the report to out_path (0600, atomic). Sections need the
 * services of the customer's tier (in->policy): the SLA's sections
 * (attainment, breaches, escalations, the SLA figures of the summary and
 * trend) need "sla", the health check's need "health_check", the TSAM
 * on the cover "tsam"; without "quarterly_review" the quarterly document
 * is titled a support report. A template none of whose sections the
 * tier has is an error (TSAM_ERR_INVAL, naming tier and template). The
 * template and both catalogues are checked first; customer, stats and findings
 * are read as tsam_report_validate accepts them (a member of another type reads
 * as absent, never as a crash), so check documents from files with it (or load
 * them with tsam_report_load) to report errors.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_report_render(const struct tsam_report_in *in, const char *out_path,
		   struct tsam_errbuf *eb);

#endif
