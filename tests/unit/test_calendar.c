/*
 * test_calendar.c - holidays against published lists, time zones across
 * DST changes (also past 2037, from the TZif footer rule), and business
 * time against hand-computed deadlines and a minute-by-minute reference.
 */
#include "scratch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "date.h"
#include "holidays.h"
#include "json.h"
#include "tz.h"

static struct tsam_cal *jp, *uk, *us, *wall;

static int64_t utc(const char *iso)
{
	struct tsam_datetime dt;

	assert_true(tsam_datetime_parse(iso, strlen(iso), "iso", &dt));
	return tsam_datetime_wall(&dt) - (dt.has_offset ? dt.offset : 0);
}

static int setup(void **state)
{
	const char *src = getenv("TSAM_SRC");
	struct tsam_errbuf eb = {""};

	(void)state;
	if (tsam_cal_named(src, "japan", &jp, &eb) != TSAM_OK ||
	    tsam_cal_named(src, "uk", &uk, &eb) != TSAM_OK ||
	    tsam_cal_named(src, "us", &us, &eb) != TSAM_OK ||
	    tsam_cal_named(src, "24x7", &wall, &eb) != TSAM_OK) {
		fprintf(stderr, "setup: %s\n", eb.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tsam_cal_free(jp);
	tsam_cal_free(uk);
	tsam_cal_free(us);
	tsam_cal_free(wall);
	return 0;
}

/* Every holiday of year y in set equals the "MM-DD" list want. */
static void expect_year(enum tsam_holiday_set set, int y, const char *want)
{
	struct tsam_holiday h[TSAM_HOLIDAYS_MAX];
	size_t n = tsam_holidays_year(set, y, h), i;
	char got[TSAM_HOLIDAYS_MAX * 6 + 1] = "";

	for (i = 0; i < n; i++) {
		int yy, m, d;
		char one[8];

		tsam_civil_from_days(h[i].day, &yy, &m, &d);
		snprintf(one, sizeof(one), "%s%02d-%02d", i ? " " : "", m, d);
		strcat(got, one); /* test code: sized above */
	}
	if (strcmp(got, want) != 0)
		fail_msg("%d: got  %s\n      want %s", y, got, want);
}

static void test_japan_published(void **state)
{
	(void)state;
	/* Cabinet Office lists (内閣府「国民の祝日について」) */
	expect_year(TSAM_HOLIDAYS_JP, 2019,
		    "01-01 01-14 02-11 03-21 04-29 04-30 05-01 05-02 05-03 "
		    "05-04 05-05 05-06 07-15 08-11 08-12 09-16 09-23 10-14 "
		    "10-22 11-03 11-04 11-23");
	expect_year(TSAM_HOLIDAYS_JP, 2020,
		    "01-01 01-13 02-11 02-23 02-24 03-20 04-29 05-03 05-04 "
		    "05-05 05-06 07-23 07-24 08-10 09-21 09-22 11-03 11-23");
	expect_year(TSAM_HOLIDAYS_JP, 2021,
		    "01-01 01-11 02-11 02-23 03-20 04-29 05-03 05-04 05-05 "
		    "07-22 07-23 08-08 08-09 09-20 09-23 11-03 11-23");
	expect_year(TSAM_HOLIDAYS_JP, 2024,
		    "01-01 01-08 02-11 02-12 02-23 03-20 04-29 05-03 05-04 "
		    "05-05 05-06 07-15 08-11 08-12 09-16 09-22 09-23 10-14 "
		    "11-03 11-04 11-23");
	expect_year(TSAM_HOLIDAYS_JP, 2025,
		    "01-01 01-13 02-11 02-23 02-24 03-20 04-29 05-03 05-04 "
		    "05-05 05-06 07-21 08-11 09-15 09-23 10-13 11-03 11-23 "
		    "11-24");
	expect_year(TSAM_HOLIDAYS_JP, 2026,
		    "01-01 01-12 02-11 02-23 03-20 04-29 05-03 05-04 05-05 "
		    "05-06 07-20 08-11 09-21 09-22 09-23 10-12 11-03 11-23");
	/* before Happy Monday; the Showa emperor's funeral */
	expect_year(
	    TSAM_HOLIDAYS_JP, 1989,
	    "01-01 01-02 01-15 01-16 02-11 02-24 03-21 04-29 05-03 05-04 "
	    "05-05 09-15 09-23 10-10 11-03 11-23 12-23");
	expect_year(TSAM_HOLIDAYS_JP, 1993,
		    "01-01 01-15 02-11 03-20 04-29 05-03 05-04 05-05 06-09 "
		    "09-15 09-23 10-10 10-11 11-03 11-23 12-23");
	/* 2009: first September citizens' holiday */
	expect_year(TSAM_HOLIDAYS_JP, 2009,
		    "01-01 01-12 02-11 03-20 04-29 05-03 05-04 05-05 05-06 "
		    "07-20 09-21 09-22 09-23 10-12 11-03 11-23 12-23");
}

static void test_uk_us_published(void **state)
{
	(void)state;
	/* gov.uk bank holidays, England and Wales */
	expect_year(TSAM_HOLIDAYS_UK_EW, 2026,
		    "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28");
	expect_year(TSAM_HOLIDAYS_UK_EW, 2022,
		    "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 "
		    "12-27");
	expect_year(TSAM_HOLIDAYS_UK_EW, 2020,
		    "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28");
	/* OPM federal holidays */
	expect_year(TSAM_HOLIDAYS_US, 2026,
		    "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-11 "
		    "11-26 12-25");
	/* 2022's New Year's Day (Saturday) is observed on 2021-12-31 */
	expect_year(TSAM_HOLIDAYS_US, 2021,
		    "01-01 01-18 02-15 05-31 06-18 07-05 09-06 10-11 11-11 "
		    "11-25 12-24 12-31");
	expect_year(TSAM_HOLIDAYS_US, 2022,
		    "01-17 02-21 05-30 06-20 07-04 09-05 10-10 11-11 11-24 "
		    "12-26");
}

static void test_holidays_names_and_range(void **state)
{
	struct tsam_holiday h[TSAM_HOLIDAYS_MAX];
	int y;

	(void)state;
	assert_string_equal(tsam_cal_holiday(jp, 2026, 9, 22), "国民の休日");
	assert_string_equal(tsam_cal_holiday(jp, 2026, 5, 6), "振替休日");
	assert_string_equal(tsam_cal_holiday(jp, 2026, 12, 30), "年末年始休業");
	assert_string_equal(tsam_cal_holiday(jp, 2027, 1, 1), "元日");
	assert_null(tsam_cal_holiday(jp, 2026, 11, 26));
	assert_int_equal(tsam_holidays_year(TSAM_HOLIDAYS_JP, 1979, h), 0);
	for (y = 1980; y <= 2099; y++) {
		size_t n = tsam_holidays_year(TSAM_HOLIDAYS_JP, y, h);

		assert_true(n >= 12 && n < TSAM_HOLIDAYS_MAX);
		n = tsam_holidays_year(TSAM_HOLIDAYS_US, y, h);
		assert_true(n >= 8 && n <= 12);
	}
}

/* Every file under zoneinfo dir/rel: a zone loads with sane offsets from
 * 1980 to 2099, anything else is refused with a message. */
static void every_zone(const char *root, const char *rel, size_t *zones)
{
	char path[1024], name[512];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct tsam_errbuf eb;
		struct tsam_tz *tz = NULL;
		struct stat st;
		int64_t t;

		if (de->d_name[0] == '.' || strcmp(de->d_name, "right") == 0)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" : "",
			 de->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			every_zone(root, name, zones);
			continue;
		}
		tsam_errbuf_clear(&eb);
		if (tsam_tz_load(root, name, &tz, &eb) != TSAM_OK) {
			if (eb.msg[0] == '\0')
				fail_msg("%s: refused without a message", name);
			continue;
		}
		(*zones)++;
		for (t = 315532800; t < 4102444800; t += 86400 * 61) {
			int32_t off = tsam_tz_offset(tz, t);
			int64_t u = tsam_tz_to_utc(tz, t);

			if (off < -26 * 3600 || off > 26 * 3600 ||
			    u < t - 30 * 3600 || u > t + 30 * 3600)
				fail_msg("%s: offset %d, %lld -> %lld", name,
					 (int)off, (long long)t, (long long)u);
		}
		tsam_tz_free(tz);
	}
	closedir(d);
}

