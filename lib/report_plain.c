/*
 * report_plain.c - a health check's findings in plain words, in the
 * report's language: what a rule expects (its operator and value as a
 * sentence: age_le "7d" on an update time reads "updated within the last
 * 7 days" / "過去 7 日以内に更新"), what was observed (dates as dates
 * with their distance from the collection, sizes in MiB or GiB, lists as
 * a few items and a count, yes or no), and a failed rule's title as the
 * problem found. Never rule syntax, never JSON, never an ISO timestamp.
 *
 * Writes into the caller's buffers, always terminated and cut to fit.
 * Calls date, json and report_format.c (tsam_render_subst); never pdf.
 */
#include "report_int.h"

#include "date.h"
#include "expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rule's title as the problem a failure found ("finding"), or its
 * passing condition (title) for findings written before rules had one. */
const char *tsam_render_finding_title(const struct tsam_render *r,
				      json_object *rule)
{
	const char *s = tsam_json_str(get(rule, "finding"), r->in->lang);

	if (s == NULL || s[0] == '\0')
		s = tsam_json_str(get(rule, "title"), r->in->lang);
	return s ? s : str_or(rule, "id", "-");
}

/* v with thousands grouped ("1,225"); the same in both languages. */
void tsam_render_plain_int(long long v, char *out, size_t n)
{
	char d[32];
	size_t len, i, o = 0;
	bool neg = v < 0;

	snprintf(d, sizeof(d), "%llu",
		 neg ? (unsigned long long)-(v + 1) + 1ULL
		     : (unsigned long long)v);
	len = strlen(d);
	if (n == 0)
		return;
	if (neg && o + 1 < n)
		out[o++] = '-';
	for (i = 0; i < len && o + 1 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0 && o + 2 < n)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
}

/* The day of t (UTC) in the report's language: "1 Oct 2026",
 * "2026年10月1日". */
void tsam_render_plain_date(const struct tsam_render *r, time_t t, char *out,
			    size_t n)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
					  "May", "Jun", "Jul", "Aug",
					  "Sep", "Oct", "Nov", "Dec"};
	int y, m, d;
	int64_t days = (int64_t)t / 86400 - ((int64_t)t % 86400 < 0);

	tsam_civil_from_days(days, &y, &m, &d);
	if (m < 1 || m > 12)
		m = 1;
	if (is_ja(r))
		snprintf(out, n, "%d年%d月%d日", y, m, d);
	else
		snprintf(out, n, "%d %s %d", d, mon[m - 1], y);
}

/* s seconds as a whole number of days, hours or minutes ("7 days",
 * "24 hours", "1 minute"; "7日", "24時間"), the largest unit that divides
 * it (seconds otherwise; days only from two days on). */
static void plain_span(const struct tsam_render *r, long long s, char *out,
		       size_t n)
{
	static const struct {
		long long sec;
		const char *one, *many;
	} u[] = {{86400, "pu_day", "pu_days"},
		 {3600, "pu_hour", "pu_hours"},
		 {60, "pu_minute", "pu_minutes"},
		 {1, "pu_second", "pu_seconds"}};
	char num[32];
	const char *kv[2] = {"n", num};
	size_t i;

	if (s < 0)
		s = -s;
	/* days from two days on: "24 hours", not "1 day" */
	for (i = 0; i < 3 &&
		    (s == 0 || s % u[i].sec != 0 || (i == 0 && s < 2 * 86400));
	     i++)
		;
	tsam_render_plain_int(s / u[i].sec, num, sizeof(num));
	tsam_render_subst(msg(r, s / u[i].sec == 1 ? u[i].one : u[i].many), kv,
			  2, out, n);
}

/* A number of the fact's unit, from its name: *_mb sizes (MiB, whole GiB
 * as GiB), *_pct percentages, *_s and *_minutes spans, *_ms
 * milliseconds; anything else a plain number. */
