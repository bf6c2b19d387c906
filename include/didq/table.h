/* table.h: small in-memory CSV tables, used for the refdata/ files that are
 * compiled into the binary and for reference files given at run time. */
#ifndef DIDQ_TABLE_H
#define DIDQ_TABLE_H

#include <stddef.h>

/* A parsed CSV table: the first row is the header.  Owned by the caller;
 * release with didq_table_free(). */
typedef struct didq_table {
    size_t nrows;  /* data rows, header excluded */
    size_t ncols;  /* columns in the header */
    char **cells;  /* nrows * ncols cells, row-major, never NULL ("" when short) */
    char **header; /* ncols names */
} didq_table;

/* Text of an embedded refdata file, e.g. "v1/rules.csv"; NULL if absent. */
const char *didq_embedded(const char *name, size_t *len);

/* Parses CSV text; returns NULL (and a message in err) on a parse error. */
didq_table *didq_table_parse(const char *text, size_t len, char *err, size_t errlen);

/* Parses an embedded refdata file; aborts the program if it is missing or
 * malformed, because that is a build defect, not a user error. */
didq_table *didq_table_embedded(const char *name);

/* Column index of a header name (case-insensitive), or -1. */
int didq_table_col(const didq_table *t, const char *name);

/* Cell text; "" for out-of-range columns. */
const char *didq_table_get(const didq_table *t, size_t row, int col);

void didq_table_free(didq_table *t);

#endif
