"""Provides the fix-it report: per practice, each rule's findings with why and how to fix, most points first.

It ends with ready-to-paste files chosen from what the audit found: a `set_seed` helper for the
random number generators in use, a logging setup module, the lock command of the repository's
dependency tool, a `[tool.mypy]` block and `.gitignore` lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mlaudit.model import CapabilityScore, Finding, PracticeScore, Report, RuleDoc, Status
from mlaudit.present import pricing_capability
from mlaudit.report.markdown import escape
from mlaudit.report.ranking import scoring_label

LOCATION_LIMIT = 100
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Group:
    """One rule's counting findings in one practice and the points fixing them gains."""

    rule: str
    gain: int
    findings: tuple[Finding, ...]
    reasons: tuple[str, ...]


def render(report: Report) -> str:
    """Return the fix-it report as markdown."""
    lines = _intro(report)
    practices = _ordered_practices(report)
    if not practices:
        lines += ["Nothing to fix: no finding and no deduction.", ""]
    for practice in practices:
        lines += _practice_section(report, practice)
    lines += _repo_fixes(report)
    return "\n".join(lines).rstrip() + "\n"


def _intro(report: Report) -> list[str]:
    overall = "not scored" if report.score is None else f"{report.grade} {report.score}/100"
    counting = sum(1 for f in report.findings if f.counts)
    lines = [
        f"# Fix-it report: {escape(report.project_name) or 'repository'}",
        "",
        f"Overall: **{overall}** ({report.scored_note}), {counting} finding(s). Practices, missing capabilities and "
        "rules are ordered by the points that putting them in place or fixing them wins back.",
        "",
    ]
    if report.cap_note:
        lines += [f"**Grade {escape(report.cap_note)}**: fix or rotate it first.", ""]
    if report.lifted_note:
        lines += [f"_{escape(report.lifted_note)}_", ""]
    if report.kind is not None:
        lines += [f"Project kind: **{escape(report.kind.kind)}** ({escape('; '.join(report.kind.evidence), 300)}).", ""]
    return lines


def missing_capabilities(practice: PracticeScore) -> list[CapabilityScore]:
    """Return the capabilities a scored practice has not fully earned, most points missing first."""
    if practice.status is not Status.SCORED:
        return []
    missing = [c for c in practice.capabilities if c.missing > 0]
    return sorted(missing, key=lambda c: (-c.missing, c.key))


def groups(report: Report, practice: PracticeScore) -> list[Group]:
    """Return the practice's rule groups, most points gained first (then code)."""
    findings = [f for f in report.findings_for(practice.key) if f.counts]
    codes = {f.rule for f in findings} | {d.rule for d in practice.deductions}
    result = [_group(code, practice, findings) for code in codes]
    return sorted(result, key=lambda g: (-g.gain, -_worst(g), g.rule))


def _group(code: str, practice: PracticeScore, findings: list[Finding]) -> Group:
    deductions = [d for d in practice.deductions if d.rule == code]
    return Group(
        rule=code,
        gain=sum(d.points for d in deductions),
        findings=tuple(f for f in findings if f.rule == code),
        reasons=tuple(d.reason for d in deductions),
    )


def _worst(group: Group) -> int:
    return max((f.severity.rank for f in group.findings), default=0)


def _gain(practice: PracticeScore) -> int:
    return practice.deducted + sum(c.missing for c in missing_capabilities(practice))


def _ordered_practices(report: Report) -> list[PracticeScore]:
    with_work = [
        p
        for p in report.practices
        if p.deductions or missing_capabilities(p) or any(f.counts for f in report.findings_for(p.key))
    ]
    return sorted(with_work, key=lambda p: (-_gain(p), p.number))


def _practice_section(report: Report, practice: PracticeScore) -> list[str]:
    score = f"{practice.score}/100 ({practice.grade})" if practice.score is not None else practice.status.value
    total = _gain(practice)
    stake = f"up to +{total} points" if total else "no points at stake"
    lines = [f"## {practice.number} {escape(practice.title)}: {score}, {stake}", ""]
    if practice.status is Status.SCORED and practice.capabilities:
        lines += [f"Earned {practice.earned} of 100 points with evidence, minus {practice.deducted} deducted.", ""]
    for cap in missing_capabilities(practice):
        lines += _capability_section(cap)
    for group in groups(report, practice):
        priced = pricing_capability(report, practice.key, group.rule)
        how = scoring_label(practice, group.rule)
        lines += _group_section(report.rule_doc(group.rule), group, how, priced.title if priced else None)
    return lines


