/* recpack.h: a cleansed record packed into a byte buffer and back: its
 * numbers, the raw and cleansed values of each item, the dates of the date
 * items and the extra columns.  The reader thread's batches (pipe.c) and
 * the parallel CSV load's segments (csvpar.c) carry records so. */
#ifndef DIDQ_RECPACK_H
#define DIDQ_RECPACK_H

#include "didq/dataset.h"
#include "didq/record.h"

#include <stddef.h>

typedef struct didq_recpack {
    int nitems, ndates, date_items[DIDQ_MAX_ITEMS];
} didq_recpack;

void didq_recpack_init(didq_recpack *pk, const didq_dataset *ds);

/* The bytes a record's values may lie in, kept by the caller until the
 * record is unpacked: values inside them are packed as offsets, not
 * copied (the parallel load's block; {NULL, 0}: every value copied). */
typedef struct didq_recpack_base {
    const unsigned char *p;
    size_t n;
} didq_recpack_base;

/* Bytes r takes packed (a multiple of 8). */
size_t didq_recpack_size(const didq_recpack *pk, const didq_record *r, didq_recpack_base in);

/* Packs r into p (8-aligned, didq_recpack_size(r, in) bytes). */
void didq_recpack_put(const didq_recpack *pk, const didq_record *r, didq_recpack_base in,
                      unsigned char *p, size_t size);

/* Unpacks the record at p into r (its values point into p or into in's
 * bytes, the same as it was packed with); returns the packed size. */
size_t didq_recpack_get(const didq_recpack *pk, const unsigned char *p, didq_recpack_base in,
                        didq_record *r);

#endif
