"""The face of the app: the `romah` command line, and the entry point's wiring of the window
and the sync client (`romah_desktop.cli.window`).

This package is the only part of the core that may import `ui` or `sync`; the rest of
`romah_desktop` runs without either. Commands are defined in the modules beside this one and
registered on the `romah` group here, explicitly, so no module imports another for its side
effects.
"""

from romah_desktop.cli.app import main
from romah_desktop.cli.printing import print_command, verify_command
from romah_desktop.cli.reports import report_command
from romah_desktop.cli.syncing import conflicts, enrol, sync_command

for _command in (print_command, verify_command, report_command, enrol, sync_command, conflicts):
    main.add_command(_command)

__all__ = ["main"]
