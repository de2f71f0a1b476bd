/*
 * identity.h - the keys a run authenticates with: a private key file, its
 * passphrase learnt once before the run (from an environment variable,
 * or asked through the tool's callback), or a public key naming one key
 * of the ssh-agent.
 */
#ifndef TSAM_IDENTITY_H
#define TSAM_IDENTITY_H

#include "err.h"
#include "inventory.h"
#include "ssh.h"

#include <stdbool.h>

/*
 * A key to authenticate with: a private key file (its passphrase already
 * known) or, when agent_only, the public key (PATH is a .pub) of a key
 * the ssh-agent holds, which is then the only agent key offered.
 */
struct tsam_identity {
	char *path;
	char *pubpath;	  /* PATH.pub when it exists, else NULL */
	char *passphrase; /* NULL when the key is not encrypted */
	enum tsam_keytype type;
	bool agent_only; /* PATH is a public key: use it via the agent */
	struct tsam_ssh_pubkey pub; /* agent_only: its key */
};

/*
 * Asks the person at the terminal for a secret, showing prompt, without
 * echo. Returns it (the caller wipes and frees it) or NULL when there is
 * no one to ask. The tools provide it (tsam_cli_ask_secret); the library
 * never reads a terminal itself.
 */
typedef char *tsam_ask_secret_fn(const char *prompt);

/* Where passphrases come from, and whether the agent may be used. */
struct tsam_identity_opts {
	const char *passenv;	 /* the variable holding passphrases, or NULL */
	tsam_ask_secret_fn *ask; /* without passenv; NULL: never asked */
	bool use_agent;
};

/*
 * Inspects key id->path (type, .pub beside it) and, when it is encrypted,
 * learns its passphrase from o->passenv or, without one, through o->ask.
 * A public key file (KEY.pub) names a key of the ssh-agent instead:
 * id->agent_only, and only that agent key is offered. Warnings (RSA keys,
 * certificates libssh2 cannot use, per-host decryption) are logged; an
 * error is returned with its reason in eb, naming the key.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_identity_prepare(struct tsam_identity *id,
		      const struct tsam_identity_opts *o,
		      struct tsam_errbuf *eb);

/* Frees what id holds (its passphrase wiped first) and zeroes it. */
void tsam_identity_clear(struct tsam_identity *id);

/* Frees ids[0..n) (passphrases wiped first) and ids itself. */
void tsam_identities_free(struct tsam_identity *ids, size_t n);

/* The keys of a run, prepared once each (tsam_identity_keys_prepare). */
struct tsam_identity_keys {
	struct tsam_identity *ids; /* --identity, in order */
	size_t nids;
	struct tsam_identity *defaults; /* ~/.ssh/id_ed25519, id_ecdsa */
	size_t ndefaults;
	struct tsam_identity *host_ids; /* identity= labels, each once */
	size_t nhost_ids;
};

/*
 * Prepares a run's keys, as ssh would pick them: the files paths[0..n)
 * (--identity); when there is none, the defaults of home/.ssh that are
 * there (id_ed25519, id_ecdsa: used where ssh_config names no
 * IdentityFile either); and the identity= label of each host of inv
 * selected by sel[0..nsel), each file once. out is zeroed here and the
 * caller's (tsam_identity_keys_free) whatever this returns. An error
 * names the key, and for a label the inventory's file and line.
 */
TSAM_MUST_CHECK enum tsam_err tsam_identity_keys_prepare(
    struct tsam_identity_keys *out, const char *const *paths, size_t n,
    const char *home, const struct tsam_inventory *inv, const size_t *sel,
    size_t nsel, const struct tsam_identity_opts *o, struct tsam_errbuf *eb);

/* Frees what keys holds. */
void tsam_identity_keys_free(struct tsam_identity_keys *keys);

#endif
