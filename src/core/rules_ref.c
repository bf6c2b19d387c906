/* rules_ref.c: check primitives that need national reference data
 * (DIDS016 018 024 057 059 068 077-082).  Filled by the reference-data work
 * (issue 7); a rule whose primitive is absent here is never evaluated,
 * because its reference data cannot be loaded yet: it is "not checked". */
#include "didq/rules.h"

const didq_prim didq_prims_ref[] = {
    {NULL, NULL, NULL},
};
