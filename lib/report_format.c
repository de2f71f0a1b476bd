/*
 * report_format.c - the report's text that is not drawn yet: message
 * templates filled in ({name}), rates, scores, durations and times in the
 * report's language and the customer's zone, and the catalogue's words
 * for severities, targets and result codes.
 *
 * Writes into the caller's buffers, always terminated and cut to fit.
 * Calls date, tz and the accessors of report_int.h; never pdf, so every
 * function here can be used before anything is drawn.
 */
#include "report_int.h"

#include "date.h"
#include "tz.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Replaces {name} in tmpl with values from kv (name, value, ...). */
void tsam_render_subst(const char *tmpl, const char *const *kv, size_t nkv,
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

/* A rate in [0, 1] from v, false when v is not a number (null: none). */
bool tsam_render_rate_of(json_object *v, double *out)
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
void tsam_render_fmt_rate(json_object *v, char *out, size_t n)
{
	double x;

	if (!tsam_render_rate_of(v, &x))
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.1f %%", x * 100);
}

/* A score 0-100 ("87", "71.5") or "-" (null, absent). */
void tsam_render_fmt_score(json_object *v, char *out, size_t n)
{
	double x;

	if ((!json_object_is_type(v, json_type_int) &&
	     !json_object_is_type(v, json_type_double)) ||
	    !isfinite(x = json_object_get_double(v)))
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%g", x < 0 ? 0 : (x > 100 ? 100 : x));
}

/* A duration in days and hours, hours and minutes, or minutes (rounded
 * up), with the catalogue's units; no spaces in Japanese. */
void tsam_render_fmt_dur(const struct tsam_render *r, long long s, char *out,
			 size_t n)
{
	bool ja = strcmp(r->in->lang, "ja") == 0;
	const char *sp = ja ? "" : " ";

	if (s < 0)
		s = 0;
	if (s > (long long)TSAM_RENDER_SECONDS_MAX)
		s = (long long)TSAM_RENDER_SECONDS_MAX;
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
void tsam_render_fmt_time(const struct tsam_render *r, json_object *v,
			  char *out, size_t n)
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

/* The catalogue's name of a severity (1-4; any other reads as 3). */
const char *tsam_render_sev_name(const struct tsam_render *r, int sev)
{
	static const char *k[] = {"sev_1", "sev_2", "sev_3", "sev_4"};

	return msg(r, k[sev >= 1 && sev <= 4 ? sev - 1 : 2]);
}

/* The catalogue's name of an SLA target (t_<t>), else t itself. */
const char *tsam_render_target_name(const struct tsam_render *r, const char *t)
{
	char key[32];

	const char *m;

	snprintf(key, sizeof(key), "t_%s", t ? t : "");
	m = tsam_json_str(r->tmpl->catalogue, key);
	return m ? m : (t ? t : "");
}

/* The catalogue's word for a code (prefix + w: "res_fail"), else the code
 * itself, or "-" when there is none. */
const char *tsam_render_word(const struct tsam_render *r, const char *prefix,
			     const char *w)
{
	char key[64];
	const char *m;

	snprintf(key, sizeof(key), "%s%s", prefix, w ? w : "");
	m = tsam_json_str(r->tmpl->catalogue, key);
	return m ? m : (w ? w : "-");
}
