/* baseline.h: `check --baseline FILE`: a findings CSV written earlier by
 * `check --findings`, compared with a finished session's findings by site
 * code, accession number and rule code (keys as didq_notes_key makes
 * them; a file-level finding has a blank site and accession).  Findings
 * are counted as a multiset: a key that has k findings in the baseline
 * and m now has max(m - k, 0) new and max(k - m, 0) fixed (the new ones
 * are the last m - k in file order). */
#ifndef DIDQ_BASELINE_H
#define DIDQ_BASELINE_H

#include "didq/session.h"

#include <stdint.h>
#include <stdio.h>

typedef struct didq_baseline didq_baseline;

/* One finding of the session that the baseline does not have. */
typedef struct didq_baseline_new {
    char *file, *site, *acc, *code, *message; /* as read from the session */
    int64_t line;
} didq_baseline_new;

/* Reads a findings CSV (its header names at least site, accession and
 * code).  0, or -1 for bad content ("FILE:LINE: reason"), -2 when it cannot
 * be read. */
int didq_baseline_load(const char *path, didq_baseline **out, char *err, size_t errlen);
void didq_baseline_free(didq_baseline *b);

/* Compares the session's findings with the baseline (once). */
void didq_baseline_compare(didq_baseline *b, didq_session *s);

const char *didq_baseline_path(const didq_baseline *b);
uint64_t didq_baseline_rows(const didq_baseline *b);      /* findings in the file */
uint64_t didq_baseline_unchanged(const didq_baseline *b); /* in both */
uint64_t didq_baseline_fixed(const didq_baseline *b);     /* in the file, not now */
size_t didq_baseline_nnew(const didq_baseline *b);        /* now, not in the file */
const didq_baseline_new *didq_baseline_get_new(const didq_baseline *b, size_t i);

#endif
