/*
 * reach.c - each host's reach from the inventory, the command line and
 * ssh_config, merged once before the fan-out.
 *
 * Precedence, per value, as OpenSSH's (the inventory line counts as the
 * command line): the inventory (user@, :port, address=, identity=), then
 * what the command line set explicitly (-u, -p, --identity, --known-hosts,
 * --accept-new, the timeouts), then ssh_config's first value, then the
 * defaults. What ssh_config adds (strings, prepared keys, known_hosts
 * files) lives in the store, shared by the hosts that use it.
 */
#include "reach.h"

#include "collect.h"
#include "knownhosts.h"
#include "log.h"
#include "sshconfig.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A key file ssh_config names, prepared once. */
struct cfg_key {
	char *path;
	struct tsam_identity id;
	bool usable; /* exists and was prepared */
};

/* A known_hosts file ssh_config names, loaded once. */
struct cfg_kh {
	char *path;
	struct tsam_knownhosts *kh;
};

struct tsam_reach_store {
	struct tsam_strlist strings; /* owned strings the reaches point to */
	struct cfg_key *keys;
	size_t nkeys, ckeys;
	struct cfg_kh *khs;
	size_t nkhs, ckhs;
	struct tsam_identity **ids; /* per host: its merged key list */
	size_t nids;
	unsigned char **blobs; /* IdentitiesOnly's agent keys, loaded */
	size_t nblobs, cblobs;
};

/* The identity= label's key among o->host_ids, or NULL. */
static const struct tsam_identity *
labelled_key(const struct tsam_fanout_opts *o, const struct tsam_host *h)
{
	const char *want = tsam_host_label(h, "identity");
	size_t k;

	for (k = 0; want != NULL && k < o->nhost_ids; k++)
		if (strcmp(o->host_ids[k].path, want) == 0)
			return &o->host_ids[k];
	return NULL;
}

/* A copy of s kept in the store; NULL for NULL (or no memory). */
static const char *keep(struct tsam_reach_store *st, const char *s)
{
	if (s == NULL || tsam_strlist_add(&st->strings, s) != TSAM_OK)
		return NULL;
	return st->strings.v[st->strings.n - 1];
}

/* The prepared key at path (prepared the first time it is named). */
static const struct cfg_key *cfg_key(struct tsam_reach_store *st,
				     const char *path, bool use_agent,
				     const char *passenv)
{
	struct cfg_key *k;
	size_t i;

	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].path, path) == 0)
			return &st->keys[i];
	if (tsam_grow(&st->keys, &st->ckeys, st->nkeys + 1,
		      sizeof(*st->keys)) != TSAM_OK)
		return NULL;
	k = &st->keys[st->nkeys++];
	memset(k, 0, sizeof(*k));
	k->path = strdup(path);
	if (k->path == NULL)
		return NULL;
	if (access(path, R_OK) != 0) {
		/* as ssh: an IdentityFile that is not there is skipped */
		tsam_log(TSAM_LOG_DEBUG, NULL,
			 "ssh_config's IdentityFile %s: not there, skipped",
			 path);
		return k;
	}
	k->id.path = strdup(path);
	k->usable =
	    k->id.path != NULL &&
	    tsam_identity_prepare(&k->id, passenv, use_agent) == TSAM_OK;
	return k;
}

/* The known_hosts at path (loaded the first time it is named). */
static struct tsam_knownhosts *cfg_kh(struct tsam_reach_store *st,
				      const char *path, struct tsam_errbuf *eb)
{
	struct cfg_kh *k;
	size_t i;

	for (i = 0; i < st->nkhs; i++)
		if (strcmp(st->khs[i].path, path) == 0)
			return st->khs[i].kh;
	if (tsam_grow(&st->khs, &st->ckhs, st->nkhs + 1, sizeof(*st->khs)) !=
	    TSAM_OK)
		return NULL;
	k = &st->khs[st->nkhs];
	memset(k, 0, sizeof(*k));
	if ((k->path = strdup(path)) == NULL)
		return NULL;
	if (tsam_knownhosts_load(strcmp(path, "none") == 0 ? "/dev/null" : path,
				 &k->kh, NULL, eb) != TSAM_OK) {
		free(k->path);
		return NULL;
	}
	st->nkhs++;
	return k->kh;
}

/* Adds the identity *id to host i's list. */
static int add_id(struct tsam_reach_store *st, size_t i, size_t *n,
		  const struct tsam_identity *id)
{
	struct tsam_identity *l =
	    realloc(st->ids[i], (*n + 1) * sizeof(*st->ids[i]));

	if (l == NULL)
		return TSAM_ERR_NOMEM;
	st->ids[i] = l;
	l[(*n)++] = *id;
	return TSAM_OK;
}

/*
 * Host i's keys with ssh_config: the --identity keys, then the
 * IdentityFiles that are there (the defaults when neither names one);
 * IdentitiesOnly: the agent offers only the keys of those files.
 */
