"""Tests of rule PRF006 (`mlaudit/rules/performance/prf006_no_profiling_evidence.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import run_audit, run_audit_rules_only, write_tree


def test_prf006_reports_profiling_evidence_as_metric(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/train.py": "import numpy as np\n"})
    report = run_audit(tmp_path, select=("PRF006",))
    assert report.practice("performance").metrics["profiling_evidence"] == "none"
    assert [f.severity for f in report.findings] == [Severity.INFO]
    write_tree(tmp_path, {"benchmarks/bench.py": "import cProfile\nimport numpy as np\n"})
    report = run_audit_rules_only(tmp_path, select=("PRF006",))
    assert "cProfile in benchmarks/bench.py" in str(report.practice("performance").metrics["profiling_evidence"])
    assert report.findings == ()
    assert report.practice("performance").score == 100


def test_prf006_a_torch_profiler_from_import_is_profiling_but_a_data_set_module_is_not(tmp_path: Path) -> None:
    wrapper = (
        "from torch import profiler\n\n\n"
        "def make_profiler(steps=5):\n    return profiler.profile(schedule=profiler.schedule(wait=0, warmup=1, active=steps))\n"
    )
    write_tree(tmp_path / "a", {"geo/__init__.py": "", "geo/utils/profiling.py": wrapper})
    report = run_audit(tmp_path / "a", select=("PRF006",))
    assert report.findings == ()
    assert report.practice("performance").metrics["profiling_evidence"] == "torch.profiler in geo/utils/profiling.py"
    dataset = (
        "import numpy as np\n\n\nclass SceneBenchmark:\n    def __getitem__(self, i):\n        return np.load(i)\n"
    )
    write_tree(tmp_path / "b", {"geo/__init__.py": "", "geo/datasets/scene_benchmark.py": dataset})
    report = run_audit(tmp_path / "b", select=("PRF006",))
    assert [f.message for f in report.findings] == [
        "No profiling or benchmark code (cProfile, pyinstrument, pytest-benchmark, benchmarks/)"
    ]


def test_prf006_timeit_benchmarks_count_but_its_default_timer_is_only_a_clock(tmp_path: Path) -> None:
    """`timeit.timeit(...)` or a `Timer` measures a statement; `default_timer()` around an epoch reads a clock."""
    bench = (
        "import timeit\n\nimport numpy as np\n\n\n"
        "def compare(x):\n    return timeit.timeit(lambda: np.sort(x), number=100)\n"
    )
    timer = "from timeit import Timer\n\n\ndef measure(fn):\n    return min(Timer(fn).repeat(3, 10))\n"
    write_tree(tmp_path / "a", {"ops/__init__.py": "", "ops/speed.py": bench, "ops/measure.py": timer})
    report = run_audit(tmp_path / "a", select=("PRF006",))
    assert report.findings == ()
    assert (
        report.practice("performance").metrics["profiling_evidence"]
        == "timeit in ops/measure.py; timeit in ops/speed.py"
    )
    clock = (
        "from timeit import default_timer\n\nimport torch\n\n\n"
        "def train_epoch(model, loader, opt):\n    start = default_timer()\n    for x, y in loader:\n"
        "        opt.zero_grad()\n        torch.nn.functional.mse_loss(model(x), y).backward()\n        opt.step()\n"
        "    return default_timer() - start\n"
    )
    stopwatch = "import timeit\n\n\ndef timed(fn):\n    start = timeit.default_timer()\n    fn()\n    return timeit.default_timer() - start\n"
    write_tree(tmp_path / "b", {"op/__init__.py": "", "op/trainer.py": clock, "op/utils.py": stopwatch})
    report = run_audit(tmp_path / "b", select=("PRF006",))
    assert report.practice("performance").metrics["profiling_evidence"] == "none"
    assert len(report.findings) == 1


LATENCY_UTILS = """\
import time

import torch


def measure_latency(model, example_inputs, repeat=100, warmup=10):
    model.eval()
    with torch.inference_mode():
        for _ in range(warmup):
            model(example_inputs)
        start = time.perf_counter()
        for _ in range(repeat):
            model(example_inputs)
    return (time.perf_counter() - start) / repeat
"""


def test_prf006_a_library_benchmark_module_that_times_calls_is_benchmark_code(tmp_path: Path) -> None:
    files = {"prune/__init__.py": "", "prune/utils/__init__.py": "", "prune/utils/benchmark.py": LATENCY_UTILS}
    write_tree(tmp_path, files)
    report = run_audit(tmp_path, select=("PRF006",))
    assert report.findings == ()
    assert report.practice("performance").metrics["profiling_evidence"] == "benchmark module prune/utils/benchmark.py"


def test_prf006_a_library_module_named_for_a_benchmark_data_set_times_nothing(tmp_path: Path) -> None:
    dataset = (
        "import time\n\nimport numpy as np\n\n\nclass ImageNetBenchmark:\n"
        "    def __init__(self, root):\n        self.root = root\n        self.created = time.strftime('%Y-%m-%d')\n\n"
        "    def __getitem__(self, i):\n        return np.load(f'{self.root}/{i}.npy')\n"
    )
    write_tree(
        tmp_path, {"geo/__init__.py": "", "geo/datasets/__init__.py": "", "geo/datasets/imagenet_benchmark.py": dataset}
    )
    report = run_audit(tmp_path, select=("PRF006",))
    assert [f.rule for f in report.findings] == ["PRF006"]
