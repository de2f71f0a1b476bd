/*
 * report_format.c - the report's text that is not drawn yet: message
 * templates filled in ({name}), rates, scores, durations and times in the
 * report's language and the customer's zone, the catalogue's words
 * for severities, targets and result codes, and a policy target in words;
 * for the quarterly review's sections, its quarter and the action
 * register's items that quarter shows.
 *
 * Writes into the caller's buffers, always terminated and cut to fit.
 * Calls date, tz and the accessors of report_int.h; never pdf, so every
 * function here can be used before anything is drawn.
 */
#include "report_int.h"

#include "date.h"
#include "policy.h"
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

	if (!tsam_json_finite(v, &x))
		return false;
	*out = x < 0 ? 0 : (x > 1 ? 1 : x);
	return true;
}

/* "95.0 %" or "-" */
void tsam_render_fmt_rate(const struct tsam_render *r, json_object *v,
			  char *out, size_t n)
{
	double x;

	if (!tsam_render_rate_of(v, &x))
		snprintf(out, n, "-");
	else
		tsam_render_fmt_pct(r, x, out, n);
}

void tsam_render_fmt_percent(const struct tsam_render *r, double v,
			     int decimals, char *out, size_t n)
{
	if (!isfinite(v))
		v = 0;
	snprintf(out, n, "%.*f%s", decimals > 0 ? 1 : 0, v,
		 is_ja(r) ? "%" : " %");
}

/* "95.0 %" ("95.0%" in Japanese): the one way a rate is written. */
void tsam_render_fmt_pct(const struct tsam_render *r, double x, char *out,
			 size_t n)
{
	if (!isfinite(x))
		x = 0;
	tsam_render_fmt_percent(r, (x < 0 ? 0 : (x > 1 ? 1 : x)) * 100, 1, out,
				n);
}

/* The digits of v (not negative) grouped by three with commas. */
static void group(unsigned long long v, char *out, size_t n)
{
	char d[32], g[48];
	size_t len, i, o = 0;

	snprintf(d, sizeof(d), "%llu", v);
	len = strlen(d);
	for (i = 0; i < len && o + 2 < sizeof(g); i++) {
		if (i > 0 && (len - i) % 3 == 0)
			g[o++] = ',';
		g[o++] = d[i];
	}
	g[o] = '\0';
	snprintf(out, n, "%s", g);
}

/* "3,232" */
void tsam_render_fmt_count(long long v, char *out, size_t n)
{
	char g[48];

	group(v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, g,
	      sizeof(g));
	snprintf(out, n, "%s%s", v < 0 ? "-" : "", g);
}

/* Amounts as their readers write them: a symbol before the figure, or
 * yen after it in Japanese; other currencies by their code. */
void tsam_render_fmt_money(const struct tsam_render *r, double amount,
			   const char *currency, char *out, size_t n)
{
	static const struct {
		const char *code, *symbol;
		bool cents;
	} cur[] = {{"JPY", "¥", false},
		   {"GBP", "£", true},
		   {"USD", "$", true},
		   {"EUR", "€", true}};
	bool ja = is_ja(r);
	const char *sym = NULL;
	bool cents = true;
	long long c;
	char g[48], fig[64];
	size_t i;

	if (!isfinite(amount) || amount < 0)
		amount = 0;
	if (amount > TSAM_RENDER_MONEY_MAX)
		amount = TSAM_RENDER_MONEY_MAX;
	for (i = 0; currency && i < sizeof(cur) / sizeof(cur[0]); i++)
		if (strcmp(currency, cur[i].code) == 0) {
			sym = cur[i].symbol;
			cents = cur[i].cents;
		}
	c = llround(amount * 100); /* at most 1e17: fits */
	if (!cents)
		c = (c + 50) / 100 * 100;
	group((unsigned long long)(c / 100), g, sizeof(g));
	if (c % 100 != 0)
		snprintf(fig, sizeof(fig), "%s.%02lld", g, c % 100);
	else
		snprintf(fig, sizeof(fig), "%s", g);
	if (currency && strcmp(currency, "JPY") == 0 && ja)
		snprintf(out, n, "%s円", fig);
	else if (sym)
		snprintf(out, n, "%s%s", sym, fig);
	else if (currency && currency[0])
		snprintf(out, n, "%s %s", fig, currency);
	else
		snprintf(out, n, "%s", fig);
}

