"""Provides the capabilities of the `reproducibility` practice: one config, seeded runs, versioned data."""

from __future__ import annotations

import ast
import fnmatch
import re
from collections import Counter
from collections.abc import Callable, Iterable

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import code_files, first_call, line_of, share_text, tracker_use
from mlaudit.capabilities.security import call_evidence
from mlaudit.facts.kind import (
    CLI_IMPORT_FACT,
    DEMO_FACT,
    SETUP_MAIN_FACT,
    cli_import_line,
    is_demo_entry,
    is_example,
    is_library,
    random_data_demo,
    setup_only_main,
)
from mlaudit.facts.layout_intent import in_notebook_folder
from mlaudit.facts.randomness import SOURCE_ORDER, TRAINING_FACT, facts_of, training_line
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile, module_name
from mlaudit.rules.logging._shared import _console_scripts
from mlaudit.rules.performance._shared import speed_benchmark
from mlaudit.rules.reproducibility._shared import (
    HYPERPARAMETERS,
    ConfigStyle,
    _sets_determinism,
    config_determinism,
    config_style,
    experiment_config_files,
)
from mlaudit.rules.security._shared import first_calls

CONFIG_LIBRARIES = (
    *("hydra", "omegaconf", "gin", "ml_collections", "jsonargparse", "simple_parsing", "tyro"),
    *("hydra_zen", "fiddle", "sacred"),  # hydra-zen's generated configs, fiddle's Config graphs, sacred's @ex.config
)
ARG_PARSERS = (
    *("argparse.ArgumentParser", "click.command", "click.option", "typer.Typer", "fire.Fire"),
    # absl's flags, and TensorFlow's re-exports of them (`tf.app.flags.DEFINE_integer`, `tf.compat.v1.flags`)
    *("absl.flags", "tensorflow.flags", "tensorflow.app.flags", "tensorflow.python.platform.flags"),
    *("tensorflow.compat.v1.flags", "tensorflow.compat.v1.app.flags"),
)
CONFIG_LOADERS = ("yaml.safe_load", "yaml.load", "omegaconf.OmegaConf.load", "json.load", "tomllib.load", "toml.load")
DETERMINISM_TEXT = re.compile(
    r"^\s*(deterministic|cudnn_deterministic|PYTHONHASHSEED)\s*[:=]\s*(true|True|1|\d+)", re.M
)
NOT_CONFIG_FILES = frozenset(
    {"pyproject.toml", "environment.yml", "environment.yaml", ".pre-commit-config.yaml", "mkdocs.yml", "dvc.yaml"}
)
DVC_FILES = ("dvc.yaml", "dvc.lock", ".dvc/config")
SEEDED_PATH = 0.6
RUN_CONFIG = re.compile(r"(Train|Trainer|Training|Experiment|Run|Pipeline)\w*Config\b")  # shown first as evidence
HYPERPARAMETER_BLOCK = 3


