/* record.h: one submitted record as read from a file, and its cleansing
 * (dids-spec.md section 1.4) before the rules see it. */
#ifndef DIDQ_RECORD_H
#define DIDQ_RECORD_H

#include "didq/dataset.h"

#include <stdbool.h>
#include <stdint.h>

/* Record flags: problems the reader noticed in the bytes themselves. */
enum {
    DIDQ_REC_BAD_UTF8 = 1,  /* a field holds bytes that are not UTF-8 */
    DIDQ_REC_NUL = 2,       /* a field holds a NUL byte */
    DIDQ_REC_TRUNCATED = 4, /* a field was longer than DIDQ_FIELD_MAX and was cut */
    DIDQ_REC_WIDTH = 8,     /* the row did not have the data set's number of fields */
    /* Set by the session from the rules (didq_rule_presence() aside): the
     * item is filled and breaks a rule about its value.  The anomaly
     * analyses compare and group only values that pass their rules. */
    DIDQ_REC_BAD_BIRTH = 16,  /* birth date */
    DIDQ_REC_BAD_GENDER = 32, /* gender */
    DIDQ_REC_BAD_SITE = 64    /* site code of imaging */
};

enum { DIDQ_FIELD_MAX = 4096, DIDQ_NHS_BUF = 64 };

typedef struct didq_field {
    const char *raw; /* bytes as in the file (not NUL-terminated); NULL if absent */
    uint32_t raw_len;
    const char *val; /* cleansed: trimmed of spaces; NHS number compacted */
    uint32_t len;
} didq_field;

typedef struct didq_record {
    uint32_t file;    /* file number, 1-based, in load order */
    uint64_t recno;   /* record number within the file, 1-based */
    uint64_t line;    /* physical line on which the record starts */
    uint64_t offset;  /* byte offset of the record in the file */
    uint64_t nfields; /* fields the source row had (may pass INT_MAX) */
    unsigned flags;   /* DIDQ_REC_* */
    didq_field f[DIDQ_MAX_ITEMS];
    int32_t date[DIDQ_MAX_ITEMS];   /* strict date or DIDQ_NODATE (date items only) */
    int32_t ldate[DIDQ_MAX_ITEMS];  /* lenient date or DIDQ_NODATE */
    int32_t month[DIDQ_MAX_ITEMS];  /* month index (year * 12 + month - 1) of date */
    int32_t lmonth[DIDQ_MAX_ITEMS]; /* month index of ldate */
    const char *extra;              /* unknown columns as "NAME=value" joined by '\x1f', or NULL */
    uint32_t extra_len;
    /* Bytes of the record's line (without its line end) when its raw
     * values are exactly that line split at its commas, file column i
     * being item i (a plain CSV line: no quote, none cut, no extra
     * column); else 0.  The record store then reads the values back from
     * the file's bytes instead of keeping a copy (recstore.h). */
    uint32_t line_len;
    /* The CSV column of each item, 1-based (0: no column, or XML), so that
     * `didq fix` can rewrite one field in place. */
    uint16_t col[DIDQ_MAX_ITEMS];
    char nhsbuf[DIDQ_NHS_BUF];
} didq_record;

/* Fills val/len and the dates from raw for every item of the data set. */
void didq_record_cleanse(didq_record *r, const didq_dataset *ds);

/* A field is null when the file had no value at all (empty CSV field,
 * absent XML element); blank when null or empty after trimming. */
static inline bool didq_null(const didq_record *r, int item)
{
    return r->f[item].raw == NULL;
}
static inline bool didq_blank(const didq_record *r, int item)
{
    return r->f[item].raw == NULL || r->f[item].len == 0;
}

#endif
