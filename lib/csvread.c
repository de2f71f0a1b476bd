/*
 * csvread.c - an RFC 4180 reader that works in place on the bytes read.
 *
 * Why not libcsv (which this file used until the issue 5 benchmark):
 * libcsv walks every byte through its state machine and copies every
 * field, which alone took 1.2x the time mawk needs to split the same
 * files, more than half of tsam-cases' whole budget. Here each record is
 * first delimited and then split in place: fields are NUL-terminated
 * where their delimiter was, doubled quotes are folded, nothing is
 * copied. libcsv stays the reference: tests/fuzz/fuzz_csv.c feeds both
 * the same bytes and compares every record, with the bounds below applied
 * to libcsv's reading.
 *
 * The dialect is libcsv's default one: fields split on ',', records end at
 * LF, CRLF or a lone CR; spaces and tabs around an unquoted field and
 * around a quoted one are dropped; a quote inside an unquoted field is an
 * ordinary character; a quote in a quoted field closes it only when
 * nothing but blanks follows it before a comma, a line end or the end of
 * the data - otherwise it is text. Blank lines are no records.
 * * Theory of operation. A line without a quote (most rows of most exports)
 * is a record found with two memchr calls and split with one a comma. Any
 * other record goes through a scanner (struct scan) that walks it field by
 * field and can stop wherever the data read so far ends and go on when
 * more arrives (its offsets are relative to the record's start, which the
 * file reader moves to the front of its buffer). Quoted text is walked
 * quote to quote with memchr; a quoted field that closes before the first
 * CR or LF of its record's data (found once a record) holds no line break
 * - nearly all of them - and costs nothing more.
 *
 * A quoted field that does hold line breaks is walked break by break
 * ("slow"), because a quote never closed would otherwise take every line
 * after it into one record (issue 14: 2,000 rows read as 10). Each line
 * it takes after its first is checked before the field may go on:
 *   - a field may span at most max_span physical lines;
 *   - a line that, read on its own, looks like a record (the caller's
 *     looks function: for tsam-cases, the header's width with a case id
 *     and a valid time where they belong) means the quote was never
 *     closed: records do not hide inside a quoted field.
 * A field that hits either, or the end of the data, breaks: its record is
 * reported bad at its first line, the non-blank lines the field took up to
 * there are reported lost one by one (struct rd.lostv), and reading goes
 * on at the line where it broke - so a stray quote costs its own row and
 * the rows after it are read as what they are. A multi-line field that
 * closes without breaking is kept whole, as RFC 4180 wants.
 *
 * A record longer than max_record is bad. The file reader sees that
 * before its end: the record is then "big", its bytes are dropped as they
 * are scanned (memory stays bounded), and the scanner goes on to find its
 * end by the same rules - so a big record with a broken quote breaks too.
 *
 * Lines are physical lines: a record's line is the count of LFs before
 * it, plus one. Inside a quoted field a lone CR also breaks a line for the
 * checks above (it does not count as a line in numbers).
 *
 * Size: a hot-path reader (BENCHMARKS.md): quoting, bounds, line numbers and
 * the iconv step are kept together so the inner loop stays one function.
 */
#include "csvread.h"

#include "buf.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	       (1024 * 1024)
#define NAME_MAX_SHOWN 48 /* bytes of a column name in a reason */

enum sc_res { SC_GO, SC_MORE, SC_END, SC_BROKEN };
enum sc_state {
	F_START,  /* at a field's start: blanks, then a quote or text */
	F_PLAIN,  /* in unquoted text (or after a closing quote): to , CR LF */
	F_QUOTED, /* in quoted text */
	F_QBLANK  /* after a quote in quoted text, blanks so far */
};
enum q_res { Q_CLOSED, Q_PENDING, Q_NONE };
enum br_kind { BR_EOF, BR_LOOKS, BR_SPAN };

/* The record being delimited, kept across reads. Offsets are from the
 * record's start (what is left of it in the buffer, once big). */
