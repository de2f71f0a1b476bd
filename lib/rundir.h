/*
 * rundir.h - what a run directory holds, for its writer (collect.c) and
 * its readers (tsam-check, --resume, tsam-review): file names, run.json
 * loaded whole or a host at a time, a host's facts.
 *
 * Layout (0700, files 0600, every write atomic):
 *   run.json              the run record: options, counts, every host's
 *                         status, error, phase times and bytes
 *                         (docs/run.schema.json)
 *   hosts/<host>.json.gz  one snapshot per host that produced output:
 *                         its record, the raw sections per collector and
 *                         the facts parsed from them
 *                         (docs/snapshot.schema.json)
 */
#ifndef TSAM_RUNDIR_H
#define TSAM_RUNDIR_H

#include "err.h"
#include "inventory.h"
#include "json.h"

#include <stddef.h>

/* Cap on a snapshot read back (tsam-check, --resume). */
#define TSAM_SNAPSHOT_MAX (256u << 20)

/* The snapshot file name for a host name ("web01.corp" -> itself). */
void tsam_rundir_host_file(const char *name, char *out, size_t outsz);

/*
 * TSAM_ERR_DUP when two hosts of inv would write one snapshot file (after
 * the mapping to a file name, compared without case: "_x" and ".x", "WEB"
 * and "web"), with the message naming both and their lines.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_rundir_file_clashes(const struct tsam_inventory *inv,
			 struct tsam_errbuf *eb);

/*
 * Loads RUNDIR/run.json: *run (the caller's) and *hosts (its "hosts"
 * array, owned by *run). Errors name the file.
 */
TSAM_MUST_CHECK enum tsam_err tsam_rundir_load(const char *rundir,
					       json_object **run,
					       json_object **hosts,
					       struct tsam_errbuf *eb);

/*
 * run.json for readers of many hosts (tsam-check): *run is the document
 * with an empty "hosts" array, and the host records stay text, parsed one
 * at a time with tsam_run_hosts_get - on as many threads as the caller
 * likes - instead of 20 objects a host at once. Errors as
 * tsam_rundir_load's.
 */
struct tsam_run_hosts {
	char *text;  /* run.json */
	size_t *off; /* record i: text[off[2i] .. off[2i+1]) */
	size_t n;
	json_object *all; /* or, where the text could not be split, parsed */
};

TSAM_MUST_CHECK enum tsam_err
tsam_rundir_load_lazy(const char *rundir, json_object **run,
		      struct tsam_run_hosts *hosts, struct tsam_errbuf *eb);

/*
 * Host record i into *rec (the caller's to put; NULL for a JSON null).
 * TSAM_ERR_PARSE when it does not parse: the whole run.json is then not
 * JSON, and tsam_rundir_load says where.
 */
TSAM_MUST_CHECK enum tsam_err tsam_run_hosts_get(const struct tsam_run_hosts *h,
						 size_t i, json_object **rec);

/* Frees what h holds. */
void tsam_run_hosts_free(struct tsam_run_hosts *h);

/*
 * How many of the host records in hosts (run.json's, or the findings')
 * were collected without enough privilege (a non-empty "denied"); the
 * first ten names go into names (" a b c ...").
 */
size_t tsam_rundir_limited(json_object *hosts, char *names, size_t namesz);

/*
 * The facts of the host whose run.json record is rec, from its snapshot
 * under rundir: a pointer into *snap (the caller's to put; only the facts
 * are parsed when the document allows). NULL, with why filled ("no
 * snapshot", the file's error, "no facts"), when there are none.
 */
json_object *tsam_rundir_facts(const char *rundir, json_object *rec,
			       json_object **snap, char *why, size_t whysz);

#endif
