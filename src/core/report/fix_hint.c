/* fix_hint.c: a repair hint for a row with one field too few or too many
 * (DIDS075): each item's pattern is matched against the fields under each
 * possible place of the missing or extra field, and the place where the
 * fewest values fail their pattern is named when it is the only one (or a
 * run of neighbours).  A hint only: `didq fix` never moves a field. */
#include "fix_int.h"

#include "didq/date.h"
#include "didq/ident.h"
#include "didq/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HINTS_KEPT = 1000, MAX_MISS = 2 };

typedef struct cell {
    const char *s;
    size_t n;
} cell;

static bool org_like(const char *s, size_t n)
{
    bool letter = false;
    for (size_t i = 0; i < n; i++)
        letter |= isalpha((unsigned char)s[i]) != 0;
    return letter && didq_alnum_len_ok(s, n, 3, 12);
}

static bool date_like(const char *s, size_t n)
{
    int32_t d;
    char iso[16];
    return didq_date_parse_lenient(s, n, &d) || fix_repair("date", s, n, iso);
}

static bool nhs_like(const char *s, size_t n)
{
    char buf[DIDQ_NHS_BUF];
    size_t m = didq_nhs_compact(s, n, buf, sizeof buf);
    if (m != 10) return false;
    for (size_t i = 0; i < m; i++)
        if (!isdigit((unsigned char)buf[i])) return false;
    return true;
}

/* 1 when the value has the item's form, 0 when not, -1 when blank. */
static int matches(const didq_dataset *ds, int item, cell v)
{
    if (v.n == 0) return -1;
    const char *kind = ds->items[item].kind;
    char tmp[16];
    if (strncmp(kind, "code:", 5) == 0) {
        const didq_codelist *l = didq_dataset_list(ds, kind + 5);
        return l && didq_codelist_has(l, v.s, v.n);
    }
    if (strcmp(kind, "nhs_number") == 0) return nhs_like(v.s, v.n);
    if (strcmp(kind, "date") == 0) return date_like(v.s, v.n);
    if (strcmp(kind, "postcode") == 0)
        return didq_postcode_format_ok(v.s, v.n) || (fix_repair("postcode_space", v.s, v.n, tmp) &&
                                                     didq_postcode_format_ok(tmp, strlen(tmp)));
    if (strcmp(kind, "org") == 0) return org_like(v.s, v.n);
    if (strcmp(kind, "referrer") == 0) return didq_referrer_type(v.s, v.n) != NULL;
    if (strcmp(kind, "nicip") == 0) return didq_nicip_form_ok(v.s, v.n);
    if (strcmp(kind, "snomed") == 0) return didq_sctid_ok(v.s, v.n);
    return 1; /* free text (the accession number) */
}

static cell trimmed(const char *s, size_t n)
{
    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    return (cell){s, n};
}

/* The row's fields by column, when its items sit in their own columns
 * (no header that reorders them).  Returns the count, or 0. */
static int columns(const didq_dataset *ds, const didq_record *r, cell *v, int want)
{
    int ni = ds->nitems, have = want < ni ? want : ni;
    for (int i = 0; i < have; i++) {
        if (r->col[i] != i + 1 && r->f[i].raw) return 0;
        v[i] = r->f[i].raw ? trimmed(r->f[i].raw, r->f[i].raw_len) : (cell){"", 0};
    }
    if (want > ni) {
        const char *x = r->extra ? memchr(r->extra, '=', r->extra_len) : NULL;
        if (r->extra && memchr(r->extra, '\x1f', r->extra_len)) return 0;
        v[ni] = x ? trimmed(x + 1, r->extra_len - (size_t)(x + 1 - r->extra)) : (cell){"", 0};
    }
    return want;
}

/* Values failing their item's pattern when place p is the missing item
 * (short row) or the extra column (long row). */
static int misses(const didq_dataset *ds, const cell *v, int nv, int p, bool shortrow)
{
    int bad = 0;
    for (int j = 0; j < nv; j++) {
        int item = shortrow ? (j < p ? j : j + 1) : (j < p ? j : j - 1);
        if (!shortrow && j == p) continue;
        bad += matches(ds, item, v[j]) == 0;
    }
    return bad;
}

static void keep(didq_fix_plan *p, uint64_t line, char *text)
{
    if (p->nhints == HINTS_KEPT) {
        free(text);
        return;
    }
    if (p->nhints == p->hints_cap) {
        p->hints_cap = p->hints_cap ? 2 * p->hints_cap : 16;
        p->hints = didq_xrealloc(p->hints, p->hints_cap * sizeof *p->hints);
    }
    p->hints[p->nhints++] = (fix_hint_row){line, text};
}

static char *say(const didq_dataset *ds, int a, int b, int nv, bool shortrow)
{
    didq_buf t = {0};
    const char *na = shortrow ? ds->items[a].shortname : "";
    const char *nb = shortrow ? ds->items[b].shortname : "";
    if (shortrow && a == b)
        didq_buf_printf(&t, "the %s (item %d) seems to be missing", na, a + 1);
    else if (shortrow)
        didq_buf_printf(&t, "one of items %d (%s) to %d (%s) seems to be missing", a + 1, na, b + 1,
                        nb);
    else if (a == b)
        didq_buf_printf(&t, "field %d seems to be extra", a + 1);
    else
        didq_buf_printf(&t, "one of fields %d to %d seems to be extra", a + 1, b + 1);
    int from = b + (shortrow ? 1 : 2);
    if (from <= nv)
        didq_buf_printf(&t, ": fields %d to %d look shifted %s", from, nv,
                        shortrow ? "left" : "right");
    else
        didq_buf_puts(&t, " (the last field)");
    return t.p;
}

void fix_hint(didq_fix_plan *p, const didq_record *r)
{
    const didq_dataset *ds = didq_dataset_v1();
    int ni = ds->nitems;
    if (r->nfields + 1 != (uint64_t)ni && r->nfields != (uint64_t)ni + 1) return;
    p->shifted++;
    bool shortrow = r->nfields < (uint64_t)ni;
    cell v[DIDQ_MAX_ITEMS + 1];
    memset(v, 0, sizeof v);
    int nv = columns(ds, r, v, (int)r->nfields);
    if (!nv) return;
    int best = nv + 1, lo = -1, hi = -1, places = shortrow ? ni : nv;
    bool split = false;
    for (int q = 0; q < places; q++) {
        int m = misses(ds, v, nv, q, shortrow);
        if (m < best) {
            best = m;
            lo = hi = q;
            split = false;
        } else if (m == best) {
            split |= q != hi + 1;
            hi = q;
        }
    }
    if (best > MAX_MISS || split || lo < 0) return;
    keep(p, r->line, say(ds, lo, hi, nv, shortrow));
}
