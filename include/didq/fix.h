/* fix.h: `didq fix`, a corrected copy of a CSV submission.  A value is
 * changed only when a rule fires on it and the fix table
 * (refdata/v1/fixes.csv) gives it exactly one repair after which that rule
 * no longer fires; every other byte of the file is copied as it was. */
#ifndef DIDQ_FIX_H
#define DIDQ_FIX_H

#include "didq/dataset.h"
#include "didq/session.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct didq_refdata;

enum { DIDQ_FIX_MAX = 32 };

/* One row of the fix table: the rule it answers, the kind of repair, the
 * items it applies to and why the repair is the only answer. */
typedef struct didq_fix_def {
    const char *rule, *kind, *items, *description;
} didq_fix_def;

/* The fix table (refdata/v1/fixes.csv), read once; *n its rows. */
const didq_fix_def *didq_fix_table(int *n);
/* The row for a rule code, or NULL. */
const didq_fix_def *didq_fix_for_rule(const char *code);

typedef struct didq_fix_opts {
    int32_t submitted;
    const struct didq_refdata *ref;
    /* --only: which rows of the fix table may be used (all when NULL). */
    const bool *only;
} didq_fix_opts;

/* --only CODES (comma-separated rule codes with a fix) to a selection of
 * table rows (DIDQ_FIX_MAX entries).  0, or -1 with a message. */
int didq_fix_only_parse(const char *codes, bool *sel, char *err, size_t errlen);

typedef struct didq_fix_plan didq_fix_plan;

enum didq_fix_status {
    DIDQ_FIX_OK = 0,
    DIDQ_FIX_IO = -1,     /* IN cannot be read (message) */
    DIDQ_FIX_XML = -2,    /* IN is XML: not rewritten (message) */
    DIDQ_FIX_NOTFILE = -3 /* IN is not a regular file (message) */
};

/* Reads IN (a regular CSV file) once and plans the fixes.  NULL with a
 * status and a message when it cannot. */
didq_fix_plan *didq_fix_plan_make(const char *path, const didq_fix_opts *o, int *status, char *err,
                                  size_t errlen);
void didq_fix_plan_free(didq_fix_plan *p);

/* Copies IN to out with the planned values replaced, field by field, every
 * other byte as it was.  0, or -1 with a message (IN changed since it was
 * planned, a read error). */
int didq_fix_write(didq_fix_plan *p, FILE *out, char *err, size_t errlen);

/* Values the plan changes (didq_fix_write changes them all unless IN
 * changed in between). */
uint64_t didq_fix_planned(const didq_fix_plan *p);
/* Values changed by didq_fix_write. */
uint64_t didq_fix_applied(const didq_fix_plan *p);

/* --log: header line,record,field,old,new,rule; one row per changed value. */
void didq_fix_log_csv(const didq_fix_plan *p, FILE *out);

/* The report of the fixes: values fixed per rule, findings a fix revealed,
 * repair hints for rows of 17 or 19 fields (DIDS075). */
void didq_fix_report_text(const didq_fix_plan *p, const char *in, const char *out_path, FILE *out);

/* The findings left in the fixed copy, from its check (a finished session
 * over OUT), per rule and file-level code. */
void didq_fix_report_left(didq_session *s, const char *out_path, FILE *out);

/* ---- The explorer: what didq fix would do to a session's files
 * (fix_session.c).  Each file is planned by didq_fix_plan_make, with the
 * session's submission date and reference data, when first asked about;
 * each planned value is matched to its record in the session (by line,
 * the value checked against the one loaded). ---- */
typedef struct didq_fixset didq_fixset;
struct didq_scope;

enum didq_fixset_state {
    DIDQ_FIXSET_OK = 0,
    DIDQ_FIXSET_XML,     /* an XML file: didq fix rewrites CSV only */
    DIDQ_FIXSET_UNREAD,  /* the file cannot be read again (gone: a saved session; a pipe) */
    DIDQ_FIXSET_CHANGED, /* the file is not as it was when loaded */
};

/* The session's files (nothing planned yet); the session must outlive it. */
didq_fixset *didq_fixset_new(didq_session *s);
void didq_fixset_free(didq_fixset *fs);
int didq_fixset_nfiles(const didq_fixset *fs);
/* The files loaded as path are not read again (UNREAD, "path: why"): a
 * file made in memory (the explorer's demo month). */
void didq_fixset_skip(didq_fixset *fs, const char *path, const char *why);
/* File (its id, 1-based), planned now if it was not: its state, its path
 * and, unless OK, why (one line naming the file). */
int didq_fixset_file(didq_fixset *fs, int file, const char **path, const char **why);
/* Its plan (for didq_fix_write, didq_fix_applied), or NULL unless OK. */
didq_fix_plan *didq_fixset_plan(didq_fixset *fs, int file);
/* Whether file has been planned (or skipped) already: asking about it
 * then reads nothing. */
bool didq_fixset_planned(const didq_fixset *fs, int file);
/* The file's records as loaded (0 for no such file). */
uint64_t didq_fixset_records(const didq_fixset *fs, int file);
/* The value didq fix writes (trimmed) for the finding of rule code on
 * record rec's item (rec in file), or NULL: no safe fix, or the file is
 * not OK. */
const char *didq_fixset_value(didq_fixset *fs, int file, int64_t rec, int item, const char *code);
/* The records breaking rule code in the files of sc (NULL: every file)
 * whose value didq fix changes (one value per record: a rule's fix
 * changes its one item); XML files count none.  -1 when a CSV file of sc
 * is not OK (didq_fixset_file says why). */
int64_t didq_fixset_count(didq_fixset *fs, const char *code, const struct didq_scope *sc);

#endif
