/*
 * fanout.h - run one command with one stdin on many hosts over SSH at once:
 * a sliding window of non-blocking libssh2 sessions in one poll() loop.
 * The theory of operation is at the top of fanout.c.
 *
 * The engine knows transport outcomes (unreachable, timeout, auth, host
 * keys, truncated output); what the output means is the caller's business
 * (collect.c decides command_failed from the collector's own trailer).
 */
#ifndef TSAM_FANOUT_H
#define TSAM_FANOUT_H

#include "buf.h"
#include "err.h"
#include "identity.h"
#include "inventory.h"
#include "knownhosts.h"
#include "ssh.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A host's outcome, as written in run.json. */
enum tsam_host_status {
	TSAM_HOST_OK = 0,
	TSAM_HOST_UNREACHABLE,
	TSAM_HOST_TIMEOUT,
	TSAM_HOST_AUTH_FAILED,
	TSAM_HOST_BECOME_FAILED, /* sudo/doas refused: nothing collected */
	TSAM_HOST_HOSTKEY_UNKNOWN,
	TSAM_HOST_HOSTKEY_MISMATCH,
	TSAM_HOST_COMMAND_FAILED,
	TSAM_HOST_TRUNCATED,
	TSAM_HOST_NOT_RUN, /* never started or stopped: interrupted, deadline */
	TSAM_HOST_JUMP_FAILED, /* its jump host (ProxyJump) failed: named */
	TSAM_HOST__COUNT
};

/* "ok", "unreachable", ... ; "unknown" for a bad value. */
const char *tsam_host_status_name(enum tsam_host_status st);

/* The status named name, or -1. */
int tsam_host_status_parse(const char *name);

/*
 * How the collectors get the privilege the products' files need when the
 * login account lacks it: sudo or doas, non-interactive unless a password
 * is given (sudo only; it is sent on the channel after sudo's prompt).
 */
enum tsam_become { TSAM_BECOME_NONE = 0, TSAM_BECOME_SUDO, TSAM_BECOME_DOAS };

/* "none", "sudo", "doas". */
const char *tsam_become_name(enum tsam_become b);

/* The method named name, or -1. */
int tsam_become_parse(const char *name);

/*
 * How to reach one host, everything merged (reach.h builds it from the
 * inventory, the command line and ssh_config); the engine reads only this.
 */
struct tsam_reach {
	const char *address; /* where to connect: address=, HostName, name */
	unsigned port;
	const char *user;
	const struct tsam_identity
	    *ids; /* key files and agent keys, in order */
	size_t nids;
	bool use_agent; /* offer the agent's keys (all, or the .pub ones) */
	bool identities_only;	/* IdentitiesOnly: the agent offers only the
				   keys of ids */
	const char *agent_sock; /* IdentityAgent; NULL: $SSH_AUTH_SOCK */
	struct tsam_knownhosts *kh;
	const char *kh_name; /* HostKeyAlias: looked up instead of the name */
	bool accept_new;
	int connect_timeout_ms; /* 0: the run's */
	int keepalive_s;	/* < 0: the run's */
	const char
	    *proxy_jump; /* ProxyJump "[user@]host[:port],...", or NULL */
	const char *proxy_command; /* ProxyCommand, tokens expanded, or NULL */
	/* the jump host the connection goes through (the last of a chain,
	 * whose own via is the one before), or NULL: connect directly */
	const struct tsam_reach *via;
	const char *name; /* a jump host's name, as ProxyJump gives it */
};

/* What the engine reports per host, once, when the host is done. */
struct tsam_fanout_result {
	size_t index; /* into the inventory */
	enum tsam_host_status status;
	char error[512];       /* "" when ok */
	double started, ended; /* wall clock, seconds since the epoch */
	double t_connect, t_handshake, t_auth, t_command; /* seconds */
	unsigned attempts;
	enum tsam_become become; /* how the command was run */
	uint64_t bytes_in;	 /* stdout + stderr bytes received */
	struct tsam_buf out;	 /* stdout, capped; callback may take */
	struct tsam_buf err;	 /* stderr, capped */
	bool truncated;		 /* stdout reached the cap */
	bool closed;		 /* the channel closed normally */
	int exit_status;	 /* as libssh2 reports it */
	char exit_signal[32];	 /* "" for none */
};

