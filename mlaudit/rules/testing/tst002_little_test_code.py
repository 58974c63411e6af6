"""Provides rule TST002: Little test code compared with library code."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Metric, Output, Rule, register
from mlaudit.scoring import linear_points


@register
class LittleTestCode(Rule):
    """Measures the test suite: test functions, parametrised cases, and test lines per library line.

    ## What it does
    Counts test functions and parametrised cases and compares the code lines of tests with
    the code lines of library and script modules. A ratio of 0.5 or more earns full credit;
    below that, points are lost linearly.

    ## Why is this bad?
    A thin test suite guards only a sliver of the code; the untested rest changes behaviour
    without anyone noticing.

    ## Example
    ```text
    library code: 2,400 lines, tests: 90 lines (ratio 0.04)
    ```

    ## Use instead
    ```python
    @pytest.mark.parametrize("text, expected", [("", []), ("a b", ["a", "b"])])
    def test_tokenize(text, expected):
        assert tokenize(text) == expected
    ```
    """

    code = "TST002"
    restates = "test_volume"
    scoring = "measured"
    title = "Little test code compared with library code"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Grow the tests towards half as many lines as the library, starting with the riskiest modules."

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        library = project.library_code_lines
        yield Metric("test_functions", len(suite.functions))
        yield Metric("parametrized_cases", suite.parametrized_cases)
        yield Metric("test_code_lines", suite.test_code_lines)
        yield Metric("library_code_lines", library)
        if library == 0:
            return
        ratio = suite.test_code_lines / library
        target = project.options.threshold("test_to_code_ratio", 0.5)
        points = linear_points(ratio, 0.0, target, 20)
        reason = f"{self.code} test-to-code ratio {ratio:.2f} (target {target:.2f})"
        yield Metric("test_to_code_ratio", round(ratio, 3), points, reason)
