"""Provides the pip-audit adapter: known vulnerabilities of the repository's exactly pinned requirements.

pip-audit runs in a subprocess on a temporary requirements file (never in the audited repo),
with `--no-deps --disable-pip`, so it never resolves, downloads or builds anything of the
audited project. A skip, an empty or garbled output, a timeout or a network failure is
"not checked" with the reason, never a pass. Results are cached per requirement set under
`$XDG_CACHE_HOME/mlaudit` (default `~/.cache/mlaudit`): a day, six hours when a package was skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mlaudit.project import Project
from mlaudit.tools import children, gatherer

log = logging.getLogger(__name__)

CACHE_TTL_SECONDS = 24 * 3600
SKIPPED_TTL_SECONDS = 6 * 3600  # a package pip-audit skipped may be published or reachable soon


@dataclass(frozen=True)
class Vulnerability:
    """One known vulnerability: its id, aliases (CVE, GHSA) and the versions that fix it."""

    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class AuditedPackage:
    """A pinned package pip-audit checked, with the vulnerabilities it has (maybe none)."""

    name: str
    version: str
    vulns: tuple[Vulnerability, ...]


@dataclass(frozen=True)
class PipAuditResult:
    """What pip-audit found; `not_checked` says why nothing could be checked."""

    requirements: tuple[str, ...]
    packages: tuple[AuditedPackage, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    not_checked: str | None = None
    from_cache: bool = False
    checked_at: float | None = None
    """When pip-audit produced this result (seconds since the epoch); None when it did not run."""

    @property
    def valid_until(self) -> float | None:
        """Return when this result goes stale, as its cache entry does; None when pip-audit did not run."""
        if self.checked_at is None:
            return None
        return self.checked_at + (SKIPPED_TTL_SECONDS if self.skipped else CACHE_TTL_SECONDS)

    @property
    def vulnerable(self) -> tuple[AuditedPackage, ...]:
        """Return the audited packages with at least one known vulnerability."""
        return tuple(p for p in self.packages if p.vulns)


@dataclass(frozen=True)
class RunOutcome:
    """Exit code and output of one pip-audit run."""

    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class PipAuditSettings:
    """How to run pip-audit: timeout, vulnerability service, and where to cache (None: no cache)."""

    timeout: float = 60.0
    service: str = "pypi"
    osv_url: str | None = None
    cache_dir: Path | None = None


Runner = Callable[[Sequence[str], Path, float], RunOutcome]


def subprocess_runner(args: Sequence[str], cwd: Path, timeout: float) -> RunOutcome:
    """Run pip-audit for real; raises subprocess.TimeoutExpired or OSError."""
    env = {**os.environ, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    proc = children.start(args, cwd, env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = children.communicate(proc, timeout)
    return RunOutcome(proc.returncode, stdout, stderr)


RUNNER: Runner = subprocess_runner


def default_cache_dir() -> Path:
    """Return `$XDG_CACHE_HOME/mlaudit`, or `~/.cache/mlaudit` (shared with the report cache)."""
    from mlaudit.cache import default_cache_dir as shared

    return shared()


@gatherer("pip_audit")
def gather(project: Project) -> PipAuditResult:
    """Audit the project's exactly pinned (or locked) requirements with pip-audit."""
    from mlaudit.rules.dependencies._shared import declared_dependencies

    if project.options.offline:
        return PipAuditResult((), not_checked="offline (--offline)")
    cache = default_cache_dir()
    if cache.resolve().is_relative_to(project.root.resolve()):
        cache_dir: Path | None = None
    else:
        cache_dir = cache
    pins = declared_dependencies(project).pinned_versions()
    return audit_requirements(pins, PipAuditSettings(cache_dir=cache_dir), RUNNER)


def audit_requirements(
    pins: Mapping[str, str], settings: PipAuditSettings | None = None, runner: Runner | None = None
) -> PipAuditResult:
    """Audit `name==version` pins, from the cache when a complete result is fresh."""
    settings = settings or PipAuditSettings()
    requirements = tuple(sorted(f"{name}=={version}" for name, version in pins.items()))
    if not requirements:
        return PipAuditResult(requirements, not_checked="no exactly pinned or locked requirements to audit")
    cache_file = _cache_file(settings, requirements)
    cached = _read_cache(cache_file)
    if cached is not None:
        stdout, created = cached
        return replace(parse_output(RunOutcome(0, stdout, ""), requirements), from_cache=True, checked_at=created)
    outcome = _run(requirements, settings, runner or RUNNER)
    if isinstance(outcome, str):
        return PipAuditResult(requirements, not_checked=outcome)
    result = replace(parse_output(outcome, requirements), checked_at=time.time())
    if result.not_checked is None and result.checked_at is not None:
        _write_cache(cache_file, outcome.stdout, bool(result.skipped), result.checked_at)
    return result


