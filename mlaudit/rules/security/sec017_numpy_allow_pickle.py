"""Provides rule SEC017: np.load with allow_pickle=True."""

from __future__ import annotations

import ast

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import CallRule, is_const, keyword, place


@register
class NumpyAllowPickle(CallRule):
    """Flags `np.load(..., allow_pickle=True)`.

    ## What it does
    Finds `numpy.load` calls that enable pickle support.

    ## Why is this bad?
    Object arrays are unpickled on load, which can run arbitrary code from the file.

    ## Example
    ```python
    features = np.load("features.npy", allow_pickle=True)
    ```

    ## Use instead
    ```python
    features = np.load("features.npy")  # store numeric arrays; use parquet for mixed data
    ```
    """

    code = "SEC017"
    title = "np.load with allow_pickle=True"
    practice = "security"
    severity = Severity.WARNING
    fix = "Save plain numeric arrays and load them without allow_pickle; use parquet/JSON for objects."
    targets = frozenset({"numpy.load"})

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if not is_const(keyword(call, "allow_pickle"), True):
            return None
        return Hit(pf.path, call.lineno, f"np.load(allow_pickle=True) {place(pf, call)}")
