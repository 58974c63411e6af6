"""Provides rule SEC012: torch.hub.load of an unpinned repository."""

from __future__ import annotations

import ast

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import CallRule, _literal_str, keyword, place


@register
class UnpinnedTorchHub(CallRule):
    """Flags `torch.hub.load` of a repository without a pinned tag or commit.

    ## What it does
    Finds `torch.hub.load("owner/repo", ...)` where the repo string has no `:ref`.

    ## Why is this bad?
    torch.hub imports `hubconf.py` from the default branch at load time: whatever is pushed
    there next runs in your process, and results change silently.

    ## Example
    ```python
    model = torch.hub.load("ultralytics/yolov5", "yolov5s")
    ```

    ## Use instead
    ```python
    model = torch.hub.load("ultralytics/yolov5:v7.0", "yolov5s")
    ```
    """

    code = "SEC012"
    title = "torch.hub.load of an unpinned repository"
    practice = "security"
    severity = Severity.WARNING
    fix = "Pin the ref: torch.hub.load('owner/repo:v1.2', ...)."
    targets = frozenset({"torch.hub.load"})

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        repo = _literal_str(call.args[0]) if call.args else _literal_str(keyword(call, "repo_or_dir"))
        source = _literal_str(keyword(call, "source"))
        if repo is None or ":" in repo or source == "local" or repo.count("/") != 1:
            return None
        return Hit(pf.path, call.lineno, f"torch.hub.load('{repo}') without a pinned ref {place(pf, call)}")