static int config_keys(const struct tsam_fanout_opts *o,
		       const struct tsam_reach_opts *ro,
		       struct tsam_reach_store *st, size_t i,
		       const struct tsam_sshhost *sh, struct tsam_reach *r)
{
	size_t n = 0, k;
	int rc = TSAM_OK;

	for (k = 0; rc == TSAM_OK && k < o->nids; k++)
		rc = add_id(st, i, &n, &o->ids[k]);
	for (k = 0; rc == TSAM_OK && k < sh->identity_files.n; k++) {
		const struct cfg_key *ck = cfg_key(st, sh->identity_files.v[k],
						   o->use_agent, ro->passenv);
		if (ck == NULL)
			return TSAM_ERR_NOMEM;
		if (ck->usable)
			rc = add_id(st, i, &n, &ck->id);
	}
	if (rc == TSAM_OK && o->nids == 0 && sh->identity_files.n == 0)
		for (k = 0; rc == TSAM_OK && k < ro->ndefault_ids; k++)
			rc = add_id(st, i, &n, &ro->default_ids[k]);
	if (rc == TSAM_OK && sh->identities_only == 1) {
		/* the agent may offer only the files' keys: their .pub */
		size_t m = n;
		for (k = 0; rc == TSAM_OK && k < m; k++) {
			struct tsam_identity pub;
			enum tsam_keytype t;

			if (st->ids[i][k].agent_only ||
			    st->ids[i][k].pubpath == NULL)
				continue;
			memset(&pub, 0, sizeof(pub));
			pub.path = st->ids[i][k].pubpath;
			pub.agent_only = true;
			if (tsam_ssh_pubkey_load(pub.path, &pub.pub, &t,
						 NULL) != TSAM_OK)
				continue;
			pub.type = t;
			if (tsam_grow(&st->blobs, &st->cblobs, st->nblobs + 1,
				      sizeof(*st->blobs)) != TSAM_OK) {
				free(pub.pub.blob);
				return TSAM_ERR_NOMEM;
			}
			st->blobs[st->nblobs++] = pub.pub.blob;
			rc = add_id(st, i, &n, &pub);
		}
		if (n == m)
			r->use_agent = false; /* no key the agent may offer */
	}
	r->ids = st->ids[i];
	r->nids = n;
	return rc;
}

int tsam_reach_build(const struct tsam_fanout_opts *o,
		     const struct tsam_reach_opts *ro,
		     const struct tsam_inventory *inv,
		     const struct tsam_sshconfig *cfg,
		     struct tsam_reach_set *out, struct tsam_errbuf *eb)
{
	static const struct tsam_reach_opts none;
	struct tsam_reach_store *st;
	bool warned_no = false;
	size_t i;
	int rc = TSAM_OK;

