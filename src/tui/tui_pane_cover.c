/* tui_pane_cover.c: pane 8: records per test day per site as a compact
 * bar chart over the files' reporting months (month.h; records dated in
 * another month are counted and said, not charted; one character per
 * day, scaled to the
 * site's busiest day; ASCII digits 1-9 when the locale is not UTF-8),
 * the total of every site first (records with a blank site belong to no
 * site and are left out, as in the analyses).  A day with no records is '.', or a
 * bold '!' inside an activity gap found at the site; sites with a gap
 * are marked '!'.  Left/Right move the day (scrolling the chart), Enter
 * lists the records of the site on that day.  v switches to
 * month-on-month volumes when there are several reporting months. */
#include "didq/coverage.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

/* VOL_LESS: the volumes grid's page, the body less the title, the heading
 * and the line below. */
enum { X0 = 17, CELL = 2, HEAD = 4, FOOT = 3, VOL_LESS = 3 };

typedef struct cover_row {
    const char *site; /* NULL: every site */
    const uint32_t *count;
    uint32_t max;
    uint64_t records;
    unsigned char *gap; /* per day: inside an activity gap of the site */
    bool marked;
} cover_row;

typedef struct cover {
    didq_period p;
    const int32_t *months; /* the reporting months */
    int nmonths;
    uint64_t outside, undated; /* records of the sites not charted */
    cover_row *rows;
    size_t n, cur, top;
    int day, left; /* cursor day and first day drawn (indexes into the period) */
    uint32_t *all; /* every site's records per day */
    bool volumes;
    int32_t month; /* tui_analysis_month */
    tui_grid vg;   /* month-on-month volumes, or vg.tab NULL */
    didq_volumes vh;
    didq_qtable *cal;   /* the calendar as a table, made on the first `e` */
    const char **heads; /* its headings: Site, Records, then each day */
    char (*days)[11];   /* the days' CCYY-MM-DD */
    char *align;
} cover;

static uint32_t max_of(const uint32_t *c, int n)
{
    uint32_t m = 0;
    for (int i = 0; i < n; i++)
        m = c[i] > m ? c[i] : m;
    return m;
}

/* Marks the days of the site's activity gaps. */
static void mark_gaps(const didq_analysis *a, int32_t month, cover *c, cover_row *r)
{
    r->gap = didq_xcalloc((size_t)c->p.ndays + 1, 1);
    for (size_t i = 0; r->site && i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        if (an->kind != DIDQ_AK_ACTIVITY_GAP || strcmp(an->site, r->site) != 0 ||
            !didq_anomaly_in_month(an, month))
            continue;
        r->marked = true;
        for (int32_t d = an->day0; d <= an->day1; d++)
            if (d >= c->p.day0 && d < c->p.day0 + c->p.ndays) r->gap[d - c->p.day0] = 1;
    }
}

/* site: the site scope's label, or "" (every site). */
static void build_rows(const didq_analysis *a, int32_t month, const char *site, cover *c)
{
    const didq_site_coverage *sc;
    size_t ns = didq_analysis_coverage_in(a, month, &sc);
    c->rows = didq_xcalloc(ns + 1, sizeof *c->rows);
    c->all = didq_xcalloc((size_t)c->p.ndays + 1, sizeof *c->all);
    cover_row *all = &c->rows[c->n++];
    for (size_t i = 0; i < ns; i++) {
        if (*site && strcmp(sc[i].site, site) != 0) continue; /* a site scope: its row only */
        cover_row *r = &c->rows[c->n++];
        *r = (cover_row){.site = sc[i].site, .count = sc[i].count, .records = sc[i].records};
        r->max = max_of(r->count, c->p.ndays);
        mark_gaps(a, month, c, r);
        all->records += r->records;
        c->outside += sc[i].outside;
        c->undated += sc[i].undated;
        for (int d = 0; d < c->p.ndays; d++)
            c->all[d] += r->count[d];
    }
    all->count = c->all;
    all->max = max_of(c->all, c->p.ndays);
    mark_gaps(a, month, c, all);
}

static void co_open(tui *t, tui_view *v, const void *arg)
{
    cover *c = v->st;
    const didq_analysis *a = tui_analysis(t);
    c->month = tui_analysis_month(t);
    c->p = didq_analysis_period_in(a, c->month);
    c->nmonths = didq_analysis_months(a, &c->months);
    build_rows(a, c->month, t->site, c);
    didq_qtable *vt = didq_query_volumes(a, &c->vh);
    if (vt && t->site[0]) didq_qtable_keep_site(vt, 0, t->site, "(all)");
    if (vt) tui_grid_set(&c->vg, vt);
    c->day = c->p.ndays ? c->p.ndays - 1 : 0;
}

