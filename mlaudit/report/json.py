"""Provides the versioned JSON form of a Report, and reading it back."""

from __future__ import annotations

import json
import math
from importlib import resources
from json.encoder import encode_basestring  # the C encoder of str
from typing import Any

from mlaudit.model import (
    CapabilityScore,
    Deduction,
    FileEntry,
    FileKind,
    Finding,
    GitInfo,
    GradeCap,
    NotChecked,
    PracticeScore,
    ProjectKindInfo,
    Report,
    RuleDoc,
    Severity,
    Skipped,
    Status,
)

JSONDict = dict[str, Any]


def to_dict(report: Report) -> JSONDict:
    """Return the report as plain JSON data, in the documented contract's names."""
    return {
        "schema_version": report.schema_version,
        "scoring_version": report.scoring_version,
        "kind": None if report.kind is None else {"kind": report.kind.kind, "evidence": list(report.kind.evidence)},
        "grade_cap": _grade_cap(report),
        "mlaudit_version": report.mlaudit_version,
        "root": report.root,
        "project_name": report.project_name,
        "profile": report.profile,
        "git": _git(report.git),
        "score": report.score,
        "grade": report.grade,
        "practices": [_practice(p) for p in report.practices],
        "findings": [_finding(f) for f in report.findings],
        "files": dict(report.files),
        "inventory": [{"path": e.path, "kind": e.kind.value} for e in report.inventory],
        "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
        "not_checked": [{"check": n.check, "reason": n.reason, "practice": n.practice} for n in report.not_checked],
        "rules": [_rule(r) for r in report.rules],
        "practices_scored": report.scored[0],
        "incomplete": report.incomplete,
    }


def dumps(report: Report) -> str:
    """Return the report as deterministic JSON text (sorted keys, no timestamps)."""
    return indented(to_dict(report)) + "\n"


def indented(data: JSONDict) -> str:
    """Return `json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)`, written about twice as fast.

    The standard module's indenting encoder is pure Python generators; this writes the same text
    with one recursive pass. Anything unusual (a key that is not a string, a subclass of a
    plain type, a float that is not finite) is left to the standard module.
    """
    out: list[str] = []
    try:
        _indent(data, "\n", out)
    except _Unusual:
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return "".join(out)


class _Unusual(Exception):
    """A value `indented` leaves to the standard module."""


