/*
 * report_input.c - everything a report is made from, loaded and checked
 * before anything is drawn: what customer.json, stats.json and
 * findings.json must hold (one spec per document, from
 * docs/stats.schema.json and docs/findings.schema.json), and the
 * templates (report-templates/NAME.json) and message catalogues
 * (report-templates/messages/LANG.json) with the sections and messages
 * the renderer knows. Errors name the file and the key.
 *
 * Owns the public tsam_report_validate, tsam_report_load and
 * tsam_report_check. Calls json (the specs), tz and date; draws nothing.
 *
 * Size: one spec per input document (customer, stats, findings, actions) and
 * the template and catalogue loaders, all checked before drawing; it is
 * mostly declarative tables.
 */
#include "report_int.h"

#include "buf.h"
#include "date.h"
#include "fsio.h"
#include "str.h"
#include "tz.h"

#include <string.h>

/* ---- what the inputs must hold (docs/stats.schema.json,
 * docs/findings.schema.json) ----
 *
 * Every member the report reads is checked before anything is drawn:
 * its type, its range (counts up to COUNT_MAX, so that no sum of them
 * overflows; seconds up to TSAM_RENDER_SECONDS_MAX; money up to
 * TSAM_RENDER_MONEY_MAX; no NaN or Infinity, which json-c accepts) and
 * whether it is required. Members the report does not read are not
 * checked, and members that older versions did not write are optional,
 * so that older findings still render.
 */
#define COUNT_MAX  1e9
#define NAME_MAX_B 512 /* bytes of a name */

#define REQ  TSAM_JSON_REQ
#define NUL  TSAM_JSON_NULL
#define TEXT TSAM_JSON_TEXT
#define NE   TSAM_JSON_NONEMPTY

/* s is n bytes matching pat: '9' a digit, '?' any byte, else itself. */
static bool all_of(const char *s, size_t n, const char *pat)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (pat[i] == '9' ? (s[i] < '0' || s[i] > '9')
				  : (pat[i] != '?' && s[i] != pat[i]))
			return false;
	return true;
}

/* The formats the specs check strings for: a time YYYY-MM-DDTHH:MM:SSZ,
 * a quarter 2026Q3, a month 2026-07, an id [a-z0-9_-]{1,64}. */
static bool ok_time(const char *s)
{
	return tsam_time_parse(s) >= 0;
}

static bool ok_quarter(const char *s)
{
	return all_of(s, 6, "9999Q?") && s[5] >= '1' && s[5] <= '4';
}

static bool ok_month(const char *s)
{
	return all_of(s, 7, "9999-99") && strcmp(s + 5, "01") >= 0 &&
	       strcmp(s + 5, "12") <= 0;
}

/* A date YYYY-MM-DD, optionally with a time " HH:MM" (the next review). */
static bool ok_date(const char *s)
{
	size_t n = strlen(s);

	return (n == 10 && all_of(s, 10, "9999-99-99")) ||
	       (n == 16 && all_of(s, 16, "9999-99-99 99:99"));
}

