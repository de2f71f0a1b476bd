/*
 * test_csvread.c - the in-place CSV reader: RFC 4180 quoting, line numbers
 * across quoted newlines, CRLF and lone CR, blanks, BOM, CP932, bounds,
 * a quote never closed, a record over 16 MiB skipped, and the file reader
 * (records crossing its 1 MiB reads) agreeing with the memory reader on a
 * large random export.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "csvread.h"

/* Every record as "line:f1|f2|..." or "line:BAD reason", one per line. */
static int collect(void *ctx, size_t line, char **f, const size_t *lens,
		   size_t n, const char *bad)
{
	struct tsam_buf *b = ctx;
	size_t i;

	tsam_buf_addf(b, "%zu:", line);
	if (bad != NULL)
		tsam_buf_addf(b, "BAD %s", bad);
	for (i = 0; i < n; i++) {
		assert_int_equal(strlen(f[i]), lens[i]);
		tsam_buf_addf(b, "%s%s", i ? "|" : "", f[i]);
	}
	tsam_buf_adds(b, "\n");
	return 0;
}

static char *read_mem(const char *s, size_t n)
{
	struct tsam_buf b;

	tsam_buf_init(&b, 1u << 30);
	assert_int_equal(tsam_csv_read_mem(s, n, collect, &b, NULL), TSAM_OK);
	tsam_buf_add(&b, "", 1);
	return b.data;
}

