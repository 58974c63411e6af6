"""Provides rule SEC011: Remote code trusted at load time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.security._shared import CODE_KINDS, _callee, _literal_str, is_const, keyword, place


@register
class TrustRemoteCode(FileRule):
    """Flags `trust_remote_code=True` when loading models or datasets.

    ## What it does
    Finds any call passing `trust_remote_code=True` (transformers, datasets, sentence-transformers). The loads of
    one source in one function (`AutoConfig`, `AutoTokenizer` and `AutoModel` of `name`) are one trust decision,
    reported once at the first.

    ## Why is this bad?
    It downloads and runs Python code from the model repository at load time; a compromised
    or updated repo runs new code on your machine.

    ## Example
    ```python
    model = AutoModel.from_pretrained("org/model", trust_remote_code=True)
    ```

    ## Use instead
    ```python
    model = AutoModel.from_pretrained("org/model", trust_remote_code=True, revision="3f2a9b1")  # reviewed commit
    ```
    """

    code = "SEC011"
    file_kinds = CODE_KINDS
    title = "Remote code trusted at load time"
    practice = "security"
    severity = Severity.WARNING
    fix = "Avoid trust_remote_code, or pin revision= to a reviewed commit hash."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        decisions: dict[tuple[ast.AST | None, str], list[ast.Call]] = {}
        for kw in pf.nodes(ast.keyword):
            if kw.arg == "trust_remote_code" and is_const(kw.value, True):
                call = pf.parent(kw)
                if isinstance(call, ast.Call) and not _pinned_revision(call):
                    decisions.setdefault(_source(pf, call), []).append(call)
        for (_scope, source), calls in decisions.items():
            first, *more = sorted(calls, key=lambda c: (c.lineno, c.col_offset))
            also = f" (+{len(more)} more loads of `{source}`)" if more else ""
            yield Hit(pf.path, first.lineno, f"{_callee(first)}(trust_remote_code=True) {place(pf, first)}{also}")


def _source(pf: PythonFile, call: ast.Call) -> tuple[ast.AST | None, str]:
    """Return what a load trusts: the function it runs in and the source it names (its first argument). The config,
    tokenizer and model of one source loaded there are one trust decision; a load without a source is its own."""
    named = ast.unparse(call.args[0]) if call.args else f"<line {call.lineno}:{call.col_offset}>"
    return pf.enclosing_function(call), named


def _pinned_revision(call: ast.Call) -> bool:
    revision = _literal_str(keyword(call, "revision"))
    return revision is not None and len(revision) >= 7 and all(c in "0123456789abcdef" for c in revision)
