/* sections.c - parse the collector output format. */
#include "sections.h"

#include "buf.h"
#include "str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tsam_sections_free(struct tsam_sections *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int tsam_sections_boundary(char out[33])
{
	return tsam_random_hex(out);
}

static void problem(struct tsam_sections *s, size_t line, const char *what)
{
	if (s->problem[0] == '\0')
		snprintf(s->problem, sizeof(s->problem), "line %zu: %s", line,
			 what);
}

/* Copies a name token (collector or section) if it is sane. */
static bool take_name(struct tsam_cur *c, char *out, size_t outsz)
{
	struct tsam_cur tok;
	size_t i;

	if (!tsam_cur_token(c, &tok) || tok.n >= outsz)
		return false;
	for (i = 0; i < tok.n; i++) {
		char ch = tok.p[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		      ch == '.'))
			return false;
	}
	memcpy(out, tok.p, tok.n);
	out[tok.n] = '\0';
	return true;
}

static bool take_rc(struct tsam_cur *c, int *rc)
{
	struct tsam_cur tok;
	uint64_t v;

	if (!tsam_cur_token(c, &tok) || !tsam_cur_skip_prefix(&tok, "rc=") ||
	    tsam_cur_to_u64(tok, 255, &v) != TSAM_OK)
		return false;
	*rc = (int)v;
	return true;
}

enum tsam_err tsam_sections_parse(const char *data, size_t len,
				  const char *boundary,
				  struct tsam_sections *out)
{
	struct tsam_cur all = tsam_cur_make(data, len), line;
	struct tsam_section *cur = NULL;
	size_t lineno = 0, cap = 0, blen = strlen(boundary);
	char hdr[64];

	memset(out, 0, sizeof(*out));
	out->trailer_rc = -1;
	snprintf(hdr, sizeof(hdr), "TSAMKIT-COLLECT 1 %s", boundary);
	while (tsam_cur_getline(&all, &line)) {
		const char *line_start = line.p;
		struct tsam_cur rest = line, tok;

		lineno++;
		if (!out->header) {
			size_t hl = strlen(hdr);
			/* the header, alone or after noise with no newline */
			if (line.n >= hl &&
			    memcmp(line.p + line.n - hl, hdr, hl) == 0) {
				out->header = true;
				out->preamble = data;
				out->preamble_len =
				    (size_t)(line.p - data) + line.n - hl;
				continue;
			}
			if ((size_t)(all.p - data) >
			    TSAM_SECTIONS_PREAMBLE_MAX) {
				problem(out, lineno,
					"no collector header in the first "
					"64 KiB (not a tsamkit collector, or "
					"another run)");
				break;
			}
			continue;
		}
		if (!(rest.n > blen && memcmp(rest.p, boundary, blen) == 0 &&
		      rest.p[blen] == ' ')) {
			if (cur == NULL && line.n > 0)
				problem(out, lineno,
					"text outside any section");
			continue;
		}
		rest.p += blen + 1;
		rest.n -= blen + 1;
		if (!tsam_cur_token(&rest, &tok)) {
			problem(out, lineno, "delimiter without a keyword");
			continue;
		}
		if (tsam_cur_eq(tok, "begin")) {
			struct tsam_section s;
			memset(&s, 0, sizeof(s));
			s.rc = -1;
			if (cur != NULL) {
				problem(out, lineno,
					"section begins inside another");
				/* close the open one where this line starts */
				cur->len = (size_t)(line_start - cur->body);
			}
			if (!take_name(&rest, s.collector,
				       sizeof(s.collector)) ||
			    !take_name(&rest, s.name, sizeof(s.name))) {
				problem(out, lineno, "bad section header");
				cur = NULL;
				continue;
			}
			if (out->n >= TSAM_SECTIONS_MAX) {
				problem(out, lineno, "too many sections");
				cur = NULL;
				continue;
			}
			if (tsam_grow(&out->v, &cap, out->n + 1,
				      sizeof(*out->v)) != TSAM_OK)
				return TSAM_ERR_NOMEM;
			s.body = all.p;
			out->v[out->n] = s;
			cur = &out->v[out->n++];
		} else if (tsam_cur_eq(tok, "end")) {
			char c[64], nm[64];
			int rc;
			if (cur == NULL) {
				problem(out, lineno, "end without begin");
				continue;
			}
			if (!take_name(&rest, c, sizeof(c)) ||
			    !take_name(&rest, nm, sizeof(nm)) ||
			    strcmp(c, cur->collector) ||
			    strcmp(nm, cur->name) || !take_rc(&rest, &rc)) {
				problem(out, lineno,
					"bad or mismatched end line");
				rc = -1;
			}
			cur->len = (size_t)(line_start - cur->body);
			/* The newline the script printed before "end". */
			if (cur->len > 0 && cur->body[cur->len - 1] == '\n')
				cur->len--;
			cur->rc = rc;
			cur = NULL;
		} else if (tsam_cur_eq(tok, "trailer")) {
			if (cur != NULL) {
				problem(out, lineno,
					"trailer inside a section");
				cur->len = (size_t)(line_start - cur->body);
				cur = NULL;
			}
			if (!take_rc(&rest, &out->trailer_rc))
				problem(out, lineno, "bad trailer");
			else
				out->trailer = true;
		} else {
			problem(out, lineno, "unknown delimiter keyword");
		}
	}
	if (!out->header && out->problem[0] == '\0')
		problem(out, 1,
			"no collector header (not a tsamkit collector, or "
			"another run)");
	if (cur != NULL) {
		problem(out, lineno, "output ends inside a section");
		cur->len = (size_t)(data + len - cur->body);
	}
	return TSAM_OK;
}
