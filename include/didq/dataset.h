/* dataset.h: a data set version (v1 today) as data: its items, code lists
 * and rule catalogue, read from the refdata/<version>/ tables compiled into
 * the binary.  Nothing here is hand-written per item or per rule. */
#ifndef DIDQ_DATASET_H
#define DIDQ_DATASET_H

#include <stdbool.h>
#include <stddef.h>

enum { DIDQ_MAX_ITEMS = 32, DIDQ_MAX_RULE_FIELDS = 8 };

/* The v1 items by position, for code that needs a particular item (the
 * store's derived columns, the explorer's panes).  items.csv must list them
 * in this order; didq_dataset_v1() checks it. */
enum didq_item {
    DIDQ_NHS_NUMBER,
    DIDQ_NHS_STATUS,
    DIDQ_BIRTH_DATE,
    DIDQ_ETHNIC,
    DIDQ_GENDER,
    DIDQ_POSTCODE,
    DIDQ_PRACTICE,
    DIDQ_SETTING,
    DIDQ_REFERRER,
    DIDQ_REFERRING_ORG,
    DIDQ_REQUEST_DATE,
    DIDQ_RECEIVED_DATE,
    DIDQ_TEST_DATE,
    DIDQ_NICIP,
    DIDQ_SNOMED,
    DIDQ_REPORT_DATE,
    DIDQ_SITE,
    DIDQ_ACCESSION,
    DIDQ_V1_ITEMS
};

typedef struct didq_item_def {
    const char *field;     /* NHS England field name, e.g. NHS_NUMBER */
    const char *dd_name;   /* NHS Data Dictionary name */
    const char *label;     /* legacy DID label */
    const char *shortname; /* column heading */
    const char *status;    /* M, R or M* */
    const char *kind;      /* nhs_number, date, code:<list>, postcode, org, ... */
    int width;             /* usual display width */
    bool is_date;
} didq_item_def;

typedef enum didq_severity { DIDQ_ERROR, DIDQ_WARNING } didq_severity;

typedef struct didq_rule_def {
    const char *code; /* DIDS001 ... */
    didq_severity severity;
    const char *check;                /* check primitive name, see rules.c */
    int fields[DIDQ_MAX_RULE_FIELDS]; /* item indexes; fields[0] is the attribute */
    int nfields;
    const char *args;  /* primitive arguments, e.g. "1970-01-01", "4 6" */
    const char *needs; /* reference data it needs, "" if none */
    const char *message;
} didq_rule_def;

typedef struct didq_code {
    const char *list, *code, *meaning, *group;
} didq_code;

/* A code list, resolved once for fast membership tests. */
typedef struct didq_codelist {
    const char *name;
    int n;
    const char *code[64];
    unsigned char len[64];
} didq_codelist;

typedef struct didq_file_rule {
    const char *code, *format, *message;
    bool reject; /* true: the file is rejected; false: a warning */
} didq_file_rule;

typedef struct didq_dataset {
    const char *name; /* "v1" */
    int nitems;
    didq_item_def items[DIDQ_MAX_ITEMS];
    int nrules;
    didq_rule_def *rules;
    size_t ncodes;
    didq_code *codes;
    int nfile_rules;
    didq_file_rule *file_rules;
    int nlists;
    didq_codelist *lists;
    size_t naliases;
    const char **alias_from; /* upper-case alias */
    int *alias_to;           /* item index */
} didq_dataset;

/* The DIDS v1 data set, built once on first use; never freed. */
const didq_dataset *didq_dataset_v1(void);

/* Item index for a field name, Data Dictionary name or alias (case and
 * space/underscore insensitive); -1 if unknown. */
int didq_dataset_item(const didq_dataset *ds, const char *name);

/* Rule index for a code, or -1. */
int didq_dataset_rule(const didq_dataset *ds, const char *code);

/* The named code list, or NULL. */
const didq_codelist *didq_dataset_list(const didq_dataset *ds, const char *name);

/* True if s is in the list (exact, case-sensitive). */
static inline bool didq_codelist_has(const didq_codelist *l, const char *s, size_t n)
{
    for (int i = 0; i < l->n; i++)
        if (l->len[i] == n &&
            (n == 0 || (l->code[i][0] == s[0] && __builtin_memcmp(l->code[i], s, n) == 0)))
            return true;
    return false;
}


/* Meaning of a code in a list, or NULL. */
const char *didq_dataset_meaning(const didq_dataset *ds, const char *list, const char *s, size_t n);

/* The file-level rule for a code (DIDS075/076), or NULL. */
const didq_file_rule *didq_dataset_file_rule(const didq_dataset *ds, const char *code);

#endif
