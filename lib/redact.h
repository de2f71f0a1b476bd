/*
 * redact.h - removes credentials from collected text before it is stored.
 *
 * Product configurations hold update-source and proxy user names and
 * passwords, management tokens and the like. Every raw section passes
 * through tsam_redact before it reaches a snapshot, so these never leave
 * the parser: not as raw text, not as facts. Recognised forms:
 *   Key: value / Key = value / Key=value   (savconfig, mcs.config, ini)
 *   name="value" / name='value'            (XML attributes)
 *   <Name>value</Name>                     (XML elements)
 *   scheme://user:password@host            (URLs with credentials)
 * where the key or name, without case, contains password, passwd,
 * passphrase, secret, token, username, credential, apikey/api_key or
 * privatekey/private_key. The value becomes "<redacted>".
 */
#ifndef TSAM_REDACT_H
#define TSAM_REDACT_H

#include <stddef.h>

/* What a secret value is replaced with. */
#define TSAM_REDACTED "<redacted>"

/*
 * A copy of the n bytes at p with every secret replaced; *len gets the new
 * length and *count (may be NULL) the number of values replaced. Caller
 * frees; NULL on allocation failure.
 */
char *tsam_redact(const char *p, size_t n, size_t *len, size_t *count);

#endif
