/*
 * inventory.c - text and JSON inventories, ranges, labels, --limit.
 *
 * Size: one file for both inventory formats, because the text and JSON forms
 * share every rule (names, ranges, labels, address=, jump=, duplicates) and
 * must report the same errors for the same mistake.
 */
#include "inventory.h"

#include "buf.h"
#include "fsio.h"
#include "hostlist.h"
#include "json.h"
#include "str.h"

#include <fnmatch.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Inventory files larger than this are refused. */
#define INVENTORY_MAX_BYTES (256u << 20)

void tsam_inventory_free(struct tsam_inventory *inv)
{
	size_t i, j;

	if (inv == NULL)
		return;
	for (i = 0; i < inv->n; i++) {
		struct tsam_host *h = &inv->hosts[i];
		free(h->name);
		free(h->address);
		free(h->user);
		for (j = 0; j < h->nlabels; j++) {
			free(h->labels[j].key);
			free(h->labels[j].value);
		}
		free(h->labels);
	}
	free(inv->hosts);
	free(inv->path);
	free(inv);
}

/* The value of label key in labels[0..n), or NULL. */
static const char *tsam_label_of(const struct tsam_label *labels, size_t n,
				 const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(labels[i].key, key) == 0)
			return labels[i].value;
	return NULL;
}

const char *tsam_host_label(const struct tsam_host *h, const char *key)
{
	size_t i;

	for (i = 0; i < h->nlabels; i++)
		if (strcmp(h->labels[i].key, key) == 0)
			return h->labels[i].value;
	return NULL;
}

long tsam_inventory_find(const struct tsam_inventory *inv, const char *name)
{
	size_t i;

	for (i = 0; i < inv->n; i++)
		if (strcmp(inv->hosts[i].name, name) == 0)
			return (long)i;
	return -1;
}

static bool match_one(const struct tsam_host *h, const char *alt)
{
	const char *eq = strchr(alt, '=');

	if (eq != NULL) {
		size_t i, klen = (size_t)(eq - alt);
		for (i = 0; i < h->nlabels; i++)
			if (strlen(h->labels[i].key) == klen &&
			    memcmp(h->labels[i].key, alt, klen) == 0)
				return fnmatch(eq + 1, h->labels[i].value, 0) ==
				       0;
		return false;
	}
	return fnmatch(alt, h->name, 0) == 0 ||
	       fnmatch(alt, h->address, 0) == 0;
}

bool tsam_host_matches(const struct tsam_host *h, const char *expr)
{
	char *copy = strdup(expr), *save = NULL, *alt;
	bool hit = false;

	if (copy == NULL)
		return false;
	for (alt = strtok_r(copy, ",", &save); alt != NULL && !hit;
	     alt = strtok_r(NULL, ",", &save))
		hit = match_one(h, alt);
	free(copy);
	return hit;
}

/* ---- building ---------------------------------------------------------- */

/* One host definition before range expansion. */
struct def {
	char *user;
	char *pattern; /* host name, possibly a range */
	bool ipv6;
	unsigned port;
	char *address;
	struct tsam_label *labels;
	size_t nlabels;
};

static void def_free(struct def *d)
{
	size_t i;

	free(d->user);
	free(d->pattern);
	free(d->address);
	for (i = 0; i < d->nlabels; i++) {
		free(d->labels[i].key);
		free(d->labels[i].value);
	}
	free(d->labels);
	memset(d, 0, sizeof(*d));
}

static bool valid_key(const char *k)
{
	const char *p;

	if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z')))
		return false;
	for (p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		      *p == '.'))
			return false;
	return true;
}

static bool valid_hostchars(const char *s, bool ipv6)
{
	const char *p;

	if (*s == '\0')
		return false;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')
			continue;
		if (ipv6 && (c == ':' || c == '%'))
			continue;
		if (!ipv6 && (c == '[' || c == ']' || c == ','))
			continue;
		return false;
	}
	return true;
}

static bool valid_user(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '-')
		return false;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		      c == '_'))
			return false;
	}
	return true;
}

