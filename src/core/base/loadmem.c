/* loadmem.c: whether a load in memory will fit its budget (loadmem.h). */
#include "loadmem.h"

/* Kept free under the budget: an eighth of it, the room a doubling vector
 * and the analyses after the load need beyond the records. */
static uint64_t reserve(uint64_t budget)
{
    return budget / 8;
}

bool didq_loadmem_too_big(didq_loadmem *m, uint64_t own, uint64_t bytes, uint64_t total,
                          uint64_t budget, uint64_t *need)
{
    *need = own;
    if (budget == UINT64_MAX || own == 0) return false;
    if (!m->have_ref && bytes >= DIDQ_LOADMEM_WARMUP) {
        m->ref_own = own;
        m->ref_bytes = bytes;
        m->have_ref = true;
    }
    if (m->have_ref && total > bytes && bytes > m->ref_bytes && own > m->ref_own) {
        /* cost per input byte since the reference, in 1/1024ths */
        uint64_t per = ((own - m->ref_own) << 10) / (bytes - m->ref_bytes);
        uint64_t rest = total - bytes;
        *need =
            own + (rest > (UINT64_MAX >> 11) / (per + 1) ? UINT64_MAX >> 1 : (rest * per) >> 10);
    }
    return *need > budget - reserve(budget);
}