@register_capability
class CentralConfig(Capability):
    """Settings come from one place: a config framework (Hydra/OmegaConf, hydra-zen, gin, ml_collections, fiddle,
    sacred, ...), YAML/TOML config files or Python
    settings modules (`configs/x.py` read by `Config.fromfile`) that the code loads, or a command-line parser
    (most, its own subclass of argparse's parser too, not a documentation build script's under docs/; half when three
    or more scripts declare the same hyperparameter
    option: the settings are copied
    between them, though not between a library's standalone examples), rather than literals in the code; hyperparameters named once as module constants earn a
    little. A published library whose own scripts and commands run nothing has no run to configure: its
    settings are its API's parameters."""

    key = "central_config"
    practice = "reproducibility"
    title = "Central configuration"
    points = 25

    def assess(self, project: Project) -> Assessment:
        modules = code_files(project, FileKind.LIBRARY, FileKind.SCRIPT)
        for pf in sorted(modules, key=_run_entry_first):  # a training entry point shows best where runs get settings
            used = sorted(m for m in pf.imported_modules if m.split(".", 1)[0] in CONFIG_LIBRARIES)
            if used:
                return Assessment.earned(f"{pf.path} configures runs through {used[0]}", pf.path)
        class_loader = _config_class_loader(project)
        files = [
            f
            for f in experiment_config_files(project, settings_modules=class_loader is not None)
            if not f.startswith((".", *DOCS_FOLDERS))
        ]
        loader = class_loader or first_call(project, CONFIG_LOADERS)
        if files and loader:
            return Assessment.earned(f"{len(files)} config files (e.g. {files[0]}) loaded at {loader}", files[0])
        referenced = _referenced_config(project)
        if referenced and loader:
            # the loader found first need not be the one reading this file: the evidence says no more than it knows
            return Assessment.earned(
                f"config file {referenced} is named in the code; config files are loaded at {loader}"
            )
        # a documentation build script's options (`docs/to_mdx.py --lib-path`) configure the docs, not runs
        parser = first_call(project, ARG_PARSERS, outside=DOCS_FOLDERS) or _subclassed_parser(project)
        if parser:
            copied = _copied_options(project)
            if copied:
                return Assessment.partly(
                    0.5,
                    f"settings come from the command line ({parser}), but {len(copied)} options are declared "
                    f"again in {COPIED_OPTION} or more scripts (e.g. {copied[0]}): copies, not one place",
                )
            return Assessment.partly(0.8, f"settings come from the command line ({parser})")
        if files:
            return Assessment.partly(
                0.4, f"config files exist ({files[0]}) but no loader was found in the code", files[0]
            )
        constants = _hyperparameter_block(project)
        if constants:
            return Assessment.partly(
                0.3, f"hyperparameters named once as module constants ({constants}), a first step, not a config"
            )
        if is_library(project) and first_training_call(project) is None:
            return Assessment.nothing_to_apply(
                "A published library whose own scripts, notebooks and commands run nothing to configure: "
                "its settings are the parameters of its API, and each run's config lives in its users' programs"
            )
        return Assessment.missing("No central config: no config files, config framework or argument parser")


DOCS_FOLDERS = ("docs/", "doc/")
CONFIG_FILE_METHODS = frozenset({"fromfile", "from_file", "merge_from_file"})
PARSER_SUBCLASS_FACT = "reproducibility.parser_subclass_calls"  # a per-file fact (mlaudit.filefacts)


def _subclassed_parser(project: Project) -> str | None:
    """Return `path:line` of the first parser built from the project's own subclass of argparse's parser."""
    for pf in code_files(project):
        lines: tuple[int, ...] = pf.file_fact(PARSER_SUBCLASS_FACT, parser_subclass_calls)
        if lines:
            return pf.location(lines[0])
    return None


def parser_subclass_calls(pf: PythonFile) -> tuple[int, ...]:
    """Return the lines where the module builds a parser from its own subclass of `argparse.ArgumentParser`
    (`class MyParser(argparse.ArgumentParser)`, then `MyParser(description=...)`): a command-line parser too."""
    if not any(name.split(".", 1)[0] == "argparse" for name in pf.imports.values()):
        return ()
    classes = {
        node.name
        for node in pf.nodes(ast.ClassDef)
        if isinstance(node, ast.ClassDef) and any(pf.qualname(base) == "argparse.ArgumentParser" for base in node.bases)
    }
    if not classes:
        return ()
    calls = pf.nodes(ast.Call)
    return tuple(sorted(c.lineno for c in calls if isinstance(c.func, ast.Name) and c.func.id in classes))


def _config_class_loader(project: Project) -> str | None:
    """Return `path:line` of the first call of a config object's file loader (`Config.fromfile(path)`,
    `LazyConfig.load(path)`, `cfg.merge_from_file(path)`): it reads a config file as `yaml.safe_load` does.
    Training entry points come first: they show best where runs get their settings."""
    for pf in sorted(code_files(project), key=_run_entry_first):
        for name, line in first_calls(pf):
            owner, _, method = name.rpartition(".")
            if method in CONFIG_FILE_METHODS or (method == "load" and owner.endswith("Config")):
                return pf.location(line)
    return None


def _run_entry_first(pf: PythonFile) -> tuple[bool, bool]:
    """Sort key: entry points that train first, then other entry points, then the rest (path order kept)."""
    entry = pf.kind is FileKind.SCRIPT or pf.has_main_guard
    return not entry, pf.file_fact(TRAINING_FACT, training_line) is None


COPIED_OPTION = 3  # scripts declaring the same option: its settings are copied, not central
OPTIONS_FACT = "reproducibility.cli_options"  # a per-file fact (mlaudit.filefacts)


def cli_options(pf: PythonFile) -> tuple[str, ...]:
    """Return the long options a module declares (`parser.add_argument("--lr", ...)`), sorted (a per-file fact)."""
    found: set[str] = set()
    for call in pf.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in ("add_argument", "add_option"):
            found.update(
                a.value.lstrip("-").replace("-", "_")
                for a in call.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("--")
            )
    return tuple(sorted(found))


