/*
 * test_csvread.c - the in-place CSV reader: RFC 4180 quoting, line numbers
 * across quoted newlines, CRLF and lone CR, blanks, BOM, CP932, bounds,
 * a record over 16 MiB skipped, fields of any size, the file reader
 * (records crossing its reads, down to one byte a read) agreeing with the
 * memory reader, and quoted fields over several lines bounded (issue 14):
 * a quote never closed costs its own row, not the rows after it, and the
 * lines it took are reported one by one.
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

/* The lost lines, as "line:LOST (of rec_line)". */
static int collect_lost(void *ctx, size_t line, size_t rec_line)
{
	tsam_buf_addf(ctx, "%zu:LOST (of %zu)\n", line, rec_line);
	return 0;
}

/* A line looks like a record when it has three fields, the first one
 * starting with 'C' (or, ending inside quotes, two or three). */
static bool looks3(void *ctx, char **f, const size_t *lens, size_t n, bool open)
{
	(void)ctx;
	(void)lens;
	return (open ? n >= 2 && n <= 3 : n == 3) && f[0][0] == 'C';
}

/* o's reading of s[0..n): from memory (chunk 0) or a file read chunk
 * bytes at a time. */
static char *read_opts(const char *s, size_t n, struct tsam_csv_opts o,
		       size_t chunk)
{
	struct tsam_buf b;

	tsam_buf_init(&b, 1u << 30);
	o.row = collect;
	o.ctx = &b;
	if (o.lost != NULL)
		o.lost = collect_lost;
	if (chunk == 0) {
		assert_int_equal(tsam_csv_read_mem_with(s, n, &o, NULL),
				 TSAM_OK);
	} else {
		char *path = write_tmp(s, n);

		o.chunk = chunk;
		assert_int_equal(tsam_csv_read_with(path, &o, NULL), TSAM_OK);
		unlink(path);
		free(path);
	}
	tsam_buf_add(&b, "", 1);
	return b.data;
}

/* o's reading of in is want, from memory and from files read 1 MiB, 7, 3
 * and 1 byte at a time. */
static void expect_opts(const char *in, struct tsam_csv_opts o,
			const char *want)
{
	static const size_t chunks[] = {0, 1u << 20, 7, 3, 1};
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char *got = read_opts(in, strlen(in), o, chunks[i]);

		assert_string_equal(got, want);
		free(got);
	}
}

