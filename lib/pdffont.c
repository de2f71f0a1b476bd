/*
 * pdffont.c - libharu's output with its fonts subset (pdffont.h).
 *
 * Theory of operation. The PDF is read from its end: startxref, the xref
 * table (one subsection from 0, libharu's), the trailer. Each object in
 * use spans from its offset to the next object's (or the xref table).
 * A small lexer (tsam_cur based, depth-bounded) walks dictionaries to
 * find a key's value without building anything. For each Type0 font the
 * chain Type0 -> DescendantFonts[0] (CIDFontType2: CIDToGIDMap, W,
 * FontDescriptor) -> FontFile2 is followed; the characters drawn with
 * the face (the caller's bitmap) are looked up in the CIDToGIDMap, the
 * TrueType file subset (ttf.h), and five objects replaced: the font file,
 * the CIDToGIDMap, the descendant's dictionary (its W), the ToUnicode
 * CMap, and the indirect /Length of each stream replaced. The output is
 * the header, every object in file order (the replaced ones rewritten),
 * a new xref table and the old trailer: deterministic for a given input.
 *
 * Size: the PDF reader, the font rewrite and the new xref are one pass over
 * libharu's output; the TrueType subsetting itself is ttf.c.
 */
#include "pdffont.h"

#include "fsio.h"
#include "str.h"
#include "ttf.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OBJECTS    1000000
#define MAX_DEPTH      32
#define MAX_FONT_BYTES (64u << 20)
#define MAX_MAP_BYTES  (2u * 65536u)
#define NO_WIDTH       INT32_MIN

struct object {
	size_t off, end; /* "N 0 obj" up to the next object */
	bool used;
};

/* A replaced object: its new body (between "N 0 obj\n" and
 * "\nendobj"). */
struct repl {
	uint32_t num;
	struct tsam_buf body;
};

struct doc {
	const char *b;
	size_t n;
	struct object *obj; /* by number, size entries */
	size_t size;
	size_t *order; /* the objects in use by offset, norder of them */
	size_t norder;
	size_t first; /* first object's offset: the header's end */
	size_t xref_at, trailer_at, startxref_at;
	struct repl *repl;
	size_t nrepl, caprepl;
	size_t nnew; /* objects added, numbered from size on */
	struct tsam_errbuf *eb;
};

static int fail(struct doc *d, const char *what)
{
	return tsam_errbuf_set(d->eb, TSAM_ERR_PARSE, "PDF fonts: %s", what);
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	       c == '\0';
}

static bool is_delim(char c)
{
	return strchr("()<>[]{}/%", c) != NULL && c != '\0';
}

static void ws(struct tsam_cur *c)
{
	while (c->n > 0) {
		if (is_ws(*c->p)) {
			c->p++;
			c->n--;
		} else if (*c->p == '%') { /* a comment to the line's end */
			while (c->n > 0 && *c->p != '\n' && *c->p != '\r') {
				c->p++;
				c->n--;
			}
		} else {
			break;
		}
	}
}

/* A run of regular characters (a number, keyword, or a name's text). */
static struct tsam_cur regular(struct tsam_cur *c)
{
	struct tsam_cur t = {c->p, 0};

	while (c->n > 0 && !is_ws(*c->p) && !is_delim(*c->p)) {
		c->p++;
		c->n--;
		t.n++;
	}
	return t;
}

static bool skip(struct tsam_cur *c, const char *s)
{
	return tsam_cur_skip_prefix(c, s);
}

/* A non-negative decimal integer token, at most max. */
static bool integer(struct tsam_cur t, uint64_t max, uint64_t *v)
{
	return tsam_cur_to_u64(t, max, v) == TSAM_OK;
}

