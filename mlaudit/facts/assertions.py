"""Provides the assertions fact: which test functions assert (directly or through a local helper), and which need not."""

from __future__ import annotations

import ast
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from mlaudit.facts.randomness import module_paths
from mlaudit.model import FileKind
from mlaudit.name_tests import NameTest
from mlaudit.project import FunctionNode, Project, PythonFile

# `gradcheck`/`gradgradcheck` (torch.autograd) raise when analytical and numerical gradients differ, `opcheck`
# (torch.library) when a custom operator's registration is wrong, and accelerate's `execute_subprocess_async` when
# the command it runs fails (like `check_call`): assertions.
ASSERT_CALL = re.compile(
    r"^_*(assert|check_|verify_|expect)|(^|_)assert(_|$)"
    r"|^(check|verify|raises|warns|deprecated_call|fail|raises_regex|gradcheck|gradgradcheck|opcheck"
    r"|execute_subprocess_async)$"
)


WARNINGS_AS_ERRORS = frozenset({"simplefilter", "filterwarnings"})


# skipped tests, and tests expected to fail (pytest's xfail, unittest's `expectedFailure`, its strict twin)
SKIP_MARKS = frozenset({"skip", "xfail", "skipif", "expectedFailure"})


VALIDATOR_PREFIXES = ("validate", "check", "verify", "ensure", "assert")


# The names of the checks a library ships for its users' test suites (`check_estimator`'s `check_fit2d`).
CHECK_PREFIXES = ("check_", "_check_", "test_", "_test_")


def is_shipped_check(func: FunctionNode) -> bool:
    """Return True for a test shipped in library code: named `check_*`/`test_*` and asserting on results
    (`assert`, `assert_array_equal(...)`)."""
    if not func.name.startswith(CHECK_PREFIXES):
        return False
    return any(
        isinstance(node, ast.Assert) or (isinstance(node, ast.Call) and callee(node).startswith("assert"))
        for node in ast.walk(func)
    )


def _decorator_names(node: FunctionNode) -> set[str]:
    names: set[str] = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


def callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _enclosing_functions(
    pf: PythonFile, node: ast.AST, memo: dict[ast.AST, tuple[ast.AST, ...]]
) -> tuple[ast.AST, ...]:
    """Return the functions around `node`, innermost first; `memo` keeps the answer for every ancestor passed."""
    passed: list[ast.AST] = []
    current = pf.parent(node)
    while current is not None and current not in memo:
        passed.append(current)
        current = pf.parent(current)
    found = memo[current] if current is not None else ()
    for anc in reversed(passed):  # outermost first: each ancestor's functions are its parent's, plus itself
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            found = (anc, *found)
        memo[anc] = found
    return found


def raises_assertion(node: ast.Raise) -> bool:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(exc, ast.Name) and exc.id in {"AssertionError", "Failed"}


def _fails_a_check(pf: PythonFile, node: ast.Raise) -> bool:
    """Return True for an error a test function raises itself when an `if` finds what it checked wrong
    (`if res["errors"]: raise ValueError(msg)`): the test fails then, as an `assert` would. Not a skip, nor a
    re-raise in an `except` handler, nor a helper's check of its own arguments."""
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    name = exc.attr if isinstance(exc, ast.Attribute) else exc.id if isinstance(exc, ast.Name) else ""
    if not name.endswith(("Error", "Exception")) or not isinstance(pf.parent(node), ast.If):
        return False
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.ExceptHandler):
            return False
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return anc.name.startswith("test")
    return False


_asserts_by_name = NameTest(ASSERT_CALL)  # remembered per callee name


