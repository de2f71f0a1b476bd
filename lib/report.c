/*
 * report.c - templates, catalogues and the sections of the quarterly
 * review. One pass: the contents page is reserved where the template puts
 * it and filled in at the end with the page each section started on;
 * headers and footers ("page x / y") are drawn last on every page but the
 * cover.
 */
#include "report.h"

#include "check.h"

#include "buf.h"
#include "date.h"
#include "layout.h"
#include "pdf.h"
#include "tz.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECTIONS 16
#define MM	     2.834645669

static const char *sections[] = {
    "cover",	    "toc",	   "summary", "incidents", "attainment",
    "breaches",	    "escalations", "trend",   "health",	   "reconciliation",
    "rules_detail", "fleet_rules", "diff",    "waivers",   "hosts",
    "portfolio"};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* Every message the sections use; both catalogues must have them all. */
static const char *keys[] = {"doc_title",
			     "confidential",
			     "page",
			     "prepared_by",
			     "customer",
			     "quarter",
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
			     "sec_escalations",
			     "sec_trend",
			     "sec_health",
			     "sec_reconciliation",
			     "k_opened",
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
			     "st_late",
			     "st_missing",
			     "st_requested",
			     "st_not_required",
			     "never",
			     "none",
			     "chart_by_month",
			     "chart_attainment",
			     "chart_trend",
			     "no_stats",
			     "no_findings",
			     "summary_text",
			     "credits_text",
			     "credits_none",
			     "listed_of",
			     "rejected_text",
			     "raise_text",
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
			     "fx_distinct",
			     "fx_capacity",
			     "fx_uncollected",
			     "fo_capacity",
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
			     "col_lights_short"};

static const struct tsam_rgb BLACK = {0.1f, 0.1f, 0.12f};
static const struct tsam_rgb GREY = {0.45f, 0.45f, 0.5f};
static const struct tsam_rgb LIGHT = {0.93f, 0.94f, 0.96f};
static const struct tsam_rgb ACCENT = {0.0f, 0.32f, 0.6f};
static const struct tsam_rgb RED = {0.78f, 0.16f, 0.16f};
static const struct tsam_rgb SEVC[4] = {{0.78f, 0.16f, 0.16f},
					{0.93f, 0.55f, 0.13f},
					{0.25f, 0.52f, 0.82f},
					{0.55f, 0.62f, 0.7f}};

struct tmpl {
	json_object *doc, *msg;
	const char *title; /* message key of the document's title */
	const char *sec[MAX_SECTIONS];
	int nsec;
	double w, h, mt, mr, mb, ml;
	double s_title, s_h1, s_h2, s_body, s_table, s_small;
	double target;
	int max_rows;
};

struct r {
	const struct tsam_report_in *in;
	struct tmpl *t;
	struct tsam_pdf *pdf;
	struct tsam_tz *tz;
	double y;
	int sec_page[MAX_SECTIONS];
	int cur_sec;
	int toc_page; /* reserved contents page, -1: none */
	double toc_y;
	double size; /* for the measure callback */
};

static double measure(void *ctx, uint32_t cp)
{
	struct r *r = ctx;

	return tsam_pdf_cp_width(r->pdf, cp, r->size);
}

static const char *msg(const struct r *r, const char *key)
{
	const char *s = tsam_json_str(r->t->msg, key);

	return s ? s : key; /* validated before drawing: never reached */
}

/* Replaces {name} in tmpl with values from kv (name, value, ...). */
static void subst(const char *tmpl, const char *const *kv, size_t nkv,
		  char *out, size_t n)
{
	size_t o = 0;

	while (*tmpl && o + 1 < n) {
		size_t i;
		bool done = false;

		if (*tmpl == '{')
			for (i = 0; i + 1 < nkv; i += 2) {
				size_t k = strlen(kv[i]);

				if (strncmp(tmpl + 1, kv[i], k) == 0 &&
				    tmpl[k + 1] == '}') {
					o += (size_t)snprintf(out + o, n - o,
							      "%s", kv[i + 1]);
					if (o >= n)
						o = n - 1;
					tmpl += k + 2;
					done = true;
					break;
				}
			}
		if (!done)
			out[o++] = *tmpl++;
	}
	out[o] = '\0';
}

static void tmpl_free(struct tmpl *t)
{
	json_object_put(t->doc);
	json_object_put(t->msg);
}

/* A finite number member of o, or def. */
static double num(json_object *o, const char *key, double def)
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

/*
 * Array access that cannot trip json-c's assertions: a value that is not
 * an array has no items. The inputs are checked before rendering
 * (tsam_report_validate); these keep the renderer safe for documents
 * built in memory too (tsam-review's).
 */
static size_t alen(json_object *a)
{
	return json_object_is_type(a, json_type_array)
		   ? json_object_array_length(a)
		   : 0;
}

static json_object *aidx(json_object *a, size_t i)
{
	return i < alen(a) ? json_object_array_get_idx(a, i) : NULL;
}

/* The string member key of o, or def. */
static const char *str_or(json_object *o, const char *key, const char *def)
{
	const char *s = tsam_json_str(o, key);

	return s ? s : def;
}

/* ---- what the inputs must hold (docs/stats.schema.json,
 * docs/findings.schema.json) ----
 *
 * Every member the report reads is checked before anything is drawn:
 * its type, its range (counts up to COUNT_MAX, so that no sum of them
 * overflows; seconds up to SECONDS_MAX; money up to MONEY_MAX; no NaN or
 * Infinity, which json-c accepts) and whether it is required. Members the
 * report does not read are not checked, and members that older versions
 * did not write are optional, so that older findings still render.
 */
#define COUNT_MAX   1e9
#define SECONDS_MAX 1e11
#define MONEY_MAX   1e15
#define NAME_MAX_B  512 /* bytes of a name */

#define REQ  TSAM_JSON_REQ
#define NUL  TSAM_JSON_NULL
#define TEXT TSAM_JSON_TEXT
#define NE   TSAM_JSON_NONEMPTY

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
    {"overrun_s", TSAM_JSON_INT, REQ, 0, SECONDS_MAX, NULL, NULL, NULL, NULL},
    T_END};
static const struct tsam_json_spec st_breach_item = T_OBJ(NULL, 0, st_breach);
static const struct tsam_json_spec st_credits[] = {
    {"percent", TSAM_JSON_NUM, REQ, 0, 100, NULL, NULL, NULL, NULL},
    {"amount", TSAM_JSON_NUM, 0, 0, MONEY_MAX, NULL, NULL, NULL, NULL},
    {"fee", TSAM_JSON_NUM, 0, 0, MONEY_MAX, NULL, NULL, NULL, NULL},
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
static const struct tsam_json_spec f_host[] = {
    T_STR("name", REQ, 1024),
    F_SCORE,
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
static const struct tsam_json_spec f_members[] = {
    T_ENUM("schema", REQ, w_findings_schema),
    T_OBJ("fleet", REQ, f_fleet),
    T_ARR("rules", REQ, 0, 0, &f_rule_item),
    T_ARR("fleet_rules", 0, 0, 0, &f_fleet_rule_item),
    T_ARR("waivers", 0, 0, 0, &f_waiver_item),
    T_ARR("hosts", 0, 0, 0, &f_host_item),
    T_ARR("uncollected", 0, 0, 0, &f_uncollected_item),
    T_OBJ("diff", 0, f_diff),
    T_END};
static const struct tsam_json_spec findings_spec = T_OBJ(NULL, REQ, f_members);

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
    T_ARR("sections", REQ, 1, MAX_SECTIONS, &t_section),
    T_OBJ("page", 0, t_page),
    T_OBJ("styles", 0, t_styles),
    T_STR("title", TEXT | NE, 64),
    {"attainment_target", TSAM_JSON_NUM, 0, 0.01, 1, NULL, NULL, NULL, NULL},
    {"max_rows", TSAM_JSON_INT, 0, 1, 10000, NULL, NULL, NULL, NULL},
    T_END};
static const struct tsam_json_spec tmpl_spec = T_OBJ(NULL, REQ, t_members);
static const struct tsam_json_spec m_message = T_STR(NULL, 0, 4096);
static const struct tsam_json_spec msgs_spec = {
    NULL, TSAM_JSON_MAP, REQ, 0, 0, &m_message, NULL, NULL, NULL};

int tsam_report_validate(json_object *doc, enum tsam_report_doc kind,
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

	if (rc != TSAM_OK || kind != TSAM_REPORT_STATS)
		return rc;
	/* the zone the times are shown in must be one this system knows */
	json_object_object_get_ex(doc, "period", &period);
	zone = tsam_json_str(period, "zone");
	if (strcmp(zone, "UTC") != 0 &&
	    tsam_tz_load(NULL, zone, &tz, NULL) != TSAM_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: period.zone: \"%s\" is not a time "
				       "zone of this system",
				       name, zone);
	tsam_tz_free(tz);
	return TSAM_OK;
}

int tsam_report_load(const char *path, enum tsam_report_doc kind,
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

static int load_msgs(const char *datadir, const char *lang, json_object **out,
		     struct tsam_errbuf *eb)
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
	if (rc != TSAM_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

static int tmpl_load(const char *datadir, const char *name, const char *lang,
		     struct tmpl *t, struct tsam_errbuf *eb)
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

		for (k = 0; k < NSECTIONS && strcmp(s, sections[k]) != 0; k++)
			;
		if (k == NSECTIONS)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: sections[%zu]: unknown "
					       "section \"%s\"",
					       path, i, s);
		t->sec[t->nsec++] = sections[k];
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
	t->target = num(t->doc, "attainment_target", 0.95);
	t->title = tsam_json_str(t->doc, "title");
	if (t->title == NULL)
		t->title = "doc_title";
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]) &&
		    strcmp(keys[k], t->title) != 0;
	     k++)
		;
	if (k == sizeof(keys) / sizeof(keys[0]))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: title: \"%s\" is not a message key",
				       path, t->title);
	t->max_rows = (int)num(t->doc, "max_rows", 200);
	return lang ? load_msgs(datadir, lang, &t->msg, eb) : TSAM_OK;
}

int tsam_report_check(const char *datadir, const char *tmpl,
		      struct tsam_errbuf *eb)
{
	static const char *langs[] = {"ja", "en"};
	struct tmpl t;
	size_t i;
	int rc = TSAM_OK;

	for (i = 0; rc == TSAM_OK && i < 2; i++) {
		rc = tmpl_load(datadir, tmpl, langs[i], &t, eb);
		tmpl_free(&t);
	}
	return rc;
}

