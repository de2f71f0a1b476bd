/*
 * reach.h - how to reach each host: where to connect, as whom, with which
 * keys, checked against which known_hosts, through which jump host. The
 * inventory, the command line and ssh_config each say some of it; this
 * module merges them once per host, as OpenSSH does (the inventory and the
 * command line first, then the first value ssh_config gives), and the
 * fan-out engine reads only the result.
 */
#ifndef TSAM_REACH_H
#define TSAM_REACH_H

#include "err.h"
#include "fanout.h"
#include "inventory.h"

#include <stdbool.h>
#include <stddef.h>

struct tsam_sshconfig;

/* Every host's reach (one per inventory host, by index), and what they
 * point into. */
struct tsam_reach_set {
	struct tsam_reach *v;
	size_t n;
};

/*
 * Builds every host's reach for inv from the run's defaults in o (user,
 * port, --identity keys and identity= keys, agent use, known_hosts,
 * accept_new: the command line's and the inventory's) and, when cfg is
 * not NULL, ssh_config (see sshconfig.h). out is the caller's
 * (tsam_reach_set_free). Errors name the host.
 */
int tsam_reach_build(const struct tsam_fanout_opts *o,
		     const struct tsam_inventory *inv,
		     const struct tsam_sshconfig *cfg,
		     struct tsam_reach_set *out, struct tsam_errbuf *eb);

/* Frees what set holds (set itself is the caller's). */
void tsam_reach_set_free(struct tsam_reach_set *set);

#endif