def _capability_section(cap: CapabilityScore) -> list[str]:
    have = f" ({cap.earned} of {cap.points} earned)" if cap.earned else ""
    return [f"### Missing: {escape(cap.title, 160)}: +{cap.missing} points{have}", "", escape(cap.evidence), ""]


def _group_section(doc: RuleDoc | None, group: Group, how: str = "", priced_by: str | None = None) -> list[str]:
    """Return one rule's section; `priced_by` names the missing capability (listed above) that prices the rule."""
    title = doc.title if doc is not None else (group.findings[0].message if group.findings else group.rule)
    count = f"{len(group.findings)} finding(s)" if group.findings else "measured"
    gain = f"+{group.gain} points" if group.gain else "advice, no points"
    if priced_by is not None and not group.gain:
        gain = f'priced by "Missing: {escape(priced_by, 160)}" above'
    scoring = f" ({escape(how)})" if how and group.gain else ""
    lines = [f"### {group.rule} {escape(title, 160)}: {gain}, {count}{scoring}", ""]
    lines += [f"- {escape(r)}" for r in group.reasons if not group.findings]
    lines += _locations(group.findings)
    if doc is not None and doc.why:
        lines += [f"**Why it matters.** {doc.why}", ""]
    lines += _advice(doc, group)
    lines += _before_after(doc)
    return lines


def _advice(doc: RuleDoc | None, group: Group, limit: int = 3) -> list[str]:
    """Return the fix sentence, or the distinct per-finding fixes when they differ from the rule's."""
    fixes = list(dict.fromkeys(f.fix for f in group.findings if f.fix))
    if doc is not None and doc.fix and set(fixes) <= {doc.fix}:
        fixes = [doc.fix]
    if not fixes:
        return []
    if len(fixes) == 1:
        return [f"**Fix.** {escape(fixes[0])}", ""]
    more = [f"- … and {len(fixes) - limit} more"] if len(fixes) > limit else []
    return ["**Fix.**", "", *(f"- {escape(fix)}" for fix in fixes[:limit]), *more, ""]


def _locations(findings: tuple[Finding, ...]) -> list[str]:
    if not findings:
        return [""]
    shown = findings[:LOCATION_LIMIT]
    lines = ["Where:", ""]
    lines += [f"- {escape(f.location, 200)}: {escape(f.message, 300)}" for f in shown]
    if len(findings) > len(shown):
        lines.append(f"- … and {len(findings) - len(shown)} more (see the JSON report)")
    return [*lines, ""]


def _before_after(doc: RuleDoc | None) -> list[str]:
    if doc is None or not (doc.example or doc.use_instead):
        return []
    lines: list[str] = []
    for label, snippet in (("Before", doc.example), ("After", doc.use_instead)):
        if snippet:
            lines += [f"{label}:", "", code_block(snippet), ""]
    return lines


def code_block(snippet: str, language: str = "text") -> str:
    """Return `snippet` as a fenced block (kept as is when it already is one)."""
    text = snippet.strip("\n")
    if text.lstrip().startswith("```"):
        return text
    return f"```{language}\n{text}\n```"


# Ready-to-paste repository files


@dataclass(frozen=True)
class Paste:
    """A ready-to-paste file or command, with where it goes."""

    title: str
    note: str
    language: str
    body: str


def _repo_fixes(report: Report) -> list[str]:
    pastes = repo_pastes(report)
    if not pastes:
        return []
    lines = ["## Ready-to-paste fixes for the repository", ""]
    for paste in pastes:
        lines += [f"### {paste.title}", "", paste.note, "", code_block(paste.body, paste.language), ""]
    return lines


def repo_pastes(report: Report) -> list[Paste]:
    """Return the repository-level files and commands that this audit calls for."""
    builders: tuple[Callable[[Report], Paste | None], ...] = (
        _seed_paste,
        _logging_paste,
        _lock_paste,
        _mypy_paste,
        _gitignore_paste,
    )
    return [paste for build in builders if (paste := build(report)) is not None]


def _family_text(report: Report, *families: str) -> str:
    """Return the lowercased messages, fixes and paths of the counting findings of these rule families."""
    chosen = [f for f in report.findings if f.counts and f.rule[:3] in families]
    return "\n".join(f"{f.message}\n{f.fix}\n{f.path or ''}" for f in chosen).lower()


def _has_family(report: Report, family: str) -> bool:
    return any(f.counts and f.rule.startswith(family) for f in report.findings)


def package_dir(report: Report) -> str | None:
    """Return the importable package folder (`src/pkg` or `pkg`), if the inventory shows one."""
    for entry in report.inventory:
        parts = entry.path.split("/")
        if parts[-1] != "__init__.py":
            continue
        if len(parts) == 3 and parts[0] == "src" and _IDENTIFIER.match(parts[1]):
            return f"src/{parts[1]}"
        if len(parts) == 2 and parts[0] not in {"tests", "test"} and _IDENTIFIER.match(parts[0]):
            return parts[0]
    return None


