/* xmlscan.c: bounds the tags of an XML document before libxml2 parses it
 * (xmlscan.h). */
#include "xmlscan.h"

#include <stdio.h>
#include <string.h>

enum { TEXT, LT, BANG, TAG, QUOTED, COMMENT, CDATA, PI, DECL };

void didq_xml_scan_init(didq_xml_scan *s)
{
    memset(s, 0, sizeof *s);
    s->line = 1;
}

static void start_tag(didq_xml_scan *s)
{
    s->state = LT;
    s->taglen = 1;
    s->attrs = 0;
    s->nname = 0;
    s->name[0] = 0;
    s->tag_line = s->line;
}

/* After "<!": a comment ("--"), a CDATA section ("[CDATA[") or another
 * declaration (DOCTYPE: DIDS076 from the reader anyway). */
static void bang(didq_xml_scan *s, unsigned char c)
{
    static const char comment[] = "--", cdata[] = "[CDATA[";
    s->pre[s->match++] = (char)c;
    size_t m = (size_t)s->match;
    if (m == 2 && memcmp(s->pre, comment, 2) == 0) {
        s->state = COMMENT;
        s->match = 0;
    } else if (m == 7 && memcmp(s->pre, cdata, 7) == 0) {
        s->state = CDATA;
        s->match = 0;
    } else if (memcmp(s->pre, comment, m < 2 ? m : 2) != 0 && memcmp(s->pre, cdata, m) != 0) {
        s->state = DECL;
        s->depth = c == '[';
        s->quote = 0;
    }
}

/* Comment, CDATA and PI ends: "-->", "]]>", "?>". */
static void until(didq_xml_scan *s, unsigned char c, char mark, int need)
{
    if (c == (unsigned char)mark) {
        s->match += s->match < need;
    } else {
        if (c == '>' && s->match == need) s->state = TEXT;
        s->match = 0;
    }
}

static void decl(didq_xml_scan *s, unsigned char c)
{
    if (s->quote) {
        if (c == (unsigned char)s->quote) s->quote = 0;
    } else if (c == '"' || c == '\'') {
        s->quote = (char)c;
    } else if (c == '[') {
        s->depth++;
    } else if (c == ']') {
        s->depth -= s->depth > 0;
    } else if (c == '>' && s->depth == 0) {
        s->state = TEXT;
    }
}

static void in_tag(didq_xml_scan *s, unsigned char c)
{
    if (s->state == QUOTED) {
        if (c == (unsigned char)s->quote) s->state = TAG;
        return;
    }
    if (c == '"' || c == '\'') {
        s->state = QUOTED;
        s->quote = (char)c;
    } else if (c == '=') {
        s->attrs++;
    } else if (c == '>') {
        s->state = TEXT;
    }
}

static void name_byte(didq_xml_scan *s, unsigned char c)
{
    if (s->state != TAG || s->nname != s->taglen - 2 || s->nname + 1 >= sizeof s->name) return;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '=' || c < 0x20) return;
    s->name[s->nname++] = (char)c;
    s->name[s->nname] = 0;
}

/* One byte; returns nonzero when it breaks a limit. */
static int step(didq_xml_scan *s, unsigned char c)
{
    switch (s->state) {
    case TEXT:
        if (c == '<') start_tag(s);
        return 0;
    case LT:
        s->match = 0;
        s->state = c == '!' ? BANG : c == '?' ? PI : TAG;
        break;
    case BANG:
        bang(s, c);
        return 0;
    case COMMENT:
        until(s, c, '-', 2);
        return 0;
    case CDATA:
        until(s, c, ']', 2);
        return 0;
    case PI:
        until(s, c, '?', 1);
        return 0;
    case DECL:
        decl(s, c);
        return 0;
    default:
        break;
    }
    if (s->state == TAG || s->state == QUOTED) {
        s->taglen++;
        name_byte(s, c);
        in_tag(s, c);
        return s->taglen > DIDQ_XML_TAG_MAX || s->attrs > DIDQ_XML_ATTR_MAX;
    }
    return 0;
}

size_t didq_xml_scan_bytes(didq_xml_scan *s, const unsigned char *p, size_t n, char *msg,
                           size_t cap, uint64_t *line)
{
    for (size_t i = 0; i < n; i++) {
        if (step(s, p[i])) {
            *line = s->tag_line;
            if (s->attrs > DIDQ_XML_ATTR_MAX)
                snprintf(msg, cap,
                         "The tag <%s has more than %d attributes; a DIDS v1 element has one "
                         "value attribute (and the root its namespace declarations)",
                         s->name, DIDQ_XML_ATTR_MAX);
            else
                snprintf(msg, cap,
                         "The tag <%s is longer than %d bytes; a DIDS v1 tag holds a name and "
                         "one short value",
                         s->name, DIDQ_XML_TAG_MAX);
            return i;
        }
        s->line += p[i] == '\n';
    }
    return n;
}