static bool ok_id(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

#define T_TIME(k, f)                                                           \
	{                                                                      \
		k, TSAM_JSON_STR, f, 0, 0, NULL, NULL, ok_time,                \
		    "a time YYYY-MM-DDTHH:MM:SSZ"                              \
	}
#define T_COUNT(k, f)                                                          \
	{                                                                      \
		k, TSAM_JSON_INT, f, 0, COUNT_MAX, NULL, NULL, NULL, NULL      \
	}
#define T_RATE(k, f)                                                           \
	{                                                                      \
		k, TSAM_JSON_NUM, f, 0, 1, NULL, NULL, NULL, NULL              \
	}
#define T_STR(k, f, max)                                                       \
	{                                                                      \
		k, TSAM_JSON_STR, f, 0, max, NULL, NULL, NULL, NULL            \
	}
#define T_ENUM(k, f, w)                                                        \
	{                                                                      \
		k, TSAM_JSON_ENUM, f, 0, 0, NULL, w, NULL, NULL                \
	}
#define T_OBJ(k, f, m)                                                         \
	{                                                                      \
		k, TSAM_JSON_OBJ, f, 0, 0, m, NULL, NULL, NULL                 \
	}
#define T_ARR(k, f, lo, hi, item)                                              \
	{                                                                      \
		k, TSAM_JSON_ARR, f, lo, hi, item, NULL, NULL, NULL            \
	}
#define T_END                                                                  \
	{                                                                      \
		NULL, TSAM_JSON_END, 0, 0, 0, NULL, NULL, NULL, NULL           \
	}

static const char *const w_tiers[] = {"standard", "premium", "platinum", NULL};
static const char *const w_targets[] = {"response", "update", "manager",
					"executive", NULL};
static const char *const w_levels[] = {"manager", "executive", NULL};
static const char *const w_esc_status[] = {
    "met", "late", "missing", "requested", "not_required", NULL};
static const char *const w_stats_schema[] = {"tsamkit-stats/1", NULL};
static const char *const w_findings_schema[] = {"tsamkit-findings/1", NULL};
static const char *const w_results[] = {"pass",		  "fail",   "error",
					"not_applicable", "waived", NULL};
static const char *const w_fleet_results[] = {"pass", "fail", "not_applicable",
					      NULL};
static const char *const w_fleet_types[] = {"share", "distinct", "capacity",
					    "uncollected", NULL};
static const char *const w_categories[] = {
    "protection",    "update",	  "performance", "capacity",
    "configuration", "lifecycle", NULL};
static const char *const w_severities[] = {"critical", "high", "medium",
					   "low",      "info", NULL};
static const char *const w_waiver_states[] = {"active", "expired", NULL};
static const char *const w_page_sizes[] = {"A4", "Letter", NULL};
static const char *const w_covers[] = {"review", "health_check", NULL};

/* customer.json */
static const struct tsam_json_spec c_tsam[] = {
    T_STR("name", TEXT, NAME_MAX_B), T_STR("email", TEXT, NAME_MAX_B), T_END};
static const struct tsam_json_spec c_members[] = {
    {"id", TSAM_JSON_STR, 0, 0, 0, NULL, NULL, ok_id, "an id [a-z0-9_-]{1,64}"},
    T_STR("name", REQ | TEXT | NE, NAME_MAX_B),
    T_ENUM("tier", 0, w_tiers),
    {"quarter", TSAM_JSON_STR, 0, 0, 0, NULL, NULL, ok_quarter,
     "a quarter like 2026Q3"},
    T_OBJ("tsam", 0, c_tsam),
    T_STR("zone", TEXT | NE, TSAM_TZ_MAX_NAME),
    T_OBJ("engineer", 0, c_tsam),
    {"next_review", TSAM_JSON_STR, 0, 0, 0, NULL, NULL, ok_date,
     "a date YYYY-MM-DD or YYYY-MM-DD HH:MM"},
    T_STR("actions", TEXT | NE, 4096),
    T_STR("narrative", TEXT | NE, 4096),
    T_END};
static const struct tsam_json_spec customer_spec = T_OBJ(NULL, REQ, c_members);

/* stats.json (tsamkit-stats/1) */
static const struct tsam_json_spec st_sev_count[] = {
    T_COUNT("1", REQ), T_COUNT("2", REQ), T_COUNT("3", REQ), T_COUNT("4", REQ),
    T_END};
static const struct tsam_json_spec st_sev_count_obj =
    T_OBJ(NULL, 0, st_sev_count);
static const struct tsam_json_spec st_counts[] = {
    T_COUNT("opened", REQ),
    T_COUNT("closed", REQ),
    T_COUNT("reopened", REQ),
    T_COUNT("backlog_start", REQ),
    T_COUNT("backlog_end", REQ),
    T_OBJ("by_severity", REQ, st_sev_count),
    {"by_month", TSAM_JSON_MAP, 0, 0, 3, &st_sev_count_obj, NULL, ok_month,
     "a month YYYY-MM"},
    T_END};
static const struct tsam_json_spec st_attain[] = {
    T_COUNT("met", REQ), T_COUNT("missed", REQ), T_COUNT("pending", REQ),
    T_RATE("rate", REQ | NUL), T_END};
static const struct tsam_json_spec st_attain_sev[] = {
    T_OBJ("1", REQ, st_attain), T_OBJ("2", REQ, st_attain),
    T_OBJ("3", REQ, st_attain), T_OBJ("4", REQ, st_attain), T_END};
static const struct tsam_json_spec st_attainment[] = {
    T_OBJ("response", REQ, st_attain_sev), T_OBJ("update", REQ, st_attain_sev),
    T_OBJ("manager", REQ, st_attain_sev),
    T_OBJ("executive", REQ, st_attain_sev), T_END};
static const struct tsam_json_spec st_count_item = T_COUNT(NULL, 0);
static const struct tsam_json_spec st_histogram[] = {
    T_ARR("1", REQ, 8, 8, &st_count_item),
    T_ARR("2", REQ, 8, 8, &st_count_item),
    T_ARR("3", REQ, 8, 8, &st_count_item),
    T_ARR("4", REQ, 8, 8, &st_count_item), T_END};
static const struct tsam_json_spec st_times[] = {
    T_OBJ("response_histogram", 0, st_histogram), T_END};
static const struct tsam_json_spec st_breach[] = {
    T_STR("case", REQ, 256),
    T_ENUM("target", REQ, w_targets),
    {"severity", TSAM_JSON_INT, REQ, 1, 4, NULL, NULL, NULL, NULL},
    T_TIME("due", REQ),
    T_TIME("done", REQ | NUL),
    {"overrun_s", TSAM_JSON_INT, REQ, 0, TSAM_RENDER_SECONDS_MAX, NULL, NULL,
     NULL, NULL},
    T_END};
static const struct tsam_json_spec st_breach_item = T_OBJ(NULL, 0, st_breach);
static const struct tsam_json_spec st_credits[] = {
    {"percent", TSAM_JSON_NUM, REQ, 0, 100, NULL, NULL, NULL, NULL},
    {"amount", TSAM_JSON_NUM, 0, 0, TSAM_RENDER_MONEY_MAX, NULL, NULL, NULL,
     NULL},
    {"fee", TSAM_JSON_NUM, 0, 0, TSAM_RENDER_MONEY_MAX, NULL, NULL, NULL, NULL},
    T_STR("currency", TEXT, 16),
    T_END};
static const struct tsam_json_spec st_escalation[] = {
    T_STR("case", REQ, 256),
    T_ENUM("level", REQ, w_levels),
    {"severity", TSAM_JSON_INT, REQ, 1, 4, NULL, NULL, NULL, NULL},
    T_TIME("at", REQ | NUL),
    T_TIME("due", REQ | NUL),
    T_ENUM("status", REQ, w_esc_status),
    T_END};
static const struct tsam_json_spec st_escalation_item =
    T_OBJ(NULL, 0, st_escalation);
static const struct tsam_json_spec st_string_item = T_STR(NULL, 0, 0);
static const struct tsam_json_spec st_flags[] = {
    T_ARR("severity3_open_too_long", REQ, 0, 0, &st_string_item), T_END};
static const struct tsam_json_spec st_trend_q[] = {
    {"quarter", TSAM_JSON_STR, REQ, 0, 0, NULL, NULL, ok_quarter,
     "a quarter like 2026Q3"},
    T_OBJ("counts", REQ, st_counts),
    T_RATE("response_rate", REQ | NUL),
    T_COUNT("breaches", REQ),
    {"credit_percent", TSAM_JSON_NUM, REQ, 0, 100, NULL, NULL, NULL, NULL},
    T_END};
static const struct tsam_json_spec st_trend_item = T_OBJ(NULL, 0, st_trend_q);
static const struct tsam_json_spec st_input_file[] = {
    T_STR("file", REQ, 4096),
    T_COUNT("rows", REQ),
    T_COUNT("used", REQ),
    T_COUNT("rejected", REQ),
    T_COUNT("other_customers", REQ),
    T_COUNT("lost", 0),
    T_END};
static const struct tsam_json_spec st_rejected[] = {
    T_STR("file", REQ, 4096),
    {"line", TSAM_JSON_INT, REQ, 1, COUNT_MAX, NULL, NULL, NULL, NULL},
    T_STR("reason", REQ, 0),
    T_END};
static const struct tsam_json_spec st_rejected_item =
    T_OBJ(NULL, 0, st_rejected);
static const struct tsam_json_spec st_input[] = {
    T_OBJ("cases", REQ, st_input_file), T_OBJ("events", 0, st_input_file),
    T_ARR("rejected_rows", REQ, 0, 1000, &st_rejected_item), T_END};
static const struct tsam_json_spec st_period[] = {
    T_STR("zone", REQ | TEXT | NE, 64), T_END};
static const char *const w_open_status[] = {"awaiting_response", "in_progress",
					    "waiting_customer", NULL};
static const char *const w_waiting[] = {"vendor", "customer", NULL};
static const struct tsam_json_spec st_open_case[] = {
    T_STR("case", REQ, 256),
    {"severity", TSAM_JSON_INT, REQ, 1, 4, NULL, NULL, NULL, NULL},
    T_TIME("received", REQ),
    {"age_s", TSAM_JSON_INT, REQ, 0, TSAM_RENDER_SECONDS_MAX, NULL, NULL, NULL,
     NULL},
    T_STR("product", 0, 4096),
    T_STR("channel", 0, 4096),
    T_ENUM("status", REQ, w_open_status),
    T_STR("last_event", REQ, 64),
    T_TIME("last_event_at", REQ),
    T_ENUM("waiting_on", REQ, w_waiting),
    T_END};
static const struct tsam_json_spec st_open_case_item =
    T_OBJ(NULL, 0, st_open_case);
static const struct tsam_json_spec st_sev_change[] = {
    T_STR("case", REQ, 256),
    T_TIME("at", REQ),
    {"from", TSAM_JSON_INT, REQ, 1, 4, NULL, NULL, NULL, NULL},
    {"to", TSAM_JSON_INT, REQ, 1, 4, NULL, NULL, NULL, NULL},
    T_END};
static const struct tsam_json_spec st_sev_change_item =
    T_OBJ(NULL, 0, st_sev_change);
static const struct tsam_json_spec st_percent = {
    NULL, TSAM_JSON_NUM, 0, 0, 100, NULL, NULL, NULL, NULL};
static const struct tsam_json_spec st_target_name = T_ENUM(NULL, 0, w_targets);
static const struct tsam_json_spec st_credit_rule[] = {
    {"eligible", TSAM_JSON_BOOL, REQ, 0, 0, NULL, NULL, NULL, NULL},
    T_ARR("targets", REQ, 0, 4, &st_target_name),
    {"percent_per_miss", TSAM_JSON_MAP, REQ, 0, 4, &st_percent, NULL, NULL,
     NULL},
    {"cap_percent", TSAM_JSON_NUM, REQ, 0, 100, NULL, NULL, NULL, NULL},
    T_END};
static const struct tsam_json_spec st_review_detail[] = {
    T_TIME("at", REQ),
    T_ARR("open_cases", REQ, 0, 1000, &st_open_case_item),
    T_COUNT("open_cases_total", REQ),
    T_ARR("severity_changes", REQ, 0, 1000, &st_sev_change_item),
    T_COUNT("severity_changes_total", REQ),
    {"targets", TSAM_JSON_ANY, REQ, 0, 0, NULL, NULL, NULL, NULL},
    T_OBJ("credit_rule", REQ, st_credit_rule),
    T_END};
static const struct tsam_json_spec st_members[] = {
    T_ENUM("schema", REQ, w_stats_schema),
    {"quarter", TSAM_JSON_STR, REQ, 0, 0, NULL, NULL, ok_quarter,
     "a quarter like 2026Q3"},
    T_OBJ("period", REQ, st_period),
    T_OBJ("input", REQ, st_input),
    T_OBJ("counts", REQ, st_counts),
    T_OBJ("attainment", REQ, st_attainment),
    T_OBJ("times", 0, st_times),
    T_ARR("breaches", REQ, 0, 0, &st_breach_item),
    T_COUNT("breaches_total", REQ),
    T_OBJ("credits", REQ, st_credits),
    T_ARR("escalations", REQ, 0, 0, &st_escalation_item),
    T_COUNT("escalations_total", REQ),
    T_OBJ("flags", REQ, st_flags),
    T_ARR("trend", REQ, 0, 5, &st_trend_item),
    T_OBJ("review_detail", 0, st_review_detail),
    T_END};
static const struct tsam_json_spec stats_spec = T_OBJ(NULL, REQ, st_members);

/* findings.json (tsamkit-findings/1) */
#define F_SCORE                                                                \
	{                                                                      \
		"score", TSAM_JSON_NUM, REQ | NUL, 0, 100, NULL, NULL, NULL,   \
		    NULL                                                       \
	}
static const struct tsam_json_spec f_counts[] = {
    T_COUNT("pass", REQ),   T_COUNT("fail", REQ),
    T_COUNT("error", REQ),  T_COUNT("not_applicable", REQ),
    T_COUNT("waived", REQ), T_END};
static const struct tsam_json_spec f_text[] = {T_STR("en", REQ, 0),
					       T_STR("ja", REQ, 0), T_END};
static const struct tsam_json_spec f_fleet[] = {
    F_SCORE,
    T_OBJ("counts", 0, f_counts),
    T_COUNT("hosts_checked", REQ),
    T_COUNT("hosts_uncollected", REQ),
    T_COUNT("hosts_limited", 0),
    T_END};
static const struct tsam_json_spec f_rule[] = {
    T_STR("id", REQ | NE, 128),
    T_OBJ("title", REQ, f_text),
    T_OBJ("finding", 0, f_text),
    T_ARR("references", 0, 0, 64, &st_string_item),
    T_OBJ("rationale", 0, f_text),
    T_OBJ("recommendation", 0, f_text),
    T_ENUM("category", REQ, w_categories),
    T_ENUM("severity", REQ, w_severities),
    T_OBJ("counts", REQ, f_counts),
    T_END};
static const struct tsam_json_spec f_rule_item = T_OBJ(NULL, 0, f_rule);
static const struct tsam_json_spec f_pos_count = {
    NULL, TSAM_JSON_INT, 0, 1, COUNT_MAX, NULL, NULL, NULL, NULL};
static const struct tsam_json_spec f_fleet_rule[] = {
    T_STR("rule", REQ | NE, 128),
    T_ENUM("type", REQ, w_fleet_types),
    T_ENUM("result", REQ, w_fleet_results),
    T_STR("expected", 0, 0),
    {"observed_pct", TSAM_JSON_NUM, 0, 0, 100, NULL, NULL, NULL, NULL},
    T_STR("target", 0, 128),
    {"min_pct", TSAM_JSON_NUM, 0, 0, 100, NULL, NULL, NULL, NULL},
    {"max_pct", TSAM_JSON_NUM, 0, 0, 100, NULL, NULL, NULL, NULL},
    T_STR("fact", 0, 0),
    {"max", TSAM_JSON_INT, 0, 1, COUNT_MAX, NULL, NULL, NULL, NULL},
    {"observed", TSAM_JSON_MAP, 0, 0, 0, &f_pos_count, NULL, NULL, NULL},
    T_COUNT("observed_max", 0),
    T_STR("observed_at", 0, 0),
    T_OBJ("what", 0, f_text),
    T_END};
static const struct tsam_json_spec f_fleet_rule_item =
    T_OBJ(NULL, 0, f_fleet_rule);
static const struct tsam_json_spec f_waiver[] = {
    T_STR("rule", REQ, 128),
    {"hosts", TSAM_JSON_ANY, 0, 0, 0, NULL, NULL, NULL, NULL},
    T_STR("justification", 0, 0),
    T_STR("approver", 0, 0),
    T_STR("expires", 0, 0),
    T_ENUM("state", 0, w_waiver_states),
    T_COUNT("applied", 0),
    T_END};
static const struct tsam_json_spec f_waiver_item = T_OBJ(NULL, 0, f_waiver);
static const struct tsam_json_spec f_result[] = {
    T_STR("rule", REQ | NE, 128),
    T_ENUM("result", REQ, w_results),
    {"observed", TSAM_JSON_ANY, 0, 0, 0, NULL, NULL, NULL, NULL},
    T_STR("expected", 0, 0),
    T_STR("reason", 0, 0),
    T_END};
static const struct tsam_json_spec f_result_item = T_OBJ(NULL, 0, f_result);
static const struct tsam_json_spec f_resources[] = {
    T_COUNT("cpus", 0),
    T_COUNT("mem_total_mb", 0),
    T_COUNT("mem_available_mb", 0),
    T_COUNT("load_per_cpu_pct", 0),
    T_COUNT("disk_used_pct_max", 0),
    T_COUNT("disk_free_mb_min", 0),
    T_END};
static const struct tsam_json_spec f_host[] = {
    T_STR("name", REQ, 1024),
    F_SCORE,
    T_OBJ("resources", 0, f_resources),
    T_OBJ("counts", REQ, f_counts),
    T_ARR("denied", 0, 0, 0, &st_string_item),
    T_ARR("results", 0, 0, 0, &f_result_item),
    T_END};
static const struct tsam_json_spec f_host_item = T_OBJ(NULL, 0, f_host);
static const struct tsam_json_spec f_uncollected[] = {
    T_STR("name", REQ, 1024), T_STR("status", REQ, 64), T_END};
static const struct tsam_json_spec f_uncollected_item =
    T_OBJ(NULL, 0, f_uncollected);
static const struct tsam_json_spec f_ref[] = {
    T_STR("host", REQ, 1024), T_STR("rule", REQ, 128),
    T_ENUM("was", REQ | NUL, w_results), T_ENUM("now", REQ, w_results), T_END};
static const struct tsam_json_spec f_ref_item = T_OBJ(NULL, 0, f_ref);
static const struct tsam_json_spec f_diff[] = {
    {"baseline_score", TSAM_JSON_NUM, NUL, 0, 100, NULL, NULL, NULL, NULL},
    T_ARR("new_failures", REQ, 0, 0, &f_ref_item),
    T_ARR("fixed", REQ, 0, 0, &f_ref_item),
    T_ARR("still_failing", REQ, 0, 0, &f_ref_item),
    T_ARR("hosts_added", REQ, 0, 0, &st_string_item),
    T_ARR("hosts_removed", REQ, 0, 0, &st_string_item),
    T_END};
static const struct tsam_json_spec f_run[] = {T_TIME("started", NUL),
					      T_COUNT("hosts", 0), T_END};
static const struct tsam_json_spec f_members[] = {
    T_ENUM("schema", REQ, w_findings_schema),
    T_OBJ("run", 0, f_run),
    T_OBJ("fleet", REQ, f_fleet),
    T_ARR("rules", REQ, 0, 0, &f_rule_item),
    T_ARR("fleet_rules", 0, 0, 0, &f_fleet_rule_item),
    T_ARR("waivers", 0, 0, 0, &f_waiver_item),
    T_ARR("hosts", 0, 0, 0, &f_host_item),
    T_ARR("uncollected", 0, 0, 0, &f_uncollected_item),
    T_OBJ("diff", 0, f_diff),
    T_END};
static const struct tsam_json_spec findings_spec = T_OBJ(NULL, REQ, f_members);

/* Checks doc against its kind's spec (report.h); stats.json's zone must
 * be one this system has. */
enum tsam_err tsam_report_validate(json_object *doc, enum tsam_report_doc kind,
				   const char *name, struct tsam_errbuf *eb)
{
	const struct tsam_json_spec *spec =
	    kind == TSAM_REPORT_CUSTOMER
		? &customer_spec
		: (kind == TSAM_REPORT_STATS ? &stats_spec : &findings_spec);
	json_object *period = NULL;
	const char *zone;
	struct tsam_tz *tz = NULL;
	int rc = tsam_json_spec_check(doc, spec, name, eb);

	if (rc != TSAM_OK || kind == TSAM_REPORT_FINDINGS)
		return rc;
	/* the zone the times are shown in must be one this system knows:
	 * the customer's own, or the support calendar's */
	if (kind == TSAM_REPORT_STATS) {
		json_object_object_get_ex(doc, "period", &period);
		zone = tsam_json_str(period, "zone");
	} else if ((zone = tsam_json_str(doc, "zone")) == NULL) {
		return TSAM_OK;
	}
	if (strcmp(zone, "UTC") != 0 &&
	    tsam_tz_load(NULL, zone, &tz, NULL) != TSAM_OK)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: %s: \"%s\" is not a time "
		    "zone of this system",
		    name, kind == TSAM_REPORT_STATS ? "period.zone" : "zone",
		    zone);
	tsam_tz_free(tz);
	return TSAM_OK;
}

