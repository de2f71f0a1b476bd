/*
 * holidays.c - the holiday rules. Japanese equinox days use the Cabinet
 * Office's approximation formula for 1980-2099 (the official day is fixed
 * each February from the National Astronomical Observatory's almanac; the
 * formula agrees with every published date of this range so far).
 */
#include "holidays.h"

#include "date.h"

#include <stdbool.h>
#include <string.h>

int tsam_holiday_set_parse(const char *s, enum tsam_holiday_set *out)
{
	static const struct {
		const char *name;
		enum tsam_holiday_set set;
	} map[] = {{"none", TSAM_HOLIDAYS_NONE},
		   {"jp", TSAM_HOLIDAYS_JP},
		   {"uk-ew", TSAM_HOLIDAYS_UK_EW},
		   {"us", TSAM_HOLIDAYS_US}};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i].name) == 0) {
			*out = map[i].set;
			return 0;
		}
	return -1;
}

struct list {
	struct tsam_holiday *v;
	size_t n;
};

static void add(struct list *l, int64_t day, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].day == day)
			return;
	if (l->n < TSAM_HOLIDAYS_MAX) {
		l->v[l->n].day = day;
		l->v[l->n].name = name;
		l->n++;
	}
}

static bool has(const struct list *l, int64_t day)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].day == day)
			return true;
	return false;
}

static void sort(struct list *l)
{
	size_t i, j;

	for (i = 1; i < l->n; i++)
		for (j = i; j > 0 && l->v[j - 1].day > l->v[j].day; j--) {
			struct tsam_holiday t = l->v[j];

			l->v[j] = l->v[j - 1];
			l->v[j - 1] = t;
		}
}

#define D(m, d) tsam_days_from_civil(y, (m), (d))
#define MON	1
#define THU	4

static int equinox(int y, double base)
{
	int k = y - 1980;

	return (int)(base + 0.242194 * k) - k / 4;
}

static void japan(int y, struct list *l)
{
	static const struct {
		int y, m, d;
		const char *name;
	} once[] = {{1989, 2, 24, "昭和天皇の大喪の礼"},
		    {1990, 11, 12, "即位礼正殿の儀"},
		    {1993, 6, 9, "皇太子徳仁親王の結婚の儀"},
		    {2019, 5, 1, "天皇の即位の日"},
		    {2019, 10, 22, "即位礼正殿の儀"}};
	struct list law = *l;
	size_t i, nlaw;

	add(l, D(1, 1), "元日");
	add(l, y < 2000 ? D(1, 15) : tsam_nth_weekday(y, 1, MON, 2),
	    "成人の日");
	add(l, D(2, 11), "建国記念の日");
	if (y >= 2020)
		add(l, D(2, 23), "天皇誕生日");
	add(l, D(3, equinox(y, 20.8431)), "春分の日");
	add(l, D(4, 29),
	    y <= 1988 ? "天皇誕生日" : (y <= 2006 ? "みどりの日" : "昭和の日"));
	add(l, D(5, 3), "憲法記念日");
	if (y >= 2007)
		add(l, D(5, 4), "みどりの日");
	add(l, D(5, 5), "こどもの日");
	if (y == 2020)
		add(l, D(7, 23), "海の日");
	else if (y == 2021)
		add(l, D(7, 22), "海の日");
	else if (y >= 2003)
		add(l, tsam_nth_weekday(y, 7, MON, 3), "海の日");
	else if (y >= 1996)
		add(l, D(7, 20), "海の日");
	if (y == 2020)
		add(l, D(8, 10), "山の日");
	else if (y == 2021)
		add(l, D(8, 8), "山の日");
	else if (y >= 2016)
		add(l, D(8, 11), "山の日");
	add(l, y < 2003 ? D(9, 15) : tsam_nth_weekday(y, 9, MON, 3),
	    "敬老の日");
	add(l, D(9, equinox(y, 23.2488)), "秋分の日");
	if (y < 2000)
		add(l, D(10, 10), "体育の日");
	else if (y < 2020)
		add(l, tsam_nth_weekday(y, 10, MON, 2), "体育の日");
	else if (y == 2020)
		add(l, D(7, 24), "スポーツの日");
	else if (y == 2021)
		add(l, D(7, 23), "スポーツの日");
	else
		add(l, tsam_nth_weekday(y, 10, MON, 2), "スポーツの日");
	add(l, D(11, 3), "文化の日");
	add(l, D(11, 23), "勤労感謝の日");
	if (y >= 1989 && y <= 2018)
		add(l, D(12, 23), "天皇誕生日");
	for (i = 0; i < sizeof(once) / sizeof(once[0]); i++)
		if (once[i].y == y)
			add(l, D(once[i].m, once[i].d), once[i].name);
	sort(l);
	law.n = nlaw = l->n;
	/* 振替休日: a holiday on Sunday moves to the next non-holiday day
	 * (before 2007: to the Monday) */
	for (i = 0; i < nlaw; i++) {
		int64_t d = l->v[i].day;

		if (tsam_weekday(d) != 0)
			continue;
		d++;
		while (y >= 2007 && has(&law, d))
			d++;
		add(l, d, "振替休日");
	}
	/* 国民の休日: a weekday between two holidays of the law (from 1986) */
	for (i = 0; y >= 1986 && i + 1 < nlaw; i++) {
		int64_t d = law.v[i].day + 1;

		if (law.v[i + 1].day == d + 1 && tsam_weekday(d) != 0 &&
		    !has(l, d))
			add(l, d, "国民の休日");
	}
	sort(l);
}

