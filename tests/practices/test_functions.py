"""Tests for the functions practice rules and the complexity adapter."""

from __future__ import annotations

import textwrap
from pathlib import Path

from radon.complexity import cc_visit

from mlaudit.model import Severity
from mlaudit.tools.complexity import module_metrics, rank
from tests.helpers import findings, project_of, run_audit, run_audit_rules_only, write_tree


def branchy(name: str, branches: int) -> str:
    """Return a function with exactly `branches` if statements (complexity branches + 1)."""
    body = "".join(f"    if x == {i}:\n        y = {i}\n" for i in range(branches))
    return f"def {name}(x):\n    y = 0\n{body}    return y\n"


def lines_function(name: str, count: int) -> str:
    body = "".join(f"    v{i} = x + {i}\n" for i in range(count))
    return f'def {name}(x):\n    """Doc."""\n{body}    return x\n'


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


def test_fun001_to_003_band_by_complexity(tmp_path: Path) -> None:
    code = branchy("simple", 5) + branchy("moderate", 12) + branchy("very", 24) + branchy("monster", 35)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": code})
    assert [h.message for h in findings(tmp_path, "FUN001")] == ["moderate() has cyclomatic complexity 13 (rank C)"]
    assert [h.message for h in findings(tmp_path, "FUN002")] == ["very() has cyclomatic complexity 25 (rank D)"]
    [error] = findings(tmp_path, "FUN003")
    assert error.severity is Severity.ERROR and "monster() has cyclomatic complexity 36" in error.message


def test_fun001_ignores_tests_and_simple_code(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": branchy("ok", 9), "tests/test_m.py": branchy("t", 15)})
    assert findings(tmp_path, "FUN001") == []


def test_fun004_length_warns_then_errors(tmp_path: Path) -> None:
    code = lines_function("short", 50) + lines_function("long", 70) + lines_function("huge", 130)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": code})
    hits = {h.message.split("(")[0]: h.severity for h in findings(tmp_path, "FUN004")}
    assert hits == {"long": Severity.WARNING, "huge": Severity.ERROR}


def test_fun005_counts_parameters_without_self(tmp_path: Path) -> None:
    code = (
        "def wide(a, b, c, d, e, f, g, h):\n    return a\n"
        "class M:\n    def ok(self, a, b, c, d, e, f, g, *args, **kwargs):\n        return a\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": code})
    assert [h.message for h in findings(tmp_path, "FUN005")] == ["wide() takes 8 parameters"]


def test_fun006_flags_huge_branchy_module(tmp_path: Path) -> None:
    code = "".join(branchy(f"f{i}", 30) for i in range(30))
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": code, "pkg/small.py": branchy("g", 3)})
    assert [h.path for h in findings(tmp_path, "FUN006")] == ["pkg/big.py"]


SCRIPT_STYLE = """
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

DATA = "train.csv"
df = pd.read_csv(DATA)
model = RandomForestClassifier().fit(df[["a"]], df.y)
"""

CLEAN_MODULE = """
import logging
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

logger = logging.getLogger(__name__)
T = TypeVar("T")
__all__ = ["Config", "load"]

try:
    import torch
except ImportError:
    torch = None


@dataclass(frozen=True)
class Config:
    path: str = "train.csv"


DEFAULT = Config()
REGISTRY: dict[str, type] = {}
REGISTRY["config"] = Config


def load(cfg: Config) -> pd.DataFrame:
    return pd.read_csv(cfg.path)


if __name__ == "__main__":
    df = load(DEFAULT)
    for col in df.columns:
        print(col)
"""


def test_fun007_fires_on_import_time_training(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": SCRIPT_STYLE})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.line == 6 and "2 statement(s)" in hit.message and "pd.read_csv(DATA)" in hit.message


def test_fun007_silent_for_clean_module_and_exempt_files(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/data.py": CLEAN_MODULE,
            "pkg/__main__.py": SCRIPT_STYLE,
            "setup.py": "from setuptools import setup\nsetup(name='x')\n",
            "docs/conf.py": "import os\nos.makedirs('_build', exist_ok=True)\n",
            "examples/plot_x.py": SCRIPT_STYLE,
            "tests/test_x.py": SCRIPT_STYLE,
        },
    )
    assert findings(tmp_path, "FUN007") == []


MIXED = """
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score


def run(path):
    df = pd.read_csv(path)
    df = df.fillna(0)
    df = df[df.a > 0]
    x = df[["a", "b"]]
    y = df.y
    x = x * 2
    model = LogisticRegression()
    model.fit(x, y)
    pred = model.predict(x)
    acc = accuracy_score(y, pred)
    extra = acc * 2
    extra = extra + 1
    extra = extra - 1
    extra = extra * 1
    result = {"acc": acc}
    return result
"""

ORCHESTRATOR = """
from pkg.data import load_data
from .features import preprocess


def train(df): ...
def evaluate(model, df): ...


def main(path):
    df = load_data(path)
    df = preprocess(df)
    model = train(df)
    score = evaluate(model, df)
    a = 1
    b = 2
    c = 3
    d = 4
    e = 5
    f = 6
    g = 7
    h = 8
    i = 9
    j = 10
    return score
"""


