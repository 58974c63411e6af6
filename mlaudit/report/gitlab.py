"""Provides the GitLab Code Quality report: one Code Climate issue per open finding.

GitLab shows it in merge requests when published as `artifacts:reports:codequality`. Paths
are relative to the git top level; repository-level findings sit on the most fitting root file,
as in SARIF. Suppressed and baselined findings are left out.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from mlaudit.model import Finding, Report, Severity
from mlaudit.report.locate import Locator
from mlaudit.report.sarif import anchor_finder

CATEGORY = {"security": "Security", "performance": "Performance", "functions": "Complexity", "testing": "Bug Risk"}
SEVERITY = {Severity.CRITICAL: "blocker", Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render(report: Report, locator: Locator | None = None) -> str:
    """Return the Code Quality JSON (a list of issues)."""
    return json.dumps(issues(report, locator), indent=2, ensure_ascii=False) + "\n"


def issues(report: Report, locator: Locator | None = None) -> list[dict[str, Any]]:
    """Return the Code Quality issues as plain JSON data."""
    where = locator or Locator()
    anchor = anchor_finder(report)
    seen: Counter[str] = Counter()
    out: list[dict[str, Any]] = []
    for finding in report.findings:
        if not finding.is_new:
            continue
        path = finding.path if finding.path is not None else anchor(finding.practice)
        key = _fingerprint(finding)
        seen[key] += 1
        line = where.line(finding) if finding.path is not None else None
        out.append(
            {
                "type": "issue",
                "check_name": finding.rule,
                "description": _description(finding),
                "content": {"body": f"Fix: {finding.fix}"},
                "categories": [CATEGORY.get(finding.practice, "Style")],
                "fingerprint": key if seen[key] == 1 else f"{key}-{seen[key]}",
                "severity": SEVERITY[finding.severity],
                "location": {"path": where.path(path or "."), "lines": {"begin": line if line and line > 0 else 1}},
            }
        )
    return out


def _description(finding: Finding) -> str:
    cell = f" (notebook cell {finding.cell})" if finding.cell is not None else ""
    return f"{finding.rule}: {finding.message}{cell}"


def _fingerprint(finding: Finding) -> str:
    basis = finding.fingerprint or "\0".join((finding.rule, finding.path or "", finding.message))
    return hashlib.md5(basis.encode("utf-8"), usedforsecurity=False).hexdigest()
