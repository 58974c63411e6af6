"""Provides rule REP012: Config file never read."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from mlaudit.facts.strings import file_strings
from mlaudit.facts.tested_modules import module_name
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.reproducibility._shared import CONFIG_FILE_SUFFIXES, experiment_config_files


def _mentions(project: Project) -> list[str]:
    strings = [text for pf in project.python.values() for text in file_strings(pf)]
    return strings + [text for path, text in project.texts.items() if not path.endswith(CONFIG_FILE_SUFFIXES)]


def hydra_config_dirs(project: Project) -> set[str]:
    """Return the folders Hydra composes configs from, resolved against the file that names them.

    `@hydra.main(config_path="./configs")` in `week_2/train.py` reads every file under `week_2/configs`.
    """
    found: set[str] = set()
    for pf in project.python.values():
        for value in pf.file_fact(HYDRA_FACT, hydra_config_paths):
            if value.startswith(PACKAGE_SCHEME):
                found.update(_package_folders(project, value.removeprefix(PACKAGE_SCHEME).replace(".", "/")))
            else:
                found.add(_resolve(PurePosixPath(pf.path).parent, value))
    return found


PACKAGE_SCHEME = "pkg://"  # Hydra's prefix for a config folder named by its package: `pkg://zoo.configs`


def _package_folders(project: Project, relative: str) -> set[str]:
    """Return the repository folders that are `relative` (`zoo/configs`) at some depth (`src/zoo/configs`)."""
    found: set[str] = set()
    for source in project.files:
        folder = str(PurePosixPath(source.path).parent)
        while folder not in {".", ""}:
            if folder == relative or folder.endswith(f"/{relative}"):
                found.add(folder)
            folder = str(PurePosixPath(folder).parent)
    return found


HYDRA_FACT = "reproducibility.hydra_config_paths"  # a per-file fact (mlaudit.filefacts)


def hydra_config_paths(pf: PythonFile) -> tuple[str, ...]:
    """Return the `config_path=`/`config_dir=` strings of a module that imports Hydra (a per-file fact)."""
    if not any(m.split(".", 1)[0] == "hydra" for m in pf.imported_modules):
        return ()
    found: list[str] = []
    for call in pf.nodes(ast.Call):
        for kw in call.keywords:
            if kw.arg not in {"config_path", "config_dir"}:
                continue
            value = kw.value.value if isinstance(kw.value, ast.Constant) else _package_resource(pf, kw.value)
            if isinstance(value, str):
                found.append(value)
    return tuple(found)


def _package_resource(pf: PythonFile, expr: ast.expr) -> str | None:
    """Return `pkg://zoo.configs` for a folder named as a package resource: `files("zoo").joinpath("configs")`,
    `files("zoo") / "configs"`, either inside `str(...)`."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "str" and expr.args:
        expr = expr.args[0]
    parts: list[str] = []
    while True:
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div) and _text(expr.right) is not None:
            parts.insert(0, str(_text(expr.right)))
            expr = expr.left
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "joinpath":
            texts = [_text(a) for a in expr.args]
            if not texts or any(t is None for t in texts):
                return None
            parts[:0] = [str(t) for t in texts]
            expr = expr.func.value
        else:
            break
    resources = isinstance(expr, ast.Call) and (pf.call_name(expr) or "").endswith("resources.files")
    package = _text(expr.args[0]) if isinstance(expr, ast.Call) and resources and expr.args else None
    if package is None:
        return None
    return PACKAGE_SCHEME + ".".join([package, *(p.strip("/").replace("/", ".") for p in parts)])


def _text(expr: ast.expr) -> str | None:
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


def _resolve(base: PurePosixPath, relative: str) -> str:
    parts: list[str] = [p for p in base.parts if p not in {"", "."}]
    for part in PurePosixPath(relative).parts:
        if part == "..":
            parts = parts[:-1]
        elif part not in {".", "/"}:
            parts.append(part)
    return "/".join(parts)


