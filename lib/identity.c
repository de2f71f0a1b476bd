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

int tsam_identity_prepare(struct tsam_identity *id,
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
