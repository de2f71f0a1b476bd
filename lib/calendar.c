/*
 * calendar.c - calendar files, their expansion into working intervals, and
 * business-time arithmetic over prefix sums.
 *
 * Size: one file because the calendar's interval list, its prefix sums and
 * the arithmetic over them are one data structure; split, every part would
 * reach into the others' representation.
 */
#include "calendar.h"

#include "buf.h"
#include "date.h"
#include "fsio.h"
#include "holidays.h"
#include "json.h"
#include "str.h"
#include "tz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAL_MAX_FILE	 (4 * 1024 * 1024)
#define CAL_MAX_RANGES	 4     /* working periods per weekday */
#define CAL_MAX_CLOSURES 16    /* yearly ranges */
#define CAL_MAX_DATES	 10000 /* days off from "dates" and "dates_file" */
#define CAL_MAX_NAME	 128   /* bytes of a holiday's name */
#define CAL_MAX_KEY	 64    /* of a key quoted in a message */

struct range {
	int32_t from, to; /* seconds after local midnight, to <= 86400 */
};

struct hday {
	int64_t day;
	size_t seq;	  /* order added: the first name of a day wins */
	const char *name; /* static (rule sets) or in tsam_cal.names */
};

struct tsam_cal {
	char name[64];
	bool wall;			      /* 24x7 */
	struct tsam_tz *tz;		      /* NULL: UTC (24x7 only) */
	struct range week[7][CAL_MAX_RANGES]; /* [0] Sunday */
	int nweek[7];
	int64_t day_secs;
	struct hday *hol; /* sorted by day */
	size_t nhol, caphol;
	char **names; /* owned names of closures and dates, one copy each */
	size_t nnames, capnames;
	size_t ndates; /* days added from "dates" and "dates_file" */
	int64_t *start, *end, *cum; /* working intervals, UTC */
	size_t n;
	/* day_first[k]: the first interval starting at or after the UTC
	 * midnight k days after day0 (so lookups start next to their day) */
	uint32_t *day_first;
	int64_t day0;
	size_t ndays;
};

void tsam_cal_free(struct tsam_cal *cal)
{
	size_t i;

	if (cal == NULL)
		return;
	tsam_tz_free(cal->tz);
	for (i = 0; i < cal->nnames; i++)
		free(cal->names[i]);
	free(cal->names);
	free(cal->hol);
	free(cal->start);
	free(cal->end);
	free(cal->cum);
	free(cal->day_first);
	free(cal);
}

const char *tsam_cal_name(const struct tsam_cal *cal)
{
	return cal->name;
}

const char *tsam_cal_zone(const struct tsam_cal *cal)
{
	return cal->tz == NULL ? "UTC" : tsam_tz_name(cal->tz);
}

bool tsam_cal_is_24x7(const struct tsam_cal *cal)
{
	return cal->wall;
}

int64_t tsam_cal_day_seconds(const struct tsam_cal *cal)
{
	return cal->day_secs;
}

int32_t tsam_cal_offset(const struct tsam_cal *cal, int64_t t)
{
	return cal->tz == NULL ? 0 : tsam_tz_offset(cal->tz, t);
}

int64_t tsam_cal_to_utc(const struct tsam_cal *cal, int64_t local)
{
	return cal->tz == NULL ? local : tsam_tz_to_utc(cal->tz, local);
}

/* Index of the last interval starting at or before t, or -1: from the
 * day index, a step or two back over that day's intervals. */
static long find_start(const struct tsam_cal *cal, int64_t t)
{
	int64_t k;
	long i;

	if (cal->n == 0 || t < cal->start[0])
		return -1;
	k = (t - cal->day0 * 86400) / 86400 + 1; /* t >= start[0] >= day0 */
	if (k < 0)
		k = 0;
	i = k >= (int64_t)cal->ndays ? (long)cal->n - 1
				     : (long)cal->day_first[k] - 1;
	while (i >= 0 && cal->start[i] > t)
		i--;
	return i;
}

/* Business seconds from the first interval up to t. */
static int64_t cum_at(const struct tsam_cal *cal, int64_t t)
{
	long i = find_start(cal, t);

	if (i < 0)
		return 0;
	return cal->cum[i] + (t < cal->end[i] ? t : cal->end[i]) -
	       cal->start[i];
}

