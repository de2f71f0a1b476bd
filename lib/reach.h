/*
 * reach.h - how to reach each host: where to connect, as whom, with which
 * keys, checked against which known_hosts. The inventory, the command line
 * and ssh_config each say some of it; this module merges them once per
 * host, as OpenSSH does - the inventory and what the command line said
 * explicitly first, then the first value ssh_config gives, then the
 * defaults - and the fan-out engine reads only the result.
 */
#ifndef TSAM_REACH_H
#define TSAM_REACH_H

#include "err.h"
#include "fanout.h"
#include "hostlist.h"
#include "inventory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct tsam_sshconfig;
struct tsam_reach_store;

/* What the command line set explicitly (it wins over ssh_config), and what
 * merging needs besides the fan-out's defaults. Zeroed: nothing explicit,
 * no defaults beyond the fan-out's. */
struct tsam_reach_opts {
	bool user_set;		  /* -u: o->default_user over User */
	bool port_set;		  /* -p: o->default_port over Port */
	bool known_hosts_set;	  /* --known-hosts: over UserKnownHostsFile */
	bool accept_new_set;	  /* --accept-new: over StrictHostKeyChecking */
	bool connect_timeout_set; /* over ConnectTimeout */
	bool keepalive_set;	  /* over ServerAliveInterval */
	/* the keys tried when neither --identity nor IdentityFile names any
	 * (~/.ssh/id_ed25519, id_ecdsa), prepared */
	const struct tsam_identity *default_ids;
	size_t ndefault_ids;
	/* how keys ssh_config names are prepared (NULL: as with no
	 * passphrase source, and the agent as the fan-out says) */
	const struct tsam_identity_opts *keys;
	const char *local_user; /* %u, and User when nothing sets it */
	const char *home;	/* ~ and %d (the password database's) */
	const char *jump;	/* -J: every host's ProxyJump (a host's jump=
				   label wins), "none" for none */
};

/* Every host's reach (one per inventory host, by index), and what they
 * point into. */
struct tsam_reach_set {
	struct tsam_reach *v;
	size_t n;
	struct tsam_reach_store *store;
};

/*
 * Builds every host's reach for inv from the run's defaults in o (user,
 * port, --identity keys and identity= keys, agent use, known_hosts,
 * accept_new, timeouts), what ro says was explicit (NULL: nothing), and,
 * when cfg is not NULL, ssh_config. Keys ssh_config names are prepared
 * once each (a passphrase asked once); a missing one is skipped, as ssh
 * does. out is the caller's (tsam_reach_set_free). Errors name the host.
 */
TSAM_MUST_CHECK enum tsam_err tsam_reach_build(const struct tsam_fanout_opts *o,
					       const struct tsam_reach_opts *ro,
					       const struct tsam_inventory *inv,
					       const struct tsam_sshconfig *cfg,
					       struct tsam_reach_set *out,
					       struct tsam_errbuf *eb);

/* Frees what set holds (set itself is the caller's). */
void tsam_reach_set_free(struct tsam_reach_set *set);

/*
 * Prints how host i is reached, one "keyword value" line each, as
 * `ssh -G` does (tsam-collect --show-host).
 */
void tsam_reach_print(const struct tsam_reach_set *set,
		      const struct tsam_inventory *inv, size_t i,
		      const struct tsam_fanout_opts *o, FILE *f);

#endif
