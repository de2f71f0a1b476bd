/*
 * str.h - bounded reading of untrusted text.
 *
 * A struct tsam_cur is a (pointer, length) view over bytes that may hold
 * anything, NULs included. Every getter consumes through a bounds check and
 * returns a code; nothing here reads past the end or needs a terminator.
 * This is how inventories, known_hosts files and remote output are read:
 * never sscanf/atoi/strtok.
 */
#ifndef TSAM_STR_H
#define TSAM_STR_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tsam_cur {
	const char *p; /* next byte */
	size_t n;      /* bytes left */
};

/* A cursor over n bytes at p. */
struct tsam_cur tsam_cur_make(const char *p, size_t n);

/* A cursor over a NUL-terminated string. */
struct tsam_cur tsam_cur_str(const char *s);

/*
 * Takes the next line (without its "\n" or "\r\n") into *line and advances
 * past it. Returns false at the end of input.
 */
bool tsam_cur_getline(struct tsam_cur *c, struct tsam_cur *line);

/* Skips spaces and tabs. */
void tsam_cur_skip_blank(struct tsam_cur *c);

/* Takes the next run of non-blank bytes into *tok; false when none. */
bool tsam_cur_token(struct tsam_cur *c, struct tsam_cur *tok);

/* Removes leading and trailing spaces, tabs, CR and LF from *c. */
void tsam_cur_trim(struct tsam_cur *c);

/* True when c holds exactly the string s. */
bool tsam_cur_eq(struct tsam_cur c, const char *s);

/*
 * Splits line at the first sep into *key and *val, both trimmed. False
 * when line has no sep.
 */
bool tsam_cur_split(struct tsam_cur line, char sep, struct tsam_cur *key,
		    struct tsam_cur *val);

/* The first place in c holding the n bytes at s, or NULL. */
const char *tsam_cur_find(struct tsam_cur c, const char *s, size_t n);

/* True when c contains the string s anywhere. */
bool tsam_cur_contains(struct tsam_cur c, const char *s);

/* True when c starts with s; consumes it when it does. */
bool tsam_cur_skip_prefix(struct tsam_cur *c, const char *s);

/*
 * Parses all of c as a decimal unsigned integer no larger than max.
 * TSAM_ERR_PARSE when c is empty, holds a non-digit, or exceeds max.
 */
TSAM_MUST_CHECK enum tsam_err tsam_cur_to_u64(struct tsam_cur c, uint64_t max,
					      uint64_t *out);

/* A NUL-terminated copy of c; caller frees. NULL on allocation failure. */
char *tsam_cur_dup(struct tsam_cur c);

/* Copies src into dst of size dstsz, always terminating; false if cut. */
bool tsam_strlcpy(char *dst, const char *src, size_t dstsz);

/*
 * A copy of n bytes at p as valid UTF-8: invalid sequences and NULs become
 * U+FFFD, other control characters except TAB/LF/CR become U+FFFD too.
 * Caller frees; NULL on allocation failure.
 */
char *tsam_utf8_sanitize(const char *p, size_t n);

/* Decodes the code point at s[*i] (n bytes), advancing *i; U+FFFD for an
 * invalid sequence (overlong, surrogate, truncated: one byte consumed). */
uint32_t tsam_utf8_next(const char *s, size_t n, size_t *i);

/* True when the n bytes at p are valid UTF-8 with no NUL. */
bool tsam_utf8_valid(const char *p, size_t n);

/* 32 random hex digits (16 bytes from getrandom) and a NUL into out:
 * tokens that no endpoint output can guess. TSAM_ERR_IO when the kernel
 * gives no random bytes. */
TSAM_MUST_CHECK enum tsam_err tsam_random_hex(char out[33]);

/* A list of owned strings. */
struct tsam_strlist {
	char **v;
	size_t n;
	size_t cap;
};

/* Frees every string and the array; leaves l empty. */
void tsam_strlist_free(struct tsam_strlist *l);

/* Appends a copy of s. */
TSAM_MUST_CHECK enum tsam_err tsam_strlist_add(struct tsam_strlist *l,
					       const char *s);

/* Compares dotted versions ("10.5.2" < "10.10"); numeric parts compare
 * as numbers, other parts as strings. <0, 0, >0. */
int tsam_version_cmp(const char *a, const char *b);

#endif
