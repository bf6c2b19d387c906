/* test_recline.c: records read back from their file (recstore_line.c,
 * session.h values_in_file).  The line splitter against a byte-by-byte
 * reference; a synthetic month with a byte order mark, a header, quoted
 * values, CRLF and bare CR line ends, short rows and a last line without
 * its line end, loaded with and without values_in_file (serially and on
 * two threads), gives the same values, cleansed values, widths, raw
 * spans, byte offsets and lines for every record, and keeps the plain
 * lines alone in the file (its look-up by site, made on demand, gives the
 * same records); a file changed after its load is noticed, also when
 * rewritten with its modification time set back; a file cut short raises
 * SIGBUS, which the guard turns into exit 66 and a message naming it; past
 * DIDQ_MAPPED_MAX files the later ones are copied.  The explorer's taking
 * of the values (didq_mapped_adopt, didq_session_take_values): the bytes
 * of a mapping of several chunks and a part page stay the same for threads
 * reading them throughout, and stay after the file is cut short; a
 * session's values taken while they are read are the copied load's, the
 * file then cut short without effect; a file changed before the last
 * comparison is said, and stays said. */
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/mapped.h"
#include "didq/session.h"
#include "didq/reader.h"
#include "didq/synth.h"
#include "didq/util.h"
#include "recstore_int.h"
#include "testlib.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the splitter ---- */

static int ref_split(const unsigned char *p, uint32_t n, int want, const char **v, uint32_t *len,
                     uint32_t *end)
{
    int k = 0;
    uint32_t a = 0;
    for (uint32_t i = 0; i <= n && k < want; i++)
        if (i == n || p[i] == ',') {
            v[k] = i > a ? (const char *)p + a : NULL;
            len[k++] = i - a;
            *end = i;
            a = i + 1;
        }
    if (!k) *end = 0;
    return k;
}

static void test_split(void)
{
    unsigned char line[300];
    unsigned seed = 7;
    int bad = 0;
    for (int t = 0; t < 20000 && !bad; t++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t n = (seed >> 8) % 260;
        for (uint32_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            line[i] = (seed >> 16) % 5 == 0 ? ',' : (unsigned char)('a' + (seed >> 20) % 26);
        }
        int want = 1 + (int)((seed >> 4) % 30);
        const char *v1[32], *v2[32];
        uint32_t l1[32], l2[32], e1 = 99, e2 = 98;
        int k1 = didq_recline_split(line, n, want, v1, l1, &e1);
        int k2 = ref_split(line, n, want, v2, l2, &e2);
        bad = k1 != k2 || e1 != e2;
        for (int k = 0; k < k1 && !bad; k++)
            bad = v1[k] != v2[k] || l1[k] != l2[k];
        CHECK(!bad, "line %d (%u bytes, %d wanted): %d values ending at %u, want %d at %u", t, n,
              want, k1, e1, k2, e2);
    }
}

/* ---- a month loaded both ways ---- */

/* The synthetic month made awkward: a BOM and a header, then per record
 * i: a quoted value (i % 7 == 3), a CRLF (i % 5 == 1) or a bare CR
 * (i % 13 == 4) line end; the last line has none. */
static char *awkward_month(size_t *len)
{
    didq_synth_opts o = didq_synth_defaults();
    o.rows = 3000;
    o.year = 2026;
    o.month = 10;
    o.defect_rate = 0.1;
    o.defect_columns = 1;
    size_t n;
    char *src = didq_synth_mem(&o, &n);
    didq_buf b = {0};
    didq_buf_add(&b, "\xEF\xBB\xBF", 3);
    const didq_dataset *ds = didq_dataset_v1();
    for (int i = 0; i < ds->nitems; i++)
        didq_buf_printf(&b, "%s%s", i ? "," : "", ds->items[i].field);
    didq_buf_add(&b, "\n", 1);
    int i = 0;
    for (char *p = src, *e; p < src + n; p = e + 1, i++) {
        e = memchr(p, '\n', (size_t)(src + n - p));
        if (!e) e = src + n;
        char *comma = memchr(p, ',', (size_t)(e - p));
        if (i % 7 == 3 && comma) { /* the first value quoted */
            didq_buf_add(&b, "\"", 1);
            didq_buf_add(&b, p, (size_t)(comma - p));
            didq_buf_add(&b, "\"", 1);
            didq_buf_add(&b, comma, (size_t)(e - comma));
        } else {
            didq_buf_add(&b, p, (size_t)(e - p));
        }
        if (e + 1 < src + n)
            didq_buf_add(&b, i % 5 == 1 ? "\r\n" : i % 13 == 4 ? "\r" : "\n", i % 5 == 1 ? 2 : 1);
    }
    free(src);
    *len = b.n;
    return b.p;
}

