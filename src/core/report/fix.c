/* fix.c: `didq fix`: the fix table (refdata/v1/fixes.csv), each kind's
 * repair, and the plan: IN read once, each record's findings evaluated,
 * a repair kept only when its rule then no longer fires on the value. */
#include "fix_int.h"

#include "didq/date.h"
#include "didq/reader.h"
#include "didq/rules.h"
#include "didq/table.h"
#include "didq/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the table ---- */

static didq_fix_def table[DIDQ_FIX_MAX];
static int table_n = -1;

static const char *const kinds[] = {"zero_pad", "date", "upper", "gender", "postcode_space", NULL};

static void table_check(const didq_fix_def *d)
{
    const didq_dataset *ds = didq_dataset_v1();
    int k = 0;
    while (kinds[k] && strcmp(kinds[k], d->kind) != 0)
        k++;
    if (!kinds[k]) didq_die("v1/fixes.csv: unknown kind '%s'", d->kind);
    int r = didq_dataset_rule(ds, d->rule);
    if (r < 0) didq_die("v1/fixes.csv: unknown rule '%s'", d->rule);
    if (didq_dataset_item(ds, d->items) != ds->rules[r].fields[0])
        didq_die("v1/fixes.csv: %s is not the item of %s", d->items, d->rule);
}

const didq_fix_def *didq_fix_table(int *n)
{
    if (table_n < 0) {
        didq_table *t = didq_table_embedded("v1/fixes.csv");
        if (!t) didq_die("v1/fixes.csv: not embedded");
        int cr = didq_table_col(t, "rule"), ck = didq_table_col(t, "kind");
        int ci = didq_table_col(t, "items"), cd = didq_table_col(t, "description");
        if (cr < 0 || ck < 0 || ci < 0 || cd < 0) didq_die("v1/fixes.csv: bad table");
        table_n = 0;
        for (size_t i = 0; i < t->nrows && table_n < DIDQ_FIX_MAX; i++) {
            didq_fix_def *d = &table[table_n++];
            d->rule = didq_strdup(didq_table_get(t, i, cr));
            d->kind = didq_strdup(didq_table_get(t, i, ck));
            d->items = didq_strdup(didq_table_get(t, i, ci));
            d->description = didq_strdup(didq_table_get(t, i, cd));
            table_check(d);
        }
        didq_table_free(t);
    }
    *n = table_n;
    return table;
}

const didq_fix_def *didq_fix_for_rule(const char *code)
{
    int n;
    const didq_fix_def *t = didq_fix_table(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].rule, code) == 0) return &t[i];
    return NULL;
}

int didq_fix_only_parse(const char *codes, bool *sel, char *err, size_t errlen)
{
    int n;
    const didq_fix_def *t = didq_fix_table(&n);
    memset(sel, 0, DIDQ_FIX_MAX * sizeof *sel);
    char *copy = didq_strdup(codes), *save = NULL;
    int st = 0, any = 0;
    for (char *c = strtok_r(copy, ", ", &save); c && !st; c = strtok_r(NULL, ", ", &save)) {
        const didq_fix_def *d = didq_fix_for_rule(c);
        if (!d) {
            snprintf(err, errlen, "--only: %.40s is not a rule with a fix (see didq rules)", c);
            st = -1;
        } else {
            sel[d - t] = true;
            any = 1;
        }
    }
    if (!st && !any) {
        snprintf(err, errlen, "--only names no rule");
        st = -1;
    }
    free(copy);
    return st;
}

/* ---- the repairs: value s (n bytes, trimmed) to out, or false ---- */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return n > 0;
}

static bool fix_date(const char *s, size_t n, char *out)
{
    char iso[11];
    bool dmy = n == 10 && (s[2] == '/' || s[2] == '-') && s[5] == s[2] && all_digits(s, 2) &&
               all_digits(s + 3, 2) && all_digits(s + 6, 4);
    bool ymd = n == 10 && s[4] == '/' && s[7] == '/' && all_digits(s, 4) && all_digits(s + 5, 2) &&
               all_digits(s + 8, 2);
    if (dmy) /* DD/MM/CCYY or DD-MM-CCYY: day first, the UK order */
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
    else if (ymd) /* CCYY/MM/DD: a year first is always followed by the month */
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s, s + 5, s + 8);
    else if (n == 8 && all_digits(s, 8))
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    else
        return false;
    int32_t day;
    if (!didq_date_parse(iso, 10, &day)) return false; /* 31/02/2026 is no date */
    memcpy(out, iso, 11);
    return true;
}

