/* fsio.c - atomic writes, capped reads, gzip and zlib streams via zlib. */
#include "fsio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static void fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (copy == NULL)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

int tsam_fsio_write_atomic(const char *path, const void *data, size_t len,
			   mode_t mode, struct tsam_errbuf *eb)
{
	return tsam_fsio_write_atomic_tail(path, data, len, NULL, 0, mode, eb);
}

enum tsam_err tsam_fsio_write_atomic_tail(const char *path, const void *data,
					  size_t len, const void *more,
					  size_t morelen, mode_t mode,
					  struct tsam_errbuf *eb)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	int fd, err;

	if (tmp == NULL)
		return TSAM_ERR_NOMEM;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp.XXXXXX", 12);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = errno;
		free(tmp);
		return tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: cannot create: %s",
				       path, strerror(err));
	}
	if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 ||
	    (morelen > 0 && write_all(fd, more, morelen) != 0) ||
	    fsync(fd) != 0) {
		err = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: cannot write: %s",
				       path, strerror(err));
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		err = errno;
		unlink(tmp);
		free(tmp);
		return tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: cannot write: %s",
				       path, strerror(err));
	}
	free(tmp);
	fsync_dir_of(path);
	return TSAM_OK;
}

enum tsam_err tsam_fsio_write_gz_atomic(const char *path, const void *data,
					size_t len, mode_t mode,
					struct tsam_errbuf *eb)
{
	z_stream zs;
	uLong bound;
	unsigned char *out;
	int rc;

	memset(&zs, 0, sizeof(zs));
	/* windowBits 15 + 16: gzip wrapper. */
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_ZLIB,
				       "%s: deflateInit2 failed", path);
	bound = deflateBound(&zs, (uLong)len);
	out = malloc(bound);
	if (out == NULL) {
		deflateEnd(&zs);
		return TSAM_ERR_NOMEM;
	}
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&zs);
		free(out);
		return tsam_errbuf_set(eb, TSAM_ERR_ZLIB,
				       "%s: deflate failed (%d)", path, rc);
	}
	rc = tsam_fsio_write_atomic(path, out, zs.total_out, mode, eb);
	deflateEnd(&zs);
	free(out);
	return rc;
}

/* Appends a chunk read from path; names the file and the cap if too big. */
static int add_capped(struct tsam_buf *out, const char *chunk, size_t n,
		      const char *path, struct tsam_errbuf *eb)
{
	int rc = tsam_buf_add(out, chunk, n);

	if (rc != TSAM_OK)
		tsam_errbuf_set(eb, rc, "%s: %s (limit %zu bytes)", path,
				tsam_strerror(rc), out->max);
	return rc;
}

enum tsam_err tsam_fsio_regular(const char *path, struct tsam_errbuf *eb)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return tsam_errbuf_set(
		    eb, errno == ENOENT ? TSAM_ERR_NOTFOUND : TSAM_ERR_IO,
		    "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "%s: not a regular file", path);
	return TSAM_OK;
}

enum tsam_err tsam_fsio_read(const char *path, struct tsam_buf *out,
			     struct tsam_errbuf *eb)
{
	/* O_NONBLOCK: opening a FIFO nobody writes to must not wait for a
	 * writer; reads block again below (a pipe from a process
	 * substitution is read to its end; a FIFO without a writer reads as
	 * empty) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int rc = TSAM_OK, fl;
	struct stat st;

	if (fd < 0)
		return tsam_errbuf_set(
		    eb, errno == ENOENT ? TSAM_ERR_NOTFOUND : TSAM_ERR_IO,
		    "%s: %s", path, strerror(errno));
	if ((fl = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	/* a regular file's size (and a byte to see its end): room at once */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    tsam_buf_reserve(out, (size_t)st.st_size + 1) != TSAM_OK)
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "%s: out of memory",
				     path);
	while (rc == TSAM_OK) {
		size_t room;
		ssize_t r;

		if (out->len + 1 >= out->cap &&
		    tsam_buf_reserve(out, 65536) != TSAM_OK) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					     "%s: out of memory", path);
			break;
		}
		room = out->cap - 1 - out->len;
		if (room == 0) { /* at the cap: is there more? */
			char c;

			r = read(fd, &c, 1);
			if (r > 0)
				rc = tsam_errbuf_set(
				    eb, TSAM_ERR_TOOBIG,
				    "%s: %s (limit %zu bytes)", path,
				    tsam_strerror(TSAM_ERR_TOOBIG), out->max);
			else if (r < 0 && errno == EINTR)
				continue;
			else if (r < 0)
				rc = tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: %s",
						     path, strerror(errno));
			break;
		}
		r = read(fd, out->data + out->len, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: %s", path,
					     strerror(errno));
			break;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->data[out->len] = '\0';
	}
	close(fd);
	return rc;
}

