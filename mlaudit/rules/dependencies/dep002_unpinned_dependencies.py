"""Provides rule DEP002: Dependencies not pinned."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.distributions import Pin, Requirement, public_spec, vcs_ref
from mlaudit.facts.kind import is_library
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.dependencies._shared import declared_dependencies
from mlaudit.scoring import linear_points


@register
class UnpinnedDependencies(Rule):
    """Measures the share of declared dependencies pinned exactly or covered by a lock file.

    ## What it does
    Counts each declared distribution once: pinned when some declaration uses `==`/`===`
    (or a direct URL), or a lock file (uv.lock, poetry.lock, pdm.lock, Pipfile.lock,
    conda-lock.yml, a constraints file) covers it. Ranged (`>=`) and bare names are not pinned.
    The score follows the pinned share; each unpinned distribution is listed as info. A published
    library is right to declare ranges (its users' installs resolve them), so its ranged
    requirements are not listed one by one: the "versions pinned" capability asks it for a lock
    or constraints file that pins its CI instead. Its bare names and moving branches still are; a development
    tool tracking a branch (a docs plugin in `[dependency-groups] dev`) is a note, since what users install
    does not move with it.

    ## Why is this bad?
    `torch>=2.1` installs a different torch next month: results drift, and a training run
    from last quarter cannot be reproduced or debugged.

    ## Example
    ```text
    torch>=2.1
    pandas
    ```

    ## Use instead
    ```text
    # keep ranges in pyproject.toml for the library, and commit a lock file:
    uv lock            # or: pip-compile --generate-hashes -o requirements.txt
    ```
    """

    code = "DEP002"
    restates = "versions_pinned"
    scoring = "measured"
    title = "Dependencies not pinned"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = "Commit a lock file (uv lock, poetry lock, pip-compile) or pin application requirements with ==."

    def check(self, project: Project) -> Iterator[Output]:
        yield Metric("dependency_tool", dependency_tool(project))
        facts = declared_dependencies(project)
        first: dict[str, Requirement] = {}
        for req in facts.requirements:
            first.setdefault(req.name, req)
        if not first:
            yield Metric("pinned_share", None)
            return
        pinned = {r.name for r in facts.requirements if facts.is_pinned(r)}
        unpinned = [r for r in first.values() if r.name not in pinned]
        share = 1 - len(unpinned) / len(first)
        points = linear_points(share, 0.0, project.options.threshold("pinned_share_target", 0.95), 30)
        yield Metric("pinned_share", round(share, 3), points, _pinned_reason(share, len(first), unpinned))
        yield Metric("declared_distributions", len(first))
        library = is_library(project)
        for req in unpinned:
            if not (library and req.pin is Pin.RANGE):
                yield _unpinned_hit(req, library)


def _unpinned_hit(req: Requirement, library: bool) -> Hit:
    spec = public_spec(req.spec)
    if req.pin is Pin.BRANCH:
        ref = vcs_ref(req.spec)
        moving = f"the branch @{ref}" if ref else "the default branch (no @ref)"
        fix = f"Pin {req.name} to a release tag or a commit hash (…@v1.2.3 or …@<sha>)."
        if req.dev:  # a docs plugin or linter of the developers' environment: what users install does not move
            message = f"{spec} tracks {moving}: the development tools can change from one install to the next"
            return Hit(req.path, req.line, message, Severity.INFO, fix=fix)
        return Hit(req.path, req.line, f"{spec} tracks {moving}: every install can get different code", fix=fix)
    if library:  # a bare name: its users may get any version, however old
        fix = f"Declare the oldest {req.name} the library supports ({req.name}>=X.Y)."
        return Hit(
            req.path, req.line, f"{spec} has no lower bound: any version may be installed", Severity.INFO, fix=fix
        )
    how = "has a version range only" if req.pin is Pin.RANGE else "has no version at all"
    return Hit(req.path, req.line, f"{spec} {how} and no lock file covers {req.name}", Severity.INFO)


def _pinned_reason(share: float, total: int, unpinned: list[Requirement]) -> str:
    reason = f"DEP002 {share:.0%} of {total} declared distributions pinned or locked"
    if not unpinned:
        return reason
    names = ", ".join(r.name for r in unpinned[:5]) + (", ..." if len(unpinned) > 5 else "")
    return f"{reason} (unpinned: {names})"


_TOOL_MARKERS = (
    ("poetry.lock", "poetry"),
    ("pdm.lock", "pdm"),
    ("uv.lock", "uv"),
    ("Pipfile", "pipenv"),
    ("conda-lock.yml", "conda"),
    ("environment.yml", "conda"),
    ("environment.yaml", "conda"),
    ("requirements.in", "pip-tools"),
)


def dependency_tool(project: Project) -> str | None:
    """Return the dependency tool the repository already uses, from its root files."""
    for marker, tool in _TOOL_MARKERS:
        if project.has_file(marker):
            return tool
    pyproject = project.text("pyproject.toml") or ""
    if "[tool.poetry" in pyproject:
        return "poetry"
    if "[tool.pdm" in pyproject:
        return "pdm"
    if "[tool.uv" in pyproject:
        return "uv"
    if any(f.kind is FileKind.MANIFEST and "requirements" in f.path for f in project.files):
        return "pip"
    return None