static bool fix_upper(const char *s, size_t n, char *out)
{
    bool lower = false;
    if (n > 8) return false;
    for (size_t i = 0; i < n; i++) {
        lower |= islower((unsigned char)s[i]) != 0;
        out[i] = (char)toupper((unsigned char)s[i]);
    }
    out[n] = 0;
    return lower;
}

static bool fix_postcode(const char *s, size_t n, char *out)
{
    if (n < 5 || n > 7) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i])) return false;
    snprintf(out, 16, "%.*s %.3s", (int)(n - 3), s, s + n - 3);
    return true;
}

bool fix_repair(const char *kind, const char *s, size_t n, char *out)
{
    if (strcmp(kind, "zero_pad") == 0) {
        if (n != 1 || !isdigit((unsigned char)s[0])) return false;
        snprintf(out, 16, "0%c", s[0]);
        return true;
    }
    if (strcmp(kind, "date") == 0) return fix_date(s, n, out);
    if (strcmp(kind, "upper") == 0) return fix_upper(s, n, out);
    if (strcmp(kind, "gender") == 0) {
        if (n != 1 || !strchr("MmFf", s[0])) return false;
        snprintf(out, 16, "%c", toupper((unsigned char)s[0]) == 'M' ? '1' : '2');
        return true;
    }
    if (strcmp(kind, "postcode_space") == 0) return fix_postcode(s, n, out);
    return false;
}

/* ---- the plan ---- */

enum { MAX_HITS = 128, RAW_MAX = 48 };

typedef struct plan_ctx {
    didq_fix_plan *p;
    const didq_fix_opts *o;
    didq_ruleset *rs;
    didq_ctx ctx;
    const didq_fix_def *table;
    int row_of_rule[FIX_RULES_MAX]; /* rule index -> table row, or -1 */
    char raw[DIDQ_MAX_ITEMS][RAW_MAX + 16];
} plan_ctx;

static bool fires(const didq_hit *h, int n, int rule)
{
    for (int i = 0; i < n; i++)
        if (h[i].rule == rule) return true;
    return false;
}

static void add_edit(didq_fix_plan *p, const didq_record *r, int item, int row,
                     const didq_field *old)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->e = didq_xrealloc(p->e, p->cap * sizeof *p->e);
    }
    fix_edit *e = &p->e[p->n++];
    memset(e, 0, sizeof *e);
    e->offset = r->offset;
    e->line = r->line;
    e->recno = r->recno;
    e->col = r->col[item];
    e->item = item;
    e->row = row;
    e->old_raw = didq_strndup(old->raw, old->raw_len);
    e->old_len = old->raw_len;
    e->new_raw = didq_strndup(r->f[item].raw, r->f[item].raw_len);
    e->new_len = r->f[item].raw_len;
    e->old_val = didq_strndup(old->val, old->len);
    e->new_val = didq_strndup(r->f[item].val, r->f[item].len);
    p->planned[row]++;
}

/* Tries the repair of one finding; keeps it (and the changed record) when
 * its rule no longer fires. */
static bool try_fix(plan_ctx *c, didq_record *r, const didq_hit *h)
{
    int row = c->row_of_rule[h->rule], item = h->item;
    if (row < 0 || (c->o->only && !c->o->only[row]) || !r->col[item] || didq_blank(r, item))
        return false;
    didq_field old = r->f[item];
    char val[16];
    if (old.raw_len > RAW_MAX || !fix_repair(c->table[row].kind, old.val, old.len, val))
        return false;
    size_t lead = (size_t)(old.val - old.raw), tail = old.raw_len - lead - old.len;
    char *nb = c->raw[item];
    snprintf(nb, RAW_MAX + 16, "%.*s%s%.*s", (int)lead, old.raw, val, (int)tail,
             old.raw + lead + old.len);
    r->f[item].raw = nb;
    r->f[item].raw_len = (uint32_t)strlen(nb);
    didq_record_cleanse(r, c->rs->ds);
    didq_hit after[MAX_HITS];
    int na = didq_ruleset_eval(c->rs, r, &c->ctx, after, MAX_HITS);
    if (fires(after, na, h->rule)) {
        r->f[item] = old;
        didq_record_cleanse(r, c->rs->ds);
        return false;
    }
    add_edit(c->p, r, item, row, &old);
    return true;
}

static void count_revealed(plan_ctx *c, const didq_record *r, const didq_hit *b, int nb)
{
    didq_hit a[MAX_HITS];
    int na = didq_ruleset_eval(c->rs, r, &c->ctx, a, MAX_HITS);
    for (int i = 0; i < na; i++)
        if (!fires(b, nb, a[i].rule) && a[i].rule < FIX_RULES_MAX) c->p->revealed[a[i].rule]++;
}