static didq_session *load(const char *path, bool in_file, int threads)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20),
                            .threads = threads,
                            .values_in_file = in_file,
                            .sites_on_demand = in_file};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    CHECK(s != NULL, "session: %s", err);
    int st = didq_session_load(s, path, NULL, NULL, err, sizeof err);
    CHECK(st == DIDQ_READ_OK, "load %s: %d %s", path, st, err);
    didq_session_finish(s);
    return s;
}

static bool same_value(const char *a, uint32_t la, const char *b, uint32_t lb)
{
    return !a == !b && la == lb && (!a || memcmp(a, b, la) == 0);
}

static void compare_records(const didq_recstore *a, const didq_recstore *b, const char *what)
{
    uint32_t n = didq_recstore_count(a), kept = 0, bad = 0;
    int ni = didq_recstore_nitems(a);
    CHECK(n == didq_recstore_count(b) && n > 2900, "%s: %u records against %u", what, n,
          didq_recstore_count(b));
    for (uint32_t id = 1; id <= n && id <= didq_recstore_count(b) && bad < 5; id++) {
        const char *va[DIDQ_MAX_ITEMS], *vb[DIDQ_MAX_ITEMS];
        uint32_t la[DIDQ_MAX_ITEMS], lb[DIDQ_MAX_ITEMS];
        didq_recstore_fields(a, id, ni, va, la);
        didq_recstore_fields(b, id, ni, vb, lb);
        kept += didq_recstore_in_file(a, id);
        CHECK(didq_recstore_offset(a, id) == didq_recstore_offset(b, id) &&
                  didq_recstore_meta(a, id)->line == didq_recstore_meta(b, id)->line,
              "%s: record %u: offset %llu line %u, copied %llu line %u", what, id,
              (unsigned long long)didq_recstore_offset(a, id), didq_recstore_meta(a, id)->line,
              (unsigned long long)didq_recstore_offset(b, id), didq_recstore_meta(b, id)->line);
        for (int k = 0; k <= ni; k++) { /* k == ni: the extra columns */
            uint32_t l1, l2;
            const char *x = didq_recstore_field(a, id, k, &l1),
                       *y = didq_recstore_field(b, id, k, &l2);
            bool ok =
                same_value(x, l1, y, l2) && (k == ni || same_value(va[k], la[k], vb[k], lb[k]));
            x = didq_recstore_clean(a, id, k, &l1);
            y = didq_recstore_clean(b, id, k, &l2);
            ok = ok && same_value(x, l1, y, l2) &&
                 didq_recstore_blank(a, id, k) == didq_recstore_blank(b, id, k);
            bad += !ok;
            CHECK(ok, "%s: record %u item %d differs", what, id, k);
        }
        static const int two[2] = {DIDQ_ACCESSION, DIDQ_SITE};
        const unsigned char *ra, *rb;
        uint32_t sa, sb;
        didq_recstore_two_raw(a, id, ni, two, va, la, &ra, &sa);
        didq_recstore_two_raw(b, id, ni, two, vb, lb, &rb, &sb);
        bool ok = same_value(va[0], la[0], vb[0], lb[0]) && same_value(va[1], la[1], vb[1], lb[1]);
        const char *fv[DIDQ_MAX_ITEMS];
        uint32_t fl[DIDQ_MAX_ITEMS];
        const unsigned char *fr;
        uint32_t fs;
        didq_recstore_fields_raw(a, id, ni, fv, fl, &fr, &fs);
        ok = ok && fr == ra && fs == sa;
        if (didq_recstore_in_file(a, id)) { /* the span: the whole line */
            uint32_t ln;
            didq_recline_of(a, didq_recstore_meta(a, id), &ln);
            ok = ok && sa == ln && !memchr(ra, '\n', sa) && !memchr(ra, '\r', sa);
        }
        bad += !ok;
        CHECK(ok, "%s: record %u: the two values or the raw span differ", what, id);
    }
    for (int k = 0; k < ni; k++)
        CHECK(didq_recstore_widest(a, k) == didq_recstore_widest(b, k), "%s: widest of item %d",
              what, k);
    /* the look-up by site, made on demand in a (values_in_file) */
    for (uint32_t id = 1; id <= n && id < 200; id += 37) {
        uint32_t l;
        const char *site = didq_recstore_clean(b, id, DIDQ_SITE, &l);
        uint64_t na, nb;
        const uint32_t *ia = didq_recstore_lookup(a, site, l, &na);
        const uint32_t *ib = didq_recstore_lookup(b, site, l, &nb);
        CHECK(na == nb && nb > 0 && memcmp(ia, ib, nb * sizeof *ia) == 0,
              "%s: the look-up of site %.*s: %llu ids, want %llu", what, (int)l, site,
              (unsigned long long)na, (unsigned long long)nb);
    }
    CHECK(kept > n / 2 && kept < n, "%s: %u of %u records kept in the file", what, kept, n);
}