static void co_close(tui_view *v)
{
    cover *c = v->st;
    for (size_t i = 0; i < c->n; i++)
        free(c->rows[i].gap);
    free(c->rows);
    free(c->all);
    if (c->vg.tab) tui_grid_free(&c->vg);
    didq_qtable_free(c->cal);
    free(c->heads);
    free(c->days);
    free(c->align);
}

/* Days that fit on the screen. */
static int visible_days(void)
{
    int n = (COLS - X0 - 1) / CELL;
    return n > 1 ? n : 1;
}

/* The glyph of a day: a bar of 8 levels (UTF-8) or a digit 1-9. */
static void glyph(const tui *t, const cover_row *r, int d, char *out, size_t len)
{
    static const char *const blocks[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                          "\u2585", "\u2586", "\u2587", "\u2588"};
    uint32_t n = r->count[d];
    if (!n) {
        snprintf(out, len, "%s", r->gap[d] ? "!" : ".");
        return;
    }
    int levels = t->utf8 ? 8 : 9;
    int k = (int)(((uint64_t)n * (uint64_t)levels + r->max - 1) / r->max);
    k = k < 1 ? 1 : k > levels ? levels : k;
    if (t->utf8)
        snprintf(out, len, "%s", blocks[k - 1]);
    else
        snprintf(out, len, "%d", k);
}

/* The line above the weekdays: the month at the first day shown and at
 * each 1st, the day of the month over each Monday, where they fit. */
static void day_labels(tui *t, cover *c, int y)
{
    char line[1024];
    int vis = visible_days(), w = vis * CELL < (int)sizeof line ? vis * CELL : (int)sizeof line - 1;
    memset(line, ' ', (size_t)w);
    line[w] = 0;
    for (int i = 0, free_x = 0; i < vis && c->left + i < c->p.ndays; i++) {
        int32_t day = c->p.day0 + c->left + i;
        int yy, mm, dd, x = i * CELL;
        didq_date_to_ymd(day, &yy, &mm, &dd);
        char s[16] = "";
        if (dd == 1 || i == 0)
            snprintf(s, sizeof s, "%04d-%02d", yy, mm);
        else if (didq_date_weekday(day) == 0)
            snprintf(s, sizeof s, "%d", dd);
        int n = (int)strlen(s);
        if (!n || x < free_x || x + n > w) continue;
        memcpy(line + x, s, (size_t)n);
        free_x = x + n + 1;
    }
    tui_put(t, y, X0, w, line, A_NORMAL);
}

/* The months charted, and the records that are not. */
static void draw_title(tui *t, cover *c, int y)
{
    char line[200], m0[8], m1[8];
    bool shown = c->month != DIDQ_ALLMONTHS; /* one month of several shown: that one */
    int one = c->nmonths == 1 || shown;
    didq_month_format(shown ? c->month : c->months[0], m0);
    didq_month_format(c->months[c->nmonths - 1], m1);
    snprintf(line, sizeof line, "Records per test day, reporting month%s %s%s%s (%d days)",
             one ? "" : "s", m0, one ? "" : " to ", one ? "" : m1, c->p.ndays);
    tui_put(t, y, 2, COLS - 4, line, A_BOLD);
    snprintf(line, sizeof line, "Not charted: %llu dated %s%s, %llu with no valid test date",
             (unsigned long long)c->outside, one ? "outside " : "in other months", one ? m0 : "",
             (unsigned long long)c->undated);
    tui_put(t, y + 1, 2, COLS - 4, line, c->outside || c->undated ? tui_attr(t, S_WARN) : A_NORMAL);
}

static void draw_head(tui *t, cover *c, int y)
{
    static const char wd[] = "MTWTFSS";
    draw_title(t, c, y);
    day_labels(t, c, y + 2);
    tui_put(t, y + 3, 2, X0 - 2, "Site   Records", A_BOLD | A_UNDERLINE);
    for (int i = 0; i < visible_days() && c->left + i < c->p.ndays; i++) {
        char s[4];
        snprintf(s, sizeof s, "%c", wd[didq_date_weekday(c->p.day0 + c->left + i)]);
        tui_put(t, y + 3, X0 + i * CELL, 1, s,
                c->left + i == c->day ? A_BOLD | A_REVERSE : A_UNDERLINE);
    }
}

