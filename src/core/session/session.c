/* session.c: a session made and its files read: readers, rules and the
 * store; its end (finish, analyses, free) is session_finish.c. */
#include "session_int.h"
#include "cpus.h"
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/ident.h"
#include "loadmem.h"
#include "memavail.h"
#include "didq/modality.h"
#include "didq/month.h"
#include "csvpar.h"
#include "pipe.h"
#include "didq/reader.h"
#include "recstore.h"
#include "didq/store.h"
#include "didq/text.h"
#include "didq/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* opts.sites copied, each trimmed of spaces as a record's site is. */
static void copy_sites(didq_session *s, const didq_session_opts *o)
{
    s->opts.sites = NULL;
    if (!o->sites || !o->n_sites) {
        s->opts.n_sites = 0;
        return;
    }
    s->nsites = o->n_sites;
    s->sites = didq_xcalloc(s->nsites, sizeof *s->sites);
    s->site_len = didq_xcalloc(s->nsites, sizeof *s->site_len);
    s->site_records = didq_xcalloc(s->nsites, sizeof *s->site_records);
    for (size_t i = 0; i < s->nsites; i++) {
        const char *c = o->sites[i];
        size_t n = strlen(c);
        while (n && *c == ' ')
            c++, n--;
        while (n && c[n - 1] == ' ')
            n--;
        s->sites[i] = didq_xmalloc(n + 1);
        memcpy(s->sites[i], c, n);
        s->sites[i][n] = 0;
        s->site_len[i] = (uint32_t)n;
    }
}

/* Whether a record is kept: all are without --site; else one whose
 * cleansed site code is one of the codes (counted there). */
static bool site_kept(didq_session *s, const didq_record *r)
{
    if (!s->nsites) return true;
    const didq_field *f = &r->f[DIDQ_SITE];
    if (!f->raw) return false;
    for (size_t i = 0; i < s->nsites; i++)
        if (f->len == s->site_len[i] && memcmp(f->val, s->sites[i], f->len) == 0) {
            s->site_records[i]++;
            return true;
        }
    return false;
}

didq_session *didq_session_new(const didq_session_opts *o, char *err, size_t errlen)
{
    didq_session *s = didq_xcalloc(1, sizeof *s);
    s->opts = *o;
    s->opts.thresholds = NULL; /* the caller's: copied */
    s->opts.months = NULL;     /* the caller's: copied once the store is open */
    if (o->thresholds)
        s->thresholds = *o->thresholds;
    else
        didq_thresholds_default(&s->thresholds);
    s->ds = didq_dataset_v1();
    s->threads = o->threads > 0 ? o->threads : didq_session_default_threads();
    if (s->threads > DIDQ_CSVPAR_MAX_THREADS) s->threads = DIDQ_CSVPAR_MAX_THREADS;
    s->store = didq_store_open(o->db_path, s->ds, err, errlen);
    if (s->store && o->spill_dir &&
        !didq_recstore_spill(didq_store_recstore(s->store), o->spill_dir, err, errlen)) {
        didq_store_close(s->store);
        s->store = NULL;
    }
    if (!s->store) {
        free(s);
        return NULL;
    }
    if (o->compare_only) didq_recstore_set_key_item(didq_store_recstore(s->store), -1);
    if (o->sites_on_demand) didq_recstore_keys_on_demand(didq_store_recstore(s->store));
    didq_recstore_set_threads(didq_store_recstore(s->store), s->threads);
    if (o->n_months) {
        didq_month_override *m = didq_xcalloc(o->n_months, sizeof *m);
        for (size_t i = 0; i < o->n_months; i++)
            m[i] = (didq_month_override){o->months[i].file ? didq_strdup(o->months[i].file) : NULL,
                                         o->months[i].month};
        s->opts.months = m;
    }
    copy_sites(s, o);
    s->rs = didq_ruleset_new(s->ds, o->ref);
    s->rule_counts = didq_xcalloc((size_t)s->rs->n, sizeof *s->rule_counts);
    s->ctx.submitted = o->submitted;
    s->ctx.submitted_month = didq_date_month_index(o->submitted);
    s->ctx.ref = o->ref;
    didq_modality_register(didq_store_db(s->store), o->ref);
    return s;
}

/* The CPUs this process may use (its affinity mask, capped by its cgroup's
 * CPU quota: cpus.h), at most DIDQ_DEFAULT_THREADS_MAX; 1 (one CPU) is the
 * serial pipeline. */
