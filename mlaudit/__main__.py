"""Provides `python -m mlaudit`."""

from __future__ import annotations

from mlaudit.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
