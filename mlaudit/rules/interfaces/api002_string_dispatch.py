"""Provides rule API002: String dispatch instead of a registry."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.kind import is_example
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.interfaces._shared import CODE_KINDS, _base_name


@dataclass(frozen=True)
class Dispatch:
    """A chain of string comparisons on one subject that builds different components."""

    subject: str
    values: tuple[str, ...]
    line: int
    factory: str = ""  # the factory function the chain is the body of (`create_scheduler`), if any


def _string_test(test: ast.expr) -> tuple[str, str] | None:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Constant):
        left, right = right, left
    if isinstance(right, ast.Constant) and isinstance(right.value, str) and isinstance(left, ast.Name | ast.Attribute):
        return ast.unparse(left), right.value
    return None


# a snake_case word after an underscore (`LR_SE_calc`, `AUC_score`): a function named after an acronym, not a class
FUNCTION_WORD = re.compile(r"_[a-z]")


def _class_name(name: str) -> bool:
    """Return True for a CapWords class name (`ResNet`, `SVC`, `Conv2d_BN`), not a function that starts with an
    acronym (`LR_SE_calc`)."""
    return name[:1].isupper() and FUNCTION_WORD.search(name) is None


def _built_class(body: list[ast.stmt]) -> str | None:
    """Return what a branch builds and returns or binds (`return ResNet(...)`, `model = Bert(...)`), if anything:
    the class with the classes built in its arguments (`Sequential(AttentionPool2d, SiLU)`). A call of a function
    named from an acronym (`SE = LR_SE_calc(...)`) computes a value: it builds no component."""
    for stmt in body:
        value = stmt.value if isinstance(stmt, ast.Return | ast.Assign) else None
        if isinstance(value, ast.Call) and _class_name(_base_name(value.func)):
            inner = {
                _base_name(node.func)
                for arg in (*value.args, *(k.value for k in value.keywords))
                for node in ast.walk(arg)
                if isinstance(node, ast.Call) and _class_name(_base_name(node.func))
            }
            return f"{_base_name(value.func)}({', '.join(sorted(inner))})"
    return None


def _picks_components(built: list[str | None]) -> bool:
    """Return True when two or more branches build a component and they build different ones: branches that all
    return the same class from values alone (`IntegerOutput(value=a + b)`, `IntegerOutput(value=a - b)`) compute
    a value, they choose no component; a container of different layers (`nn.Sequential(...)`) is one."""
    classes = [name for name in built if name is not None]
    return len(classes) >= 2 and len(set(classes)) >= 2


def if_dispatch(pf: PythonFile, node: ast.If) -> Dispatch | None:
    """Return the dispatch an if/elif chain starting at `node` performs, if it is one."""
    head = _string_test(node.test)
    parent = pf.parent(node)
    if head is None or (isinstance(parent, ast.If) and parent.orelse == [node] and _string_test(parent.test)):
        return None
    values: list[str] = []
    built: list[str | None] = []
    current = node
    while True:
        test = _string_test(current.test)
        if test is None or test[0] != head[0]:
            break
        values.append(test[1])
        built.append(_built_class(current.body))
        if len(current.orelse) != 1 or not isinstance(current.orelse[0], ast.If):
            break
        current = current.orelse[0]
    if len(values) >= 3 and _picks_components(built) and not _picks_hardware(values):
        return Dispatch(head[0], tuple(values), node.lineno, _factory(pf, node))
    return None


# accelerator kinds as torch and its vendor plug-ins name them (`torch.device("npu")`)
DEVICE_KINDS = frozenset({"cpu", "cuda", "gpu", "npu", "mlu", "mps", "xpu", "ipu", "hpu", "tpu", "xla", "musa"})


def _picks_hardware(values: list[str]) -> bool:
    """Return True when the compared strings are device kinds but one at most (`if device == 'npu': NPUDataParallel
    ... elif device == 'mlu': MLUDataParallel`): the chain adapts to the hardware a run has, it picks no component."""
    return sum(value.lower() in DEVICE_KINDS for value in values) >= len(values) - 1


FACTORY_PREFIXES = ("create_", "build_", "make_", "get_", "load_", "instantiate")


def _factory(pf: PythonFile, node: ast.AST) -> str:
    """Return the name of the factory function a dispatch sits in: named for building (`create_scheduler`,
    `build_model`, `reader_factory`) and returning what it builds. Empty elsewhere (a model's `__init__`, a loop)."""
    func = pf.enclosing_function(node)
    if func is None:
        return ""
    name = func.name.lstrip("_")
    if not (name.startswith(FACTORY_PREFIXES) or "factory" in name):
        return ""
    returns = (n for n in ast.walk(func) if isinstance(n, ast.Return) and n.value is not None)
    owned = (n for n in returns if pf.enclosing_function(n) is func)
    return func.name if any(True for _ in owned) else ""


def _assigns_from_call(body: list[ast.stmt]) -> bool:
    return any(isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) for stmt in body)


