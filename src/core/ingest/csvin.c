/* csvin.c: streaming CSV reader.  libcsv is fed one physical line at a time
 * so that each record knows the line and byte offset where it starts; field
 * and row sizes are capped so that memory stays bounded on any input. */
#include "csvin_int.h"
#include "csvline.h"
#include "didq/reader.h"
#include "didq/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK = 1 << 20, LIBCSV_FIELD_LIMIT = 1 << 20, LIBCSV_GROW = 64 << 10 };

/* libcsv grows its field buffer without limit; refusing past 1 MiB turns a
 * runaway field (an unclosed quote, a 50 MB line) into a parse error. */
static void *capped_realloc(void *p, size_t n)
{
    return n > LIBCSV_FIELD_LIMIT ? NULL : realloc(p, n);
}

static int never_space(unsigned char c)
{
    return 0;
}

static void finding(csvin *in, const char *code, uint64_t line, const char *msg)
{
    if (in->cb->finding) in->cb->finding(in->cb->ctx, code, line, msg);
}

/* Reports a DIDQ notice once per file, at its first line. */
static void notice_once(csvin *in, unsigned bit, const char *code)
{
    if (in->warned & bit) return;
    in->warned |= bit;
    finding(in, code, in->row_line, NULL);
}

static int has_bom(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF) return 1;
    return 0;
}

/* Notes NUL bytes, invalid UTF-8 and stray byte order marks in a field. */
static void check_bytes(csvin *in, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    int plain = 1;
    for (size_t i = 0; i < n && plain; i++)
        plain = u[i] != 0 && u[i] < 0x80;
    if (plain) return;
    if (memchr(s, 0, n)) in->flags |= DIDQ_REC_NUL;
    if (didq_utf8_valid_prefix(s, n) != n) in->flags |= DIDQ_REC_BAD_UTF8;
    if (has_bom(u, n)) notice_once(in, 64, "DIDQ107");
}

/* Where the row's fields are: a plain line's own bytes in the input
 * (plain_line: not copied, so a record's values point into the block
 * being read), or the bytes libcsv gave (on_field). */
static const char *row_bytes(const csvin *in)
{
    return in->line_src ? in->line_src : in->row.p;
}

/* Keeps field i of the row: n bytes at offset at of row_bytes. */
static void keep_field(csvin *in, uint32_t at, size_t n, int isnull, int check)
{
    size_t i = in->nf++;
    if (i >= DIDQ_MAX_COLS) return;
    if (n > DIDQ_FIELD_MAX) {
        n = DIDQ_FIELD_MAX;
        in->flags |= DIDQ_REC_TRUNCATED;
    }
    in->start[i] = at;
    in->len[i] = (uint32_t)n;
    in->isnull[i] = (unsigned char)isnull;
    if (check) check_bytes(in, row_bytes(in) + at, n);
}

static void on_field(void *s, size_t n, void *data)
{
    csvin *in = data;
    uint32_t at = (uint32_t)in->row.n;
    if (s && in->nf < DIDQ_MAX_COLS)
        didq_buf_add(&in->row, s, n > DIDQ_FIELD_MAX ? DIDQ_FIELD_MAX : n);
    keep_field(in, at, n, s == NULL, s != NULL);
}

/* ---- header rows ---- */

static int field_item(csvin *in, int i)
{
    char name[128];
    size_t n = in->len[i] < sizeof name - 1 ? in->len[i] : sizeof name - 1;
    memcpy(name, row_bytes(in) + in->start[i], n);
    name[n] = 0;
    return didq_dataset_item(in->ds, name);
}

/* A first row is a header when most of its cells name data items. */
static int is_header(csvin *in)
{
    int kept = in->nf < DIDQ_MAX_COLS ? (int)in->nf : DIDQ_MAX_COLS, named = 0;
    for (int i = 0; i < kept; i++)
        named += !in->isnull[i] && field_item(in, i) >= 0;
    return named >= 3 && named * 2 > kept;
}

