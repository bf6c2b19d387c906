/* notes.c: the notes file (`--notes FILE`): read with the table reader,
 * kept sorted by key (one note per key, the file's last row winning),
 * looked up by the reports and the explorer, added to by an atomic
 * rewrite of the file. */
#include "didq/notes.h"
#include "didq/afile.h"
#include "didq/anomaly.h"
#include "didq/table.h"
#include "didq/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct didq_notes {
    char *path;
    didq_note *v; /* sorted by site, acc, code; keys distinct */
    size_t n, cap;
};

static const char *const status_names[] = {NULL, "explained", "todo", "fixed"};

const char *didq_note_status_name(int status)
{
    return status > DIDQ_NOTE_NONE && status <= DIDQ_NOTE_FIXED ? status_names[status] : NULL;
}

int didq_note_status_find(const char *name)
{
    for (int i = DIDQ_NOTE_EXPLAINED; i <= DIDQ_NOTE_FIXED; i++)
        if (strcasecmp(name, status_names[i]) == 0) return i;
    return DIDQ_NOTE_NONE;
}

void didq_notes_key(didq_buf *b, const char *s, size_t n)
{
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n > 1 && s[0] == '\'' && strchr("=+-@", s[1])) s++, n--;
    size_t i = 0;
    while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
        i++;
    if (i == n)
        didq_buf_add(b, s, n);
    else
        didq_text_escape(b, s, n);
    didq_buf_add(b, "", 0); /* b->p is allocated and NUL-ended even for "" */
}

static char *key_dup(const char *s)
{
    didq_buf b = {0};
    didq_notes_key(&b, s ? s : "", s ? strlen(s) : 0);
    char *k = didq_strdup(b.p ? b.p : "");
    didq_buf_free(&b);
    return k;
}

static int note_cmp3(const didq_note *a, const char *site, const char *acc, const char *code)
{
    int c = strcmp(a->site, site);
    if (!c) c = strcmp(a->acc, acc);
    return c ? c : strcmp(a->code, code);
}

