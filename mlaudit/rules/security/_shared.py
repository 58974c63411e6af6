"""Provides helpers shared by several rules of the `security` practice (or by other modules)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.facts.input_origin import request_derived
from mlaudit.facts.reexported_names import reexported_calls
from mlaudit.facts.unsafe_loading import opened_paths
from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, Project, PythonFile, assigned_values, is_self_attribute, prose_lines
from mlaudit.registry import FileRule, Hit, Output
from mlaudit.rules.logging._shared import LOG_METHODS, _is_logger
from mlaudit.secret_sweep import LocatedSecret, sweep
from mlaudit.secrets import GUESSED_KIND, is_guessed, split_lines

# settings modules (kind CONFIG, `configs/x.py`) run when loaded: their calls are judged as code
CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK, FileKind.CONFIG)


FIXTURE_PARTS = frozenset({"tests", "test", "testing", "fixtures", "testdata", "test_data"})


@dataclass(frozen=True)
class FoundSecret:
    """A secret found at HEAD: where it is, what kind, and its redacted form only."""

    path: str
    line: int | None
    cell: int | None
    in_output: bool
    description: str
    fixture: bool  # under tests/ or fixtures/, or a credential for a loopback server (a request's, a URL's password)
    guessed: bool = False  # found by randomness under a secret-like name, not by a known format
    example: bool = False  # a URL or command-line password in an exception, warning or log message: a format shown
    dialogue: bool = False  # a value named in a sentence of a data set's text ("Here is your new password: ...")
    documented: bool = False  # a URL or command-line password, or a guessed token, in a docstring: an example shown
    ci_service: bool = False  # a setting of a service container a CI job starts for its tests (a throwaway database)

    @property
    def harmless(self) -> bool:
        """Return True for a value reported as info only: a test fixture, a format shown in a message or a
        docstring, or a value a data set's dialogue spells out."""
        return self.fixture or self.example or self.dialogue or self.documented or self.ci_service


# a test module by its language's naming convention: `x_test.py`, `x_test.go`, `x.test.ts`, `x.spec.js`, `x_spec.rb`
_TEST_MODULE_NAME = re.compile(r"[\w.\-]+(?:_test|\.test|\.spec|_spec)\.(?:py|go|rs|[cm]?[jt]sx?|rb|java|kt)")


def is_fixture_path(path: str) -> bool:
    """Return True for files under tests/ or fixtures/ folders, or test modules by any language's naming convention."""
    pure = PurePosixPath(path)
    if any(p in FIXTURE_PARTS for p in pure.parts[:-1]) or pure.name.startswith("test_"):
        return True
    return _TEST_MODULE_NAME.fullmatch(pure.name) is not None


def current_secrets(project: Project) -> tuple[FoundSecret, ...]:
    """Return every secret at HEAD: code, notebooks (every string), configs, data, unparsed and left-out files."""
    data_lines = _DataLines(project)
    return tuple(
        FoundSecret(
            s.path,
            s.line,
            s.cell,
            s.in_output,
            s.match.describe(),
            is_fixture_path(s.path) or s.match.local,
            is_guessed(s.match.kind, s.path),
            _explains_format(project, s),
            _said_in_data(data_lines, s),
            _documents_example(project, s),
            _ci_service_setting(project, s),
        )
        for s in sweep(project).found
    )


class _DataLines:
    """The lines of the project's data files, each split once when a secret is first found in it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.data = {f.path for f in project.files if f.kind is FileKind.DATA}
        self.lines: dict[str, list[str]] = {}
        self.cells: dict[str, list[tuple[int, int, int, int]]] = {}

    def line(self, path: str, number: int) -> str | None:
        """Return line `number` (from 1) of a data file, or None for another file or a line it does not have."""
        if path not in self.data:
            return None
        if path not in self.lines:
            self.lines[path] = split_lines(self.project.text(path) or "")
        lines = self.lines[path]
        return lines[number - 1] if 0 < number <= len(lines) else None

    def in_text_cell(self, path: str, number: int, column: int) -> bool:
        """Return True when line `number` (from 1), column `column` of a CSV/TSV data file sits inside a quoted
        field that spans several lines: a record's running text (a model response, a message, a document)."""
        if path not in self.data or not path.lower().endswith(_TABLE_SUFFIXES):
            return False
        if path not in self.cells:
            self.cells[path] = _multiline_fields(self.project.text(path) or "")
        return any(
            (first, first_col) <= (number, column) < (last, last_col)
            for first, first_col, last, last_col in self.cells[path]
        )


