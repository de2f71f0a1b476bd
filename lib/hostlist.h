/*
 * hostlist.h - pdsh-style host ranges: "web[01-20,25].corp" and
 * "10.0.[0-1].[1-50]" expand to every combination, zero padding kept.
 *
 * Expansion is bounded: a pattern that would make more than max names fails
 * with TSAM_ERR_TOOBIG instead of eating memory.
 */
#ifndef TSAM_HOSTLIST_H
#define TSAM_HOSTLIST_H

#include "err.h"
#include "str.h"

#include <stddef.h>

/*
 * Expands pattern and appends the names to out (which the caller
 * initialised to zeros and frees). A pattern without brackets yields itself.
 * Errors (unbalanced bracket, reversed or empty range, too many names) go to
 * eb without a location: the caller adds file:line.
 */
TSAM_MUST_CHECK enum tsam_err tsam_hostlist_expand(const char *pattern,
						   size_t max,
						   struct tsam_strlist *out,
						   struct tsam_errbuf *eb);

#endif
