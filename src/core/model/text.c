/* text.c: escaping and masking of untrusted values. */
#include "didq/text.h"
#include "didq/dataset.h"
#include "didq/table.h"

#include <pthread.h>
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

/* The forms an identifier must have to keep any of its characters, named
 * by refdata/v1/masking.csv: each says, for a value in its form, how many
 * characters it keeps at each end (separators are kept too). */
typedef bool (*mask_form)(const char *s, size_t n, size_t *head, size_t *tail);

/* The first three and last two digits. */
static bool nhs_form(const char *s, size_t n, size_t *head, size_t *tail)
{
    if (!nhs_parses(s, n)) return false;
    for (int d = 0; d < 3; (*head)++)
        d += is_digit(s[*head]);
    for (int d = 0; d < 2; (*tail)++)
        d += is_digit(s[n - 1 - *tail]);
    return true;
}

/* The century. */
static bool date_form(const char *s, size_t n, size_t *head, size_t *tail)
{
    (void)tail;
    *head = 2;
    return date_parses(s, n);
}

/* The outward code. */
static bool postcode_form(const char *s, size_t n, size_t *head, size_t *tail)
{
    (void)tail;
    *head = postcode_outward(s, n);
    return *head != 0;
}

static const struct {
    const char *name;
    mask_form fn;
} mask_forms[] = {{"nhs_number", nhs_form}, {"ccyy_mm_dd", date_form}, {"postcode", postcode_form}};

static mask_form item_form[DIDQ_MAX_ITEMS]; /* NULL: not an identifier */
static pthread_once_t item_form_once = PTHREAD_ONCE_INIT;

static mask_form form_named(const char *name)
{
    for (size_t i = 0; i < sizeof mask_forms / sizeof mask_forms[0]; i++)
        if (strcmp(mask_forms[i].name, name) == 0) return mask_forms[i].fn;
    return NULL;
}

/* The masked items and their forms, from the table. */
static void load_item_forms(void)
{
    didq_table *t = didq_table_embedded("v1/masking.csv");
    int ci = didq_table_col(t, "item"), cf = didq_table_col(t, "form");
    if (ci < 0 || cf < 0) didq_die("v1/masking.csv: bad table");
    const didq_dataset *ds = didq_dataset_v1();
    for (size_t r = 0; r < t->nrows; r++) {
        int item = didq_dataset_item(ds, didq_table_get(t, r, ci));
        mask_form fn = form_named(didq_table_get(t, r, cf));
        if (item < 0 || item >= DIDQ_MAX_ITEMS || !fn || item_form[item])
            didq_die("v1/masking.csv: bad row %zu", r + 1);
        item_form[item] = fn;
    }
    didq_table_free(t);
}

static mask_form form_of(int item)
{
    pthread_once(&item_form_once, load_item_forms);
    return item >= 0 && item < DIDQ_MAX_ITEMS ? item_form[item] : NULL;
}

bool didq_text_is_identifier(int item)
{
    return form_of(item) != NULL;
}

void didq_text_mask_all(didq_buf *b, const char *s, size_t n)
{
    mask_keep(b, s, n, 0, 0, false);
}

/* The identifier without its padding (fixed-width exports pad with
 * spaces), masked by its item's form; a value not in the form is masked
 * whole, since its first characters may be anything (the day of a birth
 * date written day first, an NHS number in a shifted column). */
static void mask_core(didq_buf *b, mask_form form, const char *s, size_t n)
{
    size_t head = 0, tail = 0;
    if (form(s, n, &head, &tail))
        mask_keep(b, s, n, head, tail, true);
    else
        didq_text_mask_all(b, s, n);
}

void didq_text_mask(didq_buf *b, int item, const char *s, size_t n)
{
    mask_form form = form_of(item);
    if (!form) {
        didq_buf_add(b, s, n);
        return;
    }
    size_t lead = 0, end = n;
    while (lead < n && is_blank(s[lead]))
        lead++;
    while (end > lead && is_blank(s[end - 1]))
        end--;
    didq_buf_add(b, s, lead);
    mask_core(b, form, s + lead, end - lead);
    didq_buf_add(b, s + end, n - end);
}