static int on_record(void *ctx, didq_record *r)
{
    plan_ctx *c = ctx;
    c->p->records++;
    if (r->flags & DIDQ_REC_WIDTH) {
        fix_hint(c->p, r);
        return 0; /* a shifted row: its values are in the wrong columns */
    }
    if (r->flags & (DIDQ_REC_TRUNCATED | DIDQ_REC_NUL)) return 0;
    didq_hit b[MAX_HITS];
    int nb = didq_ruleset_eval(c->rs, r, &c->ctx, b, MAX_HITS), fixed = 0;
    for (int i = 0; i < nb; i++)
        fixed += try_fix(c, r, &b[i]);
    if (fixed) count_revealed(c, r, b, nb);
    return 0;
}

static void on_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    (void)ctx;
    (void)code;
    (void)line;
    (void)msg;
}

static int open_input(didq_fix_plan *p, int *status, char *err, size_t errlen)
{
    /* O_NONBLOCK: a FIFO with no writer must not hang the open. */
    int fd = open(p->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &p->st) != 0) {
        snprintf(err, errlen, "%s: %s", p->path, strerror(errno));
        if (fd >= 0) close(fd);
        *status = DIDQ_FIX_IO;
        return -1;
    }
    if (!S_ISREG(p->st.st_mode)) {
        snprintf(err, errlen,
                 "%s: not a regular file; didq fix reads its input twice (to plan, then to copy)",
                 p->path);
        close(fd);
        *status = DIDQ_FIX_NOTFILE;
        return -1;
    }
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

static void plan_init(plan_ctx *c, didq_fix_plan *p, const didq_fix_opts *o)
{
    const didq_dataset *ds = didq_dataset_v1();
    int n;
    const didq_fix_def *t = didq_fix_table(&n);
    c->p = p;
    c->o = o;
    c->table = t;
    c->rs = didq_ruleset_new(ds, o->ref);
    c->ctx.submitted = o->submitted;
    c->ctx.submitted_month = didq_date_month_index(o->submitted);
    c->ctx.ref = o->ref;
    for (int i = 0; i < FIX_RULES_MAX; i++)
        c->row_of_rule[i] = -1;
    for (int i = 0; i < n; i++) {
        int r = didq_dataset_rule(ds, t[i].rule);
        if (r >= 0 && r < FIX_RULES_MAX) c->row_of_rule[r] = i;
    }
}

didq_fix_plan *didq_fix_plan_make(const char *path, const didq_fix_opts *o, int *status, char *err,
                                  size_t errlen)
{
    didq_fix_plan *p = didq_xcalloc(1, sizeof *p);
    p->path = didq_strdup(path);
    int fd = open_input(p, status, err, errlen);
    if (fd < 0) {
        didq_fix_plan_free(p);
        return NULL;
    }
    unsigned char head[4096];
    ssize_t got;
    while ((got = read(fd, head, sizeof head)) < 0 && errno == EINTR) {
    }
    if (got < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        *status = DIDQ_FIX_IO;
    } else if (didq_sniff_format(head, (size_t)got) == DIDQ_FORMAT_XML) {
        snprintf(err, errlen,
                 "%s: an XML file; didq fix rewrites CSV files only (fix the values in the "
                 "system that writes the XML)",
                 path);
        *status = DIDQ_FIX_XML;
    } else {
        plan_ctx *c = didq_xcalloc(1, sizeof *c);
        plan_init(c, p, o);
        didq_reader_cb cb = {.ctx = c, .record = on_record, .finding = on_finding};
        didq_src src = {.fd = fd};
        int rs = didq_csv_read(&src, 1, didq_dataset_v1(), &cb, head, (size_t)got, err, errlen);
        *status = rs == DIDQ_READ_IO ? DIDQ_FIX_IO : DIDQ_FIX_OK;
        if (rs == DIDQ_READ_IO) {
            char m[512];
            snprintf(m, sizeof m, "%s: %s", path, err);
            snprintf(err, errlen, "%s", m);
        }
        didq_ruleset_free(c->rs);
        free(c);
    }
    close(fd);
    if (*status != DIDQ_FIX_OK) {
        didq_fix_plan_free(p);
        return NULL;
    }
    return p;
}

void didq_fix_plan_free(didq_fix_plan *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].old_raw);
        free(p->e[i].new_raw);
        free(p->e[i].old_val);
        free(p->e[i].new_val);
    }
    free(p->e);
    for (size_t i = 0; i < p->nhints; i++)
        free(p->hints[i].text);
    free(p->hints);
    free(p->path);
    free(p);
}