static void expect(const char *in, const char *want)
{
	struct tsam_csv_opts o;
	char *got = read_mem(in, strlen(in));
	char *got2 = read_file(in, strlen(in), NULL);

	assert_string_equal(got, want);
	assert_string_equal(got2, want);
	free(got);
	free(got2);
	memset(&o, 0, sizeof(o));
	expect_opts(in, o, want);
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
	struct tsam_buf b;
	char *got;
	size_t i;

	(void)st;
	/* without a looks function the field takes the lines to the end of
	 * the data: each is reported */
	expect("1,\"never closed\n2,x\n",
	       "1:BAD the quoted field in field 2, opened on line 1, is never "
	       "closed: the data ends inside it\n"
	       "2:BAD a line taken by the unclosed quoted field of the record "
	       "on line 1\n");
	expect("a,\"b\n", "1:BAD the quoted field in field 2, opened on line "
			  "1, is never closed: the data ends inside it\n");
	expect("1,\xff\xfe\n2,ok\n",
	       "1:BAD bytes that are not UTF-8 (wrong --encoding?)\n2:2|ok\n");
	got = read_mem("1,a\0b\n2,ok\n", 11);
	assert_string_equal(
	    got,
	    "1:BAD bytes that are not UTF-8 (wrong --encoding?)\n2:2|ok\n");
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
	/* a quoted field of 20 MiB over 5,243 lines: skipped unread, its
	 * lines counted, the rows after it read */
	size_t n = 20u << 20, i;
	char *s = malloc(n + 64), *got;
	size_t k = 0;

	(void)st;
	k += (size_t)sprintf(s, "a,b\n1,\"");
	for (i = 0; i < n; i++)
		s[k++] = i % 4000 == 3999 ? '\n' : 'y';
	k += (size_t)sprintf(s + k, "\"\n3,z\n");
	got = read_file(s, k, NULL);
	assert_string_equal(got, "1:a|b\n2:BAD a record longer than 16 MiB "
				 "(passed in field 2)\n"
				 "5245:3|z\n");
	free(got);
	/* the same in memory (the bound holds there too, found at the end) */
	got = read_mem(s, k);
	assert_string_equal(got, "1:a|b\n2:BAD a record longer than 16 MiB "
				 "(passed in field 2)\n"
				 "5245:3|z\n");
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

/* Issue 14: 2,000 rows, the 10th with a quote never closed. */
static void t_unclosed_2000(void **st)
{
	struct tsam_buf in, want;
	struct tsam_csv_opts o;
	char *got;
	size_t i, lines = 0;

	(void)st;
	tsam_buf_init(&in, 1u << 30);
	tsam_buf_init(&want, 1u << 30);
	tsam_buf_adds(&in, "id,n,text\n");
	tsam_buf_adds(&want, "1:id|n|text\n");
	for (i = 1; i <= 2000; i++) {
		if (i == 10) {
			tsam_buf_adds(&in, "C0010,10,\"a stray quote\n");
			tsam_buf_adds(&want,
				      "11:BAD the quoted field in column "
				      "\"text\" (field 3), opened on line 11, "
				      "is not closed before line 12, which "
				      "looks like a record of its own\n");
			continue;
		}
		tsam_buf_addf(&in, "C%04zu,%zu,row %zu\n", i, i, i);
		tsam_buf_addf(&want, "%zu:C%04zu|%zu|row %zu\n", i + 1, i, i,
			      i);
	}
	tsam_buf_add(&want, "", 1);
	/* a looks function: the row costs itself only, the others are
	 * read; the same from memory and through reads of any size */
	memset(&o, 0, sizeof(o));
	o.looks = looks3;
	o.header = true;
	got = read_opts(in.data, in.len, o, 0);
	assert_string_equal(got, want.data);
	free(got);
	got = read_opts(in.data, in.len, o, 5);
	assert_string_equal(got, want.data);
	free(got);
	/* none: the field takes every line to the end, and each is
	 * reported - every physical line is a record or a lost line */
	got = read_file(in.data, in.len, NULL);
	for (i = 0; got[i]; i++)
		lines += got[i] == '\n';
	assert_int_equal(lines, 2001);
	assert_non_null(strstr(got, "\n11:BAD the quoted field in field 3, "
				    "opened on line 11, is never closed"));
	assert_non_null(strstr(got, "\n2001:BAD a line taken by the unclosed "
				    "quoted field of the record on line 11\n"));
	free(got);
	/* and a span bound of 100 lines gives the rows after it back */
	memset(&o, 0, sizeof(o));
	o.max_span = 100;
	o.lost = collect_lost;
	got = read_opts(in.data, in.len, o, 0);
	assert_non_null(strstr(got, "\n11:BAD the quoted field in field 3, "
				    "opened on line 11, runs over more than "
				    "100 lines\n12:LOST (of 11)\n"));
	assert_non_null(strstr(got, "\n110:LOST (of 11)\n111:C0110|110|row "
				    "110\n"));
	assert_null(strstr(got, "\n111:LOST"));
	free(got);
	tsam_buf_free(&in);
	tsam_buf_free(&want);
}

/* A lost closing quote after a multi-line text: the text lines are lost
 * (reported), the record after them is read; legitimate multi-line
 * fields - lines with commas, quotes, even three fields - are kept. */
static void t_multiline(void **st)
{
	struct tsam_csv_opts o;

	(void)st;
	memset(&o, 0, sizeof(o));
	o.looks = looks3;
	o.lost = collect_lost;
	expect_opts("id,n,text\n"
		    "C1,1,\"legit, over\n"
		    "three lines, with \"\"quotes\"\"\n"
		    "and a,b,c line\"\n"
		    "C2,2,\"lost closing quote\n"
		    "the scan fails\n"
		    "\n"
		    "  \n"
		    "with error 5\n"
		    "C3,3,fine\n"
		    "C4,4,\"two\r\n"
		    "lines\"\r\n"
		    "C5,5,\"ends inside\n"
		    "C6,6,\"a record that opens a field\n"
		    "and closes it\"\n",
		    o,
		    "1:id|n|text\n"
		    "2:C1|1|legit, over\nthree lines, with \"quotes\"\n"
		    "and a,b,c line\n"
		    "5:BAD the quoted field in field 3, opened on line 5, is "
		    "not closed before line 10, which looks like a record of "
		    "its own\n"
		    "6:LOST (of 5)\n"
		    "9:LOST (of 5)\n"
		    "10:C3|3|fine\n"
		    "11:C4|4|two\r\nlines\n"
		    "13:BAD the quoted field in field 3, opened on line 13, is "
		    "not closed before line 14, which looks like a record of "
		    "its own\n"
		    "14:C6|6|a record that opens a field\nand closes it\n");
	/* the data ends inside: every line after the opening one is lost */
	expect_opts("C1,1,\"x\nfree text\nmore\n", o,
		    "1:BAD the quoted field in field 3, opened on line 1, is "
		    "never closed: the data ends inside it\n"
		    "2:LOST (of 1)\n"
		    "3:LOST (of 1)\n");
}

/* At most max_span lines a quoted field; a lone CR breaks a line there. */
static void t_span(void **st)
{
	struct tsam_csv_opts o;

	(void)st;
	memset(&o, 0, sizeof(o));
	o.max_span = 3;
	o.lost = collect_lost;
	expect_opts("a,\"1\n2\n3\"\nb,\"1\n2\n3\n4\"\nc\n", o,
		    "1:a|1\n2\n3\n"
		    "4:BAD the quoted field in field 2, opened on line 4, "
		    "runs over more than 3 lines\n"
		    "5:LOST (of 4)\n"
		    "6:LOST (of 4)\n"
		    "7:4\"\n"
		    "8:c\n");
	o.max_span = 1;
	expect_opts("a,\"1\rb\"\nc\n", o,
		    "1:BAD the quoted field in field 2, opened on line 1, "
		    "runs over more than 1 lines\n"
		    "1:b\"\n2:c\n");
}

/* A record over the bound is bad, named by line and column; a field of
 * any size in a record under it is delivered whole. */
static void t_bounds(void **st)
{
	struct tsam_csv_opts o;
	struct tsam_buf in, got;
	size_t i;

	(void)st;
	memset(&o, 0, sizeof(o));
	o.header = true;
	o.max_record = 32;
	expect_opts("id,n,text\n1,2,short\n2,3,\"a text that is longer "
		    "than thirty-two bytes\"\n3,4,\"x\ny\"\n4,5,\"\n"
		    "over the bound of thirty-two bytes\n\"\n5,6,z",
		    o,
		    "1:id|n|text\n2:1|2|short\n"
		    "3:BAD a record longer than 32 bytes (passed in column "
		    "\"text\" (field 3))\n"
		    "4:3|4|x\ny\n"
		    "6:BAD a record longer than 32 bytes (passed in column "
		    "\"text\" (field 3))\n"
		    "9:5|6|z\n");
	/* a big record with a quote never closed breaks like any other */
	o.looks = looks3;
	o.lost = collect_lost;
	expect_opts("id,n,text\nC1,1,\"a stray quote and a long text\nmore "
		    "text\nC2,2,ok\n",
		    o,
		    "1:id|n|text\n"
		    "2:BAD the quoted field in column \"text\" (field 3), "
		    "opened on line 2, is not closed before line 4, which "
		    "looks like a record of its own\n"
		    "3:LOST (of 2)\n4:C2|2|ok\n");
	/* 70 KiB in a field (quoted or not): no bound of its own */
	tsam_buf_init(&in, 1u << 30);
	tsam_buf_init(&got, 1u << 30);
	tsam_buf_adds(&in, "1,\"");
	for (i = 0; i < 7 * 1024; i++)
		tsam_buf_adds(&in, "0123456789");
	tsam_buf_adds(&in, "\",x\n2,");
	for (i = 0; i < 7 * 1024; i++)
		tsam_buf_adds(&in, "0123456789");
	tsam_buf_adds(&in, "\n");
	assert_int_equal(
	    tsam_csv_read_mem(in.data, in.len, lengths, &got, NULL), TSAM_OK);
	tsam_buf_add(&got, "", 1);
	assert_string_equal(got.data, "1:3:71681\n2:2:71680\n");
	tsam_buf_free(&in);
	tsam_buf_free(&got);
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
	    cmocka_unit_test(t_unclosed_2000),
	    cmocka_unit_test(t_multiline),
	    cmocka_unit_test(t_span),
	    cmocka_unit_test(t_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
