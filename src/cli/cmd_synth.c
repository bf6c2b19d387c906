/* cmd_synth.c: `didq synth` (filled by the synthetic-data work). */
#include "cli.h"
#include "didq/util.h"

#include <stdio.h>

int cmd_synth(int argc, char **argv)
{
    fputs("didq: synth is not built yet\n", stderr);
    return DIDQ_EXIT_SOFTWARE;
}
