/* afile.c: atomic, private file writes, and the rule that no output is an
 * input.  A regular output is written to an unnamed O_TMPFILE in the
 * target's folder and linked into place when complete, so that nothing
 * named exists while it is written; where the file system lacks O_TMPFILE,
 * or a writer needs a name (SQLite), the temporary file is named
 * `.NAME.didq-XXXXXX`, holds an flock(2) lock while in use, and any such file
 * no process holds is removed at the next write to that folder. */
/* Built with _GNU_SOURCE (CMakeLists.txt) for O_TMPFILE and linkat. */
#include "didq/afile.h"
#include "didq/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct didq_afile {
    FILE *fp;
    char *path;
    char *tmp;                         /* the named temporary file, or NULL for an O_TMPFILE */
    bool overwrite, is_stdout, direct; /* direct: a device or FIFO, written in place */
};

static const char TEMP_TAG[] = ".didq-"; /* .NAME.didq-XXXXXX */

bool didq_path_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* ---- registered temporary files, removed on a fatal signal ---- */

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
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal ignored at start stays ignored (nohup; SIGINT and
         * SIGQUIT of a shell's background job) */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

bool didq_path_is_device(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode));
}

/* ---- inputs: no output may be one ---- */

typedef struct input_id {
    dev_t dev;
    ino_t ino;
    bool known; /* dev and ino are set */
    char *real; /* the resolved path, or NULL */
    char *name; /* as given */
} input_id;

static input_id *inputs;
static int ninputs;

char *didq_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return didq_strdup(".");
    if (slash == path) return didq_strdup("/");
    char *d = didq_strdup(path);
    d[slash - path] = 0;
    return d;
}

/* The path with symbolic links, "." and ".." resolved; for a name that
 * does not exist yet, its folder's resolved path and the name.  NULL if
 * the folder cannot be resolved either. */
static char *resolved(const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf)) return didq_strdup(buf);
    char *dir = didq_dir_of(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *r = NULL;
    if (*base && strcmp(base, ".") != 0 && strcmp(base, "..") != 0 && realpath(dir, buf)) {
        didq_buf b = {0};
        didq_buf_printf(&b, "%s%s%s", buf, strcmp(buf, "/") == 0 ? "" : "/", base);
        r = b.p;
    }
    free(dir);
    return r;
}

static input_id *new_input(const char *name)
{
    inputs = didq_xrealloc(inputs, (size_t)(ninputs + 1) * sizeof *inputs);
    input_id *in = &inputs[ninputs++];
    memset(in, 0, sizeof *in);
    in->name = didq_strdup(name);
    return in;
}

void didq_input_note(const char *path)
{
    if (strcmp(path, "-") == 0) {
        didq_input_note_fd(STDIN_FILENO, "(stdin)");
        return;
    }
    input_id *in = new_input(path);
    struct stat sb;
    if (stat(path, &sb) == 0) {
        in->dev = sb.st_dev;
        in->ino = sb.st_ino;
        in->known = true;
    }
    in->real = resolved(path);
}

void didq_input_note_fd(int fd, const char *name)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0) return;
    input_id *in = new_input(name);
    in->dev = sb.st_dev;
    in->ino = sb.st_ino;
    in->known = true;
}

void didq_inputs_forget(void)
{
    for (int i = 0; i < ninputs; i++) {
        free(inputs[i].real);
        free(inputs[i].name);
    }
    free(inputs);
    inputs = NULL;
    ninputs = 0;
}

/* The input that path would replace, or NULL. */
static const input_id *clashing_input(const char *path)
{
    if (ninputs == 0 || strcmp(path, "-") == 0) return NULL;
    struct stat sb, lsb;
    bool have = stat(path, &sb) == 0, lhave = lstat(path, &lsb) == 0;
    char *real = resolved(path);
    const input_id *hit = NULL;
    for (int i = 0; i < ninputs && !hit; i++) {
        const input_id *in = &inputs[i];
        if (in->known && have && in->dev == sb.st_dev && in->ino == sb.st_ino) hit = in;
        if (in->known && lhave && in->dev == lsb.st_dev && in->ino == lsb.st_ino) hit = in;
        if (in->real && real && strcmp(in->real, real) == 0) hit = in;
    }
    free(real);
    return hit;
}

bool didq_output_is_input(const char *path, char *err, size_t errlen)
{
    const input_id *in = clashing_input(path);
    if (!in) return false;
    if (strcmp(in->name, path) == 0)
        snprintf(err, errlen, "%s: is an input file; an output never replaces an input", path);
    else
        snprintf(err, errlen, "%s: is the input file %s; an output never replaces an input", path,
                 in->name);
    return true;
}