def asserting_functions(pf: PythonFile) -> set[ast.AST]:
    """Return the functions of a test file that assert: directly, by a decorator comparing their figure with a
    baseline image, or by calling a local asserting helper (directly or through other local helpers)."""
    direct: set[ast.AST] = set()
    memo: dict[ast.AST, tuple[ast.AST, ...]] = {}

    def mark(nodes: Iterable[ast.AST]) -> None:
        for node in nodes:
            direct.update(_enclosing_functions(pf, node, memo))

    mark(pf.nodes(ast.Assert))
    direct.update(f for f in pf.nodes(ast.FunctionDef) if f.decorator_list and _compares_image(f))
    mark(node for node in pf.nodes(ast.Raise) if raises_assertion(node) or _fails_a_check(pf, node))
    calls = _calls_by_callee(pf)
    for name in _asserts_by_name.matching(set(calls)):
        mark(calls[name])
    mark(call for name in CHECKING_CALLS for call in calls.get(name, ()) if _checks(call))
    mark(call for call in pf.nodes(ast.Call) if isinstance(call, ast.Call) and _hands_assertion(call))
    if HTTPX_OPT_OUT not in pf.text:
        mark(call for name in EXPECTED_RESPONSES for call in calls.get(name, ()) if _expects_request(call))
    if not direct:  # no function asserts, so none asserts through a helper (most library modules)
        return direct
    checkers = _checking_classes(pf, direct)
    mark(call for name in checkers for call in calls.get(name, ()) if isinstance(call.func, ast.Name))
    handed = _handed_functions(pf)
    classes = {c.name for c in pf.tree.body if isinstance(c, ast.ClassDef)}
    helpers: set[str] = set()
    while True:  # through chains of helpers: `test_x` -> `_run_cli` -> `_run(...)` that asserts
        found = {f.name for f in direct if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)} - helpers
        if not found:
            return direct | _calling_parametrized_checks(pf, direct)
        helpers |= found
        for name in found:  # the calls of a helper found before were marked then
            mark(call for call in calls.get(name, ()) if local_helper_name(call.func) or _class_call(call, classes))
            mark(handed.get(name, ()))


def _calling_parametrized_checks(pf: PythonFile, asserting: set[ast.AST]) -> set[ast.AST]:
    """Return the functions that call a parameter `@pytest.mark.parametrize` fills only with top-level functions of
    the file that assert (`@pytest.mark.parametrize("check", [check_a, check_b])`, or a module list of them, then
    `check(data)`): each case runs one of those checks."""
    checks = {f.name for f in pf.tree.body if f in asserting and isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    found: set[ast.AST] = set()
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef) if checks else ():
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func in asserting:
            continue
        filled = set(_parametrized_with(pf, func, checks))
        if filled and any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in filled for n in ast.walk(func)
        ):
            found.add(func)
    return found


def _parametrized_with(pf: PythonFile, func: FunctionNode, checks: set[str]) -> Iterator[str]:
    """Yield each argument a `parametrize` decorator of `func` fills only with names in `checks`."""
    for dec in func.decorator_list:
        if not (isinstance(dec, ast.Call) and callee(dec) == "parametrize" and len(dec.args) >= 2):
            continue
        argname, values = dec.args[0], _module_sequence(pf, dec.args[1])
        if not (isinstance(argname, ast.Constant) and isinstance(argname.value, str)) or values is None:
            continue
        if values and all(isinstance(v, ast.Name) and v.id in checks for v in values):
            yield argname.value.strip()


