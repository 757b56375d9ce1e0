"""The main window's pages, one module each.

A module whose page only some roles see gives the window its entry (`PageEntry`) for the
signed-in user: the page's key, its name in the navigation and how to build it. The window
names every page at sign-in and builds one the first time it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.qt import QWidget

PageFactory = Callable[["AppContext"], "QWidget"]
PageEntry = tuple[str, str, PageFactory]
