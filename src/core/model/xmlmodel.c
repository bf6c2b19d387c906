/* xmlmodel.c: the DIDS v1 XML element table and the order/cardinality checks
 * standing in for the unpublished XSD (docs/xml.md lists what is checked). */
#include "xmlmodel.h"
#include "didq/dataset.h"

#include <stdio.h>
#include <string.h>

/* Children follow their parent, in the order the message requires.  The
 * ImagingActivity order is that of NHS England's fixtures (the codes come
 * before DiagnosticTestDate). */
static const didq_xml_elem elems[] = {
    {"DIDS", -1, 1, 1, -1, DIDQ_XC_NONE},
    {"DIDSRecord", 0, 1, 0, -1, DIDQ_XC_NONE},
    {"PersonalAndDemographics", 1, 1, 1, -1, DIDQ_XC_NONE},
    {"NHSNumber", 2, 0, 1, DIDQ_NHS_NUMBER, DIDQ_XC_EXTENSION},
    {"NHSNumberStatus", 2, 0, 1, DIDQ_NHS_STATUS, DIDQ_XC_CODE},
    {"PersonBirthDate", 2, 0, 1, DIDQ_BIRTH_DATE, DIDQ_XC_TEXT},
    {"EthnicCategory", 2, 0, 1, DIDQ_ETHNIC, DIDQ_XC_CODE},
    {"PersonGenderCode", 2, 0, 1, DIDQ_GENDER, DIDQ_XC_CODE},
    {"Address", 2, 0, 1, -1, DIDQ_XC_NONE},
    {"postalCode", 8, 0, 1, DIDQ_POSTCODE, DIDQ_XC_TEXT},
    {"GPCodeRegistration", 2, 0, 1, DIDQ_PRACTICE, DIDQ_XC_EXTENSION},
    {"Referrals", 1, 1, 1, -1, DIDQ_XC_NONE},
    {"PatientSourceSetting", 11, 1, 1, DIDQ_SETTING, DIDQ_XC_CODE},
    {"ReferrerCode", 11, 1, 1, DIDQ_REFERRER, DIDQ_XC_EXTENSION},
    {"ReferringOrgCode", 11, 1, 1, DIDQ_REFERRING_ORG, DIDQ_XC_EXTENSION},
    {"DiagnosticTestReqDate", 11, 1, 1, DIDQ_REQUEST_DATE, DIDQ_XC_TEXT},
    {"DiagnosticTestReqRecDate", 11, 1, 1, DIDQ_RECEIVED_DATE, DIDQ_XC_TEXT},
    {"ImagingActivity", 1, 1, 0, -1, DIDQ_XC_NONE},
    {"ImagingCodeNICIP", 17, 0, 1, DIDQ_NICIP, DIDQ_XC_CODE},
    {"ImagingCodeSNOMEDCT", 17, 0, 1, DIDQ_SNOMED, DIDQ_XC_CODE},
    {"DiagnosticTestDate", 17, 1, 1, DIDQ_TEST_DATE, DIDQ_XC_TEXT},
    {"ServiceReportIssueDate", 17, 0, 1, DIDQ_REPORT_DATE, DIDQ_XC_TEXT},
    {"ImagingSiteCode", 17, 1, 1, DIDQ_SITE, DIDQ_XC_EXTENSION},
    {"RadiologicalAccessionNumber", 17, 1, 1, DIDQ_ACCESSION, DIDQ_XC_EXTENSION},
};

enum { NELEMS = sizeof elems / sizeof elems[0], XE_NICIP = 18, XE_SNOMED = 19, XE_TESTDATE = 20 };

/* The imaging codes and DiagnosticTestDate may come in either order: the
 * specification and NHS England's fixtures disagree, and without the XSD
 * an unproven order must not reject a file. */
static int free_order(int child)
{
    return child == XE_NICIP || child == XE_SNOMED || child == XE_TESTDATE;
}

const didq_xml_elem *didq_xml_elem_at(int i)
{
    return i >= 0 && i < NELEMS ? &elems[i] : NULL;
}

int didq_xml_child(int parent, const char *name)
{
    for (int i = 0; i < NELEMS; i++)
        if (elems[i].parent == parent && strcmp(elems[i].name, name) == 0) return i;
    return -1;
}

/* The first mandatory child of parent, not yet seen, with an index in
 * (after, before). */
static int missing_between(int parent, int after, int before, unsigned long seen)
{
    for (int i = after + 1; i < before && i < NELEMS; i++)
        if (elems[i].parent == parent && elems[i].min > 0 && !(seen & (1ul << i))) return i;
    return -1;
}

int didq_xml_check_child(int parent, int child, didq_xml_seen *s, char *msg, size_t n)
{
    const char *pn = elems[parent].name, *cn = elems[child].name;
    if (child == s->last) {
        if (elems[child].max && ++s->count > elems[child].max) {
            snprintf(msg, n, "%s holds more than %d %s element%s", pn, elems[child].max, cn,
                     elems[child].max == 1 ? "" : "s");
            return 1;
        }
        return 0;
    }
    int swapped = free_order(child) && free_order(s->last) && !(s->mask & (1ul << child));
    if (child < s->last && !swapped) {
        snprintf(msg, n, "%s is out of order in %s: it must come before %s", cn, pn,
                 elems[s->last].name);
        return 1;
    }
    int miss = missing_between(parent, s->last, child, s->mask);
    if (miss >= 0) {
        snprintf(msg, n, "%s lacks the mandatory %s (expected before %s)", pn, elems[miss].name,
                 cn);
        return 1;
    }
    s->last = child;
    s->count = 1;
    s->mask |= 1ul << child;
    return 0;
}

int didq_xml_check_end(int parent, const didq_xml_seen *s, char *msg, size_t n)
{
    int miss = missing_between(parent, s->last, NELEMS, s->mask);
    if (miss >= 0) {
        snprintf(msg, n, "%s lacks the mandatory %s", elems[parent].name, elems[miss].name);
        return 1;
    }
    if (parent == DIDQ_XE_ACTIVITY && !(s->mask & (1ul << XE_NICIP | 1ul << XE_SNOMED))) {
        snprintf(msg, n, "ImagingActivity has neither ImagingCodeNICIP nor ImagingCodeSNOMEDCT");
        return 1;
    }
    return 0;
}
