/* csvpar_read.c: the reader thread of the parallel CSV load (csvpar.h):
 * the input cut into blocks at line breaks, read into buffers of the
 * load's own, or, for an input in memory (a mapped file), views of its
 * bytes, cut where reading would have cut them but for the last few,
 * which are smaller. */
#include "csvpar_int.h"
#include "didq/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned char *par_reserve(bytes *b, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 16;
        while (cap < b->n + n)
            cap *= 2;
        b->p = didq_xrealloc(b->p, cap);
        b->cap = cap;
    }
    return b->p + b->n;
}

static int stopped(par *p)
{
    pthread_mutex_lock(&p->mu);
    int st = p->stop;
    pthread_mutex_unlock(&p->mu);
    return st;
}

int par_fill(par *p, bytes *b, size_t want, int *eof, int (*stop)(par *))
{
    while (b->n < want && !*eof) {
        par_reserve(b, want - b->n);
        long got = didq_src_read(p->o->src, b->p + b->n, want - b->n);
        int err = errno;
        if (got >= 0) { /* kept even when stopped: a serial read may go on from here */
            *eof = got == 0;
            b->n += (size_t)got;
        }
        if (stop(p)) return DIDQ_READ_CANCELLED;
        if (got < 0 && err != EINTR && err != EAGAIN) {
            snprintf(p->o->err, p->o->errlen, "%s", strerror(err));
            return DIDQ_READ_IO;
        }
    }
    return 0;
}

/* The length of the block at the start of b: to its last line break, or
 * all of it at the end of the input or past LONG_LINE blocks; 0: read on. */
static size_t cut(const par *p, const bytes *b, int eof)
{
    if (eof) return b->n;
    for (size_t i = b->n; i > 0; i--)
        if (b->p[i - 1] == '\n') return i;
    return b->n >= LONG_LINE * p->block ? b->n : 0;
}

/* Moves the first n bytes of the carry into slot s (their buffers swap). */
static void hand_over(par *p, slot *s, size_t n)
{
    bytes old = s->raw;
    s->raw = p->carry;
    p->carry = old;
    p->carry.n = 0;
    if (s->raw.n > n) memcpy(par_reserve(&p->carry, s->raw.n - n), s->raw.p + n, s->raw.n - n);
    p->carry.n = s->raw.n - n;
    s->raw.n = n;
}

/* The bytes of the first block, which the calling thread parses alone
 * (the header, the byte order mark) before the workers start: a small
 * one, so that the other cores wait for it less than a millisecond. */
static size_t first_block(const par *p)
{
    return p->block < FIRST_BLOCK ? p->block : FIRST_BLOCK;
}

/* The bytes of a block of a mapped input with `left` bytes from its start
 * on: the first small (first_block); then whole blocks, and the last few
 * threads' worth an eighth of one (at least FIRST_BLOCK, and never more
 * than a block), so that the threads run out of blocks within a fraction
 * of a millisecond of each other instead of one parsing a whole block
 * while the others wait for the end. */
static size_t view_block(const par *p, size_t left)
{
    if (!p->next_read) return first_block(p);
    size_t small = p->block / 8 > FIRST_BLOCK ? p->block / 8 : first_block(p);
    return left < (size_t)(p->nworkers + 1) * TAIL_BLOCKS * p->block ? small : p->block;
}

/* The next slot free for block next_read, or NULL when the load stops. */
static slot *free_slot(par *p)
{
    pthread_mutex_lock(&p->mu);
    slot *s = &p->slots[p->next_read % (uint64_t)p->nslots];
    while (!p->stop && s->state != SLOT_FREE)
        pthread_cond_wait(&p->cv, &p->mu);
    if (p->stop) s = NULL;
    pthread_mutex_unlock(&p->mu);
    return s;
}

static void give_block(par *p, slot *s)
{
    s->acc_lines = s->acc_bytes = 0;
    pthread_mutex_lock(&p->mu);
    s->seq = p->next_read++;
    s->state = SLOT_READ;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void read_done(par *p, int st, bool all)
{
    pthread_mutex_lock(&p->mu);
    p->read_done = 1;
    p->read_st = st == DIDQ_READ_CANCELLED ? 0 : st;
    if (all && st == 0) p->read_st = 1; /* the whole input is in blocks */
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* A source in memory (a mapped file: didq_src.mem) is cut into blocks
 * that are views of its bytes, not copies, where reading it would have
 * cut them: a block ends after the last line break of the next block's
 * bytes (of more when it has none), and the input's end is known only
 * once fewer bytes than asked were left, as read(2) tells it; but its last
 * blocks are smaller (view_block).  The bytes
 * not in a block when the load stops are the carry, a view too. */
static void *view_reader(par *p)
{
    const didq_src *src = p->o->src;
    const unsigned char *b = src->mem;
    size_t pos = p->view0, end = src->len;
    int eof = 0;
    while (!(eof && pos == end)) {
        size_t n = 0;
        for (size_t want = view_block(p, end - pos);; want += p->block) {
            eof = end - pos < want;
            bytes w = {(unsigned char *)(uintptr_t)(b + pos), eof ? end - pos : want, 0};
            if ((n = cut(p, &w, eof)) != 0 || (eof && pos == end)) break;
        }
        slot *s;
        if (n == 0 || (s = free_slot(p)) == NULL) break;
        s->raw = (bytes){(unsigned char *)(uintptr_t)(b + pos), n, 0};
        pos += n;
        s->eof = eof && pos == end;
        give_block(p, s);
    }
    p->carry = (bytes){(unsigned char *)(uintptr_t)(b + pos), end - pos, 0};
    read_done(p, 0, true); /* the rest is the carry: nothing is left to read */
    return NULL;
}

void *par_reader_main(void *arg)
{
    par *p = arg;
    if (p->view) return view_reader(p);
    int eof = 0;
    int st = par_fill(p, &p->carry, first_block(p), &eof, stopped); /* a whole one */
    while (st == 0 && !(eof && p->carry.n == 0)) {
        size_t n = 0, want = p->block;
        while (st == 0 && (n = cut(p, &p->carry, eof)) == 0 && !(eof && p->carry.n == 0)) {
            st = par_fill(p, &p->carry, want, &eof, stopped);
            want = p->carry.n + p->block;
        }
        slot *s;
        if (st || n == 0 || (s = free_slot(p)) == NULL) break;
        hand_over(p, s, n);
        s->eof = eof && p->carry.n == 0;
        give_block(p, s);
    }
    read_done(p, st, eof && p->carry.n == 0);
    return NULL;
}