def _module_path(report: Report, name: str) -> str:
    folder = package_dir(report)
    return f"{folder}/{name}" if folder else name


_SEED_LIBRARIES = (
    ("random", re.compile(r"(?<![\w.])random\.(seed|random|rand\w*|choice|choices|shuffle|sample|uniform|gauss)\b")),
    ("numpy", re.compile(r"\bnumpy\b|\bnp\.random\b")),
    ("torch", re.compile(r"\btorch\b|\bcuda\b")),
    ("tensorflow", re.compile(r"\btensorflow\b|\btf\.random\b")),
    ("jax", re.compile(r"\bjax\b")),
)
_SEED_TOPIC = re.compile(r"seed|random|rng|determinis")


def seeded_libraries(report: Report) -> tuple[str, ...]:
    """Return the RNG libraries the reproducibility findings name (random and numpy when none is named)."""
    text = _seed_text(report)
    found = tuple(name for name, pattern in _SEED_LIBRARIES if pattern.search(text))
    return found or ("random", "numpy")


def _seed_text(report: Report) -> str:
    """Return the text that names the RNG sources in use.

    The REP rules' fix text carries a one-line `def set_seed(...)` covering exactly the sources
    the entry points draw from; when present it alone decides. Otherwise the REP findings and
    the practice's non-empty metrics are read.
    """
    text = _family_text(report, "REP")
    helpers = [part.split("\n", 1)[0] for part in text.split("def set_seed")[1:]]
    if helpers:
        return "\n".join(helpers)
    metrics = [p.metrics for p in report.practices if p.key == "reproducibility"]
    return text + "\n" + "\n".join(f"{k} {v}".lower() for m in metrics for k, v in m.items() if v)


def _seed_paste(report: Report) -> Paste | None:
    if not _SEED_TOPIC.search(_family_text(report, "REP")):
        return None
    libraries = seeded_libraries(report)
    path = _module_path(report, "seed.py")
    note = f"Save as `{path}` and call `set_seed()` once at the start of every entry point and notebook."
    return Paste(f"`set_seed` helper ({', '.join(libraries)})", note, "python", seed_module(libraries))


def seed_module(libraries: tuple[str, ...]) -> str:
    """Return a module that seeds exactly these RNG libraries."""
    stdlib = ["import os"] + (["import random"] if "random" in libraries else [])
    third_party = [_SEED_IMPORT[name] for name in libraries if name in _SEED_IMPORT and name != "random"]
    imports = "\n".join(stdlib) + ("\n\n" + "\n".join(third_party) if third_party else "")
    body = [line for name in libraries for line in _SEED_LINES.get(name, ())]
    extra = "\n\n\n" + _JAX_KEY if "jax" in libraries else ""
    return (
        '"""Provides set_seed: the one place that seeds every random number generator of this project."""\n\n'
        "from __future__ import annotations\n\n" + imports + "\n\nSEED = 42\n\n\n"
        "def set_seed(seed: int = SEED) -> None:\n"
        f'    """Seed {", ".join(libraries)} so that a run repeats exactly."""\n'
        '    os.environ["PYTHONHASHSEED"] = str(seed)\n' + "\n".join(body) + extra + "\n"
    )


_SEED_IMPORT = {
    "random": "import random",
    "numpy": "import numpy as np",
    "torch": "import torch",
    "tensorflow": "import tensorflow as tf",
    "jax": "import jax",
}
_SEED_LINES: dict[str, tuple[str, ...]] = {
    "random": ("    random.seed(seed)",),
    "numpy": ("    np.random.seed(seed)  # legacy global RNG; prefer np.random.default_rng(seed) objects",),
    "torch": (
        "    torch.manual_seed(seed)",
        "    torch.cuda.manual_seed_all(seed)  # safe without a GPU",
        "    torch.backends.cudnn.deterministic = True",
        "    torch.backends.cudnn.benchmark = False",
        '    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")',
        "    torch.use_deterministic_algorithms(True, warn_only=True)",
    ),
    "tensorflow": ("    tf.keras.utils.set_random_seed(seed)  # seeds Python, NumPy and TensorFlow",),
}
_JAX_KEY = (
    "def jax_key(seed: int = SEED) -> jax.Array:\n"
    '    """Return the root PRNG key; split it, never reuse it."""\n'
    "    return jax.random.key(seed)"
)


