"""Provides rule PRF008: Membership test against a list inside a loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register


def list_membership_in_loops(pf: PythonFile) -> Iterator[tuple[ast.Compare, str]]:
    """Yield `x in items` tests inside a loop where `items` is a list built in the same function."""
    lists: dict[tuple[ast.AST | None, str], int] = {}
    for assign in pf.nodes(ast.Assign):
        if isinstance(assign.value, ast.ListComp):
            for target in assign.targets:
                if isinstance(target, ast.Name) and not any(w in target.id.lower() for w in ("indic", "index", "idx")):
                    lists[(pf.enclosing_function(assign), target.id)] = assign.lineno
    for compare in pf.nodes(ast.Compare):
        if len(compare.ops) != 1 or not isinstance(compare.ops[0], ast.In | ast.NotIn):
            continue
        right = compare.comparators[0]
        if not isinstance(right, ast.Name) or (pf.enclosing_function(compare), right.id) not in lists:
            continue
        if any(
            isinstance(
                a,
                ast.For
                | ast.AsyncFor
                | ast.comprehension
                | ast.ListComp
                | ast.SetComp
                | ast.GeneratorExp
                | ast.DictComp,
            )
            for a in pf.ancestors(compare)
        ):
            yield compare, right.id


@register
class ListMembershipInLoop(FileRule):
    """Notes membership tests against a list inside a loop (quadratic; a set is constant time).

    ## What it does
    Finds `if w in items` inside a loop or comprehension, where `items` is a list built from
    data by a list comprehension in the same function (literal lists and index lists are small).

    ## Why is this bad?
    Each `in` scans the whole list, so the loop is O(n*m): a bag-of-words over a 10k
    vocabulary and a 50-word sentence does half a million comparisons per sentence.

    ## Example
    ```python
    sentence_words = [stem(w) for w in tokens]
    for idx, w in enumerate(vocabulary):
        if w in sentence_words:
            bag[idx] = 1
    ```

    ## Use instead
    ```python
    sentence_words = {stem(w) for w in tokens}
    ```
    """

    code = "PRF008"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
    title = "Membership test against a list inside a loop"
    practice = "performance"
    severity = Severity.INFO
    fix = "Build a set once before the loop (`items = set(items)`) or use a vectoriser for bag-of-words features."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for compare, name in list_membership_in_loops(pf):
            yield Hit(
                pf.path,
                compare.lineno,
                f"`{safe_test(pf, compare)}` scans the list {name} on every iteration",
                fix=_set_fix(name),
            )


def safe_test(pf: PythonFile, node: ast.AST) -> str:
    """Return a short one-line rendering of a test expression."""
    text = " ".join(pf.segment(node).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _set_fix(name: str) -> str:
    """Return the fix with the list's own name: `lookup = set(words)` before the loop."""
    short = name.rsplit(".", 1)[-1]
    return (
        f"Build a set once before the loop ({short}_set = set({name})) and test membership against it; "
        "for bag-of-words features a vectoriser (CountVectorizer) does the whole loop."
    )