/* Names of up to a few header columns that are not data items. */
static void extra_names(const csvin *in, int kept, char *out, size_t cap)
{
    size_t at = 0;
    int shown = 0, more = 0;
    out[0] = 0;
    for (int i = 0; i < kept; i++) {
        if (in->map[i] >= 0) continue;
        if (shown == 3) {
            more++;
            continue;
        }
        int w = snprintf(out + at, cap - at, "%s%.*s", shown ? ", " : "", (int)in->len[i],
                         row_bytes(in) + in->start[i]);
        if (w < 0 || (size_t)w >= cap - at) break;
        at += (size_t)w;
        shown++;
    }
    if (more && at < cap) snprintf(out + at, cap - at, " and %d more", more);
}

/* NHS England reads no header and 18 columns by position (dids-spec.md
 * 1.2): a header row rejects the file (DIDQ101), and a header that does not
 * name the 18 items in order says what else is wrong; a column count other
 * than 18 is NHS England's own DIDS075. */
static void header_rejects(csvin *in, int kept)
{
    char msg[600], names[200];
    int n = in->ds->nitems, first_off = -1;
    for (int i = 0; i < n && first_off < 0; i++)
        if (i >= kept || in->map[i] != i) first_off = i;
    if (in->nf != (size_t)n) {
        extra_names(in, kept, names, sizeof names);
        snprintf(msg, sizeof msg,
                 "The header names %zu columns; NHS England reads exactly %d by position and "
                 "rejects the file%s%s%s",
                 in->nf, n, *names ? " (not data items: " : "", names, *names ? ")" : "");
        finding(in, "DIDS075", in->row_line, msg);
    }
    char what[160] = "";
    if (in->nf != (size_t)n)
        snprintf(what, sizeof what, " and keep only the %d data items, in the data set's order", n);
    else if (first_off >= 0)
        snprintf(what, sizeof what,
                 " and put the columns in the data set's order (column %d should be %s)",
                 first_off + 1, in->ds->items[first_off].field);
    snprintf(msg, sizeof msg,
             "File rejected: line %llu is a header row; NHS England reads no header, would "
             "validate the row as a record with errors and reject the file. Remove the header "
             "row%s; didq reads the columns by name only for exploring",
             (unsigned long long)in->row_line, what);
    finding(in, "DIDQ101", in->row_line, msg);
}

static void take_header(csvin *in)
{
    int kept = in->nf < DIDQ_MAX_COLS ? (int)in->nf : DIDQ_MAX_COLS;
    int seen[DIDQ_MAX_ITEMS] = {0}, missing = 0, extra = 0;
    in->expect = in->nf;
    for (int i = 0; i < kept; i++) {
        int item = in->isnull[i] ? -1 : field_item(in, i);
        if (item >= 0 && seen[item]) {
            item = -1; /* a duplicate name: the first column wins */
            finding(in, "DIDQ105", in->row_line,
                    "A header names an item twice; the later column is kept for display only");
        }
        in->map[i] = item;
        if (item >= 0) seen[item] = 1;
        extra += item < 0;
        in->names[i] = didq_strndup(row_bytes(in) + in->start[i], in->len[i]);
    }
    in->straight = kept >= in->ds->nitems;
    for (int i = 0; i < in->ds->nitems; i++) {
        missing += !seen[i];
        in->straight &= in->map[i] == i;
    }
    header_rejects(in, kept);
    if (extra) finding(in, "DIDQ105", in->row_line, NULL);
    if (missing) finding(in, "DIDQ106", in->row_line, NULL);
}

static void default_map(csvin *in)
{
    in->expect = (size_t)in->ds->nitems;
    for (int i = 0; i < DIDQ_MAX_COLS; i++)
        in->map[i] = i < in->ds->nitems ? i : -1;
    in->straight = 1;
}

/* ---- rows to records ---- */