/* Loads and checks a document (report.h); *out is NULL on error. */
enum tsam_err tsam_report_load(const char *path, enum tsam_report_doc kind,
			       json_object **out, struct tsam_errbuf *eb)
{
	int rc = tsam_json_load(path, 1u << 30, out, eb);

	if (rc == TSAM_OK &&
	    (rc = tsam_report_validate(*out, kind, path, eb)) != TSAM_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- templates and message catalogues ----
 *
 * A template is data a TSAM edits: checked by type and range like the
 * inputs, then for sections this module knows and a title that is a
 * message key. A catalogue must hold every message the sections use.
 */
#define MM 2.834645669 /* points per millimetre */

/* The sections a template may list (report.c draws each). */
static const char *known_sections[] = {
    "cover", "toc", "summary", "incidents", "attainment", "breaches",
    "escalations", "trend", "health", "reconciliation", "rules_detail",
    "fleet_rules", "diff", "waivers", "hosts", "portfolio", "executive",
    "sizing", "remediation",
    /* report_review.c */
    "narrative", "targets", "open_cases", "case_mix", "actions", "attachments"};
#define NSECTIONS (sizeof(known_sections) / sizeof(known_sections[0]))

/* Every message the sections use; both catalogues must have them all. */
static const char *keys[] = {"doc_title",
			     "confidential",
			     "page",
			     "prepared_by",
			     "customer",
			     "quarter",
			     "quarter_long",
			     "rv_q1",
			     "rv_q2",
			     "rv_q3",
			     "rv_q4",
			     "issued",
			     "tier",
			     "tsam",
			     "contact",
			     "times_in",
			     "tier_standard",
			     "tier_premium",
			     "tier_platinum",
			     "sec_toc",
			     "sec_summary",
			     "sec_incidents",
			     "sec_attainment",
			     "sec_breaches",
			     "brk_overrun_note",
			     "sec_escalations",
			     "sec_trend",
			     "sec_health",
			     "sec_reconciliation",
			     "k_opened",
			     "col_inc_what",
			     "col_inc_count",
			     "inc_opened_sev",
			     "k_closed",
			     "k_backlog_start",
			     "k_backlog_end",
			     "k_reopened",
			     "k_breaches",
			     "k_response_rate",
			     "k_credits",
			     "k_score",
			     "k_hosts",
			     "sev_1",
			     "sev_2",
			     "sev_3",
			     "sev_4",
			     "t_response",
			     "t_update",
			     "t_manager",
			     "t_executive",
			     "col_case",
			     "col_target",
			     "col_severity",
			     "col_due",
			     "col_done",
			     "col_overrun",
			     "col_status",
			     "col_level",
			     "col_met",
			     "col_missed",
			     "col_pending",
			     "col_rate",
			     "col_quarter",
			     "col_rule",
			     "col_title",
			     "col_failed",
			     "col_file",
			     "col_rows",
			     "col_used",
			     "col_rejected",
			     "col_other",
			     "col_line",
			     "col_reason",
			     "st_met",
			     "esc_counts",
			     "esc_counts_all_met",
			     "st_late",
			     "st_missing",
			     "st_requested",
			     "st_not_required",
			     "never",
			     "none",
			     "chart_by_month",
			     "chart_attainment",
			     "att_see_targets",
			     "chart_trend",
			     "no_stats",
			     "no_findings",
			     "summary_text",
			     "credits_text",
			     "credits_none",
			     "listed_of",
			     "rejected_text",
			     "rec_whole",
			     "raise_text",
			     "raise_done",
			     "unit_h",
			     "unit_min",
			     "unit_d",
			     "lv_manager",
			     "lv_executive",
			     "col_opened",
			     "col_closed",
			     "col_backlog",
			     "col_resp_rate",
			     "col_breaches",
			     "col_credits",
			     "doc_title_hc",
			     "sec_rules_detail",
			     "sec_fleet_rules",
			     "sec_diff",
			     "sec_waivers",
			     "sec_hosts",
			     "k_new_failures",
			     "k_fixed",
			     "k_still_failing",
			     "k_hosts_added",
			     "k_hosts_removed",
			     "no_baseline",
			     "col_host",
			     "col_result",
			     "col_observed",
			     "col_expected",
			     "col_score",
			     "col_pass",
			     "col_fail",
			     "col_failing_checks",
			     "col_error",
			     "col_was",
			     "col_now",
			     "col_hosts",
			     "col_justification",
			     "col_approver",
			     "col_expires",
			     "col_state",
			     "col_applied",
			     "why",
			     "recommendation",
			     "failing_on",
			     "fx_share",
			     "fx_share_all",
			     "fx_distinct",
			     "fx_capacity",
			     "fx_uncollected",
			     "fo_capacity",
			     "fo_capacity_short",
			     "fo_share",
			     "fo_distinct_short",
			     "fleet_note",
			     "hs_unreachable",
			     "hs_timeout",
			     "hs_auth_failed",
			     "hs_become_failed",
			     "k_limited",
			     "limited_title",
			     "limited_note",
			     "obs_privilege",
			     "hs_hostkey_unknown",
			     "hs_hostkey_mismatch",
			     "hs_command_failed",
			     "hs_truncated",
			     "hs_not_run",
			     "hs_jump_failed",
			     "res_pass",
			     "res_fail",
			     "res_error",
			     "res_waived",
			     "res_not_applicable",
			     "state_active",
			     "state_expired",
			     "not_collected",
			     "cat_protection",
			     "cat_update",
			     "cat_performance",
			     "cat_capacity",
			     "cat_configuration",
			     "cat_lifecycle",
			     "sevw_critical",
			     "sevw_high",
			     "sevw_medium",
			     "sevw_low",
			     "sevw_info",
			     "none_any",
			     "chart_response_dist",
			     "chart_response_dist_note",
			     "k_score_last_year",
			     "findings_by_category",
			     "top_recommendations",
			     "col_category",
			     "b_15m",
			     "b_30m",
			     "b_1h",
			     "b_2h",
			     "b_4h",
			     "b_8h",
			     "b_24h",
			     "b_more",
			     "doc_title_pf",
			     "sec_portfolio",
			     "col_customer",
			     "col_tier",
			     "col_cases",
			     "col_lights",
			     "lights_legend",
			     "failed",
			     "pf_for",
			     "col_tier_short",
			     "col_rate_short",
			     "col_lights_short",
			     "col_case_severity",
			     "summary_text_none",
			     "summary_text_nosla",
			     "credits_text_pct",
			     "not_done",
			     "not_made",
			     "none_dash",
			     "zone_other",
			     "prepared_by_support",
			     "doc_title_report",
			     "col_sla",
			     "col_health",
			     "col_collection",
			     "light_green",
			     "light_amber",
			     "light_red",
			     "light_grey",
			     "light_na",
			     "pu_day",
			     "pu_days",
			     "pu_hour",
			     "pu_hours",
			     "pu_minute",
			     "pu_minutes",
			     "pu_second",
			     "pu_seconds",
			     "pv_true",
			     "pv_false",
			     "pv_none",
			     "pv_empty",
			     "pv_more",
			     "pv_quoted",
			     "pv_disk",
			     "pv_before",
			     "pv_after",
			     "pv_undetermined",
			     "px_eq",
			     "px_ne",
			     "px_le",
			     "px_lt",
			     "px_ge",
			     "px_gt",
			     "px_in",
			     "px_version_ge",
			     "px_version_gt",
			     "px_version_le",
			     "px_version_lt",
			     "px_age_le",
			     "px_age_le_update",
			     "px_age_le_scan",
			     "px_age_gt",
			     "px_until_le",
			     "px_until_gt",
			     "px_until_gt_0",
			     "px_until_gt_support",
			     "px_until_gt_support_0",
			     "px_count_ge",
			     "px_count_le",
			     "hc_collected_on",
			     "hc_engineer",
			     "hc_scope",
			     "hc_inventory",
			     "hc_collected",
			     "hc_not_collected",
			     "hc_no_product",
			     "hc_no_product_v",
			     "hc_limited",
			     "hc_prepared",
			     "hc_reason_n",
			     "sec_executive",
			     "ex_overview",
			     "ex_last_year",
			     "ex_none",
			     "ex_top",
			     "ex_item",
			     "ex_fleet_item",
			     "ex_not_collected",
			     "expected_line",
			     "references",
			     "col_endpoints",
			     "col_examples",
			     "hosts_more",
			     "hosts_more_all",
			     "groups_more",
			     "sec_sizing",
			     "sz_intro",
			     "col_resource",
			     "col_lowest",
			     "col_median",
			     "col_highest",
			     "col_measured",
			     "sz_cpus",
			     "sz_mem",
			     "sz_mem_avail",
			     "sz_load",
			     "sz_disk_used",
			     "sz_disk_free",
			     "sz_checks",
			     "col_check",
			     "col_meets",
			     "col_short",
			     "col_not_judged",
			     "sz_advice",
			     "sz_advice_item",
			     "sz_ok",
			     "sz_ok_partial",
			     "sz_tightest",
			     "sz_unmeasured",
			     "sz_what_disk",
			     "sz_what_load",
			     "sz_none",
			     "col_cpus",
			     "col_mem",
			     "col_avail",
			     "col_load",
			     "col_disk",
			     "sec_remediation",
			     "rp_intro",
			     "col_no",
			     "col_finding",
			     "col_owner",
			     "col_due_date",
			     "col_fleet",
			     "hosts_summary",
			     "score_explained",
			     "hosts_noscore",
			     "col_group",
			     "col_count"};

/* The messages of report_review.c's sections, checked like keys[]. */
static const char *review_keys[] = {
    "sec_narrative",
    "sec_targets",
    "sec_open_cases",
    "sec_case_mix",
    "sec_actions",
    "sec_attachments",
    "rv_tsam_says",
    "rv_next_review",
    "rv_no_detail",
    "rv_no_target",
    "rv_any_time",
    "rv_business_days",
    "rv_business_day",
    "internal",
    "rv_hours_24x7",
    "rv_hours_support",
    "rv_n_volume",
    "rv_n_volume_only",
    "rv_n_urgent_spike",
    "rv_n_response_good",
    "rv_n_response_bad",
    "rv_n_update_good",
    "rv_n_update_bad",
    "rv_n_executive",
    "rv_n_executive_req",
    "rv_n_executive_all_req",
    "rv_n_actions_all_overdue",
    "rv_n_missed",
    "rv_n_credits",
    "rv_n_no_credits",
    "rv_n_open",
    "rv_n_open_none",
    "rv_n_health",
    "rv_n_actions",
    "rv_n_change",
    "rv_n_no_change",
    "rv_n_no_change_nosla",
    "rv_col_contract",
    "rv_col_resolved",
    "rv_col_median",
    "rv_col_p90",
    "rv_col_misses",
    "rv_col_per_miss",
    "rv_col_percent",
    "rv_missed_on",
    "rv_missed_on_listed",
    "rv_h_resolution",
    "rv_res_note",
    "rv_h_credit",
    "rv_credit_not_eligible",
    "rv_credit_no_misses",
    "rv_credit_sum",
    "rv_credit_sum_fee",
    "rv_status_awaiting_response",
    "rv_status_in_progress",
    "rv_status_waiting_customer",
    "rv_ev_created",
    "rv_ev_first_response",
    "rv_ev_vendor_update",
    "rv_ev_customer_update",
    "rv_ev_severity_change",
    "rv_ev_pending_customer",
    "rv_ev_resumed",
    "rv_ev_escalation_manager",
    "rv_ev_escalation_executive",
    "rv_ev_resolved",
    "rv_ev_reopened",
    "rv_ev_closed",
    "rv_col_opened",
    "rv_col_sev_short",
    "rv_col_age",
    "rv_col_last_event",
    "rv_col_next",
    "rv_open_intro",
    "rv_days",
    "rv_move_customer",
    "rv_move_vendor",
    "rv_open_none",
    "rv_col_cases",
    "rv_col_share",
    "rv_col_product",
    "rv_col_channel",
    "rv_ch_phone",
    "rv_ch_email",
    "rv_ch_web",
    "rv_ch_chat",
    "rv_col_when",
    "rv_col_from",
    "rv_col_to",
    "rv_h_by_product",
    "rv_h_by_channel",
    "rv_h_severity_changes",
    "rv_actions_none",
    "rv_actions_empty",
    "rv_owner_vendor",
    "rv_owner_customer",
    "rv_owner_both",
    "rv_actions_asof",
    "rv_act_open",
    "rv_act_done",
    "rv_act_dropped",
    "rv_act_carried",
    "rv_action_line",
    "rv_col_id",
    "rv_col_agreed",
    "rv_col_owner",
    "rv_col_who",
    "rv_col_action",
    "rv_col_due",
    "rv_col_closed",
    "rv_col_dimension",
    "rv_col_value",
    "rv_col_last_at",
    "rv_col_overrun_min",
    "rv_att_actions",
    "rv_att_attainment",
    "rv_att_mix",
    "rv_att_escalations",
    "rv_att_open",
    "rv_att_changes",
    "rv_att_breaches",
    "rv_att_trend",
    "rv_col_file",
    "rv_col_content",
    "rv_col_rows",
    "rv_att_intro",
};

/* report-templates/NAME.json and messages/LANG.json */
static const struct tsam_json_spec t_margin[] = {
    {"top", TSAM_JSON_NUM, 0, 0, 60, NULL, NULL, NULL, NULL},
    {"right", TSAM_JSON_NUM, 0, 0, 60, NULL, NULL, NULL, NULL},
    {"bottom", TSAM_JSON_NUM, 0, 0, 60, NULL, NULL, NULL, NULL},
    {"left", TSAM_JSON_NUM, 0, 0, 60, NULL, NULL, NULL, NULL},
    T_END};
static const struct tsam_json_spec t_page[] = {
    T_ENUM("size", 0, w_page_sizes), T_OBJ("margin_mm", 0, t_margin), T_END};
static const struct tsam_json_spec t_styles[] = {
    {"title", TSAM_JSON_NUM, 0, 8, 48, NULL, NULL, NULL, NULL},
    {"h1", TSAM_JSON_NUM, 0, 6, 36, NULL, NULL, NULL, NULL},
    {"h2", TSAM_JSON_NUM, 0, 5, 24, NULL, NULL, NULL, NULL},
    {"body", TSAM_JSON_NUM, 0, 5, 20, NULL, NULL, NULL, NULL},
    {"table", TSAM_JSON_NUM, 0, 4, 16, NULL, NULL, NULL, NULL},
    {"small", TSAM_JSON_NUM, 0, 4, 14, NULL, NULL, NULL, NULL},
    T_END};
static const struct tsam_json_spec t_section = T_STR(NULL, TEXT | NE, 64);
static const struct tsam_json_spec t_members[] = {
    T_ARR("sections", REQ, 1, TSAM_RENDER_MAX_SECTIONS, &t_section),
    T_OBJ("page", 0, t_page),
    T_OBJ("styles", 0, t_styles),
    T_STR("title", TEXT | NE, 64),
    {"attainment_target", TSAM_JSON_NUM, 0, 0.01, 1, NULL, NULL, NULL, NULL},
    {"max_rows", TSAM_JSON_INT, 0, 1, 10000, NULL, NULL, NULL, NULL},
    T_ENUM("cover", 0, w_covers),
    T_END};
static const struct tsam_json_spec tmpl_spec = T_OBJ(NULL, REQ, t_members);
static const struct tsam_json_spec m_message = T_STR(NULL, 0, 4096);
static const struct tsam_json_spec msgs_spec = {
    NULL, TSAM_JSON_MAP, REQ, 0, 0, &m_message, NULL, NULL, NULL};

/* Frees the template and catalogue documents (report_int.h). */
void tsam_render_tmpl_free(struct tsam_render_tmpl *t)
{
	json_object_put(t->doc);
	json_object_put(t->catalogue);
}

/* Loads a catalogue and checks it has every key of keys[]. */
enum tsam_err tsam_render_msgs_load(const char *datadir, const char *lang,
				    json_object **out, struct tsam_errbuf *eb)
{
	char path[1024];
	size_t i;
	int rc;

	if (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "language \"%s\": ja or en", lang);
	snprintf(path, sizeof(path), "%s/report-templates/messages/%s.json",
		 datadir, lang);
	rc = tsam_json_load(path, 1 << 20, out, eb);
	if (rc == TSAM_OK)
		rc = tsam_json_spec_check(*out, &msgs_spec, path, eb);
	for (i = 0; rc == TSAM_OK && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *s = tsam_json_str(*out, keys[i]);

		if (s == NULL || s[0] == '\0')
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: message \"%s\" is missing",
					     path, keys[i]);
	}
	for (i = 0;
	     rc == TSAM_OK && i < sizeof(review_keys) / sizeof(review_keys[0]);
	     i++) {
		const char *s = tsam_json_str(*out, review_keys[i]);

		if (s == NULL || s[0] == '\0')
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: message \"%s\" is missing",
					     path, review_keys[i]);
	}
	if (rc != TSAM_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

/* Loads and checks a template, its geometry (A4 or Letter, margins in mm
 * turned into points) and styles with their defaults, then the
 * catalogue of lang when lang is not NULL. */
enum tsam_err tsam_render_tmpl_load(const char *datadir, const char *name,
				    const char *lang,
				    struct tsam_render_tmpl *t,
				    struct tsam_errbuf *eb)
{
	char path[1024];
	json_object *v, *m = NULL, *st = NULL;
	const char *size;
	size_t i, k;
	int rc;

	memset(t, 0, sizeof(*t));
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
		strlen(name) ||
	    name[0] == '\0' || strlen(name) > 64)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "bad template name \"%s\"", name);
	snprintf(path, sizeof(path), "%s/report-templates/%s.json", datadir,
		 name);
	rc = tsam_json_load(path, 1 << 20, &t->doc, eb);
	if (rc == TSAM_OK)
		rc = tsam_json_spec_check(t->doc, &tmpl_spec, path, eb);
	if (rc != TSAM_OK)
		return rc;
	json_object_object_get_ex(t->doc, "sections", &v);
	for (i = 0; i < alen(v); i++) {
		const char *s = json_object_get_string(aidx(v, i));

		for (k = 0; k < NSECTIONS && strcmp(s, known_sections[k]) != 0;
		     k++)
			;
		if (k == NSECTIONS)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: sections[%zu]: unknown "
					       "section \"%s\"",
					       path, i, s);
		t->sections[t->nsections++] = known_sections[k];
	}
	json_object_object_get_ex(t->doc, "page", &m);
	size = tsam_json_str(m, "size");
	if (size == NULL || strcmp(size, "A4") == 0) {
		t->w = 595.28;
		t->h = 841.89;
	} else {
		t->w = 612;
		t->h = 792;
	}
	v = NULL;
	json_object_object_get_ex(m, "margin_mm", &v);
	t->mt = num(v, "top", 20) * MM;
	t->mr = num(v, "right", 18) * MM;
	t->mb = num(v, "bottom", 20) * MM;
	t->ml = num(v, "left", 18) * MM;
	json_object_object_get_ex(t->doc, "styles", &st);
	t->s_title = num(st, "title", 24);
	t->s_h1 = num(st, "h1", 15);
	t->s_h2 = num(st, "h2", 11.5);
	t->s_body = num(st, "body", 9.5);
	t->s_table = num(st, "table", 8.5);
	t->s_small = num(st, "small", 7.5);
	t->attainment_target = num(t->doc, "attainment_target", 0.95);
	t->title_key = tsam_json_str(t->doc, "title");
	if (t->title_key == NULL)
		t->title_key = "doc_title";
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]) &&
		    strcmp(keys[k], t->title_key) != 0;
	     k++)
		;
	if (k == sizeof(keys) / sizeof(keys[0]))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: title: \"%s\" is not a message key",
				       path, t->title_key);
	t->max_rows = (int)num(t->doc, "max_rows", 200);
	t->cover_health =
	    tsam_json_str(t->doc, "cover") != NULL &&
	    strcmp(tsam_json_str(t->doc, "cover"), "health_check") == 0;
	return lang ? tsam_render_msgs_load(datadir, lang, &t->catalogue, eb)
		    : TSAM_OK;
}

