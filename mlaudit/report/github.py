"""Provides GitHub Actions annotations: one workflow command per open finding.

Annotations need no token or upload, so they work on pull requests from forks, where SARIF
upload is refused. Paths are relative to the git top level, as the runner expects.
"""

from __future__ import annotations

from mlaudit.model import Finding, Report, Severity
from mlaudit.report.locate import Locator

COMMAND = {Severity.CRITICAL: "error", Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


LIMIT = 50
"""GitHub shows at most 10 errors and 10 warnings per step and 50 annotations per job."""


def render(report: Report, locator: Locator | None = None, limit: int = LIMIT) -> str:
    """Return one `::error`/`::warning`/`::notice` line per open finding, most severe first.

    Past `limit` (what GitHub displays) one notice says how many more there are.
    """
    where = locator or Locator()
    open_findings = sorted((f for f in report.findings if f.is_new), key=lambda f: -f.severity.rank)
    lines = [_annotation(f, report, where) for f in open_findings[:limit]]
    if len(open_findings) > limit:
        rest = len(open_findings) - limit
        lines.append(f"::notice title=mlaudit::{rest} more finding(s) not annotated: see the job summary or the report")
    return "".join(f"{line}\n" for line in lines)


def _annotation(finding: Finding, report: Report, locator: Locator) -> str:
    doc = report.rule_doc(finding.rule)
    properties = [f"title={_property(f'{finding.rule} {doc.title}' if doc else finding.rule)}"]
    if finding.path is not None:
        properties.insert(0, f"file={_property(locator.path(finding.path))}")
        line = locator.line(finding)
        if line is not None and line > 0:
            properties.insert(1, f"line={line}")
    cell = f" (notebook cell {finding.cell})" if finding.cell is not None else ""
    message = f"{finding.message}{cell}\nFix: {finding.fix}" if finding.fix else f"{finding.message}{cell}"
    return f"::{COMMAND[finding.severity]} {','.join(properties)}::{_data(message)}"


def _data(text: str) -> str:
    """Escape a workflow command's message (the runner's own escaping rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command's property value."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