/* ---- drawing helpers ---- */

static double content_w(const struct r *r)
{
	return r->t->w - r->t->ml - r->t->mr;
}

static void new_page(struct r *r)
{
	tsam_pdf_page(r->pdf);
	r->y = r->t->mt;
}

/* Makes room for h points, starting a page if needed. */
static void need(struct r *r, double h)
{
	if (r->y + h > r->t->h - r->t->mb)
		new_page(r);
}

/* One line fitted into w (ellipsis if cut), aligned 'l', 'r' or 'c'. */
static void fit_text(struct r *r, double x, double y, double w, double size,
		     struct tsam_rgb c, const char *s, char align)
{
	size_t n, k;
	bool cut;
	double tw;

	if (s == NULL)
		s = "";
	n = strlen(s);
	r->size = size;
	k = tsam_layout_fit(s, n, w, measure, r, &cut);
	tw = tsam_pdf_text_width(r->pdf, s, k, size) +
	     (cut ? tsam_pdf_cp_width(r->pdf, 0x2026, size) : 0);
	if (align == 'r')
		x += w - tw;
	else if (align == 'c')
		x += (w - tw) / 2;
	tsam_pdf_text(r->pdf, x, y, size, c, s, k);
	if (cut)
		tsam_pdf_text(r->pdf,
			      x + tw - tsam_pdf_cp_width(r->pdf, 0x2026, size),
			      y, size, c, "\xe2\x80\xa6", 3);
}

/* A wrapped paragraph at the cursor. */
static void para(struct r *r, const char *s, double size, struct tsam_rgb c)
{
	struct tsam_line lines[64];
	size_t n, i;
	double lh = size * 1.55;

	if (s == NULL)
		s = "";
	r->size = size;
	n = tsam_layout_wrap(s, strlen(s), content_w(r), measure, r, lines, 64);
	for (i = 0; i < n && i < 64; i++) {
		need(r, lh);
		tsam_pdf_text(r->pdf, r->t->ml, r->y + size, size, c,
			      s + lines[i].start,
			      lines[i].end - lines[i].start);
		r->y += lh;
	}
	r->y += size * 0.5;
}

static void heading(struct r *r, int level, const char *key)
{
	double size = level == 0 ? r->t->s_h1 : r->t->s_h2;

	need(r, size * 5);
	r->y += level == 0 ? size * 0.4 : size * 0.6;
	if (level == 0) {
		r->sec_page[r->cur_sec] = tsam_pdf_page_count(r->pdf);
		tsam_pdf_bookmark(r->pdf, 0, msg(r, key));
	}
	fit_text(r, r->t->ml, r->y + size, content_w(r), size,
		 level == 0 ? ACCENT : BLACK, msg(r, key), 'l');
	r->y += size * 1.5;
	if (level == 0) {
		tsam_pdf_line(r->pdf, r->t->ml, r->y - size * 0.3,
			      r->t->ml + content_w(r), r->y - size * 0.3, 0.8,
			      0, ACCENT);
		r->y += size * 0.3;
	}
}

/* Column widths in points for relative widths rel[0..ncols). */
static void col_widths(const struct r *r, int ncols, const double *rel,
		       double *w)
{
	double total = 0;
	int c;

	for (c = 0; c < ncols; c++)
		total += rel[c];
	for (c = 0; c < ncols; c++)
		w[c] = content_w(r) * rel[c] / total;
}

/* A table's header row at the cursor: the messages head[0..ncols). */
static void table_header(struct r *r, int ncols, const double *w,
			 const char *align, const char *const *head, double rh)
{
	double x, pad = 3;
	int c;

	tsam_pdf_fill_rect(r->pdf, r->t->ml, r->y, content_w(r), rh, ACCENT);
	for (c = 0, x = r->t->ml; c < ncols; x += w[c], c++)
		fit_text(r, x + pad, r->y + rh * 0.68, w[c] - 2 * pad,
			 r->t->s_table, (struct tsam_rgb){1, 1, 1},
			 msg(r, head[c]), align[c]);
	r->y += rh;
}

/*
 * A table: ncols columns with relative widths and alignments, a header
 * row of messages (keys), then rows (cells[row * ncols + col]); it splits
 * across pages and repeats its header, zebra rows, every cell one line
 * with an ellipsis. With no rows it draws nothing, or the message empty
 * when that is not NULL.
 */
static void table(struct r *r, int ncols, const double *rel, const char *align,
		  const char *const *head, char **cells, size_t nrows,
		  const char *empty)
{
	double size = r->t->s_table, rh = size * 2.0, x, w[16];
	double pad = 3;
	size_t i;
	int c;

	if (nrows == 0) {
		if (empty != NULL)
			para(r, msg(r, empty), r->t->s_body, GREY);
		return;
	}
	col_widths(r, ncols, rel, w);
	need(r, rh * 2);
	table_header(r, ncols, w, align, head, rh);
	for (i = 1; i <= nrows; i++) {
		if (r->y + rh > r->t->h - r->t->mb) {
			new_page(r);
			table_header(r, ncols, w, align, head, rh);
		}
		if (i % 2 == 0)
			tsam_pdf_fill_rect(r->pdf, r->t->ml, r->y, content_w(r),
					   rh, LIGHT);
		for (c = 0, x = r->t->ml; c < ncols; x += w[c], c++)
			fit_text(r, x + pad, r->y + rh * 0.68, w[c] - 2 * pad,
				 size, BLACK,
				 cells[(i - 1) * (size_t)ncols + (size_t)c],
				 align[c]);
		r->y += rh;
	}
	r->y += size;
}

/* Cells are built in one arena per table. */
struct cells {
	char **v;
	size_t n, cap;
};

static void cell(struct cells *cs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void cell(struct cells *cs, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (tsam_grow(&cs->v, &cs->cap, cs->n + 1, sizeof(*cs->v)) != TSAM_OK)
		return;
	cs->v[cs->n] = strdup(buf);
	if (cs->v[cs->n] != NULL)
		cs->n++;
}

static void cells_free(struct cells *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->v[i]);
	free(cs->v);
	memset(cs, 0, sizeof(*cs));
}

/* ---- formatting ---- */

static json_object *get(json_object *o, const char *path)
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

/* The integer v, bounded to +-SECONDS_MAX (0 when not a number), so that
 * sums of them never overflow. */
static long long ival(json_object *v)
{
	double x;

	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return 0;
	x = json_object_get_double(v);
	if (!(x >= -SECONDS_MAX)) /* NaN too */
		return x > 0 ? (long long)SECONDS_MAX : -(long long)SECONDS_MAX;
	return x > SECONDS_MAX ? (long long)SECONDS_MAX : (long long)x;
}

/* The integer at path in o, as ival. */
static long long geti(json_object *o, const char *path)
{
	return ival(get(o, path));
}

/* A rate in [0, 1] from v, false when v is not a number (null: none). */
static bool rate_of(json_object *v, double *out)
{
	double x;

	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return false;
	x = json_object_get_double(v);
	if (!isfinite(x))
		return false;
	*out = x < 0 ? 0 : (x > 1 ? 1 : x);
	return true;
}

/* "95.0 %" or "-" */
static void fmt_rate(json_object *v, char *out, size_t n)
{
	double x;

	if (!rate_of(v, &x))
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.1f %%", x * 100);
}

/* A score 0-100 ("87", "71.5") or "-" (null, absent). */
static void fmt_score(json_object *v, char *out, size_t n)
{
	double x;

	if ((!json_object_is_type(v, json_type_int) &&
	     !json_object_is_type(v, json_type_double)) ||
	    !isfinite(x = json_object_get_double(v)))
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%g", x < 0 ? 0 : (x > 100 ? 100 : x));
}

static void fmt_dur(const struct r *r, long long s, char *out, size_t n)
{
	bool ja = strcmp(r->in->lang, "ja") == 0;
	const char *sp = ja ? "" : " ";

	if (s < 0)
		s = 0;
	if (s > (long long)SECONDS_MAX)
		s = (long long)SECONDS_MAX;
	if (s >= 2 * 86400)
		snprintf(out, n, "%lld%s%s%s%lld%s%s", s / 86400, sp,
			 msg(r, "unit_d"), sp, s % 86400 / 3600, sp,
			 msg(r, "unit_h"));
	else if (s >= 3600)
		snprintf(out, n, "%lld%s%s%s%lld%s%s", s / 3600, sp,
			 msg(r, "unit_h"), sp, s % 3600 / 60, sp,
			 msg(r, "unit_min"));
	else
		snprintf(out, n, "%lld%s%s", (s + 59) / 60, sp,
			 msg(r, "unit_min"));
}

/* A UTC ISO time from the JSON, shown in the customer's zone. */
static void fmt_time(const struct r *r, json_object *v, char *out, size_t n)
{
	const char *s = json_object_get_string(v);
	time_t t;
	int y, mo, d;
	int64_t l;

	if (v == NULL || s == NULL || (t = tsam_time_parse(s)) < 0) {
		snprintf(out, n, "%s", msg(r, "never"));
		return;
	}
	l = (int64_t)t + (r->tz ? tsam_tz_offset(r->tz, t) : 0);
	tsam_civil_from_days(l / 86400, &y, &mo, &d);
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d", y, mo, d,
		 (int)(l % 86400 / 3600), (int)(l % 3600 / 60));
}

static const char *sev_name(const struct r *r, int sev)
{
	static const char *k[] = {"sev_1", "sev_2", "sev_3", "sev_4"};

	return msg(r, k[sev >= 1 && sev <= 4 ? sev - 1 : 2]);
}

static const char *target_name(const struct r *r, const char *t)
{
	char key[32];

	const char *m;

	snprintf(key, sizeof(key), "t_%s", t ? t : "");
	m = tsam_json_str(r->t->msg, key);
	return m ? m : (t ? t : "");
}

/* ---- charts ---- */

static void axis_label(struct r *r, double x, double y, const char *s)
{
	fit_text(r, x - 40, y, 36, r->t->s_small, GREY, s, 'r');
}

/* A round axis maximum at or above v with four equal steps (1, 2, 2.5, 5
 * times a power of ten each). */
static double nice_max(double v)
{
	static const double m[] = {1, 2, 2.5, 5, 10};
	double step = pow(10, floor(log10(v / 4 > 0 ? v / 4 : 1)));
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i] * step * 4 >= v && (m[i] * step >= 1 || m[i] == 10))
			return m[i] * step * 4;
	return step * 40;
}