static void plain_number(const struct tsam_render *r, const char *fact,
			 double x, char *out, size_t n)
{
	size_t fl = fact ? strlen(fact) : 0;
	long long v = (long long)x;
	char num[32];

#define ENDS(suf)                                                              \
	(fl >= sizeof(suf) - 1 &&                                              \
	 strcmp(fact + fl - (sizeof(suf) - 1), suf) == 0)
	if ((double)v != x) { /* not whole: one decimal */
		snprintf(out, n, "%.1f", x);
		return;
	}
	if (ENDS("_mb")) {
		if (v >= 1024 && v % 1024 == 0) {
			tsam_render_plain_int(v / 1024, num, sizeof(num));
			snprintf(out, n, "%s GiB", num);
		} else if (v >= 10240) {
			snprintf(out, n, "%.1f GiB", (double)v / 1024);
		} else {
			tsam_render_plain_int(v, num, sizeof(num));
			snprintf(out, n, "%s MiB", num);
		}
	} else if (ENDS("_pct")) {
		tsam_render_fmt_percent(r, (double)v, 0, out, n);
	} else if (ENDS("_s")) {
		plain_span(r, v >= 86400 ? v / 86400 * 86400 : v, out, n);
	} else if (ENDS("_minutes")) {
		plain_span(r, v * 60, out, n);
	} else if (ENDS("_ms")) {
		tsam_render_plain_int(v, num, sizeof(num));
		snprintf(out, n, "%s ms", num);
	} else {
		tsam_render_plain_int(v, out, n);
	}
#undef ENDS
}

/* One value of a rule or a host, in words: yes / no, a number in the
 * fact's unit, a quoted word, a date, a list's first items. */
static void plain_value(const struct tsam_render *r, const char *fact,
			json_object *v, time_t collected, char *out, size_t n);

/* A product's word in the report's language (pvw_<word>: good, bad,
 * success, failed, aborted, "sophos:" for the vendor's update servers),
 * else the word as the product wrote it. */
static const char *plain_word(const struct tsam_render *r, const char *w)
{
	char key[48];
	const char *m;

	if (strlen(w) > 32)
		return w;
	snprintf(key, sizeof(key), "pvw_%s", w);
	m = tsam_json_str(r->tmpl->catalogue, key);
	return m ? m : w;
}

/* One item of a list, briefly: "/ 96 % used, 408 MiB free"; an
 * exclusion's path; a scan's or a plugin's name. */
static void plain_item(const struct tsam_render *r, const char *fact,
		       json_object *e, time_t collected, char *item, size_t n)
{
	if (json_object_is_type(e, json_type_object) &&
	    tsam_json_str(e, "mount") && get(e, "used_pct")) {
		char fr[64], pct[16];
		const char *kv[6] = {
		    "mount", tsam_json_str(e, "mount"), "pct", pct, "free", fr};

		snprintf(pct, sizeof(pct), "%lld", geti(e, "used_pct"));
		plain_number(r, "free_mb", (double)geti(e, "free_mb"), fr,
			     sizeof(fr));
		tsam_render_subst(msg(r, "pv_disk"), kv, 6, item, n);
	} else if (json_object_is_type(e, json_type_object)) {
		const char *s = tsam_json_str(e, "value");

		if (s == NULL)
			s = tsam_json_str(e, "name");
		if (s == NULL)
			s = tsam_json_str(e, "location");
		snprintf(item, n, "%s", s ? plain_word(r, s) : "-");
	} else {
		plain_value(r, fact, e, collected, item, n);
	}
}

/* Appends s to out[*o..n), as much as fits. */
static void w_append(char *out, size_t n, size_t *o, const char *s)
{
	int w = snprintf(out + *o, n - *o, "%s", s);

	*o = w < 0 || (size_t)w >= n - *o ? n - 1 : *o + (size_t)w;
}

/*
 * A list's items, at most three, then "and N more"; "none" for an empty
 * list. With offending (a failed all/none's indexes into a), only those
 * items, then how many of the list they are ("(2 of 4)"), so the item
 * that broke the rule is never hidden behind "and N more".
 */
