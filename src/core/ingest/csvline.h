/* csvline.h: the bytes of one CSV line, scanned for the CSV reader
 * (csvin.c): where it ends, and in one pass where its commas are and
 * whether it holds a quote or a NUL or non-ASCII byte. */
#ifndef DIDQ_CSVLINE_H
#define DIDQ_CSVLINE_H

#include <stddef.h>
#include <stdint.h>

/* The longest line split by didq_csv_line_scan (longer ones, and lines
 * with a quote, go through libcsv). */
enum { DIDQ_CSV_LINE_MAX = 1 << 16 };

/* The end of the line starting at s: the offset of its first CR or LF, or
 * n. */
size_t didq_csv_line_end(const unsigned char *s, size_t n);

/* One pass over the n bytes of a line, n at most DIDQ_CSV_LINE_MAX: its
 * commas as bits (bit j of bits[k]: byte 64k + j; bits has room for
 * n / 64 + 1 words), whether a byte is a quote (then 0 is returned, else
 * 1) and whether one is NUL or not ASCII (*odd).  Sixteen bytes at a time
 * with SSE2 (every x86-64), byte by byte elsewhere: the same either way. */
int didq_csv_line_scan(const unsigned char *s, size_t n, uint64_t *bits, int *odd);

#endif
