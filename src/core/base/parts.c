/* parts.c: work cut into parts, run on threads of their own (parts.h). */
#include "parts.h"
#include "didq/util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

void didq_run_parts(void *(*fn)(void *), void *items, size_t size, size_t n)
{
    if (n == 0) return;
    char *at = items;
    pthread_t *th = didq_xcalloc(n, sizeof *th);
    bool *started = didq_xcalloc(n, sizeof *started);
    for (size_t k = 1; k < n; k++)
        started[k] = pthread_create(&th[k], NULL, fn, at + k * size) == 0;
    fn(at);
    for (size_t k = 1; k < n; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else
            fn(at + k * size);
    }
    free(th);
    free(started);
}
