/* afile.h: files written atomically (a temporary file in the same folder,
 * fsync, then a rename or link into place), created 0600, never replacing
 * an existing file unless asked.  Used for every export. */
#ifndef DIDQ_AFILE_H
#define DIDQ_AFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct didq_afile didq_afile;

/* Starts writing path.  Fails (NULL, message in err) if path exists and
 * !overwrite, or the temporary file cannot be created.  "-" writes to
 * standard output directly. */
didq_afile *didq_afile_open(const char *path, bool overwrite, char *err, size_t errlen);

FILE *didq_afile_fp(didq_afile *af);

/* Flushes, syncs and moves the file into place; frees af.  Returns 0, or
 * -1 with a message (the temporary file is removed; path is untouched). */
int didq_afile_commit(didq_afile *af, char *err, size_t errlen);

/* Removes the temporary file and frees af. */
void didq_afile_abort(didq_afile *af);

/* Temporary files being written (at most DIDQ_TEMP_MAX at once) are
 * registered so that a signal handler can remove them: an interrupted
 * export must not leave a partial copy of patient data behind.
 * didq_temp_unlink_all() is async-signal-safe. */
enum { DIDQ_TEMP_MAX = 8 };
void didq_temp_register(const char *path);
void didq_temp_unregister(const char *path);
void didq_temp_unlink_all(void);

/* Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the
 * registered temporary files and then die of the signal as before. */
void didq_temp_cleanup_on_signals(void);

/* True if path exists (any kind of file). */
bool didq_path_exists(const char *path);

/* True for a character device or FIFO (/dev/null, /dev/stdout, a pipe):
 * written in place, never "overwritten". */
bool didq_path_is_device(const char *path);

#endif