static void add_extra(csvin *in, int i)
{
    char name[32];
    const char *label = in->names[i];
    if (!label) {
        snprintf(name, sizeof name, "column%d", i + 1);
        label = name;
    }
    if (in->extra.n) didq_buf_add(&in->extra, "\x1f", 1);
    didq_buf_printf(&in->extra, "%s=", label);
    didq_buf_add(&in->extra, row_bytes(in) + in->start[i], in->len[i]);
}

static void fill_record(csvin *in, didq_record *r)
{
    int kept = in->nf < DIDQ_MAX_COLS ? (int)in->nf : DIDQ_MAX_COLS;
    in->extra.n = 0;
    for (int i = 0; i < kept; i++) {
        int item = in->map[i];
        if (item < 0) {
            if (!in->isnull[i]) add_extra(in, i);
            continue;
        }
        r->f[item].raw = in->isnull[i] ? NULL : row_bytes(in) + in->start[i];
        r->f[item].raw_len = in->len[i];
        r->col[item] = (uint16_t)(i + 1);
    }
    r->extra = in->extra.n ? in->extra.p : NULL;
    r->extra_len = (uint32_t)in->extra.n;
}

static void report_flags(csvin *in)
{
    if (in->flags & DIDQ_REC_BAD_UTF8) notice_once(in, 1, "DIDQ102");
    if (in->flags & DIDQ_REC_NUL) notice_once(in, 2, "DIDQ103");
    /* on each record's line: a value cut silently on a later line read as whole */
    if (in->flags & DIDQ_REC_TRUNCATED) finding(in, "DIDQ104", in->row_line, NULL);
}

/* Whether the n bytes at p hold c at least half as often as a row has
 * separators (a stray one in binary bytes is no separator). */
static bool splits_by(const char *p, size_t n, char c, size_t expect)
{
    size_t k = 0;
    for (const char *e = p + n; (p = memchr(p, c, (size_t)(e - p))) != NULL; p++)
        k++;
    return k > 0 && 2 * (k + 1) >= expect;
}

/* A one-field row split by tabs or semicolons: the file uses another
 * separator, which is worth saying in the message. */
static const char *separator_hint(const csvin *in)
{
    if (in->nf != 1 || in->isnull[0]) return "";
    const char *p = row_bytes(in) + in->start[0];
    if (splits_by(p, in->len[0], '\t', in->expect))
        return " (the fields seem to be separated by tabs; DIDS CSV uses commas)";
    if (splits_by(p, in->len[0], ';', in->expect))
        return " (the fields seem to be separated by semicolons; DIDS CSV uses commas)";
    return "";
}

static void width_message(const csvin *in, char *msg, size_t cap)
{
    snprintf(msg, cap, "Row has %zu field%s, expected %zu%s", in->nf, didq_plural(in->nf),
             in->expect, separator_hint(in));
}

/* A row of the wrong shape past the first MALFORMED_KEPT: counted, its
 * lines kept for the summary (DIDQ109), nothing else. */
static bool drop_malformed(csvin *in)
{
    if (in->nf == in->expect && !in->multiline) return false;
    if (++in->malformed <= MALFORMED_KEPT) return false;
    if (!in->dropped++) in->dropped_first = in->row_line;
    in->dropped_last = in->row_line;
    return true;
}

static void report_dropped(csvin *in)
{
    if (!in->dropped) return;
    char msg[300];
    snprintf(msg, sizeof msg,
             "%llu more rows with the wrong number of fields or over several lines (lines %llu "
             "to %llu) were counted, not kept: only the first %d such rows of a rejected file "
             "are kept as records",
             (unsigned long long)in->dropped, (unsigned long long)in->dropped_first,
             (unsigned long long)in->dropped_last, MALFORMED_KEPT);
    finding(in, "DIDQ109", in->dropped_first, msg);
}

/* A segment reader keeps its block's first MALFORMED_KEPT malformed rows
 * and counts the rest (each is past the file's cap too); the file reader
 * decides at the merge (didq_csvin_merge_record) which of the kept ones
 * are kept and which notices are given. */