/* Four horizontal grid lines from y0 up to y0 - ch, labelled with
 * max * k / 4 (percent: as "k %"), and the axis. */
static void grid(struct r *r, double x0, double y0, double cw, double ch,
		 double max, bool percent)
{
	char buf[32];
	int k;

	for (k = 0; k <= 4; k++) {
		double yy = y0 - ch * k / 4;

		tsam_pdf_line(r->pdf, x0, yy, x0 + cw, yy, 0.3, 0, LIGHT);
		if (percent)
			snprintf(buf, sizeof(buf), "%d %%", k * 25);
		else
			snprintf(buf, sizeof(buf), "%g", max * k / 4);
		axis_label(r, x0, yy + 3, buf);
	}
}

/* The severity colour legend under a chart whose axis is at y0. */
static void severity_legend(struct r *r, double y0, double cw)
{
	double leg = r->t->s_small;
	int s;

	tsam_pdf_line(r->pdf, r->t->ml + 45, y0, r->t->ml + 45 + cw, y0, 0.8, 0,
		      BLACK);
	r->y = y0 + leg * 3;
	for (s = 1; s <= 4; s++) {
		double x = r->t->ml + 45 + (s - 1) * cw / 4;

		tsam_pdf_fill_rect(r->pdf, x, r->y - leg, leg, leg,
				   SEVC[s - 1]);
		fit_text(r, x + leg * 1.5, r->y, cw / 4 - leg * 2, leg, BLACK,
			 sev_name(r, s), 'l');
	}
	r->y += leg * 2;
}

/* The tallest month's total of cases in by_month (an object). */
static double month_max(json_object *m)
{
	double max = 1;
	char key[4];
	int s;

	json_object_object_foreach(m, mk, mv)
	{
		double tot = 0;

		(void)mk;
		for (s = 1; s <= 4; s++) {
			snprintf(key, sizeof(key), "%d", s);
			tot += (double)geti(mv, key);
		}
		if (tot > max)
			max = tot;
	}
	return max;
}

/* Stacked bars: cases opened per month by severity. */
static void chart_months(struct r *r)
{
	json_object *m = get(r->in->stats, "counts.by_month");
	double ch = 130, cw = content_w(r) - 50, x0 = r->t->ml + 45, y0,
	       max = 1;
	double bw, leg = r->t->s_small;
	int i = 0, s;
	char buf[32];

	heading(r, 1, "chart_by_month");
	need(r, ch + 40);
	y0 = r->y + ch;
	if (!json_object_is_type(m, json_type_object)) {
		/* json-c's foreach cannot walk a non-object: the axes only */
		grid(r, x0, y0, cw, ch, nice_max(max), false);
		severity_legend(r, y0, cw);
		return;
	}
	max = nice_max(month_max(m));
	grid(r, x0, y0, cw, ch, max, false);
	bw = cw / 3 * 0.5;
	json_object_object_foreach(m, mk, mv)
	{
		double x = x0 + cw / 3 * i + cw / 12, yy = y0;

		if (i >= 3) /* a quarter's three months (checked) */
			break;
		for (s = 1; s <= 4; s++) {
			double h;

			snprintf(buf, sizeof(buf), "%d", s);
			h = ch * (double)geti(mv, buf) / max;
			if (h > 0)
				tsam_pdf_fill_rect(r->pdf, x, yy - h, bw, h,
						   SEVC[s - 1]);
			yy -= h;
		}
		fit_text(r, x - 10, y0 + leg * 1.6, bw + 20, leg, BLACK, mk,
			 'c');
		i++;
	}
	severity_legend(r, y0, cw);
}

/* Bars of the response attainment per severity with the target line. */
static void chart_attainment(struct r *r)
{
	double ch = 110, cw = content_w(r) - 50, x0 = r->t->ml + 45, y0;
	double leg = r->t->s_small;
	char buf[64], title[256], pct[16];
	const char *kv[2];
	int s;

	snprintf(pct, sizeof(pct), "%.0f", r->t->target * 100);
	kv[0] = "target";
	kv[1] = pct;
	subst(msg(r, "chart_attainment"), kv, 2, title, sizeof(title));
	need(r, ch + 60);
	fit_text(r, r->t->ml, r->y + r->t->s_h2, content_w(r), r->t->s_h2,
		 BLACK, title, 'l');
	r->y += r->t->s_h2 * 2;
	y0 = r->y + ch;
	grid(r, x0, y0, cw, ch, 1, true);
	for (s = 1; s <= 4; s++) {
		json_object *rate;
		double x = x0 + cw / 4 * (s - 1) + cw / 16, bw = cw / 8, v;

		snprintf(buf, sizeof(buf), "attainment.response.%d.rate", s);
		rate = get(r->in->stats, buf);
		if (rate_of(rate, &v)) {
			tsam_pdf_fill_rect(r->pdf, x, y0 - ch * v, bw, ch * v,
					   v >= r->t->target ? ACCENT : RED);
			fmt_rate(rate, buf, sizeof(buf));
			fit_text(r, x - 10, y0 - ch * v - 3, bw + 20, leg,
				 BLACK, buf, 'c');
		}
		fit_text(r, x - 15, y0 + leg * 1.6, bw + 30, leg, BLACK,
			 sev_name(r, s), 'c');
	}
	tsam_pdf_line(r->pdf, x0, y0 - ch * r->t->target, x0 + cw,
		      y0 - ch * r->t->target, 1, 3, RED);
	tsam_pdf_line(r->pdf, x0, y0, x0 + cw, y0, 0.8, 0, BLACK);
	r->y = y0 + leg * 4;
}

/* Response-time distribution: a bar per bucket, stacked by severity. */
static void chart_distribution(struct r *r)
{
	static const char *labels[] = {"b_15m", "b_30m", "b_1h",  "b_2h",
				       "b_4h",	"b_8h",	 "b_24h", "b_more"};
	json_object *h = get(r->in->stats, "times.response_histogram");
	double ch = 100, cw = content_w(r) - 50, x0 = r->t->ml + 45, y0;
	double leg = r->t->s_small, max = 1, bw = cw / 8 * 0.6;
	char key[4];
	int b, s;

	if (h == NULL)
		return;
	heading(r, 1, "chart_response_dist");
	need(r, ch + 40);
	y0 = r->y + ch;
	for (b = 0; b < 8; b++) {
		double tot = 0;

		for (s = 1; s <= 4; s++) {
			snprintf(key, sizeof(key), "%d", s);
			tot += (double)ival(aidx(get(h, key), (size_t)b));
		}
		if (tot > max)
			max = tot;
	}
	max = nice_max(max);
	grid(r, x0, y0, cw, ch, max, false);
	for (b = 0; b < 8; b++) {
		double x = x0 + cw / 8 * b + cw / 8 * 0.2, yy = y0;

		for (s = 1; s <= 4; s++) {
			double hh;

			snprintf(key, sizeof(key), "%d", s);
			hh = ch * (double)ival(aidx(get(h, key), (size_t)b)) /
			     max;
			if (hh > 0)
				tsam_pdf_fill_rect(r->pdf, x, yy - hh, bw, hh,
						   SEVC[s - 1]);
			yy -= hh;
		}
		fit_text(r, x0 + cw / 8 * b, y0 + leg * 1.6, cw / 8, leg, BLACK,
			 msg(r, labels[b]), 'c');
	}
	severity_legend(r, y0, cw);
}

/* The response rate over the five quarters, as a line. */
static void chart_trend(struct r *r)
{
	json_object *tr = get(r->in->stats, "trend");
	double ch = 100, cw = content_w(r) - 50, x0 = r->t->ml + 45, y0;
	double leg = r->t->s_small, px = -1, py = 0;
	size_t i, n = tr ? alen(tr) : 0;

	heading(r, 1, "chart_trend");
	need(r, ch + 30);
	y0 = r->y + ch;
	grid(r, x0, y0, cw, ch, 1, true);
	tsam_pdf_line(r->pdf, x0, y0 - ch * r->t->target, x0 + cw,
		      y0 - ch * r->t->target, 1, 3, RED);
	for (i = 0; i < n; i++) {
		json_object *q = aidx(tr, i);
		double x = x0 + cw * ((double)i + 0.5) / (double)n, v;

		fit_text(r, x - 30, y0 + leg * 1.6, 60, leg, BLACK,
			 tsam_json_str(q, "quarter"), 'c');
		if (!rate_of(get(q, "response_rate"), &v)) {
			px = -1;
			continue;
		}
		if (px >= 0)
			tsam_pdf_line(r->pdf, px, py, x, y0 - ch * v, 1.5, 0,
				      ACCENT);
		px = x;
		py = y0 - ch * v;
		tsam_pdf_fill_rect(r->pdf, x - 2, py - 2, 4, 4, ACCENT);
	}
	tsam_pdf_line(r->pdf, x0, y0, x0 + cw, y0, 0.8, 0, BLACK);
	r->y = y0 + leg * 4;
}

/* ---- sections ---- */

static void kv_row(struct r *r, const char *k, const char *v)
{
	double size = r->t->s_body, lh = size * 2;

	need(r, lh);
	tsam_pdf_line(r->pdf, r->t->ml, r->y + lh, r->t->ml + content_w(r),
		      r->y + lh, 0.3, 0, LIGHT);
	fit_text(r, r->t->ml + 4, r->y + lh * 0.68, content_w(r) * 0.6, size,
		 GREY, k, 'l');
	fit_text(r, r->t->ml + content_w(r) * 0.6, r->y + lh * 0.68,
		 content_w(r) * 0.4 - 4, size, BLACK, v, 'r');
	r->y += lh;
}

