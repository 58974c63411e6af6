"""Provides helpers shared by several rules of the `testing` practice (or by other modules)."""

from __future__ import annotations

import ast
import fnmatch
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from mlaudit.facts.callgraph import reached_definitions
from mlaudit.facts.randomness import MAIN_BLOCK
from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.readers import ini_file, pyproject
from mlaudit.tools.coverage import CoverageResult

DEFAULT_TEST_FILES = ("test_*.py", "*_test.py")


CONFIG_STEMS = frozenset({"config", "configs", "settings", "constants", "consts", "const", "conf", "defaults"})


NOT_MODULES = frozenset({"__init__", "__main__", "_version", "version", "noxfile", "tasks", "fabfile", "setup"})


IMPORTANT_KINDS = (
    ("data loading", ("data", "loader", "dataloader", "load")),
    ("preprocessing", ("preprocess", "transform", "clean")),
    ("features", ("feature", "featur")),
    ("metrics", ("metric", "eval", "scoring")),
    ("losses", ("loss",)),
    ("retrieval/ranking/chunking", ("retriev", "rank", "rerank", "chunk")),
)


ASSERT_CALL = re.compile(
    r"^_*(assert|check_|verify_|expect)|^(check|verify|raises|warns|deprecated_call|fail|raises_regex)$"
)


WARNINGS_AS_ERRORS = frozenset({"simplefilter", "filterwarnings"})


SKIP_MARKS = frozenset({"skip", "xfail", "skipif"})


MIN_MODULE_LINES = 10


@dataclass(frozen=True)
class PytestConfig:
    """Where pytest is configured, and the settings that change what it collects."""

    source: str | None
    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_TEST_FILES
    addopts: str = ""

    @property
    def doctest_modules(self) -> bool:
        """Return True when pytest collects doctests from modules."""
        return "--doctest-modules" in self.addopts


@dataclass(frozen=True)
class CollectedTest:
    """One collected test function (or method) and how many cases its parametrisation yields."""

    path: str
    name: str
    node: FunctionNode
    cases: int
    parametrized: bool


@dataclass(frozen=True)
class Suite:
    """The repository's tests as pytest would collect them."""

    config: PytestConfig
    test_modules: tuple[str, ...]
    support_files: tuple[str, ...]
    functions: tuple[CollectedTest, ...]
    test_code_lines: int

    @property
    def parametrized_cases(self) -> int:
        """Return the cases yielded by parametrised tests."""
        return sum(f.cases for f in self.functions if f.parametrized)


