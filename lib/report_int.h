/*
 * report_int.h - the report module's private header: shared by
 * lib/report*.c only, never installed, never included by tools/ or other
 * modules (their interface is report.h).
 *
 * The module's files, from the bottom up: each may call the files listed
 * before it, never one beside it or after it.
 *
 *   report_input.c      templates, message catalogues, and what
 *                       customer.json, stats.json and findings.json must
 *                       hold (the specs); everything checked before
 *                       drawing. Calls json, tz, date.
 *   report_format.c     text from numbers, rates, scores, durations, times
 *                       and catalogue words; a policy target in words, the
 *                       review's quarter and the action items it shows.
 *                       Calls date, tz; never pdf.
 *   report_plain.c      a health check's findings in plain words: what a
 *                       rule expects, what was observed, the problem a
 *                       failed rule found. Calls date, expr (durations),
 *                       report_format.c; never pdf.
 *   report_findings.c   findings.json as the health sections read it:
 *                       rules and endpoints worst first, a rule or a
 *                       host's failing result by id, lists of names,
 *                       fleet rules in words. Calls findings, date,
 *                       report_plain.c, report_format.c; never pdf.
 *   report_draw.c       the page cursor, text fitted to a width,
 *                       paragraphs, headings, tables and their cells.
 *                       Calls pdf, layout, report_format.c.
 *   report_chart.c      the quarterly review's charts. Calls pdf,
 *                       report_draw.c, report_format.c.
 *   report_sla.c        the sections drawn from stats.json (the SLA),
 *   report_health.c     from findings.json (the findings in detail, fleet
 *                       rules, diff, waivers, endpoints),
 *   report_sizing.c     the annual health check's own (executive
 *                       summary, sizing and capacity, remediation plan),
 *   report_portfolio.c  tsam-review's portfolio summary,
 *   report_review.c     the review meeting's (narrative, targets, open
 *                       cases, case mix, actions), and
 *   report_attach.c     its tables attached as CSV files. They call pdf,
 *                       report_chart.c, report_draw.c, report_format.c
 *                       (report_health.c and report_sizing.c also
 *                       report_findings.c and report_plain.c,
 *                       report_sizing.c check.h); none calls another
 *                       section file.
 *   report.c            tsam_report_render: the cover, the contents, the
 *                       sections in the template's order, the page
 *                       frames, the file. Calls all of the above.
 *
 * Every name this header gives the linker starts tsam_render_ (or is
 * report.h's tsam_report_). The accessors at the end are static inline:
 * short, used on most lines of the sections, and kept out of libtsam's
 * namespace.
 */
#ifndef TSAM_REPORT_INT_H
#define TSAM_REPORT_INT_H

#include "err.h"

#include "report.h"

#include "json.h"
#include "pdf.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TSAM_RENDER_MAX_SECTIONS 24   /* sections a template may list */
#define TSAM_RENDER_SECONDS_MAX	 1e11 /* largest duration read, seconds */
#define TSAM_RENDER_MONEY_MAX	 1e15 /* largest amount read */
#define TSAM_RENDER_MAX_COLS	 16   /* columns of a table */
#define TSAM_RENDER_MAX_LINES	 16   /* lines of wrapped text measured */
#define TSAM_RENDER_CELL_LINES	 6    /* lines of a table cell at most */
#define TSAM_RENDER_KEEP_ROWS	 8    /* a table this short never splits */

/*
 * The palette. Two families that never share a colour: the severities of
 * cases (SEVC: urgent deep purple, 2 orange, 3 blue, 4 grey-blue) and the
 * status of a figure against its target (RED below target or failed,
 * AMBER to watch, GREEN met), so red means one thing only.
 */
