/* test_synth.c: the synthetic month generator: determinism, identifiers,
 * option checks, the defect catalogue, injections confined to their site,
 * and the XML twin flattening to exactly the CSV records. */
#include "testlib.h"
#include "didq/ident.h"
#include "didq/synth.h"
#include "didq/table.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static didq_synth_opts opts(uint64_t rows, uint64_t seed)
{
    didq_synth_opts o = didq_synth_defaults();
    o.rows = rows;
    o.seed = seed;
    o.year = 2026;
    o.month = 4;
    return o;
}

/* Splits a CSV line without quotes into fields; returns the count. */
static int split(char *line, char **f, int cap)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < cap; p++)
        if (*p == ',') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static void test_determinism(void)
{
    didq_synth_opts o = opts(2000, 7);
    size_t n1, n2, n3;
    char *a = didq_synth_mem(&o, &n1), *b = didq_synth_mem(&o, &n2);
    o.seed = 8;
    char *c = didq_synth_mem(&o, &n3);
    CHECK(a && b && c, "mem output");
    CHECK(n1 == n2 && memcmp(a, b, n1) == 0, "same seed, same bytes");
    CHECK(n1 != n3 || memcmp(a, c, n1) != 0, "another seed, other bytes");
    FILE *f = tmpfile();
    o.seed = 7;
    CHECK(didq_synth_write(f, &o) == 0, "write");
    CHECK((size_t)ftell(f) == n1, "write gives the bytes of mem: %ld vs %zu", ftell(f), n1);
    fclose(f);
    free(a), free(b), free(c);
}

static void test_identifiers(void)
{
    didq_synth_opts o = opts(5000, 3);
    size_t n;
    char *buf = didq_synth_mem(&o, &n), *save = NULL;
    int rows = 0, bad = 0, blank_nhs = 0, settings[8] = {0};
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[20];
        rows++;
        if (split(line, f, 20) != 18) {
            bad++;
            continue;
        }
        if (!f[0][0])
            blank_nhs++;
        else if (strncmp(f[0], "999", 3) != 0 || didq_nhs_check(f[0], strlen(f[0])) != DIDQ_NHS_OK)
            bad++;
        if (f[5][0] && !didq_postcode_format_ok(f[5], strlen(f[5]))) bad++;
        if (f[8][0] && !didq_referrer_type(f[8], strlen(f[8]))) bad++;
        if (f[8][0] == 'G' && strcmp(f[7], "04") != 0)
            bad++; /* GP referrers only with GP direct access */
        if (f[7][0] == '0' && f[7][1] >= '1' && f[7][1] <= '7') settings[f[7][1] - '0']++;
    }
    CHECK(rows == 5000, "rows %d", rows);
    CHECK(bad == 0, "%d records with a bad identifier", bad);
    CHECK(blank_nhs < rows / 50, "NHS number blank in %d records", blank_nhs);
    CHECK(settings[3] > settings[7] * 5 && settings[4] > settings[7] * 5, "setting mix");
    CHECK(settings[7] > 0 && settings[7] < rows / 20, "07 Other is small: %d", settings[7]);
    free(buf);
}

static void test_validate(void)
{
    char err[256];
    didq_synth_opts o = opts(10, 1);
    CHECK(didq_synth_validate(&o, err, sizeof err) == 0, "defaults valid: %s", err);
    o.rows = 0;
    CHECK(didq_synth_validate(&o, err, sizeof err) < 0 && strstr(err, "--rows"), "rows 0");
    o = opts(10, 1);
    o.month = 13;
    CHECK(didq_synth_validate(&o, err, sizeof err) < 0 && strstr(err, "--month"), "month 13");
    o = opts(10, 1);
    o.defect_rate = 1.5;
    CHECK(didq_synth_validate(&o, err, sizeof err) < 0, "rate 1.5");
    o = opts(10, 1);
    o.inject = "volume-drop@NOPE1";
    CHECK(didq_synth_validate(&o, err, sizeof err) < 0 && strstr(err, "NOPE1"), "site");
    o.inject = "no-such-kind@RR801";
    CHECK(didq_synth_validate(&o, err, sizeof err) < 0 && strstr(err, "no-such-kind"), "kind");
    o.inject = "activity-gap@RR801,volume-drop@RAE01";
    CHECK(didq_synth_validate(&o, err, sizeof err) == 0, "two injections: %s", err);
}

static bool in_list(const char **codes, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0) return true;
    return false;
}

/* Every rule of the catalogue that needs no reference data is a defect;
 * DIDS071 and DIDS075 only when asked. */
static void test_defect_catalogue(void)
{
    didq_synth_opts o = opts(10, 1);
    const char *codes[80];
    int n = didq_synth_defect_codes(&o, codes, 80);
    didq_table *t = didq_table_embedded("v1/rules.csv");
    int code = didq_table_col(t, "code"), needs = didq_table_col(t, "needs");
    int expect = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        const char *c = didq_table_get(t, i, code);
        bool want = !didq_table_get(t, i, needs)[0] && strcmp(c, "DIDS071") != 0;
        expect += want;
        CHECK(in_list(codes, n, c) == want, "%s in the defect list: %d", c, want);
    }
    didq_table_free(t);
    CHECK(n == expect, "%d defects, %d rules", n, expect);
    o.defect_dups = o.defect_columns = 1;
    n = didq_synth_defect_codes(&o, codes, 80);
    CHECK(n == expect + 2 && in_list(codes, n, "DIDS071") && in_list(codes, n, "DIDS075"),
          "flags add DIDS071 and DIDS075");
    o.xml = 1;
    n = didq_synth_defect_codes(&o, codes, 80);
    CHECK(!in_list(codes, n, "DIDS075"), "no DIDS075 in XML");
}

