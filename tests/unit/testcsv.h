/* testcsv.h: a field of a CSV line as the tests read synthetic months
 * (didq synth writes no quotes), for the tests that cut a month by site. */
#ifndef DIDQ_TESTCSV_H
#define DIDQ_TESTCSV_H

#include <stddef.h>

/* Field k (0-based) of the n bytes of a CSV line without quotes: its bytes
 * into out (cut at cap - 1). */
static inline void testcsv_field(const char *line, size_t n, int k, char *out, size_t cap)
{
    size_t i = 0;
    for (int f = 0; f < k && i < n; i++)
        if (line[i] == ',') f++;
    size_t j = 0;
    while (i < n && line[i] != ',' && j + 1 < cap)
        out[j++] = line[i++];
    out[j] = 0;
}

#endif
