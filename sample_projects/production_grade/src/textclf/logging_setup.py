"""Log formatting shared by the CLI and the service."""

from __future__ import annotations

import json
import logging
from typing import Final

LOG_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY_LOGGERS: Final = ("urllib3", "multipart", "uvicorn.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line; only whitelisted record fields are emitted."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload)


def quiet_noisy_loggers(level: int = logging.WARNING) -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(level)


def use_json_logs() -> None:
    """Switch every handler on the root logger to :class:`JsonFormatter`."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(JsonFormatter())
