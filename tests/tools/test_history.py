"""The history scan reads only what a commit added (and its neighbours), and skips versions that cannot hold a secret."""

from __future__ import annotations

from mlaudit.tools.history import ScanSettings, scan_blob
from tests.test_secrets import fake

SETTINGS = ScanSettings()


def test_a_secret_added_by_a_version_is_found_on_its_line() -> None:
    key = fake("openai")
    old = b"import os\n\nTIMEOUT = 30\n"
    new = f'import os\n\nTIMEOUT = 30\nOPENAI_KEY = "{key}"\n'.encode()
    [(line, match)] = scan_blob("settings.py", new, SETTINGS, old)
    assert line == 4 and match.value == key


def test_a_value_added_under_an_unchanged_key_line_is_found_through_its_neighbour() -> None:
    token = "Qm7vX2pLk9Rt" + "4WzB8nYc3HdF6sJa1GeU"
    old = b"credentials:\n  api_token:\n    placeholder\n"
    new = f"credentials:\n  api_token:\n    {token}\n".encode()
    assert [(line, m.value) for line, m in scan_blob("config.yaml", new, SETTINGS, old)] == [(3, token)]


def test_versions_whose_new_lines_hold_no_needle_find_nothing() -> None:
    key = fake("hf")
    old = f'HF = "{key}"\nx = 1\n\n\n\ny = 2\n'.encode()
    new = f'HF = "{key}"\nx = 1\n\n\n\ny = 3\n'.encode()
    assert scan_blob("app.py", new, SETTINGS, old) == []  # the key was there before: not added by this version
    assert scan_blob("notes.txt", b"first draft\nof the notes\n", SETTINGS) == []