/* ---- stale temporary files ---- */

/* True for a name `.NAME.didq-XXXXXX`. */
static bool is_temp_name(const char *name)
{
    size_t n = strlen(name), tag = sizeof TEMP_TAG - 1;
    if (name[0] != '.' || n < 1 + 1 + tag + 6) return false;
    if (memcmp(name + n - 6 - tag, TEMP_TAG, tag) != 0) return false;
    for (size_t i = n - 6; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
              (name[i] >= '0' && name[i] <= '9')))
            return false;
    return true;
}

/* Removes the didq temporary files in dir that this user owns and that no
 * process holds (a writer keeps an flock on its file until it is placed):
 * the leftovers of a didq killed by SIGKILL or the OOM killer. */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_temp_name(e->d_name)) continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) continue;
        struct stat sb;
        if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() &&
            flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dirfd(d), e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

/* ---- temporary files ---- */

static void random_tail(char *six)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned long counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 20) ^
                           (++counter * 0x9E3779B97F4A7C15ULL);
    for (int i = 0; i < 6; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        six[i] = set[(x >> 33) % (sizeof set - 1)];
    }
}

/* `.NAME.didq-XXXXXX` beside path, the X's random. */
static char *temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    didq_buf b = {0};
    didq_buf_add(&b, path, dir);
    didq_buf_printf(&b, ".%s%sXXXXXX", path + dir, TEMP_TAG);
    random_tail(b.p + b.n - 6);
    return b.p;
}

/* Gives fd (an O_TMPFILE) the name path; fails with EEXIST if it exists. */
static int link_fd(int fd, const char *path)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0) return 0;
    if (errno == EEXIST) return -1;
    return linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH);
}

/* An unnamed 0600 file in path's folder, locked, or -1 (errno set; EOPNOTSUPP
 * when the file system has no O_TMPFILE or /proc is missing to link it). */
static int unnamed_file(const char *path)
{
#ifdef O_TMPFILE
    if (access("/proc/self/fd", X_OK) != 0) return errno = EOPNOTSUPP, -1;
    char *dir = didq_dir_of(path);
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    int e = errno;
    free(dir);
    if (fd < 0 && (e == EISDIR || e == EINVAL)) e = EOPNOTSUPP;
    if (fd < 0) return errno = e, -1;
    fchmod(fd, 0600);
    flock(fd, LOCK_EX);
    return fd;
#else
    (void)path;
    return errno = EOPNOTSUPP, -1;
#endif
}

/* A fresh named temporary file beside path, 0600 and locked; *name is
 * set (registered for removal on a signal).  fd is an unnamed file to
 * name, or -1 to create one. */
static int named_file(const char *path, int fd, char **name)
{
    for (int tries = 0; tries < 100; tries++) {
        char *n = temp_name(path);
        int rc;
        if (fd >= 0) {
            rc = link_fd(fd, n) == 0 ? fd : -1;
        } else {
            mode_t old = umask(077);
            rc = open(n, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            umask(old);
            if (rc >= 0) flock(rc, LOCK_EX);
        }
        if (rc >= 0) {
            *name = n;
            didq_temp_register(n);
            return rc;
        }
        free(n);
        if (errno != EEXIST) return -1;
    }
    return -1;
}

int didq_temp_beside(const char *path, char **name, char *err, size_t errlen)
{
    char *dir = didq_dir_of(path);
    remove_stale(dir);
    free(dir);
    int ufd = unnamed_file(path); /* locked before it has a name */
    int fd = named_file(path, ufd, name);
    if (fd < 0 && ufd >= 0) close(ufd);
    if (fd < 0) snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return fd;
}

void didq_temp_done(char *name, int fd)
{
    if (name) {
        unlink(name);
        didq_temp_unregister(name);
        free(name);
    }
    if (fd >= 0) close(fd);
}

int didq_temp_place(const char *name, const char *path, bool overwrite)
{
    if (overwrite) return rename(name, path);
    return link(name, path); /* fails if path exists: no overwrite, even in a race */
}

/* ---- outputs ---- */

int didq_output_check(const char *path, unsigned flags, char *err, size_t errlen)
{
    if (!path || strcmp(path, "-") == 0) return 0;
    if (didq_output_is_input(path, err, errlen)) return -1;
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    bool special = exists && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode) || S_ISBLK(sb.st_mode) ||
                              S_ISSOCK(sb.st_mode));
    if (special && (flags & DIDQ_AFILE_REGULAR)) {
        snprintf(err, errlen, "%s: is %s; %s", path,
                 S_ISFIFO(sb.st_mode)   ? "a FIFO"
                 : S_ISSOCK(sb.st_mode) ? "a socket"
                                        : "a device",
                 (flags & DIDQ_AFILE_SESSION) ? "a session is saved to a regular file"
                                              : "exports go to regular files only");
        return -1;
    }
    if (special) return 0;
    if (exists && S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "%s: is a folder", path);
        return -1;
    }
    if (!(flags & DIDQ_AFILE_OVERWRITE) && didq_path_exists(path)) {
        snprintf(err, errlen, "%s: exists (use --force to overwrite)", path);
        return -1;
    }
    const char *slash = strrchr(path, '/');
    didq_buf d = {0};
    if (slash)
        didq_buf_add(&d, path, (size_t)(slash - path) + 1); /* "dir/" */
    else
        didq_buf_puts(&d, ".");
    char *dir = d.p;
    int rc = 0;
    if (stat(dir, &sb) != 0) {
        snprintf(err, errlen, "%s: cannot create: folder %s: %s", path, dir, strerror(errno));
        rc = -1;
    } else if (!S_ISDIR(sb.st_mode) || access(dir, W_OK | X_OK) != 0) {
        snprintf(err, errlen, "%s: cannot create: %s is not a writable folder", path, dir);
        rc = -1;
    }
    free(dir);
    return rc;
}

