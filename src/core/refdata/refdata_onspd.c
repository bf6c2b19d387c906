/* refdata_onspd.c: the ONS Postcode Directory (ONSPD) CSV: a header row,
 * then one row per postcode; the postcode is in pcds (or pcd, pcd7, pcd8,
 * pcd2), the termination date in doterm (CCYYMM, empty while live) and
 * the introduction date in dointr.  Only the postcode and whether it is
 * live are kept, in one hash slot per postcode. */
#include "refdata_int.h"
#include "didq/date.h"

enum { PC, TERM, INTR };

static int on_header(refload *L, const didq_table_row *row)
{
    L->col[PC] = didq_table_row_col(row, "pcds pcd pcd7 pcd8 pcd2");
    L->col[TERM] = didq_table_row_col(row, "doterm");
    L->col[INTR] = didq_table_row_col(row, "dointr");
    if (L->col[PC] < 0 || L->col[TERM] < 0) {
        refload_bad(L, row->line, "header lacks the pcds and doterm columns");
        return 1;
    }
    L->maxcol = 1 + (L->col[PC] > L->col[TERM] ? L->col[PC] : L->col[TERM]);
    if (L->col[INTR] >= L->maxcol) L->maxcol = L->col[INTR] + 1;
    return 0;
}

static int on_pc_row(void *ctx, const didq_table_row *row)
{
    refload *L = ctx;
    if (refload_malformed(L, row)) return row->index == 0;
    if (row->index == 0) return on_header(L, row);
    int pc = L->col[PC], term = L->col[TERM], intr = L->col[INTR];
    if (row->n <= pc || row->n <= term) {
        refload_bad(L, row->line, "%d columns, fewer than the header's", row->n);
        return 0;
    }
    uint64_t key = refkey_code(row->f[pc], row->len[pc], 1);
    int32_t t, i = DIDQ_NODATE;
    if (!key || row->len[pc] > 8) {
        refload_bad(L, row->line, "postcode column is not a postcode");
        return 0;
    }
    if (!refdate_parse(row->f[term], row->len[term], &t) ||
        (intr >= 0 && intr < row->n && row->len[intr] &&
         !refdate_parse(row->f[intr], row->len[intr], &i))) {
        refload_bad(L, row->line, "dointr/doterm is not CCYYMM");
        return 0;
    }
    uint32_t v = t == DIDQ_NODATE ? 2 : 1;
    uint32_t prev = refmap_put(&L->rd->postcodes, key, v);
    if (prev != UINT32_MAX && prev > v) refmap_put(&L->rd->postcodes, key, prev);
    L->file->rows++;
    refload_newest(L, t);
    refload_newest(L, i);
    return 0;
}

int refdata_load_onspd(refload *L, const char *path, char *err, size_t errlen)
{
    L->maxcol = 0; /* the header is split in full */
    didq_table_opts o = {.maxcol = &L->maxcol};
    return didq_table_read_file(path, &o, on_pc_row, L, err, errlen);
}
