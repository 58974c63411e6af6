"""Provides the audit engine: discover, parse, run rules, score, and build one Report."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from mlaudit import __version__, cache, collector, evidence, filefacts, parallel, suppress
from mlaudit.baseline import known
from mlaudit.discover import Inventory, safe_path
from mlaudit.facts.kind import step_folder
from mlaudit.model import (
    CapabilityScore,
    Deduction,
    FileEntry,
    Finding,
    GradeCap,
    NotChecked,
    PracticeScore,
    Report,
    RuleDoc,
    Severity,
    Status,
)
from mlaudit.options import AuditOptions
from mlaudit.parallel import Child
from mlaudit.practices import PRACTICES
from mlaudit.progress import Progress
from mlaudit.project import Cancelled, Project, load_project
from mlaudit.redact import redact_report
from mlaudit.registry import Hit, Metric, NotRun, Rule, applicability_of, load_rules, select_rules
from mlaudit.scoring import (
    DEFAULT_CAP,
    DEFAULT_WEIGHT,
    RuleTally,
    capped_overall,
    grade,
    overall,
    practice_deductions,
    practice_score,
    tally_deductions,
)
from mlaudit.secret_sweep import SWEEP_FACT, sweep
from mlaudit.tools import load_early_starts, load_gatherers

log = logging.getLogger(__name__)

__all__ = ["AuditOptions", "Cancelled", "EmptyTree", "Progress", "audit", "build_report"]


CRASHED = ("rule crashed:", "tool failed:")
_CAPABILITIES_FACT = "capabilities:{}"
_TOOL_FACT = "tool:{}"


class EmptyTree(Exception):
    """Raised when the audited folder has no files to audit."""


ProgressCallback = Callable[[Progress], None]


def audit(
    root: Path,
    options: AuditOptions | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    looked_up: cache.Lookup | None = None,
) -> Report:
    """Audit the tree at `root` without running any of its code; return the Report.

    `looked_up`: `cache.lookup(root, options)`, already done by the caller (who announced the discovery).
    """
    with collector.paused():  # parsed trees pile up: no cycles to collect among them
        return _audit(root, options or AuditOptions(), progress or (lambda _p: None), should_stop, looked_up)


def _audit(
    root: Path,
    options: AuditOptions,
    notify: ProgressCallback,
    should_stop: Callable[[], bool] | None,
    looked_up: cache.Lookup | None = None,
) -> Report:
    if looked_up is None:
        notify(Progress("discover", 0, 1, str(root)))
        looked_up = cache.lookup(root, options)
    inventory, options, slot = looked_up.inventory, looked_up.options, looked_up.slot
    if not inventory.files:
        raise EmptyTree(f"nothing to audit in {root}: no files found (all ignored, excluded or skipped)")
    if looked_up.report is not None:
        return cache.replay(looked_up.report, notify)
    total = len(inventory.files)
    counter = iter(range(1, total + 1))

    def on_file(path: str) -> None:
        notify(Progress("parse", next(counter, total), total, path))

    layer = filefacts.layer_for(options, list(inventory.files), inventory.root)
    if layer is not None:
        layer.on_file, layer.should_stop = on_file, should_stop
        layer.blobs = slot.blobs if slot is not None else {}
    rules = select_rules(load_rules(), options.select, options.ignore)
    early = _start_early(inventory, options, rules)
    try:
        project = load_project(inventory, options, on_file, should_stop, layer, layer.unread if layer else None)
        if slot is not None:
            project.blobs = slot.blobs
        project.early = {name: child.join for name, child in early.items()}
        report = build_report(project, rules, options, notify, should_stop)
    finally:
        for child in early.values():
            child.kill()  # a result not taken (a stop, or its rule not applicable) is not waited for
    if layer is not None:
        layer.store(project.python)
    if slot is not None:
        cache.store(slot, report, project)
    return report


def _start_early(inventory: Inventory, options: AuditOptions, rules: list[type[Rule]]) -> dict[str, Child[object]]:
    """Fork the early starts of the gatherers the rules need, so they run beside the parse (second core only)."""
    if not parallel.can_fork(options.jobs):
        return {}
    needed = {name for rule in rules for name in rule.needs}
    started: dict[str, Child[object]] = {}
    for name, start in load_early_starts().items():
        work = start(inventory, options) if name in needed else None
        if work is None:
            continue
        try:
            started[name] = parallel.start_child(work)
        except OSError as err:  # no process to spare: the gatherer does the work itself, later
            log.info("%s not started early (%s)", name, err)
    return started


@dataclass
class _Collected:
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, dict[str, float | int | str | None]] = field(default_factory=lambda: defaultdict(dict))
    metric_deductions: dict[str, list[Deduction]] = field(default_factory=lambda: defaultdict(list))
    not_checked: list[NotChecked] = field(default_factory=list)
    ran: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    def export(self) -> _Exported:
        """Return the results as plain, picklable data (for a child process)."""
        return (
            self.findings,
            {k: dict(v) for k, v in self.metrics.items()},
            {k: list(v) for k, v in self.metric_deductions.items()},
            self.not_checked,
            dict(self.ran),
            dict(self.failed),
        )

    def merge(self, other: _Exported) -> None:
        """Add the results of rules run elsewhere (practices never overlap)."""
        findings, metrics, deductions, not_checked, ran, failed = other
        self.findings.extend(findings)
        for key, values in metrics.items():
            self.metrics[key].update(values)
        for key, items in deductions.items():
            self.metric_deductions[key].extend(items)
        self.not_checked.extend(not_checked)
        self.ran.update(ran)
        self.failed.update(failed)


_Exported = tuple[
    list[Finding],
    dict[str, dict[str, float | int | str | None]],
    dict[str, list[Deduction]],
    list[NotChecked],
    dict[str, int],
    dict[str, int],
]


def build_report(
    project: Project,
    rules: list[type[Rule]],
    options: AuditOptions,
    notify: ProgressCallback,
    should_stop: Callable[[], bool] | None = None,
) -> Report:
    """Run the rules over a parsed project and score the results into a Report."""
    applicable = {p.key: _na_reason(p.key, project) for p in PRACTICES}
    collected = _Collected()
    active = [r for r in rules if applicable[r.practice] is None]

    to_score = len({r.practice for r in active})
    finished: list[str] = []

    def scored(key: str) -> None:
        raw = [f for f in collected.findings if f.practice == key]
        early = _score_practice(key, None, project, raw, replace(collected, not_checked=[]), options)
        finished.append(key)
        notify(Progress("scored", len(finished), to_score, key, early))

    _run_rules(active, project, collected, notify, should_stop, options.jobs, scored)
    notify(Progress("secrets", 0, 1, "every tracked text file"))
    secrets = sweep(project).values  # usually computed already, by the security rules (maybe in the child)
    findings = _post_process(project, collected.findings, options, rules)
    practices = tuple(
        _score_practice(p.key, applicable[p.key], project, findings, collected, options) for p in PRACTICES
    )
    notify(Progress("done", 1, 1, ""))
    return redact_report(_assemble(project, rules, options, findings, practices, collected.not_checked), secrets)


def _assemble(
    project: Project,
    rules: list[type[Rule]],
    options: AuditOptions,
    findings: list[Finding],
    practices: tuple[PracticeScore, ...],
    not_checked: list[NotChecked],
) -> Report:
    """Put the scored practices, findings and inventory together into the Report."""
    total = overall({p.key: p.score for p in practices if p.score is not None}, {p.key: p.weight for p in practices})
    caps = tuple(
        GradeCap(f.rule, f.location, None if f.caps_grade else f.suppressed)
        for f in findings
        if f.severity is Severity.CRITICAL and (f.caps_grade or f.suppressed)
    )
    if total is not None:
        total = capped_overall(total, any(c.active for c in caps))
    failed = sorted({_failed_check(n) for n in not_checked if n.reason.startswith(CRASHED)})
    used_codes = {f.rule for f in findings} | {d.rule for p in practices for d in p.deductions}
    inventory = project.inventory
    return Report(
        mlaudit_version=__version__,
        root=safe_path(str(project.root)),
        project_name=safe_path(project.root.name),
        git=inventory.git,
        score=total,
        grade=grade(total) if total is not None else None,
        practices=practices,
        findings=tuple(findings),
        files=dict(sorted(Counter(f.kind.value for f in inventory.files).items())),
        inventory=tuple(FileEntry(f.path, f.kind) for f in inventory.files),
        skipped=tuple(project.skipped),
        not_checked=tuple(sorted(not_checked, key=lambda n: (n.practice or "", n.check))),
        rules=_docs(rules, used_codes, findings),
        profile=options.profile,
        kind=evidence.kind_of(project),
        caps=caps,
        incomplete=f"incomplete: {len(failed)} check(s) failed ({', '.join(failed)})" if failed else None,
    )


def _failed_check(note: NotChecked) -> str:
    """Return the rule code (or tool name) of a check that crashed."""
    return note.check.split(" ", 1)[0]


def _run_rules(
    rules: list[type[Rule]],
    project: Project,
    collected: _Collected,
    notify: ProgressCallback,
    should_stop: Callable[[], bool] | None,
    jobs: int,
    scored: Callable[[str], None] | None = None,
) -> None:
    """Run the rules; on a large project with a second core, half the practices run in a child.

    `scored(practice)` is called as soon as every rule of that practice has run.
    """
    if not (parallel.can_fork(jobs) and project.code_lines >= parallel.MIN_CODE_LINES):
        _run_in_order(rules, project, collected, notify, should_stop, scored)
        return
    theirs, _ours = parallel.split_by_practice([r.practice for r in rules])
    child_rules = [r for r in rules if r.practice in theirs]
    if not _summarised(project):
        project.parse_all()  # parsed once, here, for both processes (copy-on-write)
    try:
        child = parallel.start_child(lambda: _run_quietly(child_rules, project))
    except OSError as err:  # no process to spare: every rule runs here
        log.info("rules not split across processes (%s)", err)
        _run_in_order(rules, project, collected, notify, should_stop, scored)
        return
    try:
        _run_in_order([r for r in rules if r.practice not in theirs], project, collected, notify, should_stop, scored)
    except BaseException:
        child.kill()
        raise
    result = child.join()
    if result is None:
        log.warning("parallel rule run failed; running those rules here")
        _run_in_order(child_rules, project, collected, notify, should_stop, scored)
        return
    exported, facts, file_facts = result
    collected.merge(exported)
    project.adopt_facts(facts)
    project.adopt_file_facts(file_facts)
    if scored is not None:
        for key in dict.fromkeys(r.practice for r in child_rules):
            scored(key)


def _summarised(project: Project) -> bool:
    """Return True when most modules' facts came from the fact cache or the fact workers.

    Rules read those facts, not trees: parsing every module before the fork (to share the trees)
    would cost more than the few trees a rule still asks for in either process.
    """
    summarised = sum(1 for pf in project.python.values() if pf.summary is not None and not pf.parsed)
    return summarised * 2 > len(project.python)


def _run_in_order(
    rules: list[type[Rule]],
    project: Project,
    collected: _Collected,
    notify: ProgressCallback,
    should_stop: Callable[[], bool] | None,
    scored: Callable[[str], None] | None = None,
) -> None:
    last = {rule.practice: index for index, rule in enumerate(rules, start=1)}
    for done, rule in enumerate(rules, start=1):
        if should_stop is not None and should_stop():
            raise Cancelled
        _gather(project, rule, notify, collected, should_stop)
        notify(Progress("rules", done, len(rules), f"{rule.practice}: {rule.code}"))
        _run_rule(rule, project, collected)
        if scored is not None and last[rule.practice] == done:
            scored(rule.practice)


def _run_quietly(
    rules: list[type[Rule]], project: Project
) -> tuple[_Exported, dict[str, object], dict[str, dict[str, object]]]:
    """Run rules (in a forked child), then assess their practices' capabilities there too.

    Returns the rules' results and the facts the parent needs afterwards: those capabilities,
    the secret sweep when the child computed it, and the per-file facts it computed (the
    fact cache stores them).
    """
    collected = _Collected()
    _run_in_order(rules, project, collected, lambda _p: None, None)
    practices = list(dict.fromkeys(rule.practice for rule in rules))
    for key in practices:
        _capabilities_of(key, project)
    shared = [_CAPABILITIES_FACT.format(key) for key in practices]
    tools = [_TOOL_FACT.format(name) for rule in rules for name in rule.needs]
    return collected.export(), project.computed_facts([*shared, SWEEP_FACT, *tools]), project.file_facts()


def _post_process(
    project: Project, raw: list[Finding], options: AuditOptions, rules: list[type[Rule]]
) -> list[Finding]:
    """Fingerprint, apply suppressions and the baseline, and sort the findings."""
    practice_of = {code: rule.practice for code, rule in load_rules().items()}
    today = options.today or dt.date.today()
    ran = frozenset(rule.code for rule in rules)
    marked, meta = suppress.apply(
        project, suppress.with_fingerprints(project, raw), options.suppressions, today, practice_of, ran
    )
    meta = [m for m in meta if select_rules({m.rule: Rule}, (), options.ignore)]
    findings = [*marked, *suppress.with_fingerprints(project, meta)]
    if options.baseline:
        findings = [replace(f, baselined=True) if known(f, options.baseline) else f for f in findings]
    return sorted(findings, key=_finding_order)


def _na_reason(key: str, project: Project) -> str | None:
    check = applicability_of(key)
    if check is None:
        return None
    try:
        return check(project)
    except Exception as err:  # noqa: BLE001 - one broken check must not end the audit
        log.warning("applicability check of %s failed: %s", key, err)
        return None


def _gather(
    project: Project,
    rule: type[Rule],
    notify: ProgressCallback,
    collected: _Collected,
    should_stop: Callable[[], bool] | None,
) -> None:
    """Run the tool gatherers a rule needs, once, just before it: in whichever process runs the rule.

    Only the history-secrets rule needs the git history scan, so the other practices' scores
    do not wait for it, and with a second core it runs beside the other half's rules.
    """
    gatherers = load_gatherers()
    for name in rule.needs:
        if project.gathered(name):
            continue
        if should_stop is not None and should_stop():
            raise Cancelled
        notify(Progress("tools", 0, 1, name))
        func = gatherers.get(name)
        if func is None:
            project.store_tool(name, None)
            collected.not_checked.append(NotChecked(name, "no such tool adapter"))
            continue
        try:
            project.store_tool(name, func(project))
        except Exception as err:  # noqa: BLE001 - a failing tool is reported, not fatal
            project.store_tool(name, None)
            log.warning("tool %s failed: %s: %s", name, type(err).__name__, err)
            collected.not_checked.append(NotChecked(name, f"{CRASHED[1]} {type(err).__name__}: {err}"))


def _run_rule(rule: type[Rule], project: Project, collected: _Collected) -> None:
    collected.ran[rule.practice] += 1
    try:
        outputs = list(rule().check(project))
    except Exception as err:  # noqa: BLE001 - a crashing rule is isolated and reported
        log.warning("rule %s crashed: %s: %s", rule.code, type(err).__name__, err)
        collected.failed[rule.practice] += 1
        collected.not_checked.append(
            NotChecked(f"{rule.code} {rule.title}", f"{CRASHED[0]} {type(err).__name__}: {err}", rule.practice)
        )
        return
    if outputs and all(isinstance(out, NotRun) for out in outputs):
        collected.failed[rule.practice] += 1
    for out in outputs:
        if isinstance(out, Hit):
            collected.findings.append(_finding(rule, out, project))
        elif isinstance(out, Metric):
            collected.metrics[rule.practice][out.key] = out.value
            if out.points > 0:
                collected.metric_deductions[rule.practice].append(
                    Deduction(rule.code, out.points, f"{out.reason} (measured)", "measured")
                )
        elif isinstance(out, NotRun):
            collected.not_checked.append(NotChecked(out.check, out.reason, rule.practice))


def _finding(rule: type[Rule], hit: Hit, project: Project) -> Finding:
    line, cell = hit.line, hit.cell
    pf = project.python.get(hit.path) if hit.path and hit.commit is None else None
    if pf is not None and pf.is_notebook and cell is None and line is not None:
        where = pf.where(line)
        line, cell = where.line, where.cell
    return Finding(
        rule=rule.code,
        practice=rule.practice,
        severity=hit.severity or rule.severity,
        path=hit.path,
        line=line,
        cell=cell,
        message=hit.message,
        fix=hit.fix or rule.fix,
        subject=hit.subject or "",
        commit=hit.commit,
    )


def _finding_order(f: Finding) -> tuple[int, str, str, int, int, str]:
    number = next(p.number for p in PRACTICES if p.key == f.practice)
    return (number, f.rule, f.path or "", f.cell or 0, f.line or 0, f.message)


def _score_practice(
    key: str,
    na_reason: str | None,
    project: Project,
    findings: list[Finding],
    collected: _Collected,
    options: AuditOptions,
) -> PracticeScore:
    info = next(p for p in PRACTICES if p.key == key)
    weight = float(options.weights.get(key, 1.0))
    metrics = dict(sorted(collected.metrics.get(key, {}).items()))
    if na_reason is not None:
        return PracticeScore(
            key, info.number, info.title, None, None, Status.NOT_APPLICABLE, na_reason, metrics, (), weight
        )
    if collected.ran[key] == 0 or collected.failed[key] == collected.ran[key]:
        reason = "no check of this practice could run" if collected.ran[key] else "no rule selected"
        return PracticeScore(key, info.number, info.title, None, None, Status.NOT_CHECKED, reason, metrics, (), weight)
    capabilities, failed = _capabilities_of(key, project)
    collected.not_checked.extend(failed)
    earned = sum(c.earned for c in capabilities) if capabilities else 100
    own = [f for f in findings if f.practice == key and f.counts]
    deductions = _deductions(key, capabilities, own, findings, collected, project.code_lines)
    score = practice_score(deductions, earned)
    crashed = sorted(
        _failed_check(n) for n in collected.not_checked if n.practice == key and n.reason.startswith(CRASHED)
    )
    note = f"incomplete: scored without {len(crashed)} failed check(s) ({', '.join(crashed)})" if crashed else None
    return PracticeScore(
        key,
        info.number,
        info.title,
        score,
        grade(score),
        Status.SCORED,
        note,
        metrics,
        tuple(deductions),
        weight,
        capabilities,
    )


def _capabilities_of(key: str, project: Project) -> tuple[tuple[CapabilityScore, ...], list[NotChecked]]:
    """Return the practice's assessed capabilities (once per audit: early and final scores share them)."""
    result: tuple[tuple[CapabilityScore, ...], list[NotChecked]] = project.fact(
        _CAPABILITIES_FACT.format(key), lambda p: evidence.assess_practice(key, p)
    )
    return result