def _copied_options(project: Project) -> list[str]:
    """Return `--name in N scripts` for hyperparameter options (`--lr`, `--batch-size`, `--epochs`) declared in
    COPIED_OPTION or more modules, most copied first. A tool collection's shared options (`--out-dir`,
    `--device`, `--model`) are its common interface, not run settings copied between scripts, and a published
    library's example scripts (`examples/mnist/main.py`) each stand alone as a program for the reader to copy."""
    counts: Counter[str] = Counter()
    teaching = is_library(project)
    for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT):
        if teaching and is_example(pf.path):
            continue
        counts.update(name for name in pf.file_fact(OPTIONS_FACT, cli_options) if name.lower() in HYPERPARAMETERS)
    copied = [(n, name) for name, n in counts.items() if n >= COPIED_OPTION]
    return [f"--{name} in {n} scripts" for n, name in sorted(copied, key=lambda item: (-item[0], item[1]))]


def _hyperparameter_block(project: Project) -> str | None:
    """Return `names at path:line` of a module binding three or more hyperparameters as top-level constants."""
    for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.CONFIG):
        found = pf.file_fact(CONSTANTS_FACT, hyperparameter_constants)
        if len(found) >= HYPERPARAMETER_BLOCK:
            return f"{', '.join(n for n, _ in found[:3])} at {pf.location(found[0][1])}"
    return None


CONSTANTS_FACT = "reproducibility.hyperparameter_constants"  # a per-file fact (mlaudit.filefacts)


def hyperparameter_constants(pf: PythonFile) -> tuple[tuple[str, int], ...]:
    """Return (name, line) of each top-level constant named like a hyperparameter (a per-file fact)."""
    found: list[tuple[str, int]] = []
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name.lower() in HYPERPARAMETERS and isinstance(stmt.value, ast.Constant):
                found.append((name, stmt.lineno))
    return tuple(found)


def _referenced_config(project: Project) -> str | None:
    """Return `file (path:line)` for a YAML/TOML file of the repository that the code names in a string."""
    wanted = {
        f.path: f.path.rsplit("/", 1)[-1]
        for f in project.files
        if f.path.endswith((".yaml", ".yml", ".toml"))
        and not f.path.startswith((".", "docs/"))
        and f.path.rsplit("/", 1)[-1] not in NOT_CONFIG_FILES
    }
    if not wanted:
        return None
    names = {name: path for path, name in wanted.items()}
    for pf in code_files(project):
        if DOC_FOLDERS & {part.lower() for part in pf.path.split("/")[:-1]}:
            continue  # documentation tooling (`scripts/docs/build.py` reading the site's toml) configures no run
        for name, line in pf.file_fact(CONFIG_NAMES_FACT, named_config_files):
            path = names.get(name) if "*" not in name else _first_match(sorted(wanted), name)
            if path is not None:
                return f"{path} ({pf.location(line)})"
    return None


def _first_match(paths: list[str], template: str) -> str | None:
    """Return the first path a config path template (`hyperparams/*.yml`) names, in its folder or below a root."""
    return next((p for p in paths if fnmatch.fnmatchcase(p, template) or fnmatch.fnmatchcase(p, "*/" + template)), None)


DOC_FOLDERS = frozenset({"docs", "doc"})
CONFIG_NAMES_FACT = "reproducibility.named_config_files"  # a per-file fact (mlaudit.filefacts)


CONFIG_SUFFIXES = (".yaml", ".yml", ".toml")


def named_config_files(pf: PythonFile) -> tuple[tuple[str, int], ...]:
    """Return (file name, line) of each string naming a YAML/TOML file (`"configs/train.yaml"`), and
    (folder template, line) of each f-string path template naming the files of a folder
    (`f"hyperparams/{algo}.yml"` gives `hyperparams/*.yml`) (a per-file fact)."""
    names = [
        (const.value.rsplit("/", 1)[-1], const.lineno)
        for const in pf.nodes(ast.Constant)
        if isinstance(const.value, str) and const.value.endswith(CONFIG_SUFFIXES)
    ]
    for template in pf.nodes(ast.JoinedStr):
        if isinstance(template, ast.JoinedStr):
            pattern = "".join(
                str(part.value) if isinstance(part, ast.Constant) else "*" for part in template.values
            ).lstrip("*/")
            folder = pattern.rsplit("/", 1)[0] if "/" in pattern else ""
            if pattern.endswith(CONFIG_SUFFIXES) and folder.strip("*/") and "*" in pattern:
                names.append((pattern, template.lineno))
    return tuple(names)