_TABLE_SUFFIXES = (".csv", ".tsv")


def _multiline_fields(text: str) -> list[tuple[int, int, int, int]]:
    """Return (first line, column after the opening quote, last line, column of the closing quote) of each quoted
    field of a CSV text that spans more than one line (`""` inside a field is an escaped quote)."""
    found: list[tuple[int, int, int, int]] = []
    line, column, index, size = 1, 0, 0, len(text)
    opened: tuple[int, int] | None = None
    previous = "\n"
    while index < size:
        char = text[index]
        if char == '"' and opened is None and previous in ",;\t\n\r":
            opened = (line, column + 1)
        elif char == '"' and opened is not None:
            if index + 1 < size and text[index + 1] == '"':
                index, column = index + 2, column + 2
                previous = '"'
                continue
            if line > opened[0]:
                found.append((opened[0], opened[1], line, column))
            opened = None
        if char == "\n":
            line, column = line + 1, 0
        else:
            column += 1
        previous = char
        index += 1
    return found


_WORKFLOW = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_YAML_KEY = re.compile(r"^(\s*)(?:-\s+)?([\w.-]+)\s*:")


def _ci_service_setting(project: Project, secret: LocatedSecret) -> bool:
    """Return True for a value under `jobs: <job>: services:` of a GitHub Actions workflow (`POSTGRES_PASSWORD` of
    the database container the job starts for its tests): the container lives as long as the job, reachable from
    its runner alone, so its credential guards nothing, like a database on the author's own machine."""
    if secret.line is None or secret.cell is not None or not _WORKFLOW.match(secret.path):
        return False
    lines = split_lines(project.text(secret.path) or "")
    return 0 < secret.line <= len(lines) and {"jobs", "services"} <= set(_yaml_ancestors(lines, secret.line - 1))


def _yaml_ancestors(lines: list[str], index: int) -> list[str]:
    """Return the keys of the block-style YAML mappings that hold line `index`, innermost first (by indentation)."""
    found: list[str] = []
    own = len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[:index]):
        key = _YAML_KEY.match(line)
        if key is None or line.lstrip().startswith("#"):
            continue
        indent = len(key.group(1))
        if indent < own:
            found.append(key.group(2))
            own = indent
    return found


# a secret-like word inside running text: a word, a space, the name and `:` or `is` before the value
_IN_A_SENTENCE = re.compile(r"(?i)[a-z]{2,} [a-z_ ]*(?:password|passcode|pin|token|key|secret)\s*(?::|\bis)\s*$")


def _said_in_data(data_lines: _DataLines, secret: LocatedSecret) -> bool:
    """Return True for a random-looking value a data set's text names in a sentence ("Here is your new password:
    a9B7$#fG3&Z1. Please keep it safe." in a tool-calling conversation), or writes inside a quoted field of a CSV
    that runs over several lines (a model response quoting `password: john1234smith`): the record shows what a
    model reads or says, it configures nothing. A key of a record (`"password": "..."`, a one-line CSV cell of a
    credentials dump) or a value in a known key format is no sentence and still counts."""
    if secret.line is None or secret.cell is not None or secret.match.line_offset:
        return False
    if not secret.match.kind.startswith(GUESSED_KIND):
        return False
    if data_lines.in_text_cell(secret.path, secret.line, secret.match.start):
        return True
    line = data_lines.line(secret.path, secret.line)
    return line is not None and _IN_A_SENTENCE.search(line[: secret.match.start]) is not None


# Kinds of secret written as part of a connection format (`scheme://user:password@host`, `mysql -u user -ppw`).
FORMAT_KINDS = frozenset({"password in URL", "password on a command line"})
MESSAGE_LINES_FACT = "security.message_lines"  # a per-file fact, computed only for a module where the sweep found one
PROSE_LINES_FACT = "security.prose_lines"  # the same, for the lines of docstrings and other bare strings
WARN_CALLS = frozenset({"warnings.warn", "warnings.warn_explicit"})


