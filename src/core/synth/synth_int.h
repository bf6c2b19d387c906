/* synth_int.h: shared internals of the synthetic month generator
 * (synth.c options and driver, synth_gen.c records, synth_defect.c rule
 * defects, synth_inject.c anomaly injections, synth_out.c writers).
 * Private to src/core. */
#ifndef DIDQ_SYNTH_INT_H
#define DIDQ_SYNTH_INT_H

#include "didq/anomaly_kinds.h"
#include "didq/dataset.h"
#include "didq/synth.h"
#include "didq/util.h"

#include <stdbool.h>
#include <stdint.h>

#define SY_FLEN 40 /* longest field text + NUL */
#define SY_MAXSITES 16
#define SY_MAXLIST 16
#define SY_DCACHE 1024 /* days of formatted dates kept */ /* outward codes / practices per site */

/* A small, fast, seedable generator (splitmix64). */
typedef struct sy_rng {
    uint64_t s;
} sy_rng;

static inline uint64_t sy_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t sy_next(sy_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return sy_mix(r->s);
}

/* Uniform in 0..n-1 (n > 0). */
static inline uint32_t sy_below(sy_rng *r, uint32_t n)
{
    return (uint32_t)(((sy_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability p. */
static inline bool sy_chance(sy_rng *r, double p)
{
    return (double)(sy_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

/* A generator seeded from the options' seed and a stream id. */
static inline sy_rng sy_stream(uint64_t seed, uint64_t a, uint64_t b)
{
    sy_rng r = {sy_mix(seed * 0x9e3779b97f4a7c15ULL + a) ^ sy_mix(b + 0x632be59bd9b4e019ULL)};
    return r;
}

/* One flat record: field texts, and the dates as day numbers
 * (DIDQ_NODATE when blank) for the date items. */
typedef struct sy_rec {
    char f[DIDQ_V1_ITEMS][SY_FLEN];
    int32_t birth, req, recv, test, report;
    int site;    /* index into the site table, -1 for none */
    int nfields; /* 18, or 17 for the DIDS075 defect */
} sy_rec;

struct sy_gen;
void sy_set(sy_rec *r, int field, const char *s);
void sy_setdate(const struct sy_gen *g, sy_rec *r, int field, int32_t day);
/* Writes the five date fields from the day numbers. */
void sy_render_dates(const struct sy_gen *g, sy_rec *r);

typedef struct sy_site {
    char code[8], trust[8], acc[4];
    uint32_t weight;
    int nout, nprac;
    char outward[SY_MAXLIST][6];
    char practice[SY_MAXLIST][8];
    uint32_t kinds; /* bit per didq_anomaly_kind injected here */
} sy_site;

typedef struct sy_code {
    char nicip[8], snomed[16];
    uint32_t weight;
} sy_code;

/* The output sink: a large buffer flushed to a FILE or kept in memory. */
typedef struct sy_sink {
    char *buf;
    size_t n, cap;
    FILE *fp; /* NULL: grow in memory */
    int err;
} sy_sink;

void sy_sink_flush(sy_sink *s);
void sy_sink_reserve(sy_sink *s, size_t need);

/* Ring of recent first visits, for patients seen twice. */
#define SY_RING 1024
typedef struct sy_visit_ref {
    uint32_t patient;
    int site;
} sy_visit_ref;

typedef struct sy_gen {
    didq_synth_opts o;
    int nsites, ncodes, nrestricted;
    sy_site site[SY_MAXSITES];
    sy_code *code, *restricted;
    uint32_t code_total, trust_site_total[SY_MAXSITES];
    int32_t first, last, submitted; /* month's days; first day of next month */
    int ndays;
    uint64_t site_visits[SY_MAXSITES], site_acc[SY_MAXSITES];
    uint64_t acc_offset;
    uint32_t next_patient, patients_max, conflicts;
    sy_visit_ref ring[SY_RING];
    uint32_t ring_n;
    uint64_t base_rows, defect_no;
    int ndefects, defect[64]; /* indexes into synth_defect.c's table */
    sy_sink sink;
    /* test days open at each site: weekdays, weekend days */
    int32_t wd[SY_MAXSITES][31], we[SY_MAXSITES][31];
    int nwd[SY_MAXSITES], nwe[SY_MAXSITES];
    /* CCYY-MM-DD texts of the days around the month */
    int32_t dbase;
    char dtext[SY_DCACHE][11];
    /* XML grouping: the open DIDSRecord's first 12 fields */
    bool xml_open;
    char xml_head[12][SY_FLEN];
} sy_gen;

/* synth_gen.c */
int sy_gen_init(sy_gen *g, char *err, size_t errlen);
void sy_gen_free(sy_gen *g);
void sy_gen_prepare(sy_gen *g);
void sy_gen_run(sy_gen *g);
void sy_accession(sy_gen *g, int site, uint64_t n, char *out);
int sy_pick_code(const sy_gen *g, sy_rng *r);
void sy_nhs_number(const sy_gen *g, uint32_t q, char *out);
bool sy_is_weekend(int32_t day);

/* synth_inject.c */
int sy_inject_parse(sy_gen *g, const char *spec, char *err, size_t errlen);
bool sy_has(const sy_gen *g, int site, int kind);
/* Hooks called by the generator at fixed points of each record. */
int sy_inject_setting(const sy_gen *g, int site, int setting, sy_rng *r);
void sy_inject_dates(const sy_gen *g, sy_rec *rec, sy_rng *r);
void sy_inject_fields(const sy_gen *g, sy_rec *rec, sy_rng *r);
/* Extra records planted after rec (duplicates, identity conflicts);
 * returns how many were written into extra (at most 2). */
int sy_inject_extra(sy_gen *g, const sy_rec *rec, sy_rng *r, sy_rec *extra);
bool sy_inject_drop(const sy_gen *g, const sy_rec *rec, sy_rng *r);

/* synth_defect.c: the rule codes a defect can target, and applying one.
 * sy_defect_init builds the list from refdata/v1/rules.csv. */
int sy_defect_init(sy_gen *g, char *err, size_t errlen);
int sy_defect_count(const sy_gen *g);
const char *sy_defect_code(const sy_gen *g, int i);
void sy_defect_apply(sy_gen *g, sy_rec *rec, int i, sy_rng *r);

/* synth_out.c */
void sy_out_begin(sy_gen *g);
void sy_out_record(sy_gen *g, const sy_rec *rec);
void sy_out_end(sy_gen *g);

#endif
