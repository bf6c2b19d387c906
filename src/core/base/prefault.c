/* prefault.c: fresh memory made ready on a thread of its own (prefault.h). */
#include "prefault.h"
#include "didq/util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* A range is made ready a step at a time, the queue looked at between
 * steps: a drain waits for one step at most. */
enum { QUEUE = 8, STEP = 2 << 20 };

typedef struct range {
    char *p;
    size_t n;
} range;

struct didq_prefault {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    range q[QUEUE];
    int head, count;
    bool busy; /* a step is being made ready */
    bool stop;
};

#ifdef MADV_POPULATE_WRITE
static void ready(char *p, size_t n)
{
    /* whole pages only: the ends may share a page with other memory, which
     * populating would not harm, but which is not ours to ask for */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
    if (b > a) (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
}

/* The next step of the first range queued, taken off the queue when it is
 * the last; false when stopped. */
static bool next_step(didq_prefault *pf, range *step)
{
    pthread_mutex_lock(&pf->mu);
    pf->busy = false;
    pthread_cond_broadcast(&pf->cv);
    while (!pf->stop && pf->count == 0)
        pthread_cond_wait(&pf->cv, &pf->mu);
    bool go = !pf->stop;
    if (go) {
        range *r = &pf->q[pf->head];
        *step = (range){r->p, r->n < STEP ? r->n : STEP};
        r->p += step->n;
        r->n -= step->n;
        if (r->n == 0) pf->head = (pf->head + 1) % QUEUE, pf->count--;
        pf->busy = true;
    }
    pthread_mutex_unlock(&pf->mu);
    return go;
}

static void *helper_main(void *arg)
{
    didq_prefault *pf = arg;
    range step;
    while (next_step(pf, &step))
        ready(step.p, step.n);
    return NULL;
}

static bool supported(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
    bool ok = madvise(p, page, MADV_POPULATE_WRITE) == 0;
    munmap(p, page);
    return ok;
}

didq_prefault *didq_prefault_new(void)
{
    if (!supported()) return NULL;
    didq_prefault *pf = didq_xcalloc(1, sizeof *pf);
    pthread_mutex_init(&pf->mu, NULL);
    pthread_cond_init(&pf->cv, NULL);
    if (pthread_create(&pf->th, NULL, helper_main, pf) != 0) {
        pthread_mutex_destroy(&pf->mu);
        pthread_cond_destroy(&pf->cv);
        free(pf);
        return NULL;
    }
    return pf;
}
#else
didq_prefault *didq_prefault_new(void)
{
    return NULL;
}
#endif

void didq_prefault_ask(didq_prefault *pf, void *p, size_t n)
{
    if (!pf || !p || !n) return;
    pthread_mutex_lock(&pf->mu);
    if (pf->count < QUEUE) {
        pf->q[(pf->head + pf->count) % QUEUE] = (range){p, n};
        pf->count++;
        pthread_cond_broadcast(&pf->cv);
    }
    pthread_mutex_unlock(&pf->mu);
}

void didq_prefault_drain(didq_prefault *pf)
{
    if (!pf) return;
    pthread_mutex_lock(&pf->mu);
    pf->count = 0;
    while (pf->busy)
        pthread_cond_wait(&pf->cv, &pf->mu);
    pthread_mutex_unlock(&pf->mu);
}

void didq_prefault_free(didq_prefault *pf)
{
    if (!pf) return;
    pthread_mutex_lock(&pf->mu);
    pf->count = 0;
    pf->stop = true;
    pthread_cond_broadcast(&pf->cv);
    pthread_mutex_unlock(&pf->mu);
    pthread_join(pf->th, NULL);
    pthread_mutex_destroy(&pf->mu);
    pthread_cond_destroy(&pf->cv);
    free(pf);
}
