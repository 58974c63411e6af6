"""Provides helpers shared by several rules of the `logging` practice (or by other modules)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mlaudit.facts.callgraph import imported_files
from mlaudit.facts.distributions import module_value, setup_arguments
from mlaudit.facts.kind import is_sphinx_conf
from mlaudit.paths import pure_path
from mlaudit.project import (
    FunctionNode,
    Project,
    PythonFile,
    is_main_guard,
    is_self,
    is_self_attribute,
    module_name,
    parameter_defaults,
)
from mlaudit.readers import ini_file, pyproject
from mlaudit.redact import redact

CLI_MODULES = frozenset({"cli", "__main__", "commands", "console"})


CLI_DECORATORS = frozenset({"command", "group", "callback", "main"})


PRINTING_FUNCTIONS = ("print", "show", "display", "pprint", "report", "summary", "summarize", "describe")


# words of a function name saying it shows output (`smart_display_frame`, `app_help`: the help text is its output;
# `write_stdout`, `to_console`: the terminal is where it writes)
DISPLAY_WORDS = frozenset({"print", "show", "display", "pprint", "visualize", "visualise", "render", "help"}) | {
    "stdout",
    "console",
}


# Flag names that switch a function's diagnostic output on or off, besides `verbose` and the display words.
VERBOSITY_FLAGS = frozenset({"trace", "disp", "quiet", "silent"})


LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


ROOT_LOGGER_CALLS = LOG_METHODS | {"basicConfig"}


_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-+/=]{24,}")


def _console_scripts(project: Project) -> set[tuple[str, str]]:
    """Return (module, function) pairs of the console scripts the packaging metadata declares: [project.scripts]
    or [tool.poetry.scripts] of pyproject.toml, `console_scripts` of setup.cfg's [options.entry_points] or of
    setup.py's `entry_points` (a dict of lists, or the INI text older projects pass)."""
    pairs: set[tuple[str, str]] = set()
    for target in _script_targets(project):
        module, _, func = target.partition(":")
        function = func.split("[", 1)[0].split(".")[0].strip()  # `pkg.cli:main [extra]`, `pkg.cli:App.run`
        if module.strip() and function:
            pairs.add((module.strip(), function))
    return pairs


def _script_targets(project: Project) -> Iterator[str]:
    """Yield the `module:function` target of each console script the packaging metadata declares."""
    data = pyproject(project)
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    for table in (_table(data.get("project")).get("scripts"), _table(poetry).get("scripts")):
        for target in table.values() if isinstance(table, dict) else ():
            reference = target.get("reference") if isinstance(target, dict) else target  # poetry's `{reference=...}`
            if isinstance(reference, str):
                yield reference
    entry_points = ini_file(project, "setup.cfg").section("options.entry_points") or {}
    yield from _ini_targets(entry_points.get("console_scripts", ""))
    setup = project.python.get("setup.py")
    if setup is not None:
        yield from _setup_py_targets(setup)