static const struct tsam_rgb WHITE = {1.0f, 1.0f, 1.0f};
static const struct tsam_rgb BLACK = {0.1f, 0.1f, 0.12f};
static const struct tsam_rgb GREY = {0.45f, 0.45f, 0.5f};
static const struct tsam_rgb LIGHT = {0.93f, 0.94f, 0.96f};
static const struct tsam_rgb ACCENT = {0.0f, 0.32f, 0.6f};
static const struct tsam_rgb RED = {0.8f, 0.13f, 0.13f};
static const struct tsam_rgb AMBER = {0.93f, 0.68f, 0.1f};
static const struct tsam_rgb GREEN = {0.2f, 0.6f, 0.3f};
static const struct tsam_rgb SEVC[4] = {{0.42f, 0.16f, 0.55f},
					{0.95f, 0.55f, 0.2f},
					{0.25f, 0.52f, 0.82f},
					{0.62f, 0.67f, 0.74f}};

/*
 * A template (report-templates/NAME.json) as loaded and checked, with the
 * catalogue of the report's language. The geometry keeps the template's
 * short names (page w and h; margins top, right, bottom, left; s_*: the
 * font sizes of its "styles"), all in points.
 */
struct tsam_render_tmpl {
	json_object *doc;	/* the template document */
	json_object *catalogue; /* messages/LANG.json; NULL: not loaded */
	const char *title_key;	/* message key of the document's title */
	const char *sections[TSAM_RENDER_MAX_SECTIONS]; /* in order */
	int nsections;
	double w, h, mt, mr, mb, ml;
	double s_title, s_h1, s_h2, s_body, s_table, s_small;
	double attainment_target; /* 0.01 to 1: the line on the charts */
	int max_rows;		  /* rows a listing shows at most */
	bool cover_health;	  /* "cover": "health_check": a dated cover
				     with the scope, not a quarter */
};

/*
 * One rendering: what it is made from, the PDF being drawn and where
 * drawing is on the current page. Coordinates are in points from the
 * page's top left corner, as in pdf.h.
 */
struct tsam_render {
	const struct tsam_report_in *in;     /* what to draw (report.h) */
	const struct tsam_render_tmpl *tmpl; /* how: template, catalogue */
	struct tsam_pdf *pdf;		     /* the document being drawn */
	struct tsam_tz *tz;    /* the zone times are shown in; NULL: UTC */
	unsigned services;     /* the customer's tier's (policy.h's bits) */
	bool credits;	       /* the tier's SLA carries support credits */
	const char *title_key; /* the document's title (message key) */
	double y;	       /* the cursor: top of what is drawn next */
	int section_page[TSAM_RENDER_MAX_SECTIONS]; /* page each began on */
	int cur_section;     /* index in tmpl->sections being drawn */
	int toc_page;	     /* reserved contents page, -1: none */
	double toc_y;	     /* where its entries start */
	double measure_size; /* font size the layout callback measures in */
};

/* A table's cells, built row by row in one arena (cells[row * ncols +
 * col]); a cell that cannot be stored is dropped. */
struct tsam_render_cells {
	char **v;
	size_t n, cap;
};

/* ---- report_input.c: templates and catalogues ---- */

/*
 * Loads report-templates/NAME.json from datadir into *t, checked against
 * its spec (sections known, title a message key), and, when lang is not
 * NULL, that language's catalogue with every message the sections use.
 * Errors name file and key. *t is the caller's: tsam_render_tmpl_free,
 * also after an error.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_render_tmpl_load(const char *datadir, const char *name, const char *lang,
		      struct tsam_render_tmpl *t, struct tsam_errbuf *eb);

/* Frees what tsam_render_tmpl_load loaded into t (not t itself). */
void tsam_render_tmpl_free(struct tsam_render_tmpl *t);

/*
 * Loads the catalogue messages/LANG.json ("ja" or "en") from datadir and
 * checks it holds every message the sections use. *out is the caller's
 * (json_object_put); NULL on error.
 */
TSAM_MUST_CHECK enum tsam_err tsam_render_msgs_load(const char *datadir,
						    const char *lang,
						    json_object **out,
						    struct tsam_errbuf *eb);