@register_capability
class TypedConfig(Capability):
    """The configuration is a typed object (dataclass, pydantic, attrs, structured OmegaConf) that fails early on
    typos: a class named as a config (`TrainConfig`, `Hyperparams`), or any typed class declaring two or more
    run settings as fields, a training run's (`@dataclass class Train: learning_rate: float; epochs: int`) or a
    search's (`@dataclass class Scenario: seed: int; n_trials: int; walltime_limit: float`); or a config that
    LightningCLI or jsonargparse checks against the typed signatures of the classes it builds; or an ml_collections
    `ConfigDict`, which keeps each field's type and rejects an override of a field it does not have (a plain dict
    or an `EasyDict` takes any key and any value)."""

    key = "typed_config"
    practice = "reproducibility"
    title = "Typed config object"
    points = 15

    def assess(self, project: Project) -> Assessment:
        style: ConfigStyle = project.fact("reproducibility.config_style", config_style)
        if style.typed:
            shown = min(style.typed, key=lambda name: (RUN_CONFIG.match(name) is None, name))
            return Assessment.earned(f"typed config {shown}")
        return Assessment.missing("No typed config class (expected @dataclass class TrainConfig or a pydantic model)")


@register_capability
class SeedsSet(Capability):
    """Every source of randomness an entry point draws from (random, numpy, torch, tensorflow) is seeded on
    that path, directly or through a seed helper: 60% for a run path that seeds everything it draws, the rest
    by the share of entry-point/source pairs seeded. Code that draws no randomness has nothing to seed.
    Examples, tutorials and docs are judged only when the repository has no other entry point (and never in
    a published library, whose examples are documentation)."""

    key = "seeds_set"
    practice = "reproducibility"
    title = "Randomness seeded on the run path"
    points = 25

    def assess(self, project: Project) -> Assessment:
        facts = facts_of(project)
        own = [e for e in facts.entries if not is_example(e.path) and not is_demo_entry(project, e.path)]
        if not own and not is_library(project):  # a library's examples are its docs, never its runs
            own = list(facts.entries)
        pairs = [(e, s) for e in own for s in SOURCE_ORDER if s in e.draws]
        if not pairs:
            return self._nothing_drawn(project)
        seeded = [(e, s) for e, s in pairs if not e.missing(s)]
        full = [e for e in own if e.draws and not any(e.missing(s) for s in e.draws if s in SOURCE_ORDER)]
        full.sort(key=lambda e: not e.trains)  # a training run is the example to show (stable sort)
        sentence = f"{share_text(len(seeded), len(pairs))} random sources seeded on their entry points"
        if not any(e.trains for e, _ in pairs):  # draws outside training are not counted as seeded: none is a run
            drawing = sorted({e.path for e, _ in pairs})
            more = f" and {len(drawing) - 2} more" if len(drawing) > 2 else ""
            sentence = (
                f"randomness drawn in {', '.join(drawing[:2])}{more}, none of which trains a model: "
                "no training run to repeat"
            )
        shown = next((e for e in full if e.seeds), None)  # an entry point's own seed call, never another's
        if shown is not None:
            call = shown.seeds[0]
            sentence += f"; {shown.path} seeds everything it draws ({call.name} at {call.site})"
        missing = [(e, s) for e, s in pairs if e.missing(s)]
        if missing:
            sentence += f"; {missing[0][1]} unseeded in {missing[0][0].path}"
        share = SEEDED_PATH * bool(full) + (1 - SEEDED_PATH) * len(seeded) / len(pairs)
        return Assessment.partly(share, sentence)

    def _nothing_drawn(self, project: Project) -> Assessment:
        """Earned: no run draws randomness. A seed call is shown when a run of the project's own makes it; in a
        published library, one inside its package (`np.random.seed(0)` in a data set class) seeds its users'
        global state as a side effect, which is no evidence of anything."""
        facts = facts_of(project)
        seeds = [c for f in facts.files.values() for calls in f.seeds.values() for c in calls]
        if is_library(project):
            seeds = [
                c for c in seeds if c.path in project.python and project.python[c.path].kind is not FileKind.LIBRARY
            ]
        if seeds:
            return Assessment.earned(f"seeds set at {seeds[0].site} ({seeds[0].name})")
        if not facts.files:
            return Assessment.missing("No code to seed")
        return Assessment.nothing_to_apply(
            f"no entry point among {len(facts.files)} code modules draws from a global random source: nothing to seed"
        )


