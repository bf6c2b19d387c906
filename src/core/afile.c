/* afile.c: atomic, private file writes. */
#include "didq/afile.h"
#include "didq/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct didq_afile {
    FILE *fp;
    char *path, *tmp;
    bool overwrite, is_stdout, direct; /* direct: a device or FIFO, written in place */
};

bool didq_path_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static const char *volatile temps[DIDQ_TEMP_MAX];

void didq_temp_register(const char *path)
{
    for (int i = 0; i < DIDQ_TEMP_MAX; i++)
        if (!temps[i]) {
            temps[i] = path;
            return;
        }
}

void didq_temp_unregister(const char *path)
{
    for (int i = 0; i < DIDQ_TEMP_MAX; i++)
        if (temps[i] == path) temps[i] = NULL;
}

void didq_temp_unlink_all(void)
{
    for (int i = 0; i < DIDQ_TEMP_MAX; i++)
        if (temps[i]) unlink(temps[i]);
}

static void on_fatal_signal(int sig)
{
    didq_temp_unlink_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

void didq_temp_cleanup_on_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

bool didq_path_is_device(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode));
}

static char *temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    didq_buf b = {0};
    didq_buf_add(&b, path, dir);
    didq_buf_printf(&b, ".%s.XXXXXX", path + dir);
    return b.p;
}

didq_afile *didq_afile_open(const char *path, bool overwrite, char *err, size_t errlen)
{
    didq_afile *af = didq_xcalloc(1, sizeof *af);
    if (strcmp(path, "-") == 0) {
        af->fp = stdout;
        af->is_stdout = true;
        return af;
    }
    struct stat sb;
    if (!overwrite && !didq_path_is_device(path) && didq_path_exists(path)) {
        snprintf(err, errlen, "%s: exists (use --force to overwrite)", path);
        free(af);
        return NULL;
    }
    if (stat(path, &sb) == 0 && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode))) {
        /* never rename over a device such as /dev/null: write to it */
        if (!(af->fp = fopen(path, "w"))) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            free(af);
            return NULL;
        }
        af->direct = true;
        af->path = didq_strdup(path);
        return af;
    }
    af->path = didq_strdup(path);
    af->tmp = temp_name(path);
    af->overwrite = overwrite;
    mode_t old = umask(077);
    int fd = mkstemp(af->tmp);
    umask(old);
    if (fd < 0 || !(af->fp = fdopen(fd, "w"))) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        free(af->path);
        free(af->tmp);
        free(af);
        return NULL;
    }
    didq_temp_register(af->tmp);
    return af;
}

FILE *didq_afile_fp(didq_afile *af)
{
    return af->fp;
}

static void afile_free(didq_afile *af)
{
    didq_temp_unregister(af->tmp);
    free(af->path);
    free(af->tmp);
    free(af);
}

/* link() fails if the target exists: no overwrite, even in a race. */
static int place(didq_afile *af)
{
    if (af->overwrite) return rename(af->tmp, af->path);
    if (link(af->tmp, af->path) != 0) return -1;
    unlink(af->tmp);
    return 0;
}

int didq_afile_commit(didq_afile *af, char *err, size_t errlen)
{
    if (af->direct) {
        int bad = fclose(af->fp) != 0;
        if (bad) snprintf(err, errlen, "%s: %s", af->path, strerror(errno));
        afile_free(af);
        return bad ? -1 : 0;
    }
    if (af->is_stdout) {
        int bad = fflush(stdout) != 0;
        free(af);
        if (bad) snprintf(err, errlen, "standard output: %s", strerror(errno));
        return bad ? -1 : 0;
    }
    int bad = fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) != 0;
    bad |= fclose(af->fp) != 0;
    if (bad || place(af) != 0) {
        snprintf(err, errlen, "%s: %s", af->path, strerror(errno));
        unlink(af->tmp);
        afile_free(af);
        return -1;
    }
    afile_free(af);
    return 0;
}

void didq_afile_abort(didq_afile *af)
{
    if (!af) return;
    if (af->direct) {
        fclose(af->fp);
        afile_free(af);
    } else if (!af->is_stdout) {
        fclose(af->fp);
        unlink(af->tmp);
        afile_free(af);
    } else {
        free(af);
    }
}