def _deductions(
    key: str,
    capabilities: tuple[CapabilityScore, ...],
    own: list[Finding],
    findings: list[Finding],
    collected: _Collected,
    code_lines: int,
) -> list[Deduction]:
    """Return the practice's deductions, weighed by and within what it earned.

    A rule that only restates a capability's absence costs nothing more (the capability's unearned
    points price it); a critical finding brings the practice down to 20.
    """
    earned = sum(c.earned for c in capabilities) if capabilities else 100
    raw = [*collected.metric_deductions.get(key, []), *tally_deductions(_tallies(own), code_lines)]
    priced = evidence.assessed(capabilities)
    rules = load_rules()
    kept = [d for d in raw if not (d.rule in rules and rules[d.rule].restates in priced)]
    critical = next((f for f in findings if f.practice == key and f.caps_grade), None)
    return practice_deductions(kept, earned, (critical.rule, critical.location) if critical else None)


def _docs(rules: list[type[Rule]], used: set[str], findings: list[Finding]) -> tuple[RuleDoc, ...]:
    docs = [r.doc() for r in sorted(rules, key=lambda r: r.code) if r.code in used]
    meta = {f.rule: f.practice for f in findings if f.rule in suppress.META_RULES}
    docs.extend(suppress.META_RULES[code].doc(practice) for code, practice in sorted(meta.items()))
    return tuple(docs)