def _module_sequence(pf: PythonFile, node: ast.expr) -> list[ast.expr] | None:
    """Return the elements of a list or tuple literal, also wrapped in `list(...)`/`tuple(...)` or named by a
    module-level assignment (`funcs = [a, b]`), or None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"list", "tuple"}:
        node = node.args[0] if len(node.args) == 1 else node
    if isinstance(node, ast.Name):
        bound = [
            stmt.value
            for stmt in pf.tree.body
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets)
        ]
        node = bound[0] if len(bound) == 1 else node
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple) else None


def _class_call(call: ast.Call, classes: set[str]) -> bool:
    """Return True for `TestLabels.same_labels(...)`: a static or class method called through a class of the file."""
    func = call.func
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in classes


# The name of an assertion function (`assert_allclose`, `assertEqual`, `assert_trees_all_close`), as a reference.
ASSERTION_NAME = re.compile(r"^_*assert|(^|_)assert(_|$)")
_names_assertion = NameTest(ASSERTION_NAME)


def _hands_assertion(call: ast.Call) -> bool:
    """Return True for a call handed an assertion function to apply (`jax.tree_util.tree_map(np.testing.assert_allclose,
    out, expected)`, `map(self.assertEqual, got, want)`): it asserts on each pair of elements."""
    for arg in call.args:
        name = arg.attr if isinstance(arg, ast.Attribute) else arg.id if isinstance(arg, ast.Name) else ""
        if name and _names_assertion(name):
            return True
    return False


# Decorators that compare the figure a test draws (or returns) with a stored baseline image and fail on a difference:
# pytest-mpl's `@pytest.mark.mpl_image_compare`, matplotlib's `@image_comparison(...)`/`@check_figures_equal()`.
IMAGE_COMPARISONS = frozenset({"mpl_image_compare", "image_comparison", "check_figures_equal"})


def _compares_image(func: ast.FunctionDef) -> bool:
    """Return True for a test decorated to compare its figure with a baseline image: the comparison is its assertion."""
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
        if name in IMAGE_COMPARISONS:
            return True
    return False


CHECKING_CALLS = WARNINGS_AS_ERRORS | {"run"}  # assert by their arguments (`_errors_on_warning`, `_checks_exit_status`)


# pytest-httpx fails a test at teardown when a response registered on its `httpx_mock` fixture was never requested,
# unless the test opts out (`@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)`, the fixture of
# that name) or marks the response optional (`is_optional=True`): registering one asserts the request is sent.
EXPECTED_RESPONSES = frozenset({"add_response", "add_callback", "add_exception"})
HTTPX_OPT_OUT = "assert_all_responses_were_requested"


def _expects_request(call: ast.Call) -> bool:
    """Return True for `httpx_mock.add_response(...)` with no `is_optional=True`: pytest-httpx checks it is requested."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "httpx_mock"
        and not any(
            k.arg == "is_optional" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in call.keywords
        )
    )


def _checks(call: ast.Call) -> bool:
    return _errors_on_warning(call) or _checks_exit_status(call)


def _calls_by_callee(pf: PythonFile) -> dict[str, list[ast.Call]]:
    """Return the file's calls by callee (`callee`): each name is then tested once, not once per call."""
    found: dict[str, list[ast.Call]] = defaultdict(list)
    for call in pf.nodes(ast.Call):
        func = call.func  # `callee(call)`, written out: this runs for every call of every file
        found[func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""].append(
            call
        )
    return found


def _handed_functions(pf: PythonFile) -> dict[str, list[ast.Call]]:
    """Return the calls each top-level function of the file is passed to as an argument: a test that hands its
    body to a runner (`mp.spawn(_check_sync, nprocs=2)`, `launch(tp=2)(_check_sync)()`) runs it."""
    functions = {f.name for f in pf.tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    handed: dict[str, list[ast.Call]] = defaultdict(list)
    for name in pf.nodes(ast.Name) if functions else ():
        if name.id not in functions:
            continue
        parent = pf.parent(name)
        if isinstance(parent, ast.keyword):
            parent = pf.parent(parent)
        if isinstance(parent, ast.Call) and parent.func is not name:
            handed[name.id].append(parent)
    return handed


def _checking_classes(pf: PythonFile, asserting: set[ast.AST]) -> set[str]:
    """Return the file's top-level classes with a method that asserts: a test that builds one (a checking
    callback handed to the code under test, `fit(..., callback=CheckLossCallback())`) asserts through it."""
    return {
        cls.name
        for cls in pf.tree.body
        if isinstance(cls, ast.ClassDef)
        and not cls.name.startswith("Test")
        and any(f in asserting for f in cls.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef))
    }


ASSERTING_FACT = "tests.asserting_lines"  # per-file facts (mlaudit.filefacts)
HELPER_CALLS_FACT = "tests.imported_helper_calls"
FIXTURE_CALLS_FACT = "tests.fixture_calls"
TOP_ASSERTING_FACT = "tests.asserting_top_level"


def asserting_lines(pf: PythonFile) -> frozenset[int]:
    """Return the `def` lines of the file's functions that assert (`asserting_functions`)."""
    return frozenset(f.lineno for f in asserting_functions(pf) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef))


def asserting_in(project: Project, path: str) -> frozenset[int]:
    """Return the `def` lines of a test module's functions that assert (rules and capabilities share it).

    Besides `asserting_functions`, a function asserts when it calls a helper it imports from
    another module of the repository (`from tests.utils import check_forecast`) that asserts.
    Computed once per module and audit.
    """
    known: dict[str, frozenset[int]] = project.fact("tests.asserting_in", lambda _project: {})
    found = known.get(path)
    if found is None:
        found = known[path] = _asserting_in(project, path)
    return found