static void s_cover(struct r *r)
{
	json_object *c = r->in->customer;
	const char *name = tsam_json_str(c, "name");
	const char *tier = tsam_json_str(c, "tier");
	const char *q = r->in->stats ? tsam_json_str(r->in->stats, "quarter")
				     : tsam_json_str(c, "quarter");
	char key[32], line[256];
	const char *kv[2];

	r->sec_page[r->cur_sec] = tsam_pdf_page_count(r->pdf);
	tsam_pdf_bookmark(r->pdf, 0, msg(r, r->t->title));
	tsam_pdf_fill_rect(r->pdf, 0, 0, r->t->w, 8, ACCENT);
	r->y = r->t->h * 0.28;
	fit_text(r, r->t->ml, r->y, content_w(r), r->t->s_small * 1.4, GREY,
		 msg(r, "confidential"), 'l');
	r->y += r->t->s_title * 1.6;
	fit_text(r, r->t->ml, r->y, content_w(r), r->t->s_title, ACCENT,
		 msg(r, r->t->title), 'l');
	r->y += r->t->s_title * 1.2;
	fit_text(r, r->t->ml, r->y, content_w(r), r->t->s_h1, BLACK,
		 name ? name : tsam_json_str(c, "id"), 'l');
	r->y += r->t->s_h1 * 3;
	snprintf(key, sizeof(key), "tier_%s", tier ? tier : "");
	kv_row(r, msg(r, "customer"), name ? name : "-");
	kv_row(r, msg(r, "quarter"), q ? q : "-");
	kv_row(r, msg(r, "tier"),
	       tsam_json_str(r->t->msg, key) ? tsam_json_str(r->t->msg, key)
					     : (tier ? tier : "-"));
	kv_row(r, msg(r, "tsam"),
	       tsam_json_str(get(c, "tsam"), "name")
		   ? tsam_json_str(get(c, "tsam"), "name")
		   : "-");
	kv_row(r, msg(r, "contact"),
	       tsam_json_str(get(c, "tsam"), "email")
		   ? tsam_json_str(get(c, "tsam"), "email")
		   : "-");
	r->y += r->t->s_body;
	kv[0] = "zone";
	kv[1] = r->tz ? tsam_tz_name(r->tz) : "UTC";
	subst(msg(r, "times_in"), kv, 2, line, sizeof(line));
	para(r, msg(r, "prepared_by"), r->t->s_small, GREY);
	para(r, line, r->t->s_small, GREY);
	new_page(r);
}

/* The contents page is reserved where the template puts it and filled
 * in at the end, when every section's page is known. */
static void s_toc(struct r *r)
{
	heading(r, 0, "sec_toc");
	r->toc_page = tsam_pdf_page_count(r->pdf) - 1;
	r->toc_y = r->y;
	new_page(r);
}

static void toc_fill(struct r *r)
{
	double save = r->y;
	int i;
	char num[16];

	if (r->toc_page < 0)
		return;
	tsam_pdf_goto_page(r->pdf, r->toc_page);
	r->y = r->toc_y;
	for (i = 0; i < r->t->nsec; i++) {
		char key[32];
		double lh = r->t->s_body * 2.1;

		if (strcmp(r->t->sec[i], "cover") == 0 ||
		    strcmp(r->t->sec[i], "toc") == 0)
			continue;
		if (r->y + lh > r->t->h - r->t->mb)
			break; /* MAX_SECTIONS entries always fit a page */
		snprintf(key, sizeof(key), "sec_%s", r->t->sec[i]);
		snprintf(num, sizeof(num), "%d", r->sec_page[i]);
		fit_text(r, r->t->ml, r->y + lh * 0.7, content_w(r) - 40,
			 r->t->s_body, BLACK, msg(r, key), 'l');
		fit_text(r, r->t->ml + content_w(r) - 40, r->y + lh * 0.7, 40,
			 r->t->s_body, BLACK, num, 'r');
		tsam_pdf_line(r->pdf, r->t->ml, r->y + lh,
			      r->t->ml + content_w(r), r->y + lh, 0.3, 2, GREY);
		r->y += lh;
	}
	r->y = save;
}

/* The overall response attainment: met / (met + missed). */
static void overall_rate(json_object *stats, char *out, size_t n)
{
	long long met = 0, miss = 0;
	int s;
	char p[64];

	for (s = 1; s <= 4; s++) {
		snprintf(p, sizeof(p), "attainment.response.%d.met", s);
		met += geti(stats, p);
		snprintf(p, sizeof(p), "attainment.response.%d.missed", s);
		miss += geti(stats, p);
	}
	if (met + miss == 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.1f %%",
			 100.0 * (double)met / (double)(met + miss));
}

static void credits_text(const struct r *r, char *out, size_t n)
{
	json_object *c = get(r->in->stats, "credits");
	double p = num(c, "percent", 0), a = num(c, "amount", -1);
	char pct[32], amount[64];
	const char *kv[4];

	if (!(p > 0)) {
		snprintf(out, n, "%s", msg(r, "credits_none"));
		return;
	}
	snprintf(pct, sizeof(pct), "%.1f", p > 100 ? 100 : p);
	if (a >= 0) /* checked: at most MONEY_MAX */
		snprintf(amount, sizeof(amount), "%.0f %s",
			 a > MONEY_MAX ? MONEY_MAX : a,
			 str_or(c, "currency", ""));
	else
		snprintf(amount, sizeof(amount), "-");
	kv[0] = "percent";
	kv[1] = pct;
	kv[2] = "amount";
	kv[3] = amount;
	subst(msg(r, "credits_text"), kv, 4, out, n);
}

static bool missing(struct r *r, json_object *in, const char *note)
{
	if (in != NULL)
		return false;
	para(r, msg(r, note), r->t->s_body, GREY);
	return true;
}

static void s_summary(struct r *r)
{
	json_object *st = r->in->stats;
	char a[64], b[64], c[64], text[1024], v[256];
	const char *kv[6];

	heading(r, 0, "sec_summary");
	if (!missing(r, st, "no_stats")) {
		snprintf(a, sizeof(a), "%lld", geti(st, "counts.opened"));
		snprintf(b, sizeof(b), "%lld", geti(st, "counts.closed"));
		snprintf(c, sizeof(c), "%lld", geti(st, "breaches_total"));
		kv[0] = "opened";
		kv[1] = a;
		kv[2] = "closed";
		kv[3] = b;
		kv[4] = "breaches";
		kv[5] = c;
		subst(msg(r, "summary_text"), kv, 6, text, sizeof(text));
		para(r, text, r->t->s_body, BLACK);
		kv_row(r, msg(r, "k_opened"), a);
		kv_row(r, msg(r, "k_closed"), b);
		snprintf(v, sizeof(v), "%lld", geti(st, "counts.backlog_end"));
		kv_row(r, msg(r, "k_backlog_end"), v);
		kv_row(r, msg(r, "k_breaches"), c);
		overall_rate(st, v, sizeof(v));
		kv_row(r, msg(r, "k_response_rate"), v);
		credits_text(r, v, sizeof(v));
		kv_row(r, msg(r, "k_credits"), v);
	}
	if (r->in->findings != NULL) {
		fmt_score(get(r->in->findings, "fleet.score"), v, sizeof(v));
		kv_row(r, msg(r, "k_score"), v);
	}
	r->y += r->t->s_body;
}

static void s_incidents(struct r *r)
{
	static const double rel[] = {3, 1.2};
	static const char al[] = "lr";
	struct cells cs = {0};
	static const char *const head[] = {"col_severity", "k_opened"};
	char key[8];
	int s;

	heading(r, 0, "sec_incidents");
	if (missing(r, r->in->stats, "no_stats"))
		return;
	for (s = 1; s <= 4; s++) {
		snprintf(key, sizeof(key), "%d", s);
		cell(&cs, "%s", sev_name(r, s));
		cell(&cs, "%lld",
		     geti(get(r->in->stats, "counts.by_severity"), key));
	}
	cell(&cs, "%s", msg(r, "k_backlog_start"));
	cell(&cs, "%lld", geti(r->in->stats, "counts.backlog_start"));
	cell(&cs, "%s", msg(r, "k_reopened"));
	cell(&cs, "%lld", geti(r->in->stats, "counts.reopened"));
	table(r, 2, rel, al, head, cs.v, cs.n / 2, NULL);
	cells_free(&cs);
	chart_months(r);
}

static void s_attainment(struct r *r)
{
	static const char *targets[] = {"response", "update", "manager",
					"executive"};
	static const double rel[] = {3.2, 1.3, 0.8, 0.8, 0.8, 0.9};
	static const char al[] = "llrrrr";
	struct cells cs = {0};
	static const char *const head[] = {"col_target",  "col_severity",
					   "col_met",	  "col_missed",
					   "col_pending", "col_rate"};
	char p[96], rate[32];
	int t, s;

	heading(r, 0, "sec_attainment");
	if (missing(r, r->in->stats, "no_stats"))
		return;
	for (t = 0; t < 4; t++)
		for (s = 1; s <= 4; s++) {
			json_object *a;

			snprintf(p, sizeof(p), "attainment.%s.%d", targets[t],
				 s);
			a = get(r->in->stats, p);
			if (geti(a, "met") + geti(a, "missed") +
				geti(a, "pending") ==
			    0)
				continue;
			cell(&cs, "%s", target_name(r, targets[t]));
			cell(&cs, "%s", sev_name(r, s));
			cell(&cs, "%lld", geti(a, "met"));
			cell(&cs, "%lld", geti(a, "missed"));
			cell(&cs, "%lld", geti(a, "pending"));
			fmt_rate(get(a, "rate"), rate, sizeof(rate));
			cell(&cs, "%s", rate);
		}
	table(r, 6, rel, al, head, cs.v, cs.n / 6, "none");
	cells_free(&cs);
	chart_attainment(r);
	chart_distribution(r);
}

static void listed_note(struct r *r, size_t listed, long long total)
{
	char a[32], b[32], text[256];
	const char *kv[4];

	if ((long long)listed >= total)
		return;
	snprintf(a, sizeof(a), "%zu", listed);
	snprintf(b, sizeof(b), "%lld", total);
	kv[0] = "listed";
	kv[1] = a;
	kv[2] = "total";
	kv[3] = b;
	subst(msg(r, "listed_of"), kv, 4, text, sizeof(text));
	para(r, text, r->t->s_small, GREY);
}

static void s_breaches(struct r *r)
{
	static const double rel[] = {1.3, 2.4, 1, 1.6, 1.6, 1.2};
	static const char al[] = "lllllr";
	json_object *b = get(r->in->stats, "breaches");
	struct cells cs = {0};
	static const char *const head[] = {"col_case",	   "col_target",
					   "col_severity", "col_due",
					   "col_done",	   "col_overrun"};
	size_t i, n = b ? alen(b) : 0;
	char buf[64];

	heading(r, 0, "sec_breaches");
	if (missing(r, r->in->stats, "no_stats"))
		return;
	if (n > (size_t)r->t->max_rows)
		n = (size_t)r->t->max_rows;
	for (i = 0; i < n; i++) {
		json_object *e = aidx(b, i);

		cell(&cs, "%s", str_or(e, "case", "-"));
		cell(&cs, "%s", target_name(r, tsam_json_str(e, "target")));
		cell(&cs, "%s", sev_name(r, (int)geti(e, "severity")));
		fmt_time(r, get(e, "due"), buf, sizeof(buf));
		cell(&cs, "%s", buf);
		fmt_time(r, get(e, "done"), buf, sizeof(buf));
		cell(&cs, "%s", buf);
		fmt_dur(r, geti(e, "overrun_s"), buf, sizeof(buf));
		cell(&cs, "%s", buf);
	}
	table(r, 6, rel, al, head, cs.v, n, "none");
	listed_note(r, n, geti(r->in->stats, "breaches_total"));
	cells_free(&cs);
}

