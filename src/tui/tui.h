/* tui.h: the explorer (ncurses).  The only part of didq that sees curses. */
#ifndef DIDQ_TUI_H
#define DIDQ_TUI_H

#endif
