/*
 * lifecycle.h - product lifecycle data: which versions a vendor supports
 * and until when (collectors/<name>/lifecycle.json, docs/rules.md).
 *
 * A lifecycle file lists products; each names the host fact that says the
 * product is there ("match": product.id is "sav-linux"), the fact holding
 * its version, and its version lines with release and end-of-support
 * dates and the source of each date. tsam-check turns the table into
 * facts of each host before the rules run: for a host whose product is in
 * the table, lifecycle.<slot>.known (its version is on a line),
 * .line, .name, .released and .end_of_support (timestamps: the start of
 * the release day, the end of the last day of support, UTC), which rules
 * test with until_gt / until_le.
 *
 * Loading validates everything and names the file and the place
 * ("lifecycle.json: products[0].lines[2]: bad date ..."); applying the
 * table only reads it, so hosts can be checked on several threads.
 */
#ifndef TSAM_LIFECYCLE_H
#define TSAM_LIFECYCLE_H

#include "err.h"
#include "json.h"

#define TSAM_LIFECYCLE_SCHEMA "tsamkit-lifecycle/1"

struct tsam_lifecycle;

/*
 * Loads the lifecycle file at path into *lc, creating the table when *lc
 * is NULL and adding to it otherwise (several collectors' files make one
 * table). Two products of one slot matching the same fact value are an
 * error. The table is the caller's (tsam_lifecycle_free).
 */
TSAM_MUST_CHECK enum tsam_err
tsam_lifecycle_load_file(struct tsam_lifecycle **lc, const char *path,
			 struct tsam_errbuf *eb);

/* Number of products in the table (0 for NULL). */
size_t tsam_lifecycle_count(const struct tsam_lifecycle *lc);

/*
 * Adds the lifecycle.<slot>.* facts of the host whose facts (an object of
 * name -> value) are given. A host whose product is not in the table gets
 * none; one whose version is on no line gets only .known = false.
 * Returns TSAM_OK or TSAM_ERR_NOMEM.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_lifecycle_apply(const struct tsam_lifecycle *lc, json_object *facts);

/* Frees the table; NULL is a no-op. */
void tsam_lifecycle_free(struct tsam_lifecycle *lc);

#endif
