"""The window and the laptop's sync, as the entry point hands them to the command line.

`ui` and `sync` are imported when first used, so the command line starts without loading them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from romah_desktop.cli.app import NoDisplay

if TYPE_CHECKING:
    import httpx

    from romah_desktop.workspace import Workspace
    from sync.client import SyncReport, SyncState


class LaptopSync:
    """The window's sync (`ui.pages.sync.SyncService`) over the sync client.

    `sync` is imported when first used, so the window starts without loading it; `client`
    replaces the network (an in-process HQ in tests).
    """

    def __init__(self, client: httpx.Client | None = None) -> None:
        self.client = client

    def state(self, workspace: Workspace) -> SyncState:
        from sync.client import SyncClient

        return SyncClient(workspace.db, workspace.attachments_dir, self.client).state()

    def sync(self, workspace: Workspace, progress: Callable[[str, int, int], None]) -> SyncReport:
        from romah_desktop.settings import outbox_retention_days
        from sync.client import SyncClient

        client = SyncClient(
            workspace.db,
            workspace.attachments_dir,
            self.client,
            keep_pushed_days=outbox_retention_days(workspace.db),
        )
        try:
            return client.sync(progress)
        finally:
            client.close()

    def enrol(
        self,
        workspace: Workspace,
        server: str,
        code: str,
        name: str | None,
        *,
        ca_file: Path | None = None,
        pin: str | None = None,
    ) -> None:
        from sync.enrolment import enrol

        # Enrolment may move the laptop to HQ's branch record; it refreshes the cached one.
        enrol(
            workspace.data_dir,
            server,
            code,
            name,
            client=self.client,
            workspace=workspace,
            ca_file=ca_file,
            pin=pin,
        )

    def is_offline(self, error: BaseException) -> bool:
        from sync.client import Offline

        return isinstance(error, Offline)


def open_window(data_dir: Path, lang: str | None) -> int:
    from ui.app import display_available, run

    if not display_available():
        raise NoDisplay()
    return int(run(data_dir, lang, sync=LaptopSync()))
