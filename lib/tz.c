/*
 * tz.c - TZif (RFC 8536) reader. Uses the version-2+ 64-bit block and the
 * footer TZ string; leap-second records are skipped (zoneinfo "right/"
 * files are refused because their transitions would be off by the leap
 * seconds, and no customer calendar needs them).
 */
#include "tz.h"

#include "buf.h"
#include "date.h"
#include "fsio.h"
#include "str.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_MAX_FILE (256 * 1024)

/* One rule date of a POSIX TZ string: Mm.w.d, Jn or n, and time of day. */
struct tz_rule_date {
	char kind; /* 'M', 'J' or 'n' */
	int m, w, d;
	int32_t secs;
};

struct tsam_tz {
	char name[128];
	int64_t *trans;	    /* transition instants, ascending */
	int32_t *trans_off; /* offset in force from each transition */
	size_t ntrans;
	int32_t first_off; /* before the first transition */
	bool has_rule;	   /* footer present */
	int32_t std_off, dst_off;
	bool has_dst;
	struct tz_rule_date start, end;
};

void tsam_tz_free(struct tsam_tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->trans);
	free(tz->trans_off);
	free(tz);
}

const char *tsam_tz_name(const struct tsam_tz *tz)
{
	return tz->name;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* POSIX TZ: a name ("EST", "<+09>"). */
static bool rule_name(const char **p)
{
	const char *s = *p;

	if (*s == '<') {
		while (*s && *s != '>')
			s++;
		if (*s != '>')
			return false;
		*p = s + 1;
		return true;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	if (s - *p < 3)
		return false;
	*p = s;
	return true;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to 167 for rule times. */
static bool rule_time(const char **p, int32_t *out)
{
	const char *s = *p;
	int sign = 1;
	long v[3] = {0, 0, 0};
	int i;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		int k = 0;

		while (*s >= '0' && *s <= '9' && k < 3) {
			v[i] = v[i] * 10 + (*s++ - '0');
			k++;
		}
		if (k == 0 || (i > 0 && v[i] > 59) || v[0] > 167)
			return false;
		if (*s != ':')
			break;
		s++;
	}
	*out = (int32_t)(sign * (v[0] * 3600 + v[1] * 60 + v[2]));
	*p = s;
	return true;
}

static bool rule_num(const char **p, int *out, int lo, int hi)
{
	int v = 0, k = 0;

	while (**p >= '0' && **p <= '9' && k < 4) {
		v = v * 10 + (*(*p)++ - '0');
		k++;
	}
	*out = v;
	return k > 0 && v >= lo && v <= hi;
}

static bool rule_date(const char **p, struct tz_rule_date *rd)
{
	rd->secs = 7200;
	if (**p == 'M') {
		(*p)++;
		rd->kind = 'M';
		if (!rule_num(p, &rd->m, 1, 12) || *(*p)++ != '.' ||
		    !rule_num(p, &rd->w, 1, 5) || *(*p)++ != '.' ||
		    !rule_num(p, &rd->d, 0, 6))
			return false;
	} else if (**p == 'J') {
		(*p)++;
		rd->kind = 'J';
		if (!rule_num(p, &rd->d, 1, 365))
			return false;
	} else {
		rd->kind = 'n';
		if (!rule_num(p, &rd->d, 0, 365))
			return false;
	}
	if (**p == '/') {
		(*p)++;
		return rule_time(p, &rd->secs);
	}
	return true;
}

/* Parses the footer; POSIX offsets are west-positive, ours east. */
static bool parse_rule(struct tsam_tz *tz, const char *s)
{
	int32_t off;

	if (!rule_name(&s) || !rule_time(&s, &off))
		return false;
	tz->std_off = -off;
	tz->has_rule = true;
	if (*s == '\0')
		return true;
	if (!rule_name(&s))
		return false;
	tz->dst_off = tz->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (!rule_time(&s, &off))
			return false;
		tz->dst_off = -off;
	}
	if (*s++ != ',' || !rule_date(&s, &tz->start) || *s++ != ',' ||
	    !rule_date(&s, &tz->end) || *s != '\0')
		return false;
	tz->has_dst = true;
	return true;
}

/* Local day number of rule date rd in year y. */
static int64_t rule_day(const struct tz_rule_date *rd, int y)
{
	int64_t jan1 = tsam_days_from_civil(y, 1, 1);

	if (rd->kind == 'M')
		return rd->w == 5 ? tsam_nth_weekday(y, rd->m, rd->d, -1)
				  : tsam_nth_weekday(y, rd->m, rd->d, rd->w);
	if (rd->kind == 'J') /* 1..365, February 29 never counted */
		return jan1 + rd->d - 1 +
		       (rd->d >= 60 && tsam_month_days(y, 2) == 29);
	return jan1 + rd->d;
}

static int32_t rule_offset(const struct tsam_tz *tz, int64_t t)
{
	int y, m, d;
	int64_t s, e;

	if (!tz->has_dst)
		return tz->std_off;
	tsam_civil_from_days((t + tz->std_off) / 86400 -
				 ((t + tz->std_off) % 86400 < 0),
			     &y, &m, &d);
	/* start is given in standard local time, end in daylight time */
	s = rule_day(&tz->start, y) * 86400 + tz->start.secs - tz->std_off;
	e = rule_day(&tz->end, y) * 86400 + tz->end.secs - tz->dst_off;
	if (s < e) /* northern hemisphere */
		return t >= s && t < e ? tz->dst_off : tz->std_off;
	return t >= e && t < s ? tz->std_off : tz->dst_off;
}

int32_t tsam_tz_offset(const struct tsam_tz *tz, int64_t t)
{
	size_t lo = 0, hi = tz->ntrans;

	if (tz->ntrans == 0 || t < tz->trans[0])
		return tz->ntrans == 0 && tz->has_rule ? rule_offset(tz, t)
						       : tz->first_off;
	if (t >= tz->trans[tz->ntrans - 1] && tz->has_rule)
		return rule_offset(tz, t);
	while (hi - lo > 1) { /* trans[lo] <= t < trans[hi] */
		size_t mid = lo + (hi - lo) / 2;

		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->trans_off[lo];
}

int64_t tsam_tz_to_utc(const struct tsam_tz *tz, int64_t local)
{
	int32_t before = tsam_tz_offset(tz, local - 86400 - 14 * 3600);
	int32_t after = tsam_tz_offset(tz, local + 86400 + 14 * 3600);
	int64_t a = local - before, b = local - after;
	bool ok_a = tsam_tz_offset(tz, a) == before;
	bool ok_b = tsam_tz_offset(tz, b) == after;

	if (ok_a && ok_b)
		return a < b ? a : b;
	if (ok_b)
		return b;
	return a; /* valid, or inside a gap: read with the earlier offset */
}

static int parse_tzif(struct tsam_tz *tz, const unsigned char *p, size_t n,
		      const char *path, struct tsam_errbuf *eb)
{
	uint32_t cnt[6];
	size_t i, v1, need;
	const unsigned char *d, *types, *idx;
	int32_t *type_off;

	if (n < 44 || memcmp(p, "TZif", 4) != 0 || p[4] < '2')
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: not a TZif version 2+ file", path);
	for (i = 0; i < 6; i++)
		cnt[i] = be32(p + 20 + 4 * i);
	/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
	v1 = 44 + (size_t)cnt[3] * 5 + (size_t)cnt[4] * 6 + cnt[5] +
	     (size_t)cnt[2] * 8 + cnt[1] + cnt[0];
	if (v1 + 44 > n || memcmp(p + v1, "TZif", 4) != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: truncated TZif header", path);
	d = p + v1;
	for (i = 0; i < 6; i++)
		cnt[i] = be32(d + 20 + 4 * i);
	if (cnt[2] != 0)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: leap-second zones are not supported", path);
	if (cnt[4] == 0 || cnt[3] > 100000 || cnt[4] > 256)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: implausible TZif counts", path);
	need = 44 + (size_t)cnt[3] * 9 + (size_t)cnt[4] * 6 + cnt[5] + cnt[1] +
	       cnt[0];
	if (v1 + need > n)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: truncated TZif data", path);
	d += 44;
	idx = d + (size_t)cnt[3] * 8;
	types = idx + cnt[3];
	type_off = calloc(cnt[4], sizeof(*type_off));
	tz->trans = calloc(cnt[3] + 1, sizeof(*tz->trans));
	tz->trans_off = calloc(cnt[3] + 1, sizeof(*tz->trans_off));
	if (type_off == NULL || tz->trans == NULL || tz->trans_off == NULL) {
		free(type_off);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "%s: out of memory",
				       path);
	}
	for (i = 0; i < cnt[4]; i++)
		type_off[i] = (int32_t)be32(types + 6 * i);
	tz->first_off = type_off[0];
	for (i = 0; i < cnt[3]; i++) {
		if (idx[i] >= cnt[4] ||
		    (i > 0 && be64(d + 8 * i) <= tz->trans[i - 1])) {
			free(type_off);
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: bad transition %zu", path,
					       i);
		}
		tz->trans[i] = be64(d + 8 * i);
		tz->trans_off[i] = type_off[idx[i]];
	}
	tz->ntrans = cnt[3];
	free(type_off);
	d = p + v1 + need;
	if (d < p + n && *d == '\n') {
		const unsigned char *nl =
		    memchr(d + 1, '\n', n - (size_t)(d + 1 - p));
		char foot[128];

		if (nl != NULL && (size_t)(nl - d - 1) < sizeof(foot) &&
		    nl > d + 1) {
			memcpy(foot, d + 1, (size_t)(nl - d - 1));
			foot[nl - d - 1] = '\0';
			if (!parse_rule(tz, foot))
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: unsupported TZ rule \"%s\"", path,
				    foot);
		}
	}
	return TSAM_OK;
}

