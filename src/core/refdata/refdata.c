/* refdata.c: the reference data container and its look-ups.  Loading is in
 * refdata_load.c (files and directories), refdata_ods.c, refdata_onspd.c
 * and refdata_codes.c (NICIP and SNOMED CT); what the rules need of it in
 * refdata_needs.c. */
#include "refdata_int.h"
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[DIDQ_REF_KINDS] = {"none", "ods", "postcode", "nicip",
                                                       "snomed"};

const char *didq_refkind_name(didq_refkind k)
{
    return k < DIDQ_REF_KINDS ? kind_names[k] : "none";
}

/* Role bits of a code list of codes.csv (gp_role, referring_role). */
static uint32_t list_roles(didq_refdata *rd, const char *list)
{
    const didq_dataset *ds = didq_dataset_v1();
    uint32_t bits = 0;
    for (size_t i = 0; i < ds->ncodes; i++)
        if (strcmp(ds->codes[i].list, list) == 0)
            bits |= refdata_role_bit(rd, ds->codes[i].code, strlen(ds->codes[i].code));
    return bits;
}

didq_refdata *didq_refdata_new(void)
{
    didq_refdata *rd = didq_xcalloc(1, sizeof(didq_refdata));
    rd->gp_roles = list_roles(rd, "gp_role");
    rd->ref_roles = list_roles(rd, "referring_role");
    return rd;
}

void didq_refdata_free(didq_refdata *rd)
{
    if (!rd) return;
    reftable_free(&rd->ods);
    reftable_free(&rd->nicip);
    reftable_free(&rd->snomed);
    refmap_free(&rd->postcodes);
    for (int i = 0; i < rd->nroles; i++)
        free(rd->roles[i]);
    for (size_t i = 0; i < rd->nstrings; i++)
        free(rd->strings[i]);
    free(rd->strings);
    for (size_t i = 0; i < rd->nfiles; i++) {
        free(rd->files[i].path);
        free(rd->files[i].layout);
    }
    free(rd->files);
    free(rd);
}

uint32_t refdata_role_bit(didq_refdata *rd, const char *code, size_t n)
{
    for (int i = 0; i < rd->nroles; i++)
        if (strlen(rd->roles[i]) == n && strncasecmp(rd->roles[i], code, n) == 0) return 1u << i;
    if (rd->nroles == REF_MAX_ROLES) return 0;
    rd->roles[rd->nroles] = didq_strndup(code, n);
    return 1u << rd->nroles++;
}

uint32_t refdata_intern(didq_refdata *rd, const char *s, size_t n)
{
    for (size_t i = 0; i < rd->nstrings; i++)
        if (strlen(rd->strings[i]) == n && memcmp(rd->strings[i], s, n) == 0) return (uint32_t)i;
    rd->strings = didq_xrealloc(rd->strings, (rd->nstrings + 1) * sizeof *rd->strings);
    rd->strings[rd->nstrings] = didq_strndup(s, n);
    return (uint32_t)rd->nstrings++;
}

size_t didq_refdata_nfiles(const didq_refdata *rd)
{
    return rd ? rd->nfiles : 0;
}

const didq_reffile *didq_refdata_file(const didq_refdata *rd, size_t i)
{
    return rd && i < rd->nfiles ? &rd->files[i] : NULL;
}

/* ---- look-ups ---- */

static bool loaded(const didq_refdata *rd, didq_refkind k)
{
    return rd && ((rd->loaded >> k) & 1);
}

static bool active(const refrow *r, int32_t day)
{
    return (r->from == DIDQ_NODATE || r->from <= day) && (r->to == DIDQ_NODATE || day <= r->to);
}

didq_pcstate didq_refdata_postcode(const didq_refdata *rd, const char *s, size_t n)
{
    if (!loaded(rd, DIDQ_REF_POSTCODE)) return DIDQ_PC_UNKNOWN;
    uint32_t v = refmap_get(&rd->postcodes, refkey_code(s, n, 1));
    return v == 2 ? DIDQ_PC_LIVE : v == 1 ? DIDQ_PC_TERMINATED : DIDQ_PC_UNKNOWN;
}

bool didq_refdata_org(const didq_refdata *rd, const char *s, size_t n, didq_roleset set,
                      int32_t day)
{
    if (!loaded(rd, DIDQ_REF_ODS)) return false;
    uint32_t want = set == DIDQ_ROLES_GP          ? rd->gp_roles
                    : set == DIDQ_ROLES_REFERRING ? rd->ref_roles
                                                  : UINT32_MAX;
    for (uint32_t i = refmap_get(&rd->ods.map, refkey_code(s, n, 0)); i != UINT32_MAX;
         i = rd->ods.rows[i].next) {
        const refrow *r = &rd->ods.rows[i];
        bool role = set == DIDQ_ROLES_ANY || (r->extra & want);
        if (role && (day == DIDQ_NODATE || active(r, day))) return true;
    }
    return false;
}

static const reftable *code_table(const didq_refdata *rd, didq_refkind kind, const char *s,
                                  size_t n, uint32_t *first)
{
    *first = UINT32_MAX;
    if (!loaded(rd, kind) || (kind != DIDQ_REF_NICIP && kind != DIDQ_REF_SNOMED)) return NULL;
    const reftable *t = kind == DIDQ_REF_NICIP ? &rd->nicip : &rd->snomed;
    uint64_t key = kind == DIDQ_REF_NICIP ? refkey_code(s, n, 0) : refkey_sct(s, n);
    *first = refmap_get(&t->map, key);
    return t;
}

/* In [from - 6 months, to + 6 months] (calendar months, add_months). */
static bool in_window(const refrow *r, int32_t day)
{
    return (r->from == DIDQ_NODATE || didq_date_add_months(r->from, -6) <= day) &&
           (r->to == DIDQ_NODATE || day <= didq_date_add_months(r->to, 6));
}

didq_codestate didq_refdata_code(const didq_refdata *rd, didq_refkind kind, const char *s, size_t n,
                                 int32_t day)
{
    uint32_t i;
    const reftable *t = code_table(rd, kind, s, n, &i);
    didq_codestate st = DIDQ_CODE_UNKNOWN;
    for (; t && i != UINT32_MAX; i = t->rows[i].next) {
        const refrow *r = &t->rows[i];
        didq_codestate here = active(r, day)      ? DIDQ_CODE_ACTIVE
                              : in_window(r, day) ? DIDQ_CODE_WINDOW
                                                  : DIDQ_CODE_OUTSIDE;
        if (here > st) st = here;
    }
    return st;
}

uint64_t didq_refdata_nicip_sct(const didq_refdata *rd, const char *s, size_t n, int32_t day)
{
    uint32_t i;
    const reftable *t = code_table(rd, DIDQ_REF_NICIP, s, n, &i);
    for (; t && i != UINT32_MAX; i = t->rows[i].next)
        if (active(&t->rows[i], day)) return t->rows[i].sct;
    return 0;
}

const char *didq_refdata_modality(const didq_refdata *rd, const char *s, size_t n, int32_t day)
{
    uint32_t i;
    const reftable *t = code_table(rd, DIDQ_REF_SNOMED, s, n, &i);
    const refrow *best = NULL;
    for (; t && i != UINT32_MAX; i = t->rows[i].next) {
        const refrow *r = &t->rows[i];
        if (day != DIDQ_NODATE && active(r, day)) {
            best = r;
            break;
        }
        if (!best || r->from > best->from) best = r;
    }
    return best && best->extra < rd->nstrings ? rd->strings[best->extra] : NULL;
}
