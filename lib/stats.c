/*
 * stats.c - read access to stats.json's shared figures (stats.h). The
 * paths into the document are written here once; rates are computed from
 * the counts, not read back from a rounded member, so that every place
 * that shows one gets the same value.
 */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define STATS_COUNT_MAX 1e15 /* sums of validated counts stay below */

/* Member key of o when o is an object, else NULL. */
static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* A whole, finite, bounded number member, or 0. */
static int64_t count_of(json_object *o, const char *key)
{
	double x;

	if (!tsam_json_finite(member(o, key), &x) || x <= 0)
		return 0;
	return x > STATS_COUNT_MAX ? (int64_t)STATS_COUNT_MAX : (int64_t)x;
}

/* A finite number member into *out; false when absent or not one. */
static bool num_of(json_object *o, const char *key, double *out)
{
	return tsam_json_finite(member(o, key), out);
}

int64_t tsam_stats_count(json_object *stats, const char *name)
{
	return count_of(member(stats, "counts"), name);
}

int64_t tsam_stats_breaches(json_object *stats)
{
	return count_of(stats, "breaches_total");
}

bool tsam_stats_rate(json_object *stats, const char *target, double *rate)
{
	json_object *t = member(member(stats, "attainment"), target);
	int64_t met = 0, missed = 0;
	char key[2] = {0, 0};
	int s;

	for (s = 1; s <= 4; s++) {
		key[0] = (char)('0' + s);
		met += count_of(member(t, key), "met");
		missed += count_of(member(t, key), "missed");
	}
	if (met + missed == 0)
		return false;
	*rate = (double)met / (double)(met + missed);
	return true;
}

bool tsam_stats_rate_sev(json_object *stats, const char *target, int sev,
			 double *rate)
{
	json_object *t = member(member(stats, "attainment"), target);
	char key[2] = {(char)('0' + (sev >= 1 && sev <= 4 ? sev : 0)), 0};
	int64_t met = count_of(member(t, key), "met");
	int64_t missed = count_of(member(t, key), "missed");

	if (met + missed == 0)
		return false;
	*rate = (double)met / (double)(met + missed);
	return true;
}

bool tsam_stats_response_rate(json_object *stats, double *rate)
{
	return tsam_stats_rate(stats, "response", rate);
}

size_t tsam_stats_trend_len(json_object *stats)
{
	json_object *tr = member(stats, "trend");

	return json_object_is_type(tr, json_type_array)
		   ? json_object_array_length(tr)
		   : 0;
}

const char *tsam_stats_trend_quarter(json_object *stats, size_t i)
{
	if (i >= tsam_stats_trend_len(stats))
		return NULL;
	return tsam_json_str(
	    json_object_array_get_idx(member(stats, "trend"), i), "quarter");
}

bool tsam_stats_trend_response_rate(json_object *stats, size_t i, double *rate)
{
	const char *q = tsam_stats_trend_quarter(stats, i);
	const char *cur = tsam_json_str(stats, "quarter");
	double x;

	if (q == NULL)
		return false;
	if (cur != NULL && strcmp(q, cur) == 0)
		return tsam_stats_response_rate(stats, rate);
	if (!num_of(json_object_array_get_idx(member(stats, "trend"), i),
		    "response_rate", &x))
		return false;
	*rate = x < 0 ? 0 : (x > 1 ? 1 : x);
	return true;
}

bool tsam_stats_credits_capped(json_object *stats)
{
	json_object *c = member(stats, "credits");
	double p = 0, cap = 0;

	return num_of(c, "percent", &p) && num_of(c, "cap_percent", &cap) &&
	       cap > 0 && p >= cap;
}

void tsam_stats_credits(json_object *stats, double *percent, double *amount,
			const char **currency)
{
	json_object *c = member(stats, "credits");
	double p = 0, a = -1;

	if (!num_of(c, "percent", &p) || p < 0)
		p = 0;
	if (!num_of(c, "amount", &a) || a < 0)
		a = -1;
	if (percent)
		*percent = p > 100 ? 100 : p;
	if (amount)
		*amount = a;
	if (currency)
		*currency = a >= 0 ? tsam_json_str(c, "currency") : NULL;
}
