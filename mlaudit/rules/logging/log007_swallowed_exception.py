"""Provides rule LOG007: Exception swallowed silently."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.logging._shared import _where, safe_snippet

BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException"})


CLEANUP_FUNCTIONS = frozenset({"__del__", "__exit__", "__aexit__"})
# functions whose failures can be dropped by name: releasing resources (`close`, `unload_model`, `release_gpu`), or
# warming a model up (`warmup`): a failed warm-up shows again, and is reported, on the first real call
BEST_EFFORT_NAME = re.compile(
    r"^_*(?:a?close|cleanup|clean_up|shutdown|teardown|tear_down|unload|release|dispose|free|stop|disconnect"
    r"|warmup|warm_up)(?:_|$)"
)


def _best_effort_function(name: str) -> bool:
    """Return True for a cleanup or warm-up function (`__exit__`, `close`, `unload_model`, `_warmup`)."""
    return name in CLEANUP_FUNCTIONS or BEST_EFFORT_NAME.match(name) is not None


def _handler_type(pf: PythonFile, handler: ast.ExceptHandler) -> str | None:
    """Return the broad exception a handler catches (`bare`, `Exception`...), or None if narrow."""
    if handler.type is None:
        return "bare except"
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for expr in caught:
        name = expr.id if isinstance(expr, ast.Name) else pf.qualname(expr) or ""
        if name.rsplit(".", 1)[-1] in BROAD_EXCEPTIONS:
            return f"except {name}"
    return None


def _is_print(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and stmt.value.func.id == "print"
    )


def swallow_kind(body: list[ast.stmt]) -> str | None:
    """Return how a handler body swallows the error (`pass`, `continue`, `print`), or None."""
    if all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in body):
        return "pass"
    if len(body) == 1 and isinstance(body[0], ast.Continue):
        return "continue"
    if all(_is_print(s) or isinstance(s, ast.Continue | ast.Pass) for s in body):
        return "only print"
    return None


CLEANUP_CALLS = frozenset({"close", "shutdown", "cleanup", "release", "terminate", "kill", "unlink", "rmtree"})
CLEANUP_CALLS |= {"remove", "stop", "disconnect", "nvmlShutdown", "empty_cache", "join", "aclose"}


COMPILERS = frozenset(
    {"torch.compile", "torch.jit.script", "torch.jit.trace", "torch.jit.freeze", "numba.jit", "numba.njit", "jax.jit"}
)


def best_effort(pf: PythonFile, body: list[ast.stmt]) -> bool:
    """Return True when a `try` body is best-effort by construction, so passing on failure loses nothing:

    - it only imports (an optional dependency: `try: import fugue_dask`), or imports one and then only
      branches on whether the input is one of its types (`import torch` / `if isinstance(X, torch.Tensor):`);
    - it only calls cleanup, awaited or not, or drops references (`context.close()`, `await session.close()`,
      `shutil.rmtree(tmp)`, `del self._model`);
    - it only compiles callables in place (`fn = torch.compile(fn)`): the uncompiled one stays usable.
    """
    if all(isinstance(s, ast.Import | ast.ImportFrom) for s in body):
        return True
    if _type_probe(body):
        return True
    if all(_cleanup_statement(s) for s in body):
        return True
    return all(_compiles_in_place(pf, s) for s in body)


def _reports_only(body: list[ast.stmt]) -> bool:
    """Return True for a `try` that only prints a diagnostic line, after importing what it reports on
    (`import fastai` / `print(f"fastai: {fastai.__version__}")`), directly or under an `if` that picks the
    notice (`if version in notices: print(notices[version], file=sys.stderr)`): an environment report or
    notice, whose failure loses nothing but that line."""
    printed = [s for s in _unconditional(body) if _is_print(s)]
    return bool(printed) and all(
        _is_print(s) or isinstance(s, ast.Import | ast.ImportFrom) for s in _unconditional(body)
    )


def _unconditional(body: list[ast.stmt]) -> list[ast.stmt]:
    """Return the statements of a body with each `if` replaced by the statements of its branches (recursively)."""
    flat: list[ast.stmt] = []
    for stmt in body:
        flat.extend(_unconditional([*stmt.body, *stmt.orelse]) if isinstance(stmt, ast.If) else [stmt])
    return flat


def _type_probe(body: list[ast.stmt]) -> bool:
    """Return True for `import torch` then `if isinstance(X, torch.utils.data.Dataset): ...`: the input is that
    optional library's type only if the library imports, so a failure means "not that type", not a lost error."""
    imports = [s for s in body if isinstance(s, ast.Import | ast.ImportFrom)]
    rest = body[len(imports) :]
    if not imports or len(imports) + len(rest) != len(body) or not rest:
        return False
    bound = {(a.asname or a.name).split(".", 1)[0] for s in imports for a in s.names}
    return all(isinstance(s, ast.If) and _isinstance_of(s.test, bound) for s in rest)


