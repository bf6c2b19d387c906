/* testlib.h: a tiny test harness.  CHECK records a failure and goes on;
 * test_done() prints "N passed, N failed" and returns the exit status. */
#ifndef DIDQ_TESTLIB_H
#define DIDQ_TESTLIB_H

#include <stdio.h>
#include <string.h>

/* The tests/ folder (tests/CMakeLists.txt defines it), so that a test finds
 * its data (DIDQ_TESTS_DIR "/data/...") from whatever directory it runs. */
#ifndef DIDQ_TESTS_DIR
#error "DIDQ_TESTS_DIR is not defined: build the unit tests with tests/CMakeLists.txt"
#endif

static int test_passed, test_failed;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            test_passed++;                                                                         \
        } else {                                                                                   \
            test_failed++;                                                                         \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

static inline int test_done(void)
{
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed != 0;
}

#endif
