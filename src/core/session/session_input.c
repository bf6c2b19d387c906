/* session_input.c: opening an input file for a load, with messages worded
 * for a person, and noticing a file another program changes while it is
 * read. */
#include "session_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A regular file truncated, extended or rewritten by another program while
 * it was read gives an incomplete or mixed picture: that is an input
 * error.  A rewrite of the same size shows in the modification time. */
bool didq_session_input_changed(int fd, const struct stat *was, const char *path, char *err,
                                size_t errlen)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) return false;
    if (sb.st_size != was->st_size) {
        snprintf(err, errlen,
                 "%s: the file changed size while it was read (%llu bytes at the start, %llu "
                 "now); another program is writing it, so the results would be incomplete",
                 path, (unsigned long long)was->st_size, (unsigned long long)sb.st_size);
        return true;
    }
    if (sb.st_mtim.tv_sec != was->st_mtim.tv_sec || sb.st_mtim.tv_nsec != was->st_mtim.tv_nsec) {
        snprintf(err, errlen,
                 "%s: the file was modified while it was read (same size, new modification "
                 "time); another program is writing it, so the results would be mixed",
                 path);
        return true;
    }
    return false;
}
