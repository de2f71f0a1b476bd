/* rundir.c - reading and naming what a run directory holds. */
#include "rundir.h"

#include "buf.h"
#include "fsio.h"
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void tsam_rundir_host_file(const char *name, char *out, size_t outsz)
{
	size_t i, j = 0;

	for (i = 0; name[i] != '\0' && j + 9 < outsz; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			  (c == '.' && i > 0);
		out[j++] = ok ? c : '_';
	}
	memcpy(out + j, ".json.gz", 9);
}

/* A host's snapshot file name and where the host was defined. */
struct host_file {
	char file[1024];
	const struct tsam_host *h;
};

static int cmp_host_file(const void *a, const void *b)
{
	const struct host_file *x = a, *y = b;
	int c = strcasecmp(x->file, y->file);

	return c ? c : (x->h->line > y->h->line) - (x->h->line < y->h->line);
}

enum tsam_err tsam_rundir_file_clashes(const struct tsam_inventory *inv,
				       struct tsam_errbuf *eb)
{
	struct host_file *f = malloc((inv->n ? inv->n : 1) * sizeof(*f));
	size_t i;
	int rc = TSAM_OK;

	if (f == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	for (i = 0; i < inv->n; i++) {
		tsam_rundir_host_file(inv->hosts[i].name, f[i].file,
				      sizeof(f[i].file));
		f[i].h = &inv->hosts[i];
	}
	qsort(f, inv->n, sizeof(*f), cmp_host_file);
	for (i = 1; i < inv->n && rc == TSAM_OK; i++)
		if (strcasecmp(f[i - 1].file, f[i].file) == 0)
			rc = tsam_errbuf_set(
			    eb, TSAM_ERR_DUP,
			    "%s:%zu: host '%s' and line %zu's '%s' would share "
			    "the snapshot file hosts/%s%s: rename one (or use "
			    "address= for it)",
			    inv->path, f[i].h->line, f[i].h->name,
			    f[i - 1].h->line, f[i - 1].h->name, f[i].file,
			    strcmp(f[i - 1].file, f[i].file) != 0
				? " (names that differ only in case are one "
				  "host, and one file on some file systems)"
				: "");
	free(f);
	return rc;
}

/* Cap on run.json read back (resume, tsam-check). */
#define RUN_JSON_MAX (1u << 30)

enum tsam_err tsam_rundir_load(const char *rundir, json_object **run,
			       json_object **hosts, struct tsam_errbuf *eb)
{
	char path[4096];
	int rc;

	*run = NULL;
	*hosts = NULL;
	snprintf(path, sizeof(path), "%s/run.json", rundir);
	rc = tsam_json_load(path, RUN_JSON_MAX, run, eb);
	if (rc != TSAM_OK)
		return rc;
	if (!json_object_object_get_ex(*run, "hosts", hosts) ||
	    !json_object_is_type(*hosts, json_type_array)) {
		json_object_put(*run);
		*run = NULL;
		*hosts = NULL;
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: no \"hosts\" array", path);
	}
	return TSAM_OK;
}

enum tsam_err tsam_rundir_load_lazy(const char *rundir, json_object **run,
				    struct tsam_run_hosts *hosts,
				    struct tsam_errbuf *eb)
{
	struct tsam_buf b, rest;
	size_t hb, he;
	char path[4096];
	int rc;

	memset(hosts, 0, sizeof(*hosts));
	*run = NULL;
	snprintf(path, sizeof(path), "%s/run.json", rundir);
	tsam_buf_init(&b, RUN_JSON_MAX);
	if ((rc = tsam_fsio_read_gz(path, &b, eb)) != TSAM_OK) {
		tsam_buf_free(&b);
		return rc;
	}
	/* the document without its hosts ("hosts": []), parsed; the hosts'
	 * records found by a scan, parsed when asked for */
	tsam_buf_init(&rest, RUN_JSON_MAX);
	if (tsam_json_member_span(b.data, b.len, "hosts", &hb, &he) &&
	    tsam_json_array_spans(b.data + hb, he - hb, &hosts->off,
				  &hosts->n) == TSAM_OK &&
	    tsam_buf_add(&rest, b.data, hb) == TSAM_OK &&
	    tsam_buf_add(&rest, "[]", 2) == TSAM_OK &&
	    tsam_buf_add(&rest, b.data + he, b.len - he) == TSAM_OK &&
	    tsam_json_parse(rest.data, rest.len, path, run, NULL) == TSAM_OK) {
		size_t i;

		for (i = 0; i < 2 * hosts->n; i++)
			hosts->off[i] += hb;
		hosts->text = tsam_buf_take(&b, NULL);
		tsam_buf_free(&rest);
		return TSAM_OK;
	}
	tsam_buf_free(&rest);
	tsam_buf_free(&b);
	tsam_run_hosts_free(hosts);
	json_object_put(*run);
	*run = NULL;
	/* not a layout the scan walks: the whole document, for its errors */
	if ((rc = tsam_rundir_load(rundir, run, &hosts->all, eb)) != TSAM_OK)
		return rc;
	json_object_get(hosts->all);
	hosts->n = json_object_array_length(hosts->all);
	json_object_object_add(*run, "hosts", json_object_new_array());
	return TSAM_OK;
}