	if (ro == NULL)
		ro = &none;
	memset(out, 0, sizeof(*out));
	out->v = calloc(inv->n ? inv->n : 1, sizeof(*out->v));
	out->store = st = calloc(1, sizeof(*st));
	if (out->v == NULL || st == NULL ||
	    (st->ids = calloc(inv->n ? inv->n : 1, sizeof(*st->ids))) == NULL) {
		tsam_reach_set_free(out);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	st->nids = inv->n;
	out->n = inv->n;
	for (i = 0; rc == TSAM_OK && i < inv->n; i++) {
		const struct tsam_host *h = &inv->hosts[i];
		struct tsam_reach *r = &out->v[i];
		const char *user_given =
		    h->user ? h->user : (ro->user_set ? o->default_user : NULL);
		struct tsam_sshhost sh;
		bool labelled = tsam_host_label(h, "identity") != NULL;

		r->use_agent = o->use_agent;
		r->kh = o->kh;
		r->accept_new = o->accept_new;
		r->keepalive_s = -1;
		if (cfg == NULL) {
			r->address = h->address;
			r->port =
			    h->port ? h->port
				    : (o->default_port ? o->default_port : 22);
			r->user = h->user ? h->user : o->default_user;
			r->ids = labelled ? labelled_key(o, h) : o->ids;
			r->nids = labelled ? (r->ids ? 1 : 0) : o->nids;
			if (!labelled && o->nids == 0) {
				r->ids = ro->default_ids;
				r->nids = ro->ndefault_ids;
			}
			continue;
		}
		rc = tsam_sshconfig_resolve(cfg, h->name, user_given,
					    ro->local_user, ro->home, &sh, eb);
		if (rc != TSAM_OK)
			break;
		/* where: address= wins, then HostName */
		r->address = strcmp(h->address, h->name) != 0 || !sh.hostname
				 ? h->address
				 : keep(st, sh.hostname);
		r->port = h->port			    ? h->port
			  : ro->port_set && o->default_port ? o->default_port
			  : sh.port			    ? sh.port
							    : 22;
		r->user = user_given	   ? user_given
			  : sh.user	   ? keep(st, sh.user)
			  : ro->local_user ? ro->local_user
					   : o->default_user;
		if (labelled) {
			r->ids = labelled_key(o, h);
			r->nids = r->ids ? 1 : 0;
		} else {
			rc = config_keys(o, ro, st, i, &sh, r);
		}
		if (o->use_agent && sh.identity_agent != NULL) {
			if (strcasecmp(sh.identity_agent, "none") == 0)
				r->use_agent = false;
			else if (strcmp(sh.identity_agent, "SSH_AUTH_SOCK") !=
				 0)
				r->agent_sock = keep(st, sh.identity_agent);
		}
		if (!ro->known_hosts_set && sh.known_hosts.n > 0 &&
		    (r->kh = cfg_kh(st, sh.known_hosts.v[0], eb)) == NULL)
			rc = TSAM_ERR_IO;
		if (rc == TSAM_OK && sh.hash_known_hosts == 1)
			tsam_knownhosts_set_hash(r->kh, true);
		if (!ro->accept_new_set && sh.strict != NULL) {
			r->accept_new = strcmp(sh.strict, "accept-new") == 0 ||
					strcmp(sh.strict, "no") == 0 ||
					strcmp(sh.strict, "off") == 0 ||
					strcmp(sh.strict, "false") == 0;
			if (r->accept_new &&
			    strcmp(sh.strict, "accept-new") != 0 &&
			    !warned_no) {
				tsam_log(TSAM_LOG_WARN, NULL,
					 "ssh_config's StrictHostKeyChecking "
					 "%s is taken as accept-new: tsamkit "
					 "never accepts a changed host key",
					 sh.strict);
				warned_no = true;
			}
		}
		r->kh_name = keep(st, sh.host_key_alias);
		if (!ro->connect_timeout_set && sh.connect_timeout > 0)
			r->connect_timeout_ms = sh.connect_timeout * 1000;
		if (!ro->keepalive_set && sh.server_alive_interval >= 0)
			r->keepalive_s = sh.server_alive_interval;
		if (sh.proxy_jump != NULL && strcasecmp(sh.proxy_jump, "none"))
			r->proxy_jump = keep(st, sh.proxy_jump);
		if (sh.proxy_command != NULL &&
		    strcasecmp(sh.proxy_command, "none"))
			r->proxy_command = keep(st, sh.proxy_command);
		tsam_sshhost_free(&sh);
	}
	if (rc != TSAM_OK)
		tsam_reach_set_free(out);
	return rc;
}

void tsam_reach_set_free(struct tsam_reach_set *set)
{
	struct tsam_reach_store *st = set->store;
	size_t i;

	if (st != NULL) {
		for (i = 0; i < st->nids; i++)
			free(st->ids[i]);
		free(st->ids);
		for (i = 0; i < st->nblobs; i++)
			free(st->blobs[i]);
		free(st->blobs);
		for (i = 0; i < st->nkeys; i++) {
			free(st->keys[i].path);
			tsam_identity_clear(&st->keys[i].id);
		}
		free(st->keys);
		for (i = 0; i < st->nkhs; i++) {
			free(st->khs[i].path);
			tsam_knownhosts_free(st->khs[i].kh);
		}
		free(st->khs);
		tsam_strlist_free(&st->strings);
		free(st);
	}
	free(set->v);
	memset(set, 0, sizeof(*set));
}

void tsam_reach_print(const struct tsam_reach_set *set,
		      const struct tsam_inventory *inv, size_t i,
		      const struct tsam_fanout_opts *o, FILE *f)
{
	const struct tsam_reach *r = &set->v[i];
	size_t k;

	fprintf(f, "host %s\n", inv->hosts[i].name);
	fprintf(f, "hostname %s\n", r->address);
	fprintf(f, "user %s\n", r->user ? r->user : "");
	fprintf(f, "port %u\n", r->port);
	for (k = 0; k < r->nids; k++)
		fprintf(f, "identityfile %s%s\n", r->ids[k].path,
			r->ids[k].agent_only ? " (ssh-agent key)" : "");
	fprintf(f, "identityagent %s\n",
		!r->use_agent	? "none"
		: r->agent_sock ? r->agent_sock
				: "SSH_AUTH_SOCK");
	fprintf(f, "userknownhostsfile %s\n",
		r->kh ? tsam_knownhosts_path(r->kh) : "");
	fprintf(f, "stricthostkeychecking %s\n",
		r->accept_new ? "accept-new" : "yes");
	if (r->kh_name != NULL)
		fprintf(f, "hostkeyalias %s\n", r->kh_name);
	fprintf(f, "connecttimeout %d\n",
		(r->connect_timeout_ms ? r->connect_timeout_ms
				       : o->connect_timeout_ms) /
		    1000);
	fprintf(f, "serveraliveinterval %d\n",
		r->keepalive_s >= 0 ? r->keepalive_s : o->keepalive_s);
	fprintf(f, "proxyjump %s\n", r->proxy_jump ? r->proxy_jump : "none");
	fprintf(f, "proxycommand %s\n",
		r->proxy_command ? r->proxy_command : "none");
}
