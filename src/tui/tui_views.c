/* tui_views.c: the pane table.  A pane is one row here and one file. */
#include "tui_int.h"

const tui_view_ops *const tui_panes[TUI_PANES] = {
    [0] = &tui_overview_ops, [1] = &tui_complete_ops, [2] = &tui_valid_ops,
    [3] = &tui_dups_ops,     [4] = &tui_settings_ops, [5] = &tui_records_ops,
    [6] = &tui_time_ops,     [7] = &tui_cover_ops,    [8] = &tui_anom_ops,
};
