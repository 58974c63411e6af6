"""Provides the coverage gatherer: reads existing coverage data, or runs the tests on explicit opt-in.

Existing data is read without running anything: `.coverage` through coverage.py's
`CoverageData` API (read-only), `coverage.json` with `json`, `coverage.xml` with ElementTree
(documents with a DTD are refused, so no entity is ever expanded). Measured paths may come
from another machine; they are mapped back onto the repository by their longest path suffix.
With `AuditOptions.run_tests` the repository's tests run under coverage in a subprocess,
with every byproduct (data file, pytest cache, bytecode) kept out of the audited tree.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mlaudit.discover import read_regular, regular_file_in
from mlaudit.model import FileKind
from mlaudit.project import Project
from mlaudit.readers import pyproject
from mlaudit.tools import children, gatherer


class _NoCoverageLib(Exception):
    """Stands in for coverage.py's exception when coverage.py is not installed."""


def _coverage_error() -> type[Exception]:
    """Return coverage.py's exception class, loaded on first use (importing coverage.py costs a tenth of
    mlaudit's start-up, and only `.coverage` SQLite files need it); coverage.py is optional (extra "tests")."""
    try:
        from coverage.exceptions import CoverageException
    except ImportError:  # pragma: no cover - exercised in an environment without the extra
        return _NoCoverageLib
    return CoverageException


NO_COVERAGE_LIB = (
    "reading a .coverage data file needs coverage.py, which is not installed: pip install 'mlaudit-cli[tests]',"
    " or write coverage.json / coverage.xml (coverage json, coverage xml)"
)
DATA_FILES = (".coverage", "coverage.json", "coverage.xml")
MAX_REPORT_BYTES = 50 * 1024 * 1024
DEFAULT_EXCLUDE = r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)"
TAIL_LINES = 20
NO_DATA = "no coverage data; run pytest --cov or use --run-tests"


@dataclass(frozen=True)
class FileCoverage:
    """Line coverage of one repository file."""

    path: str
    percent: float
    statements: int
    covered: int


@dataclass(frozen=True)
class RunOutcome:
    """How a `--run-tests` run ended: outcome, exit code, duration and the last output lines."""

    outcome: str
    returncode: int | None
    seconds: float
    tail: tuple[str, ...]


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of the repository, or the reason there is none."""

    source: str | None
    total: float | None
    files: tuple[FileCoverage, ...] = ()
    reason: str | None = None
    stale_against: str | None = None
    unmapped: int = 0
    run: RunOutcome | None = None

    @property
    def available(self) -> bool:
        """Return True when a total coverage figure was read."""
        return self.total is not None


@gatherer("coverage")
def gather(project: Project) -> CoverageResult:
    """Return the repository's coverage: from a fresh test run on opt-in, else from existing data."""
    if project.options.run_tests:
        return run_tests(project)
    return read_existing(project)


def read_existing(project: Project) -> CoverageResult:
    """Read the first coverage data file found at the root; flag it when older than the sources."""
    for name in DATA_FILES:
        path = regular_file_in(project.root, name)
        if path is not None:
            result = _read_data_file(project, name, path)
            return replace(result, stale_against=_newer_source(project, path)) if result.available else result
    return CoverageResult(None, None, reason=NO_DATA)


def _read_data_file(project: Project, name: str, path: Path) -> CoverageResult:
    try:
        if name == ".coverage":
            return read_sqlite(project, path, name)
        text = project.text(name) or _read_report(path)
        return read_json(project, text, name) if name.endswith(".json") else read_xml(project, text, name)
    except (_coverage_error(), OSError, ValueError, ET.ParseError, KeyError, TypeError) as err:
        return CoverageResult(name, None, reason=f"unreadable coverage data {name}: {type(err).__name__}: {err}")


def _read_report(path: Path) -> str:
    """Read a coverage report: a regular file inside the repository, at most 50 MB, never blocking."""
    return read_regular(path, limit=MAX_REPORT_BYTES).decode("utf-8", errors="replace")


