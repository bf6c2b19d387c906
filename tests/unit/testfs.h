/* testfs.h: fake /proc and /sys trees for the tests of the code that reads
 * them (cpus.c, memavail.c, hugepage.c): a file written under a root
 * folder with the folders on the way made, and the tree removed.  After
 * testlib.h (CHECK). */
#ifndef DIDQ_TESTFS_H
#define DIDQ_TESTFS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Writes text to root followed by path (which starts with '/'). */
static inline void testfs_put(const char *root, const char *path, const char *text)
{
    char name[512];
    snprintf(name, sizeof name, "%s%s", root, path);
    for (char *p = name + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(name, 0700);
            *p = '/';
        }
    FILE *f = fopen(name, "w");
    CHECK(f != NULL, "cannot write %s", name);
    if (f) fputs(text, f), fclose(f);
}

static inline void testfs_clean(const char *root)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0, "%s", cmd);
}

#endif
