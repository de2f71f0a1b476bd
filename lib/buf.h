/*
 * buf.h - a growable byte buffer with a hard cap.
 *
 * Every buffer that holds untrusted bytes has a maximum size set when it is
 * initialised; an append that would pass it fails with TSAM_ERR_TOOBIG and
 * leaves the buffer as it was. data is always NUL-terminated (the terminator
 * is not counted in len), so text can be handed to C string functions.
 */
#ifndef TSAM_BUF_H
#define TSAM_BUF_H

#include "err.h"

#include <stddef.h>

struct tsam_buf {
	char *data; /* NULL until the first append */
	size_t len; /* bytes used, terminator excluded */
	size_t cap; /* bytes allocated */
	size_t max; /* hard cap on len */
};

/* Initialises b empty with the cap max (bytes). Allocates nothing. */
void tsam_buf_init(struct tsam_buf *b, size_t max);

/* Frees b's memory and leaves it empty (cap kept). */
void tsam_buf_free(struct tsam_buf *b);

/* Empties b, keeping its memory. */
void tsam_buf_reset(struct tsam_buf *b);

/*
 * Makes room for n more bytes (fewer if the cap comes first), so appends
 * or a direct write into data + len up to cap - 1 need no reallocation.
 * TSAM_ERR_NOMEM.
 */
int tsam_buf_reserve(struct tsam_buf *b, size_t n);

/* Appends n bytes; TSAM_ERR_TOOBIG past the cap, TSAM_ERR_NOMEM. */
enum tsam_err tsam_buf_add(struct tsam_buf *b, const void *p, size_t n);

/* Appends a C string. */
int tsam_buf_adds(struct tsam_buf *b, const char *s);

/* Appends printf-style formatted text. */
enum tsam_err tsam_buf_addf(struct tsam_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Returns b's data (never NULL: "" when empty) and leaves b empty;
 * caller frees. *len receives the length when len is not NULL.
 */
char *tsam_buf_take(struct tsam_buf *b, size_t *len);

/*
 * Makes room for n elements of size bytes in the array *pv holding *cap
 * (doubling, at least 16). *pv and *cap change only on success.
 * TSAM_ERR_NOMEM on overflow or allocation failure.
 */
TSAM_MUST_CHECK enum tsam_err tsam_grow(void *pv, size_t *cap, size_t n,
					size_t size);

/* Drops the first n bytes (all when n >= len), keeping the rest in
 * order and the memory. */
void tsam_buf_consume(struct tsam_buf *b, size_t n);

/* Bytes still allowed before the cap. */
size_t tsam_buf_room(const struct tsam_buf *b);

#endif
