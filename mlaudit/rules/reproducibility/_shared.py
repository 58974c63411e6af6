"""Provides helpers shared by several rules of the `reproducibility` practice (or by other modules)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.randomness import is_code, keyword, listed, word_set
from mlaudit.model import FileKind
from mlaudit.paths import pure_path
from mlaudit.project import Project, PythonFile

DETERMINISM_FACT = "reproducibility.sets_determinism"  # a per-file fact (mlaudit.filefacts)


def _sets_determinism(pf: PythonFile) -> bool:
    """Return True when a torch/Lightning module requests deterministic execution (a per-file fact)."""
    sets: bool = pf.file_fact(DETERMINISM_FACT, sets_determinism)
    return sets


def sets_determinism(pf: PythonFile) -> bool:
    """Return True when the file turns determinism on: `cudnn.deterministic = True`, `cudnn.benchmark = False`,
    `use_deterministic_algorithms(True)` or `deterministic=True`. Turning it off (`cudnn.benchmark = True`,
    `deterministic=False`) asks for the fastest kernels, not repeatable ones."""
    if not any(m.startswith(("torch", "lightning", "pytorch_lightning")) for m in pf.imported_modules):
        return False
    for node in pf.nodes(ast.Attribute):
        if node.attr in ("deterministic", "benchmark") and isinstance(node.ctx, ast.Store):
            value = _assigned_value(pf, node)
            if value is None or _literal_bool(value) != (node.attr == "benchmark"):
                return True
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        switch = call.args[0] if name.endswith("use_deterministic_algorithms") and call.args else None
        switch = keyword(call, "deterministic") if switch is None else switch
        if switch is not None and _literal_bool(switch) is not False:
            return True
    return False


def config_determinism(project: Project) -> str | None:
    """Return `path:line` where a settings module in a config folder asks the runner for deterministic execution
    (`randomness = dict(seed=0, deterministic=True)`, `{'deterministic': True}`): the runner that reads the config
    (mmengine's, detectron-style trainers) switches cuDNN and torch to deterministic kernels."""
    for pf in sorted(project.python_of(FileKind.CONFIG), key=lambda f: f.path):
        line = pf.file_fact(CONFIG_DETERMINISM_FACT, determinism_setting)
        if line is not None:
            return pf.location(line)
    return None


CONFIG_DETERMINISM_FACT = "reproducibility.config_determinism"


def determinism_setting(pf: PythonFile) -> int | None:
    """Return the line of a literal `deterministic=True` keyword or `'deterministic': True` entry in the module."""
    for call in pf.nodes(ast.Call):
        switch = keyword(call, "deterministic") if isinstance(call, ast.Call) else None
        if switch is not None and _literal_bool(switch) is True:
            return call.lineno
    for node in pf.nodes(ast.Dict):
        if isinstance(node, ast.Dict) and any(
            isinstance(k, ast.Constant) and k.value == "deterministic" and _literal_bool(v) is True
            for k, v in zip(node.keys, node.values, strict=True)
        ):
            return node.lineno
    return None


def _assigned_value(pf: PythonFile, target: ast.Attribute) -> ast.expr | None:
    """Return the value an assignment stores into `target`, when it is a plain `target = value`."""
    parent = pf.parent(target)
    return parent.value if isinstance(parent, ast.Assign) and target in parent.targets else None


def _literal_bool(node: ast.expr) -> bool | None:
    """Return the value of a `True`/`False` literal (or 1/0), else None."""
    if isinstance(node, ast.Constant) and node.value in (True, False) and not isinstance(node.value, str):
        return bool(node.value)
    return None


HYPERPARAMETERS = {
    "lr": "learning_rate",
    "learning_rate": "learning_rate",
    "batch_size": "batch_size",
    "train_batch_size": "batch_size",
    "epochs": "epochs",
    "num_epochs": "epochs",
    "n_epochs": "epochs",
    "max_epochs": "epochs",
    "num_train_epochs": "epochs",
    "max_length": "max_length",
    "max_len": "max_length",
    "max_seq_length": "max_length",
    "top_k": "top_k",
    "topk": "top_k",
    "dropout": "dropout",
    "weight_decay": "weight_decay",
    "hidden_size": "hidden_size",
    "hidden_dim": "hidden_size",
    "n_estimators": "n_estimators",
    "max_depth": "max_depth",
    "temperature": "temperature",
    "warmup_steps": "warmup_steps",
    "momentum": "momentum",
    "gamma": "gamma",
    "num_layers": "num_layers",
    "n_layers": "num_layers",
    "embedding_dim": "embedding_dim",
    "num_heads": "num_heads",
}


GLOBALS_MODULE = "module of"  # how a loose config of UPPERCASE globals is described


# modules holding configuration, hyperparameters abbreviated or spelt out (`params.py`, `hyperparameters.py`)
CONFIG_STEMS = word_set(
    "config configs settings constants params hparams hyperparams defaults conf parameters hyperparameters"
)
# folders of them: `configs/`, `model-configs/`, a model's `hyperparameters/` (its defaults and search spaces)
CONFIG_FOLDERS = word_set("configs config conf hyperparameters hyperparams hparams")


CONFIG_CLASS = re.compile(r"(Config|Settings|Params|HParams|Hparams|Hyperparameters|Args|Arguments|Options|Cfg)$")


TYPED_BASES = word_set("BaseModel BaseSettings Struct")


TYPED_DECORATORS = word_set("dataclass define frozen attrs s dataclasses")


def is_config_module(path: str) -> bool:
    """Return True for modules whose job is configuration (config.py, settings.py, parameters.py, configs/..., a
    folder named for the configs of one part: yolox_config/, model-configs/, catboost/hyperparameters/)."""
    pure = pure_path(path)
    return pure.stem.lower() in CONFIG_STEMS or any(_config_folder(p) for p in pure.parts[:-1])


def _config_folder(name: str) -> bool:
    return re.split(r"[_-]", name.lower())[-1] in CONFIG_FOLDERS


def is_typed_class(node: ast.ClassDef) -> bool:
    """Return True for dataclass/attrs/pydantic classes."""
    decorators = {_last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
    bases = {_last_name(b) for b in node.bases}
    return bool(decorators & TYPED_DECORATORS or bases & TYPED_BASES)


def _last_name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else ""


def _number(expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        inner = _number(expr.operand)
        return f"-{inner}" if inner else None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int | float) and not isinstance(expr.value, bool):
        return repr(expr.value)
    return None


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    return target.attr if isinstance(target, ast.Attribute) else None


@dataclass(frozen=True)
class ConfigStyle:
    """How the repo holds its settings: typed classes, and loose dicts or UPPERCASE-global modules."""

    typed: tuple[str, ...]
    loose: tuple[tuple[str, int, str], ...]


def _uppercase_globals(pf: PythonFile) -> list[str]:
    names: list[str] = []
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name.isupper() and _number(stmt.value) is not None:
                names.append(name)
    return names


def _loose_dicts(pf: PythonFile) -> Iterator[tuple[str, int, str]]:
    for stmt in pf.tree.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict)):
            continue
        name = _target_name(stmt.targets[0]) or ""
        keys = [k.value for k in stmt.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        settings = sum(_is_setting(v) for v in stmt.value.values)
        named = name.lower() in ("cfg", "config", "conf", "params", "hparams", "hyperparams", "settings")
        loose = named and len(keys) >= 4 and 2 * settings >= len(stmt.value.values)
        if loose and not _table(stmt.value) and not _logging_schema(keys):
            yield pf.path, stmt.lineno, f"dict {name} with {len(keys)} string keys ({listed(keys, 3)})"


# the sections of `logging.config.dictConfig`'s schema, which also requires a "version" key
_LOGGING_SECTIONS = frozenset({"formatters", "filters", "handlers", "loggers", "root"})


def _logging_schema(keys: list[str]) -> bool:
    """Return True for a dict in `logging.config.dictConfig`'s schema (`{"version": 1, "handlers": ...,
    "loggers": ...}`): it configures the process's log output, not a run's settings."""
    return "version" in keys and len(_LOGGING_SECTIONS.intersection(keys)) >= 2


def _table(mapping: ast.Dict) -> bool:
    """Return True when every value is a list of several entries: a table of named variants (VGG's
    `cfg = {"A": [64, "M", 128, ...], "B": [...]}`, one layer list per model) or a search grid
    (`{"lr": [1e-3, 1e-4], ...}`), not one run's settings."""
    return all(isinstance(v, ast.List | ast.Tuple) and len(v.elts) >= 2 for v in mapping.values)


def _is_setting(value: ast.expr) -> bool:
    """Return True for a literal setting (`3e-4`, `"adam"`, `[64, 128]`, `-1`, `2 ** 10`, an f-string path).

    A dict whose values are mostly live objects (`{"df": df, "estimator": LinearRegression}`) bundles
    a call's arguments, not settings."""
    if isinstance(value, ast.Constant | ast.JoinedStr):
        return True
    if isinstance(value, ast.UnaryOp):
        return _is_setting(value.operand)
    if isinstance(value, ast.BinOp):
        return _is_setting(value.left) and _is_setting(value.right)
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return all(_is_setting(e) for e in value.elts)
    if isinstance(value, ast.Dict):
        return all(v is not None and _is_setting(v) for v in value.values)
    return False


def _structured_config(pf: PythonFile) -> bool:
    """Return True for an OmegaConf structured config or Hydra's config store, or a dataclass config hydra-zen
    generates from a target's signature (`builds(Adam, lr=1e-3)`, `make_config(batch_size=64)`)."""
    if not any(m.startswith(("omegaconf", "hydra")) for m in pf.imported_modules):
        return False
    names = (pf.call_name(call) or "" for call in pf.nodes(ast.Call))
    return any(n.endswith(("OmegaConf.structured", "ConfigStore.instance")) or n in CONFIG_BUILDERS for n in names)


# A config framework's calls that build a run's config object from keywords: hydra-zen's dataclass generators and
# fiddle's buildable configs (`fdl.Partial(train, lr=1e-3)`); their keywords are the central config, not literals.
CONFIG_BUILDERS = frozenset(
    {"hydra_zen.builds", "hydra_zen.make_config", "hydra_zen.just", "fiddle.Config", "fiddle.Partial"}
)


# ml_collections' config classes: a field keeps the type it was first given (assigning another raises), a missing
# field raises on access, and a command-line override (`--config.lr=...`) must name an existing field of its type
TYPE_SAFE_CONFIG_DICTS = ("ConfigDict", "FrozenConfigDict", "FieldReference")


def _type_safe_config_dict(pf: PythonFile) -> bool:
    """Return True when the module builds an ml_collections ConfigDict (`config = ml_collections.ConfigDict()`):
    unlike a plain dict or an EasyDict, it rejects a mistyped override and a value of another type."""
    if not any(m.split(".", 1)[0] == "ml_collections" for m in pf.imported_modules):
        return False
    names = (pf.call_name(call) or "" for call in pf.nodes(ast.Call))
    return any(n.startswith("ml_collections.") and n.endswith(TYPE_SAFE_CONFIG_DICTS) for n in names)


# Parsers that build a run's config from the type hints of the classes it instantiates and reject a mistyped or
# unknown key: LightningCLI and jsonargparse (`parser.add_class_arguments(Trainer)`, `CLI(train)`).
SIGNATURE_PARSERS = ("LightningCLI", "jsonargparse.CLI", "jsonargparse.auto_cli")
SIGNATURE_METHODS = frozenset({"add_class_arguments", "add_subclass_arguments", "add_function_arguments"})


def _signature_config(pf: PythonFile) -> bool:
    """Return True when the module parses its config against typed signatures (LightningCLI, jsonargparse)."""
    if not any(m.startswith(("jsonargparse", "lightning", "pytorch_lightning")) for m in pf.imported_modules):
        return False
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name.endswith(SIGNATURE_PARSERS) or (
            isinstance(call.func, ast.Attribute) and call.func.attr in SIGNATURE_METHODS
        ):
            return True
    return False


CONFIG_FACT = "reproducibility.file_config_style"  # a per-file fact (mlaudit.filefacts)


def config_style(project: Project) -> ConfigStyle:
    """Find typed config classes and loose configs (string-key dicts, UPPERCASE-global modules)."""
    typed: list[str] = []
    loose: list[tuple[str, int, str]] = []
    for pf in project.python.values():
        if not (is_code(pf) or pf.kind is FileKind.CONFIG):  # settings modules (`config/settings.py`) too
            continue
        style: ConfigStyle = pf.file_fact(CONFIG_FACT, file_config_style)
        typed.extend(style.typed)
        loose.extend(style.loose)
    return ConfigStyle(tuple(sorted(typed)), tuple(sorted(loose)))


def file_config_style(pf: PythonFile) -> ConfigStyle:
    """Return one module's typed config classes and loose configs, unsorted (a per-file fact)."""
    classes = [
        c
        for c in pf.nodes(ast.ClassDef)
        if is_typed_class(c) and (CONFIG_CLASS.search(c.name) or len(_run_settings(c)) >= RUN_SETTINGS)
    ]
    typed = [f"{c.name} ({pf.path})" for c in classes]
    if _structured_config(pf):
        typed.append(f"structured config ({pf.path})")
    if _signature_config(pf):
        typed.append(f"config checked against typed signatures by jsonargparse/LightningCLI ({pf.path})")
    if _type_safe_config_dict(pf):
        typed.append(f"ml_collections ConfigDict, which rejects unknown keys and type changes ({pf.path})")
    loose: list[tuple[str, int, str]] = []
    upper = _uppercase_globals(pf)
    if is_config_module(pf.path) and len(upper) >= 3 and not classes:
        loose.append((pf.path, 1, f"{GLOBALS_MODULE} {len(upper)} bare UPPERCASE globals ({listed(upper, 3)})"))
    loose.extend(_loose_dicts(pf))
    return ConfigStyle(tuple(typed), tuple(loose))


RUN_SETTINGS = 2  # distinct training settings that make a typed class a run's config whatever its name


# Names a physical or data record also carries (a weather sample's temperature, a particle's momentum).
AMBIGUOUS_SETTINGS = frozenset({"temperature", "momentum", "gamma"})


# The settings of a search or optimisation run (how many trials, how long, which seed), by the setting they give.
SEARCH_SETTINGS = {
    "seed": "seed",
    "random_seed": "seed",
    "n_trials": "trials",
    "num_trials": "trials",
    "max_trials": "trials",
    "max_evals": "trials",
    "walltime_limit": "time_budget",
    "time_budget": "time_budget",
    "time_limit": "time_budget",
    "timeout": "time_budget",
}


def _run_settings(node: ast.ClassDef) -> set[str]:
    """Return the distinct run settings a class declares as fields: training settings (`learning_rate: float`,
    `epochs: int`, `batch_size: int | None`) or a search's (`seed: int`, `n_trials: int`, `walltime_limit: float`):
    a typed class holding them is a run's config (`@dataclass class Train`, `@dataclass class Scenario`),
    whatever its name says."""
    fields = {s.target.id.lower() for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
    training = {HYPERPARAMETERS[f] for f in fields if f in HYPERPARAMETERS} - AMBIGUOUS_SETTINGS
    return training | {SEARCH_SETTINGS[f] for f in fields if f in SEARCH_SETTINGS}


CONFIG_FILE_SUFFIXES = (".yaml", ".yml", ".toml", ".json")


CONFIG_DIRS = frozenset({"configs", "config", "conf"})


CONFIG_FILE_STEMS = frozenset({"config", "params", "hparams", "hyperparams", "experiment", "train_config"})


def experiment_config_files(project: Project, settings_modules: bool = False) -> list[str]:
    """Return YAML/TOML/JSON experiment config files (configs/*, config.yaml, params.yaml, ...), and with
    `settings_modules` the settings modules of config folders a config loader reads by path
    (`configs/retinanet.py` holding `model = dict(...)`, read by `Config.fromfile`).

    Files under hidden folders (`.github/`, `.vscode/`) configure tools, not experiments.
    """
    found: list[str] = []
    for source in project.of_kind(FileKind.CONFIG, FileKind.DATA, FileKind.OTHER):
        pure = pure_path(source.path)
        settings_module = settings_modules and pure.suffix == ".py" and source.kind is FileKind.CONFIG
        if not (pure.suffix in CONFIG_FILE_SUFFIXES or settings_module) or any(p.startswith(".") for p in pure.parts):
            continue
        if pure.stem in CONFIG_FILE_STEMS or any(p in CONFIG_DIRS for p in pure.parts[:-1]):
            found.append(source.path)
    return sorted(found)


TEST_PARAMETERS = re.compile(r"(?:^|_)test_(?:\w+_)?(?:params|parameters|kwargs|cases)$")


def in_test_parameters(pf: PythonFile, node: ast.AST) -> bool:
    """Return True inside a function that hands parameters to the test suite (`get_test_params`,
    `get_test_train_params`): the values build small instances for tests, not a run's settings; a function
    working on the test split (`get_test_loader`) is not one."""
    func = pf.enclosing_function(node)
    while func is not None:
        if TEST_PARAMETERS.search(func.name.lower()):
            return True
        func = pf.enclosing_function(func)
    return False


def in_candidate_list(pf: PythonFile, node: ast.AST) -> bool:
    """Return True for a keyword of a constructor (or a call it is built in: `make_pipeline(Scaler(), Tree(...))`)
    listed with at least one other call in a list or tuple the function returns, directly or through the one
    name it binds the list to (`portfolio = [...]` / `return portfolio`): a portfolio of candidate settings."""
    call = pf.parent(node)
    return isinstance(node, ast.keyword) and isinstance(call, ast.Call) and listed_candidate(pf, call)


def listed_candidate(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a constructor call (`Tree(max_depth=5)`, also inside `make_pipeline(...)`) listed with at
    least one other call in a list or tuple its function returns, directly or through the one name it binds the
    list to: a candidate of a portfolio, configured for the code that fits it."""
    if not _last_name(call.func)[:1].isupper():
        return False
    parent = pf.parent(call)
    while isinstance(parent, ast.Call):
        parent = pf.parent(parent)
    if not isinstance(parent, ast.List | ast.Tuple) or sum(isinstance(e, ast.Call) for e in parent.elts) < 2:
        return False
    holder = pf.parent(parent)
    if isinstance(holder, ast.Return):
        return True
    func = pf.enclosing_function(parent)
    if func is None or not (isinstance(holder, ast.Assign) and len(holder.targets) == 1):
        return False
    target = holder.targets[0]
    return isinstance(target, ast.Name) and any(
        isinstance(ret, ast.Return) and isinstance(ret.value, ast.Name) and ret.value.id == target.id
        for ret in ast.walk(func)
    )


def tests_parameter(test: ast.expr, name: str) -> bool:
    """Return True for a test of one name alone: `name is None`, `name is not None`, `not name`, `name`."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is | ast.IsNot):
        test = test.left
    if isinstance(test, ast.Attribute) and isinstance(test.value, ast.Name) and test.value.id == "self":
        return f"self.{test.attr}" == name  # `self.random_state is None`: the estimator's own seed parameter
    return isinstance(test, ast.Name) and test.id == name


def is_none_test(test: ast.expr) -> bool:
    """Return True for `name is None` or `not name`: the branch taken when the caller passed nothing."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return True
    return isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.Is)
