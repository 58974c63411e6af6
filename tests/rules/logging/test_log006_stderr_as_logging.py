"""Tests of rule LOG006 (`mlaudit/rules/logging/log006_stderr_as_logging.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_log006_flags_stderr_write_in_library_only(tmp_path: Path) -> None:
    code = "import sys\n\ndef warn(msg):\n    sys.stderr.write(msg)\n\ndef main():\n    sys.stderr.write('usage')\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/util.py": code})
    assert [h.line for h in findings(tmp_path, "LOG006")] == [4]
