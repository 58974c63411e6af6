"""Tests of rule API002 (`mlaudit/rules/interfaces/api002_string_dispatch.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.interfaces._helpers import SMALL_REPO, _padded


def test_api002_if_chain_on_strings_building_components(tmp_path: Path) -> None:
    code = (
        "def build(name):\n    if name == 'rf':\n        return RandomForest()\n    elif name == 'xgb':\n"
        "        return XGB()\n    elif name == 'mlp':\n        return MLP()\n    raise ValueError(name)\n"
    )
    write_tree(tmp_path, {"factory.py": code})
    [hit] = findings(tmp_path, "API002", **SMALL_REPO)
    assert hit.line == 2 and "name compared to 3 strings ('rf', 'xgb', 'mlp')" in hit.message


def test_api002_silent_on_non_component_branches_and_two_branches(tmp_path: Path) -> None:
    code = (
        "def level(mode):\n    if mode == 'debug':\n        return 10\n    elif mode == 'info':\n        return 20\n"
        "    elif mode == 'warn':\n        return 30\n    return 40\n\n\n"
        "def pick(name):\n    if name == 'a':\n        return A()\n    elif name == 'b':\n        return B()\n"
    )
    write_tree(tmp_path, {"modes.py": code})
    assert findings(tmp_path, "API002", **SMALL_REPO) == []


def test_api002_flag_chain_that_loads_backends(tmp_path: Path) -> None:
    backend = (
        "import onnxruntime\nimport torch\n\n\n"
        "class Backend:\n"
        "    def __init__(self, path, pt, jit, onnx, engine):\n"
        "        if pt:\n            self.model = torch.load(path, weights_only=True)\n"
        "        elif jit:\n            self.model = torch.jit.load(path)\n"
        "        elif onnx:\n            self.session = onnxruntime.InferenceSession(path)\n"
        "        elif engine:\n            self.engine = build_engine(path)\n"
        "        else:\n            raise ValueError(path)\n\n\n"
        "def describe(verbose, debug):\n"
        "    if verbose:\n        level = 1\n    elif debug:\n        level = 2\n    else:\n        level = 0\n"
        "    return level\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/backend.py": _padded(backend)})
    [hit] = findings(tmp_path, "API002")
    assert hit.line == 7 and "4 flags (pt, jit, onnx, engine)" in hit.message


def test_api002_a_factory_holding_the_only_copy_of_a_chain_is_a_note(tmp_path: Path) -> None:
    chain = (
        "    if kind == 'cosine':\n        sched = Cosine(opt)\n    elif kind == 'step':\n        sched = Step(opt)\n"
        "    elif kind == 'plateau':\n        sched = Plateau(opt)\n    else:\n        raise ValueError(kind)\n"
    )
    factory = "def create_scheduler(kind, opt):\n" + chain + "    return sched\n"
    copied = "".join(f"def get_{split}_scheduler(kind, opt):\n" + chain + "    return sched\n\n\n" for split in "ab")
    model = "class Net:\n    def __init__(self, kind, opt):\n" + chain.replace("    ", "        ").replace(
        "sched =", "self.sched ="
    )
    for name, files in (("one", {"sched/factory.py": factory}), ("two", {"sched/copies.py": copied})):
        write_tree(tmp_path / name, files)
    write_tree(tmp_path / "net", {"sched/net.py": model})
    assert [h.severity.value for h in findings(tmp_path / "one", "API002", **SMALL_REPO)] == ["info"]
    assert [h.severity.value for h in findings(tmp_path / "two", "API002", **SMALL_REPO)] == ["warning", "warning"]
    assert [h.severity.value for h in findings(tmp_path / "net", "API002", **SMALL_REPO)] == ["warning"]


def test_api002_branches_returning_one_result_class_compute_a_value_not_a_component(tmp_path: Path) -> None:
    # every branch wraps a different arithmetic result in the same output class; the builder picks a model class
    node = (
        "class IntOutput:\n    def __init__(self, value):\n        self.value = value\n\n\n"
        "def apply(op, a, b):\n"
        "    if op == 'ADD':\n        return IntOutput(value=a + b)\n"
        "    elif op == 'SUB':\n        return IntOutput(value=a - b)\n"
        "    elif op == 'MUL':\n        return IntOutput(value=a * b)\n"
        "    return IntOutput(value=max(a, b))\n\n\n"
        "def pick(kind, dim):\n"
        "    if kind == 'mlp':\n        net = MLP(dim)\n"
        "    elif kind == 'cnn':\n        net = ConvNet(dim)\n"
        "    elif kind == 'rnn':\n        net = GRUNet(dim)\n"
        "    return net\n\n\n"
        "def head(pool, ch):\n"
        "    if pool == 'adaptive':\n        return Sequential(AdaptiveAvgPool2d(1), Flatten())\n"
        "    elif pool == 'attention':\n        return Sequential(AttentionPool2d(ch))\n"
        "    elif pool == 'spatial':\n        return Sequential(Linear(ch, 2048), ReLU())\n"
        "    raise ValueError(pool)\n"
    )
    write_tree(tmp_path, {"calc/__init__.py": "", "calc/nodes.py": node})
    # one container class holding different layers in each branch still picks a component
    assert [h.line for h in findings(tmp_path, "API002", **SMALL_REPO)] == [17, 27]


WRAPPER = """from lab.parallel import {a}, {b}, {c}


