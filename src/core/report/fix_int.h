/* fix_int.h: what the fix files share (fix.c plans, fix_write.c copies,
 * fix_hint.c reads shifted rows, fix_report.c reports). */
#ifndef DIDQ_FIX_INT_H
#define DIDQ_FIX_INT_H

#include "didq/fix.h"
#include "didq/record.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/* One value to change: where (the record's byte offset and the column),
 * the raw bytes expected there and their replacement, the trimmed values
 * for the log. */
typedef struct fix_edit {
    uint64_t offset, line, recno;
    uint16_t col; /* 1-based */
    int item, row;
    char *old_raw, *new_raw, *old_val, *new_val;
    uint32_t old_len, new_len;
    bool applied;
} fix_edit;

/* A repair hint for a row of one field too few or too many (no values). */
typedef struct fix_hint_row {
    uint64_t line;
    char *text;
} fix_hint_row;

enum { FIX_RULES_MAX = 256 };

struct didq_fix_plan {
    char *path;
    struct stat st; /* IN when planned: it must not change before the copy */
    fix_edit *e;
    size_t n, cap;
    uint64_t records;
    uint64_t planned[DIDQ_FIX_MAX], applied[DIDQ_FIX_MAX], mismatched;
    uint64_t revealed[FIX_RULES_MAX]; /* findings a fix revealed, per rule index */
    fix_hint_row *hints;
    size_t nhints, hints_cap;
    uint64_t shifted; /* rows of 17 or 19 fields seen */
};

/* The repair of kind for value s (n bytes, trimmed) into out (16 bytes). */
bool fix_repair(const char *kind, const char *s, size_t n, char *out);

/* A record of the wrong width: a hint when it has one field too few or too
 * many and the per-item patterns say which (fix_hint.c). */
void fix_hint(didq_fix_plan *p, const didq_record *r);

#endif
