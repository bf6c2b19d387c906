/* xmlin.c: streaming DIDS v1 XML reader.  libxml2's push parser is fed
 * blocks of the file and reports elements through SAX2 callbacks; no tree is
 * ever built, so memory stays bounded whatever the file size.  Each
 * ImagingActivity becomes one record carrying its DIDSRecord's demographics
 * and referral (dids-spec.md 1.3).  The first breach of well-formedness or of
 * the data model (xmlmodel.c) is DIDS076 and stops the reading; records
 * already handed on stay visible.  See docs/xml.md. */
#include "didq/reader.h"
#include "didq/util.h"
#include "xmlerr.h"
#include "xmlmodel.h"
#include "xmlscan.h"

#include <errno.h>
#include <stdarg.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FEED: bytes handed to libxml2 at a time, the cancel callback asked
 * between them. */
enum { BLOCK = 1 << 16, FEED = 4096, MAX_DEPTH = 8, MSG = 256 };

typedef struct frame {
    int elem;           /* element table index */
    uint64_t line;      /* line of the start tag */
    didq_xml_seen seen; /* children so far */
} frame;

typedef struct xmlin {
    xmlParserCtxtPtr ctxt;
    didq_xml_scan scan; /* tag bounds, checked before libxml2 sees the bytes */
    const didq_dataset *ds;
    const didq_reader_cb *cb;
    uint32_t file;
    frame stack[MAX_DEPTH];
    int depth;
    int value_item; /* item whose text is being collected, or -1 */
    int leading;    /* text before the first child is still being read */
    char lead[2];   /* the first characters of that text */
    size_t nlead;
    char val[DIDQ_V1_ITEMS][DIDQ_FIELD_MAX];
    uint32_t len[DIDQ_V1_ITEMS];
    unsigned char present[DIDQ_V1_ITEMS];
    unsigned rec_flags; /* DIDQ_REC_* of the DIDSRecord's values */
    unsigned act_flags; /* ... and of the ImagingActivity's */
    uint64_t act_line;  /* line of the current ImagingActivity */
    uint64_t act_off;   /* byte offset of its start tag (the record's offset) */
    uint64_t recno, fed;
    int failed;  /* DIDS076 reported */
    int no_stop; /* an error from inside libxml2's input layer: stop after the chunk */
    const unsigned char *piece; /* the bytes being fed, for locating an encoding error */
    size_t npiece;
    uint64_t piece_line; /* line of piece[0] */
    int stop;            /* a didq_read_status to return */
    int eof;             /* the last chunk has been pushed */
    int started;         /* an element has been seen */
} xmlin;

static uint64_t cur_line(const xmlin *in)
{
    int l = xmlSAX2GetLineNumber(in->ctxt);
    return l > 0 ? (uint64_t)l : 0;
}

/* Reports DIDS076 once and stops the parser. */
static void fail(xmlin *in, uint64_t line, const char *msg)
{
    if (in->failed) return;
    in->failed = 1;
    in->stop = DIDQ_READ_FATAL;
    if (in->cb->finding) in->cb->finding(in->cb->ctx, "DIDS076", line, msg);
    /* Stopping inside an encoding or I/O error frees the input that
     * xmlParseChunk is still using; push_piece stops the parser after. */
    if (!in->no_stop) xmlStopParser(in->ctxt);
}

static void failf(xmlin *in, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void failf(xmlin *in, uint64_t line, const char *fmt, ...)
{
    char msg[MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fail(in, line, msg);
}

/* ---- values ---- */

static void truncated(xmlin *in, int item)
{
    if (item >= DIDQ_TEST_DATE)
        in->act_flags |= DIDQ_REC_TRUNCATED;
    else
        in->rec_flags |= DIDQ_REC_TRUNCATED;
}

/* An attribute value.  libxml2 hands attribute values to SAX2 with each '&'
 * written as "&#38;" (entities are never substituted); it is decoded back.
 * Values are otherwise kept raw, spaces included. */
static void set_value(xmlin *in, int item, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k == DIDQ_FIELD_MAX) {
            truncated(in, item);
            break;
        }
        in->val[item][k++] = s[i];
        if (s[i] == '&' && n - i >= 5 && memcmp(s + i, "&#38;", 5) == 0) i += 4;
    }
    in->len[item] = (uint32_t)k;
    in->present[item] = k > 0; /* treatEmptyValuesAsNulls */
}