def _tallies(findings: Iterable[Finding]) -> list[RuleTally]:
    rules = load_rules()
    listed = list(findings)
    counts: Counter[tuple[str, Severity]] = Counter((f.rule, f.severity) for f in listed)
    repo_level: Counter[tuple[str, Severity]] = Counter((f.rule, f.severity) for f in listed if f.path is None)
    distinct = Counter((rule, severity) for rule, severity, *_ in {_step_copy_key(f) for f in listed})
    tallies: list[RuleTally] = []
    for (code, severity), total in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[0][1].rank)):
        count = distinct[(code, severity)]
        rule = rules.get(code)
        if rule is None:
            continue
        own = severity is rule.severity
        weight = rule.weight if own and rule.weight is not None else DEFAULT_WEIGHT[severity]
        cap = rule.cap if own and rule.cap is not None else DEFAULT_CAP[severity]
        mode = "density" if rule.scoring == "density" else "flat"
        level = repo_level[(code, severity)]
        tallies.append(RuleTally(code, rule.title, severity, count, weight, cap, mode, level, total - count))
    return tallies


def _step_copy_key(finding: Finding) -> tuple[str, Severity, str | None, str, int | None, int | None]:
    """Return what identifies a finding for scoring: the same finding in another numbered course-step folder
    (`week_5/app.py`, `week_6/app.py`: one project copied per step) is one problem to fix, counted once."""
    step = step_folder(finding.path)
    if step is None or finding.path is None:
        return finding.rule, finding.severity, finding.path, finding.message, id(finding), None  # counts on its own
    folder = step.string.split("/", 1)[0] + "/"
    rest, message = finding.path[len(folder) :], finding.message.replace(folder, "")
    return finding.rule, finding.severity, rest, message, finding.line, finding.cell
