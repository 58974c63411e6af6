"""Provides the capabilities of the `testing` practice: a suite that runs, asserts and reaches the risky code."""

from __future__ import annotations

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import ratio, reached_from, share_text
from mlaudit.facts.assertions import asserting_in
from mlaudit.facts.callgraph import registries
from mlaudit.facts.ci import CI_TEST_COMMAND, ci_running_tests, ci_text
from mlaudit.facts.kind import shipped_package
from mlaudit.facts.test_suite import suite_of
from mlaudit.facts.tested_modules import module_name, tested_modules, used_support_files
from mlaudit.model import FileKind
from mlaudit.project import Project
from mlaudit.rules.testing._shared import coverage_of, importance, needs_tests

FULL_SUITE = 20
VOLUME_TARGET = 0.3


def _no_tests() -> Assessment:
    return Assessment.missing("No test functions are collected (expected test_*.py files under tests/)")


@register_capability
class TestsCollected(Capability):
    """Tests exist that pytest would collect; a suite of 20 or more test cases earns it fully.

    A handful of tests is a start, not a suite: the share grows with the number of
    collected test cases (parametrised cases count).
    """

    key = "tests_collected"
    practice = "testing"
    title = "Tests are collected"
    points = 20

    def assess(self, project: Project) -> Assessment:
        suite = suite_of(project)
        if not suite.functions:
            return _no_tests()
        cases = sum(f.cases for f in suite.functions)
        first = suite.functions[0]
        line = first.line
        sentence = (
            f"{len(suite.functions)} test functions ({cases} cases) in {len(suite.test_modules)} modules, "
            f"e.g. {first.name} at {first.path}:{line}"
        )
        return Assessment.partly(cases / FULL_SUITE, sentence, first.path, line)


@register_capability
class TestsAssert(Capability):
    """Collected tests check results (assert, pytest.raises, mock assertions), not only run code."""

    key = "tests_assert"
    practice = "testing"
    title = "Tests assert on results"
    points = 15

    def assess(self, project: Project) -> Assessment:
        suite = suite_of(project)
        if not suite.functions:
            return _no_tests()
        asserting: set[tuple[str, int]] = set()
        for path in suite.test_modules:
            asserting |= {(path, line) for line in asserting_in(project, path)}
        counted = [t for t in suite.functions if not t.exempt]
        good = [t for t in counted if (t.path, t.line) in asserting or t.asserts_by_doctest(suite.config)]
        if not counted:
            return Assessment.missing("Every collected test is skipped or a benchmark; none asserts")
        if not good:
            return Assessment.missing(f"None of the {len(counted)} tests asserts anything (they only run code)")
        first = good[0]
        sentence = f"{share_text(len(good), len(counted))} tests assert, e.g. {first.name} at {first.path}:{first.line}"
        return Assessment.partly(len(good) / len(counted), sentence, first.path, first.line)


def _asserting_modules(project: Project) -> list[str]:
    """Return the test modules with at least one test that asserts."""
    found: list[str] = []
    for path in suite_of(project).test_modules:
        if asserting_in(project, path):
            found.append(path)
    return found


