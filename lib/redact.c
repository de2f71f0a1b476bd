/* redact.c - credential redaction for collected text. */
#include "redact.h"

#include "buf.h"
#include "err.h"
#include "str.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const secret_words[] = {
    "password", "passwd",     "passphrase", "secret",
    "token",	"username",   "credential", "apikey",
    "api_key",	"privatekey", "private_key"};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* True when the n bytes at k contain a secret word, ignoring case. */
static bool secret_name(const char *k, size_t n)
{
	size_t w, i, j;

	for (w = 0; w < sizeof(secret_words) / sizeof(*secret_words); w++) {
		const char *word = secret_words[w];
		size_t wl = strlen(word);
		for (i = 0; i + wl <= n; i++) {
			for (j = 0; j < wl && lower(k[i + j]) == word[j]; j++)
				;
			if (j == wl)
				return true;
		}
	}
	return false;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/*
 * "Key: value" or "Key = value" lines: the key is the text before the
 * first ':' or '=' (letters, digits, spaces, _ - .), at most 64 bytes.
 */
static bool key_value(struct tsam_cur line, size_t *vstart)
{
	size_t i = 0, klen;

	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	klen = i;
	while (klen < line.n &&
	       (name_char(line.p[klen]) || line.p[klen] == ' '))
		klen++;
	if (klen >= line.n || (line.p[klen] != ':' && line.p[klen] != '=') ||
	    klen - i == 0 || klen - i > 64)
		return false;
	if (!secret_name(line.p + i, klen - i))
		return false;
	/* XML or URLs are handled below; "a=b" inside text with quotes too. */
	if (klen + 1 < line.n && line.p[klen] == '=' &&
	    (line.p[klen + 1] == '"' || line.p[klen + 1] == '\''))
		return false;
	*vstart = klen + 1;
	while (*vstart < line.n &&
	       (line.p[*vstart] == ' ' || line.p[*vstart] == '\t'))
		(*vstart)++;
	return *vstart < line.n;
}

/* Redacts one line into out. */
static int line_redact(struct tsam_cur line, struct tsam_buf *out,
		       size_t *count)
{
	size_t i = 0, v;
	int rc = TSAM_OK;

	if (key_value(line, &v)) {
		(*count)++;
		rc = tsam_buf_add(out, line.p, v);
		return rc ? rc : tsam_buf_adds(out, TSAM_REDACTED);
	}
	while (i < line.n && rc == TSAM_OK) {
		char c = line.p[i];
		/* name="value" */
		if ((c == '"' || c == '\'') && i >= 2 && line.p[i - 1] == '=') {
			size_t ns = i - 1, end;
			while (ns > 0 && name_char(line.p[ns - 1]))
				ns--;
			end = i + 1;
			while (end < line.n && line.p[end] != c)
				end++;
			if (end < line.n &&
			    secret_name(line.p + ns, i - 1 - ns) &&
			    end > i + 1) {
				(*count)++;
				rc = tsam_buf_add(out, line.p + i, 1);
				if (rc == TSAM_OK)
					rc = tsam_buf_adds(out, TSAM_REDACTED);
				i = end;
				continue;
			}
		}
		/* <Name>value</ */
		if (c == '>' && i > 0) {
			size_t ts = i, end;
			while (ts > 0 && name_char(line.p[ts - 1]))
				ts--;
			/* text content only: up to the first '<', a closing tag
			 */
			end = i + 1;
			while (end < line.n && line.p[end] != '<')
				end++;
			if (ts > 0 && line.p[ts - 1] == '<' &&
			    end + 1 < line.n && line.p[end + 1] == '/' &&
			    secret_name(line.p + ts, i - ts) &&
			    end + 1 < line.n && end > i + 1) {
				(*count)++;
				rc = tsam_buf_adds(out, ">" TSAM_REDACTED);
				i = end;
				continue;
			}
		}
		/* scheme://user:pass@ */
		if (c == ':' && i + 2 < line.n && line.p[i + 1] == '/' &&
		    line.p[i + 2] == '/') {
			size_t s = i + 3, e = s, at = 0;
			bool colon = false;
			while (e < line.n && line.p[e] != '/' &&
			       line.p[e] != ' ' && line.p[e] != '"' &&
			       line.p[e] != '\'' && line.p[e] != '<') {
				if (line.p[e] == '@')
					at = e;
				if (line.p[e] == ':' && at == 0)
					colon = true;
				e++;
			}
			if (at > s && colon) {
				(*count)++;
				rc = tsam_buf_add(out, "://", 3);
				if (rc == TSAM_OK)
					rc = tsam_buf_adds(out, TSAM_REDACTED);
				i = at;
				continue;
			}
		}
		rc = tsam_buf_add(out, &c, 1);
		i++;
	}
	return rc;
}

char *tsam_redact(const char *p, size_t n, size_t *len, size_t *count)
{
	struct tsam_buf out;
	struct tsam_cur all = tsam_cur_make(p, n), line;
	size_t dummy = 0;
	int rc = TSAM_OK;

	if (count == NULL)
		count = &dummy;
	*count = 0;
	/* A short value grows to "<redacted>": at most 4 times the input. */
	tsam_buf_init(&out, n * 4 + 64);
	rc = tsam_buf_add(&out, "", 0);
	while (rc == TSAM_OK && all.n > 0) {
		const char *start = all.p;
		bool nl;
		tsam_cur_getline(&all, &line);
		rc = line_redact(line, &out, count);
		/* keep the line ending as it was */
		nl = all.p > start + line.n;
		if (rc == TSAM_OK && nl)
			rc = tsam_buf_add(&out, start + line.n,
					  (size_t)(all.p - start) - line.n);
	}
	if (rc != TSAM_OK) {
		tsam_buf_free(&out);
		return NULL;
	}
	return tsam_buf_take(&out, len);
}
