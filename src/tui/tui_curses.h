/* tui_curses.h: the one place curses is included (wide-character API). */
#ifndef DIDQ_TUI_CURSES_H
#define DIDQ_TUI_CURSES_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>

#endif
