"""Provides helpers shared by several rules of the `logging` practice (or by other modules)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from mlaudit.project import Project, PythonFile, is_main_guard, module_name
from mlaudit.readers import pyproject
from mlaudit.redact import redact

CLI_MODULES = frozenset({"cli", "__main__", "commands", "console"})


CLI_DECORATORS = frozenset({"command", "group", "callback", "main"})


PRINTING_FUNCTIONS = ("print", "show", "display", "pprint", "report", "summary", "summarize", "describe")


LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-+/=]{24,}")


def _console_scripts(project: Project) -> set[tuple[str, str]]:
    """Return (module, function) pairs named in [project.scripts] of pyproject.toml."""
    scripts = pyproject(project).get("project", {}).get("scripts", {})
    pairs: set[tuple[str, str]] = set()
    for target in scripts.values() if isinstance(scripts, dict) else ():
        module, _, func = str(target).partition(":")
        pairs.add((module.strip(), func.split(".")[0].strip()))
    return pairs


def _decorator_label(node: ast.expr) -> str | None:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else None


def _guard_called_names(pf: PythonFile) -> set[str]:
    guards = [(s.lineno, s.end_lineno or s.lineno) for s in pf.tree.body if isinstance(s, ast.If) and is_main_guard(s)]
    return {
        call.func.id
        for call in pf.nodes(ast.Call)
        if isinstance(call.func, ast.Name) and any(a <= call.lineno <= b for a, b in guards)
    }


def cli_functions(project: Project, pf: PythonFile) -> set[str]:
    """Return the names of the file's functions that are command-line entry points."""
    scripts = project.fact("logging.scripts", _console_scripts)
    module = module_name(pf.path)
    names = {func for mod, func in scripts if mod == module}
    if pf.has_main_guard:
        names |= _guard_called_names(pf)
    for fn in pf.nodes(ast.FunctionDef):
        if any(_decorator_label(d) in CLI_DECORATORS for d in fn.decorator_list):
            names.add(fn.name)
    if "argparse" in pf.imported_modules:
        names |= _argparse_functions(pf)
    return names


def _argparse_functions(pf: PythonFile) -> set[str]:
    names: set[str] = set()
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) == "argparse.ArgumentParser":
            fn = pf.enclosing_function(call)
            if fn is not None:
                names.add(fn.name)
    return names


def in_cli_context(project: Project, pf: PythonFile, node: ast.AST) -> bool:
    """Return True when a node runs as command-line output: main guard, CLI module or command function."""
    path = PurePosixPath(pf.path)
    if path.stem in CLI_MODULES or any(part.strip("_") in CLI_MODULES for part in path.parts[:-1]):
        return True  # cli.py, or any module of a cli/ (_cli/, commands/) package
    if pf.in_main_guard(node):
        return True
    if project.fact(f"logging.argv:{pf.path}", lambda _p: parses_arguments_on_import(pf)):
        return True
    commands: set[str] = project.fact(f"logging.cli:{pf.path}", lambda p: cli_functions(p, pf))
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef) and (
            _is_output_function(anc.name, commands) or _takes_parsed_arguments(anc)
        ):
            return True
    return False


def _takes_parsed_arguments(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True for a command handler: a parameter annotated `argparse.Namespace` (the parsed command line)."""
    params = (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)
    return any(
        p.annotation is not None and ast.unparse(p.annotation) in ("argparse.Namespace", "Namespace") for p in params
    )


def parses_arguments_on_import(pf: PythonFile) -> bool:
    """Return True for a module whose top level parses the command line: a program run with `python -m`."""
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom):
            continue
        for node in ast.walk(stmt):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and func.attr in ("parse_args", "parse_known_args"):
                return True
    return False


def _is_output_function(name: str, commands: set[str]) -> bool:
    """Return True for command functions and helpers whose job is to print (`print_summary`, `__repr__`)."""
    return (
        name in commands
        or name == "main"
        or name in {"__repr__", "__str__"}
        or name.lstrip("_").startswith(PRINTING_FUNCTIONS)
    )


def safe_snippet(text: str, limit: int = 40) -> str:
    """Return a one-line, shortened code snippet with token-like runs (possible secrets) redacted."""
    text = _TOKEN_LIKE.sub(lambda m: redact(m.group(0)), " ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _first_argument(call: ast.Call) -> str:
    if not call.args:
        return ""
    return safe_snippet(ast.unparse(call.args[0]))


def _prints_to_file(call: ast.Call, pf: PythonFile) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "file":
            target = pf.qualname(keyword.value)
            return target not in {"sys.stdout", "sys.stderr"}
    return False


def _behind_verbose_flag(pf: PythonFile, call: ast.Call) -> bool:
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.If) and "verbos" in ast.unparse(anc.test).lower():
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


def _where(pf: PythonFile, node: ast.AST) -> str:
    fn = pf.enclosing_function(node)
    return f"{fn.name}() of {pf.path}" if fn is not None else pf.path


def library_prints(project: Project, pf: PythonFile) -> Iterator[ast.Call]:
    """Yield the print calls of a library module that are not CLI output or writes to a file."""
    for call in pf.nodes(ast.Call):
        is_print = isinstance(call.func, ast.Name) and call.func.id == "print"
        if is_print and not (_prints_to_file(call, pf) or in_cli_context(project, pf, call)):
            yield call


def _root_logger_calls(pf: PythonFile) -> Iterator[tuple[ast.Call, str]]:
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        if name and name.startswith("logging.") and name[8:] in (LOG_METHODS | {"basicConfig"}):
            yield call, name


def _is_logger(pf: PythonFile, expr: ast.expr) -> bool:
    if isinstance(expr, ast.Call):
        return pf.call_name(expr) == "logging.getLogger"
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""
    return name.lower().rstrip("_").endswith(("log", "logger")) or pf.qualname(expr) in {"logging", "loguru.logger"}