/* ---- report_format.c: text (no drawing) ---- */

/*
 * Writes tmpl to out (n bytes, always terminated, cut if longer) with
 * each {name} replaced by its value from kv (name, value, name, value,
 * ...: nkv entries). An unknown {name} stays as it is.
 */
void tsam_render_subst(const char *tmpl, const char *const *kv, size_t nkv,
		       char *out, size_t n);

/* A rate from v clamped to [0, 1] into *out; false when v is not a
 * finite number (null: no rate). */
bool tsam_render_rate_of(json_object *v, double *out);

/* The rate v as "95.0 %", or "-". */
void tsam_render_fmt_rate(const struct tsam_render *r, json_object *v,
			  char *out, size_t n);

/* The rate x (0 to 1) as "95.0 %": every rate of a report is written by
 * this, so one value reads the same everywhere. */
void tsam_render_fmt_pct(const struct tsam_render *r, double x, char *out,
			 size_t n);
/* A percentage v (25 for 25 %) with one decimal (decimals 1) or none, as
 * the language writes it: "25.0 %" (en), "25.0%" (ja). */
void tsam_render_fmt_percent(const struct tsam_render *r, double v,
			     int decimals, char *out, size_t n);

/* The count v with thousands separators: "3,232". */
void tsam_render_fmt_count(long long v, char *out, size_t n);

/*
 * The amount in currency (ISO 4217 code, NULL: none) as its reader
 * writes it, with thousands separators: "1,125,000円" (JPY in Japanese),
 * "¥1,125,000", "£15,000", "$6,750", "€2,500.50", else "1,500 CHF".
 * Whole amounts have no decimals; yen never.
 */
void tsam_render_fmt_money(const struct tsam_render *r, double amount,
			   const char *currency, char *out, size_t n);

/* The zone times are shown in, as the customer knows it: the
 * catalogue's "zone_<IANA name>" ("日本時間 (JST)", "UK time (GMT/BST)"),
 * else the name with its UTC offset(s) in the year of the document
 * ("America/New_York (UTC-05:00/-04:00)"). */
void tsam_render_fmt_zone(const struct tsam_render *r, char *out, size_t n);

/* A score 0-100 as "87" or "71.5", or "-" (null, absent). */
void tsam_render_fmt_score(json_object *v, char *out, size_t n);

/* s seconds (clamped to 0 .. TSAM_RENDER_SECONDS_MAX) alone, one rule
 * for every duration of a report: minutes (rounded up) under an hour,
 * hours and minutes under 72 hours ("41 h 53 min", "41時間53分"), else
 * days and hours ("4 d 2 h", "4日2時間"); the units are the catalogue's. */
void tsam_render_fmt_dur(const struct tsam_render *r, long long s, char *out,
			 size_t n);

/* s in a table column: the same rule applied to the column's longest
 * duration max, so that one column is written in one pair of units
 * ("1 d 23 h" beside "15 d 7 h", never "47 h 45 min"); days and hours
 * round up to the hour. */
void tsam_render_fmt_dur_col(const struct tsam_render *r, long long s,
			     long long max, char *out, size_t n);

/* The UTC time v ("YYYY-MM-DDTHH:MM:SSZ") as "YYYY-MM-DD HH:MM" in the
 * customer's zone, or the message none_key when v is null or absent. */
void tsam_render_fmt_time(const struct tsam_render *r, json_object *v,
			  const char *none_key, char *out, size_t n);

/* True when the customer's tier includes the service (policy.h's
 * TSAM_SERVICE_*). */
bool tsam_render_has(const struct tsam_render *r, unsigned service);

/* The name of severity sev (1-4; anything else reads as 3). */
const char *tsam_render_sev_name(const struct tsam_render *r, int sev);

/* The name of an SLA target ("response": message t_response), or t. */
const char *tsam_render_target_name(const struct tsam_render *r, const char *t);

