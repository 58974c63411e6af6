"""Provides rule REP010: Hyperparameters hard-coded in code."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from mlaudit.facts.kind import is_demo_entry
from mlaudit.facts.randomness import is_code, listed, word_set
from mlaudit.model import Severity
from mlaudit.paths import pure_path
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.reproducibility._shared import (
    CONFIG_BUILDERS,
    CONFIG_CLASS,
    HYPERPARAMETERS,
    _last_name,
    _number,
    _target_name,
    in_candidate_list,
    in_test_parameters,
    is_config_module,
    is_none_test,
    is_typed_class,
    tests_parameter,
)

SEED_CALLS = word_set(
    "seed manual_seed manual_seed_all set_seed set_random_seed seed_everything set_global_seed set_manual_seed"
)


SEED_KEYS = frozenset({"seed", "random_seed", "random-seed"})


SKIPPED_DIRS = word_set("examples example docs doc")


@dataclass(frozen=True)
class Literal:
    """A hyperparameter-like name bound to a number in code, and what receives it (`FocalLoss`, `=`)."""

    name: str
    value: str
    path: str
    line: int
    target: str = ""
    in_main: bool = False  # under the module's `if __name__ == "__main__":`


def is_config_class(node: ast.ClassDef) -> bool:
    """Return True for a class that holds configuration (typed or not)."""
    return bool(CONFIG_CLASS.search(node.name)) or is_typed_class(node)


def hyperparameter_literals(pf: PythonFile) -> Iterator[Literal]:
    """Yield numeric literals bound to hyperparameter names outside config classes and parameter defaults.

    Zero and one (`dropout=0.0`, `batch_size=1`) switch something off rather than tune it, -1 means
    "no limit", "all" or "the last" (`max_steps=-1`, `max_depth=-1`, `num_layers=-1`), and
    model-registry variant functions (`@register_model`) define architectures, not runs; so do the
    layer, head and width sizes given inside a model builder (`build_sam_b()`, `create_encoder()`, `get_raft(version)`,
    or any function returning the model it constructs: `def vit_small(): return ViT(num_heads=6)`, or what a
    builder of the module constructs: `def cct_2(): return _cct(num_heads=2)`, `_cct` returning `CCT(...)`)
    or a constructor wiring sub-modules (`self.head = MLP(dim, dim, num_layers=2)`), and a value
    the enclosing class or function is named after (`class Trainer_2000epochs`: `num_epochs = 2000`);
    nor are values inside a parameter default (`norm_cfg=dict(type="BN", momentum=0.1)`: the caller
    overrides it) or in the branch taken when the caller passed nothing for a parameter (`if not optimizer_fn:
    optimizer = Adagrad(learning_rate=0.05)`: that parameter's default) or architecture sizes in a table of named variants (`arch_zoo = {"small": {"num_layers":
    8}, "base": {"num_layers": 12}}`: the published model family, as registered variants are), nor the settings
    of estimators a function returns as a list of candidates (`return [Tree(max_depth=1), Tree(max_depth=5)]`,
    a portfolio an AutoML search tries: the list is the table of variants).
    """
    found = (*_keyword_literals(pf), *_assigned_literals(pf), *_dict_literals(pf))
    for lit, node in found:
        if (
            _identity_value(lit.value)
            or in_test_parameters(pf, node)
            or _in_self_test(pf, node)
            or _in_registered_variant(pf, node)
            or _architecture_in_builder(pf, lit, node)
            or _named_variant(pf, lit, node)
            or _in_parameter_default(pf, node)
            or _in_fallback_for_parameter(pf, node)
            or _in_variant_table(pf, lit, node)
            or in_candidate_list(pf, node)
        ):
            continue
        yield replace(lit, in_main=pf.in_main_guard(node)) if pf.has_main_guard else lit
    generators = _generator_names(pf)
    for call in pf.nodes(ast.Call):
        value = _number(call.args[0]) if call.args else None
        if value is None or _last_name(call.func) not in SEED_CALLS or _in_self_test(pf, call):
            continue
        if not _seeds_own_generator(call, generators):
            yield Literal("seed", value, pf.path, call.lineno, "seed")


def _is_generator(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _last_name(node.func) == "Generator"


def _generator_names(pf: PythonFile) -> frozenset[str]:
    """Return the names the file binds to a new generator object (`g = torch.Generator()`)."""
    return frozenset(
        target.id
        for node in pf.nodes(ast.Assign)
        if isinstance(node, ast.Assign) and _is_generator(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    )


def _seeds_own_generator(call: ast.Call, generators: frozenset[str]) -> bool:
    """Return True for `torch.Generator().manual_seed(0)` (or `g.manual_seed(0)` on one): a generator object
    handed to one call (`random_split(ds, lengths, generator=g)`) fixes that draw, the torch spelling of
    `train_test_split(..., random_state=0)`, not the run's global seed."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    return _is_generator(owner) or (isinstance(owner, ast.Name) and owner.id in generators)


def _in_self_test(pf: PythonFile, node: ast.AST) -> bool:
    """Return True inside a test function a module carries (`def test():`, `def test_roundtrip():`, a private
    `def _test():` its main guard runs): its seed and sizes pin that test's data, not a run's settings."""
    func = pf.enclosing_function(node)
    while func is not None:
        name = func.name.lstrip("_")
        if name == "test" or name.startswith("test_"):
            return True
        func = pf.enclosing_function(func)
    return False


LITERALS_FACT = "reproducibility.hyperparameter_literals"  # a per-file fact (mlaudit.filefacts)


def file_literals(pf: PythonFile) -> tuple[Literal, ...]:
    """Return the file's hyperparameter literals (a per-file fact)."""
    return tuple(hyperparameter_literals(pf))


SEED_KEY_FACT = "reproducibility.names_seed"  # a per-file fact (mlaudit.filefacts)


def names_seed(pf: PythonFile) -> bool:
    """Return True when a string of the file names a seed setting (`"--seed"`, `"random_state"`)."""
    return any(isinstance(n.value, str) and n.value.lstrip("-") in SEED_KEYS for n in pf.nodes(ast.Constant))


def seed_exposed(project: Project) -> bool:
    """Return True when a CLI flag or a config file lets a run choose its seed."""
    for pf in project.python.values():
        if pf.file_fact(SEED_KEY_FACT, names_seed):
            return True
    return any(
        re.search(r"^\s*[\"']?(seed|random_seed|random_state)[\"']?\s*[:=]", text, re.M)
        for text in project.texts.values()
    )


SCHEMA_FIELDS = ("Field", "Column")  # `models.CharField(max_length=255)`, pydantic `Field(max_length=64)`


def _keyword_literals(pf: PythonFile) -> Iterator[tuple[Literal, ast.AST]]:
    """Yield hyperparameter keywords of calls, except those building a config object
    (`FastPitchConfig(batch_size=32, epochs=1000)`, `TrainingArguments(...)`, a config framework's builder:
    hydra-zen's `builds(Adam, lr=1e-3)` and `make_config(epochs=20)`, fiddle's `fdl.Partial`): that object is the
    run's one typed config, the place the fix asks for, not a literal scattered in code; and those
    declaring a schema field (`models.CharField(max_length=255)`, `Field(max_length=64)`): a column
    width or a validation bound, not a setting of a run; nor those filling a text template
    (`DOCSTRING.format(num_layers=50)`): words of a message or docstring, not a setting either; nor the
    `momentum` of a normalisation layer (`nn.BatchNorm2d(c, momentum=0.1)`): its running statistics' decay."""
    for kw in pf.nodes(ast.keyword):
        value = _number(kw.value)
        if kw.arg and kw.arg.lower() in HYPERPARAMETERS and value is not None:
            call = pf.parent(kw)
            target = _last_name(call.func) if isinstance(call, ast.Call) else ""
            if CONFIG_CLASS.search(target) or target.endswith(SCHEMA_FIELDS) or _fills_template(call):
                continue
            if isinstance(call, ast.Call) and pf.call_name(call) in CONFIG_BUILDERS:
                continue  # `builds(Adam, lr=1e-3)`: a config framework's config object, the run's central config
            if kw.arg.lower() == "momentum" and _normalisation(call, target):
                continue
            yield Literal(HYPERPARAMETERS[kw.arg.lower()], value, pf.path, kw.value.lineno, target), kw


# A normalisation layer (`BatchNorm2d`, `SyncBatchNorm`, Keras `BatchNormalization`, a `norm_layer` factory, the
# `type` of a norm config: "BN", "SyncBN"): its
# `momentum` is the decay of the running statistics, part of the architecture, not the optimiser's momentum.
NORM_LAYER = re.compile(r"(?i)norm(?:alization)?(?:[123]d)?$|^(?:sync)?bn(?:[123]d)?$|norm_layer$")


def _normalisation(call: ast.AST | None, target: str) -> bool:
    """Return True for a normalisation layer's call (`nn.BatchNorm2d(c)`) or config (`dict(type="SyncBN")`)."""
    if NORM_LAYER.search(target):
        return True
    kind = next((k.value for k in call.keywords if k.arg == "type"), None) if isinstance(call, ast.Call) else None
    return target == "dict" and isinstance(kind, ast.Constant) and NORM_LAYER.search(str(kind.value)) is not None


def _fills_template(call: ast.AST | None) -> bool:
    """Return True for a string template's `.format(...)` or `.format_map(...)` call (`"{lr}".format(lr=0.1)`)."""
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in TEMPLATE_METHODS


TEMPLATE_METHODS = frozenset({"format", "format_map"})


def _assigned_literals(pf: PythonFile) -> Iterator[tuple[Literal, ast.AST]]:
    assigns: list[ast.Assign | ast.AnnAssign] = [*pf.nodes(ast.Assign), *pf.nodes(ast.AnnAssign)]
    for node in assigns:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = _number(node.value)
        names = [n for n in (_target_name(t) for t in targets) if n and n.lower() in HYPERPARAMETERS]
        if (
            value is not None
            and names
            and not _in_config_class(pf, node)
            and not _overwritten_later(pf, node, names[0])
        ):
            yield Literal(HYPERPARAMETERS[names[0].lower()], value, pf.path, node.lineno, "="), node


def _overwritten_later(pf: PythonFile, node: ast.Assign | ast.AnnAssign, name: str) -> bool:
    """Return True when the function assigns `name` again after `node`: the literal is a default that input overrides.

    `num_layers = 2` followed by `num_layers = int(value)` while parsing an options string is a
    fallback, not the value a run uses.
    """
    func = pf.enclosing_function(node)
    if func is None:
        return False
    for other in ast.walk(func):
        if other is node or getattr(other, "lineno", 0) <= node.lineno:
            continue
        if not isinstance(other, ast.Assign | ast.AnnAssign) or other.value is None or _number(other.value) is not None:
            continue
        targets = other.targets if isinstance(other, ast.Assign) else [other.target]
        derived = any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(other.value))
        if not derived and any(_target_name(t) == name for t in targets):
            return True
    return False


def _dict_literals(pf: PythonFile) -> Iterator[tuple[Literal, ast.AST]]:
    for mapping in pf.nodes(ast.Dict):
        if isinstance(pf.parent(mapping), ast.arguments):  # a parameter default: `optimizer_params={"lr": 2e-5}`
            continue
        if _builds_config(pf, mapping):  # `TTSConfig(optimizer_params={"weight_decay": 0.01})`
            continue
        for key, item in zip(mapping.keys, mapping.values, strict=True):
            value = _number(item)
            if isinstance(key, ast.Constant) and str(key.value).lower() in HYPERPARAMETERS and value is not None:
                yield Literal(HYPERPARAMETERS[str(key.value).lower()], value, pf.path, item.lineno, "{}"), mapping


def _builds_config(pf: PythonFile, node: ast.AST) -> bool:
    """Return True when `node` is an argument (or a keyword's value) of a call building a config object."""
    parent = pf.parent(node)
    call = pf.parent(parent) if isinstance(parent, ast.keyword) else parent
    if not isinstance(call, ast.Call):
        return False
    return bool(CONFIG_CLASS.search(_last_name(call.func))) or pf.call_name(call) in CONFIG_BUILDERS


def _identity_value(value: str) -> bool:
    """Return True for 0 and 1 (off switches) and -1 (`max_steps=-1`, `num_layers=-1`: no limit, all or last)."""
    return eval_number(value) in (0, 1, -1)


ARCHITECTURE_SIZES = frozenset({"num_layers", "num_heads", "embedding_dim", "hidden_size"})
MODEL_BUILDER = re.compile(r"^_?(build|create|make|construct|get)_|_(model|encoder|decoder|backbone|net)$|^__init__$")


def _architecture_in_builder(pf: PythonFile, lit: Literal, node: ast.AST) -> bool:
    """Return True for a layer, head or width size given inside a function that builds a model, or a
    constructor (a module's `__init__` wiring its sub-modules: `MLP(dim, dim, num_layers=2)`)."""
    if HYPERPARAMETERS.get(lit.name, lit.name) not in ARCHITECTURE_SIZES:
        return False
    if _returned_construction(pf, node):
        return True
    func = pf.enclosing_function(node)
    while func is not None:
        if MODEL_BUILDER.search(func.name):
            return True
        func = pf.enclosing_function(func)
    return False


def _returned_construction(pf: PythonFile, node: ast.AST) -> bool:
    """Return True for a keyword of a class constructor the function returns (`def vit_small(): return
    VisionTransformer(depth=12, num_heads=6)`), or of a builder of the module that returns one (`def cct_2():
    return _cct(num_layers=2, num_heads=2)` where `_cct` ends in `return CCT(...)`): the function names one
    variant of the model family."""
    call = pf.parent(node)
    if not (isinstance(node, ast.keyword) and isinstance(call, ast.Call) and isinstance(pf.parent(call), ast.Return)):
        return False
    name = _last_name(call.func)
    return _class_name(name) or (isinstance(call.func, ast.Name) and _module_builder(pf, name))


def _class_name(name: str) -> bool:
    return name[:1].isupper() and not name.isupper()


def _module_builder(pf: PythonFile, name: str) -> bool:
    """Return True when the module defines a top-level function `name` that returns a class it constructs."""
    return any(
        isinstance(stmt, ast.FunctionDef)
        and stmt.name == name
        and any(
            # a class named by an acronym is one too: `return CCT(...)`, `return MLP(...)`
            isinstance(ret, ast.Return) and isinstance(ret.value, ast.Call) and _last_name(ret.value.func)[:1].isupper()
            for ret in ast.walk(stmt)
        )
        for stmt in pf.tree.body
    )


_DIGIT_RUN = re.compile(r"\d+")


def _named_variant(pf: PythonFile, lit: Literal, node: ast.AST) -> bool:
    """Return True when an enclosing class or function is named after the value
    (`class Trainer_2000epochs` sets `num_epochs = 2000`): the name documents it as that variant."""
    if not lit.value.isdigit():
        return False
    scope = pf.parent(node)
    while scope is not None:
        if isinstance(scope, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and lit.value in _DIGIT_RUN.findall(
            scope.name
        ):
            return True
        scope = pf.parent(scope)
    return False


def _in_parameter_default(pf: PythonFile, node: ast.AST) -> bool:
    """Return True inside a parameter's default value (`def __init__(self, norm_cfg=dict(momentum=0.1))`)."""
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.arguments):
            return True
        if isinstance(anc, ast.stmt):
            return False
    return False


def _in_fallback_for_parameter(pf: PythonFile, node: ast.AST) -> bool:
    """Return True inside the branch taken when the caller passed nothing for a parameter of an enclosing function
    (`if not optimizer_fn: optimizer = Adagrad(learning_rate=0.05)`, `if scheduler is None:`, also in a closure the
    function returns): the library's default for that parameter, which the caller overrides by passing one."""
    functions = [anc for anc in pf.ancestors(node) if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef)]
    params = {a.arg for func in functions for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
    child: ast.AST = node
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.If) and child in anc.body and is_none_test(anc.test):
            tested = next((name for name in params if tests_parameter(anc.test, name)), None)
            if tested is not None and _stands_in_for(anc, tested):
                return True
        child = anc
    return False


def _stands_in_for(branch: ast.If, name: str) -> bool:
    """Return True when a branch taken for a missing parameter builds what the caller would have passed: it
    rebinds the parameter (`if scheduler is None: scheduler = ...`) or its else branch uses the parameter (`else:
    optimizer = optimizer_fn()`); a flag's branch (`if not use_adagrad: return model.fit(...)`) does neither."""
    rebinds = any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for stmt in branch.body
        for n in ast.walk(stmt)
    )
    return rebinds or any(isinstance(n, ast.Name) and n.id == name for stmt in branch.orelse for n in ast.walk(stmt))


VARIANT_TABLE = 2  # sibling entries giving the same architecture size: a table of named model variants


def _in_variant_table(pf: PythonFile, lit: Literal, node: ast.AST) -> bool:
    """Return True for an architecture size in a module- or class-level table holding it for two or more
    variants (`{"small": {"num_layers": 8, ...}, "base": {"num_layers": 12, ...}}`)."""
    if HYPERPARAMETERS.get(lit.name, lit.name) not in ARCHITECTURE_SIZES or pf.enclosing_function(node) is not None:
        return False
    statement = next((anc for anc in pf.ancestors(node) if isinstance(anc, ast.stmt)), None)
    if not isinstance(statement, ast.Assign | ast.AnnAssign) or statement.value is None:
        return False
    entries = 0
    for inner in ast.walk(statement.value):
        keys: list[str] = []
        if isinstance(inner, ast.Dict):
            keys = [str(k.value) for k in inner.keys if isinstance(k, ast.Constant)]
        elif isinstance(inner, ast.Call) and _last_name(inner.func) == "dict":
            keys = [k.arg for k in inner.keywords if k.arg]
        entries += any(HYPERPARAMETERS.get(k.lower()) == lit.name for k in keys)
    return entries >= VARIANT_TABLE


def _in_registered_variant(pf: PythonFile, node: ast.AST) -> bool:
    """Return True inside a function registered by a decorator such as `@register_model`."""
    func = pf.enclosing_function(node)
    while func is not None:
        if any("register" in ast.unparse(d).lower() for d in func.decorator_list):
            return True
        func = pf.enclosing_function(func)
    return False


def _in_config_class(pf: PythonFile, node: ast.AST) -> bool:
    """Return True for a field of a config class, or a setting of a config scope: a function sacred runs to read
    its local names as the run's config (`@ex.config def cfg(): learning_rate = 3e-4`, `@ex.named_config`), every
    one of which the command line overrides (`with learning_rate=1e-3`)."""
    parent = pf.parent(node)
    if isinstance(parent, ast.ClassDef):
        return is_config_class(parent)
    if not (isinstance(parent, ast.FunctionDef) and any(m.split(".", 1)[0] == "sacred" for m in pf.imported_modules)):
        return False
    return any(isinstance(d, ast.Attribute) and d.attr in CONFIG_SCOPES for d in parent.decorator_list)


# sacred's decorators turning a function's local names into a run's config (`@ex.config`, `@ingredient.config`)
CONFIG_SCOPES = frozenset({"config", "named_config"})


def literal_scope(pf: PythonFile) -> bool:
    """Return True for files whose hyperparameter literals are judged (not tests, configs or examples)."""
    parts = pure_path(pf.path).parts[:-1]
    return is_code(pf) and not is_config_module(pf.path) and not any(p in SKIPPED_DIRS for p in parts)


@register
class HardcodedHyperparameters(Rule):
    """Flags hyperparameters hard-coded as literals in training and inference code.

    ## What it does
    Finds numbers bound to hyperparameter names (`lr`, `learning_rate`, `batch_size`, `epochs`,
    `max_length`, `top_k`, `dropout`, `weight_decay`, `n_estimators`, `max_depth`, ...) as keyword
    arguments, assignments or dict entries, outside config classes, calls building a config
    object (`TTSConfig(batch_size=32)`, `TrainingArguments(...)`), schema fields
    (`models.CharField(max_length=255)`, pydantic `Field(max_length=64)`), the `momentum` of a normalisation
    layer (`nn.BatchNorm2d(c, momentum=0.1)`: the decay of its running statistics, architecture rather than the
    optimiser's momentum), config modules (`config.py`, `params.py`, `parameters.py`, `configs/`, a model's
    `hyperparameters/` folder of defaults), parameter
    defaults, argparse defaults, locals that the function later overwrites from input (defaults
    of an options parser), model-registry variant functions (`@register_model`) and tests;
    0 and 1 (`dropout=0.0`, `batch_size=1`) are off switches and -1 (`max_steps=-1`, `max_depth=-1`)
    means no limit, not tuned values. The same value
    passed to the same callee (or assigned) in several files is a warning, so a focal loss's
    `gamma` and a booster's `gamma` are not grouped; the rest of a file's literals are summed up
    in one info. A seed fixed in code (`torch.manual_seed(42)`) counts too, unless a CLI flag
    (`--seed`) or a config key lets a run choose it; a seed given to a generator object of its own
    (`random_split(ds, lengths, generator=torch.Generator().manual_seed(0))`) fixes one draw, as
    `random_state=0` does, and is not counted. Values inside a function that hands parameters to
    the test suite (`get_test_params()`, small instances for tests) or inside a test function a module carries
    (`def test(): torch.manual_seed(1234)`) are fixtures, not settings, and values in the `__main__` block of a
    published library's module that only demos it on tensors it makes (`model = ViT(dropout=0.1); print(model(
    torch.randn(2, 3, 224, 224)).shape)`) document its API, as an example does.

    ## Why is this bad?
    A result cannot be reproduced or compared when its settings are scattered literals: changing
    the learning rate means editing three scripts, and nothing records which value a run used.

    ## Example
    ```python
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    loader = DataLoader(ds, batch_size=32)
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class TrainConfig:
        lr: float = 3e-4
        batch_size: int = 32

    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
    ```
    """

    code = "REP010"
    title = "Hyperparameters hard-coded in code"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Move the values into one typed config (a frozen dataclass loaded from YAML) and pass it in."

    def check(self, project: Project) -> Iterator[Output]:
        literals = [
            lit
            for pf in project.python.values()
            if literal_scope(pf)
            for lit in pf.file_fact(LITERALS_FACT, file_literals)
        ]
        if seed_exposed(project):
            literals = [lit for lit in literals if lit.name != "seed"]
        # a library module's main block that demos it on tensors it makes documents the API, as an example does
        demos = {lit.path for lit in literals if lit.in_main and is_demo_entry(project, lit.path)}
        literals = [lit for lit in literals if not (lit.in_main and lit.path in demos)]
        notebooks = {pf.path for pf in project.python.values() if pf.is_notebook}
        repeated: set[Literal] = set()
        for (name, value, _), found in sorted(_groups(literals).items()):
            files = sorted({lit.path for lit in found if lit.path not in notebooks})
            if len(files) >= 2:
                repeated.update(found)
                yield Hit(
                    found[0].path,
                    found[0].line,
                    f"{name}={value} hard-coded in {len(files)} files: {listed(files, 4)}",
                    fix=f"Define {name}: {type(eval_number(value)).__name__} = {value} once in a config dataclass.",
                )
        yield from _single_literals([lit for lit in literals if lit not in repeated])


def _groups(literals: list[Literal]) -> dict[tuple[str, str, str], list[Literal]]:
    """Group equal name=value literals by the callee that receives them.

    When one name=value goes to several different callees (a focal loss's `gamma` and a
    booster's `gamma`), each callee is its own group; otherwise assignments and dict entries
    join the single callee's group.
    """
    callees: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lit in literals:
        if lit.target not in ("=", "{}"):
            callees[(lit.name, lit.value)].add(lit.target)
    groups: dict[tuple[str, str, str], list[Literal]] = defaultdict(list)
    for lit in literals:
        split = len(callees[(lit.name, lit.value)]) > 1
        groups[(lit.name, lit.value, lit.target if split else "")].append(lit)
    return groups


def eval_number(text: str) -> float | int:
    """Return the number a literal's repr stands for."""
    return float(text) if any(c in text for c in ".eEn") else int(text)


def _single_literals(literals: list[Literal]) -> Iterator[Hit]:
    by_file: dict[str, list[Literal]] = defaultdict(list)
    for lit in literals:
        by_file[lit.path].append(lit)
    for path, found in sorted(by_file.items()):
        found.sort(key=lambda lit: lit.line)
        names = [f"{lit.name}={lit.value}" for lit in found]
        fields = "; ".join(f"{lit.name}: {type(eval_number(lit.value)).__name__} = {lit.value}" for lit in found[:4])
        yield Hit(
            path,
            found[0].line,
            f"Hyperparameters hard-coded in {path}: {listed(names, 4)}",
            severity=Severity.INFO,
            fix=f"Move them into a config dataclass: @dataclass(frozen=True) class TrainConfig: {fields}",
        )
