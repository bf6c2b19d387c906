/* csvin_int.h: the inside of the CSV reader (csvin.c), shared with the
 * parallel CSV load (csvpar.c).  Not for other modules.
 *
 * The parallel load keeps one reader state for the file (the "file
 * reader": line, byte position, record number, the header's column map,
 * the malformed rows kept and counted, the notices given) and parses the
 * blocks after the first in "segment" readers: a segment reader numbers
 * lines and bytes from its block's start, keeps every row but the
 * malformed ones past its block's own MALFORMED_KEPT (counted: those are
 * past the file's cap too; the cap itself and the once-only notices are
 * decided when its records are merged into the file reader, in file
 * order), and stops with
 * DIDQ_CSV_UNSPLIT where the serial reader would need to know what came
 * before (a row over several lines, a parse error): the file reader then
 * reads the rest serially from that block on. */
#ifndef DIDQ_CSVIN_INT_H
#define DIDQ_CSVIN_INT_H

#include "didq/reader.h"
#include "didq/util.h"

#include <csv.h>
#include <stdbool.h>
#include <stdint.h>

/* A file with rows of the wrong shape is rejected whatever else it holds:
 * past this many such rows the others are counted, not kept (each kept row
 * costs a record and a finding, some 300 bytes, however short the row). */
enum { MALFORMED_KEPT = 10000 };

/* A segment reader's status: the block cannot be read without what came
 * before it. */
enum { DIDQ_CSV_UNSPLIT = -10 };

typedef struct csvin {
    struct csv_parser p;
    const didq_dataset *ds;
    const didq_reader_cb *cb;
    uint32_t file;
    didq_buf row;                  /* bytes of the row's kept fields (libcsv's rows) */
    const char *line_src;          /* a plain line's bytes in the input, or NULL (row_bytes) */
    uint32_t start[DIDQ_MAX_COLS]; /* field offsets into row_bytes */
    uint32_t len[DIDQ_MAX_COLS];
    unsigned char isnull[DIDQ_MAX_COLS];
    size_t nf;                /* fields seen in the row (may exceed kept, and INT_MAX) */
    unsigned flags;           /* DIDQ_REC_* noticed in this row */
    uint64_t line, row_line;  /* current physical line; row start line */
    uint64_t pos, row_offset; /* byte position; row start offset */
    uint64_t recno;
    size_t expect; /* fields per row (18, or the header's) */
    int header_checked;
    int map[DIDQ_MAX_COLS];     /* column -> item, or -1 (extra) */
    int straight;               /* map[i] == i for every item: column i is item i */
    uint32_t plain_len;         /* the row is a plain line of this many bytes (plain_line), or 0 */
    char *names[DIDQ_MAX_COLS]; /* header names, for extra columns */
    unsigned warned;            /* DIDQ notices already reported (bit per kind) */
    int multiline;              /* the row spans more than one line */
    int stop;                   /* status from a callback */
    didq_buf extra;
    uint64_t malformed;                            /* rows with a DIDS075 of their own */
    uint64_t dropped, dropped_first, dropped_last; /* past MALFORMED_KEPT: counted only */
    int quote_scan;     /* a quoted field passed 1 MiB: its closing quote is sought */
    int after_quote;    /* the last byte scanned was a quote inside the field */
    int scan_cr;        /* ... was a CR (a CRLF is one line end) */
    uint64_t scan_line; /* line of the byte being scanned */
    /* segment readers only */
    int seg;               /* a block of a parallel load (names are the file reader's) */
    char wmsg[200];        /* the DIDS075 message of the last record, when of the wrong width */
    int prev_cr, mid_line; /* of feeding: the last byte was a CR; inside a line */
} csvin;

csvin *didq_csvin_new(const didq_dataset *ds, const didq_reader_cb *cb, uint32_t file);
void didq_csvin_free(csvin *in);

/* A segment reader for a block of the file read by f (its header taken). */
csvin *didq_csvin_segment(const csvin *f, const didq_reader_cb *cb);

/* DIDQ_READ_FATAL with the finding if the first bytes are not CSV text
 * (UTF-16, binary); else 0. */
int didq_csvin_not_text(csvin *in, const unsigned char *head, size_t nhead);

/* Feeds n bytes (the file's first bytes skip a byte order mark); returns
 * 0 or a status (a didq_read_status, or DIDQ_CSV_UNSPLIT). */
int didq_csvin_feed(csvin *in, const unsigned char *buf, size_t n);

/* At the end of the input: the last row, an unclosed quote, a file of no
 * records; then the rows counted, not kept.  Returns a didq_read_status. */
int didq_csvin_finish(csvin *in, int st);

/* A segment reader at the end of the file's last block: its last row (or
 * DIDQ_CSV_UNSPLIT for an open quote). */
int didq_csvin_segment_end(csvin *in);

/* The file reader takes a segment's record r (line and offset already
 * made the file's): past the cap of malformed rows it is counted and false
 * is returned; else it gets its record number, its width finding (wmsg,
 * for a row of the wrong width) and its notices, and true is returned. */
bool didq_csvin_merge_record(csvin *f, didq_record *r, const char *wmsg);

/* The file reader takes the n malformed rows a segment reader counted
 * without keeping them (past its block's own MALFORMED_KEPT, so past the
 * file's), first and last their lines made the file's; they follow every
 * row of the segment merged before. */
void didq_csvin_merge_dropped(csvin *f, uint64_t n, uint64_t first, uint64_t last);

/* The file reader takes a segment's finding (line made the file's): a
 * once-only notice is kept if it is the file's first of its kind. */
void didq_csvin_merge_finding(csvin *f, const char *code, uint64_t line, const char *msg);

#endif
