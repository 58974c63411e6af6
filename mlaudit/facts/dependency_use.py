"""Provides the evidence of dependency use that is not a plain `import` statement.

- notebook `%pip install x` / `!pip install x` cells declare `x` for that notebook;
- a Hydra plugin is used when a config selects it (`override hydra/job_logging: colorlog`
  uses hydra-colorlog), and `_target_:` / `class_path:` entries in configs import modules;
- an import that no distribution declares and that a declared, never-imported distribution
  plausibly provides (`skopt` / scikit-optimize, `thop` / ultralytics-thop) is one pair, not
  two findings;
- a module named by a string literal given to `importlib.import_module` or a lazy-import helper
  (`lazy_import("xarray")`) is imported, at run time (`named_modules`);
- an import named like a numbered copy of a local module (`train4` beside `train.py`) is a
  local module that is missing, not a distribution to add.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.distributions import Pin, Requirement, normalise, parse_requirement
from mlaudit.name_tests import NameTest
from mlaudit.project import Project, PythonFile

_PIP_MAGIC = re.compile(
    r"^\s*[!%]\s*(?:\{[^}]*\}\s+-m\s+|python3?\s+-m\s+)?(?:pip3?|conda|mamba|uv\s+pip)\s+install\s+(.*)$"
)
_HYDRA_CHOICE = re.compile(r"hydra/[\w/]+\s*:\s*['\"]?([\w-]+)")
_CONFIG_TARGET = re.compile(r"(?:_target_|class_path)\s*[:=]\s*['\"]?([A-Za-z_][\w.]*)")
_REQUIREMENT_CHECK = re.compile(
    r"(?i)requirement|^requires?_|^require$|^check_(?:min_)?version$|^is_\w+_(?:available|installed)$|import_optional"
    r"|^find_spec$"
)


def notebook_installs(pf: PythonFile) -> frozenset[str]:
    """Return the normalised distributions a notebook installs with `%pip` / `!pip` cells."""
    names: set[str] = set()
    for cell in pf.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            match = _PIP_MAGIC.match(line)
            if match is None:
                continue
            for token in match.group(1).split():
                parsed = None if token.startswith("-") else parse_requirement(token.strip("'\""))
                if parsed is not None:
                    names.add(parsed[0])
    return frozenset(names)


def requirement_checked_spans(pf: PythonFile) -> list[tuple[int, int]]:
    """Return the line spans of functions that check or install requirements at run time, and of
    `if` bodies behind an availability flag.

    Imports inside them are optional backends loaded lazily
    (`check_requirements("onnxruntime"); import onnxruntime`, `if CHECK_XLA.is_available: import torch_xla`).
    """
    checking = _requirement_checking_functions(pf)
    spans: list[tuple[int, int]] = []
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) and id(func) in checking:
            spans.append((func.lineno, func.end_lineno or func.lineno))
    for branch in pf.nodes(ast.If):
        if isinstance(branch, ast.If) and branch.body and _is_availability_flag(branch.test):
            spans.append((branch.body[0].lineno, branch.body[-1].end_lineno or branch.lineno))
    return spans


def _is_availability_flag(test: ast.expr) -> bool:
    """Return True for `if CHECK_X.is_available:`, `if _APEX_AVAILABLE:`, `if is_x_available():` or
    `if is_xla_installed():` (the same check, named for the installation).

    A device check on a module (`torch.cuda.is_available()`) says nothing about what is installed.
    """
    node = test.func if isinstance(test, ast.Call) else test
    if isinstance(node, ast.Name):
        return _names_availability(node.id)
    return isinstance(node, ast.Attribute) and _names_availability(node.attr) and isinstance(node.value, ast.Name)


def _names_availability(name: str) -> bool:
    lowered = name.lower()
    return "available" in lowered or "installed" in lowered


_requirement_check = NameTest(_REQUIREMENT_CHECK)  # remembered per call name


def _requirement_checking_functions(pf: PythonFile) -> set[int]:
    """Return the ids of functions that call a requirement check anywhere inside them (nested included)."""
    checking: set[int] = set()
    for call in pf.nodes(ast.Call):
        target = call.func
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if not (name and _requirement_check(name)):
            continue
        checking.update(id(a) for a in pf.ancestors(call) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef))
    return checking


NAMED_MODULES_FACT = "dependencies.named_modules"  # a per-file fact (mlaudit.filefacts)
_WHOLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{1,39}$")  # `"xlsxwriter"`, `"numba"`: a module named by a string
_DRIVER_URL = re.compile(r"^[a-z0-9]+\+([A-Za-z_][A-Za-z0-9_]*)://")  # `mysql+pymysql://`: SQLAlchemy's driver


_MODULE_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")  # a dotted module name: `"scipy.io.wavfile"`


def named_modules(pf: PythonFile) -> frozenset[str]:
    """Return the module names the code hands a library as strings: a backend or engine picked by name
    (`to_excel(path, engine="xlsxwriter")`, `mean(engine="numba")`, `plotting.backend = "plotly"`), the driver of a
    database URL (`create_engine("mysql+pymysql://...")`), or a module imported at run time by a call whose name
    ends in `import` or `import_module` (`importlib.import_module("xarray")`, `lazy_import("scipy.io")`). Only
    call arguments and assigned values count, not dictionary keys, subscripts or comparisons."""
    found: set[str] = set()
    for node in pf.nodes(ast.Constant):
        value = node.value
        if not isinstance(value, str) or not _handed_over(pf, node):
            continue
        driver = _DRIVER_URL.match(value)
        if driver is not None:
            found.add(driver.group(1))
        elif _WHOLE_NAME.match(value) or (_MODULE_NAME.match(value) and _imported_by_name(pf, node)):
            found.add(value)
    return frozenset(found)


def _imported_by_name(pf: PythonFile, node: ast.Constant) -> bool:
    """Return True for the first argument of a call named like an import (`import_module`, `lazy_import`)."""
    call = pf.parent(node)
    if not isinstance(call, ast.Call) or not call.args or call.args[0] is not node:
        return False
    target = call.func
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return str(name).lower().endswith(("import", "import_module"))


def _handed_over(pf: PythonFile, node: ast.Constant) -> bool:
    """Return True for a string passed to a call (positionally or by keyword) or assigned to a name or attribute."""
    parent = pf.parent(node)
    if isinstance(parent, ast.Call):
        return node in parent.args
    return isinstance(parent, ast.keyword) or (isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is node)


ENV_FILE_FACT = "dependencies.names_env_file"  # a per-file fact (mlaudit.filefacts)


def names_env_file(pf: PythonFile) -> bool:
    """Return True when a module's text names `env_file` (pydantic settings read through python-dotenv)."""
    return "env_file" in pf.text


