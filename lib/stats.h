/*
 * stats.h - reading tsam-cases' stats.json (tsamkit-stats/1,
 * docs/stats.schema.json): the one place that knows where its shared
 * figures live and how they are computed from it. A figure shown in
 * several places (the quarterly review's summary and trend, the
 * portfolio summary, index.json, tsam-cases' summary line) is read here,
 * so that it has one value everywhere.
 *
 * The accessors never fail: a document built in memory or of another
 * shape reads as "absent" (false, or 0), never as a crash. Documents from
 * files are checked first (tsam_report_validate).
 */
#ifndef TSAM_STATS_H
#define TSAM_STATS_H

#include "json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A count of the review quarter: counts.NAME ("opened", "closed",
 * "backlog_start", "backlog_end", "reopened"); 0 when absent. */
int64_t tsam_stats_count(json_object *stats, const char *name);

/* Targets missed in the review quarter (breaches_total); 0 when absent. */
int64_t tsam_stats_breaches(json_object *stats);

/*
 * The attainment of target ("response", "update", "manager",
 * "executive") over every severity of the review quarter: met / (met +
 * missed) from the counts of attainment.TARGET, never from a rounded
 * rate. False when nothing was met or missed (no rate), else *rate.
 */
bool tsam_stats_rate(json_object *stats, const char *target, double *rate);

/* The attainment of target for severity sev (1-4) alone, from its
 * counts like tsam_stats_rate. */
bool tsam_stats_rate_sev(json_object *stats, const char *target, int sev,
			 double *rate);

/* The overall first-response attainment (tsam_stats_rate of
 * "response"): "first responses on time" wherever it is shown. */
bool tsam_stats_response_rate(json_object *stats, double *rate);

/* The number of quarters in the trend (oldest first, the review quarter
 * last). */
size_t tsam_stats_trend_len(json_object *stats);

/* Quarter i of the trend ("2026Q3"), or NULL. */
const char *tsam_stats_trend_quarter(json_object *stats, size_t i);

/*
 * The overall first-response attainment of trend quarter i: for the
 * review quarter itself tsam_stats_response_rate (so the trend shows the
 * summary's value), for the quarters before it trend[i].response_rate.
 * False when there is none.
 */
bool tsam_stats_trend_response_rate(json_object *stats, size_t i, double *rate);

/*
 * The support credits of the review quarter: the capped percentage of
 * the quarterly fee (credits.percent, 0 when absent), and when a fee was
 * given the amount and its currency (*amount -1 and *currency NULL
 * otherwise). Pointers may be NULL; strings belong to stats.
 */
void tsam_stats_credits(json_object *stats, double *percent, double *amount,
			const char **currency);

/* True when the review quarter's credit reached its cap (credits.percent
 * at or over a positive credits.cap_percent). */
bool tsam_stats_credits_capped(json_object *stats);

#endif