/* The message prefix + w ("res_" "fail"), or w itself when the catalogue
 * has none, or "-" when w is NULL. */
const char *tsam_render_word(const struct tsam_render *r, const char *prefix,
			     const char *w);

/* A policy target (stats.json's review_detail.targets.S.T) in words
 * ("4 h, around the clock", "2 business day(s)"); the message
 * rv_no_target when t has no kind. */
void tsam_render_fmt_target(const struct tsam_render *r, json_object *t,
			    char *out, size_t n);

/* The quarter of the review ("2026Q3"): stats.json's, else
 * customer.json's, else "". */
const char *tsam_render_quarter(const struct tsam_render *r);
/* How far past its due time a missed target (stats.json's breaches[]) was
 * done, in seconds: on a business calendar the working time of that
 * calendar (an update due Friday 17:00 and sent Monday 10:00 is an hour
 * late, not 65), else elapsed time; *business set when the former. */
long long tsam_render_overrun(json_object *e, bool *business);
/* True when the template draws section name. */
bool tsam_render_tmpl_has(const struct tsam_render *r, const char *name);
/* A quarter ("2026Q3") as a reader writes it: "Q3 2026 (July to
 * September)", "2026年第3四半期（7〜9月）"; anything else as it is. */
void tsam_render_fmt_quarter(const struct tsam_render *r, const char *q,
			     char *out, size_t n);

/* Whether the action register's item a is shown in quarter q: agreed in
 * it or before, and open or closed in it. *carried: agreed before q and
 * still open. */
bool tsam_render_action_shown(json_object *a, const char *q, bool *carried);
/* The document's date (SOURCE_DATE_EPOCH or now) in the customer's zone,
 * as tsam_render_plain_date writes it: what "open" and "overdue" are as
 * of. */
void tsam_render_fmt_issued(const struct tsam_render *r, char *out, size_t n);
/* An action item's status code (rv_act_<code>): its own, or "overdue" for
 * an open item whose due date is before the document's date in the
 * customer's zone. */
const char *tsam_render_action_status(const struct tsam_render *r,
				      json_object *a);

/* ---- report_plain.c: findings in plain words (no drawing) ---- */

/* The rule's "finding" (the problem a failure found) in the report's
 * language, or its title for older findings, or its id. Borrowed. */
const char *tsam_render_finding_title(const struct tsam_render *r,
				      json_object *rule);

/* v with its thousands grouped: "1,225". */
void tsam_render_plain_int(long long v, char *out, size_t n);

/* The day of t (UTC) in the report's language: "1 Oct 2026",
 * "2026年10月1日". */
void tsam_render_plain_date(const struct tsam_render *r, time_t t, char *out,
			    size_t n);

/*
 * What a rule expects, as a sentence in the report's language, from a
 * result's fact and "expected" ("age_le \"7d\"" on update.last_success:
 * "updated within the last 7 days"); the rule's title where the operator
 * alone cannot say it (patterns, conditions on list items, yes-or-no).
 */
void tsam_render_plain_expected(const struct tsam_render *r, json_object *rule,
				const char *fact, const char *expected,
				char *out, size_t n);

/* What a failed or errored result observed, in words: a date with its
 * distance from the collection (collected; -1: unknown), a size, yes or
 * no, a list's first items and a count; "not reported" when absent. */
void tsam_render_plain_observed(const struct tsam_render *r, json_object *res,
				time_t collected, char *out, size_t n);

/* ---- report_findings.c: findings.json for the health sections (no
 * drawing) ---- */

#define TSAM_RENDER_NAMES_SHOWN 3 /* endpoints named in a list of them */

/* A severity's rank: critical 0 .. info 4; anything else (NULL too) 5,
 * last. */
int tsam_render_sev_rank(const char *s);

/* qsort order of rules (json_object * elements): severity, then most
 * failures, then id. */