@register_capability
class DeterministicKernels(Capability):
    """Deterministic execution is requested (cuDNN deterministic, use_deterministic_algorithms,
    Trainer(deterministic=True), a `--deterministic` command-line option, a `deterministic: true` config key,
    XLA's `--xla_gpu_deterministic_ops=true` or `TF_DETERMINISTIC_OPS=1` set in code or a launch script);
    code that imports no deep-learning or boosting framework (scikit-learn, NumPy) has no kernels to pin."""

    key = "deterministic"
    practice = "reproducibility"
    title = "Deterministic execution requested"
    points = 10

    def assess(self, project: Project) -> Assessment:
        untrained = _nothing_trained(project)
        if untrained:
            return untrained
        if not _imported_tops(project) & KERNEL_FRAMEWORKS:
            return Assessment.earned(  # deterministic by construction: the seeds fix the run
                "No deep-learning or boosting framework is imported (torch, TensorFlow, JAX, XGBoost, LightGBM, "
                "CatBoost): scikit-learn and NumPy code repeats a run from its seeds and random_state, with no "
                "non-deterministic kernels to switch off"
            )
        for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK):
            if _sets_determinism(pf):
                return Assessment.earned(f"{pf.path} sets deterministic execution", pf.path)
            line = pf.file_fact(OP_DETERMINISM_FACT, op_determinism_line)
            if line is not None:
                return Assessment.earned(f"{pf.location(line)} enables op determinism", pf.path, line)
        for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT):
            if DETERMINISM_OPTIONS & set(pf.file_fact(OPTIONS_FACT, cli_options)):
                return Assessment.earned(f"{pf.path} lets a run request deterministic execution (--deterministic)")
        configured = config_determinism(project)
        if configured is not None:
            return Assessment.earned(f"{configured} asks the runner for deterministic execution in a config module")
        for path, text in sorted(project.texts.items()):
            line = line_of(text, DETERMINISM_TEXT)
            if line:
                return Assessment.earned(f"{path}:{line} requests deterministic execution", path, line)
        flagged = _deterministic_ops_flag(project)
        if flagged is not None:
            return Assessment.earned(f"{flagged[0]}:{flagged[1]} asks for deterministic GPU ops", *flagged)
        return Assessment.missing(f"Deterministic execution is never requested ({_determinism_call(project)})")


# XLA's and TensorFlow's switches for deterministic GPU kernels, set in the environment a run starts with
# (`os.environ["XLA_FLAGS"] = "--xla_gpu_deterministic_ops=true"`, `export TF_DETERMINISTIC_OPS=1` in a launch script)
DETERMINISTIC_OPS = re.compile(
    r"xla_gpu_deterministic_ops\s*=\s*(true|1)\b|TF_DETERMINISTIC_OPS['\"]?[\]\s:=,]+['\"]?(1|true)\b",
    re.IGNORECASE,
)


def _deterministic_ops_flag(project: Project) -> tuple[str, int] | None:
    """Return where a code file or a text file (a launch script, a README's run command) sets XLA's or
    TensorFlow's deterministic-ops switch, as (path, line)."""
    sources = [(pf.path, pf.text) for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT)]
    for path, text in [*sources, *sorted(project.texts.items())]:
        line = line_of(text, DETERMINISTIC_OPS) if "DETERMINISTIC_OPS" in text.upper() else None
        if line:
            return path, line
    return None


# Frameworks whose GPU or multi-threaded kernels can differ between runs with the same seed.
KERNEL_FRAMEWORKS = frozenset(
    {"torch", "tensorflow", "keras", "jax", "jaxlib", "xgboost", "lightgbm", "catboost", "mxnet", "paddle"}
    | {"lightning", "pytorch_lightning", "transformers", "timm", "flax", "cupy"}
)


def _imported_tops(project: Project) -> set[str]:
    """Return the top-level modules the project's code imports."""
    return {
        module.split(".", 1)[0]
        for pf in code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
        for module in pf.imported_modules
    }


