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
