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
 *
 * Jump hosts: a host's ProxyJump (its jump= label, else -J, else
 * ssh_config) is a chain "a,b" of "[user@]host[:port]" hops; each hop gets
 * a reach of its own, merged the same way from ssh_config for its name
 * (its user and port from the hop first), whose via is the hop before it;
 * the first hop's own ProxyJump in ssh_config is followed, as ssh does,
 * up to JUMP_DEPTH hops in all. Equal hops reached the same way share one
 * reach, so the engine can carry their hosts over one connection.
 */
#include "reach.h"

#include "knownhosts.h"
#include "log.h"
#include "sshconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Hops in a ProxyJump chain, the jump hosts' own ProxyJump included. */
#define JUMP_DEPTH 8

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
	struct tsam_identity **ids; /* per host, then per jump host: its
				       merged key list */
	size_t nids, cids;
	struct tsam_reach **jumps; /* jump hosts' reaches, each its own */
	char **jump_keys;	   /* "spec\nvia" of each, to share them */
	size_t njumps, cjumps, cjkeys;
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
				     const char *path,
				     const struct tsam_identity_opts *ko)
{
	struct tsam_errbuf eb;
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
	if (k->id.path == NULL)
		return NULL;
	tsam_errbuf_clear(&eb);
	k->usable = tsam_identity_prepare(&k->id, ko, &eb) == TSAM_OK;
	if (!k->usable)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "ssh_config's IdentityFile %s: %s; skipped", path,
			 tsam_errbuf_str(&eb, TSAM_ERR_INVAL));
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
	struct tsam_identity_opts ko = {NULL, NULL, o->use_agent};
	size_t n = 0, k;
	int rc = TSAM_OK;

	if (ro->keys != NULL) {
		ko = *ro->keys;
		ko.use_agent = o->use_agent;
	}

	for (k = 0; rc == TSAM_OK && k < o->nids; k++)
		rc = add_id(st, i, &n, &o->ids[k]);
	for (k = 0; rc == TSAM_OK && k < sh->identity_files.n; k++) {
		const struct cfg_key *ck =
		    cfg_key(st, sh->identity_files.v[k], &ko);
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

/* What building needs besides the store. */
struct build {
	const struct tsam_fanout_opts *o;
	const struct tsam_reach_opts *ro;
	const struct tsam_sshconfig *cfg;
	const struct tsam_inventory *inv;
	struct tsam_reach_store *st;
	bool warned_no;
};

/* Room for one more key list (a jump host's); its index in *slot. */
static int new_slot(struct tsam_reach_store *st, size_t *slot)
{
	if (tsam_grow(&st->ids, &st->cids, st->nids + 1, sizeof(*st->ids)) !=
	    TSAM_OK)
		return TSAM_ERR_NOMEM;
	st->ids[st->nids] = NULL;
	*slot = st->nids++;
	return TSAM_OK;
}

/*
 * What ssh_config's sh says of a host or jump host beyond where and as
 * whom: its keys (unless keys_given), agent, known_hosts and how strictly,
 * HostKeyAlias, timeouts. slot is its key list in the store.
 */
static int apply_config(struct build *b, size_t slot,
			const struct tsam_sshhost *sh, bool keys_given,
			struct tsam_reach *r, struct tsam_errbuf *eb)
{
	const struct tsam_reach_opts *ro = b->ro;
	int rc = TSAM_OK;

	if (!keys_given)
		rc = config_keys(b->o, ro, b->st, slot, sh, r);
	r->identities_only = sh->identities_only == 1;
	if (b->o->use_agent && sh->identity_agent != NULL) {
		if (strcasecmp(sh->identity_agent, "none") == 0)
			r->use_agent = false;
		else if (strcmp(sh->identity_agent, "SSH_AUTH_SOCK") != 0)
			r->agent_sock = keep(b->st, sh->identity_agent);
	}
	if (rc == TSAM_OK && !ro->known_hosts_set && sh->known_hosts.n > 0 &&
	    (r->kh = cfg_kh(b->st, sh->known_hosts.v[0], eb)) == NULL)
		rc = TSAM_ERR_IO;
	if (rc == TSAM_OK && sh->hash_known_hosts == 1)
		tsam_knownhosts_set_hash(r->kh, true);
	if (!ro->accept_new_set && sh->strict != NULL) {
		r->accept_new = strcmp(sh->strict, "accept-new") == 0 ||
				strcmp(sh->strict, "no") == 0 ||
				strcmp(sh->strict, "off") == 0 ||
				strcmp(sh->strict, "false") == 0;
		if (r->accept_new && strcmp(sh->strict, "accept-new") != 0 &&
		    !b->warned_no) {
			tsam_log(TSAM_LOG_WARN, NULL,
				 "ssh_config's StrictHostKeyChecking %s is "
				 "taken as accept-new: tsamkit never accepts a "
				 "changed host key",
				 sh->strict);
			b->warned_no = true;
		}
	}
	r->kh_name = keep(b->st, sh->host_key_alias);
	if (!ro->connect_timeout_set && sh->connect_timeout > 0)
		r->connect_timeout_ms = sh->connect_timeout * 1000;
	if (!ro->keepalive_set && sh->server_alive_interval >= 0)
		r->keepalive_s = sh->server_alive_interval;
	return rc;
}

/* Whether ProxyJump/ProxyCommand value v says something ("none" does
 * not). */
static bool given(const char *v)
{
	return v != NULL && v[0] != '\0' && strcasecmp(v, "none") != 0;
}

/*
 * Splits one hop, "[ssh://][user@]host[:port]" (host may be "[v6]"), into
 * its parts. False when malformed.
 */
static bool parse_hop(const char *hop, char *user, size_t usz, char *host,
		      size_t hsz, unsigned *port)
{
	const char *at, *h, *end, *colon = NULL;
	size_t n;

	if (strncmp(hop, "ssh://", 6) == 0)
		hop += 6;
	user[0] = '\0';
	*port = 0;
	at = strrchr(hop, '@');
	if (at != NULL) {
		n = (size_t)(at - hop);
		if (n == 0 || n >= usz)
			return false;
		memcpy(user, hop, n);
		user[n] = '\0';
		h = at + 1;
	} else {
		h = hop;
	}
	if (h[0] == '[') {
		end = strchr(h, ']');
		if (end == NULL)
			return false;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL)
			return false;
		h++;
	} else {
		end = strchr(h, ':');
		colon = end;
		if (end == NULL)
			end = h + strlen(h);
	}
	n = (size_t)(end - h);
	if (n == 0 || n >= hsz)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	if (colon != NULL) {
		char *e;
		unsigned long p = strtoul(colon + 1, &e, 10);

		if (colon[1] == '\0' || *e != '\0' || p == 0 || p > 65535)
			return false;
		*port = (unsigned)p;
	}
	for (n = 0; host[n]; n++)
		if (!(host[n] == '.' || host[n] == '-' || host[n] == '_' ||
		      host[n] == ':' || (host[n] >= '0' && host[n] <= '9') ||
		      (host[n] >= 'a' && host[n] <= 'z') ||
		      (host[n] >= 'A' && host[n] <= 'Z')))
			return false;
	for (n = 0; user[n]; n++)
		if ((unsigned char)user[n] <= ' ' || user[n] == 0x7f ||
		    user[n] == '\'' || user[n] == '"' || user[n] == '\\')
			return false;
	return true;
}

