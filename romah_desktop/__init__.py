"""Romah Desktop: the application core.

Domain rules and helpers at the top level (validation, Arabic text, Hijri dates, names,
permissions, settings, search, the typed change notices); `services/` holds the use cases,
grouped by job; `printing/` the printed forms and their verification; `demo/` the demo data.
`cli/` is the face: the command line and the entry point's wiring, the only part of the core
that imports `ui` or `sync`. The rest runs without a window or a network: `ui/` and `sync/`
depend on it, never the reverse (checked by `lint-imports`).
"""

__version__ = "0.1.0"