/* "+09:00" for seconds east of UTC. */
static void offset_text(int32_t off, char *out, size_t n)
{
	int32_t a = off < 0 ? -off : off;

	snprintf(out, n, "%c%02d:%02d", off < 0 ? '-' : '+', (int)(a / 3600),
		 (int)(a % 3600 / 60));
}

/* The zone as its customer knows it (report_int.h). */
void tsam_render_fmt_zone(const struct tsam_render *r, char *out, size_t n)
{
	const char *name = r->tz ? tsam_tz_name(r->tz) : "UTC";
	char key[TSAM_TZ_MAX_NAME + 8], a[16], b[16], both[40];
	const char *m, *kv[4];
	int64_t jan, jul;
	int y, mo, d;
	int32_t o1, o2;

	snprintf(key, sizeof(key), "zone_%s", name);
	m = tsam_json_str(r->tmpl->catalogue, key);
	if (m != NULL || r->tz == NULL) {
		snprintf(out, n, "%s", m ? m : "UTC");
		return;
	}
	/* the offsets in force in winter and summer of the document's year */
	tsam_civil_from_days(r->in->created / 86400, &y, &mo, &d);
	jan = tsam_days_from_civil(y, 1, 15) * 86400;
	jul = tsam_days_from_civil(y, 7, 15) * 86400;
	o1 = tsam_tz_offset(r->tz, jan);
	o2 = tsam_tz_offset(r->tz, jul);
	offset_text(o1 < o2 ? o1 : o2, a, sizeof(a));
	offset_text(o1 < o2 ? o2 : o1, b, sizeof(b));
	if (o1 == o2)
		snprintf(both, sizeof(both), "UTC%s", a);
	else
		snprintf(both, sizeof(both), "UTC%s/%s", a, b);
	kv[0] = "zone";
	kv[1] = name;
	kv[2] = "offset";
	kv[3] = both;
	tsam_render_subst(msg(r, "zone_other"), kv, 4, out, n);
}

/* The customer's tier has the service. */
bool tsam_render_has(const struct tsam_render *r, unsigned service)
{
	return (r->services & service) != 0;
}

/* A score 0-100 ("87", "71.5") or "-" (null, absent). */
void tsam_render_fmt_score(json_object *v, char *out, size_t n)
{
	double x;

	if (!tsam_json_finite(v, &x))
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%g", x < 0 ? 0 : (x > 100 ? 100 : x));
}

/* s seconds clamped to 0 .. TSAM_RENDER_SECONDS_MAX. */
static long long dur_clamp(long long s)
{
	if (s < 0)
		return 0;
	return s > (long long)TSAM_RENDER_SECONDS_MAX
		   ? (long long)TSAM_RENDER_SECONDS_MAX
		   : s;
}

/* s in the units a column whose longest duration is max is written in:
 * minutes (rounded up) when max is under an hour, hours and minutes
 * under 72 hours, else days and hours (rounded up to the hour, so that
 * nothing that lasted reads as zero); a leading zero unit is left out
 * ("6 h", not "0 d 6 h"). */
