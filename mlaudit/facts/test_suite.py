"""Provides the test suite fact: the repository's tests as pytest would collect them, and pytest's configuration."""

from __future__ import annotations

import ast
import fnmatch
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ahocorasick_rs import AhoCorasick, Implementation

from mlaudit.discover import in_benchmarks_folder
from mlaudit.facts.assertions import exempt_from_assertion
from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile, is_test_case_base
from mlaudit.readers import ini_file, pyproject

DEFAULT_TEST_FILES = ("test_*.py", "*_test.py")
UNITTEST_FILES = "test*.py"  # `python -m unittest discover`'s default pattern (`testapi.py` too)


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
    """One collected test function (or method): where it is, how many cases its parametrisation
    yields, and whether it needs no assertion (`exempt_from_assertion`)."""

    path: str
    name: str
    line: int
    end_line: int
    cases: int
    parametrized: bool
    exempt: bool
    says_no_raise: bool = False  # its name, a comment or its docstring says it checks that nothing raises
    unittest: bool = False  # a method of a `unittest.TestCase` subclass
    doctests: bool = False  # its docstring holds doctest examples (`>>> expr` and the expected output)

    def asserts_by_doctest(self, config: PytestConfig) -> bool:
        """Return True when pytest runs the test's docstring examples (`--doctest-modules`): each compares
        its output with the one written after it, so the docstring is the test's assertion."""
        return self.doctests and config.doctest_modules


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
            functions.extend(pf.file_fact(TESTS_FACT, collect_tests))
        elif pf.kind is FileKind.TEST and (found := _unittest_module(pf, name)):
            modules.append(pf.path)
            functions.extend(found)
        elif pf.kind is FileKind.TEST:
            support.append(pf.path)
    lines = sum(project.python[p].code_lines for p in (*modules, *support))
    return Suite(config, tuple(sorted(modules)), tuple(sorted(support)), tuple(functions), lines)


def _unittest_module(pf: PythonFile, name: str) -> tuple[CollectedTest, ...]:
    """Return the tests of a test-folder module that unittest's discovery collects and pytest's pattern misses.

    `python -m unittest discover` loads every `test*.py` (`testapi.py`, no underscore) and runs the
    `test*` methods of its `TestCase` subclasses.
    """
    if not fnmatch.fnmatch(name, UNITTEST_FILES):
        return ()
    tests = pf.file_fact(TESTS_FACT, collect_tests)
    return tests if any(t.unittest for t in tests) else ()


def suite_of(project: Project) -> Suite:
    """Return the project's test suite, computed once."""
    suite: Suite = project.fact("test_suite", _suite)
    return suite


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path.startswith(folder.strip("/") + "/") for folder in folders if folder not in ("", "."))


TESTS_FACT = "tests.collected"  # a per-file fact (mlaudit.filefacts)


def collect_tests(pf: PythonFile) -> tuple[CollectedTest, ...]:
    """Return the test functions of a module: `test*` functions and methods of `Test*`/TestCase classes."""
    return tuple(_test_function(pf, name, node, unittest) for name, node, unittest in _test_functions(pf))


def _test_functions(pf: PythonFile) -> Iterator[tuple[str, FunctionNode, bool]]:
    for stmt in module_level(pf.tree.body):
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and _test_name(stmt):
            yield stmt.name, stmt, False
        elif isinstance(stmt, ast.ClassDef) and _is_test_class(stmt):
            unittest = is_test_case_class(stmt)
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _test_name(item):
                    yield f"{stmt.name}.{item.name}", item, unittest


def module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Yield a module's top-level statements, and those of its top-level `if`/`try` blocks: pytest collects a test
    defined under `if chainer_installed:` or in a `try:`'s `else:` when the module loads with that branch taken, never
    one under `if __name__ == "__main__":` (pytest imports the module under its own name)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If) and not _main_guard(stmt.test):
            yield from module_level([*stmt.body, *stmt.orelse])
        elif isinstance(stmt, ast.Try | ast.TryStar):
            handlers = [s for handler in stmt.handlers for s in handler.body]
            yield from module_level([*stmt.body, *handlers, *stmt.orelse, *stmt.finalbody])


