/*
 * ttf.c - TrueType subsetting (ttf.h). The font is read only through
 * table() and the be16/be32 readers with explicit bounds; glyphs are
 * looked up through loca with each offset checked against glyf. Composite
 * glyphs add their components to the list being walked, so the closure
 * needs no recursion and ends after at most numGlyphs glyphs.
 */
#include "ttf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 64

/* composite glyph flags (the `glyf` table's specification) */
#define ARG_WORDS 0x0001
#define HAS_SCALE 0x0008
#define MORE	  0x0020
#define HAS_XY	  0x0040
#define HAS_2BY2  0x0080

struct span {
	const uint8_t *p;
	size_t n; /* 0 with p NULL: absent */
};

struct font {
	struct span head, hhea, maxp, hmtx, loca, glyf, post;
	struct span copy[6]; /* OS/2 cvt fpgm gasp name prep, as they are */
	unsigned nglyphs, nhmetrics;
	bool long_loca;
};

static const char *const copied[6] = {"OS/2", "cvt ", "fpgm",
				      "gasp", "name", "prep"};

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Reads the table directory into f; TSAM_ERR_PARSE naming what is
 * wrong. */
static int read_dir(const uint8_t *b, size_t n, struct font *f,
		    struct tsam_errbuf *eb)
{
	unsigned i, ntables;

	if (n < 12 || (be32(b) != 0x00010000 && be32(b) != 0x74727565))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "font: not a TrueType font");
	ntables = be16(b + 4);
	if (ntables > MAX_TABLES || 12 + 16 * (size_t)ntables > n)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "font: bad table directory");
	for (i = 0; i < ntables; i++) {
		const uint8_t *r = b + 12 + 16 * i;
		size_t off = be32(r + 8), len = be32(r + 12);
		struct span s;
		unsigned k;

		if (off > n || len > n - off)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "font: table %u out of bounds",
					       i);
		s.p = b + off;
		s.n = len;
		if (memcmp(r, "head", 4) == 0)
			f->head = s;
		else if (memcmp(r, "hhea", 4) == 0)
			f->hhea = s;
		else if (memcmp(r, "maxp", 4) == 0)
			f->maxp = s;
		else if (memcmp(r, "hmtx", 4) == 0)
			f->hmtx = s;
		else if (memcmp(r, "loca", 4) == 0)
			f->loca = s;
		else if (memcmp(r, "glyf", 4) == 0)
			f->glyf = s;
		else if (memcmp(r, "post", 4) == 0)
			f->post = s;
		for (k = 0; k < 6; k++)
			if (memcmp(r, copied[k], 4) == 0)
				f->copy[k] = s;
	}
	if (f->head.n < 54 || f->hhea.n < 36 || f->maxp.n < 6 ||
	    f->glyf.p == NULL || f->loca.p == NULL || f->hmtx.p == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "font: a required table is missing");
	f->nglyphs = be16(f->maxp.p + 4);
	f->nhmetrics = be16(f->hhea.p + 34);
	f->long_loca = be16(f->head.p + 50) != 0;
	if (f->nglyphs == 0 || f->nhmetrics == 0 || f->nhmetrics > f->nglyphs ||
	    (size_t)(f->nglyphs + 1) * (f->long_loca ? 4 : 2) > f->loca.n ||
	    (size_t)f->nhmetrics * 4 + (size_t)(f->nglyphs - f->nhmetrics) * 2 >
		f->hmtx.n)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "font: glyph counts do not match the "
				       "loca or hmtx tables");
	return TSAM_OK;
}

/* Glyph gid's bytes in glyf (n 0: an empty glyph); false when loca
 * points outside glyf. */
static bool glyph(const struct font *f, unsigned gid, struct span *g)
{
	size_t a, b;

	if (f->long_loca) {
		a = be32(f->loca.p + 4 * gid);
		b = be32(f->loca.p + 4 * gid + 4);
	} else {
		a = (size_t)be16(f->loca.p + 2 * gid) * 2;
		b = (size_t)be16(f->loca.p + 2 * gid + 2) * 2;
	}
	if (a > b || b > f->glyf.n)
		return false;
	g->p = f->glyf.p + a;
	g->n = b - a;
	return true;
}