void tsam_render_fmt_dur_col(const struct tsam_render *r, long long s,
			     long long max, char *out, size_t n)
{
	bool ja = is_ja(r);
	const char *sp = ja ? "" : " ";

	s = dur_clamp(s);
	max = dur_clamp(max);
	if (max < s)
		max = s;
	if (max >= 72 * 3600) {
		long long h = (s + 3599) / 3600;

		if (h < 24) /* "6 h", not "0 d 6 h" */
			snprintf(out, n, "%lld%s%s", h, sp, msg(r, "unit_h"));
		else
			snprintf(out, n, "%lld%s%s%s%lld%s%s", h / 24, sp,
				 msg(r, "unit_d"), sp, h % 24, sp,
				 msg(r, "unit_h"));
	} else if (max >= 3600) {
		long long m = (s + 59) / 60;

		if (m < 60)
			snprintf(out, n, "%lld%s%s", m, sp, msg(r, "unit_min"));
		else
			snprintf(out, n, "%lld%s%s%s%lld%s%s", m / 60, sp,
				 msg(r, "unit_h"), sp, m % 60, sp,
				 msg(r, "unit_min"));
	} else {
		snprintf(out, n, "%lld%s%s", (s + 59) / 60, sp,
			 msg(r, "unit_min"));
	}
}

void tsam_render_fmt_dur(const struct tsam_render *r, long long s, char *out,
			 size_t n)
{
	tsam_render_fmt_dur_col(r, s, s, out, n);
}

/* A UTC ISO time from the JSON, shown in the customer's zone; the
 * message none_key without one. */
