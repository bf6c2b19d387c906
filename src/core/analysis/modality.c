/* modality.c: the modality of a record: the SNOMED CT look-up
 * when reference data provides one, else the NICIP code's first letter
 * (seed 003 3.2.5; dids-spec.md 6.3). */
#include "anomaly_int.h"

#include "didq/date.h"
#include "didq/refdata.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct {
    char letter;
    const char *name, *label;
} modalities[DIDQ_MOD_N] = {
    [DIDQ_MOD_UNKNOWN] = {0, "unknown", "Unknown"},
    [DIDQ_MOD_CT] = {'C', "CT", "Computed tomography"},
    [DIDQ_MOD_MRI] = {'M', "MRI", "Magnetic resonance imaging"},
    [DIDQ_MOD_US] = {'U', "US", "Ultrasound"},
    [DIDQ_MOD_XR] = {'X', "XR", "Plain radiography"},
    [DIDQ_MOD_FLUORO] = {'F', "Fluoro", "Fluoroscopy"},
    [DIDQ_MOD_NM] = {'N', "NM", "Nuclear medicine"},
    [DIDQ_MOD_IR] = {'I', "IR", "Interventional"},
    [DIDQ_MOD_ENDO] = {'E', "Endo", "Endoscopic"},
};

const char *didq_modality_name(int m)
{
    return m >= 0 && m < DIDQ_MOD_N ? modalities[m].name : "all";
}

didq_modality didq_modality_of_nicip(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i == n) return DIDQ_MOD_UNKNOWN;
    int c = toupper((unsigned char)s[i]);
    for (int m = 1; m < DIDQ_MOD_N; m++)
        if (modalities[m].letter == c) return (didq_modality)m;
    return DIDQ_MOD_UNKNOWN;
}

/* Words of the exam lookup's MODALITY text, or MODALITY_ID concepts, and
 * the modality each names; the first match wins (so "positron emission
 * tomography" is nuclear medicine, not CT). */
static const struct {
    const char *word;
    didq_modality m;
} label_words[] = {
    {"nuclear", DIDQ_MOD_NM},        {"emission", DIDQ_MOD_NM},   {"interventional", DIDQ_MOD_IR},
    {"fluoroscop", DIDQ_MOD_FLUORO}, {"tomograph", DIDQ_MOD_CT},  {"magnetic", DIDQ_MOD_MRI},
    {"ultrason", DIDQ_MOD_US},       {"radiograph", DIDQ_MOD_XR}, {"x-ray", DIDQ_MOD_XR},
    {"endoscop", DIDQ_MOD_ENDO},     {"77477000", DIDQ_MOD_CT},   {"113091000", DIDQ_MOD_MRI},
    {"16310003", DIDQ_MOD_US},       {"168537006", DIDQ_MOD_XR},  {"44491008", DIDQ_MOD_FLUORO},
    {"371572003", DIDQ_MOD_NM},
};

static didq_modality by_name(const char *low)
{
    for (int m = 1; m < DIDQ_MOD_N; m++) {
        char name[16];
        size_t i = 0;
        for (; i < sizeof name - 1 && modalities[m].name[i]; i++)
            name[i] = (char)tolower((unsigned char)modalities[m].name[i]);
        name[i] = 0;
        if (strcmp(low, name) == 0) return (didq_modality)m;
    }
    return DIDQ_MOD_UNKNOWN;
}

didq_modality didq_modality_of_label(const char *s)
{
    char low[96];
    size_t n = 0;
    for (; s && s[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)s[n]);
    low[n] = 0;
    didq_modality m = by_name(low);
    for (size_t i = 0; !m && i < sizeof label_words / sizeof *label_words; i++)
        if (strstr(low, label_words[i].word)) m = label_words[i].m;
    return m;
}

/* The label of the last look-up and its modality, per thread: a lookup
 * names a handful of modalities, so most records repeat the last one. */
static _Thread_local struct {
    char label[96];
    didq_modality m;
} last;

static didq_modality label_cached(const char *label)
{
    if (strlen(label) >= sizeof last.label) return didq_modality_of_label(label);
    if (strcmp(label, last.label) != 0 || !last.label[0]) {
        snprintf(last.label, sizeof last.label, "%s", label);
        last.m = didq_modality_of_label(label);
    }
    return last.m;
}

didq_modality didq_modality_of(const didq_refdata *rd, const char *nicip, size_t nn,
                               const char *snomed, size_t sn)
{
    if (rd && sn) {
        const char *label = didq_refdata_modality(rd, snomed, sn, DIDQ_NODATE);
        didq_modality m = label ? label_cached(label) : DIDQ_MOD_UNKNOWN;
        if (m != DIDQ_MOD_UNKNOWN) return m;
    }
    return didq_modality_of_nicip(nicip, nn);
}

static void modality_sql(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *nicip = (const char *)sqlite3_value_text(v[0]);
    const char *snomed = (const char *)sqlite3_value_text(v[1]);
    size_t nn = nicip ? (size_t)sqlite3_value_bytes(v[0]) : 0;
    size_t sn = snomed ? (size_t)sqlite3_value_bytes(v[1]) : 0;
    sqlite3_result_int(c, didq_modality_of(sqlite3_user_data(c), nicip, nn, snomed, sn));
}

int didq_modality_register(sqlite3 *db, const didq_refdata *rd)
{
    return sqlite3_create_function(db, "didq_modality", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   (void *)rd, modality_sql, NULL, NULL);
}

int an_modality(const didq_analysis *a, const char *nicip, size_t nn, const char *snomed, size_t sn)
{
    return didq_modality_of(a->o.refdata, nicip, nn, snomed, sn);
}