/* Skips one value (with a following "G R" when it is a reference). */
static bool value(struct tsam_cur *c, int depth)
{
	struct tsam_cur t;

	ws(c);
	if (c->n == 0 || depth > MAX_DEPTH)
		return false;
	if (skip(c, "<<")) {
		for (;;) {
			ws(c);
			if (skip(c, ">>"))
				return true;
			if (!skip(c, "/"))
				return false;
			regular(c);
			if (!value(c, depth + 1))
				return false;
		}
	}
	if (skip(c, "[")) {
		for (;;) {
			ws(c);
			if (skip(c, "]"))
				return true;
			if (!value(c, depth + 1))
				return false;
		}
	}
	if (skip(c, "(")) {
		int nest = 1;

		while (c->n > 0 && nest > 0) {
			char ch = *c->p;

			c->p++;
			c->n--;
			if (ch == '\\' && c->n > 0) {
				c->p++;
				c->n--;
			} else if (ch == '(') {
				nest++;
			} else if (ch == ')') {
				nest--;
			}
		}
		return nest == 0;
	}
	if (skip(c, "<")) {
		while (c->n > 0 && *c->p != '>') {
			c->p++;
			c->n--;
		}
		return skip(c, ">");
	}
	if (skip(c, "/")) {
		regular(c);
		return true;
	}
	t = regular(c);
	if (t.n == 0)
		return false;
	{ /* "N G R": a reference */
		struct tsam_cur save = *c, g;
		uint64_t v;

		ws(c);
		g = regular(c);
		ws(c);
		if (integer(t, UINT32_MAX, &v) && integer(g, 65535, &v) &&
		    c->n > 0 && *c->p == 'R' &&
		    (c->n == 1 || is_ws(c->p[1]) || is_delim(c->p[1]))) {
			c->p++;
			c->n--;
		} else {
			*c = save;
		}
	}
	return true;
}

/* The value of key in the dictionary at the start of body; false when
 * body is no dictionary or has no such key. */
static bool lookup(struct tsam_cur body, const char *key, struct tsam_cur *v)
{
	struct tsam_cur c = body;

	ws(&c);
	if (!skip(&c, "<<"))
		return false;
	for (;;) {
		struct tsam_cur k, start;

		ws(&c);
		if (!skip(&c, "/"))
			return false; /* ">>" or damage */
		k = regular(&c);
		ws(&c);
		start = c;
		if (!value(&c, 1))
			return false;
		if (tsam_cur_eq(k, key)) {
			v->p = start.p;
			v->n = (size_t)(c.p - start.p);
			return true;
		}
	}
}

/* "N G R" in v: N. */
static bool ref(struct tsam_cur v, uint32_t *num)
{
	uint64_t x, g;

	ws(&v);
	if (!integer(regular(&v), UINT32_MAX, &x))
		return false;
	ws(&v);
	if (!integer(regular(&v), 65535, &g))
		return false;
	ws(&v);
	*num = (uint32_t)x;
	return skip(&v, "R");
}

/* The body of object num, "obj" and "endobj" excluded. */
static bool body(const struct doc *d, uint32_t num, struct tsam_cur *out)
{
	const struct object *o;
	struct tsam_cur c;
	uint64_t x;
	const char *end;

	if (num >= d->size || !d->obj[num].used)
		return false;
	o = &d->obj[num];
	c = tsam_cur_make(d->b + o->off, o->end - o->off);
	if (!integer(regular(&c), UINT32_MAX, &x) || x != num)
		return false;
	ws(&c);
	regular(&c); /* generation */
	ws(&c);
	if (!skip(&c, "obj"))
		return false;
	/* the last "endobj" of the span: near its end */
	end = NULL;
	if (c.n >= 6) {
		const char *q = c.p + c.n - 6;

		for (;; q--) {
			if (memcmp(q, "endobj", 6) == 0) {
				end = q;
				break;
			}
			if (q == c.p)
				break;
		}
	}
	if (end == NULL)
		return false;
	out->p = c.p;
	out->n = (size_t)(end - c.p);
	return true;
}

/* The name in value v (without its "/") equals s. */
static bool name_is(struct tsam_cur v, const char *s)
{
	ws(&v);
	if (!skip(&v, "/"))
		return false;
	return tsam_cur_eq(regular(&v), s);
}

/* Integer value of v, direct or through a reference. */
static bool int_value(const struct doc *d, struct tsam_cur v, uint64_t max,
		      uint64_t *out)
{
	uint32_t num;
	struct tsam_cur b, t;

	if (ref(v, &num)) {
		if (!body(d, num, &b))
			return false;
		v = b;
	}
	ws(&v);
	t = regular(&v);
	ws(&v);
	return v.n == 0 && integer(t, max, out);
}

