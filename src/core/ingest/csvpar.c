/* csvpar.c: a CSV file read on several threads (csvpar.h): one reader
 * thread cuts blocks at line breaks (csvpar_read.c), worker threads make a
 * segment of each, the calling thread merges them in order through the
 * file reader and makes segments too while the next is not ready. */
#include "csvpar_int.h"
#include "didq/util.h"
#include "release.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EV_RECORD = 1, EV_FINDING = 2 };

/* An event of a segment: a record (packed, then eval's bytes, then the
 * width message) or a finding (code, then message). */
typedef struct ev {
    uint32_t kind, size; /* size of the whole event, a multiple of 8 */
    uint32_t a, b;       /* record: eval's bytes, message bytes; finding: code, message bytes */
    uint64_t line;       /* finding: line in the block (1 = its first) */
} ev;

typedef struct worker {
    par *p;
    slot *s;
    csvin *in;
    int pause, ending; /* the segment is at its budget; the last row is being read */
    bool self;         /* the calling thread's (it merges its own parts) */
} worker;

static bool self_hand_part(worker *w);

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* ---- workers: a block into a segment ---- */

/* The block's bytes, which its records' values may point into: kept until
 * its segment is merged (recpack.h). */
static didq_recpack_base block_bytes(const slot *s)
{
    return (didq_recpack_base){s->raw.p, s->raw.n};
}

static int seg_record(void *ctx, didq_record *r)
{
    worker *w = ctx;
    const didq_csvpar_opts *o = w->p->o;
    unsigned char data[DIDQ_EVAL_MAX];
    size_t dn = o->eval(o->ctx, r, data);
    size_t wn = r->flags & DIDQ_REC_WIDTH ? strlen(w->in->wmsg) + 1 : 0;
    didq_recpack_base in = block_bytes(w->s);
    size_t rn = didq_recpack_size(&w->p->pk, r, in), size = align8(sizeof(ev) + rn + dn + wn);
    unsigned char *at = par_reserve(&w->s->seg, size);
    *(ev *)(void *)at = (ev){EV_RECORD, (uint32_t)size, (uint32_t)dn, (uint32_t)wn, 0};
    didq_recpack_put(&w->p->pk, r, in, at + sizeof(ev), rn);
    memcpy(at + sizeof(ev) + rn, data, dn);
    memcpy(at + sizeof(ev) + rn + dn, w->in->wmsg, wn);
    w->s->seg.n += size;
    w->pause = w->s->seg.n >= w->p->budget && !w->ending;
    return w->pause; /* nonzero stops the segment reader after this line */
}

static void seg_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    worker *w = ctx;
    size_t cn = strlen(code) + 1, mn = msg ? strlen(msg) + 1 : 0,
           size = align8(sizeof(ev) + cn + mn);
    unsigned char *at = par_reserve(&w->s->seg, size);
    *(ev *)(void *)at = (ev){EV_FINDING, (uint32_t)size, (uint32_t)cn, (uint32_t)mn, line};
    memcpy(at + sizeof(ev), code, cn);
    if (mn) memcpy(at + sizeof(ev) + cn, msg, mn);
    w->s->seg.n += size;
}

/* Where the segment reader is: the slot's part for the merge. */
static void note_part(worker *w)
{
    slot *s = w->s;
    s->lines = w->in->line - 1;
    s->bytes = w->in->pos;
    s->prev_cr = w->in->prev_cr;
    s->dropped = w->in->dropped;
    s->drop_first = w->in->dropped_first;
    s->drop_last = w->in->dropped_last;
    w->in->dropped = 0;
}

/* The segment is at its budget: its part goes to the merge, and the worker
 * waits until it is merged (false: the load stops meanwhile).  So a slot
 * holds at most about budget bytes of events whatever the rows, e.g. a
 * block of half a million 2-byte malformed rows. */