static void test_every_system_zone(void **state)
{
	size_t zones = 0;

	(void)state;
	if (access("/usr/share/zoneinfo/UTC", R_OK) != 0)
		skip();
	every_zone("/usr/share/zoneinfo", "", &zones);
	assert_true(zones > 300);
}

static void test_tz(void **state)
{
	struct tsam_tz *ny, *lon, *tok;

	(void)state;
	assert_int_equal(tsam_tz_load(NULL, "America/New_York", &ny, NULL), 0);
	assert_int_equal(tsam_tz_load(NULL, "Europe/London", &lon, NULL), 0);
	assert_int_equal(tsam_tz_load(NULL, "Asia/Tokyo", &tok, NULL), 0);
	assert_int_equal(tsam_tz_offset(tok, utc("2026-07-01T00:00:00Z")),
			 32400);
	/* US DST 2026: 03-08 07:00Z .. 11-01 06:00Z */
	assert_int_equal(tsam_tz_offset(ny, utc("2026-03-08T06:59:59Z")),
			 -18000);
	assert_int_equal(tsam_tz_offset(ny, utc("2026-03-08T07:00:00Z")),
			 -14400);
	assert_int_equal(tsam_tz_offset(ny, utc("2026-11-01T06:00:00Z")),
			 -18000);
	/* past the fat file's transitions: the footer rule, 2050-03-13 */
	assert_int_equal(tsam_tz_offset(ny, utc("2050-03-13T06:59:59Z")),
			 -18000);
	assert_int_equal(tsam_tz_offset(ny, utc("2050-03-13T07:00:00Z")),
			 -14400);
	assert_int_equal(tsam_tz_offset(lon, utc("2026-03-29T00:59:59Z")), 0);
	assert_int_equal(tsam_tz_offset(lon, utc("2026-03-29T01:00:00Z")),
			 3600);
	assert_int_equal(tsam_tz_offset(lon, utc("2060-10-31T00:59:59Z")),
			 3600);
	assert_int_equal(tsam_tz_offset(lon, utc("2060-10-31T01:00:00Z")), 0);
	/* local -> UTC: the spring gap reads forward, autumn takes the
	 * earlier instant */
	assert_int_equal(tsam_tz_to_utc(ny, utc("2026-03-08T02:30:00Z")),
			 utc("2026-03-08T07:30:00Z"));
	assert_int_equal(tsam_tz_to_utc(ny, utc("2026-11-01T01:30:00Z")),
			 utc("2026-11-01T05:30:00Z"));
	assert_int_equal(tsam_tz_to_utc(tok, utc("2026-11-26T09:00:00Z")),
			 utc("2026-11-26T00:00:00Z"));
	tsam_tz_free(ny);
	tsam_tz_free(lon);
	tsam_tz_free(tok);
	assert_int_equal(tsam_tz_load(NULL, "../etc/passwd", &ny, NULL),
			 TSAM_ERR_INVAL);
	assert_int_not_equal(tsam_tz_load(NULL, "Mars/Olympus", &ny, NULL), 0);
}