static void test_month(const char *path)
{
    didq_session *copied = load(path, false, 1);
    const didq_recstore *c = didq_session_recstore(copied);
    for (uint32_t id = 1; id <= didq_recstore_count(c); id++)
        CHECK(!didq_recstore_in_file(c, id), "record %u in the file without values_in_file", id);
    for (int threads = 1; threads <= 2; threads++) {
        didq_session *s = load(path, true, threads);
        char what[32];
        snprintf(what, sizeof what, "threads %d", threads);
        compare_records(didq_session_recstore(s), c, what);
        char err[600] = "";
        CHECK(!didq_session_inputs_changed(s, err, sizeof err), "unchanged file: %s", err);
        didq_session_free(s);
    }
    didq_session_free(copied);
}

/* A file another program appends to (or rewrites) after its load. */
static void test_changed(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    didq_session *s = load(path, true, 2);
    char err[600] = "";
    CHECK(!didq_session_inputs_changed(s, err, sizeof err), "before: %s", err);
    f = fopen(path, "ab");
    fputs("\n", f);
    fclose(f);
    CHECK(didq_session_inputs_changed(s, err, sizeof err), "an appended line not noticed");
    CHECK(strstr(err, path) && strstr(err, "changed size"), "message: %s", err);
    didq_session_free(s);
    /* rewritten in place, its modification time set back: the change time */
    f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    s = load(path, true, 2);
    struct stat sb;
    stat(path, &sb);
    f = fopen(path, "r+b");
    fseek(f, 100, SEEK_SET);
    fputc(text[100] == 'A' ? 'B' : 'A', f);
    fclose(f);
    struct timespec times[2] = {sb.st_atim, sb.st_mtim};
    utimensat(AT_FDCWD, path, times, 0);
    CHECK(didq_session_inputs_changed(s, err, sizeof err), "a rewrite with its time set back");
    CHECK(strstr(err, "status changed"), "message: %s", err);
    didq_session_free(s);
}

/* More files than the SIGBUS guard notes at once: the later ones are
 * copied, not read back from a mapping no handler knows. */
