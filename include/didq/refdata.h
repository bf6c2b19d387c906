/* refdata.h: national reference data (ODS organisations, ONS postcodes,
 * NICIP and SNOMED CT code tables) read from the official files, and the
 * look-ups the reference-data rules make.  Without a kind of reference
 * data, the rules that need it are reported as not checked. */
#ifndef DIDQ_REFDATA_H
#define DIDQ_REFDATA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct didq_refdata didq_refdata;

/* An empty set of reference data. */
didq_refdata *didq_refdata_new(void);
void didq_refdata_free(didq_refdata *rd);

/* True if the kind of reference data ("postcode", "ods", "nicip",
 * "snomed") is loaded.  rd may be NULL (nothing loaded). */
bool didq_refdata_has(const didq_refdata *rd, const char *kind);

#endif
