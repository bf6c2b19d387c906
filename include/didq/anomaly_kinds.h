/* anomaly_kinds.h: the anomaly kinds, the one list of them.  Everything
 * else that is per kind comes from this list (an X-macro): the enum, the
 * kind names (anomaly.c), the kinds `didq synth --inject` plants
 * (synth_inject.c) and the kind list of `didq help synth` (cli_common.c).
 * The order is the order of the output: anomalies of one severity and site
 * sort by kind, and docs/anomalies.md's table follows it.
 *
 * Adding a kind: a line here, a row of refdata/anomalies.csv (thresholds,
 * unit, description) at the same place, the analysis that finds it (an
 * anomaly_*.c), its injection in synth_inject.c, its paragraphs in
 * docs/anomalies.md and docs/synth.md, its case in tests/unit/test_anomaly.c.
 * didq stops with an internal error until the table follows the list;
 * tests/cli/anomaly_kinds.sh fails until the docs do, tests/unit/test_synth.c
 * until synth plants the kind, test_anomaly.c until it has the kind's case. */
#ifndef DIDQ_ANOMALY_KINDS_H
#define DIDQ_ANOMALY_KINDS_H

/* X(ID, name): the enum constant is DIDQ_AK_##ID. */
#define DIDQ_ANOMALY_KINDS(X)                                                                      \
    X(SETTING_OTHER, "setting-other-default")                                                      \
    X(GP_AS_OUTPATIENT, "gp-direct-access-as-outpatient")                                          \
    X(SETTING_DEFAULT, "setting-default-suspected")                                                \
    X(RTT_MISSING, "referral-to-test-missing")                                                     \
    X(RTT_ZERO, "referral-to-test-zero")                                                           \
    X(REPORT_MISSING, "report-turnaround-missing")                                                 \
    X(REPORT_ZERO, "report-turnaround-zero")                                                       \
    X(ACTIVITY_GAP, "activity-gap")                                                                \
    X(VOLUME_DROP, "volume-drop")                                                                  \
    X(FIELD_MISSING, "field-missing-share")                                                        \
    X(DUPLICATE, "duplicate-suspected")                                                            \
    X(ACCESSION_REUSED, "accession-reused")                                                        \
    X(IDENTITY_CONFLICT, "identity-conflict")                                                      \
    X(RESTRICTED, "restricted-code-identifiers")

#define DIDQ_AK_ENUM_(id, name) DIDQ_AK_##id,
typedef enum didq_anomaly_kind { DIDQ_ANOMALY_KINDS(DIDQ_AK_ENUM_) DIDQ_AK_N } didq_anomaly_kind;
#undef DIDQ_AK_ENUM_

/* The names in the order of the list, as an initializer:
 * static const char *const names[] = {DIDQ_ANOMALY_KIND_NAMES}; */
#define DIDQ_AK_NAME_(id, name) name,
#define DIDQ_ANOMALY_KIND_NAMES DIDQ_ANOMALY_KINDS(DIDQ_AK_NAME_)

#endif