def _explains_format(project: Project, secret: LocatedSecret) -> bool:
    """Return True for a URL or command-line password inside a message string of a module (`message_lines`)."""
    if secret.match.kind not in FORMAT_KINDS:
        return False
    return _on_module_lines(project, secret, MESSAGE_LINES_FACT, message_lines)


def _documents_example(project: Project, secret: LocatedSecret) -> bool:
    """Return True for a URL or command-line password, or a value found only by its randomness under a token-like
    name, inside a module's docstring or other bare string (`prose_lines`): a connection format or a sample
    response shown to the reader. A key in a provider's format, or a password or secret by name, is not merely
    an example wherever it is written."""
    if secret.match.kind not in FORMAT_KINDS and not is_guessed(secret.match.kind, secret.path):
        return False
    return _on_module_lines(project, secret, PROSE_LINES_FACT, prose_lines)


def _on_module_lines(
    project: Project, secret: LocatedSecret, fact: str, lines_of: Callable[[PythonFile], frozenset[int]]
) -> bool:
    """Return True when the secret sits in a module (not a notebook) on one of the lines the per-file fact gives."""
    if secret.line is None or secret.cell is not None:
        return False
    pf = project.python.get(secret.path)
    if pf is None or pf.is_notebook:
        return False
    found: frozenset[int] = pf.file_fact(fact, lines_of)
    return secret.line in found


def message_lines(pf: PythonFile) -> frozenset[int]:
    """Return the lines of the module's message strings: what a raised exception, an `assert`, a warning or a
    log call says (`raise ValueError("expected postgresql://user:pw@host/db")`). Such text explains the format
    to a reader; it connects to nothing."""
    messages: list[ast.expr] = []
    for node in pf.nodes(ast.Raise, ast.Assert, ast.Call):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            messages += [*node.exc.args, *(k.value for k in node.exc.keywords)]
        elif isinstance(node, ast.Assert) and node.msg is not None:
            messages.append(node.msg)
        elif isinstance(node, ast.Call) and _says_message(pf, node):
            messages += node.args
    messages += _bound_messages(pf, messages)
    lines: set[int] = set()
    for message in messages:
        for part in ast.walk(message):
            if isinstance(part, ast.JoinedStr) or (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                lines.update(range(part.lineno, (part.end_lineno or part.lineno) + 1))
    return frozenset(lines)


def _bound_messages(pf: PythonFile, messages: list[ast.expr]) -> list[ast.expr]:
    """Return the values bound, in the same function, to names a message passes (`msg = f"..."; raise E(msg)`)."""
    found: list[ast.expr] = []
    for message in messages:
        if not isinstance(message, ast.Name):
            continue
        scope = pf.enclosing_function(message) or pf.tree
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == message.id for t in node.targets
            ):
                found.append(node.value)
    return found


def _says_message(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a warning or a log call (`logger.error(...)`, `logging.warning(...)`)."""
    if pf.call_name(call) in WARN_CALLS:
        return True
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in LOG_METHODS and _is_logger(pf, func.value)


def _secrets(project: Project) -> tuple[FoundSecret, ...]:
    result: tuple[FoundSecret, ...] = project.fact("security.secrets", current_secrets)
    return result


ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"})


def _literal_str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _env_key(pf: PythonFile, node: ast.AST) -> tuple[bool, str | None]:
    """Return (is an environment read, the variable name if literal)."""
    if isinstance(node, ast.Call) and pf.call_name(node) in ENV_CALLS:
        return True, _literal_str(node.args[0]) if node.args else None
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and pf.qualname(node.value) == "os.environ":
        return True, _literal_str(node.slice)
    return False, None


SECRET_ENV_FACT = "security.secret_env_read"
SECRET_ENV_NAME = re.compile(r"(?i)key|token|secret|password|passwd|credential|auth")


def secret_env_read(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, variable) of the module's first environment read of a secret-like variable (a per-file fact)."""
    found: tuple[int, str] | None = pf.file_fact(SECRET_ENV_FACT, first_secret_env_read)
    return found


def first_secret_env_read(pf: PythonFile) -> tuple[int, str] | None:
    """Compute `secret_env_read` of a module."""
    for node in pf.nodes(ast.Call, ast.Subscript):
        is_read, key = _env_key(pf, node)
        if is_read and key is not None and SECRET_ENV_NAME.search(key):
            return getattr(node, "lineno", 0), key
    return None


CALLS_FACT = "calls.first"


def first_calls(pf: PythonFile) -> tuple[tuple[str, int], ...]:
    """Return each name a call of the module resolves to, with the line of its first call, in call order."""
    found: tuple[tuple[str, int], ...] = pf.file_fact(CALLS_FACT, collect_first_calls)
    return found


def collect_first_calls(pf: PythonFile) -> tuple[tuple[str, int], ...]:
    """Compute `first_calls` of a module."""
    seen: dict[str, int] = {}
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        if name and name not in seen:
            seen[name] = call.lineno
    return tuple(seen.items())


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """Return the value of a keyword argument, if given."""
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def is_const(node: ast.expr | None, value: object) -> bool:
    """Return True when the node is the literal `value` (True, False, None...)."""
    return isinstance(node, ast.Constant) and node.value is value


REQUEST_UNPICKLE_FIX = (
    "Never unpickle what a client sends: accept a safe format (JSON fields validated by a schema, "
    "safetensors, ONNX) and load models only from artifacts you built."
)


def request_unpickle_hit(pf: PythonFile, call: ast.Call, shown: str) -> Hit | None:
    """Return a critical hit when a pickle-based load reads what a web route or handler received from its client."""
    source = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in _FILE_ARGS), None)
    if source is None or not request_derived(pf, call, source):
        return None
    message = (
        f"{shown} {place(pf, call)} unpickles data the client sent: anyone who can call the service runs code on it"
    )
    return Hit(pf.path, call.lineno, message, Severity.CRITICAL, fix=REQUEST_UNPICKLE_FIX)