/* Checks the template with each catalogue in turn (report.h). */
enum tsam_err tsam_report_check(const char *datadir, const char *tmpl,
				struct tsam_errbuf *eb)
{
	static const char *langs[] = {"ja", "en"};
	struct tsam_render_tmpl t;
	size_t i;
	int rc = TSAM_OK;

	for (i = 0; rc == TSAM_OK && i < 2; i++) {
		rc = tsam_render_tmpl_load(datadir, tmpl, langs[i], &t, eb);
		tsam_render_tmpl_free(&t);
	}
	return rc;
}

/* ---- the review meeting's own inputs: the action register and the
 * TSAM's paragraph (docs/actions.schema.json, docs/tsam-report.md) ---- */

static const char *const w_actions_schema[] = {"tsamkit-actions/1", NULL};
static const char *const w_owners[] = {"vendor", "customer", "both", NULL};
static const char *const w_action_status[] = {"open", "done", "dropped", NULL};

static bool ok_day(const char *s)
{
	return strlen(s) == 10 && ok_date(s);
}

static const struct tsam_json_spec a_item[] = {
    T_STR("id", TEXT | NE, 64),
    {"agreed", TSAM_JSON_STR, REQ, 0, 0, NULL, NULL, ok_quarter,
     "a quarter like 2026Q3"},
    T_ENUM("owner", REQ, w_owners),
    T_STR("who", TEXT, 256),
    T_STR("text", REQ | TEXT | NE, 2000),
    {"due", TSAM_JSON_STR, 0, 0, 0, NULL, NULL, ok_day, "a date YYYY-MM-DD"},
    T_ENUM("status", REQ, w_action_status),
    {"closed", TSAM_JSON_STR, 0, 0, 0, NULL, NULL, ok_quarter,
     "a quarter like 2026Q3"},
    T_STR("note", TEXT, 2000),
    T_END};