static void s_escalations(struct r *r)
{
	static const double rel[] = {1.3, 2.2, 1, 1.6, 1.6, 1.1};
	static const char al[] = "llllll";
	json_object *e = get(r->in->stats, "escalations");
	json_object *raise = get(r->in->stats, "flags.severity3_open_too_long");
	struct cells cs = {0};
	static const char *const head[] = {"col_case",	   "col_level",
					   "col_severity", "col_due",
					   "col_done",	   "col_status"};
	size_t i, n = e ? alen(e) : 0;
	char buf[64], key[32], list[512] = "", text[768];

	heading(r, 0, "sec_escalations");
	if (missing(r, r->in->stats, "no_stats"))
		return;
	if (n > (size_t)r->t->max_rows)
		n = (size_t)r->t->max_rows;
	for (i = 0; i < n; i++) {
		json_object *x = aidx(e, i);
		const char *lv = tsam_json_str(x, "level");

		cell(&cs, "%s", str_or(x, "case", "-"));
		cell(&cs, "%s",
		     msg(r, lv && strcmp(lv, "executive") == 0 ? "lv_executive"
							       : "lv_manager"));
		cell(&cs, "%s", sev_name(r, (int)geti(x, "severity")));
		fmt_time(r, get(x, "due"), buf, sizeof(buf));
		cell(&cs, "%s", tsam_json_str(x, "due") ? buf : "-");
		fmt_time(r, get(x, "at"), buf, sizeof(buf));
		cell(&cs, "%s", buf);
		snprintf(key, sizeof(key), "st_%s", str_or(x, "status", ""));
		cell(&cs, "%s",
		     tsam_json_str(r->t->msg, key)
			 ? tsam_json_str(r->t->msg, key)
			 : key);
	}
	table(r, 6, rel, al, head, cs.v, n, "none");
	listed_note(r, n, geti(r->in->stats, "escalations_total"));
	cells_free(&cs);
	n = raise ? alen(raise) : 0;
	for (i = 0; i < n && strlen(list) + 40 < sizeof(list); i++) {
		const char *kase = json_object_get_string(aidx(raise, i));

		strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, kase ? kase : "-",
			sizeof(list) - strlen(list) - 1);
	}
	if (n > 0) {
		const char *kv[2] = {"cases", list};

		subst(msg(r, "raise_text"), kv, 2, text, sizeof(text));
		para(r, text, r->t->s_body, BLACK);
	}
}

static void s_trend(struct r *r)
{
	static const double rel[] = {1, 0.9, 0.9, 1.1, 1.5, 0.9, 1};
	static const char al[] = "lrrrrrr";
	json_object *tr = get(r->in->stats, "trend");
	struct cells cs = {0};
	static const char *const head[] = {
	    "col_quarter",   "col_opened",   "col_closed", "col_backlog",
	    "col_resp_rate", "col_breaches", "col_credits"};
	size_t i, n = tr ? alen(tr) : 0;
	char buf[32];

	heading(r, 0, "sec_trend");
	if (missing(r, r->in->stats, "no_stats"))
		return;
	for (i = 0; i < n; i++) {
		json_object *q = aidx(tr, i);

		cell(&cs, "%s", str_or(q, "quarter", "-"));
		cell(&cs, "%lld", geti(q, "counts.opened"));
		cell(&cs, "%lld", geti(q, "counts.closed"));
		cell(&cs, "%lld", geti(q, "counts.backlog_end"));
		fmt_rate(get(q, "response_rate"), buf, sizeof(buf));
		cell(&cs, "%s", buf);
		cell(&cs, "%lld", geti(q, "breaches"));
		cell(&cs, "%.1f %%", num(q, "credit_percent", 0));
	}
	table(r, 7, rel, al, head, cs.v, n, NULL);
	cells_free(&cs);
	chart_trend(r);
}

static const char *word(const struct r *r, const char *prefix, const char *w);

static int sev_rank(const char *s)
{
	static const char *order[] = {"critical", "high", "medium", "low",
				      "info"};
	int i;

	for (i = 0; s && i < 5; i++)
		if (strcmp(s, order[i]) == 0)
			return i;
	return 5;
}

static int cmp_rules(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a,
		    *y = *(json_object *const *)b;
	int d = sev_rank(tsam_json_str(x, "severity")) -
		sev_rank(tsam_json_str(y, "severity"));

	if (d)
		return d;
	if (geti(y, "counts.fail") != geti(x, "counts.fail"))
		return geti(y, "counts.fail") > geti(x, "counts.fail") ? 1 : -1;
	return strcmp(tsam_json_str(x, "id") ? tsam_json_str(x, "id") : "",
		      tsam_json_str(y, "id") ? tsam_json_str(y, "id") : "");
}

/* Failing results summed per category and severity. */
static void by_category(struct r *r, json_object *rules)
{
	static const char *cats[] = {"protection",    "update",
				     "performance",   "capacity",
				     "configuration", "lifecycle"};
	static const double rel[] = {2.2, 1, 1, 1, 1, 1};
	static const char al[] = "lrrrrr";
	double cnt[6][5] = {{0}}; /* a sum of many: no overflow */
	struct cells cs = {0};
	static const char *const head[] = {"col_category", "sevw_critical",
					   "sevw_high",	   "sevw_medium",
					   "sevw_low",	   "sevw_info"};
	size_t i, n = rules ? alen(rules) : 0;
	int c, s;
	char key[32];

	for (i = 0; i < n; i++) {
		json_object *x = aidx(rules, i);
		const char *cat = tsam_json_str(x, "category");
		int sv = sev_rank(tsam_json_str(x, "severity"));

		for (c = 0; c < 6 && (!cat || strcmp(cat, cats[c])); c++)
			;
		if (c < 6 && sv < 5)
			cnt[c][sv] += (double)geti(x, "counts.fail") +
				      (double)geti(x, "counts.error");
	}
	for (c = 0; c < 6; c++) {
		snprintf(key, sizeof(key), "cat_%s", cats[c]);
		cell(&cs, "%s", msg(r, key));
		for (s = 0; s < 5; s++)
			cell(&cs, "%.0f", cnt[c][s]);
	}
	heading(r, 1, "findings_by_category");
	table(r, 6, rel, al, head, cs.v, 6, NULL);
	cells_free(&cs);
}

static void s_health(struct r *r)
{
	static const double rel[] = {1.7, 4, 0.8, 1.5};
	static const char al[] = "lllr";
	json_object *f = r->in->findings, *rules = get(f, "rules");
	json_object **v = NULL;
	struct cells cs = {0};
	static const char *const head[] = {"col_rule", "col_title",
					   "col_severity", "col_failed"};
	size_t i, n = rules ? alen(rules) : 0, k = 0;
	char buf[64];

	json_object *score;

	heading(r, 0, "sec_health");
	if (missing(r, f, "no_findings"))
		return;
	fmt_score(get(f, "fleet.score"), buf, sizeof(buf));
	kv_row(r, msg(r, "k_score"), buf);
	snprintf(buf, sizeof(buf), "%lld / %lld",
		 geti(f, "fleet.hosts_checked"),
		 geti(f, "fleet.hosts_uncollected"));
	kv_row(r, msg(r, "k_hosts"), buf);
	if (geti(f, "fleet.hosts_limited") > 0) {
		snprintf(buf, sizeof(buf), "%lld",
			 geti(f, "fleet.hosts_limited"));
		kv_row(r, msg(r, "k_limited"), buf);
	}
	score = get(f, "diff.baseline_score");
	if (score != NULL && !json_object_is_type(score, json_type_null)) {
		fmt_score(score, buf, sizeof(buf));
		kv_row(r, msg(r, "k_score_last_year"), buf);
	}
	r->y += r->t->s_body;
	by_category(r, rules);
	v = calloc(n ? n : 1, sizeof(*v));
	for (i = 0; v && i < n; i++) {
		json_object *x = aidx(rules, i);

		if (geti(x, "counts.fail") > 0)
			v[k++] = x;
	}
	if (v)
		qsort(v, k, sizeof(*v), cmp_rules);
	for (i = 0; i < k && i < (size_t)r->t->max_rows; i++) {
		const char *title =
		    tsam_json_str(get(v[i], "title"), r->in->lang);

		cell(&cs, "%s", str_or(v[i], "id", "-"));
		cell(&cs, "%s", title ? title : "");
		cell(&cs, "%s",
		     word(r, "sevw_", tsam_json_str(v[i], "severity")));
		cell(&cs, "%lld", geti(v[i], "counts.fail"));
	}
	table(r, 4, rel, al, head, cs.v, cs.n / 4, "none");
	cells_free(&cs);
	/* what to do first: the worst failing rules' recommendations */
	if (k > 0)
		heading(r, 1, "top_recommendations");
	for (i = 0; i < k && i < 5; i++) {
		const char *rec =
		    tsam_json_str(get(v[i], "recommendation"), r->in->lang);
		char line[1200];

		if (rec == NULL)
			continue;
		snprintf(line, sizeof(line), "%zu. %s — %s", i + 1,
			 str_or(v[i], "id", "-"), rec);
		para(r, line, r->t->s_body, BLACK);
	}
	free(v);
}

