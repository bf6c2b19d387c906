/* didq fix's insides: each repair kind on its own, a planned field whose
 * bytes are no longer those read (left as it is, counted), and a file
 * rewritten between the plan and the copy (refused, nothing copied). */
#include "didq/date.h"
#include "fix_int.h"
#include "testlib.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static const char *repair(const char *kind, const char *s)
{
    static char out[16];
    return fix_repair(kind, s, strlen(s), out) ? out : NULL;
}

static void check_repairs(void)
{
    static const struct {
        const char *kind, *in, *want; /* want NULL: no repair */
    } cases[] = {
        {"zero_pad", "4", "04"},
        {"zero_pad", "44", NULL},
        {"zero_pad", "a", NULL},
        {"date", "21/06/1945", "1945-06-21"},
        {"date", "21-06-1945", "1945-06-21"},
        {"date", "1945/06/21", "1945-06-21"},
        {"date", "19450621", "1945-06-21"},
        {"date", "31/02/2026", NULL},
        {"date", "20260231", NULL},
        {"date", "21/06-1945", NULL},
        {"date", "1945-6-21", NULL},
        {"date", "21/06/45", NULL},
        {"upper", "a", "A"},
        {"upper", "A", NULL},
        {"gender", "M", "1"},
        {"gender", "f", "2"},
        {"gender", "X", NULL},
        {"postcode_space", "LS14HR", "LS1 4HR"},
        {"postcode_space", "LS1 4HR", NULL},
        {"postcode_space", "LS1", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = repair(cases[i].kind, cases[i].in);
        if (!cases[i].want)
            CHECK(!got, "%s '%s' repaired as '%s'", cases[i].kind, cases[i].in, got);
        else
            CHECK(got && strcmp(got, cases[i].want) == 0, "%s '%s' gave '%s'", cases[i].kind,
                  cases[i].in, got ? got : "(none)");
    }
}

#define ROW1                                                                                       \
    "9434765919,01,1945-06-21,A,M,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,"        \
    "2018-07-03,XABDO,417905003,2018-07-04,RR864,ACC1\n"

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

static didq_fix_plan *plan(const char *path)
{
    char err[256];
    int st = 0;
    didq_fix_opts o = {.submitted = didq_date_from_ymd(2018, 8, 1)};
    didq_fix_plan *p = didq_fix_plan_make(path, &o, &st, err, sizeof err);
    CHECK(p && st == 0, "plan: %s", p ? "" : err);
    return p;
}

int main(void)
{
    check_repairs();
    char dir[] = "/tmp/didq-test-fix-XXXXXX", path[64], outp[80], err[256];
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/in.csv", dir);
    snprintf(outp, sizeof outp, "%s/out.csv", dir);
    put(path, ROW1);

    /* The field no longer holds the bytes planned: it is left, and counted. */
    didq_fix_plan *p = plan(path);
    if (p && p->n == 1) {
        p->e[0].old_raw[0] = 'Q';
        FILE *out = fopen(outp, "wb");
        CHECK(didq_fix_write(p, out, err, sizeof err) == 0, "write: %s", err);
        fclose(out);
        CHECK(p->mismatched == 1 && didq_fix_applied(p) == 0, "mismatch %llu applied %llu",
              (unsigned long long)p->mismatched, (unsigned long long)didq_fix_applied(p));
        char buf[512] = "";
        FILE *in = fopen(outp, "rb");
        size_t n = fread(buf, 1, sizeof buf - 1, in);
        fclose(in);
        buf[n] = 0;
        CHECK(strcmp(buf, ROW1) == 0, "a mismatched field was changed: %s", buf);
    } else {
        CHECK(0, "one edit planned, not %zu", p ? p->n : 0);
    }
    didq_fix_plan_free(p);

    /* IN rewritten (same size, another time) after the plan: refused. */
    p = plan(path);
    put(path, ROW1);
    struct timeval tv[2] = {{1000000000, 0}, {1000000000, 0}};
    utimes(path, tv);
    FILE *out = fopen(outp, "wb");
    CHECK(p && didq_fix_write(p, out, err, sizeof err) != 0 && strstr(err, "changed"),
          "a changed input was copied");
    fclose(out);
    didq_fix_plan_free(p);

    unlink(path);
    unlink(outp);
    rmdir(dir);
    return test_done();
}