def _main_guard(test: ast.expr) -> bool:
    """Return True for the test `__name__ == "__main__"` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.comparators) == 1):
        return False
    sides = {ast.unparse(test.left), ast.unparse(test.comparators[0])}
    return sides == {"__name__", "'__main__'"}


def _test_name(node: FunctionNode) -> bool:
    """Return True for a `test*` function pytest collects: a `@pytest.fixture` named `test_data` is a fixture."""
    return node.name.startswith("test") and not any(_is_fixture(d) for d in node.decorator_list)


def _is_fixture(decorator: ast.expr) -> bool:
    """Return True for `@pytest.fixture`, `@pytest.fixture(scope="module")` and `@fixture`."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
    return name in {"fixture", "yield_fixture"}


def _is_test_class(node: ast.ClassDef) -> bool:
    return node.name.startswith("Test") or is_test_case_class(node)


def is_test_case_class(node: ast.ClassDef) -> bool:
    """Return True for a `unittest.TestCase` subclass (by its base's name: `TestCase`, `APITestCase`, ...)."""
    return any(is_test_case_base(_base_name(b)) for b in node.bases)


def _base_name(base: ast.expr) -> str:
    """Return the last dotted part of a base class's source (`unittest.TestCase` -> `TestCase`)."""
    if isinstance(base, ast.Name):  # the source is written out only for other bases (`Generic[T]`)
        return base.id
    return base.attr if isinstance(base, ast.Attribute) else ast.unparse(base).rsplit(".", 1)[-1]


def _test_function(pf: PythonFile, name: str, node: FunctionNode, unittest: bool) -> CollectedTest:
    counts = [_parametrize_cases(d) for d in node.decorator_list]
    cases = [c for c in counts if c is not None]
    end = node.end_lineno or node.lineno
    # a test module under `benchmarks/` times the code (`bench_cli("diff")`): it asserts nothing by design
    exempt = exempt_from_assertion(name, node) or in_benchmarks_folder(pf.path)
    no_raise = declared_must_not_raise(pf, name, node.lineno, end)
    docstring = ast.get_docstring(node, clean=False) or ""
    doctests = ">>> " in docstring and any(line.lstrip().startswith(">>> ") for line in docstring.splitlines())
    return CollectedTest(
        pf.path,
        name,
        node.lineno,
        end,
        math.prod(cases) if cases else 1,
        bool(cases),
        exempt,
        no_raise,
        unittest,
        doctests,
    )


# "does not raise", "no error", "none of this raises", "test that it runs", a smoke test or a non-regression test for
# a reported crash: a test whose stated purpose is that the code runs
MUST_NOT_RAISE = re.compile(
    r"(not|n't|nt)[ _](raise|fail|break|crash|throw|error)|no[ _](error|exception|crash)|(?<![a-z])smoke(?![a-z])"
    r"|\bnone\b[\w ,]{0,40}?\braises?\b|\bnon[- _]?regression\b|(?<![a-z])(?:it|this)[ _](?:runs|works)(?![a-z])",
    re.I,
)
DOCSTRING = re.compile(r'""".*?"""|\'\'\'.*?\'\'\'', re.S)
# MUST_NOT_RAISE for lowercase ASCII text: the same matches, several times faster than a case-insensitive search;
# each holds one of these words (found in one pass).
_MUST_NOT_RAISE_LOWER = re.compile(MUST_NOT_RAISE.pattern)
_MUST_NOT_RAISE_WORDS = AhoCorasick(
    ["raise", "fail", "break", "crash", "throw", "error", "exception", "smoke", "regression", "runs", "works"],
    implementation=Implementation.DFA,
)