def _table(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _ini_targets(text: str) -> Iterator[str]:
    """Yield the targets of `name = module:function` lines (setup.cfg's console_scripts, or a `[console_scripts]`
    section of the INI text setup.py passes as `entry_points`)."""
    for line in text.splitlines():
        name, sep, target = line.partition("=")
        if sep and name.strip() and not name.strip().startswith(("#", ";", "[")):
            yield target.strip()


def _setup_py_targets(pf: PythonFile) -> Iterator[str]:
    """Yield the console-script targets of setup.py's `setup(entry_points=...)`: `{"console_scripts": ["name =
    pkg.cli:main"]}`, or INI text with a `[console_scripts]` section (names followed to module-level values)."""
    for arg, node in setup_arguments(pf):
        if arg != "entry_points":
            continue
        value = module_value(pf, node)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            section = value.value.split("[console_scripts]", 1)
            yield from _ini_targets(section[1].split("[", 1)[0]) if len(section) == 2 else ()
        elif isinstance(value, ast.Dict):
            for key, group in zip(value.keys, value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "console_scripts":
                    yield from _listed_targets(module_value(pf, group))


def _listed_targets(value: ast.expr) -> Iterator[str]:
    """Yield the targets of a literal list of `name = module:function` strings."""
    for item in value.elts if isinstance(value, ast.List | ast.Tuple) else ():
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            yield from _ini_targets(item.value)


def _decorator_label(node: ast.expr) -> str | None:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else None


def _runs_a_function(pf: PythonFile) -> bool:
    """Return True when the module's main guard calls one of the module's own functions (`main()`); a guard that
    builds the module's classes is a demo of a library module, not a tool's entry."""
    if not pf.has_main_guard:
        return False
    defined = {s.name for s in pf.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    return bool(_guard_called_names(pf) & defined)


def _guard_called_names(pf: PythonFile) -> set[str]:
    guards = [(s.lineno, s.end_lineno or s.lineno) for s in pf.tree.body if isinstance(s, ast.If) and is_main_guard(s)]
    return {
        call.func.id
        for call in pf.nodes(ast.Call)
        if isinstance(call.func, ast.Name) and any(a <= call.lineno <= b for a, b in guards)
    }


def script_functions(project: Project, pf: PythonFile) -> set[str]:
    """Return the file's functions named in [project.scripts] of pyproject.toml or handed to a command-line
    framework anywhere in the repository (`fire.Fire(train)`, `CLI({"pretrain": pretrain.setup})`, and the
    class of `fire.Fire(Runner)`, whose methods are its commands)."""
    scripts = project.fact("logging.scripts", _console_scripts) | project.fact(DISPATCHED_FACT, _dispatched_commands)
    module = module_name(pf.path)
    return {func for mod, func in scripts if mod == module}


# Command-line frameworks that make a command of each function handed to them (alone, or in a list or dict).
CLI_DISPATCHERS = frozenset(
    {"fire.Fire", "jsonargparse.CLI", "jsonargparse.auto_cli", "typer.run", "tyro.cli", "absl.app.run", "defopt.run"}
    | {"tyro.extras.subcommand_cli_from_dict"}
)
DISPATCHED_FACT = "logging.dispatched_commands"
HANDED_FACT = "logging.handed_to_cli"  # a per-file fact (mlaudit.filefacts)
# click and typer also make a command of a function their command decorator is applied to by hand
# (`app.command(rich_help_panel="Run")(runner.evaluate)`), as a module registering commands kept elsewhere does
COMMAND_FRAMEWORKS = frozenset({"click", "typer"})
_DISPATCHER_TOPS = frozenset(name.split(".", 1)[0] for name in CLI_DISPATCHERS) | COMMAND_FRAMEWORKS


def _dispatched_commands(project: Project) -> set[tuple[str, str]]:
    """Return (module, function) pairs of the functions the repository hands to a command-line framework."""
    found: set[tuple[str, str]] = set()
    for pf in project.python.values():
        if _imports_a_dispatcher(pf):  # the others hand nothing: no fact to look up or compute
            found |= pf.file_fact(HANDED_FACT, handed_to_cli)
    return found


def _imports_a_dispatcher(pf: PythonFile) -> bool:
    """Return True for a module (not a notebook) that imports a command-line framework."""
    return not pf.is_notebook and bool({m.split(".", 1)[0] for m in pf.imported_modules} & _DISPATCHER_TOPS)


def handed_to_cli(pf: PythonFile) -> frozenset[tuple[str, str]]:
    """Return (module, function) of each function the module hands to a command-line framework (a per-file fact)."""
    if not _imports_a_dispatcher(pf):
        return frozenset()
    containers = _module_containers(pf)
    found: set[tuple[str, str]] = set()
    registers = bool({m.split(".", 1)[0] for m in pf.imported_modules} & COMMAND_FRAMEWORKS)
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) in CLI_DISPATCHERS:
            for arg in (*call.args, *(k.value for k in call.keywords)):
                found.update(_handed_functions(pf, arg, containers, depth=0))
        elif registers and _command_decorator_applied(call):
            found.update(_handed_functions(pf, call.args[0], containers, depth=0))
    return frozenset(found)


def _command_decorator_applied(call: ast.Call) -> bool:
    """Return True for `app.command(...)(function)`: a command decorator applied to one function by hand."""
    decorator = call.func
    return (
        len(call.args) == 1
        and not call.keywords
        and isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr == "command"
    )


def _module_containers(pf: PythonFile) -> dict[str, ast.expr]:
    """Return the module-level names bound to a literal dict, list or tuple (`COMMANDS = {"train": train}`)."""
    found: dict[str, ast.expr] = {}
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict | ast.List | ast.Tuple):
            found.update((t.id, stmt.value) for t in stmt.targets if isinstance(t, ast.Name))
    return found


def _handed_functions(
    pf: PythonFile, arg: ast.expr, containers: dict[str, ast.expr], depth: int
) -> Iterator[tuple[str, str]]:
    """Yield (module, function) for each function an argument of a dispatcher names, through literal containers."""
    if depth > 3:
        return
    if isinstance(arg, ast.Dict | ast.List | ast.Tuple):
        for item in arg.values if isinstance(arg, ast.Dict) else arg.elts:
            yield from _handed_functions(pf, item, containers, depth + 1)
    elif isinstance(arg, ast.Name) and arg.id in containers:
        yield from _handed_functions(pf, containers[arg.id], containers, depth + 1)
    elif isinstance(arg, ast.Name):
        yield pf.from_imports.get(arg.id, (module_name(pf.path), arg.id))
    elif isinstance(arg, ast.Attribute) and (qualified := pf.qualname(arg)) is not None:
        module, _, func = qualified.rpartition(".")
        yield module, func


def file_commands(pf: PythonFile) -> set[str]:
    """Return the file's command functions that the file alone shows: called by its main guard,
    decorated as commands, or parsing the command line (building an argparse parser, calling docopt)."""
    names: set[str] = set()
    if pf.has_main_guard:
        names |= _guard_called_names(pf)
    for fn in pf.nodes(ast.FunctionDef):
        if any(_decorator_label(d) in CLI_DECORATORS for d in fn.decorator_list):
            names.add(fn.name)
    if pf.imported_modules & {"argparse", "docopt"}:
        names |= _parser_functions(pf)
    return names | _command_helpers(pf, names) if names else names


def _command_helpers(pf: PythonFile, commands: set[str]) -> set[str]:
    """Return the module's private functions (`_add_user(...)`) that only its commands call, directly or through
    other such helpers: called by nothing else in the module, and private to it, they are part of the command."""
    sites = call_sites(pf)
    helpers: set[str] = set()
    while True:
        part = commands | helpers
        found = {n for n in called_only_from(sites, part.__contains__) - part if n.startswith("_") and n[:2] != "__"}
        if not found:
            return helpers
        helpers |= found


def call_sites(pf: PythonFile) -> dict[str, list[str | None]]:
    """Map each function or method the file calls by name (`die(...)`, `self._exit()`) to the functions its calls
    sit in (None for a call at module level)."""
    sites: dict[str, list[str | None]] = {}
    for call in pf.nodes(ast.Call):
        func = call.func
        name = func.id if isinstance(func, ast.Name) else None
        if isinstance(func, ast.Attribute) and is_self_attribute(func):
            name = func.attr
        if name is not None:
            caller = pf.enclosing_function(call)
            sites.setdefault(name, []).append(caller.name if caller is not None else None)
    return sites


def called_only_from(sites: dict[str, list[str | None]], accept: Callable[[str], bool]) -> set[str]:
    """Return the called names (`call_sites`) whose every call sits in a function the `accept` test takes."""
    return {name for name, callers in sites.items() if all(c is not None and accept(c) for c in callers)}


# the command-line frameworks whose Command/Group classes a program extends (`class RunCommand(click.Group)`)
CLICK_MODULES = frozenset({"click", "rich_click", "typer", "cloup", "asyncclick"})


def command_class_methods(pf: PythonFile) -> set[ast.AST]:
    """Return the methods of the file's command classes: those extending a click-family command class (`invoke`,
    `get_command` of `class RunCommand(click.RichGroup)`), and those that declare their own command-line arguments
    on the parser they are handed (`def configure_parser(self, parser): parser.add_argument(...)`, a Django
    command's `add_arguments`): they run the command line, whose messages and exit codes they own."""
    methods: set[ast.AST] = set()
    clicks = bool({module.split(".", 1)[0] for module in pf.imported_modules} & CLICK_MODULES)
    for cls in pf.nodes(ast.ClassDef):
        if not isinstance(cls, ast.ClassDef):
            continue
        bases = [(pf.qualname(base) or "").split(".") for base in cls.bases] if clicks else []
        extends = any(parts[0] in CLICK_MODULES and parts[-1].endswith(("Command", "Group")) for parts in bases)
        body = [item for item in cls.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)]
        if extends or any(_declares_arguments(pf, method) for method in body):
            methods.update(body)
    return methods


