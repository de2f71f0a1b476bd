/*
 * scratch.h - a unit test's scratch directory, the one way every test
 * makes it: scratch_make makes /tmp/tsam-NAME-XXXXXX (mkdtemp),
 * scratch_write writes a named file in it and returns its path,
 * scratch_path names one without writing it, and scratch_remove removes
 * the directory with all it holds (nftw, depth first, links not
 * followed: no shell). scratch_teardown is a cmocka group teardown for a
 * test whose setup makes the directory.
 *
 * Header only (every function static, named scratch_), one directory at
 * a time per test program. Include it before any system header: nftw
 * needs _XOPEN_SOURCE, which only counts before the first one. It brings
 * in cmocka: a file that cannot be written fails the test.
 */
#ifndef TSAM_TEST_SCRATCH_H
#define TSAM_TEST_SCRATCH_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory scratch_make made; "" when there is none. */
static char scratch_dir[64];

/* Makes /tmp/tsam-NAME-XXXXXX; returns its path (scratch_dir), or NULL. */
static inline const char *scratch_make(const char *name)
{
	int n = snprintf(scratch_dir, sizeof(scratch_dir),
			 "/tmp/tsam-%s-XXXXXX", name);

	if (n < 0 || (size_t)n >= sizeof(scratch_dir) ||
	    mkdtemp(scratch_dir) == NULL) {
		scratch_dir[0] = '\0';
		return NULL;
	}
	return scratch_dir;
}

/* DIR/name (name may go through subdirectories), in a buffer the next
 * scratch_path or scratch_write reuses. */
static inline const char *scratch_path(const char *name)
{
	static char path[256];
	int n = snprintf(path, sizeof(path), "%s/%s", scratch_dir, name);

	if (n < 0 || (size_t)n >= sizeof(path))
		fail_msg("scratch path too long: %s/%s", scratch_dir, name);
	return path;
}

static inline const char *scratch_write(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes the printf-formatted text to DIR/name, replacing the file;
 * returns scratch_path(name). Failing to write fails the test. */
static inline const char *scratch_write(const char *name, const char *fmt, ...)
{
	const char *path = scratch_path(name);
	FILE *f = fopen(path, "w");
	va_list ap;
	int n;

	if (f == NULL)
		fail_msg("cannot write %s", path);
	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0 || n < 0)
		fail_msg("cannot write %s", path);
	return path;
}

/* nftw callback: removes one entry (a directory after its contents). */
static inline int scratch_unlink(const char *path, const struct stat *st,
				 int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes the scratch directory and all it holds; 0, or -1 (with a
 * message) when something stayed. */
static inline int scratch_remove(void)
{
	int rc = 0;

	if (scratch_dir[0] != '\0' &&
	    nftw(scratch_dir, scratch_unlink, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		perror(scratch_dir);
		rc = -1;
	}
	scratch_dir[0] = '\0';
	return rc;
}

/* A cmocka group teardown: scratch_remove. */
static inline int scratch_teardown(void **state)
{
	(void)state;
	return scratch_remove();
}

#endif