static void s_reconciliation(struct r *r)
{
	static const double rel[] = {3, 1, 1, 1, 1.2, 1};
	static const char al[] = "lrrrrr";
	static const double rel2[] = {3, 0.7, 5};
	static const char al2[] = "lrl";
	static const char *files[] = {"input.cases", "input.events"};
	json_object *rej = get(r->in->stats, "input.rejected_rows");
	struct cells cs = {0};
	static const char *const head[] = {"col_file",	"col_rows",
					   "col_used",	"col_rejected",
					   "col_other", "col_lost"};
	static const char *const head2[] = {"col_file", "col_line",
					    "col_reason"};
	size_t i, n;

	heading(r, 0, "sec_reconciliation");
	if (missing(r, r->in->stats, "no_stats"))
		return;
	para(r, msg(r, "rejected_text"), r->t->s_body, BLACK);
	for (i = 0; i < 2; i++) {
		json_object *f = get(r->in->stats, files[i]);
		const char *path = tsam_json_str(f, "file");
		const char *base = path ? strrchr(path, '/') : NULL;

		if (f == NULL)
			continue;
		cell(&cs, "%s", base ? base + 1 : (path ? path : "-"));
		cell(&cs, "%lld", geti(f, "rows"));
		cell(&cs, "%lld", geti(f, "used"));
		cell(&cs, "%lld", geti(f, "rejected"));
		cell(&cs, "%lld", geti(f, "other_customers"));
		cell(&cs, "%lld", geti(f, "lost"));
	}
	table(r, 6, rel, al, head, cs.v, cs.n / 6, NULL);
	cells_free(&cs);
	n = rej ? alen(rej) : 0;
	if (n > (size_t)r->t->max_rows)
		n = (size_t)r->t->max_rows;
	for (i = 0; i < n; i++) {
		json_object *x = aidx(rej, i);
		const char *path = tsam_json_str(x, "file");
		const char *base = path ? strrchr(path, '/') : NULL;

		cell(&cs, "%s", base ? base + 1 : (path ? path : "-"));
		cell(&cs, "%lld", geti(x, "line"));
		cell(&cs, "%s", str_or(x, "reason", "-"));
	}
	table(r, 3, rel2, al2, head2, cs.v, n, NULL);
	cells_free(&cs);
}

/* ---- the annual health check ---- */

static const char *word(const struct r *r, const char *prefix, const char *w)
{
	char key[64];
	const char *m;

	snprintf(key, sizeof(key), "%s%s", prefix, w ? w : "");
	m = tsam_json_str(r->t->msg, key);
	return m ? m : (w ? w : "-");
}

/* The observed values of a result: every member but the bookkeeping. */
static void observed(json_object *res, char *out, size_t n)
{
	json_object *ob;
	size_t o = 0;

	out[0] = '\0';
	if (!json_object_is_type(res, json_type_object))
		return;
	/* the observed value says it; the fact is the rule's */
	if (json_object_object_get_ex(res, "observed", &ob)) {
		const char *s = json_object_is_type(ob, json_type_string)
				    ? json_object_get_string(ob)
				    : json_object_to_json_string_ext(
					  ob, JSON_C_TO_STRING_PLAIN);

		snprintf(out, n, "%s", s ? s : "null");
		return;
	}
	json_object_object_foreach(res, k, v)
	{
		const char *s;

		if (strcmp(k, "rule") == 0 || strcmp(k, "result") == 0 ||
		    strcmp(k, "expected") == 0 || strcmp(k, "waiver") == 0)
			continue;
		s = json_object_is_type(v, json_type_string)
			? json_object_get_string(v)
			: json_object_to_json_string_ext(
			      v, JSON_C_TO_STRING_PLAIN);
		o += (size_t)snprintf(out + o, n - o, "%s%s=%s", o ? ", " : "",
				      k, s ? s : "null");
		if (o >= n)
			break; /* cut: out holds what fit */
	}
}

static json_object *rule_by_id(json_object *findings, const char *id)
{
	json_object *rules = get(findings, "rules");
	size_t i;

	for (i = 0; id && rules && i < alen(rules); i++) {
		json_object *x = aidx(rules, i);

		if (tsam_json_str(x, "id") &&
		    strcmp(tsam_json_str(x, "id"), id) == 0)
			return x;
	}
	return NULL;
}

static void s_rules_detail(struct r *r)
{
	static const double rel[] = {1.6, 0.9, 3.2, 2.6};
	static const char al[] = "llll";
	json_object *f = r->in->findings, *rules = get(f, "rules");
	json_object *hosts = get(f, "hosts"), **v;
	size_t i, n = rules ? alen(rules) : 0, k = 0, h;
	static const char *const head[] = {"col_host", "col_result",
					   "col_observed", "col_expected"};

	heading(r, 0, "sec_rules_detail");
	if (missing(r, f, "no_findings"))
		return;
	v = calloc(n ? n : 1, sizeof(*v));
	for (i = 0; v && i < n; i++) {
		json_object *x = aidx(rules, i);

		if (geti(x, "counts.fail") + geti(x, "counts.error") > 0)
			v[k++] = x;
	}
	if (v)
		qsort(v, k, sizeof(*v), cmp_rules);
	if (k == 0)
		para(r, msg(r, "none_any"), r->t->s_body, GREY);
	for (i = 0; i < k; i++) {
		json_object *x = v[i];
		const char *id = tsam_json_str(x, "id");
		const char *title = tsam_json_str(get(x, "title"), r->in->lang);
		const char *why =
		    tsam_json_str(get(x, "rationale"), r->in->lang);
		const char *rec =
		    tsam_json_str(get(x, "recommendation"), r->in->lang);
		char line[1024], a[32], b[32], meta[1400];
		const char *kv[4];
		struct cells cs = {0};
		size_t rows = 0;

		need(r, r->t->s_h2 * 8);
		snprintf(line, sizeof(line), "%s  %s", id ? id : "",
			 title ? title : "");
		r->size = r->t->s_h2;
		para(r, line, r->t->s_h2, ACCENT);
		snprintf(a, sizeof(a), "%lld",
			 geti(x, "counts.fail") + geti(x, "counts.error"));
		snprintf(b, sizeof(b), "%lld",
			 geti(x, "counts.pass") + geti(x, "counts.fail") +
			     geti(x, "counts.error") +
			     geti(x, "counts.waived"));
		kv[0] = "fail";
		kv[1] = a;
		kv[2] = "total";
		kv[3] = b;
		subst(msg(r, "failing_on"), kv, 4, line, sizeof(line));
		snprintf(meta, sizeof(meta), "%s · %s · %s",
			 word(r, "sevw_", tsam_json_str(x, "severity")),
			 word(r, "cat_", tsam_json_str(x, "category")), line);
		para(r, meta, r->t->s_small, GREY);
		if (why) {
			snprintf(line, sizeof(line), "%s: %s", msg(r, "why"),
				 why);
			para(r, line, r->t->s_body, BLACK);
		}
		if (rec) {
			snprintf(line, sizeof(line), "%s: %s",
				 msg(r, "recommendation"), rec);
			para(r, line, r->t->s_body, BLACK);
		}
		for (h = 0; hosts && h < alen(hosts); h++) {
			json_object *host = aidx(hosts, h);
			json_object *res = tsam_check_host_results(host);
			size_t j;

			for (j = 0; res && j < alen(res); j++) {
				json_object *e = aidx(res, j);
				const char *w = tsam_json_str(e, "result");
				char obs[512];

				if (!id || !tsam_json_str(e, "rule") ||
				    strcmp(tsam_json_str(e, "rule"), id) != 0 ||
				    !w ||
				    (strcmp(w, "fail") != 0 &&
				     strcmp(w, "error") != 0))
					continue;
				if (rows++ >= (size_t)r->t->max_rows)
					continue;
				if (tsam_json_str(e, "reason") != NULL)
					snprintf(obs, sizeof(obs), "%s",
						 msg(r, "obs_privilege"));
				else
					observed(e, obs, sizeof(obs));
				cell(&cs, "%s", str_or(host, "name", "-"));
				cell(&cs, "%s", word(r, "res_", w));
				cell(&cs, "%s", obs[0] ? obs : "-");
				cell(&cs, "%s",
				     tsam_json_str(e, "expected")
					 ? tsam_json_str(e, "expected")
					 : "-");
			}
		}
		table(r, 4, rel, al, head, cs.v, cs.n / 4, NULL);
		listed_note(r, cs.n / 4, (long long)rows);
		cells_free(&cs);
	}
	free(v);
}

/* What a fleet rule expects, in the report's language, from the numbers
 * in its result (the English "expected" of older findings otherwise). */
static void fleet_expected(const struct r *r, json_object *x, char *out,
			   size_t n)
{
	const char *type = tsam_json_str(x, "type");
	const char *what = tsam_json_str(get(x, "what"), r->in->lang);
	char pct[64], max[64];

	if (type == NULL)
		type = "";
	snprintf(pct, sizeof(pct), "%g",
		 num(x, "min_pct", num(x, "max_pct", 0)));
	snprintf(max, sizeof(max), "%lld", geti(x, "max"));
	if (strcmp(type, "share") == 0 && tsam_json_str(x, "target")) {
		const char *kv[4] = {"rule", tsam_json_str(x, "target"), "pct",
				     pct};
		subst(msg(r, "fx_share"), kv, 4, out, n);
	} else if (strcmp(type, "distinct") == 0 && get(x, "max")) {
		const char *kv[4] = {"fact", str_or(x, "fact", "-"), "max",
				     max};
		subst(msg(r, "fx_distinct"), kv, 4, out, n);
	} else if (strcmp(type, "capacity") == 0 && what) {
		const char *kv[4] = {"what", what, "max", max};
		subst(msg(r, "fx_capacity"), kv, 4, out, n);
	} else if (strcmp(type, "uncollected") == 0 && get(x, "max_pct")) {
		const char *kv[2] = {"pct", pct};
		subst(msg(r, "fx_uncollected"), kv, 2, out, n);
	} else {
		snprintf(out, n, "%s",
			 tsam_json_str(x, "expected")
			     ? tsam_json_str(x, "expected")
			     : "-");
	}
}

/* A fleet rule's observation: short for the table (*longer: with the
 * values behind it, for the note under the table). */
static void fleet_observed(const struct r *r, json_object *x, bool longer,
			   char *out, size_t n)
{
	json_object *pct = get(x, "observed_pct"), *vals = get(x, "observed");

	if (!json_object_is_type(vals, json_type_object))
		vals = NULL; /* json-c can walk objects only */
	if (pct) {
		snprintf(out, n, "%.1f %%", num(x, "observed_pct", 0));
	} else if (get(x, "observed_max") && tsam_json_str(x, "observed_at")) {
		char nb[32];
		const char *kv[4] = {"n", nb, "value",
				     tsam_json_str(x, "observed_at")};
		snprintf(nb, sizeof(nb), "%lld", geti(x, "observed_max"));
		if (longer)
			subst(msg(r, "fo_capacity"), kv, 4, out, n);
		else
			snprintf(out, n, "%s", nb);
	} else if (vals && !longer) {
		snprintf(out, n, "%d", json_object_object_length(vals));
	} else if (vals) {
		size_t o = 0;
		out[0] = '\0';
		json_object_object_foreach(vals, k, v)
		{
			int w = snprintf(out + o, n - o, "%s%s (%lld)",
					 o ? ", " : "", k, ival(v));
			if (w < 0 || (size_t)w >= n - o)
				break;
			o += (size_t)w;
		}
	} else {
		snprintf(out, n, "-");
	}
}

