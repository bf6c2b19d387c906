# didq rules CODE: one rule explained (condition, check, fields, a failing
# and a passing example from refdata/v1/rule_examples.csv, the decision
# notes); codes in any case, several at once; a file-level code and the
# cross-record rule say why they have no value example; an unknown code is
# a usage error (exit 64) with nothing on stdout.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

out=$("$DIDQ" rules DIDS012 2>&1)
for want in 'DIDS012  error' 'condition: Ethnic category is not one of' 'check:     not_in_list ethnic' \
    'fields:    ETHNIC_CATEGORY' 'fails:     ETHNIC_CATEGORY=I' 'passes:    ETHNIC_CATEGORY=A' \
    'needs:     the record alone'; do
    if printf '%s\n' "$out" | grep -qF -- "$want"; then ok; else bad "DIDS012 lacks '$want'"; fi
done
expect lower-case 0 'DIDS012  error' -- "$DIDQ" rules dids012
# Every field the rule reads, a blank shown as (blank), a value with a space quoted.
expect two-fields 0 'fails:     PERSON_BIRTH_DATE=2018-07-04, DIAGNOSTIC_TEST_DATE=2018-07-03' \
    -- "$DIDQ" rules DIDS006
expect blank 0 'fails:     PATIENT_SOURCE_SETTING=(blank)' -- "$DIDQ" rules DIDS020
expect quoted 0 'passes:    POSTCODE="WN5 8QX"' -- "$DIDQ" rules DIDS017
expect submitted 0 '(submission date 2018-08-01)' -- "$DIDQ" rules DIDS051
expect refdata 0 'synthetic test files' -- "$DIDQ" rules DIDS016
expect decision 0 'decision:  Invalid: a failed modulus 11 check' -- "$DIDQ" rules DIDS001
expect cross 0 'examples:  none: a rule across records' -- "$DIDQ" rules DIDS071
expect file-level 0 'DIDS075  reject (a file-level finding)' -- "$DIDQ" rules DIDS075
expect file-level-example 0 'examples:  none: about the file' -- "$DIDQ" rules DIDS075
n=$("$DIDQ" rules DIDS001 DIDQ002 | grep -c '^condition:')
if [ "$n" = 2 ]; then ok; else bad "two codes: $n explanations"; fi
# Every rule of the catalogue can be explained (all at once).
codes=$("$DIDQ" rules | awk '{ print $1 }')
# shellcheck disable=SC2086
n=$("$DIDQ" rules $codes | grep -c '^condition: ')
if [ "$n" = "$(printf '%s\n' "$codes" | wc -l)" ]; then ok; else bad "every rule: $n explained"; fi
expect unknown 64 "didq: no rule 'DIDS999' (didq rules lists the codes)" -- "$DIDQ" rules DIDS999
if [ -z "$("$DIDQ" rules DIDS001 DIDS999 2> /dev/null)" ]; then ok; else bad "unknown: stdout"; fi
# A rule with a safe fix says it (refdata/v1/fixes.csv, what didq fix applies); one without does not.
expect fix-line 0 "fix:       A postcode of 5 to 7 letters" -- "$DIDQ" rules DIDS017
if "$DIDQ" rules DIDS001 | grep -q '^fix:'; then bad "DIDS001 has no fix"; else ok; fi
expect markdown-code 64 '--markdown lists every rule' -- "$DIDQ" rules --markdown DIDS001
finish
