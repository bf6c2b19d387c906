/* ident.c: identifier format checks. */
#include "didq/ident.h"
#include "didq/table.h"
#include "didq/util.h"

#include <ctype.h>
#include <string.h>

size_t didq_nhs_compact(const char *s, size_t n, char *out, size_t cap)
{
    if (n == 10 && cap > 10) { /* ten digits, as nearly every number is: a copy */
        unsigned bad = 0;
        for (int i = 0; i < 10; i++)
            bad |= (unsigned)(unsigned char)s[i] - '0' > 9;
        if (!bad) {
            memcpy(out, s, 10);
            out[10] = 0;
            return 10;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        /* a digit first: no locale call for the bytes nearly every number is */
        if ((c < '0' || c > '9') && (c == '-' || isspace(c))) continue;
        out[k++] = (char)c;
    }
    out[k] = 0;
    return k;
}

static bool nhs_reserved(const char *s)
{
    if (memcmp(s, "0123456789", 10) == 0) return true;
    bool repdigit = true, n0n = s[0] == s[9] && s[0] != '0';
    for (int i = 1; i < 10; i++) {
        repdigit &= s[i] == s[0];
        if (i < 9) n0n &= s[i] == '0';
    }
    return repdigit || n0n;
}

enum didq_nhs didq_nhs_check(const char *s, size_t n)
{
    if (n != 10) return DIDQ_NHS_LENGTH;
    int sum = 0;
    for (int i = 0; i < 10; i++)
        if (s[i] < '0' || s[i] > '9') return DIDQ_NHS_DIGITS;
    for (int i = 0; i < 9; i++)
        sum += (s[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10 || check != s[9] - '0') return DIDQ_NHS_CHECK;
    return nhs_reserved(s) ? DIDQ_NHS_RESERVED : DIDQ_NHS_OK;
}

static size_t span(const char *s, size_t n, size_t i, int (*cls)(int), size_t max)
{
    size_t k = 0;
    while (i + k < n && k < max && cls((unsigned char)s[i + k]))
        k++;
    return k;
}

bool didq_postcode_format_ok(const char *s, size_t n)
{
    size_t i = span(s, n, 0, isalpha, 2);
    if (i == 0 || i >= n || !isdigit((unsigned char)s[i])) return false;
    i++;
    if (i < n && isalnum((unsigned char)s[i])) i++;
    size_t ws = span(s, n, i, isspace, n);
    if (ws == 0) return false;
    i += ws;
    return n - i == 3 && isdigit((unsigned char)s[i]) && isalpha((unsigned char)s[i + 1]) &&
           isalpha((unsigned char)s[i + 2]);
}

bool didq_postcode_is_pseudo(const char *s, size_t n)
{
    return n >= 4 && toupper((unsigned char)s[0]) == 'Z' && toupper((unsigned char)s[1]) == 'Z' &&
           s[2] == '9' && s[3] == '9';
}

bool didq_alnum_len_ok(const char *s, size_t n, size_t lo, size_t hi)
{
    if (n < lo || n > hi) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i])) return false;
    return true;
}

/* Pattern notation: a letter is itself (any case); '#' one digit;
 * '#a-b' a to b digits; '#k' exactly k digits; '@' any letter; '[XYZ]' one
 * of the letters; a leading '=' means the rest is an exact value. */
static bool match_digits(const char **pp, const char *s, size_t n, size_t *i)
{
    const char *p = *pp + 1;
    size_t lo = 1, hi = 1;
    if (isdigit((unsigned char)*p)) {
        lo = hi = (size_t)(*p++ - '0');
        if (*p == '-' && isdigit((unsigned char)p[1])) {
            hi = (size_t)(p[1] - '0');
            p += 2;
        }
    }
    size_t k = span(s, n, *i, isdigit, hi);
    *pp = p;
    *i += k;
    return k >= lo;
}

static bool match_class(const char **pp, char c)
{
    const char *p = *pp + 1, *end = strchr(p, ']');
    bool hit = end && memchr(p, toupper((unsigned char)c), (size_t)(end - p));
    *pp = end ? end + 1 : p + strlen(p);
    return hit;
}

static bool same_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)a[i]) != toupper((unsigned char)b[i])) return false;
    return true;
}

