/*
 * test_resolve.c - the resolver pool: answers come back through its
 * descriptor with the caller's id; cancelled lookups are never seen (and
 * leak nothing, under ASan); freeing the pool with lookups in flight
 * neither waits for them nor loses memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>

#include "resolve.h"

/* Waits (at most tries / 10 s) for the next answer. */
static bool next_answer(struct tsam_resolver *r, uint64_t *id,
			struct addrinfo **ai, int *err, int tries)
{
	int i;

	for (i = 0; i < tries; i++) {
		struct pollfd p = {tsam_resolver_fd(r), POLLIN, 0};

		if (tsam_resolver_take(r, id, ai, err))
			return true;
		poll(&p, 1, 100);
	}
	return false;
}

static void answers(void **state)
{
	struct tsam_resolver *r;
	struct addrinfo *ai = NULL;
	uint64_t id = 0;
	int err = 0, seen = 0, i;

	(void)state;
	assert_int_equal(tsam_resolver_new(4, &r), TSAM_OK);
	assert_int_equal(tsam_resolver_submit(r, 7, "localhost", 22), TSAM_OK);
	assert_int_equal(tsam_resolver_submit(r, 8, "no-such-host.invalid", 22),
			 TSAM_OK);
	assert_int_equal(tsam_resolver_submit(r, 9, "localhost", 2222),
			 TSAM_OK);
	tsam_resolver_cancel(r, 9);
	for (i = 0; i < 2; i++) {
		assert_true(next_answer(r, &id, &ai, &err, 50));
		assert_true(id == 7 || id == 8);
		if (id == 7) {
			assert_non_null(ai);
			freeaddrinfo(ai);
		} else {
			assert_null(ai);
			assert_int_not_equal(err, 0);
		}
		seen++;
	}
	assert_int_equal(seen, 2);
	/* the cancelled one never comes */
	assert_false(next_answer(r, &id, &ai, &err, 5) && id == 9);
	tsam_resolver_free(r);
}

/* Free with lookups queued and running: no wait, no leak. */
static void free_in_flight(void **state)
{
	struct tsam_resolver *r;
	uint64_t i;

	(void)state;
	assert_int_equal(tsam_resolver_new(2, &r), TSAM_OK);
	for (i = 1; i <= 20; i++)
		assert_int_equal(tsam_resolver_submit(r, i, "localhost", 22),
				 TSAM_OK);
	tsam_resolver_cancel(r, 3);
	tsam_resolver_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(answers),
	    cmocka_unit_test(free_in_flight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