/* The glyphs kept, while they are collected and while they are copied. */
struct walk {
	const struct font *f;
	int32_t *map;	 /* old glyph -> new, -1 not kept */
	uint16_t *order; /* new glyph -> old */
	unsigned *count; /* glyphs kept so far */
	uint8_t *patch;	 /* when not NULL: g's copy, indices rewritten */
};

/*
 * Walks the components of composite glyph g: keeps each one (appended to
 * w's order), or with w->patch, writes its new index into the copy.
 * Returns false when the glyph ends inside a component record or names a
 * glyph the font does not hold.
 */
static bool components(const struct span *g, struct walk *w)
{
	size_t at = 10;
	unsigned flags;

	do {
		unsigned gid;

		if (at + 4 > g->n)
			return false;
		flags = be16(g->p + at);
		gid = be16(g->p + at + 2);
		if (gid >= w->f->nglyphs)
			return false;
		if (w->patch != NULL) {
			if (w->map[gid] < 0)
				return false;
			put16(w->patch + at + 2, (unsigned)w->map[gid]);
		} else if (w->map[gid] < 0) {
			w->map[gid] = (int32_t)*w->count;
			w->order[(*w->count)++] = (uint16_t)gid;
		}
		at += 4 + (flags & ARG_WORDS ? 4 : 2);
		if (flags & HAS_SCALE)
			at += 2;
		else if (flags & HAS_XY)
			at += 4;
		else if (flags & HAS_2BY2)
			at += 8;
	} while (flags & MORE);
	return at <= g->n;
}

static bool is_composite(const struct span *g)
{
	return g->n >= 10 && (g->p[0] & 0x80) != 0;
}

static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 4 <= n; i += 4)
		sum += be32(p + i);
	if (i < n) {
		uint8_t last[4] = {0, 0, 0, 0};

		memcpy(last, p + i, n - i);
		sum += be32(last);
	}
	return sum;
}

/* A table being written: its tag and bytes (NULL: absent). */
struct table {
	char tag[4];
	const uint8_t *p;
	size_t n;
};

static void add(struct table *t, unsigned *nt, const char *tag,
		const uint8_t *p, size_t n)
{
	memcpy(t[*nt].tag, tag, 4);
	t[*nt].p = p;
	t[*nt].n = n;
	(*nt)++;
}

/* The cmap (3,1) format 4 of the characters with a glyph, in one
 * segment per run of consecutive code points and glyphs. */
static uint8_t *make_cmap(const struct tsam_ttf_char *chars, size_t nchars,
			  const uint16_t *newgid, size_t *len)
{
	/* at most (65535 - 12 - 16) / 8 segments fit the subtable's
	 * 16-bit length; one is the final 0xFFFF segment */
	enum { MAX_SEGS = 8000 };
	size_t i, nseg = 0, sub, k;
	uint16_t *start, *end, *delta;
	uint8_t *p = NULL;
	unsigned range = 1, sel = 0;

	start = malloc(MAX_SEGS * sizeof(*start));
	end = malloc(MAX_SEGS * sizeof(*end));
	delta = malloc(MAX_SEGS * sizeof(*delta));
	if (start == NULL || end == NULL || delta == NULL)
		goto out;
	for (i = 0; i < nchars; i++) {
		unsigned cp = chars[i].cp, g = newgid[i];

		if (g == 0 || cp == 0xffff)
			continue;
		if (nseg > 0 && end[nseg - 1] + 1u == cp &&
		    (uint16_t)(end[nseg - 1] + delta[nseg - 1] + 1u) == g) {
			end[nseg - 1] = (uint16_t)cp;
			continue;
		}
		if (nseg == MAX_SEGS - 1)
			break; /* the rest stays out of the cmap */
		start[nseg] = end[nseg] = (uint16_t)cp;
		delta[nseg] = (uint16_t)(g - cp);
		nseg++;
	}
	start[nseg] = end[nseg] = 0xffff;
	delta[nseg++] = 1;
	while (range * 2 <= nseg) {
		range *= 2;
		sel++;
	}
	sub = 16 + 8 * nseg;
	*len = 12 + sub;
	p = calloc(1, *len);
	if (p == NULL)
		goto out;
	put16(p + 2, 1);  /* one subtable */
	put16(p + 4, 3);  /* Windows */
	put16(p + 6, 1);  /* Unicode BMP */
	put32(p + 8, 12); /* at */
	put16(p + 12, 4); /* format */
	put16(p + 14, (unsigned)sub);
	put16(p + 18, (unsigned)nseg * 2);
	put16(p + 20, range * 2);
	put16(p + 22, sel);
	put16(p + 24, (unsigned)(nseg - range) * 2);
	for (k = 0; k < nseg; k++) {
		put16(p + 26 + 2 * k, end[k]);
		put16(p + 28 + 2 * nseg + 2 * k, start[k]);
		put16(p + 28 + 4 * nseg + 2 * k, delta[k]);
		/* idRangeOffset stays 0 */
	}
out:
	free(start);
	free(end);
	free(delta);
	return p;
}