static bool hand_part(worker *w)
{
    par *p = w->p;
    if (w->self) return self_hand_part(w);
    note_part(w);
    pthread_mutex_lock(&p->mu);
    w->s->state = SLOT_PART;
    pthread_cond_broadcast(&p->cv);
    while (!p->stop && w->s->state == SLOT_PART)
        pthread_cond_wait(&p->cv, &p->mu);
    bool go = !p->stop;
    pthread_mutex_unlock(&p->mu);
    w->pause = 0;
    w->in->stop = 0;
    return go;
}

static void parse_block(par *p, slot *s, bool self)
{
    worker w = {p, s, NULL, 0, 0, self};
    didq_reader_cb cb = {&w, seg_record, seg_finding, NULL};
    if (!s->seg.cap) { /* the budget and a record's room: no doubling past it */
        s->seg.cap = p->budget + SEG_SLACK;
        s->seg.p = didq_xmalloc(s->seg.cap);
    }
    s->seg.n = 0;
    s->st = DIDQ_CSV_UNSPLIT;
    if (s->raw.n && s->raw.p[s->raw.n - 1] != '\n' && !s->eof) return; /* a line too long */
    w.in = didq_csvin_segment(p->f, &cb);
    int st;
    while ((st = didq_csvin_feed(w.in, s->raw.p + w.in->pos, s->raw.n - w.in->pos)) != 0 &&
           w.pause && hand_part(&w)) {
    }
    w.ending = 1;
    if (st == 0 && s->eof) st = didq_csvin_segment_end(w.in);
    if (st == 0 && !s->eof && (w.in->p.pstate != 0 || w.in->mid_line)) st = DIDQ_CSV_UNSPLIT;
    note_part(&w);
    s->st = st;
    didq_csvin_free(w.in);
}

/* The next block read, taken to be parsed (p->mu held), or NULL when it
 * is not read yet; the workers and the calling thread take blocks so. */
static slot *take_block(par *p)
{
    slot *s = &p->slots[p->next_parse % (uint64_t)p->nslots];
    if (s->state != SLOT_READ || s->seq != p->next_parse) return NULL;
    p->next_parse++;
    s->state = SLOT_BUSY;
    return s;
}

static void *worker_main(void *arg)
{
    par *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        slot *s = NULL;
        while (!p->stop && (s = take_block(p)) == NULL &&
               !(p->read_done && p->next_parse >= p->next_read))
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop || s == NULL) break;
        pthread_mutex_unlock(&p->mu);
        parse_block(p, s, false);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- the calling thread: segments merged in order ---- */

/* Merges the slot's segment (a part of its block, or the rest of it): the
 * file reader then stands where the segment reader stood. */
static void merge(par *p, slot *s)
{
    const didq_csvpar_opts *o = p->o;
    didq_record r;
    didq_recpack_base in = block_bytes(s);
    uint64_t line0 = p->f->line - 1 - s->acc_lines, pos0 = p->f->pos - s->acc_bytes;
    for (size_t at = 0; at < s->seg.n;) {
        const ev *e = (const ev *)(const void *)(s->seg.p + at);
        const unsigned char *body = s->seg.p + at + sizeof(ev);
        if (e->kind == EV_FINDING) {
            didq_csvin_merge_finding(p->f, (const char *)body, line0 + e->line,
                                     e->b ? (const char *)body + e->a : NULL);
        } else {
            size_t rn = didq_recpack_get(&p->pk, body, in, &r);
            r.line += line0;
            r.offset += pos0;
            if (didq_csvin_merge_record(p->f, &r, e->b ? (const char *)body + rn + e->a : NULL))
                o->consume(o->ctx, &r, body + rn, e->a);
        }
        at += e->size;
    }
    if (s->dropped)
        didq_csvin_merge_dropped(p->f, s->dropped, line0 + s->drop_first, line0 + s->drop_last);
    s->seg.n = 0;
    p->f->line += s->lines - s->acc_lines;
    p->f->pos += s->bytes - s->acc_bytes;
    p->f->prev_cr = s->prev_cr;
    s->acc_lines = s->lines;
    s->acc_bytes = s->bytes;
}