def _indent(value: object, newline: str, out: list[str]) -> None:
    """Append the JSON text of `value`, nested under `newline` (a newline and the current indent), to `out`."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))  # type: ignore[arg-type]  # kind is str
    elif kind is dict:
        _indent_dict(value, newline, out)  # type: ignore[arg-type]  # kind is dict
    elif kind is list or kind is tuple:
        _indent_list(value, newline, out)  # type: ignore[arg-type]  # kind is list or tuple
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and math.isfinite(value):  # type: ignore[arg-type]  # kind is float
        out.append(float.__repr__(value))
    else:
        raise _Unusual


def _indent_dict(value: dict[object, object], newline: str, out: list[str]) -> None:
    if not value:
        out.append("{}")
        return
    try:
        keys = sorted(value)  # type: ignore[type-var]  # unorderable keys are left to the standard module
    except TypeError:
        raise _Unusual from None
    inner = newline + "  "
    opening = "{"
    for key in keys:
        if type(key) is not str:
            raise _Unusual
        out.append(f"{opening}{inner}{encode_basestring(key)}: ")
        opening = ","
        _indent(value[key], inner, out)
    out.append(newline + "}")


def _indent_list(value: list[object] | tuple[object, ...], newline: str, out: list[str]) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + "  "
    opening = "["
    for item in value:
        out.append(opening + inner)
        opening = ","
        _indent(item, inner, out)
    out.append(newline + "]")


def compact(report: Report) -> str:
    """Return the report as deterministic JSON text without indentation (the report cache's form).

    The same data as `dumps`, written by the C encoder (`indent` would select the pure-Python
    one): several times faster, and equal for two reports exactly when `dumps` is.
    """
    return json.dumps(to_dict(report), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _git(info: GitInfo | None) -> JSONDict | None:
    if info is None:
        return None
    return {"branch": info.branch, "commit": info.commit, "dirty": info.dirty}


def _grade_cap(report: Report) -> JSONDict:
    return {
        "note": report.cap_note,
        "lifted": report.lifted_note,
        "findings": [{"rule": c.rule, "location": c.location, "suppressed": c.suppressed} for c in report.caps],
    }


def _practice(p: PracticeScore) -> JSONDict:
    return {
        "key": p.key,
        "number": p.number,
        "title": p.title,
        "score": p.score,
        "grade": p.grade,
        "status": p.status.value,
        "status_reason": p.status_reason,
        "weight": p.weight,
        "metrics": dict(p.metrics),
        "earned": p.earned if p.status is Status.SCORED else None,
        "capabilities": [_capability(c) for c in p.capabilities],
        "deductions": [_deduction(d) for d in p.deductions],
    }


def _capability(c: CapabilityScore) -> JSONDict:
    return {
        "key": c.key,
        "title": c.title,
        "points": c.points,
        "earned": c.earned,
        "evidence": c.evidence,
        "path": c.path,
        "line": c.line,
    }


def _deduction(d: Deduction) -> JSONDict:
    return {"rule": d.rule, "points": d.points, "reason": d.reason, "mode": d.mode, "weight": d.weight, "cap": d.cap}


def _finding(f: Finding) -> JSONDict:
    origin = {"suppressed_by": f.suppressed_by} if f.suppressed_by else {}
    return origin | {
        "rule": f.rule,
        "practice": f.practice,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.line,
        "cell": f.cell,
        "message": f.message,
        "fix": f.fix,
        "suppressed": f.suppressed,
        "baselined": f.baselined,
        "fingerprint": f.fingerprint,
        "commit": f.commit,
    }


def _rule(r: RuleDoc) -> JSONDict:
    return {
        "code": r.code,
        "title": r.title,
        "practice": r.practice,
        "severity": r.severity.value,
        "what": r.what,
        "why": r.why,
        "example": r.example,
        "use_instead": r.use_instead,
        "fix": r.fix,
        "scoring": r.scoring,
        "weight": r.weight,
        "cap": r.cap,
        "restates": r.restates,
    }


def from_dict(data: JSONDict) -> Report:
    """Rebuild a Report from its JSON data (for comparisons, baselines and the app)."""
    git = data.get("git")
    return Report(
        mlaudit_version=data["mlaudit_version"],
        root=data["root"],
        project_name=data.get("project_name", ""),
        git=GitInfo(git["branch"], git["commit"], git["dirty"]) if git else None,
        score=data["score"],
        grade=data["grade"],
        practices=tuple(_practice_from(p) for p in data["practices"]),
        findings=tuple(_finding_from(f) for f in data["findings"]),
        files=dict(data["files"]),
        inventory=tuple(FileEntry(e["path"], FileKind(e["kind"])) for e in data.get("inventory", [])),
        skipped=tuple(Skipped(s["path"], s["reason"]) for s in data["skipped"]),
        not_checked=tuple(NotChecked(n["check"], n["reason"], n.get("practice")) for n in data["not_checked"]),
        rules=tuple(_rule_from(r) for r in data.get("rules", [])),
        profile=data.get("profile", "default"),
        schema_version=data["schema_version"],
        scoring_version=data.get("scoring_version", "1.0"),
        kind=_kind_from(data.get("kind")),
        caps=tuple(
            GradeCap(c["rule"], c["location"], c.get("suppressed"))
            for c in (data.get("grade_cap") or {}).get("findings", [])
        ),
        incomplete=data.get("incomplete"),
    )


def _kind_from(kind: JSONDict | None) -> ProjectKindInfo | None:
    if not kind:
        return None
    return ProjectKindInfo(kind["kind"], tuple(kind.get("evidence", [])))


def loads(text: str) -> Report:
    """Parse JSON text written by `dumps` back into a Report."""
    return from_dict(json.loads(text))


def _practice_from(p: JSONDict) -> PracticeScore:
    return PracticeScore(
        key=p["key"],
        number=p["number"],
        title=p["title"],
        score=p["score"],
        grade=p["grade"],
        status=Status(p["status"]),
        status_reason=p.get("status_reason"),
        metrics=dict(p["metrics"]),
        deductions=tuple(
            Deduction(d["rule"], d["points"], d["reason"], d.get("mode", "flat"), d.get("weight"), d.get("cap"))
            for d in p["deductions"]
        ),
        weight=float(p.get("weight", 1.0)),
        capabilities=tuple(
            CapabilityScore(c["key"], c["title"], c["points"], c["earned"], c["evidence"], c.get("path"), c.get("line"))
            for c in p.get("capabilities", [])
        ),
    )


def _finding_from(f: JSONDict) -> Finding:
    return Finding(
        rule=f["rule"],
        practice=f["practice"],
        severity=Severity(f["severity"]),
        path=f["path"],
        line=f["line"],
        cell=f["cell"],
        message=f["message"],
        fix=f["fix"],
        suppressed=f.get("suppressed"),
        baselined=bool(f.get("baselined", False)),
        fingerprint=f.get("fingerprint", ""),
        suppressed_by=f.get("suppressed_by"),
        commit=f.get("commit"),
    )


def _rule_from(r: JSONDict) -> RuleDoc:
    return RuleDoc(
        code=r["code"],
        title=r["title"],
        practice=r["practice"],
        severity=Severity(r["severity"]),
        what=r["what"],
        why=r["why"],
        example=r["example"],
        use_instead=r["use_instead"],
        fix=r["fix"],
        scoring=r.get("scoring", "density"),
        weight=r.get("weight", 0),
        cap=r.get("cap", 0),
        restates=r.get("restates"),
    )


def schema() -> JSONDict:
    """Return the JSON Schema that every report validates against."""
    text = resources.files("mlaudit.report").joinpath("schema.json").read_text(encoding="utf-8")
    loaded: JSONDict = json.loads(text)
    return loaded