static void expect_add(const struct tsam_cal *c, const char *from, int64_t secs,
		       const char *want)
{
	int64_t got = tsam_cal_add(c, utc(from), secs);

	if (got != utc(want)) {
		char s[32];

		tsam_json_time(s, (double)got);
		fail_msg("%s + %lld s: got %s want %s", from, (long long)secs,
			 s, want);
	}
	/* and back: the business seconds between equal secs */
	assert_int_equal(tsam_cal_seconds(c, utc(from), got), secs);
}

static void test_deadlines(void **state)
{
	int64_t day = 8 * 3600 + 1800;

	(void)state;
	assert_int_equal(tsam_cal_day_seconds(jp), day);
	/* Golden Week 2026: Fri 16:00 JST + 1 business day -> Thu 16:00 */
	expect_add(jp, "2026-05-01T16:00:00+09:00", day,
		   "2026-05-07T16:00:00+09:00");
	/* year-end closure: Mon Dec 28 17:00 + 1 h -> Mon Jan 4 09:30 */
	expect_add(jp, "2026-12-28T17:00:00+09:00", 3600,
		   "2027-01-04T09:30:00+09:00");
	/* weekend start: counts from Monday 09:00 */
	expect_add(jp, "2026-11-28T10:00:00+09:00", 7200,
		   "2026-11-30T11:00:00+09:00");
	/* silver week 2026: 9/21 敬老, 9/22 国民の休日, 9/23 秋分 */
	expect_add(jp, "2026-09-18T17:00:00+09:00", 3600,
		   "2026-09-24T09:30:00+09:00");
	/* exact end of the day stays on the day */
	expect_add(jp, "2026-11-30T09:00:00+09:00", day,
		   "2026-11-30T17:30:00+09:00");
	expect_add(jp, "2026-11-30T12:00:00+09:00", 0,
		   "2026-11-30T12:00:00+09:00");
	/* US spring forward: Fri 17:00 EST + 1 h -> Mon 09:30 EDT */
	expect_add(us, "2026-03-06T17:00:00-05:00", 3600,
		   "2026-03-09T09:30:00-04:00");
	/* US Thanksgiving (today in this repo's history) */
	expect_add(us, "2026-11-25T17:00:00-05:00", 3600,
		   "2026-11-27T09:30:00-05:00");
	/* UK Easter 2026 and the BST change */
	expect_add(uk, "2026-04-02T17:00:00+01:00", 3600,
		   "2026-04-07T09:30:00+01:00");
	expect_add(uk, "2026-03-27T17:00:00+00:00", 3600,
		   "2026-03-30T09:30:00+01:00");
	expect_add(wall, "2026-12-31T23:30:00Z", 3600, "2027-01-01T00:30:00Z");
	/* sums */
	assert_int_equal(tsam_cal_seconds(jp, utc("2026-12-25T09:00:00+09:00"),
					  utc("2027-01-05T09:00:00+09:00")),
			 3 * day);
	assert_int_equal(tsam_cal_seconds(jp, utc("2026-11-28T00:00:00+09:00"),
					  utc("2026-11-30T10:00:00+09:00")),
			 3600);
	assert_int_equal(tsam_cal_seconds(jp, utc("2026-11-30T10:00:00+09:00"),
					  utc("2026-11-30T09:00:00+09:00")),
			 0);
	assert_true(tsam_cal_is_open(jp, utc("2026-11-26T09:00:00+09:00")));
	assert_false(tsam_cal_is_open(jp, utc("2026-11-26T17:30:00+09:00")));
	assert_int_equal(
	    tsam_cal_add(jp, utc("2099-12-31T12:00:00Z"), 400 * 86400),
	    INT64_MAX);
}

