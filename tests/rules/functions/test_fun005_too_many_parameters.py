"""Tests of rule FUN005 (`mlaudit/rules/functions/fun005_too_many_parameters.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_fun005_counts_parameters_without_self(tmp_path: Path) -> None:
    code = (
        "def wide(a, b, c, d, e, f, g, h):\n    return a\n"
        "class M:\n    def ok(self, a, b, c, d, e, f, g, *args, **kwargs):\n        return a\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": code})
    assert [h.message for h in findings(tmp_path, "FUN005")] == ["wide() takes 8 parameters"]


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


def test_fun005_reports_a_long_signature_once_at_the_base_class_its_overrides_follow(tmp_path: Path) -> None:
    base = (
        "class _Forecaster:\n"
        "    def simulate(self, h, n_paths, X=None, seed=0, level=None, error='normal', df=None, bootstrap=False):\n"
        "        raise NotImplementedError\n"
    )
    models = (
        "from fcast.base import _Forecaster\n\n\n"
        "class Naive(_Forecaster):\n"
        "    def simulate(self, h, n_paths, X=None, seed=0, level=None, error='normal', df=None, bootstrap=False):\n"
        "        return None\n\n"
        "    def fit(self, y, X=None, season=1, drift=False, lam=None, bias=False, trim=0.0, robust=False):\n"
        "        return self\n\n\n"
        "class Standalone:\n"
        "    def simulate(self, h, n_paths, X=None, seed=0, level=None, error='normal', df=None, bootstrap=False):\n"
        "        return None\n"
    )
    write_tree(tmp_path, {"fcast/__init__.py": "", "fcast/base.py": base, "fcast/models.py": models})
    messages = sorted(f"{f.path}: {f.message}" for f in findings(tmp_path, "FUN005"))
    # the override follows the base's signature; a method of its own, and a class outside the family, are still reported
    assert messages == [
        "fcast/base.py: _Forecaster.simulate() takes 8 parameters",
        "fcast/models.py: Naive.fit() takes 8 parameters",
        "fcast/models.py: Standalone.simulate() takes 8 parameters",
    ]