int tsam_render_cmp_rules(const void *a, const void *b);

/* The endpoints a rule failed or erred on (counts.fail + counts.error). */
long long tsam_render_concerned(json_object *rule);

/* The per-host rules of rules failing or in error, in order cmp (qsort);
 * *k of them. The caller frees the array (NULL when out of memory). */
json_object **tsam_render_failing_rules(json_object *rules, size_t *k,
					int (*cmp)(const void *, const void *));

/* A host's score for ordering: 101 (after every score) when it has none
 * (nothing weighted applied). */
double tsam_render_host_score(json_object *h);

/* qsort order of hosts, worst first: lowest score, then most failures
 * and errors, then name. */
int tsam_render_worst_first(const void *a, const void *b);

/* The findings' hosts, worst first (tsam_render_worst_first); *n of them.
 * The caller frees the array (NULL when out of memory or none). */
json_object **tsam_render_hosts_worst_first(json_object *f, size_t *n);

/* The collection time of the findings f (run.started), or -1. */
time_t tsam_render_collected_at(json_object *f);

/* "a, b, c and N more" / "a、b、c ほか N 台" (message hosts_more): the
 * names of a list, more others counted; names alone when more <= 0. */
void tsam_render_names_more(const struct tsam_render *r, const char *names,
			    long long more, char *out, size_t n);

/* Appends name to list (n bytes), a list of at most max names (", " or
 * "、") counted in *count; false when the list is full (the name is then
 * only counted by the caller). */
bool tsam_render_add_name(const struct tsam_render *r, char *list, size_t n,
			  size_t *count, size_t max, const char *name);

/* The rule of findings.rules with this id, or NULL. */
json_object *tsam_render_rule_by_id(json_object *findings, const char *id);

/* The host's result for rule id when it failed or erred, else NULL. */
json_object *tsam_render_failing_result(json_object *host, const char *id);

/* What the fleet rule result x expects, in the report's language, from
 * the numbers in it (the English "expected" of older findings
 * otherwise). */
void tsam_render_fleet_expected(const struct tsam_render *r, json_object *x,
				char *out, size_t n);

/* What the fleet rule result x observed: short for a table cell, or
 * longer (with the values behind it) for a note. */
void tsam_render_fleet_observed(const struct tsam_render *r, json_object *x,
				bool longer, char *out, size_t n);

/* ---- report_draw.c: the cursor, text, tables ---- */

/* Starts a page; the cursor goes to the top margin. */
void tsam_render_new_page(struct tsam_render *r);

/* Makes room for h points below the cursor, starting a page if needed. */
void tsam_render_need(struct tsam_render *r, double h);

/* The height a heading of level takes (tsam_render_heading), so that a
 * caller can keep it with what follows. */
double tsam_render_heading_h(const struct tsam_render *r, int level);

/* One line of s (NULL: "") fitted into w (cut with an ellipsis: only for
 * labels that cannot be identifiers), its baseline at y, aligned 'l', 'r'
 * or 'c'. The cursor does not move. */
void tsam_render_text(struct tsam_render *r, double x, double y, double w,
		      double size, struct tsam_rgb c, const char *s,
		      char align);

/* The lines s takes wrapped into w at size, at most max_lines. */
int tsam_render_wrap_count(struct tsam_render *r, const char *s, double w,
			   double size, int max_lines);

/* s wrapped into w (kinsoku, by character inside a word wider than w):
 * the first baseline at y, lines lh apart, aligned 'l', 'r' or 'c'; past
 * max_lines (at most TSAM_RENDER_MAX_LINES) the last line is cut with an
 * ellipsis. The cursor does not move. Returns the lines drawn. */
int tsam_render_text_wrapped(struct tsam_render *r, double x, double y,
			     double w, double size, double lh,
			     struct tsam_rgb c, const char *s, char align,
			     int max_lines);

