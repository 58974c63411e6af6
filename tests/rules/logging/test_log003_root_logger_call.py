"""Tests of rule LOG003 (`mlaudit/rules/logging/log003_root_logger_call.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.logging._helpers import ROOT_LOGGER


def test_log003_flags_root_logger_calls(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": ROOT_LOGGER})
    assert [h.line for h in findings(tmp_path, "LOG003")] == [9]


def test_log003_silent_in_scripts(tmp_path: Path) -> None:
    write_tree(tmp_path, {"scripts/run.py": "import logging\nlogging.info('start')\n"})
    assert findings(tmp_path, "LOG003") == []


def test_log003_silent_in_a_programs_main_but_not_in_its_helpers(tmp_path: Path) -> None:
    program = (
        "import logging\nimport sys\n\n\n"
        "def load_checkpoint(path):\n    logging.info('loading %s', path)\n    return path\n\n\n"
        "def main(argv):\n    logging.info('starting with %s', argv)\n    return load_checkpoint(argv[0])\n\n\n"
        "if __name__ == '__main__':\n    main(sys.argv[1:])\n"
    )
    write_tree(tmp_path, {"trainer/__init__.py": "", "trainer/main.py": program})
    assert [h.line for h in findings(tmp_path, "LOG003")] == [6]
