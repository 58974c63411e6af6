"""Provides rule REP004: JAX key seeded from a non-deterministic value."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.randomness import CODE_KINDS
from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register

_RUNTIME_SEED_ROOTS = ("time.", "random.", "numpy.random.", "os.urandom", "secrets.", "datetime.")


@register
class NonDeterministicJaxKey(FileRule):
    """Flags a JAX PRNG key built from a runtime value (time, another RNG) instead of a seed.

    ## What it does
    Looks at `jax.random.PRNGKey(...)` / `jax.random.key(...)` calls whose seed argument is a call to
    `time.time()`, `random.randint(...)`, `np.random...`, `os.urandom` or similar.

    ## Why is this bad?
    JAX randomness is explicit: a key built from a literal or a config value makes the run
    reproducible; a key built from the clock makes every run different.

    ## Example
    ```python
    key = jax.random.PRNGKey(int(time.time()))
    ```

    ## Use instead
    ```python
    key = jax.random.PRNGKey(cfg.seed)
    ```
    """

    code = "REP004"
    title = "JAX key seeded from a non-deterministic value"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Build the key from a seed in the config: jax.random.PRNGKey(cfg.seed)."

    file_kinds = CODE_KINDS

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        if not any(m.startswith("jax") for m in pf.imported_modules):
            return
        for call in pf.nodes(ast.Call):
            if pf.call_name(call) in ("jax.random.PRNGKey", "jax.random.key") and call.args:
                runtime = _runtime_value(pf, call.args[0])
                if runtime:
                    yield Hit(pf.path, call.lineno, f"{ast.unparse(call)} is seeded from {runtime}()")


def _runtime_value(pf: PythonFile, arg: ast.expr) -> str | None:
    while isinstance(arg, ast.Call) and not (pf.call_name(arg) or "").startswith(_RUNTIME_SEED_ROOTS):
        if not arg.args:
            return None
        arg = arg.args[0]
    if isinstance(arg, ast.Call):
        return pf.call_name(arg)
    return None