static void emit_record(csvin *in)
{
    if (drop_malformed(in)) return;
    didq_record r;
    memset(&r, 0, offsetof(didq_record, nhsbuf));
    r.file = in->file;
    r.recno = in->seg ? 0 : ++in->recno;
    r.line = in->row_line;
    r.offset = in->row_offset;
    r.nfields = in->nf;
    if (in->nf != in->expect) {
        char msg[sizeof in->wmsg];
        width_message(in, in->seg ? in->wmsg : msg, sizeof msg);
        if (!in->seg) finding(in, "DIDS075", in->row_line, msg);
        in->flags |= DIDQ_REC_WIDTH;
    }
    if (in->multiline)
        finding(in, "DIDS075", in->row_line,
                "Record spans more than one line (a line break inside quotes); NHS England "
                "reads one record per line");
    if (!in->seg) report_flags(in);
    r.flags = in->flags;
    fill_record(in, &r);
    /* the values are the line's bytes split at its commas (recstore.h) */
    if (in->plain_len && in->straight && in->nf == (size_t)in->ds->nitems &&
        !(in->flags & DIDQ_REC_TRUNCATED))
        r.line_len = in->plain_len;
    didq_record_cleanse(&r, in->ds);
    if (in->cb->record(in->cb->ctx, &r)) in->stop = DIDQ_READ_CANCELLED;
}

/* A row holding one blank field is a blank line, not a record. */
static int blank_row(const csvin *in)
{
    if (in->nf != 1 || in->isnull[0]) return in->nf == 1;
    for (uint32_t i = 0; i < in->len[0]; i++)
        if (row_bytes(in)[in->start[0] + i] != ' ' && row_bytes(in)[in->start[0] + i] != '\t')
            return 0;
    return 1;
}

static void on_row(int term, void *data)
{
    csvin *in = data;
    if (!blank_row(in) && !in->stop) {
        if (!in->header_checked) {
            in->header_checked = 1;
            if (is_header(in))
                take_header(in);
            else
                emit_record(in);
        } else {
            emit_record(in);
        }
    }
    in->nf = 0;
    in->row.n = 0;
    in->line_src = NULL;
    in->flags = 0;
    in->multiline = 0;
    in->plain_len = 0;
}

/* ---- feeding libcsv line by line ---- */

/* The quoted field that passed 1 MiB ends at the first quote not doubled;
 * *closed_line is its line.  Returns whether it was found in the n bytes. */
static bool scan_quote(csvin *in, const unsigned char *s, size_t n, uint64_t *closed_line)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (in->after_quote && c != '"') {
            *closed_line = in->scan_line;
            return true;
        }
        in->after_quote = c == '"' && !in->after_quote;
        if (c == '\n' || c == '\r') in->scan_line += !(c == '\n' && in->scan_cr);
        in->scan_cr = c == '\r';
    }
    return false;
}

/* Looks further for the closing quote of a quoted field past 1 MiB (at the
 * end of the input when eof): 0 to go on reading, else DIDQ_READ_FATAL with
 * the finding. */
static int quote_scan(csvin *in, const unsigned char *s, size_t n, bool eof)
{
    uint64_t closed = 0;
    char msg[200];
    if (scan_quote(in, s, n, &closed) || (eof && in->after_quote)) {
        snprintf(msg, sizeof msg,
                 "A quoted field opened here is longer than 1 MiB (it is closed on line %llu); "
                 "reading stopped",
                 (unsigned long long)(closed ? closed : in->scan_line));
    } else if (eof) {
        snprintf(msg, sizeof msg,
                 "A quoted field opened here runs past 1 MiB to the end of the file: its "
                 "closing quote is missing");
    } else {
        return 0;
    }
    finding(in, "DIDS075", in->row_line, msg);
    return DIDQ_READ_FATAL;
}