struct scan {
	bool on;	  /* a record is under way */
	enum sc_state st; /* where off is */
	size_t off;	  /* bytes examined */
	size_t field;	  /* the field at off, from 0 */
	size_t nl;	  /* LFs before off */
	bool seen;	  /* a byte that is not a blank */
	bool quoted;	  /* a field opened with a quote */
	bool slow;	  /* F_QUOTED: its text holds a line break */
	bool line_due;	  /* slow: the line at off waits for its check */
	bool qb_blanks;	  /* F_QBLANK: blanks came after the quote */
	size_t q_field;	  /* the quoted field under way: its index, */
	size_t q_line;	  /* the line of its opening quote, */
	size_t q_lines;	  /* the breaks in it so far */
	size_t qpos;	  /* slow: the walk's last answer, at qpos, */
	enum q_res qkind; /* of this kind, */
	size_t qavail;	  /* for this much data (Q_CLOSED: for good) */
	bool qvalid, qfinal;
	bool big;	  /* over max_record: bad, bytes dropped */
	size_t big_field; /* where it passed max_record */
	size_t dropped;	  /* bytes of it dropped */
	size_t brk1;	  /* no CR or LF before this offset */
	enum br_kind br;  /* SC_BROKEN: why */
};

struct rd {
	const struct tsam_csv_opts *o;
	tsam_csv_row_fn row; /* o's, at hand */
	void *ctx;
	size_t max_span, max_record;
	size_t line; /* of the next record */
	size_t lens[TSAM_CSV_MAX_FIELDS];
	char *ptrs[TSAM_CSV_MAX_FIELDS];
	bool stop, nomem;
	struct scan sc;
	/* lines taken by the quoted field under way (lost if it breaks) */
	size_t *lostv, nlost, caplost;
	/* a line inside a quoted field, read on its own */
	char *scratch;
	size_t capscratch;
	size_t llens[TSAM_CSV_MAX_FIELDS];
	char *lptrs[TSAM_CSV_MAX_FIELDS];
	/* column names (o->header): NUL-separated, from the first record */
	char *names;
	size_t name_at[TSAM_CSV_MAX_FIELDS], nnames;
	bool names_done;
	char why[320];
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Keeps the first good record's fields as column names, each cut to
 * NAME_MAX_SHOWN bytes on a character boundary. */
static void keep_names(struct rd *r, size_t n)
{
	size_t i, total = 0, at = 0;

	r->names_done = true;
	for (i = 0; i < n; i++)
		total += (r->lens[i] < NAME_MAX_SHOWN ? r->lens[i]
						      : NAME_MAX_SHOWN) +
			 1;
	if ((r->names = malloc(total ? total : 1)) == NULL)
		return; /* reasons then say "field N" */
	for (i = 0; i < n; i++) {
		size_t len = r->lens[i];

		if (len > NAME_MAX_SHOWN) {
			len = NAME_MAX_SHOWN;
			while (len > 0 &&
			       ((unsigned char)r->ptrs[i][len] & 0xC0) == 0x80)
				len--;
		}
		memcpy(r->names + at, r->ptrs[i], len);
		r->names[at + len] = '\0';
		r->name_at[i] = at;
		at += len + 1;
	}
	r->nnames = n;
}

/* Names field k (from 0) for a reason: column "x" (field k+1), or field
 * k+1 without a header. */
static const char *col_name(const struct rd *r, size_t k, char *out,
			    size_t size)
{
	if (k < r->nnames)
		snprintf(out, size, "column \"%s\" (field %zu)",
			 r->names + r->name_at[k], k + 1);
	else
		snprintf(out, size, "field %zu", k + 1);
	return out;
}

/* Hands one record to the caller (the first good one, with o->header,
 * kept as the column names first). */
static inline void emit(struct rd *r, size_t line, size_t n, const char *bad)
{
	if (!r->names_done && bad == NULL)
		keep_names(r, n);
	if (r->row(r->ctx, line, r->ptrs, r->lens, bad ? 0 : n, bad) != 0)
		r->stop = true;
}

/* Ends field k at p[len] (in place) and records it. */
static const char *field(char **ptrs, size_t *lens, size_t k, char *p,
			 size_t len)
{
	if (k == TSAM_CSV_MAX_FIELDS)
		return "more than 256 fields";
	p[len] = '\0';
	ptrs[k] = p;
	lens[k] = len;
	return NULL;
}

/* Splits a record without quotes, s[0..n) with s[n] writable. */
static inline void split_plain(struct rd *r, char *s, size_t n, size_t line)
{
	char *end = s + n, *p = s, *c;
	const char *bad = NULL;
	size_t k = 0;

	for (;;) {
		char *a = p, *b;

		c = memchr(p, ',', (size_t)(end - p));
		b = c ? c : end;
		while (a < b && blank(*a))
			a++;
		while (b > a && blank(b[-1]))
			b--;
		if ((bad = field(r->ptrs, r->lens, k++, a, (size_t)(b - a))) !=
		    NULL)
			break;
		if (c == NULL)
			break;
		p = c + 1;
	}
	emit(r, line, k, bad);
}

/*
 * Walks a quoted field whose text starts at p: returns its closing quote -
 * the first quote followed by nothing but blanks before a comma, CR, LF or
 * the end of the data - or NULL when the data ends first. A doubled quote
 * is one quote of the text; any other quote is an ordinary character
 * (libcsv's rule). The text is moved down to out, ending at *outend.
 */
static char *quoted_field(char *p, char *end, char *out, char **outend)
{
	for (;;) {
		char *q = memchr(p, '"', (size_t)(end - p)), *j;
		size_t seg = (size_t)((q ? q : end) - p);

		memmove(out, p, seg);
		out += seg;
		*outend = out;
		if (q == NULL)
			return NULL;
		for (j = q + 1; j < end && blank(*j); j++)
			;
		if (j == end || *j == ',' || *j == '\n' || *j == '\r')
			return q;
		*out++ = '"';
		p = q + 1 + (q[1] == '"');
	}
}

/*
 * Splits s[0..n) (s[n] writable) in place into fields: returns their
 * count, or sets *bad (too many). *open: the data ends inside a quoted
 * field (the last one).
 */
static size_t split(char *s, size_t n, char **ptrs, size_t *lens,
		    const char **bad, bool *open)
{
	char *end = s + n, *p = s;
	size_t k = 0;

	*open = false;
	for (;;) {
		char *a, *out;

		while (p < end && blank(*p))
			p++;
		a = out = p;
		if (p < end && *p == '"') {
			/* the text moves down over the opening quote */
			char *q = quoted_field(p + 1, end, a, &out);

			*open = q == NULL;
			p = q ? q + 1 : end;
			while (p < end && blank(*p))
				p++;
		} else {
			while (p < end && *p != ',')
				p++;
			out = p;
			while (out > a && blank(out[-1]))
				out--;
		}
		*bad = field(ptrs, lens, k, a, (size_t)(out - a));
		if (*bad != NULL)
			return k;
		k++;
		if (p >= end)
			return k;
		p++; /* the comma */
	}
}

/*
 * The walk through quoted text from p: *q is the closing quote
 * (Q_CLOSED), a quote followed by blanks up to the end of data that is
 * not final (Q_PENDING: more data decides), or end (Q_NONE).
 */
static enum q_res walk_quoted(char *p, char *end, bool final, char **q)
{
	for (;;) {
		char *j;

		*q = memchr(p, '"', (size_t)(end - p));
		if (*q == NULL) {
			*q = end;
			return Q_NONE;
		}
		for (j = *q + 1; j < end && blank(*j); j++)
			;
		if (j == end && !final)
			return Q_PENDING;
		if (j == end || *j == ',' || *j == '\n' || *j == '\r')
			return Q_CLOSED;
		p = *q + 1 + ((*q)[1] == '"');
	}
}

/*
 * The first line break in p[0..q-p) (an LF, or a CR not followed by one;
 * the data ends at end), or NULL. *undecided: a CR ends the data, which
 * is not final.
 */
static char *first_break(char *p, char *q, char *end, bool final,
			 bool *undecided)
{
	char *lf = memchr(p, '\n', (size_t)(q - p));
	char *cr = memchr(p, '\r', (size_t)((lf ? lf : q) - p));

	*undecided = false;
	if (cr == NULL)
		return lf;
	if (cr + 1 < end)
		return cr[1] == '\n' ? cr + 1 : cr;
	if (final)
		return cr;
	*undecided = true;
	return NULL;
}

static int broken(struct scan *c, enum br_kind why, size_t at)
{
	c->br = why;
	c->off = at;
	return SC_BROKEN;
}

/* Notes a line the quoted field under way took (lost if it breaks). */
static void take_line(struct rd *r, size_t line)
{
	if (tsam_grow(&r->lostv, &r->caplost, r->nlost + 1,
		      sizeof(*r->lostv)) != TSAM_OK) {
		r->nomem = r->stop = true;
		return;
	}
	r->lostv[r->nlost++] = line;
}

/* True when the first bytes of a line (up to max_record + 1 of them) are
 * all blanks: a blank line. */
static bool blank_line(const struct rd *r, const char *p, size_t n)
{
	size_t i;

	if (n > r->max_record + 1)
		n = r->max_record + 1;
	for (i = 0; i < n; i++)
		if (!blank(p[i]))
			return false;
	return true;
}

/*
 * Checks the line at c->off, which a quoted field would take after a
 * break: SC_GO (it may), SC_MORE (its end is not read yet) or SC_BROKEN.
 */
static int check_line(struct rd *r, char *s, size_t avail, bool final)
{
	struct scan *c = &r->sc;
	char *ls = s + c->off, *end = s + avail, *lf, *cr, *le = NULL;
	size_t known, n;
	const char *bad;
	bool open;

	if (c->off == avail)
		return final ? broken(c, BR_EOF, avail) : SC_MORE;
	if (c->q_lines >= r->max_span)
		return broken(c, BR_SPAN, c->off);
	lf = memchr(ls, '\n', (size_t)(end - ls));
	cr = memchr(ls, '\r', (size_t)((lf ? lf : end) - ls));
	if (cr != NULL && (cr + 1 < end || final))
		le = cr; /* a lone CR or a CRLF: the line ends before it */
	else if (cr == NULL && (lf != NULL || final))
		le = lf ? lf : end;
	known = (size_t)((le ? le : cr ? cr : end) - ls);
	if (le == NULL && known <= r->max_record)
		return SC_MORE;
	if (blank_line(r, ls, known))
		return SC_GO;
	if (le != NULL && known <= r->max_record && r->o->looks != NULL) {
		/* the line read on its own, from a copy */
		if (known + 1 > r->capscratch) {
			char *ns = realloc(r->scratch, known + 1);

			if (ns == NULL) {
				r->nomem = r->stop = true;
				return SC_GO;
			}
			r->scratch = ns;
			r->capscratch = known + 1;
		}
		memcpy(r->scratch, ls, known);
		n = split(r->scratch, known, r->lptrs, r->llens, &bad, &open);
		if (bad == NULL &&
		    r->o->looks(r->o->ctx, r->lptrs, r->llens, n, open))
			return broken(c, BR_LOOKS, c->off);
	}
	/* a line longer than max_record never looks like a record */
	take_line(r, r->line + c->nl);
	return SC_GO;
}

/* A quoted field whose text holds line breaks, walked break by break. */
static int quoted_slow(struct rd *r, char *s, size_t avail, bool final)
{
	struct scan *c = &r->sc;
	char *end = s + avail;

	for (;;) {
		char *p, *q, *b;
		bool undecided;

		if (c->line_due) {
			int rc = check_line(r, s, avail, final);

			if (rc != SC_GO)
				return rc;
			c->line_due = false;
		}
		p = s + c->off;
		/* the walk's answer holds until the data or its end changes */
		if (!c->qvalid || c->qpos < c->off ||
		    (c->qkind != Q_CLOSED &&
		     (c->qavail != avail || c->qfinal != final))) {
			c->qkind = walk_quoted(p, end, final, &q);
			c->qpos = (size_t)(q - s);
			c->qavail = avail;
			c->qfinal = final;
			c->qvalid = true;
		}
		q = s + c->qpos;
		b = first_break(p, q, end, final, &undecided);
		if (undecided) {
			c->off = avail - 1;
			return SC_MORE;
		}
		if (b != NULL) {
			c->nl += *b == '\n';
			c->q_lines++;
			c->off = (size_t)(b + 1 - s);
			c->line_due = true;
			continue;
		}
		switch (c->qkind) {
		case Q_CLOSED:
			c->st = F_PLAIN;
			c->off = c->qpos + 1;
			return SC_GO;
		case Q_PENDING:
			c->st = F_QBLANK;
			c->qb_blanks = c->qpos + 1 < avail;
			c->off = avail;
			return SC_MORE;
		default:
			if (final)
				return broken(c, BR_EOF, avail);
			c->off = avail;
			return SC_MORE;
		}
	}
}

/*
 * Scans the record at s[0..avail) from where it stopped: SC_END (its
 * terminator at c->off, or the end of final data), SC_BROKEN (a quoted
 * field broke; reading goes on at c->off) or SC_MORE.
 */
static int scan(struct rd *r, char *s, size_t avail, bool final)
{
	struct scan *c = &r->sc;
	char *end = s + avail;

	for (;;) {
		char *p = s + c->off, *q;
		int rc;

		switch (c->st) {
		case F_START:
			while (p < end && blank(*p))
				p++;
			c->off = (size_t)(p - s);
			if (p == end)
				return final ? SC_END : SC_MORE;
			if (*p == '"') {
				c->st = F_QUOTED;
				c->seen = c->quoted = true;
				c->slow = c->line_due = c->qvalid = false;
				c->q_field = c->field;
				c->q_line = r->line + c->nl;
				c->q_lines = 0;
				r->nlost = 0;
				c->off++;
				break;
			}
			c->seen |= *p != '\n' && *p != '\r';
			c->st = F_PLAIN;
			/* fall through */
		case F_PLAIN:
			while (p < end && *p != ',' && *p != '\n' && *p != '\r')
				p++;
			c->off = (size_t)(p - s);
			if (p == end)
				return final ? SC_END : SC_MORE;
			if (*p != ',')
				/* a CR at the end: CRLF cut in two? */
				return *p == '\r' && p + 1 == end && !final
					   ? SC_MORE
					   : SC_END;
			c->field++;
			c->off++;
			c->st = F_START;
			break;
		case F_QBLANK:
			for (; p < end && blank(*p); p++)
				c->qb_blanks = true;
			c->off = (size_t)(p - s);
			if (p == end) {
				if (!final)
					return SC_MORE;
				c->st = F_PLAIN; /* closed by the end */
				break;
			}
			/* closed, or the quote was text and the walk goes on:
			 * a quote right after it makes a doubled one (text),
			 * after blanks it is the next candidate */
			if (*p == ',' || *p == '\n' || *p == '\r') {
				c->st = F_PLAIN;
				break;
			}
			c->st = F_QUOTED;
			c->off += *p == '"' && !c->qb_blanks;
			break;
		case F_QUOTED:
			if (!c->slow) {
				enum q_res k = walk_quoted(p, end, final, &q);

				if ((size_t)(q - s) <= c->brk1 ||
				    (memchr(p, '\n', (size_t)(q - p)) == NULL &&
				     memchr(p, '\r', (size_t)(q - p)) ==
					 NULL)) {
					if (k == Q_CLOSED) {
						c->st = F_PLAIN;
						c->off = (size_t)(q + 1 - s);
						break;
					}
					if (k == Q_PENDING) {
						c->st = F_QBLANK;
						c->qb_blanks = q + 1 < end;
						c->off = avail;
						return SC_MORE;
					}
					if (final)
						return broken(c, BR_EOF, avail);
					c->off = avail;
					return SC_MORE;
				}
				c->slow = true;
			}
			rc = quoted_slow(r, s, avail, final);
			if (rc != SC_GO)
				return rc;
			break;
		}
	}
}

/* Which field of the record s[0..n) holds byte x (for reasons). */
static size_t field_at(char *s, size_t n, size_t x)
{
	char *p = s, *end = s + n, *q;
	size_t k = 0;

	for (;;) {
		while (p < end && blank(*p))
			p++;
		if (p < end && *p == '"')
			p = walk_quoted(p + 1, end, true, &q) == Q_CLOSED
				? q + 1
				: end;
		while (p < end && *p != ',')
			p++;
		if (p >= end || (size_t)(p - s) >= x)
			return k;
		p++;
		k++;
	}
}

/* "16 MiB" or "1000 bytes". */
static const char *size_words(size_t n, char *out, size_t size)
{
	if (n % (1u << 20) == 0)
		snprintf(out, size, "%zu MiB", n >> 20);
	else
		snprintf(out, size, "%zu bytes", n);
	return out;
}

/* The scanner asks for more data: an unfinished record over max_record
 * becomes big and drops what was scanned. Returns the bytes dropped. */
static size_t more(struct rd *r, char *s, size_t avail)
{
	struct scan *c = &r->sc;
	size_t known = c->dropped + c->off;

	/* in quoted text the record goes on at least to the end of the data
	 * - or to a CR there that may end the line being checked, and the
	 * record with it (outside quotes, off stops before such a CR) */
	if (c->st == F_QUOTED || c->st == F_QBLANK)
		known = c->dropped + avail -
			(c->line_due && avail > c->off && s[avail - 1] == '\r');
	if (!c->big && known > r->max_record) {
		c->big = true;
		c->big_field = field_at(s, avail, r->max_record - c->dropped);
	}
	if (!c->big)
		return 0;
	known = c->off;
	c->dropped += known;
	c->off = 0;
	c->brk1 = 0;
	/* the walk's answer stays good only if it was final */
	if (c->qvalid && c->qkind == Q_CLOSED && c->qpos >= known)
		c->qpos -= known;
	else
		c->qvalid = false;
	return known;
}

/* Reports the lines the broken field took, in order. */
static void report_lost(struct rd *r, size_t rec_line)
{
	size_t i;

	for (i = 0; i < r->nlost && !r->stop; i++) {
		int rc;

		if (r->o->lost != NULL) {
			rc = r->o->lost(r->o->ctx, r->lostv[i], rec_line);
		} else {
			snprintf(r->why, sizeof(r->why),
				 "a line taken by the unclosed quoted field "
				 "of the record on line %zu",
				 rec_line);
			rc = r->o->row(r->o->ctx, r->lostv[i], r->ptrs, r->lens,
				       0, r->why);
		}
		if (rc != 0)
			r->stop = true;
	}
	r->nlost = 0;
}

/* The record scanned ended or broke: report it; returns its bytes and
 * terminator (or, broken, the bytes up to where reading goes on). */
static size_t finish(struct rd *r, char *s, size_t avail, int res)
{
	struct scan *c = &r->sc;
	size_t line = r->line, e = c->off, term = 0;
	char col[NAME_MAX_SHOWN + 48], sz[32];
	bool lf = false;

	c->on = false;
	if (res == SC_BROKEN) {
		col_name(r, c->q_field, col, sizeof(col));
		if (c->br == BR_EOF)
			snprintf(r->why, sizeof(r->why),
				 "the quoted field in %s, opened on line %zu, "
				 "is never closed: the data ends inside it",
				 col, c->q_line);
		else if (c->br == BR_LOOKS)
			snprintf(r->why, sizeof(r->why),
				 "the quoted field in %s, opened on line %zu, "
				 "is not closed before line %zu, which looks "
				 "like a record of its own",
				 col, c->q_line, line + c->nl);
		else
			snprintf(r->why, sizeof(r->why),
				 "the quoted field in %s, opened on line %zu, "
				 "runs over more than %zu lines",
				 col, c->q_line, r->max_span);
		emit(r, line, 0, r->why);
		report_lost(r, line);
		r->line += c->nl;
		return e;
	}
	r->nlost = 0;
	if (e < avail) {
		lf = s[e] == '\n' || (e + 1 < avail && s[e + 1] == '\n');
		term = s[e] == '\r' && lf ? 2 : 1;
	}
	if (!c->seen)
		; /* blanks only: a blank line */
	else if (c->big || c->dropped + e > r->max_record) {
		if (!c->big)
			c->big_field = field_at(s, e, r->max_record);
		snprintf(r->why, sizeof(r->why),
			 "a record longer than %s (passed in %s)",
			 size_words(r->max_record, sz, sizeof(sz)),
			 col_name(r, c->big_field, col, sizeof(col)));
		emit(r, line, 0, r->why);
	} else if (!tsam_utf8_valid(s, e)) {
		emit(r, line, 0,
		     "bytes that are not UTF-8 (wrong --encoding?)");
	} else if (!c->quoted) {
		if (r->o->rec_bytes != NULL)
			*r->o->rec_bytes = e;
		split_plain(r, s, e, line);
	} else {
		const char *bad;
		bool open;
		size_t n = split(s, e, r->ptrs, r->lens, &bad, &open);

		if (r->o->rec_bytes != NULL)
			*r->o->rec_bytes = e;
		emit(r, line, n, bad);
	}
	r->line += c->nl + lf;
	return e + term;
}

/* A line without quotes, s[0..len) (lf: an LF ends it): the record up to
 * its first CR. Returns the bytes consumed. */
static size_t plain(struct rd *r, char *s, size_t len, bool lf)
{
	size_t body = len, b = 0;
	char *cr, col[NAME_MAX_SHOWN + 48], sz[32];

	while (body > 0 && s[body - 1] == '\r')
		body--;
	cr = memchr(s, '\r', body);
	if (cr != NULL) { /* a lone CR ends the record */
		body = (size_t)(cr - s);
		len = body;
		lf = false;
	}
	while (b < body && (blank(s[b]) || s[b] == '\r'))
		b++;
	if (b == body)
		; /* blanks only: a blank line */
	else if (body > r->max_record) {
		snprintf(r->why, sizeof(r->why),
			 "a record longer than %s (passed in %s)",
			 size_words(r->max_record, sz, sizeof(sz)),
			 col_name(r, field_at(s, body, r->max_record), col,
				  sizeof(col)));
		emit(r, r->line, 0, r->why);
	} else if (!tsam_utf8_valid(s, body))
		emit(r, r->line, 0,
		     "bytes that are not UTF-8 (wrong --encoding?)");
	else {
		if (r->o->rec_bytes != NULL)
			*r->o->rec_bytes = body;
		split_plain(r, s, body, r->line);
	}
	r->line += lf;
	return len + 1 - (cr == NULL && !lf);
}

/* A record's scan begins at s, whose first line is s[0..len). */
static void scan_begin(struct scan *c, const char *s, size_t len)
{
	const char *cr = memchr(s, '\r', len);

	c->on = true;
	c->st = F_START;
	c->off = c->field = c->nl = c->dropped = 0;
	c->seen = c->quoted = c->big = c->qvalid = false;
	/* quoted text ending before it holds no line break: one memchr a
	 * record instead of two a quoted field */
	c->brk1 = cr ? (size_t)(cr - s) : len;
}

/*
 * Parses the records in buf[0..n) (buf[n] writable; final: the data ends
 * there) and returns the bytes consumed; the rest is the start of a
 * record that needs more data (or, big, what its scan still needs).
 */
static size_t parse(struct rd *r, char *buf, size_t n, bool final)
{
	size_t pos = 0;

	/* (a big record's scan may have all but its end dropped) */
	while ((pos < n || (final && r->sc.on)) && !r->stop) {
		char *s = buf + pos;
		size_t avail = n - pos;
		int res;

		if (!r->sc.on) {
			char *e;
			size_t len;

			if (*s == '\n') { /* a blank line */
				r->line++;
				pos++;
				continue;
			}
			e = memchr(s, '\n', avail);
			len = e ? (size_t)(e - s) : avail;
			if ((e != NULL || final) &&
			    memchr(s, '"', len) == NULL) {
				pos += plain(r, s, len, e != NULL);
				continue;
			}
			if (e == NULL && !final && avail <= r->max_record)
				return pos; /* the line is not all here */
			scan_begin(&r->sc, s, len);
		}
		res = scan(r, s, avail, final);
		if (res == SC_MORE)
			return pos + more(r, s, avail);
		pos += finish(r, s, avail, res);
	}
	return pos;
}

static void rd_init(struct rd *r, const struct tsam_csv_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->row = o->row;
	r->ctx = o->ctx;
	r->names_done = !o->header;
	r->line = 1;
	r->max_span = o->max_span ? o->max_span : TSAM_CSV_MAX_SPAN;
	r->max_record = o->max_record ? o->max_record : TSAM_CSV_MAX_RECORD;
}

static void rd_free(struct rd *r)
{
	free(r->lostv);
	free(r->scratch);
	free(r->names);
}

static int rd_result(const struct rd *r, struct tsam_errbuf *eb)
{
	if (r->nomem)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	return r->stop ? TSAM_ERR_INTERRUPTED : TSAM_OK;
}

enum tsam_err tsam_csv_read_mem_with(const char *data, size_t n,
				     const struct tsam_csv_opts *o,
				     struct tsam_errbuf *eb)
{
	struct rd r;
	char *copy;
	int rc;

