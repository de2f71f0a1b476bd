/* buf.c - capped growable byte buffer. */
#include "buf.h"

#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tsam_buf_init(struct tsam_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void tsam_buf_free(struct tsam_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void tsam_buf_reset(struct tsam_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

enum tsam_err tsam_grow(void *pv, size_t *cap, size_t n, size_t size)
{
	void **v = pv;
	size_t ncap = *cap ? *cap : 16;
	void *p;

	if (n <= *cap)
		return TSAM_OK;
	while (ncap < n) {
		if (ncap > ((size_t)-1) / 2)
			return TSAM_ERR_NOMEM;
		ncap *= 2;
	}
	if (size != 0 && ncap > ((size_t)-1) / size)
		return TSAM_ERR_NOMEM;
	p = realloc(*v, ncap * size);
	if (p == NULL)
		return TSAM_ERR_NOMEM;
	*v = p;
	*cap = ncap;
	return TSAM_OK;
}

size_t tsam_buf_room(const struct tsam_buf *b)
{
	return b->max > b->len ? b->max - b->len : 0;
}

static int grow(struct tsam_buf *b, size_t need)
{
	size_t ncap;
	char *p;

	if (need + 1 <= b->cap)
		return TSAM_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need + 1) {
		if (ncap > ((size_t)-1) / 2)
			return TSAM_ERR_NOMEM;
		ncap *= 2;
	}
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return TSAM_ERR_NOMEM;
	b->data = p;
	b->cap = ncap;
	return TSAM_OK;
}

int tsam_buf_reserve(struct tsam_buf *b, size_t n)
{
	size_t room = tsam_buf_room(b);

	return grow(b, b->len + (n < room ? n : room));
}

enum tsam_err tsam_buf_add(struct tsam_buf *b, const void *p, size_t n)
{
	int rc;

	if (n > tsam_buf_room(b))
		return TSAM_ERR_TOOBIG;
	rc = grow(b, b->len + n);
	if (rc != TSAM_OK)
		return rc;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return TSAM_OK;
}

int tsam_buf_adds(struct tsam_buf *b, const char *s)
{
	return tsam_buf_add(b, s, strlen(s));
}

enum tsam_err tsam_buf_addf(struct tsam_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TSAM_ERR_INVAL;
	if ((size_t)n > tsam_buf_room(b))
		return TSAM_ERR_TOOBIG;
	rc = grow(b, b->len + (size_t)n);
	if (rc != TSAM_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return TSAM_OK;
}

char *tsam_buf_take(struct tsam_buf *b, size_t *len)
{
	char *p = b->data;

	if (len != NULL)
		*len = b->len;
	if (p == NULL)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void tsam_buf_consume(struct tsam_buf *b, size_t n)
{
	if (n >= b->len) {
		tsam_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}