static int parse_port(struct tsam_cur c, unsigned *port, struct tsam_errbuf *eb)
{
	uint64_t v;

	if (tsam_cur_to_u64(c, 65535, &v) != TSAM_OK || v == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE, "bad port '%.*s'",
				       (int)c.n, c.p);
	*port = (unsigned)v;
	return TSAM_OK;
}

static int def_add_label(struct def *d, const char *key, const char *value,
			 struct tsam_errbuf *eb)
{
	struct tsam_label *nl;
	size_t i;

	if (!valid_key(key))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "bad label name '%s'", key);
	if (value[0] == '\0')
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "empty value for '%s'", key);
	if (strcmp(key, "become") == 0 && strcmp(value, "sudo") != 0 &&
	    strcmp(value, "doas") != 0 && strcmp(value, "none") != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "become=%s: not sudo, doas or none",
				       value);
	if (strcmp(key, "address") == 0) {
		if (d->address != NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_DUP,
					       "address given twice");
		if (!valid_hostchars(value, strchr(value, ':') != NULL) ||
		    strchr(value, '[') != NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "bad address '%s'", value);
		d->address = strdup(value);
		return d->address ? TSAM_OK : TSAM_ERR_NOMEM;
	}
	for (i = 0; i < d->nlabels; i++)
		if (strcmp(d->labels[i].key, key) == 0)
			return tsam_errbuf_set(eb, TSAM_ERR_DUP,
					       "label '%s' given twice", key);
	nl = realloc(d->labels, (d->nlabels + 1) * sizeof(*nl));
	if (nl == NULL)
		return TSAM_ERR_NOMEM;
	d->labels = nl;
	nl[d->nlabels].key = strdup(key);
	nl[d->nlabels].value = strdup(value);
	d->nlabels++;
	if (nl[d->nlabels - 1].key == NULL || nl[d->nlabels - 1].value == NULL)
		return TSAM_ERR_NOMEM;
	return TSAM_OK;
}

/*
 * Gives d the labels of its group g (named name) that d does not set
 * itself, and group=NAME: a host's own labels win.
 */
static int def_inherit(struct def *d, const struct def *g, const char *name,
		       struct tsam_errbuf *eb)
{
	size_t i;
	int rc = TSAM_OK;

	if (name == NULL)
		return TSAM_OK;
	if (tsam_label_of(d->labels, d->nlabels, "group") == NULL)
		rc = def_add_label(d, "group", name, eb);
	for (i = 0; rc == TSAM_OK && i < g->nlabels; i++)
		if (tsam_label_of(d->labels, d->nlabels, g->labels[i].key) ==
		    NULL)
			rc = def_add_label(d, g->labels[i].key,
					   g->labels[i].value, eb);
	return rc;
}

/* Parses "[user@]host[:port]" or "[user@][v6addr][:port]". */
static int parse_spec(struct tsam_cur spec, struct def *d,
		      struct tsam_errbuf *eb)
{
	const char *at = memchr(spec.p, '@', spec.n);
	struct tsam_cur host;

