/* recstore_order.c: each item's sorted order of the records
 * (recstore_sort.c), made the first time the explorer sorts by that item,
 * or ahead of time by one background thread (didq_recstore_prebuild).
 *
 * The background thread runs at SCHED_IDLE: the kernel gives it a core
 * only when nothing else wants one, so loading, the panes and the keys are
 * not slowed.  It makes the orders one at a time, in item order (the
 * Records pane's columns, left to right) except that the item of the column
 * under the explorer's cursor goes next (didq_recstore_prebuild_next), while
 * the memory available (memavail.h: MemAvailable, and what the process's
 * cgroup limit leaves) stays above PREBUILD_BYTES per record; each kept
 * order costs 3 bytes per record (4 past 2^24 records: recstore_int.h).
 * The explorer, asking for an order the thread is making, waits for it;
 * asking for one not yet begun, makes it itself on two threads.  Orders
 * hold record ids only: nothing is written anywhere. */
#include "memavail.h"
#include "recstore_int.h"
#include "didq/util.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

/* Free memory wanted per record before the next background build: its two
 * 24-byte work arrays and its 4-byte result, twice over. */
enum { PREBUILD_BYTES = 104 };

struct didq_prebuild {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* an order was finished (or given up) */
    atomic_bool stop;
    bool busy[DIDQ_MAX_ITEMS]; /* being made (by either thread) */
    int made;                  /* orders the background thread finished */
    int seq[DIDQ_MAX_ITEMS];   /* their items, in the order made */
};

static void lock(didq_prebuild *bg)
{
    pthread_mutex_lock(&bg->mu);
}

static void unlock(didq_prebuild *bg)
{
    pthread_mutex_unlock(&bg->mu);
}

/* Item k's order, made by this thread unless another is making it. */
static const unsigned char *order_shared(didq_recstore *rs, int k)
{
    didq_prebuild *bg = rs->bg;
    lock(bg);
    while (bg->busy[k])
        pthread_cond_wait(&bg->cv, &bg->mu);
    unsigned char *o = rs->order[k];
    if (!o) {
        bg->busy[k] = true;
        unlock(bg);
        o = didq_order_build(rs, k, true, NULL, NULL);
        lock(bg);
        rs->order[k] = o;
        bg->busy[k] = false;
        pthread_cond_broadcast(&bg->cv);
    }
    unlock(bg);
    return o;
}

/* The bytes an id takes in the orders, fixed before the first is made
 * (the records all loaded): on the explorer's thread, before the builder
 * starts. */
static void fix_width(didq_recstore *rs)
{
    if (!rs->order_width) rs->order_width = didq_order_width_for(rs->n);
}

const unsigned char *didq_recstore_order(didq_recstore *rs, int item)
{
    fix_width(rs);
    if (item < 0 || item >= rs->nitems) return NULL;
    if (rs->bg) return order_shared(rs, item);
    if (!rs->order[item]) rs->order[item] = didq_order_build(rs, item, true, NULL, NULL);
    return rs->order[item];
}

static bool to_make(const didq_recstore *rs, int k)
{
    return k >= 0 && k < rs->nitems && !rs->order[k] && !rs->bg->busy[k];
}

/* Claims the next item for the background thread (the one asked for next,
 * else the first not made nor being made); -1 when none is left or it is
 * stopping. */
static int claim(didq_recstore *rs)
{
    didq_prebuild *bg = rs->bg;
    int k = -1;
    lock(bg);
    if (!atomic_load(&bg->stop)) {
        k = to_make(rs, rs->order_next) ? rs->order_next : -1;
        for (int i = 0; k < 0 && i < rs->nitems; i++)
            k = to_make(rs, i) ? i : -1;
        rs->order_next = -1;
        if (k >= 0) bg->busy[k] = true;
    }
    unlock(bg);
    return k;
}

void didq_recstore_prebuild_next(didq_recstore *rs, int item)
{
    if (item < 0 || item >= rs->nitems) return;
    if (rs->bg) lock(rs->bg);
    rs->order_next = item;
    if (rs->bg) unlock(rs->bg);
}

static void *prebuild_main(void *arg)
{
    didq_recstore *rs = arg;
    didq_prebuild *bg = rs->bg;
    struct sched_param none = {0};
    didq_order_work w = {0};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &none); /* best effort */
    for (int k;
         didq_memory_available() >= (uint64_t)rs->n * PREBUILD_BYTES && (k = claim(rs)) >= 0;) {
        unsigned char *o = didq_order_build(rs, k, true, &bg->stop, &w);
        lock(bg);
        rs->order[k] = o; /* NULL when stopped */
        bg->busy[k] = false;
        if (o) bg->seq[bg->made++] = k;
        pthread_cond_broadcast(&bg->cv);
        unlock(bg);
    }
    didq_order_work_free(&w);
    return NULL;
}

bool didq_recstore_prebuild(didq_recstore *rs)
{
    fix_width(rs);
    if (rs->bg || rs->n == 0) return false;
    didq_prebuild *bg = didq_xcalloc(1, sizeof *bg);
    pthread_mutex_init(&bg->mu, NULL);
    pthread_cond_init(&bg->cv, NULL);
    atomic_init(&bg->stop, false);
    rs->bg = bg;
    if (pthread_create(&bg->th, NULL, prebuild_main, rs) == 0) return true;
    rs->bg = NULL;
    pthread_cond_destroy(&bg->cv);
    pthread_mutex_destroy(&bg->mu);
    free(bg);
    return false;
}

int didq_recstore_prebuild_wait(didq_recstore *rs, int *items)
{
    didq_prebuild *bg = rs->bg;
    if (!bg) return 0;
    pthread_join(bg->th, NULL);
    int made = bg->made;
    for (int i = 0; items && i < made; i++)
        items[i] = bg->seq[i];
    pthread_cond_destroy(&bg->cv);
    pthread_mutex_destroy(&bg->mu);
    free(bg);
    rs->bg = NULL;
    return made;
}

void didq_recstore_free_orders(didq_recstore *rs)
{
    if (rs->bg) atomic_store(&rs->bg->stop, true);
    didq_recstore_prebuild_wait(rs, NULL);
    for (int i = 0; i < DIDQ_MAX_ITEMS; i++) {
        free(rs->order[i]);
        rs->order[i] = NULL;
    }
}