static void add_text(xmlin *in, int item, const char *s, size_t n)
{
    size_t room = DIDQ_FIELD_MAX - in->len[item];
    if (n > room) {
        n = room;
        truncated(in, item);
    }
    memcpy(in->val[item] + in->len[item], s, n);
    in->len[item] += (uint32_t)n;
    in->present[item] = in->len[item] > 0;
}

static void clear_items(xmlin *in, int from, int to)
{
    for (int i = from; i < to; i++) {
        in->len[i] = 0;
        in->present[i] = 0;
    }
}

static void emit_record(xmlin *in)
{
    didq_record r;
    memset(&r, 0, offsetof(didq_record, nhsbuf));
    r.file = in->file;
    r.recno = ++in->recno;
    r.line = in->act_line;
    r.offset = in->act_off;
    r.nfields = in->ds->nitems;
    r.flags = in->rec_flags | in->act_flags;
    for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
        r.f[i].raw = in->present[i] ? in->val[i] : NULL;
        r.f[i].raw_len = in->present[i] ? in->len[i] : 0;
    }
    if ((r.flags & DIDQ_REC_TRUNCATED) && in->cb->finding) /* each record's, as for CSV */
        in->cb->finding(in->cb->ctx, "DIDQ104", in->act_line, NULL);
    didq_record_cleanse(&r, in->ds);
    if (in->cb->record(in->cb->ctx, &r)) {
        in->stop = DIDQ_READ_CANCELLED;
        xmlStopParser(in->ctxt);
    }
}

/* ---- element events ---- */

/* The local name as the error messages show it: at most 40 bytes. */
static void shown(const xmlChar *name, char *out, size_t cap)
{
    snprintf(out, cap, "%.40s", (const char *)name);
}

static int find_elem(xmlin *in, const xmlChar *name, const xmlChar *uri)
{
    char nm[48];
    shown(name, nm, sizeof nm);
    if (!uri || strcmp((const char *)uri, DIDQ_DIDS_NS) != 0) {
        failf(in, cur_line(in), "Element %s is not in the DIDS v1 namespace %s", nm, DIDQ_DIDS_NS);
        return -1;
    }
    int parent = in->depth ? in->stack[in->depth - 1].elem : -1;
    int e = didq_xml_child(parent, (const char *)name);
    if (e < 0 && parent < 0)
        failf(in, cur_line(in), "The root element is %s, not DIDS", nm);
    else if (e < 0)
        failf(in, cur_line(in), "Element %s is not allowed in %s", nm,
              didq_xml_elem_at(parent)->name);
    return e;
}

static const xmlChar *attr_value(const xmlChar **attrs, int nattrs, const char *want, size_t *n)
{
    for (int i = 0; i < nattrs; i++) {
        const xmlChar **a = attrs + 5 * (size_t)i; /* localname, prefix, URI, value, end */
        if (!a[2] && strcmp((const char *)a[0], want) == 0) {
            *n = (size_t)(a[4] - a[3]);
            return a[3];
        }
    }
    return NULL;
}

static void take_attr(xmlin *in, const didq_xml_elem *d, const xmlChar **attrs, int nattrs)
{
    size_t n = 0;
    const xmlChar *v =
        attr_value(attrs, nattrs, d->carrier == DIDQ_XC_CODE ? "code" : "extension", &n);
    if (v) set_value(in, d->item, (const char *)v, n);
}

/* Checks the reserved-character rule on the text read before a child or the
 * end tag: NHS England rejects an element whose text is exactly " & ' < >. */
static void end_leading(xmlin *in)
{
    if (!in->leading) return;
    in->leading = 0;
    if (in->nlead == 1 && strchr("\"&'<>", in->lead[0]) && in->depth)
        failf(in, cur_line(in), "Element %s contains only the XML reserved character %c",
              didq_xml_elem_at(in->stack[in->depth - 1].elem)->name, in->lead[0]);
}