static void test_many(const char *dir, const char *text)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20), .values_in_file = true};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    const char *nl = strchr(text + 3, '\n'); /* the header's end; the first record after it */
    const char *end = strchr(nl + 1, '\n');
    int nfiles = DIDQ_MAPPED_MAX + 6;
    for (int i = 0; i < nfiles; i++) {
        char path[96];
        snprintf(path, sizeof path, "%s/m%02d.csv", dir, i);
        FILE *f = fopen(path, "wb");
        fwrite(nl + 1, 1, (size_t)(end - nl), f);
        fclose(f);
        didq_session_load(s, path, NULL, NULL, err, sizeof err);
    }
    didq_session_finish(s);
    const didq_recstore *rs = didq_session_recstore(s);
    CHECK(didq_recstore_count(rs) == (uint32_t)nfiles, "%u records", didq_recstore_count(rs));
    CHECK(didq_recstore_in_file(rs, 1) && !didq_recstore_in_file(rs, (uint32_t)nfiles),
          "the first file's record in its file, the last one's copied");
    didq_session_free(s);
    for (int i = 0; i < nfiles; i++) {
        char path[96];
        snprintf(path, sizeof path, "%s/m%02d.csv", dir, i);
        unlink(path);
    }
}

/* A file cut short after its load: reading a value past its new end
 * raises SIGBUS; under the guard, exit 66 with a message. */
static void test_truncated(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        didq_mapped_guard();
        didq_session *s = load(path, true, 2);
        const didq_recstore *rs = didq_session_recstore(s);
        if (truncate(path, 0) != 0) _exit(3);
        volatile unsigned sum = 0;
        for (uint32_t id = 1; id <= didq_recstore_count(rs); id++) {
            uint32_t l;
            const char *v = didq_recstore_field(rs, id, DIDQ_ACCESSION, &l);
            if (v && l) sum += (unsigned char)v[0];
        }
        _exit(sum ? 4 : 5); /* not reached when the guard works */
    }
    close(fds[1]);
    char msg[600] = "";
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    msg[got > 0 ? got : 0] = 0;
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 66, "status %d (exited %d), want exit 66", st,
          WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    CHECK(strstr(msg, path) && strstr(msg, "cut short"), "message: %s", msg);
}

/* ---- the values taken into memory (the explorer) ---- */

typedef struct reader {
    pthread_t th;
    const unsigned char *p;
    size_t n;
    atomic_bool *stop;
    unsigned long passes, wrong;
} reader;

/* The byte at i of the adopt test's file. */
static unsigned char adopt_byte(size_t i)
{
    return (unsigned char)(i * 2654435761u >> 13);
}

static void *read_loop(void *arg)
{
    reader *r = arg;
    while (!atomic_load(r->stop) || r->passes < 2) {
        for (size_t i = 0; i < r->n; i += 997)
            if (r->p[i] != adopt_byte(i)) r->wrong++;
        r->passes++;
    }
    return NULL;
}

/* A mapping of a file of more than two chunks and a part page made the
 * process's own while two threads read it: they never see another byte,
 * and once the file is cut short every byte is still there (a file page
 * would raise SIGBUS). */
static void test_adopt(const char *dir)
{
    char path[96];
    snprintf(path, sizeof path, "%s/adopt.bin", dir);
    size_t n = (size_t)(33 << 20) + 1234;
    unsigned char *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = adopt_byte(i);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0 && write(fd, buf, n) == (ssize_t)n, "write %s", path);
    const unsigned char *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED, "mmap");
    atomic_bool stop = false;
    reader rd[2];
    for (int i = 0; i < 2; i++) {
        rd[i] = (reader){.p = p, .n = n, .stop = &stop};
        pthread_create(&rd[i].th, NULL, read_loop, &rd[i]);
    }
    CHECK(didq_mapped_adopt(p, n), "adopt");
    atomic_store(&stop, true);
    for (int i = 0; i < 2; i++) {
        pthread_join(rd[i].th, NULL);
        CHECK(rd[i].wrong == 0, "reader %d: %lu bytes differed in %lu passes", i, rd[i].wrong,
              rd[i].passes);
    }
    CHECK(ftruncate(fd, 0) == 0, "truncate");
    close(fd);
    unlink(path);
    CHECK(memcmp(p, buf, n) == 0, "the bytes after the file was cut short");
    munmap((void *)p, n);
    free(buf);
}

