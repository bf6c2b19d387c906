/* The tag bounds checked before libxml2 (xmlscan.c): what counts as an
 * attribute and a tag's length, across chunks, and what does not
 * (comments, CDATA, processing instructions, quoted values). */
#include "xmlscan.h"
#include "testlib.h"

#include <stdlib.h>

/* Scans text in pieces of step bytes; returns the offset of the breach
 * (strlen(text) if none), with its line and message. */
static size_t scan(const char *text, size_t step, uint64_t *line, char *msg, size_t cap)
{
    didq_xml_scan s;
    didq_xml_scan_init(&s);
    size_t n = strlen(text);
    for (size_t at = 0; at < n; at += step) {
        size_t k = n - at < step ? n - at : step;
        size_t ok = didq_xml_scan_bytes(&s, (const unsigned char *)text + at, k, msg, cap, line);
        if (ok < k) return at + ok;
    }
    return n;
}

static void test_not_attributes(void)
{
    const char *doc = "<?xml version=\"1.0\" a=\"1\" b=\"2\" c=\"3\" d=\"4\" e=\"5\"?>\n"
                      "<!-- <x a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 j=10> -- -->\n"
                      "<DIDS xmlns=\"u\" v=\"a=b=c=d=e=f=g=h=i=j\" w='x=\"y\"'>\n"
                      "<![CDATA[ <y a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 ]]> ]] >\n"
                      "<z q=\">>>>\" />\n</DIDS>\n";
    char msg[256];
    uint64_t line = 0;
    for (size_t step = 1; step <= 7; step++)
        CHECK(scan(doc, step, &line, msg, sizeof msg) == strlen(doc), "no breach (step %zu): %s",
              step, msg);
}

static void test_attributes(void)
{
    const char *doc = "<DIDS>\n<!-- c -->\n<A a='1' b=\"2\" c='3' d='4' e='5' f='6' g='7' h='8'/>\n"
                      "<B\n a='1' b='2' c='3' d='4' e='5' f='6' g='7' h='8' i='9'/>";
    char msg[256] = "";
    uint64_t line = 0;
    for (size_t step = 1; step <= 5; step += 4) {
        size_t at = scan(doc, step, &line, msg, sizeof msg);
        CHECK(at == (size_t)(strstr(doc, "i='9'") - doc) + 1, "breach at the ninth '=': %zu", at);
        CHECK(line == 4, "line of the tag: %llu", (unsigned long long)line);
        CHECK(strstr(msg, "The tag <B has more than 8 attributes") == msg, "%s", msg);
    }
}

static void test_long_tag(void)
{
    size_t n = DIDQ_XML_TAG_MAX + 100;
    char *doc = malloc(n + 1);
    memset(doc, 'v', n);
    memcpy(doc, "<R>\n<Accession extension=\"", 26);
    doc[n] = 0;
    char msg[256] = "";
    uint64_t line = 0;
    size_t at = scan(doc, 4096, &line, msg, sizeof msg);
    CHECK(at == 4 + DIDQ_XML_TAG_MAX, "breach at byte %zu of the tag", at - 4);
    CHECK(line == 2, "line %llu", (unsigned long long)line);
    CHECK(strstr(msg, "The tag <Accession is longer than 8192 bytes") == msg, "%s", msg);
    /* the same length in a comment is not a tag */
    memcpy(doc, "<!--", 4);
    CHECK(scan(doc, 4096, &line, msg, sizeof msg) == n, "a long comment passes");
    free(doc);
}

int main(void)
{
    test_not_attributes();
    test_attributes();
    test_long_tag();
    return test_done();
}
