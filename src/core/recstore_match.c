/* recstore_match.c: whether a data item of a record matches a LIKE pattern
 * (case-insensitive for ASCII, as LIKE), for the explorer's search through
 * the table `walk`: a record is decoded once instead of 18 column reads and
 * 18 LIKE expressions per record in SQL. */
#include "didq/recstore_int.h"
#include "didq/util.h"

#include <string.h>

static int field_matches(const char *pat, const char *v, uint32_t n)
{
    char buf[DIDQ_FIELD_MAX + 1];
    if (n > DIDQ_FIELD_MAX) n = DIDQ_FIELD_MAX;
    memcpy(buf, v, n);
    buf[n] = 0;
    return sqlite3_strlike(pat, buf, 0) == 0;
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* A pattern %TEXT% whose TEXT is ASCII without % or _ : LIKE then matches
 * where the bytes of TEXT appear in the value up to its first NUL, ASCII
 * case folded (UTF-8 decoding never joins an ASCII byte to another
 * character, and LIKE folds only ASCII).  Returns TEXT's length, or 0. */
static size_t plain_pattern(const char *pat, char *text, size_t cap)
{
    size_t n = strlen(pat);
    if (n < 3 || n - 2 >= cap || pat[0] != '%' || pat[n - 1] != '%') return 0;
    for (size_t i = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)pat[i];
        if (c >= 0x80 || c == '%' || c == '_') return 0;
        text[i - 1] = (char)fold(c);
    }
    return n - 2;
}

static int contains(const char *v, uint32_t n, const char *text, size_t m)
{
    const char *nul = memchr(v, 0, n);
    if (nul) n = (uint32_t)(nul - v);
    for (uint32_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && fold((unsigned char)v[i + k]) == (unsigned char)text[k])
            k++;
        if (k == m) return 1;
    }
    return 0;
}

void didq_match_compile(didq_match_pat *p, const char *like)
{
    p->like = like;
    p->m = plain_pattern(like, p->text, sizeof p->text);
}

int didq_match_record(const didq_recstore *rs, uint32_t id, const didq_match_pat *p)
{
    const char *v[DIDQ_MAX_ITEMS];
    uint32_t len[DIDQ_MAX_ITEMS];
    int nitems = didq_recstore_nitems(rs), hit = 0;
    didq_recstore_fields(rs, id, nitems, v, len);
    for (int k = 0; k < nitems && !hit; k++)
        hit = v[k] &&
              (p->m ? contains(v[k], len[k], p->text, p->m) : field_matches(p->like, v[k], len[k]));
    return hit;
}