int64_t tsam_cal_seconds(const struct tsam_cal *cal, int64_t a, int64_t b)
{
	if (b <= a)
		return 0;
	if (cal->wall)
		return b - a;
	return cum_at(cal, b) - cum_at(cal, a);
}

int64_t tsam_cal_add(const struct tsam_cal *cal, int64_t t, int64_t secs)
{
	int64_t target;
	size_t lo = 0, hi;

	if (secs <= 0)
		return t;
	if (cal->wall)
		return secs > INT64_MAX - t ? INT64_MAX : t + secs;
	target = cum_at(cal, t) + secs;
	/* the first interval whose end reaches target: galloping from t's
	 * own (deadlines are near), then halving */
	{
		long i = find_start(cal, t);
		size_t step = 1;

		lo = i < 0 ? 0 : (size_t)i;
		hi = cal->n;
		while (lo + step < cal->n &&
		       cal->cum[lo + step] +
			       (cal->end[lo + step] - cal->start[lo + step]) <
			   target) {
			lo += step;
			step *= 2;
		}
		if (lo + step < hi)
			hi = lo + step + 1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->cum[mid] + (cal->end[mid] - cal->start[mid]) < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == cal->n)
		return INT64_MAX;
	return cal->start[lo] + (target - cal->cum[lo]);
}

bool tsam_cal_is_open(const struct tsam_cal *cal, int64_t t)
{
	long i;

	if (cal->wall)
		return true;
	i = find_start(cal, t);
	return i >= 0 && t < cal->end[i];
}

