/*
 * collect.h - a collection run: the script sent to every host, writing
 * the run directory (rundir.h says what it holds), resume and retry.
 *
 * run.json is rewritten every few seconds and at the end; a snapshot is
 * written as soon as its host is done, so a kill -9 loses at most the hosts
 * in flight, and --resume finds the finished ones from their snapshots.
 */
#ifndef TSAM_COLLECT_H
#define TSAM_COLLECT_H

#include "err.h"
#include "fanout.h"
#include "inventory.h"
#include "json.h"
#include "reach.h"
#include "rundir.h"

#include <stdbool.h>
#include <stddef.h>

struct tsam_sshconfig;

#define TSAM_SNAPSHOT_SCHEMA "tsamkit-snapshot/1"
#define TSAM_RUN_SCHEMA	     "tsamkit-run/1"

/* How a run picks its hosts relative to an earlier run in the same dir. */
enum tsam_collect_mode {
	TSAM_COLLECT_FRESH = 0,	  /* every selected host */
	TSAM_COLLECT_RESUME,	  /* skip hosts with an ok snapshot */
	TSAM_COLLECT_RETRY_FAILED /* only hosts run.json lists as not ok or
				     as collected without enough privilege */
};

struct tsam_collect_opts {
	const char *rundir;
	enum tsam_collect_mode mode;
	const char *datadir;	       /* holds collectors/<name>/collect.sh */
	const char *const *collectors; /* names, in order */
	size_t ncollectors;
	struct tsam_fanout_opts fan; /* command/input/done are filled in */
	/* ssh_config, merged into each host's reach (sshconfig.h); NULL:
	 * none */
	const struct tsam_sshconfig *config;
	/* what the command line set explicitly, over ssh_config (reach.h) */
	struct tsam_reach_opts reach;
};

struct tsam_collect_summary {
	size_t selected; /* hosts chosen by --limit */
	size_t skipped;	 /* kept from the earlier run */
	size_t
	    counts[TSAM_HOST__COUNT]; /* final status of every selected host */
	size_t limited; /* collected without the privilege it needed */
	bool interrupted;
};

/*
 * Builds the script for the named collectors (common.sh first) with the
 * given boundary into out (caller initialises and frees).
 */
TSAM_MUST_CHECK enum tsam_err
tsam_collect_script(const char *datadir, const char *const *names, size_t n,
		    const char *boundary, struct tsam_buf *out,
		    struct tsam_errbuf *eb);

/*
 * Runs collection over the hosts of inv selected by sel[0..nsel) and
 * writes the run directory. Per-host failures are results, counted in
 * *sum; the return value is an error only for what stops the whole run
 * (unwritable run dir, bad collector) or TSAM_ERR_INTERRUPTED.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_collect_run(const struct tsam_collect_opts *o,
		 const struct tsam_inventory *inv, const size_t *sel,
		 size_t nsel, struct tsam_collect_summary *sum,
		 struct tsam_errbuf *eb);

/* One fleet of a shared collection (tsam_collect_run_many). */
struct tsam_collect_job {
	struct tsam_collect_opts opts; /* its run dir, keys, known_hosts */
	const struct tsam_inventory *inv;
	const size_t *sel;
	size_t nsel;
	struct tsam_collect_summary sum; /* out */
	int rc;				 /* out: as tsam_collect_run's */
	struct tsam_errbuf eb;		 /* out: why, when rc is not OK */
};

/*
 * Collects several fleets in one fan-out window: every job's hosts use its
 * own user, keys, agent use, known_hosts and script, and land in its own
 * run directory, as tsam_collect_run would write it. The window size,
 * timeouts, caps, retries and stop flag are window's. A job that cannot
 * start (its run dir, its collectors) fails alone, in jobs[j].rc. Returns
 * TSAM_OK, TSAM_ERR_INTERRUPTED (every job interrupted too) or an error
 * that ended the shared window.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_collect_run_many(const struct tsam_fanout_opts *window,
		      struct tsam_collect_job *jobs, size_t n,
		      struct tsam_errbuf *eb);

struct tsam_strlist;

/* The names of DATADIR/collectors/<name>/collect.sh, sorted, into out. */
TSAM_MUST_CHECK enum tsam_err
tsam_collect_all_collectors(const char *datadir, struct tsam_strlist *out);

/*
 * The collectors a run sends: those of the comma-separated list (as
 * --collectors gives them; checked when the script is built), or, with
 * list NULL, every one under DATADIR/collectors - TSAM_ERR_NOTFOUND,
 * naming the directory, when there is none.
 */
TSAM_MUST_CHECK enum tsam_err tsam_collect_collectors(const char *datadir,
						      const char *list,
						      struct tsam_strlist *out,
						      struct tsam_errbuf *eb);

#endif
