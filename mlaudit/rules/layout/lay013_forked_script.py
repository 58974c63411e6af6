"""Provides rule LAY013: Script forked into a copy."""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions.fun004_long_function import PARSER_DECLARATIONS, literal_data
from mlaudit.rules.functions.fun009_duplicated_code import (
    DuplicatePair,
    copied_pairs,
    normalised_lines,
    recipe_folders,
    snapshot_folders,
)

FORK_SHARE = 0.4  # a script whose shared block is at least this share of its code is a fork


@register
class ForkedScript(Rule):
    """Flags entry-point scripts kept as near-copies of another script (`train.py`, `train2.py`).

    ## What it does
    Reports a script (a module run as a program) when a block it shares with another script
    covers at least 40% of the smaller one's code lines: numbered or suffixed copies
    (`train2.py`, `train_v2.py`, `legacy_train.py`) and sub-applications that repeat the
    root's programs (`segment/train.py` beside `train.py`). Copies between course-step folders
    (`week_1/`, `week_2/`), between the recipes of a recipe collection (`recipes/ljspeech/glow_tts/`,
    `recipes/vctk/glow_tts/`, `egs/`: one standalone run per dataset and model) and in examples, docs and
    tutorials are left alone: there they are the point; so are scripts whose shared block is mostly command-line option declarations and
    literal data tables (a common `--cfg-options` flag, a class-id mapping): a shared interface,
    not one program forked. The copied lines themselves are priced by FUN009.

    ## Why is this bad?
    Two copies of one program drift apart: a fix lands in one, the other keeps the bug, and
    nobody can tell which copy trained the model that was shipped. A repository laid out like
    software has one program per job, with what differs passed in as options or config.

    ## Example
    ```text
    train.py          # 500 lines
    train2.py         # the same loop, a new augmentation and a different scheduler
    ```

    ## Use instead
    ```text
    churn/train.py                 # one training program
    configs/baseline.yaml          # what differs between runs
    configs/strong_aug.yaml
    ```
    """

    code = "LAY013"
    title = "Script forked into a copy"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Keep one script, pass what differs as options or a config file, and delete the copy (git keeps history)."
    scoring = "flat"
    weight = 4
    cap = 12

    def check(self, project: Project) -> Iterator[Output]:
        scripts = {pf.path: pf.code_lines for pf in project.python_of(FileKind.SCRIPT)}
        for pair in copied_pairs(project):
            if _forked(pair, scripts) and not _shares_only_declarations(project.python[pair.second], pair):
                smaller = min(scripts[pair.first], scripts[pair.second])
                yield Hit(
                    pair.second,
                    None,
                    f"{pair.second} and {pair.first} are copies of one program: they share "
                    f"{pair.shared_lines} code lines, {pair.shared_lines / smaller:.0%} of the smaller script",
                )


def _forked(pair: DuplicatePair, scripts: dict[str, int]) -> bool:
    """Return True when both files are scripts outside examples and the shared block is most of one of them."""
    if pair.first not in scripts or pair.second not in scripts:
        return False
    if snapshot_folders(pair.first, pair.second) or recipe_folders(pair.first, pair.second):
        return False
    if is_example(pair.first) or is_example(pair.second):
        return False
    smaller = min(scripts[pair.first], scripts[pair.second])
    return smaller > 0 and pair.shared_lines >= FORK_SHARE * smaller


DECLARED_SHARE = 0.8  # a shared block at least this much option declarations and data tables is no fork


def _shares_only_declarations(pf: PythonFile, pair: DuplicatePair) -> bool:
    """Return True when the block the copy shares is mostly command-line option declarations and literal
    data tables (`parser.add_argument("--cfg-options", ...)`, a class-id mapping): two programs with a
    common interface or lookup table, not one program forked."""
    _, numbers = normalised_lines(pf)
    start = bisect.bisect_left(numbers, pair.line_in_second)
    shared = numbers[start : start + pair.shared_lines]
    if not shared:
        return False
    declared = declared_lines(pf)
    return sum(line in declared for line in shared) >= DECLARED_SHARE * len(shared)


def declared_lines(pf: PythonFile) -> set[int]:
    """Return the lines of multi-line literal data displays and argparse option declarations of a module."""
    lines: set[int] = set()
    for node in pf.nodes(ast.Dict, ast.List, ast.Set, ast.Tuple, ast.Call):
        end = node.end_lineno or node.lineno
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Attribute) and node.func.attr in PARSER_DECLARATIONS):
                continue
        elif end == node.lineno or not literal_data(node):
            continue
        lines.update(range(node.lineno, end + 1))
    return lines