	if (at != NULL) {
		struct tsam_cur u = {spec.p, (size_t)(at - spec.p)};
		d->user = tsam_cur_dup(u);
		if (d->user == NULL)
			return TSAM_ERR_NOMEM;
		if (!valid_user(d->user))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "bad user name '%.*s'", (int)u.n,
					       u.p);
		spec.p = at + 1;
		spec.n -= u.n + 1;
	}
	host = spec;
	if (spec.n > 0 && spec.p[0] == '[') {
		const char *close = memchr(spec.p, ']', spec.n);
		if (close != NULL &&
		    memchr(spec.p, ':', (size_t)(close - spec.p)) != NULL) {
			/* IPv6 literal: [addr] or [addr]:port */
			struct tsam_cur rest;
			host.p = spec.p + 1;
			host.n = (size_t)(close - spec.p - 1);
			rest.p = close + 1;
			rest.n = spec.n - host.n - 2;
			if (rest.n > 0) {
				if (rest.p[0] != ':')
					return tsam_errbuf_set(
					    eb, TSAM_ERR_PARSE,
					    "junk after ']' in '%.*s'",
					    (int)spec.n, spec.p);
				rest.p++;
				rest.n--;
				if (parse_port(rest, &d->port, eb) != TSAM_OK)
					return TSAM_ERR_PARSE;
			}
			d->ipv6 = true;
		}
	}
	if (!d->ipv6) {
		const char *colon = NULL;
		size_t i;
		int depth = 0;
		for (i = 0; i < spec.n; i++) {
			if (spec.p[i] == '[')
				depth++;
			else if (spec.p[i] == ']')
				depth--;
			else if (spec.p[i] == ':' && depth == 0) {
				if (colon != NULL)
					return tsam_errbuf_set(
					    eb, TSAM_ERR_PARSE,
					    "'%.*s': IPv6 addresses go in "
					    "brackets: [addr]:port",
					    (int)spec.n, spec.p);
				colon = spec.p + i;
			}
		}
		if (colon != NULL) {
			struct tsam_cur port = {
			    colon + 1, spec.n - (size_t)(colon - spec.p) - 1};
			host.n = (size_t)(colon - spec.p);
			if (parse_port(port, &d->port, eb) != TSAM_OK)
				return TSAM_ERR_PARSE;
		}
	}
	d->pattern = tsam_cur_dup(host);
	if (d->pattern == NULL)
		return TSAM_ERR_NOMEM;
	if (!valid_hostchars(d->pattern, d->ipv6))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE, "bad host name '%s'",
				       d->pattern[0] ? d->pattern : "");
	return TSAM_OK;
}

