/*
 * fsio.h - file I/O done safely: atomic writes (temp file in the same
 * directory, fsync, rename, fsync of the directory), capped reads, gzip
 * through zlib, private directories; and zlib's raw deflate and inflate
 * for the PDF module's streams (this module is zlib's only user).
 *
 * Output files are created 0600 and directories 0700 unless the caller asks
 * otherwise: reports and snapshots hold customer data.
 */
#ifndef TSAM_FSIO_H
#define TSAM_FSIO_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <sys/types.h>

/*
 * Writes len bytes of data to path atomically with the given mode: a reader
 * sees either the old file or the whole new one, also after a crash.
 */
int tsam_fsio_write_atomic(const char *path, const void *data, size_t len,
			   mode_t mode, struct tsam_errbuf *eb);

/*
 * Like tsam_fsio_write_atomic with the file made of data and then tail
 * (a document and its final newline, without copying the document).
 */
TSAM_MUST_CHECK enum tsam_err
tsam_fsio_write_atomic_tail(const char *path, const void *data, size_t len,
			    const void *tail, size_t taillen, mode_t mode,
			    struct tsam_errbuf *eb);

/* Like tsam_fsio_write_atomic, gzip-compressing data (level 6) first. */
TSAM_MUST_CHECK enum tsam_err tsam_fsio_write_gz_atomic(const char *path,
							const void *data,
							size_t len, mode_t mode,
							struct tsam_errbuf *eb);

/*
 * TSAM_OK when path is (or links to) a regular file; TSAM_ERR_INVAL
 * naming it when it is a FIFO, device or directory (a file the tools
 * themselves wrote, like a snapshot, must be one: a FIFO planted there
 * would block a read).
 */
TSAM_MUST_CHECK enum tsam_err tsam_fsio_regular(const char *path,
						struct tsam_errbuf *eb);

/*
 * Reads the whole of path into out (initialised by the caller with its cap);
 * TSAM_ERR_TOOBIG if the file is larger than the cap.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_fsio_read(const char *path, struct tsam_buf *out, struct tsam_errbuf *eb);

/*
 * Reads path, gunzipping it when it starts with the gzip magic, into out
 * (cap set by the caller: it bounds the uncompressed size).
 */
TSAM_MUST_CHECK enum tsam_err tsam_fsio_read_gz(const char *path,
						struct tsam_buf *out,
						struct tsam_errbuf *eb);

/*
 * Appends the zlib stream (RFC 1950: PDF's FlateDecode) of n bytes of in,
 * compressed at level (0-9), to out. The same input and level give the
 * same bytes. TSAM_ERR_TOOBIG past out's cap, TSAM_ERR_NOMEM, TSAM_ERR_ZLIB.
 */
TSAM_MUST_CHECK enum tsam_err tsam_fsio_deflate(const void *in, size_t n,
						int level, struct tsam_buf *out,
						struct tsam_errbuf *eb);

/*
 * Appends the inflated zlib stream in[0..n) to out, whose cap bounds the
 * result: TSAM_ERR_TOOBIG past it, TSAM_ERR_ZLIB for data that is not a
 * whole zlib stream (bytes after its end are ignored).
 */
TSAM_MUST_CHECK enum tsam_err tsam_fsio_inflate(const void *in, size_t n,
						struct tsam_buf *out,
						struct tsam_errbuf *eb);

/* Creates path and missing parents with mode; fine if it exists. */
TSAM_MUST_CHECK enum tsam_err tsam_fsio_mkdirs(const char *path, mode_t mode,
					       struct tsam_errbuf *eb);

#endif
