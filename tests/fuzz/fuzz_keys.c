/* fuzz_keys.c: the explorer's key-script reader, headless (newterm on
 * /dev/null: an in-memory screen), over a small synthetic month with
 * defects and duplicates: every key the script names goes through the
 * panes, drill-downs, prompts, searches, :resize and :save-screen.
 *
 * The script may ask to write files (:save-screen PATH, `e` exports to a
 * typed path), and every write must land in this process's temporary
 * folder, whatever the path says: each ":save-screen " of the input gets
 * that folder's screen.txt as its path (the reader takes a command from the
 * start of a line, or of a 1023-byte piece of one, so only those bytes can
 * make one), and the link wraps didq_afile_open (-Wl,--wrap).  fopen itself
 * is not wrapped: libFuzzer writes its corpus and crash files with it. */
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

didq_afile *__real_didq_afile_open(const char *path, bool overwrite, char *err, size_t errlen);
didq_afile *__wrap_didq_afile_open(const char *path, bool overwrite, char *err, size_t errlen);

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

/* Writes the script with every ":save-screen " path replaced by screen. */
static void write_script(const uint8_t *data, size_t size)
{
    static const char cmd[] = ":save-screen ";
    const size_t n = sizeof cmd - 1;
    FILE *f = fopen(script, "wb");
    if (!f) abort();
    size_t i = 0;
    while (i < size) {
        if (size - i >= n && memcmp(data + i, cmd, n) == 0) {
            fputs(cmd, f);
            fputs(screen, f);
            for (i += n; i < size && data[i] != '\n' && data[i] != '\r' && data[i] != 0; i++)
                ;
        } else {
            fputc(data[i++], f);
        }
    }
    if (fclose(f) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_script(data, size);
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
