/* diff.h: two finished sessions compared record by record (`didq diff OLD
 * NEW`): a resubmitted file against the one before it.  Records are
 * matched by site code and accession number as DIDS071 compares them
 * (trimmed of spaces); records sharing a key are paired in file order.
 * A finding here is a rule a record breaks (a rule broken on two items of
 * one record counts once). */
#ifndef DIDQ_DIFF_H
#define DIDQ_DIFF_H

#include "didq/dataset.h"
#include "didq/session.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum didq_diff_kind { DIDQ_DIFF_ADDED, DIDQ_DIFF_REMOVED, DIDQ_DIFF_CHANGED };

/* Per rule code: findings of records in both files fixed (in OLD, not in
 * NEW), new (in NEW, not in OLD) and remaining (in both); and findings of
 * added and of removed records. */
typedef struct didq_diff_rule {
    char *code;
    uint64_t fixed, fresh, remaining, added, removed;
} didq_diff_rule;

/* One added, removed or changed record.  Lines are 0 where the record is
 * not in that file; items (changed items' field names), fixed and fresh
 * (rule codes) are space-separated. */
typedef struct didq_diff_change {
    enum didq_diff_kind kind;
    char *site, *acc; /* the cleansed key */
    uint32_t site_len, acc_len;
    uint64_t old_line, new_line;
    char *items, *fixed, *fresh;
    int64_t old_id, new_id; /* the record's id in each session, 0 where not in that file */
} didq_diff_change;

typedef struct didq_diff {
    uint64_t old_records, new_records;
    /* Records with a blank site code or accession number: no key, as for
     * DIDS071; they are paired with each other in file order, which may pair
     * records that are not the same (the reports say how many there are). */
    uint64_t old_unkeyed, new_unkeyed;
    uint64_t added, removed, changed, unchanged;
    uint64_t findings_fixed, findings_new, findings_remaining;
    uint64_t findings_added, findings_removed; /* of added and of removed records */
    uint64_t item_changed[DIDQ_MAX_ITEMS];     /* changed records whose item differs */
    int nitems;
    const didq_dataset *ds;
    didq_diff_rule *rules; /* by code */
    size_t nrules;
    didq_diff_change *changes; /* in order of site, then accession number */
    size_t nchanges;
    /* Per NEW record id (0 .. new_maxid): the id of the OLD record it is
     * paired with, 0 for an added record (the explorer's Changes pane). */
    uint32_t *new_pair;
    uint32_t new_maxid;
    /* For the reports, set by the caller after didq_diff_run: each input as
     * named on the command line (NULL: its submission file's path), and
     * whether its reading stopped part-way (a fatal DIDS075/076, so its
     * records are not all known): the reports then give no counts. */
    const char *old_input, *new_input;
    bool old_stopped, new_stopped;
} didq_diff;

/* Compares two finished sessions (each of one file). */
didq_diff *didq_diff_run(didq_session *old, didq_session *new_);
void didq_diff_free(didq_diff *d);

/* False when either file's reading stopped part-way: nothing is counted. */
bool didq_diff_compared(const didq_diff *d);

/* True when the files hold the same records (nothing added, removed or
 * changed): the exit status 0 of `didq diff`. */
bool didq_diff_same(const didq_diff *d);

/* The text and JSON reports; the sessions give each file's name and verdict. */
void didq_diff_text(const didq_diff *d, didq_session *old, didq_session *new_, FILE *out);
void didq_diff_json(const didq_diff *d, didq_session *old, didq_session *new_, FILE *out);

/* One CSV row per added, removed or changed record, header
 * change,site,accession,old_line,new_line,items,fixed,new.  With mask,
 * identifiers are masked as `check --findings --mask` does (didq_text_mask;
 * site and accession are not identifiers, so they are kept). */
void didq_diff_changes_csv(const didq_diff *d, FILE *out, bool mask);

/* For the explorer (diff.c).  The change of NEW's record new_id: added or
 * changed; NULL when it is unchanged or no record of NEW. */
const didq_diff_change *didq_diff_change_of(const didq_diff *d, int64_t new_id);
/* The raw values of record id of session s (d->nitems malloc'd strings
 * into vals, "" for an empty item); false (vals untouched) when s has no
 * such record. */
bool didq_diff_values(const didq_diff *d, didq_session *s, int64_t id, char **vals);
/* The values of the OLD record NEW's record new_id is paired with (OLD's
 * session old); false for an added record. */
bool didq_diff_old_values(const didq_diff *d, didq_session *old, int64_t new_id, char **vals);

/* The explorer's Changes pane (diff_view.c): the table temp.didq_diff in
 * NEW's session, one row per record of NEW: id; change ("added",
 * "changed" or "unchanged"); items (the changed items' field names); fixed,
 * fresh and remaining (rule codes of its findings; an added record's are
 * fresh).  Each list is " A B " (a space before and after every name, so
 * that instr(items, ' NAME ') finds one), or "" when empty. */
void didq_diff_mark(const didq_diff *d, didq_session *old, didq_session *new_);

#endif
