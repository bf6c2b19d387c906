/* mapped.h: input files mapped into memory (session.h, values_in_file),
 * and what happens when another program cuts one short while it is read:
 * a read past the file's new end raises SIGBUS, which the guard turns
 * into a message naming the file and exit status 66 (an input cannot be
 * read), the temporary files of outputs removed (afile.h), instead of a
 * crash.  A SIGBUS anywhere else keeps its default action. */
#ifndef DIDQ_MAPPED_H
#define DIDQ_MAPPED_H

#include <stddef.h>

#include <stdbool.h>

enum { DIDQ_MAPPED_MAX = 64 }; /* files noted at once */

/* Notes n bytes at p as a mapped input whose truncation prints msg (a
 * whole line, its file name already escaped; copied).  False when the
 * table is full: the caller must not keep such a mapping (a SIGBUS in it
 * would not be told). */
bool didq_mapped_note(const void *p, size_t n, const char *msg);
/* Before the mapping at p is unmapped. */
void didq_mapped_forget(const void *p);
/* Installs the SIGBUS handler (once, at the start of a command). */
void didq_mapped_guard(void);

#endif