static void plain_list(const struct tsam_render *r, const char *fact,
		       json_object *a, json_object *offending, time_t collected,
		       char *out, size_t n)
{
	size_t i, len = alen(a), shown = 0, nsel = len, o = 0;
	bool ja = is_ja(r);
	char num[2][32];

	out[0] = '\0';
	if (len == 0) {
		snprintf(out, n, "%s", msg(r, "pv_empty"));
		return;
	}
	if (alen(offending) > 0)
		nsel = alen(offending);
	for (i = 0; i < nsel && shown < 3 && o + 1 < n; i++) {
		json_object *e = aidx(a, i);
		char item[256];
		int w;

		if (alen(offending) > 0) {
			json_object *x = aidx(offending, i);
			int64_t k = json_object_get_int64(x);

			if (!json_object_is_type(x, json_type_int) || k < 0 ||
			    (size_t)k >= len)
				continue; /* not an index of this list */
			e = aidx(a, (size_t)k);
		}
		plain_item(r, fact, e, collected, item, sizeof(item));
		w = snprintf(out + o, n - o, "%s%s",
			     shown ? (ja ? "、" : ", ") : "", item);
		if (w < 0 || (size_t)w >= n - o)
			return; /* cut: out holds what fit */
		o += (size_t)w;
		shown++;
	}
	if (nsel > 3) {
		char tail[96];
		const char *kv[2] = {"n", num[0]};

		tsam_render_plain_int((long long)(nsel - 3), num[0],
				      sizeof(num[0]));
		tsam_render_subst(msg(r, "pv_more"), kv, 2, tail, sizeof(tail));
		w_append(out, n, &o, tail);
	}
	if (nsel < len) {
		char tail[96];
		const char *kv[4] = {"k", num[0], "n", num[1]};

		tsam_render_plain_int((long long)nsel, num[0], sizeof(num[0]));
		tsam_render_plain_int((long long)len, num[1], sizeof(num[1]));
		tsam_render_subst(msg(r, "pv_of_total"), kv, 4, tail,
				  sizeof(tail));
		w_append(out, n, &o, tail);
	}
}

static void plain_value(const struct tsam_render *r, const char *fact,
			json_object *v, time_t collected, char *out, size_t n)
{
	const char *s;
	time_t t;

	if (v == NULL || json_object_is_type(v, json_type_null)) {
		snprintf(out, n, "%s", msg(r, "pv_none"));
	} else if (json_object_is_type(v, json_type_boolean)) {
		snprintf(out, n, "%s",
			 msg(r, json_object_get_boolean(v) ? "pv_true"
							   : "pv_false"));
	} else if (json_object_is_type(v, json_type_int) ||
		   json_object_is_type(v, json_type_double)) {
		double x = json_object_get_double(v);

		plain_number(r, fact, isfinite(x) ? x : 0, out, n);
	} else if (json_object_is_type(v, json_type_array)) {
		plain_list(r, fact, v, NULL, collected, out, n);
	} else if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if ((t = tsam_time_parse(s)) >= 0) {
			char day[64], span[64];
			const char *kv[4] = {"date", day, "span", span};

			tsam_render_plain_date(r, t, day, sizeof(day));
			if (collected < 0 || t / 86400 == collected / 86400) {
				snprintf(out, n, "%s", day);
				return;
			}
			/* whole days between the two dates, as a calendar
			 * counts them: 16 Nov is 10 days before 26 Nov */
			plain_span(r,
				   llabs((long long)(collected / 86400) -
					 (long long)(t / 86400)) *
				       86400,
				   span, sizeof(span));
			tsam_render_subst(
			    msg(r, t < collected ? "pv_before" : "pv_after"),
			    kv, 4, out, n);
		} else {
			snprintf(out, n, "%s", plain_word(r, s));
		}
	} else {
		snprintf(out, n, "-");
	}
}

/* What was observed on a host for a failed or errored result: the
 * fact's value in words; "not reported" when the host had none. */
void tsam_render_plain_observed(const struct tsam_render *r, json_object *res,
				time_t collected, char *out, size_t n)
{
	json_object *ob = NULL;

	if (!json_object_object_get_ex(res, "observed", &ob))
		ob = NULL;
	if (json_object_is_type(ob, json_type_array))
		plain_list(r, tsam_json_str(res, "fact"), ob,
			   get(res, "offending"), collected, out, n);
	else
		plain_value(r, tsam_json_str(res, "fact"), ob, collected, out,
			    n);
}

/* A value of an expectation, in words: a duration ("7d") as a span, a
 * number in the fact's unit, a word quoted, a list joined. */
