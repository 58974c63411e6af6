"""Tests of rule LOG006 (`mlaudit/rules/logging/log006_stderr_as_logging.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_log006_flags_stderr_write_in_library_only(tmp_path: Path) -> None:
    code = "import sys\n\ndef warn(msg):\n    sys.stderr.write(msg)\n\ndef main():\n    sys.stderr.write('usage')\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/util.py": code})
    assert [h.line for h in findings(tmp_path, "LOG006")] == [4]


def test_log006_terminal_control_is_not_diagnostics(tmp_path: Path) -> None:
    """An arrow-key menu moving the cursor, and a stream wrapper's own write(), drive the terminal; a module
    function named write that reports a problem, and a plain warning, are diagnostics."""
    menu = (
        "import sys\n\n\n"
        "def rewind(n):\n    sys.stderr.write(f'\\x1b[{n}A\\x1b[J')\n\n\n"
        "def hide_cursor():\n    sys.stderr.write('\\033[?25l')\n\n\n"
        "class Tee:\n    def __init__(self, log):\n        self.log = log\n\n"
        "    def write(self, text):\n        self.log.append(text)\n        sys.stderr.write(text)\n\n\n"
        "def write(msg):\n    sys.stderr.write('[warning] ' + msg)\n\n\n"
        "def skip(path):\n    sys.stderr.write(f'skipping {path}\\n')\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/term.py": menu})
    assert [h.line for h in findings(tmp_path, "LOG006")] == [22, 26]