static int add_host(struct tsam_inventory *inv, const struct def *d,
		    const char *name, size_t line)
{
	struct tsam_host *h;
	size_t i;

	if (tsam_grow(&inv->hosts, &inv->cap, inv->n + 1,
		      sizeof(*inv->hosts)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	h = &inv->hosts[inv->n];
	memset(h, 0, sizeof(*h));
	inv->n++;
	h->line = line;
	h->port = d->port;
	h->name = strdup(name);
	h->address = strdup(d->address ? d->address : name);
	if (d->user != NULL)
		h->user = strdup(d->user);
	if (h->name == NULL || h->address == NULL ||
	    (d->user != NULL && h->user == NULL))
		return TSAM_ERR_NOMEM;
	if (d->nlabels > 0) {
		h->labels = calloc(d->nlabels, sizeof(*h->labels));
		if (h->labels == NULL)
			return TSAM_ERR_NOMEM;
		for (i = 0; i < d->nlabels; i++) {
			h->labels[i].key = strdup(d->labels[i].key);
			h->labels[i].value = strdup(d->labels[i].value);
			h->nlabels++;
			if (h->labels[i].key == NULL ||
			    h->labels[i].value == NULL)
				return TSAM_ERR_NOMEM;
		}
	}
	return TSAM_OK;
}

/* Open-addressing set of host names, to find duplicates in O(1). */
struct nameset {
	size_t *slot; /* host index + 1; 0 empty */
	size_t cap;
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Returns the index+1 of an existing host with the same name, or 0. */
static int nameset_put(struct nameset *ns, const struct tsam_inventory *inv,
		       size_t idx, size_t *dup)
{
	size_t i;

	if ((inv->n) * 2 > ns->cap) {
		size_t ncap = ns->cap ? ns->cap * 2 : 256, k;
		size_t *nslot = calloc(ncap, sizeof(*nslot));
		if (nslot == NULL)
			return TSAM_ERR_NOMEM;
		for (k = 0; k < ns->cap; k++) {
			if (ns->slot[k] == 0)
				continue;
			i = hash_str(inv->hosts[ns->slot[k] - 1].name) &
			    (ncap - 1);
			while (nslot[i] != 0)
				i = (i + 1) & (ncap - 1);
			nslot[i] = ns->slot[k];
		}
		free(ns->slot);
		ns->slot = nslot;
		ns->cap = ncap;
	}
	i = hash_str(inv->hosts[idx].name) & (ns->cap - 1);
	while (ns->slot[i] != 0) {
		if (strcmp(inv->hosts[ns->slot[i] - 1].name,
			   inv->hosts[idx].name) == 0) {
			*dup = ns->slot[i];
			return TSAM_OK;
		}
		i = (i + 1) & (ns->cap - 1);
	}
	ns->slot[i] = idx + 1;
	*dup = 0;
	return TSAM_OK;
}

/* Expands d and adds its hosts; loc is "file:line" or "file: hosts[i]". */
static int add_def(struct tsam_inventory *inv, struct nameset *ns,
		   const struct def *d, size_t line, bool json, const char *loc,
		   struct tsam_errbuf *eb)
{
	struct tsam_strlist names = {0};
	struct tsam_errbuf sub;
	size_t i;
	int rc;

	tsam_errbuf_clear(&sub);
	if (d->ipv6) {
		rc = tsam_strlist_add(&names, d->pattern);
	} else {
		rc = tsam_hostlist_expand(d->pattern,
					  TSAM_INVENTORY_MAX_HOSTS - inv->n,
					  &names, &sub);
		if (rc != TSAM_OK) {
			tsam_strlist_free(&names);
			return tsam_errbuf_set(eb, rc, "%s: %s", loc,
					       tsam_errbuf_str(&sub, rc));
		}
	}
	if (rc == TSAM_OK && d->address != NULL && names.n > 1)
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: address= cannot go with a host range",
				     loc);
	for (i = 0; rc == TSAM_OK && i < names.n; i++) {
		size_t dup;
		rc = add_host(inv, d, names.v[i], line);
		if (rc == TSAM_OK)
			rc = nameset_put(ns, inv, inv->n - 1, &dup);
		if (rc == TSAM_OK && dup != 0 && json)
			rc = tsam_errbuf_set(
			    eb, TSAM_ERR_DUP,
			    "%s: duplicate host '%s' (first in hosts[%zu])",
			    loc, names.v[i], inv->hosts[dup - 1].line - 1);
		else if (rc == TSAM_OK && dup != 0)
			rc = tsam_errbuf_set(
			    eb, TSAM_ERR_DUP,
			    "%s: duplicate host '%s' (first at line %zu)", loc,
			    names.v[i], inv->hosts[dup - 1].line);
	}
	tsam_strlist_free(&names);
	return rc;
}

/* Reads the key=value labels left on line into d. */
static int read_labels(struct tsam_cur *line, struct def *d,
		       struct tsam_errbuf *sub)
{
	struct tsam_cur tok;
	int rc = TSAM_OK;

	while (rc == TSAM_OK && tsam_cur_token(line, &tok)) {
		const char *eq;
		char *key, *val;
		if (tok.p[0] == '#')
			break;
		eq = memchr(tok.p, '=', tok.n);
		if (eq == NULL)
			return tsam_errbuf_set(sub, TSAM_ERR_PARSE,
					       "'%.*s' is not key=value (one "
					       "host a line)",
					       (int)tok.n, tok.p);
		key = tsam_cur_dup(tsam_cur_make(tok.p, (size_t)(eq - tok.p)));
		val = tsam_cur_dup(
		    tsam_cur_make(eq + 1, tok.n - (size_t)(eq - tok.p) - 1));
		if (key == NULL || val == NULL)
			rc = TSAM_ERR_NOMEM;
		else
			rc = def_add_label(d, key, val, sub);
		free(key);
		free(val);
	}
	return rc;
}

/*
 * "group NAME key=value ...": the lines after it, up to the next group
 * line, are NAME's hosts and take its labels (their own win). True when
 * line is one (its second word has no '='); *rc tells how it went.
 */
static bool group_line(struct tsam_cur line, struct def *g, char **gname,
		       struct tsam_errbuf *sub, int *rc)
{
	struct tsam_cur tok, nm;

	if (!tsam_cur_token(&line, &tok) || !tsam_cur_eq(tok, "group"))
		return false;
	if (!tsam_cur_token(&line, &nm) || nm.p[0] == '#' ||
	    memchr(nm.p, '=', nm.n) != NULL)
		return false;
	def_free(g);
	free(*gname);
	*gname = tsam_cur_dup(nm);
	if (*gname == NULL) {
		*rc = TSAM_ERR_NOMEM;
		return true;
	}
	if (!valid_key(*gname)) {
		*rc = tsam_errbuf_set(sub, TSAM_ERR_PARSE,
				      "bad group name '%s'", *gname);
		return true;
	}
	*rc = read_labels(&line, g, sub);
	if (*rc == TSAM_OK && g->address != NULL)
		*rc = tsam_errbuf_set(sub, TSAM_ERR_PARSE,
				      "address= is a host's, not a group's");
	return true;
}

static int parse_text(struct tsam_inventory *inv, const char *name,
		      const char *data, size_t n, struct tsam_errbuf *eb)
{
	struct tsam_cur all = tsam_cur_make(data, n), line;
	struct nameset ns = {0};
	struct def group;
	char *gname = NULL;
	size_t lineno = 0;
	int rc = TSAM_OK;

	memset(&group, 0, sizeof(group));

	/* A UTF-8 byte order mark is allowed at the start. */
	tsam_cur_skip_prefix(&all, "\xef\xbb\xbf");
	while (rc == TSAM_OK && tsam_cur_getline(&all, &line)) {
		struct tsam_cur tok;
		struct def d;
		struct tsam_errbuf sub;
		char loc[512];

		lineno++;
		snprintf(loc, sizeof(loc), "%s:%zu", name, lineno);
		if (!tsam_utf8_valid(line.p, line.n)) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: not valid UTF-8 text", loc);
			break;
		}
		tsam_errbuf_clear(&sub);
		if (group_line(line, &group, &gname, &sub, &rc)) {
			if (rc != TSAM_OK)
				rc = tsam_errbuf_set(eb, rc, "%s: %s", loc,
						     tsam_errbuf_str(&sub, rc));
			continue;
		}
		if (!tsam_cur_token(&line, &tok) || tok.p[0] == '#')
			continue;
		memset(&d, 0, sizeof(d));
		rc = parse_spec(tok, &d, &sub);
		if (rc == TSAM_OK)
			rc = read_labels(&line, &d, &sub);
		if (rc == TSAM_OK)
			rc = def_inherit(&d, &group, gname, &sub);
		if (rc != TSAM_OK)
			rc = tsam_errbuf_set(eb, rc, "%s: %s", loc,
					     tsam_errbuf_str(&sub, rc));
		else
			rc = add_def(inv, &ns, &d, lineno, false, loc, eb);
		def_free(&d);
	}
	def_free(&group);
	free(gname);
	free(ns.slot);
	return rc;
}

/* The string labels of a JSON "labels" object into d. */
static int json_labels(json_object *v, struct def *d, struct tsam_errbuf *eb)
{
	int rc;

	if (!json_object_is_type(v, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "\"labels\" must be an object");
	json_object_object_foreach(v, lk, lv)
	{
		if (!json_object_is_type(lv, json_type_string) ||
		    strlen(json_object_get_string(lv)) !=
			(size_t)json_object_get_string_len(lv))
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "label '%s' must be a string (no NUL)", lk);
		if (strcmp(lk, "address") == 0)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "address goes outside \"labels\"");
		rc = def_add_label(d, lk, json_object_get_string(lv), eb);
		if (rc != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}

/* Fills d from one JSON host entry (string spec or object). */
static int json_def(json_object *e, struct def *d, struct tsam_errbuf *eb)
{
	json_object *v;
	int rc;

	if (json_object_is_type(e, json_type_string))
		return parse_spec(tsam_cur_str(json_object_get_string(e)), d,
				  eb);
	if (!json_object_is_type(e, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "a host is a string or an object");
	json_object_object_foreach(e, key, val)
	{
		if (strcmp(key, "name") && strcmp(key, "address") &&
		    strcmp(key, "port") && strcmp(key, "user") &&
		    strcmp(key, "labels"))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "unknown member '%s'", key);
		(void)val;
	}
	if (tsam_json_str(e, "name") == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "\"name\" (a string, no NUL) is "
				       "required");
	rc = parse_spec(tsam_cur_str(tsam_json_str(e, "name")), d, eb);
	if (rc != TSAM_OK)
		return rc;
	if (json_object_object_get_ex(e, "user", &v)) {
		if (d->user != NULL || tsam_json_str(e, "user") == NULL ||
		    !valid_user(tsam_json_str(e, "user")))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "bad or repeated \"user\"");
		d->user = strdup(tsam_json_str(e, "user"));
	}
	if (json_object_object_get_ex(e, "port", &v)) {
		int64_t p;
		if (d->port != 0 || tsam_json_int(e, "port", &p) != TSAM_OK ||
		    p < 1 || p > 65535)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "bad or repeated \"port\"");
		d->port = (unsigned)p;
	}
	if (json_object_object_get_ex(e, "address", &v)) {
		if (tsam_json_str(e, "address") == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "\"address\" must be a string");
		rc = def_add_label(d, "address", tsam_json_str(e, "address"),
				   eb);
		if (rc != TSAM_OK)
			return rc;
	}
	if (json_object_object_get_ex(e, "labels", &v))
		return json_labels(v, d, eb);
	return TSAM_OK;
}