void tsam_render_fmt_time(const struct tsam_render *r, json_object *v,
			  const char *none_key, char *out, size_t n)
{
	const char *s = json_object_get_string(v);
	time_t t;
	int y, mo, d;
	int64_t l;

	if (v == NULL || s == NULL || (t = tsam_time_parse(s)) < 0) {
		snprintf(out, n, "%s", msg(r, none_key));
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

/* A target's encoding in words: "1 business day", "2 h of support hours". */
static void fmt_encoding(const struct tsam_render *r, json_object *t,
			 const char *kind, char *out, size_t n)
{
	char v[32];
	const char *kv[2] = {NULL, v};

	if (strcmp(kind, "business_days") == 0) {
		snprintf(v, sizeof(v), "%lld", geti(t, "business_days"));
		kv[0] = "n";
		tsam_render_subst(msg(r, geti(t, "business_days") == 1
					     ? "rv_business_day"
					     : "rv_business_days"),
				  kv, 2, out, n);
	} else {
		long long s = geti(t, "seconds");
		const char *clock = str_or(t, "clock", "24x7");

		if (s % 3600 == 0)
			snprintf(v, sizeof(v), "%lld", s / 3600);
		else
			snprintf(v, sizeof(v), "%.2g", (double)s / 3600);
		kv[0] = "h";
		tsam_render_subst(msg(r, strcmp(clock, "support") == 0
					     ? "rv_hours_support"
					     : "rv_hours_24x7"),
				  kv, 2, out, n);
	}
}

/*
 * A policy target (stats.json's review_detail.targets.S.T) in words: the
 * contract's wording first when the policy gives it ("24 h (1 business
 * day)", "daily (1 business day)", "1 week, around the clock"), the
 * encoding alone when the wording says no more ("24 h, around the clock").
 */
void tsam_render_fmt_target(const struct tsam_render *r, json_object *t,
			    char *out, size_t n)
{
	const char *kind = tsam_json_str(t, "kind");
	const char *w = tsam_json_str(t, "as_written");
	char enc[96], said[64], num[8];
	const char *kv[4] = {"n", num, "c", enc};
	size_t d;

	if (kind == NULL) {
		snprintf(out, n, "%s", msg(r, "rv_no_target"));
		return;
	}
	if (strcmp(kind, "any_time") == 0) {
		snprintf(out, n, "%s", msg(r, "rv_any_time"));
		return;
	}
	fmt_encoding(r, t, kind, enc, sizeof(enc));
	d = w ? strspn(w, "0123456789") : 0;
	if (w == NULL || d > 4 ||
	    (strcmp(kind, "duration") == 0 && d > 0 && w[d] == 'h' &&
	     strtoll(w, NULL, 10) * 3600 == geti(t, "seconds"))) {
		snprintf(out, n, "%s", enc);
		return;
	}
	snprintf(num, sizeof(num), "%.*s", (int)d, w);
	if (d == 0)
		snprintf(said, sizeof(said), "%s",
			 msg(r, strcmp(w, "daily") == 0
				    ? "rv_as_daily"
				    : "rv_as_every_business_day"));
	else
		tsam_render_subst(msg(r, w[d] == 'h' ? "rv_as_hours"
					 : strcmp(num, "1") == 0
					     ? "rv_as_week"
					     : "rv_as_weeks"),
				  kv, 2, said, sizeof(said));
	kv[1] = said;
	kv[0] = "w";
	tsam_render_subst(msg(r, strcmp(str_or(t, "clock", ""), "24x7") == 0
				     ? "rv_as_written_24x7"
				     : "rv_as_written"),
			  kv, 4, out, n);
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

/* The quarter of the review (stats, else customer.json's). */
long long tsam_render_overrun(json_object *e, bool *business)
{
	bool b = strcmp(str_or(e, "clock", "24x7"), "24x7") != 0 &&
		 geti(e, "overrun_business_s") > 0;

	if (b && business != NULL)
		*business = true;
	return geti(e, b ? "overrun_business_s" : "overrun_s");
}

bool tsam_render_tmpl_has(const struct tsam_render *r, const char *name)
{
	int i;

	for (i = 0; i < r->tmpl->nsections; i++)
		if (strcmp(r->tmpl->sections[i], name) == 0)
			return true;
	return false;
}

void tsam_render_fmt_quarter(const struct tsam_render *r, const char *q,
			     char *out, size_t n)
{
	static const char *const months[] = {"rv_q1", "rv_q2", "rv_q3",
					     "rv_q4"};
	char y[8], k[4];
	const char *kv[6] = {"y", y, "q", k, "months", NULL};
	int year, quarter;

	if (q == NULL || !tsam_quarter_parse(q, &year, &quarter)) {
		snprintf(out, n, "%s", q ? q : "-");
		return;
	}
	snprintf(y, sizeof(y), "%d", year);
	snprintf(k, sizeof(k), "%d", quarter);
	kv[5] = msg(r, months[quarter - 1]);
	tsam_render_subst(msg(r, "quarter_long"), kv, 6, out, n);
}

const char *tsam_render_quarter(const struct tsam_render *r)
{
	const char *q =
	    r->in->stats ? tsam_json_str(r->in->stats, "quarter") : NULL;

	return q ? q : str_or(r->in->customer, "quarter", "");
}

/* The action register's items the quarter shows: agreed in it or before,
 * and open or closed in it. carried: agreed before it and still open. */
bool tsam_render_action_shown(json_object *a, const char *q, bool *carried)
{
	const char *agreed = str_or(a, "agreed", "");
	const char *status = str_or(a, "status", "open");
	const char *closed = tsam_json_str(a, "closed");

	*carried = false;
	if (strcmp(agreed, q) > 0)
		return false; /* agreed later */
	if (strcmp(status, "open") != 0 &&
	    (closed == NULL || strcmp(closed, q) != 0))
		return false; /* done or dropped in another quarter */
	*carried = strcmp(agreed, q) < 0 && strcmp(status, "open") == 0;
	return true;
}

/* The document's date and time as a wall clock in the customer's zone
 * reads it (seconds since 1970-01-01 local). */
static int64_t issued_local(const struct tsam_render *r)
{
	int64_t t = r->in->created;

	return t + (r->tz ? tsam_tz_offset(r->tz, t) : 0);
}

void tsam_render_fmt_issued(const struct tsam_render *r, char *out, size_t n)
{
	tsam_render_plain_date(r, (time_t)issued_local(r), out, n);
}

const char *tsam_render_action_status(const struct tsam_render *r,
				      json_object *a)
{
	const char *status = str_or(a, "status", "open");
	const char *due = tsam_json_str(a, "due");
	int64_t t = issued_local(r);
	char today[16];
	int y, m, d;

	if (strcmp(status, "open") != 0 || due == NULL || strlen(due) < 10)
		return status;
	tsam_civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, &y, &m,
			     &d);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, d);
	return strncmp(due, today, 10) < 0 ? "overdue" : status;
}