static const struct hday *find_hol(const struct tsam_cal *cal, int64_t day)
{
	size_t lo = 0, hi = cal->nhol;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->hol[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cal->nhol && cal->hol[lo].day == day ? &cal->hol[lo] : NULL;
}

const char *tsam_cal_holiday(const struct tsam_cal *cal, int y, int m, int d)
{
	const struct hday *h;

	h = find_hol(cal, tsam_days_from_civil(y, m, d));
	return h ? h->name : NULL;
}

/* A copy of name owned by cal (for the days of a closure or a date). */
static const char *keep_name(struct tsam_cal *cal, const char *name)
{
	char *copy;

	if (tsam_grow(&cal->names, &cal->capnames, cal->nnames + 1,
		      sizeof(*cal->names)) != TSAM_OK ||
	    (copy = strdup(name)) == NULL)
		return NULL;
	cal->names[cal->nnames++] = copy;
	return copy;
}

/* Adds a day off; name is static or kept by keep_name. */
static int add_hol(struct tsam_cal *cal, int64_t day, const char *name)
{
	if (tsam_grow(&cal->hol, &cal->caphol, cal->nhol + 1,
		      sizeof(*cal->hol)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	cal->hol[cal->nhol].day = day;
	cal->hol[cal->nhol].seq = cal->nhol;
	cal->hol[cal->nhol].name = name;
	cal->nhol++;
	return TSAM_OK;
}

static int cmp_hol(const void *a, const void *b)
{
	const struct hday *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/* Sorts and drops duplicate days, keeping the first name given. */
static void uniq_hol(struct tsam_cal *cal)
{
	size_t i, k = 0;

	if (cal->nhol < 2)
		return; /* (hol is NULL without holidays: no qsort) */
	qsort(cal->hol, cal->nhol, sizeof(*cal->hol), cmp_hol);
	for (i = 0; i < cal->nhol; i++)
		if (k == 0 || cal->hol[k - 1].day != cal->hol[i].day)
			cal->hol[k++] = cal->hol[i];
	cal->nhol = k;
}

/* "HH:MM" -> seconds; 24:00 allowed as an end. */
static bool parse_hm(const char *s, size_t n, int32_t *out)
{
	struct tsam_datetime dt;

	if (n == 5 && memcmp(s, "24:00", 5) == 0) {
		*out = 86400;
		return true;
	}
	if (n != 5 || s[2] != ':' || !tsam_datetime_parse(s, n, "%H:%M", &dt))
		return false;
	*out = dt.h * 3600 + dt.mi * 60;
	return true;
}

static int parse_range(struct tsam_cal *cal, int wd, const char *s,
		       const char *path, const char *key,
		       struct tsam_errbuf *eb)
{
	const char *dash = strchr(s, '-');
	struct range r;

	if (dash == NULL || !parse_hm(s, (size_t)(dash - s), &r.from) ||
	    !parse_hm(dash + 1, strlen(dash + 1), &r.to) || r.to <= r.from)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: hours.%s: \"%s\" is not HH:MM-HH:MM "
		    "with the end after the start",
		    path, key, s);
	if (cal->nweek[wd] == CAL_MAX_RANGES ||
	    (cal->nweek[wd] > 0 &&
	     cal->week[wd][cal->nweek[wd] - 1].to > r.from))
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: hours.%s: periods must be ascending, "
		    "not overlapping, at most %d",
		    path, key, CAL_MAX_RANGES);
	cal->week[wd][cal->nweek[wd]++] = r;
	return TSAM_OK;
}

static int parse_hours(struct tsam_cal *cal, json_object *hours,
		       const char *path, struct tsam_errbuf *eb)
{
	static const char *days[] = {"sun", "mon", "tue", "wed",
				     "thu", "fri", "sat"};
	char where[96];
	const char *r;
	int wd, rc;

	if ((rc = tsam_json_want_object(hours, path, "hours", eb)) != TSAM_OK)
		return rc;
	json_object_object_foreach(hours, key, val)
	{
		size_t i, n = 1;

		rc = TSAM_OK;
		for (wd = 0; wd < 7 && strcmp(days[wd], key) != 0; wd++)
			;
		if (wd == 7)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: hours: unknown weekday "
					       "\"%.*s\" (sun..sat)",
					       path, CAL_MAX_KEY, key);
		if (val == NULL)
			continue;
		snprintf(where, sizeof(where), "hours.%s", key);
		if (json_object_is_type(val, json_type_array)) {
			rc = tsam_json_want_array(val, CAL_MAX_RANGES, path,
						  where, eb);
			n = json_object_array_length(val);
		} else if (!json_object_is_type(val, json_type_string)) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: %s: must be a period "
					     "\"HH:MM-HH:MM\", a list of them, "
					     "or null",
					     path, where);
		}
		for (i = 0; rc == TSAM_OK && i < n; i++) {
			json_object *v =
			    json_object_is_type(val, json_type_array)
				? json_object_array_get_idx(val, i)
				: val;

			if (v != val)
				snprintf(where, sizeof(where), "hours.%s[%zu]",
					 key, i);
			rc = tsam_json_want_str(v, 1, 16, path, where, &r, eb);
			if (rc == TSAM_OK)
				rc = parse_range(cal, wd, r, path, key, eb);
		}
		if (rc != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}

/* Reads the name member of a closure or date (default dflt) into *out,
 * kept by cal. */
static int day_name(struct tsam_cal *cal, json_object *obj, const char *dflt,
		    const char *path, const char *where, const char **out,
		    struct tsam_errbuf *eb)
{
	char key[96];
	json_object *v;
	const char *name = dflt;
	int rc;

	if (json_object_object_get_ex(obj, "name", &v)) {
		snprintf(key, sizeof(key), "%s.name", where);
		rc = tsam_json_want_str(v, 0, CAL_MAX_NAME, path, key, &name,
					eb);
		if (rc != TSAM_OK)
			return rc;
		if (name[0] == '\0')
			name = dflt;
	}
	if ((*out = keep_name(cal, name)) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	return TSAM_OK;
}

/* Checks obj (closures[i] or dates[i]) is an object of only names, and
 * reads its member key as a string into *out. */
static int day_member(json_object *obj, const char *const *names,
		      const char *key, const char *path, const char *where,
		      const char **out, struct tsam_errbuf *eb)
{
	char loc[1200];
	json_object *v = NULL;
	int rc;

	snprintf(loc, sizeof(loc), "%s: %s", path, where);
	if ((rc = tsam_json_want_object(obj, path, where, eb)) != TSAM_OK ||
	    (rc = tsam_json_known_members(obj, names, loc, eb)) != TSAM_OK)
		return rc;
	snprintf(loc, sizeof(loc), "%s.%s", where, key);
	json_object_object_get_ex(obj, key, &v);
	return tsam_json_want_str(v, 1, 32, path, loc, out, eb);
}

/* Adds the closure "MM-DD".."MM-DD" (may wrap the year) to every year. */
static int add_closure(struct tsam_cal *cal, json_object *c, size_t idx,
		       const char *path, struct tsam_errbuf *eb)
{
	static const char *const members[] = {"from", "to", "name", NULL};
	const char *from, *to, *name;
	struct tsam_datetime a, b;
	char where[64];
	int y, rc;

	snprintf(where, sizeof(where), "closures[%zu]", idx);
	if ((rc = day_member(c, members, "from", path, where, &from, eb)) !=
		TSAM_OK ||
	    (rc = day_member(c, members, "to", path, where, &to, eb)) !=
		TSAM_OK)
		return rc;
	if (!tsam_datetime_parse(from, strlen(from), "%m-%d", &a) ||
	    !tsam_datetime_parse(to, strlen(to), "%m-%d", &b))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: \"from\" and \"to\" must be "
				       "MM-DD",
				       path, where);
	if ((rc = day_name(cal, c, "closure", path, where, &name, eb)) !=
	    TSAM_OK)
		return rc;
	for (y = TSAM_CAL_FIRST_YEAR - 1; y <= TSAM_CAL_LAST_YEAR; y++) {
		int64_t d = tsam_days_from_civil(y, a.mo, a.d);
		int64_t e = tsam_days_from_civil(
		    y + ((b.mo * 100 + b.d) < (a.mo * 100 + a.d)), b.mo, b.d);

		for (; d <= e; d++)
			if (add_hol(cal, d, name) != TSAM_OK)
				return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
						       "out of memory");
	}
	return TSAM_OK;
}

