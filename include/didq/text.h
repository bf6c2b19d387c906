/* text.h: making untrusted text safe for terminals, JSON and CSV, and
 * masking patient identifiers. */
#ifndef DIDQ_TEXT_H
#define DIDQ_TEXT_H

#include "didq/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Appends s to b with control characters as ^X (DEL as ^?), C1 controls
 * and invalid UTF-8 bytes as \xNN; printable UTF-8 is kept. */
void didq_text_escape(didq_buf *b, const char *s, size_t n);

/* Writes s to out through didq_text_escape (messages naming files). */
void didq_text_fputs(FILE *out, const char *s);

/* Writes s as a JSON string (with quotes). */
void didq_text_json(FILE *out, const char *s);

/* Writes s as a CSV cell, quoted when needed.  A value a spreadsheet would
 * run as a formula (first character = + - @ tab or CR) is written with a
 * leading apostrophe, which spreadsheets show as text (docs/design.md). */
void didq_text_csv(FILE *out, const char *s, size_t n);
/* The same for untrusted text: control characters (and bytes that are not
 * UTF-8) escaped first as the terminal shows them (didq_text_escape), so
 * that a file `cat` on a terminal runs no escape sequence. */
void didq_text_csv_safe(FILE *out, const char *s, size_t n);

/* Masks an identifier for display by its item's form (refdata/v1/masking.csv,
 * shown in docs/usage.md), on the value without its leading and trailing
 * blanks (kept as they are): a value in the form keeps what the form keeps
 * (943*****19, 19**-**-**, LS1 ***) and any other is masked whole
 * (22/08/1963 as **********: its first characters may be the day of
 * birth).  item is a didq_item; other items are copied unchanged. */
void didq_text_mask(didq_buf *b, int item, const char *s, size_t n);

/* Appends s with every byte masked ('*'): free text that may hold an
 * identifier but has no form to keep any of, such as the explorer's search
 * text while masking is on. */
void didq_text_mask_all(didq_buf *b, const char *s, size_t n);

/* True for items that identify a patient: those of refdata/v1/masking.csv
 * (NHS number, birth date, postcode). */
bool didq_text_is_identifier(int item);

#endif
