/*
 * calendar.c - calendar files, their expansion into working intervals, and
 * business-time arithmetic over prefix sums.
 */
#include "calendar.h"

#include "buf.h"
#include "date.h"
#include "fsio.h"
#include "holidays.h"
#include "json.h"
#include "str.h"
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAL_MAX_FILE   (4 * 1024 * 1024)
#define CAL_MAX_RANGES 4 /* working periods per weekday */

struct range {
	int32_t from, to; /* seconds after local midnight, to <= 86400 */
};

struct hday {
	int64_t day;
	size_t seq; /* order added: the first name of a day wins */
	char *name; /* owned */
};

struct tsam_cal {
	char name[64];
	bool wall; /* 24x7 */
	struct tsam_tz *tz;
	struct range week[7][CAL_MAX_RANGES]; /* [0] Sunday */
	int nweek[7];
	int64_t day_secs;
	struct hday *hol; /* sorted by day */
	size_t nhol, caphol;
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
	for (i = 0; i < cal->nhol; i++)
		free(cal->hol[i].name);
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
	return cal->wall ? "UTC" : tsam_tz_name(cal->tz);
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
	return cal->wall ? 0 : tsam_tz_offset(cal->tz, t);
}

int64_t tsam_cal_to_utc(const struct tsam_cal *cal, int64_t local)
{
	return cal->wall ? local : tsam_tz_to_utc(cal->tz, local);
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

static int add_hol(struct tsam_cal *cal, int64_t day, const char *name)
{
	char *copy;

	if (tsam_grow(&cal->hol, &cal->caphol, cal->nhol + 1,
		      sizeof(*cal->hol)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	copy = strdup(name);
	if (copy == NULL)
		return TSAM_ERR_NOMEM;
	cal->hol[cal->nhol].day = day;
	cal->hol[cal->nhol].seq = cal->nhol;
	cal->hol[cal->nhol].name = copy;
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

	qsort(cal->hol, cal->nhol, sizeof(*cal->hol), cmp_hol);
	for (i = 0; i < cal->nhol; i++) {
		if (k > 0 && cal->hol[k - 1].day == cal->hol[i].day) {
			free(cal->hol[i].name);
			continue;
		}
		cal->hol[k++] = cal->hol[i];
	}
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
	int wd, rc;

	if (!json_object_is_type(hours, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"hours\" must be an object of "
				       "weekday -> periods",
				       path);
	json_object_object_foreach(hours, key, val)
	{
		for (wd = 0; wd < 7 && strcmp(days[wd], key) != 0; wd++)
			;
		if (wd == 7)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: hours: unknown weekday "
					       "\"%s\" (sun..sat)",
					       path, key);
		if (val == NULL)
			continue;
		if (json_object_is_type(val, json_type_string)) {
			rc = parse_range(cal, wd, json_object_get_string(val),
					 path, key, eb);
			if (rc != TSAM_OK)
				return rc;
		} else if (json_object_is_type(val, json_type_array)) {
			size_t i;

			for (i = 0; i < json_object_array_length(val); i++) {
				json_object *r =
				    json_object_array_get_idx(val, i);

				if (!json_object_is_type(r, json_type_string))
					return tsam_errbuf_set(
					    eb, TSAM_ERR_PARSE,
					    "%s: hours.%s[%zu]: not a string",
					    path, key, i);
				rc = parse_range(cal, wd,
						 json_object_get_string(r),
						 path, key, eb);
				if (rc != TSAM_OK)
					return rc;
			}
		} else
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: hours.%s: a period string, "
					       "a list of them, or null",
					       path, key);
	}
	return TSAM_OK;
}

/* Adds the closure "MM-DD".."MM-DD" (may wrap the year) to every year. */
static int add_closure(struct tsam_cal *cal, json_object *c, size_t idx,
		       const char *path, struct tsam_errbuf *eb)
{
	const char *from = tsam_json_str(c, "from");
	const char *to = tsam_json_str(c, "to");
	const char *name = tsam_json_str(c, "name");
	struct tsam_datetime a, b;
	int y;

	if (from == NULL || to == NULL ||
	    !tsam_datetime_parse(from, strlen(from), "%m-%d", &a) ||
	    !tsam_datetime_parse(to, strlen(to), "%m-%d", &b))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: closures[%zu]: \"from\" and \"to\" "
				       "must be MM-DD",
				       path, idx);
	for (y = TSAM_CAL_FIRST_YEAR - 1; y <= TSAM_CAL_LAST_YEAR; y++) {
		int64_t d = tsam_days_from_civil(y, a.mo, a.d);
		int64_t e = tsam_days_from_civil(
		    y + ((b.mo * 100 + b.d) < (a.mo * 100 + a.d)), b.mo, b.d);

		for (; d <= e; d++)
			if (add_hol(cal, d, name ? name : "closure") != TSAM_OK)
				return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
						       "out of memory");
	}
	return TSAM_OK;
}