/* Adds the day off date ("YYYY-MM-DD") named name (kept by cal); where
 * ("FILE: dates[3]", "FILE:12") starts the error. */
static int add_date(struct tsam_cal *cal, const char *date, const char *name,
		    const char *where, struct tsam_errbuf *eb)
{
	struct tsam_datetime dt;

	if (!tsam_datetime_parse(date, strlen(date), "%Y-%m-%d", &dt))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: not a date YYYY-MM-DD", where);
	if (++cal->ndates > CAL_MAX_DATES)
		return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
				       "%s: more than %d dates in all", where,
				       CAL_MAX_DATES);
	if (add_hol(cal, tsam_days_from_civil(dt.y, dt.mo, dt.d), name) !=
	    TSAM_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	return TSAM_OK;
}

/* The dates file named file in the calendar's directory: a relative
 * path without "..". */
static int dates_file_path(const char *calpath, json_object *v, char *out,
			   size_t n, struct tsam_errbuf *eb)
{
	const char *slash = strrchr(calpath, '/'), *file, *p;
	int rc =
	    tsam_json_want_str(v, 1, 255, calpath, "dates_file", &file, eb);

	if (rc != TSAM_OK)
		return rc;
	for (p = file; *p != '\0'; p += strcspn(p, "/"), p += *p == '/')
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			break;
	if (file[0] == '/' || *p != '\0')
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: dates_file: must be a path relative "
		    "to the calendar's directory, without "
		    "\"..\"",
		    calpath);
	if (slash == NULL)
		snprintf(out, n, "%s", file);
	else
		snprintf(out, n, "%.*s/%s", (int)(slash - calpath), calpath,
			 file);
	return TSAM_OK;
}

