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


def test_fun005_skips_kernels_compiled_after_their_definition_and_autograd_functions(tmp_path: Path) -> None:
    """`kernel = triton.jit(kernel)` compiles the function as a decorator would; an autograd Function's forward
    takes each tensor it tracks as its own argument. A plain helper beside them with as many is still flagged."""
    code = (
        "import torch\nimport triton\n\n\n"
        "def _rope_kernel(q, k, cos, sin, q_stride, k_stride, seq_len, head_dim, block):\n    pass\n\n\n"
        "_rope_kernel = triton.jit(_rope_kernel)\n"
        "_rope_kernel = triton.heuristics({'even': lambda args: True})(_rope_kernel)\n\n\n"
        "def rope_reference(q, k, cos, sin, q_stride, k_stride, seq_len, head_dim, block):\n    pass\n\n\n"
        "rope_fast = torch.compile(rope_reference)\n\n\n"
        "class FusedLoRA(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x, weight, a, b, scale, gate_w, gate_a, gate_b, up_w):\n"
        "        return x\n\n\n"
        "class LoRALayer(torch.nn.Module):\n"
        "    def forward(self, x, weight, a, b, scale, gate_w, gate_a, gate_b, up_w):\n"
        "        return x\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/kernels.py": code})
    messages = sorted(f.message for f in findings(tmp_path, "FUN005"))
    assert messages == ["LoRALayer.forward() takes 9 parameters", "rope_reference() takes 9 parameters"]


def test_fun005_skips_kernels_a_lazy_jit_registry_compiles(tmp_path: Path) -> None:
    """A decorator registering kernels the module hands to `numba.njit` on first use compiles them: their
    parameters are arrays passed one by one. Look-alike: a plain function beside them with as many is flagged."""
    code = (
        "_KERNELS = []\n\n\n"
        "def kernel(func):\n    _KERNELS.append(func)\n    return func\n\n\n"
        "def compile_all():\n    import numba\n\n    return [numba.njit(cache=True)(f) for f in _KERNELS]\n\n\n"
        "@kernel\ndef split_gain(X, y, w, order, start, stop, lam, out, buf):\n    pass\n\n\n"
        "def split_report(X, y, w, order, start, stop, lam, out, buf):\n    pass\n"
    )
    write_tree(tmp_path, {"trees/__init__.py": "", "trees/kernels.py": code})
    assert [f.message for f in findings(tmp_path, "FUN005")] == ["split_report() takes 9 parameters"]


CLI_COMMANDS = {
    "evalkit/__init__.py": "",
    "evalkit/run.py": (
        "def evaluate(model, tasks, batch_size=1, max_samples=None, output_dir='out', push=False, seed=0,\n"
        "             device='cuda', dtype='bfloat16'):\n"
        "    return model\n\n\n"
        "def run_tasks(model, tasks, batch_size, max_samples, output_dir, push, seed, device):\n"
        "    return evaluate(model, tasks, batch_size, max_samples, output_dir, push, seed, device)\n"
    ),
    "evalkit/__main__.py": (
        "import typer\n\nimport evalkit.run\n\napp = typer.Typer()\n"
        "app.command(rich_help_panel='Backends')(evalkit.run.evaluate)\n"
    ),
    "evalkit/export.py": (
        "import click\n\n\n"
        "@click.command()\n"
        "@click.option('--model')\n"
        "def export(model, fmt, out, shards, dtype, merge, push, token, private):\n"
        "    return model\n"
    ),
}


def test_fun005_skips_command_line_commands_but_not_the_helpers_they_call(tmp_path: Path) -> None:
    """A typer command registered by hand and a click command take their parameters as options by name; a helper
    called with eight positional arguments is still flagged."""
    write_tree(tmp_path, CLI_COMMANDS)
    assert [f.message for f in findings(tmp_path, "FUN005")] == ["run_tasks() takes 8 parameters"]


def test_fun005_counts_only_the_required_parameters_of_a_plotting_function(tmp_path: Path) -> None:
    """`plot_roc(y_true, y_probas, title=..., cmap=..., figsize=...)` takes styling keywords with defaults, as
    matplotlib does. Look-alikes: a plotting function requiring eight values, and a fitting function with eight
    defaulted parameters, are still hard to call."""
    styling = "title='ROC', ax=None, figsize=None, cmap='nipy_spectral', title_fontsize='large', text_fontsize='medium'"
    code = (
        f"def plot_roc(y_true, y_probas, {styling}):\n    pass\n\n\n"
        "def plot_grid(a, b, c, d, e, f, g, h):\n    pass\n\n\n"
        "def fit_curve(x, y, degree=3, lam=0.1, tol=1e-4, max_iter=100, weights=None, robust=False):\n    pass\n"
    )
    write_tree(tmp_path, {"metrics/__init__.py": "", "metrics/curves.py": code})
    assert sorted(f.message for f in findings(tmp_path, "FUN005")) == [
        "fit_curve() takes 8 parameters",
        "plot_grid() takes 8 required parameters",
    ]


def test_fun005_reports_overloaded_signatures_once_at_the_implementation(tmp_path: Path) -> None:
    """`@overload` signatures restate the implementation's parameters for the type checker. Look-alike: two
    functions of the same module with as many parameters are two findings."""
    params = "draws, tune, chains, cores, seed, progressbar, init, step"
    code = (
        "from typing import Literal, overload\n\n\n"
        f"@overload\ndef sample({params}, as_trace: Literal[True]) -> list: ...\n\n\n"
        f"@overload\ndef sample({params}, as_trace: Literal[False]) -> dict: ...\n\n\n"
        f"def sample({params}, as_trace=False):\n    return {{}}\n\n\n"
        f"def sample_smc({params}):\n    return {{}}\n"
    )
    write_tree(tmp_path, {"mcmc/__init__.py": "", "mcmc/sampling.py": code})
    assert [(f.line, f.message) for f in findings(tmp_path, "FUN005")] == [
        (12, "sample() takes 9 parameters"),
        (16, "sample_smc() takes 8 parameters"),
    ]