/* libcsv stopped before rest (n bytes). */
static int parse_error(csvin *in, const unsigned char *rest, size_t n)
{
    char msg[200];
    if (in->seg) return DIDQ_CSV_UNSPLIT; /* read again serially, which says what it is */
    if (csv_error(&in->p) == CSV_ENOMEM && in->p.quoted) {
        in->quote_scan = 1;
        in->after_quote = in->p.pstate == 3; /* FIELD_MIGHT_HAVE_ENDED: just after a quote */
        in->scan_line = in->line;
        return quote_scan(in, rest, n, false);
    }
    if (csv_error(&in->p) == CSV_ENOMEM)
        snprintf(msg, sizeof msg, "A field runs past 1 MiB; reading stopped");
    else
        snprintf(msg, sizeof msg, "CSV cannot be parsed: %s", csv_strerror(csv_error(&in->p)));
    finding(in, "DIDS075", in->row_line, msg);
    return DIDQ_READ_FATAL;
}

/* libcsv's parser state 0 is ROW_NOT_BEGUN: the next byte starts a row. */
static void segment_start(csvin *in)
{
    if (in->p.pstate == 0) {
        in->row_line = in->line;
        in->row_offset = in->pos;
    } else {
        in->multiline = 1;
        if (in->seg) in->stop = DIDQ_CSV_UNSPLIT;
    }
}

/* A whole physical line (without its line end) that starts a row and holds
 * no quote: split at the commas as libcsv would (an empty field is null, an
 * empty line between rows is nothing), without its byte-by-byte machine.
 * Returns 0 when the line must go through libcsv. */
static int plain_line(csvin *in, const unsigned char *s, size_t n)
{
    uint64_t bits[DIDQ_CSV_LINE_MAX / 64 + 1]; /* words for n bytes are written */
    int odd;
    if (in->p.pstate != 0 || in->row.n || n > DIDQ_CSV_LINE_MAX ||
        !didq_csv_line_scan(s, n, bits, &odd))
        return 0;
    if (n == 0) return 1;
    in->line_src = (const char *)s; /* a row begins here: row.n is 0 */
    uint32_t base = 0;
    size_t a = 0;
    for (size_t k = 0; k <= (n - 1) / 64; k++)
        for (uint64_t w = bits[k]; w; w &= w - 1) {
            size_t b = k * 64 + (size_t)__builtin_ctzll(w);
            keep_field(in, base + (uint32_t)a, b - a, b == a, odd && b > a);
            a = b + 1;
        }
    keep_field(in, base + (uint32_t)a, n - a, n == a, odd && n > a);
    in->plain_len = (uint32_t)n;
    on_row(0, in);
    return 1;
}

/* Feeds a block.  in->prev_cr: the last byte fed was a CR; in->mid_line:
 * the last segment ended inside a line (at a block boundary). */
int didq_csvin_feed(csvin *in, const unsigned char *buf, size_t n)
{
    int *prev_cr = &in->prev_cr, *mid_line = &in->mid_line;
    if (in->quote_scan) return quote_scan(in, buf, n, false);
    size_t i = 0;
    while (i < n && !in->stop) {
        size_t j = i + didq_csv_line_end(buf + i, n - i);
        size_t end = j < n ? j + 1 : n;
        int lf_of_crlf = *prev_cr && buf[i] == '\n';
        if (!lf_of_crlf && !*mid_line) segment_start(in);
        if (in->stop) break;
        int whole = !*mid_line && j < n;
        *mid_line = j == n;
        if (!(whole && plain_line(in, buf + i, j - i))) {
            size_t done = csv_parse(&in->p, buf + i, end - i, on_field, on_row, in);
            if (done != end - i) return parse_error(in, buf + i + done, n - i - done);
        }
        if (j < n) {
            in->line += !lf_of_crlf;
            *prev_cr = buf[j] == '\r';
        } else {
            *prev_cr = 0;
        }
        in->pos += end - i;
        i = end;
    }
    return in->stop;
}

