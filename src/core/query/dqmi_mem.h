/* dqmi_mem.h: the DQMI-style counts of a session with a record store,
 * counted in C in one pass over the records (dqmi_mem.c) instead of the
 * grouped SQL of dqmi_score.c: the same groups, in the same order. */
#ifndef DIDQ_DQMI_MEM_H
#define DIDQ_DQMI_MEM_H

#include "didq/dqmi.h"
#include "didq/rules.h"
#include "recstore.h"

#include <stdbool.h>
#include <stdint.h>

/* The counts of one (site group, file), as one row of the SQL of
 * dqmi_score.c: grp NULL for the codes breaking a site rule, "" for a
 * blank site; per spec item DQMI_MEM_PER counts. */
enum { DQMI_MEM_BLANK, DQMI_MEM_DEFAULT, DQMI_MEM_BAD, DQMI_MEM_BAD_DEFAULT, DQMI_MEM_PER };

typedef struct dqmi_mem_row {
    int file;
    char *grp;
    uint64_t records;
    uint64_t *c; /* DQMI_MEM_PER x spec items */
} dqmi_mem_row;

/* The rows ordered as `ORDER BY grp IS NULL, grp, file`; *n of them.
 * presence[rule]: the rule is about which items are given (its findings
 * do not make a value invalid); nrules of them.  The records are counted
 * in `parts` ranges of ids, each on a thread of its own (1: this thread
 * alone); the counts do not depend on it. */
dqmi_mem_row *dqmi_mem_count(const didq_recstore *rs, const didq_dqmi_spec *sp,
                             const bool *presence, int nrules, int parts, size_t *n);
void dqmi_mem_free(dqmi_mem_row *rows, size_t n);

/* The same rows counted as the records are stored (didq_session_on_record):
 * each record with the findings of its rules (hits), then, once the load
 * has ended and the store is sealed, the items that the cross-record
 * rules' findings alone hit (cross[rule]: DIDS071) counted from the stored
 * values (dqmi_load_finish, which frees the counter).  presence and cross
 * have nrules entries (copied).  The rows equal dqmi_mem_count's for the
 * same records: unit.test_dqmi_mem. */
typedef struct dqmi_load dqmi_load;
dqmi_load *dqmi_load_new(const didq_recstore *rs, const didq_dqmi_spec *sp, const bool *presence,
                         const bool *cross, int nrules);
void dqmi_load_record(dqmi_load *c, const didq_record *r, uint32_t id, const didq_hit *hits,
                      int nhits);
uint64_t dqmi_load_records(const dqmi_load *c);
dqmi_mem_row *dqmi_load_finish(dqmi_load *c, size_t *n);
void dqmi_load_free(dqmi_load *c);

/* dqmi_rows.c: a session's rows.  With a record store: those prepared
 * beside its analyses (didq_dqmi_prepare_beside) when they are for sp's
 * items and defaults and the session's records, else counted now; *owned
 * says whether the caller frees them. */
struct didq_session;
dqmi_mem_row *dqmi_rows_memory(struct didq_session *s, const didq_recstore *rs,
                               const didq_dqmi_spec *sp, size_t *n, bool *owned);
/* A saved session's rows for sp (*n of them), or NULL when it keeps none
 * for sp or they do not add up to its records (the caller frees them). */
dqmi_mem_row *dqmi_rows_saved(struct didq_session *s, const didq_dqmi_spec *sp, int nfiles,
                              size_t *n);
/* sp, or the built-in spec (refdata/dqmi.csv) when sp is NULL. */
const didq_dqmi_spec *dqmi_spec_or_builtin(const didq_dqmi_spec *sp);

#endif
