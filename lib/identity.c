/* identity.c - preparing keys before a run (identity.h). */
#include "identity.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether path holds a public key ("TYPE BASE64 ...", as KEY.pub does)
 * rather than a private key file. */
static bool is_public_key(const char *path)
{
	char head[64] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return false;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	return strncmp(head, "ssh-", 4) == 0 ||
	       strncmp(head, "ecdsa-", 6) == 0 || strncmp(head, "sk-", 3) == 0;
}

enum tsam_err tsam_identity_prepare(struct tsam_identity *id,
				    const struct tsam_identity_opts *o,
				    struct tsam_errbuf *eb)
{
	char pub[4200];
	int rc;
	bool enc;

	if (is_public_key(id->path)) {
		/* a key the agent holds, offered alone (IdentitiesOnly) */
		if ((rc = tsam_ssh_pubkey_load(id->path, &id->pub, &id->type,
					       eb)) != TSAM_OK)
			return rc;
		id->agent_only = true;
		if (!o->use_agent || getenv("SSH_AUTH_SOCK") == NULL)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_INVAL,
			    "%s is a public key, used through ssh-agent, but "
			    "%s",
			    id->path,
			    o->use_agent ? "no agent runs ($SSH_AUTH_SOCK is "
					   "unset)"
					 : "--no-agent was given");
		return TSAM_OK;
	}
	if ((rc = tsam_ssh_keyfile_info(id->path, &id->type, &enc, eb)) !=
	    TSAM_OK)
		return rc;
	if (id->type == TSAM_KEY_RSA)
		tsam_log(
		    TSAM_LOG_WARN, NULL,
		    "%s is an RSA key: servers running OpenSSH 8.8 or later "
		    "will refuse it (libssh2 1.10 cannot sign with "
		    "rsa-sha2); prefer ed25519 or ECDSA",
		    id->path);
	snprintf(pub, sizeof(pub), "%s-cert.pub", id->path);
	if (access(pub, F_OK) == 0)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "%s: libssh2 1.10 cannot authenticate with OpenSSH "
			 "certificates; %s is ignored and the plain key is "
			 "offered (the server must list it in "
			 "authorized_keys)",
			 id->path, pub);
	snprintf(pub, sizeof(pub), "%s.pub", id->path);
	if (access(pub, R_OK) == 0 && (id->pubpath = strdup(pub)) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	if (!enc)
		return TSAM_OK;
	if (getenv("SSH_AUTH_SOCK") == NULL || !o->use_agent)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "%s is encrypted: libssh2 1.10 decrypts it again for "
			 "every host (bcrypt, ~0.1 s of CPU each%s); for large "
			 "fleets load it into ssh-agent instead",
			 id->path,
			 id->pubpath ? "" : ", twice without a .pub file");
	if (o->passenv != NULL) {
		const char *v = getenv(o->passenv);

		if (v == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_AUTH,
					       "%s is encrypted and $%s is not "
					       "set",
					       id->path, o->passenv);
		if ((id->passphrase = strdup(v)) == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					       "out of memory");
		return TSAM_OK;
	}
	snprintf(pub, sizeof(pub), "Enter passphrase for key '%s': ", id->path);
	if (o->ask == NULL || (id->passphrase = o->ask(pub)) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_AUTH,
				       "%s is encrypted: run on a terminal or "
				       "name an environment variable with "
				       "--passphrase-env",
				       id->path);
	return TSAM_OK;
}

void tsam_identity_clear(struct tsam_identity *id)
{
	if (id->passphrase != NULL) {
		explicit_bzero(id->passphrase, strlen(id->passphrase));
		free(id->passphrase);
	}
	free(id->path);
	free(id->pubpath);
	free(id->pub.blob);
	memset(id, 0, sizeof(*id));
}

void tsam_identities_free(struct tsam_identity *ids, size_t n)
{
	size_t i;

	for (i = 0; ids != NULL && i < n; i++)
		tsam_identity_clear(&ids[i]);
	free(ids);
}

/* Prepares key path into id; why it cannot be used goes to eb, after
 * where ("FILE:LINE: identity=") when given. */
static int prepare_one(struct tsam_identity *id, const char *path,
		       const char *where, const struct tsam_identity_opts *o,
		       struct tsam_errbuf *eb)
{
	struct tsam_errbuf why;
	int rc;

	if ((id->path = strdup(path)) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	tsam_errbuf_clear(&why);
	if ((rc = tsam_identity_prepare(id, o, &why)) != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "%s%s", where ? where : "",
				       tsam_errbuf_str(&why, rc));
	return TSAM_OK;
}

enum tsam_err tsam_identity_keys_prepare(
    struct tsam_identity_keys *out, const char *const *paths, size_t n,
    const char *home, const struct tsam_inventory *inv, const size_t *sel,
    size_t nsel, const struct tsam_identity_opts *o, struct tsam_errbuf *eb)
{
	static const char *const defaults[] = {"id_ed25519", "id_ecdsa"};
	size_t i, j;
	int rc;

	memset(out, 0, sizeof(*out));
	out->ids = calloc(n + 1, sizeof(*out->ids));
	out->defaults = calloc(2, sizeof(*out->defaults));
	out->host_ids = calloc(nsel + 1, sizeof(*out->host_ids));
	if (out->ids == NULL || out->defaults == NULL || out->host_ids == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if ((rc = prepare_one(&out->ids[out->nids++], paths[i], NULL, o,
				      eb)) != TSAM_OK)
			return rc;
	for (i = 0; n == 0 && home != NULL && i < 2; i++) {
		char p[4096];

		snprintf(p, sizeof(p), "%s/.ssh/%s", home, defaults[i]);
		if (access(p, R_OK) != 0)
			continue;
		if ((rc = prepare_one(&out->defaults[out->ndefaults++], p, NULL,
				      o, eb)) != TSAM_OK)
			return rc;
	}
	for (i = 0; i < nsel; i++) {
		const struct tsam_host *h = &inv->hosts[sel[i]];
		const char *p = tsam_host_label(h, "identity");
		char where[4200];
		bool seen = false;

		for (j = 0; p != NULL && j < out->nhost_ids && !seen; j++)
			seen = strcmp(out->host_ids[j].path, p) == 0;
		if (p == NULL || seen)
			continue;
		snprintf(where, sizeof(where), "%s:%zu: identity=", inv->path,
			 h->line);
		if ((rc = prepare_one(&out->host_ids[out->nhost_ids++], p,
				      where, o, eb)) != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}

void tsam_identity_keys_free(struct tsam_identity_keys *keys)
{
	tsam_identities_free(keys->ids, keys->nids);
	tsam_identities_free(keys->defaults, keys->ndefaults);
	tsam_identities_free(keys->host_ids, keys->nhost_ids);
	memset(keys, 0, sizeof(*keys));
}