def _says_no_raise(text: str) -> bool:
    """Return True when MUST_NOT_RAISE finds a match in `text` (an ASCII text is searched lowercased, when it holds
    one of the words; in other text a case-insensitive match has more spellings than `str.lower` gives: the long
    s matches `s`)."""
    if not text.isascii():
        return MUST_NOT_RAISE.search(text) is not None
    lowered = text.lower()
    return bool(_MUST_NOT_RAISE_WORDS.find_matches_as_indexes(lowered)) and bool(_MUST_NOT_RAISE_LOWER.search(lowered))


def declared_must_not_raise(pf: PythonFile, name: str, line: int, end_line: int) -> bool:
    """Return True for a test that says it checks that nothing raises: in its name, a comment or its docstring.

    `test_fit_with_empty_batch_does_not_raise`, `clone(cp)  # does not raise` (a regression
    test for a crash), `test_train_smoke` (a smoke test), a name saying what the code accepts
    (`test_allows_local_transforms`) or that an error is swallowed (`test_upload_exception_is_ignored`): not
    raising is the assertion.
    """
    lines = pf.lines[line - 1 : end_line] + _closing_comments(pf, line, end_line)
    code = "\n".join(lines)
    comments = [text.split("#", 1)[1] for text in lines if "#" in text] if "#" in code else []
    quoted = '"""' in code or "'''" in code
    docstrings = [m.group(0) for m in DOCSTRING.finditer(code)] if quoted else []
    # One search over them all: no match of MUST_NOT_RAISE holds a line break, so none spans two of them.
    declared = _says_no_raise("\n".join([name, *comments, *docstrings]))
    return declared or ACCEPTING_NAME.search(name) is not None or ERROR_SWALLOWED_NAME.search(name) is not None


def _closing_comments(pf: PythonFile, line: int, end_line: int) -> list[str]:
    """Return the comment lines that close a function's body after its last statement (`# Should not raise`),
    indented deeper than its `def`: the parser ends the function at that statement, but the comment is the test's."""
    header = pf.lines[line - 1] if line <= len(pf.lines) else ""
    indent = len(header) - len(header.lstrip())
    closing: list[str] = []
    for text in pf.lines[end_line:]:
        stripped = text.lstrip()
        if not stripped:
            continue
        if not stripped.startswith("#") or len(text) - len(stripped) <= indent:
            break
        closing.append(text)
    return closing


# A test named for what the code accepts (`test_distributed_allows_local_transforms`, `test_accepts_empty_frame`,
# or in the passive: `test_legit_subdir_is_accepted`, `test_distinct_members_are_allowed`): its check is that the
# call goes through. Only the name says so; in prose the words mean anything, and an adjective does not state the
# check (`test_allowed_values`: the values are what the test is about).
ACCEPTING_NAME = re.compile(
    r"(?<![A-Za-z])(?:allows?|accepts?)(?![A-Za-z])|(?<![A-Za-z])(?:is|are|be|gets?)_(?:allowed|accepted)(?![A-Za-z])"
)
# A test named for an error the code swallows (`test_upload_exception_is_ignored`, `test_errors_on_flush_are_caught`):
# it makes the error happen, and its check is that the error does not propagate. The error comes first, then what
# becomes of it, as the name's subject and verb.
ERROR_SWALLOWED_NAME = re.compile(
    r"(?:exception|error|failure)s?(?:_[a-z0-9]+){0,4}?_(?:is|are|gets?|get)_"
    r"(?:ignored|caught|catched|handled|suppressed|swallowed)(?![A-Za-z])",
    re.I,
)


def _parametrize_cases(decorator: ast.expr) -> int | None:
    """Return the number of cases of a `@pytest.mark.parametrize(...)` decorator (1 when not literal)."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    if decorator.func.attr != "parametrize":
        return None
    values = decorator.args[1] if len(decorator.args) > 1 else None
    values = next((k.value for k in decorator.keywords if k.arg == "argvalues"), values)
    return len(values.elts) if isinstance(values, ast.List | ast.Tuple) else 1