def _isinstance_of(test: ast.expr, modules: set[str]) -> bool:
    """Return True for `isinstance(x, mod.Type)` (or `not`/`and`/`or` of such) naming an imported module's type."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _isinstance_of(test.operand, modules)
    if isinstance(test, ast.BoolOp):
        return all(_isinstance_of(v, modules) for v in test.values)
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"):
        return False
    return len(test.args) == 2 and any(isinstance(n, ast.Name) and n.id in modules for n in ast.walk(test.args[1]))


def _in_finally(pf: PythonFile, handler: ast.ExceptHandler) -> bool:
    """Return True for a handler whose `try` stands in the `finally` block of an outer `try` of the same function
    (`finally: try: client.delete_pit(pit) except Exception: pass`): cleanup that runs whatever happened, where an
    error raised would replace the one in flight, or fail a block that succeeded over a leftover."""
    child: ast.AST = handler
    for anc in pf.ancestors(handler):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            return False
        if isinstance(anc, ast.Try | ast.TryStar) and any(stmt is child for stmt in anc.finalbody):
            return True
        child = anc
    return False


def _in_reraising_handler(pf: PythonFile, handler: ast.ExceptHandler) -> bool:
    """Return True for a handler nested in an outer `except` block (of the same function) that raises:
    `except Exception as e: try: queue.put(info) except Exception: pass; raise`. The nested step is
    best-effort work on the error path, and the error it serves still propagates."""
    for anc in pf.ancestors(handler):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            return False
        if isinstance(anc, ast.ExceptHandler):
            return any(isinstance(stmt, ast.Raise) for stmt in anc.body)
    return False


def _cleanup_statement(stmt: ast.stmt) -> bool:
    """Return True for `del self._model`, `context.close()` or an awaited one (`await session.close()`)."""
    value = stmt.value if isinstance(stmt, ast.Expr) else None
    value = value.value if isinstance(value, ast.Await) else value
    return isinstance(stmt, ast.Delete) or (isinstance(value, ast.Call) and _cleanup(value))


def _cleanup(call: ast.Call) -> bool:
    """Return True for a cleanup call (`close()`, `rmtree(tmp)`), also one named for what it frees
    (`release_conn()`, `close_pool()`, `shutdown_workers()`)."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in CLEANUP_CALLS or (name.split("_", 1)[0] in CLEANUP_VERBS and "_" in name)


# Verbs a cleanup call's name starts with, before what it frees (`release_conn`, `close_all`, `shutdown_pool`).
CLEANUP_VERBS = frozenset({"close", "shutdown", "cleanup", "release", "terminate", "disconnect", "dispose", "free"})