/* A paragraph wrapped to the text width at the cursor (at most 64
 * lines), breaking pages as needed. */
void tsam_render_para(struct tsam_render *r, const char *s, double size,
		      struct tsam_rgb c);

/* The message key as a heading: level 0 begins a section (its page is
 * recorded, it gets a bookmark and a rule), level 1 is a sub-heading. */
void tsam_render_heading(struct tsam_render *r, int level, const char *key);

/* Column widths w[0..ncols) in points, proportional to rel[]. */
void tsam_render_col_widths(const struct tsam_render *r, int ncols,
			    const double *rel, double *w);

/* A table's header row at the cursor: the messages head[0..ncols),
 * wrapped in their columns (rh is unused: the height follows them). */
void tsam_render_table_header(struct tsam_render *r, int ncols, const double *w,
			      const char *align, const char *const *head,
			      double rh);

/*
 * A table of nrows rows of ncols cells (cells[row * ncols + col]) at the
 * cursor: columns widened for content that would not fit, every cell
 * whole (wrapped in its column); kept on one page when it has at most
 * TSAM_RENDER_KEEP_ROWS rows, else split across pages with its header
 * repeated; with no rows, the message empty, or nothing when empty is
 * NULL.
 */
void tsam_render_table(struct tsam_render *r, int ncols, const double *rel,
		       const char *align, const char *const *head, char **cells,
		       size_t nrows, const char *empty);

