/* tui_source.c: a record's text in its source file, for r in the record
 * detail: the line of a CSV record (its lines, when a quoted value holds a
 * line break); the element of an XML record, from
 * its <ImagingActivity> start tag (the record's offset) to the end tag. */
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SOURCE_MAX = 64 * 1024 }; /* a record longer than this is cut, with a marker */

/* Up to cap bytes at off of the len bytes at p. */
static long copy_at(const void *p, uint64_t len, long long off, char *buf, size_t cap)
{
    if (off < 0 || (uint64_t)off >= len) return -1;
    size_t n = len - (uint64_t)off < cap ? (size_t)(len - (uint64_t)off) : cap;
    memcpy(buf, (const char *)p + off, n);
    return (long)n;
}

/* Reads up to cap bytes at off of the record's file (or of the in-memory
 * demo month); returns the count, -1 if it cannot be read, -2 if it is not
 * a regular file.  The bytes the session holds of the file (a CSV file read
 * back from: session.h, didq_session_file_bytes) are those loaded, whatever
 * became of the file since.  Otherwise only a regular file is read again: a
 * FIFO (open would wait for a writer, and its bytes are gone) or a device
 * is not. */
static long read_at(const tui *t, uint32_t file, const char *path, long long off, char *buf,
                    size_t cap)
{
    uint64_t held;
    const unsigned char *p = didq_session_file_bytes(t->s, file, &held);
    if (p) return copy_at(p, held, off, buf, cap);
    if (t->o->mem_buf && t->o->mem_name && strcmp(path, t->o->mem_name) == 0)
        return copy_at(t->o->mem_buf, t->o->mem_len, off, buf, cap);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat sb;
    long n = -2;
    if (fstat(fd, &sb) != 0)
        n = -1;
    else if (S_ISREG(sb.st_mode))
        n = off >= 0 ? (long)pread(fd, buf, cap, (off_t)off) : -1;
    close(fd);
    return n;
}

/* The length of the element starting at buf: up to the end of its first
 * </ImagingActivity> (any namespace prefix), or 0 if none is in the n bytes. */
static size_t element_len(const char *buf, size_t n)
{
    static const char name[] = "ImagingActivity>";
    const size_t k = sizeof name - 1;
    for (size_t i = 0; i + 2 + k <= n; i++) {
        if (buf[i] != '<' || buf[i + 1] != '/') continue;
        size_t j = i + 2;
        while (j < n && buf[j] != '>' && buf[j] != '<')
            j++;
        if (j < n && buf[j] == '>' && j + 1 - (i + 2) >= k &&
            memcmp(buf + j + 1 - k, name, k) == 0 && (j + 1 - k == i + 2 || buf[j - k] == ':'))
            return j + 1;
    }
    return 0;
}

/* The length of the CSV record at buf: to its first line break outside
 * quotes (a quote opens a quoted value only at a value's start, spaces
 * before it allowed, as the reader reads it; "" inside is a quote), so a
 * record that spans lines is shown whole; n when the bytes end first. */
static size_t csv_record_len(const char *buf, size_t n)
{
    bool quoted = false, start = true;
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (quoted) {
            if (c == '"' && i + 1 < n && buf[i + 1] == '"')
                i++;
            else if (c == '"')
                quoted = false;
            continue;
        }
        if (c == '\n' || c == '\r') return i;
        if (c == '"' && start) quoted = true;
        start = c == ',' || (start && (c == ' ' || c == '\t'));
    }
    return n;
}

int tui_record_source(tui *t, int64_t id, didq_buf *out)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(t->s),
                                   "SELECT r.offset, f.path, f.format, r.file FROM records r"
                                   " JOIN files f"
                                   " ON f.id = r.file WHERE r.id = ?");
    sqlite3_bind_int64(q, 1, id);
    int kind = TUI_SOURCE_NONE;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 1)) {
        const char *path = (const char *)sqlite3_column_text(q, 1);
        const char *fmt = (const char *)sqlite3_column_text(q, 2);
        bool xml = fmt && strcmp(fmt, "xml") == 0;
        char *buf = didq_xmalloc(SOURCE_MAX);
        long n = read_at(t, (uint32_t)sqlite3_column_int64(q, 3), path, sqlite3_column_int64(q, 0),
                         buf, SOURCE_MAX);
        if (n == -2) {
            didq_buf_puts(out, "(not available: the file was a pipe or device, read once)");
            kind = TUI_SOURCE_CSV;
        } else if (n >= 0 && xml) {
            size_t len = element_len(buf, (size_t)n);
            didq_buf_add(out, buf, len ? len : (size_t)n);
            if (!len) didq_buf_printf(out, "\n(cut: no end tag in the %ld bytes read)", n);
            kind = TUI_SOURCE_XML;
        } else if (n >= 0) {
            size_t end = csv_record_len(buf, (size_t)n);
            didq_buf_add(out, buf, end);
            if (end == SOURCE_MAX) /* no line break yet: the end of the file is not reached */
                didq_buf_printf(out, "\n(cut: the record goes on past the %d bytes read)",
                                SOURCE_MAX);
            kind = TUI_SOURCE_CSV;
        }
        if (kind != TUI_SOURCE_NONE && !out->p) didq_buf_puts(out, "");
        free(buf);
    }
    sqlite3_finalize(q);
    return kind;
}
