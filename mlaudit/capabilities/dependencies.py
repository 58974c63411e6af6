"""Provides the capabilities of the `dependencies` practice: a declared, pinned, rebuildable environment."""

from __future__ import annotations

import re

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import line_of, located, share_text
from mlaudit.facts.ci import ci_files, ci_text
from mlaudit.facts.distributions import (
    DependencyFacts,
    Requirement,
    candidate_distributions,
    namespace_path,
    preferred_distribution,
)
from mlaudit.facts.kind import is_library, project_kind, shipped_package
from mlaudit.model import FileKind
from mlaudit.project import Project
from mlaudit.readers import requirements_file
from mlaudit.registry import hits_fact
from mlaudit.rules.dependencies._shared import (
    _mapping_pairs,
    declared_dependencies,
    declares_no_dependencies,
    used_imports,
)
from mlaudit.rules.production._shared import is_dockerfile
from mlaudit.rules.security.sec022_runtime_pip_install import RuntimePipInstall

ENV_FILES = (
    "environment.yml",
    "environment.yaml",
    "conda.yml",
    "conda.yaml",
    ".devcontainer/devcontainer.json",
    "devcontainer.json",
    "flake.nix",
    "shell.nix",
    "tox.ini",
    "noxfile.py",
)
VCS_LINE = re.compile(r"git\+\S+")
PINNED_REF = re.compile(r"@(v?\d+(\.\d+)+|[0-9a-f]{7,40})\b")
CI_LOCKED = re.compile(r"(?:-c|--constraint)\s+\S+|\buv sync\b|poetry install|pdm (?:install|sync)|pip-sync\b")
CI_SOME_PINS = re.compile(r"pip install[^\n]*==")
CI_SOME_PINS_SHARE = 0.7
NO_MANIFEST = "No dependency manifest (expected pyproject.toml [project] dependencies or requirements.txt)"


def _runtime(facts: DependencyFacts) -> list[Requirement]:
    return [r for r in facts.requirements if not r.dev]


@register_capability
class ManifestDeclared(Capability):
    """The dependencies are declared in a manifest (pyproject, requirements, Pipfile, environment.yml, setup)."""

    key = "manifest_declared"
    practice = "dependencies"
    title = "Dependencies declared in a manifest"
    points = 20

    def assess(self, project: Project) -> Assessment:
        facts = declared_dependencies(project)
        if not facts.requirements:
            none = declares_no_dependencies(project)
            if none is not None:
                return Assessment.earned(f"{none} declares that the package needs no run-time dependency")
            return Assessment.missing(NO_MANIFEST)
        first = facts.requirements[0]
        sources = ", ".join(facts.sources[:3])
        return Assessment.earned(
            f"{len(facts.requirements)} requirements declared in {sources} (first at {located(first.path, first.line)})",
            first.path,
            first.line,
        )


CONSTRAINTS_NAME = re.compile(r"(?:^|/)constraints[\w.-]*\.txt$")
EXACT_PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?==[^\s;=]+(?:\s*;.*)?$")


def constraints_lock(project: Project) -> str | None:
    """Return a constraints file that pins every package exactly: for pip, that is a lock file.

    `pip install -c constraints.txt` then installs one tested set, transitive packages included;
    a few pinned lines (under five) are a partial pin, not a lock.
    """
    for path in sorted(project.texts):
        if not CONSTRAINTS_NAME.search(path):
            continue
        entries = [line for _number, line in requirements_file(project, path).lines]
        if len(entries) >= 5 and all(EXACT_PIN.match(e) for e in entries):
            return path
    return None


def _ci_pins(project: Project, pattern: re.Pattern[str]) -> str | None:
    for path in ci_files(project):
        text = project.text(path) or ""
        line = line_of(text, pattern)
        if line:
            return located(path, line)
    return None


