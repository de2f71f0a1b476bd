/*
 * sshconfig.h - OpenSSH client configuration files (ssh_config(5)), read
 * as ssh reads them, for the keywords tsamkit acts on.
 *
 * Files are read in order (~/.ssh/config, then /etc/ssh/ssh_config, or
 * the one file of -F); "Include" pulls in files (globs; relative to
 * ~/.ssh, or /etc/ssh for the system file) where it stands, under the
 * Host or Match block it stands in. For one host, the options of every
 * block that applies are taken in file order and the first value of a
 * keyword wins; IdentityFile accumulates. "Host" takes patterns with * ?
 * and !negation (case-insensitive, against the name as given); "Match"
 * takes all, host and originalhost, user and localuser (pattern lists,
 * !negated criteria); Match exec, canonical, final, localnetwork and
 * tagged cannot be evaluated here: such a block never applies, and each
 * is reported (tsam_sshconfig_notes).
 *
 * Acted on: HostName, User, Port, IdentityFile, IdentitiesOnly,
 * IdentityAgent, ProxyJump, ProxyCommand, UserKnownHostsFile,
 * StrictHostKeyChecking, HashKnownHosts, HostKeyAlias, ConnectTimeout,
 * ServerAliveInterval, with the %-tokens %% %d %h %i %l %L %n %p %r %u and
 * ~. Every other keyword is listed as not implemented (once, with where),
 * never acted on in part.
 */
#ifndef TSAM_SSHCONFIG_H
#define TSAM_SSHCONFIG_H

#include "err.h"
#include "hostlist.h"

#include <stdbool.h>
#include <stdio.h>

struct tsam_sshconfig;

/*
 * Reads the files paths[0..n) in order; a missing file is skipped unless
 * its name was given (-F): required says so. home is the user's home (for
 * ~ and for relative Include paths of the first files; /etc/ssh for a file
 * under /etc/ssh). Errors name file:line (a bad line, an Include loop or
 * too deep). *out is the caller's (tsam_sshconfig_free).
 */
TSAM_MUST_CHECK enum tsam_err tsam_sshconfig_load(const char *const *paths,
						  size_t n, bool required,
						  const char *home,
						  struct tsam_sshconfig **out,
						  struct tsam_errbuf *eb);

/* Frees c; NULL is a no-op. */
void tsam_sshconfig_free(struct tsam_sshconfig *c);

/*
 * What was read but cannot be acted on, one line each ("FILE:LINE:
 * keyword 'ForwardAgent' not implemented (ignored)"; Match criteria that
 * cannot be evaluated), each keyword once, into out (the caller's).
 */
void tsam_sshconfig_notes(const struct tsam_sshconfig *c,
			  struct tsam_strlist *out);

/* What ssh_config says for one host; unset values are NULL, -1 or 0. */
struct tsam_sshhost {
	char *host;	/* the name as given (%n) */
	char *hostname; /* HostName, %h expanded; NULL: unset */
	char *user;	/* User; NULL: unset */
	unsigned port;	/* Port; 0: unset */
	struct tsam_strlist identity_files; /* expanded, in order */
	int identities_only;		    /* -1 unset, 0 no, 1 yes */
	char *identity_agent; /* expanded path, "none" or "SSH_AUTH_SOCK" */
	char *proxy_jump;     /* as written ("none" kept) */
	char *proxy_command;  /* expanded ("none" kept) */
	struct tsam_strlist known_hosts; /* UserKnownHostsFile, expanded */
	char *strict;			 /* StrictHostKeyChecking, lower case */
	int hash_known_hosts;		 /* -1, 0, 1 */
	char *host_key_alias;
	int connect_timeout;	   /* seconds; -1 unset */
	int server_alive_interval; /* seconds; -1 unset */
};

/*
 * Evaluates c for host (as given on the inventory line), with user and
 * port the command line or inventory sets (NULL, 0: none; they win over
 * User and Port, and Match user, %r and %p see them) and local_user, home
 * for the tokens. out is the caller's (tsam_sshhost_free). Errors name
 * the keyword and file:line (a bad Port, an unknown token).
 */
TSAM_MUST_CHECK enum tsam_err
tsam_sshconfig_resolve(const struct tsam_sshconfig *c, const char *host,
		       const char *user, unsigned port, const char *local_user,
		       const char *home, struct tsam_sshhost *out,
		       struct tsam_errbuf *eb);

/* Frees what h holds. */
void tsam_sshhost_free(struct tsam_sshhost *h);

#endif
