/* table.h: didq's own CSV tables, one reader for all of them: the refdata/
 * files compiled into the binary, a --thresholds file and the official
 * reference files of --refdata.  (The submission files have their own
 * reader, csvin.c, with the DIDS v1 rules about their shape.)
 *
 * The CSV it reads: fields separated by commas, rows by LF, CRLF or CR.  A
 * field may be quoted ("" is a quote inside it) and then holds commas and
 * line breaks.  Spaces and tabs around a field are dropped (inside quotes
 * they are kept).  Blank lines are skipped, and so is a UTF-8 byte order
 * mark at the start.  A quote inside an unquoted field, or text after a
 * closing quote, is kept as text (as libcsv reads it).  A row is malformed
 * (didq_table_row.bad) when a quote is never closed or when the row is
 * longer than DIDQ_TABLE_ROW_BYTES; the reader then goes on at the next
 * line. */
#ifndef DIDQ_TABLE_H
#define DIDQ_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DIDQ_TABLE_ROW_BYTES = 1 << 16 };

/* One row as it is read; valid during the callback only. */
typedef struct didq_table_row {
    char **f;          /* fields, unquoted and trimmed, NUL-terminated (but
                          see the fast path of didq_table_opts.maxcol) */
    const size_t *len; /* their lengths (a field may hold a NUL byte) */
    int n;             /* number of fields */
    uint64_t line;     /* the physical line the row starts on (for a bad
                          row, the line of its problem), 1-based */
    uint64_t index;    /* 0 for the first row (a header), then 1, 2, ... */
    const char *bad;   /* NULL, or why the row is malformed: skip it (the text
                          lasts only for the call: copy it to keep it) */
} didq_table_row;

/* Called for every row; returns nonzero to stop reading. */
typedef int (*didq_table_fn)(void *ctx, const didq_table_row *row);

typedef struct didq_table_opts {
    bool comments; /* skip lines whose first non-blank character is # */
    bool text;     /* a NUL byte is a bad row ("not a text file"), the last */
    /* Line mode, for large files of short lines (the ONSPD): each line is a
     * row of its own (a quote not closed on its line makes it bad), and
     * while *maxcol > 0 only the first *maxcol fields of a line are split
     * (the rest of the line is not read) when the line allows the fast
     * path (no doubled quotes, and LF or CRLF line ends): the fields are
     * then not NUL-terminated (use len). */
    const int *maxcol;
} didq_table_opts;

/* Reads CSV text from memory; o may be NULL. */
void didq_table_read(const char *text, size_t len, const didq_table_opts *o, didq_table_fn fn,
                     void *ctx);

/* Reads a file, streaming.  Returns 0, or -1 with "cannot open: reason" or
 * "read error: reason" in err. */
int didq_table_read_file(const char *path, const didq_table_opts *o, didq_table_fn fn, void *ctx,
                         char *err, size_t errlen);

/* Index of the first field of a header row named by one of the
 * space-separated names (case-insensitive), or -1. */
int didq_table_row_col(const didq_table_row *hdr, const char *names);

/* A keyed CSV file (table_keyed.c): a header naming the columns the
 * caller wants (any order, any case; of two with one name the last), then
 * a row a record.  Each row is given to on_row with the fields of those
 * columns, in the order of names ("" for a field the row lacks).  The
 * `--notes` and `--baseline` files. */
typedef struct didq_keyed_csv {
    const char *const *names; /* the columns wanted, by header name */
    int n;                    /* how many */
    const char *header_hint;  /* said with a missing column ("...; "), or "" */
    const char *no_header;    /* why a file without a header line is bad */
    const char *wide_hint;    /* non-NULL: a row with more fields than the
                                 header is bad, and this says why */
    /* NULL, or why the row is bad (why: a buffer of cap bytes for it) */
    const char *(*on_row)(void *ctx, const char *const *f, const size_t *len, uint64_t line,
                          char *why, size_t cap);
    void *ctx;
} didq_keyed_csv;

/* Reads a keyed CSV file.  Returns 0; -1 for bad content ("PATH:LINE:
 * reason" in err: a malformed row, a column missing from the header, no
 * header, or on_row's reason), where reading stops; -2 when the file
 * cannot be read ("PATH: reason"). */
int didq_keyed_csv_read(const char *path, const didq_keyed_csv *k, char *err, size_t errlen);

/* A whole table in memory: the first row is the header.  Owned by the
 * caller; release with didq_table_free(). */
typedef struct didq_table {
    size_t nrows;  /* data rows, header excluded */
    size_t ncols;  /* columns in the header */
    char **cells;  /* nrows * ncols cells, row-major, never NULL ("" when short) */
    char **header; /* ncols names */
} didq_table;

/* Text of an embedded refdata file, e.g. "v1/rules.csv"; NULL if absent. */
const char *didq_embedded(const char *name, size_t *len);

/* Parses CSV text; returns NULL (and "line N: reason" in err) if a row is
 * malformed. */
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
