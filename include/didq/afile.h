/* afile.h: files written atomically (an unnamed O_TMPFILE, or a named
 * temporary file, in the same folder; fsync; then a link or rename into
 * place), created 0600, never replacing an existing file unless asked and
 * never replacing an input.  Used for every output. */
#ifndef DIDQ_AFILE_H
#define DIDQ_AFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct didq_afile didq_afile;

enum {
    DIDQ_AFILE_OVERWRITE = 1, /* --force: replace an existing file */
    DIDQ_AFILE_REGULAR = 2,   /* refuse a FIFO or device at the target (explorer exports) */
    DIDQ_AFILE_SESSION = 4    /* with REGULAR: the message speaks of a saved session */
};

/* The folder part of path ("." when it has none, "/" for the root), malloc'd. */
char *didq_dir_of(const char *path);

/* Whether path can be written as an output (flags as above), before any
 * work: not an input (didq_input_note), not a folder, not existing without
 * DIDQ_AFILE_OVERWRITE, not a FIFO or device with DIDQ_AFILE_REGULAR, its
 * folder writable.  "-" and NULL pass.  0, or -1 with a message naming
 * path. */
int didq_output_check(const char *path, unsigned flags, char *err, size_t errlen);

/* Starts writing path.  Fails (NULL, message in err) where
 * didq_output_check does, or when the temporary file cannot be created or
 * a FIFO has no reader (it is not waited for).  "-" writes to standard
 * output directly; a device or FIFO is written in place.  Stale temporary
 * files of earlier runs in the folder are removed first. */
didq_afile *didq_afile_open(const char *path, unsigned flags, char *err, size_t errlen);

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

/* Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGQUIT that remove
 * the registered temporary files and then die of the signal as before.
 * A signal ignored at start (nohup) is left ignored. */
void didq_temp_cleanup_on_signals(void);

/* A named temporary file `.NAME.didq-XXXXXX` beside path, 0600, for a
 * writer that needs a name (SQLite): returns its descriptor, which holds an
 * flock(2) lock until didq_temp_done (a file no process holds is stale and
 * removed at the next write to the folder), and sets *name (registered for
 * removal on a signal).  -1 with a message on failure. */
int didq_temp_beside(const char *path, char **name, char *err, size_t errlen);

/* Moves the complete named temporary file to path: a rename with
 * overwrite, else a link (failing if path exists).  0 or -1 (errno). */
int didq_temp_place(const char *name, const char *path, bool overwrite);

/* Removes the named temporary file (if still there), unregisters and
 * frees name, and closes fd (if >= 0), which drops the lock. */
void didq_temp_done(char *name, int fd);

/* Inputs, noted before any output is opened: no output may be one of
 * them (same device and inode, or, for a name that does not exist yet,
 * the same resolved path).  "-" notes standard input's file. */
void didq_input_note(const char *path);
void didq_input_note_fd(int fd, const char *name);
void didq_inputs_forget(void);

/* True, with a message naming both, if writing path would replace an
 * input noted above. */
bool didq_output_is_input(const char *path, char *err, size_t errlen);

/* True if path exists (any kind of file). */
bool didq_path_exists(const char *path);

/* True for a character device or FIFO (/dev/null, /dev/stdout, a pipe):
 * written in place, never "overwritten". */
bool didq_path_is_device(const char *path);

#endif
