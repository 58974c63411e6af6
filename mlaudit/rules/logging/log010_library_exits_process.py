"""Provides rule LOG010: Library code exits the process."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from mlaudit.facts.kind import is_example, runs_as_command
from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.registry import FileRule, Hit, Output, hits_fact, register
from mlaudit.rules.logging._shared import (
    _is_output_function,
    _takes_parsed_arguments,
    _terminal_readers,
    call_sites,
    called_only_from,
    command_class_methods,
    file_commands,
    is_cli_module,
    parses_arguments_on_import,
    script_functions,
)

EXITS = frozenset({"sys.exit"})  # not `os._exit`: how a forked child ends without running its parent's cleanup
BUILTIN_EXITS = frozenset({"exit", "quit"})


def _exit_name(pf: PythonFile, call: ast.Call, shadowed: frozenset[str]) -> str | None:
    """Return `sys.exit`, `os._exit` or the builtin `exit`/`quit` a call is (not a function of the file named so)."""
    name = pf.call_name(call)
    if name in EXITS:
        return name
    func = call.func
    if isinstance(func, ast.Name) and func.id in BUILTIN_EXITS and func.id not in shadowed:
        return func.id
    return None


def _bound_names(pf: PythonFile) -> frozenset[str]:
    """Return the builtin exit names the file binds itself (`def exit(code, url):`, `from x import exit`)."""
    found = {f.name for f in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef) if isinstance(f, FunctionNode)}
    found |= set(pf.imports)
    return frozenset(found & BUILTIN_EXITS)


def _signal_handlers(pf: PythonFile) -> frozenset[str]:
    """Return the names of functions the file installs as signal handlers (`signal.signal(SIGTERM, stop)`,
    `loop.add_signal_handler(SIGTERM, stop)`), also through a lambda or `functools.partial` that calls them."""
    found: set[str] = set()
    for call in pf.nodes(ast.Call):
        installs = pf.call_name(call) == "signal.signal" or (
            isinstance(call.func, ast.Attribute) and call.func.attr == "add_signal_handler"
        )
        for arg in call.args[1:2] if installs else ():
            found.update(_handler_names(pf, arg))
    return frozenset(found)


def _handler_names(pf: PythonFile, handler: ast.expr) -> Iterator[str]:
    """Yield the file function a handler expression runs: `stop`, `self.on_preempt`, `lambda s, f: stop(pids)`,
    `partial(stop, pids)`."""
    if isinstance(handler, ast.Name):
        yield handler.id
    elif isinstance(handler, ast.Attribute):  # a bound method: `self.on_preempt`, `handler.checkpoint_and_requeue`
        yield handler.attr
    elif isinstance(handler, ast.Lambda) and isinstance(handler.body, ast.Call):
        yield from _handler_names(pf, handler.body.func)
    elif isinstance(handler, ast.Call) and (pf.call_name(handler) or "").endswith("partial") and handler.args:
        yield from _handler_names(pf, handler.args[0])


def _process_targets(pf: PythonFile) -> frozenset[str]:
    """Return the names of functions the file starts in a worker process or thread (`Process(target=worker)`)."""
    return frozenset(
        kw.value.id
        for call in pf.nodes(ast.Call)
        for kw in call.keywords
        if kw.arg == "target" and isinstance(kw.value, ast.Name)
    )


def _command_helpers(pf: PythonFile, commands: set[str], sites: dict[str, list[str | None]]) -> set[str]:
    """Return the file's functions called only from its command functions (`def die(msg): ... sys.exit(1)`
    used by the `@click.command`s): part of the command-line program, not of the library's API."""
    return called_only_from(sites, lambda name: _is_output_function(name, commands))


def _in_command(functions: list[FunctionNode], commands: set[str], terminal: set[ast.AST]) -> bool:
    """Return True inside a command function: main, one the main guard calls, a click or argparse command, or
    an interactive function or a click command class's method (`terminal`: those asking the user, `input()` or a
    prompt, and those running the command line)."""
    return any(_is_output_function(f.name, commands) or _takes_parsed_arguments(f) or f in terminal for f in functions)


# a parameter by which the caller says it is the command line or asks for the exit (`is_cli`, `from_cli`, `sys_exit`,
# `exit_on_error`)
EXIT_FLAG = re.compile(r"(?:^|_)(?:cli|exit)(?:$|_)", re.I)


def _asked_for(pf: PythonFile, call: ast.Call, func: FunctionNode) -> bool:
    """Return True for an exit in the body of `if flag:` where `flag` is a parameter of its function by which the
    caller says it is the command line or asks for the exit (`if is_cli: sys.exit(1)` / `raise ...` for everyone
    else, `if sys_exit: sys.exit(1)`): the command line chose it, the library path raises."""
    params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    flags = {p for p in params if EXIT_FLAG.search(p)}
    if not flags:
        return False
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if anc is func:
            return False
        if isinstance(anc, ast.If) and _tests_flag(anc, flags) and any(stmt is child for stmt in anc.body):
            return True
        child = anc
    return False


def _tests_flag(branch: ast.If, flags: set[str]) -> bool:
    """Return True for `if flag:` on one of the names."""
    return isinstance(branch.test, ast.Name) and branch.test.id in flags


# names a command-line program gives the namespace its parser returns
PARSED_NAMES = frozenset({"args", "cli_args", "parsed_args"})