static void draw_row(tui *t, cover *c, int y, size_t k)
{
    const cover_row *r = &c->rows[k];
    bool sel = k == c->cur;
    char num[24], g[8];
    tui_put(t, y, 0, 2, r->marked ? "! " : "  ", r->marked ? tui_attr(t, S_ERROR) : A_NORMAL);
    tui_put(t, y, 2, 6, r->site ? r->site : "(all)", sel ? A_BOLD | A_UNDERLINE : A_NORMAL);
    snprintf(num, sizeof num, "%llu", (unsigned long long)r->records);
    tui_put_right(t, y, 8, 6, num, sel ? A_BOLD : A_NORMAL);
    for (int i = 0; i < visible_days() && c->left + i < c->p.ndays; i++) {
        int d = c->left + i;
        glyph(t, r, d, g, sizeof g);
        attr_t a = r->count[d] ? tui_attr(t, S_OK)
                   : r->gap[d] ? tui_attr(t, S_ERROR) | A_BOLD
                               : A_NORMAL;
        if (sel && d == c->day) a = tui_attr(t, S_SELECT);
        tui_put(t, y, X0 + i * CELL, 1, g, a);
    }
}

static void draw_info(tui *t, cover *c, int y)
{
    const cover_row *r = &c->rows[c->cur];
    char date[11], line[256];
    static const char *const wdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    int32_t day = c->p.day0 + c->day;
    didq_date_format(day, date);
    uint32_t n = r->count[c->day];
    snprintf(line, sizeof line, "%s %s %s: %u record%s%s", r->site ? r->site : "every site",
             wdays[didq_date_weekday(day)], date, n, n == 1 ? "" : "s",
             n                ? " (Enter lists them)"
             : r->gap[c->day] ? ", in an activity gap (see pane 9)"
                              : "");
    tui_put(t, y, 2, COLS - 4, line, A_BOLD);
    tui_put(t, y + 1, 2, COLS - 4,
            t->utf8 ? "\u2581..\u2588 share of the site's busiest day  . none  ! none, activity gap"
                    : "1..9 share of the site's busiest day  . none  ! none, activity gap",
            A_NORMAL);
}

static void draw_days(tui *t, cover *c, int y, int h)
{
    if (!c->p.ndays) {
        tui_put(t, y, 2, COLS - 4, "No dated records: nothing to chart.", A_NORMAL);
        return;
    }
    int vis = visible_days(), rows = h - HEAD - FOOT;
    if (c->day < c->left) c->left = c->day;
    if (c->day >= c->left + vis) c->left = c->day - vis + 1;
    if (c->cur < c->top) c->top = c->cur;
    if (rows > 0 && c->cur >= c->top + (size_t)rows) c->top = c->cur - (size_t)rows + 1;
    draw_head(t, c, y);
    int i = 0;
    for (; i < rows && c->top + (size_t)i < c->n; i++)
        draw_row(t, c, y + HEAD + i, c->top + (size_t)i);
    draw_info(t, c, y + HEAD + i + 1);
}

static void draw_volumes(tui *t, cover *c, int y, int h)
{
    tui_put(t, y, 2, COLS - 4, "Records per month (v: per day); ! volume drop (pane 9)", A_BOLD);
    if (!c->vg.tab) {
        char line[200], m[8];
        didq_month_format(c->nmonths ? c->months[0] : DIDQ_NOMONTH, m);
        if (c->nmonths)
            snprintf(line, sizeof line,
                     "One reporting month (%s): no earlier month to compare it with.", m);
        else
            snprintf(line, sizeof line, "No reporting month: no file has a valid test date.");
        tui_put(t, y + 2, 2, COLS - 4, line, A_NORMAL);
        tui_put(t, y + 3, 2, COLS - 4,
                "Records dated in other months are counted outside it, not compared.", A_NORMAL);
        return;
    }
    tui_grid_draw(t, &c->vg, y + 1, h - 2);
    tui_put(t, y + h - 1, 2, COLS - 4,
            "Change/day: records per day, the last month against the one before", A_NORMAL);
}

static void co_draw(tui *t, tui_view *v, int y, int h)
{
    cover *c = v->st;
    int k = tui_site_note(t, y);
    y += k, h -= k;
    if (c->volumes)
        draw_volumes(t, c, y, h);
    else
        draw_days(t, c, y, h);
}