PARSER_DECLARATIONS = frozenset(
    {"add_argument", "add_argument_group", "add_mutually_exclusive_group", "add_subparsers"}
)


def _declares_arguments(pf: PythonFile, method: FunctionNode) -> bool:
    """Return True for a method that adds arguments to a parser it takes (`parser.add_argument("--json")`)."""
    params = {a.arg for a in (*method.args.args[1:], *method.args.kwonlyargs)}
    return bool(params) and any(
        isinstance(node.func, ast.Attribute)
        and node.func.attr in PARSER_DECLARATIONS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in params
        for node in pf.within(method, ast.Call)
    )


# the calls that parse a command line: a function making one is the program's command (its usage, its exit code)
COMMAND_LINE_PARSERS = frozenset({"argparse.ArgumentParser", "docopt.docopt"})


def _parser_functions(pf: PythonFile) -> set[str]:
    """Return the functions that build an argparse parser or parse `argv` with docopt."""
    names: set[str] = set()
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) in COMMAND_LINE_PARSERS:
            fn = pf.enclosing_function(call)
            if fn is not None:
                names.add(fn.name)
    return names


OUTPUTS_FACT = "logging.outputs"


@dataclass(frozen=True)
class OutputCall:
    """A print, `sys.stderr.write` or root-logger call of a module that the file alone does not show to be
    command-line output (console scripts of pyproject.toml decide the rest: `is_cli_output`)."""

    line: int
    name: str  # "print", "sys.stderr.write" or the root-logger function ("logging.info", "logging.basicConfig")
    argument: str  # the first argument of a print or stderr write, shortened and redacted
    function: str | None  # the innermost enclosing function
    functions: tuple[str, ...]  # every enclosing function, innermost first
    verbose: bool  # a print behind `if verbose...` in its function
    classes: tuple[str, ...] = ()  # every enclosing class, innermost first (`fire.Fire(Runner)` commands its methods)
    opted_in: bool = False  # a `logging.basicConfig` behind an option its function's caller passes (`if log_level:`)

    @property
    def where(self) -> str:
        """Return the name of the enclosing function for messages (`fit()` of), or the empty string."""
        return f"{self.function}() of " if self.function is not None else ""