/*
 * Fleet-wide rules: a table (rule, title, result, what was observed), then
 * for each rule that failed a note with what it expects and what was
 * found, wrapped (a location or a list of versions does not fit a cell).
 */
static void s_fleet_rules(struct r *r)
{
	static const double rel[] = {1.9, 4.3, 0.9, 1.1};
	static const char al[] = "lllr";
	json_object *f = r->in->findings, *fr = get(f, "fleet_rules");
	struct cells cs = {0};
	static const char *const head[] = {"col_rule", "col_title",
					   "col_result", "col_observed"};
	size_t i, n = fr ? alen(fr) : 0;

	heading(r, 0, "sec_fleet_rules");
	if (missing(r, f, "no_findings"))
		return;
	for (i = 0; i < n; i++) {
		json_object *x = aidx(fr, i);
		json_object *rule = rule_by_id(f, tsam_json_str(x, "rule"));
		const char *title =
		    tsam_json_str(get(rule, "title"), r->in->lang);
		char obs[64];

		fleet_observed(r, x, false, obs, sizeof(obs));
		cell(&cs, "%s", str_or(x, "rule", "-"));
		cell(&cs, "%s", title ? title : "");
		cell(&cs, "%s", word(r, "res_", tsam_json_str(x, "result")));
		cell(&cs, "%s", obs);
	}
	table(r, 4, rel, al, head, cs.v, cs.n / 4, "none_any");
	cells_free(&cs);
	for (i = 0; i < n; i++) {
		json_object *x = aidx(fr, i);
		const char *res = tsam_json_str(x, "result");
		char obs[1024], exp[400], line[1600];
		const char *kv[6] = {"rule",	 tsam_json_str(x, "rule"),
				     "expected", exp,
				     "observed", obs};

		if (res == NULL || strcmp(res, "fail") != 0 || kv[1] == NULL)
			continue;
		fleet_observed(r, x, true, obs, sizeof(obs));
		fleet_expected(r, x, exp, sizeof(exp));
		subst(msg(r, "fleet_note"), kv, 6, line, sizeof(line));
		para(r, line, r->t->s_small, GREY);
	}
}

static void s_diff(struct r *r)
{
	static const char *lists[] = {"new_failures", "fixed", "still_failing"};
	static const char *labels[] = {"k_new_failures", "k_fixed",
				       "k_still_failing"};
	static const double rel[] = {2.2, 1.8, 1, 1};
	static const char al[] = "llll";
	json_object *d = get(r->in->findings, "diff");
	static const char *const head[] = {"col_host", "col_rule", "col_was",
					   "col_now"};
	char buf[32];
	int k;

	heading(r, 0, "sec_diff");
	if (missing(r, r->in->findings, "no_findings"))
		return;
	if (d == NULL) {
		para(r, msg(r, "no_baseline"), r->t->s_body, GREY);
		return;
	}
	for (k = 0; k < 3; k++) {
		snprintf(buf, sizeof(buf), "%zu", alen(get(d, lists[k])));
		kv_row(r, msg(r, labels[k]), buf);
	}
	snprintf(buf, sizeof(buf), "%zu", alen(get(d, "hosts_added")));
	kv_row(r, msg(r, "k_hosts_added"), buf);
	snprintf(buf, sizeof(buf), "%zu", alen(get(d, "hosts_removed")));
	kv_row(r, msg(r, "k_hosts_removed"), buf);
	r->y += r->t->s_body;
	for (k = 0; k < 2; k++) {
		json_object *l = get(d, lists[k]);
		struct cells cs = {0};
		size_t i, n = l ? alen(l) : 0;

		for (i = 0; i < n && i < (size_t)r->t->max_rows; i++) {
			json_object *x = aidx(l, i);

			cell(&cs, "%s", str_or(x, "host", "-"));
			cell(&cs, "%s", str_or(x, "rule", "-"));
			cell(&cs, "%s",
			     word(r, "res_", tsam_json_str(x, "was")));
			cell(&cs, "%s",
			     word(r, "res_", tsam_json_str(x, "now")));
		}
		if (cs.n > 0) {
			heading(r, 1, labels[k]);
			table(r, 4, rel, al, head, cs.v, cs.n / 4, NULL);
			listed_note(r, cs.n / 4, (long long)n);
		}
		cells_free(&cs);
	}
}

static void s_waivers(struct r *r)
{
	static const double rel[] = {1.5, 1.2, 3, 1.2, 1.1, 0.9, 0.7};
	static const char al[] = "lllllll";
	json_object *w = get(r->in->findings, "waivers");
	struct cells cs = {0};
	static const char *const head[] = {
	    "col_rule",	   "col_hosts", "col_justification", "col_approver",
	    "col_expires", "col_state", "col_applied"};
	size_t i, n = w ? alen(w) : 0;

	heading(r, 0, "sec_waivers");
	if (missing(r, r->in->findings, "no_findings"))
		return;
	for (i = 0; i < n && i < (size_t)r->t->max_rows; i++) {
		json_object *x = aidx(w, i);
		json_object *hs = get(x, "hosts");

		cell(&cs, "%s", str_or(x, "rule", "-"));
		cell(&cs, "%s",
		     hs && json_object_is_type(hs, json_type_string)
			 ? json_object_get_string(hs)
			 : (hs ? json_object_to_json_string_ext(
				     hs, JSON_C_TO_STRING_PLAIN)
			       : "*"));
		cell(&cs, "%s", str_or(x, "justification", "-"));
		cell(&cs, "%s", str_or(x, "approver", "-"));
		cell(&cs, "%s", str_or(x, "expires", "-"));
		cell(&cs, "%s", word(r, "state_", tsam_json_str(x, "state")));
		cell(&cs, "%lld", geti(x, "applied"));
	}
	table(r, 7, rel, al, head, cs.v, cs.n / 7, "none_any");
	cells_free(&cs);
}

/*
 * The endpoints collected without enough privilege: what their account
 * could not read (one wrapped line each, grouped by collector: "spl11 —
 * spl: base-version, plugins, ..."), and what to do, so no "error" in the
 * report is a mystery. Nothing when there are none.
 */
static void limited_hosts(struct r *r, json_object *hosts)
{
	size_t i, n = hosts ? alen(hosts) : 0, rows = 0;

	for (i = 0; i < n; i++) {
		json_object *h = aidx(hosts, i);
		json_object *d = get(h, "denied");
		size_t j, m = d ? alen(d) : 0, o, clen = 0;
		const char *prev = NULL;
		char line[1400];

		if (m == 0)
			continue;
		if (rows++ == 0) {
			heading(r, 1, "limited_title");
			para(r, msg(r, "limited_note"), r->t->s_body, BLACK);
		}
		if (rows > (size_t)r->t->max_rows)
			continue;
		o = (size_t)snprintf(line, sizeof(line), "%s —",
				     str_or(h, "name", "-"));
		for (j = 0; j < m && o < sizeof(line); j++) {
			const char *cs = json_object_get_string(aidx(d, j));
			const char *slash = cs ? strchr(cs, '/') : NULL;
			size_t cl = slash ? (size_t)(slash - cs) : 0;
			bool same = prev != NULL && cl == clen &&
				    strncmp(prev, cs, cl) == 0;

			if (slash == NULL)
				continue;
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      same ? ", %s" : "%s %.*s: %s",
					      same ? slash + 1 : (j ? ";" : ""),
					      (int)cl, cs, slash + 1);
			prev = cs;
			clen = cl;
		}
		para(r, line, r->t->s_body, BLACK);
	}
	if (rows > 0)
		listed_note(r,
			    rows < (size_t)r->t->max_rows
				? rows
				: (size_t)r->t->max_rows,
			    (long long)rows);
}

static void s_hosts(struct r *r)
{
	static const double rel[] = {3, 1, 1, 1, 1};
	static const char al[] = "lrrrr";
	static const double rel2[] = {3, 4};
	static const char al2[] = "ll";
	json_object *f = r->in->findings, *hosts = get(f, "hosts");
	json_object *un = get(f, "uncollected");
	struct cells cs = {0};
	static const char *const head[] = {"col_host", "col_score", "col_pass",
					   "col_fail", "col_error"};
	static const char *const head2[] = {"not_collected", "col_state"};
	size_t i, n = hosts ? alen(hosts) : 0;

	heading(r, 0, "sec_hosts");
	if (missing(r, f, "no_findings"))
		return;
	for (i = 0; i < n && i < (size_t)r->t->max_rows; i++) {
		json_object *h = aidx(hosts, i);
		json_object *sc = get(h, "score");

		char score[32];

		fmt_score(sc, score, sizeof(score));
		cell(&cs, "%s", str_or(h, "name", "-"));
		cell(&cs, "%s", score);
		cell(&cs, "%lld", geti(h, "counts.pass"));
		cell(&cs, "%lld", geti(h, "counts.fail"));
		cell(&cs, "%lld", geti(h, "counts.error"));
	}
	table(r, 5, rel, al, head, cs.v, cs.n / 5, NULL);
	listed_note(r, cs.n / 5, (long long)n);
	cells_free(&cs);
	n = un ? alen(un) : 0;
	for (i = 0; i < n && i < (size_t)r->t->max_rows; i++) {
		json_object *h = aidx(un, i);

		cell(&cs, "%s", str_or(h, "name", "-"));
		cell(&cs, "%s", word(r, "hs_", tsam_json_str(h, "status")));
	}
	table(r, 2, rel2, al2, head2, cs.v, cs.n / 2, NULL);
	cells_free(&cs);
	limited_hosts(r, hosts);
}

static struct tsam_rgb light_color(const char *s)
{
	static const struct tsam_rgb green = {0.2f, 0.62f, 0.3f};
	static const struct tsam_rgb amber = {0.95f, 0.65f, 0.1f};

	if (s && strcmp(s, "green") == 0)
		return green;
	if (s && strcmp(s, "amber") == 0)
		return amber;
	if (s && strcmp(s, "red") == 0)
		return RED;
	return (struct tsam_rgb){0.75f, 0.75f, 0.78f};
}

