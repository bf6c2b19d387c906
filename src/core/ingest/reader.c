/* reader.c: what the readers share below the parsing: the byte source
 * (a descriptor polled so that a slow FIFO cannot hang the reader, or a
 * memory buffer) and the format sniffed from a file's first bytes (reader.h). */
#include "didq/reader.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

/* UTF-16 with a byte order mark whose first character (after spaces) is '<'. */
static int utf16_xml(const unsigned char *h, size_t n)
{
    int le = n >= 2 && h[0] == 0xFF && h[1] == 0xFE, be = n >= 2 && h[0] == 0xFE && h[1] == 0xFF;
    for (size_t i = 2; (le || be) && i + 1 < n; i += 2) {
        unsigned hi = le ? h[i + 1] : h[i], lo = le ? h[i] : h[i + 1];
        if (hi != 0 || (lo != ' ' && lo != '\t' && lo != '\r' && lo != '\n'))
            return hi == 0 && lo == '<';
    }
    return 0;
}

didq_format didq_sniff_format(const unsigned char *h, size_t n)
{
    if (utf16_xml(h, n)) return DIDQ_FORMAT_XML;
    size_t i = n >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
        i++;
    return i < n && h[i] == '<' ? DIDQ_FORMAT_XML : DIDQ_FORMAT_CSV;
}

long didq_src_read(didq_src *s, void *buf, size_t n)
{
    if (!s->mem) {
        struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
        int r = poll(&pfd, 1, DIDQ_SRC_WAIT_MS);
        if (r == 0) errno = EAGAIN;
        return r <= 0 ? -1 : (long)read(s->fd, buf, n);
    }
    size_t k = s->len - s->pos < n ? s->len - s->pos : n;
    memcpy(buf, s->mem + s->pos, k);
    s->pos += k;
    return (long)k;
}
