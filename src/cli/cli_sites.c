/* cli_sites.c: --site CODE[,CODE...] of check and report: the codes given
 * (a list, or the option repeated), and after the load the codes no file
 * holds a record of (exit 64, as --month naming a file that is not given). */
#include "cli.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* A code trimmed of spaces, as a record's site is cleansed (record.c). */
static char *trimmed(const char *s, size_t n)
{
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    char *c = didq_xmalloc(n + 1);
    memcpy(c, s, n);
    c[n] = 0;
    return c;
}

static bool has(const cli_sites *s, const char *code)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], code) == 0) return true;
    return false;
}

int cli_sites_opt(const char *cmd, const char *arg, cli_sites *s)
{
    for (const char *p = arg;; p++) {
        size_t n = strcspn(p, ",");
        char *code = trimmed(p, n);
        if (!*code) {
            free(code);
            return cli_usage_error(cmd,
                                   "--site wants site codes separated by commas, not '%s'"
                                   " (an empty code)",
                                   arg);
        }
        if (has(s, code))
            free(code);
        else {
            s->v = didq_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
            s->v[s->n++] = code;
        }
        p += n;
        if (!*p) return 0;
    }
}

int cli_sites_check(const char *cmd, const cli_sites *sites, const didq_session *s)
{
    int st = 0;
    for (size_t i = 0; i < sites->n; i++) {
        const char *code;
        if (didq_session_site_records(s, i, &code)) continue;
        char msg[1024];
        snprintf(msg, sizeof msg,
                 "%s --site %s: no record of this site in the files given (a code is compared"
                 " as the Overview groups sites: trimmed of spaces, letters as written; the"
                 " JSON report's \"sites\" lists them)",
                 cmd, code);
        cli_error(msg);
        st = DIDQ_EXIT_USAGE;
    }
    return st;
}

void cli_sites_free(cli_sites *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}