/* Counters for the progress line. */
struct tsam_fanout_progress {
	size_t total, done, ok, failed, active;
	double elapsed; /* seconds since the run began */
};

struct tsam_fanout_opts {
	unsigned jobs;		 /* window size, >= 1 */
	int connect_timeout_ms;	 /* TCP connect */
	int login_timeout_ms;	 /* banner, key exchange, auth */
	int command_timeout_ms;	 /* exec until the channel closes */
	double deadline;	 /* absolute wall time to stop, 0: none */
	size_t max_output;	 /* stdout cap per host */
	size_t max_stderr;	 /* stderr cap per host */
	unsigned retries;	 /* for connection-level failures */
	unsigned max_startups;	 /* sessions starting at once per address:port
				    (sshd's MaxStartups); 0: no limit */
	unsigned jump_channels;	 /* hosts one jump host connection carries at
				    once; more connections past it */
	int keepalive_s;	 /* 0: off */
	const char *password;	 /* password/keyboard-interactive; NULL: none */
	enum tsam_become become; /* a host's become= label overrides it */
	const char *become_password; /* sudo's; NULL: sudo -n */
	/* The run's defaults, from which tsam_reach_build makes each host's
	 * reach (the engine itself reads only reach, below): */
	const char *default_user;
	unsigned default_port;
	const struct tsam_identity *ids; /* --identity keys, in order */
	size_t nids;
	const struct tsam_identity *host_ids; /* keys named by identity= */
	size_t nhost_ids;
	bool use_agent;
	struct tsam_knownhosts *kh;
	bool accept_new;
	/* How to reach each host of the inventory (by index): required. */
	const struct tsam_reach *reach;
	const char *command; /* remote command, e.g. "/bin/sh -s" */
	const char *input;   /* sent on stdin, then EOF */
	size_t input_len;
	/*
	 * Several fleets in one window (tsam-review --collect): when groups
	 * is set, host i of the inventory takes its command and input, its
	 * password, become method and become password from
	 * groups[group_of[i]] (group_of has an entry per inventory host)
	 * instead of the fields above; reach, the window, timeouts, caps,
	 * retries, stop, done and progress stay this struct's.
	 */
	const struct tsam_fanout_opts *groups;
	size_t ngroups;
	const size_t *group_of;
	volatile sig_atomic_t *stop; /* set by a signal handler: wind down */
	/* Called once per host when it is done; may take r->out / r->err. */
	void (*done)(void *ud, struct tsam_fanout_result *r);
	/* Called at most twice a second, and once at the end. */
	void (*progress)(void *ud, const struct tsam_fanout_progress *p);
	void *ud;
};

/*
 * Fills o with the documented defaults (docs/tsam-collect.md): window 64,
 * connect 10 s, login 30 s, command 120 s, 32 MiB stdout and 1 MiB stderr
 * per host, keepalive 15 s, ssh-agent on, port 22, 8 sessions starting at
 * once per address, 32 hosts per jump host connection; everything else
 * zero.
 */
void tsam_fanout_opts_defaults(struct tsam_fanout_opts *o);

/*
 * Runs the command on the hosts of inv whose indexes are in idx[0..n).
 * Returns TSAM_OK when every host was processed (whatever its status),
 * TSAM_ERR_INTERRUPTED when stopped early (remaining hosts are reported
 * not_run), or a fatal error.
 */
TSAM_MUST_CHECK enum tsam_err tsam_fanout_run(const struct tsam_fanout_opts *o,
					      const struct tsam_inventory *inv,
					      const size_t *idx, size_t n,
					      struct tsam_errbuf *eb);

#endif
