/* anomaly_modality.c: the modality of a record: the SNOMED CT look-up
 * when reference data provides one, else the NICIP code's first letter
 * (seed 003 3.2.5; dids-spec.md 6.3). */
#include "anomaly_int.h"

#include <ctype.h>

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

const char *didq_modality_label(int m)
{
    return m >= 0 && m < DIDQ_MOD_N ? modalities[m].label : "All modalities";
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

int an_modality(const didq_analysis *a, const char *nicip, size_t nn, const char *snomed, size_t sn)
{
    if (a->o.snomed_modality && sn) {
        int m = a->o.snomed_modality(a->o.snomed_ctx, snomed, sn);
        if (m > DIDQ_MOD_UNKNOWN && m < DIDQ_MOD_N) return m;
    }
    return didq_modality_of_nicip(nicip, nn);
}