def wrap_model(model, {subject}):
    if {subject} == '{x}':
        model = {a}(model)
    elif {subject} == '{y}':
        model = {b}(model)
    elif {subject} == '{z}':
        model = {c}(model)
    return model
"""


def test_api002_silent_on_a_chain_over_device_kinds(tmp_path: Path) -> None:
    """Wrapping a model for the accelerator a run has (`'npu'`, `'mlu'`, `'cuda'`) adapts to the hardware; the same
    chain over component names picks a component."""
    names = {"a": "NPUDataParallel", "b": "MLUDataParallel", "c": "CUDADataParallel"}
    devices = WRAPPER.format(subject="device", x="npu", y="mlu", z="cuda", **names)
    write_tree(tmp_path / "a", {"lab/__init__.py": "", "lab/dist.py": devices})
    assert findings(tmp_path / "a", "API002", **SMALL_REPO) == []
    heads = WRAPPER.format(subject="head", x="linear", y="mlp", z="attention", a="Linear", b="MLP", c="Attention")
    write_tree(tmp_path / "b", {"lab/__init__.py": "", "lab/dist.py": heads})
    assert len(findings(tmp_path / "b", "API002", **SMALL_REPO)) == 1


def test_api002_branches_calling_formulas_named_from_acronyms_pick_no_component(tmp_path: Path) -> None:
    code = (
        "def interval(param, tp, fp, fn, tn):\n"
        "    if param == 'PLR':\n        se = LR_SE_calc(tp, fp)\n"
        "    elif param == 'NLR':\n        se = LR_SE_calc(fn, tn)\n"
        "    elif param == 'AUC':\n        se = AUC_SE_calc(tp, tn)\n"
        "    else:\n        se = SE_calc(tp, fn)\n"
        "    return se\n"
    )
    write_tree(tmp_path, {"stats.py": code})
    assert findings(tmp_path, "API002", **SMALL_REPO) == []
    # Look-alike: the same chain building classes named in capitals picks components
    classes = (
        code.replace("LR_SE_calc", "LRInterval").replace("AUC_SE_calc", "AUCInterval").replace("SE_calc", "SEInterval")
    )
    write_tree(tmp_path, {"stats.py": classes})
    [hit] = findings(tmp_path, "API002", **SMALL_REPO)
    assert "param compared to 3 strings ('PLR', 'NLR', 'AUC')" in hit.message


def test_api002_a_chain_in_an_example_script_is_a_note(tmp_path: Path) -> None:
    # an example shows the reader which components the project offers; the same chain in the package is a warning
    chain = (
        "def main(args, params):\n"
        "    if args.algorithm == 'allreduce':\n        algo = AllReduce()\n"
        "    elif args.algorithm == 'decentralized':\n        algo = Decentralized()\n"
        "    elif args.algorithm == 'bytegrad':\n        algo = ByteGrad()\n"
        "    else:\n        raise ValueError(args.algorithm)\n"
        "    return algo.run(params)\n"
    )
    write_tree(tmp_path, {"examples/mnist/main.py": chain, "meshkit/__init__.py": "", "meshkit/launch.py": chain})
    hits = sorted((h.path, h.severity.value) for h in findings(tmp_path, "API002", **SMALL_REPO))
    assert hits == [("examples/mnist/main.py", "info"), ("meshkit/launch.py", "warning")]