_FILE_ARGS = frozenset({"f", "file", "filename", "fp", "data", "filepath_or_buffer", "path"})


def place(pf: PythonFile, node: ast.AST) -> str:
    """Return `in train()` or `at module level` for messages."""
    func = pf.enclosing_function(node)
    return f"in {func.name}()" if func is not None else "at module level"


class CallRule(FileRule):
    """A rule judging the resolved calls of code files one by one (`judge` returns a hit or None)."""

    targets: frozenset[str] = frozenset()
    file_kinds = CODE_KINDS

    def check(self, project: Project) -> Iterator[Output]:
        """Yield each file's hits, then those of target calls the file reaches through a repository module's
        re-export (`from mypkg.torch_utils import torch` where that module holds `import torch`)."""
        yield from super().check(project)
        if not self.targets:
            return
        files = project.python_of(*self.file_kinds)
        resolved = reexported_calls(project, files)
        for pf in files if resolved else ():
            hidden = {n: target for n, target in resolved.get(pf.path, {}).items() if target in self.targets}
            for call in pf.nodes(ast.Call) if hidden else ():
                target = hidden.get(pf.call_name(call) or "")
                hit = self.judge(pf, call, target) if target is not None else None
                if hit is not None:
                    yield hit

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for call in pf.nodes(ast.Call):
            name = pf.call_name(call)
            if name is not None and (not self.targets or name in self.targets):
                hit = self.judge(pf, call, name)
                if hit is not None:
                    yield hit

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        """Return a hit for this call, or None."""
        raise NotImplementedError


DISTRIBUTED_COLLECTIVES = frozenset(
    {"broadcast", "all_gather", "gather", "scatter", "recv", "irecv", "all_to_all", "all_gather_into_tensor"}
)
BYTES_LOADS = frozenset({"pickle.loads", "_pickle.loads", "cPickle.loads", "cloudpickle.loads", "dill.loads"})