bool didq_referrer_match(const char *pattern, const char *s, size_t n)
{
    const char *p = pattern;
    size_t i = 0;
    if (*p == '=') return strlen(p + 1) == n && same_nocase(p + 1, s, n);
    while (*p) {
        if (*p == '#') {
            if (!match_digits(&p, s, n, &i)) return false;
            continue;
        }
        if (i >= n) return false;
        char c = s[i++];
        if (*p == '[') {
            if (!match_class(&p, c)) return false;
            continue;
        }
        if (*p == '@' ? !isalpha((unsigned char)c) : toupper((unsigned char)c) != *p) return false;
        p++;
    }
    return i == n;
}

typedef struct referrer_pattern {
    char *pattern;
    char *type;
    /* the first byte a code must have (upper case), when the pattern says
     * (a literal, or an exact code's first), else 0: the other patterns
     * are not tried on a code that starts otherwise */
    unsigned char first;
} referrer_pattern;

static unsigned char first_byte(const char *pattern)
{
    const char *p = pattern[0] == '=' ? pattern + 1 : pattern;
    if (!*p || (pattern[0] != '=' && (*p == '#' || *p == '[' || *p == '@'))) return 0;
    return (unsigned char)toupper((unsigned char)*p);
}

static referrer_pattern *referrer_patterns(size_t *count)
{
    static referrer_pattern *pats;
    static size_t npats;
    if (!pats) {
        didq_table *t = didq_table_embedded("v1/referrers.csv");
        pats = didq_xcalloc(t->nrows, sizeof *pats);
        for (size_t r = 0; r < t->nrows; r++) {
            pats[r].pattern = didq_strdup(didq_table_get(t, r, 0));
            pats[r].type = didq_strdup(didq_table_get(t, r, 1));
            pats[r].first = first_byte(pats[r].pattern);
        }
        npats = t->nrows;
        didq_table_free(t);
    }
    *count = npats;
    return pats;
}

const char *didq_referrer_type(const char *s, size_t n)
{
    size_t count;
    const referrer_pattern *pats = referrer_patterns(&count);
    unsigned char c0 = n ? (unsigned char)toupper((unsigned char)s[0]) : 0;
    for (size_t i = 0; i < count; i++)
        if ((!pats[i].first || pats[i].first == c0) && didq_referrer_match(pats[i].pattern, s, n))
            return pats[i].type;
    return NULL;
}

static const char verhoeff_d[10][11] = {"0123456789", "1234067895", "2340178956", "3401289567",
                                        "4012395678", "5987604321", "6598710432", "7659821043",
                                        "8765932104", "9876543210"};
static const char verhoeff_p[8][11] = {"0123456789", "1576283094", "5803796142", "8916043527",
                                       "9453126870", "4286573901", "2793806415", "7046913258"};

bool didq_verhoeff_ok(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        int digit = s[n - 1 - i] - '0';
        if (digit < 0 || digit > 9) return false;
        c = verhoeff_d[c][verhoeff_p[i % 8][digit] - '0'] - '0';
    }
    return n > 0 && c == 0;
}

bool didq_sctid_ok(const char *s, size_t n)
{
    if (n < 6 || n > 18 || s[0] == '0') return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    bool partition = (s[n - 3] == '0' || s[n - 3] == '1') && s[n - 2] == '0';
    return partition && didq_verhoeff_ok(s, n);
}

bool didq_nicip_form_ok(const char *s, size_t n)
{
    return n >= 3 && isalpha((unsigned char)s[0]) && didq_alnum_len_ok(s, n, 3, 6);
}

static void gp_trim(const char **s, size_t *n)
{
    if (!*s) *s = "", *n = 0;
    while (*n && **s == ' ')
        (*s)++, (*n)--;
    while (*n && (*s)[*n - 1] == ' ')
        (*n)--;
}

/* A GP practice as referring organisation: a letter and five digits (the
 * ODS form of practice codes), not one of the default codes. */
static bool gp_practice(const char *t, size_t n)
{
    if (n != 6 || !isalpha((unsigned char)t[0])) return false;
    for (int i = 1; i < 6; i++)
        if (!isdigit((unsigned char)t[i])) return false;
    return strncmp(t, "X9999", 5) != 0 && strncmp(t, "V8199", 5) != 0;
}

bool didq_gp_referred(const char *ref, size_t nref, const char *org, size_t norg)
{
    gp_trim(&ref, &nref);
    gp_trim(&org, &norg);
    if (nref >= 2 && (ref[0] == 'G' || ref[0] == 'g') && isdigit((unsigned char)ref[1]))
        return true;
    return gp_practice(org, norg);
}