def _asserting_in(project: Project, path: str) -> frozenset[int]:
    pf = project.python[path]
    local: frozenset[int] = pf.file_fact(ASSERTING_FACT, asserting_lines)
    calls: frozenset[tuple[int, str, str]] = pf.file_fact(HELPER_CALLS_FACT, imported_helper_calls)
    extra = set(_through_conftest_fixtures(project, path))
    if not calls:
        return local | frozenset(extra)
    modules = module_paths(project)
    for line, module, called in calls:
        other = (
            modules.get(module)
            or modules.get(_reexported_module(project, module))
            or _pytest_sibling(project, path, module)
        )
        if INSTANCE in called and (not other or project.python[other].kind is not FileKind.TEST):
            continue  # a method of an instance the test builds: only a test harness class's checks count
        name = called.replace(INSTANCE, ".")
        if other and other != path and _helper_asserts(project, (other, name)):
            extra.add(line)
    return local | frozenset(extra)


def _pytest_sibling(project: Project, path: str, module: str) -> str | None:
    """Return the module of the test tree a test imports by a bare name (`from onnxbase import APIOnnx` in
    `tests/test_abs.py` for `tests/onnxbase.py`): pytest puts the first folder up that is no package on sys.path."""
    folder = path.rpartition("/")[0]
    while folder and f"{folder}/__init__.py" in project.python:
        folder = folder.rpartition("/")[0]
    base = f"{folder}/{module.replace('.', '/')}" if folder else module.replace(".", "/")
    return next((c for c in (f"{base}.py", f"{base}/__init__.py") if c in project.python and c != path), None)


def _reexported_module(project: Project, module: str) -> str:
    """Return the module a package's re-export stands for (`pkg.testing.checks`, bound in `pkg/testing/__init__.py`
    by `from .scripts import checks`: `pkg.testing.scripts.checks`), or the name itself."""
    from mlaudit.facts.reexported_names import reexported_names  # it reads the test suite, which reads this module

    return reexported_names(project).resolve(module)


# Joins a from-imported class and the method a test calls on an instance it builds (`APIOnnx().run`).
INSTANCE = "()."
_Helper = tuple[str, str]  # (path, top-level function or `Class.method`) of a repository helper


def _helper_asserts(project: Project, helper: _Helper) -> bool:
    """Return True when a repository helper a test imports asserts: itself (`asserting_top_level`), or, in a test
    module, through the helpers it calls and the names it re-exports (`helper_edges`), across test modules.

    A test helper package (`from test_utils import dump_model`, re-exported by its `__init__.py`) whose helper
    hands its result to a comparison in another test module (`compare_backend(...)` that raises on a mismatch)
    asserts for every test calling it. Library code is not followed beyond the helper the test calls: its own
    input checks are not the test's assertions. Each helper is decided once per audit.
    """
    known: dict[_Helper, bool] = project.fact("tests.helper_asserts", lambda _project: {})
    if helper not in known:
        graph = _helper_graph(project, helper, known)
        asserting = {h for h in graph if h[1] in _top_asserting(project, h[0])}
        asserting |= {h for targets in graph.values() for h in targets if known.get(h)}
        grown = True
        while grown:  # through chains and cycles of helpers (`compare_backend` <-> `compare_runtime`)
            found = {h for h, targets in graph.items() if h not in asserting and not asserting.isdisjoint(targets)}
            asserting |= found
            grown = bool(found)
        known.update((h, h in asserting) for h in graph)
    return known[helper]


def _top_asserting(project: Project, path: str) -> frozenset[str]:
    found: frozenset[str] = project.python[path].file_fact(TOP_ASSERTING_FACT, asserting_top_level)
    return found