/* A dates file: "YYYY-MM-DD name" per line, # comments. */
static int load_dates_file(struct tsam_cal *cal, const char *calpath,
			   const char *path, struct tsam_errbuf *eb)
{
	char where[1200];
	struct tsam_buf b;
	struct tsam_cur c, line;
	int rc = TSAM_OK, lineno = 0;

	tsam_buf_init(&b, CAL_MAX_FILE);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc != TSAM_OK) {
		tsam_buf_free(&b);
		return tsam_errbuf_set(eb, rc, "%s: dates_file: %s", calpath,
				       tsam_errbuf_str(eb, rc));
	}
	c = tsam_cur_make(b.data, b.len);
	while (rc == TSAM_OK && tsam_cur_getline(&c, &line)) {
		struct tsam_cur date;
		const char *name = "holiday";
		char *ds, *ns = NULL;

		lineno++;
		tsam_cur_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		if (!tsam_cur_token(&line, &date))
			continue;
		tsam_cur_trim(&line);
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (line.n > CAL_MAX_NAME || !tsam_utf8_valid(line.p, line.n)) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: the name must be at most %d "
					     "bytes of UTF-8",
					     where, CAL_MAX_NAME);
			break;
		}
		ds = tsam_cur_dup(date);
		if (line.n > 0) {
			ns = tsam_cur_dup(line);
			name = ns ? keep_name(cal, ns) : NULL;
		}
		rc = ds && name
			 ? add_date(cal, ds, name, where, eb)
			 : tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		free(ds);
		free(ns);
	}
	tsam_buf_free(&b);
	return rc;
}

/* Fills cal->day_first for the days d0..d1 + 1. */
static int day_index(struct tsam_cal *cal, int64_t d0, int64_t d1)
{
	size_t k, i = 0;

	cal->day0 = d0;
	cal->ndays = (size_t)(d1 - d0) + 2;
	cal->day_first = malloc(cal->ndays * sizeof(*cal->day_first));
	if (cal->day_first == NULL)
		return TSAM_ERR_NOMEM;
	for (k = 0; k < cal->ndays; k++) {
		int64_t b = (d0 + (int64_t)k) * 86400;

		while (i < cal->n && cal->start[i] < b)
			i++;
		cal->day_first[k] = (uint32_t)i;
	}
	return TSAM_OK;
}

/* Expands the week, minus holidays, into UTC intervals with prefix sums. */
static int expand(struct tsam_cal *cal)
{
	int64_t d0 = tsam_days_from_civil(TSAM_CAL_FIRST_YEAR, 1, 1) - 1;
	int64_t d1 = tsam_days_from_civil(TSAM_CAL_LAST_YEAR + 1, 1, 1) + 1;
	size_t cap = (size_t)(d1 - d0) * 2 + 16, hi = 0;
	int64_t d, sum = 0;

	while (hi < cal->nhol && cal->hol[hi].day < d0)
		hi++;
	cal->start = malloc(cap * sizeof(int64_t));
	cal->end = malloc(cap * sizeof(int64_t));
	cal->cum = malloc(cap * sizeof(int64_t));
	if (!cal->start || !cal->end || !cal->cum)
		return TSAM_ERR_NOMEM;
	for (d = d0; d <= d1; d++) {
		int wd = tsam_weekday(d), k;

		while (hi < cal->nhol && cal->hol[hi].day < d)
			hi++;
		if (hi < cal->nhol && cal->hol[hi].day == d)
			continue;
		for (k = 0; k < cal->nweek[wd]; k++) {
			int64_t s = tsam_tz_to_utc(
			    cal->tz, d * 86400 + cal->week[wd][k].from);
			int64_t e = tsam_tz_to_utc(
			    cal->tz, d * 86400 + cal->week[wd][k].to);

			if (cal->n > 0 && s < cal->end[cal->n - 1])
				s = cal->end[cal->n - 1];
			if (e <= s)
				continue;
			if (cal->n > 0 && s == cal->end[cal->n - 1]) {
				cal->end[cal->n - 1] = e; /* 24:00 + 00:00 */
			} else {
				if (cal->n == cap)
					return TSAM_ERR_INTERNAL;
				cal->start[cal->n] = s;
				cal->end[cal->n] = e;
				cal->cum[cal->n] = sum;
				cal->n++;
			}
			sum += e - s;
		}
	}
	return day_index(cal, d0, d1);
}

/* The calendar's name: "name", else the file's base name (cut to fit,
 * on a character boundary). */
static int cal_name(struct tsam_cal *cal, json_object *doc, const char *path,
		    struct tsam_errbuf *eb)
{
	const char *name, *slash = strrchr(path, '/');
	json_object *v;
	size_t n;
	int rc;

