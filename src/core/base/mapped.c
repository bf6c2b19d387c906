/* mapped.c: the mapped inputs, the SIGBUS guard and the adoption of a
 * mapping's bytes (mapped.h).  Two loads may note files at once (`didq
 * diff`): the table is changed under a lock.  The handler reads it without
 * one, and writes with write(2) and ends with _exit(2): async-signal-safe.
 * Built with _GNU_SOURCE (CMakeLists.txt) for mremap's MREMAP_FIXED. */
#include "didq/mapped.h"
#include "didq/afile.h"
#include "didq/util.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct range {
    const char *volatile p; /* NULL: a free entry */
    size_t n;
    char *msg;
    size_t len;
} range;

static range ranges[DIDQ_MAPPED_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void (*volatile on_fault)(void); /* didq_mapped_on_fault */

bool didq_mapped_note(const void *p, size_t n, const char *msg)
{
    char *m = didq_strdup(msg);
    pthread_mutex_lock(&lock);
    for (int i = 0; i < DIDQ_MAPPED_MAX && m; i++)
        if (!ranges[i].p) {
            ranges[i].n = n;
            ranges[i].msg = m;
            ranges[i].len = strlen(msg);
            ranges[i].p = p; /* last: the entry is whole when the handler sees it */
            m = NULL;
        }
    pthread_mutex_unlock(&lock);
    bool noted = !m;
    free(m); /* the table is full: not noted */
    return noted;
}

void didq_mapped_forget(const void *p)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < DIDQ_MAPPED_MAX; i++)
        if (p && ranges[i].p == p) {
            ranges[i].p = NULL;
            free(ranges[i].msg);
            ranges[i].msg = NULL;
        }
    pthread_mutex_unlock(&lock);
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    static atomic_flag first = ATOMIC_FLAG_INIT;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (int i = 0; i < DIDQ_MAPPED_MAX; i++) {
        uintptr_t p = (uintptr_t)ranges[i].p;
        if (p && a >= p && a - p < ranges[i].n) {
            /* two threads may fault at once: one tells, the other waits
             * for the end of the process */
            while (atomic_flag_test_and_set(&first))
                pause();
            didq_temp_unlink_all();
            void (*fn)(void) = on_fault;
            if (fn) fn();
            ssize_t w = write(STDERR_FILENO, ranges[i].msg, ranges[i].len);
            (void)w;
            _exit(DIDQ_EXIT_NOINPUT);
        }
    }
    signal(sig, SIG_DFL); /* not an input's: the fault it is */
    raise(sig);
}

void didq_mapped_guard(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

void didq_mapped_on_fault(void (*fn)(void))
{
    on_fault = fn;
}

/* Chunks small enough that the copy beside the file's pages costs little
 * memory, big enough that the mappings they leave stay few (33 at 524 MB). */
enum { ADOPT_CHUNK = 16 << 20 };

bool didq_mapped_adopt(const void *p, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if ((uintptr_t)p % page) return false;
    for (size_t off = 0; off < n; off += ADOPT_CHUNK) {
        size_t len = n - off < ADOPT_CHUNK ? n - off : ADOPT_CHUNK;
        size_t span = (len + page - 1) / page * page; /* the last page's tail reads 0 */
        void *c = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c == MAP_FAILED) return false;
        memcpy(c, (const char *)p + off, len);
        /* the file's pages give way to the copy's in one step: a thread
         * reading there meanwhile waits for the process's mappings' lock
         * and then reads the same bytes from the copy */
        if (mprotect(c, span, PROT_READ) != 0 ||
            mremap(c, span, span, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)p + off) == MAP_FAILED) {
            munmap(c, span);
            return false;
        }
    }
    return true;
}
