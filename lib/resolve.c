/*
 * resolve.c - getaddrinfo on a small pool of detached threads; answers
 * come back through a queue and a pipe the poll loop watches.
 *
 * Ownership: the resolver is shared by its owner and its threads (a
 * reference each); whoever drops the last one frees it. A lookup stuck in
 * getaddrinfo cannot be interrupted, so tsam_resolver_free never waits for
 * one: the thread finds the resolver closed when it returns, frees its
 * answer and, if it was the last, the resolver.
 */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct request {
	uint64_t id;
	char *name;
	char port[8];
	struct addrinfo *ai;
	int err;
	bool cancelled;
	struct request *next;
};

struct tsam_resolver {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct request *todo, *todo_tail; /* FIFO */
	struct request *running;	  /* being looked up */
	struct request *done, *done_tail; /* FIFO */
	unsigned threads, idle, max_threads;
	unsigned refs; /* the owner, and each thread */
	bool closed;
	int pipe[2];
};

static void request_free(struct request *q)
{
	if (q == NULL)
		return;
	if (q->ai != NULL)
		freeaddrinfo(q->ai);
	free(q->name);
	free(q);
}

static void list_free(struct request *q)
{
	while (q != NULL) {
		struct request *next = q->next;
		request_free(q);
		q = next;
	}
}

/* Frees r itself: called with no thread left and the lock not held. */
static void resolver_destroy(struct tsam_resolver *r)
{
	list_free(r->todo);
	list_free(r->done);
	list_free(r->running);
	close(r->pipe[0]);
	close(r->pipe[1]);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->work);
	free(r);
}

/* Removes q from the singly linked list at *head; true when found. */
static bool unlink_req(struct request **head, struct request *q)
{
	for (; *head != NULL; head = &(*head)->next)
		if (*head == q) {
			*head = q->next;
			return true;
		}
	return false;
}

static void *worker(void *arg)
{
	struct tsam_resolver *r = arg;
	bool last;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		struct request *q;
		struct addrinfo hints;

		while (!r->closed && r->todo == NULL) {
			r->idle++;
			pthread_cond_wait(&r->work, &r->lock);
			r->idle--;
		}
		if (r->closed)
			break;
		q = r->todo;
		r->todo = q->next;
		if (r->todo == NULL)
			r->todo_tail = NULL;
		q->next = r->running;
		r->running = q;
		pthread_mutex_unlock(&r->lock);

		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
		q->err = getaddrinfo(q->name, q->port, &hints, &q->ai);
		if (q->err != 0)
			q->ai = NULL;

		pthread_mutex_lock(&r->lock);
		unlink_req(&r->running, q);
		if (q->cancelled || r->closed) {
			request_free(q);
			continue;
		}
		q->next = NULL;
		if (r->done_tail != NULL)
			r->done_tail->next = q;
		else
			r->done = q;
		r->done_tail = q;
		/* a full pipe already wakes the loop: EAGAIN is fine */
		{
			ssize_t w = write(r->pipe[1], "", 1);
			(void)w;
		}
	}
	r->threads--;
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->lock);
	if (last)
		resolver_destroy(r);
	return NULL;
}

enum tsam_err tsam_resolver_new(unsigned max_threads,
				struct tsam_resolver **out)
{
	struct tsam_resolver *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (r == NULL)
		return TSAM_ERR_NOMEM;
	if (pipe(r->pipe) != 0) {
		free(r);
		return TSAM_ERR_IO;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(r->pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(r->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->work, NULL);
	r->max_threads = max_threads ? max_threads : 1;
	r->refs = 1;
	*out = r;
	return TSAM_OK;
}

/* Starts one more thread, with every signal blocked in it (signals are
 * the loop's). Called with the lock held. */
static void add_thread(struct tsam_resolver *r)
{
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, worker, r) == 0) {
		r->threads++;
		r->refs++;
	}
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

enum tsam_err tsam_resolver_submit(struct tsam_resolver *r, uint64_t id,
				   const char *name, unsigned port)
{
	struct request *q = calloc(1, sizeof(*q));

	if (q == NULL || (q->name = strdup(name)) == NULL) {
		free(q);
		return TSAM_ERR_NOMEM;
	}
	q->id = id;
	snprintf(q->port, sizeof(q->port), "%u", port);
	pthread_mutex_lock(&r->lock);
	if (r->todo_tail != NULL)
		r->todo_tail->next = q;
	else
		r->todo = q;
	r->todo_tail = q;
	if (r->idle == 0 && r->threads < r->max_threads)
		add_thread(r);
	pthread_cond_signal(&r->work);
	pthread_mutex_unlock(&r->lock);
	/* no thread could be started at all: the lookup would wait forever */
	if (r->threads == 0) {
		tsam_resolver_cancel(r, id);
		return TSAM_ERR_NOMEM;
	}
	return TSAM_OK;
}

bool tsam_resolver_take(struct tsam_resolver *r, uint64_t *id,
			struct addrinfo **ai, int *gai_err)
{
	struct request *q;
	char drain[64];

	while (read(r->pipe[0], drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&r->lock);
	q = r->done;
	if (q != NULL) {
		r->done = q->next;
		if (r->done == NULL)
			r->done_tail = NULL;
	}
	pthread_mutex_unlock(&r->lock);
	if (q == NULL)
		return false;
	*id = q->id;
	*ai = q->ai;
	*gai_err = q->err;
	q->ai = NULL;
	request_free(q);
	return true;
}

void tsam_resolver_cancel(struct tsam_resolver *r, uint64_t id)
{
	struct request *q, *drop = NULL;

	pthread_mutex_lock(&r->lock);
	for (q = r->todo; q != NULL; q = q->next)
		if (q->id == id)
			break;
	if (q != NULL) {
		struct request *p;
		unlink_req(&r->todo, q);
		for (p = r->todo, r->todo_tail = NULL; p != NULL; p = p->next)
			r->todo_tail = p;
		drop = q;
	}
	for (q = r->done; drop == NULL && q != NULL; q = q->next)
		if (q->id == id)
			break;
	if (drop == NULL && q != NULL) {
		struct request *p;
		unlink_req(&r->done, q);
		for (p = r->done, r->done_tail = NULL; p != NULL; p = p->next)
			r->done_tail = p;
		drop = q;
	}
	for (q = r->running; drop == NULL && q != NULL; q = q->next)
		if (q->id == id)
			q->cancelled = true;
	pthread_mutex_unlock(&r->lock);
	request_free(drop);
}

int tsam_resolver_fd(const struct tsam_resolver *r)
{
	return r->pipe[0];
}

void tsam_resolver_free(struct tsam_resolver *r)
{
	bool last;

	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->closed = true;
	list_free(r->todo);
	r->todo = r->todo_tail = NULL;
	list_free(r->done);
	r->done = r->done_tail = NULL;
	pthread_cond_broadcast(&r->work);
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->lock);
	if (last)
		resolver_destroy(r);
}