static int add_date(struct tsam_cal *cal, const char *date, const char *name,
		    const char *where, struct tsam_errbuf *eb)
{
	struct tsam_datetime dt;

	if (date == NULL ||
	    !tsam_datetime_parse(date, strlen(date), "%Y-%m-%d", &dt))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: not a date YYYY-MM-DD", where);
	if (add_hol(cal, tsam_days_from_civil(dt.y, dt.mo, dt.d),
		    name && *name ? name : "holiday") != TSAM_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	return TSAM_OK;
}

/* A dates file: "YYYY-MM-DD name" per line, # comments. */
static int load_dates_file(struct tsam_cal *cal, const char *calpath,
			   const char *file, struct tsam_errbuf *eb)
{
	char path[1024], where[1200];
	const char *slash = strrchr(calpath, '/');
	struct tsam_buf b;
	struct tsam_cur c, line;
	int rc = TSAM_OK, lineno = 0;

	if (file[0] == '/' || slash == NULL)
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - calpath),
			 calpath, file);
	tsam_buf_init(&b, CAL_MAX_FILE);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc != TSAM_OK) {
		tsam_buf_free(&b);
		return rc;
	}
	c = tsam_cur_make(b.data, b.len);
	while (rc == TSAM_OK && tsam_cur_getline(&c, &line)) {
		struct tsam_cur date;
		char *ds, *name;

		lineno++;
		tsam_cur_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		if (!tsam_cur_token(&line, &date))
			continue;
		tsam_cur_trim(&line);
		ds = tsam_cur_dup(date);
		name = tsam_cur_dup(line);
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		rc = ds && name ? add_date(cal, ds, name, where, eb)
				: TSAM_ERR_NOMEM;
		free(ds);
		free(name);
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

static int cal_build(struct tsam_cal *cal, json_object *doc, const char *path,
		     const char *zoneinfo, struct tsam_errbuf *eb)
{
	const char *zone = tsam_json_str(doc, "zone");
	const char *set = tsam_json_str(doc, "holidays");
	const char *dates_file = tsam_json_str(doc, "dates_file");
	json_object *v;
	enum tsam_holiday_set hs = TSAM_HOLIDAYS_NONE;
	int y, rc, wd;
	size_t i;

	json_object_object_foreach(doc, key, val)
	{
		static const char *known[] = {
		    "name",  "zone",	   "hours",	"holidays", "closures",
		    "dates", "dates_file", "day_hours", "comment"};

		(void)val;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: unknown key \"%s\"", path,
					       key);
	}
	if (zone == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"zone\" (IANA name) is required",
				       path);
	rc = tsam_tz_load(zoneinfo, zone, &cal->tz, eb);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "%s: %s", path,
				       tsam_errbuf_str(eb, rc));
	if (!json_object_object_get_ex(doc, "hours", &v))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"hours\" is required", path);
	rc = parse_hours(cal, v, path, eb);
	if (rc != TSAM_OK)
		return rc;
	if (set != NULL && tsam_holiday_set_parse(set, &hs) != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: holidays: unknown set \"%s\" (jp, "
				       "uk-ew, us, none)",
				       path, set);
	for (y = TSAM_CAL_FIRST_YEAR; y <= TSAM_CAL_LAST_YEAR; y++) {
		struct tsam_holiday h[TSAM_HOLIDAYS_MAX];
		size_t n = tsam_holidays_year(hs, y, h);

		for (i = 0; i < n; i++)
			if (add_hol(cal, h[i].day, h[i].name) != TSAM_OK)
				return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
						       "out of memory");
	}
	if (json_object_object_get_ex(doc, "closures", &v)) {
		if (!json_object_is_type(v, json_type_array))
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: \"closures\" must be a list", path);
		for (i = 0; i < json_object_array_length(v); i++) {
			rc = add_closure(cal, json_object_array_get_idx(v, i),
					 i, path, eb);
			if (rc != TSAM_OK)
				return rc;
		}
	}
	if (json_object_object_get_ex(doc, "dates", &v)) {
		char where[1100];

		if (!json_object_is_type(v, json_type_array))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: \"dates\" must be a list",
					       path);
		for (i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);

			snprintf(where, sizeof(where), "%s: dates[%zu]", path,
				 i);
			rc = add_date(cal, tsam_json_str(e, "date"),
				      tsam_json_str(e, "name"), where, eb);
			if (rc != TSAM_OK)
				return rc;
		}
	}
	if (dates_file != NULL) {
		rc = load_dates_file(cal, path, dates_file, eb);
		if (rc != TSAM_OK)
			return rc;
	}
	uniq_hol(cal);
	/* one business day: day_hours, else Monday's (or the longest day's)
	 * working time */
	if (json_object_object_get_ex(doc, "day_hours", &v)) {
		double h = json_object_get_double(v);

		if (h <= 0 || h > 24)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: day_hours must be in (0, 24]", path);
		cal->day_secs = (int64_t)(h * 3600);
	}
	for (wd = 0; cal->day_secs == 0 && wd < 7; wd++) {
		int64_t s = 0;
		int k, w = (wd + 1) % 7; /* Monday first */

		for (k = 0; k < cal->nweek[w]; k++)
			s += cal->week[w][k].to - cal->week[w][k].from;
		cal->day_secs = s;
	}
	if (cal->day_secs == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: no working hours on any day", path);
	rc = expand(cal);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "%s: %s", path,
				       tsam_strerror(rc));
	return TSAM_OK;
}

