/* test_notes.c: the notes file (notes.c): notes added are written (0600,
 * the file's old bytes kept) and read back the same; keys compare as the
 * findings CSV writes them; a later row replaces an earlier one; the
 * finding's own note wins over the record's. */
#include "didq/notes.h"
#include "testlib.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/didq-test-notes-XXXXXX";

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void round_trip(void)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/notes.csv", dir);
    didq_notes *n = NULL;
    CHECK(didq_notes_load(path, true, &n, err, sizeof err) == 0, "a missing file is empty: %s",
          err);
    CHECK(n && didq_notes_count(n) == 0, "no notes yet");
    CHECK(didq_notes_add(n, " RR864 ", "ACC1", "DIDS012", DIDQ_NOTE_EXPLAINED,
                         "coded locally, \"agreed\"", err, sizeof err) == 0,
          "add: %s", err);
    CHECK(didq_notes_add(n, "RR864", "=ACC2", "", DIDQ_NOTE_TODO, "ask PACS", err, sizeof err) == 0,
          "add: %s", err);
    CHECK(didq_notes_add(n, "RR864", "", "volume-drop", DIDQ_NOTE_EXPLAINED, "", err, sizeof err) ==
              0,
          "add: %s", err);
    CHECK(didq_notes_add(n, "RR864", "", "", DIDQ_NOTE_TODO, "x", err, sizeof err) != 0,
          "a note needs an accession number or a code");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the notes file is 0600");
    const char *text = slurp(path);
    CHECK(text && strncmp(text, "site,accession,code,status,note\n", 32) == 0, "header first: %s",
          text ? text : "(none)");
    didq_notes_free(n);

    CHECK(didq_notes_load(path, false, &n, err, sizeof err) == 0, "read back: %s", err);
    CHECK(didq_notes_count(n) == 3, "3 notes read back, not %zu", didq_notes_count(n));
    const didq_note *x = didq_notes_find(n, "RR864", "ACC1", "DIDS012");
    CHECK(x && x->status == DIDQ_NOTE_EXPLAINED && !strcmp(x->text, "coded locally, \"agreed\""),
          "the finding's note, its comma and quotes kept");
    x = didq_notes_find(n, "RR864", "=ACC2", NULL);
    CHECK(x && x->status == DIDQ_NOTE_TODO, "a formula-like accession number read back as itself");
    x = didq_notes_find(n, "RR864", "", "volume-drop");
    CHECK(x && x->status == DIDQ_NOTE_EXPLAINED, "the anomaly's note");
    CHECK(didq_notes_for_finding(n, "RR864", "=ACC2", "DIDS014") != NULL,
          "the record's note applies to its findings");
    CHECK(didq_notes_for_finding(n, "RR864", "ACC1", "DIDS014") == NULL,
          "a finding's note applies to that finding only");

    /* A later row replaces the earlier one; old bytes (a comment-like row,
     * no final newline) are kept. */
    CHECK(didq_notes_add(n, "RR864", "ACC1", "DIDS012", DIDQ_NOTE_FIXED, "resubmitted", err,
                         sizeof err) == 0,
          "add: %s", err);
    didq_notes_free(n);
    CHECK(didq_notes_load(path, false, &n, err, sizeof err) == 0, "read again: %s", err);
    x = didq_notes_find(n, "RR864", "ACC1", "DIDS012");
    CHECK(didq_notes_count(n) == 3 && x && x->status == DIDQ_NOTE_FIXED,
          "the later row wins (%zu notes)", didq_notes_count(n));
    didq_notes_free(n);
    text = slurp(path);
    CHECK(text && strstr(text, "explained,\"coded locally, \"\"agreed\"\"\"\n") &&
              strstr(text, "fixed,resubmitted\n"),
          "both rows are in the file: %s", text ? text : "");

    FILE *f = fopen(path, "w");
    fputs("site,accession,code,status,note\nRR864,ACC9,,todo,no newline", f);
    fclose(f);
    CHECK(didq_notes_load(path, false, &n, err, sizeof err) == 0, "read: %s", err);
    CHECK(didq_notes_add(n, "RR864", "ACC8", "", DIDQ_NOTE_TODO, "", err, sizeof err) == 0, "add");
    didq_notes_free(n);
    text = slurp(path);
    CHECK(text && !strcmp(text, "site,accession,code,status,note\nRR864,ACC9,,todo,no newline\n"
                                "RR864,ACC8,,todo,\n"),
          "the old bytes kept, a line end added: %s", text ? text : "");
    unlink(path);
}

/* A file's later row for a key wins over an earlier one, however many
 * rows the file has (50 000 here: read in one sort, not row by row). */
static void later_wins(void)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/many.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("site,accession,code,status,note\nRR864,A1,,todo,first\n", f);
    for (int i = 0; i < 50000; i++)
        fprintf(f, "RR864,ACC%06d,DIDS012,explained,n%d\n", (i * 7919) % 50000, i);
    fputs("RR864,A1,,fixed,second\n", f);
    fclose(f);
    didq_notes *n = NULL;
    CHECK(didq_notes_load(path, false, &n, err, sizeof err) == 0, "read: %s", err);
    const didq_note *x = n ? didq_notes_find(n, "RR864", "A1", "") : NULL;
    CHECK(x && x->status == DIDQ_NOTE_FIXED && !strcmp(x->text, "second") && x->line == 50003,
          "the later row wins");
    CHECK(n && didq_notes_count(n) == 50001, "50001 keys, not %zu", didq_notes_count(n));
    x = n ? didq_notes_find(n, "RR864", "ACC000007", "DIDS012") : NULL;
    CHECK(x && x->status == DIDQ_NOTE_EXPLAINED, "a note among many");
    didq_notes_free(n);
    unlink(path);
}

static void bad(const char *content, const char *want)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/bad.csv", dir);
    FILE *f = fopen(path, "w");
    fputs(content, f);
    fclose(f);
    didq_notes *n = NULL;
    int rc = didq_notes_load(path, false, &n, err, sizeof err);
    CHECK(rc == -1 && !n && strstr(err, want), "'%s': want '%s', got %d '%s'", content, want, rc,
          err);
    didq_notes_free(n);
    unlink(path);
}

static void malformed(void)
{
    bad("", "bad.csv:1: no header line");
    bad("site,accession,code,status\n", ":1: the header must name the columns");
    bad("site,accession,code,status,note\nRR864,A1,,maybe,x\n", ":2: status is explained");
    bad("site,accession,code,status,note\n\nRR864,A1,,todo,a,b\n", ":3: 6 fields");
    bad("site,accession,code,status,note\n,A1,,todo,x\n", ":2: no site code");
    bad("site,accession,code,status,note\nRR864,,,todo,x\n", ":2: neither an accession");
    bad("site,accession,code,status,note\nRR864,,DIDS012,todo,x\n", "not an anomaly kind");
    bad("site,accession,code,status,note\nRR864,A1,,todo,\"open\n", "quote");
    char err[512];
    didq_notes *n = NULL;
    CHECK(didq_notes_load("/nonexistent/notes.csv", false, &n, err, sizeof err) == -2,
          "a missing file without missing_ok");
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    round_trip();
    later_wins();
    malformed();
    rmdir(dir);
    return test_done();
}
