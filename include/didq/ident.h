/* ident.h: checks of identifier formats (NHS number, postcode, referrer,
 * site code, SNOMED CT concept id, NICIP short code).  Pure functions on
 * cleansed values (already trimmed). */
#ifndef DIDQ_IDENT_H
#define DIDQ_IDENT_H

#include "didq/dataset.h"

#include <stdbool.h>
#include <stddef.h>

/* Why an NHS number is invalid. */
enum didq_nhs {
    DIDQ_NHS_OK = 0,
    DIDQ_NHS_LENGTH,  /* not 10 characters */
    DIDQ_NHS_DIGITS,  /* not all digits */
    DIDQ_NHS_CHECK,   /* modulus 11 check digit wrong (or 10) */
    DIDQ_NHS_RESERVED /* a reserved value: N00000000N, repeated digit, 0123456789 */
};

/* Removes whitespace and hyphens (NHS England's cleansing of NHS NUMBER).
 * Writes at most cap-1 bytes and a NUL into out; returns the length. */
size_t didq_nhs_compact(const char *s, size_t n, char *out, size_t cap);

/* Checks a compacted NHS number. */
enum didq_nhs didq_nhs_check(const char *s, size_t n);

/* Postcode format of DIDS017: 1-2 letters, a digit, an optional letter or
 * digit, one or more whitespace characters, a digit, two letters. */
bool didq_postcode_format_ok(const char *s, size_t n);

/* True when the value starts with ZZ99 (any case): a pseudo-postcode. */
bool didq_postcode_is_pseudo(const char *s, size_t n);

/* Site code format of DIDS069: only letters and digits, length lo..hi. */
bool didq_alnum_len_ok(const char *s, size_t n, size_t lo, size_t hi);

/* Referrer code: the type label of the first matching pattern in
 * refdata/v1/referrers.csv (case-insensitive, whole value), or NULL. */
const char *didq_referrer_type(const char *s, size_t n);

/* Matches one referrer pattern (see docs/refdata.md for the notation). */
bool didq_referrer_match(const char *pattern, const char *s, size_t n);

/* SNOMED CT concept id form: digits, 6-18 long, no leading zero, partition
 * 00 or 10, valid Verhoeff check digit. */
bool didq_sctid_ok(const char *s, size_t n);
bool didq_verhoeff_ok(const char *s, size_t n);

/* NICIP short code form: 3 to 6 letters or digits, starting with a letter. */
bool didq_nicip_form_ok(const char *s, size_t n);

/* GP-referred, the one definition of gp-direct-access-as-outpatient and
 * the Source settings pane: the referrer code is G followed by a digit (a
 * GP's GMP code), or the referring organisation has the ODS form of a GP
 * practice (a letter and five digits; the X9999x and V8199x defaults
 * excluded).  Values are taken trimmed of spaces; NULL counts as blank. */
bool didq_gp_referred(const char *ref, size_t nref, const char *org, size_t norg);
/* The same as an SQL condition over the records table (the referrer's and
 * the referring organisation's raw value columns). */
#define DIDQ_GP_REF_COL DIDQ_COL_F(DIDQ_REFERRER)
#define DIDQ_GP_ORG_COL DIDQ_COL_F(DIDQ_REFERRING_ORG)
#define DIDQ_GP_REFERRED_SQL                                                                       \
    "(upper(trim(" DIDQ_GP_REF_COL ")) GLOB 'G[0-9]*' OR (length(trim(" DIDQ_GP_ORG_COL ")) = 6"   \
    " AND trim(" DIDQ_GP_ORG_COL                                                                   \
    ") GLOB '[A-Za-z][0-9][0-9][0-9][0-9][0-9]' AND substr(trim(" DIDQ_GP_ORG_COL                  \
    "), 1, 5) NOT IN ('X9999', 'V8199')))"

#endif