int didq_session_default_threads(void)
{
    int n = didq_cpus_usable();
    return n < DIDQ_DEFAULT_THREADS_MAX ? n : DIDQ_DEFAULT_THREADS_MAX;
}

void didq_session_init_shared(void)
{
    sqlite3_initialize();
    didq_xml_init();
    didq_dataset_v1();
    didq_thresholds t;
    didq_thresholds_default(&t);
    didq_referrer_type("", 0);
}

static void count_record(didq_session *s, const didq_record *r, const didq_hit *hits, int n,
                         int *nerr, int *nwarn)
{
    uint32_t items_hit = 0;
    for (int i = 0; i < s->ds->nitems; i++)
        s->blank[i] += didq_blank(r, i);
    for (int k = 0; k < n; k++) {
        const didq_rule_def *def = s->rs->rules[hits[k].rule].def;
        s->rule_counts[hits[k].rule]++;
        *nerr += def->severity == DIDQ_ERROR;
        *nwarn += def->severity == DIDQ_WARNING;
        if (!didq_rule_presence(def)) items_hit |= 1u << hits[k].item;
    }
    for (uint32_t b = items_hit; b; b &= b - 1) { /* most records: none */
        int i = __builtin_ctz(b);
        s->invalid[i] += i < s->ds->nitems && !didq_blank(r, i);
    }
}

/* DIDQ_REC_BAD_*: the birth date, gender or site filled and breaking a
 * rule about its value. */
static unsigned bad_value_flags(const didq_session *s, const didq_record *r, const didq_hit *hits,
                                int n)
{
    /* alone: only rules about the value by itself count (a site code that
     * is malformed or unknown to ODS is not a site; one that was closed on
     * the test date, DIDS081, is a real site with a dating problem). */
    static const struct {
        int item;
        unsigned flag;
        bool alone;
    } watched[] = {{DIDQ_BIRTH_DATE, DIDQ_REC_BAD_BIRTH, false},
                   {DIDQ_GENDER, DIDQ_REC_BAD_GENDER, false},
                   {DIDQ_SITE, DIDQ_REC_BAD_SITE, true}};
    unsigned flags = 0;
    for (int k = 0; k < n; k++) {
        const didq_rule_def *d = s->rs->rules[hits[k].rule].def;
        for (size_t w = 0; w < sizeof watched / sizeof watched[0]; w++)
            if (hits[k].item == watched[w].item && !didq_blank(r, hits[k].item) &&
                !didq_rule_presence(d) && (!watched[w].alone || d->nfields == 1))
                flags |= watched[w].flag;
    }
    return flags;
}

_Static_assert(MAX_HITS * sizeof(didq_hit) <= DIDQ_EVAL_MAX,
               "a record's findings fit eval's bytes");

/* The rules of a record and the flags they set: on a worker thread of a
 * parallel load (csvpar.h), which reads only what no thread writes. */
static size_t eval_record(void *ctx, didq_record *r, unsigned char *out)
{
    const didq_session *s = ctx;
    didq_hit hits[MAX_HITS];
    int nhits = didq_ruleset_eval(s->rs, r, &s->ctx, hits, MAX_HITS);
    r->flags |= bad_value_flags(s, r, hits, nhits);
    memcpy(out, hits, (size_t)nhits * sizeof *hits);
    return (size_t)nhits * sizeof *hits;
}

/* The threads that read a file: the session's, or half of them beside
 * another load (load_beside). */
static int load_threads(const didq_session *s)
{
    return s->opts.load_beside && s->threads > 1 ? s->threads / 2 : s->threads;
}

/* Once a file's first EXPECT_AT records are kept, the record store is told
 * how many there will be with the rest of the file, at the bytes a record
 * these took and a little over (didq_recstore_expect): its metadata is
 * then made once instead of doubled from 4096 to the final size, which at
 * 4 million records wrote 210 MB more of fresh memory and copied as much.
 * A parallel CSV load also gets the helper that readies the memory ahead:
 * its merge thread waits on the workers' blocks, so a core has time for
 * it; a serial load (one thread, XML, or each of `didq diff`'s two files
 * at once on two cores) has none (docs/performance.md, "Fresh memory
 * made ready ahead"). */
enum { EXPECT_AT = 32768 };

