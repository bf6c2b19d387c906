/* When a load in memory is stopped (loadmem.h): the cost per input byte
 * measured after the warm-up, projected over the rest of the input and set
 * against the budget less an eighth; no budget, no stop; an input of
 * unknown size stops only when the memory held nears the budget. */
#include "loadmem.h"
#include "testlib.h"

enum { MB = 1 << 20 };

static void test_projection(void)
{
    didq_loadmem m = {0};
    uint64_t need = 0;
    /* 40 MB file, 60 MB budget: 20 MB held at 8 MB read (the reference) */
    CHECK(!didq_loadmem_too_big(&m, 20ull * MB, 8ull * MB, 40ull * MB, 60ull * MB, &need),
          "no cost measured yet: need %llu", (unsigned long long)need);
    /* 2.5 bytes a byte since: 25 MB at 10 MB read, 30 MB to go: 100 MB */
    CHECK(didq_loadmem_too_big(&m, 25ull * MB, 10ull * MB, 40ull * MB, 60ull * MB, &need),
          "stopped");
    CHECK(need / MB == 100, "projected %llu MB", (unsigned long long)(need / MB));
    /* the same with a 200 MB budget goes on */
    CHECK(!didq_loadmem_too_big(&m, 25ull * MB, 10ull * MB, 40ull * MB, 200ull * MB, &need),
          "fits 200 MB");
    /* no limit anywhere */
    CHECK(!didq_loadmem_too_big(&m, 25ull * MB, 10ull * MB, 40ull * MB, UINT64_MAX, &need),
          "no budget");
}

static void test_unknown_size(void)
{
    didq_loadmem m = {0};
    uint64_t need = 0;
    CHECK(!didq_loadmem_too_big(&m, 50ull * MB, 30ull * MB, 0, 60ull * MB, &need), "50 of 60");
    CHECK(didq_loadmem_too_big(&m, 53ull * MB, 32ull * MB, 0, 60ull * MB, &need),
          "53 of 60 passes the reserve");
    CHECK(need == 53ull * MB, "need is what is held: %llu", (unsigned long long)need);
}

static void test_huge_rest(void)
{
    didq_loadmem m = {0};
    uint64_t need = 0;
    didq_loadmem_too_big(&m, 20ull * MB, 8ull * MB, UINT64_MAX - 1, 60ull * MB, &need);
    CHECK(didq_loadmem_too_big(&m, 30ull * MB, 9ull * MB, UINT64_MAX - 1, 60ull * MB, &need),
          "an enormous rest does not wrap around");
    CHECK(need > 60ull * MB, "need %llu", (unsigned long long)need);
}

int main(void)
{
    test_projection();
    test_unknown_size();
    test_huge_rest();
    return test_done();
}