static bool drill(tui *t, cover *c)
{
    const cover_row *r = &c->rows[c->cur];
    int32_t day = c->p.day0 + c->day;
    if (!c->p.ndays || !r->count[c->day]) {
        tui_msg(t, "no records on this day%s", r->gap[c->day] ? " (an activity gap)" : "");
        return true;
    }
    char date[11], label[64];
    didq_date_format(day, date);
    snprintf(label, sizeof label, "%s %s", r->site ? r->site : "all sites", date);
    char *w = r->site ? didq_coverage_where_in(tui_analysis(t), c->month, r->site, day, day) : NULL;
    char all[64];
    snprintf(all, sizeof all, "coalesce(site, '') <> '' AND " DIDQ_COL_D(DIDQ_TEST_DATE) " = %d",
             day);
    char *in = didq_scope_and(t->scope, all); /* the every-site row: within the month */
    tui_drill(t, w ? w : in, label);
    sqlite3_free(in);
    free(w);
    return true;
}

static bool cursor_move(cover *c, tui_action a, int page)
{
    int last = c->p.ndays ? c->p.ndays - 1 : 0;
    switch (a) {
    case A_down:
        c->cur += c->cur + 1 < c->n;
        return true;
    case A_up:
        c->cur -= c->cur > 0;
        return true;
    case A_left:
        c->day -= c->day > 0;
        return true;
    case A_right:
        c->day += c->day < last;
        return true;
    case A_pgdn:
        c->day = c->day + page < last ? c->day + page : last;
        return true;
    case A_pgup:
        c->day = c->day > page ? c->day - page : 0;
        return true;
    case A_home:
        c->day = 0;
        return true;
    case A_end:
        c->day = last;
        return true;
    default:
        return false;
    }
}

static bool co_key(tui *t, tui_view *v, tui_action a)
{
    cover *c = v->st;
    if (a == A_volumes) {
        c->volumes = !c->volumes;
        return true;
    }
    if (c->volumes) {
        if (!c->vg.tab) return false;
        return tui_grid_key(t, &c->vg, a, v->height - VOL_LESS);
    }
    if (a == A_enter) return drill(t, c);
    if (a == A_click) {
        int row = t->mouse_y - v->y - HEAD, d = (t->mouse_x - X0) / CELL;
        if (row >= 0 && c->top + (size_t)row < c->n) c->cur = c->top + (size_t)row;
        if (t->mouse_x >= X0 && c->left + d < c->p.ndays) c->day = c->left + d;
        return true;
    }
    return cursor_move(c, a, visible_days());
}

static const char *co_footer(tui_view *v)
{
    cover *c = v->st;
    return c->volumes ? "Enter:records of month  v:per day  s:sort"
                      : "Left/Right:day  Up/Down:site  Enter:records of day  v:months";
}

/* The calendar as a table: one row per site (every site first), its
 * records, then its records on each day of the period; marked where the
 * site has an activity gap. */
static didq_qtable *calendar(cover *c)
{
    int nd = c->p.ndays;
    c->days = didq_xcalloc((size_t)nd + 1, sizeof *c->days);
    c->heads = didq_xcalloc((size_t)nd + 2, sizeof *c->heads);
    char *align = c->align = didq_xmalloc((size_t)nd + 3);
    c->heads[0] = "Site", c->heads[1] = "Records";
    align[0] = 'l', align[1] = 'r';
    for (int d = 0; d < nd; d++) {
        didq_date_format(c->p.day0 + d, c->days[d]);
        c->heads[2 + d] = c->days[d];
        align[2 + d] = 'r';
    }
    align[nd + 2] = 0;
    didq_qtable *tab = didq_qtable_new(nd + 2, c->heads, align);
    for (size_t i = 0; i < c->n; i++) {
        const cover_row *r = &c->rows[i];
        size_t k = didq_qtable_row(tab);
        didq_qtable_set(tab, k, 0, "%s", r->site ? r->site : "(all)");
        didq_qtable_set(tab, k, 1, "%llu", (unsigned long long)r->records);
        for (int d = 0; d < nd; d++)
            didq_qtable_set(tab, k, 2 + d, "%u", (unsigned)r->count[d]);
        tab->mark[k] = r->marked;
    }
    return tab;
}

/* `e`: the month-on-month table when it is shown, else the calendar. */
static const didq_qtable *co_export(tui *t, tui_view *v, const size_t **order, char *name,
                                    size_t cap)
{
    (void)t;
    cover *c = v->st;
    if (c->volumes) {
        snprintf(name, cap, "Coverage months");
        *order = c->vg.order;
        return c->vg.tab;
    }
    snprintf(name, cap, "Coverage days");
    if (!c->cal) c->cal = calendar(c);
    return c->cal;
}

const tui_view_ops tui_cover_ops = {
    .name = "Coverage",
    .abbr = "Cv",
    .ctx = "coverage table",
    .private_size = sizeof(cover),
    .open = co_open,
    .draw = co_draw,
    .key = co_key,
    .close = co_close,
    .export_table = co_export,
    .footer = co_footer,
};
