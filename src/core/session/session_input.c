/* session_input.c: opening an input file for a load, with messages worded
 * for a person, noticing a file another program changes while it is read,
 * and the files mapped so that their values are read back from them. */
#include "session_int.h"
#include "recstore.h"
#include "didq/mapped.h"
#include "didq/text.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The message for a path that cannot be opened, worded for a person:
 * ENOTDIR names the part of the path that is a file, not a folder. */
static void open_error(const char *path, int e, char *err, size_t errlen)
{
    if (e == ENOTDIR) {
        char *part = didq_strdup(path);
        struct stat sb;
        for (char *slash = part; (slash = strchr(slash + 1, '/')) != NULL;) {
            *slash = 0;
            if (stat(part, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
                const char *rest = path + (slash - part);
                bool trailing = strspn(rest, "/") == strlen(rest);
                snprintf(err, errlen, "%s: %s is a file, not a folder%s", path, part,
                         trailing ? " (remove the '/' at the end)" : "");
                free(part);
                return;
            }
            *slash = '/';
        }
        free(part);
    }
    if (e == ENOENT)
        snprintf(err, errlen, "%s: No such file or directory", path);
    else
        snprintf(err, errlen, "%s: cannot be opened: %s", path, strerror(e));
}

/* Opens a path for reading; refuses directories and terminals with a
 * clear message.  *sb is the file's status at the start. */
int didq_session_open_input(const char *path, struct stat *sb, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        if (fstat(STDIN_FILENO, sb) != 0) memset(sb, 0, sizeof *sb);
        return STDIN_FILENO;
    }
    /* O_NONBLOCK: a FIFO without a writer yet would block open() itself,
     * where no key or signal is seen; reads then poll (didq_src_read).
     * O_NOCTTY: a terminal named here must not become ours. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (fd < 0 || fstat(fd, sb) != 0) {
        open_error(path, errno, err, errlen);
        if (fd >= 0) close(fd);
        return -1;
    }
    if (S_ISDIR(sb->st_mode)) {
        snprintf(err, errlen, "%s: is a directory", path);
        close(fd);
        return -1;
    }
    /* Reading a terminal would eat the keys that cancel the load (q,
     * Ctrl-C), and there is no file to check in it. */
    if (isatty(fd)) {
        snprintf(err, errlen,
                 "%s: is a terminal, not a file; save the data to a file and name that", path);
        close(fd);
        return -1;
    }
    return fd;
}

/* How a file's status now differs from was, or CHANGE_NONE.  A rewrite of
 * the same size shows in the modification time; one whose modification
 * time was then set back (touch -d) in the change time, which no program
 * can set back, as long as the file kept its links (a file renamed over or
 * removed is not written through: its change time moves with its link
 * count). */
enum change { CHANGE_NONE, CHANGE_SIZE, CHANGE_MODIFIED, CHANGE_STATUS };

static enum change stat_change(const struct stat *was, const struct stat *now)
{
    if (now->st_size != was->st_size) return CHANGE_SIZE;
    if (now->st_mtim.tv_sec != was->st_mtim.tv_sec || now->st_mtim.tv_nsec != was->st_mtim.tv_nsec)
        return CHANGE_MODIFIED;
    if (now->st_nlink == was->st_nlink && (now->st_ctim.tv_sec != was->st_ctim.tv_sec ||
                                           now->st_ctim.tv_nsec != was->st_ctim.tv_nsec))
        return CHANGE_STATUS;
    return CHANGE_NONE;
}

/* A regular file truncated, extended or rewritten by another program while
 * it was read gives an incomplete or mixed picture: that is an input
 * error (stat_change). */
bool didq_session_input_changed(int fd, const struct stat *was, const char *path, char *err,
                                size_t errlen)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) return false;
    switch (stat_change(was, &sb)) {
    case CHANGE_SIZE:
        snprintf(err, errlen,
                 "%s: the file changed size while it was read (%llu bytes at the start, %llu "
                 "now); another program is writing it, so the results would be incomplete",
                 path, (unsigned long long)was->st_size, (unsigned long long)sb.st_size);
        return true;
    case CHANGE_MODIFIED:
        snprintf(err, errlen,
                 "%s: the file was modified while it was read (same size, new modification "
                 "time); another program is writing it, so the results would be mixed",
                 path);
        return true;
    case CHANGE_STATUS:
        snprintf(err, errlen,
                 "%s: the file's status changed while it was read (same size and modification "
                 "time, new change time: a rewrite with its time set back, a rename, or new "
                 "permissions or owner), so the results could be mixed; check it again",
                 path);
        return true;
    case CHANGE_NONE:
        break;
    }
    return false;
}

/* ---- files whose values are read back from them (values_in_file) ---- */

