/* xmlerr.h: libxml2's errors in words for a person.  libxml2 reports in
 * its own terms ("Input is not proper UTF-8, indicate encoding !\nBytes:
 * ...", "input conversion failed due to input error") and, for errors with
 * no parser context (encodings, I/O), straight to stderr unless a handler
 * is set; xmlin.c routes them all here and into DIDS076 findings. */
#ifndef DIDQ_XMLERR_H
#define DIDQ_XMLERR_H

#include <libxml/xmlerror.h>
#include <stddef.h>

/* The message for error e, a sentence without a line end. */
void didq_xml_error_words(const xmlError *e, char *out, size_t cap);

#endif