def test_fun008_fires_on_load_preprocess_train_evaluate(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/run.py": MIXED})
    [hit] = findings(tmp_path, "FUN008")
    assert hit.message == (
        "run() loads (read_csv), preprocesses (fillna), trains (fit), evaluates (predict) in one body"
    )


def test_fun008_silent_for_orchestrating_main(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": "", "pkg/cli.py": ORCHESTRATOR})
    assert findings(tmp_path, "FUN008") == []


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
    assert fun009_points(tmp_path) == 20  # the copy is almost half the code


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


def test_functions_metrics_reported(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": branchy("f", 4)})
    metrics = run_audit(tmp_path, select=("FUN001",)).practice("functions").metrics
    assert metrics["max_complexity"] == 5


def test_fun004_data_literals_and_parser_declarations_are_not_an_error(tmp_path: Path) -> None:
    table = "".join(f'            "word{i}": {i},\n' for i in range(130))
    options = "".join(f'    parser.add_argument("--opt{i}", type=int, default={i})\n' for i in range(130))
    logic = "".join(f"    total = total + value * {i}\n" for i in range(130))
    write_tree(
        tmp_path,
        {
            "pkg/words.py": (
                "class Numbers:\n    def __init__(self):\n        self.table = {\n" + table + "        }\n"
            ),
            "pkg/cli.py": "import argparse\n\n\ndef get_parser():\n    parser = argparse.ArgumentParser()\n"
            + options
            + "    return parser\n",
            "pkg/calc.py": "def crunch(value):\n    total = 0\n" + logic + "    return total\n",
        },
    )
    by_path = {f.path: f for f in findings(tmp_path, "FUN004")}
    assert by_path["pkg/words.py"].severity is Severity.WARNING
    assert "data literals" in by_path["pkg/words.py"].message
    assert by_path["pkg/cli.py"].severity is Severity.WARNING
    assert by_path["pkg/calc.py"].severity is Severity.ERROR


def test_fun005_constructors_count_required_parameters_only(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/blocks.py": (
                "from torch import nn\n\n\n"
                "class Block(nn.Module):\n"
                "    def __init__(self, dim, heads=8, ratio=4.0, bias=True, drop=0.0, attn_drop=0.0,\n"
                "                 path_drop=0.0, act=nn.GELU, norm=nn.LayerNorm, scale=None):\n"
                "        super().__init__()\n\n\n"
                "class Sampler:\n"
                "    def __init__(self, model, steps, shape, schedule, eta, guidance, device, dtype):\n"
                "        self.model = model\n\n"
                "    def sample(self, steps, batch, shape, cond=None, callback=None, eta=0.0, mask=None,\n"
                "               x0=None, temperature=1.0, verbose=True):\n"
                "        return None\n"
            )
        },
    )
    messages = sorted(f.message for f in findings(tmp_path, "FUN005"))
    assert messages == ["Sampler.__init__() takes 8 required parameters", "Sampler.sample() takes 10 parameters"]


def test_fun005_skips_compiled_kernels(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/kernels.py": (
                "import triton\nimport triton.language as tl\n\n\n"
                "@triton.jit\n"
                "def cost_kernel(cost, trace, x_stride, cost_stride, trace_stride, n, m, block: tl.constexpr):\n"
                "    pass\n\n\n"
                "def plain(cost, trace, x_stride, cost_stride, trace_stride, n, m, block):\n"
                "    pass\n"
            )
        },
    )
    assert [f.message for f in findings(tmp_path, "FUN005")] == ["plain() takes 8 parameters"]


def test_fun008_ignores_mode_switches_and_checkpoint_handling(tmp_path: Path) -> None:
    body = "".join(f"    step_{i} = {i}\n" for i in range(12))
    write_tree(
        tmp_path,
        {
            "pkg/export.py": (
                "import torch\n\n\n"
                "def export(model, path, example):\n"
                "    model.train()\n"
                "    model.eval()\n"
                "    state = torch.load(path + '.pt')\n"
                "    model.load_state_dict(state)\n"
                "    torch.onnx.export(model, example, path)\n" + body
            ),
            "pkg/run.py": (
                "from catalyst import dl\nfrom pytorch_toolbelt.utils import load_checkpoint, clean_checkpoint\n\n\n"
                "def main(model, loaders, runner):\n"
                "    checkpoint = load_checkpoint('best.pth')\n"
                "    runner.train(model=model, loaders=loaders, num_epochs=10)\n"
                "    clean_checkpoint('best.pth', 'clean.pth')\n" + body
            ),
        },
    )
    assert findings(tmp_path, "FUN008") == []


def test_fun007_config_read_is_not_work_but_a_loading_constructor_is(tmp_path: Path) -> None:
    code = (
        "import json\n\nimport torch\n\n"
        'with open("settings.json") as fh:\n    settings = json.load(fh)\n\n\n'
        "class Predictor:\n"
        "    def __init__(self):\n"
        '        self.net = torch.load(settings["weights"], weights_only=True)\n\n\n'
        "predictor = Predictor()\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/model.py": code, "svc/api.py": "from .model import predictor\n"})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.line == 14 and "predictor = Predictor()" in hit.message
    write_tree(tmp_path, {"svc/model.py": code.replace("predictor = Predictor()\n", "")})
    assert findings(tmp_path, "FUN007") == []


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