/* Independent reference: walk minutes with the holiday rules. */
static int64_t brute(const struct tsam_tz *tz, enum tsam_holiday_set set,
		     int64_t a, int64_t b)
{
	int64_t t, n = 0;

	for (t = a; t < b; t += 60) {
		int64_t local = t + tsam_tz_offset(tz, t);
		int64_t day = local / 86400, tod = local % 86400;
		int y, m, d, wd = tsam_weekday(day);
		struct tsam_holiday h[TSAM_HOLIDAYS_MAX];
		size_t k, nh;
		int hol = 0;

		tsam_civil_from_days(day, &y, &m, &d);
		nh = tsam_holidays_year(set, y, h);
		for (k = 0; k < nh; k++)
			hol |= h[k].day == day;
		if (set == TSAM_HOLIDAYS_JP &&
		    ((m == 12 && d >= 29) || (m == 1 && d <= 3)))
			hol = 1;
		if (!hol && wd >= 1 && wd <= 5 && tod >= 9 * 3600 &&
		    tod < 17 * 3600 + 1800)
			n += 60;
	}
	return n;
}

static void test_against_reference(void **state)
{
	struct tsam_tz *tz;
	int i;

	(void)state;
	srand(20261126);
	assert_int_equal(tsam_tz_load(NULL, "America/New_York", &tz, NULL), 0);
	for (i = 0; i < 40; i++) {
		/* 2026-2027, minute aligned, spans up to 20 days */
		int64_t a = utc("2026-01-01T00:00:00Z") +
			    (int64_t)(rand() % (2 * 365 * 1440)) * 60;
		int64_t b = a + (int64_t)(rand() % (20 * 1440)) * 60;
		const struct tsam_cal *c = i % 2 ? jp : us;
		struct tsam_tz *z = tz, *tok = NULL;

		if (c == jp) {
			assert_int_equal(
			    tsam_tz_load(NULL, "Asia/Tokyo", &tok, NULL), 0);
			z = tok;
		}
		assert_int_equal(
		    tsam_cal_seconds(c, a, b),
		    brute(z, c == jp ? TSAM_HOLIDAYS_JP : TSAM_HOLIDAYS_US, a,
			  b));
		tsam_tz_free(tok);
	}
	tsam_tz_free(tz);
}