/* An IANA zone name: components of [A-Za-z0-9_+-], none empty or
 * starting with "-", joined by "/". */
static bool zone_name_ok(const char *name)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-";
	const char *p = name;

	if (strlen(name) > TSAM_TZ_MAX_NAME || strncmp(name, "right/", 6) == 0)
		return false;
	for (;;) {
		size_t n = strspn(p, chars);

		if (n == 0 || p[0] == '-')
			return false;
		p += n;
		if (*p == '\0')
			return true;
		if (*p++ != '/')
			return false;
	}
}

enum tsam_err tsam_tz_load(const char *dir, const char *name,
			   struct tsam_tz **out, struct tsam_errbuf *eb)
{
	struct tsam_tz *tz;
	struct tsam_buf b;
	char path[512];
	int rc;

	*out = NULL;
	if (!zone_name_ok(name))
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "\"%.*s\" is not a time zone name like "
				       "Asia/Tokyo",
				       TSAM_TZ_MAX_NAME, name);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s",
			     dir ? dir : "/usr/share/zoneinfo",
			     name) >= sizeof(path))
		return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
				       "time zone name too long");
	tz = calloc(1, sizeof(*tz));
	if (tz == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	tsam_strlcpy(tz->name, name, sizeof(tz->name));
	tsam_buf_init(&b, TZ_MAX_FILE);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc == TSAM_OK)
		rc = parse_tzif(tz, (const unsigned char *)b.data, b.len, path,
				eb);
	else
		rc = tsam_errbuf_set(eb, rc, "unknown time zone \"%s\" (%s)",
				     name, tsam_errbuf_str(eb, rc));
	tsam_buf_free(&b);
	if (rc != TSAM_OK) {
		tsam_tz_free(tz);
		return rc;
	}
	*out = tz;
	return TSAM_OK;
}