/* Stream num's data, decoded into out (cap: the most accepted). */
static int stream(struct doc *d, uint32_t num, struct tsam_buf *out)
{
	struct tsam_cur b, c, v, f;
	uint64_t len;
	bool flate = false;

	if (!body(d, num, &b))
		return fail(d, "a stream object is missing");
	c = b;
	ws(&c);
	if (!value(&c, 0) || !lookup(b, "Length", &v) ||
	    !int_value(d, v, SIZE_MAX, &len))
		return fail(d, "a stream has no length");
	if (lookup(b, "Filter", &f)) {
		ws(&f);
		if (skip(&f, "[")) {
			flate = name_is(f, "FlateDecode");
			value(&f, 1);
			ws(&f);
			if (!skip(&f, "]"))
				flate = false;
		} else {
			flate = name_is(f, "FlateDecode");
		}
		if (!flate)
			return fail(d, "a stream has a filter other than "
				       "FlateDecode");
	}
	ws(&c);
	if (!skip(&c, "stream") || !(skip(&c, "\r\n") || skip(&c, "\n")) ||
	    len > c.n)
		return fail(d, "a stream's data is out of bounds");
	if (flate)
		return tsam_fsio_inflate(c.p, (size_t)len, out, d->eb);
	if (tsam_buf_add(out, c.p, (size_t)len) != TSAM_OK)
		return tsam_errbuf_set(d->eb, TSAM_ERR_TOOBIG,
				       "PDF fonts: a stream is too large");
	return TSAM_OK;
}

/* A new replacement body for object num (NULL: out of memory). */
static struct tsam_buf *replace(struct doc *d, uint32_t num)
{
	struct repl *r;

	if (tsam_grow(&d->repl, &d->caprepl, d->nrepl + 1, sizeof(*d->repl)) !=
	    TSAM_OK)
		return NULL;
	r = &d->repl[d->nrepl++];
	r->num = num;
	tsam_buf_init(&r->body, (size_t)MAX_FONT_BYTES * 2);
	return &r->body;
}

/* Replaces stream num by data (FlateDecode), with extra entries in its
 * dictionary; an indirect /Length is replaced too. */
static int put_stream(struct doc *d, uint32_t num, const char *extra,
		      const void *data, size_t n)
{
	struct tsam_cur b, v;
	struct tsam_buf z, *nb, *lb;
	uint32_t lnum = 0;
	bool indirect;
	int rc;

	if (!body(d, num, &b) || !lookup(b, "Length", &v))
		return fail(d, "a stream has no length");
	indirect = ref(v, &lnum);
	if (indirect && (lnum >= d->size || !d->obj[lnum].used))
		return fail(d, "a stream's length is missing");
	tsam_buf_init(&z, (size_t)MAX_FONT_BYTES * 2);
	rc = tsam_fsio_deflate(data, n, 6, &z, d->eb);
	if (rc != TSAM_OK) {
		tsam_buf_free(&z);
		return rc;
	}
	nb = replace(d, num);
	rc = nb == NULL ? TSAM_ERR_NOMEM : TSAM_OK;
	if (rc == TSAM_OK && indirect)
		rc = tsam_buf_addf(nb, "<<\n/Length %u 0 R\n", lnum);
	else if (rc == TSAM_OK)
		rc = tsam_buf_addf(nb, "<<\n/Length %zu\n", z.len);
	if (rc == TSAM_OK)
		rc = tsam_buf_addf(nb, "%s/Filter /FlateDecode\n>>\nstream\r\n",
				   extra);
	if (rc == TSAM_OK)
		rc = tsam_buf_add(nb, z.data ? z.data : "", z.len);
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(nb, "\nendstream");
	if (rc == TSAM_OK && indirect) {
		lb = replace(d, lnum);
		rc = lb == NULL ? TSAM_ERR_NOMEM
				: tsam_buf_addf(lb, "%zu", z.len);
	}
	tsam_buf_free(&z);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(d->eb, rc, "PDF fonts: %s",
				       tsam_strerror(rc));
	return TSAM_OK;
}

