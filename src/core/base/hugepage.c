/* hugepage.c: huge pages where the host keeps them (hugepage.h). */
#include "hugepage.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VIRTIO_ID_BALLOON = 5, BALLOON_F_REPORTING = 5 };

/* The first line of a sysfs file into buf ("" if none); its length. */
static size_t read_line(const char *path, char *buf, size_t cap)
{
    memset(buf, 0, cap);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    if (!fgets(buf, (int)cap, f)) buf[0] = '\0';
    fclose(f);
    return strlen(buf);
}

/* A virtio device folder: a balloon whose features (one '0' or '1' a
 * bit, bit 0 first) include free page reporting. */
static bool reporting_balloon(const char *dir)
{
    char path[4200], line[256];
    snprintf(path, sizeof path, "%s/device", dir);
    read_line(path, line, sizeof line);
    if (strtol(line, NULL, 0) != VIRTIO_ID_BALLOON) return false;
    snprintf(path, sizeof path, "%s/features", dir);
    return read_line(path, line, sizeof line) > BALLOON_F_REPORTING &&
           line[BALLOON_F_REPORTING] == '1';
}

bool didq_huge_pages_in(const char *root)
{
    char base[4096];
    snprintf(base, sizeof base, "%s/sys/bus/virtio/devices", root);
    DIR *d = opendir(base);
    if (!d) return true;
    bool reports = false;
    for (struct dirent *e; !reports && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        char dir[4096];
        if (snprintf(dir, sizeof dir, "%s/%s", base, e->d_name) >= (int)sizeof dir) continue;
        reports = reporting_balloon(dir);
    }
    closedir(d);
    return !reports;
}

static bool wanted;

static void find(void)
{
    const char *e = getenv("DIDQ_HUGE_PAGES");
    if (e && (strcmp(e, "0") == 0 || strcmp(e, "1") == 0))
        wanted = e[0] == '1';
    else
        wanted = didq_huge_pages_in("");
}

bool didq_huge_pages(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, find);
    return wanted;
}
