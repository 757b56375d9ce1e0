"""Where the project's resources (translations, form texts, reference documents) live."""

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the `resources/` folder, in a source checkout or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
