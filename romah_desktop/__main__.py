"""The entry point: `romah` and `python -m romah_desktop`; with no command it opens the window.

The wiring of the window and the sync client lives in the command line's package
(`romah_desktop.cli`), the one place that joins the core, the window and sync. Loading that
package loads every command with the database layer and the services, which takes longer than
the whole sign-in window: so `romah` with no command (only --data-dir or --lang) opens the
window straight away, and the window loads the sync wiring when someone signs in. Anything else
(a command, --help, a mistake, no display) goes to the command line.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from romah_desktop.cli.window import LaptopSync

# The command line's options that also apply to the window (see `romah_desktop.cli.app.main`).
WINDOW_OPTIONS = ("--data-dir", "--lang")


def window_only(args: list[str]) -> dict[str, str] | None:
    """The options of a command line that only opens the window, or None for any other."""
    options: dict[str, str] = {}
    rest = list(args)
    while rest:
        name, equals, value = rest.pop(0).partition("=")
        if name not in WINDOW_OPTIONS or name in options:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        options[name] = value
    return options


def laptop_sync() -> LaptopSync:
    """The window's sync, made at the first sign-in."""
    from romah_desktop.cli.window import LaptopSync

    return LaptopSync()


def open_window(options: dict[str, str]) -> int | None:
    """Open the window as `romah` without a command would; None when the command line must
    answer instead (a language it does not have, a file given as the data folder, no
    display)."""
    from romah_desktop import paths
    from romah_desktop.i18n import LANGUAGES, set_language

    lang = options.get("--lang")
    messages = lang or os.environ.get("ROMAH_LANG", "ar")
    folder = paths.data_dir(options.get("--data-dir"))
    if messages not in LANGUAGES or folder.is_file():
        return None
    from ui.app import display_available, run

    if not display_available():
        return None
    from romah_desktop.logs import setup_logging

    set_language(messages)
    setup_logging(paths.log_dir(folder))
    return int(run(folder, lang, sync=laptop_sync))


def main() -> None:
    args = sys.argv[1:]
    if args == ["self-check"]:
        # For a built bundle: proves it starts, headless, with its fonts and translations.
        from ui.selfcheck import self_check

        raise SystemExit(self_check())
    options = window_only(args)
    if options is not None:
        code = open_window(options)
        if code is not None:
            raise SystemExit(code)
    from romah_desktop import cli
    from romah_desktop.cli import app, window

    app.window_opener = window.open_window
    cli.main(prog_name="romah")


if __name__ == "__main__":
    main()