def _helper_graph(project: Project, start: _Helper, known: dict[_Helper, bool]) -> dict[_Helper, list[_Helper]]:
    """Return the helpers reachable from `start` not yet decided, each with the helpers of test modules it calls or
    re-exports; only helpers of test modules are followed further."""
    modules = module_paths(project)
    graph: dict[_Helper, list[_Helper]] = {}
    todo = [start]
    while todo:
        helper = todo.pop()
        if helper in graph or helper in known:
            continue
        pf = project.python[helper[0]]
        edges: frozenset[tuple[str, str, str]] = (
            pf.file_fact(HELPER_EDGES_FACT, helper_edges) if pf.kind is FileKind.TEST else frozenset()
        )
        paths = (
            (modules.get(module) if module else helper[0], name.replace(INSTANCE, "."))
            for caller, module, name in edges
            if caller == helper[1]
        )
        targets = [(path, name) for path, name in paths if path and project.python[path].kind is FileKind.TEST]
        graph[helper] = targets
        todo.extend(targets)
    return graph


HELPER_EDGES_FACT = "tests.helper_edges"  # a per-file fact (mlaudit.filefacts)


def helper_edges(pf: PythonFile) -> frozenset[tuple[str, str, str]]:
    """Return (caller, module, name) for each helper a top-level function or method of the module calls: one of
    the module (module ""; `Class.method` for `self.method(...)`) or an imported one (`imported_helper_calls`);
    and (name, module, name) for each name the module binds by a from-import without defining it (a re-export:
    `from .helpers import dump_model` in a package's `__init__.py`)."""
    owners = dict(_owner_nodes(pf))
    by_line = {node.lineno: name for name, node in owners.items()}
    found = {
        (by_line[line], module, name)
        for line, module, name in pf.file_fact(HELPER_CALLS_FACT, imported_helper_calls)
        if line in by_line
    }
    for caller, node in owners.items():
        found.update((caller, "", name) for name in _local_callees(pf, node, caller, owners))
    defined = {name.split(".")[0] for name in owners} | {c.name for c in pf.tree.body if isinstance(c, ast.ClassDef)}
    found.update((local, module, name) for local, (module, name) in pf.from_imports.items() if local not in defined)
    return frozenset(found)


def _local_callees(pf: PythonFile, node: FunctionNode, caller: str, owners: dict[str, FunctionNode]) -> Iterator[str]:
    """Yield the functions of the module a function calls: `helper(...)`, and `self.method(...)` of its class."""
    owner = caller.partition(".")[0] if "." in caller else None
    for call in pf.within(node, ast.Call):
        func = call.func
        if isinstance(func, ast.Name) and func.id in owners and func.id != caller:
            yield func.id
        elif owner and isinstance(func, ast.Attribute) and local_helper_name(func) and f"{owner}.{func.attr}" in owners:
            yield f"{owner}.{func.attr}"


def _owner_nodes(pf: PythonFile) -> Iterator[tuple[str, FunctionNode]]:
    """Yield the module's top-level functions and its top-level classes' methods, with their names."""
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            yield stmt.name, stmt
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{stmt.name}.{item.name}", item


def _through_conftest_fixtures(project: Project, path: str) -> Iterator[int]:
    """Yield the `def` lines of a module's tests that call a fixture they take whose conftest.py function asserts.

    pytest hands a test the value of each fixture it names; a conftest.py fixture that returns a checking
    function (`def accuracy_test(): def check(model): assert ...; return check`) asserts for every test
    that calls it (`accuracy_test(model)`). Only conftest.py files of the test's folder or its parents apply.
    """
    calls: frozenset[tuple[int, str]] = project.python[path].file_fact(FIXTURE_CALLS_FACT, fixture_calls)
    if not calls:
        return
    folder = posixpath.dirname(path)
    fixtures: set[str] = set()
    for where, other in _conftests(project):
        if not where or f"{folder}/".startswith(f"{where}/"):
            fixtures.update(_top_asserting(project, other))
    yield from (line for line, name in calls if name in fixtures)


def _conftests(project: Project) -> tuple[tuple[str, str], ...]:
    """Return (folder, path) of each conftest.py in the project, found once per audit."""
    found: tuple[tuple[str, str], ...] = project.fact(
        "tests.conftests",
        lambda p: tuple(
            (posixpath.dirname(path), path) for path in p.python if posixpath.basename(path) == "conftest.py"
        ),
    )
    return found


