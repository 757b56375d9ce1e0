"""Translation of the core's user-facing strings.

Strings are written in English in the source and looked up in the Arabic catalogue
(`resources/translations/ar/*.po`, read with polib). Arabic is the default language.
Placeholders use `str.format` names: ``_("Row {row}", row=3)``.
"""

from __future__ import annotations

import functools
import os

import polib

from romah_desktop.resources import resources_dir

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"

_current = os.environ.get("ROMAH_LANG", DEFAULT_LANGUAGE)
if _current not in LANGUAGES:
    _current = DEFAULT_LANGUAGE


def N_(text: str) -> str:
    """Mark a string for translation without translating it now."""
    return text


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the msgid → msgstr map for `lang` (empty for English, the source language)."""
    if lang == "en":
        return {}
    entries: dict[str, str] = {}
    for po_file in sorted((resources_dir() / "translations" / lang).glob("*.po")):
        for entry in polib.pofile(str(po_file)):
            if entry.msgstr and not entry.obsolete:
                entries[entry.msgid] = entry.msgstr
    return entries


def set_language(lang: str) -> None:
    """Choose the language for messages from now on.

    Raises ValueError for a language the app does not have.
    """
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang


def current_language() -> str:
    return _current


def translate(text: str, lang: str | None = None, **params: object) -> str:
    """Translate `text` into `lang` (default: the current language) and fill its placeholders."""
    translated = catalogue(lang or _current).get(text, text)
    return translated.format(**params) if params else translated


_ = translate
