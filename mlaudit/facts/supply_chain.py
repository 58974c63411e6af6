"""Provides the facts behind two supply-chain rules: packages pip-installed by the code at run
time, and model files downloaded without a checksum.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import FileKind
from mlaudit.paths import pure_path
from mlaudit.project import Project, PythonFile

_SHELL_CALLS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "pip.main",
        "pip._internal.main",
        "pip._internal.cli.main.main",
    }
)
_PIP_INSTALL = re.compile(r"\bpip3?\b.*\binstall\b|^\s*install\b", re.DOTALL)
_INSTALLER_NAME = re.compile(r"(?i)requirement|dependenc|install|package")
_INSTALL_PARAMS = frozenset({"install", "auto_install", "autoinstall", "auto_update", "autoupdate"})

_PY_DOWNLOAD = re.compile(
    r"\b(gdown\.download|gdown\.cached_download|urlretrieve|wget\.download|download_url_to_file|"
    r"load_state_dict_from_url)\s*\("
)
# Every match of _PY_DOWNLOAD holds one of these words: a file without them has no download to look at.
_PY_DOWNLOAD_WORDS = ("download", "urlretrieve", "load_state_dict_from_url")
_SHELL_DOWNLOAD = re.compile(r"(?:^|[\s;&|(])(wget|curl|gdown)\s+\S")
_MODEL_LIKE = re.compile(
    r"(?i)\.(?:pt|pth|bin|ckpt|h5|hdf5|onnx|pkl|pickle|safetensors|pb|tflite|joblib|engine|gguf)\b"
    r"|\bmodels?\b|weights|checkpoint|drive\.google\.com"
)
_CHECKSUM = re.compile(r"(?i)hashlib|sha256|sha1sum|md5|checksum|hash_prefix|check_hash=(?!False)|\bhash=|shasum")
_SCRIPT_SUFFIXES = (".sh", ".bash")


@dataclass(frozen=True)
class Download:
    """A command or call that downloads a model file, and the tool it uses."""

    path: str
    line: int
    tool: str


def _command_text(node: ast.expr) -> str:
    if isinstance(node, ast.List | ast.Tuple):
        return " ".join(_command_text(e) for e in node.elts)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else " " for v in node.values
        )
    if isinstance(node, ast.Attribute) and node.attr == "executable":
        return "python"
    return ""


def pip_install_calls(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield the subprocess / os.system / pip.main calls whose command runs `pip install`."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        if name in _SHELL_CALLS and call.args and _PIP_INSTALL.search(_command_text(call.args[0])):
            yield call


def installing_functions(pf: PythonFile) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Yield functions named like requirement checkers whose `install` parameter defaults to True."""
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or not _INSTALLER_NAME.search(func.name):
            continue
        if any(name in _INSTALL_PARAMS and _is_true(default) for name, default in _defaults(func.args)):
            yield func


def _defaults(args: ast.arguments) -> Iterator[tuple[str, ast.expr | None]]:
    positional = [*args.posonlyargs, *args.args]
    padded: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    yield from ((a.arg, d) for a, d in zip(positional, padded, strict=True))
    yield from ((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True))


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_script_text(path: str, text: str) -> bool:
    name = pure_path(path).name
    return name.endswith(_SCRIPT_SUFFIXES) or name in {"Makefile", "Dockerfile"} or text.startswith("#!")


def model_downloads(project: Project) -> Iterator[tuple[Download, int]]:
    """Yield the first unverified model download per file and tool, with how many there are."""
    grouped: dict[tuple[str, str], list[Download]] = {}
    for download in _model_downloads(project):
        grouped.setdefault((download.path, download.tool), []).append(download)
    for downloads in grouped.values():
        yield downloads[0], len(downloads)


def _model_downloads(project: Project) -> Iterator[Download]:
    for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
        yield from pf.file_fact(DOWNLOADS_FACT, module_downloads)
    for path, text in sorted(project.texts.items()):
        if path in project.python or not _is_script_text(path, text) or _CHECKSUM.search(text):
            continue
        yield from _downloads_in(path, text, _PY_DOWNLOAD if "python" in text.split("\n", 1)[0] else _SHELL_DOWNLOAD)


DOWNLOADS_FACT = "supply_chain.downloads"  # a per-file fact (mlaudit.filefacts)


def module_downloads(pf: PythonFile) -> tuple[Download, ...]:
    """Return a module's unverified model downloads (none when the module checks a checksum)."""
    if any(word in pf.text for word in _PY_DOWNLOAD_WORDS) and not _CHECKSUM.search(pf.text):
        return tuple(_downloads_in(pf.path, pf.text, _PY_DOWNLOAD))
    return ()


def _downloads_in(path: str, text: str, pattern: re.Pattern[str]) -> Iterator[Download]:
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        match = pattern.search(line)
        if match is None:
            continue
        if _MODEL_LIKE.search(_statement(lines, number - 1, pattern is _PY_DOWNLOAD)):
            yield Download(path, number, match.group(1))


def _statement(lines: list[str], start: int, python: bool) -> str:
    """Return the statement starting at `start`: a call up to its closing line, or a shell
    command with its `\\` continuations."""
    taken: list[str] = []
    for line in lines[start : start + 8]:
        taken.append(line)
        if python and line.count(")") >= 1 and "(" not in line[line.rfind(")") :]:
            break
        if not python and not line.rstrip().endswith("\\"):
            break
    return "\n".join(taken)