def fixture_calls(pf: PythonFile) -> frozenset[tuple[int, str]]:
    """Return (def line, name) for each call of a function's own parameter (`def test_x(check): check(model)`)."""
    found: set[tuple[int, str]] = set()
    functions: list[FunctionNode] = [*pf.nodes(ast.FunctionDef), *pf.nodes(ast.AsyncFunctionDef)]
    parameters = {a.arg for f in functions for a in (*f.args.posonlyargs, *f.args.args, *f.args.kwonlyargs)}
    for call in pf.nodes(ast.Call):
        if not isinstance(call.func, ast.Name) or call.func.id not in parameters:
            continue
        func = pf.enclosing_function(call)
        while func is not None:
            if any(a.arg == call.func.id for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)):
                found.add((func.lineno, call.func.id))
                break
            func = pf.enclosing_function(func)
    return frozenset(found)


def imported_helper_calls(pf: PythonFile) -> frozenset[tuple[int, str, str]]:
    """Return (def line, module, name) for each call of a from-imported helper inside a function of the file.

    A helper is a from-imported function (`check_forecast(...)`, name `check_forecast`), a function of a
    from-imported module (`from . import common`, then `common.test_additivity(...)`), or a method a
    test class inherits from a from-imported base class (`self._test_save(...)` in
    `class TestX(CommonTester)`, name `CommonTester._test_save`; also through `super()`, and a base of a
    from-imported module beside other bases: `class TestX(test_utils.AdderTestMixin, parameterized.TestCase)`,
    one target per base).
    """
    helpers = pf.from_imports
    found: set[tuple[int, str, str]] = set()
    memo: dict[ast.AST, tuple[ast.AST, ...]] = {}
    classes: dict[ast.AST, _ClassHelpers] = {}
    bindings: dict[ast.AST, dict[str, list[ast.expr | None]]] = {}  # per function: each name's assigned values
    for call in pf.nodes(ast.Call) if helpers else ():
        handed = (_imported_reference(arg, helpers) for arg in (*call.args, *(k.value for k in call.keywords)))
        targets = [
            *_imported_targets(pf, call, helpers, memo, classes, bindings),
            *(t for t in handed if t is not None),
        ]
        for target in targets:
            enclosing = _enclosing_functions(pf, call, memo)
            found.update((f.lineno, *target) for f in enclosing if hasattr(f, "lineno"))
    return frozenset(found)