static void test_bad_files(void **state)
{
	char path[256];
	struct tsam_errbuf eb;
	struct tsam_cal *c;
	static const struct {
		const char *json, *want;
	} bad[] = {
	    {"{\"zone\":\"Asia/Tokyo\",\"hours\":{\"mon\":\"9-17\"}}",
	     "hours.mon"},
	    {"{\"zone\":\"Asia/Tokyo\",\"hours\":{\"moon\":\"09:00-17:00\"}}",
	     "unknown weekday"},
	    {"{\"zone\":\"Nowhere/City\",\"hours\":{}}", "Nowhere/City"},
	    {"{\"zone\":\"UTC\",\"hours\":{},\"holidays\":\"fr\"}",
	     "unknown set"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"dates\":[{\"date\":\"2026-02-30\"}]}",
	     "dates[0]"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},\"x\":1}",
	     "unknown member \"x\""},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":[\"12:00-17:00\","
	     "\"09:00-12:30\"]}}",
	     "ascending"},
	    /* the wrong shapes of issue 14 (they crashed) */
	    {"[]", "c.json: must be a JSON object"},
	    {"1", "c.json: must be a JSON object"},
	    {"{\"schema\":null}", "unknown member \"schema\""},
	    {"{\"zone\":null,\"hours\":{}}", "c.json: zone: must be a string"},
	    {"{\"hours\":{}}", "c.json: zone: must be a string"},
	    {"{\"zone\":[\"UTC\"],\"hours\":{}}", "c.json: zone: must be"},
	    {"{\"zone\":\"../../../etc/passwd\",\"hours\":{}}",
	     "c.json: zone: \"../../../etc/passwd\" is not a time zone"},
	    {"{\"zone\":\"zone1970.tab\",\"hours\":{}}",
	     "c.json: zone: \"zone1970.tab\" is not a time zone"},
	    {"{\"zone\":\"right/UTC\",\"hours\":{}}",
	     "c.json: zone: \"right/UTC\" is not a time zone"},
	    {"{\"zone\":\"UTC\"}", "c.json: hours: must be an object"},
	    {"{\"zone\":\"UTC\",\"hours\":[]}", "c.json: hours: must be"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":9}}",
	     "c.json: hours.mon: must be a period"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":[9]}}",
	     "c.json: hours.mon[0]: must be a string"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":[\"01:00-02:00\","
	     "\"03:00-04:00\",\"05:00-06:00\",\"07:00-08:00\","
	     "\"09:00-10:00\"]}}",
	     "c.json: hours.mon: must be a list of at most 4"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":null}}",
	     "c.json: hours: no working hours"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"holidays\":false}",
	     "c.json: holidays: must be a string"},
	    {"{\"zone\":\"UTC\",\"name\":7,\"hours\":{}}",
	     "c.json: name: must be a string"},
	    {"{\"zone\":\"UTC\",\"name\":\"a-name-of-more-than-sixty-three-"
	     "bytes-is-cut-in-reports-so-refused\",\"hours\":{}}",
	     "c.json: name: must be a string of 1 to 63 bytes"},
	    {"{\"zone\":\"UTC\",\"comment\":{},\"hours\":{}}",
	     "c.json: comment: must be a string"},
	    /* numbers: finite and in range */
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"day_hours\":1e308}",
	     "c.json: day_hours: must be a number from 0.25 to 24"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"day_hours\":\"8\"}",
	     "c.json: day_hours: must be a number"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"day_hours\":0}",
	     "c.json: day_hours: must be a number"},
	    /* closures and dates */
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"closures\":{}}",
	     "c.json: closures: must be a list of at most 16"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"closures\":[1]}",
	     "c.json: closures[0]: must be an object"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"closures\":[{\"from\":\"12-29\",\"to\":103}]}",
	     "c.json: closures[0].to: must be a string"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"closures\":[{\"from\":\"12-29\",\"to\":\"13-03\"}]}",
	     "c.json: closures[0]: \"from\" and \"to\" must be MM-DD"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"closures\":[{\"from\":\"12-29\",\"to\":\"01-03\","
	     "\"name\":false}]}",
	     "c.json: closures[0].name: must be a string"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"closures\":[{\"from\":\"12-29\",\"to\":\"01-03\","
	     "\"until\":1}]}",
	     "c.json: closures[0]: unknown member \"until\""},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"closures\":[{\"from\":\"01-01\",\"to\":\"12-31\"}]}",
	     "c.json: no working time left from 1980 to 2099"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"dates\":[\"2026-08-14\"]}",
	     "c.json: dates[0]: must be an object"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"dates\":[{\"date\":20260814}]}",
	     "c.json: dates[0].date: must be a string"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"dates\":[{\"name\":\"x\"}]}",
	     "c.json: dates[0].date: must be a string"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"dates_file\":3}",
	     "c.json: dates_file: must be a string"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"dates_file\":\"/etc/passwd\"}",
	     "c.json: dates_file: must be a path relative"},
	    {"{\"zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-17:00\"},"
	     "\"dates_file\":\"a/../../x\"}",
	     "c.json: dates_file: must be a path relative"},
	};
	size_t i;

	(void)state;
	assert_non_null(scratch_make("cal"));
	snprintf(path, sizeof(path), "%s", scratch_path("c.json"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		scratch_write("c.json", "%s", bad[i].json);
		tsam_errbuf_clear(&eb);
		assert_int_not_equal(tsam_cal_load(path, NULL, &c, &eb), 0);
		if (strstr(eb.msg, bad[i].want) == NULL ||
		    strstr(eb.msg, path) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, eb.msg,
				 bad[i].want);
	}
	/* a dates file relative to the calendar, with a bad line */
	scratch_write("c.json",
		      "{\"zone\":\"Asia/Tokyo\",\"hours\":{\"mon\":"
		      "\"09:00-17:00\"},\"dates_file\":\"extra.txt\"}");
	scratch_write("extra.txt", "# company days\n2026-11-30 創立記念日\n");
	assert_int_equal(tsam_cal_load(path, NULL, &c, &eb), 0);
	assert_string_equal(tsam_cal_holiday(c, 2026, 11, 30), "創立記念日");
	tsam_cal_free(c);
	scratch_write("extra.txt", "# company days\n2026-11-30 創立記念日\n"
				   "2026-13-01 bad\n");
	assert_int_not_equal(tsam_cal_load(path, NULL, &c, &eb), 0);
	assert_non_null(strstr(eb.msg, "extra.txt:3"));
	assert_int_equal(scratch_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_japan_published),
	    cmocka_unit_test(test_uk_us_published),
	    cmocka_unit_test(test_holidays_names_and_range),
	    cmocka_unit_test(test_tz),
	    cmocka_unit_test(test_every_system_zone),
	    cmocka_unit_test(test_deadlines),
	    cmocka_unit_test(test_against_reference),
	    cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