/* Index of the first note >= (site, acc, code). */
static size_t lower_bound(const didq_notes *n, const char *site, const char *acc, const char *code)
{
    size_t lo = 0, hi = n->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (note_cmp3(&n->v[mid], site, acc, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void note_free(didq_note *x)
{
    free(x->site);
    free(x->acc);
    free(x->code);
    free(x->text);
}

/* Puts x (owned) in its place, replacing a note with the same key. */
static void put(didq_notes *n, didq_note x)
{
    size_t i = lower_bound(n, x.site, x.acc, x.code);
    if (i < n->n && note_cmp3(&n->v[i], x.site, x.acc, x.code) == 0) {
        note_free(&n->v[i]);
        n->v[i] = x;
        return;
    }
    if (n->n == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 64;
        n->v = didq_xrealloc(n->v, n->cap * sizeof *n->v);
    }
    memmove(&n->v[i + 1], &n->v[i], (n->n - i) * sizeof *n->v);
    n->v[i] = x;
    n->n++;
}

/* ---- reading ---- */

enum { NC_SITE, NC_ACC, NC_CODE, NC_STATUS, NC_NOTE, NC_N };
static const char *const col_names[NC_N] = {"site", "accession", "code", "status", "note"};

static const char *read_row(void *ctx, const char *const *c, const size_t *len, uint64_t line,
                            char *why, size_t cap)
{
    (void)len;
    int status = didq_note_status_find(c[NC_STATUS]);
    if (!status) {
        snprintf(why, cap, "status is explained, todo or fixed, not '%.40s'", c[NC_STATUS]);
        return why;
    }
    if (!*c[NC_SITE]) return "no site code";
    if (!*c[NC_ACC] && !*c[NC_CODE])
        return "neither an accession number (a record's note) nor a code (an anomaly's)";
    if (!*c[NC_ACC] && didq_anomaly_kind_find(c[NC_CODE]) < 0) {
        snprintf(why, cap,
                 "'%.40s' is not an anomaly kind (a row without an accession number is a"
                 " note on a site's anomaly)",
                 c[NC_CODE]);
        return why;
    }
    didq_note x = {.site = key_dup(c[NC_SITE]),
                   .acc = key_dup(c[NC_ACC]),
                   .code = didq_strdup(c[NC_CODE]),
                   .text = didq_strdup(c[NC_NOTE]),
                   .status = status,
                   .line = line};
    didq_notes *n = ctx; /* appended; sorted once at the end (fold) */
    if (n->n == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 64;
        n->v = didq_xrealloc(n->v, n->cap * sizeof *n->v);
    }
    n->v[n->n++] = x;
    return NULL;
}

/* Rows in file order sorted by key, then line: of equal keys the last
 * row (the latest note) is kept. */
static int key_line_cmp(const void *x, const void *y)
{
    const didq_note *a = x, *b = y;
    int c = note_cmp3(a, b->site, b->acc, b->code);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static void fold(didq_notes *n)
{
    if (n->n < 2) return;
    qsort(n->v, n->n, sizeof *n->v, key_line_cmp);
    didq_note *keep = didq_xmalloc(n->n * sizeof *keep);
    size_t m = 0;
    for (size_t i = 0; i < n->n; i++) {
        const didq_note *next = i + 1 < n->n ? &n->v[i + 1] : NULL;
        if (next && note_cmp3(&n->v[i], next->site, next->acc, next->code) == 0)
            note_free(&n->v[i]); /* a later row has this key */
        else
            keep[m++] = n->v[i];
    }
    free(n->v);
    n->v = keep;
    n->cap = n->n;
    n->n = m;
}

int didq_notes_load(const char *path, bool missing_ok, didq_notes **out, char *err, size_t errlen)
{
    didq_notes *n = didq_xcalloc(1, sizeof *n);
    n->path = didq_strdup(path);
    *out = NULL;
    if (missing_ok && !didq_path_exists(path)) {
        *out = n;
        return 0;
    }
    const didq_keyed_csv k = {.names = col_names,
                              .n = NC_N,
                              .header_hint = "",
                              .no_header = "no header line (site,accession,code,status,note)",
                              .wide_hint = "a note with a comma must be quoted",
                              .on_row = read_row,
                              .ctx = n};
    int rc = didq_keyed_csv_read(path, &k, err, errlen);
    if (rc != 0) {
        didq_notes_free(n);
        return rc;
    }
    fold(n);
    *out = n;
    return 0;
}

void didq_notes_free(didq_notes *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++)
        note_free(&n->v[i]);
    free(n->v);
    free(n->path);
    free(n);
}

const char *didq_notes_path(const didq_notes *n)
{
    return n->path;
}

size_t didq_notes_count(const didq_notes *n)
{
    return n ? n->n : 0;
}

const didq_note *didq_notes_get(const didq_notes *n, size_t i)
{
    return i < n->n ? &n->v[i] : NULL;
}

/* ---- looking up ---- */

static const didq_note *find_keyed(const didq_notes *n, const char *site, const char *acc,
                                   const char *code)
{
    size_t i = lower_bound(n, site, acc, code);
    return i < n->n && note_cmp3(&n->v[i], site, acc, code) == 0 ? &n->v[i] : NULL;
}

const didq_note *didq_notes_find(const didq_notes *n, const char *site, const char *acc,
                                 const char *code)
{
    if (!n || !n->n) return NULL;
    char *ks = key_dup(site), *ka = key_dup(acc);
    const didq_note *x = find_keyed(n, ks, ka, code ? code : "");
    free(ks);
    free(ka);
    return x;
}

const didq_note *didq_notes_for_finding(const didq_notes *n, const char *site, const char *acc,
                                        const char *code)
{
    if (!n || !n->n) return NULL;
    char *ks = key_dup(site), *ka = key_dup(acc);
    const didq_note *x = *ka ? find_keyed(n, ks, ka, code ? code : "") : NULL;
    if (!x && *ka) x = find_keyed(n, ks, ka, "");
    free(ks);
    free(ka);
    return x;
}

size_t didq_notes_on_record(const didq_notes *n, const char *site, const char *acc,
                            const didq_note **first)
{
    *first = NULL;
    if (!n || !n->n) return 0;
    char *ks = key_dup(site), *ka = key_dup(acc);
    size_t count = 0;
    if (*ka)
        for (size_t i = lower_bound(n, ks, ka, "");
             i < n->n && !strcmp(n->v[i].site, ks) && !strcmp(n->v[i].acc, ka); i++) {
            if (!count) *first = &n->v[i];
            count++;
        }
    free(ks);
    free(ka);
    return count;
}

/* ---- adding ---- */

static void csv_text(FILE *f, const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    didq_text_csv(f, b.p ? b.p : "", b.n);
    didq_buf_free(&b);
}

/* The file's bytes as they are (none when it does not exist yet). */
static int read_old(const char *path, didq_buf *old, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return 0;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        didq_buf_add(old, buf, k);
    int bad = ferror(f);
    fclose(f);
    if (bad) snprintf(err, errlen, "%s: read error", path);
    return bad ? -1 : 0;
}

int didq_notes_add(didq_notes *n, const char *site, const char *acc, const char *code, int status,
                   const char *text, char *err, size_t errlen)
{
    if (!didq_note_status_name(status)) {
        snprintf(err, errlen, "a note's status is explained, todo or fixed");
        return -1;
    }
    didq_note x = {.site = key_dup(site),
                   .acc = key_dup(acc),
                   .code = didq_strdup(code ? code : ""),
                   .text = didq_strdup(text ? text : ""),
                   .status = status};
    if (!*x.site || (!*x.acc && !*x.code)) {
        snprintf(err, errlen, "a note needs a site code and an accession number or a code");
        note_free(&x);
        return -1;
    }
    didq_buf old = {0};
    didq_afile *af = NULL;
    if (read_old(n->path, &old, err, errlen) != 0 ||
        !(af = didq_afile_open(n->path, DIDQ_AFILE_OVERWRITE | DIDQ_AFILE_REGULAR, err, errlen))) {
        didq_buf_free(&old);
        note_free(&x);
        return -1;
    }
    FILE *f = didq_afile_fp(af);
    if (old.n) {
        fwrite(old.p, 1, old.n, f);
        if (old.p[old.n - 1] != '\n' && old.p[old.n - 1] != '\r') fputc('\n', f);
    } else {
        fputs("site,accession,code,status,note\n", f);
    }
    didq_buf_free(&old);
    csv_text(f, x.site);
    fputc(',', f);
    csv_text(f, x.acc);
    fputc(',', f);
    csv_text(f, x.code);
    fprintf(f, ",%s,", didq_note_status_name(status));
    csv_text(f, x.text);
    fputc('\n', f);
    if (didq_afile_commit(af, err, errlen) != 0) {
        note_free(&x);
        return -1;
    }
    put(n, x);
    return 0;
}

/* ---- SQL ---- */

static const char *arg_text(sqlite3_value *v)
{
    const unsigned char *t = sqlite3_value_text(v);
    return t ? (const char *)t : "";
}

static void sql_status(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const didq_note *x = didq_notes_for_finding(sqlite3_user_data(ctx), arg_text(argv[0]),
                                                arg_text(argv[1]), arg_text(argv[2]));
    if (x)
        sqlite3_result_text(ctx, didq_note_status_name(x->status), -1, SQLITE_STATIC);
    else
        sqlite3_result_null(ctx);
}

size_t didq_notes_record_text(const didq_notes *n, const char *site, const char *acc, didq_buf *b)
{
    const didq_note *first;
    size_t k = didq_notes_on_record(n, site, acc, &first);
    if (!k) return 0;
    if (k > 1) didq_buf_printf(b, "%zu notes; ", k);
    didq_buf_printf(b, "%s%s%s: %s", first->code, *first->code ? " " : "",
                    didq_note_status_name(first->status), first->text);
    return k;
}

static void sql_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    didq_buf b = {0};
    if (!didq_notes_record_text(sqlite3_user_data(ctx), arg_text(argv[0]), arg_text(argv[1]), &b))
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, b.p, (int)b.n, SQLITE_TRANSIENT);
    didq_buf_free(&b);
}

void didq_notes_sql(const didq_notes *n, sqlite3 *db)
{
    void *u = (void *)(uintptr_t)n; /* read only, through the const API */
    sqlite3_create_function(db, "didq_note_status", 3, SQLITE_UTF8, u, sql_status, NULL, NULL);
    sqlite3_create_function(db, "didq_note_text", 2, SQLITE_UTF8, u, sql_text, NULL, NULL);
}