@register_capability
class VersionsPinned(Capability):
    """Versions are reproducible: exact pins or a lock file for an application; for a published library,
    ranges in the metadata plus a lock or constraints file in CI (a few pinned installs in CI earn most).

    A partly pinned application earns the square of its pinned share: any floating package can
    break the rebuild, so half pinned is far from half reproducible."""

    key = "versions_pinned"
    practice = "dependencies"
    title = "Versions pinned or locked"
    points = 35

    def assess(self, project: Project) -> Assessment:
        facts = declared_dependencies(project)
        runtime = _runtime(facts) or list(facts.requirements)  # only development ones: those are judged
        if not runtime:
            none = declares_no_dependencies(project)
            if none is not None:
                return Assessment.earned(f"no run-time dependency to pin ({none} declares none)")
            return Assessment.missing(NO_MANIFEST)
        lock = (facts.lock_files or [None])[0] or constraints_lock(project)
        if lock:
            return Assessment.earned(f"lock file {lock} pins the environment", lock)
        if is_library(project):
            return self._library(project, runtime)
        pinned = [r for r in runtime if facts.is_pinned(r)]
        unpinned = [f"{r.spec} ({located(r.path, r.line)})" for r in runtime if not facts.is_pinned(r)]
        moving = _moving_vcs(project, sorted({r.path for r in runtime}))
        total = len(runtime) + len(moving)
        sentence = f"{share_text(len(pinned), total)} runtime requirements pinned exactly"
        if moving or unpinned:
            sentence += f"; not pinned: {', '.join([*moving, *unpinned][:3])}"
        first = (pinned or runtime)[0]
        return Assessment.partly((len(pinned) / total) ** 2, sentence, first.path, first.line)

    def _library(self, project: Project, runtime: list[Requirement]) -> Assessment:
        sentence = f"published library: {len(runtime)} runtime requirements left open or ranged, as a library should"
        if all(r.dev for r in runtime):
            sentence = f"published library: no runtime requirement declared, only {len(runtime)} for development"
        locked = _ci_pins(project, CI_LOCKED)
        if locked:
            return Assessment.earned(f"{sentence}, and CI installs a locked or constrained set ({locked})")
        some = _ci_pins(project, CI_SOME_PINS)
        if some:
            return Assessment.partly(
                CI_SOME_PINS_SHARE,
                f"{sentence}; CI pins some packages ({some}) but no lock or constraints file pins the tested set",
            )
        return Assessment.partly(
            0.5, f"{sentence}, but no lock or constraints file pins a tested set (expected constraints.txt used in CI)"
        )


def _moving_vcs(project: Project, sources: list[str]) -> list[str]:
    """Return VCS requirements (`git+...`) of runtime manifests that follow a branch instead of a tag or commit."""
    found: list[str] = []
    for path in sorted({*sources, "environment.yml", "environment.yaml"}):
        text = project.text(path) or ""
        for number, line in enumerate(text.splitlines(), start=1):
            match = VCS_LINE.search(line.split(" #", 1)[0])
            if match and not PINNED_REF.search(match.group(0).split("#", 1)[0]):
                found.append(f"{match.group(0)[:50]} ({path}:{number})")
    return found


@register_capability
class ImportsDeclared(Capability):
    """Every third-party package the code imports is declared. Any undeclared import breaks a fresh
    install, so the credit is the square of the declared share (90% declared earns 81%). A published
    library whose own package imports an undeclared one (arriving, if at all, through another
    dependency) fails with ImportError for its users: at most half the credit (unless only a file no import
    loads, named like `hook-pkg.py`, imports it). An import named like a
    declared distribution that nothing else imports (`causallearn`, causal-learn) counts as declared, and
    a namespace package's import is judged by its dotted path (`google.protobuf` is protobuf's), as is any
    import a dotted distribution provides (`import flufl.lock` under declared flufl.lock)."""

    key = "imports_declared"
    practice = "dependencies"
    title = "Imported packages are declared"
    points = 20

    def assess(self, project: Project) -> Assessment:
        facts = declared_dependencies(project)
        none = declares_no_dependencies(project)
        if not facts.requirements and none is None:
            return Assessment.missing(NO_MANIFEST)
        wanted: dict[str, str] = {}
        declared: set[str] = set()  # judged by the whole dotted path, as DEP004 does: `flufl.lock` is flufl.lock's
        for use in used_imports(project):
            if use.kind in (FileKind.TEST, FileKind.NOTEBOOK) or use.optional:
                continue
            wanted.setdefault(import_key(use.module), located(use.path, use.line))
            if candidate_distributions(use.module) & facts.provided:
                declared.add(import_key(use.module))
        if not wanted and none is not None:
            return Assessment.earned(f"every third-party import is optional, as {none} (no dependencies) says")
        if not wanted:
            return Assessment.missing("The code imports no third-party package to declare")
        paired, _ = _mapping_pairs(project)  # `causallearn` under declared causal-learn: one name, not a gap
        missing = [m for m in wanted if m not in declared and preferred_distribution(m) not in paired]
        found = len(wanted) - len(missing)
        sentence = f"{share_text(found, len(wanted))} imported third-party packages are declared"
        if missing:
            sentence += f"; undeclared: {', '.join(f'{m} ({wanted[m]})' for m in sorted(missing)[:3])}"
        share = (found / len(wanted)) ** 2
        shipped = _shipped_undeclared(project, missing)
        if shipped:
            share = min(share, 0.5)
            sentence += f"; the published package itself imports {shipped}, so installing it can fail"
        return Assessment.partly(share, sentence)


def _runtime_install(project: Project) -> str | None:
    """Return `path:line` of the first place the code pip-installs packages while it runs, if any."""
    rule = RuntimePipInstall()
    for pf in sorted(project.python_of(*rule.file_kinds), key=lambda p: p.path):
        hits = pf.file_fact(hits_fact(rule.code), rule.file_hits)
        if hits:
            return located(hits[0].path or pf.path, hits[0].line)
    return None


