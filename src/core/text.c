/* text.c: escaping and masking of untrusted values. */
#include "didq/text.h"
#include "didq/dataset.h"
#include "didq/reader.h"

#include <string.h>

static void escape_byte(didq_buf *b, unsigned char c)
{
    char tmp[8];
    if (c < 0x20 || c == 0x7F) {
        tmp[0] = '^';
        tmp[1] = c == 0x7F ? '?' : (char)(c + '@');
        didq_buf_add(b, tmp, 2);
    } else {
        snprintf(tmp, sizeof tmp, "\\x%02X", c);
        didq_buf_add(b, tmp, 4);
    }
}

/* A valid UTF-8 sequence at s; C1 controls (U+0080..U+009F) are escaped. */
static size_t utf8_seq(const char *s, size_t n)
{
    size_t k = didq_utf8_valid_prefix(s, n < 4 ? n : 4);
    if (k == 0) return 0;
    unsigned char c = (unsigned char)s[0];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > k) return 0;
    if (len == 2 && c == 0xC2 && (unsigned char)s[1] < 0xA0) return 0;
    return len;
}

void didq_text_escape(didq_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            size_t j = i;
            while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F)
                j++;
            didq_buf_add(b, s + i, j - i);
            i = j;
            continue;
        }
        size_t k = c >= 0x80 ? utf8_seq(s + i, n - i) : 0;
        if (k) {
            didq_buf_add(b, s + i, k);
            i += k;
        } else {
            escape_byte(b, c);
            i++;
        }
    }
}

void didq_text_json(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; s && *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* A cell a spreadsheet would run as a formula (OWASP "CSV injection"). */
static bool csv_formula(const char *s, size_t n)
{
    return n > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

static bool csv_needs_quotes(const char *s, size_t n)
{
    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || csv_formula(s, n))) return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') return true;
    return false;
}

void didq_text_fputs(FILE *out, const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    if (b.p) fwrite(b.p, 1, b.n, out);
    didq_buf_free(&b);
}

void didq_text_csv(FILE *out, const char *s, size_t n)
{
    if (!csv_needs_quotes(s, n)) {
        fwrite(s, 1, n, out);
        return;
    }
    fputc('"', out);
    if (csv_formula(s, n)) fputc('\'', out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

bool didq_text_is_identifier(int item)
{
    return item == DIDQ_NHS_NUMBER || item == DIDQ_BIRTH_DATE || item == DIDQ_POSTCODE;
}

static void mask_keep(didq_buf *b, const char *s, size_t n, size_t head, size_t tail, int keep_sep)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int sep = keep_sep && (c == '-' || c == ' ');
        didq_buf_add(b, i < head || i >= n - tail || sep ? &s[i] : "*", 1);
    }
}

void didq_text_mask(didq_buf *b, int item, const char *s, size_t n)
{
    if (item == DIDQ_NHS_NUMBER) {
        mask_keep(b, s, n, n >= 6 ? 3 : 0, n >= 6 ? 2 : 0, 0);
    } else if (item == DIDQ_BIRTH_DATE) {
        mask_keep(b, s, n, n >= 4 ? 2 : 0, 0, 1);
    } else if (item == DIDQ_POSTCODE) {
        const char *sp = memchr(s, ' ', n);
        size_t head = sp ? (size_t)(sp - s) + 1 : (n > 3 ? n - 3 : 0);
        didq_buf_add(b, s, head);
        for (size_t i = head; i < n; i++)
            didq_buf_add(b, s[i] == ' ' ? " " : "*", 1);
    } else {
        didq_buf_add(b, s, n);
    }
}