def _determinism_call(project: Project) -> str:
    """Return the call that requests deterministic kernels in the project's framework (torch unless only
    TensorFlow/Keras or only JAX is imported)."""
    tops = _imported_tops(project)
    if "torch" not in tops and tops & {"tensorflow", "keras"}:
        return "tf.config.experimental.enable_op_determinism()"
    if "torch" not in tops and tops & {"jax", "jaxlib", "flax"}:
        return "XLA_FLAGS=--xla_gpu_deterministic_ops=true"
    return "torch.use_deterministic_algorithms(True)"


DETERMINISM_OPTIONS = frozenset({"deterministic", "cudnn_deterministic", "use_deterministic_algorithms"})
OP_DETERMINISM_FACT = "reproducibility.op_determinism"  # a per-file fact (mlaudit.filefacts)


def op_determinism_line(pf: PythonFile) -> int | None:
    """Return the line of the file's first `enable_op_determinism()` call (TensorFlow), if any (a per-file fact)."""
    for call in pf.nodes(ast.Call):
        if (pf.call_name(call) or "").endswith("enable_op_determinism"):
            return call.lineno
    return None


@register_capability
class DataVersioned(Capability):
    """Data is versioned or verified: DVC, git LFS, downloaded files checked against an expected digest,
    pinned dataset revisions."""

    key = "data_versioned"
    practice = "reproducibility"
    title = "Data versioned or checksummed"
    points = 15

    def assess(self, project: Project) -> Assessment:
        for path in DVC_FILES:
            if project.has_file(path):
                return Assessment.earned(f"{path} versions the data with DVC", path)
        pointers = sorted(f.path for f in project.files if f.path.endswith(".dvc"))
        if pointers:
            return Assessment.earned(f"DVC pointer {pointers[0]} versions the data", pointers[0])
        lfs = line_of(project.text(".gitattributes"), "filter=lfs")
        if lfs:
            return Assessment.earned(f".gitattributes:{lfs} stores large files in git LFS", ".gitattributes", lfs)
        checksum = _verified_checksum(project)
        if checksum:
            return Assessment.earned(f"files are verified against an expected checksum ({checksum})")
        revision = _pinned_revision(project)
        if revision:
            return Assessment.earned(f"dataset or model revision pinned ({revision})")
        return _nothing_trained(project) or Assessment.missing("Data is neither versioned (DVC, LFS) nor checksummed")


def _verified_checksum(project: Project) -> str | None:
    """Return `path:line` of the first digest compared with an expected value (the security fact)."""
    for pf in code_files(project):
        found = call_evidence(pf).checksum
        if found is not None:
            return pf.location(found[0])
    return None


def _pinned_revision(project: Project) -> str | None:
    return _first_location(code_files(project), REVISION_FACT, pinned_revision_line)


def _first_location(files: Iterable[PythonFile], fact: str, compute: Callable[[PythonFile], int | None]) -> str | None:
    """Return `path:line` of the first file whose per-file line fact is set, or None."""
    for pf in files:
        line = pf.file_fact(fact, compute)
        if line is not None:
            return pf.location(line)
    return None


REVISION_FACT = "reproducibility.pinned_revision"  # a per-file fact (mlaudit.filefacts)