def _imported_reference(node: ast.expr, helpers: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """Return (module, name) of an imported function handed to a call as a value, not called there: a launcher
    or runner runs it (`debug_launcher(test_script.main)`, `mp.spawn(check_sync, nprocs=2)`)."""
    if isinstance(node, ast.Name) and node.id in helpers:
        return helpers[node.id]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in helpers:
        module, name = helpers[node.value.id]
        return (f"{module}.{name}" if module else name), node.attr
    return None


_ClassHelpers = tuple[frozenset[str], tuple[tuple[str, str], ...]]  # a class's own methods, its imported bases


def _imported_targets(
    pf: PythonFile,
    call: ast.Call,
    helpers: dict[str, tuple[str, str]],
    memo: dict[ast.AST, tuple[ast.AST, ...]],
    classes: dict[ast.AST, _ClassHelpers],
    bindings: dict[ast.AST, dict[str, list[ast.expr | None]]],
) -> list[tuple[str, str]]:
    """Return (module, name) of each imported helper a call may reach (`memo`, `classes`: per file); a method the
    class inherits may come from any of its imported bases (only the repository's own are followed)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in helpers:
        return [helpers[func.id]]
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in helpers:
        module, name = helpers[func.value.id]  # `from . import common`, then `common.test_additivity(...)`
        return [((f"{module}.{name}" if module else name), func.attr)]
    if not isinstance(func, ast.Attribute):
        return []
    built = _imported_instance_class(pf, call, func, helpers, memo, bindings)
    if built is not None:  # `obj = APIOnnx(net, "abs", [9])`, then `obj.run()`: the helper class's method
        return [(built[0], f"{built[1]}{INSTANCE}{func.attr}")]
    on_self = isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")
    on_super = _super_call(func.value)  # `super().run_test_adder(...)`
    if not (on_self or on_super):
        return []
    enclosing = _enclosing_functions(pf, call, memo)
    owner = pf.parent(enclosing[0]) if enclosing else None
    if not isinstance(owner, ast.ClassDef):
        return []
    known = classes.get(owner)
    if known is None:
        known = classes[owner] = _class_helpers(owner, helpers)
    methods, bases = known
    if on_self and func.attr in methods:
        return []  # the class's own method, read with the module
    return [(module, f"{base}.{func.attr}") for module, base in bases]


def _imported_instance_class(
    pf: PythonFile,
    call: ast.Call,
    func: ast.Attribute,
    helpers: dict[str, tuple[str, str]],
    memo: dict[ast.AST, tuple[ast.AST, ...]],
    bindings: dict[ast.AST, dict[str, list[ast.expr | None]]],
) -> tuple[str, str] | None:
    """Return (module, class) when a method is called on a name the enclosing function binds only to an instance of
    a from-imported class (`obj = APIOnnx(net, "abs", [9])`, then `obj.run()`): a test harness class whose method
    compares and asserts is a helper like a function."""
    if not isinstance(func.value, ast.Name) or func.value.id in ("self", "cls"):
        return None
    enclosing = _enclosing_functions(pf, call, memo)
    if not enclosing or not isinstance(enclosing[0], ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    known = bindings.get(enclosing[0])
    if known is None:
        known = bindings[enclosing[0]] = _name_bindings(pf, enclosing[0])
    bound = known.get(func.value.id, [])
    if len(bound) != 1 or not isinstance(bound[0], ast.Call) or not isinstance(bound[0].func, ast.Name):
        return None
    return helpers.get(bound[0].func.id)


def _name_bindings(pf: PythonFile, func: FunctionNode) -> dict[str, list[ast.expr | None]]:
    """Return the values each bare name is assigned inside a function (nested blocks and definitions included)."""
    found: dict[str, list[ast.expr | None]] = {}
    for node in pf.within(func, ast.Assign, ast.AnnAssign, ast.AugAssign):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            for target in _targets(node):
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _targets(node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> list[ast.expr]:
    return list(node.targets) if isinstance(node, ast.Assign) else [node.target]


def _super_call(node: ast.expr) -> bool:
    """Return True for `super()` or `super(Cls, self)`."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _class_helpers(owner: ast.ClassDef, helpers: dict[str, tuple[str, str]]) -> _ClassHelpers:
    """Return the methods a class defines and its from-imported bases: a base imported by name
    (`class TestX(CommonTester)`) or reached through an imported module (`class TestX(test_utils.AdderTestMixin,
    parameterized.TestCase)`, `from acme.adders.reverb import test_utils`)."""
    methods = frozenset(s.name for s in owner.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef))
    bases: list[tuple[str, str]] = []
    for base in owner.bases:
        if isinstance(base, ast.Name) and base.id in helpers:
            bases.append(helpers[base.id])
        elif isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id in helpers:
            module, name = helpers[base.value.id]
            bases.append(((f"{module}.{name}" if module else name), base.attr))
    return methods, tuple(bases)


def asserting_top_level(pf: PythonFile) -> frozenset[str]:
    """Return the names of the module's top-level functions, and `Class.method` of its top-level classes'
    methods, that assert (directly or through local helpers).

    Read from the file's asserting `def` lines (`asserting_lines`): no two functions start on one line.
    """
    lines: frozenset[int] = pf.file_fact(ASSERTING_FACT, asserting_lines)
    names = {
        f.name for f in pf.tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.lineno in lines
    }
    for cls in pf.tree.body:
        if isinstance(cls, ast.ClassDef):
            names.update(
                f"{cls.name}.{f.name}"
                for f in cls.body
                if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.lineno in lines
            )
    return frozenset(names)