/* A device or FIFO, written in place.  A FIFO that no program reads is an
 * error at once: open() would wait for a reader for ever. */
static bool open_direct(didq_afile *af, const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENXIO)
            snprintf(err, errlen, "%s: a FIFO that no program is reading; start the reader first",
                     path);
        else
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!(af->fp = fdopen(fd, "w"))) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return false;
    }
    af->direct = true;
    af->path = didq_strdup(path);
    return true;
}

didq_afile *didq_afile_open(const char *path, unsigned flags, char *err, size_t errlen)
{
    didq_afile *af = didq_xcalloc(1, sizeof *af);
    if (strcmp(path, "-") == 0) {
        af->fp = stdout;
        af->is_stdout = true;
        return af;
    }
    if (didq_output_check(path, flags, err, errlen) != 0) {
        free(af);
        return NULL;
    }
    if (didq_path_is_device(path)) {
        if (open_direct(af, path, err, errlen)) return af;
        free(af);
        return NULL;
    }
    af->path = didq_strdup(path);
    af->overwrite = flags & DIDQ_AFILE_OVERWRITE;
    char *dir = didq_dir_of(path);
    remove_stale(dir);
    free(dir);
    int fd = unnamed_file(path);
    if (fd < 0 && errno == EOPNOTSUPP) fd = named_file(path, -1, &af->tmp);
    if (fd < 0 || !(af->fp = fdopen(fd, "w"))) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        didq_temp_done(af->tmp, fd);
        free(af->path);
        free(af);
        return NULL;
    }
    return af;
}

FILE *didq_afile_fp(didq_afile *af)
{
    return af->fp;
}

static void afile_free(didq_afile *af)
{
    free(af->path);
    free(af);
}

/* Gives the complete file its name.  Without overwrite a link, which fails
 * if the target exists (no overwrite, even in a race); with it, a rename
 * (of a named temporary file, for an O_TMPFILE), which replaces a symbolic
 * link at the target rather than writing through it. */
static int place(didq_afile *af)
{
    int fd = fileno(af->fp);
    if (!af->tmp && !af->overwrite) return link_fd(fd, af->path);
    if (!af->tmp && named_file(af->path, fd, &af->tmp) < 0) return -1;
    return didq_temp_place(af->tmp, af->path, af->overwrite);
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
    if (bad || place(af) != 0) {
        bad = 1;
        snprintf(err, errlen, "%s: %s", af->path,
                 errno == EEXIST ? "exists (use --force to overwrite)" : strerror(errno));
    }
    /* the lock is held until the file has its name */
    didq_temp_done(af->tmp, -1);
    fclose(af->fp);
    afile_free(af);
    return bad ? -1 : 0;
}

void didq_afile_abort(didq_afile *af)
{
    if (!af) return;
    if (af->is_stdout) {
        free(af);
        return;
    }
    didq_temp_done(af->tmp, -1);
    fclose(af->fp);
    afile_free(af);
}
