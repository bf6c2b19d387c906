/* rules_ref.c: check primitives that need national reference data
 * (DIDS016 018 024 057 059 068 077-082), and didq's own structural checks
 * of the imaging codes (DIDQ001, DIDQ002), which need none.  The
 * conditions are those of dids-spec.md sections 3.3 and 3.4; the
 * decisions on NHS England's quirks are in docs/refdata.md. */
#include "didq/date.h"
#include "didq/ident.h"
#include "didq/refdata.h"
#include "didq/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define F0 (cr->f[0])
#define F1 (cr->f[1])
#define F2 (cr->f[2])
#define VAL(i) (r->f[i].val)
#define LEN(i) (r->f[i].len)
#define DATE_OK(i) (r->date[i] != DIDQ_NODATE)

/* ---- binders: "LIST" or "LIST lo hi" (a default code list of codes.csv) ---- */

static int bind_list(didq_crule *cr, const char *args)
{
    cr->text = args;
    size_t n = strcspn(args, " ");
    if (n == 0) return 0;
    cr->a = cr->b = 0;
    if (args[n]) return sscanf(args + n, "%ld %ld", &cr->a, &cr->b) == 2;
    return 1;
}

/* The value is in the rule's default code list (case-insensitive). */
static bool is_default(const didq_crule *cr, const char *s, size_t n)
{
    const didq_dataset *ds = didq_dataset_v1();
    size_t ln = strcspn(cr->text, " ");
    for (size_t i = 0; i < ds->ncodes; i++) {
        const didq_code *c = &ds->codes[i];
        if (strlen(c->list) == ln && memcmp(c->list, cr->text, ln) == 0 && strlen(c->code) == n &&
            strncasecmp(c->code, s, n) == 0)
            return true;
    }
    return false;
}

/* A non-blank, non-default organisation code. */
static bool org_code(const didq_crule *cr, const didq_record *r)
{
    return !didq_blank(r, F0) && !is_default(cr, VAL(F0), LEN(F0));
}

/* ---- organisations ---- */

static bool org(const didq_ctx *c, const didq_record *r, int item, didq_roleset set, int32_t day)
{
    return didq_refdata_org(c->ref, VAL(item), LEN(item), set, day);
}

/* DIDS016: live now; ZZ99 pseudo-postcodes are skipped. */
static int ref_postcode(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && !didq_postcode_is_pseudo(VAL(F0), LEN(F0)) &&
           didq_refdata_postcode(c->ref, VAL(F0), LEN(F0)) != DIDQ_PC_LIVE;
}

/* DIDS018: a GP practice or prescribing cost centre at any time. */
static int ref_gp(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return org_code(cr, r) && !org(c, r, F0, DIDQ_ROLES_GP, DIDQ_NODATE);
}

/* DIDS024: an organisation holding a referring role at any time. */
static int ref_referring_org(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return org_code(cr, r) && !org(c, r, F0, DIDQ_ROLES_REFERRING, DIDQ_NODATE);
}

/* DIDS068: known to ODS at any time; not evaluated when DIDS069 fires. */
static int ref_site(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return org_code(cr, r) && didq_alnum_len_ok(VAL(F0), LEN(F0), (size_t)cr->a, (size_t)cr->b) &&
           !org(c, r, F0, DIDQ_ROLES_ANY, DIDQ_NODATE);
}

/* DIDS079: the request date if it is not null, else the test date. */
static int ref_org_live(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    int item = didq_null(r, F1) ? F2 : F1;
    return org_code(cr, r) && DATE_OK(item) && org(c, r, F0, DIDQ_ROLES_REFERRING, DIDQ_NODATE) &&
           !org(c, r, F0, DIDQ_ROLES_REFERRING, r->date[item]);
}

/* DIDS080: a practice at some time, but not on the test date. */
static int ref_gp_live(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return org_code(cr, r) && DATE_OK(F1) && org(c, r, F0, DIDQ_ROLES_GP, DIDQ_NODATE) &&
           !org(c, r, F0, DIDQ_ROLES_GP, r->date[F1]);
}

/* DIDS081: in ODS, but not open on the test date. */
static int ref_site_live(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return org_code(cr, r) && DATE_OK(F1) && org(c, r, F0, DIDQ_ROLES_ANY, DIDQ_NODATE) &&
           !org(c, r, F0, DIDQ_ROLES_ANY, r->date[F1]);
}

/* ---- NICIP and SNOMED CT ---- */

static didq_refkind code_kind(const didq_crule *cr)
{
    return cr->a == 1 ? DIDQ_REF_NICIP : DIDQ_REF_SNOMED;
}

/* args "nicip" or "snomed". */
static int bind_kind(didq_crule *cr, const char *args)
{
    cr->a = strcmp(args, "nicip") == 0 ? 1 : strcmp(args, "snomed") == 0 ? 2 : 0;
    return cr->a != 0;
}

static didq_codestate code_state(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return didq_refdata_code(c->ref, code_kind(cr), VAL(F0), LEN(F0), r->date[F1]);
}

/* DIDS057/059: unknown, or not valid within 6 months of the test date. */
static int ref_code(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && DATE_OK(F1) && code_state(cr, r, c) < DIDQ_CODE_WINDOW;
}

/* DIDS077/078: not active on the test date but within the window. */
static int ref_code_inactive(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && DATE_OK(F1) && code_state(cr, r, c) == DIDQ_CODE_WINDOW;
}

/* DIDS082: both codes given and the test date blank (NHS England's quirk),
 * or both active on the test date and the NICIP code maps elsewhere. */
static int ref_map(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    if (didq_blank(r, F0) || didq_blank(r, F1)) return 0;
    if (didq_blank(r, F2)) return 1;
    int32_t day = r->date[F2];
    if (day == DIDQ_NODATE ||
        didq_refdata_code(c->ref, DIDQ_REF_NICIP, VAL(F0), LEN(F0), day) != DIDQ_CODE_ACTIVE ||
        didq_refdata_code(c->ref, DIDQ_REF_SNOMED, VAL(F1), LEN(F1), day) != DIDQ_CODE_ACTIVE)
        return 0;
    uint64_t want = didq_refdata_nicip_sct(c->ref, VAL(F0), LEN(F0), day);
    char buf[24];
    if (!want || LEN(F1) >= sizeof buf) return 0;
    memcpy(buf, VAL(F1), LEN(F1));
    buf[LEN(F1)] = 0;
    return strtoull(buf, NULL, 10) != want;
}

/* DIDQ001: the SNOMED CT code is not a well-formed concept id. */
static int sctid_form(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && !didq_sctid_ok(VAL(F0), LEN(F0));
}

/* DIDQ002: the NICIP code is not a well-formed short code. */
static int nicip_form(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && !didq_nicip_form_ok(VAL(F0), LEN(F0));
}

const didq_prim didq_prims_ref[] = {
    {"ref_postcode", ref_postcode, NULL},
    {"ref_gp", ref_gp, bind_list},
    {"ref_referring_org", ref_referring_org, bind_list},
    {"ref_site", ref_site, bind_list},
    {"ref_org_live", ref_org_live, bind_list},
    {"ref_gp_live", ref_gp_live, bind_list},
    {"ref_site_live", ref_site_live, bind_list},
    {"ref_code", ref_code, bind_kind},
    {"ref_code_inactive", ref_code_inactive, bind_kind},
    {"ref_map", ref_map, NULL},
    {"sctid_form", sctid_form, NULL},
    {"nicip_form", nicip_form, NULL},
    {NULL, NULL, NULL},
};
