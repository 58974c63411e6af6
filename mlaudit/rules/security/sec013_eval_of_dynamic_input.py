"""Provides rule SEC013: eval/exec of dynamic input."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.input_origin import digits_only
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.security._shared import CODE_KINDS, place


@register
class EvalOfDynamicInput(Rule):
    """Flags the builtins `eval`/`exec` applied to anything but a literal.

    ## What it does
    Finds calls of the builtin `eval` or `exec` whose argument is not a string literal
    (methods such as `model.eval()` are not builtins and are ignored). A string just checked
    with `.isnumeric()`/`.isdigit()` is left alone: that `eval` is `int()`.

    ## Why is this bad?
    A config value, a request field or a notebook string passed to `eval` runs as code;
    it is also impossible to type-check or test.

    ## Example
    ```python
    df["ratio"] = eval(cfg["feature_expr"])
    ```

    ## Use instead
    ```python
    FEATURES = {"ratio": lambda df: df.total / (df.tenure + 1)}
    df["ratio"] = FEATURES[cfg["feature"]](df)  # or ast.literal_eval for literals
    ```
    """

    code = "SEC013"
    title = "eval/exec of dynamic input"
    practice = "security"
    severity = Severity.ERROR
    fix = "Replace eval/exec with a lookup table of functions, or ast.literal_eval for literal data."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(*CODE_KINDS):
            for call in pf.nodes(ast.Call):
                func = call.func
                if not (isinstance(func, ast.Name) and func.id in {"eval", "exec"} and func.id not in pf.imports):
                    continue
                arg = call.args[0] if call.args else None
                if arg is not None and not isinstance(arg, ast.Constant) and not digits_only(pf, call, arg):
                    shown = ast.unparse(arg)[:40]
                    yield Hit(pf.path, call.lineno, f"{func.id}({shown}) {place(pf, call)}")
