/* fuzz.h: the libFuzzer entry points every target defines.  The same
 * files link with libFuzzer (fuzz preset) or with replay.c (any build). */
#ifndef DIDQ_FUZZ_H
#define DIDQ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
