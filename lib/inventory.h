/*
 * inventory.h - the fleet to collect from.
 *
 * Text form, one host a line:
 *     [user@]host[:port] [key=value ...]     # comment
 * where host may be a pdsh range (web[01-20].corp, 10.0.0.[1-50]) or an IPv6
 * literal in brackets ([2001:db8::1]:2222). Keys are labels (role=, site=,
 * product=, identity=, ...); address= sets where to connect when the name is
 * not resolvable as given. JSON form: see docs/inventory.md.
 *
 * Every problem is reported as "file:line: ..." and loading stops at the
 * first: an inventory is input a person wrote and must fix.
 */
#ifndef TSAM_INVENTORY_H
#define TSAM_INVENTORY_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* Most hosts one inventory may hold. */
#define TSAM_INVENTORY_MAX_HOSTS 1000000

struct tsam_label {
	char *key;
	char *value;
};

struct tsam_host {
	char *name;    /* unique within the inventory */
	char *address; /* where to connect: address= or the name */
	char *user;    /* NULL: the run's default user */
	unsigned port; /* 0: the run's default port */
	struct tsam_label *labels;
	size_t nlabels;
	size_t line; /* line (text) or 1-based index (JSON) of definition */
};

struct tsam_inventory {
	char *path;		 /* as given to load */
	struct tsam_host *hosts; /* in file order */
	size_t n;
	size_t cap;
	char digest[65]; /* SHA-256 of the file, hex */
};

/*
 * Loads path (text or JSON: a file whose first non-blank byte is '{' is
 * JSON). On success *out is the caller's (tsam_inventory_free).
 */
TSAM_MUST_CHECK enum tsam_err tsam_inventory_load(const char *path,
						  struct tsam_inventory **out,
						  struct tsam_errbuf *eb);

/* Parses n bytes of inventory text named name (for messages). */
TSAM_MUST_CHECK enum tsam_err tsam_inventory_parse(const char *name,
						   const char *data, size_t n,
						   struct tsam_inventory **out,
						   struct tsam_errbuf *eb);

/* Frees inv and its hosts; NULL is a no-op. */
void tsam_inventory_free(struct tsam_inventory *inv);

/* The value of label key on h, or NULL. */
const char *tsam_host_label(const struct tsam_host *h, const char *key);

/*
 * True when h matches a --limit expression: comma-separated alternatives,
 * each either "key=glob" (a label) or a glob on the host name or address.
 */
bool tsam_host_matches(const struct tsam_host *h, const char *expr);

/*
 * The hosts of inv matching every --limit expression of limits[0..n)
 * (all of them for n = 0), in inventory order: *sel (the caller frees)
 * and *nsel. TSAM_ERR_NOTFOUND, naming the inventory, when none does.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_inventory_select(const struct tsam_inventory *inv,
		      const char *const *limits, size_t n, size_t **sel,
		      size_t *nsel, struct tsam_errbuf *eb);

/* The index of the host named name, or -1. Linear; for tools and tests. */
long tsam_inventory_find(const struct tsam_inventory *inv, const char *name);

#endif
