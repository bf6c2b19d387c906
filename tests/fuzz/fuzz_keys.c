/* fuzz_keys.c: the explorer's key-script reader, headless (newterm on
 * /dev/null: an in-memory screen), over a small synthetic month with
 * defects and duplicates: every key the script names goes through the
 * panes, drill-downs, prompts, searches, :resize and :save-screen.
 *
 * The script may ask to write files (:save-screen PATH, `e` exports to a
 * typed path).  The link wraps fopen and didq_afile_open (-Wl,--wrap) so
 * that every write lands in this process's temporary folder, whatever the
 * path says. */
#include "didq/afile.h"
#include "didq/date.h"
#include "didq/synth.h"
#include "fuzz.h"
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], script[96], screen[96], export[96];
static char *month;
static size_t month_len;

FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
didq_afile *__real_didq_afile_open(const char *path, bool overwrite, char *err, size_t errlen);
didq_afile *__wrap_didq_afile_open(const char *path, bool overwrite, char *err, size_t errlen);

FILE *__wrap_fopen(const char *path, const char *mode)
{
    if (mode[0] != 'r' && strcmp(path, "/dev/null") != 0) path = screen;
    return __real_fopen(path, mode);
}

didq_afile *__wrap_didq_afile_open(const char *path, bool overwrite, char *err, size_t errlen)
{
    (void)path;
    (void)overwrite;
    return __real_didq_afile_open(export, true, err, errlen);
}

static void cleanup(void)
{
    unlink(script);
    unlink(screen);
    unlink(export);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s", "/tmp/didq-fuzz-keys-XXXXXX");
    if (!mkdtemp(dir)) abort();
    snprintf(script, sizeof script, "%s/script.keys", dir);
    snprintf(screen, sizeof screen, "%s/screen.txt", dir);
    snprintf(export, sizeof export, "%s/export.csv", dir);
    atexit(cleanup);
    didq_synth_opts so = didq_synth_defaults();
    so.rows = 40;
    so.seed = 6;
    so.year = 2026;
    so.month = 9;
    so.defect_rate = 0.3;
    so.defect_dups = 1;
    month = didq_synth_mem(&so, &month_len);
    setenv("TERM", "xterm-256color", 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = __real_fopen(script, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
    tui_opts o = {.mem_name = "fuzz-month.csv",
                  .mem_buf = month,
                  .mem_len = month_len,
                  .submitted = didq_date_from_ymd(2026, 10, 20),
                  .mask = size > 0 && (data[0] & 1),
                  .color = TUI_COLOR_ALWAYS,
                  .no_mouse = true,
                  .script = script,
                  .cols = 100,
                  .rows = 30};
    tui_run(&o);
    return 0;
}
