"""Provides the SARIF 2.1.0 form of a Report, as GitHub code scanning accepts it.

One result per open finding, each with its rule's metadata, a location relative to the git top
level (GitHub ignores `%SRCROOT%`, so the URI itself must be repository-relative) and the
finding's fingerprint (rule, path, stable subject) so that moved code keeps its alert. Notebook
findings point at the `.ipynb` line where that source line is stored, and name the cell;
repository-level findings are attached to the most fitting file at the root.

Suppressed and baselined findings are left out by default: code scanning ignores
`suppressions` and would open alerts for them. With `include_suppressed` they are kept and the
spec's all-or-none rules hold: every result then has `suppressions` (empty when open) and,
when any is baselined, every result has `baselineState`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from mlaudit.model import Finding, Report, RuleDoc, Severity
from mlaudit.report.fixit import code_block
from mlaudit.report.locate import Locator

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "mlauditFinding/v1"
"""Key of the fingerprint mlaudit's baselines use (rule, path, normalised code line); stable across line moves."""
LEVEL = {Severity.CRITICAL: "error", Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}

_ANCHORS: dict[str, tuple[str, ...]] = {
    "dependencies": ("pyproject.toml", "requirements.txt", "setup.py", "setup.cfg", "environment.yml", "Pipfile"),
    "typing": ("pyproject.toml", "mypy.ini", "setup.cfg"),
    "testing": ("pyproject.toml", "pytest.ini", "tox.ini", "setup.cfg"),
    "security": (".gitignore", "pyproject.toml"),
    "production": ("Dockerfile", "pyproject.toml"),
}
_FALLBACK_ANCHORS = ("README.md", "README.rst", "README.txt", "README", "pyproject.toml", "setup.py", "setup.cfg")

JSONDict = dict[str, Any]


def render(report: Report, locator: Locator | None = None, *, include_suppressed: bool = False) -> str:
    """Return the report as a SARIF 2.1.0 log (JSON text)."""
    return (
        json.dumps(to_sarif(report, locator, include_suppressed=include_suppressed), indent=2, ensure_ascii=False)
        + "\n"
    )


def to_sarif(report: Report, locator: Locator | None = None, *, include_suppressed: bool = False) -> JSONDict:
    """Return the SARIF log as plain JSON data."""
    where = locator or Locator()
    findings = [f for f in report.findings if include_suppressed or f.is_new]
    docs = _rule_docs(report)
    index = {doc.code: i for i, doc in enumerate(docs)}
    run: JSONDict = {
        "tool": {"driver": _driver(report, docs)},
        "invocations": [_invocation(report, where)],
        "results": _results(report, findings, index, where),
        "columnKind": "unicodeCodePoints",
        "properties": _run_properties(report),
    }
    top = _top_level(report.root, where.prefix)
    if top is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": _root_uri(top)}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _top_level(root: str, prefix: str) -> str | None:
    """Return the absolute git top level (the audited root without its prefix), or None."""
    path = PurePosixPath(root)
    if not path.is_absolute():
        return None
    for _part in PurePosixPath(prefix).parts if prefix else ():
        path = path.parent
    return str(path)


def _run_properties(report: Report) -> JSONDict:
    """Return the grade, the project kind and any critical grade cap, for readers of the SARIF log."""
    properties: JSONDict = {"score": report.score, "grade": report.grade, "scoringVersion": report.scoring_version}
    if report.kind is not None:
        properties["projectKind"] = {"kind": report.kind.kind, "evidence": list(report.kind.evidence)}
    if report.cap_note:
        properties["gradeCap"] = report.cap_note
    return properties


def _root_uri(root: str) -> str:
    return "file://" + quote(root.rstrip("/") + "/", safe="/")


def _rule_docs(report: Report) -> list[RuleDoc]:
    """Return one doc per rule that has a finding or doc, by code; findings without a doc get a stub."""
    docs = {doc.code: doc for doc in report.rules}
    for f in report.findings:
        if f.rule not in docs:
            docs[f.rule] = RuleDoc(f.rule, f.rule, f.practice, f.severity, "", "", "", "", f.fix)
    return [docs[code] for code in sorted(docs)]


def _driver(report: Report, docs: list[RuleDoc]) -> JSONDict:
    return {
        "name": "mlaudit",
        "version": report.mlaudit_version,
        "rules": [_rule(doc) for doc in docs],
    }