def exchanged_between_ranks(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True for unpickling bytes (`pickle.loads`) in a function that exchanges them through
    torch.distributed collectives (`dist.all_gather`, `dist.broadcast`): the job reads back objects its
    own processes pickled, not a file or a request someone else controls."""
    func = pf.enclosing_function(call)
    if name not in BYTES_LOADS or func is None:
        return False
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            called = pf.call_name(node) or ""
            if called.startswith("torch.distributed.") and called.rsplit(".", 1)[-1] in DISTRIBUTED_COLLECTIVES:
                return True
    return False


# Calls and attributes that read bytes from outside the process: a file, a socket, a response body.
_READS = frozenset({"read", "read_bytes", "recv", "recvfrom", "recv_bytes", "urlopen", "content", "body"})
_OPENERS = frozenset({"load", "open", "urlopen", "download"})  # calls that bring a file's or a server's bytes in


def reads_outside(pf: PythonFile, node: ast.AST) -> bool:
    """Return True for a read of bytes from outside the process: `f.read()`, `sock.recv(n)`, `torch.load(path)`."""
    if isinstance(node, ast.Attribute) and node.attr in _READS:
        return True
    name = pf.call_name(node) if isinstance(node, ast.Call) else None
    return name is not None and name.rsplit(".", 1)[-1] in _OPENERS


def round_trip_through_buffer(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a load of an in-memory buffer (`pickle.load(io.BytesIO(data))`, `torch.load(buf)`) in a
    function that itself pickles into one (`torch.save(obj, buffer)` with `buffer = io.BytesIO()`) and reads no
    bytes from a file, socket or response: it reads back its own bytes (a deep copy, or an object one rank
    serialises and broadcasts to the job's other ranks), not a file someone else could swap. A loader nested in
    that function (`def load(raw): return pickle.load(io.BytesIO(raw))` mapped over the gathered bytes) is part
    of it."""
    func = pf.enclosing_function(call)
    while func is not None and (outer := pf.enclosing_function(func)) is not None:
        func = outer
    source = call.args[0] if call.args else None
    if func is None or source is None or not _memory_buffer(pf, func, source):
        return False
    nodes = [n for n in ast.walk(func) if not _reads_memory(pf, func, n)]
    if any(reads_outside(pf, n) for n in nodes):
        return False
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("dump", "save")
        and len(n.args) >= 2
        and _memory_buffer(pf, func, n.args[1])
        for n in nodes
    )


def loads_own_pickled_state(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a load, in a `__setstate__` method, of an in-memory buffer over the state it is handed
    (`torch.load(io.BytesIO(state["model"]))`): that runs while the object itself is unpickled, and the pickle
    carrying those bytes could already run any code, so loading them adds no risk. A file the state names
    (`torch.load(state["path"])`) is read from outside the pickle and is judged as any load."""
    func = pf.enclosing_function(call)
    if func is None or func.name != "__setstate__" or len(func.args.args) < 2 or not call.args:
        return False
    state = func.args.args[1].arg
    source = call.args[0]
    if isinstance(source, ast.Name):  # `buffer = io.BytesIO(state["model"])`, then `torch.load(buffer)`
        bound = assigned_values(func, source.id)
        return bool(bound) and all(_buffer_over(pf, value, state) for value in bound)
    return _buffer_over(pf, source, state)


def _buffer_over(pf: PythonFile, node: ast.expr, name: str) -> bool:
    """Return True for `io.BytesIO(<an expression reading name>)`."""
    return (
        isinstance(node, ast.Call)
        and (pf.call_name(node) or "").rsplit(".", 1)[-1] == "BytesIO"
        and any(isinstance(n, ast.Name) and n.id == name for arg in node.args for n in ast.walk(arg))
    )


def _reads_memory(pf: PythonFile, func: FunctionNode, node: ast.AST) -> bool:
    """Return True for a call whose first argument is an in-memory buffer (`torch.load(buf)`): no outside read."""
    return isinstance(node, ast.Call) and bool(node.args) and _memory_buffer(pf, func, node.args[0])


def _memory_buffer(pf: PythonFile, func: FunctionNode, node: ast.expr) -> bool:
    """Return True for `io.BytesIO(...)` or a name the function binds only to such a buffer (`buf = io.BytesIO()`,
    `with io.BytesIO() as buf:`)."""
    if isinstance(node, ast.Name):
        bound = assigned_values(func, node.id) + _with_bound(func, node.id)
        return bool(bound) and all(_memory_buffer(pf, func, value) for value in bound)
    return isinstance(node, ast.Call) and (pf.call_name(node) or "").rsplit(".", 1)[-1] == "BytesIO"


DUMPS = frozenset({"dump", "save", "to_pickle"})


def reads_back_own_dump(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the loading function also writes the same file with a dump (`pickle.dump(batch, f)`
    into `open(self._path, "wb")`, then `pickle.load` from `open(self._path, "rb")`): it reads back its own cache."""
    func = pf.enclosing_function(call)
    source = call.args[0] if call.args else None
    if func is None or source is None:
        return False
    opened = opened_paths(func)
    wanted = ast.dump(opened.get(source.id, source) if isinstance(source, ast.Name) else source)
    for node in ast.walk(func):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or node.func.attr not in DUMPS:
            continue
        for arg in [*node.args[1:], *(k.value for k in node.keywords if k.arg in ("file", "path", "filename"))]:
            if ast.dump(opened.get(arg.id, arg) if isinstance(arg, ast.Name) else arg) == wanted:
                return True
    return False


# words of a function's name that make it the reading half of a save/load pair (`load`, `try_load`, `load_models`)
LOAD_WORDS = frozenset({"load", "restore", "unpickle", "deserialize", "deserialise"})
FETCH_WORDS = ("download", "urlopen", "urlretrieve", "fetch")
# calls that hand on the same path or file in another form: `Path(p)`, `open(p, "rb")`, `p.open("wb")`, `f.read()`
SAME_FILE_CALLS = frozenset({"open", "Path", "str", "fspath", "expanduser", "abspath", "read", "read_bytes"})
HANDLE_METHODS = frozenset({"read", "read_bytes"})  # and `.open` called on a path object
OPENERS = frozenset({"gzip", "io", "bz2", "lzma", "fsspec", "builtins", "codecs"})  # `gzip.open(path)`


def loads_what_its_class_saves(pf: PythonFile, call: ast.Call, name: str) -> str | None:
    """Return the function that pickles what a load reads back, when the load is the reading half of a save/load
    pair: it sits in a function named for loading (`load`, `try_load`, `load_models`, `restore`), and another
    function of the same class (of the module, for a module-level loader) writes with the same library's dump
    (`joblib.dump` for `joblib.load`, `pickle.dumps` for `pickle.loads`, `.to_pickle` for `pandas.read_pickle`)
    to the same file: each to the path its caller passes (a parameter of each), or both to one attribute of the
    instance (`self.checkpoint_path`). The pair is how the code persists its own objects and reads them back.
    None otherwise, and when the loader downloads or fetches what it reads."""
    loader = pf.enclosing_function(call)
    if loader is None or not LOAD_WORDS & set(loader.name.lower().strip("_").split("_")) or not call.args:
        return None
    read = _file_source(pf, loader, call.args[0])
    if read is None or any(_fetches(pf, n) for n in ast.walk(loader)):
        return None
    owner = pf.parent(loader)
    scope = owner if isinstance(owner, ast.ClassDef) else pf.tree
    for func in ast.walk(scope):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) and func is not loader:
            dumps = (node for node in ast.walk(func) if isinstance(node, ast.Call) and dumps_like(pf, node, name))
            written = (_file_source(pf, func, target) for dump in dumps if (target := _dump_file(pf, dump)))
            if any(_same_file(read, source) for source in written):
                return func.name
    return None


