"""Provides rule API003: Big untyped dict passed around."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from mlaudit.facts.assertions import local_helper_name
from mlaudit.model import Severity
from mlaudit.project import FunctionNode, Project, PythonFile, is_self_attribute
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.interfaces._shared import (
    CODE_KINDS,
    NEUTRAL_BASES,
    ClassInfo,
    _base_name,
    ancestors,
    classes_of,
)

UNTYPED_DICT_HINTS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "Any"})


TABLE_LIKE = frozenset(
    [
        "state_dict",
        "checkpoint",
        "ckpt",
        "param_group",
        "group",
        "df",
        "data",
        "frame",
        "dataframe",
        "row",
        "rows",
        "batch",
        "sample",
        "samples",
        "example",
        "examples",
        "record",
        "records",
        "doc",
        "docs",
        "document",
        "instance",
        "entry",
        "datum",
        "data_point",
        "datapoint",
        "x",
        "features",
        "obj",
        "series",
        "table",
        "train",
        "test",
        "val",
        "valid",
        "sub",
        "submission",
        "item",
        "items",
        "group",
    ]
)


# Head nouns of data passed as dicts by design: batches and rows, model inputs and outputs, the ground truth
# a loss or detector compares them with (`target["bbox"]`, `gt_annotations`), metric results, checkpoint
# states (`windows_batch`, `model_inputs`, `eval_results`), typed or not, and another call's keyword
# arguments (`kwargs` of a forward hook, `generate_kwargs`): their keys are that call's parameters, typed
# where it is defined.
DATA_HEADS = frozenset(
    {"batch", "sample", "samples", "row", "rows", "record", "records", "example", "examples", "data"}
    | {"inputs", "outputs", "state", "results", "metrics", "scores", "features", "entry", "checkpoint"}
    | {"target", "targets", "annotation", "annotations", "gt"}
    | {"kwargs"}
)


# Head nouns of an unannotated parameter that names a table, whatever it holds (`train_df`, `eval_dataframe`).
TABLE_HEADS = frozenset({"df", "dataframe", "frame"})


# Tensors by parameter name (`state_dict["visual.conv1.weight"]`): a model's weights, never a record to type.
WEIGHT_MAPPINGS = ("state_dict", "ckpt")


def _dict_param(func: FunctionNode, name: str) -> bool:
    """Return True for a parameter typed as a plain dict, or unannotated and not named like a table/row;
    a parameter whose head noun names data passed as a dict by design (a batch, model inputs, their targets,
    metric results, a checkpoint state) is never one."""
    lowered = name.lower()
    head = lowered.rsplit("_", 1)[-1]
    if head in DATA_HEADS or lowered.endswith(WEIGHT_MAPPINGS):
        return False
    for arg in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]:
        if arg.arg == name:
            if arg.annotation is not None:
                return _base_name(arg.annotation) in UNTYPED_DICT_HINTS
            return lowered not in TABLE_LIKE and not lowered.startswith(("df", "data")) and head not in TABLE_HEADS
    return False


def _key_lookup(node: ast.Subscript | ast.Call) -> tuple[str, str] | None:
    if isinstance(node, ast.Subscript):
        if not isinstance(node.ctx, ast.Load):
            return None
        target, key = node.value, node.slice
    elif isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        target, key = node.func.value, node.args[0]
    else:
        return None
    if isinstance(target, ast.Name) and isinstance(key, ast.Constant) and isinstance(key.value, str):
        return target.id, key.value
    return None


# Methods of a dataset that call a function on each of its rows or batches (`ds.map(fn, batched=True)`).
ROW_MAPPING_METHODS = frozenset({"map", "filter", "map_batches", "set_transform", "with_transform"})


def _row_mappers(pf: PythonFile) -> frozenset[str]:
    """Return the names of the file's functions handed to a dataset's `.map(fn)`/`.filter(fn)` as its only
    positional argument (itself or called by a lambda): each call receives one row or batch of that dataset,
    keyed by its columns, and returns one of the mapped dataset. A
    `pool.map(fn, jobs)` names the items as a second argument and is not one."""
    names: set[str] = set()
    for call in pf.nodes(ast.Call):
        if not isinstance(call.func, ast.Attribute) or call.func.attr not in ROW_MAPPING_METHODS:
            continue
        given = [*call.args[:1], *(k.value for k in call.keywords if k.arg == "function")]
        if len(call.args) > 1:
            continue
        for given_arg in given:
            arg = given_arg
            if isinstance(arg, ast.Lambda) and isinstance(arg.body, ast.Call):
                arg = arg.body.func  # `ds.map(lambda x: encode(x, tokenizer))`
            if isinstance(arg, ast.Name):
                names.add(arg.id)
            elif isinstance(arg, ast.Attribute):
                names.add(arg.attr)
    return frozenset(names)


DICT_USES_FACT = "interfaces.dict_uses"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class DictParameter:
    """An untyped-dict parameter of a function and the distinct string keys looked up on it (sorted)."""

    function: str
    line: int  # the function's `def` line
    owner: str | None  # the class the function is a method of
    parameter: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class DictReturn:
    """A `return {...}` of a dict literal in a function without a precise return type whose result is not
    consumed at once by another call; `property_bases` are the base names of its class when it is a `@property`
    of a class with bases (else None)."""

    function: str
    line: int  # the function's `def` line
    return_line: int
    keys: tuple[str, ...]  # the literal's string keys, in order
    property_bases: tuple[str, ...] | None
    owner: str | None = None  # the class the function is a method of


@dataclass(frozen=True)
class DictUses:
    """What API003 judges in one file: untyped-dict parameters with their keys, and dict literal returns."""

    parameters: tuple[DictParameter, ...]
    returns: tuple[DictReturn, ...]


def dict_uses(pf: PythonFile) -> DictUses:
    """Return the untyped-dict parameters and the dict literal returns of a file (a per-file fact)."""
    parameters = tuple(
        DictParameter(func.name, func.lineno, _owner_name(pf, func), param, tuple(sorted(keys)))
        for (func, param), keys in dict_parameter_keys(pf).items()
    )
    return DictUses(parameters, _dict_returns(pf))


def _owner_name(pf: PythonFile, func: FunctionNode) -> str | None:
    owner = pf.parent(func)
    return owner.name if isinstance(owner, ast.ClassDef) else None


def dict_parameter_keys(pf: PythonFile) -> dict[tuple[FunctionNode, str], set[str]]:
    """Map (function, parameter) to the string keys looked up on that untyped-dict parameter."""
    keys: dict[tuple[FunctionNode, str], set[str]] = defaultdict(set)
    mappers = _row_mappers(pf)
    lookups: list[ast.Subscript | ast.Call] = [*pf.nodes(ast.Subscript), *pf.nodes(ast.Call)]
    for node in lookups:
        found = _key_lookup(node)
        if found is None:
            continue
        func = pf.enclosing_function(node)
        if func is not None and func.name not in mappers and _dict_param(func, found[0]):
            keys[(func, found[0])].add(found[1])
    return keys


@register
class UntypedDictParameter(Rule):
    """Flags functions that read many string keys from an untyped dict parameter, or return one.

    ## What it does
    Counts the distinct string keys looked up (`cfg["lr"]`, `cfg.get("epochs")`) on one parameter
    that is unannotated or annotated as a plain `dict`; five or more is a finding. Data that ML code
    passes as dicts by design is left alone: a parameter named for a batch, row, sample, model
    inputs or outputs, the ground truth they are compared with (a detector's `target["bbox"]`, `gt_annotations`),
    metric results, a checkpoint state or a model's weights (`batch`,
    `model_inputs`, `eval_results`, `state_dict: dict`, whatever its annotation; an unannotated `train_df`), another
    call's keyword arguments (`kwargs` of a forward hook, `generate_kwargs`), and the serial form a
    deserialiser or parser reads back (`from_dict(d)`, `config_from_json(raw)`, `deserialize(payload)`,
    `parse_space(sample)`, pickle's `__setstate__(state)`: the boundary where a dict becomes typed objects), a function handed to a
    dataset's `.map(fn)`/`.filter(fn)` (it receives one row or batch, keyed by the dataset's columns),
    and an environment read by
    variable names (`env["AWS_REGION"]`: every key an upper-case variable name), a command line parsed into a
    dict (docopt's `args["--file"]`, `args["<path>"]`: keys spelled as options or arguments), and a JSON Schema
    document walked by its keywords (`schema["$ref"]`, `schema.get("properties")`, `schema["anyOf"]`: every key a
    keyword of the standard, two or more only a schema has), and a dict read by keys half or more of which no field
    could bear (a DICOM header's tags `metadata["00200032"]`, logged metric paths `info["critic/loss"]`: a mapping of
    outside names, as for returns below). A function
    without a precise return type that returns a dict literal with five or more string keys is
    one too (serialisation methods such as `to_dict`, `serialize`, `get_config_dict`, `state_dict` and a `get_state` whose
    class reads it back with `set_state` are exempt, as is a method returning its class's constructor arguments
    (every key a parameter of `__init__`: the object's serial form, as a Keras layer's `config`), as are search spaces returning `trial.suggest_*(...)`
    values, an estimator's keyword arguments, functions named for the arguments they build for another call
    (`get_init_args`, `construct_inputs_qei`, `trainer_kwargs`: that call's parameters, typed where it is defined), and
    functions whose result always goes straight into a dataclass or registry call or that a registration decorator
    hands to a registry (`@extensions.register("text_stats")`), and
    `@property` hooks whose shape a framework base class dictates, and a method that two or more classes over the
    same outside base each define (`_describe()` of every dataset over a pipeline framework's `AbstractDataset`:
    an override of that base's hook, whose return type the framework fixes), and a dict keyed by labels rather than names
    (`{"Personal research": "yes", "SaaS / API usage": ...}`: a key no field could bear makes it a lookup table,
    not a record), and a dispatch table of the class's own methods (`{"image": self.apply, "mask":
    self.apply_to_mask}`: which method handles each key)). Overrides of a method of a
    repository base class share that interface's signature: they are one finding, at the first
    override, with the number of the others.

    ## Why is this bad?
    The function's real inputs are invisible in its signature: a missing or misspelt key is a
    `KeyError` (or a silent default) at runtime, and no checker or IDE can help.

    ## Example
    ```python
    def train(model, cfg):
        opt = Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
        for _ in range(cfg["epochs"]): ...
    ```

    ## Use instead
    ```python
    def train(model: nn.Module, cfg: TrainConfig) -> None:
        opt = Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    ```
    """

    code = "API003"
    title = "Big untyped dict passed around"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Replace the dict with a frozen dataclass (or TypedDict) listing the keys as typed fields."

    def check(self, project: Project) -> Iterator[Output]:
        minimum = project.options.threshold("api_dict_keys", 5)
        classes = classes_of(project)
        overrides: dict[tuple[str, str, str], list[Hit]] = defaultdict(list)
        hooks = _outside_hooks(project, classes)
        for pf in project.python.values():
            if pf.kind not in CODE_KINDS:
                continue
            uses = pf.file_fact(DICT_USES_FACT, dict_uses)
            for param in uses.parameters:
                keys = param.keys
                if len(keys) >= minimum and not _deserialiser(param.function) and not _by_variable_names(keys):
                    shown = ", ".join(keys[:4])
                    hit = Hit(
                        pf.path,
                        param.line,
                        f"{param.function}() reads {len(keys)} string keys from untyped dict {param.parameter} "
                        f"({shown}, ...)",
                    )
                    base = _overridden_in(pf.path, param, classes)
                    if base is None:
                        yield hit
                    else:
                        overrides[(base, param.function, param.parameter)].append(hit)
            returns = tuple(r for r in uses.returns if (r.owner, r.function) not in hooks.get(pf.path, set()))
            yield from _untyped_dict_returns(pf.path, returns, int(minimum), frozenset(classes))
        yield from _one_per_interface(overrides)


# Bases that give a class no outside interface to implement: its methods are the project's own.
PLAIN_BASES = frozenset({"ABC", "ABCMeta", "Protocol", "Exception", "Enum", "NamedTuple", "TypedDict", "dict"})


def _outside_bases(info: ClassInfo, classes: dict[str, list[ClassInfo]]) -> set[str]:
    """Return the bases from outside the repo of a class and of its repo ancestors (`AbstractDataset`)."""
    bases = set(info.bases) | {b for name in ancestors(info, classes) for parent in classes[name] for b in parent.bases}
    return {b for b in bases if b and b not in classes and b not in NEUTRAL_BASES | PLAIN_BASES}


def _own_base_defines(info: ClassInfo, function: str, classes: dict[str, list[ClassInfo]]) -> bool:
    """Return True when a repo ancestor of the class defines the method itself (`search_space()` of the project's
    own estimator base over scikit-learn's): the project fixed that return type, not the outside framework."""
    return any(function in parent.methods for name in ancestors(info, classes) for parent in classes[name])


def _outside_hooks(project: Project, classes: dict[str, list[ClassInfo]]) -> dict[str, set[tuple[str | None, str]]]:
    """Return, by path, the (class, method) pairs whose dict return implements a hook of an outside base class.

    A method that two or more repo classes over the same outside base each define and return a dict literal
    from (`_describe()` of every dataset of a plugin library over the framework's `AbstractDataset`) overrides
    that base's method: the framework fixes its return type, and the project could not type it otherwise.
    """
    implementers: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for pf in project.python.values():
        if pf.kind not in CODE_KINDS:
            continue
        for ret in pf.file_fact(DICT_USES_FACT, dict_uses).returns:
            if ret.owner is None:
                continue
            for info in classes.get(ret.owner, []):
                if info.path == pf.path and not _own_base_defines(info, ret.function, classes):
                    for base in _outside_bases(info, classes):
                        implementers[(base, ret.function)].add((pf.path, ret.owner))
    hooks: dict[str, set[tuple[str | None, str]]] = defaultdict(set)
    for (_base, function), owners in implementers.items():
        if len(owners) >= 2:
            for path, owner in owners:
                hooks[path].add((owner, function))
    return hooks


ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def _environment(keys: tuple[str, ...]) -> bool:
    """Return True when every key is an environment variable's name (`METAFLOW_BATCH_JOB_QUEUE`): the dict is an
    environment (`os.environ`, a `.env` file read back), a mapping of variables by nature, not a record."""
    return all(ENV_NAME.match(key) for key in keys)


CLI_SPELLING = re.compile(r"^(?:--?[A-Za-z0-9][\w-]*|<[\w-]+>)$")
CLI_COMMAND = re.compile(r"^[a-z][a-z0-9-]*$")


def _command_line(keys: tuple[str, ...]) -> bool:
    """Return True when the keys are a command line's spellings (`--file`, `-v`, `<path>`, at least half of them,
    the others command words): the dict is a CLI parser's result (docopt's), an argument namespace by nature."""
    spelled = sum(1 for key in keys if CLI_SPELLING.match(key))
    return 2 * spelled >= len(keys) and all(CLI_SPELLING.match(key) or CLI_COMMAND.match(key) for key in keys)


# The keywords of JSON Schema (draft 2020-12 and OpenAPI's additions): a schema document's keys, fixed by the standard.
JSON_SCHEMA_KEYWORDS = frozenset(
    {"$ref", "$defs", "$schema", "$id", "$anchor", "$comment", "definitions", "type", "title", "description"}
    | {"default", "examples", "const", "enum", "format", "pattern", "properties", "patternProperties", "required"}
    | {"additionalProperties", "propertyNames", "minProperties", "maxProperties", "dependentRequired", "items"}
    | {"prefixItems", "additionalItems", "contains", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "anyOf", "allOf", "oneOf", "not"}
    | {"if", "then", "else", "nullable", "discriminator", "readOnly", "writeOnly", "deprecated", "contentEncoding"}
)
# Keywords only a schema has (`type`, `title` or `default` also name fields of an ordinary record).
JSON_SCHEMA_STRUCTURE = frozenset(
    {"$ref", "$defs", "definitions", "properties", "patternProperties", "additionalProperties", "items"}
    | {"prefixItems", "anyOf", "allOf", "oneOf", "enum", "const"}
)


def _json_schema(keys: tuple[str, ...]) -> bool:
    """Return True when every key is a JSON Schema keyword and two or more only a schema has (`$ref`, `properties`,
    `anyOf`): the dict is a schema document, whose keys the standard fixes and whose code walks any schema."""
    return set(keys) <= JSON_SCHEMA_KEYWORDS and len(JSON_SCHEMA_STRUCTURE.intersection(keys)) >= 2


def _by_variable_names(keys: tuple[str, ...]) -> bool:
    """Return True for a dict keyed by outside names: environment variables, command-line options, the keywords
    of a JSON Schema document, or keys half or more of which no field could bear (a DICOM header's tags
    `"00200032"`, logged metric paths `"critic/loss"`)."""
    return _environment(keys) or _command_line(keys) or _json_schema(keys) or _unnameable(keys)


OUTSIDE_NAME = re.compile(r"^\d|[/\s]")


def _unnameable(keys: tuple[str, ...]) -> bool:
    """Return True when half or more of the keys start with a digit or hold a slash or a space (`"00200032"`,
    `"critic/loss"`): names from outside the code, which no dataclass field could bear."""
    return 2 * sum(1 for key in keys if OUTSIDE_NAME.search(key)) >= len(keys)


def _deserialiser(name: str) -> bool:
    """Return True for a function that reads a serial form back (`from_dict`, `Model.from_json`,
    `config_from_dict`, `deserialize`, a parser: `parse_config`, `MLP_hyperparameter_parser`, pickle's
    `__setstate__`): its dict parameter is that form, turned into objects or keyword arguments right there."""
    if name == "__setstate__":
        return True  # the pickle protocol hands it the state dict `__getstate__` saved
    bare = name.lstrip("_").lower()
    return bare.startswith(("from_", "deseriali", "parse_")) or "_from_" in bare or bare.endswith(("_parser", "_parse"))


def _overridden_in(path: str, param: DictParameter, classes: dict[str, list[ClassInfo]]) -> str | None:
    """Return the repo base class whose method the function overrides (its signature is that interface's), or None."""
    if param.owner is None:
        return None
    infos = [c for c in classes.get(param.owner, []) if c.path == path]
    definers = sorted(
        name
        for info in infos
        for name in ancestors(info, classes)
        if any(param.function in c.methods for c in classes[name])
    )
    return definers[0] if definers else None


def _one_per_interface(overrides: dict[tuple[str, str, str], list[Hit]]) -> Iterator[Hit]:
    """Yield one hit per overridden method and dict parameter: the interface is one design decision."""
    for (base, name, _param), hits in sorted(overrides.items()):
        first = min(hits, key=lambda h: (h.path or "", h.line or 0))
        others = len(hits) - 1
        note = f"; {others} other overrides of {base}.{name}() read it too" if others else ""
        yield replace(first, message=f"{first.message} (the signature of {base}.{name}(){note})")


SERIALISERS = frozenset({"to_dict", "as_dict", "asdict", "dict", "to_json", "state_dict", "get_config", "model_dump"})


def _untyped_dict_returns(
    path: str, returns: tuple[DictReturn, ...], minimum: int, repo_classes: frozenset[str]
) -> Iterator[Hit]:
    """Yield one hit per function returning a big dict literal without a precise return type."""
    flagged: set[int] = set()
    for ret in returns:
        if ret.line in flagged or _framework_property(ret.property_bases, repo_classes):
            continue
        keys = ret.keys
        if len(keys) >= minimum and all(key.isidentifier() for key in keys):
            flagged.add(ret.line)
            shown = ", ".join(keys[:4])
            yield Hit(
                path,
                ret.return_line,
                f"{ret.function}() returns an untyped dict with {len(keys)} string keys ({shown}, ...)",
            )


def _dict_returns(pf: PythonFile) -> tuple[DictReturn, ...]:
    """Return the dict literal returns of functions with a loose return type whose result is not consumed at once."""
    found: list[DictReturn] = []
    consumed: set[str] | None = None  # computed only when a function returns a dict literal
    for ret in pf.nodes(ast.Return):
        func = pf.enclosing_function(ret)
        if func is None or not isinstance(ret.value, ast.Dict) or not _loose_return(func):
            continue
        if _has_setter(pf, func):
            continue  # `get_state` beside `set_state`: the saved form of the object, read back by its inverse
        if _sampled_hyperparameters(ret.value):
            continue  # `{"max_depth": trial.suggest_int("max_depth", 2, 15), ...}`: keyword arguments of a model
        if _builds_call_arguments(func.name):
            continue  # `construct_inputs_qei()`, `get_init_args()`: another call's keyword arguments, typed there
        if _registered(func):
            continue  # `@extensions.register("text_stats")`: the registry calls it and takes its result
        if _own_methods_table(pf, func, ret.value):
            continue  # `{"image": self.apply, "mask": self.apply_to_mask}`: which method handles each target
        consumed = (_consumed_by_calls(pf) | _row_mappers(pf)) if consumed is None else consumed
        if func.name in consumed:
            continue  # its result goes into another call, or is a row of the dataset it maps
        keys = tuple(k.value for k in ret.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
        if keys and set(keys) <= _constructor_parameters(pf, func):
            continue  # `{"channels": self.channels, ...}`: the arguments that rebuild the object, typed in __init__
        found.append(
            DictReturn(func.name, func.lineno, ret.lineno, keys, _property_bases(pf, func), _owner_name(pf, func))
        )
    return tuple(found)


def _own_methods_table(pf: PythonFile, func: FunctionNode, value: ast.Dict) -> bool:
    """Return True for a dict whose every value is one of the class's own methods (`self.apply_to_mask`): a
    dispatch table naming the method that handles each key, not a record of data to type."""
    owner = pf.parent(func)
    if not isinstance(owner, ast.ClassDef) or not value.values:
        return False
    methods = _inherited_methods(pf, owner)
    return all(v is not None and is_self_attribute(v) and v.attr in methods for v in value.values)


def _inherited_methods(pf: PythonFile, owner: ast.ClassDef) -> set[str]:
    """Return the methods a class defines or inherits from its bases defined in the same file."""
    classes = {c.name: c for c in pf.nodes(ast.ClassDef) if isinstance(c, ast.ClassDef)}
    methods: set[str] = set()
    stack, seen = [owner], set()
    while stack:
        cls = stack.pop()
        if cls.name not in seen:
            seen.add(cls.name)
            methods.update(s.name for s in cls.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef))
            stack.extend(classes[b.id] for b in cls.bases if isinstance(b, ast.Name) and b.id in classes)
    return methods


def _consumed_by_calls(pf: PythonFile) -> set[str]:
    """Return the functions of the file whose every call result goes straight into another call.

    `generate_default_cfgs({"m": _cfg(url=...)})` or `PretrainedCfg(**_cfg())` turn the dict into
    a typed object or a registry entry at once; it is never passed around untyped. A method called on
    `self`/`cls` counts as well: `OpenAI(**self._client_kwargs())` gives the client its keyword arguments.
    """
    passed = {a.id for call in pf.nodes(ast.Call) for a in call.args if isinstance(a, ast.Name)}
    sites: dict[str, list[str | bool]] = defaultdict(list)
    for call in pf.nodes(ast.Call):
        name = local_helper_name(call.func)
        if name is not None:
            sites[name].append(_call_site(pf, call, passed))
    consumed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, found in sites.items():
            ok = all(site is True or (isinstance(site, str) and site in consumed) for site in found)
            if ok and name not in consumed:
                consumed.add(name)
                changed = True
    return consumed


def _call_site(pf: PythonFile, call: ast.Call, passed: set[str]) -> str | bool:
    """Return True when a call's result goes into another call, the returning function's name, or False.

    A table of results assigned to a name that is later passed to a call
    (`cfgs = {...}; register(cfgs)`) goes into that call.
    """
    if _argument_of_call(pf, call):
        return True
    holder: ast.AST = call
    while isinstance(pf.parent(holder), ast.Dict | ast.List | ast.Tuple):
        holder = pf.parent(holder)  # type: ignore[assignment]
    assign = pf.parent(holder)
    if isinstance(assign, ast.Assign) and any(isinstance(t, ast.Name) and t.id in passed for t in assign.targets):
        return True
    parent = pf.parent(call)
    func = pf.enclosing_function(call)
    return func.name if isinstance(parent, ast.Return) and func is not None else False


def _argument_of_call(pf: PythonFile, node: ast.AST) -> bool:
    parent = pf.parent(node)
    while isinstance(parent, ast.Dict | ast.List | ast.Tuple | ast.keyword | ast.Starred):
        node, parent = parent, pf.parent(parent)
    return isinstance(parent, ast.Call) and node is not parent.func


def _property_bases(pf: PythonFile, func: FunctionNode) -> tuple[str, ...] | None:
    """Return the base names of the class of a `@property` (None when it is not a property of a class with bases)."""
    owner = pf.parent(func)
    if not isinstance(owner, ast.ClassDef) or not owner.bases:
        return None
    is_property = any(_base_name(d) == "property" for d in func.decorator_list)
    return tuple(_base_name(b) for b in owner.bases) if is_property else None


def _registered(func: FunctionNode) -> bool:
    """Return True for a function a registration decorator hands to a registry (`@extensions.register("stats")`,
    `@register_model`): the registry calls it and consumes the dict, as a registry call given its result would."""
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
        if name == "register" or name.startswith("register_"):
            return True
    return False


def _sampled_hyperparameters(value: ast.Dict) -> bool:
    """Return True for a dict whose values are mostly hyperparameter-search suggestions (`trial.suggest_float(...)`):
    a sampled set of an estimator's keyword arguments, typed where that estimator is defined."""
    suggested = sum(
        1
        for item in value.values
        if isinstance(item, ast.Call) and isinstance(item.func, ast.Attribute) and item.func.attr.startswith("suggest_")
    )
    return suggested * 2 >= len(value.values) > 0


def _constructor_parameters(pf: PythonFile, func: FunctionNode) -> frozenset[str]:
    """Return the parameter names of the `__init__` of the class defining a method (empty for a free function)."""
    owner = pf.parent(func)
    if not isinstance(owner, ast.ClassDef):
        return frozenset()
    init = next((s for s in owner.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
    if init is None:
        return frozenset()
    params = (*init.args.posonlyargs, *init.args.args[1:], *init.args.kwonlyargs)
    return frozenset(p.arg for p in params)


# Words of a function name that say it returns another call's arguments (`construct_inputs_qei`, `trainer_kwargs`,
# `get_init_args`): the keys are that call's parameters, typed where it is defined. A bare `get_args()` is often a
# script's whole config as a dict, and is not one.
CALL_ARGUMENT_WORDS = frozenset({"kwargs", "inputs"})


def _builds_call_arguments(name: str) -> bool:
    """Return True for a function named for the keyword arguments it builds for another call."""
    words = name.lower().split("_")
    return any(word in CALL_ARGUMENT_WORDS for word in words) or "init_args" in "_".join(words)


def _has_setter(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True for `get_X` in a class that also defines `set_X` (a state or config round trip)."""
    owner = pf.parent(func)
    if not func.name.startswith("get_") or not isinstance(owner, ast.ClassDef):
        return False
    setter = "set_" + func.name.removeprefix("get_")
    return any(isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == setter for s in owner.body)


def _framework_property(bases: tuple[str, ...] | None, repo_classes: frozenset[str]) -> bool:
    """Return True for a `@property` of a class with an external base: the framework fixes its shape."""
    return bases is not None and any(base not in repo_classes for base in bases)


def _serialiser(name: str) -> bool:
    """Return True for a name that promises a dict or serial form (`to_dict`, `get_config_dict`, `as_json`,
    `serialize`: the writing half of what `deserialize` reads back)."""
    bare = name.lstrip("_")
    return (
        name in SERIALISERS
        or name.startswith(("to_", "as_", "get_config"))
        or name.endswith(("_dict", "_json"))
        or bare.startswith(("serializ", "serialis"))
    )


def _loose_return(func: FunctionNode) -> bool:
    """Return True when the function is not a serialiser and its return type is missing or a plain dict."""
    if _serialiser(func.name) or func.name.startswith("__"):
        return False
    annotation = func.returns
    if annotation is None:
        return True
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return isinstance(base, ast.Name | ast.Attribute) and ast.unparse(base) in ("dict", "Dict", "typing.Dict", "Any")