def _command(requirements_file: Path, http_cache: Path, settings: PipAuditSettings) -> list[str]:
    args = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "-r", str(requirements_file)]
    args += ["-f", "json", "--progress-spinner", "off", "--cache-dir", str(http_cache), "-s", settings.service]
    return args + (["--osv-url", settings.osv_url] if settings.osv_url else [])


def _run(requirements: tuple[str, ...], settings: PipAuditSettings, runner: Runner) -> RunOutcome | str:
    """Run pip-audit in a temporary folder; return its outcome, or why it could not run."""
    with tempfile.TemporaryDirectory(prefix="mlaudit-pip-audit-") as tmp:
        folder = Path(tmp)
        requirements_file = folder / "requirements.txt"
        requirements_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        http_cache = settings.cache_dir / "pip-audit-http" if settings.cache_dir else folder / "http-cache"
        try:
            return runner(_command(requirements_file, http_cache, settings), folder, settings.timeout)
        except subprocess.TimeoutExpired:
            return f"pip-audit timed out after {settings.timeout:.0f} s"
        except OSError as err:
            return f"pip-audit could not start: {err.strerror or err}"


def parse_output(outcome: RunOutcome, requirements: tuple[str, ...]) -> PipAuditResult:
    """Turn pip-audit's JSON into a result; anything unexpected becomes `not_checked`."""
    data = _load_json(outcome.stdout)
    dependencies = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(dependencies, list):
        return PipAuditResult(requirements, not_checked=_failure(outcome))
    packages: list[AuditedPackage] = []
    skipped: list[tuple[str, str]] = []
    for dep in dependencies:
        if not isinstance(dep, dict):
            continue
        name = str(dep.get("name", "?"))
        if "skip_reason" in dep or "version" not in dep:
            skipped.append((name, str(dep.get("skip_reason") or "no version reported")))
        else:
            packages.append(AuditedPackage(name, str(dep["version"]), _vulns(dep.get("vulns"))))
    reason = None
    if not packages:
        first = skipped[0][1] if skipped else "no package in the output"
        reason = f"pip-audit checked none of the {len(requirements)} pinned packages ({first})"
    return PipAuditResult(requirements, tuple(packages), tuple(skipped), reason)


def _load_json(text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        return None


def _failure(outcome: RunOutcome) -> str:
    lines = [ln.strip() for ln in outcome.stderr.splitlines() if ln.strip()]
    detail = f": {lines[-1][:200]}" if lines else ""
    what = "no output" if not outcome.stdout.strip() else "output that is not pip-audit JSON"
    return f"pip-audit exited {outcome.returncode} with {what}{detail}"


def _vulns(raw: object) -> tuple[Vulnerability, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Vulnerability(
            id=str(v.get("id", "?")),
            aliases=tuple(str(a) for a in v.get("aliases") or ()),
            fix_versions=tuple(str(f) for f in v.get("fix_versions") or ()),
            description=str(v.get("description") or ""),
        )
        for v in raw
        if isinstance(v, dict)
    )


def _cache_file(settings: PipAuditSettings, requirements: tuple[str, ...]) -> Path | None:
    if settings.cache_dir is None:
        return None
    key = "\n".join([settings.service, settings.osv_url or "", *requirements])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return settings.cache_dir / f"pip-audit-{digest}.json"


def _read_cache(path: Path | None) -> tuple[str, float] | None:
    if path is None:
        return None
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(entry, dict):
        return None
    ttl = SKIPPED_TTL_SECONDS if entry.get("skipped") else CACHE_TTL_SECONDS
    try:
        created = float(entry.get("created", 0))
    except (TypeError, ValueError):
        return None
    fresh = 0 <= time.time() - created < ttl
    return (str(entry.get("stdout")), created) if fresh else None


def _write_cache(path: Path | None, stdout: str, skipped: bool, created: float) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        entry = {"created": created, "stdout": stdout, "skipped": skipped}
        partial.write_text(json.dumps(entry), encoding="utf-8")
        partial.replace(path)
    except OSError as err:
        log.debug("cannot write the pip-audit cache %s: %s", path, err)