/* One row per customer with traffic lights (tsam-review). */
static void s_portfolio(struct r *r)
{
	static const double rel[] = {3.2, 1.3, 0.8, 1.3, 0.9, 1.3, 1.4, 1.6};
	static const char al[] = "llrrrrrl";
	static const char *lights[] = {"sla", "health", "collection"};
	json_object *pf = r->in->portfolio, *rows = get(pf, "rows");
	size_t i, n = rows ? alen(rows) : 0;
	static const char *const head[] = {
	    "col_customer", "col_tier_short", "col_cases", "col_rate_short",
	    "col_breaches", "col_credits",    "col_score", "col_lights_short"};
	double w[8], cw = content_w(r), size = r->t->s_table;
	double rh = size * 2.2, x, pad = 3;
	char line[512];
	const char *kv[4];
	int c, k;

	r->sec_page[r->cur_sec] = tsam_pdf_page_count(r->pdf);
	tsam_pdf_bookmark(r->pdf, 0, msg(r, r->t->title));
	fit_text(r, r->t->ml, r->y + r->t->s_title, cw, r->t->s_title, ACCENT,
		 msg(r, r->t->title), 'l');
	r->y += r->t->s_title * 1.6;
	kv[0] = "name";
	kv[1] = tsam_json_str(get(pf, "tsam"), "name")
		    ? tsam_json_str(get(pf, "tsam"), "name")
		    : "";
	kv[2] = "quarter";
	kv[3] =
	    tsam_json_str(pf, "quarter") ? tsam_json_str(pf, "quarter") : "";
	subst(msg(r, "pf_for"), kv, 4, line, sizeof(line));
	fit_text(r, r->t->ml, r->y + r->t->s_h2, cw, r->t->s_h2, BLACK, line,
		 'l');
	r->y += r->t->s_h2 * 2.5;
	col_widths(r, 8, rel, w);
	table_header(r, 8, w, al, head, rh);
	for (i = 1; i <= n; i++) {
		json_object *row = aidx(rows, i - 1);
		char cell_txt[8][256];

		if (r->y + rh > r->t->h - r->t->mb) {
			new_page(r);
			table_header(r, 8, w, al, head, rh);
		}
		if (i % 2 == 0)
			tsam_pdf_fill_rect(r->pdf, r->t->ml, r->y, cw, rh,
					   LIGHT);
		snprintf(cell_txt[0], 256, "%s", str_or(row, "name", "-"));
		snprintf(cell_txt[1], 256, "%s",
			 word(r, "tier_", tsam_json_str(row, "tier")));
		if (strcmp(tsam_json_str(row, "status")
			       ? tsam_json_str(row, "status")
			       : "",
			   "ok") != 0) {
			const char *e[2] = {"error",
					    tsam_json_str(row, "error")
						? tsam_json_str(row, "error")
						: "?"};

			subst(msg(r, "failed"), e, 2, line, sizeof(line));
			fit_text(r, r->t->ml + pad, r->y + rh * 0.68,
				 w[0] - 2 * pad, size, BLACK, cell_txt[0], 'l');
			fit_text(r, r->t->ml + w[0] + w[1] + pad,
				 r->y + rh * 0.68, cw - w[0] - w[1] - 2 * pad,
				 size, RED, line, 'l');
			r->y += rh;
			continue;
		}
		if (get(row, "opened"))
			snprintf(cell_txt[2], 256, "%lld", geti(row, "opened"));
		else
			snprintf(cell_txt[2], 256, "-");
		fmt_rate(get(row, "response_rate"), cell_txt[3], 256);
		if (get(row, "breaches"))
			snprintf(cell_txt[4], 256, "%lld",
				 geti(row, "breaches"));
		else
			snprintf(cell_txt[4], 256, "-");
		if (get(row, "credits_percent"))
			snprintf(cell_txt[5], 256, "%.1f %%",
				 num(row, "credits_percent", 0));
		else
			snprintf(cell_txt[5], 256, "-");
		{
			char sc[32], ls[32];

			fmt_score(get(row, "score"), sc, sizeof(sc));
			fmt_score(get(row, "score_last_year"), ls, sizeof(ls));
			if (strcmp(sc, "-") != 0 && strcmp(ls, "-") != 0)
				snprintf(cell_txt[6], 256, "%s → %s", ls, sc);
			else
				snprintf(cell_txt[6], 256, "%s", sc);
		}
		for (c = 0, x = r->t->ml; c < 7; x += w[c], c++)
			fit_text(r, x + pad, r->y + rh * 0.68, w[c] - 2 * pad,
				 size, BLACK, cell_txt[c], al[c]);
		for (k = 0; k < 3; k++)
			tsam_pdf_fill_circle(
			    r->pdf, x + pad + size * 0.6 + k * size * 1.8,
			    r->y + rh / 2, size * 0.55,
			    light_color(
				tsam_json_str(get(row, "lights"), lights[k])));
		r->y += rh;
	}
	r->y += size;
	para(r, msg(r, "lights_legend"), r->t->s_small, GREY);
}

static void frame(struct r *r)
{
	int i, pages = tsam_pdf_page_count(r->pdf);
	const char *name = tsam_json_str(r->in->customer, "name");
	const char *q =
	    r->in->stats ? tsam_json_str(r->in->stats, "quarter") : NULL;
	char head[512], foot[128], a[16], b[16];
	const char *kv[4];

	snprintf(head, sizeof(head), "%s — %s%s%s", name ? name : "",
		 msg(r, r->t->title), q ? " " : "", q ? q : "");
	/* every page but a cover */
	for (i = strcmp(r->t->sec[0], "cover") == 0; i < pages; i++) {
		double fy = r->t->h - r->t->mb * 0.45;

		tsam_pdf_goto_page(r->pdf, i);
		fit_text(r, r->t->ml, r->t->mt * 0.55, content_w(r),
			 r->t->s_small, GREY, head, 'l');
		tsam_pdf_line(r->pdf, r->t->ml, r->t->mt * 0.7,
			      r->t->ml + content_w(r), r->t->mt * 0.7, 0.4, 0,
			      LIGHT);
		snprintf(a, sizeof(a), "%d", i + 1);
		snprintf(b, sizeof(b), "%d", pages);
		kv[0] = "page";
		kv[1] = a;
		kv[2] = "pages";
		kv[3] = b;
		subst(msg(r, "page"), kv, 4, foot, sizeof(foot));
		fit_text(r, r->t->ml, fy, content_w(r) / 2, r->t->s_small, RED,
			 msg(r, "confidential"), 'l');
		fit_text(r, r->t->ml + content_w(r) / 2, fy, content_w(r) / 2,
			 r->t->s_small, GREY, foot, 'r');
	}
}

static int render_pass(struct r *r, struct tsam_pdf_opts *po,
		       struct tsam_errbuf *eb)
{
	int i, rc;

	rc = tsam_pdf_new(po, &r->pdf, eb);
	if (rc != TSAM_OK)
		return rc;
	new_page(r);
	for (i = 0; i < r->t->nsec; i++) {
		const char *s = r->t->sec[i];

		r->cur_sec = i;
		if (strcmp(s, "cover") == 0)
			s_cover(r);
		else if (strcmp(s, "toc") == 0)
			s_toc(r);
		else if (strcmp(s, "summary") == 0)
			s_summary(r);
		else if (strcmp(s, "incidents") == 0)
			s_incidents(r);
		else if (strcmp(s, "attainment") == 0)
			s_attainment(r);
		else if (strcmp(s, "breaches") == 0)
			s_breaches(r);
		else if (strcmp(s, "escalations") == 0)
			s_escalations(r);
		else if (strcmp(s, "trend") == 0)
			s_trend(r);
		else if (strcmp(s, "health") == 0)
			s_health(r);
		else if (strcmp(s, "reconciliation") == 0)
			s_reconciliation(r);
		else if (strcmp(s, "rules_detail") == 0)
			s_rules_detail(r);
		else if (strcmp(s, "fleet_rules") == 0)
			s_fleet_rules(r);
		else if (strcmp(s, "diff") == 0)
			s_diff(r);
		else if (strcmp(s, "waivers") == 0)
			s_waivers(r);
		else if (strcmp(s, "hosts") == 0)
			s_hosts(r);
		else if (strcmp(s, "portfolio") == 0)
			s_portfolio(r);
	}
	toc_fill(r);
	frame(r);
	return TSAM_OK;
}

int tsam_report_render(const struct tsam_report_in *in, const char *out_path,
		       struct tsam_errbuf *eb)
{
	struct tmpl t;
	struct r r;
	struct tsam_pdf_opts po;
	char title[512], cjk[256], latin[256];
	const char *zone =
	    in->stats ? tsam_json_str(get(in->stats, "period"), "zone") : NULL;
	const char *name = tsam_json_str(in->customer, "name");
	int rc;

	/* the template and both catalogues are checked before any drawing:
	 * this language's while loading, the other one here */
	rc = tmpl_load(in->datadir, in->tmpl, in->lang, &t, eb);
	if (rc == TSAM_OK) {
		json_object *other = NULL;

		rc =
		    load_msgs(in->datadir, strcmp(in->lang, "ja") ? "ja" : "en",
			      &other, eb);
		json_object_put(other);
	}
	if (rc != TSAM_OK) {
		tmpl_free(&t);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.t = &t;
	if (zone != NULL && strcmp(zone, "UTC") != 0 &&
	    tsam_tz_load(NULL, zone, &r.tz, NULL) != TSAM_OK)
		r.tz = NULL;
	snprintf(cjk, sizeof(cjk), "%s",
		 "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf");
	snprintf(latin, sizeof(latin), "%s",
		 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	snprintf(title, sizeof(title), "%s %s %s", name ? name : "",
		 msg(&r, t.title),
		 in->stats && tsam_json_str(in->stats, "quarter")
		     ? tsam_json_str(in->stats, "quarter")
		     : "");
	memset(&po, 0, sizeof(po));
	po.cjk_font = cjk;
	po.latin_font = strcmp(in->lang, "ja") == 0 ? NULL : latin;
	po.width = t.w;
	po.height = t.h;
	po.title = title;
	po.author = tsam_json_str(get(in->customer, "tsam"), "name");
	po.subject = msg(&r, t.title);
	po.keywords = "tsamkit";
	po.created = in->created;
	r.toc_page = -1;
	rc = render_pass(&r, &po, eb);
	if (rc == TSAM_OK)
		rc = tsam_pdf_save(r.pdf, out_path, eb);
	tsam_pdf_free(r.pdf);
	tsam_tz_free(r.tz);
	tmpl_free(&t);
	return rc;
}