static int serial_record(void *ctx, didq_record *r)
{
    const didq_csvpar_opts *o = ctx;
    unsigned char data[DIDQ_EVAL_MAX];
    size_t n = o->eval(o->ctx, r, data);
    o->consume(o->ctx, r, data, n);
    return 0;
}

static void serial_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    const didq_csvpar_opts *o = ctx;
    o->finding(o->ctx, code, line, msg);
}

static int progress(par *p)
{
    return p->o->progress && p->o->progress(p->o->ctx, p->f->pos);
}

static int cancelled(par *p)
{
    return progress(p) != 0;
}

/* Feeds n bytes to the file reader; the input's first bytes skip a byte
 * order mark. */
static int feed_file(par *p, const unsigned char *b, size_t n)
{
    if (!p->started) {
        p->started = 1;
        size_t skip = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        p->f->pos = skip;
        b += skip;
        n -= skip;
    }
    return didq_csvin_feed(p->f, b, n);
}

/* Feeds b to the file reader, then reads the rest of the input serially. */
static int serial_rest(par *p, bytes *b, int eof)
{
    int st = feed_file(p, b->p, b->n);
    while (st == 0 && !eof) {
        b->n = 0;
        st = par_fill(p, b, p->block, &eof, cancelled);
        if (st == 0) st = feed_file(p, b->p, b->n);
        if (st == 0 && progress(p)) st = DIDQ_READ_CANCELLED;
    }
    return st;
}

/* Waits on p->cv (p->mu held) for at most TICK_MS, reporting progress
 * when nothing came meanwhile (a slow FIFO shows the loading screen and can
 * be cancelled while its first block is read): false, p->mu released, when
 * the caller cancels. */
static bool tick_wait(par *p)
{
    struct timespec until;
    didq_deadline(&until, TICK_MS);
    if (pthread_cond_timedwait(&p->cv, &p->mu, &until) != ETIMEDOUT) return true;
    pthread_mutex_unlock(&p->mu);
    if (progress(p)) return false;
    pthread_mutex_lock(&p->mu);
    return true;
}

/* Waits for the first block read: its slot, or NULL when the input has
 * none; *st DIDQ_READ_CANCELLED when the caller cancels meanwhile. */
static slot *wait_first(par *p, int *st)
{
    slot *s = &p->slots[0];
    pthread_mutex_lock(&p->mu);
    bool read;
    while (!(read = s->seq == 0 && s->state == SLOT_READ) && !p->read_done)
        if (!tick_wait(p)) {
            *st = DIDQ_READ_CANCELLED;
            return NULL;
        }
    pthread_mutex_unlock(&p->mu);
    return read ? s : NULL;
}