def is_cli_module(path: str) -> bool:
    """Return True for a command-line module by its path: cli.py (or private _cli.py), __main__.py, or any module
    of a cli/ (_cli/, commands/) package."""
    pure = pure_path(path)
    stems = {pure.stem, pure.stem.strip("_")}
    return bool(stems & CLI_MODULES) or any(part.strip("_") in CLI_MODULES for part in pure.parts[:-1])


def file_outputs(pf: PythonFile) -> tuple[OutputCall, ...]:
    """Return the module's output calls outside every command-line context the file itself shows.

    Those contexts: a CLI module, a module that parses the command line at import, the main
    guard, and command functions (main, printing helpers, argparse/click commands, handlers of
    parsed arguments).
    """
    if is_cli_module(pf.path):
        return ()
    commands: set[str] | None = None
    terminal: set[ast.AST] | None = None
    gated: set[str] | None = None
    found: list[OutputCall] = []
    for call in pf.nodes(ast.Call):
        name = _output_name(pf, call)
        if name is None or pf.in_main_guard(call):
            continue
        commands = file_commands(pf) if commands is None else commands
        terminal = _terminal_readers(pf) | command_class_methods(pf) if terminal is None else terminal
        functions = [a for a in pf.ancestors(call) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)]
        if any(_prints_by_contract(f, commands) or _takes_parsed_arguments(f) or f in terminal for f in functions):
            continue
        if name == "print" and functions and _display_mode(pf, call, functions[0]):
            continue
        shown = _first_argument(call) if name in ("print", "sys.stderr.write") else ""
        gated = _called_only_when_verbose(pf) if gated is None else gated
        verbose = name == "print" and (_behind_verbose_flag(pf, call) or any(f.name in gated for f in functions))
        innermost = functions[0].name if functions else None
        classes = tuple(a.name for a in pf.ancestors(call) if isinstance(a, ast.ClassDef))
        if name == "print" and any(CONSOLE_BACKEND.match(c) for c in classes):
            continue  # `ConsoleLogger.log`: the console implementation of an output interface prints by design
        opted_in = name == "logging.basicConfig" and bool(functions) and _behind_caller_option(pf, call, functions[0])
        names = tuple(f.name for f in functions)
        found.append(OutputCall(call.lineno, name, shown, innermost, names, verbose, classes, opted_in))
    return () if found and parses_arguments_on_import(pf) else tuple(found)


# a class named as the console implementation of an output interface (`ConsoleLogger` beside `WandbLogger`,
# `StdoutWriter`, `PrintCallback`, `TerminalReporter`): printing is its job
CONSOLE_BACKEND = re.compile(r"^_?(?:Console|Stdout|Terminal|Print(?:ing)?)[A-Z]\w*$")


def _output_name(pf: PythonFile, call: ast.Call) -> str | None:
    """Return `print` (not to a file), `sys.stderr.write` or the root-logger function a call is, else None."""
    if isinstance(call.func, ast.Name) and call.func.id == "print":
        return None if _prints_to_file(call, pf) else "print"
    name = pf.call_name(call)
    if name == "sys.stderr.write" or (name and name.startswith("logging.") and name[8:] in ROOT_LOGGER_CALLS):
        return name
    return None


