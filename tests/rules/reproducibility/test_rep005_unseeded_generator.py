"""Tests of rule REP005 (`mlaudit/rules/reproducibility/rep005_unseeded_generator.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep005_default_rng_without_seed(tmp_path: Path) -> None:
    code = "import numpy as np\n\nrng = np.random.default_rng()\n\n\ndef make(rng=None):\n"
    code += "    return rng or np.random.default_rng()\n\n\nseeded = np.random.default_rng(3)\n"
    write_tree(tmp_path, {"run.py": code})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 3 and "numpy Generator" in hit.message


def test_rep005_generator_seeded_on_the_next_line_is_silent(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport torch\n\n\n"
        "class Sampler:\n"
        "    def __init__(self, seed):\n"
        "        self.rng = random.Random()\n"
        "        self.seed = seed\n\n"
        "    def __iter__(self):\n"
        "        g = torch.Generator()\n"
        "        g.manual_seed(self.seed)\n"
        "        self.rng = random.Random(self.seed)\n"
        "        return iter(torch.randperm(10, generator=g).tolist())\n\n\n"
        "def shuffled(n):\n"
        "    g = torch.Generator()\n"
        "    return torch.randperm(n, generator=g)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sampler.py": code})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 19 and "torch Generator" in hit.message
    assert "manual_seed" in (hit.fix or "") and "default_rng" not in (hit.fix or "")
