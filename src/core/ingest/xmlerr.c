/* xmlerr.c: libxml2's errors in words for a person (xmlerr.h). */
#include "xmlerr.h"

#include <stdio.h>
#include <string.h>

static const char *text(const char *s)
{
    return s ? s : "?";
}

/* libxml2's own message on one line: line ends and runs of spaces made one
 * space, the end trimmed. */
static void cleaned(const char *msg, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = msg ? msg : "a parse error"; *p && k + 1 < cap; p++) {
        char c = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
        if (c == ' ' && (k == 0 || out[k - 1] == ' ')) continue;
        out[k++] = c;
    }
    while (k && out[k - 1] == ' ')
        k--;
    out[k] = 0;
}

/* The "0x.. 0x.." list libxml2 puts after "Bytes:" or "bytes". */
static const char *bytes_of(const char *msg)
{
    const char *b = msg ? strstr(msg, "0x") : NULL;
    return b ? b : "?";
}

/* The bytes list, its line end dropped. */
static void byte_list(const char *msg, char *out, size_t cap)
{
    cleaned(bytes_of(msg), out, cap);
}

static void encoding_words(const xmlError *e, char *out, size_t cap)
{
    char b[64];
    byte_list(e->message, b, sizeof b);
    if (e->code == XML_ERR_INVALID_ENCODING || e->code == XML_ERR_INVALID_CHAR)
        snprintf(out, cap,
                 "XML is not well formed: bytes that are not valid UTF-8 (%s); the file must "
                 "be UTF-8, or name its encoding in the XML declaration",
                 b);
    else if (e->code == XML_I18N_CONV_FAILED)
        snprintf(out, cap,
                 "XML cannot be read in the encoding it declares: a byte sequence starting %s "
                 "is not valid in it",
                 b);
    else
        snprintf(out, cap, "XML cannot be read in the encoding it declares");
}

void didq_xml_error_words(const xmlError *e, char *out, size_t cap)
{
    char own[200];
    switch (e->code) {
    case XML_ERR_INVALID_ENCODING:
    case XML_I18N_CONV_FAILED:
    case XML_IO_ENCODER:
        encoding_words(e, out, cap);
        return;
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_UNKNOWN_ENCODING:
        snprintf(out, cap,
                 "XML declares the encoding %s, which cannot be read; save the file "
                 "as UTF-8",
                 text(e->str1));
        return;
    case XML_ERR_TAG_NAME_MISMATCH:
        snprintf(
            out, cap,
            "XML is not well formed: the end tag </%s> does not close <%s> (opened on line %d)",
            text(e->str2), text(e->str1), e->int1);
        return;
    case XML_ERR_INVALID_CHAR:
        if (e->message && strstr(e->message, "not proper UTF-8")) {
            encoding_words(e, out, cap);
            return;
        }
        if (e->int1 > 0) {
            snprintf(out, cap,
                     "XML is not well formed: the character U+%04X is not allowed in XML%s",
                     (unsigned)e->int1, e->int1 < 0x20 ? " (a control character)" : "");
            return;
        }
        break;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        snprintf(out, cap,
                 "XML is not well formed: the entity &%s; is not defined (DIDS XML defines none; "
                 "a '&' in a value is written &amp;)",
                 text(e->str1));
        return;
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
    case XML_ERR_NAME_REQUIRED:
        if (e->message && strncmp(e->message, "EntityRef", 9) == 0) {
            snprintf(out, cap,
                     "XML is not well formed: a '&' that starts no entity (a '&' in "
                     "a value is written &amp;)");
            return;
        }
        break;
    case XML_ERR_LT_IN_ATTRIBUTE:
        snprintf(out, cap,
                 "XML is not well formed: an attribute value holds '<' (written &lt; "
                 "in XML)");
        return;
    case XML_ERR_ATTRIBUTE_REDEFINED:
        snprintf(out, cap, "XML is not well formed: the attribute %s is given twice in one tag",
                 text(e->str1));
        return;
    case XML_ERR_EXTRA_CONTENT:
        snprintf(out, cap,
                 "XML is not well formed: there is more after the end of the root "
                 "element");
        return;
    case XML_NS_ERR_UNDEFINED_NAMESPACE:
        snprintf(out, cap, "XML is not well formed: the namespace prefix %s is not declared",
                 text(e->str1));
        return;
    default:
        break;
    }
    cleaned(e->message, own, sizeof own);
    snprintf(out, cap, "XML is not well formed: %s", own);
}
