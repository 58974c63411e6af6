"""Provides the app's persisted settings (the theme) and where the app keeps files (no Textual).

Settings live in `$XDG_CONFIG_HOME/mlaudit/app.json` (default `~/.config/mlaudit/app.json`);
never in the audited repository.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def config_file() -> Path:
    """Return the settings file: `$XDG_CONFIG_HOME/mlaudit/app.json` or `~/.config/mlaudit/app.json`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mlaudit" / "app.json"


def load_theme() -> str | None:
    """Return the theme saved by the last session, if any."""
    try:
        data = json.loads(config_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) and theme else None


def save_theme(theme: str) -> None:
    """Remember `theme` for the next session (a failure to save is logged, not raised)."""
    from mlaudit.tui.exports import write_text

    path = config_file()
    try:
        current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        current = {}
    data = current if isinstance(current, dict) else {}
    data["theme"] = theme
    try:
        write_text(path, json.dumps(data, indent=2) + "\n")
    except OSError as err:
        log.debug("cannot save the theme to %s: %s", path, err)
