/* pipe.c: a reader thread and a bounded queue of record batches. */
#include "pipe.h"
#include "recpack.h"
#include "didq/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { NBATCH = 4, BATCH_BYTES = 4 << 20, TICK = -2, TICK_MS = 100 };

typedef struct batch {
    unsigned char *p;
    size_t n;
    uint64_t bytes; /* bytes read when the batch was sent */
} batch;

typedef struct pipe_state {
    const didq_pipe_opts *o;
    didq_recpack pk;
    batch slots[NBATCH];
    int full[NBATCH], nfull, free_[NBATCH], nfree;
    int cur; /* batch the reader is filling, -1 none */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done, status;
    atomic_int cancel;
    _Atomic uint64_t bytes;
} pipe_state;

/* ---- the queue ---- */

static int take_free(pipe_state *ps)
{
    pthread_mutex_lock(&ps->mu);
    while (ps->nfree == 0 && !atomic_load(&ps->cancel))
        pthread_cond_wait(&ps->cv, &ps->mu);
    int b = ps->nfree ? ps->free_[--ps->nfree] : -1;
    pthread_mutex_unlock(&ps->mu);
    if (b >= 0) ps->slots[b].n = 0;
    return b;
}

static void send_full(pipe_state *ps, int b)
{
    pthread_mutex_lock(&ps->mu);
    ps->slots[b].bytes = atomic_load(&ps->bytes);
    ps->full[ps->nfull++] = b;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
}

/* The next full batch in order, -1 when the reader is done, or TICK when
 * none came within TICK_MS (the caller then reports progress, which lets
 * the explorer read keys and signals while a slow source trickles in). */
static int take_full(pipe_state *ps)
{
    struct timespec until;
    didq_deadline(&until, TICK_MS);
    pthread_mutex_lock(&ps->mu);
    while (ps->nfull == 0 && !ps->done)
        if (pthread_cond_timedwait(&ps->cv, &ps->mu, &until) == ETIMEDOUT && !ps->nfull &&
            !ps->done) {
            pthread_mutex_unlock(&ps->mu);
            return TICK;
        }
    int b = -1;
    if (ps->nfull) {
        b = ps->full[0];
        memmove(ps->full, ps->full + 1, (size_t)--ps->nfull * sizeof *ps->full);
    }
    pthread_mutex_unlock(&ps->mu);
    return b;
}

static void give_back(pipe_state *ps, int b)
{
    pthread_mutex_lock(&ps->mu);
    ps->free_[ps->nfree++] = b;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
}

/* ---- records into batches (reader thread) ---- */

/* A batch holds copies of its records' values: the reader's buffer is
 * read again before the batch is consumed. */
static const didq_recpack_base NO_BASE = {NULL, 0};

static int pipe_record(void *ctx, didq_record *r)
{
    pipe_state *ps = ctx;
    if (r->extra_len > BATCH_BYTES / 4)
        r->extra_len = BATCH_BYTES / 4; /* cannot happen with the readers' caps */
    size_t size = didq_recpack_size(&ps->pk, r, NO_BASE);
    if (ps->cur >= 0 && ps->slots[ps->cur].n + size > BATCH_BYTES) {
        send_full(ps, ps->cur);
        ps->cur = -1;
    }
    if (ps->cur < 0 && (ps->cur = take_free(ps)) < 0) return 1;
    batch *b = &ps->slots[ps->cur];
    didq_recpack_put(&ps->pk, r, NO_BASE, b->p + b->n, size);
    b->n += size;
    return atomic_load(&ps->cancel);
}

static void pipe_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    pipe_state *ps = ctx;
    ps->o->finding(ps->o->finding_ctx, code, line, msg);
}

static int pipe_progress(void *ctx, uint64_t bytes)
{
    pipe_state *ps = ctx;
    atomic_store(&ps->bytes, bytes);
    return atomic_load(&ps->cancel);
}

static void *reader_main(void *arg)
{
    pipe_state *ps = arg;
    didq_reader_cb cb = {ps, pipe_record, pipe_finding, pipe_progress};
    int st = ps->o->produce(ps->o->produce_ctx, &cb);
    if (ps->cur >= 0) send_full(ps, ps->cur);
    pthread_mutex_lock(&ps->mu);
    ps->done = 1;
    ps->status = st;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
    return NULL;
}

/* ---- batches into records (calling thread) ---- */

/* Feeds a batch's records to the consumer; returns nonzero to cancel. */
static int consume_batch(pipe_state *ps, const batch *b, didq_record *r)
{
    const didq_pipe_opts *o = ps->o;
    for (size_t at = 0; at < b->n;) {
        at += didq_recpack_get(&ps->pk, b->p + at, NO_BASE, r);
        if (o->consume(o->consume_ctx, r)) return 1;
    }
    return o->progress && o->progress(o->consume_ctx, b->bytes);
}

static void pipe_init(pipe_state *ps, const didq_pipe_opts *o)
{
    memset(ps, 0, sizeof *ps);
    ps->o = o;
    didq_recpack_init(&ps->pk, o->ds);
    for (int i = 0; i < NBATCH; i++) {
        ps->slots[i].p = didq_xmalloc(BATCH_BYTES);
        ps->free_[ps->nfree++] = i;
    }
    ps->cur = -1;
    pthread_mutex_init(&ps->mu, NULL);
    pthread_cond_init(&ps->cv, NULL);
}

static void pipe_fini(pipe_state *ps)
{
    for (int i = 0; i < NBATCH; i++)
        free(ps->slots[i].p);
    pthread_mutex_destroy(&ps->mu);
    pthread_cond_destroy(&ps->cv);
}

static void cancel(pipe_state *ps)
{
    atomic_store(&ps->cancel, 1);
    pthread_mutex_lock(&ps->mu);
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
}

int didq_pipe_run(const didq_pipe_opts *o)
{
    pipe_state *ps = didq_xmalloc(sizeof *ps);
    didq_record *r = didq_xcalloc(1, sizeof *r);
    pipe_init(ps, o);
    pthread_t th;
    int e = pthread_create(&th, NULL, reader_main, ps);
    if (e) didq_thread_failed("the reader thread", e);
    for (int b; (b = take_full(ps)) != -1;) {
        if (b == TICK) {
            if (!atomic_load(&ps->cancel) && o->progress &&
                o->progress(o->consume_ctx, atomic_load(&ps->bytes)))
                cancel(ps);
            continue;
        }
        if (!atomic_load(&ps->cancel) && consume_batch(ps, &ps->slots[b], r)) cancel(ps);
        give_back(ps, b);
    }
    pthread_join(th, NULL);
    int st = atomic_load(&ps->cancel) ? DIDQ_READ_CANCELLED : ps->status;
    pipe_fini(ps);
    free(ps);
    free(r);
    return st;
}
