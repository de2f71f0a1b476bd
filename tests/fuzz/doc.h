/*
 * doc.h - what the type-aware fuzz driver (fuzz_doc.c) and a document
 * kind (doc_<kind>.c) share: the two things a kind defines, and what the
 * driver does for every kind, so that a kind holds only its own use of
 * the document. The driver writes each input to a file, clears an error
 * buffer, calls fuzz_doc_load and traps on an error without a message;
 * its helpers load the shipped rules and the SLA fixture once, check
 * that computed stats serialise as JSON, and render a report that must
 * render.
 */
#ifndef TSAM_FUZZ_DOC_H
#define TSAM_FUZZ_DOC_H

#include "err.h"
#include "report.h"
#include "rules.h"
#include "sla.h"

/* Defined by the kind: the file name its tools expect ("rules.json"). */
extern const char fuzz_doc_name[];

/* Defined by the kind: loads the document at path the way its tool does,
 * uses what was loaded and frees it. Returns TSAM_OK, or the error, its
 * message in eb (which the driver has cleared) - a bad document is an
 * error, never a crash. What a document that loaded must allow (a
 * report rendered, findings written) aborts when it fails. */
int fuzz_doc_load(const char *path, struct tsam_errbuf *eb);

/* The directory the document is in: a scratch directory of this
 * process, removed at exit. A kind may write files there; it removes
 * them. */
const char *fuzz_doc_dir(void);

/* What a document that loaded must allow (rc, the result of a step
 * described by what: "not rendered"): a failure is a bug, so it aborts,
 * printing what and eb's message. */
void fuzz_doc_must(int rc, const char *what, const struct tsam_errbuf *eb);

/* The shipped rules (collectors/ of the source tree), loaded once. */
const struct tsam_rules *fuzz_doc_rules(void);

/* Checks the run in fuzz_doc_dir() (its run.json) as tsam-check does,
 * against the shipped rules, then writes the findings as JUnit too (a
 * failure to write them aborts). Returns tsam_check_run's result. */
int fuzz_doc_check_run(struct tsam_errbuf *eb);

/* What the SLA kinds measure with, from the source tree, loaded once (a
 * failure aborts). */
struct fuzz_doc_sla {
	struct tsam_cases cases;   /* tests/data/cases of customer acme, read
				      in Asia/Tokyo with the default mapping */
	struct tsam_policy policy; /* the shipped sla/policy.json */
	struct tsam_cal *wall;	   /* the 24x7 calendar */
	struct tsam_cal *japan;	   /* the japan calendar */
	struct tsam_tz *tokyo;	   /* Asia/Tokyo */
};
const struct fuzz_doc_sla *fuzz_doc_sla(void);

/* *so for the fixture's quarter, 2026 Q3 of customer acme on the 24x7
 * wall clock, under policy p and tier on the support calendar; the rest
 * (fee, currency, as_of) zero. */
void fuzz_doc_sla_opts(struct tsam_sla_opts *so, const struct tsam_policy *p,
		       int tier, const struct tsam_cal *support);

/* tsam_sla_stats of cs under so; what it computed must serialise to JSON
 * in valid UTF-8 (no inf, no nan), else traps. Returns its result. */
int fuzz_doc_stats(const struct tsam_cases *cs, const struct tsam_sla_opts *so,
		   struct tsam_errbuf *eb);

/* "en" or "ja" by doc's member count, so both languages are fuzzed. */
const char *fuzz_doc_lang(json_object *doc);

/* Renders in with template tmpl in lang (the source tree's templates, a
 * fixed creation date) to a scratch PDF, removed after. For documents
 * that passed their checks: a failure aborts. */
void fuzz_doc_render(struct tsam_report_in *in, const char *tmpl,
		     const char *lang);

#endif