static int is_utf16(const unsigned char *h, size_t n)
{
    if (n >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) return 1;
    int zeros = 0;
    for (size_t i = 0; i < n && i < 64; i++)
        zeros += h[i] == 0;
    return n >= 8 && zeros * 3 >= (int)(n < 64 ? n : 64);
}

/* What a file that is not text seems to be, from its signature, or NULL. */
static const char *binary_kind(const unsigned char *h, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } sigs[] = {{"PK\3\4", 4, "a ZIP archive (or an XLSX workbook)"},
                {"\x1f\x8b", 2, "gzip-compressed data"},
                {"\xd0\xcf\x11\xe0", 4, "an old Excel or Office document"},
                {"%PDF", 4, "a PDF document"},
                {"SQLite format 3", 15, "an SQLite database"},
                {"\x89PNG", 4, "a PNG image"}};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (n >= sigs[i].len && memcmp(h, sigs[i].magic, sigs[i].len) == 0) return sigs[i].what;
    return NULL;
}

/* Many control bytes (not tab, CR, LF) in the first block: not text. */
static bool mostly_control(const unsigned char *h, size_t n)
{
    size_t ctl = 0;
    for (size_t i = 0; i < n; i++)
        ctl += (h[i] < 0x20 && h[i] != '\t' && h[i] != '\n' && h[i] != '\r') || h[i] == 0x7f;
    return n >= 16 && ctl * 10 > n;
}

static int read_loop(csvin *in, didq_src *src, const unsigned char *head, size_t nhead, char *err,
                     size_t errlen)
{
    unsigned char *buf = didq_xmalloc(BLOCK);
    int st = 0;
    size_t skip = nhead >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    in->pos = skip;
    st = didq_csvin_feed(in, head + skip, nhead - skip);
    while (st == 0) {
        long got = didq_src_read(src, buf, BLOCK);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            if (in->cb->progress && in->cb->progress(in->cb->ctx, in->pos))
                st = DIDQ_READ_CANCELLED;
            continue;
        }
        if (got < 0) {
            snprintf(err, errlen, "%s", strerror(errno));
            st = DIDQ_READ_IO;
        } else if (got == 0) {
            break;
        } else {
            st = didq_csvin_feed(in, buf, (size_t)got);
            if (st == 0 && in->cb->progress && in->cb->progress(in->cb->ctx, in->pos))
                st = DIDQ_READ_CANCELLED;
        }
    }
    free(buf);
    return st;
}

static int finish(csvin *in)
{
    if (in->quote_scan) return quote_scan(in, NULL, 0, true);
    /* libcsv would close an open quote at the end silently (its check
     * needs CSV_STRICT, which also rejects quotes inside fields). */
    if ((in->p.pstate == 2 && in->p.quoted) || csv_fini(&in->p, on_field, on_row, in) != 0) {
        finding(in, "DIDS075", in->row_line, "A quoted field opened here is never closed");
        return DIDQ_READ_FATAL;
    }
    if (in->stop) return in->stop;
    if (in->recno == 0)
        finding(in, in->header_checked ? "DIDQ108" : "DIDS075", 1,
                in->header_checked ? NULL : "The file holds no records");
    return DIDQ_READ_OK;
}

void didq_csvin_free(csvin *in)
{
    csv_free(&in->p);
    didq_buf_free(&in->row);
    didq_buf_free(&in->extra);
    for (int i = 0; i < DIDQ_MAX_COLS && !in->seg; i++)
        free(in->names[i]);
    free(in);
}

csvin *didq_csvin_new(const didq_dataset *ds, const didq_reader_cb *cb, uint32_t file)
{
    csvin *in = didq_xcalloc(1, sizeof *in);
    in->ds = ds;
    in->cb = cb;
    in->file = file;
    in->line = in->row_line = 1;
    default_map(in);
    if (csv_init(&in->p, CSV_EMPTY_IS_NULL | CSV_STRICT_FINI) != 0) didq_die("out of memory");
    csv_set_space_func(&in->p, never_space);
    csv_set_realloc_func(&in->p, capped_realloc);
    /* libcsv grows its field buffer by blk_size bytes (128 by default): a
     * 1 MiB field took 8192 reallocations, quadratic copying. */
    csv_set_blk_size(&in->p, LIBCSV_GROW);
    return in;
}

