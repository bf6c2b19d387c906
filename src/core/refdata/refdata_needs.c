/* refdata_needs.c: what the reference-data rules need.  A rule's `needs`
 * (rules.csv) names needs of refdata/v1/needs.csv: a kind of file and, for
 * the ODS look-ups, the ODS files (by stem) the look-up is about, all of
 * them.  A need is met when those files are loaded with rows; otherwise the
 * rule is not checked, and the reason names what is missing.  didq check
 * and didq refdata both ask here, so they say the same. */
#include "refdata_int.h"
#include "didq/util.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { NEED_NAME, NEED_KIND, NEED_FILES, NEED_WHAT };

typedef struct need {
    const char *name, *what;
    didq_refkind kind;
    uint32_t stems; /* ODS file stems it needs, all of them (bits of ods_files.csv rows) */
} need;

static didq_table *needs_tab;
static pthread_once_t needs_once = PTHREAD_ONCE_INIT;

static void load_needs(void)
{
    needs_tab = didq_table_embedded("v1/needs.csv");
}

/* Loaded once whichever thread asks first (didq diff loads two sessions
 * at once). */
static const didq_table *needs_table(void)
{
    pthread_once(&needs_once, load_needs);
    return needs_tab;
}

static didq_refkind kind_named(const char *name)
{
    for (int k = DIDQ_REF_NONE + 1; k < DIDQ_REF_KINDS; k++)
        if (strcmp(didq_refkind_name((didq_refkind)k), name) == 0) return (didq_refkind)k;
    didq_die("internal error: needs.csv names an unknown kind '%s'", name);
}

/* Bits of the ODS stems of "stem stem ..."; each must be a stem itself. */
static uint32_t stems_named(const char *files)
{
    uint32_t bits = 0;
    char stem[32];
    for (const char *p = files; *p;) {
        size_t n = strcspn(p, " ");
        snprintf(stem, sizeof stem, "%.*s", (int)n, p);
        int i = n ? refdata_ods_stem(stem) : -1;
        if (n && (i < 0 || strcmp(refdata_ods_stem_name(i), stem) != 0))
            didq_die("internal error: needs.csv names an unknown ODS file '%s'", stem);
        if (n) bits |= 1u << i;
        p += n;
        p += strspn(p, " ");
    }
    return bits;
}

/* The need named by s[0..n); a catalogue naming an unknown need dies. */
static need need_named(const char *s, size_t n)
{
    const didq_table *t = needs_table();
    for (size_t r = 0; r < t->nrows; r++) {
        const char *name = didq_table_get(t, r, NEED_NAME);
        if (strlen(name) != n || memcmp(name, s, n) != 0) continue;
        need nd = {name, didq_table_get(t, r, NEED_WHAT),
                   kind_named(didq_table_get(t, r, NEED_KIND)),
                   stems_named(didq_table_get(t, r, NEED_FILES))};
        return nd;
    }
    didq_die("internal error: a rule needs '%.*s', which refdata/v1/needs.csv does not define",
             (int)n, s);
}

/* The next need of a `needs` list (names separated by spaces, '+' or '|');
 * false at its end. */
static bool next_need(const char **p, need *out)
{
    *p += strspn(*p, " +|");
    if (!**p) return false;
    size_t n = strcspn(*p, " +|");
    *out = need_named(*p, n);
    *p += n;
    return true;
}

static bool met(const didq_refdata *rd, const need *nd)
{
    return rd && ((rd->loaded >> nd->kind) & 1) && (rd->ods_stems & nd->stems) == nd->stems;
}

/* Appends "a, b" of the stems in bits to buf. */
static void put_stems(char *buf, size_t cap, uint32_t bits)
{
    const char *sep = "";
    for (int i = 0; i < 32; i++)
        if ((bits >> i) & 1) {
            snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", sep, refdata_ods_stem_name(i));
            sep = ", ";
        }
}

/* Appends why nd is not met: "no NICIP release table", "no ODS file
 * epraccur", "no ODS files epraccur, etr". */
static void put_missing(const didq_refdata *rd, const need *nd, char *buf, size_t cap)
{
    uint32_t gone = nd->stems & ~(rd ? rd->ods_stems : 0);
    if (!gone) {
        snprintf(buf + strlen(buf), cap - strlen(buf), "no %s", nd->what);
        return;
    }
    snprintf(buf + strlen(buf), cap - strlen(buf), "no ODS file%s ",
             __builtin_popcount(gone) > 1 ? "s" : "");
    put_stems(buf, cap, gone);
}

const char *didq_refdata_missing(const didq_refdata *rd, const char *needs, char *buf, size_t cap)
{
    buf[0] = 0;
    bool all = true;
    need nd;
    for (const char *p = needs ? needs : ""; next_need(&p, &nd);) {
        if (met(rd, &nd)) continue;
        if (!all) snprintf(buf + strlen(buf), cap - strlen(buf), "; ");
        put_missing(rd, &nd, buf, cap);
        all = false;
    }
    if (all) return NULL;
    return rd && rd->loaded ? buf : "no reference data";
}

bool didq_refdata_has(const didq_refdata *rd, const char *needs)
{
    char buf[256];
    return didq_refdata_missing(rd, needs, buf, sizeof buf) == NULL;
}

/* The stem bit of a loaded ODS file, from its name. */
static uint32_t file_stem(const didq_reffile *f)
{
    int i = refdata_ods_stem(didq_path_base(f->path));
    return i < 0 ? 0 : 1u << i;
}

bool didq_refdata_file_serves(const didq_reffile *f, const char *needs)
{
    if (!f->rows || f->kind == DIDQ_REF_NONE) return false;
    need nd;
    for (const char *p = needs ? needs : ""; next_need(&p, &nd);)
        if (nd.kind == f->kind && (!nd.stems || (nd.stems & file_stem(f)))) return true;
    return false;
}

void didq_refdata_needs_text(const char *needs, char *buf, size_t cap)
{
    buf[0] = 0;
    need nd;
    for (const char *p = needs ? needs : ""; next_need(&p, &nd);) {
        if (buf[0]) snprintf(buf + strlen(buf), cap - strlen(buf), " and ");
        if (!nd.stems) {
            snprintf(buf + strlen(buf), cap - strlen(buf), "the %s", nd.what);
            continue;
        }
        snprintf(buf + strlen(buf), cap - strlen(buf), "the ODS file%s ",
                 __builtin_popcount(nd.stems) > 1 ? "s" : "");
        put_stems(buf, cap, nd.stems);
        snprintf(buf + strlen(buf), cap - strlen(buf), " (%s)", nd.what);
    }
}