static const struct tsam_reach *chain_reach(struct build *b, const char *spec,
					    const char *where, int *depth,
					    struct tsam_errbuf *eb);

/*
 * The reach of one hop ("[user@]host[:port]") reached through via (NULL:
 * directly, or through the hop's own ProxyJump). Shared by equal hops
 * reached the same way. where says, for errors, where the chain came from.
 */
static const struct tsam_reach *hop_reach(struct build *b, const char *hop,
					  const struct tsam_reach *via,
					  const char *where, int *depth,
					  struct tsam_errbuf *eb)
{
	struct tsam_reach_store *st = b->st;
	const struct tsam_fanout_opts *o = b->o;
	const struct tsam_reach_opts *ro = b->ro;
	char user[128], host[256], key[512];
	struct tsam_reach *r;
	unsigned port;
	size_t k, slot, mine;

	if (++*depth > JUMP_DEPTH) {
		tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				"%s: more than %d jump hosts in a row (a "
				"ProxyJump loop?)",
				where, JUMP_DEPTH);
		return NULL;
	}
	if (!parse_hop(hop, user, sizeof(user), host, sizeof(host), &port)) {
		tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				"%s: \"%s\" is not a jump host "
				"([user@]host[:port])",
				where, hop);
		return NULL;
	}
	snprintf(key, sizeof(key), "%s\n%p", hop, (const void *)via);
	for (k = 0; k < st->njumps; k++) /* (a hop still being built has
					     no key yet: a loop goes on to
					     JUMP_DEPTH) */
		if (st->jump_keys[k] && strcmp(st->jump_keys[k], key) == 0)
			return st->jumps[k];
	if (tsam_grow(&st->jumps, &st->cjumps, st->njumps + 1,
		      sizeof(*st->jumps)) != TSAM_OK ||
	    tsam_grow(&st->jump_keys, &st->cjkeys, st->njumps + 1,
		      sizeof(*st->jump_keys)) != TSAM_OK ||
	    (r = calloc(1, sizeof(*r))) == NULL) {
		tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	mine = st->njumps;
	st->jump_keys[mine] = NULL;
	st->jumps[st->njumps++] = r;
	r->name = keep(st, host);
	r->use_agent = o->use_agent;
	r->kh = o->kh;
	r->accept_new = o->accept_new;
	r->keepalive_s = -1;
	r->via = via;
	r->address = r->name;
	r->port = port ? port : 22;
	r->user = user[0]	   ? keep(st, user)
		  : ro->local_user ? ro->local_user
				   : o->default_user;
	r->ids = o->nids ? o->ids : ro->default_ids;
	r->nids = o->nids ? o->nids : ro->ndefault_ids;
	if (b->cfg != NULL) {
		struct tsam_sshhost sh;
		int rc;

		if (new_slot(st, &slot) != TSAM_OK ||
		    tsam_sshconfig_resolve(b->cfg, host, user[0] ? user : NULL,
					   port, ro->local_user, ro->home, &sh,
					   eb) != TSAM_OK)
			return NULL;
		if (sh.hostname != NULL)
			r->address = keep(st, sh.hostname);
		if (!port && sh.port)
			r->port = sh.port;
		if (!user[0] && sh.user != NULL)
			r->user = keep(st, sh.user);
		rc = apply_config(b, slot, &sh, false, r, eb);
		if (rc == TSAM_OK && via == NULL && given(sh.proxy_jump)) {
			/* the first hop's own jump host, as ssh -J does */
			r->proxy_jump = keep(st, sh.proxy_jump);
			r->via =
			    chain_reach(b, sh.proxy_jump, where, depth, eb);
			if (r->via == NULL)
				rc = TSAM_ERR_PARSE;
		} else if (rc == TSAM_OK && via == NULL &&
			   given(sh.proxy_command)) {
			r->proxy_command = keep(st, sh.proxy_command);
		}
		tsam_sshhost_free(&sh);
		if (rc != TSAM_OK)
			return NULL;
	}
	if (r->name == NULL || r->address == NULL || r->user == NULL ||
	    (st->jump_keys[mine] = strdup(key)) == NULL) {
		tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	return r;
}

/* The reach of the last hop of chain spec ("a,b,c"): each hop reached
 * through the one before. */
static const struct tsam_reach *chain_reach(struct build *b, const char *spec,
					    const char *where, int *depth,
					    struct tsam_errbuf *eb)
{
	const struct tsam_reach *via = NULL;
	char hop[512];
	const char *p = spec, *comma;
	size_t n;

	do {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof(hop)) {
			tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: \"%s\" is not a list of jump hosts "
			    "([user@]host[:port],...)",
			    where, spec);
			return NULL;
		}
		memcpy(hop, p, n);
		hop[n] = '\0';
		if ((via = hop_reach(b, hop, via, where, depth, eb)) == NULL)
			return NULL;
		p = comma ? comma + 1 : NULL;
	} while (p != NULL);
	return via;
}

