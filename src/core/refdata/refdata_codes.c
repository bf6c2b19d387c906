/* refdata_codes.c: the NICIP release table and the DID SNOMED CT exam code
 * lookup (dids-spec.md 6.2), CSV with a header row.  NICIP: SHORT_CODE,
 * SCT_ID, SHORT_CODE_START_DATE, SHORT_CODE_END_DATE (one row per code and
 * time slice); a row whose SHORT_CODE_END_DATE is empty takes its
 * BUSINESS_END_DATE (NHS England's table gives a withdrawn code's end date
 * there only).  Exam lookup: SCT_ID, MODALITY, RECORD_START_DATE,
 * RECORD_END_DATE.  Column order does not matter; other columns are
 * ignored. */
#include "refdata_int.h"
#include "didq/date.h"

enum { CODE, SCT, FROM, TO, MOD, TO2 };

static int on_header(refload *L, const didq_table_row *row)
{
    if (L->file->kind == DIDQ_REF_NICIP) {
        L->col[CODE] = didq_table_row_col(row, "SHORT_CODE");
        L->col[SCT] = didq_table_row_col(row, "SCT_ID");
        L->col[FROM] = didq_table_row_col(row, "SHORT_CODE_START_DATE BUSINESS_START_DATE");
        L->col[TO] = didq_table_row_col(row, "SHORT_CODE_END_DATE BUSINESS_END_DATE");
        L->col[TO2] = didq_table_row_col(row, "BUSINESS_END_DATE");
    } else {
        L->col[CODE] = L->col[SCT] = didq_table_row_col(row, "SCT_ID");
        L->col[FROM] = didq_table_row_col(row, "RECORD_START_DATE");
        L->col[TO] = didq_table_row_col(row, "RECORD_END_DATE");
        L->col[MOD] = didq_table_row_col(row, "MODALITY MODALITY_ID");
    }
    for (int i = CODE; i <= TO; i++)
        if (L->col[i] < 0) {
            refload_bad(L, row->line, "header lacks a code, SCT_ID or start/end date column");
            return 1;
        }
    return 0;
}

static const char *cell(const didq_table_row *row, int col, size_t *len)
{
    *len = col >= 0 && col < row->n ? row->len[col] : 0;
    return col >= 0 && col < row->n ? row->f[col] : "";
}

static int row_dates(refload *L, const didq_table_row *row, refrow *r)
{
    size_t fl, tl;
    const char *f = cell(row, L->col[FROM], &fl), *t = cell(row, L->col[TO], &tl);
    if (!tl && L->file->kind == DIDQ_REF_NICIP) t = cell(row, L->col[TO2], &tl);
    if (refdate_parse(f, fl, &r->from) && refdate_parse(t, tl, &r->to)) return 1;
    refload_bad(L, row->line, "start or end date is not a date");
    return 0;
}

static int on_code_row(void *ctx, const didq_table_row *row)
{
    refload *L = ctx;
    if (refload_malformed(L, row)) return row->index == 0;
    if (row->index == 0) return on_header(L, row);
    bool nicip = L->file->kind == DIDQ_REF_NICIP;
    size_t cl, sl, ml;
    const char *code = cell(row, L->col[CODE], &cl), *sct = cell(row, L->col[SCT], &sl);
    refrow r = {.extra = UINT32_MAX};
    uint64_t key = nicip ? refkey_code(code, cl, 0) : refkey_sct(code, cl);
    r.sct = refkey_sct(sct, sl);
    if (!key || (sl && !r.sct)) {
        refload_bad(L, row->line, "%s",
                    nicip ? "SHORT_CODE or SCT_ID is malformed" : "SCT_ID is not a SNOMED CT id");
        return 0;
    }
    if (!row_dates(L, row, &r)) return 0;
    const char *mod = cell(row, L->col[MOD], &ml);
    if (!nicip && ml) r.extra = refdata_intern(L->rd, mod, ml);
    reftable_add(nicip ? &L->rd->nicip : &L->rd->snomed, key, &r);
    L->file->rows++;
    refload_newest(L, r.from);
    refload_newest(L, r.to);
    return 0;
}

int refdata_load_codes(refload *L, const char *path, char *err, size_t errlen)
{
    return didq_table_read_file(path, NULL, on_code_row, L, err, errlen);
}