def flag_dispatch(pf: PythonFile, node: ast.If) -> Dispatch | None:
    """Return the dispatch of an `if pt: ... elif onnx: ... elif engine: ...` chain over boolean flags."""
    parent = pf.parent(node)
    if not isinstance(node.test, ast.Name):
        return None
    if isinstance(parent, ast.If) and parent.orelse == [node] and isinstance(parent.test, ast.Name):
        return None
    flags: list[str] = []
    builders, current = 0, node
    while isinstance(current.test, ast.Name) and current.test.id not in flags:
        flags.append(current.test.id)
        builders += _assigns_from_call(current.body)
        if len(current.orelse) != 1 or not isinstance(current.orelse[0], ast.If):
            break
        current = current.orelse[0]
    if len(flags) >= FLAG_CHAIN and builders >= FLAG_CHAIN - 1:
        return Dispatch(", ".join(flags[:4]) + (", ..." if len(flags) > 4 else ""), tuple(flags), node.lineno)
    return None


FLAG_CHAIN = 4


def match_dispatch(pf: PythonFile, node: ast.Match) -> Dispatch | None:
    """Return the dispatch a `match` on strings performs, if it builds components."""
    values = [
        c.pattern.value.value
        for c in node.cases
        if isinstance(c.pattern, ast.MatchValue)
        and isinstance(c.pattern.value, ast.Constant)
        and isinstance(c.pattern.value.value, str)
    ]
    if (
        len(values) >= 3
        and _picks_components([_built_class(c.body) for c in node.cases])
        and not _picks_hardware(values)
    ):
        return Dispatch(ast.unparse(node.subject), tuple(values), node.lineno, _factory(pf, node))
    return None


DISPATCH_FACT = "interfaces.dispatch"  # a per-file fact (mlaudit.filefacts)


def file_dispatches(pf: PythonFile) -> tuple[tuple[Dispatch, ...], tuple[Dispatch, ...]]:
    """Return a file's string dispatches (if/elif chains, then match statements) and its flag chains."""
    strings = [if_dispatch(pf, n) for n in pf.nodes(ast.If)] + [match_dispatch(pf, m) for m in pf.nodes(ast.Match)]
    flags = [flag_dispatch(pf, n) for n in pf.nodes(ast.If)]
    return tuple(d for d in strings if d is not None), tuple(f for f in flags if f is not None)


@register
class StringDispatch(Rule):
    """Flags if/elif chains (or `match`) on string names that build different components.

    ## What it does
    Finds three or more branches comparing the same name to string constants
    (`if model_type == "rf": ... elif model_type == "xgb": ...`) where the branches construct
    different classes (not when the strings are device kinds, `'cuda'`, `'npu'`, `'mlu'`: that chain adapts to
    the hardware; a function named from an acronym, `LR_SE_calc(...)`, computes a value and is no class), and chains of four or more branches over boolean flags
    (`if pt: ... elif onnx: ... elif engine: ...`) whose branches each load or build something.
    A string chain inside a factory function (named `create_`/`build_`/`make_`/`get_`/`load_...` or
    `..._factory`, returning what it builds) is a note when it is the only copy of that chain: the
    names are mapped to components in one place, which is what a registry is for, and a dict of
    builders would only spare edits to it. A chain copied into several functions stays a warning.
    A string chain in an example, tutorial, demo or docs file is a note too: it shows the reader which
    components the project offers (`if args.algorithm == "allreduce": ...`), it is not the project's interface.

    ## Why is this bad?
    Every new component means editing the chain (often copied in several places); a typo in the
    name fails late; and the branches hide that the components share an interface.

    ## Example
    ```python
    if name == "rf":
        model = RandomForestClassifier()
    elif name == "xgb":
        model = XGBClassifier()
    elif name == "mlp":
        model = MLP()
    ```

    ## Use instead
    ```python
    BUILDERS: dict[str, Callable[[ModelConfig], Classifier]] = {"rf": build_rf, "xgb": build_xgb, "mlp": build_mlp}
    model = BUILDERS[cfg.kind](cfg)
    ```
    """

    code = "API002"
    title = "String dispatch instead of a registry"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Map names to builders in a dict registry typed against a shared Protocol, and look the name up once."

    def check(self, project: Project) -> Iterator[Output]:
        files = [
            (pf, pf.file_fact(DISPATCH_FACT, file_dispatches))
            for pf in project.python.values()
            if pf.kind in CODE_KINDS
        ]
        chains = Counter((d.subject, d.values) for _, (found, _) in files for d in found)
        for pf, (found, flag_chains) in files:
            for dispatch in found:
                values = ", ".join(repr(v) for v in dispatch.values[:4])
                what = f"{dispatch.subject} compared to {len(dispatch.values)} strings ({values}) to pick a component"
                # a factory maps the names in one place, what a registry is for; a chain copied elsewhere does not
                factory = dispatch.factory and chains[(dispatch.subject, dispatch.values)] == 1
                if factory:
                    what += f" in factory {dispatch.factory}() (a name-to-builder mapping would close it to edits)"
                teaching = is_example(pf.path)  # an example shows the reader the components on offer
                if teaching and not factory:
                    what += " in an example (it shows the reader the components on offer)"
                yield Hit(pf.path, dispatch.line, what, severity=Severity.INFO if factory or teaching else None)
            for flags in flag_chains:
                yield Hit(
                    pf.path,
                    flags.line,
                    f"if/elif chain over {len(flags.values)} flags ({flags.subject}) picks a backend",
                )