/* Host h's jump hosts: its jump= label, else -J, else ssh_config's
 * ProxyJump (cfg_jump, may be NULL); "none" says none. */
static int host_jump(struct build *b, const struct tsam_host *h,
		     const char *cfg_jump, struct tsam_reach *r,
		     struct tsam_errbuf *eb)
{
	const char *label = tsam_host_label(h, "jump");
	const char *spec = label		 ? label
			   : b->ro->jump != NULL ? b->ro->jump
						 : cfg_jump;
	char where[400];
	int depth = 0;

	if (label != NULL || b->ro->jump != NULL)
		r->proxy_command = NULL; /* as ssh -J: it replaces it */
	if (!given(spec))
		return TSAM_OK;
	if (label != NULL)
		snprintf(where, sizeof(where), "%s:%zu: host %s: jump=",
			 b->inv->path ? b->inv->path : "inventory", h->line,
			 h->name);
	else if (b->ro->jump != NULL)
		snprintf(where, sizeof(where), "--jump");
	else
		snprintf(where, sizeof(where), "ssh_config: ProxyJump of %s",
			 h->name);
	r->proxy_jump = keep(b->st, spec);
	r->proxy_command = NULL;
	r->via = chain_reach(b, spec, where, &depth, eb);
	return r->via != NULL ? TSAM_OK : TSAM_ERR_PARSE;
}