def _folder_named(folder: str, mentions: list[str]) -> bool:
    """Return True when a string or document names the folder as a choice of files.

    `--base configs/autoencoder/<spec>.yaml`, `configs/*.yaml` or `default="configs/"` name the
    folder; `configs/train.yaml` names one file and says nothing about its neighbours.
    """
    pattern = re.compile(rf"(?<![\w.-]){re.escape(folder)}/(?=$|[\s'\"`<*{{$)\]])")
    return any(folder in text and pattern.search(text) for text in mentions)


def is_read(path: str, mentions: list[str], read_dirs: set[str]) -> bool:
    """Return True when code, docs or scripts name the file or its folder, or Hydra composes its folder."""
    pure = PurePosixPath(path)
    parents = [str(parent) for parent in pure.parents if str(parent) != "."]
    if any(parent in read_dirs for parent in parents):
        return True
    if any(pure.name in text for text in mentions):
        return True
    return bool(parents) and _folder_named(parents[0], mentions)


# a relative folder path of two or more parts (`"conf/kpconv"`, `"./configs/models/"`), no file extension at its end
_RELATIVE_DIR = re.compile(r"(?:\./)?[\w-]+(?:/[\w-]+)+/?")


def module_relative_dirs(project: Project) -> set[str]:
    """Return the folders a module names relative to its own folder: `os.path.join(os.path.dirname(__file__),
    "conf/kpconv")` then `f"{PATH_TO_CONFIG}/{arch}.yaml"` reads the config its caller picks from that folder."""
    found: set[str] = set()
    for pf in project.python.values():
        base = PurePosixPath(pf.path).parent
        found.update(_resolve(base, text) for text in file_strings(pf) if _RELATIVE_DIR.fullmatch(text))
        for folder in pf.file_fact(JOINED_FACT, joined_folders):
            found.update(_resolve(parent, folder) for parent in _package_folders_up(project, base))
    return found


JOINED_FACT = "reproducibility.joined_folders"  # a per-file fact (mlaudit.filefacts)


def joined_folders(pf: PythonFile) -> tuple[str, ...]:
    """Return the folders a module joins a caller-chosen file name to, beside its own file:
    `Path(Path(__file__).parent, "conf", conf_file)`, `Path(__file__).parent / "conf" / name` (a per-file fact)."""
    found: list[str] = []
    for node in pf.nodes(ast.Call, ast.BinOp):
        parts = _path_parts(node)
        if len(parts) < 3 or not _from_this_file(parts[0]) or _text(parts[-1]) is not None:
            continue
        folder = [_text(part) for part in parts[1:-1]]
        if all(text is not None and "." not in str(text) for text in folder):
            found.append("/".join(str(text).strip("/") for text in folder))
    return tuple(found)


