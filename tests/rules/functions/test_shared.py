"""Tests of the `functions` practice that span several rules (or none in particular)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from radon.complexity import cc_visit

from mlaudit.tools.complexity import module_metrics, rank
from tests.helpers import project_of, write_tree

SAMPLE = textwrap.dedent(
    """
    def f(a, b):
        if a and b or a:
            return [i for i in range(3) if i]
        for i in range(a):
            try:
                pass
            except ValueError:
                pass
            except KeyError:
                pass
            else:
                pass
        while b:
            b -= 1
        else:
            pass
        return 1 if a else 2

    class C:
        def m(self, x):
            def inner(y):
                return y if y else 0
            match x:
                case 1:
                    return 1
                case _:
                    return inner(x)
    """
)


def test_complexity_matches_radon(tmp_path: Path) -> None:
    write_tree(tmp_path, {"m.py": SAMPLE})
    pf = project_of(tmp_path).python["m.py"]
    ours = {f.name.split(".")[-1]: f.complexity for f in module_metrics(pf).functions}
    blocks = cc_visit(SAMPLE)
    theirs = {b.name: b.complexity for b in blocks if hasattr(b, "complexity") and not hasattr(b, "methods")}
    method = next(b for b in blocks if hasattr(b, "methods")).methods[0]
    theirs[method.name] = method.complexity
    theirs["inner"] = method.closures[0].complexity
    assert ours == theirs


def test_rank_bands() -> None:
    assert [rank(c) for c in (1, 6, 11, 21, 31, 41)] == ["A", "B", "C", "D", "E", "F"]