/* The byte offset of the '<' of the start tag just read: libxml2 has read
 * to its end, and no '<' can stand inside a tag. */
static uint64_t tag_offset(const xmlin *in)
{
    const xmlParserInput *i = in->ctxt->input;
    const xmlChar *p = i->cur;
    while (p > i->base && *p != '<')
        p--;
    long end = xmlByteConsumed(in->ctxt);
    return end >= i->cur - p ? (uint64_t)(end - (i->cur - p)) : 0;
}

static void enter(xmlin *in, int e, const xmlChar **attrs, int nattrs)
{
    const didq_xml_elem *d = didq_xml_elem_at(e);
    frame *f = &in->stack[in->depth++];
    f->elem = e;
    f->line = cur_line(in);
    f->seen = (didq_xml_seen){-1, 0, 0};
    if (e == DIDQ_XE_RECORD) {
        clear_items(in, 0, DIDQ_V1_ITEMS);
        in->rec_flags = 0;
    } else if (e == DIDQ_XE_ACTIVITY) {
        clear_items(in, DIDQ_TEST_DATE, DIDQ_V1_ITEMS);
        in->act_flags = 0;
        in->act_line = f->line;
        in->act_off = tag_offset(in);
    }
    in->value_item = d->carrier == DIDQ_XC_TEXT ? d->item : -1;
    if (d->carrier == DIDQ_XC_CODE || d->carrier == DIDQ_XC_EXTENSION)
        take_attr(in, d, attrs, nattrs);
    in->leading = 1;
    in->nlead = 0;
}

/* At the end of a truncated file libxml2 reports the start tag it was
 * reading ("<ReferringOrgCod") before its error: say the file is cut. */
static int cut_tag(xmlin *in, const xmlChar *name)
{
    const xmlParserInput *i = in->ctxt->input;
    if (!in->eof || !i || i->cur < i->end) return 0;
    char nm[48];
    shown(name, nm, sizeof nm);
    failf(in, cur_line(in), "XML is not well formed: the document ends inside the tag <%s", nm);
    return 1;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
    xmlin *in = ctx;
    if (in->failed || in->stop) return;
    in->started = 1;
    if (cut_tag(in, name)) return;
    end_leading(in);
    int e = in->failed ? -1 : find_elem(in, name, uri);
    if (e < 0) return;
    if (in->depth) {
        frame *p = &in->stack[in->depth - 1];
        char msg[MSG];
        if (didq_xml_check_child(p->elem, e, &p->seen, msg, sizeof msg)) {
            fail(in, cur_line(in), msg);
            return;
        }
    }
    if (in->depth == MAX_DEPTH) {
        fail(in, cur_line(in), "Elements are nested too deeply");
        return;
    }
    enter(in, e, attrs, nattrs);
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    xmlin *in = ctx;
    if (in->failed || in->stop || !in->depth) return;
    end_leading(in);
    frame *f = &in->stack[in->depth - 1];
    char msg[MSG];
    if (!in->failed && didq_xml_check_end(f->elem, &f->seen, msg, sizeof msg)) {
        char full[MSG + 32];
        snprintf(full, sizeof full, "%s (element opened on line %llu)", msg,
                 (unsigned long long)f->line);
        fail(in, f->line, full);
    }
    if (in->failed) return;
    in->depth--;
    in->value_item = -1;
    if (f->elem == DIDQ_XE_ACTIVITY) emit_record(in);
}

static int all_space(const xmlChar *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return 0;
    return 1;
}

/* The parser has read to the end of the text: step back over its line
 * breaks after the first character that is not white space. */
static uint64_t text_line(const xmlin *in, const xmlChar *s, int n)
{
    uint64_t line = cur_line(in);
    int i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    for (; i < n; i++)
        line -= s[i] == '\n' && line > 1;
    return line;
}

