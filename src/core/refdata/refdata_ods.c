/* refdata_ods.c: the ODS organisation files as NHS England publishes them:
 * headerless CSV, 27 columns, column 1 the code, 2 the name, 11 the open
 * date and 12 the close date (CCYYMMDD, empty while open), 14 the
 * non-primary role codes in the Data Search and Export reports.  The file
 * gives the primary role (refdata/v1/ods_files.csv), since most files do
 * not carry it; epraccur's column 26 (prescribing setting 4) marks GP
 * practices. */
#include "refdata_int.h"
#include "didq/date.h"
#include "didq/table.h"
#include "didq/util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_CODE = 0, COL_OPEN = 10, COL_CLOSE = 11, COL_ROLES = 13, COL_SETTING = 25 };

static didq_table *ods_table;
static pthread_once_t ods_once = PTHREAD_ONCE_INIT;

static void load_ods_files(void)
{
    ods_table = didq_table_embedded("v1/ods_files.csv");
    if (ods_table->nrows > 32) didq_die("internal error: ods_files.csv has more than 32 stems");
}

/* Loaded once whichever thread asks first (the two loads of didq diff ask
 * at once: a plain test made two tables, one leaked). */
static const didq_table *ods_files(void)
{
    pthread_once(&ods_once, load_ods_files);
    return ods_table;
}

int refdata_ods_stem(const char *base)
{
    const didq_table *t = ods_files();
    for (size_t r = 0; r < t->nrows; r++) {
        const char *stem = didq_table_get(t, r, 0);
        size_t n = strlen(stem);
        if (strncasecmp(base, stem, n) == 0 && !isalpha((unsigned char)base[n])) return (int)r;
    }
    return -1;
}

const char *refdata_ods_stem_name(int i)
{
    return didq_table_get(ods_files(), (size_t)i, 0);
}

const char *refdata_ods_desc(int i)
{
    return didq_table_get(ods_files(), (size_t)i, 2);
}

const char *refdata_ods_roles(int i)
{
    return didq_table_get(ods_files(), (size_t)i, 1);
}

/* Role bits of "RO1|RO2" (or space separated); 0 if a token is not RO<n>. */
static uint32_t role_bits(didq_refdata *rd, const char *s)
{
    uint32_t bits = 0;
    while (*s) {
        size_t n = strcspn(s, "| ;");
        if (n) {
            if (n < 3 || toupper((unsigned char)s[0]) != 'R' || toupper((unsigned char)s[1]) != 'O')
                return 0;
            for (size_t i = 2; i < n; i++)
                if (!isdigit((unsigned char)s[i])) return 0;
            bits |= refdata_role_bit(rd, s, n);
        }
        s += n;
        s += strspn(s, "| ;");
    }
    return bits;
}

static int on_ods_row(void *ctx, const didq_table_row *row)
{
    refload *L = ctx;
    if (refload_malformed(L, row)) return 0;
    if (row->n < COL_CLOSE + 1) {
        refload_bad(L, row->line,
                    "%d columns; an ODS file has 27 (code, name, ..., open and"
                    " close dates in 11 and 12)",
                    row->n);
        return 0;
    }
    uint64_t key = refkey_code(row->f[COL_CODE], row->len[COL_CODE], 0);
    refrow r = {0};
    if (!key) {
        refload_bad(L, row->line, "column 1 is not an organisation code (1-12 letters/digits)");
        return 0;
    }
    if (!refdate_parse(row->f[COL_OPEN], row->len[COL_OPEN], &r.from) ||
        !refdate_parse(row->f[COL_CLOSE], row->len[COL_CLOSE], &r.to)) {
        refload_bad(L, row->line, "open or close date (columns 11, 12) is not CCYYMMDD");
        return 0;
    }
    r.extra = role_bits(L->rd, refdata_ods_roles(L->ods_file));
    if (row->n > COL_ROLES) r.extra |= role_bits(L->rd, row->f[COL_ROLES]);
    if (strcmp(refdata_ods_roles(L->ods_file), "RO177") == 0 && row->n > COL_SETTING &&
        strcmp(row->f[COL_SETTING], "4") == 0)
        r.extra |= refdata_role_bit(L->rd, "RO76", 4);
    reftable_add(&L->rd->ods, key, &r);
    L->file->rows++;
    refload_newest(L, r.from);
    refload_newest(L, r.to);
    return 0;
}

int refdata_load_ods(refload *L, const char *path, char *err, size_t errlen)
{
    return didq_table_read_file(path, NULL, on_ods_row, L, err, errlen);
}
