/* test_hugepage.c: whether big blocks are advised to be huge pages
 * (hugepage.h), from fake /sys/bus/virtio trees: no virtio bus at all, or
 * devices that are not balloons (huge pages); a balloon without free page
 * reporting (huge pages); one with it, bit 5 of its features, among other
 * devices (none); a features line too short to hold bit 5 and a device id
 * written in decimal; and DIDQ_HUGE_PAGES forcing either way. */
#include "hugepage.h"
#include "testlib.h"
#include "testfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[64];

static void put(const char *path, const char *text)
{
    testfs_put(root, path, text);
}

static void clean(void)
{
    testfs_clean(root);
}

#define DEV "/sys/bus/virtio/devices/"
/* virtio-balloon's features as sysfs gives them: bit 0 first */
#define WITH_REPORTING "0110010100000000000000000000000010000000"
#define WITHOUT_REPORTING "0110000100000000000000000000000010000000"

int main(void)
{
    snprintf(root, sizeof root, "/tmp/didq-hugepage-%ld", (long)getpid());
    CHECK(didq_huge_pages_in(root), "no virtio bus: huge pages");
    CHECK(mkdir(root, 0700) == 0, "cannot make %s", root);
    put(DEV "virtio0/device", "0x0001\n"); /* a network card */
    put(DEV "virtio0/features", WITH_REPORTING "\n");
    put(DEV "virtio1/device", "0x0002\n"); /* a disk */
    put(DEV "virtio1/features", "1111111111\n");
    CHECK(didq_huge_pages_in(root), "no balloon: huge pages");
    put(DEV "virtio2/device", "0x0005\n");
    put(DEV "virtio2/features", WITHOUT_REPORTING "\n");
    CHECK(didq_huge_pages_in(root), "a balloon without free page reporting: huge pages");
    put(DEV "virtio2/features", "01100\n");
    CHECK(didq_huge_pages_in(root), "features too short to say: huge pages");
    put(DEV "virtio2/features", WITH_REPORTING "\n");
    CHECK(!didq_huge_pages_in(root), "a balloon reporting free pages: none");
    put(DEV "virtio2/device", "5\n");
    CHECK(!didq_huge_pages_in(root), "its id in decimal: none");
    put(DEV "virtio2/device", "0x0015\n");
    CHECK(didq_huge_pages_in(root), "another device with bit 5: huge pages");
    clean();
    /* the variable, which is read once */
    if (fork() == 0) {
        setenv("DIDQ_HUGE_PAGES", "0", 1);
        _exit(didq_huge_pages() ? 1 : 0);
    }
    int st = 0;
    wait(&st);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "DIDQ_HUGE_PAGES=0: none");
    if (fork() == 0) {
        setenv("DIDQ_HUGE_PAGES", "1", 1);
        _exit(didq_huge_pages() ? 0 : 1);
    }
    wait(&st);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "DIDQ_HUGE_PAGES=1: huge pages");
    return test_done();
}
