/* modality.h: the modality of an examination, from the first letter of its
 * NICIP short code (seed 003 section 3.2.5; dids-spec.md 6.3) or, when the
 * reference data is loaded, from the SNOMED CT look-up. */
#ifndef DIDQ_MODALITY_H
#define DIDQ_MODALITY_H

#include <stddef.h>

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
 * "unknown") and label ("Computed tomography", ...). */
const char *didq_modality_name(int m);
const char *didq_modality_label(int m);

/* From a NICIP code's first non-space letter (any case). */
didq_modality didq_modality_of_nicip(const char *s, size_t n);

#endif
