/* modality.h: the modality of an examination, from the first letter of its
 * NICIP short code (seed 003 section 3.2.5; dids-spec.md 6.3) or, when the
 * reference data is loaded, from the SNOMED CT look-up. */
#ifndef DIDQ_MODALITY_H
#define DIDQ_MODALITY_H

#include <sqlite3.h>
#include <stddef.h>

struct didq_refdata;

typedef enum didq_modality {
    DIDQ_MOD_UNKNOWN,
    DIDQ_MOD_CT,     /* C */
    DIDQ_MOD_MRI,    /* M */
    DIDQ_MOD_US,     /* U */
    DIDQ_MOD_XR,     /* X */
    DIDQ_MOD_FLUORO, /* F */
    DIDQ_MOD_NM,     /* N */
    DIDQ_MOD_IR,     /* I */
    DIDQ_MOD_ENDO,   /* E */
    DIDQ_MOD_N
} didq_modality;

/* Short name ("CT", "MRI", "US", "XR", "Fluoro", "NM", "IR", "Endo",
 * "unknown"; "all" for any other m). */
const char *didq_modality_name(int m);

/* From a NICIP code's first non-space letter (any case). */
didq_modality didq_modality_of_nicip(const char *s, size_t n);

/* From the text of the SNOMED CT exam lookup's MODALITY column ("Plain
 * radiography", "Computerized axial tomography", ...) or its MODALITY_ID
 * concept; DIDQ_MOD_UNKNOWN when it names none of didq's modalities. */
didq_modality didq_modality_of_label(const char *s);

/* A record's modality: the exam lookup of rd (may be NULL) when it knows
 * the SNOMED CT code and names a modality, else the NICIP first letter. */
didq_modality didq_modality_of(const struct didq_refdata *rd, const char *nicip, size_t nn,
                               const char *snomed, size_t sn);

/* Registers the SQL function didq_modality(nicip, snomed) on db, giving
 * didq_modality_of with rd, so drill-down conditions select exactly the
 * records the analyses counted.  Returns an SQLite result code. */
int didq_modality_register(sqlite3 *db, const struct didq_refdata *rd);

#endif
