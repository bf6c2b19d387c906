/* fix_session.c: what didq fix would do to a session's files, for the
 * explorer: each CSV file planned by didq_fix_plan_make, the code of
 * didq fix itself (with the session's submission date and reference
 * data), when first asked; each planned value matched to its record in
 * the session (the file's records by line, the value checked against the
 * one loaded), so that a record's fix and a rule's count of fixable
 * records are didq fix's own, and a file changed since it was loaded is
 * said to be, never half-matched. */
#include "fix_int.h"

#include "didq/query.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WHY_MAX = 600 };

typedef struct fs_file {
    char *path;
    bool xml, planned;
    int state;
    char why[WHY_MAX];
    uint64_t records; /* as loaded */
    didq_fix_plan *plan;
    int64_t *rec; /* per planned value: its record in the session */
} fs_file;

struct didq_fixset {
    didq_session *s;
    int n;
    fs_file *f;
};

didq_fixset *didq_fixset_new(didq_session *s)
{
    didq_fixset *fs = didq_xcalloc(1, sizeof *fs);
    fs->s = s;
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(s), "SELECT id, path, format, records FROM files ORDER BY id");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int id = sqlite3_column_int(q, 0);
        if (id != fs->n + 1) continue; /* ids are 1, 2, ... in load order */
        fs->f = didq_xrealloc(fs->f, (size_t)(fs->n + 1) * sizeof *fs->f);
        fs_file *f = &fs->f[fs->n++];
        memset(f, 0, sizeof *f);
        const unsigned char *p = sqlite3_column_text(q, 1), *fmt = sqlite3_column_text(q, 2);
        f->path = didq_strdup(p ? (const char *)p : "");
        f->xml = fmt && strcmp((const char *)fmt, "xml") == 0;
        f->records = (uint64_t)sqlite3_column_int64(q, 3);
    }
    sqlite3_finalize(q);
    return fs;
}

void didq_fixset_free(didq_fixset *fs)
{
    if (!fs) return;
    for (int i = 0; i < fs->n; i++) {
        free(fs->f[i].path);
        didq_fix_plan_free(fs->f[i].plan);
        free(fs->f[i].rec);
    }
    free(fs->f);
    free(fs);
}

uint64_t didq_fix_planned(const didq_fix_plan *p)
{
    return p->n;
}

int didq_fixset_nfiles(const didq_fixset *fs)
{
    return fs->n;
}

/* what: how it shows (a line and why). */
static void changed(fs_file *f, const char *what)
{
    snprintf(f->why, sizeof f->why, "%s has changed since it was loaded (%s)", f->path, what);
    f->state = DIDQ_FIXSET_CHANGED;
}

/* The value loaded for a record's item, trimmed as the rules read it. */
static bool loaded_value_is(sqlite3_stmt *val, int64_t rec, const char *want)
{
    sqlite3_bind_int64(val, 1, rec);
    bool same = false;
    if (sqlite3_step(val) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(val, 0);
        same = strcmp(v ? (const char *)v : "", want) == 0;
    }
    sqlite3_reset(val);
    return same;
}

/* Each planned value to its record (the file's records by line, in file
 * order as the plan's), the value checked against the one loaded. */
