"""The face of the app: `romah` and `python -m romah_desktop`.

The one place that wires the core, the window and the command line together: with no
command, `romah` opens the window.
"""

from __future__ import annotations

import sys
from pathlib import Path

from romah_desktop import cli


def open_window(data_dir: Path, lang: str | None) -> int:
    from ui.app import display_available, run

    if not display_available():
        raise cli.NoDisplay()
    return int(run(data_dir, lang))


def main() -> None:
    if sys.argv[1:] == ["self-check"]:
        # For a built bundle: proves it starts, headless, with its fonts and translations.
        from ui.selfcheck import self_check

        raise SystemExit(self_check())
    cli.window_opener = open_window
    cli.main(prog_name="romah")


if __name__ == "__main__":
    main()