def import_key(module: str) -> str:
    """Return the name an import is declared under: its top-level package, or under a namespace package the
    dotted path naming the distribution (`google.protobuf.message` -> `google.protobuf`, which protobuf
    provides; `google.cloud.storage.blob` -> `google.cloud.storage`), never the bare namespace `google`."""
    return namespace_path(module) or module.split(".", maxsplit=1)[0]


def _shipped_undeclared(project: Project, missing: list[str]) -> str | None:
    """Return `module (path:line)` for an undeclared import inside a published library's own package."""
    package = shipped_package(project) if missing and is_library(project) else None
    if package is None:
        return None
    for use in used_imports(project):
        root = import_key(use.module)
        if root in missing and not use.optional and use.path.startswith(package) and _importable(use.path):
            return f"{root} ({located(use.path, use.line)})"
    return None


def _importable(path: str) -> bool:
    """Return True unless the file's name is no Python identifier (`hook-pkg.py`): no import of the package
    loads it (a tool runs it by path), so its imports cannot break installing the package."""
    return path.rsplit("/", 1)[-1].removesuffix(".py").isidentifier()


@register_capability
class PythonDeclared(Capability):
    """The supported Python version is declared beside the dependencies (requires-python, python_requires,
    .python-version, conda python); a version with no dependency manifest earns nothing."""

    key = "python_declared"
    practice = "dependencies"
    title = "Python version declared"
    points = 15

    def assess(self, project: Project) -> Assessment:
        facts = declared_dependencies(project)
        if not facts.requirements and declares_no_dependencies(project) is None:
            return Assessment.missing(NO_MANIFEST)
        if facts.python is not None:
            path = facts.python.path
            line = line_of(project.text(path), facts.python.spec)
            return Assessment.earned(f"{located(path, line)} declares Python {facts.python.spec}", path, line)
        conda = _conda_python(project)
        if conda is not None:
            return Assessment.earned(f"{conda} pins the Python version in the conda environment")
        pipfile = project.text("Pipfile") or ""
        line = line_of(pipfile, re.compile(r"python_(full_)?version"))
        if line:
            return Assessment.earned(f"Pipfile:{line} declares python_version", "Pipfile", line)
        return Assessment.missing(
            "No Python version declared (expected requires-python in pyproject.toml or .python-version)"
        )


def _conda_python(project: Project) -> str | None:
    for path in ("environment.yml", "environment.yaml"):
        line = line_of(project.text(path), re.compile(r"^\s*-\s*python\s*[=<>~]", re.MULTILINE))
        if line:
            return located(path, line)
    return None


@register_capability
class EnvironmentRecipe(Capability):
    """The environment can be rebuilt from a recipe: Dockerfile, conda environment, devcontainer, tox/nox or a lock.

    A service runs where it is deployed, so its recipe is an image: a lock file alone pins its
    Python packages but not the system and Python it runs on, and earns half. A recipe the code
    completes itself by pip-installing packages while it runs (SEC022) does not rebuild what runs,
    and earns half.
    """

    key = "environment_recipe"
    practice = "dependencies"
    title = "Environment recipe"
    points = 10

    def assess(self, project: Project) -> Assessment:
        recipe = self._recipe(project)
        if recipe is None or recipe.share < 1:
            return recipe or self._ci_only(project)
        installs = _runtime_install(project)
        if installs is None:
            return recipe
        sentence = (
            f"{recipe.evidence}, but the code pip-installs packages at run time ({installs}): the recipe lacks them"
        )
        return Assessment.partly(0.5, sentence, recipe.path, recipe.line)

    @staticmethod
    def _recipe(project: Project) -> Assessment | None:
        for f in project.files:
            if is_dockerfile(f.path):
                return Assessment.earned(f"{f.path} builds the environment", f.path)
        for path in ENV_FILES:
            if project.has_file(path):
                return Assessment.earned(f"{path} recreates the environment", path)
        facts = declared_dependencies(project)
        lock = (facts.lock_files or [None])[0] or constraints_lock(project)
        if lock and project_kind(project).kind == "service":
            return Assessment.partly(
                0.5, f"lock file {lock} pins the packages, but no Dockerfile builds the image the service runs in", lock
            )
        if lock:
            return Assessment.earned(f"lock file {lock} recreates the environment", lock)
        return None

    @staticmethod
    def _ci_only(project: Project) -> Assessment:
        for path in ci_files(project):
            text = ci_text(project, path)
            line = line_of(project.text(path), re.compile(r"setup-python|conda-incubator|pip install"))
            if line and "pip install" in text:
                return Assessment.partly(
                    0.5,
                    f"only CI builds an environment ({located(path, line)}); no Dockerfile or conda file",
                    path,
                    line,
                )
        return Assessment.missing(
            "No Dockerfile, environment.yml, devcontainer or lock file to rebuild the environment"
        )