def pinned_revision_line(pf: PythonFile) -> int | None:
    """Return the line of the file's first dataset or model download pinned to a `revision=`, if any (a per-file fact)."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name.endswith(("load_dataset", "hf_hub_download", "snapshot_download")) and any(
            k.arg == "revision" for k in call.keywords
        ):
            return call.lineno
    return None


@register_capability
class RunsTracked(Capability):
    """Runs record their parameters and metrics in an experiment tracker (W&B, MLflow, TensorBoard, Lightning loggers)."""

    key = "runs_tracked"
    practice = "reproducibility"
    title = "Experiments tracked"
    points = 10

    def assess(self, project: Project) -> Assessment:
        found = tracker_use(project)
        if found is None:
            return _nothing_trained(project) or Assessment.missing(
                "No experiment tracker records run parameters and metrics"
            )
        return Assessment.earned(found, found.split(":", 1)[0])


# Where a published library's training code runs: its `fit` methods and loops are API, the runs its users'.
LIBRARY_RUNS = (
    "A published library whose own scripts, notebooks and commands train nothing: "
    "its training code runs in its users' programs"
)


def _nothing_trained(project: Project) -> Assessment | None:
    """Return an earned assessment when no code trains a model (training-run capabilities do not apply).

    Deterministic kernels, versioned training data and tracked runs make a training run
    repeatable; code that only loads a trained model and serves or evaluates it has no run to
    repeat. Training is a loss backward pass, an optimizer step, a `fit`/trainer call, or a run
    module named for training (`train.py`) whose loop sits behind calls not followed. In a
    published library, the `fit` methods and training loops of its modules are its API: the
    runs are its users'. Only its own scripts, notebooks and commands (examples and docs aside) are runs,
    together with the training steps their calls reach (a `finetune` command dispatching to the package's loop).
    """
    if first_training_call(project) is not None:
        return None
    if is_library(project):
        return Assessment.nothing_to_apply(f"{LIBRARY_RUNS}, which own the run to repeat")
    return Assessment.nothing_to_apply(
        "No code trains a model (no backward pass, optimizer step or fit call): no run to repeat"
    )


def first_training_call(project: Project) -> str | None:
    """Return `path:line` of the project's first training call, or None when it trains nothing (once per audit).

    A published library's own runs only: its scripts, notebooks and commands (see `_own_runs`).
    """
    found: str | None = project.fact("first_training_call", _first_training_call)
    return found


def _first_training_call(project: Project) -> str | None:
    files = code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
    if is_library(project):
        runs = _own_runs(project, files)
        return (
            _first_location(runs, TRAINING_FACT, training_line)
            or _training_entry(runs, every_file_runs=True)
            or _command_that_trains(project, runs)
        )
    return _first_location(files, TRAINING_FACT, training_line) or _training_entry(files)


def _command_that_trains(project: Project, runs: list[PythonFile]) -> str | None:
    """Return the first of a library's own commands whose calls reach a training step in the package
    (`mylib finetune` dispatching to `mylib.finetune.lora.setup`, whose loop calls `optimizer.step()`)."""
    paths = {pf.path: pf for pf in runs}
    trained = sorted(e.path for e in facts_of(project).entries if e.trains and e.path in paths)
    return paths[trained[0]].location(1) if trained else None


_TRAINING_WORD = r"(?:train|training|finetune|fine_tune|pretrain)"
TRAINING_STEM = re.compile(rf"^{_TRAINING_WORD}(?:_\w+)?$|^\w+_{_TRAINING_WORD}$", re.I)  # train_gpt, run_training


def _training_entry(files: list[PythonFile], every_file_runs: bool = False) -> str | None:
    """Return the first run module named for training (`train.py`, `train_gpt.py`, `run_training.py`): it trains
    even when its loop sits behind a call the analysis cannot follow (`solver.run()`, `engine.execute()`).

    A run module is a script or notebook, or a module with a `__main__` guard; a package module named
    `train.py` with no guard holds training helpers that some entry point calls. `every_file_runs` says
    `files` are a library's own commands already (a `[project.scripts]` target such as `cli/train_cli.py`).
    """
    for pf in files:
        if TRAINING_STEM.match(pf.path.rsplit("/", 1)[-1].removesuffix(".py")) and (
            every_file_runs or pf.kind is not FileKind.LIBRARY or pf.has_main_guard
        ):
            return pf.location(1)
    return None


def _own_runs(project: Project, files: list[PythonFile]) -> list[PythonFile]:
    """Return a library's own entry points: its scripts and notebooks, and the modules it runs as
    commands (a main guard, a command-line library, a `[project.scripts]` target); examples aside, and
    so are benchmarks that time the API (`benchmark/table_perf.py` reading a clock: the models it fits are the
    workload, not a model the project makes), main guards that only demo the module on tensors they make (`random_data_demo`) or only
    configure logging (`setup_only_main`), and the
    notebooks of a notebooks folder (`notebooks/`, `notebooks_community/`: a published library's notebooks show its
    users how to call it)."""
    commands = {module for module, _function in project.fact("logging.scripts", _console_scripts)}
    return [
        pf
        for pf in files
        if not is_example(pf.path)
        and not speed_benchmark(pf)
        and not (pf.is_notebook and in_notebook_folder(pf.path))
        and (
            pf.kind is not FileKind.LIBRARY
            or (
                pf.has_main_guard
                and not pf.file_fact(DEMO_FACT, random_data_demo)
                and not pf.file_fact(SETUP_MAIN_FACT, setup_only_main)
            )
            or pf.file_fact(CLI_IMPORT_FACT, cli_import_line) is not None
            or module_name(pf.path) in commands
        )
    ]