	if (json_object_object_get_ex(doc, "name", &v)) {
		rc = tsam_json_want_str(v, 1, sizeof(cal->name) - 1, path,
					"name", &name, eb);
		if (rc == TSAM_OK)
			tsam_strlcpy(cal->name, name, sizeof(cal->name));
		return rc;
	}
	name = slash ? slash + 1 : path;
	n = strlen(name);
	if (n > 5 && strcmp(name + n - 5, ".json") == 0)
		n -= 5;
	if (n > sizeof(cal->name) - 1)
		n = sizeof(cal->name) - 1;
	while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
		n--; /* name[n], the first byte cut, continues a character */
	if (n == 0 || !tsam_utf8_valid(name, n)) {
		name = "calendar";
		n = strlen(name);
	}
	memcpy(cal->name, name, n);
	cal->name[n] = '\0';
	return TSAM_OK;
}

/* Validates the calendar document doc (read from path) into cal. */
static int cal_build(struct tsam_cal *cal, json_object *doc, const char *path,
		     const char *zoneinfo, struct tsam_errbuf *eb)
{
	static const char *const known[] = {
	    "name",  "zone",	   "hours",	"holidays", "closures",
	    "dates", "dates_file", "day_hours", "comment",  NULL};
	static const char *const date_members[] = {"date", "name", NULL};
	enum tsam_holiday_set hs = TSAM_HOLIDAYS_NONE;
	char where[64], file[1024];
	json_object *v = NULL;
	const char *s;
	double h;
	int y, rc, wd;
	size_t i;

	if ((rc = tsam_json_known_members(doc, known, path, eb)) != TSAM_OK ||
	    (rc = cal_name(cal, doc, path, eb)) != TSAM_OK)
		return rc;
	if (json_object_object_get_ex(doc, "comment", &v) &&
	    (rc = tsam_json_want_str(v, 0, SIZE_MAX, path, "comment", &s,
				     eb)) != TSAM_OK)
		return rc;
	v = NULL;
	json_object_object_get_ex(doc, "zone", &v);
	if ((rc = tsam_json_want_str(v, 1, TSAM_TZ_MAX_NAME, path, "zone", &s,
				     eb)) != TSAM_OK)
		return rc;
	rc = tsam_tz_load(zoneinfo, s, &cal->tz, eb);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "%s: zone: %s", path,
				       tsam_errbuf_str(eb, rc));
	v = NULL;
	json_object_object_get_ex(doc, "hours", &v);
	if ((rc = parse_hours(cal, v, path, eb)) != TSAM_OK)
		return rc;
	if (json_object_object_get_ex(doc, "holidays", &v)) {
		if ((rc = tsam_json_want_str(v, 1, 16, path, "holidays", &s,
					     eb)) != TSAM_OK)
			return rc;
		if (tsam_holiday_set_parse(s, &hs) != 0)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: holidays: unknown set "
					       "\"%s\" (jp, uk-ew, us, none)",
					       path, s);
	}
	for (y = TSAM_CAL_FIRST_YEAR; y <= TSAM_CAL_LAST_YEAR; y++) {
		struct tsam_holiday hd[TSAM_HOLIDAYS_MAX];
		size_t n = tsam_holidays_year(hs, y, hd);

		for (i = 0; i < n; i++)
			if (add_hol(cal, hd[i].day, hd[i].name) != TSAM_OK)
				return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
						       "out of memory");
	}
	if (json_object_object_get_ex(doc, "closures", &v)) {
		if ((rc = tsam_json_want_array(v, CAL_MAX_CLOSURES, path,
					       "closures", eb)) != TSAM_OK)
			return rc;
		for (i = 0; i < json_object_array_length(v); i++)
			if ((rc = add_closure(cal,
					      json_object_array_get_idx(v, i),
					      i, path, eb)) != TSAM_OK)
				return rc;
	}
	if (json_object_object_get_ex(doc, "dates", &v)) {
		char loc[1100];

		if ((rc = tsam_json_want_array(v, CAL_MAX_DATES, path, "dates",
					       eb)) != TSAM_OK)
			return rc;
		for (i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);
			const char *name;

			snprintf(where, sizeof(where), "dates[%zu]", i);
			snprintf(loc, sizeof(loc), "%s: %s", path, where);
			if ((rc = day_member(e, date_members, "date", path,
					     where, &s, eb)) != TSAM_OK ||
			    (rc = day_name(cal, e, "holiday", path, where,
					   &name, eb)) != TSAM_OK ||
			    (rc = add_date(cal, s, name, loc, eb)) != TSAM_OK)
				return rc;
		}
	}
	if (json_object_object_get_ex(doc, "dates_file", &v) &&
	    ((rc = dates_file_path(path, v, file, sizeof(file), eb)) !=
		 TSAM_OK ||
	     (rc = load_dates_file(cal, path, file, eb)) != TSAM_OK))
		return rc;
	uniq_hol(cal);
	/* one business day: day_hours, else Monday's (or the first working
	 * day's) working time */
	if (json_object_object_get_ex(doc, "day_hours", &v)) {
		if ((rc = tsam_json_want_num(v, 0.25, 24, path, "day_hours", &h,
					     eb)) != TSAM_OK)
			return rc;
		cal->day_secs = (int64_t)llround(h * 3600);
	}
	for (wd = 0; cal->day_secs == 0 && wd < 7; wd++) {
		int64_t secs = 0;
		int k, w = (wd + 1) % 7; /* Monday first */

		for (k = 0; k < cal->nweek[w]; k++)
			secs += cal->week[w][k].to - cal->week[w][k].from;
		cal->day_secs = secs;
	}
	if (cal->day_secs == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: hours: no working hours on any day",
				       path);
	rc = expand(cal);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "%s: %s", path,
				       tsam_strerror(rc));
	if (cal->n == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: no working time left from %d to %d "
				       "(every working day is a holiday or "
				       "closure)",
				       path, TSAM_CAL_FIRST_YEAR,
				       TSAM_CAL_LAST_YEAR);
	return TSAM_OK;
}

