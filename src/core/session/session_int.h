/* session_int.h: what the session layer's files share (session.c, the
 * driver; session_input.c, opening an input; session_get.c, the
 * accessors): the session itself. */
#ifndef DIDQ_SESSION_INT_H
#define DIDQ_SESSION_INT_H

#include "didq/anomaly.h"
#include "didq/month.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/util.h"
#include "loadmem.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/* HEAD: bytes read to tell the format; MAX_HITS: findings one record can
 * have (more than there are per-record rules). */
enum { HEAD = 4096, MAX_HITS = 128 };

struct didq_session {
    didq_session_opts opts;
    const didq_dataset *ds;
    didq_ruleset *rs;
    didq_store *store; /* NULL for a saved session */
    sqlite3 *saved;    /* a saved session's database */
    didq_ctx ctx;
    uint64_t *rule_counts; /* records each rule fired on */
    /* A parallel load's workers read the fields above for every record
     * while the merge writes the counts below: a cache line's room between
     * them keeps them on lines of their own, wherever the session lies (a
     * line shared cost the workers a miss a record: docs/performance.md,
     * "Lines apart"). */
    char apart[64];
    uint64_t blank[DIDQ_MAX_ITEMS];   /* records with the item blank */
    uint64_t invalid[DIDQ_MAX_ITEMS]; /* records with the item filled and a finding on it
                                         of a rule about its value (not didq_rule_presence) */
    uint64_t records;
    didq_month_hist months; /* test-date months of the file being loaded */
    uint32_t file;          /* file being loaded */
    uint64_t total;         /* its size, 0 if unknown */
    didq_progress_fn progress;
    void *progress_ctx;
    int finished;
    int widest[DIDQ_MAX_ITEMS]; /* a saved session's longest values (meta widths), -1 unknown */
    const char *name;           /* file being loaded, for messages */
    didq_loadmem mem;           /* memory cost of the load so far */
    uint64_t mem_bytes;         /* bytes read at the last memory check */
    struct loaded *loaded;      /* files read, to notice one named twice */
    int nloaded;
    struct mapped *mapped; /* files whose values are read back from them (values_in_file) */
    int nmapped;
    const void *map; /* the mapping of the file being loaded, until the store takes it */
    uint64_t map_n;
    struct stat map_sb;         /* that file's status at the start */
    struct taker *taker;        /* didq_session_take_values, until it has ended */
    char *changed;              /* once taken: why the files are not the ones read, or NULL */
    didq_thresholds thresholds; /* of the analyses, saved with the session */
    didq_analysis *an;          /* the analyses, once run */
    didq_analysis_bg *bg;       /* the analyses running in the background, or NULL */
    void (*beside)(didq_session *s, void *ctx); /* didq_session_beside */
    void *beside_ctx;
    didq_record_fn on_record; /* didq_session_on_record */
    void *on_record_ctx;
    void *kept; /* didq_session_keep */
    void (*kept_free)(void *p);
    char **sites; /* check --site: the codes kept (trimmed), or NULL */
    uint32_t *site_len;
    uint64_t *site_records; /* records kept per code */
    size_t nsites;
    uint64_t file_kept;   /* records kept of the file being loaded */
    bool load_par;        /* ... read by the parallel CSV load (its threads busy) */
    didq_strvec left_out; /* files dropped: none of their records is of the sites */
    int threads;          /* of a CSV load: 1 the pipeline (pipe.h), more csvpar.h */
};

/* A file read: its status at the start of its load (its identity on
 * disk, size and times), its path as given and its store id. */
struct loaded {
    struct stat sb;
    char *path;
    uint32_t file;
};

/* A file mapped for its values: open, and its status at the start. */
struct mapped {
    int fd;
    struct stat sb;
    char *path;
};

/* The files whose values were read back from them no longer watched: their
 * descriptors closed, s->mapped emptied. */
void didq_session_unwatch(didq_session *s);

/* Maps the regular CSV file being loaded (fd, its status sb) when the
 * session reads values back from files: into s->map (session_input.c). */
void didq_session_map_input(didq_session *s, int fd, const struct stat *sb, const char *path);
/* The mapping of the file being loaded given to the store as file's bytes
 * (a copy of fd kept open to check the file later), or unmapped when not a
 * CSV file. */
void didq_session_map_give(didq_session *s, uint32_t file, bool csv, int fd, const char *path);
void didq_session_map_drop(didq_session *s);

/* Opens a path for reading (session_input.c); refuses directories and
 * terminals with a clear message.  *sb is the file's status at the start;
 * -1 with err on failure. */
int didq_session_open_input(const char *path, struct stat *sb, char *err, size_t errlen);
/* Whether a regular file changed size or was rewritten since was (err
 * says how). */
bool didq_session_input_changed(int fd, const struct stat *was, const char *path, char *err,
                                size_t errlen);

/* The options of the session's analyses: its thresholds, record store and
 * reference data (session.c). */
didq_analysis_opts didq_session_analysis_opts(const didq_session *s);

#endif
