/*
 * date.c - civil-date arithmetic (Howard Hinnant's days_from_civil
 * algorithm), the format-driven timestamp parser, and quarters ("2026Q3").
 */
#include "date.h"

#include <string.h>

int64_t tsam_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void tsam_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int tsam_weekday(int64_t days)
{
	return (int)(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

int tsam_month_days(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30,
				  31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : len[m - 1];
}

int64_t tsam_nth_weekday(int y, int m, int wd, int n)
{
	int64_t first, last;

	if (n > 0) {
		first = tsam_days_from_civil(y, m, 1);
		return first + (wd - tsam_weekday(first) + 7) % 7 + 7 * (n - 1);
	}
	last = tsam_days_from_civil(y, m, tsam_month_days(y, m));
	return last - (tsam_weekday(last) - wd + 7) % 7;
}

/* Reads lo..hi digits at *p into *v; false if fewer than lo. */
static bool digits(const char **p, const char *end, int lo, int hi, int *v)
{
	int k = 0;

	*v = 0;
	while (k < hi && *p < end && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k >= lo;
}

/* Z, +09, +0900, +09:00 (or -). */
static bool offset(const char **p, const char *end, int32_t *off)
{
	int sign, h, m = 0;

	if (*p < end && **p == 'Z') {
		(*p)++;
		*off = 0;
		return true;
	}
	if (*p >= end || (**p != '+' && **p != '-'))
		return false;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, end, 2, 2, &h))
		return false;
	if (*p < end && **p == ':')
		(*p)++;
	if (*p < end && **p >= '0' && **p <= '9' && !digits(p, end, 2, 2, &m))
		return false;
	if (h > 14 || m > 59)
		return false;
	*off = sign * (h * 3600 + m * 60);
	return true;
}

static bool parse_iso(const char *p, const char *end, struct tsam_datetime *dt)
{
	if (!digits(&p, end, 4, 4, &dt->y) || p >= end || *p++ != '-' ||
	    !digits(&p, end, 2, 2, &dt->mo) || p >= end || *p++ != '-' ||
	    !digits(&p, end, 2, 2, &dt->d))
		return false;
	if (p == end)
		return true;
	if (*p != 'T' && *p != ' ')
		return false;
	p++;
	if (!digits(&p, end, 2, 2, &dt->h) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, 2, &dt->mi))
		return false;
	if (p < end && *p == ':') {
		p++;
		if (!digits(&p, end, 2, 2, &dt->s))
			return false;
		if (p < end && (*p == '.' || *p == ',')) {
			p++;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
		}
	}
	if (p < end) {
		if (!offset(&p, end, &dt->offset))
			return false;
		dt->has_offset = true;
	}
	return p == end;
}

/* An English month abbreviation (Jan ... Dec, any case) at *p: 1-12. */
static bool month_name(const char **p, const char *end, int *mo)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int i, k;

	if (end - *p < 3)
		return false;
	for (i = 0; i < 12; i++) {
		for (k = 0; k < 3 && ((*p)[k] | 0x20) == names[3 * i + k]; k++)
			;
		if (k == 3) {
			*p += 3;
			*mo = i + 1;
			return true;
		}
	}
	return false;
}

/* AM or PM (any case) at *p: *pm 0 or 1. */
static bool am_pm(const char **p, const char *end, int *pm)
{
	if (end - *p < 2 || ((*p)[1] | 0x20) != 'm')
		return false;
	if (((*p)[0] | 0x20) == 'a')
		*pm = 0;
	else if (((*p)[0] | 0x20) == 'p')
		*pm = 1;
	else
		return false;
	*p += 2;
	return true;
}

static bool parse_fmt(const char *p, const char *end, const char *f,
		      struct tsam_datetime *dt)
{
	int pm = -1, h12 = -1;

	for (; *f; f++) {
		bool ok = true;

		if (*f != '%') {
			if (p >= end || *p++ != *f)
				return false;
			continue;
		}
		switch (*++f) {
		case 'Y':
			ok = digits(&p, end, 4, 4, &dt->y);
			break;
		case 'y': /* two digits: 2000-2099 */
			ok = digits(&p, end, 2, 2, &dt->y);
			dt->y += 2000;
			break;
		case 'm':
			ok = digits(&p, end, 1, 2, &dt->mo);
			break;
		case 'b':
			ok = month_name(&p, end, &dt->mo);
			break;
		case 'I':
			ok = digits(&p, end, 1, 2, &h12) && h12 >= 1 &&
			     h12 <= 12;
			break;
		case 'p':
			ok = am_pm(&p, end, &pm);
			break;
		case 'd':
			ok = digits(&p, end, 1, 2, &dt->d);
			break;
		case 'H':
			ok = digits(&p, end, 1, 2, &dt->h);
			break;
		case 'M':
			ok = digits(&p, end, 1, 2, &dt->mi);
			break;
		case 'S':
			ok = digits(&p, end, 1, 2, &dt->s);
			break;
		case 'T':
			ok = digits(&p, end, 1, 2, &dt->h) && p < end &&
			     *p++ == ':' && digits(&p, end, 1, 2, &dt->mi) &&
			     p < end && *p++ == ':' &&
			     digits(&p, end, 1, 2, &dt->s);
			break;
		case 'z':
			ok = offset(&p, end, &dt->offset);
			dt->has_offset = ok;
			break;
		case '%':
			ok = p < end && *p++ == '%';
			break;
		default:
			return false;
		}
		if (!ok)
			return false;
	}
	if ((pm >= 0) != (h12 >= 0))
		return false; /* %I needs %p and %p needs %I */
	if (h12 >= 0)
		dt->h = h12 % 12 + 12 * pm;
	return p == end;
}

bool tsam_datetime_parse(const char *s, size_t n, const char *fmt,
			 struct tsam_datetime *out)
{
	const char *end = s + n;
	bool ok;

	memset(out, 0, sizeof(*out));
	out->y = 2000; /* a leap year, for formats without %Y ("%m-%d") */
	out->mo = out->d = 1;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	ok = strcmp(fmt, "iso") == 0 ? parse_iso(s, end, out)
				     : parse_fmt(s, end, fmt, out);
	return ok && out->y >= 1 && out->mo >= 1 && out->mo <= 12 &&
	       out->d >= 1 && out->d <= tsam_month_days(out->y, out->mo) &&
	       out->h <= 23 && out->mi <= 59 && out->s <= 60;
}

int64_t tsam_datetime_wall(const struct tsam_datetime *dt)
{
	return tsam_days_from_civil(dt->y, dt->mo, dt->d) * 86400 +
	       dt->h * 3600 + dt->mi * 60 + dt->s;
}

time_t tsam_time_parse(const char *s)
{
	struct tsam_datetime dt;

	if (strlen(s) != 20 ||
	    !tsam_datetime_parse(s, 20, "%Y-%m-%dT%H:%M:%SZ", &dt))
		return -1;
	return (time_t)tsam_datetime_wall(&dt);
}

time_t tsam_date_parse(const char *s)
{
	struct tsam_datetime dt;

	if (strlen(s) != 10 || !tsam_datetime_parse(s, 10, "%Y-%m-%d", &dt))
		return -1;
	return (time_t)tsam_datetime_wall(&dt);
}

bool tsam_quarter_parse(const char *s, int *year, int *quarter)
{
	struct tsam_datetime dt;

	if (strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q') || s[5] < '1' ||
	    s[5] > '4' || !tsam_datetime_parse(s, 4, "%Y", &dt) ||
	    dt.y < 1981 || dt.y > 2099)
		return false;
	*year = dt.y;
	*quarter = s[5] - '0';
	return true;
}
