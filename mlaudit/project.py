"""Provides the parsed project: every file read once, Python and notebooks parsed once."""

from __future__ import annotations

import ast
import io
import json
import operator
import re
import tokenize
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, TypeVar

from mlaudit.discover import Inventory, SourceFile, read_regular
from mlaudit.model import FileKind, Skipped
from mlaudit.options import AuditOptions

MAX_FILE_BYTES = 5 * 1024 * 1024
TEXT_KINDS = frozenset({FileKind.CONFIG, FileKind.MANIFEST, FileKind.OTHER})
N = TypeVar("N", bound=ast.AST)
T = TypeVar("T")
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_MAGIC_ASSIGN = re.compile(r"^(\s*[\w.,\s]+=\s*)[!%].*$")
_IMAGE_PREFIX = "image/"
_CELL_MAGICS_PYTHON = frozenset({"time", "timeit", "capture", "prun", "debug"})


_POSITION = operator.attrgetter("lineno", "col_offset")
_SINGLETON_FIELDS = frozenset({"ctx", "op", "ops"})
_SIGNATURE = re.compile(r"^\w+\((.*)\)$")
_NOT_NODES = frozenset({"identifier", "string", "int", "constant"})
ONE_NODE, NODE_LIST, ANY_VALUE = 0, 1, 2
_CHILD_FIELDS: dict[type[ast.AST], tuple[tuple[str, int], ...]] = {}


def child_fields(cls: type[ast.AST]) -> tuple[tuple[str, int], ...]:
    """Return the fields of a node type that hold child nodes, each with how: one node, a list, or either.

    The kinds come from the node type's grammar signature (`Name(identifier id, expr_context ctx)`);
    fields it does not describe are checked value by value. Shared singletons (`ctx`, `op`, `ops`) are left out.
    """
    known = _CHILD_FIELDS.get(cls)
    if known is not None:
        return known
    doc = (cls.__doc__ or "").strip().split("\n", 1)[0]
    match = _SIGNATURE.match(doc)
    declared: dict[str, str] = {}
    for part in match.group(1).split(", ") if match and match.group(1) else ():
        kind, _, name = part.rpartition(" ")
        declared[name] = kind
    fields: list[tuple[str, int]] = []
    for name in cls._fields:
        kind = declared.get(name)
        if name in _SINGLETON_FIELDS or (kind is not None and kind.rstrip("*?") in _NOT_NODES):
            continue
        fields.append((name, ANY_VALUE if kind is None else NODE_LIST if kind.endswith("*") else ONE_NODE))
    _CHILD_FIELDS[cls] = found = tuple(fields)
    return found


@dataclass(frozen=True)
class Cell:
    """One notebook cell: its 1-based index among all cells, type, source and output text."""

    index: int
    cell_type: str
    source: str
    outputs: tuple[str, ...]
    first_line: int
    output_bytes: int = 0


@dataclass(frozen=True)
class NotebookString:
    """A string of a notebook outside its cells' sources (metadata, outputs): its cell (None: the notebook's own)."""

    cell: int | None
    text: str


@dataclass(frozen=True)
class CodeLine:
    """Where a line of parsed code really is: its line, and its notebook cell if any."""

    line: int
    cell: int | None


class Summary(Protocol):
    """What the per-file fact layer (`mlaudit.filefacts`) knows of a module without its tree."""

    @property
    def has_main_guard(self) -> bool:
        """Return True when the module has a top-level `if __name__ == "__main__":`."""

    @property
    def imports(self) -> tuple[tuple[str, str], ...]:
        """Return each local name bound by an import, with the qualified name it stands for."""

    @property
    def imported_modules(self) -> frozenset[str]:
        """Return the absolute module names imported anywhere in the file."""

    def fact(self, name: str) -> object:
        """Return the named fact, or `MISSING` when it was not extracted."""


MISSING = object()
CODE_LINES_FACT = "lines.code"  # a per-file fact (mlaudit.filefacts)
QUOTED_LINES_FACT = "lines.quoted"  # the lines earlier audits quoted, kept with a module's facts (mlaudit.filefacts)


