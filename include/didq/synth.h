/* synth.h: deterministic synthetic DIDS v1 months.  No real patient data:
 * NHS numbers are generated with valid check digits from the 999 test
 * range, postcodes and codes from small built-in lists. */
#ifndef DIDQ_SYNTH_H
#define DIDQ_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct didq_synth_opts {
    uint64_t rows;      /* records to write */
    uint64_t seed;      /* same seed, same options => same bytes */
    int year, month;    /* month of the test dates */
    double defect_rate; /* share of records given one rule defect, 0..1 */
    const char *inject; /* anomaly injections "kind@SITE[,kind@SITE...]" or NULL */
    int xml;            /* 0: CSV (no header); 1: DIDS v1 XML */
    int defect_dups;    /* defects may also be DIDS071 duplicate accessions */
    int defect_columns; /* defects may also be DIDS075 short rows (CSV only) */
} didq_synth_opts;

/* The rule codes that --defect-rate spreads its defects across, in the
 * round-robin order used, for these options; returns how many (at most
 * cap written into codes). */
int didq_synth_defect_codes(const didq_synth_opts *o, const char **codes, int cap);

/* The injection kinds --inject accepts: every anomaly kind, in the order
 * of anomaly_kinds.h; NULL at the end of the list. */
const char *didq_synth_kind(int i);

/* Default options: 1000 rows, seed 1, last month, no defects, CSV. */
didq_synth_opts didq_synth_defaults(void);

/* Checks the options (inject kinds, ranges); returns 0, or -1 with a
 * one-line message in err. */
int didq_synth_validate(const didq_synth_opts *o, char *err, size_t errlen);

/* Writes the month to out.  Returns 0, or -1 on a write error. */
int didq_synth_write(FILE *out, const didq_synth_opts *o);

/* The month in a malloc'd buffer (for the in-memory demo); *len bytes. */
char *didq_synth_mem(const didq_synth_opts *o, size_t *len);

#endif
