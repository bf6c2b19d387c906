/* recstore_match.c: whether a data item of a record contains a text, for
 * the explorer's search through the table `walk`: a record is decoded once
 * instead of 18 column reads per record in SQL.  The text is literal (a %
 * or _ in it is itself), ASCII case folded as LIKE folds, and a masked
 * identifier is searched as it is shown: a digit hidden by the mask is not
 * there to be found. */
#include "recstore_int.h"
#include "didq/text.h"
#include "didq/util.h"

#include <string.h>

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
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

void didq_match_compile(didq_match_pat *p, const char *text, bool mask)
{
    size_t n = strlen(text);
    if (n >= sizeof p->text) n = sizeof p->text - 1;
    for (size_t i = 0; i < n; i++)
        p->text[i] = (char)fold((unsigned char)text[i]);
    p->text[n] = 0;
    p->m = n;
    p->mask = mask;
}

static int masked_contains(int item, const char *v, uint32_t n, const didq_match_pat *p)
{
    didq_buf b = {0};
    didq_text_mask(&b, item, v, n);
    int hit = b.p && contains(b.p, (uint32_t)b.n, p->text, p->m);
    didq_buf_free(&b);
    return hit;
}

int didq_match_record(const didq_recstore *rs, uint32_t id, const didq_match_pat *p)
{
    const char *v[DIDQ_MAX_ITEMS];
    uint32_t len[DIDQ_MAX_ITEMS];
    int nitems = didq_recstore_nitems(rs), hit = 0;
    didq_recstore_fields(rs, id, nitems, v, len);
    for (int k = 0; k < nitems && !hit; k++)
        hit =
            v[k] && (p->mask && didq_text_is_identifier(k) ? masked_contains(k, v[k], len[k], p)
                                                           : contains(v[k], len[k], p->text, p->m));
    return hit;
}