static void on_text(void *ctx, const xmlChar *s, int n)
{
    xmlin *in = ctx;
    if (in->failed || in->stop || !in->depth) return;
    for (int i = 0; in->leading && i < n && in->nlead < sizeof in->lead; i++)
        in->lead[in->nlead++] = (char)s[i];
    if (in->value_item >= 0) {
        add_text(in, in->value_item, (const char *)s, (size_t)n);
    } else if (!all_space(s, n)) {
        const didq_xml_elem *d = didq_xml_elem_at(in->stack[in->depth - 1].elem);
        failf(in, text_line(in, s, n), "Element %s holds text; its value belongs in %s", d->name,
              d->carrier == DIDQ_XC_NONE ? "its child elements" : "an attribute");
    }
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    xmlin *in = ctx;
    fail(in, cur_line(in), "The document has a DOCTYPE declaration; DIDS v1 XML has none");
}

/* Bytes libxml2 could not convert from the declared encoding: it keeps them
 * raw and at the end says only that the document ended early.  The first
 * few go into out as "0xE9 0x3C ...". */
static bool unconverted(const xmlin *in, char *out, size_t cap)
{
    const xmlParserInput *i = in->ctxt->input;
    if (!i || !i->buf || !i->buf->encoder || !i->buf->raw || !xmlBufUse(i->buf->raw)) return false;
    const unsigned char *b = xmlBufContent(i->buf->raw);
    size_t n = xmlBufUse(i->buf->raw), k = 0;
    out[0] = 0;
    for (size_t j = 0; j < n && j < 4 && k + 6 < cap; j++)
        k += (size_t)snprintf(out + k, cap - k, "%s0x%02X", j ? " " : "", b[j]);
    return true;
}

/* An encoding error comes with no line but with the bytes ("bytes 0x81
 * 0x20 ..."): their line in the piece being fed, else the parser's. */
static uint64_t bytes_line(const xmlin *in, const char *msg)
{
    unsigned char want[4];
    size_t n = 0;
    for (const char *p = msg ? strstr(msg, "0x") : NULL; p && n < sizeof want;
         p = strstr(p + 2, "0x"))
        want[n++] = (unsigned char)strtoul(p + 2, NULL, 16);
    for (size_t i = 0; n && in->piece && i + n <= in->npiece; i++)
        if (memcmp(in->piece + i, want, n) == 0) {
            uint64_t line = in->piece_line;
            for (size_t j = 0; j < i; j++)
                line += in->piece[j] == '\n';
            return line;
        }
    return cur_line(in);
}

/* Well-formedness errors, and the encoding and I/O errors that libxml2
 * raises without a parser context (through the thread's structured error
 * handler, set in didq_xml_read); warnings are ignored. */
static void on_error(void *ctx, xmlErrorPtr e)
{
    xmlin *in = ctx;
    if (!e || e->level < XML_ERR_ERROR || in->failed || in->stop) return;
    char msg[MSG];
    in->no_stop = e->domain == XML_FROM_I18N || e->domain == XML_FROM_IO ||
                  e->domain == XML_FROM_BUFFER || e->domain == XML_FROM_MEMORY;
    char bytes[32];
    if (in->eof && e->domain != XML_FROM_I18N && unconverted(in, bytes, sizeof bytes)) {
        failf(in, cur_line(in),
              "XML cannot be read in the encoding it declares: a byte sequence starting %s is not "
              "valid in it",
              bytes);
        return;
    }
    if (in->eof && !in->started) {
        fail(in, cur_line(in), "XML is not well formed: the document ends before its root element");
        return;
    }
    if (in->eof && in->depth && e->code == XML_ERR_DOCUMENT_END) {
        const frame *f = &in->stack[in->depth - 1];
        failf(in, cur_line(in),
              "XML is not well formed: the document ends before %s (opened on line %llu) "
              "is closed",
              didq_xml_elem_at(f->elem)->name, (unsigned long long)f->line);
        return;
    }
    didq_xml_error_words(e, msg, sizeof msg);
    fail(in,
         e->line > 0                  ? (uint64_t)e->line
         : e->domain == XML_FROM_I18N ? bytes_line(in, e->message)
                                      : cur_line(in),
         msg);
}

