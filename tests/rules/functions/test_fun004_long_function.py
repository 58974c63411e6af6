"""Tests of rule FUN004 (`mlaudit/rules/functions/fun004_long_function.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def lines_function(name: str, count: int) -> str:
    body = "".join(f"    v{i} = x + {i}\n" for i in range(count))
    return f'def {name}(x):\n    """Doc."""\n{body}    return x\n'


def test_fun004_length_warns_then_errors(tmp_path: Path) -> None:
    code = lines_function("short", 50) + lines_function("long", 70) + lines_function("huge", 130)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": code})
    hits = {h.message.split("(")[0]: h.severity for h in findings(tmp_path, "FUN004")}
    assert hits == {"long": Severity.WARNING, "huge": Severity.ERROR}


def test_fun004_data_literals_and_parser_declarations_are_not_an_error(tmp_path: Path) -> None:
    table = "".join(f'            "word{i}": {i},\n' for i in range(130))
    options = "".join(f'    parser.add_argument("--opt{i}", type=int, default={i})\n' for i in range(130))
    logic = "".join(f"    total = total + value * {i}\n" for i in range(130))
    write_tree(
        tmp_path,
        {
            "pkg/words.py": (
                "class Numbers:\n    def __init__(self):\n        self.table = {\n" + table + "        }\n"
            ),
            "pkg/cli.py": "import argparse\n\n\ndef get_parser():\n    parser = argparse.ArgumentParser()\n"
            + options
            + "    return parser\n",
            "pkg/calc.py": "def crunch(value):\n    total = 0\n" + logic + "    return total\n",
        },
    )
    by_path = {f.path: f for f in findings(tmp_path, "FUN004")}
    assert by_path["pkg/words.py"].severity is Severity.WARNING
    assert "data literals" in by_path["pkg/words.py"].message
    assert by_path["pkg/cli.py"].severity is Severity.WARNING
    assert by_path["pkg/calc.py"].severity is Severity.ERROR