def _rule(doc: RuleDoc) -> JSONDict:
    tags = list(dict.fromkeys(["mlaudit", doc.practice, "security" if doc.practice == "security" else "quality"]))
    properties: JSONDict = {"tags": tags, "precision": "high", "practice": doc.practice}
    if doc.practice == "security":
        properties["security-severity"] = SECURITY_SEVERITY[doc.severity]
    return {
        "id": doc.code,
        "name": _pascal(doc.title) or doc.code,
        "shortDescription": {"text": doc.title},
        "fullDescription": {"text": doc.what or doc.title},
        "help": {"text": _help_text(doc), "markdown": _help_markdown(doc)},
        "defaultConfiguration": {"level": LEVEL[doc.severity]},
        "properties": properties,
    }


def _pascal(title: str) -> str:
    words = ("".join(c for c in word if c.isalnum()) for word in title.split())
    return "".join(word[:1].upper() + word[1:] for word in words)


def _help_text(doc: RuleDoc) -> str:
    parts = [doc.why, f"Fix: {doc.fix}" if doc.fix else ""]
    return "\n\n".join(p for p in parts if p) or doc.title


def _help_markdown(doc: RuleDoc) -> str:
    parts = [doc.what, f"**Why is this bad?** {doc.why}" if doc.why else "", f"**Fix.** {doc.fix}" if doc.fix else ""]
    if doc.example:
        parts.append("Example:\n\n" + code_block(doc.example))
    if doc.use_instead:
        parts.append("Use instead:\n\n" + code_block(doc.use_instead))
    return "\n\n".join(p for p in parts if p) or doc.title


def _invocation(report: Report, locator: Locator) -> JSONDict:
    notes = [_notification(f"Not checked: {n.check}: {n.reason}") for n in report.not_checked]
    notes += [_notification(f"Skipped {s.path}: {s.reason}", locator.path(s.path)) for s in report.skipped]
    invocation: JSONDict = {"executionSuccessful": True}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _notification(text: str, path: str | None = None) -> JSONDict:
    note: JSONDict = {"level": "note", "message": {"text": text}}
    if path is not None:
        note["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(path)}}]
    return note


def _artifact(path: str) -> JSONDict:
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _results(report: Report, findings: list[Finding], index: dict[str, int], locator: Locator) -> list[JSONDict]:
    anchor = anchor_finder(report)
    seen: Counter[tuple[str, str | None, str]] = Counter()
    results: list[JSONDict] = []
    for finding in findings:
        key = (finding.rule, finding.path, finding.message)
        seen[key] += 1
        results.append(_result(finding, index[finding.rule], anchor(finding.practice), seen[key], locator))
    if any(f.suppressed is not None for f in findings):
        for result in results:
            result.setdefault("suppressions", [])
    if any(f.baselined for f in findings):
        for result in results:
            result.setdefault("baselineState", "new")
    return results


def anchor_finder(report: Report) -> Callable[[str], str | None]:
    """Return a function giving, per practice, the root file a repository-level finding is attached to."""
    root_files = {e.path for e in report.inventory if "/" not in e.path}

    def anchor(practice: str) -> str | None:
        for name in (*_ANCHORS.get(practice, ()), *_FALLBACK_ANCHORS):
            if name in root_files:
                return name
        return min(root_files) if root_files else None

    return anchor


def _result(finding: Finding, rule_index: int, anchor: str | None, occurrence: int, locator: Locator) -> JSONDict:
    result: JSONDict = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": _message(finding)},
        "locations": _locations(finding, anchor, locator),
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding, occurrence)},
        "properties": _properties(finding),
    }
    if finding.suppressed is not None:
        kind = "inSource" if finding.suppressed_by == "comment" else "external"
        result["suppressions"] = [{"kind": kind, "justification": finding.suppressed}]
    if finding.baselined:
        result["baselineState"] = "unchanged"
    return result


def _message(finding: Finding) -> str:
    text = finding.message
    if finding.cell is not None:
        text += f" (notebook cell {finding.cell})"
    if finding.path is None:
        text += " (repository-level finding)"
    return text


def _locations(finding: Finding, anchor: str | None, locator: Locator) -> list[JSONDict]:
    path = finding.path if finding.path is not None else anchor
    if path is None:
        return []
    line = locator.line(finding) if finding.path is not None else None
    region = {"startLine": line if line is not None and line > 0 else 1}
    return [{"physicalLocation": {"artifactLocation": _artifact(locator.path(path)), "region": region}}]


def _properties(finding: Finding) -> JSONDict:
    properties: JSONDict = {"practice": finding.practice, "fix": finding.fix}
    if finding.cell is not None:
        properties["notebookCell"] = finding.cell
    if finding.path is None:
        properties["repositoryLevel"] = True
    if finding.commit is not None:
        properties["commit"] = finding.commit
    return properties


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Return the finding's own fingerprint, else one from rule, path, message and which occurrence of them."""
    if finding.fingerprint:
        return finding.fingerprint
    text = "\0".join((finding.rule, finding.path or "", finding.message, str(occurrence)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