def outputs(pf: PythonFile) -> tuple[OutputCall, ...]:
    """Return the module's output calls outside the command-line contexts the file shows (a per-file fact)."""
    found: tuple[OutputCall, ...] = pf.file_fact(OUTPUTS_FACT, file_outputs)
    return found


def is_cli_output(project: Project, pf: PythonFile, call: OutputCall) -> bool:
    """Return True when the call runs in a function pyproject.toml names as a console script, or in a function or
    class handed to a command-line framework (`fire.Fire(Runner)` makes each method of Runner a command)."""
    scripts = script_functions(project, pf)
    return any(name in scripts for name in (*call.functions, *call.classes))


# calls that ask the user at the terminal: the prompt functions of the standard library, click, typer and rich
PROMPTS = frozenset({"getpass.getpass", "click.prompt", "click.confirm", "typer.prompt", "typer.confirm"})
PROMPT_CLASSES = frozenset({"rich.prompt.Prompt", "rich.prompt.Confirm", "rich.prompt.IntPrompt"})
# a helper named for asking the user (`chatio.prompt_for_input(role)`, `read_user_input()`); not `get_input(batch)`,
# which takes a model's input from a batch
INPUT_READER = re.compile(r"^(?:(?:prompt|ask)(?:_for)?_(?:user_)?input|(?:read|get)_user_input)$")


def _asks_user(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a call that reads the user's answer at the terminal."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name == "input" and isinstance(func, ast.Name):
        return True
    if INPUT_READER.match(name):
        return True
    qualified = pf.qualname(func) or ""
    owner = pf.qualname(func.value) if isinstance(func, ast.Attribute) else None
    return qualified in PROMPTS or (name == "ask" and owner in PROMPT_CLASSES)


def _terminal_readers(pf: PythonFile) -> set[ast.AST]:
    """Return the interactive functions of a file: each asks the user at the terminal (`input()`, `getpass`,
    `click.prompt`, rich's `Prompt.ask` or an input-reading helper such as `chatio.prompt_for_input(role)`; itself or
    in a function defined inside it), so its prints are the prompts and replies of a dialogue, not log output."""
    readers: set[ast.AST] = set()
    for call in pf.nodes(ast.Call):
        if _asks_user(pf, call):
            readers.update(a for a in pf.ancestors(call) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef))
    return readers


NAMESPACE_TYPES = frozenset({"argparse.Namespace", "Namespace"})


def _takes_parsed_arguments(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True for a command handler: a parameter annotated `argparse.Namespace` (the parsed command line), also
    as a forward reference (`args: "Namespace"`, imported only for type checking)."""
    params = (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)
    return any(p.annotation is not None and _names_namespace(p.annotation) for p in params)


def _names_namespace(annotation: ast.expr) -> bool:
    """Return True for the annotation `argparse.Namespace` or `Namespace`, written as code or as a string."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.strip() in NAMESPACE_TYPES
    return ast.unparse(annotation) in NAMESPACE_TYPES


def parses_arguments_on_import(pf: PythonFile) -> bool:
    """Return True for a module whose top level parses the command line: a program run with `python -m`. Also
    through one of its own functions called outside the main guard (`args = parse_args()` where `parse_args` calls
    `parser.parse_args()`): importing the module would parse the command line, so nothing imports it."""
    parsers: set[str] = set()  # the module's top-level functions that parse the command line
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("parse_args", "parse_known_args"):
            top = _top_statement(pf, call)
            if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                return True
            if isinstance(top, ast.FunctionDef):
                parsers.add(top.name)
    for stmt in pf.tree.body if parsers else ():
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) or (
            isinstance(stmt, ast.If) and is_main_guard(stmt)
        ):
            continue
        if any(isinstance(n.func, ast.Name) and n.func.id in parsers for n in pf.within(stmt, ast.Call)):
            return True
    return False


def _top_statement(pf: PythonFile, node: ast.AST) -> ast.AST:
    """Return the statement of the module body that holds the node."""
    top = node
    for anc in pf.ancestors(node):
        if anc is pf.tree:
            break
        top = anc
    return top


# the first word of a docstring that says the function's job is to print (`"""Print debug information..."""`)
PRINTING_DOC_WORDS = frozenset({"print", "prints", "display", "displays", "show", "shows", "pretty-print"})


def _prints_by_contract(func: ast.FunctionDef | ast.AsyncFunctionDef, commands: set[str]) -> bool:
    """Return True for a function whose name or docstring says it prints (`print_summary`, a `debug_info()`
    documented as "Print debug information about the setup."): its prints are its output, not diagnostics."""
    if _is_output_function(func.name, commands):
        return True
    words = (ast.get_docstring(func) or "").split(maxsplit=1)
    if not words:
        return False
    first = words[0].lower()
    return first in PRINTING_DOC_WORDS or (first in LISTING_DOC_WORDS and not _returns_value(func))


