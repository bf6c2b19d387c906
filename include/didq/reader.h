/* reader.h: streaming readers of submission files (CSV here, XML in
 * xmlin.c).  A reader turns bytes into didq_record values and file-level
 * findings, and hands them to callbacks; it never holds the whole file. */
#ifndef DIDQ_READER_H
#define DIDQ_READER_H

#include "didq/dataset.h"
#include "didq/record.h"

#include <stdint.h>
#include <stdio.h>

enum { DIDQ_MAX_COLS = 256 }; /* columns kept per row; more are counted, not kept */

/* Where bytes come from: a file descriptor, or a memory buffer (the demo
 * month) when mem is not NULL. */
typedef struct didq_src {
    int fd;
    const unsigned char *mem;
    size_t len, pos;
} didq_src;

/* read(2) semantics: bytes read, 0 at the end, -1 with errno on error.
 * A descriptor is polled first: when no byte comes within DIDQ_SRC_WAIT_MS
 * (a slow FIFO, a terminal) it returns -1 with errno EAGAIN, so that the
 * caller can call its progress callback (which may cancel) and try again. */
enum { DIDQ_SRC_WAIT_MS = 200 };
long didq_src_read(didq_src *s, void *buf, size_t n);

typedef struct didq_reader_cb {
    void *ctx;
    /* A record, cleansed.  Valid only during the call.  Nonzero stops. */
    int (*record)(void *ctx, didq_record *r);
    /* A file-level finding: a code of file_rules.csv, the physical line
     * (0 if none) and a specific message (NULL: the table's). */
    void (*finding)(void *ctx, const char *code, uint64_t line, const char *msg);
    /* Bytes consumed so far; nonzero cancels.  May be NULL. */
    int (*progress)(void *ctx, uint64_t bytes);
} didq_reader_cb;

enum didq_read_status {
    DIDQ_READ_OK = 0,
    DIDQ_READ_IO = -1,        /* read error: message in err */
    DIDQ_READ_CANCELLED = -2, /* a callback asked to stop */
    DIDQ_READ_FATAL = -3      /* the file cannot be read further (finding reported) */
};

typedef enum didq_format { DIDQ_FORMAT_CSV, DIDQ_FORMAT_XML } didq_format;

/* Guesses the format from the first bytes of a file (after any BOM and
 * white space, '<' means XML; UTF-16 with a BOM too). */
didq_format didq_sniff_format(const unsigned char *head, size_t n);

/* Reads CSV from src, after the head bytes already taken from it.  file is the 1-based file number
 * put in records. Returns a didq_read_status. */
int didq_csv_read(didq_src *src, uint32_t file, const didq_dataset *ds, const didq_reader_cb *cb,
                  const unsigned char *head, size_t nhead, char *err, size_t errlen);

/* Reads DIDS v1 XML from src (xmlin.c).  Same contract as didq_csv_read. */
/* Initialises the XML parser (libxml2) once: call before two threads may
 * read XML at the same time (`didq diff` loads OLD and NEW at once), as
 * libxml2 asks of threaded programs. */
void didq_xml_init(void);

int didq_xml_read(didq_src *src, uint32_t file, const didq_dataset *ds, const didq_reader_cb *cb,
                  const unsigned char *head, size_t nhead, char *err, size_t errlen);

#endif