/*
 * The host entries of one JSON array (loc names it: "hosts", or
 * "groups[2].hosts"), each taking group g's labels when gname is set.
 * Entries are numbered across the file (*k) for the hosts' line.
 */
static int json_hosts(struct tsam_inventory *inv, struct nameset *ns,
		      const char *name, const char *where, json_object *hosts,
		      const struct def *g, const char *gname, size_t *k,
		      struct tsam_errbuf *eb)
{
	size_t i, len = json_object_array_length(hosts);
	int rc = TSAM_OK;

	for (i = 0; rc == TSAM_OK && i < len; i++) {
		struct def d;
		struct tsam_errbuf sub;
		char loc[512];

		memset(&d, 0, sizeof(d));
		tsam_errbuf_clear(&sub);
		snprintf(loc, sizeof(loc), "%s: %s[%zu]", name, where, i);
		rc = json_def(json_object_array_get_idx(hosts, i), &d, &sub);
		if (rc == TSAM_OK)
			rc = def_inherit(&d, g, gname, &sub);
		if (rc != TSAM_OK)
			rc = tsam_errbuf_set(eb, rc, "%s: %s", loc,
					     tsam_errbuf_str(&sub, rc));
		else
			rc = add_def(inv, ns, &d, ++*k, true, loc, eb);
		def_free(&d);
	}
	return rc;
}