static void expect_records(didq_session *s, const didq_record *r)
{
    if (s->file_kept != EXPECT_AT || r->offset == 0 || r->offset >= s->total) return;
    double per = (double)r->offset / (double)(EXPECT_AT - 1), /* bytes a record before r */
        rest = (double)(s->total - r->offset) / per * 1.03;
    if (rest > (double)UINT32_MAX) rest = (double)UINT32_MAX;
    didq_recstore_expect(didq_store_recstore(s->store), s->records + (uint64_t)rest + 4096,
                         s->load_par);
}

/* On the calling thread, in file order: the counts, and into the store. */
static void store_record(void *ctx, didq_record *r, const unsigned char *data, size_t n)
{
    didq_session *s = ctx;
    if (!site_kept(s, r)) return;
    s->file_kept++;
    expect_records(s, r);
    didq_hit hits[MAX_HITS];
    int nerr = 0, nwarn = 0, nhits = (int)(n / sizeof *hits);
    memcpy(hits, data, n);
    count_record(s, r, hits, nhits, &nerr, &nwarn);
    uint32_t id = didq_store_add_record(s->store, r, hits, nhits, nerr, nwarn);
    if (s->on_record) s->on_record(s->on_record_ctx, r, hits, nhits, id);
    didq_month_hist_add(
        &s->months,
        r->date[DIDQ_TEST_DATE] == DIDQ_NODATE ? DIDQ_NOMONTH : r->month[DIDQ_TEST_DATE], 1);
    s->records++;
}

/* On the calling thread (the serial load): the rules, their counts, and
 * into the store. */
static int on_record(void *ctx, didq_record *r)
{
    unsigned char hits[DIDQ_EVAL_MAX];
    size_t n = eval_record(ctx, r, hits);
    store_record(ctx, r, hits, n);
    return 0;
}

static void on_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    didq_session *s = ctx;
    didq_store_add_file_finding(s->store, s->file, code, line, msg);
}

/* Bytes of the reader's batches (pipe.c), in use from the start; of each
 * slot of a parallel load (csvpar.c: a block and its segment, some five
 * times the block's bytes). */
/* A slot of the parallel load: its block (and the reader's remainder) and
 * its segment, at most DIDQ_CSVPAR_SEGMENT and a record (csvpar.c). */
enum {
    PIPE_BYTES = 16 << 20,
    SLOT_BYTES = 2 * DIDQ_CSVPAR_BLOCK + DIDQ_CSVPAR_SEGMENT + (1 << 20),
    MEM_STEP = 1 << 20
};

/* Stops (exit 70) a load in memory that will not fit the memory this
 * process may use (loadmem.h): before the kernel kills it without a word.
 * With --db the records are in files the kernel can write back: no check. */
static void check_memory(didq_session *s, uint64_t bytes, uint64_t extra)
{
    if (s->opts.spill_dir || (bytes && bytes < s->mem_bytes + MEM_STEP)) return;
    s->mem_bytes = bytes;
    uint64_t own = didq_memory_own_in(""), budget = didq_memory_limit_in(""),
             avail = didq_memory_meminfo_in(""), need;
    if (avail != UINT64_MAX && own + avail < budget) budget = own + avail;
    if (!didq_loadmem_too_big(&s->mem, own + extra, bytes, s->total, budget, &need)) return;
    didq_buf name = {0};
    didq_text_escape(&name, s->name, strlen(s->name));
    didq_buf_add(&name, "", 1);
    char what[160];
    if (s->total)
        snprintf(what, sizeof what, "would need about %llu MB; stopped after %llu of %llu MB read",
                 (unsigned long long)(need >> 20), (unsigned long long)(bytes >> 20),
                 (unsigned long long)(s->total >> 20));
    else
        snprintf(what, sizeof what, "holds %llu MB after %llu MB read (its size is unknown)",
                 (unsigned long long)(need >> 20), (unsigned long long)(bytes >> 20));
    didq_die("out of memory: loading %s %s, and this process may use %llu MB (its memory "
             "cgroup's limit, or the memory available), of which an eighth is kept for the "
             "analyses after the load. didq check --db FILE.db keeps the records on disk instead",
             name.p, what, (unsigned long long)(budget >> 20));
}

static int on_progress(void *ctx, uint64_t bytes)
{
    didq_session *s = ctx;
    check_memory(s, bytes, 0);
    return s->progress ? s->progress(s->progress_ctx, bytes, s->total, s->records) : 0;
}