static void drop_generic(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

/* ---- feeding the parser ---- */

static void init_sax(xmlSAXHandler *h)
{
    memset(h, 0, sizeof *h);
    h->initialized = XML_SAX2_MAGIC;
    h->startElementNs = on_start;
    h->endElementNs = on_end;
    h->characters = on_text;
    h->cdataBlock = on_text;
    h->internalSubset = on_doctype;
    h->serror = on_error;
    /* No getEntity/entityDecl/resolveEntity: no entity is ever defined,
     * expanded or fetched. */
}

/* Up to FEED bytes: scanned for tag bounds, then what passes to libxml2;
 * a tag past the bounds is DIDS076 on the line where it began. */
static void push_piece(xmlin *in, const unsigned char *p, size_t n, int last)
{
    char msg[MSG];
    uint64_t line = 0;
    in->piece = p;
    in->piece_line = in->scan.line;
    size_t ok = didq_xml_scan_bytes(&in->scan, p, n, msg, sizeof msg, &line);
    in->npiece = ok;
    in->eof = last && ok == n;
    int rc = xmlParseChunk(in->ctxt, (const char *)p, (int)ok, in->eof);
    in->fed += ok;
    if (in->no_stop) {
        in->no_stop = 0;
        xmlStopParser(in->ctxt);
    }
    if (rc != 0 && !in->failed && !in->stop)
        failf(in, cur_line(in), "XML cannot be parsed further (libxml2 stopped with code %d)", rc);
    if (ok < n && !in->failed && !in->stop) fail(in, line, msg);
}

/* Feeds n bytes (the last ones of the input when last) FEED at a time,
 * asking the cancel callback between pieces. */
static int push(xmlin *in, const unsigned char *p, size_t n, int last)
{
    size_t at = 0;
    do {
        size_t k = n - at < FEED ? n - at : FEED;
        push_piece(in, p + at, k, last && at + k == n);
        at += k;
        if (!in->stop && !(last && at == n) && in->cb->progress &&
            in->cb->progress(in->cb->ctx, in->fed))
            in->stop = DIDQ_READ_CANCELLED;
    } while (at < n && !in->stop);
    return in->stop;
}

static int read_loop(xmlin *in, didq_src *src, const unsigned char *head, size_t nhead, char *err,
                     size_t errlen)
{
    if (nhead && push(in, head, nhead, 0)) return in->stop;
    unsigned char *buf = didq_xmalloc(BLOCK);
    int st = 0;
    for (;;) {
        long got = didq_src_read(src, buf, BLOCK);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            if (in->cb->progress && in->cb->progress(in->cb->ctx, in->fed))
                st = in->stop = DIDQ_READ_CANCELLED;
            if (st) break;
            continue;
        }
        if (got < 0) {
            snprintf(err, errlen, "%s", strerror(errno));
            st = DIDQ_READ_IO;
        } else {
            st = push(in, buf, (size_t)got, got == 0);
        }
        if (st || got <= 0) break;
    }
    free(buf);
    return st;
}

int didq_xml_read(didq_src *src, uint32_t file, const didq_dataset *ds, const didq_reader_cb *cb,
                  const unsigned char *head, size_t nhead, char *err, size_t errlen)
{
    xmlin *in = didq_xcalloc(1, sizeof *in);
    in->ds = ds;
    in->cb = cb;
    in->file = file;
    in->value_item = -1;
    didq_xml_scan_init(&in->scan);
    xmlSAXHandler sax;
    init_sax(&sax);
    /* libxml2 prints errors raised outside a parser context (encodings)
     * and some notes straight to stderr: on this thread they come to
     * on_error instead, or are dropped (the generic ones repeat them). */
    xmlSetStructuredErrorFunc(in, on_error);
    xmlSetGenericErrorFunc(in, drop_generic);
    in->ctxt = xmlCreatePushParserCtxt(&sax, in, NULL, 0, NULL);
    if (!in->ctxt) didq_die("out of memory");
    xmlCtxtUseOptions(in->ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    int st = read_loop(in, src, head, nhead, err, errlen);
    if (st == 0 && in->recno == 0 && cb->finding)
        cb->finding(cb->ctx, "DIDS076", 1, "The document holds no ImagingActivity");
    if (st == 0 && in->recno == 0) st = DIDQ_READ_FATAL;
    xmlFreeParserCtxt(in->ctxt);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    free(in);
    return st;
}

void didq_xml_init(void)
{
    xmlInitParser();
}