enum tsam_err tsam_run_hosts_get(const struct tsam_run_hosts *h, size_t i,
				 json_object **rec)
{
	*rec = NULL;
	if (i >= h->n)
		return TSAM_ERR_NOTFOUND;
	if (h->all != NULL) {
		*rec = json_object_get(json_object_array_get_idx(h->all, i));
		return TSAM_OK;
	}
	return tsam_json_parse(h->text + h->off[2 * i],
			       h->off[2 * i + 1] - h->off[2 * i], "run.json",
			       rec, NULL);
}

void tsam_run_hosts_free(struct tsam_run_hosts *h)
{
	free(h->text);
	free(h->off);
	json_object_put(h->all);
	memset(h, 0, sizeof(*h));
}

json_object *tsam_rundir_facts(const char *rundir, json_object *rec,
			       json_object **snap, char *why, size_t whysz)
{
	const char *rel = tsam_json_str(rec, "snapshot");
	json_object *f, *facts;
	struct tsam_errbuf eb;
	struct tsam_buf b;
	size_t vb, ve;
	char path[8192];

	*snap = NULL;
	if (rel == NULL || strstr(rel, "..") != NULL) {
		snprintf(why, whysz, "no snapshot");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", rundir, rel);
	tsam_errbuf_clear(&eb);
	tsam_buf_init(&b, TSAM_SNAPSHOT_MAX);
	if (tsam_fsio_regular(path, &eb) != TSAM_OK ||
	    tsam_fsio_read_gz(path, &b, &eb) != TSAM_OK) {
		snprintf(why, whysz, "%s", eb.msg);
		tsam_buf_free(&b);
		return NULL;
	}
	/* only the facts: the raw sections, two thirds of a snapshot and
	 * most of its objects, are not parsed (a document the scan cannot
	 * walk is parsed whole, for its errors) */
	if (tsam_json_member_span(b.data, b.len, "facts", &vb, &ve) &&
	    tsam_json_parse(b.data + vb, ve - vb, path, &f, NULL) == TSAM_OK) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "facts", f);
		*snap = top;
	} else if (tsam_json_parse(b.data, b.len, path, snap, &eb) != TSAM_OK) {
		snprintf(why, whysz, "%s", eb.msg);
		tsam_buf_free(&b);
		return NULL;
	}
	tsam_buf_free(&b);
	if (!json_object_object_get_ex(*snap, "facts", &f) ||
	    !json_object_object_get_ex(f, "facts", &facts) ||
	    !json_object_is_type(facts, json_type_object)) {
		snprintf(why, whysz, "%.512s: no facts", rel);
		return NULL;
	}
	return facts;
}

size_t tsam_rundir_limited(json_object *hosts, char *names, size_t namesz)
{
	size_t i, n = 0, used = 0;

	if (namesz > 0)
		names[0] = '\0';
	for (i = 0; json_object_is_type(hosts, json_type_array) &&
		    i < json_object_array_length(hosts);
	     i++) {
		json_object *h = json_object_array_get_idx(hosts, i), *d;

		if (!json_object_object_get_ex(h, "denied", &d) ||
		    !json_object_is_type(d, json_type_array) ||
		    json_object_array_length(d) == 0)
			continue;
		if (n++ < 10 && used < namesz)
			used +=
			    (size_t)snprintf(names + used, namesz - used, " %s",
					     tsam_json_str(h, "name"));
		else if (n == 11 && used < namesz)
			used += (size_t)snprintf(names + used, namesz - used,
						 " ...");
	}
	return n;
}
