"""Tests of rule FUN009 (`mlaudit/rules/functions/fun009_duplicated_code.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from mlaudit.rules.functions.fun009_duplicated_code import DuplicatedCode
from tests.helpers import findings, run_audit_rules_only, write_tree


def experiment(lr: float) -> str:
    steps = "".join(f"    total = total + step_{i}(model, batch, {i})\n" for i in range(15))
    return f"import torch\n\nLR = {lr}\n\ndef run(model, batch):\n    total = 0\n{steps}    return total\n"


def test_fun009_reports_copied_experiment_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"exp055/train.py": experiment(0.1), "exp056/train.py": experiment(0.2)})
    [hit] = findings(tmp_path, "FUN009")
    assert hit.path == "exp056/train.py" and "shares 17 code lines with exp055/train.py" in hit.message


def fun009_points(root: Path) -> int:
    functions = next(p for p in run_audit_rules_only(root).practices if p.key == "functions")
    return sum(d.points for d in functions.deductions if d.rule == "FUN009")


def distinct_module(index: int) -> str:
    """Return a 50-line module that shares no line with any other index."""
    body = "".join(f"    value_{index}_{n} = scale * {index * 100 + n}\n" for n in range(48))
    return f"def build_{index}(scale):\n{body}    return scale\n"


def test_fun009_copied_experiment_costs_by_the_share_it_covers(tmp_path: Path) -> None:
    write_tree(tmp_path, {"exp055/train.py": experiment(0.1), "exp056/train.py": experiment(0.2)})
    assert fun009_points(tmp_path) == DuplicatedCode.cap == 30  # the copy is almost half the code: the whole cap


def test_fun009_small_copy_in_a_large_code_base_costs_nothing(tmp_path: Path) -> None:
    modules = {f"pkg/mod_{i}.py": distinct_module(i) for i in range(40)}
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", **modules, "exp055/train.py": experiment(0.1), "exp056/train.py": experiment(0.2)},
    )
    assert len(findings(tmp_path, "FUN009")) == 1  # still shown where it is
    assert fun009_points(tmp_path) == 0  # 17 copied lines of about 2,000


def test_fun009_silent_for_similar_but_distinct_code(tmp_path: Path) -> None:
    other = experiment(0.2).replace("step_", "other_")
    write_tree(tmp_path, {"exp055/train.py": experiment(0.1), "exp056/train.py": other})
    assert findings(tmp_path, "FUN009") == []


def test_fun009_ignores_shared_docstrings(tmp_path: Path) -> None:
    doc = '    """' + "".join(f"\n    param_{i} : int\n        Number {i}." for i in range(10)) + '\n    """\n'
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": f"def a(x):\n{doc}    return x + 1\n",
            "pkg/b.py": f"def b(y):\n{doc}    return y * 2\n",
        },
    )
    assert findings(tmp_path, "FUN009") == []


def _documented_check(name: str, target: str) -> str:
    """Return a check class whose long text, filled in from shared descriptions, is assigned to `target`."""
    rows = "".join(f"\n        param_{i} (int): {{PARAM_{i}}}" for i in range(12))
    return (
        "from pkg.docs import *\n\n\n"
        f"class {name}:\n"
        f'    {target} = f"""Check the column.\n\n    Args:{rows}\n    """\n\n'
        f"    def run(self, x):\n        return x > {len(name)}\n"
    )


def test_fun009_ignores_docstrings_assigned_to_doc(tmp_path: Path) -> None:
    # a family of checks builds each docstring with an f-string from shared descriptions: documentation, not code
    files = {"pkg/__init__.py": "", "pkg/docs.py": ""}
    files |= {f"pkg/{n.lower()}.py": _documented_check(n, "__doc__") for n in ("MaxCheck", "MeanCheck")}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "FUN009") == []


def test_fun009_still_compares_the_same_text_assigned_to_a_name_the_code_uses(tmp_path: Path) -> None:
    # a query or prompt template copied into two modules is a copied block the code runs
    files = {"pkg/__init__.py": "", "pkg/docs.py": ""}
    files |= {f"pkg/{n.lower()}.py": _documented_check(n, "QUERY") for n in ("MaxCheck", "MeanCheck")}
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "FUN009")
    assert "shares 14 code lines" in hit.message


def _backbone(name: str, body: str) -> str:
    params = "".join(f"        option_{i}: int = {i},\n" for i in range(14))
    names = "".join(f"    helper_{i},\n" for i in range(14))
    return (
        f"from pkg.helpers import (\n{names})\n\n\nclass {name}:\n"
        f"    def forward_features(\n        self,\n        x,\n{params}    ):\n{body}"
    )


def test_fun009_ignores_shared_signatures_and_import_lists(tmp_path: Path) -> None:
    first = "".join(f"        x = self.block_{i}(x)\n" for i in range(6)) + "        return x\n"
    second = "".join(f"        x = x + self.stage_{i}(x) * {i}\n" for i in range(6)) + "        return x\n"
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/net_a.py": _backbone("NetA", first), "pkg/net_b.py": _backbone("NetB", second)},
    )
    assert findings(tmp_path, "FUN009") == []


def test_fun009_still_reports_a_copied_body_behind_a_shared_signature(tmp_path: Path) -> None:
    body = "".join(f"        x = self.block_{i}(x) + option_{i}\n" for i in range(14)) + "        return x\n"
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/net_a.py": _backbone("NetA", body), "pkg/net_b.py": _backbone("NetB", body)},
    )
    [hit] = findings(tmp_path, "FUN009")
    def_line = _backbone("NetB", body).splitlines().index("    def forward_features(") + 1
    assert "shares 15 code lines" in hit.message and hit.line == def_line


def test_fun009_numbered_snapshot_folders_are_info(tmp_path: Path) -> None:
    body = "".join(f"def step_{i}(x):\n    y = x * {i}\n    return y + {i}\n\n\n" for i in range(8))
    write_tree(tmp_path / "course", {"week_1_basics/data.py": body, "week_2_logging/data.py": body})
    [hit] = findings(tmp_path / "course", "FUN009")
    assert hit.severity is Severity.INFO and "snapshot" in hit.message
    write_tree(tmp_path / "lab", {"exp_a/data.py": body, "exp_b/data.py": body})
    [hit] = findings(tmp_path / "lab", "FUN009")
    assert hit.severity is Severity.WARNING
    write_tree(tmp_path / "runs", {"exp055/data.py": body, "exp056/data.py": body})
    [hit] = findings(tmp_path / "runs", "FUN009")
    assert hit.severity is Severity.WARNING  # numbered experiments drift; they are not course steps


def test_fun009_copies_between_examples_are_info_but_an_example_copying_the_package_is_not(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", {"examples/shapes.py": experiment(0.1), "examples/shapes_gated.py": experiment(0.2)})
    [hit] = findings(tmp_path / "a", "FUN009")
    assert hit.severity is Severity.INFO and "examples" in hit.message
    assert fun009_points(tmp_path / "a") == 0
    # Look-alike: an example that copies a module of the package instead of importing it.
    write_tree(
        tmp_path / "b",
        {"shapes/__init__.py": "", "shapes/train.py": experiment(0.1), "examples/run.py": experiment(0.2)},
    )
    [hit] = findings(tmp_path / "b", "FUN009")
    assert hit.severity is Severity.WARNING


def test_fun009_trailing_comments_do_not_hide_or_move_a_copy(tmp_path: Path) -> None:
    commented = experiment(0.2).replace(
        "(model, batch, 3)\n", "(model, batch, 3)  # mlaudit: ignore[PRF001] tuned by hand\n"
    )
    hashed = experiment(0.2).replace("(model, batch, 3)\n", '(model, batch, 3) or "#tag"\n')
    write_tree(tmp_path, {"exp055/train.py": experiment(0.1), "exp056/train.py": commented})
    [hit] = findings(tmp_path, "FUN009")
    assert hit.line == 5 and "shares 17 code lines" in hit.message
    write_tree(tmp_path / "s", {"exp055/train.py": experiment(0.1), "exp056/train.py": hashed})
    [moved] = findings(tmp_path / "s", "FUN009")
    assert "shares 17 code lines" not in moved.message  # a '#' inside a string is code, not a comment


def experiment_settings(lr: float, program: bool) -> str:
    """Return a settings module of a config folder (sixteen shared dict lines), optionally run as a program."""
    stages = "".join(f"        dict(type='Stage{i}', channels={64 * (i + 1)}),\n" for i in range(14))
    text = f"model = dict(\n    type='Classifier',\n    stages=[\n{stages}    ],\n)\noptimizer = dict(lr={lr})\n"
    return text + ("\nfor stage in model['stages']:\n    print(stage)\n" if program else "")


def test_fun009_settings_modules_sharing_a_block_are_configs_not_copied_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "configs/resnet/resnet_lr01.py": experiment_settings(0.1, program=False),
            "configs/resnet/resnet_lr02.py": experiment_settings(0.2, program=False),
        },
    )
    assert findings(tmp_path, "FUN009") == []


def test_fun009_modules_in_a_config_folder_that_run_code_are_compared(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "configs/resnet/resnet_lr01.py": experiment_settings(0.1, program=True),
            "configs/resnet/resnet_lr02.py": experiment_settings(0.2, program=True),
        },
    )
    [hit] = findings(tmp_path, "FUN009")
    assert hit.path == "configs/resnet/resnet_lr02.py"


def test_line_hashes_are_each_line_s_little_endian_signed_digest() -> None:
    """Read all at once, the digests are the per-line values the fact cache has always held."""
    import hashlib

    from mlaudit.rules.functions.fun009_duplicated_code import _line_hashes

    lines = ["x = compute(a, b)", "return self.value", "naïve = '日本'", "bad = '\udcff'", ""]
    expected = [
        int.from_bytes(
            hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little", signed=True
        )
        for line in lines
    ]
    assert _line_hashes(lines) == expected
    assert _line_hashes([]) == []