static void set_state(par *p, slot *s, int state)
{
    pthread_mutex_lock(&p->mu);
    s->state = state;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* The first block, on the calling thread: the byte order mark, the header
 * and its column map, the first lines.  Returns a status; *go: the blocks
 * after it may be parsed in parallel. */
static int first_block(par *p, slot *s, bool *go)
{
    int st = feed_file(p, s->raw.p, s->raw.n);
    *go = st == 0 && !s->eof && p->f->header_checked && p->f->p.pstate == 0 && !p->f->mid_line &&
          !p->f->quote_scan;
    if (st == 0 && progress(p)) st = DIDQ_READ_CANCELLED;
    if (*go) set_state(p, s, SLOT_FREE);
    return st;
}

/* ---- the calling thread's jobs: block p->seq merged, or a block parsed ---- */

enum { JOB_NONE, JOB_MERGE, JOB_PARSE };

/* A job for the calling thread now (p->mu held): block seq's segment, or a
 * part of it, to merge; else (parse: a block to parse will do) the next
 * block read that no worker has taken, taken. */
static int job_ready(par *p, bool parse, slot **out)
{
    slot *s = &p->slots[p->seq % (uint64_t)p->nslots];
    if (s->seq == p->seq && (s->state == SLOT_DONE || s->state == SLOT_PART)) {
        *out = s;
        return JOB_MERGE;
    }
    *out = parse ? take_block(p) : NULL;
    return *out ? JOB_PARSE : JOB_NONE;
}

/* Waits for a job: JOB_NONE at the end of the blocks, or with *st
 * DIDQ_READ_CANCELLED when the caller cancels meanwhile. */
static int wait_job(par *p, bool parse, slot **out, int *st)
{
    int job;
    pthread_mutex_lock(&p->mu);
    while ((job = job_ready(p, parse, out)) == JOB_NONE &&
           !(p->read_done && p->seq >= p->next_read))
        if (!tick_wait(p)) {
            *st = DIDQ_READ_CANCELLED;
            return JOB_NONE;
        }
    pthread_mutex_unlock(&p->mu);
    return job;
}

/* Merges block seq's segment (or its part that is ready); false when the
 * block cannot be read alone: the file is read serially from it. */
static bool merge_next(par *p, slot *s)
{
    if (s->state == SLOT_DONE && s->st != 0) return false;
    merge(p, s);
    if (s->state == SLOT_DONE) p->seq++;
    set_state(p, s, s->state == SLOT_DONE ? SLOT_FREE : SLOT_BUSY);
    return true;
}

/* After a job: false, with *st DIDQ_READ_CANCELLED, when the caller
 * cancels. */
static bool go_on(par *p, int *st)
{
    if (progress(p)) *st = DIDQ_READ_CANCELLED;
    return *st == 0;
}

/* Merges the next block (or part) when it is ready; false at the end of
 * the parallel part, with *st set when it ended in error. */
static bool merge_one(par *p, int *st)
{
    slot *s = NULL;
    if (wait_job(p, false, &s, st) != JOB_MERGE || !merge_next(p, s)) return false;
    return go_on(p, st);
}

/* Merges the next block ready or parses the next block read, whichever
 * comes first; false as merge_one. */
static bool run_job(par *p, int *st)
{
    slot *s = NULL;
    int job = wait_job(p, true, &s, st);
    if (job == JOB_PARSE) {
        parse_block(p, s, true);
        set_state(p, s, SLOT_DONE);
    } else if (job == JOB_NONE || !merge_next(p, s)) {
        return false;
    }
    return go_on(p, st);
}

/* The calling thread's own segment at its budget: the blocks before it
 * are merged as they come, then the part (no other thread would merge
 * it); false when the parallel part ends meanwhile. */
static bool self_hand_part(worker *w)
{
    par *p = w->p;
    note_part(w);
    set_state(p, w->s, SLOT_PART);
    while (!p->halted && w->s->state == SLOT_PART)
        if (!merge_one(p, &p->halt_st)) p->halted = true;
    w->pause = 0;
    w->in->stop = 0;
    return !p->halted;
}

/* Merges the blocks from 1 on as their segments come, parsing blocks
 * meanwhile; returns the first block not merged whole. */
static uint64_t merge_blocks(par *p, int *st)
{
    p->seq = 1;
    while (!p->halted && run_job(p, st)) {
    }
    if (p->halt_st) *st = p->halt_st;
    return p->seq;
}

/* Runs the threads: the reader from the start, the workers once the first
 * block says the rest may be parsed in parallel.  Returns the first block
 * not merged (all: next_read). */
static uint64_t run_parallel(par *p, int *st)
{
    pthread_t rd, wk[DIDQ_CSVPAR_MAX_THREADS];
    int n = 0;
    int e = pthread_create(&rd, NULL, par_reader_main, p);
    if (e) didq_thread_failed("the reader thread", e);
    uint64_t seq = 0;
    bool go = false;
    slot *s = wait_first(p, st);
    if (s) {
        *st = first_block(p, s, &go);
        seq = 1;
    }
    if (*st == 0 && go) {
        for (n = 0; n < p->nworkers; n++)
            if ((e = pthread_create(&wk[n], NULL, worker_main, p)) != 0)
                didq_thread_failed("a worker thread", e);
        seq = merge_blocks(p, st);
    }
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(rd, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(wk[i], NULL);
    return seq;
}

/* After the threads: the blocks from seq on (the first from what was
 * merged of it) and the carry, serially, then the rest of the input
 * unless the reader read it all. */
static int after_parallel(par *p, uint64_t seq)
{
    int st = 0;
    for (; st == 0 && seq < p->next_read; seq++) {
        slot *s = &p->slots[seq % (uint64_t)p->nslots];
        st = feed_file(p, s->raw.p + s->acc_bytes, s->raw.n - s->acc_bytes);
    }
    if (st) return st;
    if (p->read_st < 0) { /* a read error: what was read, then the error */
        st = feed_file(p, p->carry.p, p->carry.n);
        return st ? st : p->read_st;
    }
    return serial_rest(p, &p->carry, p->read_st == 1);
}

/* A buffer of the load's own (cap 0: a view of the source's bytes). */
static void bytes_free(bytes *b)
{
    if (b->cap) free(b->p);
}

static void par_free(par *p)
{
    /* the segments' pages given back on two threads first (release.h) */
    didq_span sp[DIDQ_CSVPAR_MAX_THREADS + 3];
    for (int i = 0; i < p->nslots; i++)
        sp[i] = (didq_span){p->slots[i].seg.p, p->slots[i].seg.cap};
    didq_release_spans(sp, (size_t)p->nslots, p->nworkers + 1);
    for (int i = 0; i < p->nslots; i++) {
        bytes_free(&p->slots[i].raw);
        free(p->slots[i].seg.p);
    }
    free(p->slots);
    bytes_free(&p->carry);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

int didq_csvpar_run(const didq_csvpar_opts *o)
{
    par p = {.o = o,
             .block = didq_env_size("DIDQ_BLOCK_BYTES", 64, DIDQ_CSVPAR_BLOCK),
             .budget = didq_env_size("DIDQ_SEGMENT_BYTES", 64, DIDQ_CSVPAR_SEGMENT),
             .next_parse = 1};
    didq_recpack_init(&p.pk, o->ds);
    didq_reader_cb cb = {(void *)o, serial_record, serial_finding, NULL};
    p.f = didq_csvin_new(o->ds, &cb, o->file);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    /* the calling thread makes segments too: one worker fewer than threads */
    p.nworkers = o->threads <= DIDQ_CSVPAR_MAX_THREADS ? o->threads - 1 : DIDQ_CSVPAR_MAX_THREADS;
    p.nslots = p.nworkers + 3;
    p.slots = didq_xcalloc((size_t)p.nslots, sizeof *p.slots);
    const didq_src *src = o->src;
    p.view = src->mem && src->pos >= o->nhead && src->pos <= src->len &&
             memcmp(src->mem + src->pos - o->nhead, o->head, o->nhead) == 0;
    p.view0 = p.view ? src->pos - o->nhead : 0;
    if (o->nhead && !p.view) {
        memcpy(par_reserve(&p.carry, o->nhead), o->head, o->nhead);
        p.carry.n = o->nhead;
    }
    int st = didq_csvin_not_text(p.f, o->head, o->nhead);
    if (st == 0) {
        uint64_t seq = run_parallel(&p, &st);
        if (st == 0) st = after_parallel(&p, seq);
        st = didq_csvin_finish(p.f, st);
    }
    didq_csvin_free(p.f);
    par_free(&p);
    return st;
}
