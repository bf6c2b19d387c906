/* pipe.c: a reader thread and a bounded queue of record batches. */
#include "pipe.h"
#include "didq/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { NBATCH = 4, BATCH_BYTES = 4 << 20, NONE = 0xFFFFFFFFu, TICK = -2, TICK_MS = 100 };

typedef struct batch {
    unsigned char *p;
    size_t n;
    uint64_t bytes; /* bytes read when the batch was sent */
} batch;

/* One record in a batch: header, per-item slots, date slots, then bytes. */
typedef struct qhdr {
    uint64_t recno, line, offset, nfields;
    uint32_t file, size, flags, extra_off, extra_len;
} qhdr;

typedef struct qslot {
    uint32_t raw_off, raw_len, val_off, val_len;
} qslot;

typedef struct qdate {
    int32_t date, ldate, month, lmonth;
} qdate;

typedef struct pipe_state {
    const didq_pipe_opts *o;
    int nitems, ndates, date_items[DIDQ_MAX_ITEMS];
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
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += TICK_MS * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
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

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static size_t record_size(const pipe_state *ps, const didq_record *r)
{
    size_t n = sizeof(qhdr) + (size_t)ps->nitems * sizeof(qslot) +
               (size_t)ps->ndates * sizeof(qdate) + r->extra_len;
    for (int i = 0; i < ps->nitems; i++)
        n += r->f[i].raw_len + r->f[i].len;
    return align8(n);
}

/* Copies a value's bytes unless they lie inside the raw value. */
static void put_slot(qslot *s, const didq_field *f, unsigned char *base, size_t *at)
{
    s->raw_off = s->val_off = NONE;
    s->raw_len = s->val_len = 0;
    if (!f->raw) return;
    s->raw_off = (uint32_t)*at;
    s->raw_len = f->raw_len;
    memcpy(base + *at, f->raw, f->raw_len);
    *at += f->raw_len;
    s->val_len = f->len;
    if (f->val >= f->raw && f->val + f->len <= f->raw + f->raw_len) {
        s->val_off = s->raw_off + (uint32_t)(f->val - f->raw);
    } else {
        s->val_off = (uint32_t)*at;
        memcpy(base + *at, f->val, f->len);
        *at += f->len;
    }
}

static void serialize(const pipe_state *ps, const didq_record *r, unsigned char *p, size_t size)
{
    qhdr *h = (qhdr *)(void *)p; /* p is 8-aligned: a batch is malloc'd, a record align8 */
    qslot *slots = (qslot *)(h + 1);
    qdate *dates = (qdate *)(slots + ps->nitems);
    size_t at = (size_t)((unsigned char *)(dates + ps->ndates) - p);
    *h = (qhdr){.recno = r->recno,
                .line = r->line,
                .offset = r->offset,
                .file = r->file,
                .size = (uint32_t)size,
                .flags = r->flags,
                .extra_off = NONE,
                .nfields = r->nfields};
    for (int i = 0; i < ps->nitems; i++)
        put_slot(&slots[i], &r->f[i], p, &at);
    for (int k = 0; k < ps->ndates; k++) {
        int i = ps->date_items[k];
        dates[k] = (qdate){r->date[i], r->ldate[i], r->month[i], r->lmonth[i]};
    }
    if (r->extra) {
        h->extra_off = (uint32_t)at;
        h->extra_len = r->extra_len;
        memcpy(p + at, r->extra, r->extra_len);
    }
}

static int pipe_record(void *ctx, didq_record *r)
{
    pipe_state *ps = ctx;
    if (r->extra_len > BATCH_BYTES / 4)
        r->extra_len = BATCH_BYTES / 4; /* cannot happen with the readers' caps */
    size_t size = record_size(ps, r);
    if (ps->cur >= 0 && ps->slots[ps->cur].n + size > BATCH_BYTES) {
        send_full(ps, ps->cur);
        ps->cur = -1;
    }
    if (ps->cur < 0 && (ps->cur = take_free(ps)) < 0) return 1;
    batch *b = &ps->slots[ps->cur];
    serialize(ps, r, b->p + b->n, size);
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

static void deserialize(const pipe_state *ps, const unsigned char *p, didq_record *r)
{
    const qhdr *h = (const qhdr *)(const void *)p; /* 8-aligned, as in serialize */
    const qslot *slots = (const qslot *)(h + 1);
    const qdate *dates = (const qdate *)(slots + ps->nitems);
    r->recno = h->recno;
    r->line = h->line;
    r->offset = h->offset;
    r->file = h->file;
    r->flags = h->flags;
    r->nfields = h->nfields;
    for (int i = 0; i < ps->nitems; i++) {
        const qslot *s = &slots[i];
        didq_field *f = &r->f[i];
        f->raw = s->raw_off == NONE ? NULL : (const char *)p + s->raw_off;
        f->raw_len = s->raw_len;
        f->val = s->val_off == NONE ? "" : (const char *)p + s->val_off;
        f->len = s->val_len;
    }
    for (int k = 0; k < ps->ndates; k++) {
        int i = ps->date_items[k];
        r->date[i] = dates[k].date;
        r->ldate[i] = dates[k].ldate;
        r->month[i] = dates[k].month;
        r->lmonth[i] = dates[k].lmonth;
    }
    r->extra = h->extra_off == NONE ? NULL : (const char *)p + h->extra_off;
    r->extra_len = h->extra_len;
}

/* Feeds a batch's records to the consumer; returns nonzero to cancel. */
static int consume_batch(pipe_state *ps, const batch *b, didq_record *r)
{
    const didq_pipe_opts *o = ps->o;
    for (size_t at = 0; at < b->n; at += ((const qhdr *)(const void *)(b->p + at))->size) {
        deserialize(ps, b->p + at, r);
        if (o->consume(o->consume_ctx, r)) return 1;
    }
    return o->progress && o->progress(o->consume_ctx, b->bytes);
}

static void pipe_init(pipe_state *ps, const didq_pipe_opts *o)
{
    memset(ps, 0, sizeof *ps);
    ps->o = o;
    ps->nitems = o->ds->nitems;
    for (int i = 0; i < o->ds->nitems; i++)
        if (o->ds->items[i].is_date) ps->date_items[ps->ndates++] = i;
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
    if (pthread_create(&th, NULL, reader_main, ps) != 0) didq_die("cannot start the reader thread");
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
