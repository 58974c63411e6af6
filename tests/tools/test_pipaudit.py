"""Tests for the pip-audit adapter and SEC101, with canned outputs and a stand-in OSV server."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlaudit.model import Severity
from mlaudit.tools import pipaudit
from mlaudit.tools.pipaudit import PipAuditSettings, RunOutcome, audit_requirements
from tests.helpers import findings, run_audit, write_tree

VULNERABLE = {
    "dependencies": [
        {
            "name": "requests",
            "version": "2.19.0",
            "vulns": [{"id": "PYSEC-2018-28", "fix_versions": ["2.20.0"], "aliases": ["CVE-2018-18074"]}],
        },
        {"name": "numpy", "version": "1.26.4", "vulns": []},
    ],
    "fixes": [],
}
SKIPPED_404 = {
    "dependencies": [
        {"name": "requests", "skip_reason": "Dependency not found on PyPI and could not be audited: requests (2.19.0)"}
    ],
    "fixes": [],
}
PINS = {"requests": "2.19.0", "numpy": "1.26.4"}


class FakeRunner:
    """Records each call and answers with a canned outcome (or raises)."""

    def __init__(self, outcome: RunOutcome | BaseException) -> None:
        self.outcome = outcome
        self.calls: list[tuple[list[str], Path]] = []

    def __call__(self, args: Sequence[str], cwd: Path, timeout: float) -> RunOutcome:
        self.calls.append((list(args), cwd))
        assert (cwd / "requirements.txt").read_text() == "numpy==1.26.4\nrequests==2.19.0\n"
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


def settings(tmp_path: Path) -> PipAuditSettings:
    return PipAuditSettings(cache_dir=tmp_path / "cache")


def test_vulnerable_output_is_parsed_and_cached(tmp_path: Path) -> None:
    runner = FakeRunner(RunOutcome(1, json.dumps(VULNERABLE), "Found 1 known vulnerability"))
    result = audit_requirements(PINS, settings(tmp_path), runner)
    assert result.not_checked is None
    [package] = result.vulnerable
    assert (package.name, package.vulns[0].fix_versions) == ("requests", ("2.20.0",))
    args, cwd = runner.calls[0]
    assert args[3:5] == ["--no-deps", "--disable-pip"] and "json" in args
    assert not cwd.exists(), "the temporary requirements folder is removed"
    again = audit_requirements(PINS, settings(tmp_path), runner)
    assert again.from_cache and len(runner.calls) == 1 and again.vulnerable == result.vulnerable


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        (RunOutcome(0, json.dumps(SKIPPED_404), "No known vulnerabilities found"), "checked none of the 2"),
        (RunOutcome(1, "", "requests.exceptions.ConnectionError: Max retries exceeded"), "exited 1 with no output"),
        (RunOutcome(0, "", ""), "no output"),
        (RunOutcome(2, "<html>proxy error</html>", ""), "not pip-audit JSON"),
        (subprocess.TimeoutExpired(["pip-audit"], 60), "timed out"),
        (FileNotFoundError(2, "No such file or directory"), "could not start"),
    ],
)
def test_failures_are_not_checked_and_not_cached(
    tmp_path: Path, outcome: RunOutcome | BaseException, reason: str
) -> None:
    runner = FakeRunner(outcome)
    result = audit_requirements(PINS, settings(tmp_path), runner)
    assert result.not_checked is not None and reason in result.not_checked
    assert result.vulnerable == ()
    audit_requirements(PINS, settings(tmp_path), runner)
    assert len(runner.calls) == 2, "a failed check is never served from the cache"


def test_no_pins_is_not_checked_without_running(tmp_path: Path) -> None:
    runner = FakeRunner(RunOutcome(0, "{}", ""))
    result = audit_requirements({}, settings(tmp_path), runner)
    assert result.not_checked == "no exactly pinned or locked requirements to audit" and runner.calls == []


@pytest.fixture
def fake_pip_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRunner:
    runner = FakeRunner(RunOutcome(1, json.dumps(VULNERABLE), ""))
    monkeypatch.setattr(pipaudit, "RUNNER", runner)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return runner


def test_sec101_reports_vulnerable_pin_at_its_declaration(tmp_path: Path, fake_pip_audit: FakeRunner) -> None:
    write_tree(tmp_path / "repo", {"requirements.txt": "numpy==1.26.4\nrequests==2.19.0\n", "a.py": ""})
    [hit] = findings(tmp_path / "repo", "SEC101", offline=False)
    assert (hit.path, hit.line, hit.severity) == ("requirements.txt", 2, Severity.ERROR)
    assert "requests==2.19.0" in hit.message and "PYSEC-2018-28 (CVE-2018-18074)" in hit.message
    assert "fixed in 2.20.0" in hit.message
    assert list((tmp_path / "xdg" / "mlaudit").glob("pip-audit-*.json"))
    assert sorted(p.name for p in (tmp_path / "repo").iterdir()) == ["a.py", "requirements.txt"]


def test_sec101_not_checked_offline(tmp_path: Path, fake_pip_audit: FakeRunner) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\nrequests==2.19.0\n"})
    report = run_audit(tmp_path, select=("SEC101",))
    assert [(n.check, n.reason) for n in report.not_checked] == [("pip-audit", "offline (--offline)")]
    assert report.findings == () and fake_pip_audit.calls == []


def test_sec101_skips_are_not_checked(tmp_path: Path, fake_pip_audit: FakeRunner) -> None:
    fake_pip_audit.outcome = RunOutcome(0, json.dumps(SKIPPED_404), "No known vulnerabilities found")
    write_tree(tmp_path / "repo", {"requirements.txt": "numpy==1.26.4\nrequests==2.19.0\n"})
    report = run_audit(tmp_path / "repo", select=("SEC101",), offline=False)
    assert report.findings == ()
    [note] = report.not_checked
    assert note.check == "pip-audit" and "Dependency not found on PyPI" in note.reason


class _OsvHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        vulns = []
        if query["package"]["name"] == "requests":
            affected = [
                {
                    "package": {"name": "requests", "ecosystem": "PyPI"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}],
                }
            ]
            vulns = [
                {"id": "GHSA-x84v-xcm2-53pg", "aliases": ["CVE-2018-18074"], "summary": "leak", "affected": affected}
            ]
        body = json.dumps({"vulns": vulns} if vulns else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def osv_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OsvHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()
    server.server_close()


def test_real_pip_audit_against_stand_in_osv(tmp_path: Path, osv_url: str) -> None:
    config = PipAuditSettings(timeout=120, service="osv", osv_url=osv_url, cache_dir=tmp_path / "cache")
    result = audit_requirements(PINS, config)
    assert result.not_checked is None, result.not_checked
    [package] = result.vulnerable
    vuln = package.vulns[0]
    assert package.name == "requests" and {vuln.id, *vuln.aliases} == {"GHSA-x84v-xcm2-53pg", "CVE-2018-18074"}
    assert package.vulns[0].fix_versions == ("2.20.0",)


def test_a_result_with_one_skipped_package_is_cached_for_a_shorter_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    partly = {"dependencies": [VULNERABLE["dependencies"][1], SKIPPED_404["dependencies"][0]], "fixes": []}
    runner = FakeRunner(RunOutcome(0, json.dumps(partly), ""))
    result = audit_requirements(PINS, settings(tmp_path), runner)
    assert result.not_checked is None and result.skipped and len(runner.calls) == 1
    again = audit_requirements(PINS, settings(tmp_path), runner)
    assert again.from_cache and again.skipped == result.skipped and len(runner.calls) == 1
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + pipaudit.SKIPPED_TTL_SECONDS + 1)
    audit_requirements(PINS, settings(tmp_path), runner)
    assert len(runner.calls) == 2, "a skipped package is asked about again after the shorter time bound"
