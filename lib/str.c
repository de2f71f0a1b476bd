/* str.c - bounded cursor over untrusted text, UTF-8 checks. */
#include "str.h"

#include "buf.h"
#include "err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct tsam_cur tsam_cur_make(const char *p, size_t n)
{
	struct tsam_cur c = {p, n};
	return c;
}

struct tsam_cur tsam_cur_str(const char *s)
{
	return tsam_cur_make(s, strlen(s));
}

bool tsam_cur_getline(struct tsam_cur *c, struct tsam_cur *line)
{
	const char *nl;
	size_t len;

	if (c->n == 0)
		return false;
	nl = memchr(c->p, '\n', c->n);
	len = nl ? (size_t)(nl - c->p) : c->n;
	line->p = c->p;
	line->n = len;
	if (len > 0 && line->p[len - 1] == '\r')
		line->n--;
	c->p += nl ? len + 1 : len;
	c->n -= nl ? len + 1 : len;
	return true;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

void tsam_cur_skip_blank(struct tsam_cur *c)
{
	while (c->n > 0 && is_blank(*c->p)) {
		c->p++;
		c->n--;
	}
}

bool tsam_cur_token(struct tsam_cur *c, struct tsam_cur *tok)
{
	size_t i = 0;

	tsam_cur_skip_blank(c);
	while (i < c->n && !is_blank(c->p[i]))
		i++;
	if (i == 0)
		return false;
	tok->p = c->p;
	tok->n = i;
	c->p += i;
	c->n -= i;
	return true;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

void tsam_cur_trim(struct tsam_cur *c)
{
	while (c->n > 0 && is_space(*c->p)) {
		c->p++;
		c->n--;
	}
	while (c->n > 0 && is_space(c->p[c->n - 1]))
		c->n--;
}

bool tsam_cur_eq(struct tsam_cur c, const char *s)
{
	size_t n = strlen(s);
	return c.n == n && memcmp(c.p, s, n) == 0;
}

bool tsam_cur_split(struct tsam_cur line, char sep, struct tsam_cur *key,
		    struct tsam_cur *val)
{
	const char *at = memchr(line.p, sep, line.n);

	if (at == NULL)
		return false;
	*key = tsam_cur_make(line.p, (size_t)(at - line.p));
	*val = tsam_cur_make(at + 1, line.n - key->n - 1);
	tsam_cur_trim(key);
	tsam_cur_trim(val);
	return true;
}

const char *tsam_cur_find(struct tsam_cur c, const char *s, size_t n)
{
	const char *p = c.p, *end = c.p + c.n;

	if (n == 0)
		return c.p;
	while ((size_t)(end - p) >= n &&
	       (p = memchr(p, s[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, s, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

bool tsam_cur_contains(struct tsam_cur c, const char *s)
{
	return tsam_cur_find(c, s, strlen(s)) != NULL;
}

bool tsam_cur_skip_prefix(struct tsam_cur *c, const char *s)
{
	size_t n = strlen(s);

	if (c->n < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	c->n -= n;
	return true;
}

enum tsam_err tsam_cur_to_u64(struct tsam_cur c, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (c.n == 0)
		return TSAM_ERR_PARSE;
	for (i = 0; i < c.n; i++) {
		unsigned d;
		if (c.p[i] < '0' || c.p[i] > '9')
			return TSAM_ERR_PARSE;
		d = (unsigned)(c.p[i] - '0');
		if (v > (max - d) / 10)
			return TSAM_ERR_PARSE;
		v = v * 10 + d;
	}
	*out = v;
	return TSAM_OK;
}

char *tsam_cur_dup(struct tsam_cur c)
{
	char *s = malloc(c.n + 1);

	if (s == NULL)
		return NULL;
	if (c.n > 0)
		memcpy(s, c.p, c.n);
	s[c.n] = '\0';
	return s;
}

bool tsam_strlcpy(char *dst, const char *src, size_t dstsz)
{
	size_t n = strlen(src);

	if (dstsz == 0)
		return false;
	if (n >= dstsz) {
		memcpy(dst, src, dstsz - 1);
		dst[dstsz - 1] = '\0';
		return false;
	}
	memcpy(dst, src, n + 1);
	return true;
}

/* Length of the valid UTF-8 sequence at p (1..4), its code point in *out;
 * 0 if invalid (overlong forms, surrogates and code points past U+10FFFF
 * included). */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *out)
{
	unsigned c = p[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80) {
		*out = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*out = cp;
	return len;
}

static size_t utf8_seq(const unsigned char *p, size_t n)
{
	uint32_t cp;

	return utf8_decode(p, n, &cp);
}

uint32_t tsam_utf8_next(const char *s, size_t n, size_t *i)
{
	uint32_t cp;
	size_t k = utf8_decode((const unsigned char *)s + *i, n - *i, &cp);

	*i += k ? k : 1;
	return k ? cp : 0xfffd;
}

bool tsam_utf8_valid(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k;

	while (i < n) {
		/* ASCII, the common case: eight bytes at a time while none
		 * has the high bit set and none is NUL */
		while (i + 8 <= n) {
			uint64_t w;

			memcpy(&w, u + i, 8);
			/* no high bit, and no byte borrowing when each
			 * loses one: no byte is 0 */
			if ((w & 0x8080808080808080ull) != 0 ||
			    ((w - 0x0101010101010101ull) &
			     0x8080808080808080ull) != 0)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (u[i] >= 0x01 && u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] == 0)
			return false;
		k = utf8_seq(u + i, n - i);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

char *tsam_utf8_sanitize(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	static const char repl[] = "\xef\xbf\xbd";
	char *out, *o;
	size_t i = 0, k;

	if (n > (((size_t)-1) - 1) / 3)
		return NULL;
	out = malloc(n * 3 + 1);
	if (out == NULL)
		return NULL;
	o = out;
	while (i < n) {
		k = utf8_seq(u + i, n - i);
		if (k == 0 ||
		    (k == 1 && u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' &&
		     u[i] != '\r') ||
		    (k == 1 && u[i] == 0x7f)) {
			memcpy(o, repl, 3);
			o += 3;
			i += 1;
			continue;
		}
		memcpy(o, u + i, k);
		o += k;
		i += k;
	}
	*o = '\0';
	return out;
}

enum tsam_err tsam_random_hex(char out[33])
{
	unsigned char r[16];
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return TSAM_ERR_IO;
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[32] = '\0';
	return TSAM_OK;
}

void tsam_strlist_free(struct tsam_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

enum tsam_err tsam_strlist_add(struct tsam_strlist *l, const char *s)
{
	char *copy;

	if (tsam_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	copy = strdup(s);
	if (copy == NULL)
		return TSAM_ERR_NOMEM;
	l->v[l->n++] = copy;
	return TSAM_OK;
}

int tsam_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		size_t la = strcspn(a, ".-"), lb = strcspn(b, ".-");
		uint64_t na, nb;
		bool da = tsam_cur_to_u64(tsam_cur_make(a, la), UINT64_MAX / 10,
					  &na) == TSAM_OK;
		bool db = tsam_cur_to_u64(tsam_cur_make(b, lb), UINT64_MAX / 10,
					  &nb) == TSAM_OK;
		int c;

		if (la == 0 && lb == 0)
			c = 0;
		else if (la == 0)
			return -1; /* "10" < "10.1" */
		else if (lb == 0)
			return 1;
		else if (da && db)
			c = na < nb ? -1 : na > nb;
		else {
			c = strncmp(a, b, la < lb ? la : lb);
			if (c == 0)
				c = la < lb ? -1 : la > lb;
		}
		if (c != 0)
			return c;
		a += la;
		b += lb;
		if (*a)
			a++;
		if (*b)
			b++;
	}
	return 0;
}