/* "groups": [{"name": N, "labels": {...}, "hosts": [...]}, ...] */
static int json_groups(struct tsam_inventory *inv, struct nameset *ns,
		       const char *name, json_object *groups, size_t *k,
		       struct tsam_errbuf *eb)
{
	size_t i;
	int rc = TSAM_OK;

	if (!json_object_is_type(groups, json_type_array))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"groups\" must be an array", name);
	for (i = 0; rc == TSAM_OK && i < json_object_array_length(groups);
	     i++) {
		json_object *e = json_object_array_get_idx(groups, i), *v,
			    *hosts = NULL;
		const char *gname = tsam_json_str(e, "name");
		struct tsam_errbuf sub;
		struct def g;
		char where[64];

		memset(&g, 0, sizeof(g));
		tsam_errbuf_clear(&sub);
		if (!json_object_is_type(e, json_type_object) ||
		    gname == NULL || !valid_key(gname))
			rc = tsam_errbuf_set(
			    &sub, TSAM_ERR_PARSE,
			    "a group is an object with a "
			    "\"name\" (letters, digits, _ - .)");
		if (rc == TSAM_OK) {
			json_object_object_foreach(e, key, val)
			{
				(void)val;
				if (strcmp(key, "name") &&
				    strcmp(key, "labels") &&
				    strcmp(key, "hosts"))
					rc = tsam_errbuf_set(
					    &sub, TSAM_ERR_PARSE,
					    "unknown member '%s'", key);
			}
		}
		if (rc == TSAM_OK && json_object_object_get_ex(e, "labels", &v))
			rc = json_labels(v, &g, &sub);
		if (rc == TSAM_OK &&
		    (!json_object_object_get_ex(e, "hosts", &hosts) ||
		     !json_object_is_type(hosts, json_type_array)))
			rc =
			    tsam_errbuf_set(&sub, TSAM_ERR_PARSE,
					    "\"hosts\" (an array) is required");
		if (rc != TSAM_OK) {
			rc =
			    tsam_errbuf_set(eb, rc, "%s: groups[%zu]: %s", name,
					    i, tsam_errbuf_str(&sub, rc));
		} else {
			snprintf(where, sizeof(where), "groups[%zu].hosts", i);
			rc = json_hosts(inv, ns, name, where, hosts, &g, gname,
					k, eb);
		}
		def_free(&g);
	}
	return rc;
}