void didq_session_map_input(didq_session *s, int fd, const struct stat *sb, const char *path)
{
    s->map = NULL;
    s->map_n = 0;
    /* not standard input: a regular file there may be read from further on
     * than its first byte, where the records' offsets count from */
    if (!s->opts.values_in_file || s->opts.spill_dir || fd == STDIN_FILENO ||
        !S_ISREG(sb->st_mode) || sb->st_size <= 0 || (uint64_t)sb->st_size > SIZE_MAX)
        return;
    void *p = mmap(NULL, (size_t)sb->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return; /* the values are copied, as for any other input */
    s->map = p;
    s->map_n = (uint64_t)sb->st_size;
    s->map_sb = *sb;
    didq_buf m = {0};
    didq_buf_printf(&m, "didq: ");
    didq_text_escape(&m, path, strlen(path));
    didq_buf_printf(&m, ": the file was cut short by another program while it was read; no "
                        "results\n");
    bool noted = didq_mapped_note(p, (size_t)sb->st_size, m.p);
    didq_buf_free(&m);
    if (!noted) { /* past DIDQ_MAPPED_MAX files at once: this one is copied */
        munmap(p, (size_t)sb->st_size);
        s->map = NULL;
        s->map_n = 0;
    }
}

void didq_session_map_drop(didq_session *s)
{
    didq_mapped_forget(s->map);
    if (s->map) munmap((void *)s->map, (size_t)s->map_n);
    s->map = NULL;
    s->map_n = 0;
}

void didq_session_map_give(didq_session *s, uint32_t file, bool csv, int fd, const char *path)
{
    int keep = s->map && csv ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (keep < 0) {
        didq_session_map_drop(s);
        return;
    }
    didq_recstore_file_bytes(didq_store_recstore(s->store), (int)file, s->map, s->map_n, true);
    s->map = NULL;
    s->mapped = didq_xrealloc(s->mapped, (size_t)(s->nmapped + 1) * sizeof *s->mapped);
    s->mapped[s->nmapped++] = (struct mapped){keep, s->map_sb, didq_strdup(path)};
}

bool didq_session_inputs_changed(const didq_session *s, char *err, size_t errlen)
{
    if (s->changed) {
        snprintf(err, errlen, "%s", s->changed);
        return true;
    }
    for (int i = 0; i < s->nmapped; i++)
        if (didq_session_input_changed(s->mapped[i].fd, &s->mapped[i].sb, s->mapped[i].path, err,
                                       errlen))
            return true;
    return false;
}

/* The file loaded as l, as it is now against its start: another file
 * under the name, another size, modification or change time
 * (stat_change), or gone. */
static bool loaded_changed(const struct loaded *l, char *err, size_t errlen)
{
    struct stat now;
    const struct stat *was = &l->sb;
    if (!S_ISREG(was->st_mode) || strcmp(l->path, "-") == 0) return false;
    if (stat(l->path, &now) != 0) {
        snprintf(err, errlen, "%s: cannot be read again: %s", l->path, strerror(errno));
        return true;
    }
    static const char *const said[] = {[CHANGE_NONE] = NULL,
                                       [CHANGE_SIZE] = "its size changed",
                                       [CHANGE_MODIFIED] = "it was modified",
                                       [CHANGE_STATUS] = "its status changed"};
    const char *how = now.st_dev != was->st_dev || now.st_ino != was->st_ino
                          ? "another file has its name now"
                          : said[stat_change(was, &now)];
    if (how) snprintf(err, errlen, "%s: changed since it was loaded (%s)", l->path, how);
    return how != NULL;
}

bool didq_session_inputs_since(const didq_session *s, char *err, size_t errlen)
{
    for (int i = 0; i < s->nloaded; i++)
        if (loaded_changed(&s->loaded[i], err, errlen)) return true;
    return false;
}

/* ---- the values made the session's own (the explorer) ---- */

struct taker {
    pthread_t th;
    didq_session *s;
    atomic_bool done;
    bool ok;       /* every file's bytes taken (read once done) */
    char *changed; /* the files' comparison right after: why they changed, or NULL */
};

/* The bytes taken, then the files compared with their start at once: the
 * values taken were read from them since.  Only reads the session. */
static void *take_main(void *p)
{
    struct taker *k = p;
    k->ok = didq_recstore_adopt_file_bytes(didq_store_recstore(k->s->store));
    char err[1024];
    if (k->ok && didq_session_inputs_changed(k->s, err, sizeof err)) k->changed = didq_strdup(err);
    atomic_store_explicit(&k->done, true, memory_order_release);
    return NULL;
}

void didq_session_take_values(didq_session *s)
{
    if (!s->nmapped || s->taker || !s->store) return;
    struct taker *k = didq_xcalloc(1, sizeof *k);
    k->s = s;
    int e = pthread_create(&k->th, NULL, take_main, k);
    if (e) didq_thread_failed("a thread to copy the values", e);
    s->taker = k;
}

void didq_session_unwatch(didq_session *s)
{
    for (int i = 0; i < s->nmapped; i++) {
        close(s->mapped[i].fd);
        free(s->mapped[i].path);
    }
    free(s->mapped);
    s->mapped = NULL;
    s->nmapped = 0;
}

bool didq_session_reads_files(const didq_session *s)
{
    return s->nmapped > 0;
}

const unsigned char *didq_session_file_bytes(const didq_session *s, uint32_t file, uint64_t *n)
{
    return s->store ? didq_recstore_file_view(didq_store_recstore(s->store), file, n) : NULL;
}

bool didq_session_values_taken(didq_session *s, bool wait)
{
    struct taker *k = s->taker;
    if (!k) return !s->nmapped;
    if (!wait && !atomic_load_explicit(&k->done, memory_order_acquire)) return false;
    pthread_join(k->th, NULL);
    s->taker = NULL;
    if (k->ok) { /* the verdict of the files' last comparison stays */
        s->changed = k->changed;
        didq_session_unwatch(s);
    } /* else some bytes are still the files': watched */
    free(k);
    return true;
}