int tsam_cal_load(const char *path, const char *zoneinfo, struct tsam_cal **out,
		  struct tsam_errbuf *eb)
{
	struct tsam_cal *cal;
	json_object *doc;
	const char *name;
	int rc;

	*out = NULL;
	rc = tsam_json_load(path, CAL_MAX_FILE, &doc, eb);
	if (rc != TSAM_OK)
		return rc;
	cal = calloc(1, sizeof(*cal));
	if (cal == NULL) {
		json_object_put(doc);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	name = tsam_json_str(doc, "name");
	tsam_strlcpy(cal->name, name ? name : path, sizeof(cal->name));
	rc = cal_build(cal, doc, path, zoneinfo, eb);
	json_object_put(doc);
	if (rc != TSAM_OK) {
		tsam_cal_free(cal);
		return rc;
	}
	*out = cal;
	return TSAM_OK;
}

int tsam_cal_named(const char *datadir, const char *name, struct tsam_cal **out,
		   struct tsam_errbuf *eb)
{
	char path[1024];
	size_t n = strlen(name);

	*out = NULL;
	if (strcmp(name, "24x7") == 0) {
		struct tsam_cal *cal = calloc(1, sizeof(*cal));

		if (cal == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					       "out of memory");
		tsam_strlcpy(cal->name, "24x7", sizeof(cal->name));
		cal->wall = true;
		cal->day_secs = 86400;
		*out = cal;
		return TSAM_OK;
	}
	if (strchr(name, '/') != NULL ||
	    (n > 5 && strcmp(name + n - 5, ".json") == 0))
		return tsam_cal_load(name, NULL, out, eb);
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "bad calendar name \"%s\"", name);
	snprintf(path, sizeof(path), "%s/sla/calendars/%s.json", datadir, name);
	return tsam_cal_load(path, NULL, out, eb);
}
