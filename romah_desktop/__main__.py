"""The entry point: `romah` and `python -m romah_desktop`; with no command it opens the window.

The wiring of the window and the sync client lives in the command line's package
(`romah_desktop.cli`), the one place that joins the core, the window and sync.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["self-check"]:
        # For a built bundle: proves it starts, headless, with its fonts and translations.
        from ui.selfcheck import self_check

        raise SystemExit(self_check())
    from romah_desktop import cli
    from romah_desktop.cli import app, window

    app.window_opener = window.open_window
    cli.main(prog_name="romah")


if __name__ == "__main__":
    main()
