/* synth.c: the public face of the synthetic month generator: options,
 * checks, and writing to a stream or to memory. */
#include "synth_int.h"
#include "didq/date.h"

#include <stdlib.h>
#include <string.h>

#define SY_MAX_ROWS 100000000ULL

didq_synth_opts didq_synth_defaults(void)
{
    didq_synth_opts o;
    memset(&o, 0, sizeof o);
    o.rows = 1000;
    o.seed = 1;
    int y, m, d;
    didq_date_to_ymd(didq_date_add_months(didq_date_today(), -1), &y, &m, &d);
    o.year = y;
    o.month = m;
    return o;
}

static int setup(sy_gen *g, const didq_synth_opts *o, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    g->o = *o;
    if (o->rows < 1 || o->rows > SY_MAX_ROWS) {
        snprintf(err, errlen, "--rows must be 1 to %llu", SY_MAX_ROWS);
        return -1;
    }
    if (o->year < 1971 || o->year > 9998 || o->month < 1 || o->month > 12) {
        snprintf(err, errlen, "--month must be CCYY-MM between 1971-01 and 9998-12");
        return -1;
    }
    if (!(o->defect_rate >= 0 && o->defect_rate <= 1)) {
        snprintf(err, errlen, "--defect-rate must be a number from 0 to 1");
        return -1;
    }
    if (sy_gen_init(g, err, errlen) < 0 || sy_inject_parse(g, o->inject, err, errlen) < 0 ||
        sy_defect_init(g, err, errlen) < 0) {
        sy_gen_free(g);
        return -1;
    }
    sy_gen_prepare(g);
    return 0;
}

int didq_synth_validate(const didq_synth_opts *o, char *err, size_t errlen)
{
    sy_gen *g = didq_xmalloc(sizeof *g);
    int rc = setup(g, o, err, errlen);
    if (rc == 0) sy_gen_free(g);
    free(g);
    return rc;
}

int didq_synth_defect_codes(const didq_synth_opts *o, const char **codes, int cap)
{
    char err[160];
    sy_gen *g = didq_xmalloc(sizeof *g);
    int n = 0;
    if (setup(g, o, err, sizeof err) == 0) {
        for (n = 0; n < g->ndefects && n < cap; n++)
            codes[n] = sy_defect_code(g, n);
        n = g->ndefects;
        sy_gen_free(g);
    }
    free(g);
    return n;
}

int didq_synth_write(FILE *out, const didq_synth_opts *o)
{
    char err[160];
    sy_gen *g = didq_xmalloc(sizeof *g);
    if (setup(g, o, err, sizeof err) < 0) {
        free(g);
        return -1;
    }
    g->sink.fp = out;
    sy_gen_run(g);
    int rc = g->sink.err || ferror(out) ? -1 : 0;
    free(g->sink.buf);
    sy_gen_free(g);
    free(g);
    return rc;
}

char *didq_synth_mem(const didq_synth_opts *o, size_t *len)
{
    char err[160];
    sy_gen *g = didq_xmalloc(sizeof *g);
    *len = 0;
    if (setup(g, o, err, sizeof err) < 0) {
        free(g);
        return NULL;
    }
    sy_gen_run(g);
    *len = g->sink.n;
    sy_sink_reserve(&g->sink, 1);
    char *buf = g->sink.buf;
    buf[*len] = '\0';
    sy_gen_free(g);
    free(g);
    return buf;
}