/* What the reader thread needs to read one source. */
typedef struct source_job {
    didq_src *src;
    const unsigned char *head;
    size_t nhead;
    didq_format fmt;
    uint32_t file;
    const didq_dataset *ds;
    char err[256];
} source_job;

static int produce(void *ctx, const didq_reader_cb *cb)
{
    source_job *j = ctx;
    if (j->fmt == DIDQ_FORMAT_XML)
        return didq_xml_read(j->src, j->file, j->ds, cb, j->head, j->nhead, j->err, sizeof j->err);
    return didq_csv_read(j->src, j->file, j->ds, cb, j->head, j->nhead, j->err, sizeof j->err);
}

/* Reads the first bytes (to tell the format); returns the count, -1 on a
 * read error, or -2 when the progress callback cancels (a slow source). */
static long read_head(didq_session *s, didq_src *src, unsigned char *head, size_t cap)
{
    size_t n = 0;
    long got;
    while (n < cap && (got = didq_src_read(src, head + n, cap - n)) != 0) {
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            if (s->progress && s->progress(s->progress_ctx, 0, s->total, s->records)) return -2;
            continue;
        }
        if (got < 0) return -1;
        n += (size_t)got;
    }
    return (long)n;
}

/* Whether an override's file names the file loaded as name: the same
 * name, or its last path part. */
static bool names_file(const char *given, const char *name)
{
    const char *slash = strrchr(name, '/');
    return strcmp(given, name) == 0 || (slash && strcmp(given, slash + 1) == 0);
}

/* The reporting month given for a file (`--month`; the last that names it
 * wins), or DIDQ_NOMONTH: the month of most of its test dates. */
static int32_t given_month(const didq_session *s, const char *name)
{
    int32_t m = DIDQ_NOMONTH;
    for (size_t i = 0; s->opts.months && i < s->opts.n_months; i++)
        if (!s->opts.months[i].file || names_file(s->opts.months[i].file, name))
            m = s->opts.months[i].month;
    return m;
}

/* Reads a source on the reader thread and the calling thread (pipe.h). */
static int read_serial(didq_session *s, source_job *job)
{
    didq_pipe_opts po = {.ds = s->ds,
                         .produce = produce,
                         .produce_ctx = job,
                         .finding = on_finding,
                         .finding_ctx = s,
                         .consume = on_record,
                         .progress = on_progress,
                         .consume_ctx = s};
    return didq_pipe_run(&po);
}

/* A file whose values stay in its mapping is read from the mapping too,
 * from where its first bytes ended: the same bytes, without a poll and a
 * read call a block and the kernel's copy of every page (a file cut short
 * meanwhile raises SIGBUS, which didq_mapped_guard reports, as for the
 * values read back later). */
static void read_mapped(didq_session *s, didq_src *src, uint32_t file, size_t done)
{
    uint64_t n;
    const unsigned char *p = didq_recstore_file_view(didq_store_recstore(s->store), file, &n);
    if (!p || src->mem || done > n) return;
    src->mem = p;
    src->len = (size_t)n;
    src->pos = done;
}

