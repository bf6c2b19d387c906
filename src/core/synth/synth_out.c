/* synth_out.c: the two renderings of a synthetic month.  CSV: 18 columns,
 * no header, quoted only when needed.  XML: DIDS v1 (dids-spec.md 1.3),
 * consecutive records with the same demographics and referral (items 1 to
 * 12) grouped as ImagingActivity elements of one DIDSRecord, so the XML
 * flattens to exactly the CSV's records in the same order. */
#include "synth_int.h"

#include <stdlib.h>
#include <string.h>

#define SINK_CAP (1u << 18)

void sy_sink_flush(sy_sink *s)
{
    if (!s->fp || s->n == 0) return;
    if (fwrite(s->buf, 1, s->n, s->fp) != s->n) s->err = 1;
    s->n = 0;
}

void sy_sink_reserve(sy_sink *s, size_t need)
{
    if (s->n + need <= s->cap) return;
    if (s->fp) {
        sy_sink_flush(s);
        if (need <= s->cap) return;
    }
    size_t cap = s->cap ? s->cap : SINK_CAP;
    while (cap < s->n + need)
        cap *= 2;
    s->buf = didq_xrealloc(s->buf, cap);
    s->cap = cap;
}

static void put(sy_sink *s, const char *p, size_t n)
{
    sy_sink_reserve(s, n);
    memcpy(s->buf + s->n, p, n);
    s->n += n;
}

static void puts_(sy_sink *s, const char *p)
{
    put(s, p, strlen(p));
}

/* ---- CSV ---- */

static void csv_field(sy_sink *s, const char *v)
{
    if (!v[strcspn(v, ",\"\r\n")]) {
        puts_(s, v);
        return;
    }
    put(s, "\"", 1);
    for (const char *p = v; *p; p++) {
        if (*p == '"') put(s, "\"", 1);
        put(s, p, 1);
    }
    put(s, "\"", 1);
}

static void csv_record(sy_gen *g, const sy_rec *r)
{
    for (int i = 0; i < r->nfields; i++) {
        if (i) put(&g->sink, ",", 1);
        csv_field(&g->sink, r->f[i]);
    }
    put(&g->sink, "\n", 1);
}

/* ---- XML ---- */

static void xml_text(sy_sink *s, const char *v)
{
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case '&':
            puts_(s, "&amp;");
            break;
        case '<':
            puts_(s, "&lt;");
            break;
        case '>':
            puts_(s, "&gt;");
            break;
        case '"':
            puts_(s, "&quot;");
            break;
        case '\'':
            puts_(s, "&apos;");
            break;
        default:
            put(s, p, 1);
        }
    }
}

/* <Name attr="v" />, or nothing when v is blank and the element optional;
 * a blank mandatory element is written empty. */
static void xml_attr(sy_sink *s, const char *ind, const char *name, const char *attr, const char *v,
                     bool mandatory)
{
    if (!v[0] && !mandatory) return;
    puts_(s, ind);
    put(s, "<", 1);
    puts_(s, name);
    put(s, " ", 1);
    puts_(s, attr);
    put(s, "=\"", 2);
    xml_text(s, v);
    put(s, "\" />\n", 5);
}

static void xml_elem(sy_sink *s, const char *ind, const char *name, const char *v, bool mandatory)
{
    if (!v[0] && !mandatory) return;
    puts_(s, ind);
    put(s, "<", 1);
    puts_(s, name);
    if (!v[0]) {
        put(s, " />\n", 4);
        return;
    }
    put(s, ">", 1);
    xml_text(s, v);
    put(s, "</", 2);
    puts_(s, name);
    put(s, ">\n", 2);
}