def config_uses(project: Project, declared: list[Requirement]) -> tuple[frozenset[str], frozenset[str]]:
    """Return (declared Hydra plugins a config selects, modules named by `_target_`/`class_path`)."""
    choices: set[str] = set()
    modules: set[str] = set()
    for path, text in project.texts.items():
        if path.endswith((".yaml", ".yml", ".json", ".toml")):
            choices.update(normalise(m) for m in _HYDRA_CHOICE.findall(text))
            modules.update(m.rsplit(".", 1)[0] for m in _CONFIG_TARGET.findall(text) if "." in m)
    plugins = set()
    env_file = any("env_file" in text for text in project.texts.values()) or any(
        pf.file_fact(ENV_FILE_FACT, names_env_file) for pf in project.python.values()
    )
    if env_file:
        plugins.add("python-dotenv")  # pydantic-settings reads env_file through python-dotenv
    for req in declared:
        tokens = req.name.split("-")
        if tokens[0] == "hydra" and len(tokens) > 1 and ("-".join(tokens[1:]) in choices or set(tokens[1:]) & choices):
            plugins.add(req.name)
    return frozenset(plugins), frozenset(modules)


def plausibly_provides(module_top: str, req: Requirement) -> bool:
    """Return True when a distribution name plausibly provides an import of another name.

    Either the import abbreviates every word of the distribution in order (`skopt`,
    scikit-optimize), or its several words lead the distribution's name (`open_clip`, open-clip-torch), or it is the project word of a vendor-prefixed fork (`thop`,
    ultralytics-thop; `trainer`, coqui-tts-trainer), or the first word of a repository installed from a URL (`taming`,
    taming-transformers from git).
    """
    name = module_top.lower().replace("_", "")
    tokens = [t for t in req.name.split("-") if t]
    if len(name) < 3 or len(tokens) < 2:
        return False
    words = [w for w in module_top.lower().split("_") if w]
    if 1 < len(words) < len(tokens) and tokens[: len(words)] == words:
        return True  # the leading words of a distribution that adds a qualifier: open_clip, open-clip-torch
    if name == tokens[-1]:  # the project word after a vendor prefix: ultralytics-thop, coqui-tts-trainer
        return True
    if req.pin in (Pin.URL, Pin.BRANCH) and name == tokens[0]:
        return True
    return _abbreviates(name, tokens)


def _abbreviates(name: str, tokens: list[str]) -> bool:
    """Return True when `name` splits into one non-empty part per token, each part a
    subsequence of its token that starts with the token's first letter."""
    if not tokens:
        return not name
    if not name or name[0] != tokens[0][0]:
        return False
    for cut in range(1, len(name) - len(tokens) + 2):
        if _subsequence(name[:cut], tokens[0]) and _abbreviates(name[cut:], tokens[1:]):
            return True
    return False


def _subsequence(part: str, word: str) -> bool:
    letters = iter(word)
    return all(ch in letters for ch in part)


def missing_local_module(top: str, local_modules: frozenset[str]) -> bool:
    """Return True for an import named like a numbered copy of a local module (`train4` next to `train.py`)."""
    stem = re.sub(r"[_\d]+$", "", top)
    return stem != top and stem in local_modules


def iter_pairs(undeclared: dict[str, list[str]], unused: list[Requirement]) -> Iterator[tuple[str, str]]:
    """Yield (undeclared key, distribution) pairs that are one mapping gap, not two findings."""
    for key, tops in undeclared.items():
        for req in unused:
            if any(plausibly_provides(top, req) for top in tops):
                yield key, req.name