/* Lines of buf whose 17th field is (or is not) site, joined. */
static char *site_lines(const char *buf, const char *site, bool want)
{
    size_t cap = strlen(buf) + 1, n = 0;
    char *out = malloc(cap);
    for (const char *p = buf; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
        const char *f = p;
        for (int i = 0; i < 16 && f < p + len; i++)
            f = (const char *)memchr(f, ',', (size_t)(p + len - f)) + 1;
        bool match = strncmp(f, site, strlen(site)) == 0 && f[strlen(site)] == ',';
        if (match == want) {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    out[n] = '\0';
    return out;
}

static void test_injections_confined(void)
{
    didq_synth_opts o = opts(3000, 11);
    size_t n;
    char *clean = didq_synth_mem(&o, &n);
    char *clean_other = site_lines(clean, "RAE05", false);
    char *clean_site = site_lines(clean, "RAE05", true);
    char spec[80];
    for (int k = 0; didq_synth_kind(k); k++) {
        snprintf(spec, sizeof spec, "%s@RAE05", didq_synth_kind(k));
        o.inject = spec;
        char *b = didq_synth_mem(&o, &n);
        char *other = site_lines(b, "RAE05", false), *site = site_lines(b, "RAE05", true);
        CHECK(strcmp(other, clean_other) == 0, "%s leaves other sites alone", spec);
        CHECK(strcmp(site, clean_site) != 0, "%s changes its site", spec);
        free(b), free(other), free(site);
    }
    free(clean), free(clean_other), free(clean_site);
}

/* ---- XML twin ---- */

static const char *attr_or_text(xmlNode *parent, const char *name, const char *attr, char *buf,
                                size_t cap)
{
    buf[0] = '\0';
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, name) != 0) continue;
        xmlChar *v = attr ? xmlGetProp(c, (const xmlChar *)attr) : xmlNodeGetContent(c);
        snprintf(buf, cap, "%s", v ? (const char *)v : "");
        xmlFree(v);
    }
    return buf;
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
    return NULL;
}

static const struct {
    int group; /* 0 demographics, 1 referrals, 2 activity, 3 address */
    const char *name, *attr;
} xml_items[18] = {
    {0, "NHSNumber", "extension"},          {0, "NHSNumberStatus", "code"},
    {0, "PersonBirthDate", NULL},           {0, "EthnicCategory", "code"},
    {0, "PersonGenderCode", "code"},        {3, "postalCode", NULL},
    {0, "GPCodeRegistration", "extension"}, {1, "PatientSourceSetting", "code"},
    {1, "ReferrerCode", "extension"},       {1, "ReferringOrgCode", "extension"},
    {1, "DiagnosticTestReqDate", NULL},     {1, "DiagnosticTestReqRecDate", NULL},
    {2, "DiagnosticTestDate", NULL},        {2, "ImagingCodeNICIP", "code"},
    {2, "ImagingCodeSNOMEDCT", "code"},     {2, "ServiceReportIssueDate", NULL},
    {2, "ImagingSiteCode", "extension"},    {2, "RadiologicalAccessionNumber", "extension"},
};

/* Flattens each ImagingActivity into one CSV line, as NHS England does. */
static char *flatten(const char *xml, size_t len, int *groups)
{
    xmlDoc *doc = xmlReadMemory(xml, (int)len, "synth.xml", NULL, XML_PARSE_NONET);
    if (!doc) return NULL;
    size_t cap = len + 1, n = 0;
    char *out = malloc(cap), v[64];
    *groups = 0;
    for (xmlNode *r = xmlDocGetRootElement(doc)->children; r; r = r->next) {
        if (r->type != XML_ELEMENT_NODE) continue;
        (*groups)++;
        xmlNode *g[4] = {child(r, "PersonalAndDemographics"), child(r, "Referrals"), NULL, NULL};
        g[3] = g[0] ? child(g[0], "Address") : NULL;
        for (xmlNode *a = r->children; a; a = a->next) {
            if (a->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, "ImagingActivity"))
                continue;
            g[2] = a;
            for (int i = 0; i < 18; i++)
                n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "," : "",
                                      attr_or_text(g[xml_items[i].group], xml_items[i].name,
                                                   xml_items[i].attr, v, sizeof v));
            n += (size_t)snprintf(out + n, cap - n, "\n");
        }
    }
    xmlFreeDoc(doc);
    return out;
}

static void test_xml_twin(void)
{
    didq_synth_opts o = opts(3000, 5);
    o.defect_rate = 0.2;
    o.defect_dups = 1;
    o.inject = "duplicate-suspected@RR801,identity-conflict@RWY02";
    size_t nc, nx;
    char *csv = didq_synth_mem(&o, &nc);
    o.xml = 1;
    char *xml = didq_synth_mem(&o, &nx);
    int groups = 0;
    char *flat = flatten(xml, nx, &groups);
    CHECK(flat != NULL, "XML is well formed");
    CHECK(flat && strcmp(flat, csv) == 0, "XML flattens to the CSV twin");
    CHECK(groups > 0 && groups < 3000, "some DIDSRecords hold several activities: %d", groups);
    CHECK(strstr(xml, "xmlns=\"http://www.datadictionary.nhs.uk/data_dictionary/messages/"
                      "DIDS-v1-0/\"") != NULL,
          "namespace");
    free(csv), free(xml), free(flat);
}

int main(void)
{
    test_determinism();
    test_identifiers();
    test_validate();
    test_defect_catalogue();
    test_injections_confined();
    test_xml_twin();
    return test_done();
}