def _same_file(read: str, written: str | None) -> bool:
    """Return True when a loader and a writer name the same file: each the path its own caller passes (a
    parameter of each), or the same attribute of the instance (`self.checkpoint_path` in both)."""
    if written is None:
        return False
    if read.startswith("self."):
        return read == written
    return not written.startswith("self.")


def _fetches(pf: PythonFile, node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    called = pf.call_name(node) or ast.unparse(node.func)
    return any(word in called.lower() for word in FETCH_WORDS)


def dumps_like(pf: PythonFile, node: ast.Call, load: str) -> bool:
    """Return True for the dump matching `load` (`pickle.dump`/`pickle.dumps` for `pickle.load`)."""
    if load == "pandas.read_pickle":
        return isinstance(node.func, ast.Attribute) and node.func.attr == "to_pickle"
    library = load.rsplit(".", 1)[0]
    return pf.call_name(node) in (f"{library}.dump", f"{library}.dumps")


def _dump_file(pf: PythonFile, dump: ast.Call) -> ast.expr | None:
    """Return the file or path a dump writes to: `pickle.dump(obj, f)`, `joblib.dump(obj, path)`,
    `df.to_pickle(path)`, or the handle that writes `dumps()`'s bytes (`f.write(pickle.dumps(obj))`)."""
    if isinstance(dump.func, ast.Attribute) and dump.func.attr == "to_pickle":
        return dump.args[0] if dump.args else None
    if isinstance(dump.func, ast.Attribute) and dump.func.attr == "dumps":
        host = pf.parent(dump)
        writes = isinstance(host, ast.Call) and isinstance(host.func, ast.Attribute) and host.func.attr == "write"
        return (
            host.func.value if writes and isinstance(host, ast.Call) and isinstance(host.func, ast.Attribute) else None
        )
    named = [k.value for k in dump.keywords if k.arg in ("file", "filename")]
    return dump.args[1] if len(dump.args) > 1 else (named[0] if named else None)


def _file_source(pf: PythonFile, func: FunctionNode, node: ast.expr, depth: int = 0) -> str | None:
    """Return the parameter of `func` (`path`) or the instance attribute (`self.checkpoint_path`) a file or path
    expression stands for: itself, `Path(path)`, `open(path)`, `path.open("rb")`, `f.read()` of such a handle, or
    a local or `with` name bound to one of those; None for anything else (a path joined to a file name, a
    constant, another object's attribute)."""
    if depth > 4:
        return None
    if isinstance(node, ast.Attribute) and is_self_attribute(node):
        return f"self.{node.attr}"
    if isinstance(node, ast.Name):
        params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
        if node.id in params and not _rebound_from_elsewhere(func, node.id):
            return node.id
        bound = _with_bound(func, node.id) or assigned_values(func, node.id)
        return _file_source(pf, func, bound[0], depth + 1) if len(bound) == 1 else None
    if not isinstance(node, ast.Call):
        return None
    called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if called not in SAME_FILE_CALLS:
        return None
    opens_path_object = called == "open" and not (
        isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id in OPENERS
    )
    if isinstance(node.func, ast.Attribute) and (called in HANDLE_METHODS or opens_path_object):
        return _file_source(pf, func, node.func.value, depth + 1)  # `path.open("rb")`, `f.read()`
    return _file_source(pf, func, node.args[0], depth + 1) if node.args else None  # `open(path)`, `Path(path)`


def _rebound_from_elsewhere(func: FunctionNode, name: str) -> bool:
    """Return True when the function assigns the parameter something not derived from itself."""
    for value in assigned_values(func, name):
        if not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(value)):
            return True
    return False


