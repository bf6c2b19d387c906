/* test_csvpar.c: the parallel CSV load (csvpar.h) on a pipe fed slowly,
 * one row every 20 ms for 3 s, far from filling a 1 MiB block: progress is
 * reported while the first block is read (the explorer's loading screen of
 * a FIFO, and its cancel), every row arrives, and a cancel from progress
 * ends the load at once.  It once read the first block on the calling
 * thread, which saw no progress until the block filled or the input ended. */
#include "csvpar.h"
#include "testlib.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static const char ROW[] = "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,"
                          "2026-10-01,2026-10-02,2026-10-03,XABDO,417905003,2026-10-04,RR864,"
                          "ACC1\n";
enum { ROWS = 150 };

typedef struct run {
    int fd;                /* the pipe's write end (the writer's) */
    double start, first;   /* when the load began; its first progress report */
    unsigned long records; /* records consumed */
    int cancel;            /* progress cancels */
} run;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *writer(void *arg)
{
    run *r = arg;
    struct timespec gap = {0, 20 * 1000000L};
    for (int i = 0; i < ROWS && write(r->fd, ROW, sizeof ROW - 1) > 0; i++)
        nanosleep(&gap, NULL);
    close(r->fd);
    return NULL;
}

static size_t eval(void *ctx, didq_record *r, unsigned char *out)
{
    (void)ctx, (void)r, (void)out;
    return 0;
}

static void consume(void *ctx, didq_record *rec, const unsigned char *data, size_t n)
{
    (void)rec, (void)data, (void)n;
    ((run *)ctx)->records++;
}

static void finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    (void)ctx, (void)code, (void)line, (void)msg;
}

static int progress(void *ctx, uint64_t bytes)
{
    run *r = ctx;
    (void)bytes;
    if (r->first == 0) r->first = now();
    return r->cancel;
}

/* Loads the slow pipe at threads; returns the status, *secs the time. */
static int load(run *r, int threads, double *secs)
{
    int p[2];
    char err[200] = "";
    if (pipe(p) != 0) return -100;
    r->fd = p[1];
    didq_src src = {.fd = p[0]};
    didq_csvpar_opts o = {.ds = didq_dataset_v1(),
                          .src = &src,
                          .file = 1,
                          .threads = threads,
                          .eval = eval,
                          .consume = consume,
                          .finding = finding,
                          .progress = progress,
                          .ctx = r,
                          .err = err,
                          .errlen = sizeof err};
    pthread_t th;
    pthread_create(&th, NULL, writer, r);
    r->start = now();
    int st = didq_csvpar_run(&o);
    *secs = now() - r->start;
    close(p[0]);
    pthread_join(th, NULL);
    return st;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN); /* the cancelled load closes the pipe first */
    for (int t = 2; t <= 3; t++) {
        run r = {0};
        double secs;
        int st = load(&r, t, &secs);
        CHECK(st == DIDQ_READ_OK, "--threads %d: status %d", t, st);
        CHECK(r.records == ROWS, "--threads %d: %lu records of %d", t, r.records, ROWS);
        CHECK(r.first > 0 &&
                      r.first -
                          r.start<1.0, "--threads %d: first progress after %.2f s of a %.2f s load",
                                  t, r.first> 0
                  ? r.first - r.start
                  : -1,
              secs);
        run c = {.cancel = 1};
        st = load(&c, t, &secs);
        CHECK(st == DIDQ_READ_CANCELLED, "--threads %d: cancelled: status %d", t, st);
        CHECK(secs < 1.5, "--threads %d: the cancel took %.2f s (the pipe is fed for 3 s)", t,
              secs);
    }
    return test_done();
}