static void xml_head(sy_sink *s, const sy_rec *r)
{
    static const char *const in = "      ";
    puts_(s, "  <DIDSRecord>\n    <PersonalAndDemographics>\n");
    xml_attr(s, in, "NHSNumber", "extension", r->f[DIDQ_NHS_NUMBER], false);
    xml_attr(s, in, "NHSNumberStatus", "code", r->f[DIDQ_NHS_STATUS], false);
    xml_elem(s, in, "PersonBirthDate", r->f[DIDQ_BIRTH_DATE], false);
    xml_attr(s, in, "EthnicCategory", "code", r->f[DIDQ_ETHNIC], false);
    xml_attr(s, in, "PersonGenderCode", "code", r->f[DIDQ_GENDER], false);
    if (r->f[DIDQ_POSTCODE][0]) {
        puts_(s, "      <Address>\n");
        xml_elem(s, "        ", "postalCode", r->f[DIDQ_POSTCODE], false);
        puts_(s, "      </Address>\n");
    }
    xml_attr(s, in, "GPCodeRegistration", "extension", r->f[DIDQ_PRACTICE], false);
    puts_(s, "    </PersonalAndDemographics>\n    <Referrals>\n");
    xml_attr(s, in, "PatientSourceSetting", "code", r->f[DIDQ_SETTING], true);
    xml_attr(s, in, "ReferrerCode", "extension", r->f[DIDQ_REFERRER], true);
    xml_attr(s, in, "ReferringOrgCode", "extension", r->f[DIDQ_REFERRING_ORG], true);
    xml_elem(s, in, "DiagnosticTestReqDate", r->f[DIDQ_REQUEST_DATE], true);
    xml_elem(s, in, "DiagnosticTestReqRecDate", r->f[DIDQ_RECEIVED_DATE], true);
    puts_(s, "    </Referrals>\n");
}

/* ImagingActivity children in the order of NHS England's fixtures. */
static void xml_activity(sy_sink *s, const sy_rec *r)
{
    static const char *const in = "      ";
    puts_(s, "    <ImagingActivity>\n");
    /* The XSD demands NICIP or SNOMED CT: with both blank, NICIP is written empty. */
    xml_attr(s, in, "ImagingCodeNICIP", "code", r->f[DIDQ_NICIP], !r->f[DIDQ_SNOMED][0]);
    xml_attr(s, in, "ImagingCodeSNOMEDCT", "code", r->f[DIDQ_SNOMED], false);
    xml_elem(s, in, "DiagnosticTestDate", r->f[DIDQ_TEST_DATE], true);
    xml_elem(s, in, "ServiceReportIssueDate", r->f[DIDQ_REPORT_DATE], false);
    xml_attr(s, in, "ImagingSiteCode", "extension", r->f[DIDQ_SITE], true);
    xml_attr(s, in, "RadiologicalAccessionNumber", "extension", r->f[DIDQ_ACCESSION], true);
    puts_(s, "    </ImagingActivity>\n");
}

static bool same_head(const sy_gen *g, const sy_rec *r)
{
    for (int i = 0; i < 12; i++)
        if (strcmp(g->xml_head[i], r->f[i]) != 0) return false;
    return true;
}

static void xml_record(sy_gen *g, const sy_rec *r)
{
    if (!g->xml_open || !same_head(g, r)) {
        if (g->xml_open) puts_(&g->sink, "  </DIDSRecord>\n");
        xml_head(&g->sink, r);
        for (int i = 0; i < 12; i++)
            memcpy(g->xml_head[i], r->f[i], SY_FLEN);
        g->xml_open = true;
    }
    xml_activity(&g->sink, r);
}

/* ---- driver hooks ---- */

void sy_out_begin(sy_gen *g)
{
    sy_sink_reserve(&g->sink, 1);
    if (g->o.xml)
        puts_(&g->sink, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                        "<DIDS xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        "xmlns=\"http://www.datadictionary.nhs.uk/data_dictionary/messages/"
                        "DIDS-v1-0/\">\n");
}

void sy_out_record(sy_gen *g, const sy_rec *rec)
{
    if (g->o.xml)
        xml_record(g, rec);
    else
        csv_record(g, rec);
}

void sy_out_end(sy_gen *g)
{
    if (g->o.xml) {
        if (g->xml_open) puts_(&g->sink, "  </DIDSRecord>\n");
        puts_(&g->sink, "</DIDS>\n");
    }
    sy_sink_flush(&g->sink);
}