static const struct tsam_json_spec a_item_obj = T_OBJ(NULL, 0, a_item);
static const struct tsam_json_spec a_members[] = {
    T_ENUM("schema", REQ, w_actions_schema), T_STR("customer", TEXT, 64),
    T_STR("comment", 0, 0), T_ARR("actions", REQ, 0, 500, &a_item_obj), T_END};
static const struct tsam_json_spec actions_spec = T_OBJ(NULL, REQ, a_members);

/* Loads and checks an action register (report.h). */
enum tsam_err tsam_report_load_actions(const char *path, json_object **out,
				       struct tsam_errbuf *eb)
{
	int rc = tsam_json_load(path, 1 << 20, out, eb);

	if (rc == TSAM_OK && (rc = tsam_json_spec_check(*out, &actions_spec,
							path, eb)) != TSAM_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

/* Loads the TSAM's paragraph (report.h): UTF-8, 4 KiB, no control
 * characters but line ends and tabs. */
enum tsam_err tsam_report_load_narrative(const char *path, char **out,
					 struct tsam_errbuf *eb)
{
	struct tsam_buf b;
	size_t i;
	int rc;

	*out = NULL;
	tsam_buf_init(&b, 4096);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc == TSAM_OK && b.data == NULL)
		rc = tsam_buf_adds(&b, "");
	if (rc == TSAM_OK && !tsam_utf8_valid(b.data, b.len))
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE, "%s: not valid UTF-8",
				     path);
	for (i = 0; rc == TSAM_OK && i < b.len; i++) {
		unsigned char ch = (unsigned char)b.data[i];

		if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') ||
		    ch == 0x7f)
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: holds the control character "
					     "U+%04X at byte %zu: not allowed "
					     "here",
					     path, ch, i);
	}
	if (rc == TSAM_OK)
		*out = tsam_buf_take(&b, NULL);
	tsam_buf_free(&b);
	return rc;
}
