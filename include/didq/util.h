/* util.h: allocation that never returns NULL, growable vectors, errors. */
#ifndef DIDQ_UTIL_H
#define DIDQ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, shared by every command (documented in docs/usage.md). */
enum didq_exit {
    DIDQ_EXIT_OK = 0,         /* accepted (warnings allowed) */
    DIDQ_EXIT_RECORDS = 1,    /* rejected: record errors */
    DIDQ_EXIT_FILE = 2,       /* rejected at file level (DIDS075/076) */
    DIDQ_EXIT_USAGE = 64,     /* bad command line */
    DIDQ_EXIT_NOINPUT = 66,   /* an input cannot be read */
    DIDQ_EXIT_CANTCREAT = 73, /* an output cannot be created */
    DIDQ_EXIT_SOFTWARE = 70   /* internal error */
};

/* Called by didq_die() before it prints, so the explorer can restore the
 * terminal first.  NULL by default. */
extern void (*didq_die_hook)(void);

/* Prints "didq: message" to stderr and exits with DIDQ_EXIT_SOFTWARE. */
_Noreturn void didq_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with another exit status (e.g. DIDQ_EXIT_CANTCREAT). */
_Noreturn void didq_die_status(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "didq: out of memory (an allocation of N bytes failed) ...", exit 70. */
_Noreturn void didq_out_of_memory(size_t n);
/* A thread that could not be started (err: pthread_create's): out of
 * memory (exit 70) when err says resources ran out, else the error. */
_Noreturn void didq_thread_failed(const char *what, int err);

/* Allocators: on failure they call didq_out_of_memory. */
/* Once, at the start of a program: every block of 4 MiB or more is a
 * mapping of its own, whatever was freed before (util.c). */
void didq_memory_init(void);
/* Blocks of 4 MiB and more are advised to be huge pages where the host
 * keeps them (base/hugepage.h). */
void *didq_xmalloc(size_t n);
void *didq_xcalloc(size_t n, size_t size);
void *didq_xrealloc(void *p, size_t n);
/* A block of 4 MiB or more written at random places (a radix sort's
 * arrays): advised to be huge pages whatever the host, the TLB misses
 * saved being worth more than the faults. */
void didq_advise_random(void *p, size_t n);
char *didq_strdup(const char *s);
/* The last part of a path ("oct.csv" of "data/oct.csv"); the path itself
 * when it has no '/' or ends with one. */
const char *didq_path_base(const char *path);
/* "s" unless n is 1: "%llu record%s" reads "1 record", "2 records". */
const char *didq_plural(unsigned long long n);
/* A size set in the environment for the tests (block sizes, the parts of
 * a pass): variable name's value when it is a number from least to 2^30,
 * else def. */
size_t didq_env_size(const char *name, size_t least, size_t def);
/* *t: ms milliseconds from now on CLOCK_REALTIME, the clock of
 * pthread_cond_timedwait's deadlines. */
struct timespec;
void didq_deadline(struct timespec *t, long ms);
char *didq_strndup(const char *s, size_t n);
/* *s, *n bytes of it, narrowed past leading and trailing spaces (a NULL
 * *s becomes "" of 0 bytes): a value as the record's cleansing trims it. */
void didq_trim_spaces(const char **s, uint32_t *n);

/* A growable vector of owned strings. */
typedef struct didq_strvec {
    char **v;
    size_t n, cap;
} didq_strvec;
void didq_strvec_push(didq_strvec *sv, char *owned);
void didq_strvec_free(didq_strvec *sv);

/* A growable byte buffer, always NUL-terminated after the first append. */
typedef struct didq_buf {
    char *p;
    size_t n, cap;
} didq_buf;
void didq_buf_add(didq_buf *b, const char *s, size_t n);
void didq_buf_puts(didq_buf *b, const char *s);
void didq_buf_printf(didq_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void didq_buf_free(didq_buf *b);

/* Length of the longest valid UTF-8 prefix; n if all valid. */
size_t didq_utf8_valid_prefix(const char *s, size_t n);

#endif