class PathMapper:
    """Maps measured file names (maybe absolute, maybe from another machine) onto repository paths."""

    def __init__(self, repo_paths: Iterable[str]) -> None:
        self._by_name: dict[str, list[str]] = defaultdict(list)
        for path in repo_paths:
            self._by_name[path.rsplit("/", 1)[-1]].append(path)

    def map(self, measured: str) -> str | None:
        """Return the repository path whose trailing components best match `measured`, if any."""
        parts = measured.replace("\\", "/").split("/")
        candidates = self._by_name.get(parts[-1], [])
        best, best_score = None, 0
        for candidate in candidates:
            score = _common_suffix(parts, candidate.split("/"))
            if score > best_score:
                best, best_score = candidate, score
        if best is None:
            return None
        whole = best_score == best.count("/") + 1
        unique = len(candidates) == 1 and parts[-1] != "__init__.py"
        return best if whole or best_score >= 2 or unique else None


def _common_suffix(left: list[str], right: list[str]) -> int:
    count = 0
    for a, b in zip(reversed(left), reversed(right), strict=False):
        if a != b:
            break
        count += 1
    return count


def _measurable(project: Project) -> dict[str, str]:
    """Return repo path -> source text of the Python modules coverage can measure (not tests)."""
    return {
        path: pf.text
        for path, pf in project.python.items()
        if pf.kind in (FileKind.LIBRARY, FileKind.SCRIPT) and path.endswith(".py")
    }


def read_sqlite(project: Project, path: Path, source: str, run: RunOutcome | None = None) -> CoverageResult:
    """Read a `.coverage` SQLite file through coverage.py's read-only data API."""
    if not has_coverage_lib():
        return CoverageResult(source, None, reason=NO_COVERAGE_LIB, run=run)
    from coverage import CoverageData

    data = CoverageData(basename=str(path), read_only=True)
    data.read()
    sources = _measurable(project)
    mapper = PathMapper(sources)
    exclude = _exclude_regex(project)
    files: list[FileCoverage] = []
    unmapped = 0
    for measured in sorted(data.measured_files()):
        rel = mapper.map(measured)
        if rel is None:
            unmapped += 1
            continue
        if rel in sources:
            measured_file = _line_coverage(rel, sources[rel], data.lines(measured) or [], exclude)
            if measured_file is not None:
                files.append(measured_file)
    return _result(source, files, None, unmapped, run)


def has_coverage_lib() -> bool:
    """Return True when coverage.py can be imported by mlaudit itself."""
    return importlib.util.find_spec("coverage") is not None


def _line_coverage(rel: str, text: str, executed: list[int], exclude: str) -> FileCoverage | None:
    from coverage.parser import PythonParser

    parser = PythonParser(text=text, filename=rel, exclude=exclude)
    try:
        parser.parse_source()
    except _coverage_error():
        return None
    statements = parser.statements
    if not statements:
        return None
    covered = len(parser.first_lines(executed) & statements)
    return FileCoverage(rel, 100.0 * covered / len(statements), len(statements), covered)


def _exclude_regex(project: Project) -> str:
    """Return coverage's exclusion regex: the default plus the repo's exclude_lines/exclude_also."""
    patterns = [DEFAULT_EXCLUDE]
    report = _coverage_config(project).get("report", {})
    if isinstance(report, dict):
        for key in ("exclude_lines", "exclude_also"):
            values = report.get(key, [])
            if isinstance(values, list):
                patterns.extend(str(v) for v in values if _valid_regex(str(v)))
    return "|".join(f"(?:{p})" for p in patterns)


def _valid_regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _coverage_config(project: Project) -> dict[str, Any]:
    tool = pyproject(project).get("tool", {})
    section = tool.get("coverage", {}) if isinstance(tool, dict) else {}
    return section if isinstance(section, dict) else {}


