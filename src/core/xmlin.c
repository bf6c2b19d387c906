/* xmlin.c: DIDS v1 XML reader (issue 8 replaces this with the libxml2
 * streaming reader).  Until then an XML file is reported, not guessed at. */
#include "didq/reader.h"

int didq_xml_read(didq_src *src, uint32_t file, const didq_dataset *ds, const didq_reader_cb *cb,
                  const unsigned char *head, size_t nhead, char *err, size_t errlen)
{
    cb->finding(cb->ctx, "DIDS076", 1, "XML submissions are not read by this build yet");
    return DIDQ_READ_FATAL;
}