/* Reads the xref table and the trailer's place. */
static int read_xref(struct doc *d)
{
	struct tsam_cur c, t, tail;
	const char *hit = NULL, *s;
	uint64_t x, first, count, i;
	size_t from = d->n > 1024 ? d->n - 1024 : 0;

	tail = tsam_cur_make(d->b + from, d->n - from);
	while ((s = tsam_cur_find(tail, "startxref", 9)) != NULL) {
		hit = s;
		tail.n -= (size_t)(s + 9 - tail.p);
		tail.p = s + 9;
	}
	if (hit == NULL)
		return fail(d, "no startxref");
	d->startxref_at = (size_t)(hit - d->b);
	c = tsam_cur_make(hit + 9, d->n - d->startxref_at - 9);
	ws(&c);
	if (!integer(regular(&c), d->startxref_at, &x))
		return fail(d, "bad startxref");
	d->xref_at = (size_t)x;
	c = tsam_cur_make(d->b + x, d->startxref_at - (size_t)x);
	if (!skip(&c, "xref"))
		return fail(d, "no xref table");
	ws(&c);
	t = regular(&c);
	ws(&c);
	if (!integer(t, 0, &first) ||
	    !integer(regular(&c), MAX_OBJECTS, &count) || count == 0)
		return fail(d, "an xref table other than one subsection "
			       "from object 0");
	ws(&c);
	if (c.n / 20 < count)
		return fail(d, "xref table cut short");
	d->size = (size_t)count;
	d->obj = calloc(d->size, sizeof(*d->obj));
	if (d->obj == NULL)
		return tsam_errbuf_set(d->eb, TSAM_ERR_NOMEM, "out of memory");
	d->first = d->xref_at;
	for (i = 0; i < count; i++) {
		const char *e = c.p + 20 * i;
		uint64_t off;

		if (e[10] != ' ' || e[16] != ' ' ||
		    (e[17] != 'n' && e[17] != 'f'))
			return fail(d, "bad xref entry");
		if (e[17] == 'f')
			continue;
		if (!integer(tsam_cur_make(e, 10), d->xref_at, &off) ||
		    !integer(tsam_cur_make(e + 11, 5), 0, &first) ||
		    off == d->xref_at)
			return fail(d, "bad xref entry");
		d->obj[i].off = (size_t)off;
		d->obj[i].used = true;
		if (off < d->first)
			d->first = (size_t)off;
	}
	c.p += 20 * count;
	c.n -= 20 * (size_t)count;
	ws(&c);
	if (!tsam_cur_skip_prefix(&c, "trailer"))
		return fail(d, "no trailer after the xref table");
	d->trailer_at = (size_t)(c.p - 7 - d->b);
	return TSAM_OK;
}