def read_json(project: Project, text: str, source: str) -> CoverageResult:
    """Read coverage.py's JSON report (`coverage json`)."""
    doc = json.loads(text)
    mapper = PathMapper(_measurable(project))
    files: list[FileCoverage] = []
    unmapped = 0
    for name, entry in sorted(doc.get("files", {}).items()):
        rel = mapper.map(name)
        summary = entry.get("summary", {}) if isinstance(entry, dict) else {}
        if rel is None:
            unmapped += 1
        elif summary.get("num_statements"):
            statements, covered = int(summary["num_statements"]), int(summary.get("covered_lines", 0))
            files.append(FileCoverage(rel, float(summary.get("percent_covered", 0.0)), statements, covered))
    total = doc.get("totals", {}).get("percent_covered")
    return _result(source, files, float(total) if total is not None else None, unmapped)


def read_xml(project: Project, text: str, source: str) -> CoverageResult:
    """Read a Cobertura XML report (`coverage xml`, pytest-cov); documents with a DTD are refused."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ValueError("XML with a DTD or entities is not read")
    root = ET.fromstring(text)
    mapper = PathMapper(_measurable(project))
    files: list[FileCoverage] = []
    unmapped = 0
    for cls in root.iter("class"):
        rel = mapper.map(cls.get("filename", ""))
        if rel is None:
            unmapped += 1
            continue
        hits = [int(line.get("hits", "0")) for line in cls.iter("line")]
        if hits:
            covered = sum(1 for h in hits if h > 0)
            files.append(FileCoverage(rel, 100.0 * covered / len(hits), len(hits), covered))
    rate = root.get("line-rate")
    return _result(source, files, 100.0 * float(rate) if rate is not None else None, unmapped)


def _result(
    source: str, files: list[FileCoverage], total: float | None, unmapped: int, run: RunOutcome | None = None
) -> CoverageResult:
    """Merge per-file entries by path and compute the total when the data does not carry one."""
    merged: dict[str, FileCoverage] = {}
    for entry in files:
        merged.setdefault(entry.path, entry)
    ordered = tuple(sorted(merged.values(), key=lambda f: f.path))
    if total is None and ordered:
        statements = sum(f.statements for f in ordered)
        total = 100.0 * sum(f.covered for f in ordered) / statements if statements else None
    reason = None if total is not None else f"{source} holds no measured file of this repository"
    return CoverageResult(source, total, ordered, reason, None, unmapped, run)


def _newer_source(project: Project, data_path: Path) -> str | None:
    """Return the newest Python source modified after the coverage data was written, if any."""
    try:
        data_time = data_path.stat().st_mtime
    except OSError:
        return None
    newest, newest_time = None, data_time + 1
    for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.TEST):
        try:
            mtime = pf.source.abspath.stat().st_mtime
        except OSError:
            continue
        if mtime > newest_time:
            newest, newest_time = pf.path, mtime
    return newest


def run_tests(project: Project) -> CoverageResult:
    """Run the repo's tests under coverage in a subprocess; the audited tree is left byte-identical."""
    python = project.options.python or sys.executable
    with tempfile.TemporaryDirectory(prefix="mlaudit-tests-") as tmp:
        data_file = Path(tmp) / ".coverage"
        run = _run_pytest(project, python, Path(tmp))
        if run.outcome != "passed":
            return CoverageResult("--run-tests", None, reason=_run_failure(run, project.options.test_timeout), run=run)
        if not data_file.is_file():
            return CoverageResult("--run-tests", None, reason="--run-tests: the run wrote no coverage data", run=run)
        if not has_coverage_lib():
            return _via_json_report(project, python, Path(tmp), run)
        try:
            return read_sqlite(project, data_file, "--run-tests", run)
        except _coverage_error() as err:
            return CoverageResult("--run-tests", None, reason=f"--run-tests: unreadable coverage data: {err}", run=run)


