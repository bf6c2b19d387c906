/* recstore_spill.c: the record store's two big arrays, the arena of raw
 * values and the metadata, kept in files instead of anonymous memory
 * (`check --db`): shared mappings of two unlinked files in the directory of
 * the database, which the kernel writes back and drops under memory
 * pressure, so a national quarter loads on a machine that could not hold
 * it.  The files are made with O_TMPFILE (or unlinked at once), mode 0600,
 * beside a file that will hold the same records: nothing is left on disk
 * when the process ends, however it ends.  Blocks are allocated before a
 * chunk is mapped (posix_fallocate), so a full disk is an error message,
 * not a SIGBUS on a later write. */
/* Built with _GNU_SOURCE (CMakeLists.txt) for O_TMPFILE and mremap. */
#include "recstore_int.h"
#include "didq/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* An unlinked 0600 file in dir, or -1. */
static int unlinked_file(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
#endif
    char path[4096];
    if (snprintf(path, sizeof path, "%s/.didq-spill.XXXXXX", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int tmp = mkstemp(path);
    if (tmp >= 0) unlink(path);
    return tmp;
}

bool didq_recstore_spill(didq_recstore *rs, const char *dir, char *err, size_t errlen)
{
    rs->spill_fd = unlinked_file(dir);
    rs->meta_fd = rs->spill_fd >= 0 ? unlinked_file(dir) : -1;
    if (rs->meta_fd >= 0) {
        rs->spill_dir = didq_strdup(dir);
        return true;
    }
    snprintf(err, errlen, "%s: cannot make a file for the records: %s", dir, strerror(errno));
    if (rs->spill_fd >= 0) close(rs->spill_fd);
    rs->spill_fd = -1;
    return false;
}

/* A failure to grow or map a file: exit 73, as for any output. */
static _Noreturn void spill_failed(const didq_recstore *rs, const char *what, int err)
{
    didq_die_status(DIDQ_EXIT_CANTCREAT, "%s: cannot %s the file of the records: %s", rs->spill_dir,
                    what, strerror(err));
}

static void *map_or_die(const didq_recstore *rs, size_t len, int fd, off_t at)
{
    int rc = posix_fallocate(fd, at, (off_t)len);
    if (rc != 0) spill_failed(rs, "grow", rc);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, at);
    if (p == MAP_FAILED) spill_failed(rs, "map", errno);
    return p;
}

unsigned char *didq_spill_chunk(didq_recstore *rs, size_t k, size_t chunk)
{
    return map_or_die(rs, chunk, rs->spill_fd, (off_t)(k * chunk));
}

void didq_spill_meta(didq_recstore *rs, size_t cap)
{
    size_t old = rs->cap * sizeof *rs->meta, len = cap * sizeof *rs->meta;
    if (!rs->meta) {
        rs->meta = map_or_die(rs, len, rs->meta_fd, 0);
        return;
    }
    int rc = posix_fallocate(rs->meta_fd, (off_t)old, (off_t)(len - old));
    if (rc != 0) spill_failed(rs, "grow", rc);
    void *p = mremap(rs->meta, old, len, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) spill_failed(rs, "map", errno);
    rs->meta = p;
}

void didq_spill_free(didq_recstore *rs, size_t chunk)
{
    for (size_t i = 0; i < rs->nchunks; i++)
        munmap(rs->chunks[i], chunk);
    if (rs->meta) munmap(rs->meta, rs->cap * sizeof *rs->meta);
    rs->meta = NULL;
    rs->nchunks = 0;
    close(rs->spill_fd);
    close(rs->meta_fd);
    rs->spill_fd = rs->meta_fd = -1;
    free(rs->spill_dir);
    rs->spill_dir = NULL;
}
