/* csvline.c: the bytes of one CSV line (csvline.h).  A 130-byte record
 * took a memchr for its quotes, a pass for its odd bytes and a memchr a
 * field for its commas, some 20 calls; one pass here. */
#include "csvline.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

size_t didq_csv_line_end(const unsigned char *s, size_t n)
{
    const unsigned char *lf = memchr(s, '\n', n);
    size_t j = lf ? (size_t)(lf - s) : n;
    const unsigned char *cr = memchr(s, '\r', j);
    return cr ? (size_t)(cr - s) : j;
}

int didq_csv_line_scan(const unsigned char *s, size_t n, uint64_t *bits, int *odd)
{
    memset(bits, 0, (n / 64 + 1) * sizeof *bits);
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), nul = _mm_setzero_si128();
    unsigned q = 0, o = 0;
    for (size_t i = 0; i < n; i += 16) {
        unsigned char tail[16];
        const unsigned char *p = s + i;
        if (n - i < 16) { /* the last bytes, padded with spaces (none of the above) */
            memset(tail, ' ', sizeof tail);
            memcpy(tail, p, n - i);
            p = tail;
        }
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        bits[i / 64] |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << (i % 64);
        q |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        o |= (unsigned)_mm_movemask_epi8(v) | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nul));
    }
    *odd = o != 0;
    return q == 0;
#else
    int q = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        bits[i / 64] |= (uint64_t)(s[i] == ',') << (i % 64);
        q |= s[i] == '"';
        o |= s[i] == 0 || s[i] >= 0x80;
    }
    *odd = o;
    return !q;
#endif
}