static int64_t easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
	int ll = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * ll) / 451;
	int month = (h + ll - 7 * m + 114) / 31;
	int day = (h + ll - 7 * m + 114) % 31 + 1;

	return tsam_days_from_civil(y, month, day);
}

static void uk(int y, struct list *l)
{
	int64_t ny = D(1, 1), xmas = D(12, 25), e = easter(y);
	int wny = tsam_weekday(ny), wx = tsam_weekday(xmas);

	add(l, wny == 6 ? ny + 2 : (wny == 0 ? ny + 1 : ny), "New Year's Day");
	add(l, e - 2, "Good Friday");
	add(l, e + 1, "Easter Monday");
	if (y == 1995 || y == 2020)
		add(l, D(5, 8), "Early May bank holiday (VE Day)");
	else
		add(l, tsam_nth_weekday(y, 5, MON, 1),
		    "Early May bank holiday");
	if (y == 2002 || y == 2012)
		add(l, D(6, 4), "Spring bank holiday");
	else if (y == 2022)
		add(l, D(6, 2), "Spring bank holiday");
	else
		add(l, tsam_nth_weekday(y, 5, MON, -1), "Spring bank holiday");
	add(l, tsam_nth_weekday(y, 8, MON, -1), "Summer bank holiday");
	/* Christmas and Boxing Day: a weekend day moves to the next free
	 * weekday */
	add(l, wx == 6 ? xmas + 2 : (wx == 0 ? xmas + 2 : xmas),
	    "Christmas Day");
	add(l, wx == 5 ? xmas + 3 : (wx == 6 ? xmas + 3 : xmas + 1),
	    "Boxing Day");
	if (y == 1981)
		add(l, D(7, 29), "Royal wedding");
	if (y == 1999)
		add(l, D(12, 31), "Millennium celebrations");
	if (y == 2002)
		add(l, D(6, 3), "Golden Jubilee");
	if (y == 2011)
		add(l, D(4, 29), "Royal wedding");
	if (y == 2012)
		add(l, D(6, 5), "Diamond Jubilee");
	if (y == 2022) {
		add(l, D(6, 3), "Platinum Jubilee");
		add(l, D(9, 19), "State Funeral of Queen Elizabeth II");
	}
	if (y == 2023)
		add(l, D(5, 8), "Coronation of King Charles III");
	sort(l);
}

/* US rule: Saturday is observed on Friday, Sunday on Monday. */
static int64_t observed(int64_t d)
{
	int w = tsam_weekday(d);

	return w == 6 ? d - 1 : (w == 0 ? d + 1 : d);
}

static void us(int y, struct list *l)
{
	int64_t next_ny = tsam_days_from_civil(y + 1, 1, 1);

	if (tsam_weekday(D(1, 1)) != 6)
		add(l, observed(D(1, 1)), "New Year's Day");
	if (y >= 1986)
		add(l, tsam_nth_weekday(y, 1, MON, 3),
		    "Birthday of Martin Luther King, Jr.");
	add(l, tsam_nth_weekday(y, 2, MON, 3), "Washington's Birthday");
	add(l, tsam_nth_weekday(y, 5, MON, -1), "Memorial Day");
	if (y >= 2021)
		add(l, observed(D(6, 19)),
		    "Juneteenth National Independence Day");
	add(l, observed(D(7, 4)), "Independence Day");
	add(l, tsam_nth_weekday(y, 9, MON, 1), "Labor Day");
	add(l, tsam_nth_weekday(y, 10, MON, 2), "Columbus Day");
	add(l, observed(D(11, 11)), "Veterans Day");
	add(l, tsam_nth_weekday(y, 11, THU, 4), "Thanksgiving Day");
	add(l, observed(D(12, 25)), "Christmas Day");
	/* next year's New Year's Day on a Saturday is observed on Dec 31 */
	if (tsam_weekday(next_ny) == 6)
		add(l, next_ny - 1, "New Year's Day");
	sort(l);
}

size_t tsam_holidays_year(enum tsam_holiday_set set, int y,
			  struct tsam_holiday out[TSAM_HOLIDAYS_MAX])
{
	struct list l = {out, 0};

	if (y < 1980 || y > 2099)
		return 0;
	switch (set) {
	case TSAM_HOLIDAYS_JP:
		japan(y, &l);
		break;
	case TSAM_HOLIDAYS_UK_EW:
		uk(y, &l);
		break;
	case TSAM_HOLIDAYS_US:
		us(y, &l);
		break;
	case TSAM_HOLIDAYS_NONE:
		break;
	}
	return l.n;
}