def _with_bound(func: FunctionNode, name: str) -> list[ast.expr]:
    """Return the context expressions `with ... as name:` binds in the function."""
    return [
        item.context_expr
        for node in ast.walk(func)
        if isinstance(node, ast.With | ast.AsyncWith)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name
    ]


PICKLE_LOADS = frozenset(
    {
        "pickle.load",
        "pickle.loads",
        "_pickle.load",
        "_pickle.loads",
        "cPickle.load",
        "cPickle.loads",
        "cloudpickle.load",
        "cloudpickle.loads",
        "dill.load",
        "dill.loads",
        "joblib.load",
        "sklearn.externals.joblib.load",
        "pandas.read_pickle",
        "pickle.Unpickler",
    }
)


def loader_references(pf: PythonFile, loaders: frozenset[str]) -> Iterator[tuple[ast.expr, str]]:
    """Yield each loader named as a value, not called: a table's entry (`{".pkl": pickle.load}`), an argument
    (`partial(pickle.load)`, `loader=joblib.load`), an assigned, listed or returned value. Whoever calls it
    later runs it on whatever file reaches it."""
    targets = set(pf.imports.values())
    if not any(loader == t or loader.startswith(f"{t}.") for t in targets for loader in loaders):
        return  # nothing the file imports is a loader or a module holding one: no reference can resolve to one
    lasts = {name.rsplit(".", 1)[-1] for name in loaders}
    imports = pf.imports
    for node in pf.nodes(ast.Attribute, ast.Name):
        # a reference resolves to a loader only by the loader's last name, or through an imported alias
        if isinstance(node, ast.Attribute):
            named = node.attr in lasts
        else:
            named = isinstance(node, ast.Name) and imports.get(node.id, "") in loaders
        if not named or not isinstance(node, ast.Attribute | ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        holder = pf.parent(node)
        if isinstance(holder, ast.Attribute) or (isinstance(holder, ast.Call) and holder.func is node):
            continue
        passed = isinstance(holder, ast.Call | ast.keyword | ast.Dict | ast.List | ast.Tuple | ast.Return)
        if passed or (isinstance(holder, ast.Assign) and holder.value is node and not _kept_to_restore(pf, holder)):
            name = pf.qualname(node)
            if name in loaders:
                yield node, name


def _kept_to_restore(pf: PythonFile, assign: ast.Assign) -> bool:
    """Return True when the loader an assignment keeps (`_original_load = pickle.load`, `self.saved = pickle.load`)
    is read back only to be put back in its place (`pickle.load = _original_load`): a module that patches the
    loader saving the original to undo the patch hands the loader to no caller."""
    if len(assign.targets) != 1 or not isinstance(assign.value, ast.Attribute | ast.Name):
        return False
    target = assign.targets[0]
    loader = assign.value.attr if isinstance(assign.value, ast.Attribute) else assign.value.id
    reads: list[ast.expr]
    if isinstance(target, ast.Name):
        reads = [n for n in pf.nodes(ast.Name) if n.id == target.id and isinstance(n.ctx, ast.Load)]
    elif isinstance(target, ast.Attribute) and is_self_attribute(target):
        reads = [
            n
            for n in pf.nodes(ast.Attribute)
            if n.attr == target.attr and is_self_attribute(n) and isinstance(n.ctx, ast.Load)
        ]
    else:
        return False
    return bool(reads) and all(_puts_back(pf, read, loader) for read in reads)


def _puts_back(pf: PythonFile, read: ast.expr, loader: str) -> bool:
    """Return True for `pickle.load = <read>`: the kept value assigned back to an attribute named like the loader."""
    holder = pf.parent(read)
    return (
        isinstance(holder, ast.Assign)
        and holder.value is read
        and all(isinstance(t, ast.Attribute) and t.attr == loader for t in holder.targets)
    )


# the pickle-based loaders that read a file (not bytes, not the Unpickler class a subclass extends)
FILE_PICKLE_LOADERS = PICKLE_LOADS - BYTES_LOADS - {"pickle.Unpickler"}


SAFE_YAML_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else "call"


def is_interpolated(node: ast.expr | None) -> bool:
    """Return True for f-strings with fields, `%`/`+` string building and `.format(...)`."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        sides = (node.left, node.right)
        return any(isinstance(side, ast.Constant | ast.JoinedStr) or is_interpolated(side) for side in sides)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, ast.Constant)
    return False


# stdlib values fixed for a platform: `f"({PAGER}) 2>{os.devnull}"` takes in nothing from outside the code
FIXED_STDLIB_VALUES = frozenset({"os.devnull", "os.sep", "os.pathsep", "os.linesep", "os.curdir", "os.pardir"})


def fixed_text(pf: PythonFile, node: ast.expr) -> bool:
    """Return True when an interpolated string is built only from values fixed in the code: literals, module
    constants bound once to a literal (`PAGER = "less"`) and fixed stdlib values (`os.devnull`)."""
    parts = _interpolated_parts(node)
    return parts is not None and all(_fixed_value(pf, part) for part in parts)


def _interpolated_parts(node: ast.expr) -> list[ast.expr] | None:
    """Return what an f-string, `%`/`+` building or `"...".format(...)` takes in; None for anything else."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        right = node.right.elts if isinstance(node.right, ast.Tuple) and isinstance(node.op, ast.Mod) else [node.right]
        return [node.left, *right]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return [node.func.value, *node.args, *(k.value for k in node.keywords)]
    return None


def _fixed_value(pf: PythonFile, node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | int | float)
    if isinstance(node, ast.Name) and pf.qualname(node) is None:
        return _module_literal(pf, node)
    if isinstance(node, ast.Attribute):
        return pf.qualname(node) in FIXED_STDLIB_VALUES
    return fixed_text(pf, node)


def _module_literal(pf: PythonFile, name: ast.Name) -> bool:
    """Return True when `name` is bound once in the file, at module level, to a string or number literal, and the
    function using it takes no parameter of that name."""
    bindings: list[ast.Assign | ast.AnnAssign | ast.AugAssign] = [
        node
        for node in pf.nodes(ast.Assign, ast.AnnAssign, ast.AugAssign)
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        for bound in ast.walk(target)
        if isinstance(bound, ast.Name) and bound.id == name.id
    ]
    if len(bindings) != 1 or pf.parent(bindings[0]) is not pf.tree:
        return False
    func = pf.enclosing_function(name)
    params = {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)} if func is not None else set()
    value = bindings[0].value
    return name.id not in params and isinstance(value, ast.Constant) and isinstance(value.value, str | int | float)


SUBPROCESS_CALLS = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}
)


SHELL_CALLS = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"})
