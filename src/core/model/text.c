/* text.c: escaping and masking of untrusted values. */
#include "didq/text.h"
#include "didq/dataset.h"

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
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c >= 0x80 ? utf8_seq(s + i, n - i) : 1;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\u%04x", c);
        else if (c < 0x80 || k > 0)
            fwrite(s + i, 1, k, out);
        else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                 (unsigned char)s[i + 1] < 0xA0) /* a C1 control, as didq_text_escape */
            fprintf(out, "\\u%04x", (unsigned char)s[++i]);
        else /* not UTF-8: shown as the explorer shows it */
            fprintf(out, "\\\\x%02X", c);
        i += k ? k : 1;
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

void didq_text_csv_safe(FILE *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
        i++;
    if (i == n) {
        didq_text_csv(out, s, n);
        return;
    }
    didq_buf b = {0};
    didq_text_escape(&b, s, n);
    didq_text_csv(out, b.p ? b.p : "", b.n);
    didq_buf_free(&b);
}

bool didq_text_is_identifier(int item)
{
    return item == DIDQ_NHS_NUMBER || item == DIDQ_BIRTH_DATE || item == DIDQ_POSTCODE;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_sep(char c)
{
    return c == ' ' || c == '-' || c == '/' || c == '.';
}

/* Ten digits, separated by spaces or dashes or not at all. */
static bool nhs_parses(const char *s, size_t n)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++)
        if (is_digit(s[i]))
            digits++;
        else if (s[i] != ' ' && s[i] != '-')
            return false;
    return digits == 10;
}

/* CCYY-MM-DD (as DIDS sends it) whose century can be a birth's (18, 19 or
 * 20): only then are its first two characters the century and not, as in
 * a day-first date however shuffled, the day of birth. */
static bool date_parses(const char *s, size_t n)
{
    static const char form[] = "####-##-##";
    if (n != sizeof form - 1) return false;
    for (size_t i = 0; i < n; i++)
        if (form[i] == '#' ? !is_digit(s[i]) : s[i] != form[i]) return false;
    return (s[0] == '1' && s[1] >= '8') || (s[0] == '2' && s[1] == '0');
}

/* The length of a postcode's outward code (A9, A99, A9A, AA9, AA99, AA9A),
 * with any spaces after it, when s is outward code, optional spaces and an
 * inward code (9AA); 0 when s does not parse. */
static size_t postcode_outward(const char *s, size_t n)
{
    if (n < 5 || !is_digit(s[n - 3]) || !is_alpha(s[n - 2]) || !is_alpha(s[n - 1])) return 0;
    size_t out = n - 3, k = out;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    size_t a = 0;
    while (a < 2 && a < k && is_alpha(s[a]))
        a++;
    if (a == 0 || a >= k || !is_digit(s[a])) return 0;
    size_t rest = k - a - 1;
    if (rest > 1 || (rest == 1 && !is_alpha(s[k - 1]) && !is_digit(s[k - 1]))) return 0;
    return out;
}

/* Appends s with every character masked except the first head ones and
 * the last tail ones that are printable ASCII, and, if keep_sep, the
 * separators (space - / .). */
static void mask_keep(didq_buf *b, const char *s, size_t n, size_t head, size_t tail, bool keep_sep)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool kept = (i < head || i + tail >= n) && c > ' ' && c < 0x7F;
        didq_buf_add(b, kept || (keep_sep && is_sep(c)) ? &s[i] : "*", 1);
    }
}

/* The identifier without its padding (fixed-width exports pad with
 * spaces), masked by its own rule; a value that does not parse is masked
 * whole, since its first characters may be anything (the day of a birth
 * date written day first, an NHS number in a shifted column). */
static void mask_core(didq_buf *b, int item, const char *s, size_t n)
{
    if (item == DIDQ_NHS_NUMBER && nhs_parses(s, n)) { /* the first three and last two digits */
        size_t head = 0, tail = 0;
        for (int d = 0; d < 3; head++)
            d += is_digit(s[head]);
        for (int d = 0; d < 2; tail++)
            d += is_digit(s[n - 1 - tail]);
        mask_keep(b, s, n, head, tail, true);
    } else if (item == DIDQ_BIRTH_DATE && date_parses(s, n)) {
        mask_keep(b, s, n, 2, 0, true);
    } else if (item == DIDQ_POSTCODE && postcode_outward(s, n)) {
        mask_keep(b, s, n, postcode_outward(s, n), 0, true);
    } else {
        mask_keep(b, s, n, 0, 0, false);
    }
}

void didq_text_mask(didq_buf *b, int item, const char *s, size_t n)
{
    if (!didq_text_is_identifier(item)) {
        didq_buf_add(b, s, n);
        return;
    }
    size_t lead = 0, end = n;
    while (lead < n && is_blank(s[lead]))
        lead++;
    while (end > lead && is_blank(s[end - 1]))
        end--;
    didq_buf_add(b, s, lead);
    mask_core(b, item, s + lead, end - lead);
    didq_buf_add(b, s + end, n - end);
}