static void match(didq_fixset *fs, int file, fs_file *f)
{
    sqlite3 *db = didq_session_db(fs->s);
    didq_fix_plan *p = f->plan;
    f->rec = didq_xcalloc(p->n ? p->n : 1, sizeof *f->rec);
    sqlite3_stmt *q =
        didq_prepare(db, "SELECT id, line FROM records r WHERE r.file = ? ORDER BY id");
    sqlite3_bind_int(q, 1, file);
    size_t e = 0;
    while (e < p->n && sqlite3_step(q) == SQLITE_ROW) {
        uint64_t line = (uint64_t)sqlite3_column_int64(q, 1);
        while (e < p->n && p->e[e].line < line)
            e++; /* a value of no loaded record: caught below */
        for (; e < p->n && p->e[e].line == line; e++)
            f->rec[e] = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    char what[120];
    sqlite3_stmt *val[DIDQ_MAX_ITEMS] = {0}; /* one statement per item */
    for (size_t i = 0; i < p->n && f->state == DIDQ_FIXSET_OK; i++) {
        if (!f->rec[i]) {
            snprintf(what, sizeof what, "line %llu: no record of it was loaded",
                     (unsigned long long)p->e[i].line);
            changed(f, what);
            break;
        }
        int item = p->e[i].item;
        if (!val[item]) {
            char *sql = sqlite3_mprintf("SELECT trim(r.f%d, ' ') FROM records r WHERE r.id = ?",
                                        DIDQ_COL_NUM(item));
            val[item] = didq_prepare(db, sql);
            sqlite3_free(sql);
        }
        if (!loaded_value_is(val[item], f->rec[i], p->e[i].old_val)) {
            snprintf(what, sizeof what, "line %llu, column %u: another value",
                     (unsigned long long)p->e[i].line, (unsigned)p->e[i].col);
            changed(f, what);
        }
    }
    for (int i = 0; i < DIDQ_MAX_ITEMS; i++)
        sqlite3_finalize(val[i]);
}

static void plan_file(didq_fixset *fs, int file, fs_file *f)
{
    f->planned = true;
    f->state = DIDQ_FIXSET_OK;
    if (f->xml) {
        snprintf(f->why, sizeof f->why,
                 "%s is an XML file; didq fix rewrites CSV files only (fix the values in the "
                 "system that writes the XML)",
                 f->path);
        f->state = DIDQ_FIXSET_XML;
        return;
    }
    didq_fix_opts o = {.submitted = didq_session_submitted(fs->s),
                       .ref = didq_session_refdata(fs->s)};
    int st = 0;
    char err[WHY_MAX - 60];
    f->plan = didq_fix_plan_make(f->path, &o, &st, err, sizeof err);
    if (!f->plan) {
        snprintf(f->why, sizeof f->why, "cannot read the source file again: %s", err);
        f->state = DIDQ_FIXSET_UNREAD;
        return;
    }
    if (f->plan->records != f->records) {
        char what[120];
        snprintf(what, sizeof what, "%llu records now, %llu when loaded",
                 (unsigned long long)f->plan->records, (unsigned long long)f->records);
        changed(f, what);
        return;
    }
    match(fs, file, f);
}

void didq_fixset_skip(didq_fixset *fs, const char *path, const char *why)
{
    for (int i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].path, path) == 0 && !fs->f[i].planned) {
            fs->f[i].planned = true;
            fs->f[i].state = DIDQ_FIXSET_UNREAD;
            snprintf(fs->f[i].why, sizeof fs->f[i].why, "%s: %s", path, why);
        }
}

int didq_fixset_file(didq_fixset *fs, int file, const char **path, const char **why)
{
    if (file < 1 || file > fs->n) {
        if (path) *path = "";
        if (why) *why = "no such file";
        return DIDQ_FIXSET_UNREAD;
    }
    fs_file *f = &fs->f[file - 1];
    if (!f->planned) plan_file(fs, file, f);
    if (path) *path = f->path;
    if (why) *why = f->state == DIDQ_FIXSET_OK ? NULL : f->why;
    return f->state;
}

bool didq_fixset_planned(const didq_fixset *fs, int file)
{
    return file >= 1 && file <= fs->n && fs->f[file - 1].planned;
}

uint64_t didq_fixset_records(const didq_fixset *fs, int file)
{
    return file >= 1 && file <= fs->n ? fs->f[file - 1].records : 0;
}

didq_fix_plan *didq_fixset_plan(didq_fixset *fs, int file)
{
    if (didq_fixset_file(fs, file, NULL, NULL) != DIDQ_FIXSET_OK) return NULL;
    return fs->f[file - 1].plan;
}

const char *didq_fixset_value(didq_fixset *fs, int file, int64_t rec, int item, const char *code)
{
    didq_fix_plan *p = didq_fixset_plan(fs, file);
    if (!p) return NULL;
    const int64_t *r = fs->f[file - 1].rec;
    int n;
    const didq_fix_def *t = didq_fix_table(&n);
    size_t lo = 0, hi = p->n; /* the first planned value of rec: record ids ascend */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid] < rec)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < p->n && r[lo] == rec; lo++)
        if (p->e[lo].item == item && strcmp(t[p->e[lo].row].rule, code) == 0)
            return p->e[lo].new_val;
    return NULL;
}

int64_t didq_fixset_count(didq_fixset *fs, const char *code, const didq_scope *sc)
{
    const didq_fix_def *d = didq_fix_for_rule(code);
    if (!d) return 0;
    int n;
    int row = (int)(d - didq_fix_table(&n));
    int64_t count = 0;
    for (int i = 1; i <= fs->n; i++) {
        if (!didq_scope_has_file(sc, i) || !fs->f[i - 1].records) continue;
        int st = didq_fixset_file(fs, i, NULL, NULL);
        if (st == DIDQ_FIXSET_XML) continue; /* didq fix changes no value of it */
        if (st != DIDQ_FIXSET_OK) return -1;
        const didq_fix_plan *p = fs->f[i - 1].plan;
        count += (int64_t)p->planned[row];
    }
    return count;
}
