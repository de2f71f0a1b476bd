/*
 * resolve.h - name resolution off the fan-out's poll loop.
 *
 * getaddrinfo() blocks for as long as the resolver waits on a DNS server:
 * called in the poll loop, one slow or dead name stalls every session in
 * flight. A resolver is a small pool of threads doing the lookups; the
 * loop submits a name, goes on, and learns of the answer through a file
 * descriptor it polls with the sockets. A lookup the loop gave up on (its
 * own deadline) is cancelled: its answer is dropped when it comes.
 *
 * Names that are numeric addresses never reach a thread (the caller
 * resolves those at once with AI_NUMERICHOST).
 *
 * Threads: the pool's threads only call getaddrinfo; everything else
 * (submit, take, cancel, free) belongs to one thread, the loop's.
 */
#ifndef TSAM_RESOLVE_H
#define TSAM_RESOLVE_H

#include "err.h"

#include <stdbool.h>
#include <stdint.h>

struct addrinfo;
struct tsam_resolver;

/*
 * A resolver with at most max_threads lookups at once (threads are started
 * as lookups need them). *out is the caller's (tsam_resolver_free).
 */
TSAM_MUST_CHECK enum tsam_err tsam_resolver_new(unsigned max_threads,
						struct tsam_resolver **out);

/*
 * Frees the resolver. Lookups still blocked in getaddrinfo are left to end
 * on their own (their threads are detached and free what is theirs).
 */
void tsam_resolver_free(struct tsam_resolver *r);

/* A descriptor that is readable when answers are waiting (tsam_resolver_take).
 */
int tsam_resolver_fd(const struct tsam_resolver *r);

/*
 * Starts looking up name:port (TCP; hints as the fan-out uses them) for
 * the caller's id. TSAM_ERR_NOMEM, or TSAM_OK.
 */
TSAM_MUST_CHECK enum tsam_err tsam_resolver_submit(struct tsam_resolver *r,
						   uint64_t id,
						   const char *name,
						   unsigned port);

/*
 * Takes one answer: true with *id, and either *ai (the caller's:
 * freeaddrinfo) or *gai_err (getaddrinfo's code, *ai NULL); false when
 * none is waiting.
 */
bool tsam_resolver_take(struct tsam_resolver *r, uint64_t *id,
			struct addrinfo **ai, int *gai_err);

/* Drops the lookup for id: its answer, when it comes, is freed unseen. */
void tsam_resolver_cancel(struct tsam_resolver *r, uint64_t id);

#endif
