/* xmlscan.h: a byte scanner run over XML before libxml2 sees it, so that
 * one tag cannot hold the parser for long: libxml2 2.9 checks an element's
 * attributes for duplicates pairwise (400 000 attributes took 64 s, during
 * which no key or signal was seen) and keeps a start tag whole until its
 * '>' arrives.  The scanner follows tags, quoted attribute values,
 * comments, CDATA sections, processing instructions and declarations
 * across chunks, and stops at the first tag longer than DIDQ_XML_TAG_MAX
 * bytes or with more than DIDQ_XML_ATTR_MAX attributes. */
#ifndef DIDQ_XMLSCAN_H
#define DIDQ_XMLSCAN_H

#include <stddef.h>
#include <stdint.h>

/* A DIDS v1 tag is a name, namespace declarations (on the root) and one
 * value attribute (code or extension): the longest in NHS England's
 * fixtures is 137 bytes with 2 attributes.  A value attribute of up to
 * about 8 KB is still read (and cut at 4096 bytes, DIDQ104). */
enum { DIDQ_XML_TAG_MAX = 8192, DIDQ_XML_ATTR_MAX = 8 };

typedef struct didq_xml_scan {
    int state;         /* text, in a tag, in a quoted value, in a comment, ... */
    char quote;        /* the quote that opened the value */
    int match;         /* bytes of a closing sequence or an opening prefix matched */
    char pre[8];       /* bytes after "<!", to tell a comment, CDATA or declaration */
    int depth;         /* '[' nesting inside a declaration */
    size_t taglen;     /* bytes of the current tag so far */
    unsigned attrs;    /* '=' outside quotes in the current tag */
    uint64_t line;     /* line of the next byte */
    uint64_t tag_line; /* line on which the current tag began */
    char name[41];     /* the tag's name as far as scanned (for the message) */
    size_t nname;
} didq_xml_scan;

void didq_xml_scan_init(didq_xml_scan *s);

/* Scans n bytes.  Returns n when none breaks a limit; else the offset of the
 * byte that does, with the message in msg and its line (where the tag
 * began) in *line.  After a breach the scanner must not be used again. */
size_t didq_xml_scan_bytes(didq_xml_scan *s, const unsigned char *p, size_t n, char *msg,
                           size_t cap, uint64_t *line);

#endif
