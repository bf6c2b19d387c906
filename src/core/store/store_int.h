/* store_int.h: what the store's files share and no other layer needs
 * (store_panes.c, used by store_save.c). */
#ifndef DIDQ_STORE_INT_H
#define DIDQ_STORE_INT_H

#include "recstore.h"

#include <sqlite3.h>
#include <stddef.h>

/* Creates the tables site_counts and period in the attached schema disk
 * and fills them from the store (docs/design.md).  Returns 0, or -1 with
 * SQLite's message. */
int didq_store_save_panes(sqlite3 *db, const didq_recstore *rs, char *err, size_t errlen);

#endif