# the first word of a docstring that says the function lists something (`"""List the bundled recordings."""`):
# a function documented so that returns nothing can list only by printing
LISTING_DOC_WORDS = frozenset({"list", "lists"})


def _returns_value(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True when the function (not one nested in it) returns or yields a value."""
    pending: list[ast.AST] = list(func.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            return True
        if isinstance(node, ast.Yield | ast.YieldFrom):
            return True
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return False


def _is_output_function(name: str, commands: set[str]) -> bool:
    """Return True for command functions and helpers whose job is to print (`print_summary`, `__repr__`,
    `smart_display_frame`, `_visualize`: a name saying it shows output prints by contract)."""
    return (
        name in commands
        or name == "main"
        or name in {"__repr__", "__str__"}
        or name.lstrip("_").startswith(PRINTING_FUNCTIONS)
        or not DISPLAY_WORDS.isdisjoint(name.lower().split("_"))
    )


def safe_snippet(text: str, limit: int = 40) -> str:
    """Return a one-line, shortened code snippet with token-like runs (possible secrets) redacted.

    A long identifier outside any string literal (`ForeachIncompatibleException(`) is code, not a value, and
    stays readable; every long run inside a literal is hidden, words or not.
    """
    text = " ".join(text.split())
    literal = _literal_positions(text)
    text = _TOKEN_LIKE.sub(lambda m: _shown_run(m, literal), text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _shown_run(match: re.Match[str], literal: list[bool]) -> str:
    run = match.group(0)
    return run if _IDENTIFIER.fullmatch(run) and not literal[match.start()] else redact(run)


def _literal_positions(text: str) -> list[bool]:
    """Return, per character, whether it sits inside a quoted string (an unterminated one runs to the end)."""
    inside: list[bool] = []
    quote = ""
    escaped = False
    for char in text:
        if quote:
            inside.append(True)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        else:
            inside.append(char in "'\"")
            quote = char if char in "'\"" else ""
    return inside


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


def _display_mode(pf: PythonFile, call: ast.Call, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True for a print in the display mode of a function whose flag chooses between returning its result
    and printing it (`def bug_report(as_dict=False)`: `if as_dict: return report`, then the report printed; or a
    print under `if not as_dict:`): the caller asked to see it."""
    flags = {
        name
        for name, default in parameter_defaults(func.args).items()
        if isinstance(default, ast.Constant) and isinstance(default.value, bool)
    }
    returning = {flag for flag in flags if _returns_when(func, flag) is not None}
    if not returning:
        return False
    early = [line for flag in returning if (line := _returns_when(func, flag)) is not None]
    if call.lineno > min(early):
        return True
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if anc is func:
            return False
        if isinstance(anc, ast.If) and child is not anc.test and _negates(anc.test, returning):
            return child in anc.body
        child = anc
    return False


def _returns_when(func: ast.FunctionDef | ast.AsyncFunctionDef, flag: str) -> int | None:
    """Return the last line of a top-level `if flag: return value` of the function (with no else), or None."""
    for stmt in func.body:
        if (
            isinstance(stmt, ast.If)
            and isinstance(stmt.test, ast.Name)
            and stmt.test.id == flag
            and not stmt.orelse
            and any(isinstance(inner, ast.Return) and inner.value is not None for inner in stmt.body)
        ):
            return stmt.end_lineno or stmt.lineno
    return None


def _negates(test: ast.expr, flags: set[str]) -> bool:
    return (
        isinstance(test, ast.UnaryOp)
        and isinstance(test.op, ast.Not)
        and isinstance(test.operand, ast.Name)
        and test.operand.id in flags
    )


def _behind_verbose_flag(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a print under `if verbose:` or a flag that asks for output (`if print_info:`, `if self.show:`),
    also written as an expression (`verbose and print(...)`, `print(...) if verbose else None`), or after its
    function returned early when that flag is off (`if self.verbose < 1: return`, `if not verbose: return`)."""
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.If) and child is not anc.test and _output_flag(anc.test):
            return True
        if isinstance(anc, ast.IfExp) and child is anc.body and _output_flag(anc.test):
            return True
        if isinstance(anc, ast.BoolOp) and isinstance(anc.op, ast.And) and _and_guarded(anc, child):
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return _returned_unless_verbose(anc.body, child)
        child = anc
    return False


def _returned_unless_verbose(body: list[ast.stmt], statement: ast.AST) -> bool:
    """Return True when a statement of a function's body before `statement` returns when output is off
    (`if self.verbose < 1: return`, `if not verbose: return`): what follows runs only when output is asked for."""
    for stmt in body:
        if stmt is statement:
            return False
        if isinstance(stmt, ast.If) and _returns_when_output_off(stmt):
            return True
    return False


def _returns_when_output_off(guard: ast.If) -> bool:
    """Return True for `if <output off>: ... return` with no else branch: a guard ending its function early."""
    return not guard.orelse and isinstance(guard.body[-1], ast.Return) and _output_off(guard.test)


_OFF_WHEN_FLAG_LEFT = (ast.Lt, ast.LtE, ast.Eq, ast.Is)
_OFF_WHEN_FLAG_RIGHT = (ast.Gt, ast.GtE, ast.Eq, ast.Is)
SILENCING_FLAGS = frozenset({"quiet", "silent"})


def _output_off(test: ast.expr) -> bool:
    """Return True for a condition that holds when output is off: `not verbose`, `self.verbose < 1`,
    `verbosity == 0`, `0 >= verbose`, `not verbose or ...`, or a flag asking for silence (`if quiet:`)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _output_flag(test.operand) and not _silencing(test.operand)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_output_off(value) for value in test.values)
    if isinstance(test, ast.Name | ast.Attribute):
        return _silencing(test)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    left, right, op = test.left, test.comparators[0], test.ops[0]
    if isinstance(right, ast.Constant) and isinstance(op, _OFF_WHEN_FLAG_LEFT):
        return _verbosity(left) and _off_values(right, op)
    if isinstance(left, ast.Constant) and isinstance(op, _OFF_WHEN_FLAG_RIGHT):
        return _verbosity(right) and _off_values(left, op)
    return False


def _silencing(node: ast.expr) -> bool:
    """Return True for a name or attribute of a flag that asks for silence (`quiet`, `self.silent_mode`)."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return not SILENCING_FLAGS.isdisjoint(name.lower().split("_"))


def _verbosity(node: ast.expr) -> bool:
    """Return True for an expression reading an output flag that asks for output (not `quiet`)."""
    return not isinstance(node, ast.Constant) and _output_flag(node) and not _silencing(node)


def _off_values(bound: ast.Constant, op: ast.cmpop) -> bool:
    """Return True when comparing a level with `bound` by `op` selects the lowest levels (`< 1`, `<= 0`, `< 2`), or
    equality selects a falsy value (`== 0`, `is False`, `is None`)."""
    if isinstance(op, ast.Eq | ast.Is):
        return not bound.value
    strict = isinstance(op, ast.Lt | ast.Gt)
    return type(bound.value) is int and bound.value >= (1 if strict else 0)


def _behind_caller_option(pf: PythonFile, call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True for a call under an `if` that reads one of its function's options, off unless the caller sets
    it (a parameter defaulting to None or False), directly or as the attribute it is stored in (`if log_level is
    not None:`, `if self.log_level is not None:` in `__init__`): the caller asks for it."""
    parameters = {
        name
        for name, default in parameter_defaults(function.args).items()
        if isinstance(default, ast.Constant) and (default.value is None or default.value is False)
    }
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if anc is function:
            return False
        if isinstance(anc, ast.If) and child is not anc.test and _reads_parameter(anc.test, parameters):
            return True
        child = anc
    return False


def _reads_parameter(test: ast.expr, parameters: set[str]) -> bool:
    """Return True when a condition reads a parameter (`log_level`) or a `self.` attribute of the same name."""
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id in parameters:
            return True
        if isinstance(node, ast.Attribute) and node.attr in parameters and is_self(node.value):
            return True
    return False


def _called_only_when_verbose(pf: PythonFile) -> set[str]:
    """Return the module's functions that it calls only behind a verbosity flag (`if self.verbose:
    self.log_epoch(...)`): their prints are output on request, as if each sat under the caller's `if`.
    A function also referenced otherwise (handed on as a callback) may run at any time."""
    functions = pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
    defined = {f.name for f in functions if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    called = {id(call.func): call for call in pf.nodes(ast.Call)}
    gated: dict[str, bool] = {}
    for node in pf.nodes(ast.Name, ast.Attribute):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if name in defined:
            call = called.get(id(node))
            gated[name] = gated.get(name, True) and call is not None and _behind_verbose_flag(pf, call)
    return {name for name, always in gated.items() if always}


def _and_guarded(expr: ast.BoolOp, child: ast.AST) -> bool:
    """Return True when an operand before `child` in `a and b and child` reads an output flag."""
    index = next((i for i, value in enumerate(expr.values) if value is child), 0)
    return any(_output_flag(value) for value in expr.values[:index])


def _output_flag(test: ast.expr) -> bool:
    """Return True when a condition reads a verbosity setting, by name or by key (`kwargs.get("verbose")`),
    a flag named for showing output, or one of the other names verbosity goes by (`if trace:` in ports of R's
    auto.arima, scipy's `disp`, `quiet`), or ranks a debug level (`if DEBUG >= 2:`: a scale of verbosity);
    a debug switch (`if debug_mode:`) is not one: its prints are leftovers."""
    for node in ast.walk(test):
        if isinstance(node, ast.Compare) and _ranks_debug_level(node):
            return True
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        lowered = name.lower()
        words = lowered.split("_")
        if "verbos" in lowered or not (DISPLAY_WORDS.isdisjoint(words) and VERBOSITY_FLAGS.isdisjoint(words)):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "verbos" in node.value.lower():
            return True
    return False


ORDERINGS = (ast.Gt, ast.GtE, ast.Lt, ast.LtE)


def _ranks_debug_level(compare: ast.Compare) -> bool:
    """Return True for a comparison that orders a debug setting against a whole number (`DEBUG >= 2`,
    `self.debug > 1`, `2 <= debug_level`): the setting is a level, each step asking for more output."""
    if len(compare.ops) != 1 or not isinstance(compare.ops[0], ORDERINGS):
        return False
    sides = (compare.left, compare.comparators[0])
    level = any(isinstance(side, ast.Constant) and type(side.value) is int for side in sides)
    return level and any(_names_debug(side) for side in sides)


def _names_debug(node: ast.expr) -> bool:
    """Return True for a name or attribute with the word "debug" in it (`DEBUG`, `self.debug_level`)."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return "debug" in name.lower().split("_")


def _where(pf: PythonFile, node: ast.AST) -> str:
    fn = pf.enclosing_function(node)
    return f"{fn.name}() of {pf.path}" if fn is not None else pf.path


def library_prints(project: Project, pf: PythonFile) -> Iterator[OutputCall]:
    """Yield the print calls of a library module that are not CLI output or writes to a file. A Sphinx `conf.py`
    wherever it lives (`web/conf.py`) is the docs build's settings: its prints report that build, as a script's do."""
    if is_sphinx_conf(pf):
        return
    for call in outputs(pf):
        if call.name == "print" and not is_cli_output(project, pf, call):
            yield call


def records_metric(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a `.log(...)` call that records a metric, not a message: `log({"loss": x})`,
    `log("train_loss", value, step)` (a key without spaces, then the value), or the `log` method of a metric
    logger handing its own `key` on. The stdlib's and loguru's `log` take a level first (`logging.INFO`,
    `level`, `"SUCCESS"`), then the message."""
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.Dict | ast.DictComp):
        return True
    if len(call.args) >= 2 and _names_a_key(first):
        return True
    function = pf.enclosing_function(call)
    return (
        function is not None
        and function.name == "log"
        and isinstance(first, ast.Name)
        and first.id in {a.arg for a in function.args.args} - {"level", "lvl", "levelno"}
        and len(call.args) >= 2
    )


def _names_a_key(node: ast.expr) -> bool:
    """Return True for a string or f-string naming a metric (`"val_loss"`, `f"{key}/class_{i}"`): no space, not
    an upper-case level name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        text = text or "key"
    else:
        return False
    return bool(text) and not any(c.isspace() for c in text) and not text.isupper()


def _is_logger(pf: PythonFile, expr: ast.expr) -> bool:
    if isinstance(expr, ast.Call):
        return pf.call_name(expr) == "logging.getLogger"
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""
    return name.lower().rstrip("_").endswith(("log", "logger")) or pf.qualname(expr) in LOGGER_MODULES


# modules and objects whose level methods log: the standard library, loguru's logger, absl's logging module
LOGGER_MODULES = frozenset({"logging", "loguru.logger", "absl.logging"})


def script_output(project: Project, pf: PythonFile, call: OutputCall) -> bool:
    """Return True for a print of a module nothing imports that is a script's output.

    That is any print of a root-level module, any print of a module whose main guard runs one of its
    functions (a tool run with `python -m`: its prints are what it reports), and a module-level print
    (outside any function) of a module in a folder that is not a package: an analysis script that
    prints its result is run, never imported. A package module prints at import, which is never a
    script's output.
    """
    if pf.path in imported_files(project):
        return False
    if "/" not in pf.path or _runs_a_function(pf):
        return True
    folder = pf.path.rsplit("/", 1)[0]
    in_package = project.has_file(f"{folder}/__init__.py")
    return not in_package and call.function is None
