from __future__ import annotations

import json
import logging

from textclf.logging_setup import NOISY_LOGGERS, JsonFormatter, quiet_noisy_loggers


def test_json_formatter_emits_valid_json() -> None:
    record = logging.LogRecord("textclf.x", logging.INFO, __file__, 1, "loaded %d rows", (3,), None)
    payload = json.loads(JsonFormatter().format(record))
    assert payload["message"] == "loaded 3 rows"
    assert payload["level"] == "INFO"
    assert payload["logger"] == "textclf.x"


def test_quiet_noisy_loggers() -> None:
    quiet_noisy_loggers(logging.ERROR)
    assert all(logging.getLogger(name).level == logging.ERROR for name in NOISY_LOGGERS)