/* Writes the font file: directory, tables in tag order (as given),
 * checksums, head's checkSumAdjustment. */
static int write_font(struct table *t, unsigned nt, struct tsam_buf *out,
		      struct tsam_errbuf *eb)
{
	size_t base = out->len, total = 12 + 16 * (size_t)nt, at;
	unsigned i, range = 1, sel = 0;
	uint8_t *b;
	size_t head_at = 0;
	int rc;

	for (i = 0; i < nt; i++)
		total += (t[i].n + 3) & ~(size_t)3;
	rc = tsam_buf_reserve(out, total);
	if (rc == TSAM_OK && tsam_buf_room(out) < total)
		rc = TSAM_ERR_TOOBIG;
	if (rc != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "font subset: %s",
				       tsam_strerror(rc));
	b = (uint8_t *)out->data + base;
	memset(b, 0, total);
	while (range * 2 <= nt) {
		range *= 2;
		sel++;
	}
	put32(b, 0x00010000);
	put16(b + 4, nt);
	put16(b + 6, range * 16);
	put16(b + 8, sel);
	put16(b + 10, nt * 16 - range * 16);
	at = 12 + 16 * (size_t)nt;
	for (i = 0; i < nt; i++) {
		uint8_t *r = b + 12 + 16 * i;

		memcpy(b + at, t[i].p, t[i].n);
		if (memcmp(t[i].tag, "head", 4) == 0) {
			head_at = at;
			put32(b + at + 8, 0); /* checkSumAdjustment */
		}
		memcpy(r, t[i].tag, 4);
		put32(r + 4, checksum(b + at, t[i].n));
		put32(r + 8, (uint32_t)at);
		put32(r + 12, (uint32_t)t[i].n);
		at += (t[i].n + 3) & ~(size_t)3;
	}
	put32(b + head_at + 8, 0xb1b0afbau - checksum(b, total));
	out->len += total;
	out->data[out->len] = '\0';
	return TSAM_OK;
}

enum tsam_err tsam_ttf_subset(const uint8_t *font, size_t n,
			      const struct tsam_ttf_char *chars, size_t nchars,
			      uint16_t *newgid, struct tsam_buf *out,
			      struct tsam_errbuf *eb)
{
	struct font f;
	struct walk w;
	struct table t[14];
	int32_t *map = NULL;
	uint16_t *order = NULL;
	uint8_t *glyf = NULL, *loca = NULL, *hmtx = NULL, *cmap = NULL;
	uint8_t head[54], hhea[36], maxp[32], post[32];
	unsigned count = 0, i, k, nt = 0;
	size_t glen = 0, cmap_len = 0;
	int rc = TSAM_OK;

