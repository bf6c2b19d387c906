/* report_scope.c: what `check --site` kept, in the text and JSON reports:
 * the site codes, and the files left out because none of their records is
 * of those sites (the meta rows the session writes, session.h). */
#include "didq/report.h"
#include "didq/store.h"
#include "didq/text.h"
#include "didq/util.h"
#include "report_int.h"

#include <string.h>

/* The files left out, in load order, each passed to fn. */
static void left_out(didq_session *s, void (*fn)(void *ctx, size_t k, const char *path), void *ctx)
{
    sqlite3_stmt *q = didq_prepare(
        didq_session_db(s), "SELECT value FROM meta WHERE key LIKE 'site\\_scope\\_left\\_out/%'"
                            " ESCAPE '\\' ORDER BY key");
    for (size_t k = 0; sqlite3_step(q) == SQLITE_ROW; k++) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        fn(ctx, k, t ? (const char *)t : "");
    }
    sqlite3_finalize(q);
}

static void put_safe(FILE *out, const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    if (b.p) fputs(b.p, out);
    didq_buf_free(&b);
}

static void text_file(void *ctx, size_t k, const char *path)
{
    FILE *out = ctx;
    fputs(k ? ", " : "\n  files left out, holding none of their records: ", out);
    put_safe(out, path);
}

void didq_report_scope_text(didq_session *s, FILE *out)
{
    char sites[4096];
    if (!*didq_report_meta(s, "site_scope", sites, sizeof sites)) return;
    fputs("sites: ", out);
    put_safe(out, sites);
    fputs(" only (check --site: the records of other sites are left out)", out);
    left_out(s, text_file, out);
    fputc('\n', out);
}

static void json_file(void *ctx, size_t k, const char *path)
{
    FILE *out = ctx;
    fputs(k ? ", " : "", out);
    didq_text_json(out, path);
}

void didq_report_scope_json(didq_session *s, FILE *out)
{
    char sites[4096];
    if (!*didq_report_meta(s, "site_scope", sites, sizeof sites)) return;
    fputs("  \"site_scope\": {\"sites\": [", out);
    size_t k = 0;
    for (char *p = sites, *c; p; p = c ? c + 1 : NULL, k++) {
        c = strchr(p, ',');
        if (c) *c = 0;
        fputs(k ? ", " : "", out);
        didq_text_json(out, p);
    }
    fputs("], \"files_left_out\": [", out);
    left_out(s, json_file, out);
    fputs("]},\n", out);
}

static void join_file(void *ctx, size_t k, const char *path)
{
    didq_buf *b = ctx;
    didq_buf_printf(b, "%s%s", k ? ", " : "", path);
}

char *didq_report_scope_files(didq_session *s)
{
    didq_buf b = {0};
    left_out(s, join_file, &b);
    return b.p;
}