static char *write_tmp(const char *s, size_t n)
{
	char *path = strdup("/tmp/tsam-csv-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	close(fd);
	return path;
}

static char *read_file(const char *s, size_t n, const char *enc)
{
	struct tsam_buf b;
	char *path = write_tmp(s, n);

	tsam_buf_init(&b, 1u << 30);
	assert_int_equal(tsam_csv_read(path, enc, collect, &b, NULL), TSAM_OK);
	tsam_buf_add(&b, "", 1);
	unlink(path);
	free(path);
	return b.data;
}

static void expect(const char *in, const char *want)
{
	char *got = read_mem(in, strlen(in));
	char *got2 = read_file(in, strlen(in), NULL);

	assert_string_equal(got, want);
	assert_string_equal(got2, want);
	free(got);
	free(got2);
}

static void t_basic(void **st)
{
	(void)st;
	expect("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
	expect("a,b\n1,2", "1:a|b\n2:1|2\n");	/* no final LF */
	expect("a,,\n,x,\n", "1:a||\n2:|x|\n"); /* empty fields */
	expect("", "");
}

static void t_quotes(void **st)
{
	(void)st;
	expect("id,subject\n1,\"a, b\"\n", "1:id|subject\n2:1|a, b\n");
	expect("1,\"say \"\"hi\"\"\"\n", "1:1|say \"hi\"\n");
	expect("\"\"\n", "1:\n");
	/* a quoted newline: the next record's line counts it */
	expect("1,\"two\nlines\"\n2,x\n", "1:1|two\nlines\n3:2|x\n");
	expect("1,\"a\r\nb\"\r\n2,y\r\n", "1:1|a\r\nb\n3:2|y\n");
	/* a quote inside an unquoted field is a character */
	expect("1,5\" disk\n", "1:1|5\" disk\n");
	/* blanks around a quoted field go, inside it they stay */
	expect("1,  \" x \"  ,2\n", "1:1| x |2\n");
	/* a quote not followed by a comma or the line's end is text, and
	 * the field goes on (libcsv's rule) */
	expect("1,\"a\"b\",2\n", "1:1|a\"b|2\n");
	expect("1,\"a\" \"b\" ,2\n", "1:1|a\" \"b|2\n");
}

static void t_lines(void **st)
{
	(void)st;
	expect("a\r\nb\r\n", "1:a\n2:b\n");
	expect("a\rb\rc\n", "1:a\n1:b\n1:c\n");	      /* lone CRs: one line */
	expect("\n\na\n\n  \n\r\nb\n", "3:a\n7:b\n"); /* blank lines */
	expect("  a , b\t\n", "1:a|b\n");
}

static void t_bad(void **st)
{
	char big[70 * 1024 + 16];
	struct tsam_buf b;
	char *got;
	size_t i;

	(void)st;
	expect("1,\"never closed\n2,x\n",
	       "1:BAD a quoted field that is never closed\n");
	expect("1,\xff\xfe\n2,ok\n",
	       "1:BAD bytes that are not UTF-8 (wrong --encoding?)\n2:2|ok\n");
	got = read_mem("1,a\0b\n2,ok\n", 11);
	assert_string_equal(
	    got,
	    "1:BAD bytes that are not UTF-8 (wrong --encoding?)\n2:2|ok\n");
	free(got);
	/* a field over 64 KiB, then the next row as usual */
	memset(big, 'x', sizeof(big));
	memcpy(big, "1,", 2);
	memcpy(big + sizeof(big) - 7, "\n2,ok\n", 6);
	got = read_mem(big, sizeof(big) - 1);
	assert_string_equal(got, "1:BAD a field longer than 64 KiB\n2:2|ok\n");
	free(got);
	/* 257 fields */
	tsam_buf_init(&b, 1u << 30);
	for (i = 0; i < 257; i++)
		tsam_buf_adds(&b, i ? ",x" : "x");
	tsam_buf_adds(&b, "\n2,ok\n");
	got = read_mem(b.data, b.len);
	assert_string_equal(got, "1:BAD more than 256 fields\n2:2|ok\n");
	free(got);
	tsam_buf_free(&b);
}

static void t_huge_record(void **st)
{
	/* a quoted field of 20 MiB with newlines: skipped unread, its lines
	 * counted, the rows after it read */
	size_t n = 20u << 20, i;
	char *s = malloc(n + 64), *got;
	size_t k = 0;

	(void)st;
	k += (size_t)sprintf(s, "a,b\n1,\"");
	for (i = 0; i < n; i++)
		s[k++] = i % 1000 == 999 ? '\n' : 'y';
	k += (size_t)sprintf(s + k, "\"\n3,z\n");
	got = read_file(s, k, NULL);
	assert_string_equal(got, "1:a|b\n2:BAD a record longer than 16 MiB\n"
				 "20974:3|z\n");
	free(got);
	free(s);
}

static void t_bom_cp932(void **st)
{
	/* 緊急 in CP932 */
	static const char cp[] = "id,sev\n1,\x8b\xd9\x8b\x7d\n";
	char *got;

	(void)st;
	expect("\xEF\xBB\xBFid,x\n1,2\n", "1:id|x\n2:1|2\n");
	got = read_file(cp, sizeof(cp) - 1, "CP932");
	assert_string_equal(got, "1:id|sev\n2:1|緊急\n");
	free(got);
}

/* Per record: its line, its fields and their bytes after the first. */
static int lengths(void *ctx, size_t line, char **f, const size_t *lens,
		   size_t n, const char *bad)
{
	struct tsam_buf *b = ctx;
	size_t i, total = 0;

	(void)f;
	for (i = 1; i < n; i++)
		total += lens[i];
	tsam_buf_addf(b, "%zu:%zu:%zu%s\n", line, n, total, bad ? " BAD" : "");
	return 0;
}

/* A CP932 export with records of up to 20 quoted fields of 60 KB once
 * converted (1.2 MB a record): conversion fills the buffer while much of
 * the input waits, and not a byte of it may be lost. */
static void cp932_large_records(void **st)
{
	static const size_t m[] = {1, 20, 2, 12, 20, 1, 3};
	struct tsam_buf in, got, want;
	char *path;
	size_t i, j, c;

	(void)st;
	tsam_buf_init(&in, 1u << 30);
	tsam_buf_init(&got, 1u << 30);
	tsam_buf_init(&want, 1u << 30);
	tsam_buf_adds(&in, "id,text\r\n");
	tsam_buf_addf(&want, "1:2:4\n");
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		tsam_buf_addf(&in, "%zu", i);
		for (j = 0; j < m[i]; j++) {
			tsam_buf_adds(&in, ",\"");
			for (c = 0; c < 20000; c++)
				tsam_buf_add(&in, "\x8b\xd9", 2); /* 緊 */
			tsam_buf_adds(&in, "\"");
		}
		tsam_buf_adds(&in, "\r\n");
		tsam_buf_addf(&want, "%zu:%zu:%zu\n", i + 2, m[i] + 1,
			      m[i] * 60000);
	}
	path = write_tmp(in.data, in.len);
	assert_int_equal(tsam_csv_read(path, "CP932", lengths, &got, NULL),
			 TSAM_OK);
	tsam_buf_add(&got, "", 1);
	tsam_buf_add(&want, "", 1);
	assert_string_equal(got.data, want.data);
	unlink(path);
	free(path);
	tsam_buf_free(&in);
	tsam_buf_free(&got);
	tsam_buf_free(&want);
}

/* A large random export read from a file (1 MiB reads, records across
 * them) and from memory gives the same records. */
static void t_file_equals_mem(void **st)
{
	struct tsam_buf in;
	char *a, *b;
	unsigned seed = 7;
	size_t i;

	(void)st;
	tsam_buf_init(&in, 1u << 30);
	tsam_buf_adds(&in, "id,created,subject,body\r\n");
	for (i = 0; in.len < (6u << 20); i++) {
		seed = seed * 1103515245u + 12345u;
		switch (seed >> 28 & 3) {
		case 0:
			tsam_buf_addf(&in, "C%zu,2026-07-01,plain,%u\n", i,
				      seed);
			break;
		case 1:
			tsam_buf_addf(&in,
				      "C%zu,2026-07-02,\"with, comma\",\"two\n"
				      "lines \"\"quoted\"\"\"\r\n",
				      i);
			break;
		case 2:
			tsam_buf_addf(&in, "C%zu,2026-07-03,\"%*s\",日本語\n",
				      i, (int)(seed % 3000), "");
			break;
		default:
			tsam_buf_adds(&in, "\n");
		}
	}
	a = read_mem(in.data, in.len);
	b = read_file(in.data, in.len, NULL);
	assert_true(strlen(a) > in.len / 2);
	assert_string_equal(a, b);
	free(a);
	free(b);
	tsam_buf_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_basic),
	    cmocka_unit_test(t_quotes),
	    cmocka_unit_test(t_lines),
	    cmocka_unit_test(t_bad),
	    cmocka_unit_test(t_huge_record),
	    cmocka_unit_test(t_bom_cp932),
	    cmocka_unit_test(t_file_equals_mem),
	    cmocka_unit_test(cp932_large_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