	rd_init(&r, o);
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	if ((copy = malloc(n + 1)) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	memcpy(copy, data, n);
	parse(&r, copy, n, true);
	free(copy);
	rc = rd_result(&r, eb);
	rd_free(&r);
	return rc;
}

int tsam_csv_read_mem(const char *data, size_t n, tsam_csv_row_fn fn, void *ctx,
		      struct tsam_errbuf *eb)
{
	struct tsam_csv_opts o;

	memset(&o, 0, sizeof(o));
	o.row = fn;
	o.ctx = ctx;
	return tsam_csv_read_mem_with(data, n, &o, eb);
}

static bool is_utf8_name(const char *enc)
{
	return enc == NULL || strcasecmp(enc, "UTF-8") == 0 ||
	       strcasecmp(enc, "UTF8") == 0;
}

/* Converts in[0..*il) into out (room: ol) through cd; returns bytes
 * written, leaves in *il what waits for more input. */
static size_t convert(iconv_t cd, char *in, size_t *il, char *out, size_t ol,
		      bool more_in)
{
	char *ip = in, *op = out;
	size_t left = *il;

	while (left > 0 && iconv(cd, &ip, &left, &op, &ol) == (size_t)-1) {
		if (errno == E2BIG)
			break;
		if (errno == EINVAL && more_in)
			break; /* a character split across reads */
		/* an invalid byte: U+FFFD, so the row is kept and its
		 * field shows where */
		if (ol < 3)
			break;
		memcpy(op, "\xEF\xBF\xBD", 3);
		op += 3;
		ol -= 3;
		ip++;
		left--;
	}
	memmove(in, ip, left);
	*il = left;
	return (size_t)(op - out);
}

enum tsam_err tsam_csv_read_with(const char *path,
				 const struct tsam_csv_opts *o,
				 struct tsam_errbuf *eb)
{
	struct rd r;
	char *buf = NULL, *raw = NULL;
	size_t len = 0, cap = CHUNK, rawlen = 0, limit;
	iconv_t cd = (iconv_t)-1;
	bool first = true, eof = false, raw_eof = false;
	int fd, rc = TSAM_OK;

