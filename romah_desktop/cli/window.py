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
    from sqlalchemy.orm import Session

    from romah_desktop.services.context import Actor
    from romah_desktop.workspace import Workspace
    from sync.client import SyncReport, SyncState
    from sync.quarantine import Retried


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
        from romah_desktop.errors import ValidationError
        from sync.enrolment import enrol
        from sync.tls import InsecureAddress
        from sync.transport import CertificateRefused

        ca_file, pin = _checked_trust(ca_file, pin)
        # Enrolment may move the laptop to HQ's branch record; it refreshes the cached one.
        try:
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
        except InsecureAddress as exc:
            raise ValidationError("server", exc.message, **exc.params) from None
        except CertificateRefused as exc:
            # Beside the field that decides how HQ is trusted.
            field = "ca_file" if ca_file is not None else "pin" if pin is not None else "server"
            raise ValidationError(field, exc.message, **exc.params) from None

    def retry_quarantined(self, session: Session, actor: Actor, quarantine_id: int) -> Retried:
        from sync.quarantine import retry_quarantined

        return retry_quarantined(session, actor, quarantine_id)

    def is_offline(self, error: BaseException) -> bool:
        from sync.transport import Offline

        return isinstance(error, Offline)


def _checked_trust(ca_file: Path | None, pin: str | None) -> tuple[Path | None, str | None]:
    """The CA file and fingerprint as enrolment takes them, each checked on its own so a
    mistake is named beside its field (ValidationError "ca_file" or "pin")."""
    from romah_desktop.errors import ValidationError
    from romah_desktop.i18n import N_
    from sync.tls import HQTrust, TrustSettingsInvalid, normalise_pin

    pin = (pin or "").strip() or None
    if ca_file is not None and not str(ca_file).strip():
        ca_file = None
    if ca_file is not None and pin is not None:
        raise ValidationError(
            "pin", N_("Give HQ's CA file or its certificate fingerprint, not both.")
        )
    if pin is not None:
        try:
            pin = normalise_pin(pin)
        except TrustSettingsInvalid as exc:
            raise ValidationError("pin", exc.message, **exc.params) from None
    if ca_file is not None:
        try:
            text = ca_file.read_text(encoding="ascii", errors="replace")
        except OSError as exc:
            raise ValidationError(
                "ca_file",
                N_("The CA file {path} cannot be read: {problem}"),
                path=str(ca_file),
                problem=exc.strerror or str(exc),
            ) from None
        if "-----BEGIN CERTIFICATE-----" not in text:
            raise ValidationError(
                "ca_file",
                N_(
                    "The file {path} holds no certificate: a CA file is PEM text that starts "
                    "with -----BEGIN CERTIFICATE-----."
                ),
                path=str(ca_file),
            )
        try:
            HQTrust.from_options(ca_file)
        except TrustSettingsInvalid as exc:
            raise ValidationError("ca_file", exc.message, **exc.params) from None
    return ca_file, pin


def open_window(data_dir: Path, lang: str | None) -> int:
    from ui.app import display_available, run

    if not display_available():
        raise NoDisplay()
    return int(run(data_dir, lang, sync=LaptopSync))