def local_helper_name(func: ast.expr) -> str | None:
    """Return the name of a call to a helper of the file: `check(x)`, or `self.compare(x)` on the test class."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        return func.attr
    return None


def _checks_exit_status(call: ast.Call) -> bool:
    """Return True for `subprocess.run(cmd, check=True)`: it raises when the command fails, like `check_call`."""
    return callee(call) == "run" and any(
        k.arg == "check" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
    )


def _errors_on_warning(call: ast.Call) -> bool:
    """Return True for `warnings.simplefilter("error")` and `@pytest.mark.filterwarnings("error")`."""
    if callee(call) not in WARNINGS_AS_ERRORS or not call.args:
        return False
    first = call.args[0]
    return isinstance(first, ast.Constant) and str(first.value).startswith("error")


def exempt_from_assertion(name: str, node: FunctionNode) -> bool:
    """Benchmarks (a `benchmark` fixture, or a test marked `@pytest.mark.benchmark(...)`: pytest-benchmark times
    it), skipped tests and import smoke tests need no assertion."""
    params = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
    marks = _decorator_names(node)
    if "benchmark" in params or "benchmark" in marks or marks & SKIP_MARKS:
        return True
    if any(isinstance(d, ast.Call) and _errors_on_warning(d) for d in node.decorator_list):
        return True
    body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if _imports_only(body):
        return True
    if "." in name and all(isinstance(s, ast.Pass) for s in body):
        return True  # a method emptied to switch off a test inherited from a base test class
    if _only_skips(body):
        return True  # `raise unittest.SkipTest(...)`: an inherited test switched off for this case
    if body and _checks_serialisable(name, body[-1]):
        return True
    return _validates_what_it_builds(body)


def _imports_only(body: list[ast.stmt]) -> bool:
    """Return True for an import smoke test: imports only, the names perhaps deleted again (`del pkg`, so a linter
    sees them used)."""
    imported = [s for s in body if isinstance(s, ast.Import | ast.ImportFrom)]
    return bool(imported) and all(isinstance(s, ast.Import | ast.ImportFrom | ast.Delete) for s in body)


_SKIPS = frozenset({"SkipTest", "skipTest", "skip"})


def _only_skips(body: list[ast.stmt]) -> bool:
    """Return True for a test body that only skips: `raise unittest.SkipTest(...)`, `self.skipTest(...)`,
    `pytest.skip(...)`."""
    if len(body) != 1:
        return False
    stmt = body[0]
    node = stmt.exc if isinstance(stmt, ast.Raise) else stmt.value if isinstance(stmt, ast.Expr) else None
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
    return name in _SKIPS


# Statements that build a test's input: assignments, local classes and functions, and local imports.
SETUP = (ast.Assign, ast.AnnAssign, ast.ClassDef, ast.FunctionDef, ast.Import, ast.ImportFrom)


def _validates_what_it_builds(body: list[ast.stmt]) -> bool:
    """Return True for a must-not-raise test: validator calls (`validate_url(url)`), after nothing but the
    assignments, local imports and local classes that build their input (`schema = Schema(...)`; then
    `schema.validate(df)`, also inside `with settings(...):`): a validator reports invalid input by raising, so the call whose result
    the test discards is the check."""
    if body and all(_validator_call(s) for s in body):
        return True
    calls = (
        s for stmt in body for s in (stmt.body if isinstance(stmt, ast.With) else (stmt,)) if not isinstance(s, SETUP)
    )
    checked = False  # any call at all; the first that is no validator (most tests' first call) settles it
    for stmt in calls:
        # `np.testing.assert_allclose(out, 1.0)` after building `out` is an assertion, not a must-not-raise check
        if not _validator_call(stmt) or _asserting_statement(stmt):
            return False
        checked = True
    return checked


def _asserting_statement(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and _asserts_by_name(callee(stmt.value))


SERIALISERS = frozenset({"dumps", "dump", "loads", "safe_dump", "to_json"})
_SERIALISATION_NAME = ("serializ", "serialis", "pickl", "json")


def _checks_serialisable(name: str, last: ast.stmt) -> bool:
    """Return True for a test named for serialisation that ends by discarding `json.dumps(...)` or
    `pickle.loads(pickle.dumps(...))`: the call raises when the object does not serialise, so it is the check."""
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return False  # most tests end by asserting: their name need not be read
    if not any(word in name.lower() for word in _SERIALISATION_NAME):
        return False
    func = last.value.func
    return isinstance(func, ast.Attribute) and func.attr in SERIALISERS and isinstance(func.value, ast.Name)


def _validator_call(stmt: ast.stmt) -> bool:
    """Return True for `validate_url(url)`: a must-not-raise test, where calling the validator is the check."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name.lstrip("_").startswith(VALIDATOR_PREFIXES)