enum tsam_err tsam_reach_build(const struct tsam_fanout_opts *o,
			       const struct tsam_reach_opts *ro,
			       const struct tsam_inventory *inv,
			       const struct tsam_sshconfig *cfg,
			       struct tsam_reach_set *out,
			       struct tsam_errbuf *eb)
{
	static const struct tsam_reach_opts none;
	struct tsam_reach_store *st;
	struct build b;
	size_t i;
	int rc = TSAM_OK;

	if (ro == NULL)
		ro = &none;
	memset(out, 0, sizeof(*out));
	out->v = calloc(inv->n ? inv->n : 1, sizeof(*out->v));
	out->store = st = calloc(1, sizeof(*st));
	if (out->v == NULL || st == NULL ||
	    tsam_grow(&st->ids, &st->cids, inv->n ? inv->n : 1,
		      sizeof(*st->ids)) != TSAM_OK) {
		tsam_reach_set_free(out);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	memset(st->ids, 0, st->cids * sizeof(*st->ids));
	st->nids = inv->n;
	out->n = inv->n;
	memset(&b, 0, sizeof(b));
	b.o = o;
	b.ro = ro;
	b.cfg = cfg;
	b.inv = inv;
	b.st = st;
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
			rc = host_jump(&b, h, NULL, r, eb);
			continue;
		}
		rc = tsam_sshconfig_resolve(
		    cfg, h->name, user_given,
		    h->port ? h->port : (ro->port_set ? o->default_port : 0),
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
		}
		rc = apply_config(&b, i, &sh, labelled, r, eb);
		if (rc == TSAM_OK && given(sh.proxy_command))
			r->proxy_command = keep(st, sh.proxy_command);
		if (rc == TSAM_OK)
			rc = host_jump(&b, h, sh.proxy_jump, r, eb);
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
		for (i = 0; i < st->njumps; i++) {
			free(st->jumps[i]);
			free(st->jump_keys[i]);
		}
		free(st->jumps);
		free(st->jump_keys);
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
	const struct tsam_reach *r = &set->v[i], *j;
	size_t k;

	fprintf(f, "host %s\n", inv->hosts[i].name);
	fprintf(f, "hostname %s\n", r->address);
	fprintf(f, "user %s\n", r->user ? r->user : "");
	fprintf(f, "port %u\n", r->port);
	for (k = 0; k < r->nids; k++)
		fprintf(f, "identityfile %s%s\n", r->ids[k].path,
			r->ids[k].agent_only ? " (ssh-agent key)" : "");
	fprintf(f, "identitiesonly %s\n", r->identities_only ? "yes" : "no");
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
	/* not ssh -G's: each jump host as it is reached, the nearest first */
	for (j = r->via; j != NULL; j = j->via)
		fprintf(f, "jumphost %s %s@%s:%u%s%s\n", j->name, j->user,
			j->address, j->port,
			j->proxy_command ? " proxycommand " : "",
			j->proxy_command ? j->proxy_command : "");
}
