/* hostlist.c - expansion of pdsh-style host ranges. */
#include "hostlist.h"

#include "buf.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest number in a range; keeps names and counts sane. */
#define RANGE_MAX 99999999ULL

/*
 * Checks one bracket body ("01-20,25") and counts its values; every item
 * must be N or N-M with N <= M.
 */
static int count_body(struct tsam_cur body, size_t *count,
		      struct tsam_errbuf *eb)
{
	size_t total = 0;

	if (body.n == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE, "empty range '[]'");
	while (body.n > 0) {
		const char *comma = memchr(body.p, ',', body.n);
		struct tsam_cur item = {body.p, comma ? (size_t)(comma - body.p)
						      : body.n};
		const char *dash = memchr(item.p, '-', item.n);
		uint64_t lo, hi;

		if (dash) {
			struct tsam_cur a = {item.p, (size_t)(dash - item.p)};
			struct tsam_cur b = {dash + 1, item.n - a.n - 1};
			if (tsam_cur_to_u64(a, RANGE_MAX, &lo) != TSAM_OK ||
			    tsam_cur_to_u64(b, RANGE_MAX, &hi) != TSAM_OK)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "bad range '%.*s' (want N or N-M)",
				    (int)item.n, item.p);
			if (hi < lo)
				return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
						       "reversed range '%.*s'",
						       (int)item.n, item.p);
		} else {
			if (tsam_cur_to_u64(item, RANGE_MAX, &lo) != TSAM_OK)
				return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
						       "bad range item '%.*s'",
						       (int)item.n, item.p);
			hi = lo;
		}
		total += (size_t)(hi - lo + 1);
		if (comma == NULL)
			break;
		body.p = comma + 1;
		body.n -= item.n + 1;
		if (body.n == 0)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "range ends with ','");
	}
	*count = total;
	return TSAM_OK;
}

/* Appends to out every expansion of pat, prefixed by the text in acc. */
static int expand(const char *pat, struct tsam_buf *acc,
		  struct tsam_strlist *out)
{
	const char *open = strchr(pat, '[');
	const char *close, *p;
	size_t base = acc->len;
	int rc;

	if (open == NULL) {
		rc = tsam_buf_adds(acc, pat);
		if (rc == TSAM_OK)
			rc = tsam_strlist_add(out, acc->data);
		acc->len = base;
		acc->data[base] = '\0';
		return rc;
	}
	close = strchr(open, ']');
	rc = tsam_buf_add(acc, pat, (size_t)(open - pat));
	if (rc != TSAM_OK)
		return rc;
	base = acc->len;
	p = open + 1;
	while (p < close) {
		const char *end = memchr(p, ',', (size_t)(close - p));
		const char *dash;
		int width = 0;
		unsigned long long lo, hi, v;
		char *ep;

		if (end == NULL)
			end = close;
		dash = memchr(p, '-', (size_t)(end - p));
		/* Validated by count_body: plain digits, lo <= hi. */
		lo = strtoull(p, &ep, 10);
		hi = dash ? strtoull(dash + 1, &ep, 10) : lo;
		if (*p == '0' && (dash ? dash - p : end - p) > 1)
			width = (int)(dash ? dash - p : end - p);
		for (v = lo; v <= hi; v++) {
			char num[32];
			snprintf(num, sizeof(num), "%0*llu", width, v);
			rc = tsam_buf_adds(acc, num);
			if (rc == TSAM_OK)
				rc = expand(close + 1, acc, out);
			acc->len = base;
			acc->data[base] = '\0';
			if (rc != TSAM_OK)
				return rc;
		}
		p = end + 1;
	}
	return TSAM_OK;
}

enum tsam_err tsam_hostlist_expand(const char *pattern, size_t max,
				   struct tsam_strlist *out,
				   struct tsam_errbuf *eb)
{
	const char *p = pattern;
	size_t total = 1;
	struct tsam_buf acc;
	int rc;

	/* Validate all brackets and bound the total before allocating. */
	while ((p = strpbrk(p, "[]")) != NULL) {
		const char *close;
		size_t count = 0;

		if (*p == ']')
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "']' without '[' in '%s'",
					       pattern);
		close = strpbrk(p + 1, "[]");
		if (close == NULL || *close != ']')
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "unbalanced '[' in '%s'",
					       pattern);
		rc = count_body(tsam_cur_make(p + 1, (size_t)(close - p - 1)),
				&count, eb);
		if (rc != TSAM_OK)
			return rc;
		if (count > max || total > max / count)
			return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
					       "'%s' expands to more than %zu "
					       "hosts",
					       pattern, max);
		total *= count;
		p = close + 1;
	}
	tsam_buf_init(&acc, 4096);
	rc = tsam_buf_add(&acc, "", 0);
	if (rc == TSAM_OK)
		rc = expand(pattern, &acc, out);
	tsam_buf_free(&acc);
	if (rc == TSAM_ERR_TOOBIG)
		tsam_errbuf_set(eb, rc, "'%s': host name too long", pattern);
	return rc;
}
