/* tui_records.h: the record list's state, shared by the list
 * (tui_pane_records.c: paging, search, sort, filter, keys) and its columns
 * (tui_records_cols.c: widths, drawing, horizontal scroll, the chooser). */
#ifndef DIDQ_TUI_RECORDS_H
#define DIDQ_TUI_RECORDS_H

#include "tui_int.h"

/* NCOLS: every column; a list shows the Notes column only with notes. */
enum { COL_FILE = 100, COL_LINE, COL_CODES, COL_NOTES, NCOLS = DIDQ_V1_ITEMS + 4, PAGE_MAX = 256 };

/* A column is as wide as its widest value (WIDTH_CAP at most; a value
 * still too wide ends with a marker): for a data item the longest value
 * the record store kept while loading, for the file the longest name of
 * the files loaded, for line and findings the widest seen on the pages
 * shown (from room for 7 digits and two codes, so that paging rarely
 * moves them). */
enum { WIDTH_CAP = 40, LINE_MIN = 7, CODES_MIN = 15, NOTES_MIN = 12 };

typedef struct records {
    didq_list *l;
    didq_row rows[PAGE_MAX];
    int n, cur, h;
    uint64_t pos; /* list position of rows[0] */
    int order[NCOLS];
    bool shown[NCOLS];
    int ncols;      /* columns of this list: NCOLS, or NCOLS - 1 without notes */
    char code[16];  /* a rule's record list: its rule, the code `a` suggests */
    int ccol, hcol; /* cursor column and first scrolled column drawn (indexes into order) */
    bool choosing, loaded;
    int chcur, chtop, chh;            /* chooser cursor, first row and rows shown */
    int seen[NCOLS];                  /* per column (tui_records_slot): widest on the pages shown */
    int first[DIDQ_V1_ITEMS], nfirst; /* items shown first (a rule's fields), kept by f */
} records;

/* The slot of column c in seen[]. */
static inline int tui_records_slot(int c)
{
    return c < DIDQ_V1_ITEMS ? c : DIDQ_V1_ITEMS + (c - COL_FILE);
}

const char *tui_records_col_name(const tui *t, int c);
/* Widens the columns to the values on the page. */
void tui_records_observe(const tui *t, records *r);
/* Keeps the cursor column on screen. */
void tui_records_fit_cols(tui *t, records *r);
/* The cursor column one shown column left (dir -1) or right (1). */
void tui_records_scroll_cols(records *r, int dir);
void tui_records_draw_head(tui *t, records *r, int y);
void tui_records_draw_row(tui *t, records *r, int y, int i);
void tui_records_draw_chooser(tui *t, records *r, int y, int h);
/* A key in the column chooser (c); false when it is not the chooser's. */
bool tui_records_chooser_key(records *r, tui_action a);

#endif