def _path_parts(node: ast.AST) -> list[ast.expr]:
    """Return the parts a path expression joins: `a / "b" / c`, `Path(a, "b", c)`, `os.path.join(a, "b", c)`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return [*_path_parts(node.left), node.right] if isinstance(node.left, ast.BinOp) else [node.left, node.right]
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in {"Path", "PurePath", "join"}:
            return list(node.args)
    return []


def _from_this_file(expr: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(expr))


def _package_folders_up(project: Project, folder: PurePosixPath) -> list[PurePosixPath]:
    """Return the folder and its ancestors inside the same package (`Path(__file__).parent.parent` climbs them)."""
    found = [folder]
    while str(folder.parent) not in {".", ""} and f"{folder.parent}/__init__.py" in project.python:
        folder = folder.parent
        found.append(folder)
    return found


CHOSEN_FACT = "reproducibility.chosen_config_defaults"  # a per-file fact (mlaudit.filefacts)
# Calls whose value is chosen when the program runs, with the default given in the code: an environment variable
# (`os.environ.get("CFG", default)`, `os.getenv`) or a command-line option (`add_argument(..., default=...)`).
_ENV_READS = frozenset({"os.environ.get", "os.getenv"})


def chosen_config_defaults(pf: PythonFile) -> tuple[str, ...]:
    """Return the config paths a module gives as the default of a value chosen at run time (a per-file fact):
    `os.environ.get("CASE_FILE", "tests/configs/int8.yaml")`, `add_argument("--cfg", default="configs/a.yaml")`."""
    found: list[str] = []
    for call in pf.nodes(ast.Call):
        if not isinstance(call, ast.Call):
            continue
        default = next((k.value for k in call.keywords if k.arg == "default"), None)
        env = pf.call_name(call) in _ENV_READS
        if env and default is None and len(call.args) > 1:
            default = call.args[1]
        option = isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument"
        if default is None or not (env or option):
            continue
        found.extend(
            str(n.value)
            for n in ast.walk(default)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.endswith(CONFIG_FILE_SUFFIXES)
        )
    return tuple(found)


def chosen_config_dirs(project: Project) -> set[str]:
    """Return the folders of the configs given as defaults of a run-time choice: the other configs there are the
    values the environment variable or the option may name instead."""
    return {
        _resolve(PurePosixPath(""), str(PurePosixPath(text).parent))
        for pf in project.python.values()
        for text in pf.file_fact(CHOSEN_FACT, chosen_config_defaults)
    }


OPTION_FACT = "reproducibility.config_file_option"  # a per-file fact (mlaudit.filefacts)
# an option naming a config file: `--config`, `--cfg`, `--config_file`, `--model-config-path`
_CONFIG_OPTION = re.compile(r"^(\w+_)?(config|cfg|conf)(_(file|path|yaml|yml|json|toml))?$")
# absl's and ml_collections' flag definitions: `flags.DEFINE_string("config_file", None, ...)`
_FLAG_DEFINITIONS = ("absl.flags.DEFINE_", "ml_collections.config_flags.DEFINE_")


def config_file_option(pf: PythonFile) -> bool:
    """Return True when a module declares a command-line option taking a config file (a per-file fact):
    `add_argument("--config_file")`, `@click.option("--cfg")`, `flags.DEFINE_string("config_file", None, ...)`,
    `config_flags.DEFINE_config_file("config")`."""
    for call in pf.nodes(ast.Call):
        if not isinstance(call, ast.Call) or not call.args:
            continue
        func = call.func
        method = func.attr if isinstance(func, ast.Attribute) else ""
        flag = (pf.call_name(call) or "").startswith(_FLAG_DEFINITIONS)
        if not (flag or method in {"add_argument", "add_option", "option"}):
            continue
        names = [_text(a) for a in (call.args[:1] if flag else call.args)]
        if any(n is not None and (flag or n.startswith("--")) and _names_config(n) for n in names):
            return True
    return False


def _names_config(option: str) -> bool:
    return _CONFIG_OPTION.match(option.lstrip("-").replace("-", "_").lower()) is not None


def option_config_dirs(project: Project) -> set[str]:
    """Return the folders of the programs that take a config file on the command line: a config in one of them or
    below (`benchmarks/configs/*.yaml` beside `benchmarks/run.py --config_file`) is a file that option takes."""
    return {
        str(PurePosixPath(pf.path).parent)
        for pf in project.python.values()
        if pf.file_fact(OPTION_FACT, config_file_option)
    }


def _under(path: str, folders: set[str]) -> bool:
    return any(folder == "." or path.startswith(f"{folder}/") for folder in folders)


def imported_package_dirs(project: Project, candidates: list[str]) -> set[str]:
    """Return the candidates' folders that are packages the code imports: their files are package data.

    `from zoo.datasets import configs` then `os.listdir(os.path.dirname(configs.__file__))` (or
    `importlib.resources.files("zoo.datasets.configs")`) reads every file the folder holds.
    """
    folders = {str(PurePosixPath(path).parent) for path in candidates}
    packages = {f: name for f in folders if (name := _package_name(f, project))}
    if not packages:
        return set()
    imported = {name for pf in project.python.values() for name in (*pf.imports.values(), *pf.imported_modules)}
    strings = set(_mentions(project))
    return {folder for folder, name in packages.items() if name in imported or name in strings}


def _package_name(folder: str, project: Project) -> str | None:
    """Return the import name of a folder that is a package (`__init__.py`) or a namespace package inside one
    (`paperqa/configs/` holding only JSON files, imported as `paperqa.configs`), else None."""
    if f"{folder}/__init__.py" in project.python:
        return module_name(f"{folder}/__init__.py", project.python)
    parent = PurePosixPath(folder)
    if f"{parent.parent}/__init__.py" not in project.python:
        return None
    return f"{module_name(f'{parent.parent}/__init__.py', project.python)}.{parent.name}"


CONFIG_LOADERS = ("hydra", "omegaconf", "yaml", "json", "tomllib", "toml", "tomli", "ml_collections", "gin")


@register
class UnreadConfigFile(Rule):
    """Flags an experiment config file that no code, script or doc ever refers to.

    ## What it does
    For each `configs/*.yaml|toml|json`, `config.yaml`, `params.yaml`, ... checks whether its file
    name or its folder appears in a string in the code (an argparse default, a path) or in a
    README, Makefile or shell script (`python main.py --base configs/autoencoder/<spec>.yaml`), or
    whether it sits under a Hydra `config_path` (resolved against the decorated file, or the folder of a package
    it names: `config_path="pkg://zoo.configs"`, `config_path=str(files("zoo").joinpath("configs"))`; Hydra
    composes every file there), in a folder a module names relative to its own folder
    (`os.path.join(os.path.dirname(__file__), "conf/kpconv")`, then the config its caller picks by name; also a
    folder beside the module, or beside a parent package, that it joins a caller-chosen file name to:
    `Path(Path(__file__).parent, "conf", conf_file)`, every preset there one the caller can pick), beside a config
    given as the default of a value chosen at run time (`os.environ.get("CASE_FILE", "tests/configs/int8.yaml")`,
    `add_argument("--config", default="configs/base.yaml")`: its neighbours are the other values to pass), in or
    below the folder of a program that takes a config file on its command line (`benchmarks/configs/*.yaml` beside
    `benchmarks/run.py` declaring `--config_file`, with argparse, click or absl flags: they are what it is given) or in a
    package folder the code imports (`from zoo.datasets import
    configs`, `importlib.resources.files("zoo.datasets.configs")`, also a folder of data files with no
    `__init__.py` inside a package, imported as a namespace package: `import zoo.configs`, then
    `importlib.resources.files(zoo.configs) / f"{name}.json"`): package data read through it.
    Files under hidden folders such as `.github/` are not experiment configs.

    ## Why is this bad?
    A config nobody reads is a lie: people edit it, rerun, and nothing changes because the values
    that matter are hard-coded in the script.

    ## Example
    ```python
    # configs/train.yaml says lr: 0.001, but train.py never opens it
    optimizer = Adam(params, lr=3e-4)
    ```

    ## Use instead
    ```python
    cfg = load_config(Path("configs/train.yaml"))
    optimizer = Adam(params, lr=cfg.lr)
    ```
    """

    code = "REP012"
    title = "Config file never read"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Load the file into the typed config the code uses, or delete it."

    def check(self, project: Project) -> Iterator[Output]:
        candidates = experiment_config_files(project)
        if not candidates:
            return
        mentions = _mentions(project)
        read_dirs = hydra_config_dirs(project)
        loader = _config_loader(project)
        fix = (
            f"Name it where runs start ({loader} loads configs here): a --config default, a README command or a script."
            if loader
            else None
        )
        read_dirs |= imported_package_dirs(project, candidates)
        read_dirs |= module_relative_dirs(project)
        chosen = chosen_config_dirs(project)
        passed = option_config_dirs(project)
        for path in candidates:
            if str(PurePosixPath(path).parent) in chosen or _under(path, passed):
                continue
            if not is_read(path, mentions, read_dirs):
                yield Hit(path, None, f"{path} is never referenced by the code", fix=fix)


def _config_loader(project: Project) -> str | None:
    """Return the config loader the code imports (hydra, omegaconf, yaml, json...), if any."""
    tops = {m.split(".", 1)[0] for pf in project.python.values() for m in pf.imported_modules}
    return next((name for name in CONFIG_LOADERS if name in tops), None)
