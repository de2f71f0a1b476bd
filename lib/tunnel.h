/*
 * tunnel.h - the bytes of one host reached through a jump host, pumped
 * between the local end of a socketpair (the host's own SSH session has
 * the other end as its socket) and the jump host's direct-tcpip channel.
 *
 * Each direction has one bounded buffer: nothing is read from a side
 * until what was read before has been written to the other, so a slow
 * reader holds back the writer (the channel's window, the socketpair's
 * buffer) instead of memory growing. The end of either side ends the
 * tunnel: the host's session is gone, or the far end closed.
 */
#ifndef TSAM_TUNNEL_H
#define TSAM_TUNNEL_H

#include "err.h"
#include "ssh.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TSAM_TUNNEL_BUF 32768 /* bytes per direction: one channel packet */

struct tsam_tunnel {
	struct tsam_ssh *relay;	    /* the jump host's session */
	struct tsam_ssh_chan *chan; /* its channel to the host */
	int fd;			    /* the local end, non-blocking */
	size_t max_queue;	    /* write to the channel while the relay's
				       queue is under this */
	char up[TSAM_TUNNEL_BUF];   /* from fd, for the channel */
	size_t up_len, up_off;
	char down[TSAM_TUNNEL_BUF]; /* from the channel, for fd */
	size_t down_len, down_off;
	bool local_end; /* fd read its end (or failed) */
	bool far_end;	/* the channel said EOF */
	bool shut;	/* fd shut for writing after far_end */
	bool more;	/* the last pump stopped with work left: pump again soon
			   (the channel may hold data no socket will signal) */
	uint64_t bytes_up, bytes_down;
};

/*
 * Moves what can move, both ways, without blocking. TSAM_ERR_AGAIN while
 * the tunnel goes on (*events: what to poll fd for; the relay's socket
 * brings the channel's side), TSAM_ERR_EOF when it is over (the local side
 * ended, or the far side ended and all it sent was delivered): close the
 * channel. Other codes: the channel failed, said in eb.
 */
int tsam_tunnel_pump(struct tsam_tunnel *t, short *events,
		     struct tsam_errbuf *eb);

/* Whether the tunnel would read from the channel now (its buffer for the
 * local side is empty and the far end has not ended). */
bool tsam_tunnel_reading(const struct tsam_tunnel *t);

#endif
