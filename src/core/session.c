/* session.c: drives readers, rules and the store. */
#include "didq/session.h"
#include "didq/date.h"
#include "didq/modality.h"
#include "didq/pipe.h"
#include "didq/reader.h"
#include "didq/recstore.h"
#include "didq/store.h"
#include "didq/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* HEAD: bytes read to tell the format; MAX_HITS: findings one record can
 * have (more than there are per-record rules). */
enum { HEAD = 4096, MAX_HITS = 128 };

struct didq_session {
    didq_session_opts opts;
    const didq_dataset *ds;
    didq_ruleset *rs;
    didq_store *store; /* NULL for a saved session */
    sqlite3 *saved;    /* a saved session's database */
    didq_ctx ctx;
    uint64_t *rule_counts;            /* records each rule fired on */
    uint64_t blank[DIDQ_MAX_ITEMS];   /* records with the item blank */
    uint64_t invalid[DIDQ_MAX_ITEMS]; /* records with the item filled and a finding on it
                                         of a rule about its value (not didq_rule_presence) */
    uint64_t records;
    uint32_t file;  /* file being loaded */
    uint64_t total; /* its size, 0 if unknown */
    didq_progress_fn progress;
    void *progress_ctx;
    int finished;
};

didq_session *didq_session_new(const didq_session_opts *o, char *err, size_t errlen)
{
    didq_session *s = didq_xcalloc(1, sizeof *s);
    s->opts = *o;
    s->ds = didq_dataset_v1();
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
    s->rs = didq_ruleset_new(s->ds, o->ref);
    s->rule_counts = didq_xcalloc((size_t)s->rs->n, sizeof *s->rule_counts);
    s->ctx.submitted = o->submitted;
    s->ctx.submitted_month = didq_date_month_index(o->submitted);
    s->ctx.ref = o->ref;
    didq_modality_register(didq_store_db(s->store), o->ref);
    return s;
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
    for (int i = 0; i < s->ds->nitems; i++)
        s->invalid[i] += ((items_hit >> i) & 1u) && !didq_blank(r, i);
}

/* DIDQ_REC_BAD_*: the birth date, gender or site filled and breaking a
 * rule about its value. */
static unsigned bad_value_flags(const didq_session *s, const didq_record *r, const didq_hit *hits,
                                int n)
{
    static const struct {
        int item;
        unsigned flag;
    } watched[] = {{DIDQ_BIRTH_DATE, DIDQ_REC_BAD_BIRTH},
                   {DIDQ_GENDER, DIDQ_REC_BAD_GENDER},
                   {DIDQ_SITE, DIDQ_REC_BAD_SITE}};
    unsigned flags = 0;
    for (int k = 0; k < n; k++)
        for (size_t w = 0; w < sizeof watched / sizeof watched[0]; w++)
            if (hits[k].item == watched[w].item && !didq_blank(r, hits[k].item) &&
                !didq_rule_presence(s->rs->rules[hits[k].rule].def))
                flags |= watched[w].flag;
    return flags;
}

/* On the calling thread: the rules, their counts, and into the store. */
static int on_record(void *ctx, didq_record *r)
{
    didq_session *s = ctx;
    didq_hit hits[MAX_HITS];
    int nerr = 0, nwarn = 0;
    int nhits = didq_ruleset_eval(s->rs, r, &s->ctx, hits, MAX_HITS);
    count_record(s, r, hits, nhits, &nerr, &nwarn);
    r->flags |= bad_value_flags(s, r, hits, nhits);
    didq_store_add_record(s->store, r, hits, nhits, nerr, nwarn);
    s->records++;
    return 0;
}

static void on_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    didq_session *s = ctx;
    didq_store_add_file_finding(s->store, s->file, code, line, msg);
}

static int on_progress(void *ctx, uint64_t bytes)
{
    didq_session *s = ctx;
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

static int read_source(didq_session *s, didq_src *src, const char *name, char *err, size_t errlen)
{
    unsigned char head[HEAD];
    long n = read_head(s, src, head, sizeof head);
    if (n == -2) return DIDQ_READ_CANCELLED;
    if (n < 0) {
        snprintf(err, errlen, "%s: %s", name, strerror(errno));
        return DIDQ_READ_IO;
    }
    source_job job = {src, head, (size_t)n, didq_sniff_format(head, (size_t)n), 0, s->ds, ""};
    job.file = didq_store_add_file(s->store, name, job.fmt == DIDQ_FORMAT_XML ? "xml" : "csv");
    s->file = job.file;
    didq_pipe_opts po = {.ds = s->ds,
                         .produce = produce,
                         .produce_ctx = &job,
                         .finding = on_finding,
                         .finding_ctx = s,
                         .consume = on_record,
                         .progress = on_progress,
                         .consume_ctx = s};
    int st = didq_pipe_run(&po);
    if (st == DIDQ_READ_IO) snprintf(err, errlen, "%s: %s", name, job.err);
    return st;
}

/* Opens a path for reading; refuses directories with a clear message. */
static int open_input(const char *path, uint64_t *size, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        *size = 0;
        return STDIN_FILENO;
    }
    /* O_NONBLOCK: a FIFO without a writer yet would block open() itself,
     * where no key or signal is seen; reads then poll (didq_src_read). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (fd < 0 || fstat(fd, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    if (S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "%s: is a directory", path);
        close(fd);
        return -1;
    }
    *size = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    return fd;
}

/* A regular file truncated or extended by another program while it was
 * read gives an incomplete or mixed picture: that is an input error. */
static bool changed_size(int fd, uint64_t size, const char *path, char *err, size_t errlen)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size == size) return false;
    snprintf(err, errlen,
             "%s: the file changed size while it was read (%llu bytes at the start, %llu now); "
             "another program is writing it, so the results would be incomplete",
             path, (unsigned long long)size, (unsigned long long)sb.st_size);
    return true;
}

