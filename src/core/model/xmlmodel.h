/* xmlmodel.h: the DIDS v1 XML message as data (dids-spec.md section 1.3):
 * its elements, their order and cardinality, and where each data item is
 * carried.  xmlin.c walks a document against it; docs/xml.md describes it. */
#ifndef DIDQ_XMLMODEL_H
#define DIDQ_XMLMODEL_H

#include <stddef.h>

#define DIDQ_DIDS_NS "http://www.datadictionary.nhs.uk/data_dictionary/messages/DIDS-v1-0/"

typedef enum didq_xml_carrier {
    DIDQ_XC_NONE,      /* a container: child elements only, no text */
    DIDQ_XC_CODE,      /* value in the code attribute, no text */
    DIDQ_XC_EXTENSION, /* value in the extension attribute, no text */
    DIDQ_XC_TEXT       /* value in the element text, no children */
} didq_xml_carrier;

typedef struct didq_xml_elem {
    const char *name;
    int parent;   /* index of the parent element, -1 for the root */
    int min, max; /* occurrences within the parent; max 0 = unbounded */
    int item;     /* data item carried (0-based), -1 for containers */
    didq_xml_carrier carrier;
} didq_xml_elem;

/* Indexes of the elements the reader needs by name. */
enum { DIDQ_XE_ROOT = 0, DIDQ_XE_RECORD = 1, DIDQ_XE_ACTIVITY = 17 };

/* The element table, children of a parent listed in their required order. */
const didq_xml_elem *didq_xml_elem_at(int i);

/* Index of the child of parent with this local name, or -1. */
int didq_xml_child(int parent, const char *name);

/* The children an open element has had so far. */
typedef struct didq_xml_seen {
    int last;           /* index of the last child, -1 before the first */
    int count;          /* its occurrences in a row */
    unsigned long mask; /* bit per child index seen */
} didq_xml_seen;

/* Order and cardinality as children arrive and when the parent closes.  On
 * a violation these return nonzero and write a message naming the elements. */
int didq_xml_check_child(int parent, int child, didq_xml_seen *s, char *msg, size_t n);
int didq_xml_check_end(int parent, const didq_xml_seen *s, char *msg, size_t n);

#endif
