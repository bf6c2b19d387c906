/* mapped.h: input files mapped into memory (session.h, values_in_file),
 * their bytes made the process's own (the explorer, which outlives its
 * files' changes), and what happens when another program cuts one short while it is read:
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
/* fn, async-signal-safe, runs in the handler before the message: the
 * explorer restores the terminal there.  NULL: none. */
void didq_mapped_on_fault(void (*fn)(void));

/* Makes the n bytes of the private read-only mapping at p (page-aligned)
 * the process's own: a chunk at a time, the bytes are copied into fresh
 * memory, which then takes the file pages' place at the same addresses
 * (mremap), so that a thread reading them meanwhile reads the same bytes
 * throughout.  Afterwards the file may change or be cut short without
 * effect on them (forget them with didq_mapped_forget; munmap still frees
 * them).  A truncation during the copy raises SIGBUS, as for any read.
 * False if memory ran out: the chunks not yet copied stay the file's. */
bool didq_mapped_adopt(const void *p, size_t n);

#endif