int didq_session_load(didq_session *s, const char *path, didq_progress_fn fn, void *ctx, char *err,
                      size_t errlen)
{
    if (!s->store || s->finished) {
        snprintf(err, errlen, "%s: the session is closed to new files", path);
        return DIDQ_READ_IO;
    }
    int fd = open_input(path, &s->total, err, errlen);
    if (fd < 0) return DIDQ_READ_IO;
    s->progress = fn;
    s->progress_ctx = ctx;
    didq_src src = {.fd = fd};
    int st = read_source(s, &src, strcmp(path, "-") == 0 ? "(stdin)" : path, err, errlen);
    if ((st == DIDQ_READ_OK || st == DIDQ_READ_FATAL) && fd != STDIN_FILENO &&
        changed_size(fd, s->total, path, err, errlen))
        st = DIDQ_READ_IO;
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

static void write_meta(didq_session *s)
{
    char date[11], n[32];
    didq_date_format(s->opts.submitted, date);
    snprintf(n, sizeof n, "%llu", (unsigned long long)s->records);
    didq_store_meta(s->store, "format", "didq-session-1");
    didq_store_meta(s->store, "dataset", s->ds->name);
    didq_store_meta(s->store, "submitted", date);
    didq_store_meta(s->store, "records", n);
    didq_store_meta(s->store, "didq_version", DIDQ_VERSION);
    didq_store_meta(s->store, "refdata", s->opts.ref_label ? s->opts.ref_label : "none");
}

void didq_session_finish(didq_session *s)
{
    if (s->finished) return;
    s->finished = 1;
    write_meta(s);
    didq_store_finish(s->store, s->rs, s->rule_counts, s->blank, s->invalid);
}

bool didq_session_prebuild_orders(didq_session *s)
{
    return s->store && didq_recstore_prebuild(didq_store_recstore(s->store));
}

void didq_session_prebuild_next(didq_session *s, int item)
{
    if (s->store) didq_recstore_prebuild_next(didq_store_recstore(s->store), item);
}

int didq_session_save(didq_session *s, const char *path, bool overwrite, char *err, size_t errlen)
{
    if (!s->store || !s->finished) {
        snprintf(err, errlen, "%s: only a finished, loaded session can be saved", path);
        return -1;
    }
    return didq_store_save(s->store, path, overwrite, err, errlen);
}

static int meta_text(sqlite3 *db, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT value FROM meta WHERE key = ?");
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int ok = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0);
    if (ok) snprintf(out, cap, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return ok;
}

didq_session *didq_session_open_saved(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = didq_store_open_saved(path, err, errlen);
    if (!db) return NULL;
    char date[32] = "", n[32] = "0";
    didq_session *s = didq_xcalloc(1, sizeof *s);
    s->saved = db;
    didq_modality_register(db, NULL);
    s->ds = didq_dataset_v1();
    s->rs = didq_ruleset_new(s->ds, NULL);
    s->rule_counts = didq_xcalloc((size_t)s->rs->n, sizeof *s->rule_counts);
    s->finished = 1;
    meta_text(db, "submitted", date, sizeof date);
    meta_text(db, "records", n, sizeof n);
    if (!didq_date_parse(date, strlen(date), &s->opts.submitted)) {
        snprintf(err, errlen, "%s: the saved session has no submission date", path);
        didq_session_free(s);
        return NULL;
    }
    s->records = strtoull(n, NULL, 10);
    return s;
}

sqlite3 *didq_session_db(const didq_session *s)
{
    return s->saved ? s->saved : didq_store_db(s->store);
}

const struct didq_refdata *didq_session_refdata(const didq_session *s)
{
    return s->opts.ref;
}

const struct didq_recstore *didq_session_recstore(const didq_session *s)
{
    return s->store ? didq_store_recstore(s->store) : NULL;
}

const didq_dataset *didq_session_dataset(const didq_session *s)
{
    return s->ds;
}

const didq_ruleset *didq_session_rules(const didq_session *s)
{
    return s->rs;
}

int32_t didq_session_submitted(const didq_session *s)
{
    return s->opts.submitted;
}

uint64_t didq_session_records(const didq_session *s)
{
    return s->records;
}

void didq_session_free(didq_session *s)
{
    if (!s) return;
    didq_store_close(s->store);
    sqlite3_close(s->saved);
    didq_ruleset_free(s->rs);
    free(s->rule_counts);
    free(s);
}