def quoted_lines(value: object) -> dict[int, str]:
    """Return the lines a `QUOTED_LINES_FACT` value holds, by number; {} for anything else (absent or malformed)."""
    if not isinstance(value, tuple):
        return {}
    found: dict[int, str] = {}
    for item in value:
        if not (isinstance(item, tuple) and len(item) == 2 and type(item[0]) is int and type(item[1]) is str):
            return {}
        found[item[0]] = item[1]
    return found


def count_code_lines(pf: PythonFile) -> int:
    """Return the number of lines of a module that are neither blank nor comments."""
    return line_counts(pf.lines).code_before[-1]


@dataclass(frozen=True)
class LineCounts:
    """One pass over a file's lines: code lines before each line, and blank and comment lines (radon's raw counts)."""

    code_before: list[int]  # code lines (neither blank nor comment) among the first i lines, for i = 0..len(lines)
    blank: int
    comments: int  # lines holding only a comment
    trailing: int  # code lines with a ` #` (radon counts a trailing comment so)


def line_counts(lines: list[str]) -> LineCounts:
    """Return the line counts of a file's lines (the last file's are kept: several figures read them in turn)."""
    last = _LAST_COUNTS[-1] if _LAST_COUNTS else None  # read once: another thread may replace it
    if last is not None and last[0] is lines:
        return last[1]
    code_before = [0]
    code = blank = comments = trailing = 0
    for line in lines:
        stripped = line.lstrip()
        if not stripped:
            blank += 1
        elif stripped[0] == "#":
            comments += 1
        else:
            code += 1
            if " #" in line:
                trailing += 1
        code_before.append(code)
    counts = LineCounts(code_before, blank, comments, trailing)
    _LAST_COUNTS[:] = [(lines, counts)]
    return counts


_LAST_COUNTS: list[tuple[list[str], LineCounts]] = []  # the last file's lines (held, so never another's) and counts


