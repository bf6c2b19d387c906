/* dataset.h: a data set version (v1 today) as data: its items, code lists
 * and rule catalogue, read from the refdata/<version>/ tables compiled into
 * the binary.  Nothing here is hand-written per item or per rule. */
#ifndef DIDQ_DATASET_H
#define DIDQ_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DIDQ_MAX_ITEMS = 32, DIDQ_MAX_RULE_FIELDS = 8 };

/* Each v1 item's number: its `num` in items.csv (from 1), which is also the
 * number in the names of its columns of the records table (f13, d13, b13 for
 * the test date: DIDQ_COL_F and the others in store.h).  The one place an
 * item's number is written; enum didq_item is built from it. */
#define DIDQ_NHS_NUMBER_NUM 1
#define DIDQ_NHS_STATUS_NUM 2
#define DIDQ_BIRTH_DATE_NUM 3
#define DIDQ_ETHNIC_NUM 4
#define DIDQ_GENDER_NUM 5
#define DIDQ_POSTCODE_NUM 6
#define DIDQ_PRACTICE_NUM 7
#define DIDQ_SETTING_NUM 8
#define DIDQ_REFERRER_NUM 9
#define DIDQ_REFERRING_ORG_NUM 10
#define DIDQ_REQUEST_DATE_NUM 11
#define DIDQ_RECEIVED_DATE_NUM 12
#define DIDQ_TEST_DATE_NUM 13
#define DIDQ_NICIP_NUM 14
#define DIDQ_SNOMED_NUM 15
#define DIDQ_REPORT_DATE_NUM 16
#define DIDQ_SITE_NUM 17
#define DIDQ_ACCESSION_NUM 18

/* The columns of an item in the records table, named by its number n
 * (dataset.h): fn its raw value, dn a date item's valid date (days since
 * 1970-01-01), hidden bn 1 when it is blank.  For SQL written in the code,
 * DIDQ_COL_F(DIDQ_TEST_DATE) is the string literal "f13" (and DIDQ_COL_D,
 * DIDQ_COL_B); for an item index i known at run time, "f%d" with
 * DIDQ_COL_NUM(i). */
#define DIDQ_COL_STR_(n) #n
#define DIDQ_COL_STR(n) DIDQ_COL_STR_(n)
#define DIDQ_COL_F(item) "f" DIDQ_COL_STR(item##_NUM)
#define DIDQ_COL_D(item) "d" DIDQ_COL_STR(item##_NUM)
#define DIDQ_COL_B(item) "b" DIDQ_COL_STR(item##_NUM)
#define DIDQ_COL_NUM(i) ((i) + 1)

/* The v1 items by position (num - 1), for code that needs a particular item
 * (the store's derived columns, the analyses, the explorer's panes).
 * items.csv must list them in this order (test_item_columns checks it). */
enum didq_item {
    DIDQ_NHS_NUMBER = DIDQ_NHS_NUMBER_NUM - 1,
    DIDQ_NHS_STATUS = DIDQ_NHS_STATUS_NUM - 1,
    DIDQ_BIRTH_DATE = DIDQ_BIRTH_DATE_NUM - 1,
    DIDQ_ETHNIC = DIDQ_ETHNIC_NUM - 1,
    DIDQ_GENDER = DIDQ_GENDER_NUM - 1,
    DIDQ_POSTCODE = DIDQ_POSTCODE_NUM - 1,
    DIDQ_PRACTICE = DIDQ_PRACTICE_NUM - 1,
    DIDQ_SETTING = DIDQ_SETTING_NUM - 1,
    DIDQ_REFERRER = DIDQ_REFERRER_NUM - 1,
    DIDQ_REFERRING_ORG = DIDQ_REFERRING_ORG_NUM - 1,
    DIDQ_REQUEST_DATE = DIDQ_REQUEST_DATE_NUM - 1,
    DIDQ_RECEIVED_DATE = DIDQ_RECEIVED_DATE_NUM - 1,
    DIDQ_TEST_DATE = DIDQ_TEST_DATE_NUM - 1,
    DIDQ_NICIP = DIDQ_NICIP_NUM - 1,
    DIDQ_SNOMED = DIDQ_SNOMED_NUM - 1,
    DIDQ_REPORT_DATE = DIDQ_REPORT_DATE_NUM - 1,
    DIDQ_SITE = DIDQ_SITE_NUM - 1,
    DIDQ_ACCESSION = DIDQ_ACCESSION_NUM - 1,
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

/* The mandatory items (status M) as completeness slots, as the Overview,
 * the Months and the Sites panes count them: the NICIP and SNOMED CT codes
 * are one slot (item2: the pair's other item, else -1), blank when both
 * are (the SNOMED CT code is blank by design when a NICIP code is given).
 * At most DIDQ_MAND_SLOTS. */
enum { DIDQ_MAND_SLOTS = 8 };
typedef struct didq_mand_slots {
    int n;
    int item[DIDQ_MAND_SLOTS], item2[DIDQ_MAND_SLOTS];
} didq_mand_slots;
void didq_mand_slots_of(const didq_dataset *ds, didq_mand_slots *sl);
/* Mandatory items' completeness %: the mean over the slots of the filled
 * share, 100 - 100 x blank[k] / records; NAN without records or slots. */
double didq_mand_filled(const didq_mand_slots *sl, const uint64_t *blank, uint64_t records);

#endif