/* Appends a cell formatted like printf (at most 511 bytes). */
void tsam_render_cell(struct tsam_render_cells *cs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Frees the cells and empties cs for reuse. */
void tsam_render_cells_free(struct tsam_render_cells *cs);

/* A line of key (left, grey) and value (right) across the text width. */
void tsam_render_kv_row(struct tsam_render *r, const char *k, const char *v);

/* When the input in is NULL, draws the message note and returns true (the
 * section has nothing more to draw). */
bool tsam_render_missing(struct tsam_render *r, json_object *in,
			 const char *note);

/* The message listed_of ("120 of 130 listed") under a listing cut short;
 * nothing when listed is not less than total. */
void tsam_render_listed_note(struct tsam_render *r, size_t listed,
			     long long total);

/* ---- report_chart.c (stats.json) ---- */

/* Stacked bars: cases opened per month by severity. */
void tsam_render_chart_months(struct tsam_render *r);

/* Bars of the response attainment per severity with the target line. */
void tsam_render_chart_attainment(struct tsam_render *r);

/* The response-time distribution, stacked by severity; nothing without
 * times.response_histogram. */
void tsam_render_chart_distribution(struct tsam_render *r);

/* The response rate over the trend's quarters, as a line. */
void tsam_render_chart_trend(struct tsam_render *r);

/*
 * ---- the sections (report_sla.c, report_health.c, report_sizing.c,
 * report_portfolio.c, report_review.c, report_attach.c)
 *
 * One function per section a template may list ("summary":
 * tsam_render_sec_summary), called by report.c in the template's order.
 * Each begins with its heading at the cursor (the portfolio: the
 * document's title), which records the page it began on, and leaves the
 * cursor under what it drew; a section whose input is absent says so in a
 * note.
 */
void tsam_render_sec_summary(struct tsam_render *r);
void tsam_render_sec_incidents(struct tsam_render *r);
void tsam_render_sec_attainment(struct tsam_render *r);
void tsam_render_sec_breaches(struct tsam_render *r);
void tsam_render_sec_escalations(struct tsam_render *r);
void tsam_render_sec_trend(struct tsam_render *r);
void tsam_render_sec_reconciliation(struct tsam_render *r);
void tsam_render_sec_health(struct tsam_render *r);
void tsam_render_sec_rules_detail(struct tsam_render *r);
void tsam_render_sec_fleet_rules(struct tsam_render *r);
void tsam_render_sec_diff(struct tsam_render *r);
void tsam_render_sec_waivers(struct tsam_render *r);
void tsam_render_sec_hosts(struct tsam_render *r);
void tsam_render_sec_executive(struct tsam_render *r);
void tsam_render_sec_sizing(struct tsam_render *r);
void tsam_render_sec_remediation(struct tsam_render *r);
void tsam_render_sec_portfolio(struct tsam_render *r);
void tsam_render_sec_narrative(struct tsam_render *r);
void tsam_render_sec_targets(struct tsam_render *r);
void tsam_render_sec_open_cases(struct tsam_render *r);
void tsam_render_sec_case_mix(struct tsam_render *r);
void tsam_render_sec_actions(struct tsam_render *r);
void tsam_render_sec_attachments(struct tsam_render *r);

/* ---- accessors ----
 *
 * The inputs are checked before rendering (tsam_report_validate); these
 * keep the renderer safe for documents built in memory too (tsam-review's):
 * a member of another type reads as absent, never as a crash.
 */

/* The message key of the report's catalogue (every key the sections use
 * is checked before drawing, so the key itself is never shown). */
static inline const char *msg(const struct tsam_render *r, const char *key)
{
	const char *s = tsam_json_str(r->tmpl->catalogue, key);

	return s ? s : key; /* validated before drawing: never reached */
}

/* True when the report is in Japanese (its punctuation, dates and
 * spacing differ). */
static inline bool is_ja(const struct tsam_render *r)
{
	return strcmp(r->in->lang, "ja") == 0;
}

/* The width between the margins. */
static inline double content_w(const struct tsam_render *r)
{
	return r->tmpl->w - r->tmpl->ml - r->tmpl->mr;
}

/* A finite number member of o, or def. */
static inline double num(json_object *o, const char *key, double def)
{
	json_object *v;
	double x;

	if (o && json_object_object_get_ex(o, key, &v) &&
	    (json_object_is_type(v, json_type_double) ||
	     json_object_is_type(v, json_type_int))) {
		x = json_object_get_double(v);
		return isfinite(x) ? x : def;
	}
	return def;
}

/* Array access that cannot trip json-c's assertions: a value that is not
 * an array has no items. */
static inline size_t alen(json_object *a)
{
	return json_object_is_type(a, json_type_array)
		   ? json_object_array_length(a)
		   : 0;
}

static inline json_object *aidx(json_object *a, size_t i)
{
	return i < alen(a) ? json_object_array_get_idx(a, i) : NULL;
}

/* The string member key of o, or def. */
static inline const char *str_or(json_object *o, const char *key,
				 const char *def)
{
	const char *s = tsam_json_str(o, key);

	return s ? s : def;
}

/* The member at a dotted path ("counts.by_severity"), or NULL. */
static inline json_object *get(json_object *o, const char *path)
{
	char key[64];
	const char *dot;

	while (o != NULL && *path) {
		dot = strchr(path, '.');
		snprintf(key, sizeof(key), "%.*s",
			 (int)(dot ? (size_t)(dot - path) : strlen(path)),
			 path);
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path = dot ? dot + 1 : path + strlen(path);
	}
	return o;
}

/* The integer v, bounded to +-TSAM_RENDER_SECONDS_MAX (0 when not a
 * number), so that sums of them never overflow. */
static inline long long ival(json_object *v)
{
	double x;

	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return 0;
	x = json_object_get_double(v);
	if (!(x >= -TSAM_RENDER_SECONDS_MAX)) /* NaN too */
		return x > 0 ? (long long)TSAM_RENDER_SECONDS_MAX
			     : -(long long)TSAM_RENDER_SECONDS_MAX;
	return x > TSAM_RENDER_SECONDS_MAX ? (long long)TSAM_RENDER_SECONDS_MAX
					   : (long long)x;
}

/* The integer at path in o, as ival. */
static inline long long geti(json_object *o, const char *path)
{
	return ival(get(o, path));
}

#endif
