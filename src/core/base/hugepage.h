/* hugepage.h: whether big blocks are advised to be backed by huge pages
 * (util.c, "advise_huge").
 *
 * A fresh page costs its zeroing, and on a virtual machine the host's
 * work behind it too.  Where the guest's balloon device reports free
 * memory to the host (virtio-balloon's free page reporting, feature bit
 * 5), the host takes back every free 2 MiB block the guest reports: a
 * huge page made of one is filled again by the host the first time it is
 * touched, at 0.33 to 0.5 GB/s on the benchmark's host, where a fresh
 * 4 KiB page costs the equivalent of 2.7 GB/s and a huge page reused
 * within the process 20 GB/s.  There the advice is left out, except for
 * the blocks written at random places (didq_advise_random), which gain
 * more from fewer TLB misses than the faults cost them.  Elsewhere (no
 * balloon, or one without reporting) huge pages save faults: on the host
 * of 2026-12-06 a fifth of check's time.  docs/performance.md, "Huge pages
 * only where the host keeps them". */
#ifndef DIDQ_HUGEPAGE_H
#define DIDQ_HUGEPAGE_H

#include <stdbool.h>

/* Whether to advise huge pages: DIDQ_HUGE_PAGES=1 or 0 says so; else
 * true unless a virtio balloon device reports free pages.  Found once. */
bool didq_huge_pages(void);

/* The same from root's sysfs ("" for the real one; tests give a folder
 * laid out the same way), without the variable and not kept. */
bool didq_huge_pages_in(const char *root);

#endif
