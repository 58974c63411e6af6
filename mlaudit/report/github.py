"""Provides GitHub Actions annotations: one workflow command per open finding.

Annotations need no token or upload, so they work on pull requests from forks, where SARIF
upload is refused. Paths are relative to the git top level, as the runner expects.
"""

from __future__ import annotations

from mlaudit.model import Finding, Report, Severity
from mlaudit.report.locate import Locator

COMMAND = {Severity.CRITICAL: "error", Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, locator: Locator | None = None) -> str:
    """Return one `::error`/`::warning`/`::notice` line per finding that counts and is not baselined."""
    where = locator or Locator()
    lines = [_annotation(f, report, where) for f in report.findings if f.is_new]
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
