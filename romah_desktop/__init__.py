"""Romah Desktop: the application core (domain rules, validation, services, CLI).

The core runs without a window: `ui/` depends on it, never the reverse.
"""

__version__ = "0.1.0"