@dataclass
class PythonFile:
    """A parsed Python module or notebook; indexes are built once, on first use.

    A module whose per-file facts came from a worker process or the fact cache (`summary`)
    is parsed here only when something asks for its tree (`tree`, `nodes`, `parent`, ...); one
    git's index shows unchanged, with its facts cached, is not even read until its text is asked for.
    """

    source: SourceFile
    _text: str | None
    _tree: ast.Module | None
    cells: tuple[Cell, ...] = ()
    _cell_starts: tuple[tuple[int, int], ...] = ()
    notebook_strings: tuple[NotebookString, ...] | None = field(default=(), repr=False)
    summary: Summary | None = field(default=None, repr=False)
    _index: dict[type[ast.AST], list[ast.AST]] = field(default_factory=dict, repr=False)
    _parents: dict[ast.AST, ast.AST] = field(default_factory=dict, repr=False)
    _merged: dict[tuple[type[ast.AST], ...], list[ast.AST]] = field(default_factory=dict, repr=False)
    _call_names: dict[ast.Call, str | None] = field(default_factory=dict, repr=False)
    _facts: dict[str, object] = field(default_factory=dict, repr=False)
    reader: Callable[[], str | None] | None = field(default=None, repr=False)
    """Reads the text of a module whose facts came from the cache unread; None: unreadable since discovery."""
    quoted: dict[int, str] | None = field(default_factory=dict, repr=False)
    """Every line `line()` returned in this audit, by number (the fact cache keeps them for the next);
    None when the text could not be read after all (its empty lines are not the content's)."""
    _kept: dict[int, str] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """Return the module's text: read on first use for a module whose facts came from the cache unread."""
        if self._text is None:
            read = self.reader() if self.reader is not None else ""
            if read is None:  # gone or unreadable since discovery: the rules see an empty module
                self.quoted = None
            self._text = read or ""
        return self._text

    @property
    def tree(self) -> ast.Module:
        """Return the module's tree, parsing the text on first use when only its facts were loaded."""
        if self._tree is None:
            self._tree = ast.parse(self.text, filename=self.source.path)
        return self._tree

    @property
    def parsed(self) -> bool:
        """Return True once the tree exists in this process."""
        return self._tree is not None

    def file_fact(self, name: str, compute: Callable[[PythonFile], T]) -> T:
        """Return a per-file fact: from the fact layer when it extracted it, else `compute(self)` (once)."""
        known = self._facts.get(name, MISSING)
        if known is MISSING and self.summary is not None:
            known = self.summary.fact(name)
        if known is MISSING:
            known = compute(self)
        self._facts[name] = known
        return known  # type: ignore[return-value]

    def computed_facts(self) -> dict[str, object]:
        """Return the per-file facts computed for this module, not read from its summary."""
        summary = self.summary
        if summary is None:
            return dict(self._facts)
        return {name: value for name, value in self._facts.items() if summary.fact(name) is MISSING}

    def segment_at(self, lineno: int) -> str:
        """Return a line of the parsed text, stripped, for messages."""
        return self.line(lineno).strip()

    def line(self, lineno: int) -> str:
        """Return a line of the parsed text as it is, or '' out of range.

        A module whose facts came from the cache unread answers from the lines earlier audits
        quoted (`QUOTED_LINES_FACT`), so a finding's code line does not make it read.
        """
        if self._text is None and self.summary is not None:
            if self._kept is None:
                self._kept = quoted_lines(self.summary.fact(QUOTED_LINES_FACT))
            kept = self._kept
            if lineno in kept:
                return kept[lineno]
        lines = self.lines
        text = lines[lineno - 1] if 1 <= lineno <= len(lines) else ""
        if self.quoted is not None:
            self.quoted[lineno] = text
        return text

    @property
    def path(self) -> str:
        """Return the repo-relative POSIX path."""
        return self.source.path

    @property
    def kind(self) -> FileKind:
        """Return the file's kind."""
        return self.source.kind

    @property
    def is_notebook(self) -> bool:
        """Return True for notebooks (code cells parsed as one module)."""
        return self.source.kind is FileKind.NOTEBOOK

    @cached_property
    def lines(self) -> list[str]:
        """Return the source lines (notebooks: code cells joined)."""
        return self.text.splitlines()

    @cached_property
    def code_lines(self) -> int:
        """Return the number of lines that are neither blank nor comments (a per-file fact)."""
        return self.file_fact(CODE_LINES_FACT, count_code_lines)

    def _build_index(self) -> None:
        """Index every node by type and record parents in one pre-order pass (source order).

        Context and operator nodes (`Load`, `Add`, `Eq`, ...) are shared singletons in parsed
        trees: they are neither indexed nor given a parent.
        """
        index: dict[type[ast.AST], list[ast.AST]] = defaultdict(list)
        parents = self._parents
        stack: list[ast.AST] = [self.tree]
        node_type = ast.AST
        while stack:
            node = stack.pop()
            cls = type(node)
            index[cls].append(node)
            fields = _CHILD_FIELDS.get(cls)
            if fields is None:
                fields = child_fields(cls)
            children: list[ast.AST] = []
            for name, kind in fields:
                value = getattr(node, name, None)
                if kind == NODE_LIST:
                    if value:  # a list of nodes; `None` stands in for `**` dict keys and absent kw-only defaults
                        children.extend(value if None not in value else (v for v in value if v is not None))
                elif kind == ONE_NODE:
                    if value is not None:
                        children.append(value)
                elif type(value) is list:
                    children.extend(item for item in value if isinstance(item, node_type))
                elif isinstance(value, node_type):
                    children.append(value)
            if children:
                for child in children:
                    parents[child] = node
                children.reverse()
                stack.extend(children)
        self._index = dict(index)

    def nodes(self, *types: type[N]) -> list[N]:
        """Return every node of the given types, in source (pre-order) order."""
        if not self._index:
            self._build_index()
        if len(types) == 1:
            return list(self._index.get(types[0], []))  # type: ignore[arg-type]
        merged = self._merged.get(types)
        if merged is None:  # several types: merged in source order once, then copied
            merged = [node for kind in types for node in self._index.get(kind, [])]
            positioned = all("lineno" in kind._attributes for kind in types)
            merged.sort(
                key=_POSITION if positioned else lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))
            )
            self._merged[types] = merged
        return list(merged)  # type: ignore[arg-type]

    def parent(self, node: ast.AST) -> ast.AST | None:
        """Return the node's parent, or None for the module."""
        if not self._index:
            self._build_index()
        return self._parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        """Yield the node's ancestors, innermost first."""
        current = self.parent(node)
        while current is not None:
            yield current
            current = self.parent(current)

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        """Return the innermost function containing the node, if any."""
        for anc in self.ancestors(node):
            if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
                return anc
        return None

    def in_main_guard(self, node: ast.AST) -> bool:
        """Return True when the node sits under `if __name__ == "__main__":`."""
        return any(isinstance(a, ast.If) and is_main_guard(a) for a in self.ancestors(node))

    @cached_property
    def has_main_guard(self) -> bool:
        """Return True when the module has a top-level `if __name__ == "__main__":`."""
        if self.summary is not None:
            return self.summary.has_main_guard
        return any(isinstance(s, ast.If) and is_main_guard(s) for s in self.tree.body)

    @cached_property
    def from_imports(self) -> dict[str, tuple[str, str]]:
        """Map names bound by `from module import name` to (absolute module, name), relative imports resolved."""
        parts = module_name(self.path).split(".")
        package = parts if self.path.endswith("__init__.py") else parts[:-1]
        found: dict[str, tuple[str, str]] = {}
        for node in self.nodes(ast.ImportFrom):
            if not isinstance(node, ast.ImportFrom):
                continue
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            module = ".".join([*base, *([node.module] if node.module else [])]) if node.level else node.module or ""
            for alias in node.names:
                found[alias.asname or alias.name] = (module, alias.name)
        return found

    @cached_property
    def imports(self) -> dict[str, str]:
        """Map each local name bound by an import to the qualified name it stands for."""
        if self.summary is not None:
            return dict(self.summary.imports)
        names: dict[str, str] = {}
        for node in self.nodes(ast.Import, ast.ImportFrom):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        names[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        return names

    @cached_property
    def imported_modules(self) -> frozenset[str]:
        """Return the absolute module names imported anywhere in the file."""
        if self.summary is not None:
            return self.summary.imported_modules
        mods: set[str] = set()
        for node in self.nodes(ast.Import, ast.ImportFrom):
            if isinstance(node, ast.Import):
                mods.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods.add(node.module)
        return frozenset(mods)

    def qualname(self, expr: ast.AST) -> str | None:
        """Resolve `np.random.seed` to `numpy.random.seed` through the file's imports."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        base = self.imports.get(expr.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def call_name(self, call: ast.Call) -> str | None:
        """Return the qualified name of a call's target, if it resolves through imports (resolved once per call)."""
        names = self._call_names
        if call not in names:
            names[call] = self.qualname(call.func)
        return names[call]

    def where(self, line: int) -> CodeLine:
        """Map a line of the parsed text to its real line (and notebook cell)."""
        if not self._cell_starts:
            return CodeLine(line, None)
        cell, start = self._cell_starts[0]
        for index, first in self._cell_starts:
            if first > line:
                break
            cell, start = index, first
        return CodeLine(line - start + 1, cell)

    def location(self, line: int) -> str:
        """Return `path:line`, or `path[cell N]:line` for a notebook, for messages."""
        where = self.where(line)
        cell = "" if where.cell is None else f"[cell {where.cell}]"
        return f"{self.path}{cell}:{where.line}"

    def virtual_line(self, cell: int | None, line: int) -> int:
        """Map a (cell, line-in-cell) back to a line of the parsed text (inverse of `where`)."""
        if cell is None:
            return line
        for index, first in self._cell_starts:
            if index == cell:
                return first + line - 1
        return line

    def segment(self, node: ast.AST) -> str:
        """Return the first source line of a node, stripped, for messages."""
        return self.segment_at(getattr(node, "lineno", 0))


def module_name(path: str) -> str:
    """Return the dotted module name of a repository file (`src/` layouts stripped)."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def is_main_guard(node: ast.If) -> bool:
    """Return True for `if __name__ == "__main__":` (either operand order)."""
    test = node.test
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    has_name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    has_main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return has_name and has_main


@dataclass
class Project:
    """The audited repository after discovery and parsing; rules read, never mutate, it."""

    inventory: Inventory
    python: dict[str, PythonFile]
    texts: dict[str, str]
    skipped: list[Skipped]
    options: AuditOptions = field(default_factory=AuditOptions)
    _facts: dict[str, object] = field(default_factory=dict, repr=False)
    # git blob ids of the files git's index shows unmodified (their content is that blob); empty
    # when unknown (outside git, or with the cache off)
    blobs: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        """Return the absolute root of the audited tree."""
        return self.inventory.root

    @property
    def files(self) -> tuple[SourceFile, ...]:
        """Return every discovered file."""
        return self.inventory.files

    def of_kind(self, *kinds: FileKind) -> list[SourceFile]:
        """Return the discovered files of the given kinds."""
        return [f for f in self.inventory.files if f.kind in kinds]

    def python_of(self, *kinds: FileKind) -> list[PythonFile]:
        """Return the parsed Python files (and notebooks) of the given kinds."""
        return [pf for pf in self.python.values() if pf.kind in kinds]

    def text(self, path: str) -> str | None:
        """Return a text file's content, read once at load time (None if unreadable)."""
        return self.texts.get(path)

    def has_file(self, path: str) -> bool:
        """Return True when the repo-relative path was discovered."""
        return path in self.kinds

    @cached_property
    def kinds(self) -> dict[str, FileKind]:
        """Map every discovered path to its kind."""
        return {f.path: f.kind for f in self.inventory.files}

    @property
    def tracked(self) -> frozenset[str] | None:
        """Return the paths git tracks, or None outside git."""
        return self.inventory.tracked

    def tool(self, name: str) -> Any:
        """Return what the gatherer `name` produced (see `Rule.needs`), or None if it did not run."""
        return self._facts.get(f"tool:{name}")

    def store_tool(self, name: str, result: object) -> None:
        """Record a gatherer's result (None when it failed); the engine runs it before the first rule needing it."""
        self._facts[f"tool:{name}"] = result

    def gathered(self, name: str) -> bool:
        """Return True once the gatherer `name` has run here (or its result came from a forked child)."""
        return f"tool:{name}" in self._facts

    def fact(self, name: str, compute: Callable[[Project], object]) -> Any:
        """Return a shared derived fact, computed once by the first rule that asks."""
        if name not in self._facts:
            self._facts[name] = compute(self)
        return self._facts[name]

    def computed_facts(self, names: Iterable[str]) -> dict[str, object]:
        """Return the facts among `names` computed so far (a forked child sends them back)."""
        return {name: self._facts[name] for name in names if name in self._facts}

    def adopt_facts(self, facts: dict[str, object]) -> None:
        """Record facts computed elsewhere (by a forked child); a fact computed here is kept."""
        for name, value in facts.items():
            self._facts.setdefault(name, value)

    def parse_all(self) -> None:
        """Parse every module whose tree is not built yet (before a fork: both processes share the trees)."""
        for pf in self.python.values():
            if not pf.parsed:
                pf._tree = ast.parse(pf.text, filename=pf.path)

    def file_facts(self) -> dict[str, dict[str, object]]:
        """Return the per-file facts computed here so far, by path (a forked child sends them back).

        Facts a module's summary already held are left out: the parent has that summary too.
        """
        found: dict[str, dict[str, object]] = {}
        for path, pf in self.python.items():
            computed = pf.computed_facts()
            if computed:
                found[path] = computed
        return found

    def adopt_file_facts(self, facts: dict[str, dict[str, object]]) -> None:
        """Record per-file facts computed elsewhere (by a forked child); a fact computed here is kept."""
        for path, named in facts.items():
            pf = self.python.get(path)
            if pf is not None:
                for name, value in named.items():
                    pf._facts.setdefault(name, value)

    @cached_property
    def library_code_lines(self) -> int:
        """Return the code lines of library and script modules (not tests, not notebooks)."""
        return sum(pf.code_lines for pf in self.python_of(FileKind.LIBRARY, FileKind.SCRIPT))

    @cached_property
    def code_lines(self) -> int:
        """Return the code lines of every parsed Python file and notebook."""
        return sum(pf.code_lines for pf in self.python.values())


Summarize = Callable[[list[tuple[SourceFile, bytes | None]]], dict[str, "PythonFile | Skipped"]]


def load_project(
    inventory: Inventory,
    options: AuditOptions | None = None,
    on_file: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    summarize: Summarize | None = None,
    unread: Callable[[SourceFile], bool] | None = None,
) -> Project:
    """Read and parse every file of the inventory once; failures become skip entries.

    With `summarize` (the per-file fact layer), Python modules are handed to it as bytes: it
    returns each one parsed here (a PythonFile), summarised elsewhere (a PythonFile whose tree
    is parsed on first use) or skipped. A module for which `unread(source)` is True is handed
    over without its bytes (None): `summarize` reads it only if it has no cached facts for it.
    """
    python: dict[str, PythonFile] = {}
    texts: dict[str, str] = {}
    skipped = list(inventory.skipped)
    deferred: list[tuple[SourceFile, bytes | None]] = []
    for source in inventory.files:
        if should_stop is not None and should_stop():
            raise Cancelled
        if summarize is not None and source.abspath.suffix == ".py" and source.kind is not FileKind.NOTEBOOK:
            if unread is not None and unread(source):
                deferred.append((source, None))
                continue
            raw = _read(source, True)  # counted by `summarize` once summarised (`on_file`)
            if isinstance(raw, bytes):
                deferred.append((source, raw))
                continue
            if raw is not None:
                skipped.append(raw)
        else:
            _load_one(source, python, texts, skipped)
        if on_file is not None:
            on_file(source.path)
    if summarize is not None and deferred:
        python = _with_summarised(inventory, python, summarize(deferred), skipped)
    refined = _refine_kinds(inventory, python)
    return Project(refined, python, texts, sorted(skipped, key=lambda s: s.path), options or AuditOptions())


def _with_summarised(
    inventory: Inventory,
    python: dict[str, PythonFile],
    summarised: dict[str, PythonFile | Skipped],
    skipped: list[Skipped],
) -> dict[str, PythonFile]:
    """Merge the summarised modules into `python`, keeping the inventory's order."""
    for result in summarised.values():
        if isinstance(result, Skipped):
            skipped.append(result)
    ordered: dict[str, PythonFile] = {}
    for source in inventory.files:
        found = python.get(source.path) or summarised.get(source.path)
        if isinstance(found, PythonFile):
            ordered[source.path] = found
    return ordered


class Cancelled(Exception):
    """Raised when the caller asked the audit to stop."""


def _load_one(source: SourceFile, python: dict[str, PythonFile], texts: dict[str, str], skipped: list[Skipped]) -> None:
    """Read and parse one file into `python` or `texts`; anything unreadable goes to `skipped`."""
    wants_python = source.abspath.suffix == ".py" or source.kind is FileKind.NOTEBOOK
    if not (wants_python or _wants_text(source)):
        return
    raw = _read(source, wants_python)
    if raw is None:
        return
    result = _parse(source, raw, wants_python) if isinstance(raw, bytes) else raw
    if isinstance(result, Skipped):
        skipped.append(result)
    elif isinstance(result, PythonFile):
        python[source.path] = result
    else:
        texts[source.path] = result


def _wants_text(source: SourceFile) -> bool:
    """Return True for configs, manifests, other text, and small tabular/JSON data."""
    if source.kind is FileKind.DATA:
        return source.path.endswith((".csv", ".tsv", ".json", ".jsonl"))
    return source.kind in TEXT_KINDS


def read_module(source: SourceFile) -> bytes | Skipped | None:
    """Return a Python module's bytes, a skip entry saying why not, or None."""
    return _read(source, True)


def _read(source: SourceFile, wants_python: bool) -> bytes | Skipped | None:
    """Return the file's bytes, a skip entry saying why not, or None for large data (silently left)."""
    if source.size > MAX_FILE_BYTES:
        size = f"file too large ({source.size / 1e6:.1f} MB > 5 MB)"
        if wants_python:
            return Skipped(source.path, f"{size}: not parsed")
        return None if source.kind is FileKind.DATA else Skipped(source.path, f"{size}: not read")
    try:
        raw = read_regular(source.abspath, limit=MAX_FILE_BYTES)
    except OSError as err:
        return Skipped(source.path, f"unreadable: {err.strerror or err}")
    if b"\0" in raw[:8192]:
        return Skipped(source.path, "binary content (NUL bytes): not read")
    return raw


def _parse(source: SourceFile, raw: bytes, wants_python: bool) -> PythonFile | Skipped | str:
    if source.kind is FileKind.NOTEBOOK:
        return parse_notebook(source, raw)
    if wants_python:
        return parse_python(source, raw)
    return raw.decode("utf-8", errors="replace")


def decode_python(raw: bytes) -> str:
    """Decode Python source honouring PEP 263 coding cookies and BOMs."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding)


def parse_python(source: SourceFile, raw: bytes) -> PythonFile | Skipped:
    """Parse one Python file, or say why it cannot be."""
    try:
        text = decode_python(raw)
    except (SyntaxError, LookupError, UnicodeDecodeError) as err:
        return Skipped(source.path, f"cannot decode: {err}")
    try:
        tree = ast.parse(text, filename=source.path)
    except SyntaxError as err:
        return Skipped(source.path, f"syntax error at line {err.lineno}: {err.msg} (Python 2 or invalid code?)")
    except (ValueError, RecursionError, MemoryError) as err:
        return Skipped(source.path, f"cannot parse: {type(err).__name__}")
    return PythonFile(source, text, tree)


def parse_notebook(source: SourceFile, raw: bytes) -> PythonFile | Skipped:
    """Parse a notebook's code cells into one module, keeping a map back to the cells."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return Skipped(source.path, f"broken notebook: not valid JSON ({err})")
    except RecursionError:
        return Skipped(source.path, "broken notebook: JSON nested too deeply")
    try:
        return _notebook_of(source, data)
    except (RecursionError, MemoryError) as err:
        return Skipped(source.path, f"broken notebook: cannot parse ({type(err).__name__})")


def _notebook_of(source: SourceFile, data: object) -> PythonFile | Skipped:
    """Build the parsed notebook from its JSON data."""
    raw_cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(raw_cells, list):
        return Skipped(source.path, "broken notebook: no 'cells' list (nbformat 4 expected)")
    cells: list[Cell] = []
    body: list[ast.stmt] = []
    chunks: list[str] = []
    starts: list[tuple[int, int]] = []
    line = 1
    for index, raw_cell in enumerate(raw_cells, start=1):
        if not isinstance(raw_cell, dict):
            continue
        cell_type = str(raw_cell.get("cell_type", ""))
        text = _joined(raw_cell.get("source", ""))
        outputs = tuple(_output_texts(raw_cell.get("outputs", [])))
        cells.append(Cell(index, cell_type, text, outputs, line, _payload_size(raw_cell.get("outputs", []))))
        if cell_type != "code":
            continue
        code = neutralise_magics(text)
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            code = "\n".join("# " + ln for ln in code.splitlines())
            tree = ast.Module(body=[], type_ignores=[])
        ast.increment_lineno(tree, line - 1)
        body.extend(tree.body)
        starts.append((index, line))
        code_lines = code.splitlines() or [""]
        chunks.extend(code_lines)
        line += len(code_lines)
    module = ast.Module(body=body, type_ignores=[])
    strings = _other_strings(raw_cells, data, {cell.index: cell.outputs for cell in cells})
    return PythonFile(source, "\n".join(chunks), module, tuple(cells), tuple(starts), strings)


def _other_strings(
    raw_cells: list[object], data: object, outputs: dict[int, tuple[str, ...]]
) -> tuple[NotebookString, ...] | None:
    """Return every string of a notebook but its cells' sources and the output texts its cells keep,
    for the secret sweep; None when nested too deeply to list."""
    found: list[NotebookString] = []
    try:
        for index, cell in enumerate(raw_cells, start=1):
            if isinstance(cell, dict):
                kept = frozenset(outputs.get(index, ()))
                extra = {k: v for k, v in cell.items() if k != "source"}
                found.extend(NotebookString(index, text) for text in json_strings(extra) if text not in kept)
        own = {k: v for k, v in data.items() if k != "cells"} if isinstance(data, dict) else {}
        found.extend(NotebookString(None, text) for text in json_strings(own))
    except RecursionError:
        return None
    return tuple(found)


def json_strings(value: object) -> Iterator[str]:
    """Yield the strings of a JSON value; base64 images are skipped, string lists are joined."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            yield "".join(value)
        else:
            for item in value:
                yield from json_strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.startswith(_IMAGE_PREFIX) and "svg" not in key:
                continue
            yield from json_strings(item)


def _joined(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return str(value) if value is not None else ""


def _payload_size(value: object) -> int:
    """Return the characters of every string inside a cell's outputs (text and base64 images)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(_payload_size(v) for v in value)
    if isinstance(value, dict):
        return sum(_payload_size(v) for v in value.values())
    return 0


def _output_texts(outputs: object) -> Iterator[str]:
    if not isinstance(outputs, list):
        return
    for out in outputs:
        if not isinstance(out, dict):
            continue
        if "text" in out:
            yield _joined(out["text"])
        data = out.get("data")
        if isinstance(data, dict):
            for mime, value in data.items():
                if mime.startswith("text/") or mime == "application/json":
                    yield _joined(value)
        if "traceback" in out:
            yield _joined(out.get("traceback"))


def neutralise_magics(code: str) -> str:
    """Turn IPython magics and `!shell` lines into inert Python, keeping line numbers."""
    lines = code.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split(" ", 1)[0]
        if magic not in _CELL_MAGICS_PYTHON:
            return "\n".join("# " + ln for ln in lines)
        lines[0] = "pass"
    out: list[str] = []
    for ln in lines:
        stripped = ln.lstrip()
        indent = ln[: len(ln) - len(stripped)]
        if stripped.startswith(("!", "%")) or (stripped.endswith("?") and not stripped.startswith("#")):
            out.append(f"{indent}pass")
        elif _MAGIC_ASSIGN.match(ln):
            match = _MAGIC_ASSIGN.match(ln)
            assert match is not None
            out.append(match.group(1) + "None")
        else:
            out.append(ln)
    return "\n".join(out)


def _refine_kinds(inventory: Inventory, python: dict[str, PythonFile]) -> Inventory:
    """Modules with a `__main__` guard outside any package are scripts, not library code."""
    changed: dict[str, SourceFile] = {}
    for path, pf in python.items():
        if pf.kind is FileKind.LIBRARY and pf.has_main_guard and not _in_package(python, path):
            pf.source = changed[path] = replace(pf.source, kind=FileKind.SCRIPT)
    if not changed:
        return inventory
    return replace(inventory, files=tuple(changed.get(f.path, f) for f in inventory.files))


def in_package(python: Collection[str], path: str) -> bool:
    """Return True when the module's folder holds an `__init__.py` among `python`."""
    return _in_package(python, path)


def _in_package(python: Collection[str], path: str) -> bool:
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    return bool(parent) and f"{parent}/__init__.py" in python
