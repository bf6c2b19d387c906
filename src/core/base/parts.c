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

void didq_jobs_init(didq_jobs *q)
{
    *q = (didq_jobs){0};
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
}

void didq_jobs_destroy(didq_jobs *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
}

/* Runs items until none is left to take; q->mu is held on entry and exit. */
static void take_items(didq_jobs *q)
{
    while (q->open && q->next < q->n) {
        char *item = q->items + q->next++ * q->size;
        pthread_mutex_unlock(&q->mu);
        q->fn(item);
        pthread_mutex_lock(&q->mu);
        if (++q->done == q->n) pthread_cond_broadcast(&q->cv);
    }
}

void didq_jobs_help(didq_jobs *q)
{
    pthread_mutex_lock(&q->mu);
    take_items(q);
    pthread_mutex_unlock(&q->mu);
}

static void *helper_main(void *q)
{
    didq_jobs_help(q);
    return NULL;
}

void didq_jobs_run(didq_jobs *q, void *(*fn)(void *), void *items, size_t size, size_t n,
                   int threads)
{
    pthread_mutex_lock(&q->mu);
    q->fn = fn;
    q->items = items;
    q->size = size;
    q->n = n;
    q->next = q->done = 0;
    q->open = true;
    pthread_mutex_unlock(&q->mu);
    pthread_t th[64];
    int k = 0;
    for (; k < threads - 1 && k < 64; k++)
        if (pthread_create(&th[k], NULL, helper_main, q) != 0) break;
    pthread_mutex_lock(&q->mu);
    take_items(q);
    while (q->done < q->n)
        pthread_cond_wait(&q->cv, &q->mu);
    q->open = false;
    pthread_mutex_unlock(&q->mu);
    for (int i = 0; i < k; i++)
        pthread_join(th[i], NULL);
}