	rd_init(&r, o);
	/* a record under max_record fits, with room for the read that
	 * shows it is over */
	limit = r.max_record + 64;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: %s", path,
				       strerror(errno));
	if (!is_utf8_name(o->encoding)) {
		cd = iconv_open("UTF-8", o->encoding);
		if (cd == (iconv_t)-1) {
			close(fd);
			return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
					       "%s: unknown encoding \"%s\"",
					       path, o->encoding);
		}
		raw = malloc(CHUNK);
	}
	buf = malloc(cap + 1);
	if (buf == NULL || (cd != (iconv_t)-1 && raw == NULL)) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		goto out;
	}
	while (!eof && !r.stop) {
		size_t used;

		/* a record fills the buffer (converted text needs up to 3
		 * bytes a character: nearly full is full) */
		if (cap - len < 8) {
			size_t ncap = cap * 2 < limit ? cap * 2 : limit;
			char *nb;

			if (ncap <= cap) {
				/* the scanner drops a record over
				 * max_record: never here */
				rc = tsam_errbuf_set(eb, TSAM_ERR_INTERNAL,
						     "%s: CSV buffer full",
						     path);
				goto out;
			}
			if ((nb = realloc(buf, ncap + 1)) == NULL) {
				rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
						     "out of memory");
				goto out;
			}
			buf = nb;
			cap = ncap;
		}
		if (cd == (iconv_t)-1) {
			size_t want = cap - len;
			ssize_t got;

			if (o->chunk != 0 && want > o->chunk)
				want = o->chunk;
			got = read(fd, buf + len, want);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				rc = tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: %s",
						     path, strerror(errno));
				goto out;
			}
			eof = got == 0;
			len += (size_t)got;
		} else {
			if (!raw_eof && rawlen < CHUNK / 2) {
				size_t want = CHUNK - rawlen;
				ssize_t got;

				if (o->chunk != 0 && want > o->chunk)
					want = o->chunk;
				got = read(fd, raw + rawlen, want);
				if (got < 0 && errno == EINTR)
					continue;
				if (got < 0) {
					rc = tsam_errbuf_set(eb, TSAM_ERR_IO,
							     "%s: %s", path,
							     strerror(errno));
					goto out;
				}
				raw_eof = got == 0;
				rawlen += (size_t)got;
			}
			/* input left over when the output is full waits for
			 * the next turn; at the end of the file a character
			 * cut short becomes U+FFFD */
			len += convert(cd, raw, &rawlen, buf + len, cap - len,
				       !raw_eof);
			eof = raw_eof && rawlen == 0;
		}
		if (first && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
			memmove(buf, buf + 3, len - 3);
			len -= 3;
		}
		if (first && len < 3 && !eof)
			continue; /* a BOM may be cut in two */
		first = false;
		used = parse(&r, buf, len, eof);
		memmove(buf, buf + used, len - used);
		len -= used;
	}
	rc = rd_result(&r, eb);
out:
	rd_free(&r);
	free(buf);
	free(raw);
	close(fd);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return rc;
}

int tsam_csv_read(const char *path, const char *encoding, tsam_csv_row_fn fn,
		  void *ctx, struct tsam_errbuf *eb)
{
	struct tsam_csv_opts o;

	memset(&o, 0, sizeof(o));
	o.row = fn;
	o.ctx = ctx;
	o.encoding = encoding;
	return tsam_csv_read_with(path, &o, eb);
}