int didq_csvin_not_text(csvin *in, const unsigned char *head, size_t nhead)
{
    const char *kind = binary_kind(head, nhead);
    if (!kind && is_utf16(head, nhead)) {
        finding(in, "DIDS075", 1, "The file is UTF-16 (or full of NUL bytes); save it as UTF-8");
        return DIDQ_READ_FATAL;
    }
    if (kind || (kind = mostly_control(head, nhead) ? "binary data" : NULL)) {
        char msg[160];
        snprintf(msg, sizeof msg, "The file is not CSV text: it looks like %s", kind);
        finding(in, "DIDS075", 1, msg);
        return DIDQ_READ_FATAL;
    }
    return 0;
}

int didq_csvin_finish(csvin *in, int st)
{
    if (st == DIDQ_READ_OK) st = finish(in);
    report_dropped(in);
    return st;
}

int didq_csv_read(didq_src *src, uint32_t file, const didq_dataset *ds, const didq_reader_cb *cb,
                  const unsigned char *head, size_t nhead, char *err, size_t errlen)
{
    csvin *in = didq_csvin_new(ds, cb, file);
    int st = didq_csvin_not_text(in, head, nhead);
    if (st == 0) st = didq_csvin_finish(in, read_loop(in, src, head, nhead, err, errlen));
    didq_csvin_free(in);
    return st;
}

/* ---- the parallel load's parts (csvin_int.h) ---- */

csvin *didq_csvin_segment(const csvin *f, const didq_reader_cb *cb)
{
    csvin *in = didq_csvin_new(f->ds, cb, f->file);
    in->seg = 1;
    in->header_checked = 1;
    in->expect = f->expect;
    memcpy(in->map, f->map, sizeof in->map);
    in->straight = f->straight;
    memcpy(in->names, f->names, sizeof in->names);
    return in;
}

int didq_csvin_segment_end(csvin *in)
{
    if (in->stop || (in->p.pstate == 2 && in->p.quoted)) return DIDQ_CSV_UNSPLIT;
    if (!in->mid_line) return in->p.pstate == 0 ? 0 : DIDQ_CSV_UNSPLIT;
    return csv_fini(&in->p, on_field, on_row, in) != 0 ? DIDQ_CSV_UNSPLIT : in->stop;
}

bool didq_csvin_merge_record(csvin *f, didq_record *r, const char *wmsg)
{
    f->row_line = r->line;
    if ((r->flags & DIDQ_REC_WIDTH) && ++f->malformed > MALFORMED_KEPT) {
        if (!f->dropped++) f->dropped_first = r->line;
        f->dropped_last = r->line;
        return false;
    }
    r->recno = ++f->recno;
    if (r->flags & DIDQ_REC_WIDTH) finding(f, "DIDS075", r->line, wmsg);
    f->flags = r->flags;
    report_flags(f);
    f->flags = 0;
    return true;
}

void didq_csvin_merge_dropped(csvin *f, uint64_t n, uint64_t first, uint64_t last)
{
    if (!n) return;
    f->malformed += n;
    if (!f->dropped) f->dropped_first = first;
    f->dropped += n;
    f->dropped_last = last;
}

void didq_csvin_merge_finding(csvin *f, const char *code, uint64_t line, const char *msg)
{
    static const struct {
        const char *code;
        unsigned bit;
    } once[] = {{"DIDQ102", 1}, {"DIDQ103", 2}, {"DIDQ107", 64}};
    for (size_t i = 0; i < sizeof once / sizeof *once; i++)
        if (strcmp(code, once[i].code) == 0) {
            if (f->warned & once[i].bit) return;
            f->warned |= once[i].bit;
        }
    finding(f, code, line, msg);
}