def pytest_config(project: Project) -> PytestConfig:
    """Return pytest's configuration from pyproject, pytest.ini, tox.ini or setup.cfg (first found)."""
    found = _pyproject_pytest(pyproject(project))
    if found is not None:
        return _config("pyproject.toml [tool.pytest.ini_options]", found)
    for name, section in (("pytest.ini", "pytest"), ("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        options = ini_file(project, name).section(section)
        if options is not None:
            return _config(f"{name} [{section}]", options)
    return PytestConfig(None)


def _pyproject_pytest(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool", {})
    pytest = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(pytest, dict):
        return None
    inner = pytest.get("ini_options")
    return inner if isinstance(inner, dict) else pytest


def _config(source: str, options: dict[str, Any]) -> PytestConfig:
    files = _words(options.get("python_files")) or DEFAULT_TEST_FILES
    addopts = options.get("addopts", "")
    return PytestConfig(
        source,
        _words(options.get("testpaths")),
        files,
        " ".join(addopts) if isinstance(addopts, list) else str(addopts),
    )


def _words(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str):
        return tuple(value.split())
    return ()


def _suite(project: Project) -> Suite:
    config = pytest_config(project)
    modules: list[str] = []
    support: list[str] = []
    functions: list[CollectedTest] = []
    for pf in project.python.values():
        if pf.is_notebook:
            continue
        name = pf.path.rsplit("/", 1)[-1]
        is_test_module = any(fnmatch.fnmatch(name, pat) for pat in config.python_files) and name != "conftest.py"
        if is_test_module and (pf.kind is FileKind.TEST or _under(pf.path, config.testpaths)):
            modules.append(pf.path)
            functions.extend(collect_tests(pf))
        elif pf.kind is FileKind.TEST:
            support.append(pf.path)
    lines = sum(project.python[p].code_lines for p in (*modules, *support))
    return Suite(config, tuple(sorted(modules)), tuple(sorted(support)), tuple(functions), lines)


def suite_of(project: Project) -> Suite:
    """Return the project's test suite, computed once."""
    suite: Suite = project.fact("testing.suite", _suite)
    return suite


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path.startswith(folder.strip("/") + "/") for folder in folders if folder not in ("", "."))


def collect_tests(pf: PythonFile) -> Iterator[CollectedTest]:
    """Yield the test functions of a module: `test*` functions and methods of `Test*`/TestCase classes."""
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name.startswith("test"):
            yield _test_function(pf.path, stmt.name, stmt)
        elif isinstance(stmt, ast.ClassDef) and _is_test_class(stmt):
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    yield _test_function(pf.path, f"{stmt.name}.{item.name}", item)


def _is_test_class(node: ast.ClassDef) -> bool:
    bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
    return node.name.startswith("Test") or bool(bases & {"TestCase", "IsolatedAsyncioTestCase"})


def _test_function(path: str, name: str, node: FunctionNode) -> CollectedTest:
    counts = [_parametrize_cases(d) for d in node.decorator_list]
    cases = [c for c in counts if c is not None]
    return CollectedTest(path, name, node, math.prod(cases) if cases else 1, bool(cases))


def _parametrize_cases(decorator: ast.expr) -> int | None:
    """Return the number of cases of a `@pytest.mark.parametrize(...)` decorator (1 when not literal)."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    if decorator.func.attr != "parametrize":
        return None
    values = decorator.args[1] if len(decorator.args) > 1 else None
    values = next((k.value for k in decorator.keywords if k.arg == "argvalues"), values)
    return len(values.elts) if isinstance(values, ast.List | ast.Tuple) else 1


def _decorator_names(node: FunctionNode) -> set[str]:
    names: set[str] = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


def has_code_to_test(project: Project) -> bool:
    """Return True when there is library or script code that tests could cover."""
    return project.library_code_lines > 0


def module_name(path: str, python: Iterable[str] | dict[str, PythonFile]) -> str:
    """Return the import name of a module: its package chain (found by `__init__.py`) plus its stem."""
    dirs = path.split("/")[:-1]
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    top = len(dirs)
    while top > 0 and "/".join(dirs[:top]) + "/__init__.py" in python:
        top -= 1
    parts = dirs[top:] if stem == "__init__" else [*dirs[top:], stem]
    return ".".join(parts)


def _prefixes(name: str) -> Iterator[str]:
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        yield ".".join(parts[:i])


def _referenced_names(pf: PythonFile) -> Iterator[str]:
    """Yield the dotted names a test file imports, reaches through attributes, or patches by string."""
    yield from pf.imports.values()
    yield from pf.imported_modules
    for attr in pf.nodes(ast.Attribute):
        if not isinstance(pf.parent(attr), ast.Attribute):
            qual = pf.qualname(attr)
            if qual is not None:
                yield qual
    for call in pf.nodes(ast.Call):
        callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if callee in {"patch", "import_module"} and call.args and isinstance(call.args[0], ast.Constant):
            yield str(call.args[0].value)


def _reexports(project: Project) -> dict[str, str]:
    """Map `pkg.name` re-exported by a package `__init__` to the submodule defining it."""
    mapping: dict[str, str] = {}
    for path, pf in project.python.items():
        if not path.endswith("/__init__.py") or pf.kind is not FileKind.LIBRARY:
            continue
        package = module_name(path, project.python)
        for node in pf.nodes(ast.ImportFrom):
            source = _import_source(package, node)
            if source is None:
                continue
            for alias in node.names:
                local = alias.asname or alias.name
                mapping[f"{package}.{local}"] = f"{source}.{alias.name}" if node.module is None else source
    return mapping


def _import_source(package: str, node: ast.ImportFrom) -> str | None:
    if node.level == 1:
        return f"{package}.{node.module}" if node.module else package
    if node.level == 0 and node.module and node.module.startswith(package + "."):
        return node.module
    return None


def _tested_modules(project: Project) -> frozenset[str]:
    """Return the modules the tests reach (computed once: the rule and the capability share it)."""
    tested: frozenset[str] = project.fact("testing.tested_modules", _find_tested_modules)
    return tested


def _find_tested_modules(project: Project) -> frozenset[str]:
    names: set[str] = set()
    tests = project.python_of(FileKind.TEST)
    for pf in tests:
        for ref in _referenced_names(pf):
            names.update(_prefixes(ref))
    for path, top in reached_definitions(project, [pf.path for pf in tests]):
        if top is not None and top != MAIN_BLOCK:
            names.add(module_name(path, project.python))
    reexports = _reexports(project)
    names.update(reexports[n] for n in list(names) if n in reexports)
    if suite_of(project).config.doctest_modules:
        names.update(
            module_name(p, project.python)
            for p, pf in project.python.items()
            if ">>>" in pf.text and not pf.is_notebook
        )
    return frozenset(names)


def importance(path: str) -> str | None:
    """Return the risk category of a module by its name (data loading, features, ...), or None."""
    tokens = re.split(r"[_\W\d]+", path.removesuffix(".py").lower().rsplit("/", 2)[-1])
    parent = path.lower().rsplit("/", 2)[-2] if path.count("/") >= 1 else ""
    for label, prefixes in IMPORTANT_KINDS:
        if any(t.startswith(prefixes) for t in (*tokens, parent) if t):
            return label
    return None


def _needs_tests(pf: PythonFile) -> bool:
    stem = pf.path.rsplit("/", 1)[-1].removesuffix(".py")
    if pf.is_notebook or stem in NOT_MODULES or stem in CONFIG_STEMS or pf.path.startswith("docs/"):
        return False
    if pf.code_lines < MIN_MODULE_LINES:
        return False
    return any(isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for s in pf.tree.body)


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _enclosing_functions(pf: PythonFile, node: ast.AST) -> Iterator[ast.AST]:
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            yield anc


def _raises_assertion(node: ast.Raise) -> bool:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(exc, ast.Name) and exc.id in {"AssertionError", "Failed"}


def asserting_functions(pf: PythonFile) -> set[ast.AST]:
    """Return the functions of a test file that assert: directly, or by calling a local asserting helper."""
    direct: set[ast.AST] = set()
    for node in pf.nodes(ast.Assert):
        direct.update(_enclosing_functions(pf, node))
    for raise_node in pf.nodes(ast.Raise):
        if _raises_assertion(raise_node):
            direct.update(_enclosing_functions(pf, raise_node))
    calls = pf.nodes(ast.Call)
    for call in calls:
        if ASSERT_CALL.search(_callee(call)) or _errors_on_warning(call):
            direct.update(_enclosing_functions(pf, call))
    helpers = {f.name for f in direct if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    for call in calls:
        if _local_helper_name(call.func) in helpers:
            direct.update(_enclosing_functions(pf, call))
    return direct


def asserting_in(project: Project, path: str) -> frozenset[ast.AST]:
    """Return `asserting_functions` of a test module, found once per project (rules and capabilities share it)."""
    known: dict[str, frozenset[ast.AST]] = project.fact("testing.asserting", lambda _p: {})
    if path not in known:
        known[path] = frozenset(asserting_functions(project.python[path]))
    return known[path]


def _local_helper_name(func: ast.expr) -> str | None:
    """Return the name of a call to a helper of the file: `check(x)`, or `self.compare(x)` on the test class."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        return func.attr
    return None


def _errors_on_warning(call: ast.Call) -> bool:
    """Return True for `warnings.simplefilter("error")` and `@pytest.mark.filterwarnings("error")`."""
    if _callee(call) not in WARNINGS_AS_ERRORS or not call.args:
        return False
    first = call.args[0]
    return isinstance(first, ast.Constant) and str(first.value).startswith("error")


VALIDATOR_PREFIXES = ("validate", "check", "verify", "ensure", "assert")


def _exempt_from_assertion(test: CollectedTest) -> bool:
    """Benchmarks, skipped tests and import smoke tests need no assertion."""
    params = {a.arg for a in (*test.node.args.args, *test.node.args.kwonlyargs)}
    if "benchmark" in params or _decorator_names(test.node) & SKIP_MARKS:
        return True
    if any(isinstance(d, ast.Call) and _errors_on_warning(d) for d in test.node.decorator_list):
        return True
    body = [s for s in test.node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if body and all(isinstance(s, ast.Import | ast.ImportFrom) for s in body):
        return True
    if "." in test.name and all(isinstance(s, ast.Pass) for s in body):
        return True  # a method emptied to switch off a test inherited from a base test class
    return bool(body) and all(_validator_call(s) for s in body)


def _validator_call(stmt: ast.stmt) -> bool:
    """Return True for `validate_url(url)`: a must-not-raise test, where calling the validator is the check."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name.lstrip("_").startswith(VALIDATOR_PREFIXES)


def coverage_of(project: Project) -> CoverageResult | None:
    """Return the coverage gatherer's result, if it ran."""
    result = project.tool("coverage")
    return result if isinstance(result, CoverageResult) else None