def _via_json_report(project: Project, python: str, tmp: Path, run: RunOutcome) -> CoverageResult:
    """Let the project's own coverage.py turn its data into coverage.json (mlaudit has no coverage.py)."""
    report = tmp / "coverage.json"
    command = [python, "-m", "coverage", "json", f"--data-file={tmp / '.coverage'}", "-o", str(report), "-q"]
    try:
        done = subprocess.run(
            command,
            cwd=project.root,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=project.options.test_timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return CoverageResult("--run-tests", None, reason=f"--run-tests: coverage json failed: {err}", run=run)
    if done.returncode != 0 or not report.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return CoverageResult("--run-tests", None, reason=f"--run-tests: coverage json failed: {last}", run=run)
    try:
        read = read_json(project, report.read_text(encoding="utf-8"), "--run-tests")
        return _result("--run-tests", list(read.files), None, read.unmapped, run)  # the repo's own files only
    except (OSError, ValueError, KeyError, TypeError) as err:
        return CoverageResult("--run-tests", None, reason=f"--run-tests: unreadable coverage.json: {err}", run=run)


def coverage_command(project: Project, python: str, tmp: Path) -> list[str]:
    """Return the command that runs the tests under coverage with every byproduct under `tmp`."""
    command = [python, "-m", "coverage", "run", f"--data-file={tmp / '.coverage'}", "-m", "pytest", "-q"]
    command += ["-p", "no:cacheprovider", "-o", f"cache_dir={tmp / 'pytest-cache'}"]
    if _uses_pytest_cov(project):
        command.append("--no-cov")
    return command


def _uses_pytest_cov(project: Project) -> bool:
    """Return True when the repo's pytest addopts turn on pytest-cov (which would write into the tree)."""
    texts = (project.text(name) or "" for name in ("pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini"))
    return any(re.search(r"addopts[^\n]*--cov\b", text) for text in texts)


def _run_pytest(project: Project, python: str, tmp: Path) -> RunOutcome:
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "COVERAGE_FILE": str(tmp / ".coverage"),
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
    }
    start = time.monotonic()
    try:
        proc = children.start(
            coverage_command(project, python, tmp),
            project.root,
            env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            errors="replace",
        )
    except OSError as err:
        return RunOutcome(f"error: cannot start {python}: {err.strerror or err}", None, 0.0, ())
    return _wait(proc, project.options.test_timeout, start)


def _wait(proc: subprocess.Popen[str], timeout: int, start: float) -> RunOutcome:
    try:
        output, _ = children.communicate(proc, timeout)
    except subprocess.TimeoutExpired as err:
        return RunOutcome("timeout", None, time.monotonic() - start, _tail(_text(err.output)))
    outcome = {0: "passed", 1: "failed", 5: "no tests collected"}.get(proc.returncode, "error")
    return RunOutcome(outcome, proc.returncode, time.monotonic() - start, _tail(output))


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def _tail(output: str | None) -> tuple[str, ...]:
    return tuple((output or "").splitlines()[-TAIL_LINES:])


def _telling_line(run: RunOutcome) -> str:
    """Return the output line that says why the run ended: pytest's `E ` line for an error, never coverage's warnings."""
    lines = [line for line in run.tail if line.strip() and not _coverage_noise(line)]
    errors = [line for line in lines if line.startswith("E ")] if run.outcome == "error" else []
    line = (errors or lines or [""])[-1]
    return line[2:].strip() if line.startswith("E ") else line.strip()


def _coverage_noise(line: str) -> bool:
    return "CoverageWarning" in line or line.lstrip().startswith(("self.warn(", "self._warn("))


def _run_failure(run: RunOutcome, timeout: int) -> str:
    if run.outcome == "timeout":
        return f"--run-tests: the tests did not finish within {timeout} s"
    last = _telling_line(run)
    missing = re.search(r"No module named '?(coverage|pytest)\b", "\n".join(run.tail))
    if missing:
        return (
            f"--run-tests: the interpreter has no {missing.group(1)}: pass --python with the project's own"
            " interpreter, or install mlaudit with the extra: pip install 'mlaudit-cli[tests]'"
        )
    return f"--run-tests: tests {run.outcome} (exit {run.returncode}): {last[:200]}"