def _compiles_in_place(pf: PythonFile, stmt: ast.stmt) -> bool:
    """Return True for `fn = torch.compile(fn, ...)`: the same name, compiled."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call)):
        return False
    call = stmt.value
    same = bool(call.args) and ast.unparse(call.args[0]) == ast.unparse(stmt.targets[0])
    return same and pf.call_name(call) in COMPILERS


def _prints_caught(handler: ast.ExceptHandler) -> bool:
    """Return True when a handler prints the error it caught (`except Exception as e: print(type(e), e)`)."""
    return handler.name is not None and any(
        isinstance(node, ast.Name) and node.id == handler.name for stmt in handler.body for node in ast.walk(stmt)
    )


# A class named for an error (`ValueError`, `ParameterCheckError`, `errors.ConfigException`).
EXCEPTION_NAME = re.compile(r"^[A-Z]\w*(?:Error|Exception)$")


def unraised_exceptions(pf: PythonFile) -> Iterator[tuple[ast.Expr, str]]:
    """Yield (statement, name) for each exception built as a statement of its own (`ParameterCheckError("bad
    input")` without `raise`): nothing keeps or raises it, so the check it reports passes silently. A function
    of the module spelled like a class (`def ConfigError(msg): raise ...`) raises for itself and is left alone."""
    defs = pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
    functions = {n.name for n in defs if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    for stmt in pf.nodes(ast.Expr):
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            continue
        func = stmt.value.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if EXCEPTION_NAME.match(name) and name not in functions:
            yield stmt, name


@register
class SwallowedException(FileRule):
    """Flags broad `except` blocks that silently discard the error.

    ## What it does
    Reports `except:`, `except Exception:` and `except BaseException:` whose body is only
    `pass`, `...`, `continue`, or a `print`, in library and script code. Narrow handlers
    (`except FileNotFoundError: pass`, `except ImportError: pass`), cleanup functions
    (`__del__`, `__exit__`, `close`, `unload_model`, `release_gpu`, `teardown`, `stop`, `disconnect`) and model warm-ups
    (`warmup`: a failed warm-up shows again on the first real call) are left alone, and so is a `pass`
    after a `try` that is best-effort by construction: it only imports an optional module (or imports
    one and only checks whether the input is one of its types: `if isinstance(X, torch.Tensor):`), only
    calls cleanup, awaited or not (also named for what it frees: `response.release_conn()`), or drops references
    (`ctx.close()`, `await session.close()`, `del self._model`), or only compiles a callable
    in place (`fn = torch.compile(fn)`), so the
    program carries on with what it had. An environment report (`try: import fastai; print(fastai.__version__)`
    / `except: print("fastai: N/A")`), or an import-time notice printed under an `if` (`try: from notices
    import notes` / `if __version__ in notes: print(notes[__version__])`), loses only its line, and is left
    alone too, and so is a `pass` in a `try` that stands in the `finally` block of an outer `try`
    (`finally: try: client.delete_pit(pit_id) except Exception: pass`): cleanup that runs however the block
    ended, where a raised error would replace the one in flight. A documentation example that catches an error at
    module level and prints it (`except Exception as e: print(e)` in `docs/examples/plot_errors.py`) shows the reader
    the error its call provokes, and is left alone. An exception built as a statement of its own (`ParameterCheckError("bad input")` with no
    `raise`) is reported wherever it stands: the check it was written for passes silently.

    ## Why is this bad?
    A failed load, a NaN loss or a broken request disappears without a trace: the run
    "succeeds" with wrong results, and nobody learns why.

    ## Example
    ```python
    try:
        df = load_features(path)
    except Exception:
        pass
    ```

    ## Use instead
    ```python
    try:
        df = load_features(path)
    except FileNotFoundError:
        logger.warning("no cached features at %s; recomputing", path)
        df = compute_features(raw)
    ```
    """

    code = "LOG007"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Exception swallowed silently"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Catch the specific exception and log it (logger.exception(...)) or re-raise; never pass on Exception."
    weight = 6
    cap = 25

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for handler in pf.nodes(ast.ExceptHandler):
            caught = _handler_type(pf, handler)
            how = swallow_kind(handler.body) if caught else None
            fn = pf.enclosing_function(handler)
            if how is None or (fn is not None and _best_effort_function(fn.name)):
                continue
            guarded = pf.parent(handler)
            if how == "pass" and isinstance(guarded, ast.Try) and best_effort(pf, guarded.body):
                continue
            if how in ("pass", "only print") and isinstance(guarded, ast.Try) and _reports_only(guarded.body):
                continue  # `try: import fastai; print(fastai.__version__)` / `except: print("fastai: N/A")`
            if how == "pass" and _in_reraising_handler(pf, handler):
                continue  # a best-effort step on the error path: the original error is raised on, nothing is hidden
            if how == "pass" and _in_finally(pf, handler):
                continue  # cleanup on the way out: raising there would replace whatever error is in flight
            if how == "only print" and fn is None and is_example(pf.path) and _prints_caught(handler):
                continue  # a docs example showing the reader the error it provokes (`except Exception as e: print(e)`)
            yield Hit(pf.path, handler.lineno, f"{caught}: {how} in {_where(pf, handler)} swallows every error")
        for stmt, name in unraised_exceptions(pf):
            yield Hit(
                pf.path,
                stmt.lineno,
                f"`{safe_snippet(pf.segment(stmt), 80)}` in {_where(pf, stmt)} is built but never raised: "
                "the error it reports is dropped",
                fix=f"raise {name}(...) (or warnings.warn(...) when the check should only warn).",
            )