/* Inflates the gzip data in[0..n) (one member or several) onto out. */
static int gunzip(const char *in, size_t n, struct tsam_buf *out,
		  const char *path, struct tsam_errbuf *eb)
{
	z_stream zs;
	uint32_t isize;
	int zr;

	/* the trailer's size of the (last) member: room for it at once */
	memcpy(&isize, in + n - 4, 4);
	if (tsam_buf_reserve(out, isize) != TSAM_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "%s: out of memory",
				       path);
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "%s: out of memory",
				       path);
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)n;
	for (;;) {
		size_t room;

		if (out->len + 1 >= out->cap &&
		    tsam_buf_reserve(out, out->cap) != TSAM_OK) {
			inflateEnd(&zs);
			return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					       "%s: out of memory", path);
		}
		room = out->cap - 1 - out->len;
		if (room == 0) { /* at the cap, and more to come */
			inflateEnd(&zs);
			return tsam_errbuf_set(
			    eb, TSAM_ERR_TOOBIG, "%s: %s (limit %zu bytes)",
			    path, tsam_strerror(TSAM_ERR_TOOBIG), out->max);
		}
		if (room > (1u << 30))
			room = 1u << 30;
		zs.next_out = (unsigned char *)out->data + out->len;
		zs.avail_out = (uInt)room;
		zr = inflate(&zs, Z_NO_FLUSH);
		out->len += room - zs.avail_out;
		out->data[out->len] = '\0';
		if (zr == Z_STREAM_END) {
			/* another member follows (as gzip -d reads them),
			 * else the end */
			if (zs.avail_in < 2 ||
			    memcmp(zs.next_in, "\x1f\x8b", 2) != 0)
				break;
			inflateReset(&zs);
		} else if (zr == Z_BUF_ERROR) { /* no input left */
			inflateEnd(&zs);
			return tsam_errbuf_set(eb, TSAM_ERR_ZLIB,
					       "%s: truncated gzip", path);
		} else if (zr != Z_OK) {
			int rc =
			    tsam_errbuf_set(eb, TSAM_ERR_ZLIB, "%s: %s", path,
					    zs.msg ? zs.msg : "bad gzip data");
			inflateEnd(&zs);
			return rc;
		}
	}
	inflateEnd(&zs);
	return TSAM_OK;
}

enum tsam_err tsam_fsio_read_gz(const char *path, struct tsam_buf *out,
				struct tsam_errbuf *eb)
{
	struct tsam_buf raw;
	int rc;

	/* the whole file, then one inflate over it: gzread's own buffers
	 * and state cost more than the inflating for small snapshots */
	tsam_buf_init(&raw, out->max > SIZE_MAX - (1u << 20)
				? SIZE_MAX
				: out->max + (1u << 20));
	rc = tsam_fsio_read(path, &raw, eb);
	if (rc == TSAM_OK && raw.len >= 18 &&
	    memcmp(raw.data, "\x1f\x8b", 2) == 0)
		rc = gunzip(raw.data, raw.len, out, path, eb);
	else if (rc == TSAM_OK && raw.len >= 2 &&
		 memcmp(raw.data, "\x1f\x8b", 2) == 0)
		rc = tsam_errbuf_set(eb, TSAM_ERR_ZLIB, "%s: truncated gzip",
				     path);
	else if (rc == TSAM_OK && raw.len > 0)
		rc = add_capped(out, raw.data, raw.len, path, eb);
	tsam_buf_free(&raw);
	return rc;
}