enum tsam_err tsam_cal_load(const char *path, const char *zoneinfo,
			    struct tsam_cal **out, struct tsam_errbuf *eb)
{
	struct tsam_cal *cal;
	json_object *doc;
	int rc;

	*out = NULL;
	rc = tsam_json_load_object(path, CAL_MAX_FILE, &doc, eb);
	if (rc != TSAM_OK)
		return rc;
	cal = calloc(1, sizeof(*cal));
	if (cal == NULL) {
		json_object_put(doc);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	rc = cal_build(cal, doc, path, zoneinfo, eb);
	json_object_put(doc);
	if (rc != TSAM_OK) {
		tsam_cal_free(cal);
		return rc;
	}
	*out = cal;
	return TSAM_OK;
}

enum tsam_err tsam_cal_wall(const char *zone, const char *zoneinfo,
			    struct tsam_cal **out, struct tsam_errbuf *eb)
{
	struct tsam_cal *cal = calloc(1, sizeof(*cal));
	int rc;

	*out = NULL;
	if (cal == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	tsam_strlcpy(cal->name, "24x7", sizeof(cal->name));
	cal->wall = true;
	cal->day_secs = 86400;
	if (zone != NULL &&
	    (rc = tsam_tz_load(zoneinfo, zone, &cal->tz, eb)) != TSAM_OK) {
		free(cal);
		return rc;
	}
	*out = cal;
	return TSAM_OK;
}

enum tsam_err tsam_cal_named(const char *datadir, const char *name,
			     struct tsam_cal **out, struct tsam_errbuf *eb)
{
	char path[1024];
	size_t n = strlen(name);

	*out = NULL;
	if (strcmp(name, "24x7") == 0)
		return tsam_cal_wall(NULL, NULL, out, eb);
	if (strchr(name, '/') != NULL ||
	    (n > 5 && strcmp(name + n - 5, ".json") == 0))
		return tsam_cal_load(name, NULL, out, eb);
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "bad calendar name \"%s\"", name);
	snprintf(path, sizeof(path), "%s/sla/calendars/%s.json", datadir, name);
	return tsam_cal_load(path, NULL, out, eb);
}