@register_capability
class ModulesReached(Capability):
    """Tests reach the library modules, the risky ones (data, features, metrics, losses) counted twice.

    A module is reached when a test module that asserts imports it, directly or through the modules
    (and package `__init__` files, where registries and factories live) that the test imports, or when a
    test-support module that runs with the tests (a `conftest.py`, a helper a test imports) does; a helper
    no test imports (a `testing/fit_helper.py` shipped for other suites) reaches nothing. A
    plugin that registers itself with a reached registry (a `@register...` decorator) is reached
    too: tests that go through the registry run it, however it is loaded.
    """

    key = "modules_reached"
    practice = "testing"
    title = "Library modules are reached by tests"
    points = 25

    def assess(self, project: Project) -> Assessment:
        suite = suite_of(project)
        if not suite.functions:
            return _no_tests()
        candidates = [pf for pf in project.python_of(FileKind.LIBRARY) if needs_tests(pf)]
        if not candidates:
            return Assessment.missing("No library module with functions or classes for the tests to reach")
        asserting = _asserting_modules(project)
        if not asserting:
            return Assessment.missing("No test asserts anything, so no module is checked by a test")
        tested = tested_modules(project) if len(asserting) == len(suite.test_modules) else frozenset()
        reached = _with_registered(project, reached_from(project, [*asserting, *used_support_files(project)]))
        weight = total = 0
        hit: list[str] = []
        missed: list[str] = []
        shipped = shipped_package(project)
        for pf in sorted(candidates, key=lambda p: p.path):
            w = 2 if importance(pf.path, shipped) else 1
            total += w
            if pf.path in reached or module_name(pf.path, project.python) in tested:
                weight += w
                hit.append(pf.path)
            else:
                missed.append(pf.path)
        sentence = f"tests reach {share_text(len(hit), len(candidates))} library modules"
        if missed:
            risky = [p for p in missed if importance(p, shipped)] or missed
            sentence += f"; not reached: {', '.join(risky[:3])}"
        return Assessment.partly(weight / total, sentence, hit[0] if hit else None)


def _with_registered(project: Project, reached: set[str]) -> set[str]:
    """Add the plugins of every reached registry, and what they import, until nothing new is reached."""
    users = registries(project).users
    done: set[str] = set()
    while todo := [r for r in reached if r in users and r not in done]:
        done.update(todo)
        plugins = {p for r in todo for p in users[r]} - reached
        reached |= plugins | reached_from(project, plugins)
    return reached


@register_capability
class TestsInCi(Capability):
    """A CI pipeline runs the tests on every change (pytest, tox, nox, make test, ...)."""

    key = "tests_in_ci"
    practice = "testing"
    title = "Tests run in CI"
    points = 20

    def assess(self, project: Project) -> Assessment:
        suite = suite_of(project)
        if not suite.functions:
            return _no_tests()
        running = ci_running_tests(project)
        if not running:
            return Assessment.missing(
                "No CI pipeline runs the tests (expected e.g. .github/workflows/ci.yml running pytest)"
            )
        path = running[0]
        text = ci_text(project, path)
        match = CI_TEST_COMMAND.search(project.text(path) or "")
        line = (project.text(path) or "").count("\n", 0, match.start()) + 1 if match else None
        where = f"{path}:{line}" if line else path
        command = CI_TEST_COMMAND.search(text)
        return Assessment.earned(f"{where} runs the tests ({command.group(0) if command else 'test step'})", path, line)


@register_capability
class TestVolume(Capability):
    """The test code is substantial next to the code it tests (test lines at 30% of code lines earns it)."""

    key = "test_volume"
    practice = "testing"
    title = "Test code in proportion to the code"
    points = 10

    def assess(self, project: Project) -> Assessment:
        suite = suite_of(project)
        if not suite.functions:
            return _no_tests()
        code = project.library_code_lines or 1
        value = suite.test_code_lines / code
        return Assessment.partly(
            ratio(value, 0.0, VOLUME_TARGET),
            f"{suite.test_code_lines} test code lines for {code} lines of code (ratio {value:.2f}, target {VOLUME_TARGET})",
        )


@register_capability
class CoverageAtTarget(Capability):
    """Measured line coverage (coverage.py data in the repository) reaches the target (80% by default)."""

    key = "coverage_at_target"
    practice = "testing"
    title = "Coverage measured and at target"
    points = 10

    def assess(self, project: Project) -> Assessment:
        if not suite_of(project).functions:
            return _no_tests()
        result = coverage_of(project)
        if result is None or result.total is None:
            reason = result.reason if result is not None and result.reason else "no coverage data"
            return Assessment.missing(
                f"Coverage not measured ({reason}); expected .coverage or coverage.xml from pytest --cov"
            )
        target = project.options.threshold("coverage_target", 80.0)
        return Assessment.partly(
            result.total / target,
            f"{result.source} reports {result.total:.0f}% line coverage (target {target:.0f}%)",
            result.source,
        )