enum tsam_err tsam_fsio_mkdirs(const char *path, mode_t mode,
			       struct tsam_errbuf *eb)
{
	char *copy = strdup(path);
	char *p;
	int rc = TSAM_OK;

	if (copy == NULL)
		return TSAM_ERR_NOMEM;
	for (p = copy + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(copy, mode) != 0 && errno != EEXIST) {
				rc = tsam_errbuf_set(eb, TSAM_ERR_IO,
						     "%s: cannot create: %s",
						     copy, strerror(errno));
				break;
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	free(copy);
	return rc;
}

enum tsam_err tsam_fsio_deflate(const void *in, size_t n, int level,
				struct tsam_buf *out, struct tsam_errbuf *eb)
{
	z_stream zs;
	uLong bound;
	int zr, rc;

	if (n > (1u << 30))
		return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
				       "deflate: %zu bytes is too much", n);
	memset(&zs, 0, sizeof(zs));
	if (deflateInit(&zs, level) != Z_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_ZLIB, "deflateInit failed");
	bound = deflateBound(&zs, (uLong)n);
	rc = tsam_buf_reserve(out, bound + 1);
	if (rc == TSAM_OK && out->cap - 1 - out->len < bound)
		rc = TSAM_ERR_TOOBIG;
	if (rc != TSAM_OK) {
		deflateEnd(&zs);
		return tsam_errbuf_set(eb, rc, "deflate: %s",
				       tsam_strerror(rc));
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out->data + out->len;
	zs.avail_out = (uInt)bound;
	zr = deflate(&zs, Z_FINISH);
	if (zr == Z_STREAM_END) {
		out->len += zs.total_out;
		out->data[out->len] = '\0';
	}
	deflateEnd(&zs);
	if (zr != Z_STREAM_END)
		return tsam_errbuf_set(eb, TSAM_ERR_ZLIB, "deflate failed (%d)",
				       zr);
	return TSAM_OK;
}

enum tsam_err tsam_fsio_inflate(const void *in, size_t n, struct tsam_buf *out,
				struct tsam_errbuf *eb)
{
	z_stream zs;
	size_t start = out->len;
	int zr;

	if (n > (1u << 30))
		return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
				       "inflate: %zu bytes is too much", n);
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	for (;;) {
		size_t room;

		if (out->len + 1 >= out->cap &&
		    tsam_buf_reserve(out, out->cap > 4096 ? out->cap : 4096) !=
			TSAM_OK) {
			inflateEnd(&zs);
			out->len = start;
			return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					       "out of memory");
		}
		room = out->cap - 1 - out->len;
		if (room == 0) { /* at the cap, and more to come */
			inflateEnd(&zs);
			out->len = start;
			out->data[out->len] = '\0';
			return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
					       "inflate: more than %zu bytes",
					       out->max);
		}
		if (room > (1u << 30))
			room = 1u << 30;
		zs.next_out = (Bytef *)out->data + out->len;
		zs.avail_out = (uInt)room;
		zr = inflate(&zs, Z_NO_FLUSH);
		out->len += room - zs.avail_out;
		out->data[out->len] = '\0';
		if (zr == Z_STREAM_END)
			break;
		if (zr != Z_OK) {
			int rc = tsam_errbuf_set(
			    eb, TSAM_ERR_ZLIB, "inflate: %s",
			    zr == Z_BUF_ERROR ? "truncated data"
					      : (zs.msg ? zs.msg : "bad data"));

			inflateEnd(&zs);
			out->len = start;
			out->data[out->len] = '\0';
			return rc;
		}
	}
	inflateEnd(&zs);
	return TSAM_OK;
}