/* Each object's end: the next object's offset, or the xref table. */
static int spans(struct doc *d)
{
	size_t *idx = malloc(d->size * sizeof(*idx)), k = 0, i;

	d->order = idx;
	if (idx == NULL)
		return tsam_errbuf_set(d->eb, TSAM_ERR_NOMEM, "out of memory");
	for (i = 0; i < d->size; i++)
		if (d->obj[i].used)
			idx[k++] = i;
	/* insertion into order by offset: libharu writes objects in
	 * number order, so this is one pass in practice */
	for (i = 1; i < k; i++) {
		size_t v = idx[i], j = i;

		while (j > 0 && d->obj[idx[j - 1]].off > d->obj[v].off) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
	for (i = 0; i < k; i++) {
		size_t end = i + 1 < k ? d->obj[idx[i + 1]].off : d->xref_at;

		if (end <= d->obj[idx[i]].off)
			return fail(d, "two objects at one offset");
		d->obj[idx[i]].end = end;
	}
	d->norder = k;
	return TSAM_OK;
}

/* Bit c of a drawn-characters bitmap. */
static bool drawn(const uint8_t *bits, unsigned c)
{
	return (bits[c >> 3] >> (c & 7)) & 1;
}

/* The new /W array: each drawn CID's width from the old one. */
static int widths(struct doc *d, struct tsam_cur w, const uint16_t *cids,
		  size_t ncids, struct tsam_buf *out)
{
	int32_t *wid = malloc(65536 * sizeof(*wid));
	size_t i;
	unsigned prev = 0;
	bool open = false;
	int rc = TSAM_OK;

	if (wid == NULL)
		return tsam_errbuf_set(d->eb, TSAM_ERR_NOMEM, "out of memory");
	for (i = 0; i < 65536; i++)
		wid[i] = NO_WIDTH;
	ws(&w);
	if (!skip(&w, "["))
		rc = fail(d, "/W is not an array");
	while (rc == TSAM_OK) {
		uint64_t c1, c2, x;
		struct tsam_cur t;
		bool neg;

		ws(&w);
		if (skip(&w, "]"))
			break;
		if (!integer(regular(&w), 65535, &c1)) {
			rc = fail(d, "bad /W entry");
			break;
		}
		ws(&w);
		if (skip(&w, "[")) { /* c [w1 w2 ...] */
			for (;;) {
				ws(&w);
				if (skip(&w, "]"))
					break;
				neg = skip(&w, "-");
				t = regular(&w);
				if (!integer(t, 65535, &x) || c1 > 65535) {
					rc = fail(d, "bad /W width");
					break;
				}
				wid[c1++] = neg ? -(int32_t)x : (int32_t)x;
			}
		} else { /* c1 c2 w */
			if (!integer(regular(&w), 65535, &c2) || c2 < c1) {
				rc = fail(d, "bad /W range");
				break;
			}
			ws(&w);
			neg = skip(&w, "-");
			if (!integer(regular(&w), 65535, &x)) {
				rc = fail(d, "bad /W width");
				break;
			}
			for (; c1 <= c2; c1++)
				wid[c1] = neg ? -(int32_t)x : (int32_t)x;
		}
	}
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(out, "[");
	for (i = 0; rc == TSAM_OK && i < ncids; i++) {
		unsigned c = cids[i];

		if (wid[c] == NO_WIDTH) { /* DW's: not listed */
			if (open)
				rc = tsam_buf_adds(out, " ]");
			open = false;
			continue;
		}
		if (open && prev + 1 != c) {
			rc = tsam_buf_adds(out, " ]");
			open = false;
		}
		if (rc == TSAM_OK && !open)
			rc = tsam_buf_addf(out, " %u [", c);
		if (rc == TSAM_OK)
			rc = tsam_buf_addf(out, " %d", (int)wid[c]);
		open = true;
		prev = c;
	}
	if (rc == TSAM_OK && open)
		rc = tsam_buf_adds(out, " ]");
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(out, " ]");
	free(wid);
	if (rc != TSAM_OK && rc != TSAM_ERR_PARSE)
		rc = tsam_errbuf_set(d->eb, rc, "PDF fonts: %s",
				     tsam_strerror(rc));
	return rc;
}

/* A ToUnicode CMap: each drawn CID to the code point it is (UTF-16BE),
 * runs within one high byte as bfrange, the rest as bfchar, at most 100
 * entries per block (the CMap specification's limits). */
static int tounicode(const uint16_t *cids, size_t ncids, struct tsam_buf *o)
{
	static const char head[] =
	    "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
	static const char tail[] = "endcmap\n"
				   "CMapName currentdict /CMap defineresource "
				   "pop\nend\nend\n";
	int pass, rc = tsam_buf_adds(o, head);

	/* pass 0: ranges, pass 1: single characters */
	for (pass = 0; pass < 2 && rc == TSAM_OK; pass++) {
		size_t i = 0, inblock = 0, total = 0, j;

		/* count first: each block says how many entries it has */
		for (j = 0; j < ncids;) {
			size_t k = j + 1;

			while (k < ncids && cids[k] == cids[k - 1] + 1 &&
			       (cids[k] >> 8) == (cids[j] >> 8))
				k++;
			total += (k - j > 1) == (pass == 0);
			j = k;
		}
		while (i < ncids && rc == TSAM_OK) {
			size_t k = i + 1;

			while (k < ncids && cids[k] == cids[k - 1] + 1 &&
			       (cids[k] >> 8) == (cids[i] >> 8))
				k++;
			if ((k - i > 1) == (pass == 0)) {
				if (inblock == 0)
					rc = tsam_buf_addf(
					    o, "%zu begin%s\n",
					    total < 100 ? total : 100,
					    pass == 0 ? "bfrange" : "bfchar");
				if (rc == TSAM_OK && pass == 0)
					rc = tsam_buf_addf(
					    o, "<%04X> <%04X> <%04X>\n",
					    cids[i], cids[k - 1], cids[i]);
				else if (rc == TSAM_OK)
					rc = tsam_buf_addf(o, "<%04X> <%04X>\n",
							   cids[i], cids[i]);
				total--;
				if (++inblock == 100 || total == 0) {
					if (rc == TSAM_OK)
						rc = tsam_buf_addf(
						    o, "end%s\n",
						    pass == 0 ? "bfrange"
							      : "bfchar");
					inblock = 0;
				}
			}
			i = k;
		}
	}
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(o, tail);
	return rc;
}

/* Adds the font file data (FontFile2) as a new object, and a reference
 * to it to the font descriptor fdn, whose body is desc. */
static int add_file(struct doc *d, uint32_t fdn, struct tsam_cur desc,
		    const void *data, size_t n)
{
	struct tsam_buf z, *nb;
	struct tsam_cur c = desc;
	size_t num = d->size + d->nnew;
	int rc;

	ws(&c);
	if (!skip(&c, "<<"))
		return fail(d, "a font descriptor that is no dictionary");
	if (num >= MAX_OBJECTS)
		return fail(d, "too many objects");
	tsam_buf_init(&z, (size_t)MAX_FONT_BYTES * 2);
	rc = tsam_fsio_deflate(data, n, 6, &z, d->eb);
	if (rc != TSAM_OK) {
		tsam_buf_free(&z);
		return rc;
	}
	nb = replace(d, (uint32_t)num);
	rc = nb == NULL ? TSAM_ERR_NOMEM : TSAM_OK;
	if (rc == TSAM_OK)
		rc = tsam_buf_addf(nb,
				   "<<\n/Length %zu\n/Length1 %zu\n"
				   "/Filter /FlateDecode\n>>\nstream\r\n",
				   z.len, n);
	if (rc == TSAM_OK)
		rc = tsam_buf_add(nb, z.data ? z.data : "", z.len);
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(nb, "\nendstream");
	tsam_buf_free(&z);
	if (rc == TSAM_OK)
		d->nnew++;
	nb = rc == TSAM_OK ? replace(d, fdn) : NULL;
	if (rc == TSAM_OK && nb == NULL)
		rc = TSAM_ERR_NOMEM;
	if (rc == TSAM_OK)
		rc = tsam_buf_addf(nb, "<<\n/FontFile2 %zu 0 R", num);
	if (rc == TSAM_OK)
		rc = tsam_buf_add(nb, c.p, c.n);
	if (rc != TSAM_OK)
		return tsam_errbuf_set(d->eb, rc, "PDF fonts: %s",
				       tsam_strerror(rc));
	return TSAM_OK;
}

/* Subsets the Type0 font in object num for face f. */
static int subset_font(struct doc *d, uint32_t num,
		       const struct tsam_pdffont_face *f)
{
	struct tsam_cur t0, cid, desc, v;
	uint32_t tu, dn, mapn, fdn, ffn = 0;
	struct tsam_buf map, font, sub, tmp, *nb;
	const uint8_t *file;
	size_t file_len;
	bool has_file;
	struct tsam_ttf_char *chars = NULL;
	uint16_t *cids = NULL, *gids = NULL;
	uint8_t *newmap = NULL;
	size_t n = 0, i, maplen;
	char extra[64];
	int rc;

	if (!body(d, num, &t0) || !lookup(t0, "ToUnicode", &v) ||
	    !ref(v, &tu) || !lookup(t0, "DescendantFonts", &v))
		return fail(d, "a Type0 font without ToUnicode or "
			       "DescendantFonts");
	ws(&v);
	if (!skip(&v, "[") || !ref(v, &dn) || !body(d, dn, &cid) ||
	    !lookup(cid, "CIDToGIDMap", &v) || !ref(v, &mapn) ||
	    !lookup(cid, "FontDescriptor", &v) || !ref(v, &fdn) ||
	    !body(d, fdn, &desc))
		return fail(d, "a CIDFontType2 without a CIDToGIDMap stream "
			       "or FontDescriptor");
	has_file = lookup(desc, "FontFile2", &v);
	if (has_file && !ref(v, &ffn))
		return fail(d, "a bad FontFile2");
	if (!has_file && f->file == NULL)
		return fail(d, "a font without its file, and none given");
	tsam_buf_init(&map, MAX_MAP_BYTES);
	tsam_buf_init(&font, MAX_FONT_BYTES);
	tsam_buf_init(&sub, MAX_FONT_BYTES);
	tsam_buf_init(&tmp, 1u << 24);
	cids = malloc(65536 * sizeof(*cids));
	gids = malloc(65536 * sizeof(*gids));
	chars = malloc(65536 * sizeof(*chars));
	newmap = calloc(65536, 2);
	rc = cids && gids && chars && newmap ? TSAM_OK : TSAM_ERR_NOMEM;
	if (rc != TSAM_OK) {
		rc = tsam_errbuf_set(d->eb, rc, "out of memory");
		goto out;
	}
	rc = stream(d, mapn, &map);
	if (rc == TSAM_OK && has_file)
		rc = stream(d, ffn, &font);
	if (rc != TSAM_OK)
		goto out;
	file = has_file ? (const uint8_t *)font.data : f->file;
	file_len = has_file ? font.len : f->file_len;
	for (i = 0; i < 65536; i++)
		if (drawn(f->drawn, (unsigned)i)) {
			const uint8_t *m = (const uint8_t *)map.data;

			cids[n] = (uint16_t)i;
			chars[n].cp = (uint16_t)i;
			chars[n].gid =
			    2 * i + 1 < map.len
				? (uint16_t)(m[2 * i] << 8 | m[2 * i + 1])
				: 0;
			n++;
		}
	rc = tsam_ttf_subset(file, file_len, chars, n, gids, &sub, d->eb);
	if (rc != TSAM_OK)
		goto out;
	/* the map: 2 bytes a CID, up to the last one drawn */
	maplen = n > 0 ? 2 * ((size_t)cids[n - 1] + 1) : 2;
	for (i = 0; i < n; i++) {
		newmap[2 * cids[i]] = (uint8_t)(gids[i] >> 8);
		newmap[2 * cids[i] + 1] = (uint8_t)gids[i];
	}
	snprintf(extra, sizeof(extra), "/Length1 %zu\n", sub.len);
	if (has_file)
		rc = put_stream(d, ffn, extra, sub.data, sub.len);
	else
		rc = add_file(d, fdn, desc, sub.data, sub.len);
	if (rc == TSAM_OK)
		rc = put_stream(d, mapn, "", newmap, maplen);
	if (rc == TSAM_OK)
		rc = tounicode(cids, n, &tmp);
	if (rc == TSAM_OK)
		rc = put_stream(d, tu, "", tmp.data, tmp.len);
	if (rc != TSAM_OK)
		goto out;
	/* the descendant with its /W for the drawn CIDs only */
	tsam_buf_reset(&tmp);
	if (!lookup(cid, "W", &v)) {
		rc = fail(d, "a CIDFontType2 without /W");
		goto out;
	}
	rc = widths(d, v, cids, n, &tmp);
	if (rc != TSAM_OK)
		goto out;
	nb = replace(d, dn);
	rc = nb == NULL ? TSAM_ERR_NOMEM
			: tsam_buf_add(nb, cid.p, (size_t)(v.p - cid.p));
	if (rc == TSAM_OK)
		rc = tsam_buf_add(nb, tmp.data, tmp.len);
	if (rc == TSAM_OK)
		rc = tsam_buf_add(nb, v.p + v.n,
				  (size_t)(cid.p + cid.n - (v.p + v.n)));
	if (rc != TSAM_OK)
		rc = tsam_errbuf_set(d->eb, rc, "PDF fonts: %s",
				     tsam_strerror(rc));
out:
	tsam_buf_free(&map);
	tsam_buf_free(&font);
	tsam_buf_free(&sub);
	tsam_buf_free(&tmp);
	free(cids);
	free(gids);
	free(chars);
	free(newmap);
	return rc;
}

/* The face whose name the /BaseFont in v has after its subset tag. */
static const struct tsam_pdffont_face *
face_of(struct tsam_cur v, const struct tsam_pdffont_face *faces, size_t nfaces)
{
	struct tsam_cur nm;
	const char *plus;
	size_t i;

	ws(&v);
	if (!skip(&v, "/"))
		return NULL;
	nm = regular(&v);
	plus = memchr(nm.p, '+', nm.n);
	if (plus != NULL && plus - nm.p == 6) {
		nm.n -= 7;
		nm.p += 7;
	}
	for (i = 0; i < nfaces; i++)
		if (tsam_cur_eq(nm, faces[i].name))
			return &faces[i];
	return NULL;
}

/* The replacement for object num, or NULL. */
static const struct tsam_buf *replacement(const struct doc *d, size_t num)
{
	size_t k;

	for (k = d->nrepl; k > 0; k--) /* the last one made counts */
		if (d->repl[k - 1].num == num)
			return &d->repl[k - 1].body;
	return NULL;
}

static int put_object(struct tsam_buf *out, size_t num,
		      const struct tsam_buf *r)
{
	int rc = tsam_buf_addf(out, "%zu 0 obj\n", num);

	if (rc == TSAM_OK)
		rc = tsam_buf_add(out, r->data ? r->data : "", r->len);
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(out, "\nendobj\n");
	return rc;
}

/* The output: header, objects in file order and the ones added, a new
 * xref table, the old trailer with its /Size. */
static int emit(struct doc *d, struct tsam_buf *out)
{
	size_t total = d->size + d->nnew, i, pos, xref;
	size_t *at = calloc(total, sizeof(*at));
	struct tsam_cur tr, v;
	int rc;

	if (at == NULL)
		return TSAM_ERR_NOMEM;
	rc = tsam_buf_add(out, d->b, d->first);
	pos = d->first;
	for (i = 0; rc == TSAM_OK && i < d->norder; i++) {
		size_t num = d->order[i];
		const struct tsam_buf *r = replacement(d, num);

		if (d->obj[num].off != pos)
			break; /* bytes between objects: none in libharu's */
		at[num] = out->len;
		if (r != NULL)
			rc = put_object(out, num, r);
		else
			rc = tsam_buf_add(out, d->b + d->obj[num].off,
					  d->obj[num].end - d->obj[num].off);
		pos = d->obj[num].end;
	}
	if (rc == TSAM_OK && pos != d->xref_at)
		rc = TSAM_ERR_PARSE;
	for (i = d->size; rc == TSAM_OK && i < total; i++) {
		const struct tsam_buf *r = replacement(d, i);

		at[i] = out->len;
		rc = r == NULL ? TSAM_ERR_INTERNAL : put_object(out, i, r);
	}
	xref = out->len;
	if (rc == TSAM_OK)
		rc = tsam_buf_addf(out, "xref\n0 %zu\n", total);
	for (i = 0; rc == TSAM_OK && i < total; i++) {
		if (i >= d->size || d->obj[i].used)
			rc = tsam_buf_addf(out, "%010zu 00000 n\r\n", at[i]);
		else
			rc = tsam_buf_add(out, "0000000000 65535 f\r\n", 20);
	}
	/* the trailer, its /Size counting the objects added */
	tr = tsam_cur_make(d->b + d->trailer_at + 7,
			   d->startxref_at - d->trailer_at - 7);
	if (rc == TSAM_OK && !lookup(tr, "Size", &v))
		rc = TSAM_ERR_PARSE;
	if (rc == TSAM_OK)
		rc = tsam_buf_add(out, d->b + d->trailer_at,
				  (size_t)(v.p - (d->b + d->trailer_at)));
	if (rc == TSAM_OK)
		rc = tsam_buf_addf(out, "%zu", total);
	if (rc == TSAM_OK)
		rc = tsam_buf_add(
		    out, v.p + v.n,
		    (size_t)(d->b + d->startxref_at - (v.p + v.n)));
	if (rc == TSAM_OK)
		rc = tsam_buf_addf(out, "startxref\n%zu\n%%%%EOF\n", xref);
	free(at);
	return rc;
}

enum tsam_err tsam_pdffont_subset(const char *pdf, size_t n,
				  const struct tsam_pdffont_face *faces,
				  size_t nfaces, struct tsam_buf *out,
				  struct tsam_errbuf *eb)
{
	struct doc d;
	size_t i, k;
	int rc;

	memset(&d, 0, sizeof(d));
	d.b = pdf;
	d.n = n;
	d.eb = eb;
	rc = read_xref(&d);
	if (rc == TSAM_OK)
		rc = spans(&d);
	for (i = 0; rc == TSAM_OK && i < d.size; i++) {
		struct tsam_cur b, v;
		const struct tsam_pdffont_face *f;

		if (!d.obj[i].used || !body(&d, (uint32_t)i, &b) ||
		    !lookup(b, "Subtype", &v) || !name_is(v, "Type0"))
			continue;
		if (!lookup(b, "BaseFont", &v) ||
		    (f = face_of(v, faces, nfaces)) == NULL) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_INVAL,
					     "PDF fonts: object %zu: a font "
					     "that is none of the faces",
					     i);
			break;
		}
		rc = subset_font(&d, (uint32_t)i, f);
	}
	if (rc == TSAM_OK) {
		rc = emit(&d, out);
		if (rc != TSAM_OK)
			rc = tsam_errbuf_set(eb, rc, "PDF fonts: %s",
					     tsam_strerror(rc));
	}
	for (k = 0; k < d.nrepl; k++)
		tsam_buf_free(&d.repl[k].body);
	free(d.repl);
	free(d.obj);
	free(d.order);
	return rc;
}
