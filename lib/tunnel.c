/*
 * tunnel.c - one host's bytes between a socketpair and a jump host's
 * channel (tunnel.h). Each call makes at most a few rounds, so one busy
 * tunnel cannot keep the others of its jump host waiting.
 */
#include "tunnel.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

/* Rounds of reading and writing per call. */
#define ROUNDS 8

bool tsam_tunnel_reading(const struct tsam_tunnel *t)
{
	return !t->far_end && t->down_off == t->down_len;
}

/* Channel to fd. Returns TSAM_OK (moved something), TSAM_ERR_AGAIN,
 * TSAM_ERR_EOF (the local side is gone), or the channel's error. */
static int down(struct tsam_tunnel *t, short *events, struct tsam_errbuf *eb)
{
	int rc = TSAM_ERR_AGAIN;

	if (tsam_tunnel_reading(t)) {
		size_t got;

		rc = tsam_ssh_chan_read(t->chan, t->down, sizeof(t->down), &got,
					eb);
		if (rc == TSAM_OK) {
			t->down_len = got;
			t->down_off = 0;
			t->bytes_down += got;
		} else if (rc == TSAM_ERR_EOF) {
			t->far_end = true;
			rc = TSAM_OK;
		} else if (rc != TSAM_ERR_AGAIN) {
			return rc;
		}
	}
	if (t->down_off < t->down_len) {
		ssize_t n = send(t->fd, t->down + t->down_off,
				 t->down_len - t->down_off, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			*events |= POLLOUT;
		} else if (n < 0) {
			return TSAM_ERR_EOF; /* the host's session is gone */
		} else {
			t->down_off += (size_t)n;
			rc = TSAM_OK;
		}
	}
	return rc;
}

/* fd to the channel, while the relay's queue has room. */
static int up(struct tsam_tunnel *t, short *events, struct tsam_errbuf *eb)
{
	int rc = TSAM_ERR_AGAIN;

	if (t->up_off == t->up_len && !t->local_end) {
		ssize_t n = recv(t->fd, t->up, sizeof(t->up), 0);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			*events |= POLLIN;
		} else if (n <= 0) {
			t->local_end = true;
			return TSAM_ERR_EOF;
		} else {
			t->up_len = (size_t)n;
			t->up_off = 0;
			rc = TSAM_OK;
		}
	}
	if (t->up_off < t->up_len && tsam_ssh_queued(t->relay) < t->max_queue) {
		size_t done;
		int w = tsam_ssh_chan_write(t->chan, t->up + t->up_off,
					    t->up_len - t->up_off, &done, eb);

		if (w == TSAM_OK && done > 0) {
			t->up_off += done;
			t->bytes_up += done;
			rc = TSAM_OK;
		} else if (w != TSAM_OK && w != TSAM_ERR_AGAIN) {
			return w;
		}
	}
	return rc;
}

int tsam_tunnel_pump(struct tsam_tunnel *t, short *events,
		     struct tsam_errbuf *eb)
{
	int i, d, u;

	t->more = false;
	for (i = 0; i < ROUNDS; i++) {
		*events = 0;
		d = down(t, events, eb);
		if (d != TSAM_OK && d != TSAM_ERR_AGAIN)
			return d;
		u = up(t, events, eb);
		if (u != TSAM_OK && u != TSAM_ERR_AGAIN)
			return u;
		if (t->far_end && t->down_off == t->down_len) {
			/* all the far end sent is delivered: the host's
			 * session reads the end of its stream */
			if (!t->shut)
				shutdown(t->fd, SHUT_WR);
			t->shut = true;
			return TSAM_ERR_EOF;
		}
		if (d == TSAM_ERR_AGAIN && u == TSAM_ERR_AGAIN)
			return TSAM_ERR_AGAIN;
	}
	t->more = true;
	return TSAM_ERR_AGAIN;
}