static int parse_json(struct tsam_inventory *inv, const char *name,
		      const char *data, size_t n, struct tsam_errbuf *eb)
{
	json_object *root, *hosts = NULL, *groups = NULL;
	struct nameset ns = {0};
	struct def none;
	size_t k = 0;
	int rc;

	memset(&none, 0, sizeof(none));
	rc = tsam_json_parse(data, n, name, &root, eb);
	if (rc != TSAM_OK)
		return rc;
	json_object_object_get_ex(root, "groups", &groups);
	if ((!json_object_object_get_ex(root, "hosts", &hosts) &&
	     groups == NULL) ||
	    (hosts != NULL && !json_object_is_type(hosts, json_type_array))) {
		json_object_put(root);
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"hosts\" (an array) is required",
				       name);
	}
	if (hosts != NULL)
		rc = json_hosts(inv, &ns, name, "hosts", hosts, &none, NULL, &k,
				eb);
	if (rc == TSAM_OK && groups != NULL)
		rc = json_groups(inv, &ns, name, groups, &k, eb);
	free(ns.slot);
	json_object_put(root);
	return rc;
}

static void sha256_hex(const char *data, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 32 && i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

enum tsam_err tsam_inventory_parse(const char *name, const char *data, size_t n,
				   struct tsam_inventory **out,
				   struct tsam_errbuf *eb)
{
	struct tsam_inventory *inv = calloc(1, sizeof(*inv));
	size_t i = 0;
	int rc;

	*out = NULL;
	if (inv == NULL)
		return TSAM_ERR_NOMEM;
	inv->path = strdup(name);
	if (inv->path == NULL) {
		free(inv);
		return TSAM_ERR_NOMEM;
	}
	sha256_hex(data, n, inv->digest);
	while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
			 data[i] == '\r'))
		i++;
	if (i < n && data[i] == '{')
		rc = parse_json(inv, name, data, n, eb);
	else
		rc = parse_text(inv, name, data, n, eb);
	if (rc == TSAM_OK && inv->n == 0)
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND, "%s: no hosts",
				     name);
	if (rc != TSAM_OK) {
		tsam_inventory_free(inv);
		return rc;
	}
	*out = inv;
	return TSAM_OK;
}

enum tsam_err tsam_inventory_load(const char *path, struct tsam_inventory **out,
				  struct tsam_errbuf *eb)
{
	struct tsam_buf b;
	int rc;

	*out = NULL;
	tsam_buf_init(&b, INVENTORY_MAX_BYTES);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc == TSAM_OK)
		rc = tsam_inventory_parse(path, b.data ? b.data : "", b.len,
					  out, eb);
	tsam_buf_free(&b);
	return rc;
}

enum tsam_err tsam_inventory_select(const struct tsam_inventory *inv,
				    const char *const *limits, size_t n,
				    size_t **sel, size_t *nsel,
				    struct tsam_errbuf *eb)
{
	size_t i, j;

	*nsel = 0;
	*sel = malloc((inv->n ? inv->n : 1) * sizeof(**sel));
	if (*sel == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	for (i = 0; i < inv->n; i++) {
		bool ok = true;

		for (j = 0; j < n && ok; j++)
			ok = tsam_host_matches(&inv->hosts[i], limits[j]);
		if (ok)
			(*sel)[(*nsel)++] = i;
	}
	if (*nsel == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
				       "%s: no host matches --limit",
				       inv->path);
	return TSAM_OK;
}