	memset(&f, 0, sizeof(f));
	for (i = 1; i < nchars; i++)
		if (chars[i].cp <= chars[i - 1].cp)
			return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
					       "font subset: characters not "
					       "sorted");
	rc = read_dir(font, n, &f, eb);
	if (rc != TSAM_OK)
		return rc;
	map = malloc(f.nglyphs * sizeof(*map));
	order = malloc(f.nglyphs * sizeof(*order));
	if (map == NULL || order == NULL) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < f.nglyphs; i++)
		map[i] = -1;
	map[0] = 0;
	order[count++] = 0;
	for (i = 0; i < nchars; i++) {
		unsigned g = chars[i].gid;

		newgid[i] = 0;
		if (g == 0 || g >= f.nglyphs)
			continue;
		if (map[g] < 0) {
			map[g] = (int32_t)count;
			order[count++] = (uint16_t)g;
		}
		newgid[i] = (uint16_t)map[g];
	}
	/* the components of composite glyphs, themselves walked in turn */
	w.f = &f;
	w.map = map;
	w.order = order;
	w.count = &count;
	w.patch = NULL;
	for (i = 0; i < count; i++) {
		struct span g;

		if (!glyph(&f, order[i], &g) ||
		    (is_composite(&g) && !components(&g, &w))) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "font: glyph %u is damaged",
					     order[i]);
			goto out;
		}
		glen += (g.n + 3) & ~(size_t)3;
	}
	glyf = malloc(glen ? glen : 1);
	loca = malloc(4 * ((size_t)count + 1));
	hmtx = malloc(4 * (size_t)count);
	if (glyf == NULL || loca == NULL || hmtx == NULL) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		goto out;
	}
	glen = 0;
	for (i = 0; i < count; i++) {
		unsigned old = order[i],
			 m = old < f.nhmetrics ? old : f.nhmetrics - 1;
		struct span g;

		glyph(&f, old, &g); /* checked above */
		put32(loca + 4 * i, (uint32_t)glen);
		memcpy(glyf + glen, g.p, g.n);
		if (is_composite(&g)) {
			w.patch = glyf + glen;
			if (!components(&g, &w)) {
				rc = tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "font: glyph %u is damaged", old);
				goto out;
			}
		}
		for (k = (unsigned)g.n; (k & 3) != 0; k++)
			glyf[glen + k] = 0;
		glen += (g.n + 3) & ~(size_t)3;
		/* advance of the last full metric for the glyphs past it */
		memcpy(hmtx + 4 * i, f.hmtx.p + 4 * m, 2);
		if (old < f.nhmetrics)
			memcpy(hmtx + 4 * i + 2, f.hmtx.p + 4 * old + 2, 2);
		else
			memcpy(hmtx + 4 * i + 2,
			       f.hmtx.p + 4 * f.nhmetrics +
				   2 * (old - f.nhmetrics),
			       2);
	}
	put32(loca + 4 * count, (uint32_t)glen);
	cmap = make_cmap(chars, nchars, newgid, &cmap_len);
	if (cmap == NULL) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		goto out;
	}
	memcpy(head, f.head.p, 54);
	put16(head + 50, 1); /* long loca */
	memcpy(hhea, f.hhea.p, 36);
	put16(hhea + 34, count);
	memset(maxp, 0, sizeof(maxp));
	memcpy(maxp, f.maxp.p, f.maxp.n < 32 ? f.maxp.n : 32);
	put16(maxp + 4, count);

	/* the tables in tag order (the directory must be sorted) */
	add(t, &nt, "OS/2", f.copy[0].p, f.copy[0].n);
	add(t, &nt, "cmap", cmap, cmap_len);
	for (k = 1; k < 4; k++) /* cvt fpgm gasp */
		add(t, &nt, copied[k], f.copy[k].p, f.copy[k].n);
	add(t, &nt, "glyf", glyf, glen);
	add(t, &nt, "head", head, sizeof(head));
	add(t, &nt, "hhea", hhea, sizeof(hhea));
	add(t, &nt, "hmtx", hmtx, 4 * (size_t)count);
	add(t, &nt, "loca", loca, 4 * ((size_t)count + 1));
	add(t, &nt, "maxp", maxp, f.maxp.n < 32 ? f.maxp.n : 32);
	add(t, &nt, "name", f.copy[4].p, f.copy[4].n);
	if (f.post.n >= 32) {
		memcpy(post, f.post.p, 32);
		put32(post, 0x00030000); /* format 3: no glyph names */
		add(t, &nt, "post", post, sizeof(post));
	}
	add(t, &nt, "prep", f.copy[5].p, f.copy[5].n);
	/* absent optional tables are left out */
	for (i = k = 0; i < nt; i++)
		if (t[i].p != NULL)
			t[k++] = t[i];
	rc = write_font(t, k, out, eb);
out:
	free(map);
	free(order);
	free(glyf);
	free(loca);
	free(hmtx);
	free(cmap);
	return rc;
}
