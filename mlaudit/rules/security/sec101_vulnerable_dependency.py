"""Provides rule SEC101: Known-vulnerable dependency version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from mlaudit.config import ConfigSuppression
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, NotRun, Output, Rule, register
from mlaudit.rules.dependencies._shared import declared_dependencies
from mlaudit.tools.pipaudit import AuditedPackage, PipAuditResult, Vulnerability


@register
class VulnerableDependency(Rule):
    """Flags pinned dependency versions with known vulnerabilities.

    ## What it does
    Runs pip-audit (no resolution, no downloads of your project) on the exactly pinned or
    locked requirements and reports each vulnerable package with its advisory ids and the
    versions that fix them. Offline, or when pip-audit cannot check a package, the check is
    "not checked", never a pass. An advisory that does not apply to you can be ignored until a
    date with `[tool.mlaudit.ignore-vulnerabilities]` `"GHSA-..." = { reason = "...", until = 2027-03-01 }`;
    other and later advisories of the same package are still reported.

    ## Why is this bad?
    Model servers parse untrusted input (images, JSON, pickles, prompts); a known CVE in
    pillow, requests or transformers is the easiest way in.

    ## Example
    ```text
    pillow==9.0.0
    ```

    ## Use instead
    ```text
    pillow==10.3.0     # the first version fixing the advisories, then re-lock
    ```
    """

    code = "SEC101"
    scoring = "flat"
    title = "Known-vulnerable dependency version"
    practice = "security"
    severity = Severity.ERROR
    fix = "Upgrade the package to a fixed version and re-lock (uv lock / pip-compile)."
    needs = ("pip_audit",)

    def check(self, project: Project) -> Iterator[Output]:
        result: PipAuditResult | None = project.tool("pip_audit")
        if result is None:
            yield NotRun("pip-audit", "the pip-audit adapter did not run")
            return
        if result.not_checked is not None:
            yield NotRun("pip-audit", result.not_checked)
            return
        if result.skipped:
            names = ", ".join(name for name, _ in result.skipped[:5])
            yield NotRun(
                "pip-audit", f"{len(result.skipped)} pinned packages not checked ({names}): {result.skipped[0][1]}"
            )
        yield Metric("audited_packages", len(result.packages))
        declared = {r.name: r for r in declared_dependencies(project).requirements}
        today = project.options.today or dt.date.today()
        for found in result.vulnerable:
            package, expired = _without_ignored(found, project.options.vulnerability_ignores, today)
            if not package.vulns:
                continue
            req = declared.get(package.name)
            message = _message(package) + "".join(f"; ignore of {e} expired on {d}" for e, d in expired)
            advisories = ",".join(sorted(vuln.id for vuln in package.vulns))
            subject = f"{package.name.lower()}:{advisories}"
            yield Hit(req.path if req else None, req.line if req else None, message, subject=subject)


def _without_ignored(
    package: AuditedPackage, ignores: tuple[ConfigSuppression, ...], today: dt.date
) -> tuple[AuditedPackage, list[tuple[str, str]]]:
    """Drop the advisories ignored in `ignore-vulnerabilities` until a date not yet past; list expired ones."""
    active = {i.code for i in ignores if i.until is None or i.until >= today}
    expired = {i.code: i.until.isoformat() for i in ignores if i.until is not None and i.until < today}
    kept: list[Vulnerability] = []
    lapsed: list[tuple[str, str]] = []
    for vuln in package.vulns:
        names = {vuln.id.upper(), *(a.upper() for a in vuln.aliases)}
        if names & active:
            continue
        kept.append(vuln)
        lapsed.extend((name, expired[name]) for name in sorted(names & set(expired)))
    return replace(package, vulns=tuple(kept)), lapsed


def _message(package: AuditedPackage) -> str:
    ids = []
    for vuln in package.vulns:
        alias = next((a for a in vuln.aliases if a.startswith("CVE-")), None)
        ids.append(f"{vuln.id} ({alias})" if alias and alias != vuln.id else vuln.id)
    fixed = sorted({v for vuln in package.vulns for v in vuln.fix_versions})
    fix = f"fixed in {', '.join(fixed)}" if fixed else "no fixed version yet"
    return f"{package.name}=={package.version} has {len(package.vulns)} known vulnerabilities: {', '.join(ids)}; {fix}"
