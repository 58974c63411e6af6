"""Provides rule REP014: argparse flag parsed with bool."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.randomness import keyword
from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register


@register
class ArgparseBoolType(FileRule):
    """Flags argparse flags declared with `type=bool` or `choices=[True, False]`.

    ## What it does
    Finds `add_argument(..., type=bool)` and `add_argument(..., choices=[True, False])`.

    ## Why is this bad?
    `bool("False")` is `True`: `--use_smote False` turns the option on. With `choices=[True, False]`
    every value from the command line is a string and is rejected.

    ## Example
    ```python
    parser.add_argument("--use_smote", type=bool, default=False)
    ```

    ## Use instead
    ```python
    parser.add_argument("--use-smote", action=argparse.BooleanOptionalAction, default=False)
    ```
    """

    code = "REP014"
    file_kinds = tuple(kind for kind in FileKind if kind is not FileKind.TEST)
    title = "argparse flag parsed with bool"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Use action='store_true' or action=argparse.BooleanOptionalAction instead of type=bool."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for call in pf.nodes(ast.Call):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument" and _bool_typed(call):
                flag = next((str(a.value) for a in call.args if isinstance(a, ast.Constant)), "?")
                yield Hit(pf.path, call.lineno, f"argparse flag {flag} uses {_bool_how(call)}")


def _bool_typed(call: ast.Call) -> bool:
    return bool(_bool_how(call))


def _bool_how(call: ast.Call) -> str:
    kind = keyword(call, "type")
    if isinstance(kind, ast.Name) and kind.id == "bool":
        return "type=bool ('False' parses as True)"
    choices = keyword(call, "choices")
    elements = choices.elts if isinstance(choices, ast.List | ast.Tuple | ast.Set) else []
    if any(isinstance(e, ast.Constant) and isinstance(e.value, bool) for e in elements):
        return "choices=[True, False] (command-line strings never match)"
    return ""