def _handles_args(func: FunctionNode) -> bool:
    """Return True for a command handler written without annotations: a module function whose only parameter is the
    parsed command line (`def list_machine_types(args): key = args.api_key ...`), as a CLI's subcommands hand it."""
    params = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]
    if len(params) != 1 or params[0].arg not in PARSED_NAMES or func.args.defaults or func.args.kw_defaults:
        return False
    name = params[0].arg
    return any(
        isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name
        for node in ast.walk(func)
    )


@register
class LibraryExitsProcess(FileRule):
    """Flags library code that ends the whole process (`sys.exit()`, `exit()`, `os._exit()`).

    ## What it does
    Reports calls of `sys.exit` and the builtins `exit`/`quit` in library modules, at import or
    in a function. Not reported: the main guard, command-line modules (`cli.py`, `__main__.py`,
    a `cli/` package, a module that parses the command line on import, a module with a main guard
    and an argument parser: a program run with `python -m`), command functions
    (`main()`, functions the main guard calls, `@click.command`, argparse handlers (also a module function whose
    only parameter is the parsed command line it reads: `def list_machine_types(args): args.api_key`), a function parsing argv with
    docopt, methods of a click `Command`/`Group` subclass or of a command class declaring its
    arguments on the parser it is handed (`def configure_parser(self, parser): parser.add_argument(...)`), interactive
    functions asking the user: `input()`, a prompt or an input-reading helper) and the helpers only they call, signal handlers the module
    installs (also a bound method, `self.on_preempt`, or through a lambda or `functools.partial`) and the helpers only
    they call (`self._exit()`), functions it starts as a worker
    process (`Process(target=worker)`), an exit under `if flag:` on a parameter by which the caller says it is the
    command line or asks for the exit (`if is_cli: sys.exit(1)`, the library path raising instead; `if sys_exit:`),
    a function the package metadata declares as a console script (`[project.scripts] tool = "pkg.test:run_tests"`: the
    program's entry point, whose exit status is its result), a function of the module itself named `exit`, `os._exit`
    (how a forked child ends) and code in example,
    tutorial and docs folders.

    ## Why is this bad?
    A library does not own the process it runs in: `exit()` on a missing optional dependency or a
    bad argument kills the caller's training run, notebook kernel or web server instead of raising
    an error it could catch, report or recover from. (`exit`/`quit` are also absent under
    `python -S` and in frozen apps.)

    ## Example
    ```python
    try:
        import triton
    except ImportError:
        print("pip install triton")
        exit()
    ```

    ## Use instead
    ```python
    try:
        import triton
    except ImportError as err:
        raise ImportError("this kernel needs triton: pip install triton") from err
    ```
    """

    code = "LOG010"
    title = "Library code exits the process"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Raise an exception and let the command-line entry point choose the exit status."

    file_kinds = (FileKind.LIBRARY,)

    def check(self, project: Project) -> Iterable[Output]:
        """Yield the file hits, less the exits in functions the package metadata declares as console scripts."""
        for pf in project.python_of(*self.file_kinds):
            hits: tuple[Hit, ...] = pf.file_fact(hits_fact(self.code), self.file_hits)
            scripts = script_functions(project, pf) if hits else set()
            if scripts:
                enclosing: dict[int, tuple[str, ...]] = dict(pf.file_fact(EXIT_FUNCTIONS_FACT, exit_functions))
                hits = tuple(h for h in hits if h.line is None or not scripts.intersection(enclosing.get(h.line, ())))
            yield from hits

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        if is_cli_module(pf.path) or is_example(pf.path):
            return
        shadowed = _bound_names(pf)
        calls = [(call, name) for call in pf.nodes(ast.Call) if (name := _exit_name(pf, call, shadowed))]
        if not calls or parses_arguments_on_import(pf) or runs_as_command(pf):
            return
        commands = file_commands(pf)
        # a module function handed the parsed command line is a subcommand's handler (`def list_types(args):`)
        commands |= {
            f.name for f in pf.tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and _handles_args(f)
        }
        sites = call_sites(pf)
        commands |= _command_helpers(pf, commands, sites)
        handlers = _signal_handlers(pf) | _process_targets(pf)
        handlers |= called_only_from(sites, handlers.__contains__)  # `self._exit()` used by the handlers alone
        terminal = _terminal_readers(pf) | command_class_methods(pf)
        for call, name in calls:
            if pf.in_main_guard(call):
                continue
            functions = [a for a in pf.ancestors(call) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)]
            if _in_command(functions, commands, terminal) or any(f.name in handlers for f in functions):
                continue
            if functions and _asked_for(pf, call, functions[0]):
                continue
            where = f"in {functions[0].name}()" if functions else "at import"
            yield Hit(pf.path, call.lineno, f"{name}() {where} of {pf.path} ends the caller's process")


EXIT_FUNCTIONS_FACT = "logging.exit_functions"  # a per-file fact (mlaudit.filefacts)


def exit_functions(pf: PythonFile) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Return (line, names of the enclosing functions) of each exit call of the file (a per-file fact)."""
    shadowed = _bound_names(pf)
    return tuple(
        (
            call.lineno,
            tuple(a.name for a in pf.ancestors(call) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)),
        )
        for call in pf.nodes(ast.Call)
        if _exit_name(pf, call, shadowed)
    )
