"""Provides baselines and CI gates: known findings by fingerprint, and the exit-code rules."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from mlaudit.model import Finding, Report, Severity

BASELINE_VERSION = 1


def identity(finding: Finding) -> str:
    """Return what identifies a finding across runs: its fingerprint (rule, path, stable subject).

    Reports written before fingerprints existed fall back to rule, path and message.
    """
    return finding.fingerprint or "\0".join((finding.rule, finding.path or "", finding.message))


def known(finding: Finding, fingerprints: frozenset[str]) -> bool:
    """Return True when the finding is one of the recorded ones."""
    return identity(finding) in fingerprints


def new_findings(findings: Iterable[Finding], earlier: Iterable[Finding]) -> tuple[Finding, ...]:
    """Return the counting findings that are not among the earlier counting ones.

    This is the one definition of "new": `--baseline`/`--fail-on-new` and `--compare` both use it.
    """
    recorded = frozenset(identity(f) for f in earlier if f.counts)
    return tuple(f for f in findings if f.counts and not known(f, recorded))


def dumps(report: Report) -> str:
    """Return a baseline file recording every counting finding of the report."""
    entries = [
        {"fingerprint": f.fingerprint, "rule": f.rule, "path": f.path, "message": f.message}
        | ({"commit": f.commit} if f.commit is not None else {})
        for f in report.findings
        if f.counts
    ]
    return json.dumps({"mlaudit_baseline": BASELINE_VERSION, "findings": entries}, indent=2, sort_keys=True) + "\n"


def loads(text: str) -> frozenset[str]:
    """Return the fingerprints recorded in a baseline file."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("mlaudit_baseline") != BASELINE_VERSION:
        raise ValueError("not an mlaudit baseline file (written by --write-baseline)")
    return frozenset(str(entry["fingerprint"]) for entry in data.get("findings", []))


@dataclass(frozen=True)
class Gates:
    """The CI thresholds of one run; each breached gate is one message."""

    fail_under: float | None = None
    fail_on: str | None = None
    fail_on_new: bool = False
    base: Report | None = None
    min_scored: int | None = None

    def failures(self, report: Report) -> list[str]:
        """Return a message per breached gate (empty when the run passes)."""
        checks = (self._score, self._severity, self._new, self._ratchet, self._scored)
        return [message for check in checks for message in check(report)]

    def _score(self, report: Report) -> list[str]:
        if self.fail_under is None or (report.score is not None and report.score >= self.fail_under):
            return []
        return [f"score {report.score} is below --fail-under {self.fail_under:g}"]

    def _severity(self, report: Report) -> list[str]:
        if self.fail_on is None:
            return []
        floor = Severity(self.fail_on).rank
        hits = [f for f in report.findings if f.counts and f.severity.rank >= floor]
        return [f"{len(hits)} finding(s) at {self.fail_on} or worse (--fail-on {self.fail_on})"] if hits else []

    def _new(self, report: Report) -> list[str]:
        if not self.fail_on_new:
            return []
        floor = Severity(self.fail_on or "warning").rank
        new = [f for f in report.findings if f.is_new and f.severity.rank >= floor]
        if not new:
            return []
        return [f"{len(new)} new finding(s) not in the baseline, e.g. {new[0].rule} at {new[0].location}"]

    def _scored(self, report: Report) -> list[str]:
        if self.min_scored is None:
            return []
        scored, total = report.scored
        if scored >= self.min_scored:
            return []
        return [f"only {scored} of {total} practices scored, fewer than --min-scored {self.min_scored}"]

    def _ratchet(self, report: Report) -> list[str]:
        return _dropped(self.base, report) if self.base is not None else []


def _dropped(base: Report, report: Report) -> list[str]:
    before = {p.key: p.score for p in base.practices}
    drops = [
        f"{p.key} {before[p.key]} -> {p.score}"
        for p in report.practices
        if p.score is not None and before.get(p.key) is not None and p.score < before[p.key]  # type: ignore[operator]
    ]
    return [f"practice scores dropped since the base report: {', '.join(drops)}"] if drops else []