static void plain_operand(const struct tsam_render *r, const char *fact,
			  const char *op, json_object *v, char *out, size_t n)
{
	long secs;

	if (json_object_is_type(v, json_type_string) &&
	    (strncmp(op, "age_", 4) == 0 || strncmp(op, "until_", 6) == 0) &&
	    (secs = tsam_duration_parse(json_object_get_string(v))) >= 0) {
		plain_span(r, secs, out, n);
	} else if (json_object_is_type(v, json_type_string) &&
		   strncmp(op, "version_", 8) == 0) {
		snprintf(out, n, "%s", json_object_get_string(v));
	} else if (json_object_is_type(v, json_type_string)) {
		const char *kv[2] = {"v",
				     plain_word(r, json_object_get_string(v))};

		tsam_render_subst(msg(r, "pv_quoted"), kv, 2, out, n);
	} else if (json_object_is_type(v, json_type_array)) {
		size_t i, o = 0;
		bool ja = is_ja(r);

		out[0] = '\0';
		for (i = 0; i < alen(v) && o + 1 < n; i++) {
			char item[128];
			int w;

			plain_operand(r, fact, op, aidx(v, i), item,
				      sizeof(item));
			w = snprintf(out + o, n - o, "%s%s",
				     i ? (ja ? "、" : ", ") : "", item);
			if (w < 0 || (size_t)w >= n - o)
				break;
			o += (size_t)w;
		}
	} else {
		plain_value(r, fact, v, -1, out, n);
	}
}

/*
 * What a rule expects, in words, from a result's "expected" ("op value",
 * as tsam-check writes it) and the fact it tested. Comparisons read as
 * sentences (px_<op>; update and scan times and ends of support with
 * their own verbs); what cannot be said from the operator alone (a
 * pattern, a condition on a list's items, a yes-or-no fact) reads as the
 * rule's title, which states the passing condition.
 */
void tsam_render_plain_expected(const struct tsam_render *r, json_object *rule,
				const char *fact, const char *expected,
				char *out, size_t n)
{
	static const char *const simple[] = {
	    "le",     "lt",	    "ge",	  "gt",		"ne",
	    "in",     "version_ge", "version_gt", "version_le", "version_lt",
	    "age_gt", "until_le",   "count_ge",	  "count_le",	NULL};
	const char *title = tsam_json_str(get(rule, "title"), r->in->lang);
	char op[32], key[48], val[256];
	const char *sp = expected ? strchr(expected, ' ') : NULL;
	json_object *v = NULL;
	const char *kv[2] = {"v", val};
	size_t i, ol;
	bool bool_eq;

	if (title == NULL)
		title = "-";
	if (expected == NULL || sp == NULL) { /* exists, any, all, none */
		snprintf(out, n, "%s", title);
		return;
	}
	ol = (size_t)(sp - expected);
	if (ol >= sizeof(op) ||
	    tsam_json_parse(sp + 1, strlen(sp + 1), "expected", &v, NULL) !=
		TSAM_OK) {
		snprintf(out, n, "%s", title);
		return;
	}
	snprintf(op, sizeof(op), "%.*s", (int)ol, expected);
	bool_eq = (strcmp(op, "eq") == 0 || strcmp(op, "ne") == 0) &&
		  json_object_is_type(v, json_type_boolean);
	if (strcmp(op, "matches") == 0 || bool_eq || fact == NULL) {
		snprintf(out, n, "%s", title);
	} else if (strcmp(op, "age_le") == 0) {
		/* the verb the fact needs: an update, a completed scan */
		snprintf(key, sizeof(key), "px_age_le%s",
			 strstr(fact, "update") ? "_update"
			 : strstr(fact, "scan") || strstr(fact, "completed")
			     ? "_scan"
			     : "");
		plain_operand(r, fact, op, v, val, sizeof(val));
		tsam_render_subst(msg(r, key), kv, 2, out, n);
	} else if (strcmp(op, "until_gt") == 0) {
		/* an end of support, or any time that must still be ahead;
		 * "_0": not yet reached at all */
		snprintf(
		    key, sizeof(key), "px_until_gt%s%s",
		    strstr(fact, "end_of_support") ? "_support" : "",
		    json_object_is_type(v, json_type_string) &&
			    tsam_duration_parse(json_object_get_string(v)) == 0
			? "_0"
			: "");
		plain_operand(r, fact, op, v, val, sizeof(val));
		tsam_render_subst(msg(r, key), kv, 2, out, n);
	} else {
		for (i = 0; simple[i] && strcmp(simple[i], op) != 0; i++)
			;
		snprintf(key, sizeof(key), "px_%s", simple[i] ? op : "eq");
		plain_operand(r, fact, op, v, val, sizeof(val));
		tsam_render_subst(msg(r, key), kv, 2, out, n);
	}
	json_object_put(v);
}