static int read_source(didq_session *s, didq_src *src, const char *name, char *err, size_t errlen)
{
    unsigned char head[HEAD];
    long n = read_head(s, src, head, sizeof head);
    if (n == -2) return DIDQ_READ_CANCELLED;
    if (n < 0) {
        snprintf(err, errlen, "%s: reading failed: %s", name, strerror(errno));
        return DIDQ_READ_IO;
    }
    source_job job = {src, head, (size_t)n, didq_sniff_format(head, (size_t)n), 0, s->ds, ""};
    job.file = didq_store_add_file(s->store, name, job.fmt == DIDQ_FORMAT_XML ? "xml" : "csv");
    didq_session_map_give(s, job.file, job.fmt == DIDQ_FORMAT_CSV, src->fd, name);
    read_mapped(s, src, job.file, (size_t)n);
    s->file = job.file;
    s->name = name;
    s->mem = (didq_loadmem){0};
    s->mem_bytes = 0;
    s->file_kept = 0;
    int lt = load_threads(s);
    bool par = job.fmt == DIDQ_FORMAT_CSV && lt > 1;
    s->load_par = par;
    check_memory(s, 0, par ? (uint64_t)(lt + 2) * SLOT_BYTES : PIPE_BYTES);
    int st;
    if (par) {
        didq_csvpar_opts co = {.ds = s->ds,
                               .src = src,
                               .head = head,
                               .nhead = (size_t)n,
                               .file = job.file,
                               .threads = lt,
                               .eval = eval_record,
                               .consume = store_record,
                               .finding = on_finding,
                               .progress = on_progress,
                               .ctx = s,
                               .err = job.err,
                               .errlen = sizeof job.err};
        st = didq_csvpar_run(&co);
    } else {
        st = read_serial(s, &job);
    }
    didq_file_month fm = didq_month_hist_take_as(&s->months, given_month(s, name));
    didq_store_file_month(s->store, job.file, &fm);
    if (s->nsites && !s->file_kept && st != DIDQ_READ_CANCELLED) { /* none of the sites' */
        didq_store_drop_last_file(s->store, job.file);
        didq_strvec_push(&s->left_out, didq_strdup(name));
        s->file = 0;
    }
    if (st == DIDQ_READ_IO) snprintf(err, errlen, "%s: reading failed: %s", name, job.err);
    return st;
}

/* The file loaded before that is the same file as sb (same device and
 * inode: a second name, a hard link, ./ in front), or NULL. */
static const struct loaded *loaded_before(const didq_session *s, const struct stat *sb)
{
    if (sb->st_ino == 0) return NULL;
    for (int i = 0; i < s->nloaded; i++)
        if (s->loaded[i].sb.st_dev == sb->st_dev && s->loaded[i].sb.st_ino == sb->st_ino)
            return &s->loaded[i];
    return NULL;
}

static void note_loaded(didq_session *s, const struct stat *sb, const char *path)
{
    if (sb->st_ino == 0) return;
    s->loaded = didq_xrealloc(s->loaded, (size_t)(s->nloaded + 1) * sizeof *s->loaded);
    s->loaded[s->nloaded++] = (struct loaded){*sb, didq_strdup(path), s->file};
}

/* The same file named twice: a notice on the first load, no second one. */
static void same_file(didq_session *s, const struct loaded *first, const char *path)
{
    if (!first->file) return; /* dropped: none of its records is of the sites (--site) */
    char msg[600];
    snprintf(msg, sizeof msg, "The same file is named again as %s; it was loaded once",
             strcmp(path, "-") == 0 ? "- (standard input)" : path);
    didq_store_add_file_finding(s->store, first->file, "DIDQ110", 0, msg);
}

int didq_session_load(didq_session *s, const char *path, didq_progress_fn fn, void *ctx, char *err,
                      size_t errlen)
{
    if (!s->store || s->finished) {
        snprintf(err, errlen, "%s: the session is closed to new files", path);
        return DIDQ_READ_IO;
    }
    struct stat sb;
    int fd = didq_session_open_input(path, &sb, err, errlen);
    if (fd < 0) return DIDQ_READ_IO;
    const struct loaded *first = loaded_before(s, &sb);
    if (first) {
        same_file(s, first, path);
        if (fd != STDIN_FILENO) close(fd);
        return DIDQ_READ_OK;
    }
    /* a regular file's size, for the progress bar; 0 (unknown) otherwise */
    s->total = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    s->progress = fn;
    s->progress_ctx = ctx;
    didq_src src = {.fd = fd};
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    didq_session_map_input(s, fd, &sb, path);
    int st = read_source(s, &src, name, err, errlen);
    didq_session_map_drop(s); /* not taken: read before its file was numbered */
    if ((st == DIDQ_READ_OK || st == DIDQ_READ_FATAL) && fd != STDIN_FILENO &&
        didq_session_input_changed(fd, &sb, path, err, errlen))
        st = DIDQ_READ_IO;
    if (st == DIDQ_READ_OK || st == DIDQ_READ_FATAL) note_loaded(s, &sb, path);
    if (fd != STDIN_FILENO) close(fd);
    return st;
}

int didq_session_load_mem(didq_session *s, const char *name, const void *data, size_t len,
                          didq_progress_fn fn, void *ctx)
{
    char err[256];
    s->total = len;
    s->progress = fn;
    s->progress_ctx = ctx;
    didq_src src = {.fd = -1, .mem = data, .len = len};
    return read_source(s, &src, name, err, sizeof err);
}