/* Every record's raw values summed, read while the values are taken. */
static void *sum_values(void *arg)
{
    const didq_recstore *rs = arg;
    unsigned long sum = 0;
    for (int pass = 0; pass < 20; pass++)
        for (uint32_t id = 1; id <= didq_recstore_count(rs); id++) {
            uint32_t l;
            const char *v = didq_recstore_field(rs, id, DIDQ_ACCESSION, &l);
            for (uint32_t k = 0; v && k < l; k++)
                sum += (unsigned char)v[k];
        }
    return (void *)sum;
}

static void test_taken(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    didq_session *copied = load(path, false, 1);
    didq_session *s = load(path, true, 2);
    const didq_recstore *rs = didq_session_recstore(s);
    void *before = sum_values((void *)rs);
    pthread_t th;
    pthread_create(&th, NULL, sum_values, (void *)rs);
    didq_session_take_values(s);
    CHECK(didq_session_values_taken(s, true), "taken");
    void *during;
    pthread_join(th, &during);
    CHECK(during == before, "the values read while they were taken");
    char err[600] = "";
    CHECK(!didq_session_inputs_changed(s, err, sizeof err), "unchanged: %s", err);
    CHECK(truncate(path, 0) == 0, "truncate");
    compare_records(rs, didq_session_recstore(copied), "taken, the file then cut short");
    CHECK(!didq_session_inputs_changed(s, err, sizeof err), "a change after they were taken: %s",
          err);
    didq_session_free(s);
    /* appended to after the load, before the values are taken: said, and
     * still said after */
    f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    s = load(path, true, 2);
    f = fopen(path, "ab");
    fputs("\n", f);
    fclose(f);
    didq_session_take_values(s);
    CHECK(didq_session_values_taken(s, true), "taken");
    CHECK(didq_session_inputs_changed(s, err, sizeof err) && strstr(err, "changed size"),
          "an appended line not said: %s", err);
    f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    CHECK(didq_session_inputs_changed(s, err, sizeof err), "the verdict kept");
    didq_session_free(s);
    didq_session_free(copied);
}

/* didq_session_inputs_since: the files against their load's start, also
 * once the values are taken (when didq_session_inputs_changed no longer
 * looks): unchanged; modified (its time moved); another file renamed over
 * it; removed.  For the explorer's R in a site scope, which reads them
 * again. */
static void test_since(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    didq_session *s = load(path, true, 2);
    didq_session_take_values(s);
    CHECK(didq_session_values_taken(s, true), "taken");
    char err[600] = "";
    CHECK(!didq_session_inputs_since(s, err, sizeof err), "unchanged: %s", err);
    struct stat sb;
    stat(path, &sb);
    struct timespec times[2] = {sb.st_atim, {sb.st_mtim.tv_sec - 60, sb.st_mtim.tv_nsec}};
    utimensat(AT_FDCWD, path, times, 0);
    CHECK(didq_session_inputs_since(s, err, sizeof err) && strstr(err, path) &&
              strstr(err, "changed since it was loaded (it was modified)"),
          "a modified file: %s", err);
    CHECK(!didq_session_inputs_changed(s, err, sizeof err), "taken: no longer looked at");
    char other[96];
    snprintf(other, sizeof other, "%s.new", path);
    f = fopen(other, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    CHECK(rename(other, path) == 0, "rename");
    CHECK(didq_session_inputs_since(s, err, sizeof err) && strstr(err, "another file has its name"),
          "a file renamed over it: %s", err);
    unlink(path);
    CHECK(didq_session_inputs_since(s, err, sizeof err) && strstr(err, "cannot be read again"),
          "a removed file: %s", err);
    didq_session_free(s);
    f = fopen(path, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
}

int main(void)
{
    test_split();
    size_t n;
    char *text = awkward_month(&n);
    char dir[] = "/tmp/didq-recline-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char path[64];
    snprintf(path, sizeof path, "%s/month.csv", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(text, 1, n, f) == n && fclose(f) == 0, "write %s", path);
    test_month(path);
    test_changed(path, text, n);
    test_truncated(path, text, n);
    test_many(dir, text);
    test_adopt(dir);
    test_taken(path, text, n);
    test_since(path, text, n);
    unlink(path);
    rmdir(dir);
    free(text);
    return test_done();
}
