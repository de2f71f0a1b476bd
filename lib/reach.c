/*
 * reach.c - each host's reach from the inventory, the command line and
 * (sshconfig.c) ssh_config, merged once before the fan-out.
 */
#include "reach.h"

#include <stdlib.h>
#include <string.h>

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

int tsam_reach_build(const struct tsam_fanout_opts *o,
		     const struct tsam_inventory *inv,
		     const struct tsam_sshconfig *cfg,
		     struct tsam_reach_set *out, struct tsam_errbuf *eb)
{
	size_t i;

	(void)cfg;
	memset(out, 0, sizeof(*out));
	out->v = calloc(inv->n ? inv->n : 1, sizeof(*out->v));
	if (out->v == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	out->n = inv->n;
	for (i = 0; i < inv->n; i++) {
		const struct tsam_host *h = &inv->hosts[i];
		struct tsam_reach *r = &out->v[i];

		r->address = h->address;
		r->port = h->port ? h->port
				  : (o->default_port ? o->default_port : 22);
		r->user = h->user ? h->user : o->default_user;
		/* identity= replaces the --identity keys */
		if (tsam_host_label(h, "identity") != NULL) {
			r->ids = labelled_key(o, h);
			r->nids = r->ids ? 1 : 0;
		} else {
			r->ids = o->ids;
			r->nids = o->nids;
		}
		r->use_agent = o->use_agent;
		r->kh = o->kh;
		r->accept_new = o->accept_new;
		r->keepalive_s = -1;
	}
	return TSAM_OK;
}

void tsam_reach_set_free(struct tsam_reach_set *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}