def _logging_paste(report: Report) -> Paste | None:
    if not _has_family(report, "LOG"):
        return None
    path = _module_path(report, "logging_setup.py")
    note = (
        f'Save as `{path}`; call `setup_logging()` only in entry points (under `if __name__ == "__main__":`), '
        "and in every other module use `logger = logging.getLogger(__name__)`."
    )
    return Paste("Logging setup module", note, "python", _LOGGING_MODULE)


_LOGGING_MODULE = '''"""Provides setup_logging: configure log output once, from an entry point."""

from __future__ import annotations

import logging
import os


def setup_logging(level: str | None = None) -> None:
    """Log to stderr with time, level and module; the level comes from LOG_LEVEL (default INFO)."""
    logging.basicConfig(
        level=(level or os.environ.get("LOG_LEVEL", "INFO")).upper(),
        format="%(asctime)s %(levelname)-8s %(name)s: %(message)s",
    )
'''


_LOCKERS = (
    ("poetry.lock", "poetry", "poetry lock", "Poetry: commit the updated poetry.lock."),
    ("pdm.lock", "pdm", "pdm lock", "PDM: commit the updated pdm.lock."),
    ("Pipfile", "pipenv", "pipenv lock", "Pipenv: commit Pipfile.lock."),
    ("uv.lock", "uv", "uv lock", "uv: commit uv.lock; install with `uv sync --locked`."),
    ("pyproject.toml", "", "uv lock", "uv: commit uv.lock; install with `uv sync --locked`."),
    (
        "requirements.in",
        "pip-tools",
        "pip-compile --generate-hashes requirements.in",
        "pip-tools: commit the generated requirements.txt.",
    ),
    (
        "requirements.txt",
        "",
        "mv requirements.txt requirements.in && pip-compile --generate-hashes requirements.in",
        "pip-tools: keep loose names in requirements.in and commit the compiled requirements.txt.",
    ),
    ("environment.yml", "conda", "conda-lock lock -f environment.yml", "conda-lock: commit conda-lock.yml."),
    ("environment.yaml", "", "conda-lock lock -f environment.yaml", "conda-lock: commit conda-lock.yml."),
)


def lock_command(report: Report) -> tuple[str, str]:
    """Return (command, note) that locks the repository's dependencies with the tool it already uses.

    A `dependency_tool` metric of the dependencies practice wins; otherwise the root manifests decide.
    """
    root_files = {e.path for e in report.inventory if "/" not in e.path}
    tool = next((str(p.metrics.get("dependency_tool", "")) for p in report.practices if p.key == "dependencies"), "")
    for manifest, name, command, note in _LOCKERS:
        if (name and name == tool) or manifest in root_files:
            return command, note
    return "uv init --bare && uv add <your dependencies> && uv lock", "No manifest found: declare and lock with uv."


def _lock_paste(report: Report) -> Paste | None:
    if not _has_family(report, "DEP"):
        return None
    command, note = lock_command(report)
    return Paste("Lock the dependencies", note, "bash", command)


def _mypy_paste(report: Report) -> Paste | None:
    if not _has_family(report, "TYP"):
        return None
    folder = package_dir(report)
    files = f'files = ["{folder}"]\n' if folder else ""
    body = (
        f"[tool.mypy]\n{files}warn_unused_configs = true\nwarn_unused_ignores = true\n"
        "check_untyped_defs = true\ndisallow_untyped_defs = true\ndisallow_incomplete_defs = true\n"
        "no_implicit_optional = true\nwarn_return_any = true\n\n"
        '[[tool.mypy.overrides]]\nmodule = ["tests.*"]\ndisallow_untyped_defs = false'
    )
    note = "Add to `pyproject.toml`, run `mypy`, and tighten to `strict = true` once it passes."
    return Paste("Type checker configuration", note, "toml", body)


_ENV_MENTION = re.compile(r"(?<![\w.])\.env(?![\w.])")
_VENV_MENTION = re.compile(r"(?<![\w])\.?venv\b|virtual ?env")


def gitignore_lines(report: Report) -> list[str]:
    """Return the .gitignore lines the security and dependency findings call for."""
    text = _family_text(report, "SEC", "DEP")
    lines: list[str] = []
    if _ENV_MENTION.search(text):
        lines += [".env", ".env.*", "!.env.example"]
    if _VENV_MENTION.search(text):
        lines += [".venv/", "venv/"]
    return lines


def _gitignore_paste(report: Report) -> Paste | None:
    lines = gitignore_lines(report)
    if not lines:
        return None
    note = "Append to `.gitignore`, then untrack what is already committed: `git rm -r --cached <path>`."
    return Paste("`.gitignore` lines", note, "gitignore", "\n".join(lines))
