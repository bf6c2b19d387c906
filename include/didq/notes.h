/* notes.h: explained findings (`--notes FILE`, explorer and check).  A
 * notes file is a CSV table with the header site,accession,code,status,note
 * (status explained, todo or fixed):
 *  - site, accession and code: the note is on that finding (the rule code)
 *    of the records with that site code and accession number;
 *  - site and accession, no code: the note is on the record (and on each
 *    of its findings that has no note of its own);
 *  - site and code, no accession: the note is on the site's anomaly of
 *    that kind (code = the anomaly kind's name).
 * Keys are compared as DIDS071 compares records: site code and accession
 * number trimmed of spaces, as the findings CSV writes them (control
 * characters escaped, the apostrophe before a formula cell dropped).  A
 * later row for the same key replaces an earlier one, so adding a note
 * appends a row.  Notes never change a verdict. */
#ifndef DIDQ_NOTES_H
#define DIDQ_NOTES_H

#include "didq/util.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum didq_note_status { DIDQ_NOTE_NONE, DIDQ_NOTE_EXPLAINED, DIDQ_NOTE_TODO, DIDQ_NOTE_FIXED };

typedef struct didq_note {
    char *site, *acc, *code; /* keys as compared (didq_notes_key); "" when not given */
    char *text;              /* the note, as read */
    int status;              /* enum didq_note_status */
    uint64_t line;           /* the row's line in the file (0: added, not read) */
} didq_note;

typedef struct didq_notes didq_notes;

/* "explained", "todo", "fixed" (NULL for NONE); and back (0 if unknown). */
const char *didq_note_status_name(int status);
int didq_note_status_find(const char *name);

/* Reads a notes file.  0, or -1 for bad content ("FILE:LINE: reason" in
 * err), -2 when it cannot be read.  With missing_ok, a file that does not
 * exist is an empty set of notes (the explorer creates it on the first
 * note). */
int didq_notes_load(const char *path, bool missing_ok, didq_notes **out, char *err, size_t errlen);
void didq_notes_free(didq_notes *n);
const char *didq_notes_path(const didq_notes *n);
size_t didq_notes_count(const didq_notes *n);
const didq_note *didq_notes_get(const didq_notes *n, size_t i);

/* A site code or accession number as notes and baselines compare it:
 * trimmed of spaces, control characters escaped as the findings CSV does
 * (didq_text_escape), a leading apostrophe before = + - @ dropped (the
 * findings CSV adds one to formula cells).  Appended to b (NUL-ended). */
void didq_notes_key(didq_buf *b, const char *s, size_t n);

/* The note on exactly (site, acc, code) (code "" for the record's or NULL
 * too), or NULL.  site and acc as stored (cleansed or read from a CSV). */
const didq_note *didq_notes_find(const didq_notes *n, const char *site, const char *acc,
                                 const char *code);
/* The note that applies to a finding of a record: its own, else the
 * record's; NULL if none. */
const didq_note *didq_notes_for_finding(const didq_notes *n, const char *site, const char *acc,
                                        const char *code);
/* How many notes (any code) the record (site, acc) has. */
size_t didq_notes_on_record(const didq_notes *n, const char *site, const char *acc,
                            const didq_note **first);

/* The record's notes in one line, as a list shows them ("explained: why",
 * "DIDS012 todo: why", "3 notes; ..." with the first in key order),
 * appended to b; returns how many there are (0: nothing appended). */
size_t didq_notes_record_text(const didq_notes *n, const char *site, const char *acc, didq_buf *b);

/* Adds a note: the file is rewritten atomically (its bytes as they were,
 * then the new row; the header first when the file is new), mode 0600,
 * and the note joins the set.  0, or -1 with a message. */
int didq_notes_add(didq_notes *n, const char *site, const char *acc, const char *code, int status,
                   const char *text, char *err, size_t errlen);

/* Registers SQL functions on db that read n (which must outlive their
 * use): didq_note_status(site, acc, code), the status name of the note
 * that applies to that finding, or NULL; didq_note_text(site, acc), the
 * record's notes as shown in a list ("explained: why"; "N notes: ..."),
 * or NULL. */
void didq_notes_sql(const didq_notes *n, sqlite3 *db);

#endif
