"""Provides rule SEC014: Shell command built from interpolated strings."""

from __future__ import annotations

import ast

from mlaudit.facts.input_origin import carries_request_data
from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import (
    SHELL_CALLS,
    SUBPROCESS_CALLS,
    CallRule,
    fixed_text,
    is_const,
    is_interpolated,
    keyword,
    place,
)


@register
class ShellInjection(CallRule):
    """Flags shell commands built from interpolated strings (`shell=True`, `os.system`).

    ## What it does
    Finds `subprocess.*(..., shell=True)`, `os.system` and `os.popen` whose command is an
    f-string, `%`/`+` concatenation or `.format(...)`: an error inside a web route or
    serverless handler (request data), a warning for repository or local values. A command interpolated only
    from values fixed in the code (string literals, a module constant bound once to a literal, `os.devnull`:
    `os.system(f"({PAGER}) 2>{os.devnull}")`) takes in nothing and is not reported.

    ## Why is this bad?
    A path, run name or user value containing `;`, `$(...)` or a space changes the command:
    at best a broken run, at worst command injection.

    ## Example
    ```python
    os.system(f"aws s3 cp {path} s3://{bucket}/")
    ```

    ## Use instead
    ```python
    subprocess.run(["aws", "s3", "cp", str(path), f"s3://{bucket}/"], check=True)
    ```
    """

    code = "SEC014"
    title = "Shell command built from interpolated strings"
    practice = "security"
    severity = Severity.ERROR
    fix = "Pass an argument list to subprocess.run without shell=True (shlex.quote if a shell is unavoidable)."
    targets = SUBPROCESS_CALLS | SHELL_CALLS

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        command = call.args[0] if call.args else keyword(call, "args") or keyword(call, "command")
        if name in SUBPROCESS_CALLS and not is_const(keyword(call, "shell"), True):
            return None
        if not (_takes_in_values(pf, command) or _built_earlier(pf, call, command)):
            return None
        shell = ", shell=True" if name in SUBPROCESS_CALLS else ""
        message = f"{name}(<interpolated string>{shell}) {place(pf, call)}"
        if carries_request_data(pf, call, command):
            return Hit(pf.path, call.lineno, f"{message} with request data")
        return Hit(pf.path, call.lineno, f"{message} (repository or local values)", Severity.WARNING)


def _takes_in_values(pf: PythonFile, command: ast.expr | None) -> bool:
    """Return True for a command interpolated from something other than values fixed in the code."""
    return command is not None and is_interpolated(command) and not fixed_text(pf, command)


def _built_earlier(pf: PythonFile, call: ast.Call, command: ast.expr | None) -> bool:
    """Return True when `command` is a local name assigned an interpolated string before the call."""
    if not isinstance(command, ast.Name):
        return False
    scope = pf.enclosing_function(call)
    for node in pf.nodes(ast.Assign):
        if not (isinstance(node, ast.Assign) and node.lineno < call.lineno and _takes_in_values(pf, node.value)):
            continue
        named = any(isinstance(t, ast.Name) and t.id == command.id for t in node.targets)
        if named and pf.enclosing_function(node) is scope:
            return True
    return False
