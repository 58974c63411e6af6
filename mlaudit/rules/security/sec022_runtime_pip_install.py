"""Provides rule SEC022: Packages installed at run time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.supply_chain import installing_functions, pip_install_calls
from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.security._shared import place


@register
class RuntimePipInstall(FileRule):
    """Flags code that pip-installs packages while it runs.

    ## What it does
    Finds `subprocess`/`os.system`/`pip.main` calls that run `pip install`, and requirement
    checkers whose `install` parameter defaults to True (`check_requirements(..., install=True)`).
    Notebook `%pip install` cells are left alone.

    ## Why is this bad?
    The environment changes under a running program: whatever version the index serves
    that day (or a typo-squatted name) is installed and imported, unreviewed and unlocked,
    often into a production or shared interpreter.

    ## Example
    ```python
    subprocess.run([sys.executable, "-m", "pip", "install", "onnxruntime"])
    ```

    ## Use instead
    ```python
    try:
        import onnxruntime
    except ImportError as err:
        raise RuntimeError("install the 'onnx' extra: pip install 'mypkg[onnx]'") from err
    ```
    """

    code = "SEC022"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Packages installed at run time"
    practice = "security"
    severity = Severity.WARNING
    fix = "Declare the package (an optional extra) and fail with an install hint instead of installing it at run time."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for call in pip_install_calls(pf):
            yield Hit(pf.path, call.lineno, f"{ast.unparse(call.func)}() runs pip install {place(pf, call)}")
        for func in installing_functions(pf):
            message = f"{func.name}() pip-installs missing packages at run time by default (install=True)"
            yield Hit(pf.path, func.lineno, message)
